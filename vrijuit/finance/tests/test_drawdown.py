"""Drawing on and giving back to the year's discount budget (vrijuit.finance.drawdown), on the
database the tests run on (SQLite, and PostgreSQL with ``DATABASE_URL``). Exactness under
concurrency is tested through the check-in in checkins/tests/test_concurrency.py."""

from decimal import Decimal

import pytest

from vrijuit.checkins.models import Budget
from vrijuit.finance.drawdown import Draw, budget_draw, budget_read, budget_release
from vrijuit.networks.constants import BudgetMode

pytestmark = pytest.mark.django_db

YEAR = 2031


def _network(world, mode):
    network = world.own
    network.budget_mode = mode
    network.save()
    return network


def _spent(network, year=YEAR):
    return Budget.objects.get(network=network, year=year).spent


def test_the_first_draw_of_a_year_creates_its_row_without_an_amount(world):
    network = _network(world, BudgetMode.HARD_STOP)
    assert budget_read(network, YEAR) == (None, None)
    assert budget_draw(network, YEAR, Decimal("2.40")) == Draw(drawn=True)
    assert budget_read(network, YEAR) == (None, Decimal("2.40"))
    assert budget_draw(network, YEAR, Decimal("1.60")) == Draw(drawn=True)
    assert _spent(network) == Decimal("4.00")


def test_a_hard_budget_is_drawn_to_the_last_cent_and_not_beyond(world):
    network = _network(world, BudgetMode.HARD_STOP)
    Budget.objects.create(network=network, year=YEAR, amount=Decimal("7.56"))
    # 5.96 + 1.60 is 7.56 exactly, also where the database keeps binary floats.
    assert budget_draw(network, YEAR, Decimal("5.96")).drawn
    assert budget_draw(network, YEAR, Decimal("1.60")).drawn
    assert budget_draw(network, YEAR, Decimal("0.01")) == Draw(drawn=False)
    assert budget_read(network, YEAR) == (Decimal("7.56"), Decimal("7.56"))


def test_a_warn_only_budget_is_drawn_beyond_and_says_so(world):
    network = _network(world, BudgetMode.WARN)
    Budget.objects.create(network=network, year=YEAR, amount=Decimal("5.00"))
    assert budget_draw(network, YEAR, Decimal("5.00")) == Draw(drawn=True, over_budget=False)
    assert budget_draw(network, YEAR, Decimal("0.01")) == Draw(drawn=True, over_budget=True)
    assert _spent(network) == Decimal("5.01")


def test_release_gives_back_exactly_what_was_drawn(world):
    network = _network(world, BudgetMode.HARD_STOP)
    Budget.objects.create(network=network, year=YEAR, amount=Decimal("10.00"))
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("5.96"), Decimal("1.60"), Decimal("2.14")]
    for amount in amounts:
        assert budget_draw(network, YEAR, amount).drawn
    assert budget_draw(network, YEAR, Decimal("0.01")) == Draw(drawn=False)
    budget_release(network, YEAR, Decimal("5.96"))
    assert _spent(network) == Decimal("4.04")
    for amount in amounts:
        if amount != Decimal("5.96"):
            budget_release(network, YEAR, amount)
    assert _spent(network) == Decimal("0.00")


def test_nothing_to_draw_or_release_changes_nothing(world):
    network = _network(world, BudgetMode.HARD_STOP)
    Budget.objects.create(network=network, year=YEAR, amount=Decimal("0.00"))
    assert budget_draw(network, YEAR, Decimal("0.00")) == Draw(drawn=True)
    budget_release(network, YEAR, Decimal("0.00"))
    budget_release(network, YEAR + 1, Decimal("3.00"))  # no row that year: nothing to give
    assert _spent(network) == Decimal("0.00")
    assert not Budget.objects.filter(network=network, year=YEAR + 1).exists()


def test_a_draw_touches_only_its_own_network_and_year(world):
    network = _network(world, BudgetMode.HARD_STOP)
    other = world.networks["other"]
    Budget.objects.create(network=network, year=YEAR, amount=Decimal("9.00"))
    Budget.objects.create(network=network, year=YEAR + 1, amount=Decimal("9.00"))
    Budget.objects.create(network=other, year=YEAR, amount=Decimal("9.00"))
    budget_draw(network, YEAR, Decimal("3.00"))
    budget_release(network, YEAR, Decimal("1.00"))
    assert _spent(network) == Decimal("2.00")
    assert _spent(network, YEAR + 1) == Decimal("0.00")
    assert _spent(other) == Decimal("0.00")
