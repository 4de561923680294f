"""Ledger and statement checks for ``manage.py check_integrity`` (see
``vrijuit.checkins.management.integrity``): the append-only ledger agrees with the check-ins
it records and with the budget, and every statement's total is the sum of its check-ins."""

from django.db.models import Count, F, Q, Sum

from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.management.integrity import _rows, cents, euros, integrity_check
from vrijuit.finance.constants import EntryKind, Purpose, StatementState
from vrijuit.finance.models import LedgerEntry, Statement


def _entries(scope):
    rows = LedgerEntry.objects.filter(network=scope.network)
    return rows if scope.year is None else rows.filter(year=scope.year)


@integrity_check("ledger_checkins")
def every_checkin_is_booked_once(scope):
    """One check-in entry of +reimbursement per check-in; one cancel entry of -reimbursement
    per cancelled check-in, none for an accepted one."""
    booked = scope.checkins().annotate(
        n_in=Count("ledger_entries", filter=Q(ledger_entries__kind=EntryKind.CHECKIN)),
        n_out=Count("ledger_entries", filter=Q(ledger_entries__kind=EntryKind.CHECKIN_CANCEL)),
    )
    yield from _rows(booked.filter(~Q(n_in=1)), "check-in(s) without exactly one ledger entry")
    yield from _rows(
        booked.filter(state=CheckInState.CANCELLED).filter(~Q(n_out=1)),
        "cancelled check-in(s) without exactly one cancellation entry",
    )
    yield from _rows(
        booked.filter(state=CheckInState.ACCEPTED, n_out__gt=0),
        "accepted check-in(s) with a cancellation entry",
    )


@integrity_check("ledger_amounts")
def entries_carry_the_checkins_amount(scope):
    entries = _entries(scope).filter(kind__in=[EntryKind.CHECKIN, EntryKind.CHECKIN_CANCEL])
    entries = entries.annotate(c_amount=cents("amount"), c_checkin=cents("checkin__reimbursement"))
    wrong = entries.filter(
        Q(kind=EntryKind.CHECKIN) & ~Q(c_amount=F("c_checkin"))
        | Q(kind=EntryKind.CHECKIN_CANCEL) & ~Q(c_amount=-F("c_checkin"))
        | ~Q(year=F("checkin__year"))
        | ~Q(purpose=Purpose.DISCOUNT)
    )
    yield from _rows(wrong, "ledger entr(y/ies) that do not match their check-in")


@integrity_check("ledger_budget")
def discount_entries_add_up_to_the_budget(scope):
    booked = dict(
        _entries(scope)
        .filter(purpose=Purpose.DISCOUNT)
        .order_by()
        .values("year")
        .annotate(total=Sum(cents("amount")))
        .values_list("year", "total")
    )
    reimbursed = scope.reimbursed_cents
    for year in sorted(set(booked) | set(reimbursed)):
        in_ledger, in_checkins = int(booked.get(year) or 0), reimbursed.get(year, 0)
        if in_ledger != in_checkins:
            yield (
                f"{year}: the ledger books {euros(in_ledger)} of discount reimbursements, "
                f"the accepted check-ins {euros(in_checkins)}"
            )


@integrity_check("statement_totals")
def statements_add_up(scope):
    statements = Statement.objects.filter(network=scope.network).annotate(
        n=Count("checkins", filter=Q(checkins__state=CheckInState.ACCEPTED)),
        c_sum=Sum(
            cents("checkins__reimbursement"),
            filter=Q(checkins__state=CheckInState.ACCEPTED),
        ),
        c_total=cents("total"),
    )
    if scope.year is not None:
        statements = statements.filter(period_start__year=scope.year)
    wrong = statements.filter(~Q(n=F("checkin_count")) | ~Q(c_total=F("c_sum")) & Q(n__gt=0))
    yield from _rows(wrong, "statement(s) whose total is not the sum of their check-ins")
    yield from _rows(
        statements.filter(
            state__in=[StatementState.APPROVED, StatementState.PAID],
            checkins__state=CheckInState.CANCELLED,
        ).distinct(),
        "approved statement(s) holding a cancelled check-in",
    )
