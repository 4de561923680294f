"""Every back-office page of the permission matrix at 360 px, with rows in its tables.

A page passes when nothing makes it wider than the phone (no sideways scrolling, and no element
that reaches past the screen's edge, also not inside a box that scrolls on its own), when each of
its tables shows data, and when axe finds no WCAG 2.1 AA problem. Tables become cards on a phone;
the menu and the guide's filters fold away.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.test import Client
from django.utils import timezone

from vrijuit.core.roles import Role
from vrijuit.core.tests.matrix import (
    PAGES,
    own_activity,
    own_batch,
    own_checkin,
    own_expense,
    sibling_occurrence,
)

from .helpers import DESKTOP, PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

FILES = (".pdf", ".csv", ".xlsx", ".xml")
# A page whose table only appears for a search gets one that finds the seeded rows.
QUERIES = {"participant search": "?q=Matrix"}

WIDER_THAN_THE_SCREEN = """(width) => {
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right <= width + 0.5 && box.left >= -0.5) continue;
    // Text hidden on purpose (visually hidden, the skip link until it has focus).
    let hidden = false;
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      const clipped = style.clip !== "auto" || node.classList.contains("skip-link");
      if (style.position === "absolute" && clipped) {
        hidden = true;
        break;
      }
    }
    if (hidden) continue;
    const classes = element.className ? "." + String(element.className).split(" ").join(".") : "";
    const name = element.tagName.toLowerCase() + classes;
    wide.push(`${name} (${Math.round(box.left)}–${Math.round(box.right)} px)`);
  }
  return wide;
}"""

EMPTY_TABLES = """() => Array.from(document.querySelectorAll("main table")).filter(
  (table) => !Array.from(table.tBodies).some((body) =>
    Array.from(body.rows).some((row) => !row.querySelector("[colspan]")))
).map((table) => table.closest("[aria-label]")?.getAttribute("aria-label") || "a table")"""


def seed(world):
    """Rows for every table a coordinator sees: check-ins, statements, a payment batch, a
    budget with sources and allocations, an expense, a partner, a status ending soon."""
    from vrijuit.checkins.models import Budget
    from vrijuit.finance.models import Allocation, BudgetSource
    from vrijuit.networks.tests.factories import PartnerFactory
    from vrijuit.participants.tests.factories import ParticipantFactory, StatusFactory
    from vrijuit.passes.tests.factories import PassFactory

    network = world.networks["own"]
    today = timezone.localdate()
    PartnerFactory(network=network, name="Welzijnsschakel 't Schakeltje")
    BudgetSource.objects.create(
        network=network, year=today.year, kind="municipal", amount=Decimal("5000.00")
    )
    Allocation.objects.create(
        network=network, year=today.year, purpose="discount", amount=Decimal("4000.00")
    )
    Budget.objects.get_or_create(
        network=network, year=today.year, defaults={"amount": Decimal("4000.00")}
    )
    own_activity(world, "own")
    sibling_occurrence(world, "own")  # the other organiser's activity has a date too
    own_checkin(world, "own")
    own_batch(world, "own")  # an approved statement with a check-in, in a payment batch
    own_checkin(world, "own")  # and one that is in no statement yet
    own_expense(world, "own")
    ending = ParticipantFactory(network=network, last_name="Matrix", phone="0470 12 34 56")
    StatusFactory(participant=ending, valid_until=today + timedelta(days=10))
    PassFactory(participant=ending)


def with_a_status(values):
    """A participant's page shows the statuses table: give the participant one."""
    from vrijuit.participants.models import Participant
    from vrijuit.participants.tests.factories import StatusFactory

    if "participant_id" in values:
        StatusFactory(participant=Participant.objects.get(pk=values["participant_id"]))
    return values


def page_urls(world):
    network = world.networks["own"]
    urls = []
    for row in PAGES:
        if row.kind != "page" or row.method != "get" or row.path.endswith(FILES):
            continue
        assert Role.COORDINATOR in row.allowed, row.name
        values = {"network": network.slug}
        if row.setup is not None:
            values.update(with_a_status(row.setup(world, "own")))
        urls.append((row.name, row.path.format(**values) + QUERIES.get(row.name, "")))
    return urls


