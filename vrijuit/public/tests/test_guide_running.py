"""The guide shows what is running now (a season, today's swim), finds activities by their
organiser and place, keeps the age filter to the activity's ages, and links its feeds."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from vrijuit.catalogue.constants import Category
from vrijuit.catalogue.imports import activities_import, read_csv
from vrijuit.catalogue.services import activity_update
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.networks.tests.factories import MunicipalityFactory, NetworkFactory, OrganiserFactory

pytestmark = pytest.mark.django_db


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def two_pm(monkeypatch):
    """It is 14:00 today (the clock of the whole process)."""
    now = local(timezone.localdate(), 14)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


@pytest.fixture
def swimming_club(two_pm):
    network = NetworkFactory(slug="borsbeek")
    club = OrganiserFactory(network=network, name="Zwemclub De Dolfijn")
    today = two_pm.date()
    membership = ActivityFactory(organiser=club, title="Lidgeld zwemclub, seizoen")
    OccurrenceFactory(
        activity=membership,
        start=local(date(today.year, 1, 1), 0),
        end=local(date(today.year, 12, 31), 23),
    )
    swim = ActivityFactory(organiser=club, title="Vrij zwemmen", regular_price=Decimal("4.00"))
    OccurrenceFactory(activity=swim, start=local(today, 8), end=local(today, 22))
    over = ActivityFactory(organiser=club, title="Ochtendzwemmen")
    OccurrenceFactory(activity=over, start=local(today, 7), end=local(today, 9))
    talk = ActivityFactory(organiser=club, title="Infoavond zonder einduur")
    OccurrenceFactory(activity=talk, start=local(today, 10), end=None)
    later = ActivityFactory(organiser=club, title="Aquagym")
    OccurrenceFactory(activity=later, start=local(today + timedelta(days=2), 10))
    return network


def test_the_guide_shows_a_season_and_todays_swim_while_they_run(client, swimming_club):
    page = client.get("/borsbeek/activities/").content.decode()

    assert "Lidgeld zwemclub, seizoen" in page
    assert "Vrij zwemmen" in page
    assert "Infoavond zonder einduur" in page  # without an end: shown all day
    assert "Ochtendzwemmen" not in page  # over at 09:00
    assert "4 activiteiten" in page
    assert "Nu bezig, tot 22:00" in page
    # the first to end first: today's swim, today's talk, the coming date, the season
    order = ["Vrij zwemmen", "Infoavond", "Aquagym", "Lidgeld"]
    assert sorted(order, key=page.index) == order


def test_the_api_finds_the_running_season_and_swim(client, swimming_club):
    season = client.get("/api/v1/activities", {"network": "borsbeek", "q": "Lidgeld"}).json()
    everything = client.get("/api/v1/activities", {"network": "borsbeek"}).json()

    assert [item["title"] for item in season["items"]] == ["Lidgeld zwemclub, seizoen"]
    first = season["items"][0]["occurrences"][0]["start"]
    year = timezone.localdate().year
    assert datetime.fromisoformat(first.replace("Z", "+00:00")) == local(date(year, 1, 1), 0)
    assert "Vrij zwemmen" in [item["title"] for item in everything["items"]]
    assert everything["count"] == 4


def test_the_running_dates_are_in_a_period_that_covers_them(client, swimming_club):
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).isoformat()

    today_only = client.get(f"/borsbeek/activities/?date_from={today}&date_to={today}")
    tomorrow_only = client.get(f"/borsbeek/activities/?date_from={tomorrow}&date_to={tomorrow}")

    assert "Vrij zwemmen" in today_only.content.decode()
    assert "Lidgeld" in tomorrow_only.content.decode()  # the season covers tomorrow
    assert "Vrij zwemmen" not in tomorrow_only.content.decode()


def test_an_activity_page_shows_its_running_date(client, swimming_club):
    from vrijuit.catalogue.models import Activity

    season = Activity.objects.get(title__startswith="Lidgeld")
    page = client.get(f"/borsbeek/activities/{season.pk}/").content.decode()

    assert "Nu bezig" in page
    assert "31 december" in page  # the end of a period of several days, with its date
    assert "There are no new dates" not in page and "nog geen nieuwe data" not in page


def test_the_calendar_feed_has_todays_running_swim(client, swimming_club):
    feed = client.get("/borsbeek/activities.ics").content.decode()

    assert "Vrij zwemmen" in feed
    assert "Ochtendzwemmen" not in feed


# --- search by organiser and place; ages; feeds -----------------------------------------


@pytest.fixture
def library():
    network = NetworkFactory(slug="borsbeek")
    municipality = MunicipalityFactory(network=network, name="Borsbeek")
    soon = timezone.now() + timedelta(days=3)
    bib = OrganiserFactory(network=network, name="Bibliotheek Borsbeek")
    reading = ActivityFactory(
        organiser=bib, title="Voorleesuurtje", description="Prentenboeken.", location_name="Zaal 1"
    )
    OccurrenceFactory(activity=reading, start=soon)
    club = OrganiserFactory(network=network, name="Schaakclub")
    chess = ActivityFactory(
        organiser=club,
        title="Schaakles",
        location_name="Leeszaal van de bibliotheek",
        municipality=municipality,
    )
    OccurrenceFactory(activity=chess, start=soon)
    swim = ActivityFactory(
        organiser=OrganiserFactory(network=network, name="Zwemclub"), title="Zwemles"
    )
    OccurrenceFactory(activity=swim, start=soon)
    return network, bib, reading


def titles(client, query):
    data = client.get("/api/v1/activities", {"network": "borsbeek", **query}).json()
    return sorted(item["title"] for item in data["items"])


def test_bibliotheek_finds_the_library_by_organiser_and_by_place(client, library):
    page = client.get("/borsbeek/activities/?q=bibliotheek").content.decode()

    assert titles(client, {"q": "bibliotheek"}) == ["Schaakles", "Voorleesuurtje"]
    assert "Voorleesuurtje" in page and "Schaakles" in page and "Zwemles" not in page
    assert titles(client, {"q": "schaakclub"}) == ["Schaakles"]


def test_a_renamed_organiser_is_found_by_its_new_name(client, library):
    _, bib, _ = library
    bib.name = "Mediatheek De Letterdoos"
    bib.save()  # as the admin does

    assert titles(client, {"q": "letterdoos"}) == ["Voorleesuurtje"]
    assert titles(client, {"q": "bibliotheek"}) == ["Schaakles"]  # by its place only


def test_a_renamed_municipality_and_a_moved_activity_are_found_by_the_new_names(client, library):
    network, _, reading = library
    municipality = network.municipalities.get()
    municipality.name = "Borsbeek-Dorp"
    municipality.save()
    activity_update(activity=reading, location_name="Kasteel Cortewalle")

    assert titles(client, {"q": "dorp"}) == ["Schaakles"]
    assert titles(client, {"q": "cortewalle"}) == ["Voorleesuurtje"]


def test_age_70_does_not_get_an_activity_for_3_to_8(client, library):
    _, _, reading = library
    activity_update(activity=reading, min_age=3, max_age=8)

    assert "Voorleesuurtje" not in titles(client, {"age": 70})
    assert "Voorleesuurtje" in titles(client, {"age": 5})
    assert "Voorleesuurtje" not in client.get("/borsbeek/activities/?age=70").content.decode()


def test_an_imported_age_range_keeps_age_70_away(client, library):
    """The CSV import reads the age columns (the export writes them); without them an
    activity for children was shown to everyone."""
    network, bib, _ = library
    start = (timezone.localdate() + timedelta(days=4)).isoformat()
    csv_text = (
        "external_id;title;start;min_age;max_age\n"
        f"bib-1;Kleuterkwartier;{start} 10:00;3;8\n"
        f"bib-2;Lezen voor iedereen;{start} 11:00;;\n"
    )
    report = activities_import(
        network=network, organiser=bib, rows=read_csv(csv_text), publish=True
    )

    assert not report.errors
    assert "Kleuterkwartier" not in titles(client, {"age": 70})
    assert "Lezen voor iedereen" in titles(client, {"age": 70})
    assert "Kleuterkwartier" in titles(client, {"age": 8})


def test_the_guide_links_its_calendar_and_spreadsheet_feeds(client, library):
    page = client.get("/borsbeek/activities/").content.decode()
    culture = client.get(f"/borsbeek/activities/?category={Category.CULTURE}").content.decode()

    assert 'href="/borsbeek/activities.ics"' in page
    assert 'href="/borsbeek/activities.csv"' in page
    assert f'href="/borsbeek/activities/{Category.CULTURE}.ics"' in culture
    assert f"/activities/{Category.CULTURE}.ics" not in page
