"""Forms of the budget pages: sources, allocations, manual expenses and their corrections.
Amounts are typed the Belgian way: ``2.432,00`` or ``2432,00`` (``2432.00`` works too)."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vrijuit.core import dates
from vrijuit.finance.constants import Purpose, SourceKind

from .participant_forms import DateInput


class AmountField(forms.DecimalField):
    """A euro amount with a decimal comma; dots between thousands and a € sign are allowed."""

    def __init__(self, *, allow_negative=False, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        if not allow_negative:
            kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f€]", "", value)
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
            elif value.count(".") > 1 or re.fullmatch(r"-?\d{1,3}(\.\d{3})+", value):
                value = value.replace(".", "")  # 2.432 is two thousand, not two euros
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, str) or value is None:
            return value
        return f"{value:.2f}".replace(".", ",")


def _year_field():
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class SourceForm(forms.Form):
    """Its fields' ids start with ``source_``: it shares the budget page with other forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "source_%s")
        super().__init__(*args, **kwargs)

    year = _year_field()
    kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices)
    label = forms.CharField(
        label=_("Description (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: decision of the municipal council of 12 March."),
    )
    amount = AmountField(label=_("Amount (€)"), help_text=_("For example 2.432,00 or 2432,00."))


class AllocationForm(forms.Form):
    """Its fields' ids start with ``allocation_``: it shares the budget page with other forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "allocation_%s")
        super().__init__(*args, **kwargs)

    year = _year_field()
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    amount = AmountField(
        label=_("Amount (€)"),
        required=False,
        help_text=_(
            "Leave empty to remove the allocation. Discount reimbursements: this is the "
            "budget the check-ins draw from."
        ),
    )


class ExpenseForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[(value, label) for value, label in Purpose.choices if value != Purpose.DISCOUNT],
        help_text=_("Discount reimbursements are booked by the check-ins themselves."),
    )
    amount = AmountField(
        label=_("Amount (€)"),
        allow_negative=True,
        help_text=_("For example 125,50. A refund is negative: -25,00."),
    )
    day = dates.DateField(label=_("Date"), widget=DateInput)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        help_text=_("What was paid, to whom. No names of participants."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("An expense of € 0,00 changes nothing."))
        return amount

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("An expense is booked on the day it was made, not in the future.")
            )
        return day


class CorrectionForm(forms.Form):
    correct_amount = AmountField(
        label=_("Correct amount (€)"),
        allow_negative=True,
        help_text=_(
            "What the expense should have been. A new entry books the difference; "
            "the expense itself stays as it was."
        ),
    )
    description = forms.CharField(label=_("Reason for the correction"), max_length=300)


class LedgerFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", _("All")), *Purpose.choices], required=False
    )
