from django.utils.translation import gettext_lazy as _

from vrijuit.core.exceptions import VrijuitError


class PassAlreadyActive(VrijuitError):
    status = 409
    code = "pass_already_active"
    default_message = _(
        "This person already has an active pass. Block it first if it is "
        "lost or stolen; then you can give a new one."
    )


class PassNotActive(VrijuitError):
    status = 409
    code = "pass_not_active"
    default_message = _("This pass is not active any more.")


class InvalidPassNumber(VrijuitError):
    code = "invalid_pass_number"
    default_message = _("This pass number is not right. Check the 13 digits on the card.")
