import base64

import segno
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from .forms import BackupCodeForm, NewBackupCodesForm, ReplaceTokenForm, TokenForm
from .services import (
    backup_code_used,
    backup_codes_create,
    backup_codes_left,
    has_authenticator,
    two_factor_confirm,
)


def _next_url(request, default="desk:entry"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse_lazy(default)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def _otp_account_page(view):
    """Logged-in only, never stored by a browser or proxy (codes and secrets are shown)."""
    return never_cache(login_required(view))


@_otp_account_page
def two_factor_setup(request):
    """Link an authenticator app: show a QR code, confirm with the first code.

    An account that already has an app may link another one only in a session that passed
    the second step, and only after typing the password again; with the password alone,
    the page is refused (otherwise knowing the password would be enough to take over the
    second step).
    """
    user = request.user
    replacing = has_authenticator(user)
    if replacing and not user.is_verified():
        return render(
            request,
            "accounts/two_factor_setup_refused.html",
            {"next": request.GET.get("next", "")},
            status=403,
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    data = request.POST if request.method == "POST" else None
    if replacing:
        form = ReplaceTokenForm(data, devices=[device], user=user)
    else:
        form = TokenForm(data, devices=[device])
    if data is not None and form.is_valid():
        codes = two_factor_confirm(user=user, device=device, request=request)
        otp_login(request, device)
        messages.success(
            request,
            _("Your new app is linked. The old app no longer works.")
            if replacing
            else _("Two-factor login is set up."),
        )
        return render(
            request,
            "accounts/backup_codes_new.html",
            {"codes": codes, "next": _next_url(request)},
        )
    qr = segno.make(device.config_url, error="m")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "replacing": replacing,
            "qr_svg": qr.svg_inline(scale=4, title=_("QR code for your authenticator app")),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@_otp_account_page
def two_factor_verify(request):
    """The second step: a code from the app, or one of the backup codes."""
    user = request.user
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return redirect("accounts:two_factor_setup")
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    post = request.POST if request.method == "POST" else None
    use_backup = post is not None and "backup_code" in post
    form = TokenForm(None if use_backup else post, devices=devices)
    backup_form = BackupCodeForm(post if use_backup else None, device=static)
    if post is not None and not use_backup and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next_url(request))
    if use_backup and backup_form.is_valid():
        otp_login(request, static)
        left = static.token_set.count()
        backup_code_used(user=user, left=left)
        messages.warning(
            request,
            ngettext(
                "You logged in with a backup code. You have %(left)d code left.",
                "You logged in with a backup code. You have %(left)d codes left.",
                left,
            )
            % {"left": left},
        )
        target = reverse("accounts:backup_codes")
        return redirect(f"{target}?{urlencode({'next': str(_next_url(request))})}")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "backup_form": backup_form,
            "use_backup": use_backup,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@_otp_account_page
def backup_codes(request):
    """Two-factor login of one's own account: codes left, new codes, a new app."""
    user = request.user
    if not has_authenticator(user):
        return redirect("accounts:two_factor_setup")
    if not user.is_verified():
        target = reverse("accounts:two_factor_verify")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
    form = NewBackupCodesForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        codes = backup_codes_create(user=user)
        return render(
            request,
            "accounts/backup_codes_new.html",
            {"codes": codes, "next": _next_url(request)},
        )
    return render(
        request,
        "accounts/backup_codes.html",
        {
            "form": form,
            "left": backup_codes_left(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )
