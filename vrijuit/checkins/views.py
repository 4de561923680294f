"""The scanner page for organisers at the door: ``/scan/``.

Two ways in:

- **Session mode**: a logged-in staff member whose role may check in (coordinator, desk,
  organiser) gets the page for their network (``?network=<slug>`` when they work in several).
  Without JavaScript the page still works for typed numbers: the form posts here, the server
  checks the pass in (``services.checkin_create`` with the idempotency key the page carried) and
  renders the big answer.
- **Device mode**: without login the page is a shell for a connected device. ``scanner.js``
  finds the device token (an organiser's API token) in the browser's storage and works with
  the JSON API; the page offers to log in or to connect the device.

With JavaScript the same form goes through the JSON API (``/api/v1/checkins``), with an
offline queue in IndexedDB (``static/checkins/scanner.js``). The service worker and the
manifest are served from ``/scan/`` so that the worker's scope is ``/scan/`` and no wider.

GET answers carry no personal data (only the network's dates of today), because the service
worker keeps them for use without internet; the check-ins of a date (first names) appear only
in the answer to a POST, which is never kept.
"""

import json
import uuid

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.money import format_eur
from vrijuit.core.permissions import can, principal_for_user
from vrijuit.core.roles import ROLE_PERMISSIONS, Perm
from vrijuit.networks.models import Network

from . import selectors, services
from .api import NETWORK_HEADER
from .constants import REFUSAL_MESSAGES, RefusalCode
from .forms import CancelForm, ScanForm

BRAND = "#0b5c3b"
CHECKIN_ROLES = frozenset(role for role, perms in ROLE_PERMISSIONS.items() if Perm.CHECKIN in perms)


def _private(response):
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _session_principal(request):
    """The logged-in member's principal for the chosen network.

    Returns ``(principal, None)``, or ``(None, memberships)`` when the member works in several
    networks and has not chosen one. Not a member of the named network → 404 (as in the
    desk); a role that may not check in → 403.
    """
    slug = request.GET.get("network", "")
    if slug:
        network = get_object_or_404(Network, slug=slug[:60])
        principal = principal_for_user(request.user, network)
        if principal is None:
            raise Http404
        if not can(principal, Perm.CHECKIN):
            raise PermissionDenied
        return principal, None
    memberships = list(
        request.user.memberships.filter(is_active=True, role__in=CHECKIN_ROLES)
        .select_related("network")
        .order_by("network__name")
    )
    if not memberships:
        raise PermissionDenied
    if len(memberships) == 1:
        return principal_for_user(request.user, memberships[0].network), None
    return None, memberships


def _refusal_texts():
    """Per code: the short title and what to say, for the page and its script."""
    return {
        code.value: {"title": str(code.label), "detail": str(REFUSAL_MESSAGES[code])}
        for code in RefusalCode
    }


