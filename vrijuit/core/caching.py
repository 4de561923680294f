"""No copy of a private answer is kept: ``Cache-Control: no-store, private``.

Desk computers are shared, and a browser's cache (or a proxy's) would keep pages with
personal data, exports and raw API tokens on disk after the staff member logged out. The
rule is one middleware, so that a new page cannot forget it:

- every answer to a logged-in staff member (any page, any address);
- every answer under ``/desk/``, ``/account/``, ``/admin/``, ``/pass/`` and ``/scan/``,
  logged in or not (login and reset pages, the digital pass and its manifest);
- every API answer to a request with a token (``Authorization``) or a staff session.

What stays cacheable: the public site and guide, the open API reads without a token, static
files (WhiteNoise answers them before this middleware), and views marked
``@no_personal_data`` (the service workers' code).

The digital pass still works offline: its service worker keeps the page in the Cache Storage
of the phone, which ``no-store`` does not govern (it applies to the HTTP cache only).
"""

from functools import wraps

from django.utils.cache import add_never_cache_headers

PRIVATE_PREFIXES = ("/desk/", "/account/", "/admin/", "/pass/", "/scan/")
API_PREFIX = "/api/"


def no_personal_data(view):
    """Mark a view whose answer holds no personal data or secret (code, not content)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.no_personal_data = True
    return wrapped


def is_private(request):
    """Must the answer to ``request`` not be stored by any cache?"""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    path = request.path
    if path.startswith(API_PREFIX):
        return "HTTP_AUTHORIZATION" in request.META
    return path.startswith(PRIVATE_PREFIXES)


class NoStoreMiddleware:
    """Sends ``Cache-Control: no-store, private`` (and ``no-cache``, ``max-age=0``,
    ``Expires``) on every private answer; see the module's rule."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "_no_personal_data", False) and is_private(request):
            add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._no_personal_data = getattr(view_func, "no_personal_data", False)
