import ipaddress

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

from . import audit


def client_ip(request):
    """The visitor's address, for the audit log and login throttling.

    Behind one reverse proxy (``USE_X_FORWARDED_FOR``), ``REMOTE_ADDR`` is the proxy's own
    address; the visitor's is the last one in ``X-Forwarded-For``, the one the proxy added
    (earlier entries come from the visitor and can be made up).
    """
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Attributes audit events made during a web request to the logged-in staff member."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "admin" if request.path.startswith("/admin/") else "web"
        token = audit.set_context(
            audit.AuditContext(
                request=request,
                source=source,
                context=request.path[:200],
                ip_address=client_ip(request),
            )
        )
        try:
            return self.get_response(request)
        finally:
            audit.reset_context(token)


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class RequestSizeMiddleware:
    """A page's form post over Django's size limits answers 413 with a page that says what
    to do, instead of failing wherever the body is first read (the CSRF check, a view).

    The API answers its own 413 problem document (``api/problems.py``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and not request.path.startswith("/api/"):
            try:
                if request.method == "POST" and request.content_type in FORM_TYPES:
                    request.POST  # noqa: B018 - reads and checks the form fields
                else:
                    request.body  # noqa: B018 - reads and checks the body
            except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
                return render(
                    request,
                    "413.html",
                    {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)},
                    status=413,
                )
        return self.get_response(request)
