from django.utils.translation import gettext_lazy as _

from vrijuit.core.exceptions import VrijuitError

from .constants import ErrorCode


class ActivityRefused(VrijuitError):
    code = ErrorCode.ACTIVITY_REFUSED
    default_message = code.message
    other_network = _("This municipality is not part of the network.")
