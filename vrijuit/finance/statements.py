"""Reimbursement statements: what the municipality pays each organiser for a period.

Drafted from the accepted check-ins that are in no statement yet (late offline scans of an
earlier period land in the next one); the coordinator reviews; a finance officer who neither
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

from vrijuit.core.exceptions import PermissionDenied, VrijuitError
from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm

from .constants import StatementPeriod, StatementState
from .models import Statement

ZERO = 0


class StatementRefused(VrijuitError):
    code = "statement_refused"


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
    from vrijuit.checkins.constants import CheckInState
    from vrijuit.checkins.models import CheckIn

    return CheckIn.objects.filter(
        network=network,
        state=CheckInState.ACCEPTED,
        statement__isnull=True,
        scanned_at__lt=_end_of(until),
    )


def statement_refresh(statement):
    """Count and total from the statement's accepted check-ins."""
    from vrijuit.checkins.constants import CheckInState

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


def statements_draft(*, principal, period_start, period_end):
    """Draft (or bring up to date) the statement of every organiser with check-ins to pay
    back up to ``period_end``. Returns the statements touched."""
    require(principal, Perm.STATEMENT_PREPARE)
    network = principal.network
    touched = []
    with transaction.atomic():
        organiser_ids = sorted(
            set(_open_checkins(network, period_end).values_list("organiser_id", flat=True))
        )
        for organiser_id in organiser_ids:
            statement, _created = Statement.objects.select_for_update().get_or_create(
                network=network,
                organiser_id=organiser_id,
                period_start=period_start,
                defaults={"period_end": period_end, "prepared_by": principal.user},
            )
            if statement.is_locked:
                continue  # late check-ins wait for the next period
            if statement.state == StatementState.REVIEWED:
                # new check-ins after review: the coordinator looks again
                statement.state = StatementState.DRAFT
                statement.reviewed_by = None
                statement.reviewed_at = None
                statement.save(update_fields=["state", "reviewed_by", "reviewed_at"])
            _open_checkins(network, period_end).filter(organiser_id=organiser_id).update(
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
    return Statement.objects.select_for_update().get(pk=statement.pk)


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
        batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.paid_at is not None:
            return batch
        now = timezone.now()
        batch.paid_at = now
        batch.save(update_fields=["paid_at"])
        for statement in batch.statements.select_for_update():
            _move(statement, StatementState.PAID, paid_at=now)
    return batch
