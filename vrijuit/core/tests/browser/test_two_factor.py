"""Two-factor login in a real browser: the password alone cannot link another app; a lost
phone is solved with a backup code or by the coordinator."""

from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from vrijuit.accounts.services import backup_codes_create
from vrijuit.accounts.tests.test_login import current_code
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import PASSWORD, MembershipFactory, NetworkFactory

from .helpers import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def staff_with_app(network, role, **kwargs):
    membership = MembershipFactory(network=network, role=role, **kwargs)
    TOTPDevice.objects.create(user=membership.user, name="app", confirmed=True)
    return membership


def password_login(page, username):
    page.goto("/account/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/two-factor/")


def test_with_only_the_password_the_lost_phone_needs_a_backup_code(
    transactional_db, phone_page, browser_errors
):
    page = phone_page
    network = NetworkFactory(two_factor=True)
    lotte = staff_with_app(network, Role.DESK, user__username="lotte")
    codes = backup_codes_create(user=lotte.user)
    password_login(page, "lotte")

    # Someone with the password tries to link their own phone: refused, and told what to do.
    page.goto("/account/two-factor/setup/")
    browser_errors[:] = [e for e in browser_errors if "403" not in e]
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Aanmelden in twee stappen is al ingesteld"
    )
    assert page.locator("svg").count() == 0  # no QR code
    assert "reservecodes" in page.locator("main").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    # The owner lost their phone: a backup code from the list.
    page.get_by_role("link", name="Typ een code of een reservecode").click()
    page.get_by_text("Gsm kwijt? Gebruik een reservecode").click()
    page.get_by_label("Reservecode").fill(codes[0])
    assert_accessible(page)
    page.get_by_role("button", name="Aanmelden met deze reservecode").click()

    page.wait_for_url(lambda url: urlsplit(url).path == "/account/two-factor/backup-codes/")
    main = page.locator("main").inner_text()
    assert "Je hebt nog 9 reservecodes." in main
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    # Now the app on the new phone can be linked, with the password again.
    page.get_by_role("link", name="Een nieuwe app voor aanmeldcodes koppelen").click()
    assert page.get_by_label("Je wachtwoord").is_visible()
    assert page.locator(".qr svg").is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])


def test_the_coordinator_resets_a_colleagues_two_factor_login(transactional_db, page):
    network = NetworkFactory(two_factor=True)
    staff_with_app(network, Role.COORDINATOR, user__username="coord")
    colleague = staff_with_app(
        network, Role.DESK, user__username="an", user__first_name="An", user__last_name="Smet"
    )
    coordinator_device = TOTPDevice.objects.get(user__username="coord")
    password_login(page, "coord")
    page.get_by_label("Code uit je app").fill(current_code(coordinator_device))
    page.get_by_role("button", name="Verder").click()
    page.goto(f"/desk/{network.slug}/staff/")

    page.get_by_role("link", name="Wissen (An Smet)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Aanmelden in twee stappen wissen"
    assert_accessible(page)
    page.get_by_role("button", name="Aanmelden in twee stappen van An Smet wissen").click()

    page.wait_for_url(lambda url: urlsplit(url).path == f"/desk/{network.slug}/staff/")
    assert (
        "Het aanmelden in twee stappen van An Smet is gewist."
        in page.locator(".messages").inner_text()
    )
    assert not TOTPDevice.objects.filter(user=colleague.user).exists()
    assert_accessible(page)
