"""The public guide search (selectors.guide_search), answered from indexes.

* **Which activities.** A date is shown while it is running or still to come: until its end,
  or without an end until the end of its day (``Occurrence.until``, set on save). "Has such
  a date" is ``last_until > now``: ``Activity.last_until`` (the latest ``until`` of the dates
  that are not cancelled) is kept by database triggers, so the count and the filters read
  one index (``activity_guide``) and no dates. A period that ends (``date_to``) still asks
  for a date that starts before its end.
* **Words** (folded, and shortened to a Dutch stem: ``search_words``) are found as substrings
  of the folded ``search_text``, as ``LIKE '%word%'`` did:
  on SQLite through an FTS5 trigram index, on PostgreSQL through a pg_trgm GIN index that
  ``LIKE`` uses (migration ``catalogue/0005_guide_search``). Words shorter than 3 letters
  have no trigram and are checked with ``LIKE``.
* **The order** is by the ``until`` of the next date (the first to end: a running date
  before the dates to come, a season after them), title, id. When many activities match,
  the first pages walk the network's dates in that order (index ``occurrence_coming``) and
  stop once the activities of the asked page are known; a few activities are sorted
  outright.

* **The count** stops at ``COUNT_AT_MOST`` ("more than 1,000 activities"): counting costs
  one look-up per activity counted. The pages end there too.

``GuideResults`` behaves as the straightforward queryset (``reference``) for everything but
``count()`` and slices: the tests compare both.
"""

import snowballstemmer

from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In, IsNull

from vrijuit.core.text import fold

from .models import Activity, ActivityText, Occurrence

# The guide counts at most this many activities ("more than 1,000"): a count costs one
# look-up per activity counted, and nobody pages through more. Its pages end there too.
COUNT_AT_MOST = 1000
# At most this many matches: sort them all by their next date (one index look-up each).
# More: walk the coming dates in order instead.
SORT_AT_MOST = 1000
# The walk reads at most this many dates, then gives up (the matches lie far ahead):
# the page is then sorted outright.
WALK_AT_MOST = 16_000
WALK_FIRST = 20


def coming_dates(*, start_from, start_before=None):
    """Not cancelled occurrences running at ``start_from`` or later (and starting before
    ``start_before``), of any network, the first to end (``until``) first: filtered by
    activity, they are read from the index on (activity, until)."""
    occurrences = Occurrence.objects.filter(until__gt=start_from, cancelled_at__isnull=True)
    if start_before is not None:
        occurrences = occurrences.filter(start__lt=start_before)
    return occurrences.order_by("until", "start", "id")


def first_until(occurrences):
    """The ``until`` of the first of ``occurrences`` of the activity of the outer query."""
    return Subquery(occurrences.filter(activity=OuterRef("pk")).values("until")[:1])


def has_date(occurrences):
    """Whether the activity of the outer query has one of ``occurrences``."""
    return Exists(occurrences.filter(activity=OuterRef("pk")))


# A query word is shortened to its Dutch stem (Snowball) when the stem is a beginning of the
# word of at least this many letters: a plural or another form then finds the activity.
STEM_AT_LEAST = 4


def search_words(text):
    """The words of a guide search: folded (case and accents, as ``search_text``), at most 10,
    each shortened to a Dutch stem where that stem begins the word ("wandelingen" → "wandel",
    "zwemlessen" → "zwemles", "activiteiten" → "activiteit"). Of Snowball's two Dutch
    stemmers the shortest such stem counts; a stem that is not a beginning of the word
    ("gezellige" → "zel", "lopen" → "loop") or shorter than ``STEM_AT_LEAST`` is not used,
    so that a word finds at least what it finds as typed."""
    stemmers = [snowballstemmer.stemmer(name) for name in ("dutch", "dutch_porter")]
    words = []
    for word in fold(text).split()[:10]:
        stems = [stemmer.stemWord(word) for stemmer in stemmers]
        stems = [s for s in stems if len(s) >= STEM_AT_LEAST and word.startswith(s)]
        words.append(min(stems, key=len) if stems else word)
    return words


def _fts_phrase(word):
    return '"' + word.replace('"', '""') + '"'


# On SQLite, a word search of at most this many matches is read once and the list passed on
# to the count and the page. More: the count reads the matches one by one (joined) and the
# page's walk tests each date's activity with LIKE (a common word, found after few dates).
LIST_AT_MOST = 5000


