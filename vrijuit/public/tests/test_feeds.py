"""Open data of the guide: iCalendar feeds, CSV export and schema.org JSON-LD."""

import csv
import io
import json
import re
from datetime import UTC, timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from vrijuit.catalogue.constants import Category
from vrijuit.catalogue.opendata import ical_escape, ical_fold
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.networks.tests.factories import NetworkFactory, OrganiserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return OrganiserFactory(network=NetworkFactory(slug="borsbeek"), name="Zwemclub De Dolfijn")


def parse_ical(body):
    """The events of an iCalendar text as dicts (lines unfolded, values still escaped)."""
    assert body.endswith("\r\n")
    physical = body.split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
        assert "\n" not in line and "\r" not in line
    lines = "\r\n".join(physical).replace("\r\n ", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    events, event = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            event = {}
        elif line == "END:VEVENT":
            events.append(event)
            event = None
        elif event is not None:
            name, value = line.split(":", 1)
            event[name] = value
    return events


def unescape(value):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_the_feed_has_one_event_per_coming_date(client, organiser):
    activity = ActivityFactory(
        organiser=organiser,
        title="Zwemles; voor iedereen, ook \\ kinderen",
        description="Eerste regel\nTweede regel met crème brûlée " + "é" * 80,
    )
    first = OccurrenceFactory(activity=activity)
    OccurrenceFactory(activity=activity, start=first.start + timedelta(days=7))
    OccurrenceFactory(activity=activity, cancelled=True)
    OccurrenceFactory(activity=activity, start=timezone.now() - timedelta(days=1))
    OccurrenceFactory(activity=activity, start=timezone.now() + timedelta(days=400))
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Kladje", draft=True))
    OccurrenceFactory(activity=ActivityFactory(title="Elders"))  # another network

    response = client.get("/borsbeek/activities.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse_ical(response.content.decode("utf-8"))
    assert len(events) == 2
    event = events[0]
    assert event["UID"] == f"{first.pk}@vrijuit"
    assert event["DTSTART"] == first.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTEND"].endswith("Z")
    assert event["SUMMARY"] == "Zwemles\\; voor iedereen\\, ook \\\\ kinderen"
    assert unescape(event["SUMMARY"]) == activity.title
    assert unescape(event["DESCRIPTION"]) == activity.description
    assert "Zwembad De Dolfijn" in unescape(event["LOCATION"])
    assert event["URL"] == f"http://testserver/borsbeek/activities/{activity.pk}/"
    assert event["STATUS"] == "CONFIRMED"


def test_the_category_feed_keeps_one_category(client, organiser):
    OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title="Zwemles"))
    OccurrenceFactory(
        activity=ActivityFactory(organiser=organiser, title="Toneel", category=Category.CULTURE)
    )

    events = parse_ical(client.get("/borsbeek/activities/culture.ics").content.decode())

    assert [e["SUMMARY"] for e in events] == ["Toneel"]
    assert client.get("/borsbeek/activities/unknown.ics").status_code == 404
    assert client.get("/nowhere/activities.ics").status_code == 404


def test_folding_never_splits_a_character():
    line = "DESCRIPTION:" + "€" * 100
    folded = ical_fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert ical_escape("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"


def test_the_csv_export_opens_in_excel(client, organiser):
    activity = ActivityFactory(organiser=organiser, title="=Zwemles", external_id="uit-1")
    occurrence = OccurrenceFactory(activity=activity)
    OccurrenceFactory(activity=activity, cancelled=True)
    OccurrenceFactory(activity=ActivityFactory(title="Elders"))

    response = client.get("/borsbeek/activities.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))
    assert len(rows) == 1
    row = rows[0]
    assert row["activity_id"] == str(activity.pk)
    assert row["title"] == "'=Zwemles"
    assert row["category"] == "sport"
    assert row["organiser"] == "Zwemclub De Dolfijn"
    assert row["start"] == timezone.localtime(occurrence.start).strftime("%Y-%m-%d %H:%M")
    assert row["postal_code"] == "2150"
    assert row["regular_price"] == "12,00"
    assert row["reduced_price"] == "2,40"
    assert row["external_id"] == "uit-1"


def test_the_detail_page_carries_schema_org_events(client, organiser):
    activity = ActivityFactory(
        organiser=organiser, title="Zwemles </script><b>", regular_price=Decimal("12.00")
    )
    occurrence = OccurrenceFactory(activity=activity)
    OccurrenceFactory(activity=activity, cancelled=True)

    response = client.get(f"/borsbeek/activities/{activity.pk}/")

    html = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert "<b>" not in blocks[0]
    events = json.loads(blocks[0])
    assert len(events) == 2
    event = events[0]
    assert event["@type"] == "Event"
    assert event["name"] == activity.title
    assert event["startDate"] == timezone.localtime(occurrence.start).isoformat()
    assert re.search(r"[+-]\d\d:\d\d$", event["startDate"])
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert events[1]["eventStatus"] == "https://schema.org/EventCancelled"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["address"]["postalCode"] == "2150"
    assert event["organizer"] == {"@type": "Organization", "name": "Zwemclub De Dolfijn"}
    prices = {offer["price"] for offer in event["offers"]}
    assert prices == {"12.00", "2.40"}
    assert {offer["priceCurrency"] for offer in event["offers"]} == {"EUR"}


def test_a_page_without_dates_has_no_json_ld(client, organiser):
    activity = ActivityFactory(organiser=organiser)
    html = client.get(f"/borsbeek/activities/{activity.pk}/").content.decode()
    assert "application/ld+json" not in html
