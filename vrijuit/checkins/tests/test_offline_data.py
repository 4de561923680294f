"""What the scanner keeps for use without a connection (GET /checkin-offline-data): enough to
answer every check-in rule a phone can answer on its own, and no list of people."""

import gzip
import hashlib
import hmac
import json
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.checkins import selectors
from vrijuit.checkins.models import Budget, CheckIn
from vrijuit.core.roles import Role
from vrijuit.participants.constants import Basis
from vrijuit.participants.models import Participant, Status
from vrijuit.passes.constants import BlockReason, PassState
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import new_number
from vrijuit.passes.tests.factories import PassFactory

from .conftest import person
from .helpers import check_in, principal_for

pytestmark = pytest.mark.django_db

URL = "/checkin-offline-data"


def lookup(data, number):
    """What the scanner's script does: hash the number with the key and find its states."""
    digest = hmac.new(bytes.fromhex(data["key"]), number.encode(), hashlib.sha256).hexdigest()
    digest = digest[: data["hash_length"]]
    for group in data["passes"]:
        if digest in group["hashes"]:
            return group["states"], data["history"].get(digest, {})
    return None, None


def download(api_client, door, token=None):
    response = api_client.get(URL, token=token or door.token)
    assert response.status_code == 200, response.content
    return response.json()


def test_each_pass_has_its_state_for_today_and_tomorrow(api_client, door):
    network = door.network
    _, grace = person(network, first_name="Bram", in_grace=True)
    _, expired = person(network, first_name="Cas", expired=True)
    _, suspended = person(network, first_name="Dina", suspended=True)
    _, without = person(network, first_name="Eva", status=False)
    blocked = PassFactory(participant__network=network, blocked=True)
    replaced = PassFactory(participant__network=network, replaced=True)

    data = download(api_client, door)

    today = timezone.localdate()
    assert data["days"] == [today.isoformat(), (today + timedelta(days=1)).isoformat()]
    assert lookup(data, door.pass_.number)[0] == ["active", "active"]
    assert lookup(data, grace.number)[0] == ["grace", "grace"]
    for number in (expired.number, suspended.number, without.number):
        assert lookup(data, number)[0] == ["none", "none"]
    for number in (blocked.number, replaced.number):
        assert lookup(data, number)[0] == ["blocked", "blocked"]
    assert lookup(data, "1234567890128") == (None, None)  # a number nobody has
    other = PassFactory(participant__network=door.world.other)
    assert lookup(data, other.number) == (None, None)  # another network's pass


def test_a_status_that_ends_today_is_in_grace_tomorrow(api_client, door):
    today = timezone.localdate()
    _, ending = person(door.network, first_name="Fien", valid_until=today)

    data = download(api_client, door)

    assert lookup(data, ending.number)[0] == ["active", "grace"]


def test_the_download_holds_no_numbers_and_no_names(api_client, door):
    text = json.dumps(download(api_client, door))
    participant = door.participant
    assert door.pass_.number not in text
    assert door.pass_.number[:8] not in text
    assert participant.first_name not in text
    assert participant.last_name not in text
    assert participant.birth_date.isoformat() not in text


def test_the_dates_are_the_organisers_own_with_their_prices(api_client, door):
    sibling = ActivityFactory(network=door.network, regular_price=Decimal("5.00"))
    now = timezone.now()
    OccurrenceFactory(activity=sibling, start=now, end=now + timedelta(hours=1))
    tomorrow = OccurrenceFactory(
        activity=door.activity, start=now + timedelta(days=1), end=now + timedelta(days=1, hours=1)
    )
    OccurrenceFactory(activity=door.activity, start=now - timedelta(days=1, hours=3),
                      end=now - timedelta(days=1, hours=2))  # fmt: skip
    OccurrenceFactory(activity=door.activity, start=now + timedelta(days=3))

    data = download(api_client, door)

    assert [d["id"] for d in data["dates"]] == [str(door.occurrence.pk), str(tomorrow.pk)]
    date = data["dates"][0]
    assert (date["regular_price"], date["reduced_price"]) == ("12.00", "2.40")
    assert (date["discount"], date["reimbursement"]) == ("9.60", "4.80")
    assert date["activity_id"] == str(door.activity.pk)
    assert date["cancelled"] is False
    coordinator = download(api_client, door, token=door.coordinator_token)
    assert len(coordinator["dates"]) == 3  # every organiser's


def test_a_pass_checked_in_at_a_date_says_so_also_for_a_new_card(api_client, door):
    check_in(principal_for(door.token), door.pass_.number, door.occurrence)
    door.pass_.state = "replaced"
    door.pass_.save()
    new_card = PassFactory(participant=door.participant)

    data = download(api_client, door)

    states, history = lookup(data, new_card.number)
    assert states == ["active", "active"]
    assert history["checked_in"] == [str(door.occurrence.pk)]


