#!/usr/bin/env python
"""Check-in benchmark: the scan at the door over HTTP, against bare Django views.

    .venv/bin/python bench/checkin.py --db sqlite
    .venv/bin/python bench/checkin.py --db postgresql [--seconds 10] [--workers 4]
    .venv/bin/python bench/checkin.py --db sqlite --quick          (under a minute)

Targets (docs/quality.md, "Speed"): a check-in (all eight rules, price, budget draw,
idempotency record) at 8 concurrent clients reaches ≥ 70 % of the throughput of a bare
Django view that does one small write transaction, on the same server and database, with
p99 ≤ 30 ms; the tariff question reaches ≥ 80 % of a bare Django JSON endpoint.

What it does, in one run, bounded in time and on loopback only:

1. a fresh database: an SQLite file in a temporary directory (the project's settings: WAL,
   IMMEDIATE transactions), or a throwaway PostgreSQL 15 cluster on a free 127.0.0.1 port
   (as ``.ci/run``; loaded with ``fsync=off``, then restarted with the defaults — fsync and
   ``synchronous_commit`` on — before measuring); migrated;
2. one network with ``--participants`` people (Flemish names; ~85 % with an active pass,
   ~75 % with this year's status, some expired, suspended or with a replaced card), a few
   organisers with activities and dates over the year, earlier check-ins of this year, a hard
   budget for the year with room left, limits per activity and per year (so that every rule
   runs), and an organiser API token; loaded with ``bulk_create``;
3. starts gunicorn (sync workers, ``--workers``) with ``bench.checkin_settings``: the
   product's settings and middleware, persistent database connections (``CONN_MAX_AGE``),
   the API rate limit raised so that it does not throttle, and two bench-only views
   (``bench/checkin_urls.py``, not in production's URLs);
4. for 1, 8 and 32 concurrent clients (threads, each with its own ``http.client``
   connection, reconnecting when the server closes it), measures in turn, each after a
   warm-up: ``POST /bench/json`` (bare JSON), ``POST /bench/write`` (bare one-write
   transaction), ``POST /api/v1/tariffs`` (the tariff question) and ``POST /api/v1/checkins``
   (full check-ins: each request a pass not yet checked in at that date, a new idempotency
   key, a budget draw); every answer is checked (200 / 201);
5. prints requests per second, p50 and p99 per case and number of clients, CPU time of the
   server (and of PostgreSQL) per request, the CPU pressure of the machine, and last
   ``RESULT db=… checkin_rps=… bare_write_rps=… ratio=… p99_ms=…`` (8 clients).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import itertools
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desk_search import (  # the helpers of the other benchmarks
    PG_BIN,
    Gunicorn,
    People,
    ThrowawayPostgres,
    load_average,
    loading,
    percentile,
    say,
    warm_page_cache,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261128
CASES = [
    # name, what it is
    ("bare_json", "bare Django JSON view"),
    ("bare_write", "bare Django view, one write transaction"),
    ("tariff", "tariff question (API)"),
    ("checkin", "check-in (API)"),
]
TARGET_RATIO = 0.70
TARGET_P99_MS = 30.0
TARGET_TARIFF_RATIO = 0.80
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- Data ---------------------------------------------------------------------------------


def load(participants, *, today, now):
    """The network, its people, organisers, activities, dates, earlier check-ins and a token.

    Returns what the clients need: the token, the dates open now of the token's organiser
    and the pass numbers that may check in there."""
    from django.db import transaction

    from vrijuit.api.services import api_token_create
    from vrijuit.catalogue.constants import ActivityState, Category
    from vrijuit.catalogue.models import Activity, Occurrence, Organiser
    from vrijuit.catalogue.pricing import price_for
    from vrijuit.checkins.constants import Channel
    from vrijuit.checkins.models import Budget, CheckIn
    from vrijuit.core.audit import audit_context
    from vrijuit.core.roles import Role
    from vrijuit.core.text import fold
    from vrijuit.networks.models import Municipality, Network
    from vrijuit.participants.constants import Basis
    from vrijuit.participants.models import Participant, Status
    from vrijuit.passes.models import Pass

    rng = random.Random(SEED)
    people = People(rng)
    suffix = f"{random.SystemRandom().randrange(10**6):06d}"
    with audit_context(label="bench/checkin.py", source="command"):
        network = Network.objects.create(
            slug=f"bench-{suffix}",
            name="Bench",
            max_checkins_per_activity_per_year=12,  # rule 7 runs, and lets people through
            max_discount_per_year=Decimal("2000.00"),
        )
        municipality = Municipality.objects.create(
            network=network, name="Borsbeek", postal_codes="2150"
        )
        organisers = [
            Organiser.objects.create(network=network, slug=f"club-{n}", name=f"Club {n}")
            for n in range(8)
        ]
        token_obj, token = api_token_create(
            network=network, role=Role.ORGANISER, organiser=organisers[0], name="door bench"
        )

    # Activities and dates: 8 organisers x 30 activities, dates over the year; the token's
    # organiser has 16 dates open now (started 30 minutes ago, until 6 hours from now).
    categories = list(Category.values)
    activities, occurrences = [], []
    open_now = []
    year_start = datetime(today.year, 1, 1, 10, 0, tzinfo=UTC)
    for o_index, organiser in enumerate(organisers):
        for a_index in range(30):
            regular = Decimal(rng.choice(["0.00", "3.50", "5.00", "8.00", "12.00", "25.00"]))
            activity = Activity(
                network=network,
                organiser=organiser,
                title=f"Activiteit {o_index}-{a_index}",
                description="Een activiteit voor iedereen. " * 20,
                category=rng.choice(categories),
                regular_price=regular,
                fixed_reduced_price=Decimal("1.00") if rng.random() < 0.1 else None,
                state=ActivityState.PUBLISHED,
                search_text=f"activiteit {o_index}-{a_index}",
            )
            activities.append(activity)
            for week in range(0, 52, 4):
                start = year_start + timedelta(weeks=week, days=a_index % 7)
                occurrences.append(
                    Occurrence(network=network, activity=activity, start=start,
                               end=start + timedelta(hours=2))
                )  # fmt: skip
            if o_index == 0 and a_index < 16:
                # Today's date, open now; the check-ins of the benchmark go here.
                activity.regular_price = Decimal("12.00") if a_index % 4 else Decimal("8.00")
                activity.fixed_reduced_price = None
                occurrence = Occurrence(
                    network=network, activity=activity, start=now - timedelta(minutes=30),
                    end=now + timedelta(hours=6),
                )  # fmt: skip
                occurrences.append(occurrence)
                open_now.append(occurrence)
    with transaction.atomic():
        Activity.objects.bulk_create(activities, batch_size=1000)
        Occurrence.objects.bulk_create(occurrences, batch_size=1000)

    # People: passes and statuses.
    bases = list(Basis.values)
    this_year = (date(today.year, 1, 1), date(today.year, 12, 31))
    last_year = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    eligible = []  # (participant, pass) that may check in today
    done, batch = 0, 2000
    folded = {}
    while done < participants:
        size = min(batch, participants - done)
        rows, passes, statuses = [], [], []
        for _ in range(size):
            first, last = people.first_name(), people.last_name()
            for name in (first, last):
                if name not in folded:
                    folded[name] = fold(name)
            p = Participant(
                network=network, first_name=first, last_name=last,
                first_name_folded=folded[first], last_name_folded=folded[last],
                birth_date=people.birth_date(), postal_code="2150", municipality=municipality,
                street="Kerkstraat 1", email="", language="nl",
                last_activity_on=today - timedelta(days=rng.randrange(400)),
            )  # fmt: skip
            rows.append(p)
            pass_obj = None
            if rng.random() < 0.85:
                if rng.random() < 0.08:  # an older card, replaced
                    passes.append(Pass(network=network, participant=p,
                                       number=people.pass_number(), state="replaced"))  # fmt: skip
                pass_obj = Pass(network=network, participant=p, number=people.pass_number())
                passes.append(pass_obj)
            kind = rng.random()
            current = False
            if kind < 0.20:
                periods = [last_year, this_year]
                current = True
            elif kind < 0.75:
                periods = [this_year]
                current = True
            elif kind < 0.85:
                periods = [last_year]
            else:
                periods = []
            suspended = current and rng.random() < 0.02
            for start, until in periods:
                statuses.append(
                    Status(
                        network=network, participant=p, basis=rng.choice(bases),
                        valid_from=start, valid_until=until, granted_by_label="bench",
                        suspended_from=start if suspended and until == this_year[1] else None,
                    )
                )  # fmt: skip
            if pass_obj is not None and current and not suspended:
                eligible.append((p, pass_obj))
        with transaction.atomic():
            Participant.objects.bulk_create(rows, batch_size=batch)
            Pass.objects.bulk_create(passes, batch_size=batch)
            Status.objects.bulk_create(statuses, batch_size=batch)
        done += size

    # Earlier check-ins of this year at past dates of other activities (so that rules 6 and 7
    # read a person's history), and the year's budget with what they spent.
    past = [o for o in occurrences if o.start < now - timedelta(days=1)] or occurrences[:1]
    checkins, spent = [], Decimal("0.00")
    for participant, pass_obj in rng.sample(eligible, k=len(eligible) // 3):
        for occurrence in rng.sample(past, k=min(len(past), rng.randint(1, 4))):
            activity = occurrence.activity
            price = price_for(regular=activity.regular_price, settings=network,
                              fixed_reduced_price=activity.fixed_reduced_price)  # fmt: skip
            scanned = occurrence.start + timedelta(minutes=5)
            checkins.append(
                CheckIn(
                    network=network, pass_obj=pass_obj, participant=participant,
                    occurrence=occurrence, activity=activity, organiser_id=activity.organiser_id,
                    year=scanned.year, scanned_at=scanned, received_at=scanned,
                    channel=Channel.API, actor_label="bench", regular_price=price.regular,
                    paid=price.paid, discount=price.discount, reimbursement=price.reimbursement,
                    organiser_cost=price.organiser_cost,
                )
            )  # fmt: skip
            spent += price.reimbursement
    with transaction.atomic():
        CheckIn.objects.bulk_create(checkins, batch_size=2000)
        Budget.objects.create(
            network=network, year=today.year, amount=Decimal("10000000.00"), spent=spent
        )
        # The bare write view's counter row (a year no check-in uses).
        counter = Budget.objects.create(network=network, year=1999, amount=None, spent=0)

    numbers = [pass_obj.number for _p, pass_obj in eligible]
    return {
        "network": network,
        "token": token,
        "token_obj": token_obj,
        "open_now": [str(o.pk) for o in open_now],
        "numbers": numbers,
        "counter_id": str(counter.pk),
        "earlier_checkins": len(checkins),
        "statuses": Status.objects.filter(network=network).count(),
        "passes": Pass.objects.filter(network=network).count(),
    }


def checkin_pairs(rng, numbers, occurrence_ids):
    """(pass number, date) pairs never checked in, ordered so that consecutive requests use
    different people: every eligible pass at the first date, then at the second, …"""
    shuffled = list(numbers)
    rng.shuffle(shuffled)
    for occurrence_id in occurrence_ids:
        for number in shuffled:
            yield number, occurrence_id


# --- Server -------------------------------------------------------------------------------


def proc_cpu_seconds(pid):
    """CPU time (user + system) of a process and all its descendants, from /proc."""
    total = 0.0
    stack = [pid]
    seen = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(child) for child in children)
    return total


def cpu_pressure():
    """avg10 of /proc/pressure/cpu ("some"): the share of time runnable tasks waited."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        return float(Path("/proc/pressure/cpu").read_text().split()[1].split("=")[1])
    return float("nan")


