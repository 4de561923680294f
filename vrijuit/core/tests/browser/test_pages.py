"""Pages in a real Chromium: accessibility (axe-core, WCAG 2.1 AA), phone width, keyboard use.

The demo network (``manage.py seed_demo``) is the data: its six accounts log in through the
real login form, as a person would.
"""

from io import StringIO
from urllib.parse import urlsplit

import pytest

from django.core.management import call_command

from .helpers import DESKTOP, PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "vrijuit-demo"  # seed_demo's published demo password
HOME = "/desk/borsbeek/"

# The back-office menu per demo account: what vrijuit.core.navigation.MENU gives each role
# under the permission map in vrijuit.core.roles. Written out here on purpose, so that a
# change to the map or the menu has to change this test too.
EVERYONE = ["", "network/"]
SOCIAL_WORKER = ["", "participants/", "network/", "organisers/"]
MENUS = {
    "coordinator": [
        "",
        "participants/",
        "activities/",
        "checkins/",
        "budget/",
        "statements/",
        "network/",
        "organisers/",
        "staff/",
        "api-tokens/",
        "audit/",
    ],
    "desk": ["", "participants/", "checkins/", "network/", "organisers/"],
    "socialworker": SOCIAL_WORKER,
    "finance": ["", "budget/", "statements/", "network/", "organisers/"],
    "organiser": ["", "activities/", "checkins/", "statements/", "network/"],
    "volunteer": EVERYONE,
}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", history=False, stdout=StringIO())


def wait_for_home(page):
    # The path only: after the skip link the fragment #main survives the login redirect.
    page.wait_for_url(lambda url: urlsplit(url).path == HOME)


def log_in(page, username, password=DEMO_PASSWORD):
    page.goto("/account/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    wait_for_home(page)


def menu_hrefs(page):
    return page.locator("header nav[aria-label] a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


def test_login_page_is_accessible_on_a_desktop(page):
    page.goto("/account/login/")

    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page)


def test_login_page_is_accessible_on_a_phone(phone_page):
    phone_page.goto("/account/login/")

    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page, PHONE["width"])


@pytest.mark.parametrize("username", list(MENUS))
def test_each_role_logs_in_and_sees_its_own_menu(page, demo, username):
    log_in(page, username)

    assert urlsplit(page.url).path == HOME
    assert page.locator("html").get_attribute("lang") == "nl"
    assert menu_hrefs(page) == [HOME + suffix for suffix in MENUS[username]]
    assert (
        page.locator('header nav[aria-label] a[aria-current="page"]').get_attribute("href") == HOME
    )
    assert_accessible(page)


def test_every_page_in_the_coordinators_menu_is_accessible(page, demo):
    log_in(page, "coordinator")
    hrefs = menu_hrefs(page)
    assert len(hrefs) == len(MENUS["coordinator"])

    for href in hrefs:
        page.set_viewport_size(DESKTOP)
        response = page.goto(href)
        assert response.status == 200, href
        assert_accessible(page)
        # The same page on a phone: still accessible, and wide tables scroll in their own box.
        page.set_viewport_size(PHONE)
        assert_accessible(page)
        assert_no_horizontal_scroll(page, PHONE["width"])


@pytest.mark.parametrize("path", ["/borsbeek/", "/accessibility/"])
def test_public_pages_are_accessible_on_a_phone(phone_page, demo, path):
    response = phone_page.goto(path)

    assert response.status == 200
    assert phone_page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page, PHONE["width"])


def test_log_in_with_the_keyboard_only(page, demo):
    page.goto("/account/login/")
    # The user-name field has autofocus. Start instead where a keyboard user who Tabs into
    # the page from the browser's address bar starts: at the top of the document.
    page.evaluate(
        "() => { const body = document.body; body.tabIndex = -1; body.focus();"
        " body.removeAttribute('tabindex'); }"
    )

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # skip the header: focus moves to the main content
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("coordinator")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")

    wait_for_home(page)
    assert "Bas" in page.locator("h1").inner_text()  # the coordinator, Bas Dhoey


@pytest.mark.parametrize(
    "path",
    ["/", "/account/password-reset/", "/account/password-reset/sent/", "/account/password/"],
)
def test_other_pages_are_accessible_on_a_phone(phone_page, demo, path):
    if path == "/account/password/":
        log_in(phone_page, "coordinator")
    response = phone_page.goto(path)

    assert response.status == 200
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page, PHONE["width"])


def test_network_settings_form_is_accessible_also_with_errors(page, demo):
    log_in(page, "coordinator")
    page.goto(HOME + "network/edit/")
    assert_accessible(page)

    page.locator("#id_name").fill("")
    page.locator("main form button[type=submit]").click()
    page.locator("[role=alert]").wait_for()

    assert page.locator("[aria-invalid=true]").count() >= 1
    assert_accessible(page)


def test_a_failed_login_says_so_accessibly(page, demo):
    page.goto("/account/login/")
    page.locator("#id_username").fill("coordinator")
    page.locator("#id_password").fill("not the password")
    page.locator("#id_password").press("Enter")

    page.locator("[role=alert]").wait_for()
    assert urlsplit(page.url).path == "/account/login/"
    assert_accessible(page)


def test_the_not_found_page_is_accessible_on_a_phone(phone_page, browser_errors, demo):
    response = phone_page.goto("/no-such-network/")

    assert response.status == 404
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page, PHONE["width"])
    # Chromium reports the 404 answer itself in the console: expected here.
    browser_errors[:] = [error for error in browser_errors if "status of 404" not in error]
