from django.db import models
from django.utils.translation import gettext_lazy as _


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
