"""Correcting a person's details at the desk: a form on the person's page."""

from datetime import date

import pytest

from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import MunicipalityFactory
from vrijuit.participants.models import Participant
from vrijuit.participants.services import participant_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def samira(world):
    MunicipalityFactory(network=world.own, name="Borsbeek", postal_codes="2150")
    MunicipalityFactory(network=world.own, name="Wommelgem", postal_codes="2160")
    return participant_register(
        network=world.own,
        first_name="Samira",
        last_name="El Idrisi",
        birth_date=date(1985, 11, 27),
        postal_code="2150",
        street="Kerkstraat 1",
        email="samira@example.be",
    )


def form(**changes):
    data = {
        "first_name": "Samira",
        "last_name": "El Idrisi",
        "birth_date": "27/11/1985",
        "postal_code": "2150",
        "street": "Kerkstraat 1",
        "email": "samira@example.be",
        "phone": "",
        "language": "nl",
    }
    data.update(changes)
    return data


def url(world, person, what=""):
    return f"/desk/{world.own.slug}/participants/{person.pk}/{what}"


@pytest.mark.parametrize("role", [Role.DESK, Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_the_persons_page_has_the_form_filled_in(world, login, samira, role):
    page = login(world.users["own", role]).get(url(world, samira)).content.decode()

    assert "Gegevens verbeteren" in page
    assert 'value="27/11/1985"' in page
    assert 'value="Kerkstraat 1"' in page
    assert f'action="{url(world, samira, "details/")}"' in page


def test_desk_staff_correct_the_address_phone_e_mail_and_language(world, login, samira):
    client = login(world.users["own", Role.DESK])

    response = client.post(
        url(world, samira, "details/"),
        form(
            street="Nieuwstraat 12",
            postal_code="2160",
            email="samira.el@example.be",
            phone="0470 98 76 54",
            language="fr",
            last_name="El Idrissi",
        ),
        follow=True,
    )

    page = response.content.decode()
    assert "De gegevens zijn bewaard." in page
    assert "Nieuwstraat 12, 2160 Wommelgem" in page
    assert "El Idrissi" in page
    samira.refresh_from_db()
    assert (samira.email, samira.phone, samira.language) == (
        "samira.el@example.be",
        "0470 98 76 54",
        "fr",
    )
    [change] = AuditEvent.objects.filter(object_id=str(samira.pk), action=AuditAction.UPDATE)
    assert change.changes["street"] == ["•••", "•••"]
    assert change.changes["postal_code"] == ["2150", "2160"]
    assert change.actor == world.users["own", Role.DESK]


def test_mistakes_are_named_in_plain_dutch_and_nothing_is_stored(world, login, samira):
    client = login(world.users["own", Role.DESK])
    before = Participant.objects.filter(pk=samira.pk).values().get()

    response = client.post(
        url(world, samira, "details/"),
        form(email="samira-at-example", postal_code="9000", street="Nieuwstraat 12"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Voer een geldig e-mailadres in." in page
    assert "Deze postcode hoort niet bij de gemeenten van dit netwerk" in page
    assert '<details id="correct" open>' in page
    assert 'value="Nieuwstraat 12"' in page  # what was typed stays in the form
    assert Participant.objects.filter(pk=samira.pk).values().get() == before


def test_a_postal_code_outside_the_network_is_named_at_its_field(world, login, samira):
    client = login(world.users["own", Role.DESK])

    response = client.post(url(world, samira, "details/"), form(postal_code="9000"))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Deze postcode hoort niet bij de gemeenten van dit netwerk") == 1
    samira.refresh_from_db()
    assert samira.postal_code == "2150"


def test_nothing_changed_says_so(world, login, samira):
    client = login(world.users["own", Role.DESK])

    response = client.post(url(world, samira, "details/"), form(), follow=True)

    assert "Er is niets veranderd." in response.content.decode()
    assert not AuditEvent.objects.filter(object_id=str(samira.pk), action=AuditAction.UPDATE)


def test_other_roles_cannot_correct(world, login, samira):
    for role in (Role.ORGANISER, Role.FINANCE, Role.VOLUNTEER):
        response = login(world.users["own", role]).post(
            url(world, samira, "details/"), form(street="Elders 1")
        )
        assert response.status_code == 403
    samira.refresh_from_db()
    assert samira.street == "Kerkstraat 1"
