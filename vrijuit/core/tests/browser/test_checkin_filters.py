"""The day's check-ins in a real browser: the filters as a coordinator uses them."""

from io import StringIO

import pytest

from django.core.management import call_command

from .helpers import assert_accessible
from .test_pages import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=StringIO())


def test_the_check_ins_of_a_day_for_all_organisers(demo, page):
    log_in(page, "coordinator")
    page.goto("/desk/borsbeek/checkins/")

    page.get_by_label("Dag").fill("2026-03-02")
    page.get_by_label("Organisator").select_option(label="Alle")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Tonen").click()

    assert navigation.value.status == 200
    assert "organiser=" in page.url
    heading = page.get_by_role("heading", level=2).first
    assert heading.inner_text().startswith("Check-ins van maandag 2 maart 2026")
    assert_accessible(page)
