from decimal import Decimal

import pytest

from django.core import mail

from vrijuit.core.models import AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.models import Membership

pytestmark = pytest.mark.django_db


def settings_form(network, **changes):
    data = {
        "name": network.name,
        "vision": "",
        "contact_name": "Bas",
        "contact_function": "",
        "contact_email": "bas@example.be",
        "contact_phone": "",
        "desk_address": "",
        "desk_opening_hours": "",
        "participant_share": "20",
        "organiser_share": "40",
        "municipality_share": "40",
        "rounding_step": "0.10",
        "minimum_price": "0.50",
        "status_validity": "end_of_year",
        "status_validity_months": "12",
        "status_late_grant_months": "3",
        "grace_days": "30",
        "max_discount_per_year": "",
        "max_checkins_per_activity_per_year": "",
        "budget_mode": "hard_stop",
        "budget_warning_first": "75",
        "budget_warning_second": "90",
        "retention_years": "5",
        "statement_period": "month",
    }
    data.update(changes)
    return data


def test_coordinator_changes_the_discount_shares_and_it_is_audited(world, login):
    client = login(world.users["own", Role.COORDINATOR])
    url = f"/desk/{world.own.slug}/network/edit/"

    response = client.post(
        url,
        settings_form(
            world.own, participant_share="25", organiser_share="35", minimum_price="1,00"
        ),
    )

    assert response.status_code == 302
    world.own.refresh_from_db()
    assert (world.own.participant_share, world.own.minimum_price) == (Decimal("25"), Decimal("1"))
    event = AuditEvent.objects.filter(
        network=world.own, action="update", object_type="networks.network"
    ).latest("occurred_at")
    assert event.changes["participant_share"] == ["20.00", "25.00"]
    assert event.actor == world.users["own", Role.COORDINATOR]


def test_coordinator_sets_how_late_in_the_year_a_status_runs_into_the_next_year(world, login):
    client = login(world.users["own", Role.COORDINATOR])

    response = client.post(
        f"/desk/{world.own.slug}/network/edit/",
        settings_form(world.own, status_late_grant_months="2"),
    )

    assert response.status_code == 302
    world.own.refresh_from_db()
    assert world.own.status_late_grant_months == 2
    page = client.get(f"/desk/{world.own.slug}/network/").content.decode()
    assert (
        "Gegeven in de laatste 2 maanden van het jaar: tot het einde van het volgende jaar." in page
    )
    refused = client.post(
        f"/desk/{world.own.slug}/network/edit/",
        settings_form(world.own, status_late_grant_months="12"),
    )
    assert refused.status_code == 200
    world.own.refresh_from_db()
    assert world.own.status_late_grant_months == 2


def test_shares_that_do_not_add_up_to_100_are_refused_with_a_message(world, login):
    client = login(world.users["own", Role.COORDINATOR])

    response = client.post(
        f"/desk/{world.own.slug}/network/edit/", settings_form(world.own, participant_share="30")
    )

    assert response.status_code == 200
    assert "100" in response.content.decode()
    world.own.refresh_from_db()
    assert world.own.participant_share == Decimal("20")


def test_inviting_a_new_organiser_account_sends_a_link_to_choose_a_password(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.users["own", Role.COORDINATOR])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/desk/{world.own.slug}/staff/",
            {
                "first_name": "Jan",
                "last_name": "Wouters",
                "email": "Jan@Club.be",
                "role": Role.ORGANISER,
                "organiser": str(world.organisers["own"].pk),
            },
        )

    assert response.status_code == 302
    membership = Membership.objects.get(network=world.own, user__email="jan@club.be")
    assert membership.role == Role.ORGANISER
    assert membership.organiser == world.organisers["own"]
    assert len(mail.outbox) == 1
    assert "/account/password-reset/" in mail.outbox[0].body


def test_an_organiser_role_without_organiser_is_refused(world, login):
    client = login(world.users["own", Role.COORDINATOR])

    response = client.post(
        f"/desk/{world.own.slug}/staff/",
        {"first_name": "Jan", "last_name": "W", "email": "jan@club.be", "role": Role.ORGANISER},
    )

    assert response.status_code == 200
    assert not Membership.objects.filter(user__email="jan@club.be").exists()


def test_an_organiser_of_another_network_cannot_be_chosen(world, login):
    client = login(world.users["own", Role.COORDINATOR])

    client.post(
        f"/desk/{world.own.slug}/staff/",
        {
            "first_name": "Jan",
            "last_name": "W",
            "email": "jan@club.be",
            "role": Role.ORGANISER,
            "organiser": str(world.organisers["other"].pk),
        },
    )

    assert not Membership.objects.filter(user__email="jan@club.be").exists()


def test_home_pages_greet_in_the_role_and_show_belgian_money(world, login):
    client = login(world.users["own", Role.FINANCE])
    from vrijuit.networks.tests.factories import AgreementFactory

    AgreementFactory(network=world.own, drawing_right=Decimal("2432.00"))

    page = client.get(f"/desk/{world.own.slug}/").content.decode()

    assert "€\xa02.432,00" in page or "€&nbsp;2.432,00" in page
