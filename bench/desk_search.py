#!/usr/bin/env python
"""Desk search benchmark: find one person among 200,000 participants (target p95 ≤ 50 ms).

    .venv/bin/python bench/desk_search.py --db sqlite
    .venv/bin/python bench/desk_search.py --db postgresql [--people 200000] [--queries 500]
    .venv/bin/python bench/desk_search.py --db postgresql --database-url postgres://...
        (an existing, throwaway database instead of a cluster of its own)

What it does, in one run, bounded in time and on loopback only:

1. a fresh database: an SQLite file in a temporary directory, or a throwaway PostgreSQL 15
   cluster on a free 127.0.0.1 port (started like ``.ci/run`` does, as the ``postgres`` user,
   deleted at the end), or the database of ``--database-url``; migrated;
2. network A with a tenth of ``--people`` participants and network B with a tenth of that
   (so that the network filter matters): Flemish names with accents and particles, birth dates
   from 1930 to 2024, ~60 % with an active pass (valid Luhn numbers), ~40 % with a status;
3. measures a mix of desk queries (last-name prefix, first-name prefix, "first last-prefix",
   pass number, birth date, unknown name) in two ways:
   (a) in process, the server time: ``participant_search`` + ``with_desk_details`` evaluated
       + the state of each person, what the desk's result list computes;
   (b) end to end over HTTP against gunicorn (``config.wsgi -w 2``) with a desk API token, on
       ``GET /api/v1/participants?q=`` (pass numbers with ``POST /api/v1/participants/search``,
       as the API asks); skipped with a note while that endpoint does not exist;
4. grows the data to the full size (network B again a tenth of A) and measures again;
   Every search runs ``--rounds`` times (3); its time is the median of its runs, so that a
   moment when another process had the CPU is not counted as the cost of the search;
5. prints p50/p95/p99/max per query kind and overall, the ratio full/tenth, the query plans,
   and a last line ``RESULT db=... people=... p95_ms=... p95_tenth_ms=...`` (in process).

The machine is shared and noisy: the load average is printed with every measurement, and
the ratio between the two sizes, measured in the same run, is the figure to compare.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
TARGET_P95_MS = 50.0
SEED = 20261127


# --- Names --------------------------------------------------------------------------------


def _names(text):
    return [name.strip() for name in text.split(",") if name.strip()]


# First names, roughly most frequent first (weights fall with the rank, Zipf-like).
FIRST_NAMES = _names("""
    Jan, Marc, Maria, Luc, Anna, Patrick, Marie, Dirk, Peter, Christiane, Koen, Monique, Bart,
    Hilde, Tom, Els, Wim, Ann, Jozef, Katrien, Frans, Sofie, Willy, Lotte, Eddy, Emma, André,
    Louise, René, Olivia, Noël, Mila, Stijn, Elena, Pieter, Nina, Thomas, Léa, Lucas, Zoë,
    Louis, Chloë, Arthur, Anaïs, Noah, Inès, Liam, Noémie, Jules, Hélène, Victor, Céline, Finn,
    Renée, Mathis, Josée, Lars, Ingrid, Wout, Nathalie, Jens, Véronique, Seppe, Françoise,
    Ruben, Élodie, Daan, Thaïs, Milan, Maëlle, Mohamed, Aïcha, Youssef, Fatima, Ayoub, Yasmine,
    Rayan, Salma, Adam, Amélie, Elias, Agnès, Mats, Jérôme, Senne, François, Lowie, Frédéric,
    Bram, Gaëtan, Joris, Loïc, Gert, Raphaël, Geert, Michaël, Kris, Joëlle, Filip, Leen, Hugo,
    Griet, Gilbert, Fien, Roger, Ella, Raymond, Lina, Marcel, Febe, Gaston, Jana, Achiel,
    Marthe, Paulien, Rosalie, Sien, Tuur, Staf, Warre, Vic, Nand, Wannes, Rik, Lieve, Godelieve,
    Hubert, Emiel, Cyriel, Irène, Yvette, Ghislaine, Marie-Louise, Anne-Sophie, Jean-Pierre,
    Jean-Marie, Saïd, Björn, Zeynep, Emre, Oğuz, Ewa, Agnieszka, Łukasz, Dorota, Søren, Maarten,
    Hendrik, Gerard, Willem, Karel, Lode, Mieke, Karin, Samira, Bas, Nele
