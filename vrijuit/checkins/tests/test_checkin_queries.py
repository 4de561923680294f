"""The scan at the door stays a handful of SQL statements (docs/benchmarks.md, "Check-in").

One accepted check-in through the API: token and network (1), inside the transaction the
idempotency key (1), the date with its activity (1), the pass with its participant, locked
(1), the statuses (1), the person's check-ins for rules 6 and 7 (1), the budget draw (1), the
check-in, its ledger entry and the idempotency record (3); plus the savepoint around it in a
test (2). The year's budget row exists (the first check-in of a year creates it). The tariff
question: the same reads without the key and the writes, plus the budget read of rule 8.
A new statement here costs every scan: add it knowingly.
"""

import uuid

import pytest

from django.utils import timezone

from vrijuit.checkins.models import Budget

pytestmark = pytest.mark.django_db

CHECKIN_STATEMENTS = 12
TARIFF_STATEMENTS = 6


def test_one_accepted_checkin_costs_a_fixed_number_of_statements(
    api_client, door, django_assert_max_num_queries
):
    api_client.get("/checkin-dates", token=door.token)
    Budget.objects.create(network=door.network, year=timezone.localdate().year, amount=None)
    body = {
        "pass_number": door.pass_.number,
        "occurrence": str(door.occurrence.pk),
        "idempotency_key": str(uuid.uuid4()),
    }
    with django_assert_max_num_queries(CHECKIN_STATEMENTS):
        response = api_client.post("/checkins", body, token=door.token)
    assert response.status_code == 201, response.content


def test_the_tariff_question_costs_a_fixed_number_of_statements(
    api_client, door, django_assert_max_num_queries
):
    api_client.get("/checkin-dates", token=door.token)
    body = {"pass_number": door.pass_.number, "occurrence": str(door.occurrence.pk)}
    with django_assert_max_num_queries(TARIFF_STATEMENTS):
        response = api_client.post("/tariffs", body, token=door.token)
    assert response.status_code == 200, response.content
    assert response.json()["code"] is None
