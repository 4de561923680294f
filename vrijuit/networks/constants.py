from django.db import models
from django.utils.translation import gettext_lazy as _

from vrijuit.core.roles import Role  # noqa: F401  (re-exported: memberships carry a role)


class PartnerKind(models.TextChoices):
    LEISURE_SERVICE = "leisure_service", _("Leisure service")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare centre (OCMW)")
    POVERTY_ASSOCIATION = "poverty_association", _("Association where people in poverty speak up")
    CLUB = "club", _("Club or association")
    OTHER = "other", _("Other")


class StatusValidity(models.TextChoices):
    END_OF_YEAR = "end_of_year", _("Until the end of the calendar year")
    MONTHS = "months", _("A number of months")


class BudgetMode(models.TextChoices):
    HARD_STOP = "hard_stop", _("Refuse check-ins when the budget is spent")
    WARN = "warn", _("Accept check-ins and warn the coordinator")


RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "desk",
        "account",
        "accounts",
        "static",
        "media",
        "i18n",
        "health",
        "about",
        "scan",
        "pass",
    }
)


class StatementPeriod(models.TextChoices):
    """How often organisers get a reimbursement statement."""

    MONTH = "month", _("every month")
    QUARTER = "quarter", _("every quarter")
