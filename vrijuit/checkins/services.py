"""The tariff question, check-in and cancellation (docs/rules.md, "Check-in rules").

The eight rules are evaluated in order by ``checkin_evaluate``; the first that fails decides
the answer. A check-in (``checkin_create``) runs in one transaction that locks the pass (and
its participant) row on PostgreSQL — SQLite's IMMEDIATE transactions serialise writers anyway
— so rules 6 and 7 see every earlier check-in of the person. The database has the last word:
a partial unique index keeps one accepted check-in per person and date, and the budget is
drawn by one conditional UPDATE that cannot go below zero in hard-stop mode.

Every SQL statement of the scan is in ``queries``; the budget is drawn and released in
``vrijuit.finance.drawdown``. This module tells the story: which rule asks what, in order.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vrijuit.catalogue.models import Occurrence
from vrijuit.catalogue.pricing import Price, price_for
from vrijuit.core import audit, dates
from vrijuit.core.errors import CommonError
from vrijuit.core.exceptions import NotFound, PermissionDenied, VrijuitError
from vrijuit.core.models import AuditAction
from vrijuit.core.permissions import can, organiser_bound, require
from vrijuit.core.roles import Perm
from vrijuit.finance import drawdown, ledger
from vrijuit.finance.statements import statement_leave
from vrijuit.networks.constants import BudgetMode
from vrijuit.participants.constants import StatusState
from vrijuit.participants.selectors import status_state
from vrijuit.passes.constants import PassState
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import is_valid_number, normalise_number

from . import queries
from .constants import (
    MAX_OFFLINE_DAYS,
    REFUSAL_MESSAGES,
    REFUSAL_STATUS,
    Channel,
    CheckInState,
    ErrorCode,
    RefusalCode,
)
from .models import Budget, CheckIn, IdempotencyRecord

OPENS_BEFORE_START = timedelta(hours=2)
CLOCK_SKEW = timedelta(minutes=5)
CANCEL_WINDOW = timedelta(hours=24)
_ATTEMPTS = 3


class Refusal(VrijuitError):
    """A check-in rule said no. ``code`` is one of ``RefusalCode``."""

    def __init__(self, code, message=None):
        super().__init__(
            message or REFUSAL_MESSAGES[code], code=code, status=REFUSAL_STATUS.get(code, 422)
        )


@dataclass
class Decision:
    """What the rules say about one pass at one occurrence at one moment."""

    code: str | None = None
    pass_obj: Pass | None = None
    occurrence: Occurrence | None = None
    price: Price | None = None
    state: str = StatusState.NONE
    over_budget: bool = False

    @property
    def accepted(self):
        return self.code is None

    @property
    def participant(self):
        return None if self.pass_obj is None else self.pass_obj.participant

    @property
    def first_name(self):
        """Greet the person — but only once the pass and the date are the caller's to see."""
        if self.participant is None or self.occurrence is None:
            return None
        if self.code in (RefusalCode.OCCURRENCE_CLOSED, RefusalCode.NOT_YOUR_ACTIVITY):
            return None
        return self.participant.first_name or None

    @property
    def regular_price(self):
        return None if self.occurrence is None else self.occurrence.activity.regular_price

    @property
    def price_to_pay(self):
        """The reduced price when the rules allow it, else the regular price."""
        if self.accepted and self.price is not None:
            return self.price.paid
        return self.regular_price

    @property
    def grace_period(self):
        return self.state == StatusState.GRACE

    @property
    def message(self):
        return REFUSAL_MESSAGES[self.code] if self.code else ""


@dataclass
class Outcome:
    """The answer to a check-in request: a check-in, or the refusal that stopped it."""

    checkin: CheckIn | None
    code: str | None
    replayed: bool = False
    decision: Decision | None = None


def local_day(moment):
    return timezone.localtime(moment).date()


