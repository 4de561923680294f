import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vrijuit.core.tenancy import TenantQuerySet

from .constants import BlockReason, PassState
from .numbers import format_number


class Pass(models.Model):
    """A participant's card. The number and the card look the same with or without status."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="passes")
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="passes",
        verbose_name=_("participant"),
    )
    number = models.CharField(_("pass number"), max_length=13)
    state = models.CharField(
        _("state"), max_length=10, choices=PassState.choices, default=PassState.ACTIVE
    )
    block_reason = models.CharField(
        _("reason"), max_length=10, choices=BlockReason.choices, blank=True
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    blocked_at = models.DateTimeField(_("blocked"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    # The secret in the private link of the digital pass ("my pass" on a phone).
    access_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="pass_unique_number"),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(state=PassState.ACTIVE),
                name="pass_one_active_per_participant",
            ),
            models.CheckConstraint(
                name="pass_blocked_has_reason",
                condition=~Q(state=PassState.BLOCKED) | ~Q(block_reason=""),
            ),
        ]

    def __str__(self):
        return format_number(self.number)

    @property
    def number_display(self):
        return format_number(self.number)

    @property
    def is_active(self):
        return self.state == PassState.ACTIVE
