"""The budget of a year: services (sources, allocations, expenses, corrections), the forecast
of the discount budget, the plot's geometry and the money report with its files."""

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from django.db.models import Count, Sum
from django.utils import timezone

from vrijuit.catalogue.constants import Category
from vrijuit.checkins.models import Budget, CheckIn
from vrijuit.core.exceptions import NotFound, PermissionDenied, VrijuitError
from vrijuit.core.models import AuditEvent
from vrijuit.core.roles import Role
from vrijuit.finance import budget as budget_selectors
from vrijuit.finance import reports, services
from vrijuit.finance.constants import EntryKind, Purpose, SourceKind
from vrijuit.finance.models import Allocation, BudgetSource, LedgerEntry
from vrijuit.finance.plot import budget_plot
from vrijuit.networks.tests.factories import AgreementFactory

from .builders import SECRET_FIRST_NAME, SECRET_LAST_NAME, second_activity, secret_person
from .builders import scan as desk_scan
from .test_statements import principal, scan

pytestmark = pytest.mark.django_db


# --- services ---------------------------------------------------------------------------


def test_coordinator_adds_and_changes_a_source_and_it_is_audited(door):
    coordinator = principal(door, Role.COORDINATOR)
    source = services.source_save(
        principal=coordinator, year=2026, kind=SourceKind.DRAWING_RIGHT, amount=Decimal("2432.00")
    )
    services.source_save(
        principal=coordinator,
        source_id=source.pk,
        year=2026,
        kind=SourceKind.DRAWING_RIGHT,
        label="Besluit Vlaamse regering",
        amount=Decimal("2500.00"),
    )
    source.refresh_from_db()
    assert (source.amount, source.label) == (Decimal("2500.00"), "Besluit Vlaamse regering")
    events = AuditEvent.objects.filter(object_type="finance.budgetsource", object_id=str(source.pk))
    assert set(events.values_list("action", flat=True)) == {"create", "update"}


def test_finance_may_not_change_sources_or_allocations(door):
    finance = principal(door, Role.FINANCE)
    with pytest.raises(PermissionDenied):
        services.source_save(
            principal=finance, year=2026, kind=SourceKind.MUNICIPAL, amount=Decimal("1.00")
        )
    with pytest.raises(PermissionDenied):
        services.allocation_set(
            principal=finance, year=2026, purpose=Purpose.TRIPS, amount=Decimal("1.00")
        )
    assert not BudgetSource.objects.exists() and not Allocation.objects.exists()


def test_a_source_of_another_network_is_not_found(door):
    other = BudgetSource.objects.create(
        network=door.world.networks["other"], year=2026, kind="other", amount=Decimal("5.00")
    )
    with pytest.raises(NotFound):
        services.source_save(
            principal=principal(door, Role.COORDINATOR),
            source_id=other.pk,
            year=2026,
            kind=SourceKind.OTHER,
            amount=Decimal("1.00"),
        )


def test_allocations_per_purpose_and_the_discount_budget_through_checkins(door):
    coordinator = principal(door, Role.COORDINATOR)
    services.allocation_set(
        principal=coordinator, year=2026, purpose=Purpose.TRIPS, amount=Decimal("800.00")
    )
    services.allocation_set(
        principal=coordinator, year=2026, purpose=Purpose.TRIPS, amount=Decimal("900.00")
    )
    assert Allocation.objects.get(purpose=Purpose.TRIPS).amount == Decimal("900.00")
    # The discount purpose is the check-in budget (one writer: checkins.services.budget_set).
    services.allocation_set(
        principal=coordinator, year=2026, purpose=Purpose.DISCOUNT, amount=Decimal("2000.00")
    )
    assert Budget.objects.get(network=door.network, year=2026).amount == Decimal("2000.00")
    assert not Allocation.objects.filter(purpose=Purpose.DISCOUNT).exists()
    services.allocation_set(principal=coordinator, year=2026, purpose=Purpose.TRIPS, amount=None)
    assert not Allocation.objects.exists()


