from django.db import models
from django.utils.translation import gettext_lazy as _

from vrijuit.core.errors import ErrorCatalogue


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


class ErrorCode(ErrorCatalogue):
    """The finance codes: budget, expenses, statements and payment files."""

    INVALID_YEAR = "invalid_year", 422, _("Choose a year between 2000 and 2100.")
    INVALID_AMOUNT = (
        "invalid_amount",
        422,
        _("This amount is not possible here. Check the amount and try again."),
    )
    INVALID_PURPOSE = "invalid_purpose", 422, _("Choose a purpose from the list.")
    PURPOSE_NOT_ALLOWED = (
        "purpose_not_allowed",
        422,
        _("Discount reimbursements are booked by check-ins. Choose another purpose."),
    )
    INVALID_DATE = (
        "invalid_date",
        422,
        _("This date is not possible here. Check the date and try again."),
    )
    DESCRIPTION_REQUIRED = "description_required", 422, _("Say what the expense was for.")
    NOTHING_TO_CORRECT = (
        "nothing_to_correct",
        422,
        _("This is already the amount of the expense: nothing to correct."),
    )
    STATEMENT_REFUSED = (
        "statement_refused",
        422,
        _("This step is not possible for this statement now. Check its state."),
    )
    SEPA_INVALID_ACCOUNT = (
        "sepa_invalid_account",
        422,
        _("An account number (IBAN) or BIC is missing or not valid. Correct it first."),
    )
    SEPA_INVALID_AMOUNT = (
        "sepa_invalid_amount",
        422,
        _("An amount has more than two decimals. It cannot be paid by bank transfer."),
    )
    SEPA_PAYER_MISSING = (
        "sepa_payer_missing",
        422,
        _(
            "The payer's name and account are missing. The coordinator fills them in "
            "under Network settings, Payments."
        ),
    )
    SEPA_TOTAL_MISMATCH = (
        "sepa_total_mismatch",
        422,
        _(
            "The statements of this batch do not add up to its total. Do not pay it; "
            "ask the coordinator."
        ),
    )
    SEPA_NOTHING_TO_PAY = (
        "sepa_nothing_to_pay",
        422,
        _("This batch has nothing to pay: every statement in it is € 0,00."),
    )
    SEPA_INVALID_FILE = (
        "sepa_invalid_file",
        422,
        _(
            "The payment file does not follow the SEPA standard (pain.001.001.03), so "
            "the bank would refuse it. Nothing was paid."
        ),
    )
