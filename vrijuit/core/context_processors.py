from .navigation import menu_for


def shell(request):
    """The current network, principal and menu for the back-office layout."""
    principal = getattr(request, "principal", None)
    if principal is None:
        return {}
    return {
        "network": principal.network,
        "principal": principal,
        "menu": menu_for(principal, request.path),
    }
