# ruff: noqa: F811 (the ``door`` fixture is imported from the check-in tests)
"""The budget pages as the coordinator and the finance officer use them: Dutch texts, Belgian
amounts, the forecast with its plot, expenses and corrections, the ledger and the report."""

import re
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from vrijuit.checkins.models import Budget
from vrijuit.checkins.tests.conftest import door  # noqa: F401 (the door to scan at)
from vrijuit.core.roles import Role
from vrijuit.finance.constants import EntryKind, Purpose, SourceKind
from vrijuit.finance.models import Allocation, BudgetSource, LedgerEntry
from vrijuit.finance.tests.builders import SECRET_FIRST_NAME, SECRET_LAST_NAME, secret_person
from vrijuit.finance.tests.builders import scan as desk_scan

pytestmark = pytest.mark.django_db


def url(door, name, **kwargs):
    return reverse(f"desk:{name}", kwargs={"network": door.network.slug, **kwargs})


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode().replace("\xa0", " ")


def test_coordinator_enters_income_and_allocations_in_belgian_amounts(door, login):
    client = login(door.world.users["own", Role.COORDINATOR])
    year = timezone.localdate().year
    response = client.post(
        url(door, "budget_source_add"),
        {"year": year, "kind": SourceKind.DRAWING_RIGHT, "label": "", "amount": "2.432,00"},
    )
    assert response.status_code == 302
    assert BudgetSource.objects.get().amount == Decimal("2432.00")
    client.post(
        url(door, "budget_allocation"),
        {"year": year, "purpose": Purpose.TRAINING, "amount": "150,50"},
    )
    client.post(
        url(door, "budget_allocation"),
        {"year": year, "purpose": Purpose.DISCOUNT, "amount": "2000,00"},
    )
    assert Allocation.objects.get().amount == Decimal("150.50")
    assert Budget.objects.get(network=door.network, year=year).amount == Decimal("2000.00")
    page = text(client.get(url(door, "budget")))
    assert "Vlaams trekkingsrecht" in page
    assert "€ 2.432,00" in page
    assert "€ 2.150,50" in page  # allocated
    assert "€ 281,50" in page  # income not allocated yet
    assert "<svg" in page and 'role="img"' in page