""")
# Common Flemish surnames, most frequent first.
COMMON_LAST = _names("""
    Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet,
    Dubois, Lambert, Dupont, Hermans, Aerts, Martens, De Clercq, Vermeulen, Van Damme, Pauwels,
    De Vos, Desmet, Dumont, Michiels, Claeys, Verstraete, Smets, De Backer, Stevens, Declercq,
    Lemmens, Leroy, Van den Broeck, Vandenberghe, Vanderstraeten, De Meyer, Vandevelde,
    Van de Velde, Hendrickx, Wuyts, Verhaegen, Segers, Coppens, De Cock, Bogaerts, Vandamme,
    Cools, D'Hondt, De Bruyne, Van Dæle, Van Dyck, Van Hoof, Vanhoof, Verbeke, Verhoeven,
    Vercammen, Laenen, Geerts, Thys, Dewulf, De Wilde, De Winter, Van Acker, Vanden Bossche,
    Van den Bossche, Vanden Eynde, Van der Linden, Vander Elst, Verschueren, Nijs, Baert,
    Boeckx, Vlaeminck, Haegeman, De Coninck, Callebaut, Van Hecke, Deprez, Mahieu, Lefèvre,
    Lefebvre, Gevaert, Huysmans, Meeus, Daems, Van Gucht, Van Rompuy, De Wever, Vervoort,
    Tielemans, Van Looy, El Idrissi, El Amrani, Benali, Yılmaz, Öztürk, Demir, Nowak, Kowalski,
    Müller, Bauwens, Dierickx, Cornelis, Moens, Van Mechelen, Verlinden, Wijns, Engelen,
    Mathijs, Ceulemans, Vandewalle, Vanhove, Van Hove, Cuypers, Moreau, Lejeune, Ghysels,
    Renard, Hanssens, Op de Beeck, Ooms, T'Jampens, Du Bois, Le Compte, Van Bogaert, Sterckx,
    Dhondt, Verbruggen
""")
# A long tail of made-up but Flemish-looking surnames: particle + core + ending.
PARTICLES = [
    *[""] * 4,
    "Ver",
    *["Van "] * 2,
    *["De "] * 2,
    "Van de ",
    "Van den ",
    "Vanden ",
    "Vande",
    "Vanden",
    "Van der ",
    "Vander",
    "De",
    "Den ",
    "D'",
]
CORES = _names("""
    Bra, Cla, Dae, Gee, Hae, Kee, Laer, Mee, Mo, Noo, Pau, Roe, Scho, Slee, Steen, Tie, Vle,
    Wou, Wij, Zee, Acker, Bos, Broe, Cauw, Eyn, Gheld, Hey, Kerck, Lin, Meer, Poe, Put, Rijck,
    Sme, Stra, Ui, Wal, Wie, Bul, Dries, Hou, Lae, Mey, Pae, Ruy, Schep, Wae, Gro, Bae, Ele, Oos,
    Ijs, Zwa, Blo, Cré, Fé, Lé, Mé
""")
ENDINGS = _names("""
    ns, ts, mans, kens, gen, ghe, berghe, hoven, beke, walle, rijck, ckx, ssens, ters, meersch,
    poel, dries, laere, velde, broeck, bossche, eynde, linden, hove, damme, kerke, straete,
    weghe, sens, lst, naerde, rts, ys, ckaert, ghem, zele, lier, mont, ène, aert
""")
# Searched for, registered nowhere (people not registered yet are looked up first).
UNKNOWN_NAMES = _names("""
    Zwijsen, Quintyn, Xhonneux, Iwanowski, Hakimi, Ugurlu, Ystad, Jørgensen, Quaghebeur, Zaoui,
    Xavier, Ulrich, Imbrechts, Yperman, Quertinmont
