from datetime import datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from vrijuit.checkins.pricing import price_for
from vrijuit.participants.text import fold

from . import search
from .constants import ActivityState
from .models import Activity, Occurrence, Organiser


def organisers_for_network(network):
    """Active and inactive organisers of ``network``, by name."""
    return Organiser.objects.filter(network=network).order_by("name")


def organiser_get(*, network, pk):
    """One organiser of ``network``, or None (also when it belongs to another network)."""
    return Organiser.objects.filter(network=network, pk=pk).first()


# --- activities --------------------------------------------------------------------------

# How many coming occurrences a guide item carries.
NEXT_OCCURRENCES = 5


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def upcoming_occurrences(network, *, date_from=None, date_to=None, with_cancelled=False):
    """Occurrences of ``network`` that have not started yet, in the local days
    ``date_from`` to ``date_to`` (both included) when given."""
    occurrences = Occurrence.objects.filter(network=network, start__gte=timezone.now())
    if not with_cancelled:
        occurrences = occurrences.filter(cancelled_at__isnull=True)
    if date_from is not None:
        occurrences = occurrences.filter(start__gte=_day_start(date_from))
    if date_to is not None:
        occurrences = occurrences.filter(start__lt=_day_start(date_to + timedelta(days=1)))
    return occurrences.order_by("start")


def guide_search(
    network,
    *,
    q="",
    date_from=None,
    date_to=None,
    category=None,
    free=None,
    age=None,
    municipality=None,
):
    """Published activities of ``network`` with a coming occurrence that is not cancelled,
    soonest first; each carries ``upcoming`` (its next occurrences in the asked period).

    ``q`` matches every word in title or description, without regard to case or accents
    ("creche" finds "Crèche"); ``free`` keeps activities with a regular price of 0 (or, when
    False, leaves them out); ``age`` keeps activities whose age range includes it;
    ``municipality`` is a municipality id of the network.
    """
    # The dates of one activity at a time come from the index on (activity, start).
    dates = search.coming_dates(
        start_from=_day_start(date_from) if date_from is not None else timezone.now(),
        start_before=_day_start(date_to + timedelta(days=1)) if date_to is not None else None,
    )
    activities = Activity.objects.filter(
        search.has_date(dates), network=network, state=ActivityState.PUBLISHED
    )
    for word in fold(q).split()[:10]:
        activities = activities.filter(search_text__contains=word)
    if category:
        activities = activities.filter(category=category)
    if free is not None:
        activities = (
            activities.filter(regular_price=0) if free else activities.exclude(regular_price=0)
        )
    if age is not None:
        activities = activities.filter(
            Q(min_age__isnull=True) | Q(min_age__lte=age),
            Q(max_age__isnull=True) | Q(max_age__gte=age),
        )
    if municipality:
        activities = activities.filter(municipality_id=municipality)
    return (
        activities.annotate(next_start=search.first_start(dates))
        .select_related("organiser", "municipality")
        .prefetch_related(Prefetch("occurrences", dates[:NEXT_OCCURRENCES], to_attr="upcoming"))
        .order_by("next_start", "title", "pk")
    )


def guide_activity_get(network, pk):
    """A published activity of ``network`` with ``upcoming`` (its coming occurrences, the
    cancelled ones too), or None — also when it belongs to another network."""
    return (
        Activity.objects.filter(network=network, state=ActivityState.PUBLISHED, pk=pk)
        .select_related("organiser", "municipality")
        .prefetch_related(
            Prefetch(
                "occurrences",
                upcoming_occurrences(network, with_cancelled=True)[:50],
                to_attr="upcoming",
            )
        )
        .first()
    )


def activity_get(*, network, pk):
    """One activity of ``network`` in any state, or None."""
    return Activity.objects.filter(network=network, pk=pk).select_related("organiser").first()


def activity_price(activity, network):
    """What a pass holder pays for ``activity`` (checkins.pricing decides)."""
    return price_for(
        regular=activity.regular_price,
        settings=network,
        fixed_reduced_price=activity.fixed_reduced_price,
    )