class Words:
    """The words of a guide search (``search_words``). On SQLite, words of 3 letters or more
    are one FTS5 trigram query (``models.ActivityFts``) whose matches, when few, are read
    here once (``matches``: rowids of ``models.ActivityText``); words shorter than 3 letters
    have no trigram and use ``LIKE``."""

    def __init__(self, words):
        self.words = list(words)
        self.short = [w for w in self.words if len(w) < 3]
        self.long = [w for w in self.words if len(w) >= 3]
        self.fts_query = None
        self.matches = None
        if self.long and connection.vendor == "sqlite":
            self.fts_query = " AND ".join(_fts_phrase(w) for w in self.long)
            with connection.cursor() as cursor:  # the matches as one JSON array
                cursor.execute(
                    "SELECT count(*), json_group_array(rowid) FROM (SELECT rowid "
                    "FROM catalogue_activity_fts WHERE catalogue_activity_fts MATCH %s LIMIT %s)",
                    [self.fts_query, LIST_AT_MOST + 1],
                )
                found, rowids = cursor.fetchone()
            if found <= LIST_AT_MOST:  # one parameter, not one per rowid
                self.matches = RawSQL("SELECT value FROM json_each(%s)", [rowids])

    def __bool__(self):
        return bool(self.words)

    @property
    def from_index(self):
        """Whether the words are looked up in a trigram index (FTS5 on SQLite, pg_trgm GIN on
        PostgreSQL): a count starts best from their matches."""
        return bool(self.long)

    def conditions(self, *, prefix="", from_matches=True):
        """Conditions on activities (``prefix`` "activity__" from occurrences) that their
        search text holds every word. ``from_matches``: the query starts from the words'
        matches in the trigram index (a count of them); otherwise from other rows (the
        walk's dates), each testing its activity."""
        conditions = [Q(**{f"{prefix}search_text__contains": w}) for w in self.short]
        like = [Q(**{f"{prefix}search_text__contains": w}) for w in self.long]
        if not self.long:
            return conditions
        if self.fts_query is None:  # PostgreSQL: LIKE reads the trigram index
            if from_matches:
                return conditions + like
            # A scalar subquery per row (PostgreSQL does not turn it into a join): joined,
            # the planner guesses few matches and sorts all their dates instead of walking.
            matching = (
                Activity.objects.filter(
                    *[Q(search_text__contains=w) for w in self.long], pk=OuterRef(f"{prefix}id")
                )
                .order_by()
                .values("pk")[:1]
            )
            return [*conditions, IsNull(Subquery(matching), False)]
        if self.matches is None:  # many matches
            if from_matches:  # joined: read one by one, up to the count's limit
                return [
                    *conditions,
                    Q(**{f"{prefix}text__fts__search_text__fts_match": self.fts_query}),
                ]
            return conditions + like
        if from_matches:
            return [*conditions, Q(**{f"{prefix}text__id__in": self.matches})]
        # "(SELECT t.id ... WHERE t.activity_id = <row>.activity_id) IN (...)": tested on
        # each row before its activity is read.
        text_id = ActivityText.objects.filter(activity=OuterRef(f"{prefix}id")).values("id")
        return [*conditions, In(Subquery(text_id), self.matches)]


class GuideResults:
    """The activities found by the guide, soonest first: a queryset (``reference``, which
    answers everything else, e.g. ``filter()`` and iteration) whose ``count()`` and slices
    (what the paginator and the API read) come from indexes.

    ``counted`` counts the same activities as ``reference``; ``walk`` (a queryset, or a list
    of querysets read one after the other) gives (activity id,
    until) of the dates that count (not cancelled, in the period, running or to come) of the
    network's activities that match, in the order of ``until``; ``by_ids(ids)`` is ``reference`` for
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
        self._more = False
        self._parts = walk if isinstance(walk, list) else [walk]
        self._part_sizes = {}

    def _walk_rows(self, start, stop):
        """Rows ``start`` to ``stop`` of the walk, its parts one after the other; read in
        order (each piece after the previous one), so a part's size is known once a piece
        comes back short."""
        rows, offset = [], start
        for n, part in enumerate(self._parts):
            size = self._part_sizes.get(n)
            if size is not None and offset >= size:
                offset -= size
                continue
            want = stop - start - len(rows)
            got = list(part[offset : offset + want])
            rows += got
            if len(got) == want:
                break
            self._part_sizes[n] = offset + len(got)
            offset = 0
        return rows

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
        """How many activities match, up to ``COUNT_AT_MOST`` (see ``more``)."""
        if self._count is None:
            found = self._counted.order_by()[: COUNT_AT_MOST + 1].count()
            self._more = found > COUNT_AT_MOST
            self._count = min(found, COUNT_AT_MOST)
        return self._count

    @property
    def more(self):
        """Whether more activities match than ``count()`` says; pages stop at that count."""
        self.count()
        return self._more

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
        stop = min(stop, self.count())
        if start >= stop:
            return []
        if self.count() > SORT_AT_MOST or self.more or not self._sort_few:
            ids = self.first_ids(stop)
            if ids is not None:
                return list(self._by_ids(ids)[start:stop])
        return list(self.reference[start:stop])

    def first_ids(self, k):
        """Ids of activities among which are the first ``k`` of the order (next date's
        ``until``, title, id), read from the dates in that order; None when that takes too
        long."""
        # Dates at the same time (ties) and a few of the same activity: read past them.
        limit = max(WALK_FIRST, 2 * k + 10)
        if limit > WALK_AT_MOST:  # a page far on
            return None
        rows, first = [], {}
        while True:
            more = self._walk_rows(len(rows), limit)
            for activity_id, until in more:
                first.setdefault(activity_id, until)
            rows += more
            if len(rows) < limit:
                return list(first)
            if len(first) >= k:
                kth = list(first.values())[k - 1]
                # Every date up to the k-th activity's next date has been read: an activity
                # not seen comes later than the first k.
                if rows[-1][1] > kth:
                    return [activity_id for activity_id, until in first.items() if until <= kth]
            if limit >= WALK_AT_MOST:
                return None
            limit = min(WALK_AT_MOST, limit * 4)


class NotIndexed(Func):
    """A column in a condition that the database does not answer from an index, so that the
    guide's count starts from the words' matches (trigram index) rather than from the whole
    network's range of ``activity_guide``: SQLite has no statistics to know better, and
    PostgreSQL's estimate of ``LIKE '%word%'`` is too rough to choose well. SQLite's idiom
    is ``+column``; on PostgreSQL ``COALESCE(column, column)`` (the same value) has no index
    and a small estimate."""

    template = "+%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"COALESCE({sql}, {sql})", params * 2


def not_indexed(name):
    field = Activity._meta.get_field(name)
    return NotIndexed(F(name), output_field=getattr(field, "target_field", field))
