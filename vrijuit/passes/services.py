"""Writes for passes: issue, block, replace, and the private link of the digital pass."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vrijuit.core.errors import CommonError
from vrijuit.core.exceptions import VrijuitError
from vrijuit.participants.exceptions import AlreadyErased

from .constants import BlockReason, PassState
from .exceptions import PassAlreadyActive, PassNotActive
from .models import Pass
from .numbers import new_number


def _create_with_fresh_number(*, participant, issued_by):
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Pass.objects.create(
                    network=participant.network,
                    participant=participant,
                    number=new_number(),
                    issued_by=issued_by,
                    access_key=secrets.token_urlsafe(24),
                )
        except IntegrityError:
            if Pass.objects.filter(participant=participant, state=PassState.ACTIVE).exists():
                raise PassAlreadyActive() from None
            # a number collision (1 in 10^11): draw again
    raise RuntimeError("Could not draw a free pass number")


@transaction.atomic
def pass_issue(*, participant, issued_by=None):
    """Give a participant a pass. Refused when they already have an active one."""
    if participant.is_erased:
        raise AlreadyErased()
    if Pass.objects.filter(participant=participant, state=PassState.ACTIVE).exists():
        raise PassAlreadyActive()
    new_pass = _create_with_fresh_number(participant=participant, issued_by=issued_by)
    participant.last_activity_on = timezone.localdate()
    participant.save(update_fields=["last_activity_on"])
    return new_pass


@transaction.atomic
def pass_block(*, pass_, reason):
    """Block a lost, stolen or otherwise unusable pass; it can never be used again."""
    if reason not in BlockReason.values:
        raise VrijuitError(
            _("Choose why the pass is blocked: lost, stolen or other."),
            code=CommonError.VALIDATION_ERROR,
            errors={"reason": [_("Choose lost, stolen or other.")]},
        )
    pass_ = Pass.objects.for_network(pass_.network_id).select_for_update().get(pk=pass_.pk)
    if pass_.state != PassState.ACTIVE:
        raise PassNotActive()
    pass_.state, pass_.block_reason, pass_.blocked_at = PassState.BLOCKED, reason, timezone.now()
    pass_.access_key = None
    pass_.save(update_fields=["state", "block_reason", "blocked_at", "access_key"])
    return pass_


@transaction.atomic
def pass_replace(*, pass_, reason, issued_by=None):
    """Block the old pass (if still active) and give a new one; history stays with the person."""
    old = Pass.objects.for_network(pass_.network_id).select_for_update().get(pk=pass_.pk)
    if old.state == PassState.REPLACED:
        raise PassNotActive()
    if old.participant.is_erased:
        raise AlreadyErased()
    if old.state == PassState.ACTIVE:
        old = pass_block(pass_=old, reason=reason)
    new_pass = _create_with_fresh_number(participant=old.participant, issued_by=issued_by)
    old.state, old.replaced_by = PassState.REPLACED, new_pass
    old.save(update_fields=["state", "replaced_by"])
    return new_pass


@transaction.atomic
def pass_new_private_link(*, pass_):
    """A new private link for the digital pass; the old link stops working."""
    pass_.access_key = secrets.token_urlsafe(24)
    pass_.save(update_fields=["access_key"])
    return pass_
