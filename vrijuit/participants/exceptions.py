from vrijuit.core.errors import CommonError
from vrijuit.core.exceptions import VrijuitError

from .constants import ErrorCode


class PostalCodeOutsideNetwork(VrijuitError):
    code = ErrorCode.POSTAL_CODE_OUTSIDE_NETWORK
    default_message = code.message

    def __init__(self, message=None, **kwargs):
        kwargs.setdefault("errors", {"postal_code": [message or self.default_message]})
        super().__init__(message, **kwargs)


class StatusRefused(VrijuitError):
    code = ErrorCode.STATUS_REFUSED


class AlreadyErased(VrijuitError):
    status = ErrorCode.ALREADY_ERASED.status
    code = ErrorCode.ALREADY_ERASED
    default_message = code.message


class ParticipantInvalid(VrijuitError):
    code = CommonError.VALIDATION_ERROR
    default_message = code.message
