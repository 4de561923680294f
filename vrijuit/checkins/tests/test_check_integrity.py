"""``manage.py check_integrity``: passes on good books, and catches each broken invariant.

Each test breaks one thing with a raw update (switching off the database's own constraint
where it has one) and expects the command to name it.
"""

from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest

from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vrijuit.checkins import services
from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.management import integrity
from vrijuit.checkins.models import Budget, CheckIn, IdempotencyRecord
from vrijuit.core.roles import Role
from vrijuit.networks.constants import BudgetMode

from .conftest import person
from .helpers import check_in, database_allows_broken_rows, open_date, principal_for

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def books(door):
    """Good books in both networks: accepted, cancelled and refused check-ins, a hard budget
    of € 100 in the own network; in the other, the row without amount that the first
    check-in made."""
    organiser = principal_for(door.token)
    Budget.objects.create(network=door.network, year=YEAR, amount=Decimal("100.00"))
    first = check_in(organiser, door.pass_.number, door.occurrence).checkin
    services.checkin_cancel(principal=organiser, checkin_id=first.pk, reason="verkeerd")
    again = check_in(organiser, door.pass_.number, door.occurrence).checkin
    others = [check_in(organiser, person(door.network)[1].number, door.occurrence).checkin]
    cheap = open_date(door.network, door.organiser, price="7.45")
    others.append(check_in(organiser, person(door.network)[1].number, cheap).checkin)
    _, no_status = person(door.network, status=False)
    refused = check_in(organiser, no_status.number, door.occurrence)
    assert refused.code == "no_valid_status"

    world = door.world
    elsewhere = principal_for(world.tokens["other", Role.ORGANISER])
    their_date = open_date(world.other, world.organisers["other"])
    theirs = check_in(elsewhere, person(world.other)[1].number, their_date).checkin
    assert all(c is not None for c in (first, again, theirs, *others))
    return SimpleNamespace(door=door, cancelled=first, accepted=again, others=others, theirs=theirs)


def run(*args):
    out = StringIO()
    call_command("check_integrity", *args, stdout=out)
    return out.getvalue()


def fails(*args):
    with pytest.raises(CommandError) as info:
        run(*args)
    return str(info.value)


def test_good_books_agree(books):
    output = run()
    own = "own-net: 4 check-ins (3 accepted, € 12.58 reimbursed), 1 budget year(s): OK"
    other = "other-net: 1 check-ins (1 accepted, € 4.80 reimbursed), 1 budget year(s): OK"
    assert own in output
    assert other in output
    assert f"All {len(integrity.CHECKS)} checks agree." in output


def test_empty_database_agrees(db):
    assert "checks agree" in run()


def test_the_number_of_queries_does_not_grow_with_the_check_ins(books):
    with CaptureQueriesContext(connection) as before:
        run()
    organiser = principal_for(books.door.token)
    for _ in range(10):
        check_in(organiser, person(books.door.network)[1].number, books.door.occurrence)
    with CaptureQueriesContext(connection) as after:
        run()
    assert len(after) == len(before) <= 40


def test_amounts_that_do_not_add_up(books):
    wrong = books.others[0]
    with database_allows_broken_rows("checkin_money_adds_up"):
        CheckIn.objects.filter(pk=wrong.pk).update(paid=F("paid") + Decimal("0.10"))
        CheckIn.objects.filter(pk=books.others[1].pk).update(
            organiser_cost=F("organiser_cost") - Decimal("0.01")
        )
        message = fails()
    assert "[checkin_money] 2 check-in(s) whose amounts do not add up" in message
    assert str(wrong.pk) in message
    assert "budget" not in message  # the rest still agrees


def test_negative_amounts(books):
    with database_allows_broken_rows("checkin_money_adds_up"):
        CheckIn.objects.filter(pk=books.theirs.pk).update(
            paid=Decimal("-1.00"), discount=F("regular_price") + 1
        )
        message = fails()
    assert "other-net: [checkin_money] 1 check-in(s)" in message
    assert "own-net" not in message


def test_prices_are_not_recomputed_from_todays_settings(books):
    # A tariff change after the check-in: the stored prices stay right.
    network = books.door.network
    network.participant_share, network.municipality_share = Decimal("50"), Decimal("10")
    network.save()
    books.door.activity.regular_price = Decimal("99.00")
    books.door.activity.save()
    assert "checks agree" in run()


def test_two_accepted_check_ins_of_one_person_at_one_date(books):
    with database_allows_broken_rows(
        "checkin_one_accepted_per_occurrence", "checkin_cancelled_has_time"
    ):
        CheckIn.objects.filter(pk=books.cancelled.pk).update(
            state=CheckInState.ACCEPTED, cancelled_at=None
        )
        Budget.objects.filter(network=books.door.network).update(
            spent=F("spent") + books.cancelled.reimbursement
        )
        message = fails()
    assert "[checkin_unique] 1 person(s) with more than one accepted check-in" in message
    occurrence, participant = books.door.occurrence.pk, books.door.participant.pk
    assert f"{occurrence}/{participant}/2" in message
    assert "budget_spent" not in message


