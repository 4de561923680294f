from django import forms
from django.utils.translation import gettext_lazy as _

from vrijuit.catalogue.constants import Category
from vrijuit.core.forms import FilterDateField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class GuideFilterForm(forms.Form):
    """The guide's filters; sent with GET so that a search is a plain link."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    date_from = FilterDateField(label=_("From"), widget=DateInput())
    date_to = FilterDateField(label=_("Until"), widget=DateInput())
    category = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", _("All kinds")), *Category.choices],
        required=False,
    )
    age = forms.IntegerField(
        label=_("Age"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("Only activities for this age."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, required=False, empty_label=_("All municipalities")
    )
    free = forms.BooleanField(label=_("Only free activities"), required=False)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = network.municipalities.all()

    def filters(self):
        """Keyword arguments for ``guide_search``; empty when the form is not valid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "category": data["category"] or None,
            "age": data["age"],
            "municipality": data["municipality"].pk if data["municipality"] else None,
            "free": True if data["free"] else None,
        }
