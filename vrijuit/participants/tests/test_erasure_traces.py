"""After erasure nothing leads back to the person: not the database files, not the pass number
in the audit log. And every search that shows people is in the access log."""

import secrets
from datetime import date
from pathlib import Path

import pytest

from django.db import connection

from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import MunicipalityFactory
from vrijuit.participants.services import note_add, participant_erase, participant_register
from vrijuit.passes.numbers import format_number, is_valid_number
from vrijuit.passes.services import pass_issue, pass_replace
from vrijuit.passes.tests.factories import PassFactory


def _someone(network):
    """A person with unusual, unique values, so that a byte found in a file is theirs."""
    tag = secrets.token_hex(4)
    return participant_register(
        network=network,
        first_name=f"Zwanetta{tag}",
        last_name=f"Quaghebeur{tag}",
        birth_date=date(1979, 8, 23),
        postal_code="2150",
        street=f"Kwikstaartlaan {tag}",
        email=f"zwanetta.{tag}@example.be",
        phone="0499 87 65 43",
    )


def _traces(person, numbers):
    values = [person.first_name, person.last_name, person.street, person.email]
    values += numbers + [format_number(n) for n in numbers]
    return values


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite files; PostgreSQL keeps no -wal beside the data"
)
@pytest.mark.django_db(transaction=True)
def test_after_erasure_the_database_file_and_its_wal_hold_nothing_of_the_person(world):
    # given: a person with a replaced pass, a note and a view of their record, all committed
    MunicipalityFactory(network=world.own, name="Borsbeek", postal_codes="2150")
    person = _someone(world.own)
    old = pass_issue(participant=person)
    new = pass_replace(pass_=old, reason="lost")
    note_add(participant=person, text=f"Belt terug, {person.first_name}", author=None)
    traces = _traces(person, [old.number, new.number])
    path = Path(connection.settings_dict["NAME"])
    wal = Path(f"{path}-wal")
    before = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert person.last_name.encode() in before  # the test sees what it looks for

    # when
    participant_erase(participant=person)

    # then
    data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for value in traces:
        assert value.encode() not in data, value


@pytest.mark.django_db
def test_after_erasure_no_pass_row_or_audit_row_holds_the_old_pass_number(world):
    MunicipalityFactory(network=world.own, name="Borsbeek", postal_codes="2150")
    person = _someone(world.own)
    old = pass_issue(participant=person)
    new = pass_replace(pass_=old, reason="stolen")
    numbers = [old.number, new.number]

    participant_erase(participant=person)

    kept = list(person.passes.order_by("issued_at"))
    assert len(kept) == 2  # the passes stay as anonymous facts
    assert {p.number for p in kept}.isdisjoint(numbers)
    # what is left can never be a card: no valid check digit, so no scan finds it
    assert not any(is_valid_number(p.number) for p in kept)
    assert len({p.number for p in kept}) == 2
    for event in AuditEvent.objects.all():
        text = f"{event.object_repr} {event.changes} {event.context}"
        for number in numbers:
            assert number not in text and format_number(number) not in text, event.pk


@pytest.mark.django_db
def test_a_pass_of_another_person_keeps_its_number(world):
    MunicipalityFactory(network=world.own, name="Borsbeek", postal_codes="2150")
    person, other = _someone(world.own), _someone(world.own)
    pass_issue(participant=person)
    kept = pass_issue(participant=other)

    participant_erase(participant=person)

    kept.refresh_from_db()
    assert is_valid_number(kept.number)
    assert AuditEvent.objects.filter(object_id=str(kept.pk), object_repr=str(kept)).exists()


# --- searches in the access log ---------------------------------------------------------


@pytest.fixture
def found(world):
    MunicipalityFactory(network=world.own, name="Borsbeek", postal_codes="2150")
    people = [
        participant_register(
            network=world.own,
            first_name=first,
            last_name="Wuytack",
            birth_date=date(1990, 1, day),
            postal_code="2150",
        )
        for day, first in enumerate(["Lien", "Ward"], start=1)
    ]
    return sorted(str(p.pk) for p in people)


def _searches():
    return list(AuditEvent.objects.filter(action=AuditAction.SEARCH))


@pytest.mark.django_db
def test_a_desk_search_that_shows_people_is_in_the_access_log(world, login, found):
    client = login(world.users["own", Role.DESK])

    page = client.get(f"/desk/{world.own.slug}/participants/?q=wuytack")

    assert "Wuytack" in page.content.decode()
    [event] = _searches()
    assert event.actor == world.users["own", Role.DESK]
    assert event.network == world.own
    assert event.changes == {"count": 2, "records": found}
    assert "wuytack" not in f"{event.object_repr} {event.changes} {event.context}".lower()
    # the coordinator reads it in the audit log, in Dutch, with the count
    log = login(world.users["own", Role.COORDINATOR]).get(f"/desk/{world.own.slug}/audit/")
    assert "Mensen gevonden</strong>: – → 2" in log.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["get", "post"])
def test_an_api_search_that_returns_people_is_in_the_access_log(world, api_client, found, how):
    token = world.tokens["own", Role.DESK]
    if how == "get":
        response = api_client.get("/participants?q=Wuytack", token=token)
    else:
        response = api_client.post("/participants/search", {"q": "Wuytack"}, token=token)

    assert len(response.json()) == 2
    [event] = _searches()
    assert event.network == world.own
    assert event.source == "api"
    assert event.changes == {"count": 2, "records": found}
    assert "wuytack" not in f"{event.object_repr} {event.changes} {event.context}".lower()


@pytest.mark.django_db
def test_a_search_by_pass_number_does_not_log_the_number(world, api_client):
    MunicipalityFactory(network=world.own, name="Borsbeek", postal_codes="2150")
    card = PassFactory(participant__network=world.own, network=world.own)

    api_client.post(
        "/participants/search", {"q": card.number}, token=world.tokens["own", Role.DESK]
    )

    [event] = _searches()
    assert event.changes == {"count": 1, "records": [str(card.participant_id)]}
    assert card.number not in f"{event.object_repr} {event.changes} {event.context}"


@pytest.mark.django_db
def test_a_search_that_finds_nobody_is_not_logged(world, login, api_client, found):
    login(world.users["own", Role.DESK]).get(f"/desk/{world.own.slug}/participants/?q=zzz")
    api_client.get("/participants?q=zzz", token=world.tokens["own", Role.DESK])

    assert _searches() == []
