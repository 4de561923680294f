"""Open data of a network's guide: iCalendar feeds and a CSV export of the coming dates."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from vrijuit.catalogue import opendata
from vrijuit.catalogue.constants import Category
from vrijuit.networks.models import Network


def _detail_url(request, network):
    def detail_url(activity):
        return request.build_absolute_uri(
            reverse("public:activity", args=[network.slug, activity.pk])
        )

    return detail_url


def _calendar(request, network, category=None):
    network = get_object_or_404(Network, slug=network)
    if category is not None and category not in Category.values:
        raise Http404
    name = network.name
    if category is not None:
        name = f"{network.name} · {Category(category).label}"
    body = opendata.build_ical(
        opendata.feed_occurrences(network, category=category),
        detail_url=_detail_url(request, network),
        calendar_name=name,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"{network.slug}-{category}.ics" if category else f"{network.slug}.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def activities_ics(request, network):
    """All coming dates of the network's published activities, for a calendar app."""
    return _calendar(request, network)


@require_GET
def category_ics(request, network, category):
    """The coming dates of one category."""
    return _calendar(request, network, category)


@require_GET
def activities_csv(request, network):
    """The coming dates as a spreadsheet (``;`` and a UTF-8 BOM, as Excel in Belgium wants)."""
    network = get_object_or_404(Network, slug=network)
    body = opendata.build_csv(opendata.feed_occurrences(network), network=network)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-activities.csv"'
    return response
