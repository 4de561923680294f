from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    VIEW = "view", _("viewed")
    SEARCH = "search", _("searched")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("logged in")
    LOGOUT = "logout", _("logged out")
    TOKEN_CREATE = "token_create", _("API token created")
    TOKEN_REVOKE = "token_revoke", _("API token revoked")
    TWO_FACTOR = "two_factor", _("two-factor login set up")
    TWO_FACTOR_REPLACE = "two_factor_replace", _("two-factor app replaced")
    TWO_FACTOR_RESET = "two_factor_reset", _("two-factor login reset")
    BACKUP_CODES_NEW = "backup_codes_new", _("new backup codes made")
    BACKUP_CODE_USED = "backup_code_used", _("backup code used")
    CANCEL = "cancel", _("cancelled")


class AuditEvent(models.Model):
    """One line of the audit log: who did what to which record, when, and from where.

    Rows are only ever added. Each row carries its network so that a coordinator reads
    the log of their own network only.
    """

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    source = models.CharField(_("through"), max_length=20, blank=True)
    action = models.CharField(_("what"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    context = models.CharField(_("screen or endpoint"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["network", "-occurred_at"], name="audit_network_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self):
        return (
            f"{self.occurred_at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )
