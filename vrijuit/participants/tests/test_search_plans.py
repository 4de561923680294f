"""The desk search reads ranges of indexes, never a whole network (bench/desk_search.py).

SQLite plans without statistics (Django never runs ANALYZE), so its plans here are the plans
of a real database of 200,000 people: a statement that walks the network's whole index or
scans the table would take a second there instead of milliseconds.
"""

from datetime import date

import pytest

from django.db import connection

from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.participants.selectors import participant_search
from vrijuit.participants.tests.factories import ParticipantFactory
from vrijuit.passes.numbers import format_number
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return NetworkFactory()


def found(network, query):
    return list(participant_search(network, query))


def test_any_later_word_of_a_last_name_is_found(network):
    broeck = ParticipantFactory(network=network, first_name="Lotte", last_name="Van den Broeck")

    assert found(network, "broeck") == [broeck]
    assert found(network, "den") == [broeck]
    assert found(network, "lotte broeck") == [broeck]
    assert found(network, "den broeck lotte") == [broeck]


def plans(network, query):
    """The SQLite plan lines of the statements that look for people."""
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        found(network, query)
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            yield sql, [row[3] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans, without statistics")
@pytest.mark.parametrize(
    "query",
    ["Pee", "mar", "jan pe", "peeters jan", "Van de", "van den broeck lotte", "daele", "qzx",
     "12/03/1985", "PASS"],
)  # fmt: skip
def test_every_search_reads_index_ranges_only(network, query):
    elodie = ParticipantFactory(
        network=network, first_name="Élodie", last_name="Van Dæle", birth_date=date(1985, 3, 12)
    )
    card = PassFactory(participant=elodie)
    query = format_number(card.number) if query == "PASS" else query

    for sql, lines in plans(network, query):
        for line in lines:
            assert not line.startswith("SCAN"), (query, line, sql)
            # The network alone is no range: that walks every person of the network.
            assert not line.endswith("(network_id=?)"), (query, line, sql)
