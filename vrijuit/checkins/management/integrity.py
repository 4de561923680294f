"""Integrity checks: do the stored money facts of the check-ins and their totals agree?

``manage.py check_integrity`` runs every registered check for each network (optionally for
one year) and lists each disagreement. A check is a function ``check(scope)`` that yields one
line of text per disagreement, registered with ``@integrity_check("name")``. Checks work with
aggregate queries — a handful per network, however many check-ins there are — never with a
Python loop over rows.

Other apps add their own checks in a module ``<app>/management/integrity.py``, which the
command imports for every installed app (as the admin finds ``admin.py``): the ledger of
append-only entries registers "the entries add up to the check-ins and the budget" there, and
can use ``Scope.reimbursed_cents`` for the per-year totals of the check-ins.

Amounts are compared in whole cents (``ROUND(x * 100)`` cast to an integer). SQLite stores
decimals as binary floating point, so ``regular - paid = discount`` computed in SQL is not
exact there (``0.60 - 0.50`` is not ``0.10``); in cents it is.

Prices are *not* recomputed from the network's current pricing settings: a check-in keeps the
prices of its moment, and settings may have changed since. Only the arithmetic must hold.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Cast, Round

from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import Budget, CheckIn, IdempotencyRecord
from vrijuit.networks.constants import BudgetMode

SAMPLE = 5  # ids shown per disagreement


def cents(field):
    """The amount in ``field`` as a whole number of cents, computed in the database."""
    return Cast(Round(F(field) * 100), BigIntegerField())


def euros(amount_in_cents):
    return f"€ {Decimal(int(amount_in_cents)).scaleb(-2):.2f}"


class Scope:
    """What one run looks at: one network, and one year or all years."""

    def __init__(self, network, year=None):
        self.network = network
        self.year = year

    def checkins(self):
        rows = CheckIn.objects.filter(network=self.network)
        return rows if self.year is None else rows.filter(year=self.year)

    def budgets(self):
        rows = Budget.objects.filter(network=self.network)
        return rows if self.year is None else rows.filter(year=self.year)

    @cached_property
    def reimbursed_cents(self):
        """``{year: cents}``: the reimbursements of the accepted check-ins, per year."""
        rows = (
            self.checkins()
            .filter(state=CheckInState.ACCEPTED)
            .order_by()
            .values("year")
            .annotate(total=Sum(cents("reimbursement")))
            .values_list("year", "total")
        )
        return {year: int(total or 0) for year, total in rows}

    @cached_property
    def budget_cents(self):
        """``{year: (amount or None, spent)}`` in cents."""
        rows = self.budgets().values_list("year", cents("amount"), cents("spent"))
        return {
            year: (None if amount is None else int(amount), int(spent))
            for year, amount, spent in rows
        }


@dataclass(frozen=True)
class Disagreement:
    check: str
    message: str

    def __str__(self):
        return f"[{self.check}] {self.message}"


Check = Callable[[Scope], Iterable[str]]
CHECKS: dict[str, Check] = {}


def integrity_check(name):
    """Register ``function(scope)`` under ``name``; it yields one line per disagreement."""

    def register(function):
        CHECKS[name] = function
        return function

    return register


def run_checks(scope) -> list[Disagreement]:
    return [
        Disagreement(name, message) for name, check in CHECKS.items() for message in check(scope)
    ]


def _rows(queryset, text, *, show=("pk",)):
    """One line for the rows of ``queryset``, if any: how many, and the first few."""
    count = queryset.count()
    if count:
        sample = [
            "/".join(str(value) for value in values)
            for values in queryset.order_by(*show).values_list(*show)[:SAMPLE]
        ]
        more = ", …" if count > SAMPLE else ""
        yield f"{count} {text}: {', '.join(sample)}{more}"


# --- check-ins ------------------------------------------------------------------------------


@integrity_check("checkin_money")
def checkin_amounts_add_up(scope):
    rows = scope.checkins().annotate(
        c_regular=cents("regular_price"),
        c_paid=cents("paid"),
        c_discount=cents("discount"),
        c_reimbursement=cents("reimbursement"),
        c_organiser=cents("organiser_cost"),
    )
    wrong = rows.filter(
        ~Q(c_discount=F("c_regular") - F("c_paid"))
        | ~Q(c_organiser=F("c_discount") - F("c_reimbursement"))
        | Q(c_regular__lt=0)
        | Q(c_paid__lt=0)
        | Q(c_discount__lt=0)
        | Q(c_reimbursement__lt=0)
        | Q(c_organiser__lt=0)
    )
    yield from _rows(
        wrong,
        "check-in(s) whose amounts do not add up (discount = regular − paid, organiser cost = "
        "discount − reimbursement, none negative)",
    )


@integrity_check("checkin_unique")
def one_accepted_checkin_per_person_and_date(scope):
    twice = (
        scope.checkins()
        .filter(state=CheckInState.ACCEPTED)
        .order_by()
        .values("occurrence_id", "participant_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    yield from _rows(
        twice,
        "person(s) with more than one accepted check-in at one date (occurrence/participant/count)",
        show=("occurrence_id", "participant_id", "n"),
    )


@integrity_check("checkin_state")
def cancelled_checkins_have_a_time(scope):
    wrong = scope.checkins().filter(
        Q(state=CheckInState.CANCELLED, cancelled_at__isnull=True)
        | Q(state=CheckInState.ACCEPTED, cancelled_at__isnull=False)
        | ~Q(state__in=CheckInState.values)
    )
    yield from _rows(
        wrong,
        "check-in(s) whose state and cancellation time disagree (cancelled without a time, "
        "or accepted with one)",
    )


# --- budgets --------------------------------------------------------------------------------


@integrity_check("budget_spent")
def budget_spent_is_the_sum_of_reimbursements(scope):
    reimbursed, budgets = scope.reimbursed_cents, scope.budget_cents
    for year in sorted(set(reimbursed) | set(budgets)):
        total = reimbursed.get(year, 0)
        if year not in budgets:
            if total > 0:
                yield (
                    f"{year}: no budget row, but the accepted check-ins of that year reimburse "
                    f"{euros(total)}"
                )
            continue
        _amount, spent = budgets[year]
        if spent != total:
            yield (
                f"{year}: the budget says {euros(spent)} spent, but the accepted check-ins of "
                f"that year reimburse {euros(total)}"
            )


@integrity_check("budget_hard_stop")
def hard_budget_not_exceeded(scope):
    if scope.network.budget_mode != BudgetMode.HARD_STOP:
        return
    for year, (amount, spent) in sorted(scope.budget_cents.items()):
        total = scope.reimbursed_cents.get(year, 0)
        if amount is not None and max(spent, total) > amount:
            over = scope.checkins().filter(year=year, state=CheckInState.ACCEPTED, over_budget=True)
            note = ""
            if over.exists():
                note = f" ({over.count()} accepted over the budget while in warning mode)"
            yield (
                f"{year}: the hard budget of {euros(amount)} is exceeded: {euros(spent)} spent, "
                f"accepted check-ins reimburse {euros(total)}{note}"
            )


# --- idempotency records --------------------------------------------------------------------


@integrity_check("idempotency")
def idempotency_records_agree(scope):
    network = scope.network
    records = IdempotencyRecord.objects.all()
    if scope.year is not None:
        records = records.filter(
            Q(checkin__year=scope.year) | Q(checkin__isnull=True, created_at__year=scope.year)
        )
    yield from _rows(
        records.filter(network=network, checkin__isnull=False).exclude(checkin__network=network),
        "idempotency record(s) of this network that point to another network's check-in",
    )
    yield from _rows(
        records.filter(checkin__network=network).exclude(network=network),
        "idempotency record(s) of another network that point to this network's check-in",
    )
    yield from _rows(
        records.filter(network=network, checkin__isnull=True, code=""),
        "idempotency record(s) with neither a check-in nor a refusal code",
    )
    yield from _rows(
        records.filter(network=network, checkin__isnull=False).exclude(code=""),
        "idempotency record(s) with both a check-in and a refusal code",
    )
