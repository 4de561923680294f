"""The words on the back-office pages: Dutch, true, and the glossary's terms."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from vrijuit.checkins.models import Budget
from vrijuit.core import audit
from vrijuit.core.roles import Role
from vrijuit.core.tests.matrix import own_expense, own_statement
from vrijuit.finance import budget as budget_selectors
from vrijuit.participants.tests.factories import ParticipantFactory, StatusFactory
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db


def _url(world, name, **kwargs):
    return reverse(f"desk:{name}", kwargs={"network": world.own.slug, **kwargs})


def _table(page):
    return re.search(r"<table.*?</table>", page, re.S).group(0)


def test_the_audit_log_is_dutch_and_names_people_and_states_not_ids(world, login):
    # given a coordinator with a name who issues a pass, and a statement that is reviewed
    coordinator = world.users["own", Role.COORDINATOR]
    coordinator.first_name, coordinator.last_name = "Bas", "Dhoey"
    coordinator.save()
    participant = ParticipantFactory(network=world.own, first_name="Lotte")
    with audit.audit_context(user=coordinator, source="web"):
        pass_ = PassFactory(participant=participant)
        pass_.issued_by = coordinator
        pass_.save()
        participant.first_name = "Lotta"
        participant.save()
    own_statement(world, "own", "reviewed")

    # when the coordinator reads the log
    page = login(coordinator).get(_url(world, "audit")).content.decode()
    log = _table(page)

    # then fields, states and people are in Dutch words and names
    assert "Uitgegeven door" in log and "Bas Dhoey" in log
    assert "ontwerp → nagekeken" in log and "Opgemaakt door" in log
    assert "issued by" not in log and "draft" not in log and "reviewed" not in log
    assert f">{coordinator.pk}<" not in log and f" {coordinator.pk} " not in log
    assert "website" in log  # where it happened, not "web"
    # personal fields stay masked
    assert "<strong>Voornaam</strong>: ••• → •••" in log


def test_the_end_of_a_date_is_einde_and_ending_a_status_is_stopzetten(world, login):
    from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory

    activity = ActivityFactory(organiser=world.organisers["own"])
    OccurrenceFactory(activity=activity)
    client = login(world.users["own", Role.COORDINATOR])

    dates = client.get(_url(world, "activity", activity_id=activity.pk)).content.decode()
    assert '<th scope="col">Einde</th>' in dates
    assert "Stopzetten" not in dates

    person = ParticipantFactory(network=world.own)
    StatusFactory(participant=person)
    detail = client.get(_url(world, "participant", participant_id=person.pk)).content.decode()
    assert "Stopzetten</button>" in detail


def test_one_ledger_entry_is_one_boeking(world, login):
    own_expense(world, "own")
    page = login(world.users["own", Role.FINANCE]).get(_url(world, "ledger")).content.decode()
    assert "1 boeking, samen" in page
    assert "1 boekingen" not in page


def test_adding_one_date_says_one_date(world, login):
    from vrijuit.catalogue.tests.factories import ActivityFactory

    activity = ActivityFactory(organiser=world.organisers["own"])
    day = timezone.localdate() + timedelta(days=3)
    response = login(world.users["own", Role.COORDINATOR]).post(
        _url(world, "activity_dates", activity_id=activity.pk),
        {"first_date": day.isoformat(), "start_time": "14:00", "duration": "60"},
        follow=True,
    )
    assert "1 datum toegevoegd." in response.content.decode()


def _sentence(network, today, spent):
    Budget.objects.update_or_create(
        network=network,
        year=today.year,
        defaults={"amount": Decimal("4000.00"), "spent": Decimal(spent)},
    )
    forecast = budget_selectors.forecast(network, today.year, today)
    with translation.override("nl"):
        return render_to_string("desk/budget/forecast_sentence.html", {"forecast": forecast})


def test_the_forecast_in_december_with_nothing_spent_says_so_not_too_early(world):
    sentence = _sentence(world.own, date(2026, 12, 4), "0.00")
    assert "Te vroeg" not in sentence
    assert "nog geen korting gegeven" in sentence


def test_the_forecast_early_in_january_is_too_early(world):
    assert "Te vroeg in het jaar" in _sentence(world.own, date(2026, 1, 5), "12.00")
