"""The guide search from indexes (catalogue.search) gives what the straightforward query gives:
same activities, same order (next date to end, title, id), same count, same next dates; dates
that are running count as dates to come."""

import random
from datetime import datetime, time, timedelta

import pytest

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from vrijuit.catalogue import search, selectors
from vrijuit.catalogue.constants import ActivityState, Category
from vrijuit.catalogue.models import Activity, Occurrence
from vrijuit.catalogue.services import activity_update, occurrence_cancel
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.networks.tests.factories import MunicipalityFactory, NetworkFactory, OrganiserFactory

pytestmark = pytest.mark.django_db

WORDS = ["zwemmen", "crèche", "café-chantant", "wandeling", "knutselen", "yoga", "judo"]


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def shown_until(occurrence):
    """Until when a date is shown, from its start and end (not from ``Occurrence.until``)."""
    if occurrence.end is not None:
        return occurrence.end
    return _day_start(timezone.localtime(occurrence.start).date() + timedelta(days=1))


def straightforward(network, *, q="", date_from=None, date_to=None, category=None, free=None,
                    age=None, municipality=None):  # fmt: skip
    """The guide's query without indexes nor stored ``until``: (id, until of the next date,
    starts of the next 5 dates). A date counts from ``moment`` while it is running or to
    come: its end is later, or without an end, it starts on that day or later."""
    moment = max(_day_start(date_from), timezone.now()) if date_from else timezone.now()
    moment_day = _day_start(timezone.localtime(moment).date())
    dates = Occurrence.objects.filter(
        Q(end__gt=moment) | Q(end__isnull=True, start__gte=moment_day), cancelled_at__isnull=True
    )
    if date_to is not None:
        dates = dates.filter(start__lt=_day_start(date_to + timedelta(days=1)))
    by_activity = {}
    for date in dates:
        by_activity.setdefault(date.activity_id, []).append(date)
    activities = Activity.objects.filter(
        pk__in=list(by_activity), network=network, state=ActivityState.PUBLISHED
    )
    for word in search.search_words(q):  # folded, stemmed: see the test of search_words
        activities = activities.filter(search_text__contains=word)
    if category:
        activities = activities.filter(category=category)
    if free is not None:
        activities = (
            activities.filter(regular_price=0) if free else activities.exclude(regular_price=0)
        )
    if age is not None:
        activities = activities.exclude(min_age__gt=age).exclude(max_age__lt=age)
    if municipality:
        activities = activities.filter(municipality_id=municipality)
    found = []
    for activity in activities:
        shown = sorted(by_activity[activity.pk], key=lambda o: (shown_until(o), o.start, o.pk))
        found.append(
            (activity.pk, shown_until(shown[0]), [o.start for o in shown[:5]], activity.title)
        )
    found.sort(key=lambda row: (row[1], row[3], row[0]))
    return [row[:3] for row in found]


def found(results, start, stop):
    return [(a.pk, a.next_until, [o.start for o in a.upcoming]) for a in results[start:stop]]


@pytest.fixture
def guide_world():
    """Two networks; activities with words, categories, prices and ages; dates in the past,
    coming, running (a season, without an end today), over earlier today, cancelled, several
    at the same minute, some titles alike; drafts and archived."""
    rng = random.Random(20261127)
    network = NetworkFactory(slug="borsbeek")
    municipality = MunicipalityFactory(network=network)
    other = NetworkFactory(slug="elders")
    now = timezone.now().replace(second=0, microsecond=0)
    same_minute = now + timedelta(days=3, hours=2)
    organisers = {n.pk: OrganiserFactory(network=n) for n in (network, other)}
    for n in range(90):
        home = network if n % 9 else other
        word, extra = rng.sample(WORDS, 2)
        activity = ActivityFactory(
            organiser=organisers[home.pk],
            title=f"{word.capitalize()} {n % 7}",
            description=f"Een namiddag {extra}.",
            category=rng.choice(Category.values[:3]),
            min_age=rng.choice([None, 3, 12]),
            max_age=rng.choice([None, 18]),
            regular_price=rng.choice([0, 5, 12]),
            state=rng.choices(
                [ActivityState.PUBLISHED, ActivityState.DRAFT, ActivityState.ARCHIVED], [8, 1, 1]
            )[0],
            municipality=municipality if home == network and n % 3 == 0 else None,
        )
        for _ in range(rng.randint(0, 4)):
            if rng.random() < 0.2:
                start = same_minute
            else:
                start = now + timedelta(hours=rng.randint(-24 * 20, 24 * 40))
            end = start + timedelta(hours=2)
            kind = rng.random()
            if kind < 0.15:  # a season or a period: running now, or over, or to come
                end = start + timedelta(days=rng.randint(1, 60))
            elif kind < 0.3:  # without an end: shown on the day it starts
                end = None
            elif kind < 0.45:  # today: running, over, or to come
                start = now + timedelta(minutes=rng.randint(-10, 8) * 30)
                end = rng.choice([None, start + timedelta(hours=rng.randint(1, 4))])
            OccurrenceFactory(
                activity=activity, start=start, end=end, cancelled=rng.random() < 0.15
            )
    return network, municipality


