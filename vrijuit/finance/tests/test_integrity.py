"""check_integrity also verifies the ledger against the check-ins, and statement totals."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from vrijuit.checkins.tests.test_check_integrity import fails, run
from vrijuit.finance.constants import EntryKind, Purpose
from vrijuit.finance.models import LedgerEntry, Statement
from vrijuit.finance.statements import period_of, statements_draft

from .test_statements import principal

pytestmark = pytest.mark.django_db


def test_good_ledger_and_statements_agree(books):
    door = books.door
    start, end = period_of(timezone.localdate())
    statements_draft(
        principal=principal(door, "coordinator"),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    assert "checks agree" in run()


def test_a_checkin_without_its_ledger_entry(books):
    LedgerEntry.objects.filter(checkin=books.accepted).delete()  # queryset delete: raw
    message = fails()
    assert "without exactly one ledger entry" in message
    assert "the ledger books" in message


def test_a_ledger_entry_with_another_amount(books):
    LedgerEntry.objects.filter(checkin=books.accepted).update(amount=Decimal("1.00"))
    assert "do not match their check-in" in fails()


def test_a_cancellation_that_was_not_booked(books):
    LedgerEntry.objects.filter(checkin=books.cancelled, kind=EntryKind.CHECKIN_CANCEL).delete()
    assert "without exactly one cancellation entry" in fails()


def test_an_expense_does_not_disturb_the_discount_books(books):
    LedgerEntry.objects.create(
        network=books.door.network,
        year=timezone.localdate().year,
        booked_at=timezone.now(),
        kind=EntryKind.EXPENSE,
        purpose=Purpose.TRIPS,
        amount=Decimal("450.00"),
        description="bus",
    )
    assert "checks agree" in run()


def test_a_statement_whose_total_was_changed(books):
    door = books.door
    start, end = period_of(timezone.localdate())
    statements_draft(
        principal=principal(door, "coordinator"),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    Statement.objects.filter(organiser=door.organiser).update(total=Decimal("999.00"))
    assert "not the sum of their check-ins" in fails()