def test_an_expense_and_its_correction_are_new_entries(door):
    finance = principal(door, Role.FINANCE)
    day = timezone.localdate()
    entry = services.expense_book(
        principal=finance,
        purpose=Purpose.TRIPS,
        amount=Decimal("350.00"),
        description="Bus naar Planckendael",
        day=day,
    )
    assert (entry.kind, entry.year, entry.actor_label) == (
        EntryKind.EXPENSE,
        day.year,
        door.world.users["own", Role.FINANCE].get_username(),
    )
    correction = services.expense_correct(
        principal=finance,
        entry_id=entry.pk,
        correct_amount=Decimal("320.00"),
        description="Factuur was lager",
    )
    assert (correction.kind, correction.amount, correction.corrects_id) == (
        EntryKind.CORRECTION,
        Decimal("-30.00"),
        entry.pk,
    )
    entry.refresh_from_db()
    assert entry.amount == Decimal("350.00")  # never edited
    assert services.expense_balance(entry) == Decimal("320.00")
    with pytest.raises(VrijuitError) as nothing:
        services.expense_correct(
            principal=finance, entry_id=entry.pk, correct_amount=Decimal("320.00"), description="x"
        )
    assert nothing.value.code == "nothing_to_correct"
    assert AuditEvent.objects.filter(object_type="finance.ledgerentry").count() == 2
    assert budget_selectors.spent_per_purpose(door.network, day.year)[Purpose.TRIPS] == Decimal(
        "320.00"
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"purpose": Purpose.DISCOUNT}, "purpose_not_allowed"),
        ({"amount": Decimal("0")}, "invalid_amount"),
        ({"description": "  "}, "description_required"),
        ({"day": date(2999, 1, 1)}, "invalid_date"),
    ],
)
def test_an_expense_is_refused_when(door, changes, code):
    values = {
        "purpose": Purpose.TRAINING,
        "amount": Decimal("10.00"),
        "description": "Vorming",
        "day": None,
        **changes,
    }
    with pytest.raises(VrijuitError) as refused:
        services.expense_book(principal=principal(door, Role.COORDINATOR), **values)
    assert refused.value.code == code
    assert not LedgerEntry.objects.filter(kind=EntryKind.EXPENSE).exists()


def test_only_coordinator_and_finance_book_expenses(door):
    for role in (Role.DESK, Role.ORGANISER, Role.SOCIAL_WORKER, Role.VOLUNTEER):
        with pytest.raises(PermissionDenied):
            services.expense_book(
                principal=principal(door, role),
                purpose=Purpose.TRAINING,
                amount=Decimal("10.00"),
                description="Vorming",
            )


def test_a_check_in_entry_cannot_be_corrected_as_an_expense(door):
    checkin = scan(door)
    entry = LedgerEntry.objects.get(checkin=checkin)
    with pytest.raises(NotFound):
        services.expense_correct(
            principal=principal(door, Role.COORDINATOR),
            entry_id=entry.pk,
            correct_amount=Decimal("0.00"),
            description="x",
        )


def test_budget_overview_spent_against_allocated(door):
    coordinator = principal(door, Role.COORDINATOR)
    year = timezone.localdate().year
    services.source_save(
        principal=coordinator, year=year, kind=SourceKind.DRAWING_RIGHT, amount=Decimal("2432.00")
    )
    services.source_save(
        principal=coordinator, year=year, kind=SourceKind.MUNICIPAL, amount=Decimal("1000.00")
    )
    services.allocation_set(
        principal=coordinator, year=year, purpose=Purpose.DISCOUNT, amount=Decimal("3000.00")
    )
    services.allocation_set(
        principal=coordinator, year=year, purpose=Purpose.TRAINING, amount=Decimal("200.00")
    )
    services.expense_book(
        principal=coordinator, purpose=Purpose.TRAINING, amount=Decimal("75.50"), description="x"
    )
    scan(door)
    overview = budget_selectors.budget_overview(door.network, year)
    lines = {line.purpose: line for line in overview["lines"]}
    assert (lines["discount"].allocated, lines["discount"].spent) == (
        Decimal("3000.00"),
        Decimal("4.80"),
    )
    assert (lines["training"].allocated, lines["training"].spent, lines["training"].left) == (
        Decimal("200.00"),
        Decimal("75.50"),
        Decimal("124.50"),
    )
    assert overview["income"] == Decimal("3432.00")
    assert overview["allocated"] == Decimal("3200.00")
    assert overview["unallocated"] == Decimal("232.00")
    assert overview["spent"] == Decimal("80.30")