""")


def _zipf_weights(n, s):
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


class People:
    """Makes up participants' data."""

    def __init__(self, rng):
        self.rng = rng
        # More concentrated than in Flanders (Jan ~4 % of people, Peeters ~1.4 %): common
        # prefixes are the expensive ones.
        self.first_weights = _zipf_weights(len(FIRST_NAMES), 0.5)
        self.common_weights = _zipf_weights(len(COMMON_LAST), 0.5)
        self.numbers = set()
        self.first_day = date(1930, 1, 1)
        self.days = (date(2024, 12, 31) - self.first_day).days

    def first_name(self):
        return self.rng.choices(FIRST_NAMES, self.first_weights)[0]

    def last_name(self):
        rng = self.rng
        if rng.random() < 0.30:
            return rng.choices(COMMON_LAST, self.common_weights)[0]
        particle, core, ending = rng.choice(PARTICLES), rng.choice(CORES), rng.choice(ENDINGS)
        if particle and not particle.endswith(" ") and particle != "D'":
            core = core.lower()  # Vandewalle, Vercammen, Demeersch
        return (particle + core + ending).strip()

    def birth_date(self):
        return self.first_day + timedelta(days=self.rng.randrange(self.days + 1))

    def pass_number(self):
        from vrijuit.passes.numbers import luhn_check_digit

        while True:
            payload = str(self.rng.randrange(1, 10)) + "".join(
                str(self.rng.randrange(10)) for _ in range(11)
            )
            number = payload + luhn_check_digit(payload)
            if number not in self.numbers:
                self.numbers.add(number)
                return number


# --- Small helpers ------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(sorted_values, pct):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * pct / 100
    low = int(k)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (k - low)


def summary(values_ms):
    values = sorted(values_ms)
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": values[-1] if values else float("nan"),
    }


def say(text=""):
    print(text, flush=True)


def load_average():
    one, five, _fifteen = os.getloadavg()
    text = f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"
    with contextlib.suppress(OSError, IndexError, ValueError):
        # The share of time that runnable tasks waited for a CPU (pressure stall information).
        some = Path("/proc/pressure/cpu").read_text().split()[1:3]
        text += f", CPU pressure {some[0].split('=')[1]} % (10 s), {some[1].split('=')[1]} % (60 s)"
    return text


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def passed(self):
        return time.monotonic() > self.end


# --- Databases ----------------------------------------------------------------------------


class ThrowawayPostgres:
    """A PostgreSQL 15 cluster in a temporary directory on 127.0.0.1, like .ci/run's."""

    user, password, dbname = "vrijuit", "vrijuit-bench", "vrijuit_bench"

    def __init__(self):
        self.dir = None
        self.port = None

    def _run(self, *cmd, check=True):
        # initdb and the server refuse to run as root. Run from the cluster's directory: the
        # postgres user may not be allowed into the checkout.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *cmd], cwd=self.dir, check=check, capture_output=True, text=True, timeout=120
        )

    def start(self):
        if not (PG_BIN / "initdb").exists():
            raise SystemExit(
                f"{PG_BIN}/initdb not found: install postgresql-15 (as .ci/run does) "
                "or pass --database-url"
            )
        self.dir = tempfile.mkdtemp(prefix="vrijuit-bench-pg.")
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise SystemExit("No 'postgres' user; create it as .ci/run does.") from exc
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        os.chmod(self.dir, 0o700)
        data = f"{self.dir}/data"
        self._run(
            f"{PG_BIN}/initdb",
            f"--pgdata={data}",
            "--username=postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        self.port = free_port()
        # Loopback only, socket in the temporary directory. fsync=off speeds up loading the
        # data; the measured path only reads.
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.dir} "
            "-c fsync=off"
        )
        log = Path(self.dir, "server.log")
        result = self._run(
            f"{PG_BIN}/pg_ctl", f"--pgdata={data}", f"--log={log}", "-w", "-t", "60", "-o",
            options, "start", check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise SystemExit(
                "PostgreSQL did not start:\n" + (log.read_text() if log.exists() else result.stderr)
            )
        self._run(
            f"{PG_BIN}/psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1",
            "-h", self.dir, "-p", str(self.port), "-U", "postgres", "-d", "postgres",
            "-c", f"CREATE ROLE {self.user} LOGIN PASSWORD '{self.password}'",
            "-c", f"CREATE DATABASE {self.dbname} OWNER {self.user}",
        )  # fmt: skip
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.dbname}"

    def stop(self):
        if not self.dir:
            return
        data = f"{self.dir}/data"
        if Path(data, "postmaster.pid").exists():
            for mode in ("fast", "immediate"):
                stop = [f"{PG_BIN}/pg_ctl", f"--pgdata={data}", "-m", mode, "-w", "stop"]
                if self._run(*stop, check=False).returncode == 0:
                    break
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


