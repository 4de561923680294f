"""Each SQL statement of the scan at the door (vrijuit.checkins.queries) against the real
database the tests run on (SQLite, and PostgreSQL with ``DATABASE_URL``): it finds what the
rules need, only in the caller's network, and reads values exactly as the ORM would."""

import ast
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vrijuit.checkins import queries, services
from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import CheckIn, IdempotencyRecord
from vrijuit.passes.constants import PassState

from .conftest import person
from .helpers import check_in, open_date, principal_for

pytestmark = pytest.mark.django_db

APP = Path(queries.__file__).resolve().parent


# --- the idempotency key --------------------------------------------------------------------


def test_idempotency_get_finds_the_first_answer_of_this_owner_in_this_network(door):
    key = uuid.uuid4()
    assert queries.idempotency_get(door.network, "token:1", key) is None
    outcome = check_in(principal_for(door.token), door.pass_.number, door.occurrence, key=key)
    record = IdempotencyRecord.objects.get(key=key)
    found = queries.idempotency_get(door.network, record.owner, key)
    assert found == (record.fingerprint, outcome.checkin.pk, "")
    assert queries.idempotency_get(door.network, "token:other", key) is None
    assert queries.idempotency_get(door.world.networks["other"], record.owner, key) is None


def test_idempotency_get_gives_the_code_of_a_refusal(door):
    key = uuid.uuid4()
    check_in(principal_for(door.token), "12", door.occurrence, key=key)
    owner = IdempotencyRecord.objects.get(key=key).owner
    _fingerprint, checkin_id, code = queries.idempotency_get(door.network, owner, key)
    assert (checkin_id, code) == (None, "invalid_pass_number")


# --- the date -------------------------------------------------------------------------------


def test_occurrence_get_reads_the_date_and_its_activity(door):
    found = queries.occurrence_get(door.network, door.occurrence.pk)
    assert (found.pk, found.start, found.end, found.cancelled_at) == (
        door.occurrence.pk,
        door.occurrence.start,
        door.occurrence.end,
        None,
    )
    activity = found.activity
    assert (activity.pk, activity.organiser_id, activity.title) == (
        door.activity.pk,
        door.organiser.pk,
        "Zwemmen",
    )
    assert activity.regular_price == Decimal("12.00")
    assert activity.fixed_reduced_price is None


def test_occurrence_get_sees_only_the_callers_network(door):
    assert queries.occurrence_get(door.world.networks["other"], door.occurrence.pk) is None
    assert queries.occurrence_get(door.network, uuid.uuid4()) is None
    assert queries.occurrence_get(door.network, None) is None


# --- the pass -------------------------------------------------------------------------------


def test_pass_get_reads_the_pass_with_the_first_name_only(door):
    found = queries.pass_get(door.network, door.pass_.number)
    assert (found.pk, found.state, found.participant_id) == (
        door.pass_.pk,
        PassState.ACTIVE,
        door.participant.pk,
    )
    assert found.participant.first_name == "Amira"
    assert "last_name" in found.participant.get_deferred_fields()


def test_pass_get_sees_only_the_callers_network(door):
    assert queries.pass_get(door.world.networks["other"], door.pass_.number) is None
    assert queries.pass_get(door.network, "00000000") is None


def test_pass_get_locks_the_pass_where_the_database_can(door):
    with transaction.atomic(), CaptureQueriesContext(connection) as seen:
        assert queries.pass_get(door.network, door.pass_.number, lock=True) is not None
        queries.pass_get(door.network, door.pass_.number)
    locked, plain = (q["sql"] for q in seen.captured_queries[-2:])
    assert locked.endswith("FOR UPDATE") == connection.features.has_select_for_update
    assert "FOR UPDATE" not in plain


# --- the statuses ---------------------------------------------------------------------------


def test_statuses_get_gives_the_latest_end_first(door):
    from vrijuit.participants.tests.factories import StatusFactory

    today = timezone.localdate()
    StatusFactory(participant=door.participant, today=today, expired=True)
    StatusFactory(participant=door.participant, today=today - timedelta(days=800))
    found = queries.statuses_get(door.participant)
    ends = [status.valid_until for status in found]
    assert len(ends) == 3
    assert ends == sorted(ends, reverse=True)
    assert {status.participant_id for status in found} == {door.participant.pk}


# --- rules 6 and 7 --------------------------------------------------------------------------


def test_checkins_tally_counts_accepted_checkins_and_sums_the_discount(door):
    organiser = principal_for(door.token)
    year = timezone.localdate().year
    nothing = queries.checkins_tally(door.participant, door.occurrence, door.activity, year)
    assert nothing == (0, 0, 0)
    first = check_in(organiser, door.pass_.number, door.occurrence).checkin
    cheap = open_date(door.network, door.organiser, price="7.30")
    second = check_in(organiser, door.pass_.number, cheap).checkin
    here, at_activity, discount = queries.checkins_tally(
        door.participant, door.occurrence, door.activity, year
    )
    assert (here, at_activity) == (1, 1)
    assert discount == first.discount + second.discount
    assert isinstance(discount, Decimal)
    assert queries.checkins_tally(door.participant, door.occurrence, door.activity, year + 1)[
        1:
    ] == (0, 0)


def test_checkins_tally_leaves_out_cancelled_checkins_and_other_people(door):
    organiser = principal_for(door.token)
    year = timezone.localdate().year
    first = check_in(organiser, door.pass_.number, door.occurrence).checkin
    _other, other_pass = person(door.network)
    check_in(organiser, other_pass.number, door.occurrence)
    services.checkin_cancel(principal=organiser, checkin_id=first.pk)
    assert CheckIn.objects.get(pk=first.pk).state == CheckInState.CANCELLED
    assert queries.checkins_tally(door.participant, door.occurrence, door.activity, year) == (
        0,
        0,
        0,
    )


# --- the rows -------------------------------------------------------------------------------


def test_checkin_insert_stores_the_row_the_orm_reads_back(door):
    outcome = check_in(principal_for(door.token), door.pass_.number, door.occurrence)
    stored = CheckIn.objects.get(pk=outcome.checkin.pk)
    for name in ("regular_price", "paid", "discount", "reimbursement", "organiser_cost"):
        assert getattr(stored, name) == getattr(outcome.checkin, name)
    assert stored.scanned_at == outcome.checkin.scanned_at
    assert (stored.participant_id, stored.organiser_id) == (door.participant.pk, door.organiser.pk)


# --- one home -------------------------------------------------------------------------------


def _names(path):
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    return imported


def test_the_services_of_the_scan_write_no_sql():
    """The story in services.py, the statements in queries.py: services neither opens a
    cursor nor builds SQL."""
    imported = _names(APP / "services.py")
    assert "django.db.connection" not in imported
    assert "vrijuit.core.fastsql" not in imported
    assert "vrijuit.core.fastsql" in _names(APP / "queries.py")


def test_only_the_drawdown_changes_what_the_budget_has_spent():
    """Draw and release in one place (vrijuit.finance.drawdown): no other module of the
    application updates ``spent`` (tests and migrations aside)."""
    root = APP.parent
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        if 'F("spent")' in text or ".update(spent" in text or "SET {spent}" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == ["finance/drawdown.py"]
