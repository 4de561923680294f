from .navigation import menu_for
from .permissions import can
from .roles import Perm


class May:
    """``{% if may.STATUS_GRANT %}`` in a template: may the current principal do this?

    Every action a back-office page offers asks here, so a page shows only what the person
    may do (the same ``can()`` the view and the API ask)."""

    def __init__(self, principal):
        self.principal = principal

    def __getitem__(self, name):
        return can(self.principal, Perm[name])

    def __contains__(self, name):
        return name in Perm.__members__


def shell(request):
    """The current network, principal and menu for the back-office layout."""
    principal = getattr(request, "principal", None)
    if principal is None:
        return {}
    return {
        "network": principal.network,
        "principal": principal,
        "menu": menu_for(principal, request.path),
        "may": May(principal),
    }
