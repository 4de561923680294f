"""The participant and status endpoints of the API (docs/api.md), and what organisers never see."""

import re
from datetime import date, timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vrijuit.api.tests.assertions import assert_problem
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.participants.constants import Basis, StatusState
from vrijuit.participants.models import Participant, Status
from vrijuit.participants.services import household_join, note_add
from vrijuit.participants.tests.factories import (
    HouseholdFactory,
    ParticipantFactory,
    StatusFactory,
    municipality_covering,
)
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db

STAFF = [Role.DESK, Role.SOCIAL_WORKER, Role.COORDINATOR]
NOT_STAFF = [Role.ORGANISER, Role.FINANCE, Role.VOLUNTEER]
RECORD_KEYS = {
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "postal_code",
    "municipality",
    "street",
    "email",
    "phone",
    "language",
    "household",
    "status_state",
    "active_pass",
    "statuses",
    "passes",
    "erased_at",
}
STATUS_KEYS = {
    "id",
    "participant",
    "valid_from",
    "valid_until",
    "state",
    "suspended_from",
    "suspended_until",
    "ended_on",
}
LIST_KEYS = {
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "postal_code",
    "status_state",
    "active_pass_number",
}


@pytest.fixture
def net(world):
    """The world, with postal code 2150 covered in both networks."""
    for network in world.networks.values():
        municipality_covering(network, "2150")
    return world


def token(world, role, key="own"):
    return world.tokens[key, role]


def registration(**changes):
    body = {
        "first_name": "Samira",
        "last_name": "El Idrissi",
        "birth_date": "1985-11-27",
        "postal_code": "2150",
    }
    body.update(changes)
    return body


def today():
    return timezone.localdate()


