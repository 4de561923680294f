from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=8,
        error_messages={"invalid": _("Type the 6 digits that your app shows.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = devices
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        for device in self.devices:
            if device.verify_token(code):
                self.device = device
                return code
        raise forms.ValidationError(
            _("This code is not right. Codes change every 30 seconds: try the newest one.")
        )
