"""Writes about staff accounts: two-factor enrolment, replacement, backup codes and reset.

Every change is one transaction and is audited in each network the person works in; a
replaced or reset two-factor login is announced to the person by e-mail, so that someone
who did not ask for it notices.
"""

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from vrijuit.core import audit
from vrijuit.core.models import AuditAction
from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm

from .models import AccountLanguage

BACKUP_CODE_COUNT = 10


def has_authenticator(user) -> bool:
    """Has this account a linked (confirmed) authenticator app?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def format_backup_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def normalise_backup_code(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def account_event_record(user, action, *, network_ids=None, changes=None):
    """An event of a staff account, in the audit log of each network where it is active."""
    if network_ids is None:
        network_ids = user.memberships.filter(is_active=True).values_list("network_id", flat=True)
    for network_id in network_ids:
        audit.record(
            action=action,
            network_id=network_id,
            object_type="auth.user",
            object_id=str(user.pk),
            object_repr=user.get_username(),
            changes=changes,
        )


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    tokens = []
    while len(tokens) < BACKUP_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in tokens:
            tokens.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return [format_backup_code(t) for t in tokens]


@transaction.atomic
def two_factor_confirm(*, user, device, request=None) -> list[str]:
    """Link ``device`` (an unconfirmed authenticator of ``user`` whose code was checked).

    A first link is an enrolment; if the account already had an app, that app stops
    working (the caller has checked the second step and the password) and the person
    gets an e-mail. Either way the account gets new backup codes, returned once.
    """
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
    is_replacement = replaced.exists()
    replaced.delete()
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    account_event_record(
        user, AuditAction.TWO_FACTOR_REPLACE if is_replacement else AuditAction.TWO_FACTOR
    )
    if is_replacement:
        transaction.on_commit(lambda: _send_account_mail(user, "replaced", request=request))
    return codes


@transaction.atomic
def backup_codes_create(*, user) -> list[str]:
    """New backup codes for ``user``; the old ones stop working."""
    codes = _new_backup_codes(user)
    account_event_record(user, AuditAction.BACKUP_CODES_NEW)
    return codes


def backup_code_used(*, user, left: int):
    """A backup code was accepted at the second step (django-otp has deleted it)."""
    account_event_record(user, AuditAction.BACKUP_CODE_USED, changes={"codes_left": [None, left]})


@transaction.atomic
def two_factor_reset(*, principal, membership, request=None):
    """A coordinator removes the two-factor login of a staff member of their network.

    The app and the backup codes stop working at once (a session that passed the second
    step with them is no longer verified); the person links a new app at their next login.
    """
    require(principal, Perm.MEMBERSHIP_MANAGE, membership)
    user = membership.user
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    network_ids = set(
        user.memberships.filter(is_active=True).values_list("network_id", flat=True)
    ) | {membership.network_id}
    account_event_record(user, AuditAction.TWO_FACTOR_RESET, network_ids=sorted(network_ids))
    transaction.on_commit(
        lambda: _send_account_mail(user, "reset", request=request, network=membership.network)
    )


def remember_language(user, language):
    if language in dict(settings.LANGUAGES):
        AccountLanguage.objects.update_or_create(user=user, defaults={"language": language})


def language_of(user, default=None):
    known = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return known or default or settings.LANGUAGE_CODE


def _send_account_mail(user, what, *, request=None, network=None):
    """Tell the person that their two-factor login was replaced or reset."""
    if not user.email:
        return
    # The person replacing their own app is reading the page in their language.
    own_request = request is not None and getattr(request, "user", None) == user
    language = translation.get_language() if own_request else language_of(user)
    by = getattr(request, "user", None) if not own_request else None
    context = {
        "user": user,
        "what": what,
        "network": network,
        "by": (by.get_full_name() or by.get_username()) if by is not None else "",
        "when": timezone.localtime(),
    }
    with translation.override(language):
        subject = render_to_string("accounts/two_factor_mail_subject.txt", context).strip()
        body = render_to_string("accounts/two_factor_mail.txt", context)
    send_mail(subject, body, None, [user.email])
