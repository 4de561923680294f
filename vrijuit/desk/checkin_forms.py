import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vrijuit.core import dates
from vrijuit.passes.numbers import is_valid_number, normalise_number

from .participant_forms import DateInput


def _date_label(occurrence):
    start = timezone.localtime(occurrence.start)
    activity = occurrence.activity
    return f"{activity.title} — {activity.organiser.name} — {start:%d/%m %H:%M}"


class DeskCheckinForm(forms.Form):
    """Register a participation at the desk on an organiser's behalf (a membership fee, a trip)."""

    occurrence = forms.TypedChoiceField(label=_("Activity and date"), coerce=uuid.UUID)
    pass_number = forms.CharField(
        label=_("Pass number"),
        max_length=40,
        help_text=_("13 digits, as on the card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: membership fee paid at the desk."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, occurrences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurrence"].choices = [("", "—")] + [
            (str(o.pk), _date_label(o)) for o in occurrences
        ]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean_pass_number(self):
        number = normalise_number(self.cleaned_data["pass_number"])
        if not is_valid_number(number):
            raise forms.ValidationError(
                _("This is not a valid pass number. Check the 13 digits and type them again.")
            )
        return number


class CheckinFilterForm(forms.Form):
    day = dates.DateField(label=_("Day"), required=False, widget=DateInput)
    # "All" is the empty value: no organiser, not an empty id.
    organiser = forms.TypedChoiceField(
        label=_("Organiser"), required=False, coerce=uuid.UUID, empty_value=None
    )

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is None:
            del self.fields["organiser"]
        else:
            self.fields["organiser"].choices = [("", _("All"))] + [
                (str(o.pk), o.name) for o in organisers
            ]


class CancelCheckinForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Reimbursement budget (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_(
            "What the municipality pays back to organisers this year, for example 2432,00."
        ),
    )
