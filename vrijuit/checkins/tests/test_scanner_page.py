"""The scanner page (/scan/): who gets it, the form without JavaScript, the PWA files."""

import json
import re
import uuid

import pytest

from django.test import Client

from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import CheckIn
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import MembershipFactory
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db

SCAN = "/scan/"


def config_of(response):
    match = re.search(
        r'<script id="scanner-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries its script's settings"
    return json.loads(match.group(1))


def post_scan(client, door, number, key=None, network=None):
    return client.post(
        f"{SCAN}?network={network or door.network.slug}",
        {
            "occurrence": str(door.occurrence.pk),
            "pass_number": number,
            "idempotency_key": str(key or uuid.uuid4()),
        },
    )


# --- who gets the page ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.DESK, Role.COORDINATOR])
def test_roles_that_check_in_get_the_page_for_their_network(door, login, role):
    client = login(door.world.users["own", role])

    response = client.get(SCAN)

    assert response.status_code == 200
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    config = config_of(response)
    assert config["mode"] == "session"
    assert config["network"] == door.network.slug
    assert [d["id"] for d in config["dates"]] == [str(door.occurrence.pk)]
    body = response.content.decode()
    assert "Zwemmen" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert f'value="{door.occurrence.pk}" checked' in body


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.FINANCE, Role.VOLUNTEER])
def test_roles_without_check_in_are_forbidden(door, login, role):
    client = login(door.world.users["own", role])

    assert client.get(SCAN).status_code == 403
    assert client.get(f"{SCAN}?network={door.network.slug}").status_code == 403
    assert post_scan(client, door, door.pass_.number).status_code == 403
    assert not CheckIn.objects.exists()


def test_another_network_is_not_found(door, login):
    client = login(door.world.users["own", Role.ORGANISER])

    assert client.get(f"{SCAN}?network={door.world.other.slug}").status_code == 404
    assert client.get(f"{SCAN}?network=no-such-network").status_code == 404


def test_a_member_of_several_networks_chooses_one(door, login):
    user = door.world.users["own", Role.DESK]
    MembershipFactory(network=door.world.other, user=user, role=Role.ORGANISER)
    client = login(user)

    response = client.get(SCAN)

    assert response.status_code == 200
    body = response.content.decode()
    assert f"?network={door.network.slug}" in body
    assert f"?network={door.world.other.slug}" in body
    chosen = client.get(f"{SCAN}?network={door.world.other.slug}")
    assert config_of(chosen)["network"] == door.world.other.slug


def test_without_login_the_page_is_a_device_shell(door, client):
    response = client.get(SCAN)

    assert response.status_code == 200
    config = config_of(response)
    assert config["mode"] == "device"
    assert config["network"] == ""
    assert config["dates"] is None
    body = response.content.decode()
    assert "/account/login/?next=/scan/" in body
    assert 'id="connect-form"' in body
    # nothing of any network is in the shell
    assert "Zwemmen" not in body


def test_without_login_a_post_goes_to_the_login_page(door, client):
    response = post_scan(client, door, door.pass_.number)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert not CheckIn.objects.exists()


def test_the_script_gets_its_texts_translated(door, login):
    client = login(door.world.users["own", Role.ORGANISER])

    config = config_of(client.get(SCAN))

    assert config["strings"]["charge"] == "Vraag %(amount)s"
    assert config["refusals"]["pass_blocked"]["detail"].startswith("Deze pas is geblokkeerd")


# --- the form without JavaScript -----------------------------------------------------------


def test_the_form_checks_in_and_shows_the_price(door, login):
    client = login(door.world.users["own", Role.ORGANISER])
    key = uuid.uuid4()

    response = post_scan(client, door, door.pass_.number_display, key=key)

    assert response.status_code == 200
    body = response.content.decode()
    assert "answer--ok" in body
    assert "Amira" in body
    assert "Vraag €\xa02,40" in body
    checkin = CheckIn.objects.get()
    assert checkin.paid == door.pass_.checkins.get().paid
    assert checkin.user == door.world.users["own", Role.ORGANISER]
    assert checkin.state == CheckInState.ACCEPTED
    # the check-ins of the date, with a cancel button; and a fresh key for the next scan
    assert 'action="/scan/cancel/?network=own-net"' in body
    assert f'value="{key}"' not in body

    # sending the same form again (a reload) is the same check-in, not a second one
    again = post_scan(client, door, door.pass_.number, key=key)
    assert "answer--ok" in again.content.decode()
    assert CheckIn.objects.count() == 1


def test_the_form_shows_the_refusal_and_what_to_say(door, login):
    client = login(door.world.users["own", Role.DESK])
    blocked = PassFactory(participant=door.participant, blocked=True)

    response = post_scan(client, door, blocked.number)

    body = response.content.decode()
    assert "answer--refused" in body
    assert "Pas geblokkeerd" in body
    assert "Deze pas is geblokkeerd" in body
    assert not CheckIn.objects.exists()


