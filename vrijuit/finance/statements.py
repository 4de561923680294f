"""Reimbursement statements: what the municipality pays each organiser for a period.

Drafted once a period (month or quarter) is over, from the accepted check-ins that are in
no statement yet (a late scan of an approved period lands in the first period after it that
is still open); the coordinator reviews; a finance officer who neither
prepared nor reviewed it approves (four eyes); approval locks its check-ins (they can no
longer be cancelled); a payment batch pays approved statements; marking the batch paid
marks them paid. Every step is atomic and audited.
"""

import calendar
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import CheckIn
from vrijuit.core.exceptions import PermissionDenied, VrijuitError
from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm

from .constants import ErrorCode, StatementPeriod, StatementState
from .models import Statement

ZERO = 0


class StatementRefused(VrijuitError):
    code = ErrorCode.STATEMENT_REFUSED


def period_of(day, period=StatementPeriod.MONTH):
    """The first and last day of the month (or quarter) that holds ``day``."""
    if period == StatementPeriod.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        last_month = first_month + 2
    else:
        first_month = last_month = day.month
    last_day = calendar.monthrange(day.year, last_month)[1]
    return date(day.year, first_month, 1), date(day.year, last_month, last_day)


def previous_period(day, period=StatementPeriod.MONTH):
    start, _end = period_of(day, period)
    return period_of(start - timedelta(days=1), period)


def _end_of(day):
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _open_checkins(network, until):

    return CheckIn.objects.filter(
        network=network,
        state=CheckInState.ACCEPTED,
        statement__isnull=True,
        scanned_at__lt=_end_of(until),
    )


def statement_refresh(statement):
    """Count and total from the statement's accepted check-ins."""

    totals = statement.checkins.filter(state=CheckInState.ACCEPTED).aggregate(
        n=Count("id"), total=Sum("reimbursement")
    )
    statement.checkin_count = totals["n"]
    statement.total = totals["total"] or ZERO
    statement.save(update_fields=["checkin_count", "total", "updated_at"])
    return statement


def statement_leave(checkin):
    """A cancelled check-in leaves its (not yet approved) statement."""
    statement = checkin.statement
    checkin.statement = None
    checkin.save(update_fields=["statement"])
    statement_refresh(statement)


def next_period(day, period=StatementPeriod.MONTH):
    _start, end = period_of(day, period)
    return period_of(end + timedelta(days=1), period)


def _first_open_period(day, period, locked_starts):
    """The period of ``day``, or the first one after it whose statement is not approved or
    paid yet: a late check-in never lands in a locked statement, nor far from its own."""
    start, end = period_of(day, period)
    while start in locked_starts:
        start, end = next_period(start, period)
    return start, end


def _refuse_running(period_start, period_end, today):
    if period_end >= today:
        raise StatementRefused(
            _(
                "The period %(start)s – %(end)s has not ended yet. Statements are drafted "
                "once a period is over: from %(day)s."
            )
            % {
                "start": period_start.strftime("%d/%m/%Y"),
                "end": period_end.strftime("%d/%m/%Y"),
                "day": (period_end + timedelta(days=1)).strftime("%d/%m/%Y"),
            },
            errors={"month": [_("Choose a period that has ended.")]},
        )


def statements_draft(*, principal, period_start, period_end, today=None):
    """Draft (or bring up to date) the statements of every organiser with check-ins to pay
    back up to ``period_end``, a period that has ended. Each check-in goes into the statement
    of its own period or, when that one is approved already, of the first period after it
    that is still open. Returns the statements touched."""
    require(principal, Perm.STATEMENT_PREPARE)
    _refuse_running(period_start, period_end, today or timezone.localdate())
    network = principal.network
    period = network.statement_period
    touched = []
    with transaction.atomic():
        locked = {}
        for organiser_id, start in Statement.objects.filter(
            network=network, state__in=[StatementState.APPROVED, StatementState.PAID]
        ).values_list("organiser_id", "period_start"):
            locked.setdefault(organiser_id, set()).add(start)
        groups = {}
        for pk, organiser_id, scanned_at in _open_checkins(network, period_end).values_list(
            "pk", "organiser_id", "scanned_at"
        ):
            day = timezone.localdate(scanned_at)
            start, end = _first_open_period(day, period, locked.get(organiser_id, set()))
            if end > period_end:
                continue  # its first open period is not over yet: it waits
            groups.setdefault((organiser_id, start, end), []).append(pk)
        for (organiser_id, start, end), checkin_ids in sorted(groups.items()):
            statement, _created = Statement.objects.select_for_update().get_or_create(
                network=network,
                organiser_id=organiser_id,
                period_start=start,
                defaults={"period_end": end, "prepared_by": principal.user},
            )
            if statement.is_locked:
                continue  # approved meanwhile: these wait for the next drafting
            if statement.state == StatementState.REVIEWED:
                # new check-ins after review: the coordinator looks again
                statement.state = StatementState.DRAFT
                statement.reviewed_by = None
                statement.reviewed_at = None
                statement.save(update_fields=["state", "reviewed_by", "reviewed_at"])
            _open_checkins(network, period_end).filter(pk__in=checkin_ids).update(
                statement=statement
            )
            statement_refresh(statement)
            touched.append(statement)
    return touched


