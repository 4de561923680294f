from django import forms
from django.utils.translation import gettext_lazy as _

from vrijuit.catalogue.models import Organiser
from vrijuit.core.roles import Role, is_organiser_bound
from vrijuit.networks.models import Network, Partner


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
        if is_organiser_bound(data.get("role")) and not data.get("organiser"):
            self.add_error("organiser", _("Choose the organiser this token is for."))
        return data


class NetworkSettingsForm(forms.ModelForm):
    """What a coordinator may change about their network (not its short name)."""

    class Meta:
        model = Network
        fields = [
            "name",
            "vision",
            "contact_name",
            "contact_function",
            "contact_email",
            "contact_phone",
            "desk_address",
            "desk_opening_hours",
            "participant_share",
            "organiser_share",
            "municipality_share",
            "rounding_step",
            "minimum_price",
            "status_validity",
            "status_validity_months",
            "status_late_grant_months",
            "grace_days",
            "desk_may_grant_status",
            "max_discount_per_year",
            "max_checkins_per_activity_per_year",
            "budget_mode",
            "budget_warning_first",
            "budget_warning_second",
            "retention_years",
            "require_two_factor",
            "statement_period",
            "payer_name",
            "payer_iban",
            "payer_bic",
        ]
        # Amounts and percentages are typed the Belgian way: 0,50 and 2.432,00.
        localized_fields = "__all__"
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 4}),
            "desk_opening_hours": forms.Textarea(attrs={"rows": 3}),
        }

    GROUPS = [
        (
            _("Public contact"),
            [
                "name",
                "vision",
                "contact_name",
                "contact_function",
                "contact_email",
                "contact_phone",
                "desk_address",
                "desk_opening_hours",
            ],
        ),
        (
            _("Price with the pass"),
            [
                "participant_share",
                "organiser_share",
                "municipality_share",
                "rounding_step",
                "minimum_price",
            ],
        ),
        (
            _("Reduced-tariff status"),
            [
                "status_validity",
                "status_validity_months",
                "status_late_grant_months",
                "grace_days",
                "desk_may_grant_status",
            ],
        ),
        (
            _("Limits and budget"),
            [
                "max_discount_per_year",
                "max_checkins_per_activity_per_year",
                "budget_mode",
                "budget_warning_first",
                "budget_warning_second",
            ],
        ),
        (_("Privacy and security"), ["retention_years", "require_two_factor"]),
        (_("Payments"), ["statement_period", "payer_name", "payer_iban", "payer_bic"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.widget.attrs["inputmode"] = "decimal"

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]


class InviteForm(forms.Form):
    """Give a new or existing staff member a role in this network."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("We send a link to this address to choose a password.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False
    )
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Organiser.objects.none(),
        required=False,
        help_text=_("Only for the role organiser."),
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["partner"].queryset = network.partners.all()
        self.fields["organiser"].queryset = network.organisers.filter(is_active=True)

    def clean(self):
        data = super().clean()
        if is_organiser_bound(data.get("role")) and not data.get("organiser"):
            self.add_error("organiser", _("Choose the organiser this person works for."))
        email = data.get("email")
        if email and self.network.memberships.filter(user__email__iexact=email).exists():
            self.add_error("email", _("This person already has a role in this network."))
        return data
