"""The answer to a request for access: a document for the person, in their language, with
everything held (participations too), and a JSON file with ISO dates and strings."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.checkins.tests.helpers import check_in, principal_for
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.finance.tests.pdftext import pdf_text
from vrijuit.participants.services import note_add, participant_view_record, status_grant
from vrijuit.participants.tests.factories import ParticipantFactory, municipality_covering
from vrijuit.passes.services import pass_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def fatima(world):
    municipality_covering(world.own, "2150")
    person = ParticipantFactory(
        network=world.own,
        first_name="Fatima",
        last_name="Benali",
        birth_date=date(1984, 3, 9),
        street="Kerkstraat 7",
        email="fatima@example.be",
        language="nl",
    )
    status_grant(
        participant=person,
        basis="increased_allowance",
        valid_from=timezone.localdate() - timedelta(days=10),
        note="Attest van het ziekenfonds gezien",
        granted_by_label="loket",
    )
    card = pass_issue(participant=person)
    activity = ActivityFactory(
        organiser=world.organisers["own"],
        network=world.own,
        title="Zwemles in het Sportcentrum",
        regular_price=Decimal("12.00"),
    )
    now = timezone.now().replace(microsecond=0)
    occurrence = OccurrenceFactory(
        activity=activity, start=now - timedelta(minutes=30), end=now + timedelta(hours=2)
    )
    result = check_in(principal_for(world.tokens["own", Role.ORGANISER]), card.number, occurrence)
    assert result.checkin is not None, result
    note_add(participant=person, text="Wil graag zwemles voor haar dochter", author=None)
    participant_view_record(participant=person, screen="desk:participant")
    person.card, person.checkin = card, result.checkin
    return person


def url(world, person, fmt=""):
    base = f"/desk/{world.own.slug}/participants/{person.pk}/export/"
    return f"{base}?format={fmt}" if fmt else base


def flat(text):
    return " ".join(text.split())


def test_the_pdf_says_everything_in_plain_dutch(world, login, fatima):
    client = login(world.users["own", Role.COORDINATOR])

    response = client.get(url(world, fatima, "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = flat(pdf_text(response.content))
    today = timezone.localdate()
    for expected in [
        "Wat wij over u weten",
        "Wie u bent",
        "Benali",
        "9 maart 1984",
        "Kerkstraat 7",
        "fatima@example.be",
        "Uw kansentarief",
        "Verhoogde tegemoetkoming",
        "Attest van het ziekenfonds gezien",
        "Uw passen",
        fatima.card.number_display,
        "Waar u aan meedeed",
        "Zwemles in het Sportcentrum",
        "Club own",
        f"{today.day} ",
        "€ 2,40",
        "Notities van medewerkers",
        "Wil graag zwemles voor haar dochter",
        "Wie uw gegevens gebruikte",
        "heeft uw gegevens bekeken",
    ]:
        assert expected in text, expected
    assert "datetime" not in text and "UUID" not in text and "increased_allowance" not in text


def test_the_pdf_is_in_the_persons_language(world, login, fatima):
    fatima.language = "fr"
    fatima.save()

    response = login(world.users["own", Role.COORDINATOR]).get(url(world, fatima, "pdf"))

    text = flat(pdf_text(response.content))
    assert "Ce que nous savons de vous" in text
    assert "Où vous avez participé" in text
    assert "2,40 €" in text or "€ 2,40" in text
    assert "Wat wij over u weten" not in text


def test_the_printable_page_is_readable_and_in_the_persons_language(world, login, fatima):
    page = login(world.users["own", Role.COORDINATOR]).get(url(world, fatima)).content.decode()

    assert 'lang="nl"' in page
    assert "Zwemles in het Sportcentrum" in page
    assert "€ 2,40" in flat(page)
    assert "datetime.date(" not in page and "UUID(" not in page
    assert "?format=pdf" in page and "?format=json" in page


def test_the_json_file_has_iso_dates_strings_and_the_participations(world, login, fatima):
    response = login(world.users["own", Role.COORDINATOR]).get(url(world, fatima, "json"))

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["participant"]["birth_date"] == "1984-03-09"
    assert data["participant"]["id"] == str(fatima.pk)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*[+-]\d\d:\d\d", data["passes"][0]["issued_at"]
    )
    [participation] = data["participations"]
    assert participation == {
        "id": str(fatima.checkin.pk),
        "day": timezone.localdate(fatima.checkin.scanned_at).isoformat(),
        "scanned_at": timezone.localtime(fatima.checkin.scanned_at).isoformat(),
        "activity": "Zwemles in het Sportcentrum",
        "organiser": "Club own",
        "regular_price": "12.00",
        "paid": "2.40",
        "pass_number": fatima.card.number,
        "state": "accepted",
        "cancelled_at": None,
    }
    assert [n["text"] for n in data["notes"]] == ["Wil graag zwemles voor haar dochter"]
    assert "view" in [e["action"] for e in data["access_log"]]


@pytest.mark.parametrize(
    ("fmt", "context"),
    [("", "desk:export"), ("pdf", "desk:export-pdf"), ("json", "desk:export-json")],
)
def test_every_export_is_in_the_access_log(world, login, fatima, fmt, context):
    login(world.users["own", Role.COORDINATOR]).get(url(world, fatima, fmt))

    [event] = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(fatima.pk))
    assert event.context == context
    assert event.actor == world.users["own", Role.COORDINATOR]


def test_only_the_coordinator_exports(world, login, fatima):
    for role in (Role.DESK, Role.SOCIAL_WORKER, Role.ORGANISER, Role.FINANCE, Role.VOLUNTEER):
        response = login(world.users["own", role]).get(url(world, fatima, "pdf"))
        assert response.status_code == 403, role


def test_a_search_that_showed_the_person_is_in_their_access_log(world, login, api_client, fatima):
    api_client.get("/participants?q=benali", token=world.tokens["own", Role.DESK])

    data = json.loads(
        login(world.users["own", Role.COORDINATOR]).get(url(world, fatima, "json")).content
    )

    assert "search" in [e["action"] for e in data["access_log"]]


def test_the_api_export_has_the_participations(world, api_client, fatima):
    body = api_client.get(
        f"/participants/{fatima.pk}/export", token=world.tokens["own", Role.COORDINATOR]
    ).json()

    assert [(p["activity"], p["paid"]) for p in body["participations"]] == [
        ("Zwemles in het Sportcentrum", "2.40")
    ]
