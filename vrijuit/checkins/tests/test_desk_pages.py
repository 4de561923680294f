"""Check-ins in the back office: overview, cancel, a participation at the desk, the budget."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from vrijuit.checkins.constants import Channel, CheckInState
from vrijuit.checkins.models import Budget, CheckIn
from vrijuit.checkins.services import checkin_create
from vrijuit.core.permissions import Principal
from vrijuit.core.roles import Role
from vrijuit.participants.tests.factories import ParticipantFactory

from .conftest import person

pytestmark = pytest.mark.django_db


def url(door, name, **kwargs):
    return reverse(f"desk:{name}", kwargs={"network": door.network.slug, **kwargs})


def scan(door, pass_=None, role=Role.ORGANISER):
    principal = Principal(
        network=door.network,
        role=role,
        organiser_id=door.organiser.pk if role == Role.ORGANISER else None,
        user=door.world.users["own", role],
    )
    outcome = checkin_create(
        principal=principal,
        pass_number=(pass_ or door.pass_).number,
        occurrence_id=door.occurrence.pk,
        idempotency_key=uuid.uuid4(),
    )
    assert outcome.checkin is not None, outcome.code
    return outcome.checkin


def test_organiser_sees_todays_checkins_and_what_the_municipality_owes(door, login):
    scan(door)
    _, second = person(door.network, first_name="Bram")
    scan(door, second)
    client = login(door.world.users["own", Role.ORGANISER])
    page = client.get(url(door, "checkins")).content.decode()
    assert "Amira" in page and "Bram" in page
    assert "€\xa09,60" in page  # 2 x 4,80 paid back
    assert door.participant.last_name not in page


def test_organiser_does_not_see_another_organisers_checkins(door, login, world):
    from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory

    other = ActivityFactory(network=door.network, organiser__network=door.network)
    date = OccurrenceFactory(activity=other, start=door.occurrence.start, end=door.occurrence.end)
    _, pass_ = person(door.network, first_name="Zoë")
    principal = Principal(network=door.network, role=Role.DESK, user=world.users["own", "desk"])
    checkin_create(principal=principal, pass_number=pass_.number, occurrence_id=date.pk)
    client = login(world.users["own", Role.ORGANISER])
    assert "Zoë" not in client.get(url(door, "checkins")).content.decode()
    desk = login(world.users["own", Role.DESK])
    assert "Zoë" in desk.get(url(door, "checkins")).content.decode()


def test_organiser_cancels_within_24_hours_and_the_budget_is_released(door, login):
    checkin = scan(door)
    client = login(door.world.users["own", Role.ORGANISER])
    response = client.post(url(door, "checkin_cancel", checkin_id=checkin.pk), {"reason": "fout"})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.CANCELLED
    assert Budget.objects.get(network=door.network).spent == Decimal("0.00")


def test_after_24_hours_the_organiser_is_told_to_ask_the_coordinator(door, login):
    checkin = scan(door)
    CheckIn.objects.filter(pk=checkin.pk).update(received_at=timezone.now() - timedelta(days=2))
    client = login(door.world.users["own", Role.ORGANISER])
    response = client.post(url(door, "checkin_cancel", checkin_id=checkin.pk), follow=True)
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.ACCEPTED
    assert "24" in response.content.decode()


def test_desk_asks_the_price_then_registers_a_participation(door, login):
    client = login(door.world.users["own", Role.DESK])
    form = {
        "occurrence": str(door.occurrence.pk),
        "pass_number": door.pass_.number,
        "note": "lidgeld betaald aan het loket",
        "idempotency_key": str(uuid.uuid4()),
    }
    page = client.post(url(door, "checkin_new"), {**form, "step": "tariff"}).content.decode()
    assert "€\xa02,40" in page
    assert not CheckIn.objects.exists()
    response = client.post(url(door, "checkin_new"), {**form, "step": "confirm"})
    assert response.status_code == 302
    stored = CheckIn.objects.get()
    assert stored.channel == Channel.DESK
    assert stored.note == "lidgeld betaald aan het loket"
    assert stored.organiser == door.organiser
    # the same form sent twice (a double click) registers once
    client.post(url(door, "checkin_new"), {**form, "step": "confirm"})
    assert CheckIn.objects.count() == 1


def test_desk_form_refuses_with_the_rules_message(door, login):
    _, no_status = person(door.network, status=False)
    client = login(door.world.users["own", Role.DESK])
    form = {
        "occurrence": str(door.occurrence.pk),
        "pass_number": no_status.number,
        "idempotency_key": str(uuid.uuid4()),
        "step": "confirm",
    }
    response = client.post(url(door, "checkin_new"), form)
    assert response.status_code == 200
    assert "geen kansentarief" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_desk_form_checks_the_number_before_anything_else(door, login):
    client = login(door.world.users["own", Role.DESK])
    form = {"occurrence": str(door.occurrence.pk), "pass_number": "1234", "step": "tariff"}
    form["idempotency_key"] = str(uuid.uuid4())
    response = client.post(url(door, "checkin_new"), form)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_person_page_lists_participations(door, login):
    scan(door)
    client = login(door.world.users["own", Role.DESK])
    page = client.get(url(door, "participant", participant_id=door.participant.pk))
    assert "Zwemmen" in page.content.decode()
    other = ParticipantFactory(network=door.network)
    page = client.get(url(door, "participant", participant_id=other.pk))
    assert "Zwemmen" not in page.content.decode()


def test_coordinator_sets_the_budget_and_sees_what_is_left(door, login):
    scan(door)
    client = login(door.world.users["own", Role.COORDINATOR])
    year = timezone.localdate().year
    response = client.post(url(door, "budget"), {"year": str(year), "amount": "2432,00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    budget = Budget.objects.get(network=door.network, year=year)
    assert budget.amount == Decimal("2432.00")
    assert budget.spent == Decimal("4.80")
    page = client.get(url(door, "budget")).content.decode()
    assert "€\xa02.427,20" in page  # left


def test_finance_reads_the_budget_but_may_not_set_it(door, login):
    client = login(door.world.users["own", Role.FINANCE])
    assert client.get(url(door, "budget")).status_code == 200
    response = client.post(url(door, "budget"), {"year": "2026", "amount": "10,00"})
    assert response.status_code == 403
    assert not Budget.objects.filter(amount__isnull=False).exists()


def test_coordinator_home_warns_when_the_budget_is_nearly_spent(door, login):
    year = timezone.localdate().year
    Budget.objects.create(network=door.network, year=year, amount=Decimal("5.00"))
    client = login(door.world.users["own", Role.COORDINATOR])
    home = reverse("desk:home", kwargs={"network": door.network.slug})
    assert "message--warning" not in client.get(home).content.decode()
    scan(door)  # 4,80 of 5,00: 96 %
    page = client.get(home).content.decode()
    assert "message--warning" in page
    assert "€\xa04,80" in page
    organiser = login(door.world.users["own", Role.ORGANISER])
    assert "message--warning" not in organiser.get(home).content.decode()


def _overview_row(page, first_name):
    """The overview's row of the check-in of ``first_name``, as text."""
    import re

    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    (row,) = [r for r in rows if first_name in r]
    return row


