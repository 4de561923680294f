#!/usr/bin/env python
"""Public guide search benchmark: 100,000 activities with 300,000 dates (target p95 ≤ 50 ms).

    .venv/bin/python bench/guide_search.py --db sqlite
    .venv/bin/python bench/guide_search.py --db postgresql [--activities 100000] [--queries 300]

What it does, in one run, bounded in time and on loopback only (the database helpers are
those of bench/desk_search.py):

1. a fresh database: an SQLite file in a temporary directory, or a throwaway PostgreSQL 15
   cluster on a free 127.0.0.1 port (as the ``postgres`` user, deleted at the end); migrated;
2. network A with a tenth of ``--activities`` activities (3 dates each on average, from a
   month ago to half a year ahead, 2 hours, ~10 % without an end, ~2 % a season of months
   running now or later, ~4 % cancelled; ~90 % published) and network B with a
   tenth of that: Dutch titles and descriptions with accents ("crèche", "café", "wandeling"),
   categories, age ranges, prices (~25 % free);
3. measures, in process (the server time), ``guide_search(...)`` and the first page of 20 as
   the public list view materialises it (Paginator count + page + next dates + organiser +
   price) for a mix of searches: one word, two words, an accented word typed without accents,
   a category, free only, an age, a date range, no search at all;
4. grows the data to the full size and measures again;
5. at the full size, asks the same searches of the public page over HTTP (gunicorn, 2 sync
   workers, DEBUG off): the time a resident waits for the whole page on loopback, its size,
   and the memory of each worker afterwards (docs/quality.md: ≤ 150 MB resident per worker);
6. prints p50/p95/p99/max per kind and overall, the ratio full/tenth, the query plans, and a
   last line ``RESULT db=... activities=... p95_ms=... p95_tenth_ms=... http_p95_ms=...
   worker_rss_mb=...``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import urllib.parse
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk_search import (
    ROOT,
    Deadline,
    Gunicorn,
    ThrowawayPostgres,
    explain_statements,
    load_average,
    loading,
    measure,
    say,
    summary,
    warm_page_cache,
)

TARGET_P95_MS = 50.0
SEED = 20261127
PAGE_SIZE = 20  # vrijuit.public.views.GUIDE_PAGE_SIZE

# --- Vocabulary ---------------------------------------------------------------------------

SUBJECTS = {
    "sport": [
        "zwemmen",
        "zwemles",
        "voetbal",
        "petanque",
        "yoga",
        "fietstocht",
        "judo",
        "badminton",
        "dans",
        "turnen",
        "aquagym",
        "tennis",
        "schaatsen",
        "klimmen",
    ],
    "culture": [
        "theater",
        "concert",
        "film",
        "expositie",
        "museumbezoek",
        "voorleesuur",
        "poëzie",
        "café-chantant",
        "opéra",
        "fotografie",
        "koor",
        "muziekles",
    ],
    "youth": [
        "kinderatelier",
        "speelplein",
        "crèche",
        "jeugdkamp",
        "knutselen",
        "kleuterturnen",
        "tienerwerking",
        "speelpleinwerking",
        "kinderdisco",
        "huiswerkklas",
    ],
    "nature": [
        "wandeling",
        "natuurwandeling",
        "vogelspotten",
        "boswandeling",
        "tuinieren",
        "paddenstoelen",
        "moestuin",
        "kruidenwandeling",
        "daguitstap",
    ],
    "courses": [
        "kookles",
        "naailes",
        "computerles",
        "taalcafé",
        "crêpes bakken",
        "typles",
        "schilderles",
        "keramiek",
        "breien",
        "smartphonecursus",
    ],
    "holidays": ["zeereis", "daguitstap", "vakantiekamp", "citytrip", "busreis", "zomerkamp"],
    "other": ["ontmoeting", "praatcafé", "repair café", "buurtfeest", "infosessie", "brunch"],
}
ADJECTIVES = [
    "gezellige",
    "sportieve",
    "creatieve",
    "rustige",
    "feestelijke",
    "leerrijke",
    "familiale",
    "nieuwe",
    "wekelijkse",
    "zomerse",
    "winterse",
    "groene",
]
PLACES = [
    "Borsbeek",
    "Wommelgem",
    "Mortsel",
    "Deurne",
    "Gênes",
    "Lier",
    "Boechout",
    "Hove",
    "Edegem",
    "Kontich",
    "Ranst",
    "Zandhoven",
    "Schilde",
    "Brasschaat",
]
FILLERS = [
    "Voor jong en oud, iedereen is welkom.",
    "Inschrijven is niet nodig.",
    "Breng een drinkbus en stevige schoenen mee.",
    "We sluiten af met koffie en taart.",
    "De begeleiders zijn ervaren vrijwilligers.",
    "Ook voor mensen met een beperking.",
    "Met een hapje en een drankje na afloop.",
    "Samen met het OCMW en de bibliotheek.",
    "In het ontmoetingscentrum, gelijkvloers.",
    "Rolstoeltoegankelijk, met aangepast toilet.",
    "Kinderen onder 12 jaar komen met een volwassene.",
    "Een initiatie voor beginners.",
    "Na de activiteit is er een praatcafé.",
    "Meer info bij de dienst vrije tijd.",
]
AGES = [(None, None)] * 5 + [(3, 6), (6, 12), (12, 18), (0, 3), (18, None), (55, None), (6, 99)]

# (kind, weight) of the searches
KINDS = [
    ("one word", 20),
    ("two words", 15),
    ("without accents", 10),
    ("category", 10),
    ("free", 10),
    ("age", 10),
    ("date range", 10),
    ("no query", 15),
]


def all_words():
    words = set()
    for subjects in SUBJECTS.values():
        for subject in subjects:
            words.update(subject.replace("-", " ").split())
    return sorted(words)


def make_activity_fields(rng):
    category = rng.choice(list(SUBJECTS))
    subject = rng.choice(SUBJECTS[category])
    place = rng.choice(PLACES)
    title = f"{rng.choice(ADJECTIVES).capitalize()} {subject} in {place}"
    extra = rng.choice(SUBJECTS[rng.choice(list(SUBJECTS))])
    description = " ".join(
        [f"Een {rng.choice(ADJECTIVES)} namiddag {subject}, daarna {extra}.",
         *rng.sample(FILLERS, 3), f"Nummer {rng.randrange(10**6)}."]
    )  # fmt: skip
    min_age, max_age = rng.choice(AGES)
    price = Decimal(0) if rng.random() < 0.25 else Decimal(rng.choice([2, 3, 5, 8, 12, 25, 60]))
    return dict(
        title=title, description=description, category=category, min_age=min_age,
        max_age=max_age, regular_price=price, location_name=f"Zaal {place}",
        postal_code="2150",
    )  # fmt: skip


def load_activities(network, organisers, rng, count, *, now, batch=2000):
    from django.db import transaction

    from vrijuit.catalogue.constants import ActivityState
    from vrijuit.catalogue.models import Activity, Occurrence
    from vrijuit.catalogue.services import activity_search_text

    done = 0
    while done < count:
        n = min(batch, count - done)
        activities, occurrences = [], []
        for _ in range(n):
            activity = Activity(
                network=network,
                organiser=rng.choice(organisers),
                state=rng.choices(
                    [ActivityState.PUBLISHED, ActivityState.DRAFT, ActivityState.ARCHIVED],
                    [90, 5, 5],
                )[0],
                **make_activity_fields(rng),
            )
            activity.search_text = activity_search_text(activity)  # bulk_create skips services
            activities.append(activity)
            for _k in range(rng.choice([1, 2, 3, 3, 4, 5])):
                start = now + timedelta(
                    days=rng.randint(-30, 180), hours=rng.randint(8, 20) - now.hour
                )
                start = start.replace(minute=rng.choice([0, 15, 30]), second=0, microsecond=0)
                cancelled = now if rng.random() < 0.04 else None
                kind, end = rng.random(), start + timedelta(hours=2)
                if kind < 0.02:  # a season or a membership: running for months
                    start = start - timedelta(days=rng.randint(30, 120))
                    end = start + timedelta(days=rng.randint(60, 300))
                elif kind < 0.12:  # without an end: shown all day
                    end = None
                occurrences.append(
                    Occurrence(
                        network=network,
                        activity=activity,
                        start=start,
                        end=end,
                        cancelled_at=cancelled,
                    )
                )
        with transaction.atomic():
            Activity.objects.bulk_create(activities, batch_size=batch)
            Occurrence.objects.bulk_create(occurrences, batch_size=batch)
        done += n


class Filters(dict):
    """Keyword arguments of guide_search; ordered by their text (for the slowest list)."""

    def __lt__(self, other):
        return repr(self) < repr(other)


def make_queries(rng, count, today):
    from vrijuit.catalogue.constants import Category

    words = all_words()
    accented = [w for w in words if w != _fold(w)]
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    queries = []
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        filters = Filters()
        if kind == "one word":
            filters["q"] = rng.choice(words)
        elif kind == "two words":
            filters["q"] = f"{rng.choice(ADJECTIVES)} {rng.choice(words)}"
        elif kind == "without accents":
            filters["q"] = _fold(rng.choice(accented))
        elif kind == "category":
            filters["category"] = rng.choice(Category.values)
        elif kind == "free":
            filters["free"] = True
        elif kind == "age":
            filters["age"] = rng.randint(2, 70)
        elif kind == "date range":
            start = today + timedelta(days=rng.randint(0, 120))
            filters["date_from"] = start
            filters["date_to"] = start + timedelta(days=rng.choice([0, 1, 6]))
        queries.append((kind, filters))
    return queries


def _fold(text):
    from vrijuit.core.text import fold

    return fold(text)


def guide_page(network, filters):
    """What the public guide's list view computes for one search (vrijuit.public.views.guide)."""
    from django.core.paginator import Paginator

    from vrijuit.catalogue import selectors
    from vrijuit.catalogue.pricing import activity_price

    page = Paginator(selectors.guide_search(network, **filters), PAGE_SIZE).get_page(1)
    rows = []
    for activity in page:
        price = activity_price(activity, network)
        rows.append((activity.organiser.name, price, [o.start for o in activity.upcoming]))
    return page.paginator.count, rows


