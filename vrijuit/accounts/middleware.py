from django.shortcuts import redirect

from vrijuit.core.roles import PERSONAL_DATA_ROLES

EXEMPT_PREFIXES = ("/account/", "/i18n/", "/static/", "/api/", "/favicon")


def two_factor_required(user) -> bool:
    """Does a network this user works in require two-factor login for their role?"""
    return user.memberships.filter(
        is_active=True, role__in=PERSONAL_DATA_ROLES, network__require_two_factor=True
    ).exists()


class RequireTwoFactorMiddleware:
    """Staff who can see personal data must finish two-factor login where the network asks it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            and two_factor_required(user)
        ):
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
            response = redirect(target)
            response["Location"] += "?next=" + request.get_full_path()[:500].replace("&", "%26")
            return response
        return self.get_response(request)
