"""Which dates and times the system accepts: one rule, used by models, services, API and forms.

Any date that comes from outside lies between 1 January 1900 and 31 December 2100. Narrower,
where the thing itself says so:

- a birth date is not in the future;
- an activity's date (an occurrence) lies at most ``ACTIVITY_YEARS_AHEAD`` years ahead and
  ``ACTIVITY_YEARS_BACK`` years back from today (a guide of the coming years; a date of last
  season can still be recorded);
- a year (budget, report) lies in ``FIRST_YEAR`` to ``LAST_YEAR``.

Outside these, pages that list dates or compute with them (a grace period added, a local time
for year 1, the end of year 9999) could not work; the person who typed the date gets a plain
message instead. Every check raises Django's ``ValidationError`` with the field's name where
one is given, so models' ``clean()``, forms and the API (``validation_error``) all show it.
"""

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
FIRST_YEAR, LAST_YEAR = EARLIEST.year, LATEST.year
ACTIVITY_YEARS_AHEAD = 5
ACTIVITY_YEARS_BACK = 2


def _day(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _years_from(day, years):
    """``day`` moved by ``years`` (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


OUT_OF_RANGE = _("Enter a date between 1900 and 2100.")


def _raise(message, field):
    raise ValidationError({field: [message]} if field else message, code="date_out_of_range")


def in_range(value):
    # The year as typed: year 1 in Brussels would be year 0 in UTC, so nothing is converted
    # before this check.
    return FIRST_YEAR <= value.year <= LAST_YEAR


def check_date(value, field=None):
    """Any date or time the system stores: 1900 to 2100."""
    if value is not None and not in_range(value):
        _raise(OUT_OF_RANGE, field)
    return value


def check_birth_date(value, field=None, today=None):
    """From 1 January 1900 until today."""
    check_date(value, field)
    if _day(value) > (today or timezone.localdate()):
        _raise(_("A birth date cannot be in the future."), field)
    return value


def activity_day_range(today=None):
    today = today or timezone.localdate()
    return _years_from(today, -ACTIVITY_YEARS_BACK), _years_from(today, ACTIVITY_YEARS_AHEAD)


def check_activity_date(value, field=None, today=None):
    """An activity's date: at most five years ahead, at most two years back."""
    if value is None:
        return value
    check_date(value, field)
    first, last = activity_day_range(today)
    if not first <= _day(value) <= last:
        _raise(
            _(
                "Choose a date between %(first)s and %(last)s: an activity is planned at most "
                "%(ahead)s years ahead."
            )
            % {
                "first": first.strftime("%d/%m/%Y"),
                "last": last.strftime("%d/%m/%Y"),
                "ahead": ACTIVITY_YEARS_AHEAD,
            },
            field,
        )
    return value


def check_year(value, field=None, first=FIRST_YEAR, last=LAST_YEAR):
    if value is not None and not first <= int(value) <= last:
        _raise(
            _("Choose a year between %(first)s and %(last)s.") % {"first": first, "last": last},
            field,
        )
    return value


def validate_date(value):
    """A model field validator (``validators=[validate_date]``)."""
    check_date(value)


def validate_birth_date(value):
    check_birth_date(value)


def validate_activity_date(value):
    check_activity_date(value)


def validate_year(value):
    check_year(value)


# --- the API (pydantic) -------------------------------------------------------------------


def _api_check(value):
    if not in_range(value):
        raise PydanticCustomError("date_out_of_range", str(OUT_OF_RANGE))
    return value


ApiDate = Annotated[date, AfterValidator(_api_check)]
ApiDateTime = Annotated[datetime, AfterValidator(_api_check)]


# --- forms ---------------------------------------------------------------------------------


class DateField(forms.DateField):
    """A form's date: 1900 to 2100 (``validators`` may narrow it)."""

    default_validators = [validate_date]
