"""The leisure desk in a real browser: a new person with status and a printed pass."""

import time
from io import StringIO

import pytest

from django.core.management import call_command

from vrijuit.participants.models import Participant

from .helpers import assert_accessible
from .test_pages import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", history=False, stdout=StringIO())


def test_social_worker_registers_a_person_with_status_and_printed_pass(demo, page):
    started = time.monotonic()
    log_in(page, "socialworker")
    screens = []

    # Screen 1: search first, so nobody is registered twice.
    page.goto("/desk/borsbeek/participants/")
    screens.append(page.url)
    page.keyboard.type("Amina Haddou")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=2).inner_text().startswith("0")
    assert_accessible(page)

    # Screen 2: register, status and pass in one form, with the keyboard.
    page.get_by_role("link", name="Nieuwe persoon inschrijven").click()
    screens.append(page.url)
    page.get_by_label("Voornaam").fill("Amina")
    page.get_by_label("Achternaam").fill("Haddou")
    page.get_by_label("Geboortedatum").fill("14/02/1991")
    page.get_by_label("Postcode").fill("2150")
    page.get_by_label("Nu het kansentarief geven").check()
    page.get_by_label("Basis").select_option("increased_allowance")
    assert page.get_by_label("Nu een pas geven").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()

    # Screen 3: the person, with the pass to print.
    page.wait_for_url("**/participants/*/")
    screens.append(page.url)
    amina = Participant.objects.get(last_name="Haddou")
    number = amina.passes.get().number_display
    assert page.locator(".pass-number").inner_text() == number
    assert page.locator(".badge--active").first.is_visible()
    assert_accessible(page)
    with page.expect_response("**/card.pdf") as response_info:
        page.evaluate(
            "url => fetch(url)",
            page.get_by_role("link", name="Kaart afdrukken").get_attribute("href"),
        )
    pdf = response_info.value
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"

    assert len(screens) == 3
    assert time.monotonic() - started < 120