# --- POST /participants ----------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_staff_register_a_participant(net, api_client, role):
    response = api_client.post(
        "/participants",
        registration(email="samira@example.be", phone="0470 11 22 33", language="fr"),
        token=token(net, role),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == RECORD_KEYS | {"possible_duplicates"}
    participant = Participant.objects.get(pk=body["id"])
    assert participant.network == net.own
    assert body["first_name"] == "Samira"
    assert body["last_name"] == "El Idrissi"
    assert body["birth_date"] == "1985-11-27"
    assert body["postal_code"] == "2150"
    assert body["municipality"] == participant.municipality.name
    assert body["language"] == "fr"
    assert body["email"] == "samira@example.be"
    assert body["household"] is None
    assert body["statuses"] == []
    assert body["passes"] == []
    assert body["active_pass"] is None
    assert body["status_state"] == StatusState.NONE
    assert body["possible_duplicates"] == []
    assert body["erased_at"] is None


def test_a_registration_names_possible_duplicates_but_is_made(net, api_client):
    earlier = ParticipantFactory(
        network=net.own, first_name="Samira", last_name="El Idrissi", birth_date=date(1985, 11, 27)
    )
    ParticipantFactory(
        network=net.other,
        first_name="Samira",
        last_name="El Idrissi",
        birth_date=date(1985, 11, 27),
    )

    response = api_client.post("/participants", registration(), token=token(net, Role.DESK))

    assert response.status_code == 201
    assert response.json()["possible_duplicates"] == [str(earlier.pk)]
    assert net.own.participants.count() == 2


def test_a_registration_joins_a_household_of_the_network(net, api_client):
    household = HouseholdFactory(network=net.own)
    parent = ParticipantFactory(network=net.own, first_name="Fatima", household=household)

    response = api_client.post(
        "/participants", registration(household=str(household.pk)), token=token(net, Role.DESK)
    )

    assert response.status_code == 201
    members = response.json()["household"]["members"]
    assert response.json()["household"]["id"] == str(household.pk)
    assert {m["id"] for m in members} == {str(parent.pk), response.json()["id"]}
    assert set(members[0]) == {"id", "first_name"}


def test_a_household_of_another_network_is_refused(net, api_client):
    household = HouseholdFactory(network=net.other)

    response = api_client.post(
        "/participants", registration(household=str(household.pk)), token=token(net, Role.DESK)
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["household"]
    assert not net.own.participants.exists()


def test_missing_fields_are_named(net, api_client):
    response = api_client.post("/participants", {"email": "x@example.be"}, token=token(net, "desk"))

    problem = assert_problem(response, 422, "validation_error")
    assert set(problem["errors"]) == {"first_name", "last_name", "birth_date", "postal_code"}


@pytest.mark.parametrize(
    "birth_date",
    ["0001-01-01", "1899-12-31", "9999-12-31", "tomorrow", "27/11/1985", "1985-02-30", "", 0.5],
)
def test_a_birth_date_outside_1900_until_today_or_not_a_date_is_refused(
    net, api_client, birth_date
):
    if birth_date == "tomorrow":
        birth_date = (today() + timedelta(days=1)).isoformat()

    response = api_client.post(
        "/participants", registration(birth_date=birth_date), token=token(net, Role.DESK)
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["birth_date"]
    assert not Participant.objects.exists()


@pytest.mark.parametrize("birth_date", ["1900-01-01", "today"])
def test_a_birth_date_from_1900_until_today_is_accepted(net, api_client, birth_date):
    if birth_date == "today":
        birth_date = today().isoformat()

    response = api_client.post(
        "/participants", registration(birth_date=birth_date), token=token(net, Role.DESK)
    )

    assert response.status_code == 201
    assert response.json()["birth_date"] == birth_date


def test_a_postal_code_outside_the_network_is_refused_with_its_code(net, api_client):
    response = api_client.post(
        "/participants", registration(postal_code="9000"), token=token(net, Role.DESK)
    )

    assert_problem(response, 422, "postal_code_outside_network")
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "niet-een-adres"}, "email"),
        ({"language": "de"}, "language"),
        ({"first_name": "   "}, "first_name"),
        ({"last_name": "x" * 101}, "last_name"),
        ({"household": "geen-uuid"}, "household"),
    ],
)
def test_invalid_fields_are_named(net, api_client, changes, field):
    response = api_client.post(
        "/participants", registration(**changes), token=token(net, Role.DESK)
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == [field]


def test_a_registration_is_in_the_tokens_network(net, api_client):
    response = api_client.post(
        "/participants", registration(), token=token(net, Role.COORDINATOR, key="other")
    )

    assert response.status_code == 201
    assert Participant.objects.get(pk=response.json()["id"]).network == net.other
    assert not net.own.participants.exists()


# --- searching -------------------------------------------------------------------------


def test_search_by_name_gives_the_list_fields_state_and_pass_number(net, api_client):
    lotte = ParticipantFactory(network=net.own, first_name="Lotte", last_name="Peeters")
    StatusFactory(participant=lotte, today=today())
    card = PassFactory(participant=lotte)
    ParticipantFactory(network=net.own, first_name="Jan", last_name="Wouters")

    response = api_client.get("/participants?q=lotte%20pee", token=token(net, Role.DESK))

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(lotte.pk),
            "first_name": "Lotte",
            "last_name": "Peeters",
            "birth_date": lotte.birth_date.isoformat(),
            "postal_code": "2150",
            "status_state": StatusState.ACTIVE,
            "active_pass_number": card.number,
        }
    ]


def test_search_by_birth_date(net, api_client):
    born = ParticipantFactory(network=net.own, birth_date=date(2011, 4, 30))
    ParticipantFactory(network=net.own, birth_date=date(2011, 5, 1))

    response = api_client.get("/participants?q=30/04/2011", token=token(net, Role.DESK))

    assert [item["id"] for item in response.json()] == [str(born.pk)]


@pytest.mark.parametrize("role", STAFF)
def test_search_by_pass_number_in_the_body(net, api_client, role):
    card = PassFactory(participant=ParticipantFactory(network=net.own))
    PassFactory(participant=ParticipantFactory(network=net.own))
    spaced = " ".join(re.findall(".{1,4}", card.number))

    response = api_client.post("/participants/search", {"q": spaced}, token=token(net, role))

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [str(card.participant_id)]
    assert response.json()[0]["active_pass_number"] == card.number


