from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    DRAWING_RIGHT = "drawing_right", _("Flemish drawing right")
    MUNICIPAL = "municipal", _("Municipal co-financing")
    OTHER = "other", _("Other income")


class Purpose(models.TextChoices):
    DISCOUNT = "discount", _("Discount reimbursements")
    TRIPS = "trips", _("Trips")
    TRAINING = "training", _("Training")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


class EntryKind(models.TextChoices):
    CHECKIN = "checkin", _("check-in")
    CHECKIN_CANCEL = "checkin_cancel", _("check-in cancelled")
    EXPENSE = "expense", _("expense")
    CORRECTION = "correction", _("correction")


class StatementState(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")


from vrijuit.networks.constants import StatementPeriod  # noqa: E402, F401 (a network setting)
