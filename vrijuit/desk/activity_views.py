"""Activities in the back office: organisers propose and edit their own, the coordinator
publishes. Every change goes through the catalogue's services (which are audited)."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from vrijuit.catalogue import services
from vrijuit.catalogue.exceptions import ActivityRefused
from vrijuit.catalogue.models import Activity
from vrijuit.catalogue.plain_language import check_text, highlight
from vrijuit.catalogue.selectors import activity_get, organisers_for_network
from vrijuit.core.permissions import can, in_scope, organiser_bound
from vrijuit.core.roles import Perm

from .activity_forms import ActivityFilterForm, ActivityForm, CancelForm, DatesForm
from .decorators import network_view


def _activity(request, activity_id):
    """The activity, or 404 when it is of another network or (for an organiser) of another
    organiser: "not yours" and "not found" look the same."""
    activity = activity_get(network=request.principal.network, pk=activity_id)
    if activity is None or not in_scope(request.principal, activity):
        raise Http404
    return activity


def _to_detail(activity):
    return redirect("desk:activity", network=activity.network.slug, activity_id=activity.pk)


def _refused(form, error):
    for name, errors in error.errors.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)
    if not error.errors:
        form.add_error(None, error.message)


@network_view(Perm.ACTIVITY_MANAGE)
def activity_list(request):
    principal = request.principal
    activities = Activity.objects.for_principal(principal).select_related("organiser")
    filter_form = ActivityFilterForm(request.GET or None)
    if filter_form.is_valid() and filter_form.cleaned_data["state"]:
        activities = activities.filter(state=filter_form.cleaned_data["state"])
    return render(
        request,
        "desk/activities/list.html",
        {"activities": activities, "filter_form": filter_form},
    )


@network_view(Perm.ACTIVITY_MANAGE)
def activity_new(request):
    principal = request.principal
    choose = not organiser_bound(principal)
    organisers = organisers_for_network(principal.network).filter(is_active=True)
    form = ActivityForm(request.POST or None, organisers=organisers if choose else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organiser = data.pop("organiser", None) or get_object_or_404(
            organisers, pk=principal.organiser_id
        )
        try:
            activity = services.activity_create(organiser=organiser, **data)
        except ActivityRefused as error:
            _refused(form, error)
        else:
            messages.success(request, _("The activity is saved as a draft."))
            return _to_detail(activity)
    return render(request, "desk/activities/new.html", {"form": form})


@network_view(Perm.ACTIVITY_MANAGE)
def activity_detail(request, activity_id):
    activity = _activity(request, activity_id)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, **form.cleaned_data)
        except ActivityRefused as error:
            _refused(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return _to_detail(activity)
    return render(
        request,
        "desk/activities/detail.html",
        {
            "activity": activity,
            "form": form,
            **_report(activity),
            "dates_form": DatesForm(),
            "occurrences": activity.occurrences.order_by("start"),
            "may_publish": can(request.principal, Perm.ACTIVITY_PUBLISH),
        },
    )


def _report(activity):
    return {
        "report": check_text(activity.description),
        "highlighted": highlight(activity.description),
    }


@require_POST
@network_view(Perm.ACTIVITY_MANAGE)
def activity_dates(request, activity_id):
    activity = _activity(request, activity_id)
    form = DatesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        first_start = timezone.make_aware(datetime.combine(data["first_date"], data["start_time"]))
        duration = timedelta(minutes=data["duration"]) if data["duration"] else None
        try:
            if data["until"]:
                created = services.occurrences_create_weekly(
                    activity=activity,
                    first_start=first_start,
                    duration=duration,
                    until=data["until"],
                    weekdays=data["weekdays"] or None,
                )
            else:
                end = first_start + duration if duration else None
                created = [
                    services.occurrence_create(activity=activity, start=first_start, end=end)
                ]
        except ActivityRefused as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext("%(count)s date added.", "%(count)s dates added.", len(created))
                % {"count": len(created)},
            )
    else:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(
            request,
            " ".join([_("The dates were not added. Check the date, time and days."), *problems]),
        )
    return _to_detail(activity)


@network_view(Perm.ACTIVITY_MANAGE)
def occurrence_cancel(request, activity_id, occurrence_id):
    activity = _activity(request, activity_id)
    occurrence = get_object_or_404(activity.occurrences, pk=occurrence_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.occurrence_cancel(occurrence=occurrence, reason=form.cleaned_data["reason"])
        messages.success(request, _("The date is cancelled."))
        return _to_detail(activity)
    return render(
        request,
        "desk/activities/cancel.html",
        {"activity": activity, "occurrence": occurrence, "form": form},
    )


@network_view(Perm.ACTIVITY_PUBLISH)
def activity_publish(request, activity_id):
    activity = _activity(request, activity_id)
    if request.method == "POST":
        try:
            services.activity_publish(activity=activity)
        except ActivityRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The activity is in the guide now."))
        return _to_detail(activity)
    return render(
        request,
        "desk/activities/publish.html",
        {"activity": activity, **_report(activity)},
    )


@require_POST
@network_view(Perm.ACTIVITY_PUBLISH)
def activity_archive(request, activity_id):
    activity = _activity(request, activity_id)
    try:
        services.activity_archive(activity=activity)
    except ActivityRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The activity is archived. It is no longer in the guide."))
    return _to_detail(activity)
