"""/api/v1/organisers: a coordinator adds organisers; staff read those of their network."""

import uuid

from vrijuit.api.tests.assertions import assert_problem
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import PartnerFactory


def test_a_coordinator_adds_an_organiser_and_gets_its_id_and_slug(world, api_client):
    partner = PartnerFactory(network=world.own, name="Cultuurdienst")
    token = world.tokens["own", Role.COORDINATOR]

    response = api_client.post(
        "/organisers",
        {
            "name": "Zwemclub De Dolfijn",
            "email": "info@dolfijn.be",
            "iban": "be68 5390 0754 7034",
            "partner": str(partner.pk),
        },
        token=token,
    )

    assert response.status_code == 201
    body = response.json()
    assert uuid.UUID(body["id"])
    assert body["slug"] == "zwemclub-de-dolfijn"
    assert (body["iban"], body["partner"]) == ("BE68539007547034", str(partner.pk))
    organiser = world.own.organisers.get(pk=body["id"])
    assert organiser.name == "Zwemclub De Dolfijn"


def test_the_new_organiser_is_in_the_audit_log_attributed_to_the_token(world, api_client):
    token = world.tokens["own", Role.COORDINATOR]

    organiser_id = api_client.post("/organisers", {"name": "Zwemclub"}, token=token).json()["id"]

    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=organiser_id)
    assert event.actor_label.startswith("API:")
    assert event.actor_label == "API: tests"  # the token's name
    assert (event.network, event.source, event.actor) == (world.own, "api", None)
    assert event.context == "/api/v1/organisers"
    assert event.changes["name"] == [None, "Zwemclub"]


def test_two_organisers_with_the_same_name_get_different_slugs(world, api_client):
    token = world.tokens["own", Role.COORDINATOR]

    slugs = [
        api_client.post("/organisers", {"name": "Jeugdhuis"}, token=token).json()["slug"]
        for _ in range(2)
    ]

    assert slugs == ["jeugdhuis", "jeugdhuis-2"]


def test_the_same_slug_may_exist_in_another_network(world, api_client):
    mine = api_client.post(
        "/organisers", {"name": "Jeugdhuis"}, token=world.tokens["own", Role.COORDINATOR]
    ).json()
    theirs = api_client.post(
        "/organisers", {"name": "Jeugdhuis"}, token=world.tokens["other", Role.COORDINATOR]
    ).json()

    assert mine["slug"] == theirs["slug"] == "jeugdhuis"
    assert mine["id"] != theirs["id"]


def test_the_list_holds_the_own_networks_organisers_only(world, api_client):
    api_client.post("/organisers", {"name": "Eigen club"}, token=world.tokens["own", "coordinator"])
    api_client.post("/organisers", {"name": "Hun club"}, token=world.tokens["other", "coordinator"])

    listed = api_client.get("/organisers", token=world.tokens["own", Role.DESK]).json()

    assert sorted(o["name"] for o in listed) == ["Club own", "Eigen club"]


def test_an_organiser_token_reads_its_own_organiser(world, api_client):
    organiser = world.organisers["own"]

    response = api_client.get(
        f"/organisers/{organiser.pk}", token=world.tokens["own", Role.ORGANISER]
    )

    assert response.status_code == 200
    assert (response.json()["slug"], response.json()["iban"]) == ("own-club", organiser.iban)


def test_an_organiser_token_of_another_network_does_not_find_this_organiser(world, api_client):
    response = api_client.get(
        f"/organisers/{world.organisers['own'].pk}", token=world.tokens["other", Role.ORGANISER]
    )

    assert_problem(response, 404, "not_found")
