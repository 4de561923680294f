"""Writing the budget of a year and manual expenses. Keyword-only, atomic, audited.

Budget sources and allocations are audited by the model signals (``apps.py``); ledger entries
are themselves the record of who booked what, and each booking also writes an audit event.
The discount-reimbursement amount stays with ``checkins.services.budget_set``, the one writer
of the amount that check-in rule 8 reads.
"""

from datetime import datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vrijuit.checkins.services import budget_set
from vrijuit.core import audit, dates
from vrijuit.core.exceptions import NotFound, VrijuitError
from vrijuit.core.models import AuditAction
from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm

from . import ledger
from .constants import EntryKind, ErrorCode, Purpose
from .models import Allocation, BudgetSource, LedgerEntry

FIRST_BUDGET_YEAR = 2000  # no network kept its books here before; ``core.dates`` allows 1900


def _check_year(year):
    try:
        dates.check_year(year, first=FIRST_BUDGET_YEAR)
    except (ValueError, TypeError, ValidationError) as error:
        raise VrijuitError(
            _("Choose a year between 2000 and 2100."), code=ErrorCode.INVALID_YEAR
        ) from error


def source_save(*, principal, year, kind, amount, label="", source_id=None):
    """Add a source of money for a year (drawing right, municipal co-financing, other) or
    change one (``source_id``)."""
    require(principal, Perm.BUDGET_MANAGE)
    _check_year(year)
    if amount is None or amount < 0:
        raise VrijuitError(_("An amount of income is zero or more."), code=ErrorCode.INVALID_AMOUNT)
    with transaction.atomic():
        if source_id is None:
            source = BudgetSource(network=principal.network)
        else:
            source = (
                BudgetSource.objects.select_for_update()
                .filter(network=principal.network, pk=source_id)
                .first()
            )
            if source is None:
                raise NotFound()
        source.year = year
        source.kind = kind
        source.label = (label or "")[:200]
        source.amount = amount
        source.save()
    return source


def source_delete(*, principal, source_id):
    require(principal, Perm.BUDGET_MANAGE)
    with transaction.atomic():
        source = BudgetSource.objects.filter(network=principal.network, pk=source_id).first()
        if source is None:
            raise NotFound()
        source.delete()


def allocation_set(*, principal, year, purpose, amount):
    """Set (or clear, with ``None``) what a year's money is meant for. The discount purpose is
    the check-in budget, set through ``checkins.services.budget_set``."""
    require(principal, Perm.BUDGET_MANAGE)
    _check_year(year)
    if amount is not None and amount < 0:
        raise VrijuitError(_("An allocation is zero or more."), code=ErrorCode.INVALID_AMOUNT)
    if purpose == Purpose.DISCOUNT:
        return budget_set(principal=principal, year=year, amount=amount)
    if purpose not in Purpose.values:
        raise VrijuitError(_("Choose a purpose from the list."), code=ErrorCode.INVALID_PURPOSE)
    with transaction.atomic():
        allocation = (
            Allocation.objects.select_for_update()
            .filter(network=principal.network, year=year, purpose=purpose)
            .first()
        )
        if amount is None:
            if allocation is not None:
                allocation.delete()
            return None
        if allocation is None:
            allocation = Allocation(network=principal.network, year=year, purpose=purpose)
        allocation.amount = amount
        allocation.save()
    return allocation


def _booked_at(day):
    """Today: now. Another day: noon of that day (so the entry falls in that day and year)."""
    now = timezone.now()
    if day is None or day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def expense_book(*, principal, purpose, amount, description, day=None):
    """A manual expense (a bus for a trip, a training, printing); a negative amount is a refund.
    Discount reimbursements come from check-ins only."""
    require(principal, Perm.EXPENSE_BOOK)
    if purpose not in Purpose.values or purpose == Purpose.DISCOUNT:
        raise VrijuitError(
            _("Discount reimbursements are booked by check-ins. Choose another purpose."),
            code=ErrorCode.PURPOSE_NOT_ALLOWED,
        )
    if not amount:
        raise VrijuitError(
            _("An expense of € 0,00 changes nothing."), code=ErrorCode.INVALID_AMOUNT
        )
    if day is not None and not dates.in_range(day):
        raise VrijuitError(
            dates.OUT_OF_RANGE, code=ErrorCode.INVALID_DATE, errors={"day": [dates.OUT_OF_RANGE]}
        )
    if day is not None and day > timezone.localdate():
        raise VrijuitError(
            _("An expense is booked on the day it was made, not in the future."),
            code=ErrorCode.INVALID_DATE,
        )
    if not (description or "").strip():
        raise VrijuitError(_("Say what the expense was for."), code=ErrorCode.DESCRIPTION_REQUIRED)
    with transaction.atomic():
        entry = ledger.book_expense(
            network=principal.network,
            purpose=purpose,
            amount=amount,
            description=description.strip(),
            actor_label=principal.label,
            booked_at=_booked_at(day),
            year=day.year if day else None,
        )
        audit.record(
            action=AuditAction.CREATE,
            obj=entry,
            network=principal.network,
            changes={"purpose": [None, purpose], "amount": [None, str(amount)]},
        )
    return entry


def expense_balance(entry):
    """What an expense amounts to now: its own amount plus every correction of it."""
    corrections = entry.corrections.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return entry.amount + corrections


def expense_correct(*, principal, entry_id, correct_amount, description):
    """Correct an expense: a new entry for the difference between what the expense amounts to
    now and ``correct_amount``. The expense itself is never changed."""
    require(principal, Perm.EXPENSE_BOOK)
    if not (description or "").strip():
        raise VrijuitError(
            _("Say why the expense is corrected."), code=ErrorCode.DESCRIPTION_REQUIRED
        )
    with transaction.atomic():
        entry = (
            LedgerEntry.objects.select_for_update()
            .filter(network=principal.network, pk=entry_id, kind=EntryKind.EXPENSE)
            .first()
        )
        if entry is None:
            raise NotFound()
        difference = correct_amount - expense_balance(entry)
        if not difference:
            raise VrijuitError(
                _("This is already the amount of the expense: nothing to correct."),
                code=ErrorCode.NOTHING_TO_CORRECT,
            )
        correction = ledger.book_correction(
            entry=entry,
            amount=difference,
            description=description.strip(),
            actor_label=principal.label,
        )
        audit.record(
            action=AuditAction.CREATE,
            obj=correction,
            network=principal.network,
            changes={"corrects": [None, entry.pk], "amount": [None, str(difference)]},
        )
    return correction
