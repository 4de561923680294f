from vrijuit.core.exceptions import VrijuitError

from .constants import ErrorCode


class PassAlreadyActive(VrijuitError):
    status = ErrorCode.PASS_ALREADY_ACTIVE.status
    code = ErrorCode.PASS_ALREADY_ACTIVE
    default_message = code.message


class PassNotActive(VrijuitError):
    status = ErrorCode.PASS_NOT_ACTIVE.status
    code = ErrorCode.PASS_NOT_ACTIVE
    default_message = code.message


class InvalidPassNumber(VrijuitError):
    code = ErrorCode.INVALID_PASS_NUMBER
    default_message = code.message
