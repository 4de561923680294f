"""Activities and their occurrences: creating, publishing, weekly series, cancelling."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from vrijuit.catalogue.constants import MAX_SERIES_OCCURRENCES, ActivityState, Category
from vrijuit.catalogue.exceptions import ActivityRefused
from vrijuit.catalogue.services import (
    activity_archive,
    activity_create,
    activity_publish,
    activity_update,
    occurrence_cancel,
    occurrences_create_weekly,
)
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.core.models import AuditEvent
from vrijuit.networks.tests.factories import MunicipalityFactory, OrganiserFactory

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def test_an_activity_is_a_draft_in_the_organisers_network_with_a_folded_search_text():
    organiser = OrganiserFactory()
    municipality = MunicipalityFactory(network=organiser.network, postal_codes="2150, 2100")

    activity = activity_create(
        organiser=organiser,
        title="Crèche-namiddag",
        description="Knutselen in de CRÈCHE",
        category=Category.YOUTH,
        regular_price=Decimal("12.00"),
        postal_code="2100",
    )

    assert activity.network == organiser.network
    assert activity.state == ActivityState.DRAFT
    assert activity.municipality == municipality
    assert "creche namiddag" in activity.search_text
    assert "knutselen in de creche" in activity.search_text
    assert AuditEvent.objects.filter(object_id=str(activity.pk)).exists()


def test_a_coordinator_can_publish_at_once_and_archive_later():
    activity = activity_create(
        organiser=OrganiserFactory(), title="Yoga", regular_price=Decimal("5.00"), published=True
    )
    assert activity.state == ActivityState.PUBLISHED

    activity_archive(activity=activity)
    assert activity.state == ActivityState.ARCHIVED
    activity_publish(activity=activity)
    assert activity.state == ActivityState.PUBLISHED


def test_prices_and_age_ranges_are_checked():
    organiser = OrganiserFactory()
    with pytest.raises(ValidationError):
        activity_create(organiser=organiser, title="X", regular_price=Decimal("-1.00"))
    with pytest.raises(ValidationError):
        activity_create(
            organiser=organiser, title="X", regular_price=Decimal("1.00"), min_age=12, max_age=6
        )


def test_the_database_refuses_a_negative_price_and_an_end_before_the_start():
    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(activity).objects.filter(pk=activity.pk).update(regular_price=Decimal("-1"))
    occurrence = OccurrenceFactory(activity=activity)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(occurrence).objects.filter(pk=occurrence.pk).update(
            end=occurrence.start - timedelta(hours=1)
        )


def test_the_external_id_is_unique_per_network_when_set():
    activity = ActivityFactory(external_id="uit-123")
    ActivityFactory(external_id="uit-123")  # another network
    ActivityFactory(organiser=activity.organiser)  # no external id: any number of them
    ActivityFactory(organiser=activity.organiser)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(organiser=activity.organiser, external_id="uit-123")


def test_an_update_keeps_the_search_text_in_step():
    activity = ActivityFactory(title="Zwemmen")
    activity_update(activity=activity, title="Kunstacademie Élan")
    assert "kunstacademie elan" in activity.search_text


def test_a_weekly_series_keeps_its_local_hour_across_summer_time_and_skips_holidays():
    activity = ActivityFactory()
    first = datetime(2026, 3, 2, 18, 30, tzinfo=BRUSSELS)  # a Monday, winter time

    series = occurrences_create_weekly(
        activity=activity,
        first_start=first,
        duration=timedelta(hours=1),
        until=date(2026, 4, 10),
        weekdays=[0, 2],
        skip_dates=[date(2026, 3, 4)],
    )

    local = [o.start.astimezone(BRUSSELS) for o in series]
    assert len(series) == 11  # 6 Mondays + 6 Wednesdays, one Wednesday skipped
    assert {(t.hour, t.minute) for t in local} == {(18, 30)}
    assert {t.weekday() for t in local} == {0, 2}
    assert date(2026, 3, 4) not in {t.date() for t in local}
    assert all(o.end - o.start == timedelta(hours=1) for o in series)
    assert all(o.network_id == activity.network_id for o in series)


def test_a_series_is_bounded():
    activity = ActivityFactory()
    first = datetime(2026, 1, 5, 10, 0, tzinfo=BRUSSELS)

    with pytest.raises(ActivityRefused) as info:
        occurrences_create_weekly(
            activity=activity,
            first_start=first,
            duration=timedelta(hours=1),
            until=date(2027, 12, 31),
            weekdays=range(7),
        )

    assert info.value.code == "series_too_long"
    assert not activity.occurrences.exists()
    assert MAX_SERIES_OCCURRENCES == 400


def test_cancelling_keeps_the_first_reason():
    occurrence = OccurrenceFactory()

    occurrence_cancel(occurrence=occurrence, reason="  Zwembad in onderhoud ")
    first = occurrence.cancelled_at
    occurrence_cancel(occurrence=occurrence, reason="Anders")

    occurrence.refresh_from_db()
    assert occurrence.cancel_reason == "Zwembad in onderhoud"
    assert occurrence.cancelled_at == first
