"""What a coordinator meets in the admin and after sending too much, in a real browser."""

from io import StringIO

import pytest

from django.conf import settings
from django.core.management import call_command

from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import MembershipFactory, NetworkFactory

from .helpers import assert_accessible
from .test_pages import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=StringIO())


def test_the_coordinator_adds_a_membership_choosing_only_own_staff(demo, page):
    # another network with a staff member the Borsbeek coordinator must not see
    stranger = MembershipFactory(
        network=NetworkFactory(slug="elders", name="Netwerk Elders"),
        role=Role.DESK,
        user__username="elders-balie",
    ).user
    log_in(page, "coordinator")

    networks = page.goto("/admin/networks/network/")
    assert networks.status == 200
    assert page.get_by_role("link", name="Borsbeek").count() >= 1
    page.goto("/admin/networks/membership/add/")
    users = page.locator("#id_user option").all_inner_texts()
    places = page.locator("#id_network option").all_inner_texts()

    assert "coordinator" in users
    assert stranger.username not in users
    assert not [name for name in places if "Elders" in name]


def test_a_form_sent_with_too_much_text_gets_a_page_that_says_what_to_do(
    demo, page, browser_errors
):
    log_in(page, "coordinator")
    page.goto("/desk/borsbeek/organisers/")
    name = page.locator("form.narrow #id_name")
    name.evaluate(
        "(field, size) => { field.removeAttribute('maxlength'); field.value = 'x'.repeat(size); }",
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )

    with page.expect_navigation() as navigation:
        name.press("Enter")

    assert navigation.value.status == 413
    assert page.get_by_role("heading", level=1).inner_text() == "Je stuurde te veel tegelijk"
    assert_accessible(page)
    # The 413 itself is reported by the browser; it is what this test provokes.
    browser_errors[:] = [error for error in browser_errors if "status of 413" not in error]
