"""Every hand-written SQL statement of the scan at the door, in the order a check-in runs them.

The ORM would spend more time building these statements than the database spends answering
them (docs/benchmarks.md, "Check-in"), so they are written out once, here, with the generic
helpers of ``vrijuit.core.fastsql``: tables and columns from the models' ``_meta``,
parameters prepared by their fields, values converted and instances built as a queryset
would. Each function runs exactly one statement; ``services`` tells the story (which rule
asks what) and never writes SQL itself.

A check-in, in order (docs/architecture.md, "The scan at the door"):

1. ``idempotency_get`` — the first answer to this key, if any;
2. ``occurrence_get`` — the date with its activity (rule 4);
3. ``pass_get`` — the pass with its participant, locked ``FOR UPDATE`` (rules 2 and 3);
4. ``statuses_get`` — the person's statuses (rule 5);
5. ``checkins_tally`` — rules 6 and 7 in one statement;
6. the budget draw (rule 8): ``vrijuit.finance.drawdown``, shared with cancellation;
7. ``checkin_insert`` and ``idempotency_insert``; the ledger entry goes through the ORM.

A new statement here costs every scan: ``tests/test_checkin_queries.py`` counts them.
"""

import functools

from django.db import connection

from vrijuit.catalogue.models import Activity, Occurrence
from vrijuit.core import fastsql
from vrijuit.participants.models import Participant, Status
from vrijuit.passes.models import Pass

from .constants import CheckInState
from .models import CheckIn, IdempotencyRecord


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- 1. the idempotency key -----------------------------------------------------------------


def _idempotency_col(name):
    return fastsql.column(IdempotencyRecord, name)


_IDEMPOTENCY_SQL = (
    f"SELECT {_idempotency_col('fingerprint')}, {_idempotency_col('checkin')}, "  # noqa: S608
    f"{_idempotency_col('code')} FROM {fastsql.table(IdempotencyRecord)} "
    f"WHERE {_idempotency_col('owner')} = %s AND {_idempotency_col('key')} = %s "
    f"AND {_idempotency_col('network')} = %s"
)


def idempotency_get(network, owner, key):
    """(fingerprint, check-in id or None, refusal code or "") of the first answer to ``key``
    from ``owner`` (a token or an account) in ``network``; None if the key is new."""
    rows = _rows(
        _IDEMPOTENCY_SQL,
        [
            owner,
            fastsql.prep(IdempotencyRecord, "key", key),
            fastsql.prep(IdempotencyRecord, "network", network.pk),
        ],
    )
    if not rows:
        return None
    fingerprint, checkin_id, code = rows[0]
    return fingerprint, fastsql.convert(checkin_id, IdempotencyRecord, "checkin"), code


# --- 2. the date ----------------------------------------------------------------------------

_OCCURRENCE = fastsql.Shape(
    ("o", Occurrence, ["id", "network", "activity", "start", "end", "cancelled_at"]),
    ("a", Activity, ["id", "network", "organiser", "title", "regular_price",
                     "fixed_reduced_price"]),
)  # fmt: skip
_OCCURRENCE_SQL = (
    f"SELECT {_OCCURRENCE.columns} FROM {fastsql.table(Occurrence)} o "  # noqa: S608
    f"INNER JOIN {fastsql.table(Activity)} a "
    f"ON a.{fastsql.qn('id')} = o.{fastsql.column(Occurrence, 'activity')} "
    f"WHERE o.{fastsql.column(Occurrence, 'network')} = %s AND o.{fastsql.qn('id')} = %s"
)


def occurrence_get(network, occurrence_id):
    """The date ``occurrence_id`` of ``network`` with its ``activity`` (the columns the rules
    and the price need; the rest is read if asked for), or None."""
    if occurrence_id is None:
        return None
    rows = _rows(
        _OCCURRENCE_SQL,
        [
            fastsql.prep(Occurrence, "network", network.pk),
            fastsql.prep(Occurrence, "id", occurrence_id),
        ],
    )
    if not rows:
        return None
    occurrence, activity = _OCCURRENCE.instances(rows[0])
    occurrence.activity = activity
    return occurrence


