"""Ledger and reimbursement statements: totals, four eyes, locking (issue: budget and
organiser reimbursements)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone

from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import CheckIn
from vrijuit.checkins.services import checkin_cancel, checkin_create
from vrijuit.checkins.tests.conftest import person
from vrijuit.core.exceptions import PermissionDenied, VrijuitError
from vrijuit.core.permissions import Principal
from vrijuit.core.roles import Role
from vrijuit.finance import ledger
from vrijuit.finance.constants import EntryKind, Purpose, StatementState
from vrijuit.finance.models import LedgerEntry, Statement
from vrijuit.finance.statements import (
    StatementRefused,
    batch_create,
    batch_mark_paid,
    next_period,
    period_of,
    statement_approve,
    statement_review,
    statements_draft,
)

pytestmark = pytest.mark.django_db


def principal(door, role, key="own"):
    return Principal(
        network=door.network,
        role=role,
        organiser_id=door.organiser.pk if role == Role.ORGANISER else None,
        user=door.world.users[key, role],
    )


def scan(door, pass_=None, occurrence=None):
    outcome = checkin_create(
        principal=principal(door, Role.ORGANISER),
        pass_number=(pass_ or door.pass_).number,
        occurrence_id=(occurrence or door.occurrence).pk,
        idempotency_key=uuid.uuid4(),
    )
    assert outcome.checkin is not None, outcome.code
    return outcome.checkin


def month(door):
    return period_of(timezone.localdate())


# --- ledger -------------------------------------------------------------------------------


def test_every_checkin_and_cancellation_is_a_ledger_entry(door):
    checkin = scan(door)
    entry = LedgerEntry.objects.get(checkin=checkin)
    assert (entry.kind, entry.purpose, entry.amount) == (
        EntryKind.CHECKIN,
        Purpose.DISCOUNT,
        Decimal("4.80"),
    )
    checkin_cancel(principal=principal(door, Role.ORGANISER), checkin_id=checkin.pk)
    entries = LedgerEntry.objects.filter(checkin=checkin).order_by("id")
    assert [e.amount for e in entries] == [Decimal("4.80"), Decimal("-4.80")]
    assert entries[1].kind == EntryKind.CHECKIN_CANCEL


def test_ledger_entries_are_never_changed_or_deleted(door):
    entry = LedgerEntry.objects.get(checkin=scan(door))
    entry.amount = Decimal("1.00")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("4.80")


def test_an_expense_is_corrected_by_a_new_entry(door):
    bus = ledger.book_expense(
        network=door.network,
        purpose=Purpose.TRIPS,
        amount=Decimal("450.00"),
        description="Bus naar zee",
        actor_label="coordinator",
    )
    ledger.book_correction(
        entry=bus, amount=Decimal("-30.00"), description="Korting bus", actor_label="c"
    )
    total = sum(e.amount for e in LedgerEntry.objects.filter(purpose=Purpose.TRIPS))
    assert total == Decimal("420.00")


def test_discount_is_booked_by_checkins_only(door):
    with pytest.raises(VrijuitError):
        ledger.book_expense(
            network=door.network,
            purpose=Purpose.DISCOUNT,
            amount=Decimal("5.00"),
            description="",
            actor_label="",
        )


# --- statements ---------------------------------------------------------------------------


def test_statement_total_equals_the_sum_of_its_checkins(door):
    checkins = [scan(door)]
    for _ in range(3):
        _, pass_ = person(door.network)
        checkins.append(scan(door, pass_))
    checkin_cancel(principal=principal(door, Role.ORGANISER), checkin_id=checkins[-1].pk)
    start, end = month(door)
    (statement,) = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    accepted = CheckIn.objects.filter(statement=statement, state=CheckInState.ACCEPTED)
    assert statement.checkin_count == 3 == accepted.count()
    assert statement.total == Decimal("14.40") == sum(c.reimbursement for c in accepted)
    assert statement.organiser == door.organiser


def test_statements_are_per_organiser(door):
    scan(door)
    other = ActivityFactory(network=door.network, organiser__network=door.network)
    date = OccurrenceFactory(activity=other, start=door.occurrence.start, end=door.occurrence.end)
    _, pass_ = person(door.network)
    checkin_create(
        principal=principal(door, Role.DESK), pass_number=pass_.number, occurrence_id=date.pk
    )
    start, end = month(door)
    statements = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    assert {s.organiser_id for s in statements} == {door.organiser.pk, other.organiser_id}


def test_drafting_twice_adds_new_checkins_and_never_counts_one_twice(door):
    coordinator = principal(door, Role.COORDINATOR)
    start, end = month(door)
    scan(door)
    statements_draft(
        principal=coordinator, period_start=start, period_end=end, today=end + timedelta(days=1)
    )
    _, pass_ = person(door.network)
    scan(door, pass_)
    (statement,) = statements_draft(
        principal=coordinator, period_start=start, period_end=end, today=end + timedelta(days=1)
    )
    assert statement.checkin_count == 2
    assert statement.total == Decimal("9.60")


def _reviewed(door):
    scan(door)
    start, end = month(door)
    (statement,) = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    return statement_review(principal=principal(door, Role.COORDINATOR), statement=statement)


def test_four_eyes_the_reviewer_may_not_approve(door):
    statement = _reviewed(door)
    with pytest.raises(PermissionDenied):
        statement_approve(principal=principal(door, Role.COORDINATOR), statement=statement)
    statement.refresh_from_db()
    assert statement.state == StatementState.REVIEWED
    approved = statement_approve(principal=principal(door, Role.FINANCE), statement=statement)
    assert approved.state == StatementState.APPROVED
    assert approved.approved_by == door.world.users["own", Role.FINANCE]


def test_organisers_and_desk_may_not_approve(door):
    statement = _reviewed(door)
    for role in (Role.ORGANISER, Role.DESK, Role.SOCIAL_WORKER):
        with pytest.raises(PermissionDenied):
            statement_approve(principal=principal(door, role), statement=statement)


def test_a_draft_cannot_be_approved(door):
    scan(door)
    start, end = month(door)
    (statement,) = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    with pytest.raises(VrijuitError):
        statement_approve(principal=principal(door, Role.FINANCE), statement=statement)


def test_approved_checkins_cannot_be_cancelled_not_even_by_the_coordinator(door):
    statement = _reviewed(door)
    statement_approve(principal=principal(door, Role.FINANCE), statement=statement)
    checkin = statement.checkins.get()
    for role in (Role.ORGANISER, Role.COORDINATOR):
        with pytest.raises(VrijuitError) as refused:
            checkin_cancel(principal=principal(door, role), checkin_id=checkin.pk)
        assert refused.value.code == "checkin_locked"
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.ACCEPTED


def test_cancelling_a_checkin_of_a_draft_statement_updates_its_total(door):
    checkin = scan(door)
    _, pass_ = person(door.network)
    scan(door, pass_)
    start, end = month(door)
    (statement,) = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    checkin_cancel(principal=principal(door, Role.ORGANISER), checkin_id=checkin.pk)
    statement.refresh_from_db()
    assert (statement.checkin_count, statement.total) == (1, Decimal("4.80"))


def test_a_late_offline_scan_of_an_approved_period_goes_into_the_next_statement(door):
    statement = _reviewed(door)
    statement_approve(principal=principal(door, Role.FINANCE), statement=statement)
    _, pass_ = person(door.network)
    late = scan(door, pass_)
    start, end = month(door)
    coordinator = principal(door, Role.COORDINATOR)
    after = end + timedelta(days=1)
    assert (
        statements_draft(principal=coordinator, period_start=start, period_end=end, today=after)
        == []
    )
    next_start, next_end = next_period(start)
    (following,) = statements_draft(
        principal=coordinator,
        period_start=next_start,
        period_end=next_end,
        today=next_end + timedelta(days=1),
    )
    late.refresh_from_db()
    assert late.statement == following
    assert following.period_start == next_start


def test_a_late_checkin_goes_into_the_first_open_period_not_the_one_drafted(door):
    # given: December (this month) approved, then a late December scan arrives
    statement = _reviewed(door)
    statement_approve(principal=principal(door, Role.FINANCE), statement=statement)
    _, pass_ = person(door.network)
    late = scan(door, pass_)
    december, _end = month(door)
    january = next_period(december)
    march = next_period(next_period(january[0])[0])
    # when: the statements of March are drafted (January and February were never drafted)
    (landed,) = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=march[0],
        period_end=march[1],
        today=march[1] + timedelta(days=1),
    )
    # then: the late check-in is on January's statement, the first open period after its own
    late.refresh_from_db()
    assert late.statement == landed
    assert (landed.period_start, landed.period_end) == january
    assert (landed.checkin_count, landed.total) == (1, Decimal("4.80"))


@pytest.mark.parametrize("offset", [0, 1, 40], ids=["running", "next", "later"])
def test_the_running_period_and_future_ones_cannot_be_drafted(door, offset):
    scan(door)
    start, end = period_of(timezone.localdate() + timedelta(days=31 * offset))

    with pytest.raises(StatementRefused) as refused:
        statements_draft(
            principal=principal(door, Role.COORDINATOR), period_start=start, period_end=end
        )

    assert "nog niet voorbij" in str(refused.value.message)  # "has not ended yet"
    assert not Statement.objects.exists()
    assert CheckIn.objects.get().statement is None


def test_a_quarter_can_be_drafted_once_it_is_over(door):
    door.network.statement_period = "quarter"
    door.network.save()
    scan(door)
    start, end = period_of(timezone.localdate(), "quarter")
    coordinator = principal(door, Role.COORDINATOR)

    with pytest.raises(StatementRefused):
        statements_draft(principal=coordinator, period_start=start, period_end=end)
    (statement,) = statements_draft(
        principal=coordinator, period_start=start, period_end=end, today=end + timedelta(days=1)
    )

    assert (statement.period_start, statement.period_end) == (start, end)


def test_a_batch_pays_approved_statements_and_marks_them_paid(door):
    door.organiser.iban = "BE62510007547061"
    door.organiser.save()
    statement = _reviewed(door)
    finance = principal(door, Role.FINANCE)
    statement_approve(principal=finance, statement=statement)
    batch = batch_create(
        principal=finance, statements=[statement], execution_date=timezone.localdate()
    )
    assert batch.total == Decimal("4.80")
    with pytest.raises(VrijuitError):  # not twice
        batch_create(principal=finance, statements=[statement], execution_date=timezone.localdate())
    batch_mark_paid(principal=finance, batch=batch)
    statement.refresh_from_db()
    assert statement.state == StatementState.PAID
    assert statement.paid_at is not None


def test_a_batch_refuses_an_organiser_without_iban(door):
    door.organiser.iban = ""
    door.organiser.save()
    statement = _reviewed(door)
    finance = principal(door, Role.FINANCE)
    statement_approve(principal=finance, statement=statement)
    with pytest.raises(VrijuitError) as refused:
        batch_create(principal=finance, statements=[statement], execution_date=timezone.localdate())
    assert "IBAN" in refused.value.message


def test_a_network_paid_per_quarter_gets_quarterly_statements(door):
    from datetime import date

    assert period_of(date(2026, 11, 27), "quarter") == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_of(date(2026, 2, 10), "quarter") == (date(2026, 1, 1), date(2026, 3, 31))
    assert period_of(date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
