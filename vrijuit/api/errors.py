"""Every context's catalogue of error codes, in the order ``docs/api.md`` lists them.

The API mounts above the domain apps, so it is the one place that knows them all:
``manage.py error_codes`` prints the table of ``docs/api.md`` from this list, and a test keeps
the two equal.
"""

from vrijuit.catalogue.constants import ErrorCode as CatalogueError
from vrijuit.checkins.constants import ErrorCode as CheckinError
from vrijuit.checkins.constants import RefusalCode
from vrijuit.core.errors import CommonError, markdown_table
from vrijuit.finance.constants import ErrorCode as FinanceError
from vrijuit.participants.constants import ErrorCode as ParticipantError
from vrijuit.passes.constants import ErrorCode as PassError

from .constants import ErrorCode as ApiError

CATALOGUES = (
    RefusalCode,
    CheckinError,
    CommonError,
    ApiError,
    ParticipantError,
    PassError,
    CatalogueError,
    FinanceError,
)


def error_code_table():
    """The table of ``docs/api.md``, "Error codes"."""
    return markdown_table(*CATALOGUES)