class Server(Gunicorn):
    """gunicorn with sync workers on 127.0.0.1 (the other benchmarks' helper), ready when the
    bare JSON view answers; with the CPU time of its processes."""

    def __init__(self, env, logdir, workers):
        super().__init__(env, logdir, workers=workers, ready=("POST", "/bench/json", b"{}"))

    def cpu_seconds(self):
        return proc_cpu_seconds(self.proc.pid)


def postgres_durable_restart(postgres):
    """Restart the throwaway cluster without ``fsync=off``: measure with the defaults."""
    data = f"{postgres.dir}/data"
    postgres._run(f"{PG_BIN}/pg_ctl", f"--pgdata={data}", "-m", "fast", "-w", "stop")
    options = (
        f"-c listen_addresses=127.0.0.1 -p {postgres.port} "
        f"-c unix_socket_directories={postgres.dir} -c max_connections=100"
    )
    log = Path(postgres.dir, "server.log")
    result = postgres._run(
        f"{PG_BIN}/pg_ctl", f"--pgdata={data}", f"--log={log}", "-w", "-t", "60", "-o", options,
        "start", check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit("PostgreSQL did not restart:\n" + log.read_text()[-3000:])


def postmaster_pid(postgres):
    return int(Path(postgres.dir, "data", "postmaster.pid").read_text().split()[0])


# --- Clients ------------------------------------------------------------------------------


class Requests:
    """The request bodies of each case; thread-safe (``next`` on an iterator under a lock)."""

    def __init__(self, token, numbers, open_now, rng):
        self.auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                     "Accept": "application/json"}  # fmt: skip
        self.plain = {"Content-Type": "application/json", "Accept": "application/json"}
        self.numbers, self.open_now = numbers, open_now
        # The last two dates are for tariff questions only: never checked in by the run, so
        # every question is answered with the reduced price (no early refusal).
        self.tariff_pairs = itertools.cycle(
            [(rng.choice(numbers), rng.choice(open_now[-2:])) for _ in range(5000)]
        )
        self.checkin_pairs = checkin_pairs(rng, numbers, open_now[:-2])
        self.lock = threading.Lock()
        self.used_checkins = 0

    def next(self, case):
        """(path, headers, body, expected statuses)."""
        with self.lock:
            if case == "checkin":
                number, occurrence = next(self.checkin_pairs)
                self.used_checkins += 1
            else:
                number, occurrence = next(self.tariff_pairs)
        body = {"pass_number": number, "occurrence": occurrence}
        if case == "bare_json":
            return "/bench/json", self.plain, json.dumps(body), (200,)
        if case == "bare_write":
            return "/bench/write", self.plain, json.dumps(body), (200,)
        if case == "tariff":
            return "/api/v1/tariffs", self.auth, json.dumps(body), (200,)
        body["idempotency_key"] = str(uuid.uuid4())
        return "/api/v1/checkins", self.auth, json.dumps(body), (201,)


