"""The one service worker in a real Chromium, once in each scope that uses it: the scanner
(/scan/) and the digital pass (/pass/). The same rules must hold in both: a redirect (to the
login page) is never kept, and what the server no longer knows (404) is forgotten, so that a
revoked pass no longer opens on the phone."""

import time
from types import SimpleNamespace

import pytest

from django.urls import reverse

from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.browser


def _scanner(db):
    return SimpleNamespace(page="/scan/", cache="vrijuit-scanner-v1", gone="/scan/gone/")


def _digital_pass(db):
    network = NetworkFactory(slug="borsbeek")
    pass_ = PassFactory(participant__network=network)
    return SimpleNamespace(
        page=reverse("digital_pass:pass", args=[pass_.access_key]),
        cache="vrijuit-pass-v1",
        gone=reverse("digital_pass:pass", args=["no-such-link"]),
    )


@pytest.fixture(params=[_scanner, _digital_pass], ids=["scanner", "digital-pass"])
def scope(request, transactional_db):
    return request.param(transactional_db)


def controlled(page, url):
    """Open ``url`` and wait until the service worker answers this page's requests."""
    page.goto(url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def kept(page, cache, url):
    return page.evaluate(
        """([cache, url]) => caches.open(cache)
            .then(c => c.match(url, {ignoreVary: true})).then(r => !!r)""",
        [cache, url],
    )


def keep_an_old_copy(page, cache, url):
    page.evaluate(
        """([cache, url]) => caches.open(cache)
            .then(c => c.put(url, new Response("<h1>kept before</h1>",
                                               {headers: {"Content-Type": "text/html"}})))""",
        [cache, url],
    )


def wait_until_forgotten(page, cache, url, seconds=5):
    """The service worker forgets in the background: ask the kept copy until it is gone."""
    deadline = time.monotonic() + seconds
    while kept(page, cache, url):
        assert time.monotonic() < deadline, f"{url} is still kept in {cache}"
        page.wait_for_timeout(100)


def forget_expected_errors(browser_errors, *fragments):
    browser_errors[:] = [e for e in browser_errors if not any(f in e for f in fragments)]


def test_a_redirect_to_the_login_page_is_never_kept(page, scope):
    controlled(page, scope.page)

    answer = page.evaluate(
        "() => fetch('/desk/').then(r => ({redirected: r.redirected, url: r.url, ok: r.ok}))"
    )

    assert answer["redirected"] and answer["ok"]
    assert "/account/login/" in answer["url"]
    assert not kept(page, scope.cache, "/desk/")
    assert not kept(page, scope.cache, answer["url"])


def test_a_page_the_server_no_longer_knows_is_forgotten(page, scope, browser_errors):
    controlled(page, scope.page)
    keep_an_old_copy(page, scope.cache, scope.gone)
    assert kept(page, scope.cache, scope.gone)

    response = page.goto(scope.gone)

    assert response.status == 404
    assert page.locator("h1").inner_text() != "kept before"
    wait_until_forgotten(page, scope.cache, scope.gone)
    forget_expected_errors(browser_errors, "status of 404")


def test_a_file_the_server_no_longer_knows_is_forgotten(page, scope, browser_errors):
    controlled(page, scope.page)
    keep_an_old_copy(page, scope.cache, scope.gone)

    # the kept copy answers first; the server's 404 behind it makes the phone forget it
    first = page.evaluate("url => fetch(url).then(r => r.text())", scope.gone)

    assert "kept before" in first
    wait_until_forgotten(page, scope.cache, scope.gone)
    assert page.evaluate("url => fetch(url).then(r => r.status)", scope.gone) == 404
    forget_expected_errors(browser_errors, "status of 404")


def test_only_the_scanner_falls_back_to_its_start_page_without_a_connection(
    page, context, scope, browser_errors
):
    controlled(page, scope.page)
    page.locator("html[data-offline=ready]").wait_for(state="attached")
    context.set_offline(True)

    never_kept = scope.page + ("&" if "?" in scope.page else "?") + "never=kept"
    if scope.cache.startswith("vrijuit-scanner-"):
        response = page.goto(never_kept)
        assert response.from_service_worker
        page.locator("#scan-form, #connect-form").first.wait_for(state="attached")
    else:
        with pytest.raises(Exception, match="ERR_"):
            page.goto(never_kept)
        forget_expected_errors(browser_errors, "ERR_")