def test_an_old_checkin_offers_no_cancel_button_and_says_why(door, login):
    # given a check-in of two days ago
    checkin = scan(door)
    CheckIn.objects.filter(pk=checkin.pk).update(received_at=timezone.now() - timedelta(days=2))
    # when desk staff open the overview
    client = login(door.world.users["own", Role.DESK])
    row = _overview_row(client.get(url(door, "checkins")).content.decode(), "Amira")
    # then the row says it is too late, and offers no button that would only give an error
    assert "Annuleren" not in row
    assert "Te laat om te annuleren" in row


def test_a_checkin_in_an_approved_statement_offers_no_cancel_button_to_anyone(door, login):
    from vrijuit.finance.models import Statement

    checkin = scan(door)
    today = timezone.localdate()
    statement = Statement.objects.create(
        network=door.network,
        organiser=door.organiser,
        period_start=today.replace(day=1),
        period_end=today,
        state="approved",
    )
    CheckIn.objects.filter(pk=checkin.pk).update(statement=statement)
    client = login(door.world.users["own", Role.COORDINATOR])
    row = _overview_row(client.get(url(door, "checkins")).content.decode(), "Amira")
    assert "Annuleren" not in row
    assert "goedgekeurde terugbetalingsstaat" in row


def test_a_fresh_checkin_can_still_be_cancelled_from_the_overview(door, login):
    scan(door)
    client = login(door.world.users["own", Role.DESK])
    row = _overview_row(client.get(url(door, "checkins")).content.decode(), "Amira")
    assert "Annuleren" in row
