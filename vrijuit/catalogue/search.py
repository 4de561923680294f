"""The public guide search (selectors.guide_search), answered from indexes.

* **Which activities.** "Has a coming date" is ``last_start >= now``: ``Activity.last_start``
  (the start of the last date that is not cancelled) is kept by database triggers, so the
  count and the filters read one index (``activity_guide``) and no dates. A period that ends
  (``date_to``) still asks for a date in the period.
* **Words** are found as substrings of the folded ``search_text``, as ``LIKE '%word%'`` did:
  on SQLite through an FTS5 trigram index, on PostgreSQL through a pg_trgm GIN index that
  ``LIKE`` uses (migration ``catalogue/0005_guide_search``). Words shorter than 3 letters
  have no trigram and are checked with ``LIKE``.
* **The order** is by next date, title, id. When many activities match, the first pages walk
  the network's coming dates in order (index ``occurrence_coming``) and stop once the
  activities of the asked page are known; a few activities are sorted outright.

``GuideResults`` behaves as the straightforward queryset (``reference``) for everything but
``count()`` and slices: the tests compare both.
"""

from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL

from .models import Activity, Occurrence

# At most this many matches: sort them all by their next date (one index look-up each).
# More: walk the coming dates in order instead.
SORT_AT_MOST = 1000
# The walk reads at most this many dates, then gives up (the matches lie far ahead):
# the page is then sorted outright.
WALK_AT_MOST = 16_000
WALK_FIRST = 200


def coming_dates(*, start_from, start_before=None):
    """Not cancelled occurrences from ``start_from`` (and before ``start_before``), soonest
    first, of any network: filtered by activity, they are read from the index on
    (activity, start)."""
    occurrences = Occurrence.objects.filter(start__gte=start_from, cancelled_at__isnull=True)
    if start_before is not None:
        occurrences = occurrences.filter(start__lt=start_before)
    return occurrences.order_by("start")


def first_start(occurrences):
    """The start of the first of ``occurrences`` of the activity of the outer query."""
    return Subquery(occurrences.filter(activity=OuterRef("pk")).values("start")[:1])


def has_date(occurrences):
    """Whether the activity of the outer query has one of ``occurrences``."""
    return Exists(occurrences.filter(activity=OuterRef("pk")))


def _fts_phrase(word):
    return '"' + word.replace('"', '""') + '"'


def word_conditions(words, *, prefix=""):
    """Conditions on activities (``prefix`` "activity__" from occurrences) that their folded
    search text holds every one of ``words`` (folded)."""
    conditions = [Q(**{f"{prefix}search_text__contains": w}) for w in words if len(w) < 3]
    long_words = [w for w in words if len(w) >= 3]
    if long_words and connection.vendor == "sqlite":
        match = RawSQL(
            "SELECT t.activity_id FROM catalogue_activity_fts f "
            "JOIN catalogue_activity_text t ON t.id = f.rowid "
            "WHERE catalogue_activity_fts MATCH %s",
            [" AND ".join(_fts_phrase(w) for w in long_words)],
        )
        conditions.append(Q(**{f"{prefix}id__in": match}))
    else:  # PostgreSQL: LIKE reads the trigram index
        conditions += [Q(**{f"{prefix}search_text__contains": w}) for w in long_words]
    return conditions


class GuideResults:
    """The activities found by the guide, soonest first: a queryset (``reference``, which
    answers everything else, e.g. ``filter()`` and iteration) whose ``count()`` and slices
    (what the paginator and the API read) come from indexes.

    ``counted`` counts the same activities as ``reference``; ``walk`` gives (activity id,
    start) of the dates that count (not cancelled, in the period, not started) of the
    network's activities that match, in date order; ``by_ids(ids)`` is ``reference`` for
    activities known to match. A page of at most ``SORT_AT_MOST`` activities is sorted
    outright when ``sort_few`` (one look-up of the next date each), else walked.
    """

    ordered = True

    def __init__(self, *, reference, counted, walk, by_ids, sort_few=True):
        self.reference = reference
        self._counted = counted
        self._walk = walk
        self._by_ids = by_ids
        self._sort_few = sort_few
        self._count = None

    def __getattr__(self, name):
        if name.startswith("_") or name == "reference":
            raise AttributeError(name)
        return getattr(self.reference, name)

    def __iter__(self):
        return iter(self.reference)

    def __len__(self):
        return self.count()

    def __bool__(self):
        return self.count() > 0

    def count(self):
        if self._count is None:
            self._count = self._counted.count()
        return self._count

    def __getitem__(self, key):
        if isinstance(key, int):
            if key < 0:
                raise IndexError("negative index")
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if key.step is not None or stop is None or start < 0 or stop <= start:
            return self.reference[key]
        if not self.count():
            return []
        if self.count() > SORT_AT_MOST or not self._sort_few:
            ids = self.first_ids(stop)
            if ids is not None:
                return list(self._by_ids(ids)[start:stop])
        return list(self.reference[start:stop])

    def first_ids(self, k):
        """Ids of activities among which are the first ``k`` of the order (next date, title,
        id), read from the coming dates in date order; None when that takes too long."""
        limit = max(WALK_FIRST, 4 * k)
        if limit > WALK_AT_MOST:  # a page far on
            return None
        while True:
            rows = list(self._walk[:limit])
            first = {}
            for activity_id, start in rows:
                first.setdefault(activity_id, start)
            if len(rows) < limit:
                return list(first)
            if len(first) >= k:
                kth = list(first.values())[k - 1]
                # Every date up to the k-th activity's next date has been read: an activity
                # not seen comes later than the first k.
                if rows[-1][1] > kth:
                    return [activity_id for activity_id, start in first.items() if start <= kth]
            if limit >= WALK_AT_MOST:
                return None
            limit = min(WALK_AT_MOST, limit * 4)


class NotIndexed(Func):
    """``+column`` on SQLite: a condition its planner does not answer from an index, so that
    it starts from the words' matches (FTS) rather than from the whole network's range of
    ``activity_guide`` (SQLite has no statistics to know better)."""

    template = "+%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


def not_indexed(name):
    field = Activity._meta.get_field(name)
    return NotIndexed(F(name), output_field=getattr(field, "target_field", field))


def uses_fts(words):
    """Whether ``word_conditions(words)`` starts from the FTS index (SQLite)."""
    return connection.vendor == "sqlite" and any(len(w) >= 3 for w in words)
