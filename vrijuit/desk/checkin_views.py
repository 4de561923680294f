"""Check-ins in the back office: the organiser's overview of a day (cancel within 24 h, what
the municipality owes) and a participation registered at the desk on an organiser's behalf.
The yearly budget is in ``budget_views``."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vrijuit.catalogue.selectors import organisers_for_network
from vrijuit.checkins import selectors, services
from vrijuit.checkins.constants import Channel
from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.money import format_eur
from vrijuit.core.permissions import can, organiser_bound
from vrijuit.core.roles import Perm

from .checkin_forms import CancelCheckinForm, CheckinFilterForm, DeskCheckinForm
from .decorators import network_view


@network_view(Perm.CHECKIN)
def checkin_overview(request):
    principal = request.principal
    network = principal.network
    is_organiser = organiser_bound(principal)
    organisers = None if is_organiser else organisers_for_network(network)
    form = CheckinFilterForm(request.GET or None, organisers=organisers)
    day, organiser_id = timezone.localdate(), None
    if form.is_valid():
        day = form.cleaned_data["day"] or day
        organiser_id = form.cleaned_data.get("organiser")
    if is_organiser:
        organiser_id = principal.organiser_id
    now = timezone.now()
    checkins = selectors.checkins_page(principal, day=day, organiser_id=organiser_id)
    for checkin in checkins:
        checkin.may_cancel = services.may_cancel(principal, checkin, now)
        checkin.cancel_refusal = (
            None if checkin.may_cancel else _cancel_refusal_code(principal, checkin, now)
        )
    accepted = [c for c in checkins if c.is_accepted]
    return render(
        request,
        "desk/checkins/overview.html",
        {
            "form": form,
            "day": day,
            "checkins": checkins,
            "day_paid": sum((c.paid for c in accepted), start=0),
            "day_reimbursement": sum((c.reimbursement for c in accepted), start=0),
            "accepted_count": len(accepted),
            "year": day.year,
            "owed": selectors.owed_per_organiser(network, day.year, organiser_id),
            "may_register": can(principal, Perm.CHECKIN_AT_DESK),
        },
    )


@require_POST
@network_view(Perm.CHECKIN)
def checkin_cancel(request, checkin_id):
    principal = request.principal
    form = CancelCheckinForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        checkin = services.checkin_cancel(principal=principal, checkin_id=checkin_id, reason=reason)
    except VrijuitError as error:
        if error.status == 404:
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The check-in of %(name)s is cancelled. Give back what was paid: %(amount)s.")
            % {"name": checkin.participant.first_name, "amount": format_eur(checkin.paid)},
        )
    return redirect("desk:checkins", network=principal.network.slug)


@network_view(Perm.CHECKIN_AT_DESK)
def checkin_new(request):
    """Two steps, as at the counter: ask the price, take the money, then register."""
    principal = request.principal
    occurrences = selectors.open_occurrences(principal)
    form = DeskCheckinForm(request.POST or None, occurrences=occurrences)
    decision = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("step") == "confirm":
            outcome = services.checkin_create(
                principal=principal,
                pass_number=data["pass_number"],
                occurrence_id=data["occurrence"],
                idempotency_key=data["idempotency_key"],
                channel=Channel.DESK,
                note=data["note"],
            )
            if outcome.checkin is not None:
                messages.success(
                    request,
                    _("%(name)s is registered for %(activity)s. Charge %(amount)s.")
                    % {
                        "name": outcome.checkin.participant.first_name,
                        "activity": outcome.checkin.activity.title,
                        "amount": format_eur(outcome.checkin.paid),
                    },
                )
                return redirect("desk:checkins", network=principal.network.slug)
            form.add_error(None, services.refusal_for(outcome).message)
        else:
            decision = services.tariff_ask(
                principal=principal,
                pass_number=data["pass_number"],
                occurrence_id=data["occurrence"],
            )
    return render(
        request,
        "desk/checkins/new.html",
        {"form": form, "decision": decision, "has_dates": bool(occurrences)},
    )


def _cancel_refusal_code(principal, checkin, now):
    """Why an accepted check-in shows no cancel button (``cancel_too_late``, ...)."""
    if not checkin.is_accepted:
        return None
    refusal = services.cancel_refusal(principal, checkin, now)
    return refusal.code if refusal is not None else None