def test_a_source_is_changed_on_its_own_page(door, login):
    client = login(door.world.users["own", Role.COORDINATOR])
    source = BudgetSource.objects.create(
        network=door.network, year=2026, kind=SourceKind.MUNICIPAL, amount=Decimal("100.00")
    )
    page = text(client.get(url(door, "budget_source", source_id=source.pk)))
    assert 'value="100,00"' in page
    response = client.post(
        url(door, "budget_source", source_id=source.pk),
        {"year": 2026, "kind": SourceKind.MUNICIPAL, "label": "Gemeenteraad", "amount": "1.250"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.amount == Decimal("1250.00")
    client.post(url(door, "budget_source", source_id=source.pk), {"delete": "1"})
    assert not BudgetSource.objects.exists()


def test_a_wrong_amount_is_explained_on_the_budget_page(door, login):
    client = login(door.world.users["own", Role.COORDINATOR])
    page = text(
        client.post(
            url(door, "budget_source_add"),
            {"year": 2026, "kind": SourceKind.OTHER, "amount": "twee euro"},
        )
    )
    assert "Geef een getal op" in page or "getal" in page
    assert not BudgetSource.objects.exists()


def test_finance_books_an_expense_and_corrects_it(door, login):
    client = login(door.world.users["own", Role.FINANCE])
    today = timezone.localdate()
    response = client.post(
        url(door, "expense_new"),
        {
            "purpose": Purpose.TRIPS,
            "amount": "1.350,75",
            "day": today.isoformat(),
            "description": "Bus naar zee",
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind=EntryKind.EXPENSE)
    assert entry.amount == Decimal("1350.75")
    page = text(client.get(url(door, "expense_correct", entry_id=entry.pk)))
    assert "Uitgave corrigeren" in page
    response = client.post(
        url(door, "expense_correct", entry_id=entry.pk),
        {"correct_amount": "1.300,75", "description": "Korting van de busmaatschappij"},
    )
    assert response.status_code == 302
    correction = LedgerEntry.objects.get(kind=EntryKind.CORRECTION)
    assert (correction.amount, correction.corrects_id) == (Decimal("-50.00"), entry.pk)
    ledger = text(client.get(url(door, "ledger") + f"?year={today.year}&purpose=trips"))
    assert "€ 1.350,75" in ledger and "€ -50,00" in ledger
    assert "€ 1.300,75" in ledger  # together


def test_a_discount_expense_cannot_be_booked_by_hand(door, login):
    client = login(door.world.users["own", Role.COORDINATOR])
    response = client.post(
        url(door, "expense_new"),
        {
            "purpose": Purpose.DISCOUNT,
            "amount": "10,00",
            "day": timezone.localdate().isoformat(),
            "description": "x",
        },
    )
    assert response.status_code == 200
    assert not LedgerEntry.objects.exists()


def test_the_ledger_shows_activities_and_organisers_never_the_person(
    door, login, django_assert_max_num_queries
):
    for _ in range(3):
        desk_scan(door, secret_person(door.network)[1])
    client = login(door.world.users["own", Role.FINANCE])
    with django_assert_max_num_queries(14):
        page = text(client.get(url(door, "ledger")))
    assert page.count("Zwemmen") == 3
    assert door.organiser.name in page
    assert SECRET_FIRST_NAME not in page and SECRET_LAST_NAME not in page


def test_budget_page_queries_do_not_grow_with_check_ins(door, login, django_assert_max_num_queries):
    client = login(door.world.users["own", Role.COORDINATOR])
    Budget.objects.create(network=door.network, year=timezone.localdate().year, amount=100)
    desk_scan(door, secret_person(door.network)[1])
    # a range sum per week of the year for the plot (at most 53), the rest a handful
    with django_assert_max_num_queries(75) as few:
        client.get(url(door, "budget"))
    for _ in range(4):
        desk_scan(door, secret_person(door.network)[1])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(door, "budget"))


def test_the_report_page_and_files(door, login):
    desk_scan(door, secret_person(door.network)[1])
    desk_scan(door, secret_person(door.network)[1])
    client = login(door.world.users["own", Role.FINANCE])
    page = text(client.get(url(door, "money_report")))
    assert "Geldrapport" in page
    assert "€ 9,60" in page  # two reimbursements of € 4,80
    assert SECRET_LAST_NAME not in page
    csv_file = client.get(url(door, "money_report_csv") + "?by=month")
    content = csv_file.content.decode("utf-8")
    assert content.startswith("\ufeff") and "9,60" in content
    assert csv_file["Content-Disposition"].endswith('.csv"')
    xlsx = client.get(url(door, "money_report_xlsx"))
    assert xlsx.content[:2] == b"PK"


def test_dashboard_forecast_warns_at_the_networks_threshold(door, login):
    year = timezone.localdate().year
    door.network.budget_warning_first = 50
    door.network.save()
    Budget.objects.create(network=door.network, year=year, amount=Decimal("9.00"))
    client = login(door.world.users["own", Role.COORDINATOR])
    home = reverse("desk:home", kwargs={"network": door.network.slug})
    assert "message--warning" not in client.get(home).content.decode()
    desk_scan(door, secret_person(door.network)[1])  # 4,80 of 9,00: 53 %
    page = text(client.get(home))
    assert "message--warning" in page
    assert "de waarschuwing bij 50 % is bereikt" in page
    assert re.search(r"<svg[^>]*role=\"img\"", page)


def test_the_network_sets_its_budget_warnings(world, login):
    from vrijuit.desk.tests.test_network_pages import settings_form

    network = world.own
    client = login(world.users["own", Role.COORDINATOR])
    edit = reverse("desk:network_edit", kwargs={"network": network.slug})
    assert "Grenzen en budget" in text(client.get(edit))
    page = text(
        client.post(
            edit, settings_form(network, budget_warning_first="80", budget_warning_second="70")
        )
    )
    assert "De tweede waarschuwing moet bij hetzelfde of een hoger percentage" in page
    response = client.post(
        edit, settings_form(network, budget_warning_first="60", budget_warning_second="85")
    )
    assert response.status_code == 302
    network.refresh_from_db()
    assert (network.budget_warning_first, network.budget_warning_second) == (60, 85)
