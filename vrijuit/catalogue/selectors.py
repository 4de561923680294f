from datetime import datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone

from . import search
from .constants import ActivityState
from .models import LONG_AFTER, Activity, Occurrence, Organiser


def organisers_for_network(network):
    """Active and inactive organisers of ``network``, by name."""
    return Organiser.objects.filter(network=network).order_by("name")


def organiser_get(*, network, pk):
    """One organiser of ``network``, or None (also when it belongs to another network)."""
    return Organiser.objects.filter(network=network, pk=pk).first()


# --- activities --------------------------------------------------------------------------

# How many coming occurrences a guide item carries, and what of them.
NEXT_OCCURRENCES = 5
OCCURRENCE_FIELDS = [
    "id", "activity_id", "start", "end", "until", "cancelled_at", "cancel_reason"
]  # fmt: skip


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def upcoming_occurrences(network, *, date_from=None, date_to=None, with_cancelled=False):
    """Occurrences of ``network`` that are running or still to come (``Occurrence.until``),
    on the local days ``date_from`` to ``date_to`` (both included) when given, by start."""
    occurrences = Occurrence.objects.filter(network=network, until__gt=timezone.now())
    if not with_cancelled:
        occurrences = occurrences.filter(cancelled_at__isnull=True)
    if date_from is not None:
        occurrences = occurrences.filter(until__gt=_day_start(date_from))
    if date_to is not None:
        occurrences = occurrences.filter(start__lt=_day_start(date_to + timedelta(days=1)))
    return occurrences.order_by("start")


# A period of at most this many days is counted from its dates (the index on the network's
# dates), a longer one from the activities.
COUNT_DATES_DAYS = 14


def _activity_conditions(*, prefix, words, category, free, age, municipality, from_matches=True):
    """The guide's filters on activities (``prefix`` "activity__" from occurrences);
    ``words`` is a ``search.Words``; ``from_matches``: see ``Words.conditions``."""
    conditions = words.conditions(prefix=prefix, from_matches=from_matches)
    if category:
        conditions.append(Q(**{f"{prefix}category": category}))
    if free is not None:
        is_free = Q(**{f"{prefix}regular_price": 0})
        conditions.append(is_free if free else ~is_free)
    if age is not None:
        conditions.append(
            Q(**{f"{prefix}min_age__isnull": True}) | Q(**{f"{prefix}min_age__lte": age})
        )
        conditions.append(
            Q(**{f"{prefix}max_age__isnull": True}) | Q(**{f"{prefix}max_age__gte": age})
        )
    if municipality:
        conditions.append(Q(**{f"{prefix}municipality_id": municipality}))
    return conditions


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
    """Published activities of ``network`` with an occurrence that is not cancelled and is
    running or still to come (in the asked period: starts before its end and is not over at
    its start), the first to end first; each carries ``upcoming`` (those occurrences, at most
    five, the first to end first).

    ``q`` matches every word in title, description, organiser, place or municipality
    (``services.activity_search_text``), without regard to case or accents ("creche" finds
    "Crèche"), also inside a word ("knutsel" finds "knutselen"), and in other forms
    ("wandelingen" finds "Boswandeling", see ``search.search_words``); ``free`` keeps
    activities with a regular price of 0 (or, when False, leaves them out); ``age`` keeps
    activities whose age range includes it (an activity without ages is for all);
    ``municipality`` is a municipality id of the network.

    The result (``search.GuideResults``) is used as a queryset; its ``count()`` and slices
    are read from indexes (see ``search``).
    """
    now = timezone.now()
    start_from = max(_day_start(date_from), now) if date_from is not None else now
    start_before = _day_start(date_to + timedelta(days=1)) if date_to is not None else None
    dates = search.coming_dates(start_from=start_from, start_before=start_before)
    filters = {
        "words": search.Words(search.search_words(q)),
        "category": category,
        "free": free,
        "age": age,
        "municipality": municipality,
    }
    # A date that is not cancelled and not over exists exactly when the last one is not over.
    guide = [
        Q(network=network),
        Q(state=ActivityState.PUBLISHED),
        Q(last_until__gt=start_from),
    ]
    if filters["words"].from_index:
        # From the words' matches, not from the network's range of the guide's index.
        guide = [
            Exact(search.not_indexed("network"), network.pk),
            Exact(search.not_indexed("state"), ActivityState.PUBLISHED),
            GreaterThan(search.not_indexed("last_until"), start_from),
        ]
    activities = Activity.objects.filter(*guide, *_activity_conditions(prefix="", **filters))
    if start_before is not None:
        activities = activities.filter(search.has_date(dates))
    # The walk reads the dates from the index and looks each one's activity up (on SQLite,
    # its text row too, against the words' matches read once).
    walk_conditions = [
        *_activity_conditions(prefix="activity__", from_matches=False, **filters),
        Q(activity__network=network),
        Q(activity__state=ActivityState.PUBLISHED),
    ]
    walk = (
        dates.filter(*walk_conditions, network=network)
        # A total order (the index's): the walk reads it in pieces.
        .order_by("until", "activity_id")
        .values_list("activity_id", "until")
    )
    if start_before is not None:
        # A date in the period that ends more than LONG_AFTER after its end began before
        # it: a long one (``spans_days``, a partial index). So the dates of the period are
        # one bounded range of ``until``, then the long dates after it, in ``until`` order.
        bound = start_before + LONG_AFTER
        walk = [walk.filter(until__lte=bound), walk.filter(until__gt=bound, spans_days=True)]
    counted = activities
    short_period = start_before is not None and start_before - start_from <= timedelta(
        days=COUNT_DATES_DAYS
    )
    if short_period and not filters["words"]:
        ids = [part.order_by().values("activity_id") for part in walk]
        counted = ids[0].union(ids[1])  # UNION: each activity once

    next_dates = dates.only(*OCCURRENCE_FIELDS)[:NEXT_OCCURRENCES]

    def listed(activities):
        return (
            activities.annotate(next_until=search.first_until(dates))
            .select_related("organiser", "municipality")
            .prefetch_related(Prefetch("occurrences", next_dates, to_attr="upcoming"))
            .order_by("next_until", "title", "pk")
        )

    return search.GuideResults(
        reference=listed(activities),
        counted=counted,
        walk=walk,
        # The walk's activities match all filters: read them by id.
        by_ids=lambda ids: listed(Activity.objects.filter(pk__in=ids)),
        # In a period, sorting even a few activities looks at the dates of many.
        sort_few=start_before is None,
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