def test_a_blocked_pass_is_not_the_active_pass_number(net, api_client):
    card = PassFactory(participant=ParticipantFactory(network=net.own), blocked=True)

    response = api_client.post("/participants/search", {"q": card.number}, token=token(net, "desk"))

    assert response.json()[0]["active_pass_number"] is None


def test_an_empty_query_finds_nobody(net, api_client):
    ParticipantFactory(network=net.own)

    assert api_client.get("/participants", token=token(net, Role.DESK)).json() == []
    assert api_client.get("/participants?q=", token=token(net, Role.DESK)).json() == []
    response = api_client.post("/participants/search", {"q": "  "}, token=token(net, "desk"))
    assert response.json() == []


def test_search_gives_at_most_25_people(net, api_client):
    for n in range(30):
        ParticipantFactory(network=net.own, last_name=f"Peeters {n:02}")

    response = api_client.get("/participants?q=peeters", token=token(net, Role.DESK))

    assert len(response.json()) == 25


def test_search_does_not_find_people_of_another_network(net, api_client):
    ParticipantFactory(network=net.other, last_name="Peeters", birth_date=date(2011, 4, 30))
    card = PassFactory(participant=ParticipantFactory(network=net.other))

    for q in ("peeters", "2011-04-30"):
        assert api_client.get(f"/participants?q={q}", token=token(net, "desk")).json() == []
    response = api_client.post("/participants/search", {"q": card.number}, token=token(net, "desk"))
    assert response.json() == []


def _search_queries(api_client, net, query):
    desk = token(net, Role.DESK)
    api_client.get("/participants?q=warm-up", token=desk)  # token's last use is written once
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/participants?q={query}", token=desk)
    assert response.status_code == 200
    return len(response.json()), len(queries)


@pytest.mark.parametrize("query", ["peeters", "lotte peeters", "2011-04-30"])
def test_search_takes_the_same_number_of_queries_for_2_or_20_people(net, api_client, query):
    def people(n):
        for _ in range(n):
            person = ParticipantFactory(
                network=net.own,
                first_name="Lotte",
                last_name="Peeters",
                birth_date=date(2011, 4, 30),
            )
            StatusFactory(participant=person, today=today())
            StatusFactory(participant=person, today=today(), expired=True)
            PassFactory(participant=person)
            PassFactory(participant=person, blocked=True)

    people(2)
    few, few_queries = _search_queries(api_client, net, query)
    people(18)
    many, many_queries = _search_queries(api_client, net, query)

    assert (few, many) == (2, 20)
    assert many_queries == few_queries


def test_the_query_is_limited_in_length(net, api_client):
    response = api_client.get("/participants?q=" + "a" * 201, token=token(net, Role.DESK))

    assert_problem(response, 422, "validation_error")


# --- GET /participants/{id} ------------------------------------------------------------


