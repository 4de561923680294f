"""The guide's search from indexes: ``Activity.last_start`` kept by triggers, an index for the
guide's count and filters, the coming dates of a network in order, and the words of
``search_text`` in a trigram index (SQLite FTS5; PostgreSQL pg_trgm).

Note for later migrations: on SQLite, a migration that rebuilds ``catalogue_activity`` or
``catalogue_occurrence`` (most AlterField operations) drops their triggers; run
``SQLITE_TRIGGERS`` again after it (``test_guide_search.py`` fails when a trigger is missing).
"""

from django.db import migrations, models

# Activity.last_start: the start of the last occurrence that is not cancelled.
SQLITE_LAST = (
    "(SELECT MAX(start) FROM catalogue_occurrence WHERE activity_id = {0} AND cancelled_at IS NULL)"
)
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER catalogue_occurrence_last_start_insert
    AFTER INSERT ON catalogue_occurrence BEGIN
        UPDATE catalogue_activity SET last_start = {SQLITE_LAST.format("NEW.activity_id")}
        WHERE id = NEW.activity_id;
    END""",
    f"""CREATE TRIGGER catalogue_occurrence_last_start_update
    AFTER UPDATE OF start, cancelled_at, activity_id ON catalogue_occurrence BEGIN
        UPDATE catalogue_activity SET last_start = {SQLITE_LAST.format("NEW.activity_id")}
        WHERE id = NEW.activity_id;
        UPDATE catalogue_activity SET last_start = {SQLITE_LAST.format("OLD.activity_id")}
        WHERE id = OLD.activity_id AND OLD.activity_id IS NOT NEW.activity_id;
    END""",
    f"""CREATE TRIGGER catalogue_occurrence_last_start_delete
    AFTER DELETE ON catalogue_occurrence BEGIN
        UPDATE catalogue_activity SET last_start = {SQLITE_LAST.format("OLD.activity_id")}
        WHERE id = OLD.activity_id;
    END""",
    # Whatever Django writes into last_start (an instance read before its dates changed),
    # the value stays that of the dates.
    f"""CREATE TRIGGER catalogue_activity_last_start_insert
    AFTER INSERT ON catalogue_activity
    WHEN NEW.last_start IS NOT {SQLITE_LAST.format("NEW.id")} BEGIN
        UPDATE catalogue_activity SET last_start = {SQLITE_LAST.format("NEW.id")}
        WHERE id = NEW.id;
    END""",
    f"""CREATE TRIGGER catalogue_activity_last_start_update
    AFTER UPDATE OF last_start ON catalogue_activity
    WHEN NEW.last_start IS NOT {SQLITE_LAST.format("NEW.id")} BEGIN
        UPDATE catalogue_activity SET last_start = {SQLITE_LAST.format("NEW.id")}
        WHERE id = NEW.id;
    END""",
    # search_text in an FTS5 trigram index (substring matching, as LIKE '%word%'). The FTS
    # rows are keyed by catalogue_activity_text.id (an INTEGER PRIMARY KEY, which VACUUM
    # keeps; the implicit rowid of catalogue_activity it may renumber).
    """CREATE TABLE catalogue_activity_text (
        id INTEGER PRIMARY KEY,
        activity_id char(32) NOT NULL UNIQUE,
        search_text TEXT NOT NULL
    )""",
    """CREATE VIRTUAL TABLE catalogue_activity_fts USING fts5(
        search_text, content='catalogue_activity_text', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER catalogue_activity_text_insert
    AFTER INSERT ON catalogue_activity_text BEGIN
        INSERT INTO catalogue_activity_fts(rowid, search_text) VALUES (NEW.id, NEW.search_text);
    END""",
    """CREATE TRIGGER catalogue_activity_text_delete
    AFTER DELETE ON catalogue_activity_text BEGIN
        INSERT INTO catalogue_activity_fts(catalogue_activity_fts, rowid, search_text)
        VALUES ('delete', OLD.id, OLD.search_text);
    END""",
    """CREATE TRIGGER catalogue_activity_text_update
    AFTER UPDATE ON catalogue_activity_text BEGIN
        INSERT INTO catalogue_activity_fts(catalogue_activity_fts, rowid, search_text)
        VALUES ('delete', OLD.id, OLD.search_text);
        INSERT INTO catalogue_activity_fts(rowid, search_text) VALUES (NEW.id, NEW.search_text);
    END""",
    """CREATE TRIGGER catalogue_activity_search_insert
    AFTER INSERT ON catalogue_activity BEGIN
        INSERT INTO catalogue_activity_text(activity_id, search_text)
        VALUES (NEW.id, NEW.search_text);
    END""",
    """CREATE TRIGGER catalogue_activity_search_update
    AFTER UPDATE OF id, search_text ON catalogue_activity
    WHEN OLD.id IS NOT NEW.id OR OLD.search_text IS NOT NEW.search_text BEGIN
        UPDATE catalogue_activity_text SET activity_id = NEW.id, search_text = NEW.search_text
        WHERE activity_id = OLD.id;
    END""",
    """CREATE TRIGGER catalogue_activity_search_delete
    AFTER DELETE ON catalogue_activity BEGIN
        DELETE FROM catalogue_activity_text WHERE activity_id = OLD.id;
    END""",
]
SQLITE_FILL = [
    f"UPDATE catalogue_activity SET last_start = {SQLITE_LAST.format('catalogue_activity.id')}",
    "INSERT INTO catalogue_activity_text(activity_id, search_text) "
    "SELECT id, search_text FROM catalogue_activity",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalogue_occurrence_last_start_insert",
    "DROP TRIGGER IF EXISTS catalogue_occurrence_last_start_update",
    "DROP TRIGGER IF EXISTS catalogue_occurrence_last_start_delete",
    "DROP TRIGGER IF EXISTS catalogue_activity_last_start_insert",
    "DROP TRIGGER IF EXISTS catalogue_activity_last_start_update",
    "DROP TRIGGER IF EXISTS catalogue_activity_search_insert",
    "DROP TRIGGER IF EXISTS catalogue_activity_search_update",
    "DROP TRIGGER IF EXISTS catalogue_activity_search_delete",
    "DROP TABLE IF EXISTS catalogue_activity_fts",
    "DROP TABLE IF EXISTS catalogue_activity_text",
]

PG_LAST = (
    "(SELECT MAX(start) FROM catalogue_occurrence WHERE activity_id = {0} AND cancelled_at IS NULL)"
)
PG_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION catalogue_occurrence_last_start() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
            UPDATE catalogue_activity SET last_start = {PG_LAST.format("NEW.activity_id")}
            WHERE id = NEW.activity_id;
        END IF;
        IF TG_OP = 'DELETE' THEN
            UPDATE catalogue_activity SET last_start = {PG_LAST.format("OLD.activity_id")}
            WHERE id = OLD.activity_id;
        ELSIF TG_OP = 'UPDATE' THEN
            IF OLD.activity_id <> NEW.activity_id THEN
                UPDATE catalogue_activity SET last_start = {PG_LAST.format("OLD.activity_id")}
                WHERE id = OLD.activity_id;
            END IF;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalogue_occurrence_last_start
    AFTER INSERT OR DELETE OR UPDATE OF start, cancelled_at, activity_id
    ON catalogue_occurrence FOR EACH ROW EXECUTE FUNCTION catalogue_occurrence_last_start()""",
    # Whatever Django writes into last_start, the value stays that of the dates (the update
    # made by the trigger above, at depth 1, is right already).
    f"""CREATE OR REPLACE FUNCTION catalogue_activity_last_start() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.last_start := {PG_LAST.format("NEW.id")};
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER catalogue_activity_last_start
    BEFORE INSERT OR UPDATE ON catalogue_activity FOR EACH ROW
    WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION catalogue_activity_last_start()""",
]
PG_FILL = [f"UPDATE catalogue_activity SET last_start = {PG_LAST.format('catalogue_activity.id')}"]
PG_TRGM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX catalogue_activity_search_trgm ON catalogue_activity "
    "USING gin (search_text gin_trgm_ops)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS catalogue_activity_search_trgm",
    "DROP TRIGGER IF EXISTS catalogue_activity_last_start ON catalogue_activity",
    "DROP TRIGGER IF EXISTS catalogue_occurrence_last_start ON catalogue_occurrence",
    "DROP FUNCTION IF EXISTS catalogue_activity_last_start()",
    "DROP FUNCTION IF EXISTS catalogue_occurrence_last_start()",
]


def _execute(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _execute(schema_editor, SQLITE_TRIGGERS + SQLITE_FILL)
    elif vendor == "postgresql":
        _execute(schema_editor, PG_FILL + PG_TRIGGERS)
        from django.db import DatabaseError, transaction

        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                _execute(schema_editor, PG_TRGM)
        except DatabaseError as exc:  # pg_trgm not installed or not allowed: LIKE scans
            print(f"\n  catalogue 0005: no trigram index for the guide's search ({exc})")
    else:
        raise NotImplementedError(f"catalogue 0005: no guide search triggers for {vendor}")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _execute(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _execute(schema_editor, PG_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_occurrence_activity_start"),
        ("networks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="last_start",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=[
                    "network",
                    "state",
                    "last_start",
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
            index=models.Index(
                condition=models.Q(("cancelled_at__isnull", True)),
                fields=["network", "start", "activity"],
                name="occurrence_coming",
            ),
        ),
        migrations.RunPython(create, drop),
    ]
