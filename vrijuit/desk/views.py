from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vrijuit.accounts.services import has_authenticator, two_factor_reset
from vrijuit.api.models import ApiToken
from vrijuit.api.services import api_token_create, api_token_revoke
from vrijuit.catalogue.services import organiser_create
from vrijuit.checkins.selectors import budget_for
from vrijuit.core.audit_display import audit_rows
from vrijuit.core.models import AuditAction
from vrijuit.core.permissions import can
from vrijuit.core.roles import Perm, Role, is_organiser_bound
from vrijuit.core.selectors import audit_events_for_network
from vrijuit.networks.constants import BudgetMode
from vrijuit.networks.models import Membership
from vrijuit.networks.services import membership_invite, network_settings_update

from .decorators import network_view
from .forms import ApiTokenForm, InviteForm, NetworkSettingsForm, OrganiserForm


@login_required
def desk_entry(request):
    """Send a staff member to the network they work in (or let them choose)."""
    memberships = list(
        Membership.objects.filter(user=request.user, is_active=True).select_related("network")
    )
    if len(memberships) == 1:
        return redirect("desk:home", network=memberships[0].network.slug)
    return render(request, "desk/choose_network.html", {"memberships": memberships})


@network_view(Perm.NETWORK_VIEW)
def home(request):
    principal = request.principal
    network = principal.network
    budget = forecast = plot = None
    if can(principal, Perm.FINANCE_VIEW):
        from .budget_views import budget_forecast

        today = timezone.localdate()
        budget = budget_for(network, today.year)
        forecast, plot = budget_forecast(network, today.year, today, budget=budget)
    return render(
        request,
        "desk/home.html",
        {
            "role": principal.role,
            "Role": Role,
            "organiser": principal.organiser_id
            and principal.network.organisers.filter(pk=principal.organiser_id).first(),
            "agreement": principal.network.agreements.first(),
            "budget": budget,
            "forecast": forecast,
            "plot": plot,
            "link_to_budget": True,
            "budget_mode_hard": network.budget_mode == BudgetMode.HARD_STOP,
            "has_authenticator": has_authenticator(request.user),
        },
    )


@network_view(Perm.NETWORK_VIEW)
def network_detail(request):
    network = request.principal.network
    return render(
        request,
        "desk/network.html",
        {
            "municipalities": network.municipalities.all(),
            "partners": network.partners.all(),
            "agreements": network.agreements.all(),
            "can_manage": can(request.principal, Perm.NETWORK_MANAGE),
        },
    )


@network_view(Perm.ORGANISER_VIEW)
def organisers(request):
    network = request.principal.network
    may_create = can(request.principal, Perm.ORGANISER_CREATE)
    if request.method == "POST" and not may_create:
        raise PermissionDenied
    form = OrganiserForm(network=network) if may_create else None
    if request.method == "POST":
        form = OrganiserForm(request.POST, network=network)
        if form.is_valid():
            organiser = organiser_create(network=network, **form.cleaned_data)
            messages.success(request, _("Organiser %(name)s was added.") % {"name": organiser.name})
            return redirect("desk:organisers", network=network.slug)
    return render(
        request,
        "desk/organisers.html",
        {
            "organisers": network.organisers.select_related("partner"),
            "form": form,
        },
    )


@network_view(Perm.MEMBERSHIP_MANAGE)
def members(request):
    network = request.principal.network
    form = InviteForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        membership = membership_invite(
            principal=request.principal, request=request, **form.cleaned_data
        )
        messages.success(
            request,
            _("%(name)s now works in the network as %(role)s.")
            % {
                "name": membership.user.get_full_name() or membership.user.email,
                "role": membership.get_role_display(),
            },
        )
        return redirect("desk:members", network=network.slug)
    memberships = (
        network.memberships.select_related("user", "partner", "organiser")
        .annotate(
            has_authenticator=Exists(
                TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
            )
        )
        .order_by("role", "user__username")
    )
    return render(request, "desk/members.html", {"memberships": memberships, "form": form})


@network_view(Perm.MEMBERSHIP_MANAGE)
def member_two_factor_reset(request, membership_id):
    """A coordinator resets the two-factor login of a staff member who lost their phone."""
    network = request.principal.network
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, network=network
    )
    person = membership.user
    is_self = person.pk == request.user.pk
    has_app = has_authenticator(person) or StaticDevice.objects.filter(user=person).exists()
    if request.method == "POST" and not is_self and has_app:
        two_factor_reset(principal=request.principal, membership=membership, request=request)
        messages.success(
            request,
            _(
                "The two-factor login of %(name)s is reset. They set it up again at their "
                "next login; they get an e-mail about it."
            )
            % {"name": person.get_full_name() or person.get_username()},
        )
        return redirect("desk:members", network=network.slug)
    return render(
        request,
        "desk/member_two_factor_reset.html",
        {"membership": membership, "person": person, "is_self": is_self, "has_app": has_app},
        status=403 if is_self else 200,
    )


@network_view(Perm.NETWORK_MANAGE)
def network_edit(request):
    network = request.principal.network
    form = NetworkSettingsForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        network_settings_update(
            principal=request.principal,
            data={name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("The network settings are saved."))
        return redirect("desk:network", network=network.slug)
    return render(request, "desk/network_edit.html", {"form": form})


@network_view(Perm.APITOKEN_MANAGE)
def tokens(request):
    network = request.principal.network
    form = ApiTokenForm(network=network)
    raw = scanner_link = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST, network=network)
        if form.is_valid():
            token, raw = api_token_create(
                network=network, created_by=request.user, **form.cleaned_data
            )
            if is_organiser_bound(token.role):
                # The fragment never reaches the server; the scanner page keeps the token.
                scanner_link = request.build_absolute_uri(reverse("scanner:page")) + "#token=" + raw
            form = ApiTokenForm(network=network)
    return render(
        request,
        "desk/tokens.html",
        {
            "tokens": network.api_tokens.select_related("organiser", "created_by"),
            "form": form,
            "raw_token": raw,
            "scanner_link": scanner_link,
        },
    )


@require_POST
@network_view(Perm.APITOKEN_MANAGE)
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, network=request.principal.network)
    api_token_revoke(principal=request.principal, token=token)
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("desk:tokens", network=request.principal.network.slug)


@network_view(Perm.AUDIT_VIEW)
def audit_log(request):
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    events = audit_events_for_network(request.principal.network, action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = audit_rows(page)
    return render(
        request,
        "desk/audit.html",
        {"page": page, "rows": rows, "action": action, "actions": AuditAction.choices},
    )