def check_in_window(occurrence):
    """From 2 hours before the start until the end (the end of the start's day if none)."""
    opens = occurrence.start - OPENS_BEFORE_START
    if occurrence.end is not None:
        closes = occurrence.end
    else:
        day = local_day(occurrence.start)
        closes = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return opens, closes


def is_open(occurrence, at):
    opens, closes = check_in_window(occurrence)
    return occurrence.cancelled_at is None and opens <= at < closes


def _actor_key(principal):
    if principal.token is not None:
        return f"token:{principal.token.pk}"
    if principal.user is not None:
        return f"user:{principal.user.pk}"
    raise PermissionDenied()


def checkin_evaluate(principal, pass_number, occurrence_id, at, *, lock=False, read_budget=True):
    """Rules 1 to 7 and, without drawing it, rule 8. Never raises for a refusal.

    ``read_budget=False``: leave rule 8 to the conditional UPDATE of the budget that follows
    (``checkin_create``), which refuses exactly what this reading would."""
    network = principal.network
    decision = Decision()
    number = normalise_number(pass_number)
    if not is_valid_number(number):  # rule 1, before any lookup
        decision.code = RefusalCode.INVALID_PASS_NUMBER
        return decision
    decision.occurrence = occurrence = queries.occurrence_get(network, occurrence_id)
    pass_obj = queries.pass_get(network, number, lock=lock)
    if pass_obj is None:  # rule 2
        decision.code = RefusalCode.UNKNOWN_PASS
        return decision
    pass_obj.participant.network = network
    decision.pass_obj = pass_obj
    if pass_obj.state != PassState.ACTIVE:  # rule 3
        decision.code = RefusalCode.PASS_BLOCKED
        return decision
    if occurrence is None:  # rule 4
        decision.code = RefusalCode.OCCURRENCE_CLOSED
        return decision
    activity = occurrence.activity
    if organiser_bound(principal) and activity.organiser_id != principal.organiser_id:
        decision.code = RefusalCode.NOT_YOUR_ACTIVITY
        return decision
    if not is_open(occurrence, at):
        decision.code = RefusalCode.OCCURRENCE_CLOSED
        return decision
    participant = pass_obj.participant
    day = local_day(at)
    decision.state, _status = status_state(participant, day, queries.statuses_get(participant))
    if decision.state not in (StatusState.ACTIVE, StatusState.GRACE):  # rule 5
        decision.code = RefusalCode.NO_VALID_STATUS
        return decision
    year = day.year
    here, at_activity, discount_this_year = queries.checkins_tally(
        participant, occurrence, activity, year
    )
    if here:  # rule 6
        decision.code = RefusalCode.ALREADY_CHECKED_IN
        return decision
    decision.price = price = price_for(
        regular=activity.regular_price,
        settings=network,
        fixed_reduced_price=activity.fixed_reduced_price,
    )
    if _limit_reached(network, at_activity, discount_this_year, price):  # rule 7
        decision.code = RefusalCode.LIMIT_REACHED
        return decision
    if read_budget and price.reimbursement > 0 and network.budget_mode == BudgetMode.HARD_STOP:
        # rule 8
        amount, spent = drawdown.budget_read(network, year)
        if amount is not None and spent + price.reimbursement > amount:
            decision.code = RefusalCode.BUDGET_EXHAUSTED
    return decision


def _limit_reached(network, at_activity_this_year, discount_this_year, price):
    limit = network.max_checkins_per_activity_per_year
    if limit is not None and at_activity_this_year >= limit:
        return True
    most = network.max_discount_per_year
    return most is not None and price.discount > 0 and discount_this_year + price.discount > most


def tariff_ask(*, principal, pass_number, occurrence_id, now=None):
    """The tariff question before the sale: the same rules, nothing written."""
    require(principal, Perm.CHECKIN)
    return checkin_evaluate(principal, pass_number, occurrence_id, now or timezone.now())


