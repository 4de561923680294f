from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from vrijuit.core.models import AuditAction

from .services import account_event_record, remember_language


@receiver(user_logged_in, dispatch_uid="vrijuit_audit_login")
def on_login(sender, request, user, **kwargs):
    account_event_record(user, AuditAction.LOGIN)
    # E-mails about the account (a reset two-factor login) are written in this language.
    remember_language(user, getattr(request, "LANGUAGE_CODE", None))


@receiver(user_logged_out, dispatch_uid="vrijuit_audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        account_event_record(user, AuditAction.LOGOUT)
