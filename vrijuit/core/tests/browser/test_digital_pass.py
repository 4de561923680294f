"""The digital pass on a phone in a real Chromium: accessible, and still there without internet.

The offline check is strict: before the phone goes offline the pass is blocked on the server.
Had the reload reached the server, it would show "this link no longer works"; it shows the
pass only because the service worker answered from what it kept.
"""

from urllib.parse import urlsplit

import pytest

from django.urls import reverse

from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.passes.constants import BlockReason
from vrijuit.passes.services import pass_block
from vrijuit.passes.tests.factories import PassFactory

from .helpers import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

CACHE = "vrijuit-pass-v1"


@pytest.fixture
def digital_pass(transactional_db):
    network = NetworkFactory(name="Vrijetijdsnetwerk Borsbeek", slug="borsbeek")
    return PassFactory(
        participant__network=network,
        participant__first_name="Zoë",
        participant__last_name="Verbruggen",
    )


def kept_urls(page):
    return page.evaluate(
        f"""() => caches.open("{CACHE}")
            .then(cache => cache.keys())
            .then(requests => requests.map(request => new URL(request.url).pathname))"""
    )


def forget_expected_errors(browser_errors, *fragments):
    browser_errors[:] = [e for e in browser_errors if not any(f in e for f in fragments)]


def test_the_digital_pass_is_accessible_and_opens_without_internet(
    context, phone_page, digital_pass, browser_errors
):
    page = phone_page
    url = reverse("digital_pass:pass", args=[digital_pass.access_key])

    # online: the pass, accessible at 360 px
    response = page.goto(url)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator(".digital-pass__digits").inner_text() == digital_pass.number_display
    assert page.locator(".digital-pass__qr svg").bounding_box()["width"] >= 200
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    # the service worker registers with the scope /pass/ and keeps the page and its files
    page.locator("html[data-offline=ready]").wait_for()
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert urlsplit(scope).path == "/pass/"
    assert page.locator("#offline-note").is_visible()
    kept = kept_urls(page)
    assert url in kept
    assert any(path.endswith("/passes/pass.css") for path in kept)
    assert_accessible(page)

    # offline, with the pass blocked on the server meanwhile: the kept pass still opens
    pass_block(pass_=digital_pass, reason=BlockReason.LOST)
    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    assert page.locator(".digital-pass__digits").inner_text() == digital_pass.number_display
    # the stylesheet came from the kept copy as well
    weight = page.locator(".digital-pass__digits").evaluate("e => getComputedStyle(e).fontWeight")
    assert weight == "700"
    assert_accessible(page)

    # online again: the blocked pass is gone, also from the phone's kept copy
    context.set_offline(False)
    response = page.reload()
    assert response.status == 404
    assert page.locator("h1").inner_text() != ""
    page.wait_for_function(
        f"""url => caches.open("{CACHE}").then(c => c.match(url)).then(r => r === undefined)""",
        arg=url,
    )
    assert url not in kept_urls(page)
    forget_expected_errors(browser_errors, "status of 404")


def test_a_link_that_no_longer_works_is_accessible_on_a_phone(
    phone_page, browser_errors, transactional_db
):
    response = phone_page.goto(reverse("digital_pass:pass", args=["no-such-link"]))

    assert response.status == 404
    assert phone_page.locator("h1").inner_text()
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page, PHONE["width"])
    forget_expected_errors(browser_errors, "status of 404")
