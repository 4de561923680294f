"""The guide shows dates that are running, not only those still to start.

* ``Occurrence.until``: the end, or without an end the end of the (local) day of the start,
  set by ``Occurrence.save`` and ``bulk_create`` (the local day needs the time zone, which
  SQLite does not know). A date is shown while ``now < until``. ``spans_days``: it lasts
  more than two days (``models.LONG_AFTER``; partial index ``occurrence_long``).
* ``Activity.last_until`` replaces ``last_start``: the latest ``until`` of the dates that are
  not cancelled, kept by the triggers of ``0005_guide_search`` rewritten for it.
* The indexes ``activity_guide`` and ``occurrence_coming`` are on ``until`` instead of
  ``start``; (activity, until) for one activity's next dates.
* The search text also holds the organiser, the place and the municipality.

On SQLite the field changes rebuild both tables, which drops their triggers: all the
triggers of 0005 (the text index's too) are made again at the end.
"""

import importlib
from datetime import datetime, time, timedelta

from django.db import migrations, models
from django.utils import timezone

guide_search = importlib.import_module("vrijuit.catalogue.migrations.0005_guide_search")


def _rewritten(statements):
    return [
        sql.replace("last_start", "last_until")
        .replace("MAX(start)", "MAX(until)")
        .replace("UPDATE OF start, cancelled_at", "UPDATE OF until, cancelled_at")
        for sql in statements
    ]


# 0005's triggers on last_until and until; the text index's tables stay, their triggers on
# catalogue_activity are made again.
SQLITE_TRIGGERS = [
    sql for sql in _rewritten(guide_search.SQLITE_TRIGGERS) if sql.startswith("CREATE TRIGGER")
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalogue_occurrence_last_start_insert",
    "DROP TRIGGER IF EXISTS catalogue_occurrence_last_start_update",
    "DROP TRIGGER IF EXISTS catalogue_occurrence_last_start_delete",
    "DROP TRIGGER IF EXISTS catalogue_activity_last_start_insert",
    "DROP TRIGGER IF EXISTS catalogue_activity_last_start_update",
]
SQLITE_DROP_ALL = [
    sql.replace("CREATE TRIGGER", "DROP TRIGGER IF EXISTS").split("\n")[0]
    for sql in SQLITE_TRIGGERS
]
SQLITE_FILL = _rewritten(guide_search.SQLITE_FILL[:1])
PG_TRIGGERS = _rewritten(guide_search.PG_TRIGGERS)
PG_FILL = _rewritten(guide_search.PG_FILL)
PG_DROP = [sql for sql in guide_search.PG_DROP if "trgm" not in sql]
PG_DROP_NEW = _rewritten(PG_DROP)


def _execute(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_old_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _execute(schema_editor, SQLITE_DROP if vendor == "sqlite" else PG_DROP)


def fill_until(apps, schema_editor):
    Occurrence = apps.get_model("catalogue", "Occurrence")
    tz = timezone.get_default_timezone()
    for pk, start, end in list(Occurrence.objects.values_list("id", "start", "end")):
        if end is not None:
            until = end
        else:
            day = timezone.localtime(start, tz).date() + timedelta(days=1)
            until = timezone.make_aware(datetime.combine(day, time.min), tz)
        Occurrence.objects.filter(pk=pk).update(
            until=until, spans_days=until - start > timedelta(days=2)
        )


def fold(text):
    from vrijuit.core.text import fold as fold_text

    return fold_text(text)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _execute(schema_editor, SQLITE_DROP_ALL + SQLITE_TRIGGERS + SQLITE_FILL)
    elif vendor == "postgresql":
        _execute(schema_editor, PG_FILL + PG_TRIGGERS)
    else:
        raise NotImplementedError(f"catalogue 0007: no guide search triggers for {vendor}")
    # The search text with organiser, place and municipality (services.activity_search_text).
    Activity = apps.get_model("catalogue", "Activity")
    activities = Activity.objects.select_related("organiser", "municipality")
    for activity in activities.iterator(chunk_size=2000):
        parts = [
            activity.title,
            activity.description,
            activity.organiser.name,
            activity.location_name,
            activity.municipality.name if activity.municipality_id else "",
        ]
        text = fold(" ".join(part for part in parts if part))
        if text != activity.search_text:
            Activity.objects.filter(pk=activity.pk).update(search_text=text)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _execute(schema_editor, SQLITE_DROP_ALL if vendor == "sqlite" else PG_DROP_NEW)


def recreate_old_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            sql for sql in guide_search.SQLITE_TRIGGERS if sql.startswith("CREATE TRIGGER")
        ]
        drop = [
            sql.replace("CREATE TRIGGER", "DROP TRIGGER IF EXISTS").split("\n")[0]
            for sql in statements
        ]
        _execute(schema_editor, drop + statements + guide_search.SQLITE_FILL[:1])
    else:
        _execute(schema_editor, guide_search.PG_FILL + guide_search.PG_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_activity_text_index"),
        ("networks", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_old_triggers, recreate_old_triggers),
        migrations.AddField(
            model_name="occurrence",
            name="until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="occurrence",
            name="spans_days",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill_until, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="occurrence",
            name="until",
            field=models.DateTimeField(blank=True, editable=False),
        ),
        migrations.RemoveIndex(model_name="activity", name="activity_guide"),
        migrations.RemoveIndex(model_name="occurrence", name="occurrence_coming"),
        migrations.RemoveField(model_name="activity", name="last_start"),
        migrations.AddField(
            model_name="activity",
            name="last_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=[
                    "network",
                    "state",
                    "last_until",
                    "category",
                    "regular_price",
                    "min_age",
                    "max_age",
                    "municipality",
                ],
                name="activity_guide",
            ),
        ),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(fields=["activity", "until"], name="occurrence_activity_until"),
        ),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(
                condition=models.Q(("cancelled_at__isnull", True)),
                fields=["network", "until", "activity", "start"],
                name="occurrence_coming",
            ),
        ),
        migrations.AddIndex(
            model_name="occurrence",
            index=models.Index(
                condition=models.Q(("cancelled_at__isnull", True), ("spans_days", True)),
                fields=["network", "until", "activity", "start"],
                name="occurrence_long",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
