"""Participants, their reduced-tariff status, and the GDPR export and erasure (docs/api.md).

Organisers reach none of these endpoints: they never receive a last name, birth date,
address, contact details or status basis.
"""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vrijuit.core.dates import ApiDate
from vrijuit.core.errors import CommonError, described
from vrijuit.core.exceptions import NotFound, VrijuitError
from vrijuit.core.permissions import can, require
from vrijuit.core.roles import Perm
from vrijuit.networks.models import Partner
from vrijuit.passes.constants import PassState

from . import selectors, services
from .constants import Basis, ErrorCode, Language, StatusState

router = Router(tags=["participants"])

BASIS_NOTE = (
    "Only for roles that may see why someone has the reduced tariff (social worker, "
    "coordinator, and desk staff where the network lets them grant the status); "
    "left out of the answer otherwise."
)
SEARCH_HELP = (
    "`q` is a part of a name (`jan pe` finds Jan Peeters), a birth date (`2011-04-30` or "
    "`30/04/2011`) or a pass number. Pass numbers should not travel in addresses (they end "
    "up in logs): to search by pass number, prefer `POST /participants/search` with the "
    "number in the body. At most 25 people are returned."
)


# --- schemas -----------------------------------------------------------------------------


class ParticipantIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: ApiDate = Field(description="YYYY-MM-DD, from 1900-01-01 until today.")
    postal_code: str = Field(
        min_length=1, max_length=10, description="Of one of the network's municipalities."
    )
    street: str | None = Field("", max_length=200)
    email: str | None = Field("", max_length=254)
    phone: str | None = Field("", max_length=30)
    language: Language = Language.NL
    household: UUID | None = Field(None, description="A household of the same network.")


class ParticipantPatchIn(Schema):
    """Only the fields sent are changed; a field left out stays as it is."""

    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    birth_date: date | None = Field(None, description="YYYY-MM-DD, from 1900-01-01 until today.")
    postal_code: str | None = Field(
        None, max_length=10, description="Four digits, of one of the network's municipalities."
    )
    street: str | None = Field(None, max_length=200, description='`null` or `""` clears it.')
    email: str | None = Field(None, max_length=254, description='`null` or `""` clears it.')
    phone: str | None = Field(None, max_length=30, description='`null` or `""` clears it.')
    language: Language | None = None


class HouseholdMemberOut(Schema):
    id: UUID
    first_name: str


class HouseholdOut(Schema):
    id: UUID
    members: list[HouseholdMemberOut] = Field(description="Everyone in it, this person too.")


class StatusOut(Schema):
    id: UUID
    participant: UUID
    valid_from: date
    valid_until: date
    state: StatusState = Field(description="The state of this period today (Europe/Brussels).")
    suspended_from: date | None
    suspended_until: date | None
    ended_on: date | None
    basis: Basis | None = Field(None, description=BASIS_NOTE)
    note: str | None = Field(None, description=BASIS_NOTE)


class PassSummaryOut(Schema):
    id: UUID
    number: str
    state: PassState
    block_reason: str
    issued_at: datetime


class ParticipantOut(Schema):
    id: UUID
    first_name: str
    last_name: str
    birth_date: date
    postal_code: str
    municipality: str | None
    street: str
    email: str
    phone: str
    language: Language
    household: HouseholdOut | None
    status_state: StatusState = Field(
        description="The best state over all statuses today (Europe/Brussels)."
    )
    active_pass: PassSummaryOut | None
    statuses: list[StatusOut]
    passes: list[PassSummaryOut]
    erased_at: datetime | None


class ParticipantCreatedOut(ParticipantOut):
    possible_duplicates: list[UUID] = Field(
        description="People already registered who may be the same person (same birth date "
        "and first or last name). The new record is made anyway."
    )


class ParticipantListItemOut(Schema):
    id: UUID
    first_name: str
    last_name: str
    birth_date: date
    postal_code: str
    status_state: StatusState
    active_pass_number: str | None


