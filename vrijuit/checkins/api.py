"""The tariff question, check-in and cancellation (docs/api.md), and what a scanner needs around
them: today's dates that are open for check-in and the check-ins of a date.

Answers carry the participant's first name only: an organiser greets the person and never
receives anything else about them.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import APIKeyCookie

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from vrijuit.api.auth import BearerToken
from vrijuit.core.dates import ApiDate, ApiDateTime
from vrijuit.core.errors import CommonError, described
from vrijuit.core.exceptions import NotFound
from vrijuit.core.money import format_eur
from vrijuit.core.permissions import can, principal_for_user, require
from vrijuit.core.roles import Perm
from vrijuit.networks.models import Network
from vrijuit.participants.constants import StatusState

from . import selectors, services
from .constants import CheckInState, ErrorCode, OfflineState, RefusalCode

router = Router(tags=["check-in"])

NETWORK_HEADER = "X-Vrijuit-Network"


class StaffSession(APIKeyCookie):
    """A logged-in staff member's session (the scanner page), with CSRF protection.

    The network is named in the ``X-Vrijuit-Network`` header; the member's role there
    decides, as for a token.
    """

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The session of a logged-in staff member (the scanner page), with the CSRF token in "
        "`X-CSRFToken` and the network's slug in `X-Vrijuit-Network`."
    )

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        slug = request.headers.get(NETWORK_HEADER, "")
        if user is None or not user.is_authenticated or not slug or len(slug) > 60:
            return None
        network = Network.objects.filter(slug=slug).first()
        principal = principal_for_user(user, network) if network else None
        if principal is None:
            return None
        if (
            network.require_two_factor
            and can(principal, Perm.PERSONAL_DATA_VIEW)
            and not user.is_verified()
        ):
            return None
        request.principal = principal
        return principal


AUTH = [BearerToken(), StaffSession()]

MONEY = Field(description='Euros with two decimals, as a string: `"2.40"`.')


class TariffIn(Schema):
    pass_number: str = Field(
        max_length=40, description="13 digits; spaces, dots and dashes are ignored."
    )
    occurrence: UUID = Field(description="The id of the date (occurrence).")


class TariffOut(Schema):
    price_to_pay: Decimal | None = Field(
        description="What to charge: the reduced price, or the regular price when refused."
    )
    regular_price: Decimal | None
    status_state: StatusState = Field(
        description="`active`, `grace`, `expired`, `suspended` or `none`; never the basis."
    )
    first_name: str | None = Field(description="To greet the person; nothing else about them.")
    grace_period: bool
    code: str | None = Field(None, description="The refusal a check-in would get, if any.")
    detail: str | None = Field(None, description="What to tell the person, if refused.")
    message: str = Field(description="One line to show on the scanner.")


class CheckinIn(Schema):
    pass_number: str = Field(
        max_length=40, description="13 digits; spaces, dots and dashes are ignored."
    )
    occurrence: UUID
    idempotency_key: UUID = Field(
        description="A new UUID per scan. Sending it again returns the first answer again."
    )
    scanned_at: ApiDateTime | None = Field(
        None, description="When an offline device scanned the pass: at most 7 days ago."
    )


class CheckinOut(Schema):
    id: UUID
    state: CheckInState
    occurrence: UUID = Field(alias="occurrence_id")
    activity: str = Field(alias="activity.title")
    scanned_at: datetime
    received_at: datetime
    price_to_pay: Decimal = Field(alias="paid")
    regular_price: Decimal
    discount: Decimal
    reimbursement: Decimal
    first_name: str | None
    grace_period: bool
    message: str
    cancelled_at: datetime | None
    may_cancel: bool = Field(
        description="Whether the caller may cancel this check-in now (24 hours for organisers "
        "and desk staff; never once an approved statement holds it)."
    )
    cancel_refusal: str | None = Field(
        description="Why it can no longer be cancelled (for an accepted check-in), else null."
    )


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class OccurrenceOut(Schema):
    id: UUID
    activity: str
    organiser: str
    start: datetime
    end: datetime | None
    cancelled: bool
    open_for_checkin: bool
    regular_price: Decimal
    reduced_price: Decimal
    checked_in: int


class OfflineDateOut(Schema):
    id: UUID
    activity_id: UUID = Field(description="For the yearly limit per activity.")
    opens: datetime = Field(description="Check-in opens (2 hours before the start).")
    closes: datetime = Field(description="Check-in closes (the end, or the end of the day).")
    cancelled: bool
    regular_price: Decimal
    reduced_price: Decimal
    discount: Decimal
    reimbursement: Decimal


class OfflineLimitsOut(Schema):
    checkins_per_activity_per_year: int | None
    discount_per_year: Decimal | None
    budget_left: Decimal | None = Field(
        description="What is left of this year's budget when the network stops at the budget; "
        "`null` when it does not or has no budget."
    )


class OfflinePassesOut(Schema):
    states: list[OfflineState] = Field(
        description="One per day of `days`: `active`, `grace`, `none` (no reduced tariff), "
        "`blocked` (blocked or replaced) or `unsure` (two passes share the hash)."
    )
    hashes: list[str] = Field(description="Hashes of the pass numbers in this state.")


class OfflineHistoryOut(Schema):
    checked_in: list[UUID] = Field([], description="Dates of `dates` already checked in at.")
    checkins_left: dict[str, int] = Field(
        {},
        description="Per activity id: reduced check-ins left this year, where fewer than "
        "the limit.",
    )
    discount_left: Decimal | None = Field(
        None, description="Discount left this year, where less than the limit."
    )


class OfflineDataOut(Schema):
    generated_at: datetime
    stale_after_hours: int = Field(
        description="After this many hours the scanner says its answers are subject to "
        "confirmation."
    )
    refresh_minutes: int = Field(description="How often a connected scanner downloads again.")
    key: str = Field(description="The network's key (hexadecimal) for the hashes of pass numbers.")
    hash_length: int = Field(
        description="A pass's hash: the first `hash_length` hexadecimal characters of "
        "HMAC-SHA256(key, the 13 digits)."
    )
    days: list[date] = Field(description="The days that `states` are about: today, tomorrow.")
    year: int = Field(description="The year that `history` and `budget_left` are about.")
    limits: OfflineLimitsOut
    dates: list[OfflineDateOut]
    passes: list[OfflinePassesOut] = Field(description="Every pass of the network, by state.")
    history: dict[str, OfflineHistoryOut] = Field(
        description="Per hash, for passes with check-ins that matter for these dates."
    )


def _greeting(first_name, paid, grace):
    text = _("Charge %(amount)s") % {"amount": format_eur(paid)}
    if first_name:
        text = f"{first_name} — {text}"
    if grace:
        text += ". " + _(
            "Grace period: the reduced tariff has ended but still applies for a short time. "
            "Ask the person to renew it at the desk."
        )
    return text


def _checkin_out(checkin, principal):
    refusal = None
    if checkin.state == CheckInState.ACCEPTED:
        refusal = services.cancel_refusal(principal, checkin)
    checkin.may_cancel = checkin.state == CheckInState.ACCEPTED and refusal is None
    checkin.cancel_refusal = str(refusal.message) if refusal is not None else None
    first_name = checkin.participant.first_name or None
    checkin.first_name = first_name
    checkin.message = _greeting(first_name, checkin.paid, checkin.grace_period)
    if checkin.state == CheckInState.CANCELLED:
        checkin.message = _("Cancelled.")
    return checkin


@router.post(
    "/tariffs",
    response=TariffOut,
    auth=AUTH,
    summary="What does this pass pay for this date? (organiser, desk, coordinator)",
    description=described(
        "Evaluates the check-in rules without checking in. Always 200 for a well-formed "
        "question: when a check-in would be refused, `code` and `detail` say why and "
        "`price_to_pay` is the regular price. The codes `code` can take:",
        RefusalCode,
    ),
)
def tariff_post(request, payload: TariffIn):
    decision = services.tariff_ask(
        principal=request.auth, pass_number=payload.pass_number, occurrence_id=payload.occurrence
    )
    if decision.accepted:
        message = _greeting(decision.first_name, decision.price_to_pay, decision.grace_period)
    else:
        message = str(decision.message)
    return {
        "price_to_pay": decision.price_to_pay,
        "regular_price": decision.regular_price,
        "status_state": decision.state,
        "first_name": decision.first_name,
        "grace_period": decision.grace_period,
        "code": decision.code,
        "detail": None if decision.accepted else str(decision.message),
        "message": message,
    }


@router.post(
    "/checkins",
    response={200: CheckinOut, 201: CheckinOut},
    auth=AUTH,
    summary="Check a pass in at a date (organiser, desk, coordinator)",
    description=described(
        "201 with the price to charge, or a problem with a code of the check-in rules "
        "(docs/rules.md). The same `idempotency_key` again returns the first answer (200 for "
        "an earlier check-in). `scanned_at`: an offline scan, evaluated as of then.",
        RefusalCode,
        ErrorCode.SCAN_TOO_OLD,
        ErrorCode.SCAN_IN_FUTURE,
        CommonError.VALIDATION_ERROR,
    ),
)
def checkin_post(request, payload: CheckinIn):
    outcome = services.checkin_create(
        principal=request.auth,
        pass_number=payload.pass_number,
        occurrence_id=payload.occurrence,
        idempotency_key=payload.idempotency_key,
        scanned_at=payload.scanned_at,
    )
    if outcome.checkin is None:
        raise services.refusal_for(outcome)
    if outcome.replayed:
        checkin = checkin_or_404(request.auth, outcome.checkin.pk)
        return Status(200, _checkin_out(checkin, request.auth))
    # A new check-in: answer from what was just stored (the rules made sure that an organiser
    # checked in at their own activity), as the database gives it back (times in UTC).
    checkin = outcome.checkin
    checkin.scanned_at = checkin.scanned_at.astimezone(UTC)
    checkin.received_at = checkin.received_at.astimezone(UTC)
    return Status(201, _checkin_out(checkin, request.auth))


@router.post(
    "/checkins/{checkin_id}/cancel",
    response=CheckinOut,
    auth=AUTH,
    summary="Cancel a check-in (organiser: own, within 24 h; coordinator: any time)",
    description=described(
        "Answers with the cancelled check-in; its reimbursement goes back to the budget.",
        ErrorCode.CANCEL_TOO_LATE,
        ErrorCode.CHECKIN_LOCKED,
        CommonError.NOT_FOUND,
    ),
)
def checkin_cancel(request, checkin_id: UUID, payload: CancelIn | None = None):
    services.checkin_cancel(
        principal=request.auth,
        checkin_id=checkin_id,
        reason=payload.reason if payload else "",
    )
    return _checkin_out(checkin_or_404(request.auth, checkin_id), request.auth)


@router.get(
    "/checkins",
    response=list[CheckinOut],
    auth=AUTH,
    summary="Check-ins of one date, or of one day (organiser: own; desk, coordinator)",
)
def checkin_list(request, occurrence: UUID | None = None, day: ApiDate | None = None):
    principal = request.auth
    require(principal, Perm.CHECKIN)
    checkins = selectors.checkins_for(
        principal, occurrence_id=occurrence, day=day or timezone.localdate()
    )
    return [_checkin_out(c, principal) for c in checkins]


@router.get(
    "/checkin-dates",
    response=list[OccurrenceOut],
    auth=AUTH,
    summary="The dates of a day that a scanner can choose (organiser: own; desk, coordinator)",
)
def checkin_dates(request, day: ApiDate | None = None):
    principal = request.auth
    require(principal, Perm.CHECKIN)
    return selectors.checkin_dates(principal, day or timezone.localdate())


def checkin_or_404(principal, checkin_id):
    checkin = selectors.checkin_get(principal, checkin_id)
    if checkin is None:
        raise NotFound()
    return checkin


@router.get(
    "/checkin-offline-data",
    response=OfflineDataOut,
    auth=AUTH,
    exclude_defaults=True,  # a pass's history only says what it has
    summary="What a scanner keeps to answer without a connection (organiser, desk, coordinator)",
    description=(
        "For today and tomorrow: the dates the caller may scan (organiser: own) with their "
        "prices, and every pass of the network as a short keyed hash with its state per day, "
        "the dates it is already checked in at and what the yearly limits leave. No names, no "
        "birth dates. A scanner downloads it every `refresh_minutes` while online; the check-ins "
        "it makes offline are sent later and decided by the server (docs/privacy.md)."
    ),
)
def checkin_offline_data(request, response: HttpResponse):
    require(request.auth, Perm.CHECKIN)
    response["Cache-Control"] = "private, no-store"
    return selectors.offline_data(request.auth)