def test_spent_that_is_not_the_sum_of_the_reimbursements(books):
    Budget.objects.filter(network=books.door.network).update(spent=F("spent") + Decimal("0.01"))
    message = fails()
    assert (
        f"own-net: [budget_spent] {YEAR}: the budget says € 12.59 spent, but the accepted "
        "check-ins of that year reimburse € 12.58"
    ) in message


def test_cancelling_without_releasing_the_budget(books):
    CheckIn.objects.filter(pk=books.accepted.pk).update(
        state=CheckInState.CANCELLED, cancelled_at=timezone.now()
    )
    assert "[budget_spent]" in fails()


def test_reimbursements_of_a_year_without_budget_row(books):
    Budget.objects.filter(network=books.door.network).delete()
    message = fails()
    assert (
        f"own-net: [budget_spent] {YEAR}: no budget row, but the accepted check-ins of that "
        "year reimburse € 12.58"
    ) in message


def test_a_year_without_budget_row_and_without_reimbursements_is_fine(books):
    world = books.door.world
    free = open_date(world.other, world.organisers["other"], "0.00")
    elsewhere = principal_for(world.tokens["other", Role.ORGANISER])
    assert check_in(elsewhere, person(world.other)[1].number, free).checkin is not None
    services.checkin_cancel(principal=elsewhere, checkin_id=books.theirs.pk)
    Budget.objects.filter(network=world.other).delete()
    assert "checks agree" in run()


def test_a_hard_budget_that_is_exceeded(books):
    Budget.objects.filter(network=books.door.network).update(amount=Decimal("10.00"))
    message = fails()
    assert (
        f"[budget_hard_stop] {YEAR}: the hard budget of € 10.00 is exceeded: € 12.58 spent, "
        "accepted check-ins reimburse € 12.58"
    ) in message
    # In warning mode the budget may be exceeded (the check-ins are flagged instead).
    books.door.network.budget_mode = BudgetMode.WARN
    books.door.network.save()
    assert "checks agree" in run()


def test_cancelled_without_a_time_and_accepted_with_one(books):
    with database_allows_broken_rows("checkin_cancelled_has_time"):
        CheckIn.objects.filter(pk=books.cancelled.pk).update(cancelled_at=None)
        CheckIn.objects.filter(pk=books.theirs.pk).update(cancelled_at=timezone.now())
        message = fails()
    assert "own-net: [checkin_state] 1 check-in(s) whose state and cancellation time" in message
    assert str(books.cancelled.pk) in message
    assert "other-net: [checkin_state] 1 check-in(s)" in message


def test_idempotency_records_that_point_into_another_network(books):
    record = IdempotencyRecord.objects.get(checkin=books.theirs)
    IdempotencyRecord.objects.filter(pk=record.pk).update(network=books.door.network)
    message = fails()
    assert (
        "own-net: [idempotency] 1 idempotency record(s) of this network that point to another "
        f"network's check-in: {record.pk}"
    ) in message
    assert (
        "other-net: [idempotency] 1 idempotency record(s) of another network that point to "
        "this network's check-in"
    ) in message


def test_idempotency_records_without_an_answer_or_with_two(books):
    IdempotencyRecord.objects.filter(checkin=books.accepted).update(code="no_valid_status")
    IdempotencyRecord.objects.filter(checkin__isnull=True).update(code="")
    message = fails()
    assert "1 idempotency record(s) with neither a check-in nor a refusal code" in message
    assert "1 idempotency record(s) with both a check-in and a refusal code" in message


def test_only_the_network_asked_for(books):
    Budget.objects.filter(network=books.door.world.other).update(spent=Decimal("1.00"))
    output = run("--network", "own-net")
    assert "own-net" in output
    assert "other-net" not in output
    assert "other-net: [budget_spent]" in fails()
    assert "No network with slug 'nowhere'" in fails("--network", "nowhere")


def test_only_the_year_asked_for(books):
    Budget.objects.create(network=books.door.network, year=YEAR - 1, spent=Decimal("3.00"))
    assert "checks agree" in run("--year", str(YEAR))
    message = fails("--year", str(YEAR - 1))
    assert f"[budget_spent] {YEAR - 1}: the budget says € 3.00 spent" in message
    assert f"own-net {YEAR - 1}: 0 check-ins" not in message


def test_every_disagreement_is_listed(books):
    Budget.objects.filter(network=books.door.network).update(spent=Decimal("0.00"))
    Budget.objects.filter(network=books.door.world.other).update(spent=Decimal("0.00"))
    message = fails()
    assert message.startswith("2 disagreement(s) found:")
    assert message.count("\n- ") == 2


def test_other_apps_add_their_checks(books, monkeypatch):
    # The ledger (next issue) registers its checks the same way.
    monkeypatch.setattr(integrity, "CHECKS", dict(integrity.CHECKS))

    @integrity.integrity_check("ledger")
    def ledger_balances(scope):
        if scope.network.slug == "other-net":
            yield f"{sum(scope.reimbursed_cents.values())} cents not in the ledger"

    assert "other-net: [ledger] 480 cents not in the ledger" in fails()


def test_exit_status_of_the_command(books, capsys):
    # manage.py turns the CommandError into exit status 1 with the list on stderr.
    Budget.objects.filter(network=books.door.network).update(spent=Decimal("0.00"))
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "check_integrity", "--network", "own-net"]).execute()
    assert exit_info.value.code == 1
    assert "[budget_spent]" in capsys.readouterr().err
