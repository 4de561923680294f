"""Helpers of the public guide search (selectors.guide_search)."""

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from .models import Occurrence


def coming_dates(*, start_from, start_before=None):
    """Coming, not cancelled occurrences from ``start_from`` (and before ``start_before``),
    soonest first, of any network: filtered by activity, they are read from the index on
    (activity, start) rather than from the network's every coming date."""
    occurrences = Occurrence.objects.filter(
        start__gte=max(start_from, timezone.now()), cancelled_at__isnull=True
    )
    if start_before is not None:
        occurrences = occurrences.filter(start__lt=start_before)
    return occurrences.order_by("start")


def first_start(occurrences):
    """The start of the first of ``occurrences`` of the activity of the outer query."""
    return Subquery(occurrences.filter(activity=OuterRef("pk")).values("start")[:1])


def has_date(occurrences):
    """Whether the activity of the outer query has one of ``occurrences``."""
    return Exists(occurrences.filter(activity=OuterRef("pk")))
