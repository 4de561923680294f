"""Login throttling: django-axes' database handler with a second, per-address limit.

django-axes counts failures per group of lockout parameters but compares every group with
one limit. Vrijuit wants two: ``AXES_FAILURE_LIMIT`` failures for one user name from one
address (someone guessing one account), and the higher ``LOGIN_ADDRESS_FAILURE_LIMIT``
failures from one address across all user names (password spraying: one common password
tried on many accounts). The address limit is higher because colleagues in one office share
an address and each may mistype now and then.

A successful login clears the failures of that user name only (``AXES_LOCKOUT_PARAMETERS``
is the user-name-and-address pair); the address's count runs out with the cool-off time, so
logging in to one's own account between guesses does not reset it.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt

from django.conf import settings
from django.db.models import Sum


def address_failures(request) -> int:
    """Failed logins from the request's address, for any user name, within the cool-off."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # the lockout page tells the person it is the address, not their account
            request.login_locked_address = True
            return max(failures, get_failure_limit(request, credentials))
        return failures
