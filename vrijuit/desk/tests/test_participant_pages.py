from datetime import date, timedelta

import pytest

from django.utils import timezone

from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import MunicipalityFactory
from vrijuit.participants.models import Participant
from vrijuit.participants.services import (
    default_valid_until,
    participant_register,
    status_grant,
)
from vrijuit.passes.constants import PassState
from vrijuit.passes.services import pass_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world, login):
    MunicipalityFactory(network=world.own, name="Borsbeek", postal_codes="2150")
    MunicipalityFactory(network=world.other, name="Elders", postal_codes="2150")
    return world


def person(network, first="Élodie", last="Van Dæle", born=date(1985, 3, 12), **kwargs):
    return participant_register(
        network=network,
        first_name=first,
        last_name=last,
        birth_date=born,
        postal_code="2150",
        **kwargs,
    )


def register_form(**changes):
    data = {
        "first_name": "Samira",
        "last_name": "El Idrissi",
        "birth_date": "27/11/1985",
        "postal_code": "2150",
        "street": "",
        "email": "",
        "phone": "",
        "language": "nl",
        "grant_status": "on",
        "basis": "increased_allowance",
        "note": "attest gezien",
        "issue_pass": "on",
    }
    data.update(changes)
    return data


def test_search_ignores_accents_and_shows_the_tariff_state(desk, login):
    someone = person(desk.own)
    status_grant(participant=someone, basis="income", valid_from=timezone.localdate())
    person(desk.other, first="Elodie", last="Vreemd")
    client = login(desk.users["own", Role.DESK])

    page = client.get(f"/desk/{desk.own.slug}/participants/?q=elodie").content.decode()

    assert "Van Dæle" in page
    assert "Vreemd" not in page
    assert "badge--active" in page


def test_search_page_query_count_does_not_grow_with_results(
    desk, login, django_assert_max_num_queries
):
    for i in range(15):
        p = person(desk.own, first=f"Jan{i}", last="Peeters", born=date(1980, 1, 1 + i))
        pass_issue(participant=p)
        status_grant(participant=p, basis="income", valid_from=timezone.localdate())
    client = login(desk.users["own", Role.DESK])

    # 15: the search's access-log entry is one of them
    with django_assert_max_num_queries(15):
        response = client.get(f"/desk/{desk.own.slug}/participants/?q=peeters")

    assert response.content.decode().count("badge--active") == 15


def test_register_with_status_and_pass_in_one_screen(desk, login):
    client = login(desk.users["own", Role.SOCIAL_WORKER])

    response = client.post(f"/desk/{desk.own.slug}/participants/new/", register_form())

    samira = Participant.objects.get(network=desk.own, last_name="El Idrissi")
    assert response.status_code == 302
    assert response["Location"] == f"/desk/{desk.own.slug}/participants/{samira.pk}/"
    assert samira.birth_date == date(1985, 11, 27)
    assert samira.statuses.get().valid_until == default_valid_until(desk.own, timezone.localdate())
    assert samira.passes.get().state == PassState.ACTIVE
    page = client.get(response["Location"]).content.decode()
    assert samira.passes.get().number_display in page


def test_the_status_forms_show_until_when_a_status_given_today_runs(desk, login):
    someone = person(desk.own)
    client = login(desk.users["own", Role.SOCIAL_WORKER])
    until = default_valid_until(desk.own, timezone.localdate()).strftime("%d/%m/%Y")

    detail = client.get(f"/desk/{desk.own.slug}/participants/{someone.pk}/").content.decode()
    register = client.get(f"/desk/{desk.own.slug}/participants/new/").content.decode()

    assert f"vanaf vandaag is dat tot en met {until}" in detail
    assert f"Vanaf vandaag tot en met {until}." in register


def test_desk_staff_without_the_right_to_grant_register_without_status(desk, login):
    client = login(desk.users["own", Role.DESK])

    client.post(f"/desk/{desk.own.slug}/participants/new/", register_form())

    samira = Participant.objects.get(network=desk.own, last_name="El Idrissi")
    assert not samira.statuses.exists()
    assert samira.passes.count() == 1


def test_possible_duplicates_are_shown_before_a_second_registration(desk, login):
    person(desk.own, first="Samira", last="El Idrissi", born=date(1985, 11, 27))
    client = login(desk.users["own", Role.DESK])

    response = client.post(f"/desk/{desk.own.slug}/participants/new/", register_form())

    assert response.status_code == 200
    assert "El Idrissi" in response.content.decode()
    assert Participant.objects.filter(last_name="El Idrissi").count() == 1

    client.post(f"/desk/{desk.own.slug}/participants/new/", register_form(confirm_new="on"))
    assert Participant.objects.filter(last_name="El Idrissi").count() == 2


def test_a_postal_code_outside_the_network_is_explained(desk, login):
    client = login(desk.users["own", Role.DESK])

    response = client.post(
        f"/desk/{desk.own.slug}/participants/new/", register_form(postal_code="9000")
    )

    assert response.status_code == 200
    assert not Participant.objects.filter(last_name="El Idrissi").exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_viewing_a_record_is_written_to_the_access_log(desk, login):
    someone = person(desk.own)
    user = desk.users["own", Role.DESK]
    client = login(user)

    client.get(f"/desk/{desk.own.slug}/participants/{someone.pk}/")

    view = AuditEvent.objects.get(action=AuditAction.VIEW, object_id=str(someone.pk))
    assert (view.actor, view.context, view.network) == (user, "desk:participant", desk.own)


