from django import forms
from django.utils.translation import gettext_lazy as _

from .services import normalise_backup_code


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


class PasswordAgainMixin:
    """Asks the password again before a change to how the account logs in."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"] = forms.CharField(
            label=_("Your password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            error_messages={"required": _("Type your password to confirm that it is you.")},
        )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This password is not right. Type the password you log in with.")
            )
        return password


class ReplaceTokenForm(PasswordAgainMixin, TokenForm):
    """Link a new app to an account that already has one: the password, then the new code."""

    field_order = ["password", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["code"].widget.attrs.pop("autofocus", None)
        self.fields["password"].widget.attrs["autofocus"] = True

    def clean_code(self):
        # The password is checked first; without it the code is not tried (a tried code
        # cannot be used again, and would have to wait for the next one).
        if "password" not in self.cleaned_data:
            return self.cleaned_data["code"]
        return super().clean_code()


class NewBackupCodesForm(PasswordAgainMixin, forms.Form):
    pass


class BackupCodeForm(forms.Form):
    backup_code = forms.CharField(
        label=_("Backup code"),
        max_length=20,
        help_text=_("8 letters and digits, for example abcd-2345. Each code works once."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type one of your backup codes.")},
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_backup_code(self):
        code = normalise_backup_code(self.cleaned_data["backup_code"])
        if len(code) != 8:
            raise forms.ValidationError(
                _("A backup code has 8 letters and digits, for example abcd-2345.")
            )
        if self.device is not None and not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(
                _("Too many wrong codes in a row. Wait a minute, then try again.")
            )
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(
                _(
                    "This backup code is not right or was used before. Each code works once: "
                    "try another one from your list."
                )
            )
        return code
