from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "street",
    "email",
    "phone",
    "first_name_folded",
    "last_name_folded",
)


class ParticipantsConfig(AppConfig):
    name = "vrijuit.participants"
    label = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from vrijuit.core import audit

        from .models import Household, Note, Participant, Status

        # Personal data is logged as "changed", never with its values.
        audit.register(
            Participant,
            exclude=("created_at", "updated_at", "first_name_folded", "last_name_folded"),
            masked=PERSONAL_FIELDS,
        )
        audit.register(Household, masked=("label",))
        # Reasons are free text about the person, like the note.
        audit.register(Status, masked=("note", "suspend_reason", "end_reason"))
        audit.register(Note, masked=("text",))
