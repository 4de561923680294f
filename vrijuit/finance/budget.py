"""The budget of a year at a glance: income, what it is meant for, what is spent, and when the
discount budget runs out at the current pace. Reads only; aggregates in the database.

The forecast uses the average pace since 1 January (spent so far ÷ days elapsed). Spending on
leisure is seasonal (membership fees in September, holiday camps in July): the pace of the last
eight weeks swings with those peaks and would cry wolf in October and fall silent in winter; the
average of the year is steadier and easy to explain in one sentence. It is not shown in the
first two weeks of a year, when one busy day would decide it.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from vrijuit.checkins.models import Budget
from vrijuit.core.money import quantize

from .constants import Purpose
from .models import Allocation, BudgetSource, LedgerEntry

ZERO = Decimal("0.00")
MIN_DAYS_FOR_FORECAST = 14


@dataclass
class PurposeLine:
    purpose: str
    label: str
    allocated: Decimal | None
    spent: Decimal

    @property
    def left(self):
        return None if self.allocated is None else self.allocated - self.spent

    @property
    def percent(self):
        if not self.allocated:
            return None
        return int((self.spent * 100 / self.allocated).to_integral_value(ROUND_HALF_UP))


def spent_per_purpose(network, year):
    """The ledger's total per purpose for a year (one GROUP BY)."""
    rows = (
        LedgerEntry.objects.filter(network=network, year=year)
        .values_list("purpose")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {purpose: total or ZERO for purpose, total in rows}


def budget_overview(network, year):
    """Sources, allocations per purpose with what is spent, and income against allocations."""
    sources = list(
        BudgetSource.objects.filter(network=network, year=year).order_by("kind", "label")
    )
    allocations = {
        a.purpose: a.amount for a in Allocation.objects.filter(network=network, year=year)
    }
    discount_budget = Budget.objects.filter(network=network, year=year).first()
    spent = spent_per_purpose(network, year)
    lines = []
    for purpose, label in Purpose.choices:
        if purpose == Purpose.DISCOUNT:
            allocated = discount_budget.amount if discount_budget else None
            # The running total rule 8 checks; ``check_integrity`` keeps it equal to the ledger.
            spent_here = discount_budget.spent if discount_budget else spent.get(purpose, ZERO)
        else:
            allocated = allocations.get(purpose)
            spent_here = spent.get(purpose, ZERO)
        if allocated is None and not spent_here and purpose != Purpose.DISCOUNT:
            continue
        lines.append(PurposeLine(purpose, label, allocated, spent_here))
    income = sum((s.amount for s in sources), start=ZERO)
    allocated_total = sum((line.allocated or ZERO for line in lines), start=ZERO)
    spent_total = sum((line.spent for line in lines), start=ZERO)
    return {
        "year": year,
        "sources": sources,
        "income": income,
        "lines": lines,
        "allocated": allocated_total,
        "spent": spent_total,
        "left": allocated_total - spent_total,
        "unallocated": income - allocated_total,
        "discount_budget": discount_budget,
        "unused_purposes": [
            (value, label)
            for value, label in Purpose.choices
            if value not in {line.purpose for line in lines}
        ],
    }


@dataclass
class Forecast:
    year: int
    today: date
    amount: Decimal | None
    spent: Decimal
    days_elapsed: int
    per_day: Decimal | None
    run_out: date | None  # the day the budget is spent at this pace (None: it lasts the year)
    year_end_projection: Decimal | None
    warning_level: int  # 0 none, 1 first threshold, 2 second threshold
    percent: int | None
    thresholds: tuple[int, int]

    @property
    def too_early(self):
        """Fewer than two weeks of the year have passed: there is no pace to speak of yet."""
        return self.days_elapsed < MIN_DAYS_FOR_FORECAST

    @property
    def nothing_spent(self):
        """Nothing is spent yet (late in the year too): there is no pace to forecast from."""
        return self.spent <= 0

    @property
    def spent_out(self):
        return self.amount is not None and self.spent >= self.amount

    @property
    def runs_out_this_year(self):
        return self.run_out is not None

    @property
    def warning_threshold(self):
        return self.thresholds[self.warning_level - 1] if self.warning_level else None


def forecast(network, year, today, budget=None, spent=None):
    """When the discount budget of ``year`` runs out at the average pace since 1 January.

    ``budget`` (``checkins.Budget``) and ``spent`` may be passed in to save a query.
    """
    if budget is None:
        budget = Budget.objects.filter(network=network, year=year).first()
    amount = budget.amount if budget else None
    if spent is None:
        spent = budget.spent if budget else ZERO
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    last_day = min(max(today, year_start), year_end)
    days_elapsed = (last_day - year_start).days + 1 if today >= year_start else 0
    thresholds = (network.budget_warning_first, network.budget_warning_second)
    percent = None
    warning_level = 0
    if amount:
        percent = int((spent * 100 / amount).to_integral_value(ROUND_HALF_UP))
        share = spent * 100 / amount
        warning_level = 2 if share >= thresholds[1] else 1 if share >= thresholds[0] else 0
    elif amount is not None and spent > 0:  # a budget of € 0,00 with spending
        warning_level = 2
    per_day = run_out = projection = None
    if days_elapsed >= MIN_DAYS_FOR_FORECAST and spent > 0:
        per_day = spent / days_elapsed
        days_in_year = (year_end - year_start).days + 1
        projection = (spent + per_day * (days_in_year - days_elapsed)).quantize(Decimal("0.01"))
        if amount is not None:
            if spent >= amount:
                run_out = None  # already spent: the page says so
            else:
                days_more = math.ceil((amount - spent) / per_day)
                day = last_day + timedelta(days=days_more)
                run_out = day if day <= year_end else None
        per_day = per_day.quantize(Decimal("0.01"))
    return Forecast(
        year=year,
        today=today,
        amount=amount,
        spent=spent,
        days_elapsed=days_elapsed,
        per_day=per_day,
        run_out=run_out,
        year_end_projection=projection,
        warning_level=warning_level,
        percent=percent,
        thresholds=thresholds,
    )


def discount_spending_by_week(network, year, until):
    """Points (day, cumulative discount spending) at the end of each week of ``year`` up to
    ``until``: a range sum per week (plain comparisons on ``booked_at``, no date function
    per row). Entries booked after ``until`` (a scan of 31 December received in January)
    count in the last point."""
    ends = []
    day = date(year, 1, 7)
    while day < until:
        ends.append(day)
        day += timedelta(days=7)
    ends.append(until)
    boundaries = [
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)) for end in ends
    ]
    entries = LedgerEntry.objects.filter(network=network, year=year, purpose=Purpose.DISCOUNT)
    # One range sum per week over the covering index (network, year, purpose, booked_at,
    # amount): each reads only its week, in index order, with no sort of the year's entries.
    totals, previous = {}, None
    for index, boundary in enumerate(boundaries):
        week = entries.filter(booked_at__lt=boundary)
        if previous is not None:
            week = week.filter(booked_at__gte=previous)
        if index == len(boundaries) - 1:
            week = entries if previous is None else entries.filter(booked_at__gte=previous)
        totals[index] = week.aggregate(total=Sum("amount"))["total"]
        previous = boundary
    points, running = [(date(year, 1, 1), ZERO)], ZERO
    for index, end in enumerate(ends):
        running += quantize(totals.get(index) or ZERO)
        points.append((end, running))
    return points
