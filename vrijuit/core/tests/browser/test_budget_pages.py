"""The budget of a year in a real browser: the coordinator reads the forecast and its plot on
the budget page and the dashboard, on a desktop and at 360 px; axe finds nothing, the strict
CSP reports nothing (the plot is inline SVG without style attributes or script)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO

import pytest

from django.core.management import call_command
from django.utils import timezone

from vrijuit.checkins.models import Budget
from vrijuit.finance.models import LedgerEntry
from vrijuit.networks.models import Network

from .helpers import assert_accessible, assert_no_horizontal_scroll
from .test_pages import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def spending(transactional_db):
    """The demo network with a budget of € 3.000 and € 20 of discounts every week this year
    (booked straight in the ledger: the plot reads the ledger, the forecast the budget)."""
    call_command("seed_demo", history=False, stdout=StringIO())
    network = Network.objects.get(slug="borsbeek")
    today = timezone.localdate()
    day, total = date(today.year, 1, 3), Decimal("0.00")
    while day <= today:
        LedgerEntry.objects.create(
            network=network,
            year=today.year,
            booked_at=timezone.make_aware(datetime.combine(day, time(10))),
            kind="expense",  # a check-in entry needs a check-in; the plot only sums amounts
            purpose="discount",
            amount=Decimal("20.00"),
        )
        total += Decimal("20.00")
        day += timedelta(days=7)
    Budget.objects.update_or_create(
        network=network, year=today.year, defaults={"amount": Decimal("3000.00"), "spent": total}
    )
    return total


def test_budget_page_with_the_plot_is_accessible_on_desktop_and_phone(spending, page):
    log_in(page, "coordinator")
    page.goto("/desk/borsbeek/budget/")
    plot = page.locator("svg.budget-plot__svg")
    assert plot.get_attribute("role") == "img"
    assert "Terugbetaling van kortingen" in plot.locator("title").text_content()
    assert "is besteed" in page.locator("p.forecast").inner_text()
    assert plot.locator("polyline").count() == 1
    assert plot.bounding_box()["width"] > 300
    assert_accessible(page)

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/desk/borsbeek/budget/")
    assert_no_horizontal_scroll(page, 360)
    box = page.locator("svg.budget-plot__svg").bounding_box()
    assert 250 < box["width"] <= 360
    assert_accessible(page)


def test_dashboard_shows_the_forecast_and_the_money_report_reads_well(spending, page):
    log_in(page, "coordinator")
    assert page.locator("svg.budget-plot__svg").count() == 1
    assert "Kortingsbudget" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/desk/borsbeek/budget/report/")
    assert "Geldrapport" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.goto("/desk/borsbeek/budget/ledger/")
    assert_accessible(page)
    page.goto("/desk/borsbeek/budget/expenses/")
    page.get_by_label("Bestemming").select_option("training")
    page.get_by_label("Bedrag (€)").fill("1.250,50")
    page.get_by_label("Omschrijving").fill("Vorming begrijpbaar communiceren")
    assert_accessible(page)
    page.get_by_role("button", name="Boek de uitgave").click()
    page.wait_for_url("**/budget/ledger/**")
    assert "€ 1.250,50" in page.locator("table").inner_text().replace("\xa0", " ")
