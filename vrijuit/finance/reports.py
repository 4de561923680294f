"""The money report of a year: per organiser, per category, per month, and spending against the
agreement's drawing right and municipal co-financing. Never a participant's identity.

One GROUP BY over the year's accepted check-ins (per organiser, activity and month) does the
heavy work in the database; the three views are sums over those few thousand grouped rows.
The month is a ``CASE`` over the month boundaries (plain comparisons on ``scanned_at``), not a
date function, so SQLite does not call a Python function per check-in.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from vrijuit.catalogue.constants import Category
from vrijuit.catalogue.models import Activity, Organiser
from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import Budget, CheckIn
from vrijuit.core.money import quantize
from vrijuit.core.text import csv_cell
from vrijuit.networks.models import Agreement

from .budget import spent_per_purpose
from .constants import Purpose
from .exports import BOM, csv_amount

ZERO = Decimal("0.00")
MONEY = ("paid", "discount", "reimbursement", "organiser_cost")
VIEWS = ("organiser", "category", "month")


@dataclass
class Line:
    key: object
    label: str
    count: int = 0
    paid: Decimal = ZERO
    discount: Decimal = ZERO
    reimbursement: Decimal = ZERO
    organiser_cost: Decimal = ZERO

    def add(self, row):
        self.count += row["count"]
        for name in MONEY:
            # SQLite sums decimals as floating point: round each group's sum to the cent.
            setattr(self, name, getattr(self, name) + quantize(row[name] or ZERO))


@dataclass
class Report:
    year: int
    total: Line
    per_organiser: list
    per_category: list
    per_month: list
    other_spending: list  # (purpose label, amount) of the ledger, other purposes
    agreements: list
    drawing_right: Decimal
    cofinancing: Decimal
    extra: dict = field(default_factory=dict)

    @property
    def public_money(self):
        return self.drawing_right + self.cofinancing

    @property
    def other_total(self):
        return sum((amount for _label, amount in self.other_spending), start=ZERO)

    @property
    def public_spending(self):
        return self.total.reimbursement + self.other_total

    @property
    def public_left(self):
        return self.public_money - self.public_spending

    def lines(self, view):
        return {
            "organiser": self.per_organiser,
            "category": self.per_category,
            "month": self.per_month,
        }[view]


def _totals():
    return {
        "count": Count("*"),
        "paid": Sum("paid"),
        "discount": Sum("discount"),
        "reimbursement": Sum("reimbursement"),
        "organiser_cost": Sum("organiser_cost"),
    }


def _accepted(network, year):
    return CheckIn.objects.filter(network=network, year=year, state=CheckInState.ACCEPTED)


def grouped_checkins(network, year):
    """The year's accepted check-ins summed per activity (and its organiser), read in the
    order of the covering index ``checkin_report_activity``: no sort, however many rows."""
    return list(
        _accepted(network, year)
        .values("activity_id", "organiser_id")
        .annotate(**_totals())
        .order_by("activity_id", "organiser_id")
    )


def _month_start(year, month):
    if month == 13:
        year, month = year + 1, 1
    return timezone.make_aware(datetime.combine(date(year, month, 1), time.min))


def checkins_per_month(network, year):
    """``{month: totals}``: twelve range sums over the covering index ``checkin_report_month``
    (local months; a check-in's year is the local year of its scan)."""
    return {
        month: _accepted(network, year)
        .filter(
            scanned_at__gte=_month_start(year, month), scanned_at__lt=_month_start(year, month + 1)
        )
        .aggregate(**_totals())
        for month in range(1, 13)
    }


def agreements_covering(network, year):
    return list(
        Agreement.objects.filter(
            network=network, starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1)
        ).order_by("starts_on")
    )