def measure_in_process(network, queries, deadline, rounds):
    from django.db import connection

    statements = {"n": 0}

    def count(execute, sql, params, many, context):
        statements["n"] += 1
        return execute(sql, params, many, context)

    def search(kind, filters):
        statements["n"] = 0
        total, _rows = guide_page(network, filters)
        return total, statements["n"]

    with connection.execute_wrapper(count):
        return measure(search, queries, deadline, rounds)


def explain(network, filters, vendor):
    from django.db import connection

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        guide_page(network, filters)
    return explain_statements(statements, vendor)


def guide_url(slug, filters):
    """The public guide's address for ``filters`` (the form's fields)."""
    query = {}
    for name, value in filters.items():
        if name == "free":
            query["free"] = "on"
        else:
            query[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return f"/{slug}/activities/?" + urllib.parse.urlencode(query)


def measure_http(server, slug, queries, deadline, rounds):
    """The whole public page over HTTP: time, and the largest page's size."""
    sizes, errors = [], []

    def search(kind, filters):
        status, body = server.request("GET", guide_url(slug, filters))
        if status != 200:
            errors.append((filters, status, body[:200]))
            return None, None
        sizes.append(len(body))
        return 0, None  # (found: not read from the page)

    return measure(search, queries, deadline, rounds), sizes, errors


def worker_memory(server):
    """(VmRSS, VmHWM) in MB of each gunicorn worker (the arbiter's children)."""
    children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children")
    found = []
    for pid in children.read_text().split():
        status = Path(f"/proc/{pid}/status").read_text()
        values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        found.append(tuple(int(values[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")))
    return found


def print_table(title, measurement):
    times, rows, statements = measurement.times, measurement.rows, measurement.statements
    say(f"  {title}")
    say(f"    {'kind':<18}{'n':>5}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}{'found':>9}{'SQL':>6}")
    for kind in [k for k, _ in KINDS] + ["overall"]:
        if kind not in times:
            continue
        s = summary(times[kind])
        line = (
            f"    {kind:<18}{s['n']:>5}{s['p50']:>9.2f}{s['p95']:>9.2f}{s['p99']:>9.2f}"
            f"{s['max']:>9.2f}"
        )
        if kind in rows and any(rows[kind]):
            line += f"{sum(rows[kind]) / len(rows[kind]):>9.0f}"
        if kind in statements:
            line += f"{sum(statements[kind]) / len(statements[kind]):>6.1f}"
        say(line)
    say("    (ms per search + first page; found = mean activities found; SQL = statements)")
    slowest = "; ".join(f"{kind} {q!r} {ms:.1f}" for ms, kind, q in measurement.slowest[:3])
    say(f"    slowest: {slowest}")
    rounds = ", ".join(f"{p95:.2f}" for p95 in measurement.round_p95)
    say(f"    p95 of each round on its own: {rounds} ms")


def print_ratio(tenth, full, tenth_n, full_n):
    say(f"  {full_n:,} activities against {tenth_n:,}")
    say(f"    {'kind':<18}{'p50 1/10':>10}{'p50 full':>10}{'ratio':>7}"
        f"{'p95 1/10':>10}{'p95 full':>10}{'ratio':>7}")  # fmt: skip
    for kind in [k for k, _ in KINDS] + ["overall"]:
        if kind not in tenth.times or kind not in full.times:
            continue
        a, b = summary(tenth.times[kind]), summary(full.times[kind])
        say(
            f"    {kind:<18}{a['p50']:>10.2f}{b['p50']:>10.2f}{b['p50'] / a['p50']:>7.2f}"
            f"{a['p95']:>10.2f}{b['p95']:>10.2f}{b['p95'] / a['p95']:>7.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--activities", type=int, default=100_000, help="of network A, full size")
    parser.add_argument("--queries", type=int, default=300, help="searches per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="runs per search; median counts")
    parser.add_argument("--max-seconds", type=int, default=1200, help="stop measuring after")
    args = parser.parse_args()
    if args.activities < 100 or args.queries < 8 or args.rounds < 1:
        parser.error("--activities ≥ 100, --queries ≥ 8 and --rounds ≥ 1")
    deadline = Deadline(args.max_seconds)

    def hard_stop(signum, frame):
        raise TimeoutError("the benchmark ran past its time limit")

    signal.signal(signal.SIGALRM, hard_stop)
    signal.alarm(args.max_seconds + 600)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix="vrijuit-bench.")
    postgres = None
    try:
        if args.db == "sqlite":
            url, files = f"sqlite:///{tmp}/bench.sqlite3", [Path(tmp)]
        else:
            say("==> Starting a throwaway PostgreSQL 15 cluster on 127.0.0.1")
            postgres = ThrowawayPostgres()
            url = postgres.start()
            files = [Path(postgres.dir, "data", "base")]
        run(args, url, deadline, files, tmp)
    finally:
        signal.alarm(0)
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, url, deadline, files, tmp):
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + "s" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from vrijuit.catalogue.models import Activity, Occurrence, Organiser
    from vrijuit.core.audit import audit_context
    from vrijuit.networks.models import Network

    vendor = connection.vendor
    say(
        f"==> Guide search: {vendor}, {args.activities:,} activities, {args.queries} searches "
        f"per measurement, Django {django.get_version()}, {load_average()}"
    )
    if vendor == "sqlite":
        import sqlite3

        say(f"    SQLite {sqlite3.sqlite_version}, a file in {tmp}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            say(f"    PostgreSQL {cursor.fetchone()[0]}")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    say(f"==> Migrated in {time.perf_counter() - t0:.1f} s")

    now = timezone.now()
    today = timezone.localdate()
    suffix = f"{random.SystemRandom().randrange(10**6):06d}"
    with audit_context(label="bench/guide_search.py", source="command"):
        net_a = Network.objects.create(slug=f"guide-a-{suffix}", name="Bench A")
        net_b = Network.objects.create(slug=f"guide-b-{suffix}", name="Bench B")
    organisers = {}
    for net in (net_a, net_b):
        organisers[net.pk] = Organiser.objects.bulk_create(
            [Organiser(network=net, slug=f"org-{i}", name=f"Vereniging {i}") for i in range(300)]
        )

    def count(network):
        return Activity.objects.filter(network=network).count()

    rng = random.Random(SEED)
    results = {}
    sizes = [("tenth", args.activities // 10), ("full", args.activities)]
    queries = None
    for label, size in sizes:
        say()
        say(f"==> [{label}] loading: network A up to {size:,} activities, B up to {size // 10:,}")
        t0 = time.perf_counter()
        with loading(connection):
            load_activities(net_a, organisers[net_a.pk], rng, size - count(net_a), now=now)
            load_activities(net_b, organisers[net_b.pk], rng, size // 10 - count(net_b), now=now)
        occ = Occurrence.objects.filter(network=net_a).count()
        say(
            f"    {time.perf_counter() - t0:.1f} s; network A has {count(net_a):,} activities "
            f"and {occ:,} dates, network B {count(net_b):,} activities"
        )
        if vendor == "postgresql":
            # As autovacuum leaves a table after a bulk load: statistics, and the visibility
            # map that lets the guide's count read the index alone (index-only scan).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            say("    VACUUM ANALYZE done")
        # The same searches at both sizes: the ratio compares like with like.
        queries = queries or make_queries(random.Random(SEED), args.queries, today)
        say(f"==> [{label}] in process: guide_search + first page; {load_average()}")
        warm_page_cache(files)
        results[label] = measure_in_process(net_a, queries, deadline, args.rounds)
        print_table(f"{size:,} activities", results[label])

    (_, n_tenth), (_, n_full) = sizes
    say()
    say(f"==> [full] over HTTP: the public page, gunicorn with 2 sync workers; {load_average()}")
    env = {**os.environ, "DEBUG": "0", "CONN_MAX_AGE": "60"}
    server = Gunicorn(env, tmp, workers=2, ready=("GET", f"/{net_a.slug}/activities/", None))
    server.start()
    try:
        http, sizes_seen, errors = measure_http(server, net_a.slug, queries, deadline, args.rounds)
        memory = worker_memory(server)
    finally:
        server.stop()
    if errors:
        raise SystemExit(f"the guide answered errors over HTTP: {errors[:3]}")
    print_table(f"{n_full:,} activities, whole page over HTTP", http)
    say(
        f"    page size: largest {max(sizes_seen) / 1024:.1f} KB, median "
        f"{sorted(sizes_seen)[len(sizes_seen) // 2] / 1024:.1f} KB (uncompressed HTML)"
    )
    say(
        "    workers after the searches: "
        + "; ".join(f"resident {rss:.0f} MB (peak {hwm:.0f} MB)" for rss, hwm in memory)
    )
    say()
    say("==> Cost of 10x the data")
    print_ratio(results["tenth"], results["full"], n_tenth, n_full)
    say()
    say(f"==> Query plans at {n_full:,} activities")
    samples = {
        "one word": {"q": "zwemmen"},
        "two words": {"q": "gezellige wandeling"},
        "without accents": {"q": "creche"},
        "category + age": {"category": "youth", "age": 8},
        "date range": {"date_from": today + timedelta(days=10), "date_to": today + timedelta(10)},
        "no query": {},
    }
    for title, filters in samples.items():
        say(f"  {title}: {filters}")
        for line in explain(net_a, filters, vendor):
            say(line)

    full = summary(results["full"].times["overall"])
    tenth = summary(results["tenth"].times["overall"])
    verdict = "met" if full["p95"] <= TARGET_P95_MS else "MISSED"
    say()
    say(
        f"==> Target p95 ≤ {TARGET_P95_MS:.0f} ms at {n_full:,} activities: {verdict} "
        f"(p95 {full['p95']:.2f} ms; {tenth['p95']:.2f} ms at {n_tenth:,}; "
        f"ratio {full['p95'] / tenth['p95']:.2f} for 10x the data)"
    )
    over_http = summary(http.times["overall"])
    say(
        f"RESULT db={vendor} activities={n_full} p95_ms={full['p95']:.2f} "
        f"p95_tenth_ms={tenth['p95']:.2f} http_p95_ms={over_http['p95']:.2f} "
        f"worker_rss_mb={max(hwm for _, hwm in memory):.0f}"
    )


if __name__ == "__main__":
    main()
