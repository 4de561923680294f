from datetime import timedelta

from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from django.conf import settings
from django.db import connection
from django.utils import timezone

from vrijuit.core import audit, fastsql
from vrijuit.core.permissions import Principal
from vrijuit.networks.models import Network

from .models import ApiToken, hash_token

LAST_USED_PRECISION = timedelta(minutes=5)


# Every API request reads its token and the token's network: one statement written out once
# (vrijuit.core.fastsql), the same rows and instances as
# ``ApiToken.objects.select_related("network").filter(key_hash=…, revoked_at__isnull=True)``.
_TOKEN = fastsql.Shape(
    ("t", ApiToken, [f.attname for f in ApiToken._meta.concrete_fields]),
    ("n", Network, [f.attname for f in Network._meta.concrete_fields]),
)
_TOKEN_SQL = (
    f"SELECT {_TOKEN.columns} FROM {fastsql.table(ApiToken)} t "  # noqa: S608
    f"INNER JOIN {fastsql.table(Network)} n ON n.{fastsql.qn('id')} = t."
    f"{fastsql.column(ApiToken, 'network')} WHERE t.{fastsql.column(ApiToken, 'key_hash')} = %s "
    f"AND t.{fastsql.column(ApiToken, 'revoked_at')} IS NULL"
)


def _token_with_network(key_hash):
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_SQL, [key_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    api_token, network = _TOKEN.instances(row)
    api_token.network = network
    return api_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``. Sets ``request.principal`` for the token's network."""

    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        api_token = _token_with_network(hash_token(token))
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


class RateFromSettings:
    """Read the rate from ``settings.<rate_setting>`` on every request.

    ninja parses a throttle's rate once, when the API module is imported; reading the setting
    per request lets ``override_settings`` (and tests) change it.
    """

    rate_setting = ""

    def __init__(self):
        super().__init__(rate=getattr(settings, self.rate_setting))

    def allow_request(self, request):
        rate = getattr(settings, self.rate_setting)
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class TokenRateThrottle(RateFromSettings, AuthRateThrottle):
    """Requests per token (not per address: many doors may share one public address)."""

    rate_setting = "API_RATE_AUTHENTICATED"

    def get_cache_key(self, request):
        principal = getattr(request, "auth", None)
        if isinstance(principal, Principal) and principal.token is not None:
            return self.cache_format % {"scope": self.scope, "ident": principal.token.pk}
        return None


class AddressRateThrottle(RateFromSettings, AnonRateThrottle):
    """Requests per address for calls without a token."""

    rate_setting = "API_RATE_ANONYMOUS"
