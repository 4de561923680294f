"""``{% activity_json_ld activity network %}``: schema.org Events for an activity's page."""

from django import template
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from vrijuit.catalogue.opendata import activity_events

register = template.Library()


@register.simple_tag(takes_context=True)
def activity_json_ld(context, activity, network):
    """A ``<script type="application/ld+json">`` block (data, not run, so the CSP allows it);
    ``<``, ``>`` and ``&`` are escaped by ``json_script``. Empty without coming dates."""
    occurrences = getattr(activity, "upcoming", None) or []
    if not occurrences:
        return ""
    path = reverse("public:activity", args=[network.slug, activity.pk])
    request = context.get("request")
    url = request.build_absolute_uri(path) if request else path
    events = activity_events(activity, occurrences, network=network, url=url)
    html = json_script(events if len(events) > 1 else events[0])
    # json_script escaped the data; only the (constant) type of the tag changes.
    return mark_safe(  # noqa: S308
        html.replace('<script type="application/json">', '<script type="application/ld+json">')
    )
