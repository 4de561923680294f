"""Catalogues of error codes: one enum per context, each code with its HTTP status and message.

A code is a stable machine word that programs read (``docs/api.md``, "Error codes"); its
message is the plain sentence a person reads when nothing more precise was said where the
error was raised. Each context declares its codes once, in its ``constants.py``
(``class ErrorCode(ErrorCatalogue)``); raising code uses the members, never a bare string
(``core/tests/test_error_codes.py`` checks). The API's descriptions of endpoints and the table
in ``docs/api.md`` are rendered from these enums (``described``, ``markdown_table``).
"""

from enum import Enum, StrEnum

from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ErrorCatalogue(StrEnum):
    """Base of a context's catalogue. A member is declared as
    ``NAME = "code", status, _("message")`` and compares equal to its code."""

    def __new__(cls, code, status, message):
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        member.message = message
        return member


class CommonError(ErrorCatalogue):
    """Codes every context may answer with (``core.exceptions``)."""

    REFUSED = "refused", 422, _("This is not possible. Please check what you entered.")
    VALIDATION_ERROR = (
        "validation_error",
        422,
        _("Some fields are missing or not valid. Correct them and try again."),
    )
    NOT_FOUND = (
        "not_found",
        404,
        _("We could not find this. It may have been removed, or it is not part of your network."),
    )
    FORBIDDEN = (
        "forbidden",
        403,
        _("Your role does not allow this. Ask your network coordinator if you need it."),
    )
    CONFLICT = (
        "conflict",
        409,
        _("This conflicts with a change made meanwhile. Reload and try again."),
    )


def entries(*catalogues):
    """``(code, status, message)`` per code of ``catalogues`` (enums or single members), in
    order, each code once. A catalogue member needs ``status`` and ``message``."""
    seen, rows = set(), []
    for catalogue in catalogues:
        members = [catalogue] if isinstance(catalogue, Enum) else list(catalogue)
        for member in members:
            if member.value in seen:
                continue
            seen.add(member.value)
            rows.append((member.value, member.status, member.message))
    return rows


def code_lines(*catalogues, language="en"):
    """One Markdown line per code: "- `code` (status): message", in ``language``."""
    with translation.override(language):
        return [
            f"- `{code}` ({status}): {message}" for code, status, message in entries(*catalogues)
        ]


def described(text, *catalogues):
    """An endpoint's OpenAPI description: ``text``, then the codes it may answer with."""
    return "\n".join([text, "", "Error codes:", "", *code_lines(*catalogues)])


def markdown_table(*catalogues, language="en"):
    """The error code table of ``docs/api.md``: code, status, what it means."""
    lines = ["| code | status | what it means |", "|---|---|---|"]
    with translation.override(language):
        for code, status, message in entries(*catalogues):
            lines.append(f"| `{code}` | {status} | {message} |")
    return "\n".join(lines)