def _move(statement, state, **fields):
    """Change the state (the audit log records it: Statement is registered)."""
    statement.state = state
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.save()
    return statement


def _locked_for_update(statement):
    statements = Statement.objects.for_network(statement.network_id)
    return statements.select_for_update().get(pk=statement.pk)


def statement_review(*, principal, statement):
    """The coordinator has checked the statement."""
    require(principal, Perm.STATEMENT_PREPARE, statement)
    with transaction.atomic():
        statement = _locked_for_update(statement)
        if statement.state != StatementState.DRAFT:
            raise StatementRefused(_("Only a draft statement can be marked as reviewed."))
        if statement.checkin_count == 0:
            raise StatementRefused(_("This statement has no check-ins to pay back."))
        return _move(
            statement,
            StatementState.REVIEWED,
            reviewed_by=principal.user,
            reviewed_at=timezone.now(),
        )


def statement_approve(*, principal, statement):
    """A finance officer approves; never the person who prepared or reviewed it."""
    require(principal, Perm.STATEMENT_APPROVE, statement)
    with transaction.atomic():
        statement = _locked_for_update(statement)
        if statement.state != StatementState.REVIEWED:
            raise StatementRefused(_("Only a reviewed statement can be approved."))
        user = principal.user
        if user is None or user.pk in (statement.prepared_by_id, statement.reviewed_by_id):
            raise PermissionDenied(
                _(
                    "Four eyes: the person who prepared or reviewed a statement may not approve "
                    "it. Ask another finance officer."
                )
            )
        statement_refresh(statement)
        return _move(
            statement, StatementState.APPROVED, approved_by=user, approved_at=timezone.now()
        )


def statement_reopen(*, principal, statement):
    """Back to draft before approval (a mistake was found)."""
    require(principal, Perm.STATEMENT_PREPARE, statement)
    with transaction.atomic():
        statement = _locked_for_update(statement)
        if statement.is_locked:
            raise StatementRefused(_("An approved statement cannot be reopened."))
        return _move(statement, StatementState.DRAFT, reviewed_by=None, reviewed_at=None)


def batch_create(*, principal, statements, execution_date):
    """One payment batch for approved, unpaid statements (each organiser needs an IBAN)."""
    from .models import PaymentBatch

    require(principal, Perm.STATEMENT_APPROVE)
    network = principal.network
    with transaction.atomic():
        ids = [s.pk for s in statements]
        locked = list(
            Statement.objects.select_for_update()
            .select_related("organiser")
            .filter(network=network, pk__in=ids)
            .order_by("organiser__name")
        )
        if not locked or len(locked) != len(set(ids)):
            raise StatementRefused(_("Choose approved statements of this network."))
        for statement in locked:
            if statement.state != StatementState.APPROVED or statement.batch_id is not None:
                raise StatementRefused(
                    _("%(organiser)s: only approved statements not yet in a batch can be paid.")
                    % {"organiser": statement.organiser.name}
                )
            if not statement.organiser.iban:
                raise StatementRefused(
                    _("%(organiser)s has no IBAN. Add it on the organisers page first.")
                    % {"organiser": statement.organiser.name}
                )
        total = sum((s.total for s in locked), start=Decimal("0.00"))
        now = timezone.now()
        batch = PaymentBatch.objects.create(
            network=network,
            reference=f"VRIJUIT-{timezone.localtime(now):%Y%m%d-%H%M%S}",
            execution_date=execution_date,
            total=total,
            created_by=principal.user,
        )
        Statement.objects.filter(pk__in=[s.pk for s in locked]).update(batch=batch)
    return batch


def batch_mark_paid(*, principal, batch):
    """The bank executed the transfers: the batch and its statements are paid."""
    from .models import PaymentBatch

    require(principal, Perm.STATEMENT_APPROVE, batch)
    with transaction.atomic():
        batches = PaymentBatch.objects.for_network(batch.network_id)
        batch = batches.select_for_update().get(pk=batch.pk)
        if batch.paid_at is not None:
            return batch
        now = timezone.now()
        batch.paid_at = now
        batch.save(update_fields=["paid_at"])
        for statement in batch.statements.select_for_update():
            _move(statement, StatementState.PAID, paid_at=now)
    return batch
