"""Form fields shared by the back office and the public pages."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# The days a filter can ask for; beyond them a date cannot be shifted by a day or a week
# (year 9999) and no record of the network exists.
FILTER_FIRST_DAY = datetime.date(1900, 1, 1)
FILTER_LAST_DAY = datetime.date(2100, 12, 31)


class FilterDateField(forms.DateField):
    """A day to filter a list by, between 1900 and 2100, with a message that says so."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        message = _("Choose a day between 1900 and 2100.")
        self.validators += [
            MinValueValidator(FILTER_FIRST_DAY, message=message),
            MaxValueValidator(FILTER_LAST_DAY, message=message),
        ]