def searches(network, municipality):
    today = timezone.localdate()
    return [
        {},
        {"q": "zwemmen"},
        {"q": "CRECHE"},
        {"q": "cafe chant"},
        {"q": "namiddag yo"},
        {"q": "ud"},
        {"q": "niemand"},
        {"q": 'zwem"'},
        {"category": Category.CULTURE},
        {"free": True},
        {"free": False},
        {"age": 14},
        {"age": 2, "category": Category.SPORT},
        {"municipality": municipality.pk},
        {"date_from": today + timedelta(days=3), "date_to": today + timedelta(days=3)},
        {"date_from": today, "date_to": today + timedelta(days=6)},
        {"date_from": today + timedelta(days=10)},
        {"date_to": today + timedelta(days=30)},
        {"date_from": today - timedelta(days=10), "date_to": today - timedelta(days=1)},
        {"q": "knutselen", "date_from": today, "date_to": today + timedelta(days=20)},
    ]


@pytest.mark.parametrize(
    "sort_at_most,walk_first,walk_at_most,count_at_most,list_at_most",
    [
        # as configured: few matches are sorted outright, words' matches read as a list
        (1000, 20, 16_000, 1000, 5000),
        # always walk the dates, in small steps (ties at the page's edge); words' matches
        # as a subquery
        (0, 2, 16_000, 1000, 0),
        (0, 2, 8, 1000, 5000),  # walk, and give up early: sorted outright after all
        (1000, 20, 16_000, 7, 5000),  # the count stops at 7, and so do the pages
        (0, 2, 16_000, 7, 0),
    ],
)
def test_the_indexed_search_finds_what_the_straightforward_query_finds(
    guide_world, monkeypatch, sort_at_most, walk_first, walk_at_most, count_at_most, list_at_most
):
    monkeypatch.setattr(search, "SORT_AT_MOST", sort_at_most)
    monkeypatch.setattr(search, "WALK_FIRST", walk_first)
    monkeypatch.setattr(search, "WALK_AT_MOST", walk_at_most)
    monkeypatch.setattr(search, "COUNT_AT_MOST", count_at_most)
    monkeypatch.setattr(search, "LIST_AT_MOST", list_at_most)
    network, municipality = guide_world

    for filters in searches(network, municipality):
        expected = straightforward(network, **filters)
        results = selectors.guide_search(network, **filters)

        assert results.count() == min(len(expected), count_at_most), filters
        assert results.more == (len(expected) > count_at_most), filters
        for start, stop in [(0, 20), (0, 1), (0, 3), (2, 5), (5, 9), (20, 40), (60, 80)]:
            assert found(results, start, stop) == expected[start : min(stop, count_at_most)], (
                filters,
                start,
                stop,
            )
        assert [a.pk for a in results] == [pk for pk, *_ in expected]


