"""/api/v1/activities: the guide's open data, and adding activities and their dates."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from vrijuit.api.tests.assertions import assert_problem
from vrijuit.catalogue.constants import ActivityState, Category
from vrijuit.catalogue.models import Activity
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import OrganiserFactory

pytestmark = pytest.mark.django_db


def listed(client, world, **params):
    query = "&".join(f"{k}={v}" for k, v in {"network": world.own.slug, **params}.items())
    response = client.get(f"/api/v1/activities?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_anyone_reads_the_guide_with_prices_from_the_pricing_rules(world, client):
    # given a € 12,00 activity, one with a fixed reduced price, and a free one
    swim = ActivityFactory(organiser=world.organisers["own"], title="Zwemles")
    OccurrenceFactory(activity=swim)
    fixed = ActivityFactory(
        organiser=world.organisers["own"], title="Toneel", fixed_reduced_price=Decimal("1.00")
    )
    OccurrenceFactory(activity=fixed)
    free = ActivityFactory(organiser=world.organisers["own"], title="Wandeling", free=True)
    OccurrenceFactory(activity=free)

    # when someone without a token asks for the guide
    body = listed(client, world)

    # then every item carries its prices as strings with 2 decimals
    prices = {i["title"]: (i["regular_price"], i["reduced_price"]) for i in body["items"]}
    assert prices == {
        "Zwemles": ("12.00", "2.40"),
        "Toneel": ("12.00", "1.00"),
        "Wandeling": ("0.00", "0.00"),
    }
    item = next(i for i in body["items"] if i["title"] == "Zwemles")
    assert item["organiser"] == "Club own"
    assert item["location"] == "Zwembad De Dolfijn"
    assert len(item["occurrences"]) == 1
    assert body["count"] == 3


def test_drafts_cancelled_and_past_dates_stay_out_of_the_guide(world, client):
    organiser = world.organisers["own"]
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, draft=True, title="Draft"))
    OccurrenceFactory(
        activity=ActivityFactory(organiser=organiser, title="Cancelled"), cancelled=True
    )
    past = timezone.now() - timedelta(days=2)
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Past"), start=past)
    OccurrenceFactory(activity=ActivityFactory(organiser=world.organisers["other"]))

    assert listed(client, world)["items"] == []


def test_the_guide_filters_by_words_category_age_and_price(world, client):
    organiser = world.organisers["own"]
    creche = ActivityFactory(
        organiser=organiser,
        title="Crèche op zaterdag",
        category=Category.YOUTH,
        min_age=2,
        max_age=6,
        free=True,
    )
    OccurrenceFactory(activity=creche)
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Zwemles"))

    def titles(**params):
        return [i["title"] for i in listed(client, world, **params)["items"]]

    assert titles(q="CRECHE zaterdag") == ["Crèche op zaterdag"]
    assert titles(category="youth") == ["Crèche op zaterdag"]
    assert set(titles(age=4)) == {"Crèche op zaterdag", "Zwemles"}
    assert titles(age=10) == ["Zwemles"]
    assert titles(free="true") == ["Crèche op zaterdag"]
    assert titles(q="yoga") == []


def test_the_guide_filters_by_dates(world, client):
    activity = ActivityFactory(organiser=world.organisers["own"])
    OccurrenceFactory(activity=activity, start=timezone.now() + timedelta(days=30))
    soon = timezone.localdate() + timedelta(days=7)

    assert listed(client, world, to=soon.isoformat())["items"] == []
    later = listed(client, world, **{"from": (soon + timedelta(days=20)).isoformat()})
    assert len(later["items"]) == 1


def test_one_activity_shows_its_cancelled_dates_with_the_reason(world, client):
    activity = ActivityFactory(organiser=world.organisers["own"])
    OccurrenceFactory(activity=activity, cancelled=True)

    response = client.get(f"/api/v1/activities/{activity.pk}?network={world.own.slug}")

    assert response.status_code == 200
    (occurrence,) = response.json()["occurrences"]
    assert occurrence["cancelled"] is True
    assert occurrence["cancel_reason"] == "Zwembad dicht"


def test_another_networks_activity_or_a_draft_is_not_found(world, client):
    other = ActivityFactory(organiser=world.organisers["other"])
    draft = ActivityFactory(organiser=world.organisers["own"], draft=True)

    for activity in (other, draft):
        response = client.get(f"/api/v1/activities/{activity.pk}?network={world.own.slug}")
        assert_problem(response, 404, "not_found")
    assert_problem(client.get("/api/v1/activities?network=nergens"), 404, "not_found")


def test_a_coordinator_adds_a_published_activity_for_any_organiser(world, api_client):
    organiser = OrganiserFactory(network=world.own)

    response = api_client.post(
        "/activities",
        {
            "title": "Kookworkshop",
            "regular_price": "15.00",
            "organiser": str(organiser.pk),
            "category": "courses",
            "location": "Buurthuis",
        },
        token=world.tokens["own", Role.COORDINATOR],
    )

    assert response.status_code == 201, response.content
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.organiser, activity.state) == (organiser, ActivityState.PUBLISHED)
    assert activity.location_name == "Buurthuis"
    assert activity.regular_price == Decimal("15.00")


def test_an_organiser_adds_a_draft_for_its_own_organiser_only(world, api_client):
    token = world.tokens["own", Role.ORGANISER]
    sibling = OrganiserFactory(network=world.own)

    response = api_client.post("/activities", {"title": "Judo", "regular_price": "5"}, token=token)
    refused = api_client.post(
        "/activities",
        {"title": "Judo", "regular_price": "5", "organiser": str(sibling.pk)},
        token=token,
    )

    assert response.status_code == 201
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.organiser, activity.state) == (world.organisers["own"], ActivityState.DRAFT)
    assert_problem(refused, 404, "not_found")


def test_a_coordinator_must_name_the_organiser_of_its_network(world, api_client):
    token = world.tokens["own", Role.COORDINATOR]

    missing = api_client.post("/activities", {"title": "Judo", "regular_price": "5"}, token=token)
    other = api_client.post(
        "/activities",
        {"title": "Judo", "regular_price": "5", "organiser": str(world.organisers["other"].pk)},
        token=token,
    )

    assert_problem(missing, 422, "validation_error")
    assert_problem(other, 404, "not_found")


def test_an_occurrence_is_added_and_its_end_may_not_come_before_its_start(world, api_client):
    activity = ActivityFactory(organiser=world.organisers["own"])
    token = world.tokens["own", Role.ORGANISER]
    url = f"/activities/{activity.pk}/occurrences"

    ok = api_client.post(
        url, {"start": "2030-05-04T10:00:00+02:00", "end": "2030-05-04T12:00:00+02:00"}, token
    )
    wrong = api_client.post(
        url, {"start": "2030-05-04T10:00:00+02:00", "end": "2030-05-04T09:00:00+02:00"}, token
    )

    assert ok.status_code == 201
    assert activity.occurrences.count() == 1
    assert_problem(wrong, 422, "validation_error")


def test_an_occurrence_for_another_networks_activity_is_not_found(world, api_client):
    activity = ActivityFactory(organiser=world.organisers["other"])

    response = api_client.post(
        f"/activities/{activity.pk}/occurrences",
        {"start": "2030-05-04T10:00:00+02:00"},
        token=world.tokens["own", Role.COORDINATOR],
    )

    assert_problem(response, 404, "not_found")
    assert not activity.occurrences.exists()
