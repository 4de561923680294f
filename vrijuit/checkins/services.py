"""The tariff question, check-in and cancellation (discount-rules.md, "Check-in rules").

The eight rules are evaluated in order by ``evaluate``; the first that fails decides the
answer. A check-in runs in one transaction that locks the pass (and its participant) row on
PostgreSQL — SQLite's IMMEDIATE transactions serialise writers anyway — so rules 6 and 7 see
every earlier check-in of the person. The database has the last word: a partial unique index
keeps one accepted check-in per person and date, and the budget is drawn by one conditional
UPDATE that cannot go below zero in hard-stop mode.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vrijuit.catalogue.models import Activity, Occurrence
from vrijuit.core import audit, dates, fastsql
from vrijuit.core.exceptions import NotFound, PermissionDenied, VrijuitError
from vrijuit.core.models import AuditAction
from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm, Role
from vrijuit.finance import ledger
from vrijuit.finance.statements import statement_leave
from vrijuit.networks.constants import BudgetMode
from vrijuit.participants.constants import StatusState
from vrijuit.participants.models import Participant, Status
from vrijuit.participants.selectors import status_state
from vrijuit.passes.constants import PassState
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import is_valid_number, normalise_number

from .constants import (
    MAX_OFFLINE_DAYS,
    REFUSAL_MESSAGES,
    REFUSAL_STATUS,
    Channel,
    CheckInState,
    RefusalCode,
)
from .models import Budget, CheckIn, IdempotencyRecord
from .pricing import Price, price_for

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


# The statements of the scan at the door, written out once (vrijuit.core.fastsql): the ORM
# would spend more time building them than the database spends answering them.
_PASS = fastsql.Shape(
    ("p", Pass, ["id", "network", "participant", "number", "state"]),
    ("pa", Participant, ["id", "network", "first_name"]),
)
_PASS_SQL = (
    f"SELECT {_PASS.columns} FROM {fastsql.table(Pass)} p "  # noqa: S608
    f"INNER JOIN {fastsql.table(Participant)} pa "
    f"ON pa.{fastsql.qn('id')} = p.{fastsql.column(Pass, 'participant')} "
    f"WHERE p.{fastsql.column(Pass, 'network')} = %s AND p.{fastsql.column(Pass, 'number')} = %s"
)
_STATUS = fastsql.Shape(
    ("s", Status, ["id", "network", "participant", "valid_from", "valid_until", "suspended_from",
                   "suspended_until", "ended_on"]),
)  # fmt: skip
_STATUS_SQL = (
    f"SELECT {_STATUS.columns} FROM {fastsql.table(Status)} s "  # noqa: S608
    f"WHERE s.{fastsql.column(Status, 'participant')} = %s "
    f"ORDER BY s.{fastsql.column(Status, 'valid_until')} DESC"
)
_OCCURRENCE = fastsql.Shape(
    ("o", Occurrence, ["id", "network", "activity", "start", "end", "cancelled_at"]),
    ("a", Activity, ["id", "network", "organiser", "title", "regular_price",
                     "fixed_reduced_price"]),
)  # fmt: skip
_OCCURRENCE_SQL = (
    f"SELECT {_OCCURRENCE.columns} FROM {fastsql.table(Occurrence)} o "  # noqa: S608
    f"INNER JOIN {fastsql.table(Activity)} a "
    f"ON a.{fastsql.qn('id')} = o.{fastsql.column(Occurrence, 'activity')} "
    f"WHERE o.{fastsql.column(Occurrence, 'network')} = %s AND o.{fastsql.qn('id')} = %s"
)


def _history_sql(vendor):
    """Rules 6 and 7 in one statement: the person's accepted check-ins at this date (any
    year), at this activity this year, and the discount of this year."""

    def c(name):
        return f"c.{fastsql.column(CheckIn, name)}"

    total = f"SUM(CASE WHEN {c('year')} = %s THEN {c('discount')} END)"
    if vendor == "sqlite":
        total = f"CAST({total} AS NUMERIC)"  # as the ORM writes Sum() of a decimal
    return (
        f"SELECT COUNT(CASE WHEN {c('occurrence')} = %s THEN 1 END), "  # noqa: S608
        f"COUNT(CASE WHEN {c('year')} = %s AND {c('activity')} = %s THEN 1 END), {total} "
        f"FROM {fastsql.table(CheckIn)} c "
        f"WHERE {c('participant')} = %s AND {c('state')} = %s"
    )


def _budget_where():
    return (
        f"WHERE {fastsql.column(Budget, 'network')} = %s AND {fastsql.column(Budget, 'year')} = %s"
    )


def _draw_sql(vendor, hard):
    """The conditional budget draw, the statement the ORM writes for
    ``update(spent=F("spent") + amount)`` (with ``amount >= spent + amount`` when hard)."""
    spent = fastsql.column(Budget, "spent")
    more = f"({spent} + %s)"
    if vendor == "sqlite":
        # SQLite keeps decimals as binary floats: round the sum to cents so that the stored
        # total and the comparison with the amount (also a float of a 2-decimal value) are
        # exact — 5.96 + 1.60 must fit a budget of 7.56.
        more = f"ROUND({spent} + CAST(%s AS REAL), 2)"
    sql = f"UPDATE {fastsql.table(Budget)} SET {spent} = {more} {_budget_where()}"  # noqa: S608
    if hard:
        amount = fastsql.column(Budget, "amount")
        sql += f" AND ({amount} IS NULL OR {amount} >= {more})"
    return sql


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _find_pass(network, number, *, lock):
    """The pass with its participant (first name only; the rest is read if asked for)."""
    sql = _PASS_SQL
    if lock and connection.features.has_select_for_update:
        # Locks the pass and its participant: check-ins of one person run one at a time.
        sql += " FOR UPDATE"
    rows = _rows(sql, [fastsql.prep(Pass, "network", network.pk), number])
    if not rows:
        return None
    pass_obj, participant = _PASS.instances(rows[0])
    pass_obj.participant = participant
    return pass_obj


def _statuses(participant):
    rows = _rows(_STATUS_SQL, [fastsql.prep(Status, "participant", participant.pk)])
    return [_STATUS.instances(row)[0] for row in rows]


def _find_occurrence(network, occurrence_id):
    if occurrence_id is None:
        return None
    rows = _rows(
        _OCCURRENCE_SQL,
        [
            fastsql.prep(Occurrence, "network", network.pk),
            fastsql.prep(Occurrence, "id", occurrence_id),
        ],
    )
    if not rows:
        return None
    occurrence, activity = _OCCURRENCE.instances(rows[0])
    occurrence.activity = activity
    return occurrence


def _history(participant, occurrence, activity, year):
    """(accepted check-ins at ``occurrence``, at ``activity`` in ``year``, discount in ``year``)."""
    here, at_activity, discount = _rows(
        _history_sql(connection.vendor),
        [
            fastsql.prep(CheckIn, "occurrence", occurrence.pk),
            year,
            fastsql.prep(CheckIn, "activity", activity.pk),
            year,
            fastsql.prep(CheckIn, "participant", participant.pk),
            CheckInState.ACCEPTED,
        ],
    )[0]
    discount = fastsql.convert(discount, CheckIn, "discount", alias="c")
    return here, at_activity, discount or 0


def evaluate(principal, pass_number, occurrence_id, at, *, lock=False, read_budget=True):
    """Rules 1 to 7 and, without drawing it, rule 8. Never raises for a refusal.

    ``read_budget=False``: leave rule 8 to the conditional UPDATE of the budget that follows
    (``check_in``), which refuses exactly what this reading would."""
    network = principal.network
    decision = Decision()
    number = normalise_number(pass_number)
    if not is_valid_number(number):  # rule 1, before any lookup
        decision.code = RefusalCode.INVALID_PASS_NUMBER
        return decision
    decision.occurrence = occurrence = _find_occurrence(network, occurrence_id)
    pass_obj = _find_pass(network, number, lock=lock)
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
    if principal.role == Role.ORGANISER and activity.organiser_id != principal.organiser_id:
        decision.code = RefusalCode.NOT_YOUR_ACTIVITY
        return decision
    if not is_open(occurrence, at):
        decision.code = RefusalCode.OCCURRENCE_CLOSED
        return decision
    participant = pass_obj.participant
    day = local_day(at)
    decision.state, _status = status_state(participant, day, _statuses(participant))
    if decision.state not in (StatusState.ACTIVE, StatusState.GRACE):  # rule 5
        decision.code = RefusalCode.NO_VALID_STATUS
        return decision
    year = day.year
    here, at_activity, discount_this_year = _history(participant, occurrence, activity, year)
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
        amount, spent = _budget(network, year)
        if amount is not None and spent + price.reimbursement > amount:
            decision.code = RefusalCode.BUDGET_EXHAUSTED
    return decision


def _budget(network, year):
    """(amount, spent) of the year's budget, (None, None) without one."""
    rows = _rows(
        f"SELECT {fastsql.column(Budget, 'amount')}, {fastsql.column(Budget, 'spent')} "  # noqa: S608
        f"FROM {fastsql.table(Budget)} {_budget_where()}",
        [fastsql.prep(Budget, "network", network.pk), year],
    )
    if not rows:
        return None, None
    amount, spent = rows[0]
    return (
        fastsql.convert(amount, Budget, "amount"),
        fastsql.convert(spent, Budget, "spent"),
    )