class SearchIn(Schema):
    q: str = Field(max_length=200, description=SEARCH_HELP)


class StatusGrantIn(Schema):
    basis: Basis
    valid_from: ApiDate = Field(description="YYYY-MM-DD, 1900–2100.")
    valid_until: ApiDate | None = Field(
        None,
        description="Default: the network's validity (end of the year, or N months); with "
        "end-of-year validity, a status given in the network's last months of the year runs "
        "until the end of the next year (`GET /me`, `status_rules`).",
    )
    note: str = Field("", max_length=300, description="What was seen; never documents.")
    include_household: bool = Field(
        False, description="Also grant it to the other members of the person's household."
    )


class StatusGrantOut(StatusOut):
    household_statuses: list[StatusOut] = Field(
        description="With `include_household`: the statuses made for the other members."
    )


class ExportParticipantOut(Schema):
    id: UUID
    first_name: str
    last_name: str
    birth_date: date
    postal_code: str
    municipality: str | None
    street: str
    email: str
    phone: str
    language: str
    registered_at: datetime
    updated_at: datetime
    last_activity_on: date
    erased_at: datetime | None


class ExportHouseholdOut(HouseholdOut):
    label: str


class ExportStatusOut(Schema):
    id: UUID
    basis: str
    valid_from: date
    valid_until: date
    note: str
    granted_by: str
    partner: str | None
    suspended_from: date | None
    suspended_until: date | None
    suspend_reason: str
    ended_on: date | None
    end_reason: str
    created_at: datetime


class ExportPassOut(Schema):
    id: UUID
    number: str
    state: str
    block_reason: str
    issued_at: datetime
    blocked_at: datetime | None
    replaced_by: UUID | None


class ExportParticipationOut(Schema):
    id: UUID
    day: date = Field(description="The day of the check-in (Europe/Brussels).")
    scanned_at: datetime
    activity: str
    organiser: str
    regular_price: str = Field(description="In euros, two decimals, e.g. `12.00`.")
    paid: str = Field(description="What the person paid, in euros, e.g. `2.40`.")
    pass_number: str
    state: str = Field(description="`accepted` or `cancelled`.")
    cancelled_at: datetime | None


class ExportNoteOut(Schema):
    id: UUID
    text: str
    author: str
    created_at: datetime


class ExportAccessOut(Schema):
    occurred_at: datetime
    action: str
    actor: str
    source: str
    context: str
    changes: dict


class ExportOut(Schema):
    participant: ExportParticipantOut
    household: ExportHouseholdOut | None
    statuses: list[ExportStatusOut]
    passes: list[ExportPassOut]
    participations: list[ExportParticipationOut]
    notes: list[ExportNoteOut]
    access_log: list[ExportAccessOut]


class ErasedOut(Schema):
    id: UUID
    erased_at: datetime


# --- shaping -----------------------------------------------------------------------------


def _status(status, today, grace_days, with_basis):
    shaped = {
        "id": status.pk,
        "participant": status.participant_id,
        "valid_from": status.valid_from,
        "valid_until": status.valid_until,
        "state": status.state_on(today, grace_days),
        "suspended_from": status.suspended_from,
        "suspended_until": status.suspended_until,
        "ended_on": status.ended_on,
    }
    if with_basis:
        shaped["basis"], shaped["note"] = status.basis, status.note
    return shaped


def _pass(pass_):
    return {
        "id": pass_.pk,
        "number": pass_.number,
        "state": pass_.state,
        "block_reason": pass_.block_reason,
        "issued_at": pass_.issued_at,
    }


def _record(principal, participant):
    """The record as a dict; ``basis`` and ``note`` only for who may see them.

    The endpoints that answer with it drop unset fields (``exclude_unset``), so that a
    status without its basis has no ``basis`` key at all rather than ``null``.
    """
    today = timezone.localdate()
    with_basis = can(principal, Perm.STATUS_BASIS_VIEW, participant)
    statuses = list(participant.statuses.all())
    passes = list(participant.passes.all())
    household = None
    if participant.household_id:
        members = participant.household.members.all()
        household = {
            "id": participant.household_id,
            "members": [{"id": m.pk, "first_name": m.first_name} for m in members],
        }
    grace_days = principal.network.grace_days
    return {
        **selectors.participant_identity(participant),
        "household": household,
        "status_state": selectors.status_state(participant, today, statuses)[0],
        "active_pass": next((_pass(p) for p in passes if p.state == PassState.ACTIVE), None),
        "statuses": [_status(s, today, grace_days, with_basis) for s in statuses],
        "passes": [_pass(p) for p in passes],
        "erased_at": participant.erased_at,
    }


def _list_item(person):
    return {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "postal_code": person.postal_code,
        "status_state": person.state,
        "active_pass_number": person.active_pass.number if person.active_pass else None,
    }


def _invalid(errors):
    return VrijuitError(
        _("Some fields are missing or not valid. Correct them and try again."),
        code=CommonError.VALIDATION_ERROR,
        errors=errors,
    )


def _participant(principal, participant_id, *, details=True):
    participant = selectors.participant_get(principal.network, participant_id, details=details)
    if participant is None:
        raise NotFound()
    return participant


def _search(request, q):
    principal = request.auth
    require(principal, Perm.PERSONAL_DATA_VIEW)
    people = selectors.participant_search_results(principal.network, q, day=timezone.localdate())
    services.participant_search_record(
        network=principal.network, people=people, screen="api:participant-search"
    )
    return [_list_item(person) for person in people]


# --- endpoints ---------------------------------------------------------------------------