def warm_page_cache(directories):
    """Read the database's files once, as a server in use has them in memory.

    Machines of this kind page out memory untouched for about a minute (DAMON ``pageout``);
    without this, the first searches after loading 200,000 people read the disk.
    """
    for directory in directories:
        for path in Path(directory).rglob("*"):
            with contextlib.suppress(OSError):
                if path.is_file():
                    with path.open("rb") as file:
                        while file.read(1 << 20):
                            pass


# --- Loading data -------------------------------------------------------------------------


@contextlib.contextmanager
def loading(connection):
    """Load faster on SQLite (random UUID keys churn a small page cache); the measurements
    run with the settings' own pragmas and SQLite's default cache, as the server does."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size=-262144")
        cursor.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-2000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def load_people(network, municipality, people, count, *, today, batch=2000):
    """Add ``count`` participants to ``network`` (with passes and statuses); returns
    ``(first, last, birth date, active pass number)`` of everyone not erased."""
    from django.db import transaction

    from vrijuit.core.text import fold
    from vrijuit.participants.constants import Basis
    from vrijuit.participants.models import Participant, Status
    from vrijuit.passes.models import Pass

    rng = people.rng
    folded = {}
    added = []
    bases = list(Basis.values)
    this_year = (date(today.year, 1, 1), date(today.year, 12, 31))
    last_year = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    erased_at = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    done = 0
    while done < count:
        size = min(batch, count - done)
        participants, passes, statuses = [], [], []
        for _ in range(size):
            first, last, born = people.first_name(), people.last_name(), people.birth_date()
            erased = rng.random() < 0.005
            if erased:
                first, last, born = "(gewist)", "", date(born.year, 1, 1)
            for name in (first, last):
                if name not in folded:
                    folded[name] = fold(name)
            p = Participant(
                network=network,
                first_name=first,
                last_name=last,
                first_name_folded=folded[first],  # bulk_create skips save(), which folds
                last_name_folded=folded[last],
                birth_date=born,
                postal_code=municipality.postal_codes,
                municipality=municipality,
                language=rng.choices(["nl", "fr", "en"], [90, 7, 3])[0],
                last_activity_on=today - timedelta(days=rng.randrange(1500)),
                erased_at=erased_at if erased else None,
            )
            participants.append(p)
            number = None
            if rng.random() < 0.60:
                if rng.random() < 0.10:  # an older card, replaced
                    number = people.pass_number()
                    passes.append(Pass(network=network, participant=p, number=number,
                                       state="replaced"))  # fmt: skip
                number = people.pass_number()
                passes.append(Pass(network=network, participant=p, number=number))
            if rng.random() < 0.40:
                kind = rng.random()
                if kind < 0.25:
                    periods = [last_year, this_year]  # renewed
                elif kind < 0.85:
                    periods = [this_year]
                else:
                    periods = [last_year]  # expired
                statuses += [
                    Status(network=network, participant=p, basis=rng.choice(bases),
                           valid_from=start, valid_until=until, granted_by_label="bench")
                    for start, until in periods
                ]  # fmt: skip
            if not erased:
                added.append((first, last, born, number))
        with transaction.atomic():
            Participant.objects.bulk_create(participants, batch_size=batch)
            Pass.objects.bulk_create(passes, batch_size=batch)
            Status.objects.bulk_create(statuses, batch_size=batch)
        done += size
    return added


# --- Queries ------------------------------------------------------------------------------

KINDS = [
    # kind, share of the mix (%)
    ("last-name prefix", 30),
    ("first-name prefix", 10),
    ("first last-prefix", 20),
    ("pass number", 20),
    ("birth date", 10),
    ("unknown name", 10),
]


def _typed(rng, text):
    """How people type a name: as written, in lower case, or without accents."""
    from vrijuit.core.text import fold

    return rng.choice([text, text.lower(), fold(text)])


def make_queries(rng, people_rows, count):
    from vrijuit.passes.numbers import format_number

    with_pass = [row for row in people_rows if row[3]]
    total = sum(share for _, share in KINDS)
    queries = []
    for kind, share in KINDS:
        for _ in range(max(1, round(count * share / total))):
            first, last, born, _number = rng.choice(people_rows)
            if kind == "last-name prefix":
                q = _typed(rng, last[: rng.randint(2, 6)])
            elif kind == "first-name prefix":
                q = _typed(rng, first[: rng.randint(2, 6)])
            elif kind == "first last-prefix":
                q = _typed(rng, f"{first} {last[: rng.randint(2, 6)]}")
            elif kind == "pass number":
                q = format_number(rng.choice(with_pass)[3])  # "1234 5678 9012 3"
            elif kind == "birth date":
                q = born.strftime("%d/%m/%Y")
            else:
                q = rng.choice(UNKNOWN_NAMES)
            q = q.strip(" -'")
            queries.append((kind, q if len(q) >= 2 else last[:3]))
    rng.shuffle(queries)
    return queries


def desk_page(network, query, today):
    """What the desk's result list computes for one query (vrijuit.desk.participant_views)."""
    from vrijuit.participants import selectors

    found = selectors.with_desk_details(selectors.participant_search(network, query))
    return [
        (
            p,
            selectors.status_state(p, today, p.statuses.all())[0],
            p.active_passes[0] if p.active_passes else None,
        )
        for p in found
    ]