@pytest.fixture
def family(net):
    """Fatima with a status (and a suspended older one), a blocked and an active pass, and a
    child in her household."""
    fatima = ParticipantFactory(network=net.own, first_name="Fatima", last_name="Benali")
    child = ParticipantFactory(network=net.own, first_name="Yara", last_name="Benali")
    household_join(participant=child, other=fatima)
    StatusFactory(participant=fatima, today=today(), basis=Basis.DEBT_MEDIATION, note="brief OCMW")
    StatusFactory(participant=fatima, today=today(), expired=True, basis=Basis.INCOME)
    PassFactory(participant=fatima, blocked=True)
    active = PassFactory(participant=fatima)
    fatima.refresh_from_db()
    return fatima, child, active


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_the_record_with_basis_for_social_workers_and_coordinators(net, api_client, family, role):
    fatima, child, active = family

    response = api_client.get(f"/participants/{fatima.pk}", token=token(net, role))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == RECORD_KEYS
    assert (body["last_name"], body["street"], body["email"]) == (
        "Benali",
        fatima.street,
        fatima.email,
    )
    assert body["status_state"] == StatusState.ACTIVE
    assert [s["state"] for s in body["statuses"]] == [StatusState.ACTIVE, StatusState.EXPIRED]
    assert [(s["basis"], s["note"]) for s in body["statuses"]] == [
        (Basis.DEBT_MEDIATION, "brief OCMW"),
        (Basis.INCOME, "Attest van het ziekenfonds gezien"),
    ]
    assert set(body["statuses"][0]) == STATUS_KEYS | {"basis", "note"}
    assert body["active_pass"] == {
        "id": str(active.pk),
        "number": active.number,
        "state": "active",
        "block_reason": "",
        "issued_at": body["active_pass"]["issued_at"],
    }
    assert [(p["state"], p["block_reason"]) for p in body["passes"]] == [
        ("active", ""),
        ("blocked", "lost"),
    ]
    assert body["household"]["id"] == str(fatima.household_id)
    assert sorted(body["household"]["members"], key=lambda m: m["first_name"]) == [
        {"id": str(fatima.pk), "first_name": "Fatima"},
        {"id": str(child.pk), "first_name": "Yara"},
    ]


def test_desk_staff_see_no_basis_unless_the_network_lets_them_grant(net, api_client, family):
    fatima, _child, _active = family
    desk = token(net, Role.DESK)

    body = api_client.get(f"/participants/{fatima.pk}", token=desk).json()

    assert [set(s) for s in body["statuses"]] == [STATUS_KEYS, STATUS_KEYS]
    assert "debt_mediation" not in str(body) and "brief OCMW" not in str(body)

    net.own.desk_may_grant_status = True
    net.own.save()
    body = api_client.get(f"/participants/{fatima.pk}", token=desk).json()
    assert body["statuses"][0]["basis"] == "debt_mediation"


def test_suspended_and_ended_periods_carry_their_dates(net, api_client):
    person = ParticipantFactory(network=net.own)
    suspended = StatusFactory(participant=person, today=today(), suspended=True)
    ended = StatusFactory(participant=person, today=today(), ended=True)

    body = api_client.get(f"/participants/{person.pk}", token=token(net, "desk")).json()

    by_id = {s["id"]: s for s in body["statuses"]}
    assert by_id[str(suspended.pk)]["suspended_from"] == suspended.suspended_from.isoformat()
    assert by_id[str(suspended.pk)]["state"] == StatusState.SUSPENDED
    assert by_id[str(ended.pk)]["ended_on"] == ended.ended_on.isoformat()
    assert body["status_state"] == StatusState.SUSPENDED


def test_every_view_of_a_record_is_in_the_access_log(net, api_client):
    person = ParticipantFactory(network=net.own)

    for _ in range(2):
        api_client.get(f"/participants/{person.pk}", token=token(net, Role.DESK))

    views = AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="participants.participant", object_id=str(person.pk)
    )
    assert views.count() == 2
    assert {(v.context, v.network_id, v.source) for v in views} == {
        ("api:participant", net.own.pk, "api")
    }
    assert views[0].actor_label.startswith("API: ")


@pytest.mark.parametrize("unknown", ["other-network", "unknown"])
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("post", "/statuses", {"basis": "income", "valid_from": "2026-01-01"}),
        ("get", "/export", None),
        ("post", "/erase", {}),
    ],
)
def test_another_networks_participant_is_not_found_like_an_unknown_one(
    net, api_client, method, suffix, body, unknown
):
    stranger = ParticipantFactory(network=net.other)
    StatusFactory(participant=stranger, today=today())
    pk = stranger.pk if unknown == "other-network" else "3f1c7a8e-0000-4000-8000-000000000000"

    response = api_client.request(
        method, f"/participants/{pk}{suffix}", body, token(net, Role.COORDINATOR)
    )

    assert_problem(response, 404, "not_found")
    assert stranger.last_name not in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.statuses.count() == 1 and stranger.erased_at is None
    assert not AuditEvent.objects.filter(
        object_id=str(stranger.pk), action__in=[AuditAction.VIEW, AuditAction.EXPORT]
    ).exists()


