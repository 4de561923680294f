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
