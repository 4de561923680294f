from django.utils.translation import gettext_lazy as _

from vrijuit.core.exceptions import VrijuitError


class PostalCodeOutsideNetwork(VrijuitError):
    code = "postal_code_outside_network"
    default_message = _(
        "This postal code is not in the municipalities of this network. "
        "Check the postal code, or refer the person to the network of their "
        "municipality."
    )

    def __init__(self, message=None, **kwargs):
        kwargs.setdefault("errors", {"postal_code": [message or self.default_message]})
        super().__init__(message, **kwargs)


class StatusRefused(VrijuitError):
    code = "status_refused"


class AlreadyErased(VrijuitError):
    status = 409
    code = "already_erased"
    default_message = _("The identity of this person was erased already.")


class ParticipantInvalid(VrijuitError):
    code = "validation_error"
    default_message = _("Some fields are missing or not valid. Correct them and try again.")