# --- POST /participants/{id}/statuses ---------------------------------------------------


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_a_status_is_granted_until_the_end_of_the_year_by_default(net, api_client, role):
    person = ParticipantFactory(network=net.own)

    response = api_client.post(
        f"/participants/{person.pk}/statuses",
        {"basis": "increased_allowance", "valid_from": "2026-03-14", "note": " attest gezien "},
        token=token(net, role),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == STATUS_KEYS | {"basis", "note", "household_statuses"}
    assert body["participant"] == str(person.pk)
    assert (body["valid_from"], body["valid_until"]) == ("2026-03-14", "2026-12-31")
    assert (body["basis"], body["note"]) == ("increased_allowance", "attest gezien")
    assert body["household_statuses"] == []
    status = Status.objects.get(pk=body["id"])
    assert status.granted_by_label == "token:tests"
    assert status.partner is None


def test_a_status_granted_in_december_runs_until_the_end_of_the_next_year(net, api_client):
    person = ParticipantFactory(network=net.own)
    coordinator = token(net, Role.COORDINATOR)

    response = api_client.post(
        f"/participants/{person.pk}/statuses",
        {"basis": "income", "valid_from": "2026-12-04"},
        token=coordinator,
    )

    assert response.status_code == 201, response.content
    assert response.json()["valid_until"] == "2027-12-31"
    rules = api_client.get("/me", token=coordinator).json()["status_rules"]
    assert (rules["validity"], rules["late_grant_months"]) == ("end_of_year", 3)
    late = timezone.localdate().month >= 10
    assert rules["default_valid_until"] == f"{timezone.localdate().year + late}-12-31"


def test_a_status_for_the_whole_household(net, api_client, family):
    fatima, child, _active = family
    stranger = ParticipantFactory(network=net.own)

    response = api_client.post(
        f"/participants/{fatima.pk}/statuses",
        {
            "basis": "social_integration",
            "valid_from": "2026-01-01",
            "valid_until": "2026-06-30",
            "include_household": True,
        },
        token=token(net, Role.SOCIAL_WORKER),
    )

    assert response.status_code == 201
    body = response.json()
    assert body["participant"] == str(fatima.pk)
    assert [s["participant"] for s in body["household_statuses"]] == [str(child.pk)]
    assert body["household_statuses"][0]["valid_until"] == "2026-06-30"
    assert child.statuses.filter(basis="social_integration").count() == 1
    assert not stranger.statuses.exists()


def test_desk_staff_grant_only_where_the_network_allows_it(net, api_client):
    person = ParticipantFactory(network=net.own)
    body = {"basis": "income", "valid_from": today().isoformat()}
    url = f"/participants/{person.pk}/statuses"

    assert_problem(api_client.post(url, body, token=token(net, Role.DESK)), 403, "forbidden")
    assert not person.statuses.exists()

    net.own.desk_may_grant_status = True
    net.own.save()
    response = api_client.post(url, body, token=token(net, Role.DESK))
    assert response.status_code == 201
    assert response.json()["state"] == StatusState.ACTIVE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_from": "0001-01-01"}, "valid_from"),
        ({"valid_from": "9999-12-31"}, "valid_from"),
        ({"valid_until": "9999-12-31"}, "valid_until"),
        ({"valid_from": "2026-13-01"}, "valid_from"),
        ({"basis": "rich"}, "basis"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_invalid_status_fields_are_named(net, api_client, changes, field):
    person = ParticipantFactory(network=net.own)
    body = {"basis": "income", "valid_from": "2026-01-01", **changes}

    response = api_client.post(
        f"/participants/{person.pk}/statuses", body, token=token(net, Role.COORDINATOR)
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == [field]
    assert not person.statuses.exists()


def test_a_period_that_ends_before_it_starts_is_refused(net, api_client):
    person = ParticipantFactory(network=net.own)

    response = api_client.post(
        f"/participants/{person.pk}/statuses",
        {"basis": "income", "valid_from": "2026-05-01", "valid_until": "2026-04-30"},
        token=token(net, Role.COORDINATOR),
    )

    problem = assert_problem(response, 422, "status_refused")
    assert list(problem["errors"]) == ["valid_until"]


def test_late_dates_within_the_bounds_do_not_break_the_record(net, api_client):
    # The grace period is added to valid_until when the record is read.
    net.own.status_validity = "months"
    net.own.status_validity_months = 24
    net.own.save()
    person = ParticipantFactory(network=net.own)
    coordinator = token(net, Role.COORDINATOR)

    response = api_client.post(
        f"/participants/{person.pk}/statuses",
        {"basis": "income", "valid_from": "2100-12-31"},
        token=coordinator,
    )
    assert response.status_code == 201, response.content

    response = api_client.get(f"/participants/{person.pk}", token=coordinator)
    assert response.status_code == 200
    assert response.json()["status_state"] == StatusState.NONE


def test_an_erased_person_gets_no_status(net, api_client):
    person = ParticipantFactory(network=net.own, erased_at=timezone.now())

    response = api_client.post(
        f"/participants/{person.pk}/statuses",
        {"basis": "income", "valid_from": "2026-01-01"},
        token=token(net, Role.COORDINATOR),
    )

    assert_problem(response, 409, "already_erased")


# --- export and erasure ---------------------------------------------------------------


def test_the_export_holds_everything_and_is_logged(net, api_client, family):
    fatima, child, active = family
    note_add(participant=fatima, text="Wil graag zwemles", author=None)
    coordinator = token(net, Role.COORDINATOR)
    api_client.get(f"/participants/{fatima.pk}", token=token(net, Role.DESK))

    response = api_client.get(f"/participants/{fatima.pk}/export", token=coordinator)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "participant",
        "household",
        "statuses",
        "passes",
        "participations",
        "notes",
        "access_log",
    }
    assert body["participant"]["last_name"] == "Benali"
    assert body["participant"]["birth_date"] == fatima.birth_date.isoformat()
    assert body["participant"]["street"] == fatima.street
    assert body["household"]["members"] == [
        {"id": str(fatima.pk), "first_name": "Fatima"},
        {"id": str(child.pk), "first_name": "Yara"},
    ]
    assert {(s["basis"], s["note"]) for s in body["statuses"]} == {
        ("debt_mediation", "brief OCMW"),
        ("income", "Attest van het ziekenfonds gezien"),
    }
    assert {p["number"] for p in body["passes"]} >= {active.number}
    assert [n["text"] for n in body["notes"]] == ["Wil graag zwemles"]
    assert "view" in [e["action"] for e in body["access_log"]]
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT,
        object_id=str(fatima.pk),
        context="api:participant-export",
        network=net.own,
    ).exists()


def test_the_second_export_lists_the_first(net, api_client):
    person = ParticipantFactory(network=net.own)
    coordinator = token(net, Role.COORDINATOR)

    api_client.get(f"/participants/{person.pk}/export", token=coordinator)
    body = api_client.get(f"/participants/{person.pk}/export", token=coordinator).json()

    assert "export" in [e["action"] for e in body["access_log"]]


def test_erasure_keeps_only_anonymous_facts(net, api_client, family):
    fatima, _child, _active = family
    coordinator = token(net, Role.COORDINATOR)

    response = api_client.post(f"/participants/{fatima.pk}/erase", token=coordinator)

    assert response.status_code == 200
    assert set(response.json()) == {"id", "erased_at"}
    assert response.json()["id"] == str(fatima.pk)
    record = api_client.get(f"/participants/{fatima.pk}", token=coordinator).json()
    assert record["erased_at"] is not None
    assert (record["last_name"], record["street"], record["email"], record["phone"]) == (
        "",
        "",
        "",
        "",
    )
    assert record["birth_date"] == f"{fatima.birth_date.year}-01-01"
    assert record["household"] is None
    assert [s["note"] for s in record["statuses"]] == ["", ""]
    export = api_client.get(f"/participants/{fatima.pk}/export", token=coordinator)
    assert "Benali" not in export.content.decode()


def test_erasing_twice_is_a_conflict(net, api_client):
    person = ParticipantFactory(network=net.own)
    coordinator = token(net, Role.COORDINATOR)
    api_client.post(f"/participants/{person.pk}/erase", token=coordinator)

    response = api_client.post(f"/participants/{person.pk}/erase", token=coordinator)

    assert_problem(response, 409, "already_erased")


# --- organisers and other roles ---------------------------------------------------------

ENDPOINTS = [
    ("post", "/participants", "registration"),
    ("get", "/participants?q=Benali", None),
    ("post", "/participants/search", {"q": "Benali"}),
    ("get", "/participants/{id}", None),
    ("post", "/participants/{id}/statuses", {"basis": "income", "valid_from": "2026-01-01"}),
    ("post", "/participants/{id}/passes", {}),
    ("post", "/passes/{pass}/block", {"reason": "lost"}),
    ("post", "/passes/{pass}/replace", {"reason": "lost"}),
    ("get", "/participants/{id}/export", None),
    ("post", "/participants/{id}/erase", {}),
]


@pytest.mark.parametrize("role", NOT_STAFF)
@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=lambda v: str(v))
def test_organisers_finance_and_volunteers_are_refused_everywhere(
    net, api_client, family, method, path, body, role
):
    fatima, _child, active = family
    body = registration() if body == "registration" else body
    url = path.format(id=fatima.pk, **{"pass": active.pk})

    response = api_client.request(method, url, body, token(net, role))

    assert_problem(response, 403, "forbidden")
    text = response.content.decode()
    assert "Benali" not in text and fatima.birth_date.isoformat() not in text