def measure(search, queries, deadline, rounds, warmup=20):
    """Time ``search(kind, q) -> (people found, SQL statements or None)`` for every query.

    The list runs ``rounds`` times; a query's time is the median of its rounds, so that a
    moment when another process had the CPU does not count as the search's cost. The p95 of
    each round on its own is kept too (``round_p95``).
    """
    for kind, q in queries[:warmup]:
        search(kind, q)
    # The generated data stays in this process (a server has none of it): keep the garbage
    # collector from walking it while measuring.
    gc.collect()
    gc.freeze()
    runs = [[] for _ in queries]
    round_p95 = []
    for _round in range(rounds):
        times = []
        for index, (kind, q) in enumerate(queries):
            if deadline.passed():
                say("  ! time budget spent: stopped measuring early")
                break
            t0 = time.perf_counter()
            found, statements = search(kind, q)
            ms = (time.perf_counter() - t0) * 1000
            if found is not None:
                runs[index].append((ms, found, statements))
                times.append(ms)
        round_p95.append(summary(times)["p95"])
    result = Measurement(round_p95)
    for (kind, q), timings in zip(queries, runs, strict=True):
        if timings:
            ms, found, statements = sorted(timings)[len(timings) // 2]
            result.add(kind, q, ms, found, statements)
    return result


def measure_in_process(network, queries, today, deadline, rounds):
    from django.db import connection

    statements = {"n": 0}

    def count(execute, sql, params, many, context):
        statements["n"] += 1
        return execute(sql, params, many, context)

    def search(kind, q):
        statements["n"] = 0
        return len(desk_page(network, q, today)), statements["n"]

    with connection.execute_wrapper(count):
        return measure(search, queries, deadline, rounds)


class Measurement:
    def __init__(self, round_p95=()):
        self.times, self.rows, self.statements = defaultdict(list), defaultdict(list), {}
        self.slowest = []
        self.round_p95 = list(round_p95)

    def add(self, kind, query, ms, rows, statements=None):
        self.times[kind].append(ms)
        self.times["overall"].append(ms)
        self.rows[kind].append(rows)
        if statements is not None:
            self.statements.setdefault(kind, []).append(statements)
        self.slowest = sorted([*self.slowest, (ms, kind, query)], reverse=True)[:5]


# --- HTTP ---------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn (sync workers) on 127.0.0.1 in its own session; ready when ``ready`` (method,
    path, body) answers 200."""

    def __init__(self, env, logdir, workers=2, ready=("GET", "/api/v1/openapi.json", None)):
        self.env, self.logdir, self.workers, self.ready = env, logdir, workers, ready
        self.proc = self.port = self.log = None

    def start(self):
        self.port = free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.log = open(Path(self.logdir, f"gunicorn-{self.port}.log"), "w")
        self.proc = subprocess.Popen(
            [str(gunicorn), "config.wsgi", "--worker-class", "sync", "-w", str(self.workers),
             "-b", f"127.0.0.1:{self.port}", "--backlog", "256", "--timeout", "60",
             "--graceful-timeout", "5"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        end = time.monotonic() + 60
        while time.monotonic() < end and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                method, path, body = self.ready
                if self.request(method, path, body=body)[0] == 200:
                    return
            time.sleep(0.2)
        log = self.tail()
        self.stop()
        raise RuntimeError("gunicorn did not start; its log:\n" + log)

    def tail(self):
        self.log.flush()
        return Path(self.log.name).read_text()[-3000:]

    def request(self, method, path, headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # the arbiter stops its own workers
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only gunicorn
                self.proc.wait(timeout=5)
        if self.log is not None:
            self.log.close()
        self.proc = None


def search_over_http(server, token, kind, q):
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if kind == "pass number":  # pass numbers do not travel in addresses (docs/api.md)
        headers["Content-Type"] = "application/json"
        body = json.dumps({"q": q})
        return server.request("POST", "/api/v1/participants/search", headers, body)
    return server.request("GET", "/api/v1/participants?q=" + urllib.parse.quote(q), headers)


def measure_http(server, token, queries, deadline, rounds):
    errors = []

    def search(kind, q):
        status, body = search_over_http(server, token, kind, q)
        if status != 200:
            errors.append((q, status, body[:200]))
            return None, None
        found = json.loads(body)
        return (len(found) if isinstance(found, list) else 0), None

    return measure(search, queries, deadline, rounds), errors


def api_search_exists(server):
    status, body = server.request("GET", "/api/v1/openapi.json")
    if status != 200:
        return False
    paths = json.loads(body).get("paths", {})
    return "get" in paths.get("/api/v1/participants", {})


# --- Query plans --------------------------------------------------------------------------


def explain(network, query, today, vendor, *, details=False):
    """The plan of every statement the search runs for ``query`` (with ``details``: also the
    statements that read the statuses and passes of the people found)."""
    from django.db import connection

    from vrijuit.participants.selectors import participant_search

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        if details:
            desk_page(network, query, today)
        else:
            list(participant_search(network, query))
    return explain_statements(statements, vendor)


def explain_statements(statements, vendor):
    """The plan of each captured ``(sql, params)``, explained with its own parameters."""
    from django.db import connection

    lines = []
    with connection.cursor() as cursor:
        for number, (sql, params) in enumerate(statements, 1):
            table = sql.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in sql else "?"
            lines.append(f"  [{number}] read {table}")
            # The statements Django just ran, explained with their own parameters.
            if vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                depth = {0: 0}
                for node_id, parent, _notused, detail in cursor.fetchall():
                    depth[node_id] = depth.get(parent, 0) + 1
                    lines.append("      " + "  " * (depth[node_id] - 1) + detail)
            else:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF) " + sql, params)
                for (line,) in cursor.fetchall():
                    line = re.sub(r"'\{[^}]{60,}\}'", "'{...ids...}'", line)
                    line = re.sub(r"'[0-9a-f-]{36}'::uuid", "'...'::uuid", line)
                    lines.append("      " + (line if len(line) <= 150 else line[:147] + "..."))
    return lines


# --- Reporting ----------------------------------------------------------------------------


def print_table(title, measurement):
    times, rows, statements = measurement.times, measurement.rows, measurement.statements
    say(f"  {title}")
    header = f"    {'kind':<20}{'n':>5}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}{'found':>7}"
    say(header + (f"{'SQL':>6}" if statements else ""))
    for kind in [k for k, _ in KINDS] + ["overall"]:
        if kind not in times:
            continue
        s = summary(times[kind])
        line = (
            f"    {kind:<20}{s['n']:>5}{s['p50']:>9.2f}{s['p95']:>9.2f}{s['p99']:>9.2f}"
            f"{s['max']:>9.2f}"
        )
        if kind in rows:
            line += f"{sum(rows[kind]) / len(rows[kind]):>7.1f}"
        if kind in statements:
            line += f"{sum(statements[kind]) / len(statements[kind]):>6.1f}"
        say(line)
    say(
        "    (ms per search; found = mean people found"
        + ("; SQL = mean statements per search)" if statements else ")")
    )
    slowest = "; ".join(f"{q!r} {ms:.1f}" for ms, _kind, q in measurement.slowest)
    say(f"    slowest: {slowest}")
    rounds = ", ".join(f"{p95:.2f}" for p95 in measurement.round_p95)
    say(f"    p95 of each round on its own (not the median of the rounds): {rounds} ms")


def print_ratio(title, tenth, full, tenth_n, full_n):
    say(f"  {title}: {full_n:,} participants against {tenth_n:,}")
    say(
        f"    {'kind':<20}{'p50 1/10':>10}{'p50 full':>10}{'ratio':>7}"
        f"{'p95 1/10':>10}{'p95 full':>10}{'ratio':>7}"
    )
    for kind in [k for k, _ in KINDS] + ["overall"]:
        if kind not in tenth.times or kind not in full.times:
            continue
        a, b = summary(tenth.times[kind]), summary(full.times[kind])
        say(
            f"    {kind:<20}{a['p50']:>10.2f}{b['p50']:>10.2f}{b['p50'] / a['p50']:>7.2f}"
            f"{a['p95']:>10.2f}{b['p95']:>10.2f}{b['p95'] / a['p95']:>7.2f}"
        )


# --- Main ---------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument(
        "--people", type=int, default=200_000, help="participants of network A at full size"
    )
    parser.add_argument(
        "--queries", type=int, default=500, help="searches per measurement (default 500)"
    )
    parser.add_argument(
        "--database-url",
        help="an existing, throwaway PostgreSQL database to use instead of a cluster of its own "
        "(the data stays there)",
    )
    parser.add_argument(
        "--analyze",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ANALYZE after loading (default: yes on PostgreSQL, whose autovacuum would do it "
        "soon; no on SQLite, which Django never analyzes)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="times each search runs; its time is the median (default 3)",
    )
    parser.add_argument("--no-http", action="store_true", help="skip the measurement over HTTP")
    parser.add_argument(
        "--max-seconds", type=int, default=1800, help="stop measuring after this long"
    )
    args = parser.parse_args()
    if args.people < 100 or args.queries < 6 or args.rounds < 1:
        parser.error("--people ≥ 100, --queries ≥ 6 and --rounds ≥ 1")
    if args.database_url and args.db != "postgresql":
        parser.error("--database-url is for --db postgresql")
    analyze = args.analyze if args.analyze is not None else args.db == "postgresql"

    deadline = Deadline(args.max_seconds)

    def hard_stop(signum, frame):
        raise TimeoutError("the benchmark ran past its time limit")

    signal.signal(signal.SIGALRM, hard_stop)
    signal.alarm(args.max_seconds + 600)  # a last resort: the loops stop by themselves
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))

    tmp = tempfile.mkdtemp(prefix="vrijuit-bench.")
    postgres = None
    servers = []
    try:
        if args.db == "sqlite":
            url = f"sqlite:///{tmp}/bench.sqlite3"
        elif args.database_url:
            url = args.database_url
        else:
            say("==> Starting a throwaway PostgreSQL 15 cluster on 127.0.0.1")
            postgres = ThrowawayPostgres()
            url = postgres.start()
        if args.db == "sqlite":
            files = [Path(tmp)]
        elif postgres is not None:
            files = [Path(postgres.dir, "data", "base")]
        else:
            files = []  # another server's files: out of reach
        run(args, url, tmp, analyze, deadline, servers, files)
    finally:
        signal.alarm(0)
        for server in servers:
            server.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, url, tmp, analyze, deadline, servers, files):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "API_RATE_AUTHENTICATED": "1000000/m",  # measure the search, not the throttle
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from vrijuit.api.services import api_token_create
    from vrijuit.core.audit import audit_context
    from vrijuit.core.roles import Role
    from vrijuit.networks.models import Municipality, Network
    from vrijuit.participants.models import Participant

    vendor = connection.vendor
    say(
        f"==> Desk search: {vendor}, {args.people:,} participants, {args.queries} searches per "
        f"measurement, Django {django.get_version()}, {load_average()}"
    )
    if vendor == "sqlite":
        import sqlite3

        say(f"    SQLite {sqlite3.sqlite_version}, a file in {tmp}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        settings = connection.settings_dict
        say(f"    PostgreSQL {version} at {settings['HOST']}:{settings['PORT']}")

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    say(f"==> Migrated in {time.perf_counter() - t0:.1f} s")

    today = timezone.localdate()
    suffix = f"{random.SystemRandom().randrange(10**6):06d}"
    with audit_context(label="bench/desk_search.py", source="command"):
        net_a = Network.objects.create(slug=f"bench-a-{suffix}", name="Bench A")
        net_b = Network.objects.create(slug=f"bench-b-{suffix}", name="Bench B")
        mun_a = Municipality.objects.create(network=net_a, name="Borsbeek", postal_codes="2150")
        mun_b = Municipality.objects.create(network=net_b, name="Wommelgem", postal_codes="2160")

    def count(network):
        return Participant.objects.filter(network=network).count()

    people = People(random.Random(SEED))
    rows_a = []
    results, http_results = {}, {}
    http_note = "skipped (--no-http)" if args.no_http else None
    token = None
    sizes = [("tenth", args.people // 10), ("full", args.people)]
    for phase, (label, size) in enumerate(sizes):
        say()
        say(f"==> [{label}] loading: network A up to {size:,} people, B up to {size // 10:,}")
        t0 = time.perf_counter()
        with loading(connection):
            rows_a += load_people(net_a, mun_a, people, size - count(net_a), today=today)
            load_people(net_b, mun_b, people, size // 10 - count(net_b), today=today)
        say(
            f"    {time.perf_counter() - t0:.1f} s; network A has {count(net_a):,} participants, "
            f"network B {count(net_b):,}"
        )
        if analyze:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            say("    ANALYZE done")

        queries = make_queries(random.Random(SEED + phase), rows_a, args.queries)
        say(f"==> [{label}] (a) in process: search + desk details + state; {load_average()}")
        warm_page_cache(files)
        results[label] = measure_in_process(net_a, queries, today, deadline, args.rounds)
        print_table(f"{size:,} participants", results[label])

        if http_note is None and not deadline.passed():
            say(f"==> [{label}] (b) over HTTP: gunicorn config.wsgi -w 2 on 127.0.0.1")
            server = Gunicorn(env, tmp)
            servers.append(server)
            server.start()
            warm_page_cache(files)
            try:
                if not api_search_exists(server):
                    http_note = "skipped: GET /api/v1/participants is not in the OpenAPI document"
                    say("    " + http_note)
                else:
                    if token is None:
                        with audit_context(label="bench/desk_search.py", source="command"):
                            _token, token = api_token_create(
                                network=net_a, role=Role.DESK, name="bench desk"
                            )
                    http_results[label], errors = measure_http(
                        server, token, queries, deadline, args.rounds
                    )
                    say(f"    {load_average()}")
                    print_table(f"{size:,} participants, over HTTP", http_results[label])
                    if errors:
                        say(f"    ! {len(errors)} requests failed; the first: {errors[0]}")
            finally:
                server.stop()
                servers.remove(server)

    (_, n_tenth), (_, n_full) = sizes
    say()
    say("==> Cost of 10x the data")
    print_ratio("in process", results["tenth"], results["full"], n_tenth, n_full)
    if len(http_results) == 2:
        print_ratio("over HTTP", http_results["tenth"], http_results["full"], n_tenth, n_full)
    elif http_note:
        say(f"  over HTTP: {http_note}")

    say()
    kind_of_plan = "EXPLAIN QUERY PLAN" if vendor == "sqlite" else "EXPLAIN ANALYZE"
    say(f"==> Query plans at {n_full:,} participants ({kind_of_plan})")
    samples = {
        "last-name prefix": "Pee",
        "first-name prefix": "mar",
        "first last-prefix": "jan pe",
        "a later word of a name": "daele",
        "a particle": "Van de",
    }
    for kind, q in queries:
        if kind in ("pass number", "birth date"):
            samples.setdefault(kind, q)
    for number, (title, q) in enumerate(samples.items()):
        say(f"  {title}: {q!r}" + (", and the desk details" if number == 0 else ""))
        for line in explain(net_a, q, today, vendor, details=number == 0):
            say(line)

    full, tenth = (
        summary(results["full"].times["overall"]),
        summary(results["tenth"].times["overall"]),
    )
    say()
    if len(http_results) == 2:
        http_full = summary(http_results["full"].times["overall"])
        http_tenth = summary(http_results["tenth"].times["overall"])
        say(
            f"==> Over HTTP: p95 {http_full['p95']:.2f} ms at {n_full:,}, "
            f"{http_tenth['p95']:.2f} ms at {n_tenth:,}"
        )
    verdict = "met" if full["p95"] <= TARGET_P95_MS else "MISSED"
    say(
        f"==> Target p95 ≤ {TARGET_P95_MS:.0f} ms at {n_full:,} participants: {verdict} "
        f"(p95 {full['p95']:.2f} ms; {tenth['p95']:.2f} ms at {n_tenth:,}; "
        f"ratio {full['p95'] / tenth['p95']:.2f} for 10x the data)"
    )
    p95, p95_tenth = full["p95"], tenth["p95"]
    say(f"RESULT db={vendor} people={n_full} p95_ms={p95:.2f} p95_tenth_ms={p95_tenth:.2f}")


if __name__ == "__main__":
    main()