def test_the_search_world_has_what_the_comparison_needs(guide_world):
    network, _ = guide_world
    everything = straightforward(network)
    assert len(everything) > 40
    assert len({start for _, start, _ in everything}) < len(everything)  # ties in next date
    assert Occurrence.objects.filter(network=network, cancelled_at__isnull=False).exists()
    assert Occurrence.objects.filter(network=network, start__lt=timezone.now()).exists()
    now = timezone.now()
    running = Occurrence.objects.filter(network=network, start__lt=now, cancelled_at=None)
    assert running.filter(end__gt=now + timedelta(days=1)).exists()  # a season
    assert running.filter(end__gt=now, end__lt=now + timedelta(hours=4)).exists()  # today
    assert running.filter(end=None, start__gte=_day_start(timezone.localdate())).exists()
    assert running.filter(end__lt=now, end__gte=_day_start(timezone.localdate())).exists()
    assert straightforward(network, q="ud")  # a short word (no trigram): judo
    assert straightforward(network, q="cafe chant")


def test_the_guide_pages_through_a_walk_of_the_dates(client, monkeypatch):
    monkeypatch.setattr(search, "SORT_AT_MOST", 0)
    monkeypatch.setattr(search, "WALK_FIRST", 2)
    organiser = OrganiserFactory(network=NetworkFactory(slug="borsbeek"))
    soon = timezone.now().replace(microsecond=0) + timedelta(days=1)
    for n in range(25):
        activity = ActivityFactory(organiser=organiser, title=f"Activiteit {n:02}")
        OccurrenceFactory(activity=activity, start=soon + timedelta(hours=n % 5))
        OccurrenceFactory(activity=activity, start=soon + timedelta(days=2))

    first = client.get("/borsbeek/activities/").content.decode()
    second = client.get("/borsbeek/activities/?page=2").content.decode()

    assert "25 activiteiten" in first
    expected = [f"Activiteit {n:02}" for n in sorted(range(25), key=lambda n: (n % 5, n))]
    assert [t for t in expected if t in first] == expected[:20]
    assert first.index(expected[0]) < first.index(expected[1]) < first.index(expected[19])
    assert [t for t in expected if t in second] == expected[20:]


@pytest.mark.parametrize(
    "typed,word",
    [
        ("Wandelingen", "wandel"),  # a plural: finds "Boswandeling", "wandelen"
        ("zwemlessen", "zwemles"),  # the double consonant of the plural
        ("uitstappen", "uitstap"),
        ("activiteiten", "activiteit"),
        ("crèches", "creche"),  # accents folded first
        ("gezellige", "gezell"),  # not "zel": a stem must begin the word
        ("lopen", "lopen"),  # not "loop"
        ("bakken", "bakken"),  # not "bak": too short to stand for the word
        ("yoga", "yoga"),
    ],
)
def test_a_word_is_searched_by_its_dutch_stem_where_that_begins_it(typed, word):
    assert search.search_words(typed) == [word]


def test_a_plural_finds_the_activity_in_the_guide(client):
    organiser = OrganiserFactory(network=NetworkFactory(slug="borsbeek"))
    soon = timezone.now() + timedelta(days=2)
    for title in ["Boswandeling", "Zwemles voor kleuters", "Petanque"]:
        OccurrenceFactory(activity=ActivityFactory(organiser=organiser, title=title), start=soon)

    walks = client.get("/borsbeek/activities/?q=wandelingen").content.decode()
    lessons = client.get("/borsbeek/activities/?q=zwemlessen+kleuter").content.decode()

    assert "Boswandeling" in walks and "Zwemles" not in walks and "Petanque" not in walks
    assert "Zwemles voor kleuters" in lessons and "Boswandeling" not in lessons