def log_in_as(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_every_back_office_page_fits_a_phone_with_data_in_its_tables(
    phone_page, context, live_server, world
):
    seed(world)
    urls = page_urls(world)
    assert len(urls) >= 30, "the matrix's pages"
    log_in_as(context, live_server, world.users["own", Role.COORDINATOR])

    problems = []
    for name, url in urls:
        response = phone_page.goto(url)
        assert response.status == 200, (name, url, response.status)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{name} ({url}): the page is {width} px wide")
        wide = phone_page.evaluate(WIDER_THAN_THE_SCREEN, PHONE["width"])
        if wide:
            problems.append(f"{name} ({url}): wider than the screen: {', '.join(wide[:5])}")
        empty = phone_page.evaluate(EMPTY_TABLES)
        if empty:
            problems.append(f"{name} ({url}): empty table(s): {', '.join(empty)}")
        assert_accessible(phone_page)

    assert problems == [], "\n".join(problems)


def test_the_scanner_and_the_guide_fit_a_phone(phone_page, context, live_server, world):
    seed(world)
    log_in_as(context, live_server, world.users["own", Role.COORDINATOR])
    slug = world.networks["own"].slug
    guide = f"/{slug}/activities/"
    for url in (f"/scan/?network={slug}", f"/{slug}/", guide, guide + "?date_from=2099-01-01"):
        assert phone_page.goto(url).status == 200
        assert_no_horizontal_scroll(phone_page, PHONE["width"])
        assert phone_page.evaluate(WIDER_THAN_THE_SCREEN, PHONE["width"]) == [], url
        assert_accessible(phone_page)


def test_a_table_is_a_list_of_cards_on_a_phone_and_a_table_on_a_desktop(
    phone_page, context, live_server, world
):
    seed(world)
    log_in_as(context, live_server, world.users["own", Role.COORDINATOR])
    phone_page.goto(f"/desk/{world.networks['own'].slug}/checkins/")
    cell = phone_page.locator("main table td[data-label]").first

    # every cell says which column it is, and the cancel button is on the screen
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Tijd: "'
    button = phone_page.get_by_role("button", name="Annuleren")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]

    phone_page.set_viewport_size(DESKTOP)
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == "none"


@pytest.mark.parametrize("javascript", [True, False], ids=["with JS", "without JS"])
def test_the_menu_folds_away_on_a_phone_and_opens_with_a_tap(
    browser, live_server, world, javascript
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="nl-BE", java_script_enabled=javascript
    )
    try:
        log_in_as(context, live_server, world.users["own", Role.COORDINATOR])
        page = context.new_page()
        page.goto(f"/desk/{world.networks['own'].slug}/")
        menu = page.locator("header nav[aria-label]")
        audit_link = menu.get_by_role("link", name="Logboek")

        assert not audit_link.is_visible()
        assert menu.bounding_box()["height"] < 60  # one line, not 300 px of links
        menu.locator("summary").click()
        assert audit_link.is_visible()

        page.set_viewport_size(DESKTOP)
        page.reload()
        assert audit_link.is_visible()
        assert not menu.locator("summary").is_visible()
    finally:
        context.close()


def test_the_guides_filters_fold_away_on_a_phone_but_stay_open_when_used(
    phone_page, live_server, world
):
    slug = world.networks["own"].slug
    phone_page.goto(f"/{slug}/activities/")
    search = phone_page.locator("#id_q")
    date_from = phone_page.locator("#id_date_from")
    assert search.is_visible()
    assert not date_from.is_visible()
    results = phone_page.locator("#results-title").bounding_box()
    assert results["y"] < PHONE["height"], "the first results start on the first screen"

    phone_page.goto(f"/{slug}/activities/?date_from=2030-01-01")
    assert date_from.is_visible(), "a filter in use stays in sight"

    phone_page.set_viewport_size(DESKTOP)
    phone_page.goto(f"/{slug}/activities/")
    assert date_from.is_visible()
