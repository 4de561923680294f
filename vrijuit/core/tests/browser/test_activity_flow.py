"""From an organiser's proposal to a resident's search, in a real Chromium."""

from datetime import timedelta
from io import StringIO

import pytest

from django.core.management import call_command
from django.utils import timezone

from vrijuit.catalogue.models import Activity

from .helpers import PHONE, assert_accessible
from .test_pages import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", history=False, stdout=StringIO())


def log_out(page):
    page.context.clear_cookies()


def test_organiser_proposes_a_weekly_series_the_coordinator_publishes_a_resident_finds_it(
    demo, page
):
    # The organiser (Zwemclub Borsbeek) proposes an activity: it stays a draft.
    log_in(page, "organiser")
    page.goto("/desk/borsbeek/activities/new/")
    page.locator("#id_title").fill("Zwemmen voor gezinnen")
    page.locator("#id_description").fill(
        "Samen zwemmen in het warme bad. Voor gezinnen met een crèche-kind."
    )
    page.locator("#id_regular_price").fill("12,00")
    page.locator("#id_postal_code").fill("2150")
    page.locator("form.narrow button[type=submit]").click()
    page.wait_for_url("**/activities/*/")
    activity = Activity.objects.get(title="Zwemmen voor gezinnen")
    assert activity.state == "draft"

    # ... and adds a weekly series of dates in one go.
    first = timezone.localdate() + timedelta(days=2)
    dates = page.locator("form", has=page.locator("#id_first_date"))
    dates.locator("#id_first_date").fill(first.isoformat())
    dates.locator("#id_start_time").fill("14:00")
    dates.locator("#id_duration").fill("90")
    dates.locator("#id_until").fill((first + timedelta(weeks=5)).isoformat())
    with page.expect_navigation():
        dates.locator("button[type=submit]").click()
    assert activity.occurrences.count() == 6
    assert_accessible(page)
    log_out(page)

    # The coordinator reads the plain-language report and publishes.
    log_in(page, "coordinator")
    page.goto(f"/desk/borsbeek/activities/{activity.pk}/publish/")
    assert page.locator(".plain-language").is_visible()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    activity.refresh_from_db()
    assert activity.state == "published"
    log_out(page)

    # A resident on a phone finds it by a word of the description, typed without accents.
    page.set_viewport_size(PHONE)
    page.goto("/borsbeek/activities/")
    page.locator("#id_q").fill("creche")
    page.locator(".guide-form button[type=submit]").click()
    page.wait_for_url("**/activities/?q=creche*")
    result = page.get_by_text("Zwemmen voor gezinnen")
    assert result.first.is_visible()
    body = page.locator("main").inner_text()
    assert "2,40" in body and "12,00" in body
    assert_accessible(page)
