import ipaddress

from django.conf import settings

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
