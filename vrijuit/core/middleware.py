from . import audit


def client_ip(request):
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
