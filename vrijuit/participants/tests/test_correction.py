"""Correcting a person after registration: PATCH /participants/{id}, and the service."""

from datetime import date, timedelta

import pytest

from django.utils import timezone

from vrijuit.api.tests.assertions import assert_problem
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.participants.exceptions import AlreadyErased, ParticipantInvalid
from vrijuit.participants.models import Participant
from vrijuit.participants.services import participant_erase, participant_update
from vrijuit.participants.tests.factories import ParticipantFactory, municipality_covering

pytestmark = pytest.mark.django_db

STAFF = [Role.DESK, Role.SOCIAL_WORKER, Role.COORDINATOR]


@pytest.fixture
def net(world):
    for network in world.networks.values():
        municipality_covering(network, "2150")
    municipality_covering(world.own, "2160")
    return world


@pytest.fixture
def samira(net):
    return ParticipantFactory(
        network=net.own,
        first_name="Samira",
        last_name="El Idrisi",
        birth_date=date(1985, 11, 27),
        street="Kerkstraat 1",
        email="samira@example.be",
        phone="0470 12 34 56",
        language="nl",
    )


def patch(api_client, person, body, role=Role.DESK, net=None, key="own"):
    return api_client.request(
        "patch", f"/participants/{person.pk}", body, token=net.tokens[key, role]
    )


@pytest.mark.parametrize("role", STAFF)
def test_staff_correct_the_address_contact_and_language(net, api_client, samira, role):
    response = patch(
        api_client,
        samira,
        {
            "street": "Nieuwstraat 12 bus 3",
            "postal_code": "2160",
            "email": "samira.el@example.be",
            "phone": "+32 3 123 45 67",
            "language": "fr",
        },
        role=role,
        net=net,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["street"], body["postal_code"], body["municipality"]) == (
        "Nieuwstraat 12 bus 3",
        "2160",
        "Gemeente 2160",
    )
    assert (body["email"], body["phone"], body["language"]) == (
        "samira.el@example.be",
        "+32 3 123 45 67",
        "fr",
    )
    # a partial update: what was not sent stays
    assert (body["first_name"], body["last_name"], body["birth_date"]) == (
        "Samira",
        "El Idrisi",
        "1985-11-27",
    )
    samira.refresh_from_db()
    assert samira.street == "Nieuwstraat 12 bus 3"
    assert samira.municipality.name == "Gemeente 2160"


def test_a_typo_in_the_name_or_birth_date_is_corrected_and_search_finds_the_new_name(
    net, api_client, samira
):
    response = patch(
        api_client, samira, {"last_name": "El Idrissi", "birth_date": "1985-11-28"}, net=net
    )

    assert response.status_code == 200
    found = api_client.get("/participants?q=idrissi", token=net.tokens["own", Role.DESK]).json()
    assert [p["id"] for p in found] == [str(samira.pk)]
    assert found[0]["birth_date"] == "1985-11-28"


def test_a_contact_field_sent_empty_or_null_is_cleared(net, api_client, samira):
    response = patch(api_client, samira, {"email": None, "phone": ""}, net=net)

    assert response.status_code == 200
    assert (response.json()["email"], response.json()["phone"]) == ("", "")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"email": "samira-at-example"}, {"email"}),
        ({"postal_code": "21"}, {"postal_code"}),
        ({"phone": "bel me maar"}, {"phone"}),
        ({"first_name": None}, {"first_name"}),
        ({"last_name": "   "}, {"last_name"}),
        ({"birth_date": None}, {"birth_date"}),
        ({"language": "de"}, {"language"}),
        ({"email": "x", "postal_code": "abcd", "birth_date": "1899-12-31"}, None),
    ],
    ids=lambda v: str(v),
)
def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(
    net, api_client, samira, body, fields
):
    before = Participant.objects.filter(pk=samira.pk).values().get()

    response = patch(api_client, samira, body, net=net)

    problem = assert_problem(response, 422, "validation_error")
    assert set(problem["errors"]) == (fields or set(body))
    assert all(m.strip() for messages in problem["errors"].values() for m in messages)
    assert Participant.objects.filter(pk=samira.pk).values().get() == before


def test_a_birth_date_in_the_future_is_refused(net, api_client, samira):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = patch(api_client, samira, {"birth_date": tomorrow.isoformat()}, net=net)

    problem = assert_problem(response, 422, "validation_error")
    assert set(problem["errors"]) == {"birth_date"}


def test_moving_outside_the_network_is_refused_with_its_own_code(net, api_client, samira):
    response = patch(api_client, samira, {"postal_code": "9000"}, net=net)

    problem = assert_problem(response, 422, "postal_code_outside_network")
    assert set(problem["errors"]) == {"postal_code"}


def test_the_message_is_in_the_callers_language(net, api_client, samira):
    response = api_client.request(
        "patch",
        f"/participants/{samira.pk}",
        {"email": "fout"},
        token=net.tokens["own", Role.DESK],
        language="nl",
    )

    assert assert_problem(response, 422, "validation_error")["errors"]["email"] == [
        "Vul een e-mailadres in zoals naam@voorbeeld.be."
    ]


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.FINANCE, Role.VOLUNTEER])
def test_other_roles_are_refused(net, api_client, samira, role):
    response = patch(api_client, samira, {"street": "Elders 1"}, role=role, net=net)

    assert_problem(response, 403, "forbidden")
    samira.refresh_from_db()
    assert samira.street == "Kerkstraat 1"


def test_another_networks_person_is_not_found(net, api_client, samira):
    response = patch(api_client, samira, {"street": "Elders 1"}, net=net, key="other")

    assert_problem(response, 404, "not_found")


def test_an_erased_person_cannot_be_corrected(net, api_client, samira):
    participant_erase(participant=samira)

    assert_problem(patch(api_client, samira, {"street": "X 1"}, net=net), 409, "already_erased")
    with pytest.raises(AlreadyErased):
        participant_update(participant=samira, street="X 1")


def test_the_correction_is_audited_with_personal_values_masked_and_access_logged(
    net, api_client, samira
):
    patch(api_client, samira, {"street": "Nieuwstraat 12", "postal_code": "2160"}, net=net)

    [change] = AuditEvent.objects.filter(object_id=str(samira.pk), action=AuditAction.UPDATE)
    assert change.changes["street"] == ["•••", "•••"]
    assert change.changes["postal_code"] == ["2150", "2160"]
    assert change.source == "api"
    assert "Nieuwstraat" not in str(change.changes) and "Kerkstraat" not in str(change.changes)
    assert AuditEvent.objects.filter(
        object_id=str(samira.pk), action=AuditAction.VIEW, context="api:participant-patch"
    ).exists()


def test_nothing_sent_changes_nothing_and_writes_no_change(net, api_client, samira):
    response = patch(api_client, samira, {}, net=net)

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(object_id=str(samira.pk), action=AuditAction.UPDATE)


def test_the_service_checks_everything_before_storing(net, samira):
    with pytest.raises(ParticipantInvalid) as refused:
        participant_update(participant=samira, street="Nieuw 1", email="fout")

    assert set(refused.value.errors) == {"email"}
    samira.refresh_from_db()
    assert samira.street == "Kerkstraat 1"


def test_the_endpoint_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()

    operation = document["paths"]["/api/v1/participants/{participant_id}"]["patch"]
    assert "partial" in operation["description"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    fields = set(document["components"]["schemas"][name]["properties"])
    assert fields == {
        "first_name",
        "last_name",
        "birth_date",
        "postal_code",
        "street",
        "email",
        "phone",
        "language",
    }
    assert document["components"]["schemas"][name].get("required", []) == []
