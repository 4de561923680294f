from django.db import models
from django.utils.translation import gettext_lazy as _

from vrijuit.core.errors import ErrorCatalogue


class PassState(models.TextChoices):
    ACTIVE = "active", _("active")
    BLOCKED = "blocked", _("blocked")
    REPLACED = "replaced", _("replaced")


class BlockReason(models.TextChoices):
    LOST = "lost", _("lost")
    STOLEN = "stolen", _("stolen")
    OTHER = "other", _("other")


# Which state may follow which.
TRANSITIONS = {
    PassState.ACTIVE: {PassState.BLOCKED, PassState.REPLACED},
    PassState.BLOCKED: {PassState.REPLACED},
    PassState.REPLACED: set(),
}


class ErrorCode(ErrorCatalogue):
    """The passes' codes (``passes.exceptions``)."""

    PASS_ALREADY_ACTIVE = (
        "pass_already_active",
        409,
        _(
            "This person already has an active pass. Block it first if it is "
            "lost or stolen; then you can give a new one."
        ),
    )
    PASS_NOT_ACTIVE = "pass_not_active", 409, _("This pass is not active any more.")
    INVALID_PASS_NUMBER = (
        "invalid_pass_number",
        422,
        _("This pass number is not right. Check the 13 digits on the card."),
    )
