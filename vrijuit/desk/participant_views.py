"""The leisure desk: find or register a person, give the status and a pass."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vrijuit.checkins import selectors as checkin_selectors
from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.permissions import can
from vrijuit.core.roles import Perm
from vrijuit.participants import selectors, services
from vrijuit.participants.document import export_pdf, export_sections, export_texts
from vrijuit.participants.models import Participant, Status
from vrijuit.passes import services as pass_services
from vrijuit.passes.models import Pass

from .decorators import network_view
from .participant_forms import (
    CorrectForm,
    NoteForm,
    PassBlockForm,
    RegisterForm,
    SearchForm,
    StatusEndForm,
    StatusGrantForm,
    StatusSuspendForm,
)


def _participant(request, participant_id):
    return get_object_or_404(
        Participant.objects.living()
        .for_network(request.principal.network)
        .select_related("network", "municipality", "household"),
        pk=participant_id,
    )


def _person_url(request, participant):
    return reverse(
        "desk:participant",
        kwargs={"network": request.principal.network.slug, "participant_id": participant.pk},
    )


def _refusal(request, error, form=None):
    for field, errors in (error.errors or {}).items():
        if form is not None and field in form.fields:
            for message in errors:
                form.add_error(field, message)
    messages.error(request, str(error.message))


@network_view(Perm.PERSONAL_DATA_VIEW)
def participant_search(request):
    form = SearchForm(request.GET or None)
    results, query = [], ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        today = timezone.localdate()
        found = selectors.with_desk_details(
            selectors.participant_search(request.principal.network, query)
        )
        results = [
            {
                "person": p,
                "state": selectors.status_state(p, today, p.statuses.all())[0],
                "pass": p.active_passes[0] if p.active_passes else None,
            }
            for p in found
        ]
        services.participant_search_record(
            network=request.principal.network,
            people=[r["person"] for r in results],
            screen="desk:participant-search",
        )
    return render(
        request,
        "desk/participants/search.html",
        {
            "form": form,
            "results": results,
            "query": query,
            "may_register": can(request.principal, Perm.PARTICIPANT_MANAGE),
        },
    )


@network_view(Perm.PARTICIPANT_MANAGE)
def participant_register(request):
    principal = request.principal
    may_grant = can(principal, Perm.STATUS_GRANT)
    initial, household_of = {}, _household_of(request)
    if household_of is not None:
        # A household member: same family name and address to start from.
        initial = {
            "household_of": household_of.pk,
            "last_name": household_of.last_name,
            "postal_code": household_of.postal_code,
            "street": household_of.street,
            "language": household_of.language,
        }
    form = RegisterForm(
        request.POST or None,
        may_grant=may_grant,
        initial=initial,
        network=principal.network,
        today=timezone.localdate(),
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            selectors.possible_duplicates(
                principal.network,
                first_name=data["first_name"],
                last_name=data["last_name"],
                birth_date=data["birth_date"],
            )
        )
        if not duplicates or data["confirm_new"]:
            try:
                participant = _register_with_status_and_pass(request, data, may_grant)
            except VrijuitError as error:
                _refusal(request, error, form)
            else:
                messages.success(
                    request, _("%(name)s is registered.") % {"name": participant.first_name}
                )
                return redirect(_person_url(request, participant))
    return render(
        request,
        "desk/participants/register.html",
        {"form": form, "duplicates": duplicates, "household_of": household_of},
    )


def _household_of(request):
    raw = request.POST.get("household_of") or request.GET.get("household_of")
    try:
        people = Participant.objects.living().for_network(request.principal.network)
        return people.filter(pk=raw).first()
    except (ValueError, ValidationError):
        return None


def _register_with_status_and_pass(request, data, may_grant):
    from django.db import transaction

    fields = (
        "first_name",
        "last_name",
        "birth_date",
        "postal_code",
        "street",
        "email",
        "phone",
        "language",
    )
    with transaction.atomic():
        participant = services.participant_register(
            network=request.principal.network, **{f: data[f] for f in fields}
        )
        household_of = _household_of(request)
        if household_of is not None:
            services.household_join(participant=participant, other=household_of)
        if may_grant and data.get("grant_status"):
            services.status_grant(
                participant=participant,
                basis=data["basis"],
                valid_from=timezone.localdate(),
                granted_by=request.user,
                note=data.get("note", ""),
                partner=_partner(request),
            )
        if data.get("issue_pass"):
            pass_services.pass_issue(participant=participant, issued_by=request.user)
    return participant


def _partner(request):
    partner_id = request.principal.partner_id
    return request.principal.network.partners.filter(pk=partner_id).first() if partner_id else None


@network_view(Perm.PERSONAL_DATA_VIEW)
def participant_detail(request, participant_id):
    participant = _participant(request, participant_id)
    return _detail_page(request, participant)


@require_POST
@network_view(Perm.PARTICIPANT_MANAGE)
def participant_correct(request, participant_id):
    """Correct the person's details; on a mistake, the page again with the form open."""
    participant = _participant(request, participant_id)
    form = CorrectForm(request.POST, network=request.principal.network)
    if form.is_valid():
        try:
            changed = services.participant_update(participant=participant, **form.cleaned_data)
        except VrijuitError as error:
            for field, errors in (error.errors or {}).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            if not error.errors:
                form.add_error(None, str(error.message))
        else:
            if changed:
                messages.success(request, _("The details are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(_person_url(request, participant))
    participant.refresh_from_db()  # the page shows what is stored, the form what was typed
    return _detail_page(request, participant, correct_form=form)


def _detail_page(request, participant, *, correct_form=None):
    principal = request.principal
    services.participant_view_record(participant=participant, screen="desk:participant")
    today = timezone.localdate()
    statuses = list(participant.statuses.select_related("partner").order_by("-valid_until"))
    state, current = selectors.status_state(participant, today, statuses)
    passes = list(participant.passes.order_by("-issued_at"))
    household = []
    if participant.household_id:
        household = list(participant.household.members.living().exclude(pk=participant.pk))
    return render(
        request,
        "desk/participants/detail.html",
        {
            "person": participant,
            "state": state,
            "current_status": current,
            "statuses": [(s, s.state_on(today, principal.network.grace_days)) for s in statuses],
            "passes": passes,
            "active_pass": next((p for p in passes if p.is_active), None),
            "household": household,
            "notes": participant.notes.select_related("author")[:20],
            "participations": checkin_selectors.participations(participant),
            "grant_form": StatusGrantForm(
                initial={"valid_from": today}, network=principal.network, today=today
            ),
            "block_form": PassBlockForm(),
            "note_form": NoteForm(),
            "correct_form": correct_form or CorrectForm(person=participant),
            "today": today,
        },
    )


@require_POST
@network_view(Perm.STATUS_GRANT)
def status_grant(request, participant_id):
    participant = _participant(request, participant_id)
    form = StatusGrantForm(request.POST)
    if form.is_valid():
        try:
            created = services.status_grant(
                participant=participant,
                granted_by=request.user,
                partner=_partner(request),
                **form.cleaned_data,
            )
        except VrijuitError as error:
            _refusal(request, error)
        else:
            messages.success(
                request,
                _("The reduced tariff is given until %(date)s.")
                % {"date": created[0].valid_until.strftime("%d/%m/%Y")},
            )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(_person_url(request, participant))


def _status(request, participant, status_id):
    return get_object_or_404(
        Status, pk=status_id, participant=participant, network=request.principal.network
    )


@require_POST
@network_view(Perm.STATUS_GRANT)
def status_change(request, participant_id, status_id, action):
    participant = _participant(request, participant_id)
    status = _status(request, participant, status_id)
    if action == "renew":
        new = services.status_renew(status=status, granted_by=request.user)
        messages.success(
            request,
            _("The reduced tariff is renewed until %(date)s.")
            % {"date": new.valid_until.strftime("%d/%m/%Y")},
        )
        return redirect(_person_url(request, participant))
    form_class = {"suspend": StatusSuspendForm, "end": StatusEndForm}[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            if action == "suspend":
                services.status_suspend(status=status, **form.cleaned_data)
                messages.success(request, _("The reduced tariff is suspended."))
            else:
                services.status_end(status=status, **form.cleaned_data)
                messages.success(request, _("The reduced tariff is ended."))
        except VrijuitError as error:
            _refusal(request, error)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(_person_url(request, participant))


@require_POST
@network_view(Perm.PARTICIPANT_MANAGE)
def pass_issue(request, participant_id):
    participant = _participant(request, participant_id)
    try:
        new = pass_services.pass_issue(participant=participant, issued_by=request.user)
    except VrijuitError as error:
        _refusal(request, error)
    else:
        messages.success(
            request, _("Pass %(number)s is ready. Print the card.") % {"number": new.number_display}
        )
    return redirect(_person_url(request, participant))


@require_POST
@network_view(Perm.PARTICIPANT_MANAGE)
def pass_block(request, participant_id, pass_id):
    participant = _participant(request, participant_id)
    card = get_object_or_404(
        Pass, pk=pass_id, participant=participant, network=request.principal.network
    )
    form = PassBlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the pass is blocked."))
        return redirect(_person_url(request, participant))
    try:
        if form.cleaned_data["replace"]:
            new = pass_services.pass_replace(
                pass_=card, reason=form.cleaned_data["reason"], issued_by=request.user
            )
            messages.success(
                request,
                _("The old pass is blocked. The new pass is %(number)s.")
                % {"number": new.number_display},
            )
        else:
            pass_services.pass_block(pass_=card, reason=form.cleaned_data["reason"])
            messages.success(request, _("The pass is blocked. It cannot be used any more."))
    except VrijuitError as error:
        _refusal(request, error)
    return redirect(_person_url(request, participant))


@require_POST
@network_view(Perm.PARTICIPANT_MANAGE)
def note_add(request, participant_id):
    participant = _participant(request, participant_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(
            participant=participant, text=form.cleaned_data["text"], author=request.user
        )
        messages.success(request, _("The note is saved."))
    else:
        messages.error(request, _("Write a note first."))
    return redirect(_person_url(request, participant))


@network_view(Perm.PERSONAL_DATA_VIEW)
def statuses_ending(request):
    today = timezone.localdate()
    ending = selectors.statuses_ending_soon(request.principal.network, today, days=30)
    return render(
        request, "desk/participants/ending.html", {"ending": ending[:500], "today": today}
    )


@network_view(Perm.PARTICIPANT_GDPR)
def participant_export(request, participant_id):
    """Everything held about the person (GDPR access): a page to print in the person's
    language, the same as a PDF, and a JSON file. Each is written to the access log."""
    participant = _participant(request, participant_id)
    data = selectors.participant_export(participant)
    kind = request.GET.get("format", "")
    kind = kind if kind in ("pdf", "json") else "page"
    services.participant_export_record(
        participant=participant, screen="desk:export" if kind == "page" else f"desk:export-{kind}"
    )
    filename = f"{_('export')}-{participant.pk}"
    if kind == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    elif kind == "pdf":
        response = HttpResponse(export_pdf(participant, data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    else:
        response = render(
            request,
            "desk/participants/export.html",
            {
                "person": participant,
                "sections": export_sections(data, participant.language),
                "texts": export_texts(participant.network, participant.language),
            },
        )
    response["Cache-Control"] = "private, no-store"
    return response


@network_view(Perm.PARTICIPANT_GDPR)
def participant_erase(request, participant_id):
    participant = _participant(request, participant_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.participant_erase(participant=participant)
        messages.success(
            request, _("The identity is erased. Anonymous facts are kept for the statistics.")
        )
        return redirect("desk:participants", network=request.principal.network.slug)
    return render(request, "desk/participants/erase.html", {"person": participant})


@require_POST
@network_view(Perm.PARTICIPANT_MANAGE)
def pass_send_link(request, participant_id, pass_id):
    """E-mail the private link of the digital pass, in the person's language."""
    participant = _participant(request, participant_id)
    card = get_object_or_404(
        Pass, pk=pass_id, participant=participant, state="active", network=request.principal.network
    )
    if not participant.email or not card.access_key:
        messages.error(request, _("Add an e-mail address first."))
        return redirect(_person_url(request, participant))
    link = request.build_absolute_uri(reverse("digital_pass:pass", args=[card.access_key]))
    with translation.override(participant.language):
        context = {
            "first_name": participant.first_name,
            "link": link,
            "network": request.principal.network,
        }
        subject = render_to_string("desk/participants/pass_link_subject.txt", context).strip()
        body = render_to_string("desk/participants/pass_link_email.txt", context)
    send_mail(subject, body, None, [participant.email])
    messages.success(request, _("The link is sent to %(email)s.") % {"email": participant.email})
    return redirect(_person_url(request, participant))
