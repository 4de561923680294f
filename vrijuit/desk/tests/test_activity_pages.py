from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from vrijuit.catalogue.constants import ActivityState
from vrijuit.catalogue.models import Activity
from vrijuit.catalogue.selectors import guide_search
from vrijuit.catalogue.tests.factories import ActivityFactory
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import OrganiserFactory


def _url(world, name, **kwargs):
    return reverse(f"desk:{name}", kwargs={"network": world.own.slug, **kwargs})


def test_organiser_proposes_a_weekly_series_and_the_coordinator_publishes(world, login):
    # given an organiser who proposes an activity with a weekly series
    organiser = login(world.users["own", Role.ORGANISER])
    response = organiser.post(
        _url(world, "activity_new"),
        {"title": "Petanque", "category": "sport", "regular_price": "12,50"},
    )
    activity = Activity.objects.get(title="Petanque")
    assert response.status_code == 302
    assert activity.organiser == world.organisers["own"]
    assert activity.state == ActivityState.DRAFT
    assert activity.regular_price == Decimal("12.50")
    first = timezone.localdate() + timedelta(days=1)
    organiser.post(
        _url(world, "activity_dates", activity_id=activity.pk),
        {
            "first_date": first.isoformat(),
            "start_time": "14:00",
            "duration": "90",
            "until": (first + timedelta(weeks=3)).isoformat(),
        },
    )
    assert activity.occurrences.count() == 4
    assert not guide_search(world.own).filter(pk=activity.pk).exists()
    # the organiser may not publish
    assert (
        organiser.post(_url(world, "activity_publish", activity_id=activity.pk)).status_code == 403
    )

    # when the coordinator publishes it
    coordinator = login(world.users["own", Role.COORDINATOR])
    response = coordinator.post(_url(world, "activity_publish", activity_id=activity.pk))

    # then it is in the guide
    assert response.status_code == 302
    assert guide_search(world.own).filter(pk=activity.pk).exists()


def test_the_plain_language_report_is_on_the_edit_and_publish_pages(world, login):
    activity = ActivityFactory(
        organiser=world.organisers["own"],
        draft=True,
        description=(
            "Overeenkomstig de bepalingen van het toepasselijke huishoudelijk reglement dient "
            "de deelnemer voorafgaandelijk aan de aanvang van de activiteit het daartoe "
            "bestemde inschrijvingsformulier volledig ingevuld aan de organisator te bezorgen."
        ),
    )

    edit = login(world.users["own", Role.ORGANISER]).get(
        _url(world, "activity", activity_id=activity.pk)
    )
    publish = login(world.users["own", Role.COORDINATOR]).get(
        _url(world, "activity_publish", activity_id=activity.pk)
    )

    for response in (edit, publish):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Flesch" in html
        assert '<mark class="long-sentence">' in html
        assert "<mark>inschrijvingsformulier</mark>" in html


def test_an_organiser_cannot_reach_another_organisers_activity(world, login):
    sibling = OrganiserFactory(network=world.own, slug="buren", name="Buren")
    other = ActivityFactory(organiser=sibling, title="Niet van jou", draft=True)
    client = login(world.users["own", Role.ORGANISER])

    listing = client.get(_url(world, "activities"))
    page = client.get(_url(world, "activity", activity_id=other.pk))
    edit = client.post(
        _url(world, "activity", activity_id=other.pk),
        {"title": "Gekaapt", "category": "sport", "regular_price": "1,00"},
    )

    assert "Niet van jou" not in listing.content.decode()
    assert page.status_code == 404
    assert edit.status_code == 404
    other.refresh_from_db()
    assert other.title == "Niet van jou"


def test_the_coordinator_filters_drafts_and_chooses_the_organiser(world, login):
    ActivityFactory(organiser=world.organisers["own"], title="Zwemles in de zomer")
    ActivityFactory(organiser=world.organisers["own"], title="Ontwerp", draft=True)
    client = login(world.users["own", Role.COORDINATOR])

    drafts = client.get(_url(world, "activities"), {"state": "draft"}).content.decode()
    new = client.get(_url(world, "activity_new")).content.decode()

    assert "Ontwerp" in drafts
    assert "Zwemles in de zomer" not in drafts
    assert 'name="organiser"' in new


def test_cancelling_a_date_keeps_the_reason(world, login):
    activity = ActivityFactory(organiser=world.organisers["own"])
    occurrence = activity.occurrences.create(
        network=world.own, start=timezone.now() + timedelta(days=3)
    )
    client = login(world.users["own", Role.ORGANISER])

    response = client.post(
        _url(world, "occurrence_cancel", activity_id=activity.pk, occurrence_id=occurrence.pk),
        {"reason": "De zaal is dicht."},
    )

    occurrence.refresh_from_db()
    assert response.status_code == 302
    assert occurrence.is_cancelled
    assert occurrence.cancel_reason == "De zaal is dicht."
