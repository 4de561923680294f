"""Check-ins under simultaneous requests (docs/quality.md, "Reliability"; docs/rules.md,
"Concurrency"), on SQLite and on PostgreSQL alike.

Threads start together at a barrier, each with its own database connection, and go through
the service ``check_in`` or through the whole API stack (Django's test client: middleware,
bearer token, throttling, django-ninja). The data is committed (``transaction=True``) so that
every connection sees it; on SQLite the test database is a file (config/settings.py), so the
threads queue on its real write lock. A thread that raises — "database is locked", a deadlock,
an IntegrityError that escaped the retries — fails the test.
"""

import uuid
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest

from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from vrijuit.catalogue.pricing import price_for
from vrijuit.checkins import services
from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import Budget, CheckIn, IdempotencyRecord

from .conftest import person
from .helpers import Race, check_in, open_date, principal_for

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = timezone.localdate().year


def post_checkin(token, pass_number, occurrence, key):
    """One check-in through the API in this thread; (status, code or "accepted", body)."""
    response = Client().post(
        "/api/v1/checkins",
        {"pass_number": pass_number, "occurrence": str(occurrence.pk), "idempotency_key": key},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    return response.status_code, body.get("code") or "accepted", body


def service_checkin(principal, pass_number, occurrence, key=None):
    outcome = check_in(principal, pass_number, occurrence, key)
    return outcome.code or "accepted", outcome


def accepted_reimbursements(network):
    rows = CheckIn.objects.filter(network=network, year=YEAR, state=CheckInState.ACCEPTED)
    return rows.aggregate(total=Sum("reimbursement"))["total"] or Decimal("0.00")


def spent(network):
    return Budget.objects.get(network=network, year=YEAR).spent


def assert_books_agree():
    call_command("check_integrity", stdout=StringIO())


@pytest.mark.parametrize("through", ["service", "api"])
def test_64_simultaneous_checkins_of_one_pass_accept_exactly_one(door, through):
    principal = principal_for(door.token)

    def work(i):
        key = str(uuid.uuid4())
        if through == "service":
            return service_checkin(principal, door.pass_.number, door.occurrence, key)[0]
        status, code, _body = post_checkin(door.token, door.pass_.number, door.occurrence, key)
        assert status == (201 if code == "accepted" else 409), (status, code)
        return code

    race = Race(64, work)
    race.raise_errors()
    assert Counter(race.results) == {"accepted": 1, "already_checked_in": 63}
    assert CheckIn.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 64  # every refusal is kept for its retries
    assert spent(door.network) == Decimal("4.80")
    assert_books_agree()


def test_racing_checkins_never_exceed_a_nearly_spent_hard_budget(door):
    """36 people at three prices race for the last € 16.00 of a € 40.00 hard budget; half of
    them through the API, half through the service."""
    organiser = principal_for(door.token)
    Budget.objects.create(network=door.network, year=YEAR, amount=Decimal("40.00"))
    for _ in range(5):  # € 24.00 spent before the race
        assert service_checkin(organiser, person(door.network)[1].number, door.occurrence)[0] == (
            "accepted"
        )
    dates = [  # reimbursements € 4.80, € 2.98, € 0.75
        door.occurrence,
        open_date(door.network, door.organiser, "7.45"),
        open_date(door.network, door.organiser, "2.00"),
    ]
    racers = [(person(door.network)[1].number, dates[i % 3]) for i in range(36)]
    before = set(CheckIn.objects.values_list("pk", flat=True))

    def work(i):
        number, date = racers[i]
        if i % 2:
            return post_checkin(door.token, number, date, str(uuid.uuid4()))[1]
        return service_checkin(organiser, number, date)[0]

    race = Race(len(racers), work)
    race.raise_errors()
    assert set(race.results) <= {"accepted", "budget_exhausted"}, Counter(race.results)
    new = CheckIn.objects.exclude(pk__in=before)
    assert new.count() == race.results.count("accepted") > 0
    total = accepted_reimbursements(door.network)
    assert total <= Decimal("40.00")
    assert spent(door.network) == total
    # Exact, not only safe: whoever was refused did not fit in what was left at the end.
    left = Decimal("40.00") - total
    refused = [
        price_for(regular=date.activity.regular_price, settings=door.network).reimbursement
        for (_number, date), result in zip(racers, race.results, strict=True)
        if result != "accepted"
    ]
    assert all(reimbursement > left for reimbursement in refused), (left, refused)
    assert_books_agree()


def test_one_idempotency_key_sent_16_times_at_once_checks_in_once(door):
    key = str(uuid.uuid4())

    def work(i):
        status, code, body = post_checkin(door.token, door.pass_.number, door.occurrence, key)
        return status, code, body.get("id")

    race = Race(16, work)
    race.raise_errors()
    statuses = Counter(status for status, _code, _id in race.results)
    assert statuses == {201: 1, 200: 15}, statuses  # the first answer, then its replays
    assert len({checkin_id for _status, _code, checkin_id in race.results}) == 1
    assert CheckIn.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
    assert spent(door.network) == Decimal("4.80")
    assert_books_agree()


def test_one_idempotency_key_with_different_bodies_at_once_checks_in_at_most_once(door):
    """A broken client reuses one key for 16 different people at the same moment."""
    key = str(uuid.uuid4())
    numbers = [person(door.network)[1].number for _ in range(16)]

    def work(i):
        return post_checkin(door.token, numbers[i], door.occurrence, key)[:2]

    race = Race(16, work)
    race.raise_errors()
    results = Counter(race.results)
    assert results == {(201, "accepted"): 1, (409, "idempotency_conflict"): 15}, results
    assert CheckIn.objects.count() == 1
    assert spent(door.network) == Decimal("4.80")
    assert_books_agree()


def test_cancelling_while_checking_in_again_keeps_the_budget_exact(door):
    """12 people are checked in and the € 57.60 hard budget is spent. At once, each check-in
    is cancelled twice and the person is checked in again: a new check-in is accepted only
    after its cancellation released the money, and spent stays the sum of what is accepted."""
    organiser = principal_for(door.token)
    Budget.objects.create(network=door.network, year=YEAR, amount=Decimal("57.60"))
    numbers = [person(door.network)[1].number for _ in range(12)]
    first = [service_checkin(organiser, number, door.occurrence)[1].checkin for number in numbers]
    assert spent(door.network) == Decimal("57.60")

    def work(i):
        n, task = divmod(i, 3)
        if task == 2:
            return "again", service_checkin(organiser, numbers[n], door.occurrence)[0]
        cancelled = services.checkin_cancel(principal=organiser, checkin_id=first[n].pk)
        return "cancel", cancelled.state

    race = Race(3 * len(numbers), work)
    race.raise_errors()
    cancels = [state for kind, state in race.results if kind == "cancel"]
    assert cancels == [CheckInState.CANCELLED] * 24  # cancelling twice is harmless
    again = Counter(code for kind, code in race.results if kind == "again")
    assert set(again) <= {"accepted", "already_checked_in"}, again
    assert set(
        CheckIn.objects.filter(pk__in=[c.pk for c in first]).values_list("state", flat=True)
    ) == {CheckInState.CANCELLED}
    accepted = CheckIn.objects.filter(state=CheckInState.ACCEPTED)
    assert accepted.count() == again["accepted"]
    assert spent(door.network) == accepted_reimbursements(door.network) <= Decimal("57.60")
    assert_books_agree()
