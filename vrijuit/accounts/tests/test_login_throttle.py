"""Password spraying: many user names tried from one address are slowed down too."""

import pytest

from django.conf import settings
from django.test import Client

from vrijuit.networks.tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

SPRAYER = "203.0.113.7"
OFFICE = "198.51.100.20"


def attempt(client, username, password, address):
    return client.post(
        "/account/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_per_address_limit_is_higher_than_the_per_name_limit():
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    assert settings.AXES_FAILURE_LIMIT == 5


def test_thirty_names_from_one_address_lock_that_address_out(client):
    untouched = MembershipFactory(user__username="an.desmet").user
    for n in range(30):
        attempt(client, f"medewerker{n}", "Zomer2026!", SPRAYER)

    response = attempt(client, untouched.username, PASSWORD, SPRAYER)

    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert "dit adres" in page  # says why: this address, not this account
    assert "15" in page  # and when to try again


def test_another_address_is_not_affected(client):
    untouched = MembershipFactory(user__username="an.desmet").user
    for n in range(30):
        attempt(client, f"medewerker{n}", "Zomer2026!", SPRAYER)

    response = attempt(client, untouched.username, PASSWORD, OFFICE)

    assert response.status_code == 302
    assert logged_in(client)


def test_a_few_typing_errors_in_a_shared_office_do_not_lock_it(client):
    """Below the address limit, colleagues behind one address still log in."""
    colleague = MembershipFactory(user__username="jan.peeters").user
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        attempt(client, f"medewerker{n % 4}", "typfout", OFFICE)

    assert attempt(client, colleague.username, PASSWORD, OFFICE).status_code == 302
    assert logged_in(client)


def test_a_successful_login_does_not_clear_the_address_count(client):
    """Logging in to one's own account between guesses does not reset the address count."""
    own = MembershipFactory(user__username="insider").user
    other = MembershipFactory(user__username="an.desmet").user
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        attempt(client, f"medewerker{n}", "Zomer2026!", SPRAYER)
    assert attempt(client, own.username, PASSWORD, SPRAYER).status_code == 302
    client.post("/account/logout/", REMOTE_ADDR=SPRAYER)

    attempt(client, "medewerker99", "Zomer2026!", SPRAYER)

    assert attempt(client, other.username, PASSWORD, SPRAYER).status_code == 429


def test_behind_a_proxy_the_visitors_address_counts_not_the_proxys(client, settings):
    settings.USE_X_FORWARDED_FOR = True
    untouched = MembershipFactory(user__username="an.desmet").user
    proxy = "127.0.0.1"
    for n in range(30):
        client.post(
            "/account/login/",
            {"username": f"medewerker{n}", "password": "Zomer2026!"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"10.0.0.1, {SPRAYER}",  # the first entry is made up
        )

    from_office = Client().post(
        "/account/login/",
        {"username": untouched.username, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=OFFICE,
    )

    assert from_office.status_code == 302
    sprayer = client.post(
        "/account/login/",
        {"username": untouched.username, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=SPRAYER,
    )
    assert sprayer.status_code == 429
    assert not logged_in(client)
