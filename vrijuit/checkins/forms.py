"""The scanner page's form: a date of today, a pass number and a fresh idempotency key."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class ScanForm(forms.Form):
    """One scan at the door. The pass number is checked by the check-in rules themselves
    (rule 1), so that the answer is the same big red panel as for any other refusal."""

    occurrence = forms.TypedChoiceField(
        label=_("Activity and date"),
        coerce=uuid.UUID,
        error_messages={"required": _("Choose the activity and date first.")},
    )
    pass_number = forms.CharField(
        label=_("Pass number"),
        max_length=40,
        error_messages={"required": _("Type the 13 digits of the pass number.")},
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, dates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurrence"].choices = [
            (str(row["id"]), row["activity"]) for row in dates if not row["cancelled"]
        ]


class CancelForm(forms.Form):
    checkin = forms.UUIDField()
