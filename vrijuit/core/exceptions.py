"""Errors with a stable code. The API maps them to problem responses."""

from django.utils.translation import gettext_lazy as _


class VrijuitError(Exception):
    """A refusal the user should understand. ``code`` is stable; ``message`` is translated."""

    status = 422
    code = "refused"
    default_message = _("This is not possible. Please check what you entered.")

    def __init__(self, message=None, *, code=None, status=None, errors=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        if status:
            self.status = status
        self.errors = errors or {}
        super().__init__(str(self.message))


class NotFound(VrijuitError):
    status = 404
    code = "not_found"
    default_message = _(
        "We could not find this. It may have been removed, or it is not part of your network."
    )


class PermissionDenied(VrijuitError):
    status = 403
    code = "forbidden"
    default_message = _(
        "Your role does not allow this. Ask your network coordinator if you need it."
    )


class Conflict(VrijuitError):
    status = 409
    code = "conflict"
