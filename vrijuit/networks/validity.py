"""How long a reduced-tariff status runs by default: a rule of the network's settings
(docs/architecture.md, "Rules: how long the reduced tariff runs")."""

import calendar
from datetime import date, timedelta

from .constants import StatusValidity


def last_day_of_months(day, months):
    """The last day of ``months`` months from ``day``: the day before the same date that
    many months later; when that month has no such date (31 January + 1 month), the last
    day of that month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    days_in_month = calendar.monthrange(year, month)[1]
    if day.day > days_in_month:
        return date(year, month, days_in_month)
    return date(year, month, day.day) - timedelta(days=1)


def default_valid_until(network, valid_from):
    """End of the calendar year, or N months (network setting).

    With calendar-year validity, a status given in the last ``status_late_grant_months``
    months of the year runs to the end of the next year: given on 4 December, it would
    otherwise end 27 days later."""
    if network.status_validity == StatusValidity.END_OF_YEAR:
        late_from_month = 13 - (network.status_late_grant_months or 0)
        year = valid_from.year + (valid_from.month >= late_from_month)
        return date(year, 12, 31)
    return last_day_of_months(valid_from, network.status_validity_months)
