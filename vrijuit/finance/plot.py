"""The geometry of the discount-budget plot: cumulative spending per week, the budget line and
the projection to the run-out date. The template ``desk/budget/plot.html`` draws it as inline
SVG (no script, no style attributes: the CSP allows neither); this module only computes
coordinates in a 400 by 250 viewBox, so the drawing scales to any width (360 px phones too).
"""

import re
from datetime import date
from decimal import Decimal

from django.utils.dates import MONTHS_3

from vrijuit.core.money import format_eur

WIDTH, HEIGHT = 400, 250
LEFT, RIGHT, TOP, BOTTOM = 64, 390, 14, 218  # the plot area


def _whole_euros(amount):
    """``€ 20.000`` (no cents on an axis)."""
    return re.sub(r"[.,]00(?=\D*$)", "", format_eur(Decimal(int(amount))))


def _nice_step(top):
    """A round step (1, 2, 2.5 or 5 times a power of ten): about four steps to ``top``."""
    raw = max(float(top) / 4, 1.0)
    magnitude = 10 ** len(str(int(raw))) // 10 or 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return Decimal(str(factor * magnitude))
    return Decimal(10 * magnitude)


def budget_plot(*, year, points, forecast):
    """Everything the template needs; ``points`` are (day, cumulative spending)."""
    start = date(year, 1, 1)
    days = (date(year, 12, 31) - start).days

    amount = forecast.amount
    end_point = None
    if forecast.per_day is not None and not forecast.spent_out:
        if forecast.run_out is not None:
            end_point = (forecast.run_out, amount)
        elif forecast.year_end_projection is not None and forecast.today.year == year:
            end_point = (date(year, 12, 31), forecast.year_end_projection)
    highest = max(
        [amount or Decimal(0), forecast.spent]
        + [value for _, value in points]
        + ([end_point[1]] if end_point else [])
    )
    step = _nice_step(highest * Decimal("1.05") if highest else Decimal(100))
    ticks = int(highest // step) + 1 if highest else 4
    top = step * ticks

    def x(day):
        return round(LEFT + (RIGHT - LEFT) * (day - start).days / days, 1)

    def y(value):
        return round(BOTTOM - (BOTTOM - TOP) * float(value) / float(top), 1)

    spent_line = " ".join(f"{x(day)},{y(value)}" for day, value in points)
    last_day, last_value = points[-1]
    projection = None
    if end_point is not None:
        projection = {
            "x1": x(last_day),
            "y1": y(last_value),
            "x2": x(end_point[0]),
            "y2": y(end_point[1]),
        }
    run_out = None
    if forecast.run_out is not None:
        run_x = x(forecast.run_out)
        run_out = {
            "x": run_x,
            "y": y(amount),
            "label_x": run_x if run_x < RIGHT - 60 else RIGHT,
            "anchor": "middle" if run_x < RIGHT - 60 else "end",
        }
    months = []
    for month in range(1, 13):
        mx = x(date(year, month, 1))
        months.append({"x": mx, "label": MONTHS_3[month] if month % 2 else "", "label_x": mx + 12})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": RIGHT,
        "top": TOP,
        "bottom": BOTTOM,
        "grid": [{"y": y(step * i), "label": _whole_euros(step * i)} for i in range(ticks + 1)],
        "months": months,
        "spent_line": spent_line,
        "last": {"x": x(last_day), "y": y(last_value)},
        "budget_y": y(amount) if amount is not None else None,
        "projection": projection,
        "run_out": run_out,
    }