def check_answer(case, status, body, expected):
    if status not in expected:
        return f"HTTP {status}: {body[:300]!r}"
    if case == "tariff":
        answer = json.loads(body)
        if answer.get("code") is not None:
            return f"tariff refused: {answer.get('code')}"
    if case in ("bare_write",) and not json.loads(body).get("ok"):
        return "the counter row was not updated"
    return None


def run_case(server, requests, case, clients, seconds, warmup):
    """``clients`` threads send requests of ``case`` for ``warmup`` + ``seconds`` seconds; the
    requests started after the warm-up are counted."""
    start = time.monotonic()
    measure_from = start + warmup
    stop_at = measure_from + seconds
    latencies = [[] for _ in range(clients)]
    errors = []
    counted_end = [measure_from] * clients
    marks = {}

    def client(index):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        mine = latencies[index]
        try:
            while True:
                path, headers, body, expected = requests.next(case)
                t0 = time.monotonic()
                if t0 >= stop_at:
                    break
                try:
                    conn.request("POST", path, body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    status = response.status
                    if response.will_close:
                        conn.close()  # sync workers close after each answer; reconnect
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    status, data = 0, repr(exc).encode()
                t1 = time.monotonic()
                problem = check_answer(case, status, data, expected)
                if problem is not None:
                    errors.append(problem)
                if t0 >= measure_from:
                    mine.append((t1 - t0) * 1000)
                    counted_end[index] = t1
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]

    def mark_start():
        marks["server_cpu"] = server.cpu_seconds()
        marks["db_cpu"] = db_cpu()
        marks["own_cpu"] = own_cpu()
        marks["pressure"] = []

    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    mark_start()
    while time.monotonic() < stop_at:
        time.sleep(min(1.0, max(0.0, stop_at - time.monotonic())))
        marks["pressure"].append(cpu_pressure())
    server_cpu, db, own = server.cpu_seconds(), db_cpu(), own_cpu()
    for thread in threads:
        thread.join(timeout=60)
    values = sorted(ms for per_client in latencies for ms in per_client)
    elapsed = max(counted_end) - measure_from
    n = len(values)
    return {
        "n": n,
        "rps": n / elapsed if elapsed > 0 else float("nan"),
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": values[-1] if values else float("nan"),
        "errors": errors,
        "server_ms": (server_cpu - marks["server_cpu"]) * 1000 / n if n else float("nan"),
        # None when a PostgreSQL backend ended during the case (its CPU time left the sum).
        "db_ms": (db - marks["db_cpu"]) * 1000 / n
        if n and db is not None and db >= marks["db_cpu"]
        else None,
        "client_ms": (own - marks["own_cpu"]) * 1000 / n if n else float("nan"),
        "pressure": sum(marks["pressure"]) / len(marks["pressure"]) if marks["pressure"] else 0,
    }