def scan_moment(scanned_at, now):
    """When the scan happened. Offline devices may send a moment up to 7 days back."""
    if scanned_at is None:
        return now
    if not dates.in_range(scanned_at):
        raise VrijuitError(
            _("The scan time is not a real date. Check the clock of the device."),
            code=CommonError.VALIDATION_ERROR,
            errors={"scanned_at": [str(dates.OUT_OF_RANGE)]},
        )
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at)
    if scanned_at > now + CLOCK_SKEW:
        raise VrijuitError(
            _("The scan time lies in the future. Check the clock of the device."),
            code=ErrorCode.SCAN_IN_FUTURE,
            errors={"scanned_at": [_("The scan time lies in the future.")]},
        )
    if scanned_at < now - timedelta(days=MAX_OFFLINE_DAYS):
        raise VrijuitError(
            _(
                "This scan is more than 7 days old and can no longer be checked in. "
                "Register it at the leisure desk if the person really took part."
            ),
            code=ErrorCode.SCAN_TOO_OLD,
            errors={"scanned_at": [_("At most 7 days ago.")]},
        )
    return min(scanned_at, now)


def fingerprint(pass_number, occurrence_id, scanned_at):
    parts = (
        normalise_number(pass_number),
        str(occurrence_id),
        "" if scanned_at is None else scanned_at.isoformat(),
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def checkin_create(
    *,
    principal,
    pass_number,
    occurrence_id,
    idempotency_key=None,
    scanned_at=None,
    channel=Channel.API,
    note="",
    now=None,
):
    """Check a pass in at an occurrence. Returns an ``Outcome``; commits refusals too (with
    their idempotency key) so that a retry gets the same answer."""
    require(principal, Perm.CHECKIN)
    now = now or timezone.now()
    at = scan_moment(scanned_at, now)
    owner = _actor_key(principal)
    print_ = fingerprint(pass_number, occurrence_id, scanned_at)
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return _checkin_create_once(
                    principal, pass_number, occurrence_id, idempotency_key, owner, print_,
                    at=at, now=now, channel=channel, note=note,
                )  # fmt: skip
        except IntegrityError:
            # A simultaneous request won the race (same key, same person and date, or the
            # budget row of a new year). Start again: this time the rules see its result.
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _checkin_create_once(principal, number, occurrence_id, key, owner, print_, *, at, now, **extra):
    network = principal.network
    if key is not None:
        record = queries.idempotency_get(network, owner, key)
        if record is not None:
            fingerprint_, checkin_id, code = record
            if fingerprint_ != print_:
                return Outcome(None, RefusalCode.IDEMPOTENCY_CONFLICT, replayed=True)
            checkin = None
            if checkin_id is not None:
                checkin = CheckIn.objects.for_network(network).filter(pk=checkin_id).first()
            return Outcome(checkin, code or None, replayed=True)
    # Rule 8 is decided by the conditional UPDATE of the budget below.
    decision = checkin_evaluate(principal, number, occurrence_id, at, lock=True, read_budget=False)
    checkin = None
    if decision.accepted:
        year = local_day(at).year
        draw = drawdown.budget_draw(network, year, decision.price.reimbursement)
        decision.over_budget = draw.over_budget
        if draw.drawn:
            checkin = _create(principal, decision, at=at, now=now, year=year, **extra)
        else:
            decision.code = RefusalCode.BUDGET_EXHAUSTED
    if key is not None:
        queries.idempotency_insert(
            IdempotencyRecord(
                network=network,
                owner=owner,
                key=key,
                fingerprint=print_,
                checkin=checkin,
                code=decision.code or "",
                created_at=now,
            )
        )
    return Outcome(checkin, decision.code, decision=decision)


def _create(principal, decision, *, at, now, year, channel, note):
    occurrence = decision.occurrence
    price = decision.price
    checkin = CheckIn(
        network=principal.network,
        pass_obj=decision.pass_obj,
        participant=decision.participant,
        occurrence=occurrence,
        activity=occurrence.activity,
        organiser_id=occurrence.activity.organiser_id,
        year=year,
        scanned_at=at,
        received_at=now,
        channel=channel,
        token=principal.token,
        user=principal.user,
        actor_label=principal.label[:200],
        note=note[:200],
        regular_price=price.regular,
        paid=price.paid,
        discount=price.discount,
        reimbursement=price.reimbursement,
        organiser_cost=price.organiser_cost,
        grace_period=decision.grace_period,
        over_budget=decision.over_budget,
    )
    queries.checkin_insert(checkin)
    ledger.book_checkin(checkin, booked_at=now)
    return checkin


def refusal_for(outcome):
    return Refusal(outcome.code)


def cancel_refusal(principal, checkin, now=None):
    """Why ``principal`` may not cancel this accepted check-in (a ``VrijuitError``), or None.

    Organisers and desk staff cancel within 24 hours, the coordinator at any time; nobody
    cancels a check-in that an approved statement has locked. Pages use the same answer to
    show a button or say why there is none."""
    if checkin.statement_id is not None and checkin.statement.is_locked:
        return VrijuitError(
            _(
                "This check-in is part of an approved reimbursement statement and can no "
                "longer be cancelled. Ask the coordinator for a correction."
            ),
            code=ErrorCode.CHECKIN_LOCKED,
        )
    if can(principal, Perm.CHECKIN_CANCEL_LATE):
        return None
    now = now or timezone.now()
    if now - checkin.received_at > CANCEL_WINDOW:
        return VrijuitError(
            _(
                "This check-in is more than 24 hours old. Only the coordinator can cancel "
                "it now; ask them."
            ),
            code=ErrorCode.CANCEL_TOO_LATE,
        )
    return None


def may_cancel(principal, checkin, now=None):
    """May ``principal`` cancel this check-in now (see ``cancel_refusal``)?"""
    if checkin.state != CheckInState.ACCEPTED:
        return False
    return cancel_refusal(principal, checkin, now) is None


def checkin_cancel(*, principal, checkin_id, reason="", now=None):
    """Cancel a check-in: the budget is released, the row stays (state ``cancelled``)."""
    now = now or timezone.now()
    with transaction.atomic():
        checkin = (
            CheckIn.objects.select_for_update()
            .filter(network=principal.network, pk=checkin_id)
            .first()
        )
        if checkin is None:
            raise NotFound()
        require(principal, Perm.CHECKIN, checkin)
        if checkin.state == CheckInState.CANCELLED:
            return checkin  # cancelling twice is harmless: same answer
        refusal = cancel_refusal(principal, checkin, now)
        if refusal is not None:
            raise refusal
        checkin.state = CheckInState.CANCELLED
        checkin.cancelled_at = now
        checkin.cancelled_by_label = principal.label[:200]
        checkin.cancel_reason = reason[:300]
        checkin.save(update_fields=["state", "cancelled_at", "cancelled_by_label", "cancel_reason"])
        drawdown.budget_release(principal.network, checkin.year, checkin.reimbursement)
        ledger.book_checkin_cancel(checkin, booked_at=now, actor_label=principal.label)
        if checkin.statement_id is not None:
            statement_leave(checkin)
        local_time = timezone.localtime(checkin.scanned_at)
        audit.record(
            action=AuditAction.CANCEL,
            obj=checkin,
            object_repr=f"{checkin.activity.title} {local_time:%d/%m/%Y %H:%M}",
            changes={
                "reimbursement": str(checkin.reimbursement),
                "reason": reason[:300],
            },
        )
    return checkin


def budget_set(*, principal, year, amount):
    """Set (or clear, with ``None``) the reimbursement budget of a year."""
    require(principal, Perm.BUDGET_MANAGE)
    with transaction.atomic():
        budget, created = Budget.objects.select_for_update().get_or_create(
            network=principal.network, year=year, defaults={"amount": amount}
        )
        before = budget.amount
        if not created:
            budget.amount = amount
            budget.save(update_fields=["amount", "updated_at"])
        audit.record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=budget,
            changes={"amount": [None if before is None else str(before), str(amount)]},
        )
    return budget
