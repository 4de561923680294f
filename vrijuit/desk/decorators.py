"""Back-office views live under /desk/<network>/ and pass through one gate."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from vrijuit.core.permissions import can, principal_for_user
from vrijuit.networks.models import Network


def network_view(perm):
    """Resolve ``network`` from the URL and check ``perm`` for the logged-in member.

    Not logged in → login page. Not a member of this network → 404 (the same answer as a
    network that does not exist). A member whose role may not → 403.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, network, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            network_obj = get_object_or_404(Network, slug=network)
            principal = principal_for_user(request.user, network_obj)
            if principal is None:
                raise Http404
            request.principal = principal
            if not can(principal, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Read by the test that every action a page offers is one its viewer may take.
        wrapper.required_perm = perm
        return wrapper

    return decorator
