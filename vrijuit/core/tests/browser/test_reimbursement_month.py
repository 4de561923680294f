"""A month of public money in a real browser: participations at the desk, the coordinator
drafts and reviews the statement, a finance officer approves it (four eyes), pays it with a
SEPA file and marks it paid. Every screen passes axe."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest

from django.core.management import call_command
from django.utils import timezone

from vrijuit.catalogue.models import Activity
from vrijuit.catalogue.services import occurrence_create
from vrijuit.checkins.models import CheckIn
from vrijuit.finance.constants import StatementState
from vrijuit.finance.models import Statement

from .helpers import assert_accessible
from .test_pages import log_in

pytestmark = pytest.mark.browser


def demo_number(payload):
    from vrijuit.passes.numbers import luhn_check_digit

    return payload + luhn_check_digit(payload)


@pytest.fixture
def demo(transactional_db):
    """The demo network, and a swimming date that started a quarter of an hour ago (the
    demo's own dates are at set hours of the day)."""
    call_command("seed_demo", history=False, stdout=StringIO())
    swimming = Activity.objects.get(title__startswith="Vrij zwemmen")
    now = timezone.now().replace(microsecond=0)
    occurrence_create(
        activity=swimming, start=now - timedelta(minutes=15), end=now + timedelta(hours=1)
    )


def switch_user(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def register_at_desk(page, number):
    page.goto("/desk/borsbeek/checkins/new/")
    page.get_by_label("Activiteit en datum").select_option(
        label=page.locator("#id_occurrence option", has_text="Vrij zwemmen").first.inner_text()
    )
    page.get_by_label("Pasnummer").fill(number)
    page.get_by_role("button", name="Vraag de prijs").click()
    assert "Vraag € 0,80" in page.locator(".answer").inner_text().replace("\xa0", " ")
    assert_accessible(page)
    page.get_by_role("button", name="Betaald: registreer de deelname").click()
    page.wait_for_url("**/checkins/")


def test_a_month_from_checkins_to_a_paid_statement(demo, page):
    amira, jonas = demo_number("100000000001"), demo_number("100000000002")  # seed_demo

    # The desk registers two participations at the swimming pool on the club's behalf.
    log_in(page, "desk")
    register_at_desk(page, amira)
    register_at_desk(page, jonas)
    assert CheckIn.objects.count() == 2
    assert_accessible(page)

    # Only a month that has ended can be drafted: the two participations are moved to the
    # last day of last month, as if the month had passed since.
    last_day = timezone.localdate().replace(day=1) - timedelta(days=1)
    noon = timezone.make_aware(datetime.combine(last_day, time(12)))
    CheckIn.objects.update(scanned_at=noon)

    # The coordinator drafts last month's statements and reviews the swimming club's.
    switch_user(page, "coordinator")
    page.goto("/desk/borsbeek/statements/")
    page.get_by_label("Maand").fill(last_day.strftime("%Y-%m"))
    page.get_by_role("button", name="Staten opmaken").click()
    assert_accessible(page)
    page.locator("table a").first.click()
    assert "€ 3,20" in page.locator("dl.facts").inner_text().replace("\xa0", " ")
    assert "Amira" not in page.content()  # no identity on a statement
    assert_accessible(page)
    page.get_by_role("button", name="Markeer als nagekeken").click()
    # four eyes: the coordinator who reviewed it cannot approve it
    assert page.get_by_role("button", name="Goedkeuren").count() == 0
    statement_url = page.url

    # A finance officer approves, makes the payment batch, fetches the SEPA file, pays.
    switch_user(page, "finance")
    page.goto(statement_url)
    page.get_by_role("button", name="Goedkeuren").click()
    assert Statement.objects.get().state == StatementState.APPROVED
    page.goto("/desk/borsbeek/payments/")
    page.get_by_label("Zwemclub Borsbeek", exact=False).check()
    assert_accessible(page)
    page.get_by_role("button", name="Maak de betaalopdracht").click()
    page.wait_for_url("**/payments/*/")
    # The file is read in the page: a private answer (no-store) keeps no body for the
    # browser's network log to hand out afterwards.
    status, sepa = page.evaluate(
        "async url => { const r = await fetch(url); return [r.status, await r.text()]; }",
        page.get_by_role("link", name="SEPA-bestand voor de bank (XML)").get_attribute("href"),
    )
    assert status == 200
    assert "pain.001.001.03" in sepa
    assert_accessible(page)
    page.get_by_role("button", name="Markeer als betaald").click()
    statement = Statement.objects.get()
    assert statement.state == StatementState.PAID
    assert str(statement.total) == "3.20"

    # The club sees it paid in its portal.
    switch_user(page, "organiser")
    page.goto("/desk/borsbeek/statements/")
    assert "betaald" in page.locator("table").inner_text()
    assert_accessible(page)
