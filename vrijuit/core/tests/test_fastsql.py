"""The hand-written SQL helper (vrijuit.core.fastsql), on the database the tests run on (SQLite,
and PostgreSQL with ``DATABASE_URL``): what it reads and stores must be exactly what the ORM
would read and store, and it never stores a row of an audited model behind the audit log's
back."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from django.db import connection
from django.utils import timezone

from vrijuit.checkins.models import Budget, IdempotencyRecord
from vrijuit.core import audit, fastsql
from vrijuit.core.models import AuditEvent
from vrijuit.participants.models import Status
from vrijuit.participants.tests.factories import ParticipantFactory, StatusFactory
from vrijuit.passes.models import Pass

pytestmark = pytest.mark.django_db


def _select(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fields(obj, names):
    return {name: getattr(obj, name) for name in names}


# --- insert ---------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [Decimal("7.56"), None])
def test_insert_stores_what_save_would_store(world, amount):
    network = world.own
    fast = fastsql.insert(Budget(network=network, year=2031, amount=amount, spent=Decimal("5.96")))
    slow = Budget(network=network, year=2032, amount=amount, spent=Decimal("5.96"))
    slow.save()
    names = ["id", "network_id", "amount", "spent"]
    stored = Budget.objects.get(year=2031)
    assert _fields(stored, names) == _fields(fast, names)
    assert _fields(stored, names[2:]) == _fields(Budget.objects.get(year=2032), names[2:])
    assert stored.updated_at is not None  # auto_now, as save() fills it
    assert not fast._state.adding


def test_insert_leaves_an_automatic_key_to_the_database(world):
    for _ in range(2):
        fastsql.insert(
            IdempotencyRecord(
                network=world.own,
                owner="token:1",
                key=uuid.uuid4(),
                fingerprint="f" * 64,
                created_at=timezone.now(),
            )
        )
    assert IdempotencyRecord.objects.count() == 2


def test_insert_refuses_an_audited_model_and_stores_nothing(world):
    participant = ParticipantFactory(network=world.own)
    events = AuditEvent.objects.count()
    assert audit.is_registered(Pass)
    with pytest.raises(TypeError, match="audited"):
        fastsql.insert(Pass(network=world.own, participant=participant, number="99999999"))
    assert not Pass.objects.filter(number="99999999").exists()
    assert AuditEvent.objects.count() == events


def test_what_the_scan_inserts_is_not_audited():
    """The check-in and its idempotency record are stored with ``fastsql.insert``: should
    either become audited, the guard above stops the scan in every test."""
    from vrijuit.checkins.models import CheckIn

    assert not audit.is_registered(CheckIn)
    assert not audit.is_registered(IdempotencyRecord)


# --- reading --------------------------------------------------------------------------------


def test_shape_builds_the_instances_a_queryset_would(world):
    participant = ParticipantFactory(network=world.own)
    today = timezone.localdate()
    StatusFactory(participant=participant, today=today)
    status = Status.objects.get(participant=participant)
    status.suspended_from = today + timedelta(days=3)
    status.save()
    names = ["id", "network", "participant", "valid_from", "valid_until", "suspended_from",
             "suspended_until", "ended_on"]  # fmt: skip
    shape = fastsql.Shape(("s", Status, names))
    rows = _select(
        f"SELECT {shape.columns} FROM {fastsql.table(Status)} s "  # noqa: S608
        f"WHERE s.{fastsql.column(Status, 'participant')} = %s",
        [fastsql.prep(Status, "participant", participant.pk)],
    )
    (read,) = shape.instances(rows[0])
    attnames = [Status._meta.get_field(name).attname for name in names]
    assert _fields(read, attnames) == _fields(Status.objects.get(pk=status.pk), attnames)
    assert isinstance(read.valid_from, date)
    assert read.suspended_until is None
    # The columns not read are deferred, as with .only(): reading one asks the database.
    assert "note" in read.get_deferred_fields()


def test_the_empty_side_of_an_outer_join_is_none(world):
    participant = ParticipantFactory(network=world.own)
    shape = fastsql.Shape(
        ("pa", type(participant), ["id", "first_name"]), ("p", Pass, ["id", "number"])
    )
    rows = _select(
        f"SELECT {shape.columns} FROM {fastsql.table(type(participant))} pa "  # noqa: S608
        f"LEFT JOIN {fastsql.table(Pass)} p "
        f"ON p.{fastsql.column(Pass, 'participant')} = pa.{fastsql.qn('id')} "
        f"WHERE pa.{fastsql.qn('id')} = %s",
        [fastsql.prep(type(participant), "id", participant.pk)],
    )
    person, pass_obj = shape.instances(rows[0])
    assert (person.pk, pass_obj) == (participant.pk, None)


def test_prep_and_convert_round_trip_keys_money_and_times(world):
    key = uuid.uuid4()
    moment = timezone.now().replace(microsecond=123456)
    record = fastsql.insert(
        IdempotencyRecord(
            network=world.own, owner="user:7", key=key, fingerprint="x", created_at=moment
        )
    )
    fastsql.insert(Budget(network=world.own, year=2033, spent=Decimal("0.10")))

    def col(name):
        return fastsql.column(IdempotencyRecord, name)

    rows = _select(
        f"SELECT {col('key')}, {col('created_at')}, {col('checkin')} "  # noqa: S608
        f"FROM {fastsql.table(IdempotencyRecord)} WHERE {col('key')} = %s",
        [fastsql.prep(IdempotencyRecord, "key", key)],
    )
    stored_key, created_at, checkin = rows[0]
    assert fastsql.convert(stored_key, IdempotencyRecord, "key") == key
    assert fastsql.convert(created_at, IdempotencyRecord, "created_at") == moment
    assert fastsql.convert(checkin, IdempotencyRecord, "checkin") is None
    assert IdempotencyRecord.objects.get(key=key).pk is not None
    assert record.key == key
    # A sum of decimals (SQLite keeps binary floats) reads back as the ORM's Decimal.
    spent = fastsql.column(Budget, "spent")
    total = f"SUM({spent} + %s)"
    if connection.vendor == "sqlite":
        total = f"CAST({total} AS NUMERIC)"
    (value,) = _select(
        f"SELECT {total} FROM {fastsql.table(Budget)} "  # noqa: S608
        f"WHERE {fastsql.column(Budget, 'year')} = %s",
        [fastsql.prep(Budget, "spent", Decimal("0.20")), 2033],
    )[0]
    assert fastsql.convert(value, Budget, "spent") == Decimal("0.30")


def test_tables_and_columns_come_from_the_models():
    assert fastsql.table(Pass) == f'"{Pass._meta.db_table}"'
    assert fastsql.column(Pass, "participant") == '"participant_id"'
    assert fastsql.column(Pass, "participant", alias="p") == 'p."participant_id"'


def test_a_new_shape_never_reads_with_the_converters_of_a_collected_one(world):
    """Shapes made one after the other (as in a loop) may get the address of one that is gone;
    each must still turn its own columns into values."""
    participant = ParticipantFactory(network=world.own)
    table, pk = fastsql.table(type(participant)), fastsql.qn("id")
    for _ in range(20):
        by_id = fastsql.Shape(("pa", type(participant), ["id", "first_name"]))
        rows = _select(
            f"SELECT {by_id.columns} FROM {table} pa WHERE pa.{pk} = %s",  # noqa: S608
            [fastsql.prep(type(participant), "id", participant.pk)],
        )
        assert by_id.instances(rows[0])[0].pk == participant.pk
        del by_id
        by_name = fastsql.Shape(("pa", type(participant), ["first_name", "last_name"]))
        rows = _select(
            f"SELECT {by_name.columns} FROM {table} pa WHERE pa.{pk} = %s",  # noqa: S608
            [fastsql.prep(type(participant), "id", participant.pk)],
        )
        assert by_name.instances(rows[0])[0].first_name == participant.first_name
        del by_name
