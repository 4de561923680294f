"""The desk page that gives the printable card: who may print it, and what is logged."""

import pytest

from django.urls import reverse

from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.participants.services import participant_erase
from vrijuit.passes.constants import BlockReason
from vrijuit.passes.services import pass_block

from .factories import PassFactory
from .pdf_reading import read_pdf

PRINTERS = [Role.COORDINATOR, Role.DESK, Role.SOCIAL_WORKER]
OTHERS = [Role.ORGANISER, Role.FINANCE, Role.VOLUNTEER]


def card_url(pass_, network=None):
    network = network or pass_.network
    return reverse("passes:card_pdf", args=[network.slug, pass_.pk])


@pytest.fixture
def own_pass(world):
    return PassFactory(participant__network=world.own, participant__first_name="Lotte")


@pytest.mark.parametrize("role", PRINTERS)
def test_staff_who_issue_passes_get_the_card_as_a_pdf_to_open(world, login, own_pass, role):
    response = login(world.users["own", role]).get(card_url(own_pass))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="pas-{own_pass.number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "Lotte" in read_pdf(response.content).lines


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_may_not_print_a_card(world, login, own_pass, role):
    response = login(world.users["own", role]).get(card_url(own_pass))

    assert response.status_code == 403
    assert b"%PDF" not in response.content


@pytest.mark.parametrize("role", PRINTERS + OTHERS)
def test_staff_of_another_network_get_not_found(world, login, own_pass, role):
    response = login(world.users["other", role]).get(card_url(own_pass))

    assert response.status_code == 404


@pytest.mark.parametrize("role", PRINTERS)
def test_a_pass_of_another_network_is_not_found_through_the_own_network(world, login, role):
    other_pass = PassFactory(participant__network=world.other)

    response = login(world.users["own", role]).get(card_url(other_pass, network=world.own))

    assert response.status_code == 404


def test_without_login_the_card_asks_to_log_in(client, own_pass):
    response = client.get(card_url(own_pass))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_printing_a_card_is_in_the_access_log(world, login, own_pass):
    user = world.users["own", Role.DESK]

    login(user).get(card_url(own_pass))

    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.context == "desk:pass_card"
    assert event.actor == user
    assert event.network_id == world.own.pk
    assert event.object_type == "participants.participant"
    assert event.object_id == str(own_pass.participant.pk)
    assert own_pass.number_display in event.object_repr
    assert own_pass.participant.last_name not in event.object_repr


def test_a_refused_card_is_not_logged_as_printed(world, login, own_pass):
    login(world.users["own", Role.VOLUNTEER]).get(card_url(own_pass))

    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_blocked_pass_has_no_card(world, login, own_pass):
    pass_block(pass_=own_pass, reason=BlockReason.LOST)

    response = login(world.users["own", Role.DESK]).get(card_url(own_pass))

    assert response.status_code == 404


def test_an_erased_person_has_no_card(world, login, own_pass):
    participant_erase(participant=own_pass.participant)

    response = login(world.users["own", Role.COORDINATOR]).get(card_url(own_pass))

    assert response.status_code == 404


def test_the_card_page_uses_a_fixed_number_of_queries(
    world, login, own_pass, django_assert_max_num_queries
):
    client = login(world.users["own", Role.DESK])

    # session, user, membership gate (4), the pass with person and network, the log line
    with django_assert_max_num_queries(10):
        response = client.get(card_url(own_pass))

    assert response.status_code == 200
