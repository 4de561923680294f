import base64

import segno
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from vrijuit.core import audit
from vrijuit.core.models import AuditAction

from .forms import TokenForm


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


@login_required
def two_factor_setup(request):
    """Link an authenticator app: show a QR code, confirm with the first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="app", confirmed=False)
    form = TokenForm(request.POST or None, devices=[device])
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        for network_id in request.user.memberships.values_list("network_id", flat=True):
            audit.record(
                action=AuditAction.TWO_FACTOR,
                network_id=network_id,
                object_type="auth.user",
                object_id=str(request.user.pk),
                object_repr=request.user.get_username(),
            )
        messages.success(request, _("Two-factor login is set up."))
        return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=4, title=_("QR code for your authenticator app")),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def two_factor_verify(request):
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
    )
