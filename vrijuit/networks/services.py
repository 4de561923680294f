from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm, is_organiser_bound

from .models import Membership


@transaction.atomic
def network_settings_update(*, principal, data):
    """Save the coordinator's changes to the network (validated by the model)."""
    require(principal, Perm.NETWORK_MANAGE)
    network = principal.network
    for field, value in data.items():
        setattr(network, field, value)
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def membership_invite(
    *, principal, first_name, last_name, email, role, partner=None, organiser=None, request=None
):
    """Give someone a role in the principal's network; a new account gets an e-mail to
    choose a password."""
    require(principal, Perm.MEMBERSHIP_MANAGE)
    network = principal.network
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(
            username=email.lower(), email=email.lower(), first_name=first_name, last_name=last_name
        )
        user.set_unusable_password()
        user.save()
    membership = Membership(
        network=network,
        user=user,
        role=role,
        partner=partner,
        organiser=organiser if is_organiser_bound(role) else None,
    )
    membership.full_clean()
    membership.save()
    if created:
        transaction.on_commit(lambda: _send_choose_password_mail(user, request))
    return membership


def _send_choose_password_mail(user, request):
    # Django's password-reset form skips accounts without a usable password, so the
    # invitation builds the same one-time link itself.
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request is not None and request.is_secure() else "http",
        "domain": request.get_host() if request is not None else "localhost",
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])
