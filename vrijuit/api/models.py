import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vrijuit.core.roles import Role

TOKEN_PREFIX = "vu_"  # noqa: S105 (a prefix, not a secret)


def hash_token(raw: str) -> str:
    """Tokens are long random strings, so one SHA-256 is enough; only the hash is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for one network and one role (and, for organisers, one organiser)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Where the token is used, for example 'door swimming pool'."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organiser = models.ForeignKey(
        "catalogue.Organiser",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("organiser"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="apitoken_organiser_role",
                condition=(
                    Q(role=Role.ORGANISER, organiser__isnull=False)
                    | (~Q(role=Role.ORGANISER) & Q(organiser__isnull=True))
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def is_active(self):
        return self.revoked_at is None