def test_a_mistyped_number_is_refused_with_the_rule_1_message(door, login):
    client = login(door.world.users["own", Role.ORGANISER])

    body = post_scan(client, door, "1234 5678 9012 3").content.decode()

    assert "answer--refused" in body
    assert "Geen geldig pasnummer" in body or "geen geldig pasnummer" in body


def test_a_missing_date_or_number_shows_the_field_errors(door, login):
    client = login(door.world.users["own", Role.ORGANISER])

    response = client.post(
        f"{SCAN}?network={door.network.slug}", {"idempotency_key": str(uuid.uuid4())}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Kies eerst de activiteit en de datum." in body
    assert "answer--" not in body
    assert not CheckIn.objects.exists()


def test_the_form_needs_the_csrf_token(door):
    client = Client(enforce_csrf_checks=True)
    client.force_login(door.world.users["own", Role.ORGANISER])

    refused = post_scan(client, door, door.pass_.number)
    assert refused.status_code == 403
    assert not CheckIn.objects.exists()

    page = client.get(SCAN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = client.post(
        f"{SCAN}?network={door.network.slug}",
        {
            "csrfmiddlewaretoken": token.group(1),
            "occurrence": str(door.occurrence.pk),
            "pass_number": door.pass_.number,
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert CheckIn.objects.count() == 1


def test_the_api_accepts_the_pages_session_with_csrf_and_network_header(door):
    client = Client(enforce_csrf_checks=True)
    client.force_login(door.world.users["own", Role.ORGANISER])
    page = client.get(SCAN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    body = {
        "pass_number": door.pass_.number,
        "occurrence": str(door.occurrence.pk),
        "idempotency_key": str(uuid.uuid4()),
    }

    def post(headers):
        return client.post(
            "/api/v1/checkins", body, content_type="application/json", headers=headers
        )

    assert post({"X-Vrijuit-Network": door.network.slug}).status_code in (401, 403)
    response = post({"X-Vrijuit-Network": door.network.slug, "X-CSRFToken": token.group(1)})
    assert response.status_code == 201, response.content
    assert response.json()["price_to_pay"] == "2.40"


def test_cancel_without_javascript(door, login):
    client = login(door.world.users["own", Role.ORGANISER])
    post_scan(client, door, door.pass_.number)
    checkin = CheckIn.objects.get()

    response = client.post(
        f"{SCAN}cancel/?network={door.network.slug}", {"checkin": str(checkin.pk)}
    )

    assert response.status_code == 200
    assert "is geannuleerd" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.CANCELLED
    other = client.post(
        f"{SCAN}cancel/?network={door.network.slug}", {"checkin": str(uuid.uuid4())}
    )
    assert other.status_code == 404


def test_get_pages_carry_no_first_names(door, login):
    # the service worker keeps GET answers on the phone: they hold no personal data
    client = login(door.world.users["own", Role.ORGANISER])
    post_scan(client, door, door.pass_.number)

    assert "Amira" not in client.get(SCAN).content.decode()


# --- the PWA files -------------------------------------------------------------------------


def test_the_service_worker_is_served_from_scan_with_its_scope(client, db):
    response = client.get(f"{SCAN}sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/scan/"
    assert response["Cache-Control"] == "no-cache"
    assert b"vrijuit-scanner-v1" in response.content
    assert client.post(f"{SCAN}sw.js").status_code == 405


def test_the_manifest_makes_the_scanner_installable(client, db):
    response = client.get(f"{SCAN}manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/scan/"
    assert manifest["scope"] == "/scan/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_page_loads_no_script_from_elsewhere_and_the_decoder_only_on_demand(door, login):
    client = login(door.world.users["own", Role.ORGANISER])
    body = client.get(SCAN).content.decode()

    sources = re.findall(r'<script[^>]* src="([^"]+)"', body)
    assert sources == ["/static/checkins/scanner.js"]
    assert "<script>" not in body
    assert " style=" not in body
    assert config_of(client.get(SCAN))["jsqr"] == "/static/checkins/vendor/jsQR.js"


# --- the scanner link on the desk's token page ---------------------------------------------


def test_a_new_organiser_token_comes_with_the_scanner_link(door, login):
    client = login(door.world.users["own", Role.COORDINATOR])
    url = f"/desk/{door.network.slug}/api-tokens/"

    response = client.post(
        url, {"name": "deur zwembad", "role": Role.ORGANISER, "organiser": door.organiser.pk}
    )

    body = response.content.decode()
    raw = re.search(r'<code class="token">([^<]+)</code>', body).group(1)
    assert f'href="http://testserver/scan/#token={raw}"' in body

    coordinator_token = client.post(url, {"name": "koppeling", "role": Role.COORDINATOR})
    assert "/scan/#token=" not in coordinator_token.content.decode()
