"""The annual report reads its two covering indexes in order: no table scan, no sort of the
year's check-ins (a million of them must stay under 2 seconds)."""

import pytest

from django.db import connection

from vrijuit.finance import reports

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans"),
]


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


def test_per_activity_streams_the_covering_index(door):
    from vrijuit.checkins.constants import CheckInState
    from vrijuit.checkins.models import CheckIn

    queryset = (
        CheckIn.objects.filter(network=door.network, year=2026, state=CheckInState.ACCEPTED)
        .values("activity_id", "organiser_id")
        .annotate(**reports._totals())
        .order_by("activity_id", "organiser_id")
    )
    text = plan(queryset)
    assert "COVERING INDEX checkin_report_activity" in text, text
    assert "TEMP B-TREE" not in text, text


def test_a_month_is_a_range_of_the_covering_index(door):
    queryset = reports._accepted(door.network, 2026).filter(
        scanned_at__gte=reports._month_start(2026, 3), scanned_at__lt=reports._month_start(2026, 4)
    )
    text = plan(queryset.values("pk"))
    assert "checkin_report_month" in text, text
    assert "scanned_at>? AND scanned_at<?" in text.replace('"', "") or "scanned_at>?" in text