# --- forecast ---------------------------------------------------------------------------


def _forecast(door, spent, amount="5000.00", today=date(2026, 4, 10)):
    budget = Budget(network=door.network, year=2026, amount=amount and Decimal(amount))
    budget.spent = Decimal(spent)
    return budget_selectors.forecast(door.network, 2026, today, budget=budget)


def test_forecast_at_the_average_pace_since_1_january(door):
    fc = _forecast(door, "2000.00")  # 10 April: day 100; € 20,00 a day; € 3.000 left
    assert fc.days_elapsed == 100
    assert fc.per_day == Decimal("20.00")
    assert fc.run_out == date(2026, 9, 7)  # 150 days later
    assert fc.year_end_projection == Decimal("7300.00")  # 2000 + 265 days at 20
    assert (fc.percent, fc.warning_level) == (40, 0)


def test_forecast_warnings_at_the_networks_thresholds(door):
    assert _forecast(door, "3750.00").warning_level == 1  # 75 %
    assert _forecast(door, "3749.99").warning_level == 0
    fc = _forecast(door, "4600.00")
    assert (fc.percent, fc.warning_level, fc.warning_threshold) == (92, 2, 90)
    assert fc.run_out == date(2026, 4, 19)  # € 46 a day, € 400 left: 9 days
    door.network.budget_warning_first, door.network.budget_warning_second = 30, 50
    assert _forecast(door, "2000.00").warning_level == 1


def test_forecast_when_the_budget_lasts_is_too_early_or_is_spent(door):
    lasts = _forecast(door, "500.00")
    assert lasts.run_out is None and lasts.year_end_projection == Decimal("1825.00")
    early = _forecast(door, "500.00", today=date(2026, 1, 10))
    assert early.too_early and early.run_out is None
    spent = _forecast(door, "5000.00")
    assert spent.spent_out and spent.run_out is None and spent.warning_level == 2
    no_budget = _forecast(door, "100.00", amount=None)
    assert no_budget.run_out is None and no_budget.warning_level == 0


def test_spending_by_week_adds_up_and_counts_late_entries(door):
    def book(day, amount, hour=12):
        LedgerEntry.objects.create(
            network=door.network,
            year=2026,
            booked_at=_local(day.year, day.month, day.day, hour),
            kind=EntryKind.EXPENSE,
            purpose=Purpose.DISCOUNT,
            amount=Decimal(amount),
        )

    book(date(2026, 1, 3), "10.00")
    book(date(2026, 1, 7), "1.00", hour=23)  # late on the last day of the first week
    book(date(2026, 1, 9), "5.00")
    book(date(2026, 1, 9), "-2.00")
    book(date(2026, 2, 1), "7.00")  # after ``until``: counts in the last point
    points = budget_selectors.discount_spending_by_week(door.network, 2026, date(2026, 1, 20))
    assert points == [
        (date(2026, 1, 1), Decimal("0.00")),
        (date(2026, 1, 7), Decimal("11.00")),
        (date(2026, 1, 14), Decimal("14.00")),
        (date(2026, 1, 20), Decimal("21.00")),
    ]


def test_plot_geometry_puts_the_run_out_marker_on_the_budget_line(door):
    fc = _forecast(door, "2000.00")
    points = [(date(2026, 1, 1), Decimal("0")), (date(2026, 4, 10), Decimal("2000.00"))]
    plot = budget_plot(year=2026, points=points, forecast=fc)
    assert plot["run_out"]["y"] == plot["budget_y"]
    assert plot["projection"]["x2"] == plot["run_out"]["x"]
    assert plot["grid"][0]["label"] == "€\xa00"
    assert plot["grid"][-1]["y"] <= plot["budget_y"]  # the budget fits in the drawing
    assert plot["spent_line"].startswith("64.0,218.0")


# --- the money report -------------------------------------------------------------------


def _at(checkin, moment):
    CheckIn.objects.filter(pk=checkin.pk).update(scanned_at=moment, year=moment.year)


def _local(year, month, day, hour=12):
    return timezone.make_aware(datetime.combine(date(year, month, day), time(hour)))