def test_the_yearly_limits_say_what_is_left(api_client, door):
    network = door.network
    network.max_checkins_per_activity_per_year = 2
    network.max_discount_per_year = Decimal("20.00")
    network.save()
    Budget.objects.create(network=network, year=timezone.localdate().year, amount=Decimal("10"))
    check_in(principal_for(door.token), door.pass_.number, door.occurrence)

    data = download(api_client, door)

    assert data["limits"] == {
        "checkins_per_activity_per_year": 2,
        "discount_per_year": "20.00",
        "budget_left": "5.20",
    }
    assert data["year"] == timezone.localdate().year
    _, history = lookup(data, door.pass_.number)
    assert history["checkins_left"] == {str(door.activity.pk): 1}
    assert history["discount_left"] == "10.40"


def test_passes_whose_short_hashes_coincide_are_unsure(door, monkeypatch):
    # Two passes with different facts and the same hash: the phone must not guess.
    person(door.network, first_name="Gert", status=False)
    monkeypatch.setattr(selectors, "offline_hash", lambda key, number: "abcd1234")

    data = selectors.offline_data(principal_for(door.token))

    assert data["passes"] == [{"states": ["unsure", "unsure"], "hashes": ["abcd1234"]}]


def test_the_answer_is_never_kept_by_a_cache(api_client, door):
    response = api_client.get(URL, token=door.token)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.FINANCE, Role.VOLUNTEER])
def test_roles_that_do_not_check_in_get_nothing(api_client, door, role):
    response = api_client.get(URL, token=door.world.tokens["own", role])
    assert response.status_code == 403
    assert "hashes" not in response.content.decode()


def test_the_scanner_page_session_may_download(door, login):
    client = login(door.world.users["own", Role.ORGANISER])
    response = client.get(f"/api/v1{URL}", headers={"X-Vrijuit-Network": door.network.slug})
    assert response.status_code == 200
    assert lookup(response.json(), door.pass_.number)[0] == ["active", "active"]


def test_five_thousand_passes_fit_in_a_small_download(api_client, door):
    """A network with 5,000 cards (three in four with the reduced tariff, one in seventeen
    blocked, 300 checked in at today's date): the download stays small for a cheap phone on
    a slow connection (the figures are in docs/benchmarks.md)."""
    network = door.network
    today = timezone.localdate()
    people = Participant.objects.bulk_create(
        Participant(network=network, first_name="Lotte", last_name=f"Peeters{i}",
                    birth_date=date(1980, 1, 1), postal_code="2150",
                    municipality=door.participant.municipality)
        for i in range(5000)
    )  # fmt: skip
    Status.objects.bulk_create(
        Status(network=network, participant=person, basis=Basis.INCREASED_ALLOWANCE,
               valid_from=date(today.year, 1, 1), valid_until=date(today.year, 12, 31))
        for i, person in enumerate(people) if i % 4
    )  # fmt: skip
    cards = Pass.objects.bulk_create(
        Pass(network=network, participant=person, number=new_number(),
             **({"state": PassState.BLOCKED, "block_reason": BlockReason.LOST} if i % 17 == 0
                else {}))
        for i, person in enumerate(people)
    )  # fmt: skip
    checked_in = [card for card in cards[1:1500:5]]
    price = door.activity.regular_price
    CheckIn.objects.bulk_create(
        CheckIn(network=network, pass_obj=card, participant=card.participant,
                occurrence=door.occurrence, activity=door.activity, organiser=door.organiser,
                year=today.year, scanned_at=timezone.now(), received_at=timezone.now(),
                regular_price=price, paid=Decimal("2.40"), discount=Decimal("9.60"),
                reimbursement=Decimal("4.80"), organiser_cost=Decimal("4.80"))
        for card in checked_in
    )  # fmt: skip

    started = time.process_time()
    response = api_client.get(URL, token=door.token)
    elapsed = time.process_time() - started  # CPU time: the machine may be busy

    data = response.json()
    assert sum(len(group["hashes"]) for group in data["passes"]) == 5001
    active = [card for card in checked_in if card.state == PassState.ACTIVE]
    assert len(data["history"]) == len(active)
    assert lookup(data, active[0].number)[1] == {"checked_in": [str(door.occurrence.pk)]}
    size, packed = len(response.content), len(gzip.compress(response.content))
    print(f"\n5,001 passes: {size / 1000:.0f} kB ({packed / 1000:.0f} kB gzip), {elapsed:.2f} s")
    assert size < 100_000
