"""Desk views for passes (mounted under /desk/ by ``vrijuit.desk.pass_urls``)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from vrijuit.core import audit
from vrijuit.core.models import AuditAction
from vrijuit.core.roles import Perm
from vrijuit.passes.card import render_card_pdf
from vrijuit.passes.models import Pass

from .decorators import network_view


@network_view(Perm.PARTICIPANT_MANAGE)
def pass_card_pdf(request, pass_id):
    """The printable card of an active pass, as a PDF to open in the browser and print.

    Another network's pass, a blocked or replaced pass, and the pass of a person whose
    identity was erased are not found: only a card that can be used is printed.
    """
    pass_ = get_object_or_404(
        Pass.objects.select_related("participant", "network"),
        pk=pass_id,
        network=request.principal.network,
    )
    if not pass_.is_active or pass_.participant.is_erased:
        raise Http404
    pdf = render_card_pdf(pass_)
    person = pass_.participant
    # On the person's record, so that the card shows up in their access history.
    audit.record(
        action=AuditAction.EXPORT,
        obj=person,
        context="desk:pass_card",
        object_repr=f"{person.first_name} {person.last_name[:1]}. · {pass_.number_display}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pas-{pass_.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
