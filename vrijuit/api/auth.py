from datetime import timedelta

from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from django.utils import timezone

from vrijuit.core import audit
from vrijuit.core.permissions import Principal

from .models import ApiToken, hash_token

LAST_USED_PRECISION = timedelta(minutes=5)


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``. Sets ``request.principal`` for the token's network."""

    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        api_token = (
            ApiToken.objects.select_related("network")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        # Record use at most every few minutes: a scan at the door should not pay for a write.
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        principal = Principal(
            network=api_token.network,
            role=api_token.role,
            organiser_id=api_token.organiser_id,
            token=api_token,
        )
        request.principal = principal
        ctx = audit.current_context()
        if ctx is not None:
            ctx.label = f"API: {api_token.name}"
            ctx.source = "api"
        return principal


class TokenRateThrottle(AuthRateThrottle):
    """Requests per token (not per address: many doors may share one public address)."""

    def get_cache_key(self, request):
        principal = getattr(request, "auth", None)
        if isinstance(principal, Principal) and principal.token is not None:
            return self.cache_format % {"scope": self.scope, "ident": principal.token.pk}
        return None


class AddressRateThrottle(AnonRateThrottle):
    """Requests per address for calls without a token."""
