from django import forms
from django.utils.translation import gettext_lazy as _

from vrijuit.catalogue.constants import Category
from vrijuit.core import dates


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class GuideFilterForm(forms.Form):
    """The guide's filters; sent with GET so that a search is a plain link."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    date_from = dates.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = dates.DateField(label=_("Until"), required=False, widget=DateInput())
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

    @property
    def has_filters(self):
        """Is a filter other than the search words in use (or wrong)? Then the folded filters
        open on a phone."""
        if not self.is_bound:
            return False
        others = [name for name in self.fields if name != "q"]
        return any(self.data.get(name) for name in others) or any(
            name in self.errors for name in others
        )

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