def test_past_a_thousand_the_guide_says_more_and_its_pages_end_there(client, monkeypatch):
    """The count stops at COUNT_AT_MOST (here 5): the page says "more than", tells what to
    do, and the pages and the API end at the count."""
    monkeypatch.setattr(search, "COUNT_AT_MOST", 5)
    organiser = OrganiserFactory(network=NetworkFactory(slug="borsbeek"))
    soon = timezone.now().replace(microsecond=0) + timedelta(days=1)
    for n in range(7):
        # One title has a word of its own: digits could also match an organiser's or a
        # municipality's generated name, which the search reads too.
        title = f"Zwemmen {n} met flippers" if n == 3 else f"Zwemmen {n}"
        activity = ActivityFactory(organiser=organiser, title=title)
        OccurrenceFactory(activity=activity, start=soon + timedelta(hours=n))

    page = client.get("/borsbeek/activities/").content.decode()
    few = client.get("/borsbeek/activities/?q=zwemmen+flippers").content.decode()
    api = client.get("/api/v1/activities", {"network": "borsbeek"}).json()
    english = client.get("/borsbeek/activities/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Meer dan 5 activiteiten" in page
    assert "Kies een datum" in page
    assert [f"Zwemmen {n}" in page for n in range(7)] == [True] * 5 + [False] * 2
    assert "1 activiteit" in few and "Meer dan" not in few
    assert (api["count"], api["more_than_count"], api["pages"]) == (5, True, 1)
    assert [item["title"][:9] for item in api["items"]] == [f"Zwemmen {n}" for n in range(5)]
    assert "More than 5 activities" in english


# --- Activity.last_until and the text index are kept by the database ----------------------


def last_until(activity):
    return Activity.objects.values_list("last_until", flat=True).get(pk=activity.pk)


def test_the_last_until_follows_every_change_of_the_dates():
    """``last_until`` is the latest end of the dates not cancelled (without an end: the end
    of the day it starts on)."""
    activity = ActivityFactory()
    assert last_until(activity) is None
    now = timezone.now().replace(microsecond=0)
    early = OccurrenceFactory(activity=activity, start=now + timedelta(days=1))
    late = OccurrenceFactory(activity=activity, start=now + timedelta(days=5))
    assert last_until(activity) == late.end

    occurrence_cancel(occurrence=late, reason="Zwembad dicht")
    assert last_until(activity) == early.end

    early.start, early.end = now - timedelta(days=1), now + timedelta(days=30)  # a period
    early.save()
    assert last_until(activity) == now + timedelta(days=30)

    early.end = None  # yesterday, without an end: over at midnight
    early.save()
    assert last_until(activity) == _day_start(timezone.localdate())

    other = ActivityFactory(organiser=activity.organiser)
    early.activity = other
    early.save()
    assert last_until(activity) is None
    assert last_until(other) == _day_start(timezone.localdate())

    early.delete()
    assert last_until(other) is None
    Occurrence.objects.bulk_create(
        [Occurrence(network=other.network, activity=other, start=now + timedelta(days=9))]
    )
    nine = timezone.localdate(now + timedelta(days=9))
    assert last_until(other) == _day_start(nine + timedelta(days=1))


def test_a_stale_activity_saved_by_django_keeps_the_last_until_of_its_dates():
    activity = ActivityFactory()
    stale = Activity.objects.get(pk=activity.pk)
    date = OccurrenceFactory(activity=activity)

    activity_update(activity=stale, title="Nieuwe titel")
    Activity.objects.filter(pk=activity.pk).update(last_until=timezone.now() - timedelta(days=9))

    assert last_until(activity) == date.end


def test_the_text_index_follows_title_description_and_deletion():
    network = NetworkFactory()
    activity = ActivityFactory(organiser=OrganiserFactory(network=network), title="Petanque")
    OccurrenceFactory(activity=activity)
    assert [a.pk for a in selectors.guide_search(network, q="petanq")] == [activity.pk]

    activity_update(activity=activity, title="Kinderatelier", description="Knutselen")
    assert not selectors.guide_search(network, q="petanque").count()
    assert selectors.guide_search(network, q="atelier knutsel").count() == 1

    activity.delete()
    assert not selectors.guide_search(network, q="atelier").count()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM catalogue_activity_text")
            assert cursor.fetchone()[0] == Activity.objects.count()


def test_the_guide_search_triggers_exist():
    """A later migration that rebuilds the activity or occurrence table on SQLite drops its
    triggers: this fails until they are made again (see migration catalogue/0005)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {
                "catalogue_occurrence_last_until_insert",
                "catalogue_occurrence_last_until_update",
                "catalogue_occurrence_last_until_delete",
                "catalogue_activity_last_until_insert",
                "catalogue_activity_last_until_update",
                "catalogue_activity_text_insert",
                "catalogue_activity_text_delete",
                "catalogue_activity_text_update",
                "catalogue_activity_search_insert",
                "catalogue_activity_search_update",
                "catalogue_activity_search_delete",
            }
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = {"catalogue_occurrence_last_until", "catalogue_activity_last_until"}
        assert expected <= {name for (name,) in cursor.fetchall()}