# --- 3. the pass ----------------------------------------------------------------------------

_PASS = fastsql.Shape(
    ("p", Pass, ["id", "network", "participant", "number", "state"]),
    ("pa", Participant, ["id", "network", "first_name"]),
)
_PASS_SQL = (
    f"SELECT {_PASS.columns} FROM {fastsql.table(Pass)} p "  # noqa: S608
    f"INNER JOIN {fastsql.table(Participant)} pa "
    f"ON pa.{fastsql.qn('id')} = p.{fastsql.column(Pass, 'participant')} "
    f"WHERE p.{fastsql.column(Pass, 'network')} = %s AND p.{fastsql.column(Pass, 'number')} = %s"
)


def pass_get(network, number, *, lock=False):
    """The pass ``number`` of ``network`` with its participant (first name only), or None.

    ``lock``: inside a transaction, lock the pass and its participant row (``FOR UPDATE`` on
    PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway), so that two
    check-ins of one person never evaluate rules 6 and 7 at the same time."""
    sql = _PASS_SQL
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    rows = _rows(sql, [fastsql.prep(Pass, "network", network.pk), number])
    if not rows:
        return None
    pass_obj, participant = _PASS.instances(rows[0])
    pass_obj.participant = participant
    return pass_obj


# --- 4. the statuses ------------------------------------------------------------------------

_STATUS = fastsql.Shape(
    ("s", Status, ["id", "network", "participant", "valid_from", "valid_until", "suspended_from",
                   "suspended_until", "ended_on"]),
)  # fmt: skip
_STATUS_SQL = (
    f"SELECT {_STATUS.columns} FROM {fastsql.table(Status)} s "  # noqa: S608
    f"WHERE s.{fastsql.column(Status, 'participant')} = %s "
    f"ORDER BY s.{fastsql.column(Status, 'valid_until')} DESC"
)


def statuses_get(participant):
    """The participant's statuses, the latest end first (the columns rule 5 reads)."""
    rows = _rows(_STATUS_SQL, [fastsql.prep(Status, "participant", participant.pk)])
    return [_STATUS.instances(row)[0] for row in rows]


# --- 5. rules 6 and 7 -----------------------------------------------------------------------


@functools.cache
def _tally_sql(vendor):
    def c(name):
        return f"c.{fastsql.column(CheckIn, name)}"

    total = f"SUM(CASE WHEN {c('year')} = %s THEN {c('discount')} END)"
    if vendor == "sqlite":
        total = f"CAST({total} AS NUMERIC)"  # as the ORM writes Sum() of a decimal
    return (
        f"SELECT COUNT(CASE WHEN {c('occurrence')} = %s THEN 1 END), "  # noqa: S608
        f"COUNT(CASE WHEN {c('year')} = %s AND {c('activity')} = %s THEN 1 END), {total} "
        f"FROM {fastsql.table(CheckIn)} c "
        f"WHERE {c('participant')} = %s AND {c('state')} = %s"
    )


def checkins_tally(participant, occurrence, activity, year):
    """Rules 6 and 7 in one statement, over the person's accepted check-ins: (how many at
    ``occurrence``, how many at ``activity`` in ``year``, their discount in ``year`` — 0 if
    none)."""
    here, at_activity, discount = _rows(
        _tally_sql(connection.vendor),
        [
            fastsql.prep(CheckIn, "occurrence", occurrence.pk),
            year,
            fastsql.prep(CheckIn, "activity", activity.pk),
            year,
            fastsql.prep(CheckIn, "participant", participant.pk),
            CheckInState.ACCEPTED,
        ],
    )[0]
    discount = fastsql.convert(discount, CheckIn, "discount", alias="c")
    return here, at_activity, discount or 0


# --- 7. the rows ----------------------------------------------------------------------------


def checkin_insert(checkin):
    """Store a new check-in with one INSERT. Check-ins are not audited (the row is itself the
    record) and nobody listens to their signals."""
    return fastsql.insert(checkin)


def idempotency_insert(record):
    """Store the answer to an idempotency key with one INSERT (nobody listens to its
    signals)."""
    return fastsql.insert(record)
