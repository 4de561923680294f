"""The API's own error codes: answers about the request itself, before any context decides."""

from django.utils.translation import gettext_lazy as _

from vrijuit.core.errors import ErrorCatalogue


class ErrorCode(ErrorCatalogue):
    MALFORMED_REQUEST = (
        "malformed_request",
        400,
        _("The request could not be read. Send a JSON object."),
    )
    NOT_AUTHENTICATED = (
        "not_authenticated",
        401,
        _("Send a valid API token in the header 'Authorization: Bearer <token>'."),
    )
    METHOD_NOT_ALLOWED = (
        "method_not_allowed",
        405,
        _("This address does not accept this method. The Allow header says which it does."),
    )
    PAYLOAD_TOO_LARGE = (
        "payload_too_large",
        413,
        _("The request is too large. Send less at once, for example shorter texts or fewer items."),
    )
    RATE_LIMITED = "rate_limited", 429, _("Too many requests. Wait a moment and try again.")
    HTTP_ERROR = (
        "http_error",
        400,
        _("The request could not be handled. The detail says why."),
    )
    SERVER_ERROR = (
        "server_error",
        500,
        _(
            "Something went wrong on our side. Try again. "
            "If it keeps happening, tell your coordinator."
        ),
    )
    INVALID_ROLE = "invalid_role", 422, _("Unknown role.")
    ORGANISER_REQUIRED = (
        "organiser_required",
        422,
        _("A token for an organiser needs the organiser."),
    )