def _walk_get_endpoints(client, net, raw_token, values):
    """Every GET operation of the OpenAPI document, its placeholders filled with ``values``
    and ``q`` asked for each of the given searches; the answers' texts."""
    schema = client.get("/api/v1/openapi.json").json()
    texts = {}
    for path, item in schema["paths"].items():
        if "get" not in item:
            continue
        url = re.sub(
            r"{(\w+)}", lambda m: str(values.get(m.group(1), values["participant_id"])), path
        )
        for q in values["q"]:
            response = client.get(url, {"q": q}, headers={"Authorization": f"Bearer {raw_token}"})
            assert response.status_code < 500, (url, response.status_code)
            texts[f"{url}?q={q}"] = response.content.decode()
    return texts


def test_an_organiser_never_receives_a_last_name_or_birth_date_from_any_get_endpoint(
    net, client, family
):
    fatima, _child, active = family
    people = list(net.own.participants.all())
    secrets = set()
    for person in people:
        secrets |= {person.last_name, person.birth_date.isoformat(), person.street, person.email}
    secrets |= {"debt_mediation", "brief OCMW"}
    values = {
        "participant_id": fatima.pk,
        "pass_id": active.pk,
        "organiser_id": net.organisers["own"].pk,
        "q": ["Benali", fatima.birth_date.isoformat(), active.number, "Fatima"],
    }

    # the walk does find them with a coordinator's token
    seen = _walk_get_endpoints(client, net, token(net, Role.COORDINATOR), values)
    assert any("Benali" in text for text in seen.values())

    # and an organiser's token gets none of them
    seen = _walk_get_endpoints(client, net, token(net, Role.ORGANISER), values)
    assert len(seen) >= 4 * 4
    leaks = {url: [s for s in secrets if s in text] for url, text in seen.items()}
    assert {url: found for url, found in leaks.items() if found} == {}