def test_only_granting_roles_see_the_basis(desk, login):
    someone = person(desk.own)
    status_grant(
        participant=someone,
        basis="debt_mediation",
        valid_from=timezone.localdate(),
        note="brief budgetbeheer gezien",
    )
    url = f"/desk/{desk.own.slug}/participants/{someone.pk}/"

    as_desk = login(desk.users["own", Role.DESK]).get(url).content.decode()
    assert "brief budgetbeheer gezien" not in as_desk
    as_social = login(desk.users["own", Role.SOCIAL_WORKER]).get(url).content.decode()
    assert "brief budgetbeheer gezien" in as_social


def test_blocking_a_lost_pass_gives_a_new_one_and_keeps_the_history(desk, login):
    someone = person(desk.own)
    old = pass_issue(participant=someone)
    client = login(desk.users["own", Role.DESK])

    client.post(
        f"/desk/{desk.own.slug}/participants/{someone.pk}/passes/{old.pk}/block/",
        {"reason": "lost", "replace": "on"},
    )

    old.refresh_from_db()
    assert (old.state, old.block_reason) == (PassState.REPLACED, "lost")
    assert old.replaced_by.participant == someone
    assert old.replaced_by.state == PassState.ACTIVE


def test_status_can_be_suspended_ended_and_renewed_from_the_person_page(desk, login):
    someone = person(desk.own)
    today = timezone.localdate()
    status = status_grant(participant=someone, basis="income", valid_from=today)[0]
    client = login(desk.users["own", Role.COORDINATOR])
    base = f"/desk/{desk.own.slug}/participants/{someone.pk}/statuses/{status.pk}"

    client.post(f"{base}/suspend/", {"suspended_from": today.isoformat(), "reason": "nazicht"})
    status.refresh_from_db()
    assert status.suspended_from == today

    client.post(f"{base}/renew/")
    assert someone.statuses.count() == 2
    assert someone.statuses.order_by("-valid_until").first().valid_from == (
        status.valid_until + timedelta(days=1)
    )


def test_another_networks_person_is_not_found(desk, login):
    someone = person(desk.other)
    client = login(desk.users["own", Role.COORDINATOR])

    assert client.get(f"/desk/{desk.own.slug}/participants/{someone.pk}/").status_code == 404


def test_statuses_ending_within_30_days_are_listed_for_an_invitation(desk, login):
    today = timezone.localdate()
    soon = person(desk.own, first="Bijna", last="Op")
    status_grant(
        participant=soon,
        basis="income",
        valid_from=today - timedelta(days=300),
        valid_until=today + timedelta(days=10),
    )
    later = person(desk.own, first="Nog", last="Lang", born=date(1990, 1, 1))
    status_grant(
        participant=later, basis="income", valid_from=today, valid_until=today + timedelta(days=200)
    )
    client = login(desk.users["own", Role.DESK])

    page = client.get(f"/desk/{desk.own.slug}/participants/ending/").content.decode()

    assert "Bijna" in page
    assert "Nog" not in page


def test_erasure_needs_the_coordinator_and_removes_the_name(desk, login):
    someone = person(desk.own)
    url = f"/desk/{desk.own.slug}/participants/{someone.pk}/erase/"
    assert login(desk.users["own", Role.DESK]).post(url, {"confirm": "yes"}).status_code == 403

    login(desk.users["own", Role.COORDINATOR]).post(url, {"confirm": "yes"})

    someone.refresh_from_db()
    assert someone.erased_at is not None
    assert "Dæle" not in someone.last_name
    assert someone.birth_date == date(1985, 1, 1)


def test_a_household_member_is_registered_from_the_person_page(desk, login):
    parent = person(desk.own, first="Fatima", last="Haddou", street="Dorpstraat 1")
    client = login(desk.users["own", Role.DESK])

    form = client.get(f"/desk/{desk.own.slug}/participants/new/?household_of={parent.pk}")
    assert 'value="Haddou"' in form.content.decode()

    client.post(
        f"/desk/{desk.own.slug}/participants/new/",
        register_form(
            first_name="Yasmine",
            last_name="Haddou",
            birth_date="01/09/2015",
            grant_status="",
            household_of=str(parent.pk),
        ),
    )

    child = Participant.objects.get(first_name="Yasmine")
    parent.refresh_from_db()
    assert child.household_id is not None
    assert child.household_id == parent.household_id


def test_the_digital_pass_link_is_sent_by_email_in_the_persons_language(desk, login):
    from django.core import mail

    someone = person(desk.own, email="elodie@example.be", language="fr")
    card = pass_issue(participant=someone)
    client = login(desk.users["own", Role.DESK])

    client.post(f"/desk/{desk.own.slug}/participants/{someone.pk}/passes/{card.pk}/send-link/")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["elodie@example.be"]
    assert f"/pass/{card.access_key}/" in message.body
    assert "Bonjour" in message.body
