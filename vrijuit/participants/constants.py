from django.db import models
from django.utils.translation import gettext_lazy as _

from vrijuit.core.errors import ErrorCatalogue


class Basis(models.TextChoices):
    """Why someone has the reduced-tariff status (docs/api.md codes)."""

    INCREASED_ALLOWANCE = "increased_allowance", _("Increased allowance (verhoogde tegemoetkoming)")
    SOCIAL_INTEGRATION = "social_integration", _("Living wage or OCMW support")
    DEBT_MEDIATION = "debt_mediation", _("Debt mediation or budget management")
    INCOME = "income", _("Income below the network's threshold")
    SOCIAL_ASSESSMENT = "social_assessment", _("Social worker's assessment")
    OTHER = "other", _("Other")


class StatusState(models.TextChoices):
    """The state of a participant's reduced tariff on a given day (without the basis)."""

    ACTIVE = "active", _("active")
    GRACE = "grace", _("in grace period")
    EXPIRED = "expired", _("expired")
    SUSPENDED = "suspended", _("suspended")
    NONE = "none", _("none")


class Language(models.TextChoices):
    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    EN = "en", _("English")


class ErrorCode(ErrorCatalogue):
    """The participants' codes (``participants.exceptions``)."""

    POSTAL_CODE_OUTSIDE_NETWORK = (
        "postal_code_outside_network",
        422,
        _(
            "This postal code is not in the municipalities of this network. "
            "Check the postal code, or refer the person to the network of their "
            "municipality."
        ),
    )
    STATUS_REFUSED = (
        "status_refused",
        422,
        _("This is not possible. Please check what you entered."),
    )
    ALREADY_ERASED = (
        "already_erased",
        409,
        _("The identity of this person was erased already."),
    )