def _limit_reached(network, at_activity_this_year, discount_this_year, price):
    limit = network.max_checkins_per_activity_per_year
    if limit is not None and at_activity_this_year >= limit:
        return True
    most = network.max_discount_per_year
    return most is not None and price.discount > 0 and discount_this_year + price.discount > most


def tariff(*, principal, pass_number, occurrence_id, now=None):
    """The tariff question before the sale: the same rules, nothing written."""
    require(principal, Perm.CHECKIN)
    return evaluate(principal, pass_number, occurrence_id, now or timezone.now())


def scan_moment(scanned_at, now):
    """When the scan happened. Offline devices may send a moment up to 7 days back."""
    if scanned_at is None:
        return now
    if not dates.in_range(scanned_at):
        raise VrijuitError(
            _("The scan time is not a real date. Check the clock of the device."),
            code="validation_error",
            errors={"scanned_at": [str(dates.OUT_OF_RANGE)]},
        )
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at)
    if scanned_at > now + CLOCK_SKEW:
        raise VrijuitError(
            _("The scan time lies in the future. Check the clock of the device."),
            code="scan_in_future",
            errors={"scanned_at": [_("The scan time lies in the future.")]},
        )
    if scanned_at < now - timedelta(days=MAX_OFFLINE_DAYS):
        raise VrijuitError(
            _(
                "This scan is more than 7 days old and can no longer be checked in. "
                "Register it at the leisure desk if the person really took part."
            ),
            code="scan_too_old",
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


def check_in(
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
                return _check_in_once(
                    principal, pass_number, occurrence_id, idempotency_key, owner, print_,
                    at=at, now=now, channel=channel, note=note,
                )  # fmt: skip
        except IntegrityError:
            # A simultaneous request won the race (same key, same person and date, or the
            # budget row of a new year). Start again: this time the rules see its result.
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _check_in_once(principal, number, occurrence_id, key, owner, print_, *, at, now, **extra):
    network = principal.network
    if key is not None:
        record = _idempotency_record(network, owner, fastsql.prep(IdempotencyRecord, "key", key))
        if record is not None:
            fingerprint_, checkin_id, code = record
            if fingerprint_ != print_:
                return Outcome(None, RefusalCode.IDEMPOTENCY_CONFLICT, replayed=True)
            checkin = None
            if checkin_id is not None:
                checkin = CheckIn.objects.for_network(network).filter(pk=checkin_id).first()
            return Outcome(checkin, code or None, replayed=True)
    # Rule 8 is decided by the conditional UPDATE of the budget below.
    decision = evaluate(principal, number, occurrence_id, at, lock=True, read_budget=False)
    checkin = None
    if decision.accepted:
        year = local_day(at).year
        if _draw_budget(network, year, decision.price.reimbursement, decision):
            checkin = _create(principal, decision, at=at, now=now, year=year, **extra)
        else:
            decision.code = RefusalCode.BUDGET_EXHAUSTED
    if key is not None:
        # Nobody listens to this model's signals: stored with one INSERT of its own.
        fastsql.insert(
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


def _idempotency_record(network, owner, key_param):
    """(fingerprint, check-in id, code) of the first answer to this key, or None."""

    def col(name):
        return fastsql.column(IdempotencyRecord, name)

    rows = _rows(
        f"SELECT {col('fingerprint')}, {col('checkin')}, {col('code')} "  # noqa: S608
        f"FROM {fastsql.table(IdempotencyRecord)} "
        f"WHERE {col('owner')} = %s AND {col('key')} = %s AND {col('network')} = %s",
        [owner, key_param, fastsql.prep(IdempotencyRecord, "network", network.pk)],
    )
    if not rows:
        return None
    fingerprint_, checkin_id, code = rows[0]
    return fingerprint_, fastsql.convert(checkin_id, IdempotencyRecord, "checkin"), code


def _draw_budget(network, year, amount, decision):
    """Add ``amount`` to the year's spent total; False if a hard budget cannot cover it."""
    if amount <= 0:
        return True
    hard = network.budget_mode == BudgetMode.HARD_STOP
    network_param = fastsql.prep(Budget, "network", network.pk)
    amount_param = fastsql.prep(Budget, "spent", amount)
    params = [amount_param, network_param, year] + ([amount_param] if hard else [])
    with connection.cursor() as cursor:
        cursor.execute(_draw_sql(connection.vendor, hard), params)
        drawn = cursor.rowcount
    budget = Budget.objects.filter(network=network, year=year)
    if drawn:
        if not hard:
            limit, spent = budget.values_list("amount", "spent").get()
            decision.over_budget = limit is not None and spent > limit
        return True
    if budget.exists():
        return False
    Budget.objects.create(network=network, year=year, amount=None, spent=amount)
    return True


def _create(principal, decision, *, at, now, year, channel, note):
    occurrence = decision.occurrence
    price = decision.price
    # Nobody listens to this model's signals (check-ins are not audited: the row is itself
    # the record): stored with one INSERT of its own.
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
    fastsql.insert(checkin)
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
            code="checkin_locked",
        )
    if principal.role == Role.COORDINATOR:
        return None
    now = now or timezone.now()
    if now - checkin.received_at > CANCEL_WINDOW:
        return VrijuitError(
            _(
                "This check-in is more than 24 hours old. Only the coordinator can cancel "
                "it now; ask them."
            ),
            code="cancel_too_late",
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
        if checkin.reimbursement > 0:
            Budget.objects.filter(network=principal.network, year=checkin.year).update(
                spent=Round(F("spent") - checkin.reimbursement, 2)
            )
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
