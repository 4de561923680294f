from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from vrijuit.core import audit
from vrijuit.core.models import AuditAction

from .services import remember_language


def _record_for_networks(user, action):
    for network_id in user.memberships.filter(is_active=True).values_list("network_id", flat=True):
        audit.record(
            action=action,
            network_id=network_id,
            object_type="auth.user",
            object_id=str(user.pk),
            object_repr=user.get_username(),
        )


@receiver(user_logged_in, dispatch_uid="vrijuit_audit_login")
def on_login(sender, request, user, **kwargs):
    _record_for_networks(user, AuditAction.LOGIN)
    # E-mails about the account (a reset two-factor login) are written in this language.
    remember_language(user, getattr(request, "LANGUAGE_CODE", None))


@receiver(user_logged_out, dispatch_uid="vrijuit_audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record_for_networks(user, AuditAction.LOGOUT)
