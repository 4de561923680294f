"""Passes: issue, block and replace (docs/api.md). Paths carry the pass's id, never its number."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Router, Schema
from ninja.responses import Status

from vrijuit.core.errors import CommonError, described
from vrijuit.core.exceptions import NotFound
from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm
from vrijuit.participants.selectors import participant_get

from . import selectors, services
from .constants import BlockReason, ErrorCode, PassState

router = Router(tags=["passes"])


class PassOut(Schema):
    id: UUID
    number: str = Field(description="13 digits, the last a check digit.")
    state: PassState
    block_reason: str = Field(description="`lost`, `stolen` or `other` once blocked; else empty.")
    issued_at: datetime
    blocked_at: datetime | None
    participant: UUID = Field(alias="participant_id")
    replaced_by: UUID | None = Field(None, alias="replaced_by_id")


class BlockIn(Schema):
    reason: BlockReason


def _pass(principal, pass_id):
    pass_ = selectors.pass_get(principal.network, pass_id)
    if pass_ is None:
        raise NotFound()
    require(principal, Perm.PARTICIPANT_MANAGE, pass_)
    return pass_


@router.post(
    "/participants/{participant_id}/passes",
    response={201: PassOut},
    summary="Issue a pass (desk, social worker, coordinator); refused with a pass still active",
    description=described(
        "Answers with the new pass and its number.",
        ErrorCode.PASS_ALREADY_ACTIVE,
        CommonError.NOT_FOUND,
    ),
)
def pass_post(request, participant_id: UUID):
    principal = request.auth
    participant = participant_get(principal.network, participant_id, details=False)
    if participant is None:
        raise NotFound()
    require(principal, Perm.PARTICIPANT_MANAGE, participant)
    return Status(201, services.pass_issue(participant=participant, issued_by=principal.user))


@router.post(
    "/passes/{pass_id}/block",
    response=PassOut,
    summary="Block a lost, stolen or unusable pass (desk, social worker, coordinator)",
    description=described(
        "`pass_id` is the pass's id from the issue answer, not its number.",
        ErrorCode.PASS_NOT_ACTIVE,
        CommonError.VALIDATION_ERROR,
        CommonError.NOT_FOUND,
    ),
)
def pass_block(request, pass_id: UUID, payload: BlockIn):
    pass_ = _pass(request.auth, pass_id)
    return services.pass_block(pass_=pass_, reason=payload.reason)


@router.post(
    "/passes/{pass_id}/replace",
    response={201: PassOut},
    summary="Block a pass (if still active) and issue a new one (desk, social worker, coordinator)",
    description="Answers with the new pass; the old one is `replaced` and points to it.",
)
def pass_replace(request, pass_id: UUID, payload: BlockIn):
    principal = request.auth
    pass_ = _pass(principal, pass_id)
    return Status(
        201, services.pass_replace(pass_=pass_, reason=payload.reason, issued_by=principal.user)
    )