def annual_report(network, year):
    rows = grouped_checkins(network, year)
    organiser_names = dict(Organiser.objects.filter(network=network).values_list("pk", "name"))
    activity_ids = {row["activity_id"] for row in rows}
    activities = Activity.objects.filter(network=network)
    if len(activity_ids) < 900:  # else the whole network's list is cheaper than a long IN ()
        activities = activities.filter(pk__in=activity_ids)
    categories = dict(activities.values_list("pk", "category"))
    category_labels = dict(Category.choices)
    total = Line(None, _("Total"))
    organisers, category_lines = {}, {}
    months = {month: Line(month, str(MONTHS[month])) for month in range(1, 13)}
    for month, row in checkins_per_month(network, year).items():
        months[month].add(row)
    for row in rows:
        total.add(row)
        organiser_id = row["organiser_id"]
        organisers.setdefault(
            organiser_id, Line(organiser_id, organiser_names.get(organiser_id, "?"))
        ).add(row)
        category = categories.get(row["activity_id"], Category.OTHER)
        category_lines.setdefault(
            category, Line(category, str(category_labels.get(category, category)))
        ).add(row)
    spent = spent_per_purpose(network, year)
    purpose_labels = dict(Purpose.choices)
    other = [
        (str(purpose_labels[purpose]), spent[purpose])
        for purpose in Purpose.values
        if purpose != Purpose.DISCOUNT and spent.get(purpose)
    ]
    agreements = agreements_covering(network, year)
    return Report(
        year=year,
        total=total,
        per_organiser=sorted(organisers.values(), key=lambda line: line.label.lower()),
        per_category=[
            category_lines[value] for value in Category.values if value in category_lines
        ],
        per_month=[months[month] for month in range(1, 13)],
        other_spending=other,
        agreements=agreements,
        drawing_right=sum((a.drawing_right for a in agreements), start=ZERO),
        cofinancing=sum((a.municipal_cofinancing for a in agreements), start=ZERO),
    )


def report_years(network, today):
    """The years with check-ins or a budget, and this year; newest first."""

    years = set(Budget.objects.filter(network=network).values_list("year", flat=True))
    years |= set(CheckIn.objects.filter(network=network).values_list("year", flat=True).distinct())
    years.add(today.year)
    return sorted(years, reverse=True)


# --- files ------------------------------------------------------------------------------


def _headers(view):
    first = {"organiser": _("Organiser"), "category": _("Category"), "month": _("Month")}[view]
    return [
        first,
        _("Check-ins"),
        _("Paid by participants"),
        _("Discount"),
        _("Paid back by the municipality"),
        _("Borne by organisers"),
    ]


def _cells(line):
    return [line.count, line.paid, line.discount, line.reimbursement, line.organiser_cost]


def report_csv(report, view, *, language=None) -> str:
    """One view of the report, for Excel in Belgium: ``;``, a decimal comma, UTF-8 with BOM."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    with translation.override(language or translation.get_language() or "nl"):
        writer.writerow(_headers(view))
        for line in [*report.lines(view), report.total]:
            count, *money = _cells(line)
            writer.writerow(
                [csv_cell(line.label), count, *[csv_amount(amount) for amount in money]]
            )
    return out.getvalue()


def report_xlsx(report, *, network_name="", language=None) -> bytes:
    """A workbook with a sheet per view and one against the agreement; amounts are numbers
    with a euro format, so the sheet can add them up."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    euro = '#,##0.00 "€"'
    bold = Font(bold=True)
    book = Workbook()
    book.remove(book.active)
    with translation.override(language or translation.get_language() or "nl"):
        titles = {
            "organiser": _("Per organiser"),
            "category": _("Per category"),
            "month": _("Per month"),
        }
        for view in VIEWS:
            sheet = book.create_sheet(titles[view][:31])
            sheet.append(_headers(view))
            for cell in sheet[1]:
                cell.font = bold
            for line in [*report.lines(view), report.total]:
                sheet.append([csv_cell(line.label), *_cells(line)])
            last = sheet.max_row
            for cell in sheet[last]:
                cell.font = bold
            for row in sheet.iter_rows(min_row=2, min_col=3, max_col=6):
                for cell in row:
                    cell.number_format = euro
            sheet.column_dimensions["A"].width = 36
            for column in "BCDEF":
                sheet.column_dimensions[column].width = 18
        sheet = book.create_sheet(_("Agreement")[:31])
        sheet.append([network_name, report.year])
        rows = [
            (_("Flemish drawing right"), report.drawing_right),
            (_("Municipal co-financing"), report.cofinancing),
            (_("Public money for the year"), report.public_money),
            (_("Discount reimbursements"), report.total.reimbursement),
            *[(label, amount) for label, amount in report.other_spending],
            (_("Spent in total"), report.public_spending),
            (_("Left"), report.public_left),
        ]
        for label, amount in rows:
            sheet.append([label, amount])
            sheet.cell(row=sheet.max_row, column=2).number_format = euro
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
