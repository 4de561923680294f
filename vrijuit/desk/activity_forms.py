from django import forms
from django.utils.translation import gettext_lazy as _

from vrijuit.catalogue.constants import ActivityState
from vrijuit.catalogue.models import Activity
from vrijuit.core import dates

from .participant_forms import DateInput

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ActivityFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All")), *ActivityState.choices],
        required=False,
    )


class ActivityForm(forms.ModelForm):
    """What an organiser writes about an activity. Prices are typed the Belgian way: 12,00."""

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "category",
            "min_age",
            "max_age",
            "location_name",
            "address",
            "postal_code",
            "accessibility",
            "regular_price",
            "fixed_reduced_price",
            "capacity",
            "registration_required",
            "contact",
        ]
        localized_fields = ["regular_price", "fixed_reduced_price"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "description": _("Write short sentences with common words."),
            "regular_price": _("In euros, for example 12,00."),
            "fixed_reduced_price": _("Leave empty to use the network's reduction."),
        }

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is not None:
            # The coordinator chooses whose activity it is; an organiser never does.
            self.fields = {
                "organiser": forms.ModelChoiceField(label=_("Organiser"), queryset=organisers),
                **self.fields,
            }
        for name in ("regular_price", "fixed_reduced_price"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class DatesForm(forms.Form):
    """One date, or a weekly series when an end date is given."""

    first_date = dates.DateField(
        label=_("(First) date"), widget=DateInput(), validators=[dates.validate_activity_date]
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration = forms.IntegerField(
        label=_("Duration in minutes"), min_value=0, max_value=24 * 60, required=False
    )
    until = dates.DateField(
        label=_("Every week until"),
        required=False,
        validators=[dates.validate_activity_date],
        widget=DateInput(),
        help_text=_("Leave empty for one date."),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for the weekday of the first date."),
    )

    def clean(self):
        data = super().clean()
        if data.get("until") and data.get("first_date") and data["until"] < data["first_date"]:
            self.add_error("until", _("The end date must be on or after the first date."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Participants read this. For example: 'The swimming pool is closed.'"),
    )