_DB_PID = {"pid": None}


def db_cpu():
    pid = _DB_PID["pid"]
    return None if pid is None else proc_cpu_seconds(pid)


def own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- Reporting ----------------------------------------------------------------------------


def print_table(results, levels):
    say(
        f"    {'case':<44}{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'server':>9}{'db':>7}{'client':>8}{'psi %':>7}{'errors':>8}"
    )
    for name, label in CASES:
        for clients in levels:
            r = results.get((name, clients))
            if r is None:
                continue
            db = "-" if r["db_ms"] is None else f"{r['db_ms']:.2f}"
            say(
                f"    {label:<44}{clients:>8}{r['rps']:>9.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
                f"{r['max']:>9.1f}{r['server_ms']:>9.2f}{db:>7}{r['client_ms']:>8.2f}"
                f"{r['pressure']:>7.0f}{len(r['errors']):>8}"
            )
    say(
        "    (server, db, client: CPU ms per request of gunicorn's workers, of PostgreSQL, of "
        "this process's client threads; psi: CPU pressure, avg10 of /proc/pressure/cpu)"
    )


# --- Main ---------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per case and level")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before counting")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--clients", default="1,8,32", help="concurrency levels")
    parser.add_argument("--quick", action="store_true", help="3,000 people, 2 s per case")
    parser.add_argument("--max-seconds", type=int, default=1200, help="a hard time limit")
    args = parser.parse_args()
    if args.quick:
        args.participants = min(args.participants, 3000)
        args.seconds, args.warmup = 2.0, 0.5
    levels = sorted({int(c) for c in args.clients.split(",")})
    if 8 not in levels:
        levels = sorted({*levels, 8})
    if min(levels) < 1 or max(levels) > 64 or args.participants < 500 or args.workers < 1:
        parser.error("clients 1..64, --participants ≥ 500, --workers ≥ 1")

    def hard_stop(signum, frame):
        raise TimeoutError("the benchmark ran past its time limit")

    signal.signal(signal.SIGALRM, hard_stop)
    signal.alarm(args.max_seconds)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))

    tmp = tempfile.mkdtemp(prefix="vrijuit-bench-checkin.")
    postgres = None
    servers = []
    try:
        if args.db == "sqlite":
            url = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            say("==> Starting a throwaway PostgreSQL 15 cluster on 127.0.0.1")
            postgres = ThrowawayPostgres()
            url = postgres.start()
        run(args, levels, url, tmp, postgres, servers)
    finally:
        signal.alarm(0)
        for server in servers:
            server.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, levels, url, tmp, postgres, servers):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "bench.checkin_settings",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    t_start = time.perf_counter()
    vendor = connection.vendor
    say(
        f"==> Check-in benchmark: {vendor}, {args.participants:,} participants, gunicorn "
        f"{args.workers} sync workers, {args.seconds:g} s per case (+{args.warmup:g} s warm-up), "
        f"clients {levels}"
    )
    import gunicorn
    import ninja

    say(
        f"    Python {sys.version.split()[0]}, Django {django.get_version()}, django-ninja "
        f"{ninja.__version__}, gunicorn {gunicorn.__version__}; CONN_MAX_AGE "
        f"{settings.DATABASES['default']['CONN_MAX_AGE']}, API_RATE_AUTHENTICATED "
        f"{settings.API_RATE_AUTHENTICATED} (raised for the benchmark)"
    )
    if vendor == "sqlite":
        import sqlite3

        say(f"    SQLite {sqlite3.sqlite_version}, a file in {tmp} (WAL, IMMEDIATE)")
    call_command("migrate", verbosity=0, interactive=False)

    today = timezone.localdate()
    now = timezone.now()
    t0 = time.perf_counter()
    with loading(connection):
        data = load(args.participants, today=today, now=now)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    say(
        f"==> Loaded in {time.perf_counter() - t0:.1f} s: {args.participants:,} participants, "
        f"{data['passes']:,} passes, {data['statuses']:,} statuses, "
        f"{data['earlier_checkins']:,} earlier check-ins, {len(data['open_now'])} dates open now, "
        f"{len(data['numbers']):,} passes that may check in"
    )
    connections.close_all()
    if postgres is not None:
        postgres_durable_restart(postgres)
        _DB_PID["pid"] = postmaster_pid(postgres)
        with connection.cursor() as cursor:
            cursor.execute("SELECT version(), current_setting('fsync'), "
                           "current_setting('synchronous_commit')")  # fmt: skip
            version, fsync, sync_commit = cursor.fetchone()
        connections.close_all()
        say(f"    {version.split(' on ')[0]}; fsync={fsync}, synchronous_commit={sync_commit}")
    files = [Path(tmp)] if vendor == "sqlite" else [Path(postgres.dir, "data", "base")]

    env["BENCH_COUNTER_ID"] = data["counter_id"]
    server = Server(env, tmp, args.workers)
    servers.append(server)
    server.start()
    requests = Requests(data["token"], data["numbers"], data["open_now"], random.Random(SEED))
    # The generated data stays in this process: keep the collector from walking it.
    gc.collect()
    gc.freeze()
    warm_page_cache(files)
    say(f"==> gunicorn on 127.0.0.1:{server.port}; {load_average()}")

    results = {}
    for clients in levels:
        say(f"==> {clients} client{'s' if clients > 1 else ''}")
        for name, label in CASES:
            r = run_case(server, requests, name, clients, args.seconds, args.warmup)
            results[name, clients] = r
            db = "" if r["db_ms"] is None else f", PostgreSQL {r['db_ms']:.2f}"
            say(
                f"    {label:<44} {r['rps']:>7.0f} req/s  p50 {r['p50']:6.2f}  p99 "
                f"{r['p99']:6.2f} ms  (CPU ms/req: server {r['server_ms']:.2f}{db}, client "
                f"{r['client_ms']:.2f}; CPU pressure {r['pressure']:.0f} %)"
            )
            if r["errors"]:
                say(f"      ! {len(r['errors'])} unexpected answers; the first: {r['errors'][0]}")
    say(f"    {requests.used_checkins:,} check-ins sent; {load_average()}")

    from vrijuit.checkins.models import Budget, CheckIn

    stored = CheckIn.objects.filter(network=data["network"], received_at__gte=now).count()
    counter = Budget.objects.get(pk=data["counter_id"]).spent
    connections.close_all()
    say(f"    check-ins stored by the run: {stored:,}; bare write counter: {counter}")
    if server.proc.poll() is not None or "Traceback" in server.tail():
        say("    ! the server's log has errors:\n" + server.tail())

    say()
    say(f"==> Results ({vendor}; {time.perf_counter() - t_start:.0f} s in all)")
    print_table(results, levels)
    c8, w8 = results["checkin", 8], results["bare_write", 8]
    t8, j8 = results["tariff", 8], results["bare_json", 8]
    ratio = c8["rps"] / w8["rps"] if w8["rps"] else float("nan")
    tariff_ratio = t8["rps"] / j8["rps"] if j8["rps"] else float("nan")

    def verdict(ok):
        return "met" if ok else "MISSED"

    say(
        f"==> Check-in at 8 clients: {ratio:.2f} of the bare write view (target ≥ "
        f"{TARGET_RATIO:.2f}: {verdict(ratio >= TARGET_RATIO)}); p99 {c8['p99']:.2f} ms (target ≤ "
        f"{TARGET_P99_MS:.0f} ms: {verdict(c8['p99'] <= TARGET_P99_MS)})"
    )
    say(
        f"==> Tariff at 8 clients: {tariff_ratio:.2f} of the bare JSON view (target ≥ "
        f"{TARGET_TARIFF_RATIO:.2f}: {verdict(tariff_ratio >= TARGET_TARIFF_RATIO)}); "
        f"TARIFF tariff_rps={t8['rps']:.0f} bare_json_rps={j8['rps']:.0f} "
        f"tariff_ratio={tariff_ratio:.2f}"
    )
    say(
        f"RESULT db={vendor} checkin_rps={c8['rps']:.0f} bare_write_rps={w8['rps']:.0f} "
        f"ratio={ratio:.2f} p99_ms={c8['p99']:.2f}"
    )


if __name__ == "__main__":
    main()
