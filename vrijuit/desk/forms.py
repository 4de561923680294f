from django import forms
from django.utils.translation import gettext_lazy as _

from vrijuit.catalogue.models import Organiser
from vrijuit.core.roles import Role


class OrganiserForm(forms.ModelForm):
    class Meta:
        model = Organiser
        fields = ["name", "partner", "email", "phone", "iban"]
        help_texts = {"iban": _("For the reimbursements. For example BE68 5390 0754 7034.")}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = network.partners.all()
        self.fields["partner"].required = False


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, for example 'door swimming pool'."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Organiser.objects.none(),
        required=False,
        help_text=_("Only for the role organiser."),
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = network.organisers.filter(is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.ORGANISER and not data.get("organiser"):
            self.add_error("organiser", _("Choose the organiser this token is for."))
        return data
