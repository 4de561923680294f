from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.utils.translation import gettext as _

from vrijuit.core.errors import CommonError
from vrijuit.core.exceptions import NotFound

from .constants import ErrorCode
from .problems import payload_too_large, problem

API_PREFIX = "/api/"


class ApiProblemMiddleware:
    """Every error under /api/ is a problem document, also those Django answers itself.

    Unknown paths (Django's 404 page) and wrong methods (a bare 405) would otherwise come
    back as HTML. A NUL character in the query string is refused before any view runs,
    because PostgreSQL cannot store or compare it. A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    is refused (413) by every endpoint, also those that take no body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in value for values in request.GET.lists() for value in values[1]
        ):
            return problem(
                400,
                ErrorCode.MALFORMED_REQUEST,
                _("The request contains a character that is not allowed."),
            )
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                request.body  # noqa: B018 - Django checks the size when it reads the body
            except (RequestDataTooBig, TooManyFieldsSent):
                return payload_too_large()
        response = self.get_response(request)
        if response.status_code in (404, 405) and not response.get("Content-Type", "").startswith(
            ("application/problem+json", "application/json")
        ):
            if response.status_code == 404:
                return problem(404, CommonError.NOT_FOUND, NotFound.default_message)
            allowed = response.get("Allow", "")
            answer = problem(
                405,
                ErrorCode.METHOD_NOT_ALLOWED,
                _("This address does not accept this method. Use: %(allowed)s.")
                % {"allowed": allowed or "-"},
            )
            if allowed:
                answer["Allow"] = allowed
            return answer
        return response