@pytest.fixture
def year_of_checkins(door):
    """Five check-ins in 2025: three at the swimming pool (sport), two at the gym club
    (culture), spread over January, March and December; one cancelled."""
    activity, occurrence = second_activity(door)
    activity.category = Category.CULTURE
    activity.save()
    people = [secret_person(door.network)[1] for _ in range(5)]
    checkins = [desk_scan(door, people[i]) for i in range(3)]
    checkins += [desk_scan(door, people[i], occurrence) for i in (3, 4)]
    _at(checkins[0], _local(2025, 1, 1, 0))  # just after midnight: January
    _at(checkins[1], _local(2025, 2, 28, 23))  # late on the last day of February
    _at(checkins[2], _local(2025, 12, 31, 23))
    _at(checkins[3], _local(2025, 3, 1, 0))
    _at(checkins[4], _local(2025, 3, 15))
    cancelled = desk_scan(door, secret_person(door.network)[1])
    _at(cancelled, _local(2025, 3, 15))
    CheckIn.objects.filter(pk=cancelled.pk).update(state="cancelled", cancelled_at=timezone.now())
    AgreementFactory(
        network=door.network,
        starts_on=date(2024, 1, 1),
        ends_on=date(2025, 12, 31),
        drawing_right=Decimal("2432.00"),
        municipal_cofinancing=Decimal("1000.00"),
    )
    return 2025


def test_report_totals_equal_the_sum_of_the_check_ins(door, year_of_checkins):
    report = reports.annual_report(door.network, year_of_checkins)
    expected = CheckIn.objects.filter(network=door.network, year=2025, state="accepted").aggregate(
        count=Count("pk"), reimbursement=Sum("reimbursement"), paid=Sum("paid")
    )
    assert report.total.count == expected["count"] == 5
    assert report.total.reimbursement == expected["reimbursement"] == Decimal("24.00")
    assert report.total.paid == expected["paid"]
    for view in reports.VIEWS:
        lines = report.lines(view)
        assert sum(line.count for line in lines) == 5
        assert sum(line.reimbursement for line in lines) == Decimal("24.00")
    assert [(line.label, line.count) for line in report.per_category] == [
        ("Sport", 3),
        ("Cultuur", 2),
    ]
    months = {line.key: line.count for line in report.per_month}
    assert (months[1], months[2], months[3], months[12]) == (1, 1, 2, 1)
    assert [line.count for line in report.per_organiser] == [3, 2] or [
        line.count for line in report.per_organiser
    ] == [2, 3]
    assert report.public_money == Decimal("3432.00")
    assert report.public_left == Decimal("3408.00")


def test_report_is_a_constant_number_of_queries(door, year_of_checkins, django_assert_num_queries):
    # names, categories, per activity, twelve month ranges, other spending, agreements
    with django_assert_num_queries(17):
        reports.annual_report(door.network, year_of_checkins)


def test_report_csv_is_belgian_excel_and_has_no_person(door, year_of_checkins):
    report = reports.annual_report(door.network, year_of_checkins)
    text = reports.report_csv(report, "organiser", language="nl")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][0] == "Organisator"
    assert rows[-1][0] == "Totaal" and rows[-1][1] == "5" and rows[-1][4] == "24,00"
    for view in reports.VIEWS:
        content = reports.report_csv(report, view)
        assert SECRET_FIRST_NAME not in content and SECRET_LAST_NAME not in content


def test_report_xlsx_has_a_sheet_per_view_with_numbers(door, year_of_checkins):
    from openpyxl import load_workbook

    report = reports.annual_report(door.network, year_of_checkins)
    book = load_workbook(
        io.BytesIO(reports.report_xlsx(report, network_name="Borsbeek", language="nl"))
    )
    assert book.sheetnames == ["Per organisator", "Per soort", "Per maand", "Afsprakennota"]
    sheet = book["Per maand"]
    assert sheet.max_row == 14  # header, 12 months, total
    assert sheet.cell(row=14, column=1).value == "Totaal"
    assert float(sheet.cell(row=14, column=5).value) == pytest.approx(24.0)
    for name in book.sheetnames:
        for row in book[name].iter_rows(values_only=True):
            assert SECRET_LAST_NAME not in " ".join(str(v) for v in row)
