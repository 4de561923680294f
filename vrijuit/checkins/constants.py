from django.db import models
from django.utils.translation import gettext_lazy as _

from vrijuit.core.errors import ErrorCatalogue


class CheckInState(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    CANCELLED = "cancelled", _("cancelled")


class Channel(models.TextChoices):
    API = "api", _("scanner or API")
    DESK = "desk", _("at the desk")


class OfflineState(models.TextChoices):
    """What a scanner without connection knows of a pass on a day (never why)."""

    ACTIVE = "active", _("reduced tariff")
    GRACE = "grace", _("reduced tariff, grace period")
    NONE = "none", _("no reduced tariff")
    BLOCKED = "blocked", _("pass blocked or replaced")
    UNSURE = "unsure", _("not known for sure")


class RefusalCode(models.TextChoices):
    """The stable codes of docs/rules.md, in the order the rules are checked."""

    INVALID_PASS_NUMBER = "invalid_pass_number", _("Pass number not valid")
    UNKNOWN_PASS = "unknown_pass", _("Unknown pass")
    PASS_BLOCKED = "pass_blocked", _("Pass blocked")
    OCCURRENCE_CLOSED = "occurrence_closed", _("Not open for check-in")
    NOT_YOUR_ACTIVITY = "not_your_activity", _("Not your activity")
    NO_VALID_STATUS = "no_valid_status", _("No reduced tariff")
    ALREADY_CHECKED_IN = "already_checked_in", _("Already checked in")
    LIMIT_REACHED = "limit_reached", _("Limit reached")
    BUDGET_EXHAUSTED = "budget_exhausted", _("Budget spent")
    IDEMPOTENCY_CONFLICT = "idempotency_conflict", _("Key already used")

    @property
    def status(self):
        return REFUSAL_STATUS.get(self, 422)

    @property
    def message(self):
        return REFUSAL_MESSAGES[self]


# What the organiser reads at the door: what happened and what to say or do.
REFUSAL_MESSAGES = {
    RefusalCode.INVALID_PASS_NUMBER: _(
        "This is not a valid pass number. Check the 13 digits and type them again, "
        "or scan the card."
    ),
    RefusalCode.UNKNOWN_PASS: _(
        "This pass is not known in this network. Ask the person to go to the leisure desk; "
        "charge the regular price today."
    ),
    RefusalCode.PASS_BLOCKED: _(
        "This pass is blocked (lost, stolen or replaced). Ask for the newest card, or send "
        "the person to the leisure desk for a new one; charge the regular price today."
    ),
    RefusalCode.OCCURRENCE_CLOSED: _(
        "Check-in for this date is not open: it opens 2 hours before the start and closes at "
        "the end, or the date was cancelled. Choose today's date on the scanner."
    ),
    RefusalCode.NOT_YOUR_ACTIVITY: _(
        "This date belongs to another organiser's activity. Choose one of your own dates."
    ),
    RefusalCode.NO_VALID_STATUS: _(
        "This pass has no reduced tariff today. Charge the regular price, and tell the person "
        "they can ask the leisure desk or their social worker about the reduced tariff."
    ),
    RefusalCode.ALREADY_CHECKED_IN: _(
        "This person is already checked in for this date. Do not charge again."
    ),
    RefusalCode.LIMIT_REACHED: _(
        "This person has used all reduced check-ins allowed this year for this. Charge the "
        "regular price; the leisure desk can explain the limit."
    ),
    RefusalCode.BUDGET_EXHAUSTED: _(
        "The network's budget for reductions is spent for this year. Charge the regular "
        "price and tell the person to contact the leisure desk."
    ),
    RefusalCode.IDEMPOTENCY_CONFLICT: _(
        "This idempotency key was already used for another check-in. Send a new key for a new scan."
    ),
}

REFUSAL_STATUS = {
    RefusalCode.ALREADY_CHECKED_IN: 409,
    RefusalCode.IDEMPOTENCY_CONFLICT: 409,
}


class ErrorCode(ErrorCatalogue):
    """The check-in's codes besides the rules' refusals (``RefusalCode``)."""

    SCAN_IN_FUTURE = (
        "scan_in_future",
        422,
        _("The scan time lies in the future. Check the clock of the device."),
    )
    SCAN_TOO_OLD = (
        "scan_too_old",
        422,
        _(
            "This scan is more than 7 days old and can no longer be checked in. "
            "Register it at the leisure desk if the person really took part."
        ),
    )
    CANCEL_TOO_LATE = (
        "cancel_too_late",
        422,
        _(
            "This check-in is more than 24 hours old. Only the coordinator can cancel "
            "it now; ask them."
        ),
    )
    CHECKIN_LOCKED = (
        "checkin_locked",
        422,
        _(
            "This check-in is part of an approved reimbursement statement and can no "
            "longer be cancelled. Ask the coordinator for a correction."
        ),
    )


# Offline devices may send scans this old (docs/rules.md).
MAX_OFFLINE_DAYS = 7