@router.post(
    "",
    response={201: ParticipantCreatedOut},
    exclude_unset=True,
    summary="Register a participant (desk, social worker, coordinator)",
    description=described(
        "Answers with the new participant's id.",
        CommonError.VALIDATION_ERROR,
        ErrorCode.POSTAL_CODE_OUTSIDE_NETWORK,
    ),
)
def participant_post(request, payload: ParticipantIn):
    principal = request.auth
    require(principal, Perm.PARTICIPANT_MANAGE)
    household = None
    if payload.household:
        household = selectors.household_get(principal.network, payload.household)
        if household is None:
            raise _invalid({"household": [_("This household is not part of your network.")]})
    try:
        participant = services.participant_register(
            network=principal.network,
            first_name=payload.first_name,
            last_name=payload.last_name,
            birth_date=payload.birth_date,
            postal_code=payload.postal_code,
            street=payload.street or "",
            email=payload.email or "",
            phone=payload.phone or "",
            language=payload.language,
            household=household,
        )
    except DjangoValidationError as exc:
        raise _invalid(
            {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        ) from exc
    duplicates = selectors.possible_duplicates(
        principal.network,
        first_name=participant.first_name,
        last_name=participant.last_name,
        birth_date=participant.birth_date,
    )
    record = _record(principal, _participant(principal, participant.pk))
    record["possible_duplicates"] = [p.pk for p in duplicates if p.pk != participant.pk]
    return HttpStatus(201, record)


@router.get(
    "",
    response=list[ParticipantListItemOut],
    summary="Search participants by name, birth date or pass number",
    description=SEARCH_HELP,
)
def participant_list(request, q: str = Query("", max_length=200, description=SEARCH_HELP)):
    return _search(request, q)


# Declared before "/{participant_id}" so that the address is not read as an id.
@router.post(
    "/search",
    response=list[ParticipantListItemOut],
    summary="Search participants, the query in the body (use this for pass numbers)",
    description="The same search as `GET /participants?q=`, with `q` in the body so that a "
    "pass number never appears in an address or a log.",
)
def participant_search(request, payload: SearchIn):
    return _search(request, payload.q)


@router.get(
    "/{participant_id}",
    response=ParticipantOut,
    exclude_unset=True,
    summary="A participant's record; each call is written to the access log",
)
def participant_get(request, participant_id: UUID):
    principal = request.auth
    participant = _participant(principal, participant_id)
    require(principal, Perm.PERSONAL_DATA_VIEW, participant)
    services.participant_view_record(participant=participant, screen="api:participant")
    return _record(principal, participant)


@router.patch(
    "/{participant_id}",
    response=ParticipantOut,
    exclude_unset=True,
    summary="Correct a participant's details (desk, social worker, coordinator)",
    description=described(
        "A partial update: send only the fields to change (address, postal code, "
        "e-mail, phone, language, or a typo in the name or birth date). Every field is checked "
        "before anything is stored; a problem response (`validation_error`, or "
        "`postal_code_outside_network`) names each field that is not valid in `errors`. The "
        "change is in the audit log (personal values masked) and the answer, the corrected "
        "record, in the access log. An erased person cannot be corrected (409 `already_erased`).",
        CommonError.VALIDATION_ERROR,
        ErrorCode.POSTAL_CODE_OUTSIDE_NETWORK,
        ErrorCode.ALREADY_ERASED,
        CommonError.NOT_FOUND,
    ),
)
def participant_patch(request, participant_id: UUID, payload: ParticipantPatchIn):
    principal = request.auth
    participant = _participant(principal, participant_id, details=False)
    require(principal, Perm.PARTICIPANT_MANAGE, participant)
    services.participant_update(participant=participant, **payload.dict(exclude_unset=True))
    participant = _participant(principal, participant_id)
    services.participant_view_record(participant=participant, screen="api:participant-patch")
    return _record(principal, participant)


@router.post(
    "/{participant_id}/statuses",
    response={201: StatusGrantOut},
    exclude_unset=True,
    summary="Grant the reduced-tariff status (social worker, coordinator; desk if allowed)",
    description=described(
        "Answers with the status made for this participant; with `include_household` "
        "the statuses of the other household members are in `household_statuses` (else empty).",
        ErrorCode.STATUS_REFUSED,
        CommonError.VALIDATION_ERROR,
        CommonError.NOT_FOUND,
    ),
)
def status_post(request, participant_id: UUID, payload: StatusGrantIn):
    principal = request.auth
    participant = _participant(principal, participant_id, details=False)
    require(principal, Perm.STATUS_GRANT, participant)
    partner = None
    if principal.partner_id:
        partner = Partner.objects.filter(network=principal.network, pk=principal.partner_id).first()
    statuses = services.status_grant(
        participant=participant,
        basis=payload.basis,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        note=payload.note,
        include_household=payload.include_household,
        granted_by=principal.user,
        granted_by_label=principal.label,
        partner=partner,
    )
    today, grace_days = timezone.localdate(), principal.network.grace_days
    with_basis = can(principal, Perm.STATUS_BASIS_VIEW, participant)
    own, *others = (_status(s, today, grace_days, with_basis) for s in statuses)
    return HttpStatus(201, {**own, "household_statuses": others})


@router.get(
    "/{participant_id}/export",
    response=ExportOut,
    summary="Everything held about a person, GDPR access (coordinator)",
    description="The export is written to the access log (action `export`).",
)
def participant_export(request, participant_id: UUID):
    principal = request.auth
    participant = _participant(principal, participant_id, details=False)
    require(principal, Perm.PARTICIPANT_GDPR, participant)
    data = selectors.participant_export(participant)
    services.participant_export_record(participant=participant, screen="api:participant-export")
    return data


@router.post(
    "/{participant_id}/erase",
    response=ErasedOut,
    summary="Erase a person's identity; anonymous facts stay for statistics (coordinator)",
    description=described(
        "Answers with what was erased.", ErrorCode.ALREADY_ERASED, CommonError.NOT_FOUND
    ),
)
def participant_erase(request, participant_id: UUID):
    principal = request.auth
    participant = _participant(principal, participant_id, details=False)
    require(principal, Perm.PARTICIPANT_GDPR, participant)
    return services.participant_erase(participant=participant)
