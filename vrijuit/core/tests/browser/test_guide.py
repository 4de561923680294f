"""The public guide in a real Chromium on a 360-px phone: accessible, no sideways scrolling."""

from decimal import Decimal

import pytest

from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.networks.tests.factories import MunicipalityFactory, NetworkFactory, OrganiserFactory

from .helpers import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def activity(transactional_db):
    network = NetworkFactory(name="Vrijetijdsnetwerk Borsbeek", slug="borsbeek")
    MunicipalityFactory(network=network, name="Borsbeek")
    organiser = OrganiserFactory(network=network, name="Zwemclub De Dolfijn")
    activity = ActivityFactory(
        organiser=organiser,
        title="Zwemles voor kinderen in de crèche-leeftijd",
        regular_price=Decimal("12.00"),
        accessibility="Rolstoeltoegankelijk.",
        min_age=3,
        max_age=6,
    )
    OccurrenceFactory(activity=activity)
    OccurrenceFactory(activity=activity, cancelled=True)
    return activity


def test_the_guide_and_an_activity_on_a_phone(phone_page, activity):
    page = phone_page

    # search without JavaScript doing anything special: a plain GET form
    page.goto("/borsbeek/activities/")
    page.locator("#id_q").fill("creche")
    page.locator(".guide-form button[type=submit]").click()
    page.wait_for_url("**/activities/?q=creche*")

    card = page.locator(".cards li").first
    assert "2,40" in card.inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    card.get_by_role("link").click()
    page.wait_for_url(f"**/activities/{activity.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == activity.title
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])


@pytest.fixture
def swim_today(transactional_db, monkeypatch):
    """It is 14:00; the pool's free swim runs today from 08:00 to 22:00, and the swimming
    club's membership runs all year."""
    from datetime import date, datetime, time

    from django.utils import timezone

    today = timezone.localdate()
    at = lambda day, hour: timezone.make_aware(datetime.combine(day, time(hour)))  # noqa: E731
    two_pm = at(today, 14)
    monkeypatch.setattr(timezone, "now", lambda: two_pm)  # the live server's clock too
    network = NetworkFactory(name="Vrijetijdsnetwerk Borsbeek", slug="borsbeek")
    club = OrganiserFactory(network=network, name="Zwemclub De Dolfijn")
    swim = ActivityFactory(organiser=club, title="Vrij zwemmen", regular_price=Decimal("4.00"))
    OccurrenceFactory(activity=swim, start=at(today, 8), end=at(today, 22))
    season = ActivityFactory(organiser=club, title="Lidgeld zwemclub, seizoen")
    OccurrenceFactory(
        activity=season, start=at(date(today.year, 1, 1), 0), end=at(date(today.year, 12, 31), 23)
    )
    return swim


def test_a_resident_sees_todays_running_swim_in_the_guide(phone_page, swim_today):
    page = phone_page

    page.goto("/borsbeek/activities/")
    page.locator("#id_q").fill("zwemmen")
    page.locator(".guide-form button[type=submit]").click()
    page.wait_for_url("**/activities/?q=zwemmen*")

    card = page.locator(".cards li", has_text="Vrij zwemmen")
    assert "Nu bezig, tot 22:00" in card.inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    page.goto("/borsbeek/activities/")
    assert page.locator(".cards li", has_text="Lidgeld zwemclub").count() == 1
    feeds = page.get_by_role("region", name="In je agenda of rekenblad")
    assert feeds.get_by_role("link", name="Agenda met alle activiteiten (iCalendar)").is_visible()
    assert feeds.get_by_role("link", name="Alle data in een rekenblad (CSV)").is_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])
