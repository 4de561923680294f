import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vrijuit.core import audit
from vrijuit.core.errors import CommonError
from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.models import AuditAction
from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm, Role, is_organiser_bound

from .constants import ErrorCode
from .models import TOKEN_PREFIX, ApiToken, hash_token


@transaction.atomic
def api_token_create(*, network, role, name, organiser=None, created_by=None):
    """Create a token; returns ``(token, raw)``. The raw token is shown once and not stored."""
    if role not in Role.values:
        raise VrijuitError(_("Unknown role."), code=ErrorCode.INVALID_ROLE)
    if is_organiser_bound(role) and organiser is None:
        raise VrijuitError(
            _("A token for an organiser needs the organiser."), code=ErrorCode.ORGANISER_REQUIRED
        )
    if not is_organiser_bound(role):
        organiser = None
    if organiser is not None and organiser.network_id != network.pk:
        raise VrijuitError(
            _("This organiser belongs to another network."), code=CommonError.NOT_FOUND, status=404
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        network=network,
        role=role,
        name=name.strip()[:100],
        organiser=organiser,
        key_hash=hash_token(raw),
        key_hint=raw[:8],
        created_by=created_by,
    )
    audit.record(action=AuditAction.TOKEN_CREATE, obj=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, principal, token):
    """Stop a token from working. The row stays, for the audit log."""
    require(principal, Perm.APITOKEN_MANAGE, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(action=AuditAction.TOKEN_REVOKE, obj=token)
    return token
