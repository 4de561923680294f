"""The pass endpoints of the API (docs/api.md): issue, block, replace."""

import pytest

from django.utils import timezone

from vrijuit.api.tests.assertions import assert_problem
from vrijuit.core.roles import Role
from vrijuit.participants.tests.factories import ParticipantFactory
from vrijuit.passes.constants import PassState
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import is_valid_number
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db

STAFF = [Role.DESK, Role.SOCIAL_WORKER, Role.COORDINATOR]
NOT_STAFF = [Role.ORGANISER, Role.FINANCE, Role.VOLUNTEER]
PASS_KEYS = {
    "id",
    "number",
    "state",
    "block_reason",
    "issued_at",
    "blocked_at",
    "participant",
    "replaced_by",
}


def token(world, role, key="own"):
    return world.tokens[key, role]


# --- issue -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_staff_issue_a_pass(world, api_client, role):
    person = ParticipantFactory(network=world.own)

    response = api_client.post(f"/participants/{person.pk}/passes", token=token(world, role))

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == PASS_KEYS
    card = Pass.objects.get(pk=body["id"])
    assert (card.network, card.participant) == (world.own, person)
    assert body["number"] == card.number and is_valid_number(body["number"])
    assert (body["state"], body["block_reason"], body["blocked_at"]) == ("active", "", None)
    assert body["participant"] == str(person.pk)
    assert body["replaced_by"] is None


def test_a_second_active_pass_is_refused(world, api_client):
    person = ParticipantFactory(network=world.own)
    first = PassFactory(participant=person)

    response = api_client.post(f"/participants/{person.pk}/passes", token=token(world, "desk"))

    assert_problem(response, 409, "pass_already_active")
    assert list(person.passes.all()) == [first]


def test_after_blocking_a_new_pass_may_be_issued(world, api_client):
    person = ParticipantFactory(network=world.own)
    PassFactory(participant=person, blocked=True)

    response = api_client.post(f"/participants/{person.pk}/passes", token=token(world, "desk"))

    assert response.status_code == 201
    assert person.passes.filter(state=PassState.ACTIVE).count() == 1


def test_an_erased_person_gets_no_pass(world, api_client):
    person = ParticipantFactory(network=world.own, erased_at=timezone.now())

    response = api_client.post(f"/participants/{person.pk}/passes", token=token(world, "desk"))

    assert_problem(response, 409, "already_erased")
    assert not person.passes.exists()