def _script_config(mode, network=None):
    """Everything scanner.js needs, translated here: the script holds no text of its own."""
    refusal_title = _("Refused")
    return {
        "mode": mode,
        "network": network.slug if network else "",
        "networkHeader": NETWORK_HEADER,
        "api": "/api/v1",
        "language": get_language() or "nl",
        "loginUrl": reverse("accounts:login") + "?next=" + reverse("scanner:page"),
        "serviceWorker": reverse("scanner:service_worker"),
        "scope": reverse("scanner:page"),
        "jsqr": static("checkins/vendor/jsQR.js"),
        "refusals": _refusal_texts(),
        "offlineRefreshMinutes": int(selectors.OFFLINE_REFRESH.total_seconds() // 60),
        "strings": {
            "online": _("Online: check-ins are sent at once."),
            "offline": _(
                "No connection: scans are kept on this device and sent when the connection returns."
            ),
            "charge": _("Charge %(amount)s"),
            "insteadOf": _("instead of %(regular)s"),
            "grace": _(
                "Grace period: the reduced tariff has ended but still applies for a short time. "
                "Ask the person to renew it at the desk."
            ),
            "refused": refusal_title,
            "chooseDate": _("Choose the activity and date first."),
            "savedOfflineDetail": _(
                "There is no connection. This scan is sent as soon as the connection returns; "
                "the answer then appears under “Sent after the connection returned”."
            ),
            "provisional": _("Subject to confirmation"),
            "cannotCheck": _("This device cannot check this pass without a connection."),
            "notInData": _(
                "This pass is not in the data on this device, which may be out of date."
            ),
            "checkedOffline": _("Checked without a connection, with the data of %(time)s."),
            "sentLater": _("The check-in is sent as soon as the connection returns."),
            "staleNote": _(
                "Subject to confirmation: the data on this device is from %(time)s, more than "
                "%(hours)s hours ago. Connect to the internet to update it."
            ),
            "offlineReady": _("Ready to check passes without a connection (data of %(time)s)."),
            "waiting": _("Waiting to be sent: %(count)s"),
            "sending": _("Sending…"),
            "passEnding": _("pass …%(digits)s"),
            "loginEnded": _(
                "Your login has ended. Log in again; the scans that are waiting are kept."
            ),
            "tokenRefused": _(
                "This device token does not work (any more). Check it, or ask the coordinator "
                "for a new one."
            ),
            "serverProblem": _("The server could not answer. The scan is kept and sent later."),
            "noDates": _("There are no activities for you today."),
            "notOpen": _("not open for check-in now"),
            "cancelledDate": _("cancelled"),
            "noCheckins": _("No check-ins for this date yet."),
            "cancel": _("Cancel"),
            "cancelFor": _("Cancel the check-in of %(name)s"),
            "cancelledCheckin": _(
                "The check-in of %(name)s is cancelled. Give back what was paid: %(amount)s."
            ),
            "stateCancelled": _("cancelled"),
            "cameraHelp": _("Point the camera at the QR code on the card."),
            "cameraFailed": _(
                "The camera could not be started. Allow the camera, or type the number."
            ),
            "connected": _("This device is connected with a device token."),
            "logIn": _("Log in"),
        },
    }


def _default_date(dates):
    for row in dates:
        if row["open_for_checkin"] and not row["cancelled"]:
            return str(row["id"])
    return ""


def _answer_for(principal, data):
    """Check in and describe the answer for the big panel."""
    try:
        outcome = services.checkin_create(
            principal=principal,
            pass_number=data["pass_number"],
            occurrence_id=data["occurrence"],
            idempotency_key=data["idempotency_key"],
        )
    except VrijuitError as error:
        return {"ok": False, "title": _("Refused"), "detail": error.message}
    if outcome.checkin is None:
        return {
            "ok": False,
            "code": outcome.code,
            "title": RefusalCode(outcome.code).label,
            "detail": services.refusal_for(outcome).message,
        }
    checkin = outcome.checkin
    return {
        "ok": True,
        "first_name": checkin.participant.first_name,
        "paid": checkin.paid,
        "regular": checkin.regular_price,
        "grace": checkin.grace_period,
        "replayed": outcome.replayed,
    }


def _checkins(principal, occurrence_id):
    now = timezone.now()
    rows = selectors.checkins_for(principal, occurrence_id=occurrence_id)
    for row in rows:
        row.may_cancel = services.may_cancel(principal, row, now)
        row.cancel_refusal = None if row.may_cancel else _cancel_refusal_code(principal, row, now)
    return rows


def _page(request, *, mode, principal=None, form=None, answer=None, chosen=None, **extra):
    network = principal.network if principal else None
    dates = extra.pop("dates", None)
    if principal is not None and dates is None:
        dates = selectors.checkin_dates(principal, timezone.localdate())
    if principal is not None and form is None:
        form = ScanForm(dates=dates)
    if dates is not None and chosen is None:
        chosen = _default_date(dates)
    config = _script_config(mode, network)
    config["dates"] = dates
    config["role"] = principal.role if principal else ""
    context = {
        "mode": mode,
        "network": network,
        "principal": principal,
        "dates": dates or [],
        "form": form,
        "chosen": str(chosen or ""),
        "idempotency_key": uuid.uuid4(),
        "answer": answer,
        "config": config,
        "form_action": (reverse("scanner:page") + "?network=" + network.slug if network else ""),
        **extra,
    }
    return _private(render(request, "checkins/scanner.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def scanner(request):
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(reverse("scanner:page"))
        return _page(request, mode="device")
    principal, memberships = _session_principal(request)
    if principal is None:
        return _private(
            render(request, "checkins/choose_network.html", {"memberships": memberships})
        )
    if request.method != "POST":
        return _page(request, mode="session", principal=principal)

    dates = selectors.checkin_dates(principal, timezone.localdate())
    form = ScanForm(request.POST, dates=dates)
    if not form.is_valid():
        return _page(
            request,
            mode="session",
            principal=principal,
            dates=dates,
            form=form,
            chosen=request.POST.get("occurrence", ""),
        )
    chosen = form.cleaned_data["occurrence"]
    answer = _answer_for(principal, form.cleaned_data)
    return _page(
        request,
        mode="session",
        principal=principal,
        dates=dates,
        answer=answer,
        chosen=chosen,
        checkins=_checkins(principal, chosen),
    )


@require_POST
def cancel(request):
    """Cancel a check-in without JavaScript (organiser: own, within 24 hours)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("scanner:page"))
    principal, _memberships = _session_principal(request)
    form = CancelForm(request.POST)
    if principal is None or not form.is_valid():
        raise Http404
    try:
        checkin = services.checkin_cancel(
            principal=principal, checkin_id=form.cleaned_data["checkin"]
        )
    except VrijuitError as error:
        if error.status == 404:
            raise Http404 from error
        notice = {"ok": False, "text": error.message}
        checkin = selectors.checkin_get(principal, form.cleaned_data["checkin"])
    else:
        notice = {
            "ok": True,
            "text": _("The check-in of %(name)s is cancelled. Give back what was paid: %(amount)s.")
            % {"name": checkin.participant.first_name, "amount": format_eur(checkin.paid)},
        }
    return _page(
        request,
        mode="session",
        principal=principal,
        chosen=checkin.occurrence_id,
        checkins=_checkins(principal, checkin.occurrence_id),
        notice=notice,
    )


@require_safe
def manifest(request):
    """Lets an organiser put the scanner on the phone's home screen (a PWA)."""
    start = reverse("scanner:page")
    data = {
        "id": start,
        "name": _("Vrijuit scanner"),
        "short_name": _("Scanner"),
        "description": _("Check in passes at the door, also without internet."),
        "lang": get_language(),
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": BRAND,
        "icons": [
            {"src": static("checkins/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("checkins/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("checkins/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "no-cache"
    return response


def _cancel_refusal_code(principal, checkin, now):
    """Why an accepted check-in shows no cancel button (``cancel_too_late``, ...)."""
    if not checkin.is_accepted:
        return None
    refusal = services.cancel_refusal(principal, checkin, now)
    return refusal.code if refusal is not None else None
