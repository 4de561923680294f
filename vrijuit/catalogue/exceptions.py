from django.utils.translation import gettext_lazy as _

from vrijuit.core.exceptions import VrijuitError


class ActivityRefused(VrijuitError):
    code = "activity_refused"
    default_message = _("This change to the activity is not possible. Check what you entered.")
    other_network = _("This municipality is not part of the network.")
