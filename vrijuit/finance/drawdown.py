"""Drawing on the year's discount budget and giving back to it: the one place that changes
``Budget.spent``. A check-in draws, its cancellation releases; whatever else spends the
discount budget later draws and releases here too.

Both are one conditional ``UPDATE`` written out in SQL (``vrijuit.core.fastsql``): exact
under any concurrency, with no read-then-write. In hard-stop mode the draw's ``WHERE`` refuses
what would go over the budget (rule 8, docs/rules.md, "Check-in rules"), so two scans for the
last euros cannot both get them. Call them inside the transaction that makes the fact, so
that the total and the fact are stored together or not at all.

The SQL names the budget's table through the model's ``_meta`` (``checkins_budget``), so it
stays right wherever the model is declared.
"""

import functools
from dataclasses import dataclass

from django.db import connection

from vrijuit.checkins.models import Budget
from vrijuit.core import fastsql
from vrijuit.networks.constants import BudgetMode


@dataclass(frozen=True)
class Draw:
    """The answer to a draw: ``drawn`` False when a hard-stop budget cannot cover it;
    ``over_budget`` when a warn-only budget is now exceeded."""

    drawn: bool
    over_budget: bool = False


def _where():
    return (
        f"WHERE {fastsql.column(Budget, 'network')} = %s AND {fastsql.column(Budget, 'year')} = %s"
    )


def _moved(vendor, sign):
    """``spent ± amount``, as the column keeps it."""
    spent = fastsql.column(Budget, "spent")
    if vendor == "sqlite":
        # SQLite keeps decimals as binary floats: round the sum to cents so that the stored
        # total and the comparison with the amount (also a float of a 2-decimal value) are
        # exact — 5.96 + 1.60 must fit a budget of 7.56.
        return f"ROUND({spent} {sign} CAST(%s AS REAL), 2)"
    return f"({spent} {sign} %s)"


@functools.cache
def _draw_sql(vendor, hard):
    """``UPDATE … SET spent = spent + %s``, and with ``hard``: only while it fits."""
    more = _moved(vendor, "+")
    spent = fastsql.column(Budget, "spent")
    sql = f"UPDATE {fastsql.table(Budget)} SET {spent} = {more} {_where()}"  # noqa: S608
    if hard:
        amount = fastsql.column(Budget, "amount")
        sql += f" AND ({amount} IS NULL OR {amount} >= {more})"
    return sql


@functools.cache
def _release_sql(vendor):
    spent = fastsql.column(Budget, "spent")
    return f"UPDATE {fastsql.table(Budget)} SET {spent} = {_moved(vendor, '-')} {_where()}"  # noqa: S608


@functools.cache
def _read_sql():
    amount, spent = fastsql.column(Budget, "amount"), fastsql.column(Budget, "spent")
    return f"SELECT {amount}, {spent} FROM {fastsql.table(Budget)} {_where()}"  # noqa: S608


def _execute(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def budget_read(network, year):
    """(amount, spent) of the year's budget; (None, None) without a budget row. ``amount`` is
    None when no budget is set."""
    with connection.cursor() as cursor:
        cursor.execute(_read_sql(), [fastsql.prep(Budget, "network", network.pk), year])
        row = cursor.fetchone()
    if row is None:
        return None, None
    return fastsql.convert(row[0], Budget, "amount"), fastsql.convert(row[1], Budget, "spent")


def budget_draw(network, year, amount):
    """Add ``amount`` to the spent total of ``network``'s budget of ``year``.

    Hard-stop mode: refused (``Draw(drawn=False)``) when the budget cannot cover it. Warn-only
    mode: always drawn, ``over_budget`` when the total now exceeds the budget. The first draw
    of a year creates the year's row (without an amount); a simultaneous first draw makes one
    of the two fail on the unique index (``IntegrityError``): run the transaction again."""
    if amount <= 0:
        return Draw(drawn=True)
    hard = network.budget_mode == BudgetMode.HARD_STOP
    network_param = fastsql.prep(Budget, "network", network.pk)
    amount_param = fastsql.prep(Budget, "spent", amount)
    params = [amount_param, network_param, year] + ([amount_param] if hard else [])
    drawn = _execute(_draw_sql(connection.vendor, hard), params)
    if drawn:
        if hard:
            return Draw(drawn=True)
        limit, spent = budget_read(network, year)
        return Draw(drawn=True, over_budget=limit is not None and spent > limit)
    budget = Budget.objects.filter(network=network, year=year)
    if budget.exists():
        return Draw(drawn=False)
    Budget.objects.create(network=network, year=year, amount=None, spent=amount)
    return Draw(drawn=True)


def budget_release(network, year, amount):
    """Give ``amount`` back to the spent total of ``network``'s budget of ``year`` (a cancelled
    check-in). Never refused; without a budget row there is nothing to give back to."""
    if amount <= 0:
        return
    _execute(
        _release_sql(connection.vendor),
        [
            fastsql.prep(Budget, "spent", amount),
            fastsql.prep(Budget, "network", network.pk),
            year,
        ],
    )
