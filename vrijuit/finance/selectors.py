"""Reading statements and batches within a principal's reach. No participant identity:
statement lines are check-ins by date and activity, never by person."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import CheckIn

from .constants import StatementState
from .models import PaymentBatch, Statement
from .statements import _open_checkins, period_of


def statements_for(principal, *, state=None):
    statements = Statement.objects.filter(network=principal.network).select_related(
        "organiser", "batch"
    )
    statements = statements.for_organiser(principal)
    if state:
        statements = statements.filter(state=state)
    return statements.order_by("-period_start", "organiser__name")


def statement_get(principal, pk):
    return (
        statements_for(principal)
        .select_related("prepared_by", "reviewed_by", "approved_by")
        .filter(pk=pk)
        .first()
    )


def statement_lines(statement):
    """Per activity: check-ins, discount given and what is paid back."""

    return list(
        statement.checkins.filter(state=CheckInState.ACCEPTED)
        .values("activity__title")
        .annotate(
            count=Count("id"),
            discount=Sum("discount"),
            reimbursement=Sum("reimbursement"),
        )
        .order_by("activity__title")
    )


def statement_checkins(statement):
    """The check-ins of a statement by day and activity — without the person."""

    return list(
        statement.checkins.filter(state=CheckInState.ACCEPTED)
        .annotate(day=TruncDate("scanned_at"))
        .values("day", "activity__title")
        .annotate(count=Count("id"), reimbursement=Sum("reimbursement"))
        .order_by("day", "activity__title")
    )


def running_statement(principal, today):
    """For an organiser: this period's check-ins not yet in a statement."""
    start, end = period_of(today, principal.network.statement_period)
    rows = _open_checkins(principal.network, end).filter(organiser_id=principal.organiser_id)
    totals = rows.aggregate(count=Count("id"), reimbursement=Sum("reimbursement"))
    return {
        "start": start,
        "end": end,
        "count": totals["count"],
        "reimbursement": totals["reimbursement"] or Decimal("0.00"),
    }


def outstanding(principal):
    """For an organiser: what is really still to be paid back — accepted check-ins in no
    statement yet, and those on statements not yet paid (draft, reviewed or approved)."""

    rows = CheckIn.objects.filter(
        network=principal.network,
        organiser_id=principal.organiser_id,
        state=CheckInState.ACCEPTED,
    ).filter(Q(statement__isnull=True) | ~Q(statement__state=StatementState.PAID))
    totals = rows.aggregate(
        count=Count("id"),
        total=Sum("reimbursement"),
        unstated=Sum("reimbursement", filter=Q(statement__isnull=True)),
        unstated_count=Count("id", filter=Q(statement__isnull=True)),
    )
    zero = Decimal("0.00")
    return {
        "count": totals["count"],
        "total": totals["total"] or zero,
        "not_on_statement": totals["unstated"] or zero,
        "not_on_statement_count": totals["unstated_count"],
        "on_statements": (totals["total"] or zero) - (totals["unstated"] or zero),
    }


def approved_unpaid(network):
    return (
        Statement.objects.filter(network=network, state=StatementState.APPROVED, batch__isnull=True)
        .select_related("organiser")
        .order_by("organiser__name")
    )


def batches(network):
    return PaymentBatch.objects.filter(network=network).annotate(n=Count("statements"))


def batch_get(network, pk):
    return PaymentBatch.objects.filter(network=network, pk=pk).first()