# --- block -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["lost", "stolen", "other"])
def test_blocking_a_pass(world, api_client, reason):
    card = PassFactory(participant=ParticipantFactory(network=world.own))

    response = api_client.post(
        f"/passes/{card.pk}/block", {"reason": reason}, token=token(world, Role.DESK)
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == PASS_KEYS
    assert (body["id"], body["state"], body["block_reason"]) == (str(card.pk), "blocked", reason)
    assert body["blocked_at"] is not None
    card.refresh_from_db()
    assert card.state == PassState.BLOCKED and card.access_key is None


def test_a_blocked_pass_cannot_be_blocked_again(world, api_client):
    card = PassFactory(participant=ParticipantFactory(network=world.own), blocked=True)

    response = api_client.post(
        f"/passes/{card.pk}/block", {"reason": "stolen"}, token=token(world, Role.DESK)
    )

    assert_problem(response, 409, "pass_not_active")
    card.refresh_from_db()
    assert card.block_reason == "lost"


@pytest.mark.parametrize("body", [{}, {"reason": "verloren"}, {"reason": None}])
def test_a_block_needs_a_known_reason(world, api_client, body):
    card = PassFactory(participant=ParticipantFactory(network=world.own))

    response = api_client.post(f"/passes/{card.pk}/block", body, token=token(world, Role.DESK))

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["reason"]
    card.refresh_from_db()
    assert card.state == PassState.ACTIVE


# --- replace ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_replacing_an_active_pass(world, api_client, role):
    person = ParticipantFactory(network=world.own)
    old = PassFactory(participant=person)

    response = api_client.post(
        f"/passes/{old.pk}/replace", {"reason": "stolen"}, token=token(world, role)
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == PASS_KEYS
    assert body["id"] != str(old.pk) and body["number"] != old.number
    assert (body["state"], body["participant"]) == ("active", str(person.pk))
    old.refresh_from_db()
    assert (old.state, old.block_reason, str(old.replaced_by_id)) == (
        PassState.REPLACED,
        "stolen",
        body["id"],
    )


def test_replacing_a_blocked_pass(world, api_client):
    old = PassFactory(participant=ParticipantFactory(network=world.own), blocked=True)

    response = api_client.post(
        f"/passes/{old.pk}/replace", {"reason": "lost"}, token=token(world, Role.DESK)
    )

    assert response.status_code == 201
    old.refresh_from_db()
    assert old.state == PassState.REPLACED


def test_a_replaced_pass_cannot_be_replaced_again(world, api_client):
    old = PassFactory(participant=ParticipantFactory(network=world.own), replaced=True)

    response = api_client.post(
        f"/passes/{old.pk}/replace", {"reason": "lost"}, token=token(world, Role.DESK)
    )

    assert_problem(response, 409, "pass_not_active")
    assert old.participant.passes.count() == 2


def test_no_replacement_for_an_erased_person(world, api_client):
    person = ParticipantFactory(network=world.own)
    old = PassFactory(participant=person, blocked=True)
    person.erased_at = timezone.now()
    person.save()

    response = api_client.post(
        f"/passes/{old.pk}/replace", {"reason": "lost"}, token=token(world, Role.COORDINATOR)
    )

    assert_problem(response, 409, "already_erased")
    assert person.passes.count() == 1


# --- who, and which network -------------------------------------------------------------


@pytest.mark.parametrize("unknown", ["other-network", "unknown"])
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/participants/{participant}/passes", {}),
        ("/passes/{pass}/block", {"reason": "lost"}),
        ("/passes/{pass}/replace", {"reason": "lost"}),
    ],
)
def test_another_networks_pass_or_participant_is_not_found_like_an_unknown_one(
    world, api_client, path, body, unknown
):
    stranger = ParticipantFactory(network=world.other)
    card = PassFactory(participant=stranger)
    missing = "3f1c7a8e-0000-4000-8000-000000000000"
    ids = {"participant": stranger.pk, "pass": card.pk}
    if unknown == "unknown":
        ids = {"participant": missing, "pass": missing}

    response = api_client.post(
        path.format(**ids), body, token=token(world, Role.COORDINATOR, key="own")
    )

    assert_problem(response, 404, "not_found")
    assert card.number not in response.content.decode()
    card.refresh_from_db()
    assert card.state == PassState.ACTIVE
    assert stranger.passes.count() == 1


@pytest.mark.parametrize("role", NOT_STAFF)
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/participants/{participant}/passes", {}),
        ("/passes/{pass}/block", {"reason": "lost"}),
        ("/passes/{pass}/replace", {"reason": "lost"}),
    ],
)
def test_organisers_finance_and_volunteers_may_not(world, api_client, path, body, role):
    person = ParticipantFactory(network=world.own)
    card = PassFactory(participant=person)

    response = api_client.post(
        path.format(participant=person.pk, **{"pass": card.pk}), body, token=token(world, role)
    )

    assert_problem(response, 403, "forbidden")
    assert card.number not in response.content.decode()
    card.refresh_from_db()
    assert card.state == PassState.ACTIVE
    assert person.passes.count() == 1


def test_no_address_of_the_api_takes_a_pass_number(client):
    schema = client.get("/api/v1/openapi.json").json()

    parameters = [
        parameter["name"]
        for item in schema["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
    ]
    assert parameters
    assert not [name for name in parameters if "number" in name]
    assert "/api/v1/passes/{pass_id}/block" in schema["paths"]
