"""Statements and payments in the back office, as the people who use them see them."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from vrijuit.core.roles import Role
from vrijuit.finance.constants import StatementState
from vrijuit.finance.models import Statement

from .test_statements import principal, scan

pytestmark = pytest.mark.django_db


def url(door, name, **kwargs):
    return reverse(f"desk:{name}", kwargs={"network": door.network.slug, **kwargs})


def last_month_checkins(door):
    """The door's check-ins as if scanned on the last day of last month (a period that has
    ended, so its statements can be drafted); returns that month's first day."""
    from vrijuit.checkins.models import CheckIn

    last_day = timezone.localdate().replace(day=1) - timedelta(days=1)
    noon = timezone.make_aware(timezone.datetime.combine(last_day, timezone.datetime.min.time()))
    CheckIn.objects.filter(network=door.network).update(scanned_at=noon + timedelta(hours=12))
    return last_day.replace(day=1)


def draft_last_month(door, client):
    month = last_month_checkins(door).strftime("%Y-%m")
    response = client.post(url(door, "statements"), {"month": month})
    assert response.status_code == 302
    return Statement.objects.get(organiser=door.organiser)


def test_the_running_month_cannot_be_drafted(door, login):
    scan(door)
    coordinator = login(door.world.users["own", Role.COORDINATOR])

    response = coordinator.post(
        url(door, "statements"), {"month": timezone.localdate().strftime("%Y-%m")}
    )

    assert response.status_code == 200
    assert "is nog niet voorbij" in response.content.decode()  # "has not ended yet"
    assert not Statement.objects.exists()


def test_the_organiser_sees_what_is_really_still_to_be_paid(door, login):
    from vrijuit.finance.statements import statement_approve, statement_review

    scan(door)
    coordinator = login(door.world.users["own", Role.COORDINATOR])
    statement = draft_last_month(door, coordinator)
    organiser = login(door.world.users["own", Role.ORGANISER])

    page = organiser.get(url(door, "statements")).content.decode()

    # on a statement, not paid yet: still outstanding (it used to say € 0,00)
    assert 'id="outstanding-title"' in page
    assert page.split('id="outstanding-title"')[1].split("</p>")[0].endswith("€\xa04,80")
    statement_review(principal=principal(door, Role.COORDINATOR), statement=statement)
    statement_approve(principal=principal(door, Role.FINANCE), statement=statement)
    door.organiser.iban = "BE62510007547061"
    door.organiser.save()
    from vrijuit.finance.statements import batch_mark_paid

    from .builders import batch_of

    batch_mark_paid(principal=principal(door, Role.FINANCE), batch=batch_of(door, [statement]))
    page = organiser.get(url(door, "statements")).content.decode()
    assert page.split('id="outstanding-title"')[1].split("</p>")[0].endswith("€\xa00,00")


def test_coordinator_drafts_and_reviews_finance_approves(door, login):
    scan(door)
    coordinator = login(door.world.users["own", Role.COORDINATOR])
    statement = draft_last_month(door, coordinator)
    assert statement.total == Decimal("4.80")
    page = coordinator.get(url(door, "statement", statement_id=statement.pk)).content.decode()
    assert "€\xa04,80" in page
    assert door.participant.first_name not in page  # no identity on a statement
    coordinator.post(url(door, "statement_review", statement_id=statement.pk))
    # the reviewer cannot approve: four eyes
    coordinator.post(url(door, "statement_approve", statement_id=statement.pk))
    statement.refresh_from_db()
    assert statement.state == StatementState.REVIEWED
    finance = login(door.world.users["own", Role.FINANCE])
    finance.post(url(door, "statement_approve", statement_id=statement.pk))
    statement.refresh_from_db()
    assert statement.state == StatementState.APPROVED


def test_organiser_sees_its_running_month_and_its_statements(door, login):
    scan(door)
    organiser = login(door.world.users["own", Role.ORGANISER])
    page = organiser.get(url(door, "statements")).content.decode()
    assert "€\xa04,80" in page
    assert "1 check-in" in page or "1 check-in" in page.replace("\xa0", " ")


def test_finance_pays_a_batch(door, login):
    door.organiser.iban = "BE62510007547061"
    door.organiser.save()
    scan(door)
    coordinator = login(door.world.users["own", Role.COORDINATOR])
    statement = draft_last_month(door, coordinator)
    coordinator.post(url(door, "statement_review", statement_id=statement.pk))
    finance = login(door.world.users["own", Role.FINANCE])
    finance.post(url(door, "statement_approve", statement_id=statement.pk))
    response = finance.post(
        url(door, "payments"),
        {"statements": [str(statement.pk)], "execution_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    batch_url = response["Location"]
    finance.post(batch_url)
    statement.refresh_from_db()
    assert statement.state == StatementState.PAID


def test_draft_statements_command_drafts_the_previous_month(door, capsys):
    scan(door)
    call_command("draft_statements", "--network", door.network.slug)
    # this month's check-in is not in last month's statement
    assert not Statement.objects.exists()
    out = capsys.readouterr().out
    assert door.network.slug in out


def test_statements_draft_as_system_has_no_preparer(door):
    from vrijuit.finance.statements import period_of, statements_draft

    scan(door)
    start, end = period_of(timezone.localdate())
    (statement,) = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    assert statement.prepared_by == door.world.users["own", Role.COORDINATOR]
