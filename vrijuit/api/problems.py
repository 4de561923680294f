"""RFC 9457 problem responses with a stable ``code`` and a translated ``detail``."""

import logging

from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from vrijuit.core.errors import CommonError
from vrijuit.core.exceptions import NotFound, VrijuitError

from .constants import ErrorCode

logger = logging.getLogger("vrijuit.api")

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def problem(status, code, detail, **extra):
    body = {
        "type": f"https://vrijuit.be/problems/{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": str(detail),
        "code": code,
    }
    body.update(extra)
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _field_name(loc):
    # pydantic locations look like ("body", "payload", "birth_date"); keep the field.
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


def _field_message(error):
    kind = error.get("type", "")
    if kind == "date_out_of_range":
        return error.get("msg") or _("Enter a date between 1900 and 2100.")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind.startswith("uuid"):
        return _("Enter a valid id (a UUID).")
    if kind.startswith("decimal") or kind.startswith("float") or kind.startswith("int"):
        return _("Enter a number.")
    if kind.startswith("string_too_long"):
        return _("This text is too long.")
    return _("This value is not valid.")


MALFORMED_TYPES = {"json_invalid", "model_attributes_type", "model_type", "dict_type"}


def on_validation_error(request, exc: ValidationError):
    if any(e.get("type") in MALFORMED_TYPES and len(e.get("loc", ())) <= 2 for e in exc.errors):
        return problem(
            400,
            ErrorCode.MALFORMED_REQUEST,
            _("The request body is not a JSON object. Send a JSON object."),
        )
    errors = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(_field_message(error))
    return problem(
        422,
        CommonError.VALIDATION_ERROR,
        _("Some fields are missing or not valid. Correct them and try again."),
        errors=errors,
    )


def on_vrijuit_error(request, exc: VrijuitError):
    extra = {"errors": exc.errors} if exc.errors else {}
    return problem(exc.status, exc.code, exc.message, **extra)


def on_authentication_error(request, exc):
    return problem(
        ErrorCode.NOT_AUTHENTICATED.status,
        ErrorCode.NOT_AUTHENTICATED,
        ErrorCode.NOT_AUTHENTICATED.message,
    )


def on_throttled(request, exc: Throttled):
    response = problem(429, ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED.message)
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))
    return response


def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:
        return problem(400, ErrorCode.MALFORMED_REQUEST, ErrorCode.MALFORMED_REQUEST.message)
    if exc.status_code == 403:
        return problem(
            403,
            CommonError.FORBIDDEN,
            _("Your role does not allow this. Ask your network coordinator."),
        )
    return problem(exc.status_code, ErrorCode.HTTP_ERROR, str(exc))


def payload_too_large():
    """413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django refuses to read it)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return problem(
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        _(
            "The request is too large: at most %(limit)s. "
            "Send less at once, for example shorter texts or fewer items."
        )
        % {"limit": filesizeformat(limit)},
        max_bytes=limit,
    )


def on_payload_too_large(request, exc):
    return payload_too_large()


def on_not_found(request, exc):
    return problem(404, CommonError.NOT_FOUND, NotFound.default_message)


def on_server_error(request, exc):
    logger.exception("Unhandled error in API", exc_info=exc)
    return problem(
        500,
        ErrorCode.SERVER_ERROR,
        ErrorCode.SERVER_ERROR.message,
    )


def install(api):
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(VrijuitError, on_vrijuit_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RequestDataTooBig, on_payload_too_large)
    api.add_exception_handler(TooManyFieldsSent, on_payload_too_large)
    api.add_exception_handler(Exception, on_server_error)
