"""Errors with a stable code. The API maps them to problem responses."""

from .errors import CommonError


class VrijuitError(Exception):
    """A refusal the user should understand. ``code`` is a member of a context's catalogue
    (``core.errors``); ``message`` is translated; both ``message`` and ``status`` default to
    the code's."""

    status = CommonError.REFUSED.status
    code = CommonError.REFUSED
    default_message = CommonError.REFUSED.message

    def __init__(self, message=None, *, code=None, status=None, errors=None):
        if code:
            self.code = code
        self.message = message or getattr(code, "message", None) or self.default_message
        status = status or getattr(code, "status", None)
        if status:
            self.status = status
        self.errors = errors or {}
        super().__init__(str(self.message))


class NotFound(VrijuitError):
    status = CommonError.NOT_FOUND.status
    code = CommonError.NOT_FOUND
    default_message = CommonError.NOT_FOUND.message


class PermissionDenied(VrijuitError):
    status = CommonError.FORBIDDEN.status
    code = CommonError.FORBIDDEN
    default_message = CommonError.FORBIDDEN.message


class Conflict(VrijuitError):
    status = CommonError.CONFLICT.status
    code = CommonError.CONFLICT
    default_message = CommonError.CONFLICT.message
