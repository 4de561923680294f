"""Browser tests: Playwright (sync API) drives a real Chromium against ``live_server``.

The browser is Debian's Chromium at ``/usr/bin/chromium`` when it is installed, else the
executable named by ``VRIJUIT_CHROMIUM``, else Playwright's own browser (``playwright install
chromium``). One browser serves the whole session; every test gets a fresh context (no
cookies, no storage) and page.

Without any browser these tests are skipped on a developer machine and fail in CI (``CI`` set),
so that the accessibility checks can never silently disappear from the pipeline.

Playwright's sync API keeps an asyncio event loop running in the main thread for as long as
the browser is open, and Django refuses ORM calls from a thread with a running loop unless
``DJANGO_ALLOW_ASYNC_UNSAFE`` is set. So the browser tests run last (the hook below), and that
variable is set only while the browser is open: set for the whole process, it would also reach
the subprocesses of other tests (``manage.py check --deploy`` rejects it, async.E001).
"""

import os

import pytest

from .helpers import CHROMIUM_ARGS, DESKTOP, PHONE, chromium_executable

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests after all others (keeping pytest-django's order otherwise)."""
    others = [item for item in items if item.get_closest_marker("browser") is None]
    browser_tests = [item for item in items if item.get_closest_marker("browser") is not None]
    items[:] = others + browser_tests


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        executable = chromium_executable()
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            _no_browser(
                f"Chromium could not be started ({executable or 'Playwright own browser'}): "
                f"{str(error).splitlines()[0]}. Install it with `apt-get install chromium` "
                "or set VRIJUIT_CHROMIUM to a Chromium executable."
            )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def _no_browser(reason):
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def context(browser, live_server):
    """A fresh browser context (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="nl-BE", timezone_id="Europe/Brussels"
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def browser_errors():
    """Errors the page reported; the test fails on any left here when it ends.

    A test that provokes an error on purpose (a 404 page) removes it from this list.
    """
    errors = []
    yield errors
    assert not errors, "The browser reported errors:\n" + "\n".join(errors)


@pytest.fixture
def page(context, browser_errors):
    """A page that fails the test on any error in the page's console or scripts.

    A Content-Security-Policy violation (an inline style or script slipped into a template)
    shows up as a console error, so it fails here too.
    """
    page = context.new_page()

    def on_console(message):
        # Chromium asks for /favicon.ico on its own; the site has none, which is fine.
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            browser_errors.append(f"console: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_errors.append(f"page error: {error}"))
    yield page
    page.close()


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page
