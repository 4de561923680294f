"""The public guide: coming activities with search and filters, and one activity's page."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.networks.tests.factories import MunicipalityFactory, NetworkFactory, OrganiserFactory

pytestmark = pytest.mark.django_db
NBSP = "\xa0"


@pytest.fixture
def organiser():
    return OrganiserFactory(network=NetworkFactory(slug="borsbeek"), name="Zwemclub De Dolfijn")


def guide(client, query=""):
    response = client.get(f"/borsbeek/activities/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_guide_shows_the_reduced_price_of_the_pricing_rules(client, organiser):
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Zwemles"))
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Wandeling", free=True))

    html = guide(client).replace(NBSP, " ")

    # docs/rules.md: 12.00 at 20 % → 2.40
    assert "Met je pas betaal je <strong>€ 2,40</strong> in plaats van € 12,00" in html
    assert "Gratis" in html
    assert "Zwemclub De Dolfijn" in html


def test_the_search_ignores_accents_and_case(client, organiser):
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Knutselen in de crèche"))
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Zwemles"))

    html = guide(client, "?q=CRECHE")

    assert "Knutselen in de crèche" in html
    assert "Zwemles" not in html


def test_drafts_cancelled_and_past_dates_are_not_listed(client, organiser):
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Kladversie", draft=True))
    OccurrenceFactory(
        activity=ActivityFactory(organiser=organiser, title="Afgelast"), cancelled=True
    )
    yesterday = timezone.now() - timedelta(days=1)
    OccurrenceFactory(
        activity=ActivityFactory(organiser=organiser, title="Voorbij"), start=yesterday
    )
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Zwemles"))

    html = guide(client)

    assert "Zwemles" in html
    for title in ("Kladversie", "Afgelast", "Voorbij"):
        assert title not in html


def test_the_filters_work_without_javascript(client, organiser):
    municipality = MunicipalityFactory(network=organiser.network, name="Borsbeek")
    OccurrenceFactory(
        activity=ActivityFactory(
            organiser=organiser,
            title="Kleuterdans",
            category="culture",
            min_age=3,
            max_age=6,
            municipality=municipality,
        )
    )
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Zwemles"))

    assert "Zwemles" not in guide(client, "?category=culture")
    assert "Zwemles" not in guide(client, f"?municipality={municipality.pk}")
    assert "Kleuterdans" not in guide(client, "?age=12")
    assert "Kleuterdans" in guide(client, "?age=4&category=culture")


def test_the_activity_page_shows_description_way_accessibility_and_contact(client, organiser):
    activity = ActivityFactory(
        organiser=organiser,
        title="Zwemles",
        description="Leren zwemmen.",
        accessibility="Rolstoeltoegankelijk, aangepaste kleedkamer.",
        contact="info@dolfijn.be",
        fixed_reduced_price=Decimal("1.50"),
    )
    OccurrenceFactory(activity=activity)
    OccurrenceFactory(activity=activity, cancelled=True)

    response = client.get(f"/borsbeek/activities/{activity.pk}/")

    html = response.content.decode().replace(NBSP, " ")
    assert response.status_code == 200
    assert "Leren zwemmen." in html
    assert "Sportlaan 1" in html
    assert "Rolstoeltoegankelijk" in html
    assert "info@dolfijn.be" in html
    assert "€ 1,50" in html
    assert "Zwembad dicht" in html  # the reason of the cancelled date


def test_a_draft_or_another_networks_activity_is_not_found(client, organiser):
    draft = ActivityFactory(organiser=organiser, draft=True)
    elsewhere = ActivityFactory()

    for activity in (draft, elsewhere):
        assert client.get(f"/borsbeek/activities/{activity.pk}/").status_code == 404


def test_a_full_page_stays_under_100_kb(client, organiser):
    for n in range(25):
        activity = ActivityFactory(organiser=organiser, title=f"Activiteit {n}")
        OccurrenceFactory(activity=activity)

    response = client.get("/borsbeek/activities/")

    assert response.status_code == 200
    assert len(response.content) < 100_000
    assert "?page=2" in response.content.decode()
