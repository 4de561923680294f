from django import forms
from django.utils.translation import gettext_lazy as _

from vrijuit.core import dates
from vrijuit.participants.constants import Basis, Language
from vrijuit.participants.services import default_valid_until, participant_correction_errors
from vrijuit.passes.constants import BlockReason


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, pass number or birth date"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True, "autocomplete": "off"}),
    )


class ParticipantForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    birth_date = dates.DateField(
        label=_("Birth date"),
        validators=[dates.validate_birth_date],
        help_text=_("For example 27/11/1985."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("A postal code has 4 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.NL
    )


class CorrectForm(ParticipantForm):
    """Correct a registered person's details (the service checks them again)."""

    def __init__(self, *args, person=None, network=None, **kwargs):
        self.network = network
        if person is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(person, name) for name in self.base_fields},
                    "birth_date": person.birth_date.strftime("%d/%m/%Y"),
                },
            )
        kwargs.setdefault("auto_id", "correct-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        """All mistakes at once: also those only the network knows (the postal code)."""
        data = super().clean()
        if self.network is not None:
            fine = {k: v for k, v in data.items() if k not in self.errors}
            for field, messages in participant_correction_errors(self.network, fine).items():
                for message in messages:
                    if field not in self.errors or message not in self.errors[field]:
                        self.add_error(field, message)
        return data


class RegisterForm(ParticipantForm):
    """Register, and in the same screen give the status and a pass."""

    grant_status = forms.BooleanField(label=_("Give the reduced tariff now"), required=False)
    basis = forms.ChoiceField(label=_("Basis"), choices=[("", "—"), *Basis.choices], required=False)
    note = forms.CharField(
        label=_("What was seen"),
        max_length=300,
        required=False,
        help_text=_("For example: 'certificate of the health fund seen'. Do not write amounts."),
    )
    issue_pass = forms.BooleanField(label=_("Give a pass now"), required=False, initial=True)
    household_of = forms.UUIDField(required=False, widget=forms.HiddenInput)
    confirm_new = forms.BooleanField(
        label=_("This is a new person, not one of the people above"), required=False
    )

    def __init__(self, *args, may_grant=False, network=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_grant:
            for name in ("grant_status", "basis", "note"):
                del self.fields[name]
        elif network is not None and today is not None:
            self.fields["grant_status"].help_text = _("From today until %(date)s.") % {
                "date": default_valid_until(network, today).strftime("%d/%m/%Y")
            }

    def clean(self):
        data = super().clean()
        if data.get("grant_status") and not data.get("basis"):
            self.add_error("basis", _("Choose why the person gets the reduced tariff."))
        return data


class StatusGrantForm(forms.Form):
    basis = forms.ChoiceField(label=_("Basis"), choices=Basis.choices)
    valid_from = dates.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = dates.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the network's default."),
    )
    note = forms.CharField(label=_("What was seen"), max_length=300, required=False)
    include_household = forms.BooleanField(label=_("Also for the household"), required=False)

    def __init__(self, *args, network=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        if network is not None and today is not None:
            # The rule at work, as a date: "given today, it runs until 31/12/2027".

            self.fields["valid_until"].help_text = _(
                "Leave empty for the network's default: from today that is until %(date)s."
            ) % {"date": default_valid_until(network, today).strftime("%d/%m/%Y")}

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_until")
            and data.get("valid_from")
            and (data["valid_until"] < data["valid_from"])
        ):
            self.add_error("valid_until", _("The end date must be on or after the start date."))
        return data


class StatusSuspendForm(forms.Form):
    suspended_from = dates.DateField(label=_("Suspended from"), widget=DateInput())
    suspended_until = dates.DateField(
        label=_("Suspended until"), required=False, widget=DateInput()
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class StatusEndForm(forms.Form):
    ended_on = dates.DateField(label=_("Ends on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PassBlockForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=BlockReason.choices)
    replace = forms.BooleanField(label=_("Give a new pass at once"), required=False, initial=True)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
