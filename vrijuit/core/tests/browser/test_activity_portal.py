"""The organiser's activity portal in a real Chromium: the plain-language report is accessible."""

from decimal import Decimal
from io import StringIO

import pytest

from django.core.management import call_command

from vrijuit.catalogue.models import Organiser
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory

from .helpers import PHONE, assert_accessible, assert_no_horizontal_scroll
from .test_pages import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(transactional_db):
    call_command("seed_demo", history=False, stdout=StringIO())
    organiser = Organiser.objects.get(network__slug="borsbeek", slug="zwemclub")
    activity = ActivityFactory(
        organiser=organiser,
        title="Zwemles",
        description=(
            "Kom zwemmen. Het water is warm. In het kader van de gemeentelijke "
            "vrijetijdsparticipatiedoelstellingen wordt in samenwerking met de betrokken "
            "partnerorganisaties een laagdrempelig aanbod georganiseerd voor alle inwoners."
        ),
        regular_price=Decimal("12.00"),
        draft=True,
    )
    OccurrenceFactory(activity=activity)
    return activity


def test_the_coordinator_sees_the_plain_language_report_before_publishing(page, draft):
    log_in(page, "coordinator")
    page.set_viewport_size(PHONE)

    page.goto(f"/desk/borsbeek/activities/{draft.pk}/publish/")

    report = page.locator(".plain-language")
    assert report.is_visible()
    assert report.locator("mark").count() >= 1  # the long sentence or long word is marked
    assert_accessible(page)
    assert_no_horizontal_scroll(page, PHONE["width"])

    page.goto(f"/desk/borsbeek/activities/{draft.pk}/")
    assert_accessible(page)
