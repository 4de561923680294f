#!/usr/bin/env python
"""Desk search benchmark: find one person among 200,000 participants (target p95 ≤ 50 ms).

    .venv/bin/python bench/desk_search.py --db sqlite
    .venv/bin/python bench/desk_search.py --db postgresql [--people 200000] [--queries 500]
    .venv/bin/python bench/desk_search.py --db postgresql --database-url postgres://…  (a throwaway
                                                                                     database)

What it does, in one run, bounded in time and on loopback only:

1. a fresh database: an SQLite file in a temporary directory, or a throwaway PostgreSQL 15
   cluster on a free 127.0.0.1 port (started like ``.ci/run`` does, as the ``postgres`` user,
   deleted at the end), or the database of ``--database-url``; migrated;
2. network A with a tenth of ``--people`` participants and network B with a tenth of that
   (so that the network filter matters): Flemish names with accents and particles, birth dates
   1930–2024, ~60 % with an active pass (valid Luhn numbers), ~40 % with a status;
3. measures a realistic mix of desk queries (last-name prefix, first-name prefix, "first
   last-prefix", pass number, birth date, unknown name) in two ways:
   (a) in process: ``participant_search`` + ``with_desk_details`` evaluated + the state per
       person, as the desk page computes it;
   (b) over HTTP against gunicorn (``config.wsgi -w 2``) with a desk API token, on
       ``GET /api/v1/participants?q=`` — skipped with a note while that endpoint does not exist;
4. grows the data to the full size (network B again a tenth of A) and measures again;
5. prints p50/p95/p99/max per query kind and overall, the ratio full/tenth, the query plans
   of the name searches, and a last line ``RESULT db=… people=… p95_ms=… p95_tenth_ms=…``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import pwd
import random
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
# First names, roughly most frequent first (a Zipf-like weight is given by rank).
FIRST_NAMES = [
    "Jan",
    "Marc",
    "Maria",
    "Luc",
    "Anna",
    "Patrick",
    "Marie",
    "Dirk",
    "Peter",
    "Christiane",
    "Koen",
    "Monique",
    "Bart",
    "Hilde",
    "Tom",
    "Els",
    "Wim",
    "Ann",
    "Jozef",
    "Katrien",
    "Frans",
    "Sofie",
    "Willy",
    "Lotte",
    "Eddy",
    "Emma",
    "André",
    "Louise",
    "René",
    "Olivia",
    "Noël",
    "Mila",
    "Stijn",
    "Elena",
    "Pieter",
    "Nina",
    "Thomas",
    "Léa",
    "Lucas",
    "Zoë",
    "Louis",
    "Chloë",
    "Arthur",
    "Anaïs",
    "Noah",
    "Inès",
    "Liam",
    "Noémie",
    "Jules",
    "Hélène",
    "Victor",
    "Céline",
    "Finn",
    "Renée",
    "Mathis",
    "Josée",
    "Lars",
    "Ingrid",
    "Wout",
    "Nathalie",
    "Jens",
    "Véronique",
    "Seppe",
    "Françoise",
    "Ruben",
    "Élodie",
    "Daan",
    "Thaïs",
    "Milan",
    "Maëlle",
    "Mohamed",
    "Aïcha",
    "Youssef",
    "Fatima",
    "Ayoub",
    "Yasmine",
    "Rayan",
    "Salma",
    "Adam",
    "Amélie",
    "Elias",
    "Agnès",
    "Mats",
    "Jérôme",
    "Senne",
    "François",
    "Lowie",
    "Frédéric",
    "Bram",
    "Gaëtan",
    "Joris",
    "Loïc",
    "Gert",
    "Raphaël",
    "Geert",
    "Michaël",
    "Kris",
    "Joëlle",
    "Filip",
    "Leen",
    "Hugo",
    "Griet",
    "Gilbert",
    "Fien",
    "Roger",
    "Ella",
    "Raymond",
    "Lina",
    "Marcel",
    "Febe",
    "Gaston",
    "Jana",
    "Achiel",
    "Marthe",
    "Paulien",
    "Rosalie",
    "Sien",
    "Tuur",
    "Staf",
    "Warre",
    "Vic",
    "Nand",
    "Wannes",
    "Rik",
    "Lieve",
    "Godelieve",
    "Hubert",
    "Emiel",
    "Cyriel",
    "Irène",
    "Yvette",
    "Ghislaine",
    "Marie-Louise",
    "Anne-Sophie",
    "Jean-Pierre",
    "Jean-Marie",
    "Saïd",
    "Björn",
    "Zeynep",
    "Emre",
    "Oğuz",
    "Ewa",
    "Agnieszka",
    "Łukasz",
    "Dorota",
    "Søren",
    "Maarten",
    "Hendrik",
    "Gerard",
    "Willem",
    "Karel",
    "Lode",
    "Mieke",
    "Karin",
    "Samira",
    "Bas",
    "Nele",
]

# Common Flemish surnames, most frequent first.
COMMON_LAST = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Hermans",
    "Aerts",
    "Martens",
    "De Clercq",
    "Vermeulen",
    "Van Damme",
    "Pauwels",
    "De Vos",
    "Desmet",
    "Dumont",
    "Michiels",
    "Claeys",
    "Verstraete",
    "Smets",
    "De Backer",
    "Stevens",
    "Declercq",
    "Lemmens",
    "Leroy",
    "Van den Broeck",
    "Vandenberghe",
    "Vanderstraeten",
    "De Meyer",
    "Vandevelde",
    "Van de Velde",
    "Hendrickx",
    "Wuyts",
    "Verhaegen",
    "Segers",
    "Coppens",
    "De Cock",
    "Bogaerts",
    "Vandamme",
    "Cools",
    "D'Hondt",
    "De Bruyne",
    "Van Dæle",
    "Van Dyck",
    "Van Hoof",
    "Vanhoof",
    "Verbeke",
    "Verhoeven",
    "Vercammen",
    "Laenen",
    "Geerts",
    "Thys",
    "Dewulf",
    "De Wilde",
    "De Winter",
    "Van Acker",
    "Vanden Bossche",
    "Van den Bossche",
    "Vanden Eynde",
    "Van der Linden",
    "Vander Elst",
    "Verschueren",
    "Nijs",
    "Baert",
    "Boeckx",
    "Vlaeminck",
    "Haegeman",
    "De Coninck",
    "Callebaut",
    "Van Hecke",
    "Deprez",
    "Mahieu",
    "Lefèvre",
    "Lefebvre",
    "Gevaert",
    "Huysmans",
    "Meeus",
    "Daems",
    "Van Gucht",
    "Van Rompuy",
    "De Wever",
    "Vervoort",
    "Tielemans",
    "Van Looy",
    "El Idrissi",
    "El Amrani",
    "Benali",
    "Yılmaz",
    "Öztürk",
    "Demir",
    "Nowak",
    "Kowalski",
    "Müller",
    "Bauwens",
    "Dierickx",
    "Cornelis",
    "Moens",
    "Van Mechelen",
    "Verlinden",
    "Wijns",
    "Engelen",
    "Mathijs",
    "Ceulemans",
    "Vandewalle",
    "Vanhove",
    "Van Hove",
    "Cuypers",
    "Moreau",
    "Lejeune",
    "Ghysels",
    "Renard",
    "Hanssens",
    "Op de Beeck",
    "Ooms",
    "T'Jampens",
    "Du Bois",
    "Le Compte",
    "Van Bogaert",
    "Sterckx",
    "Dhondt",
    "Verbruggen",
]
# A long tail of made-up but Flemish-looking surnames: particle + core + ending.
PARTICLES = [
    "",
    "",
    "",
    "",
    "Ver",
    "Van ",
    "Van ",
    "De ",
    "De ",
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
CORES = [
    "Bra",
    "Cla",
    "Dae",
    "Gee",
    "Hae",
    "Kee",
    "Laer",
    "Mee",
    "Mo",
    "Noo",
    "Pau",
    "Roe",
    "Scho",
    "Slee",
    "Steen",
    "Tie",
    "Vle",
    "Wou",
    "Wij",
    "Zee",
    "Acker",
    "Bos",
    "Broe",
    "Cauw",
    "Eyn",
    "Gheld",
    "Hey",
    "Kerck",
    "Lin",
    "Meer",
    "Poe",
    "Put",
    "Rijck",
    "Sme",
    "Stra",
    "Ui",
    "Wal",
    "Wie",
    "Bul",
    "Dries",
    "Hou",
    "Lae",
    "Mey",
    "Pae",
    "Ruy",
    "Schep",
    "Wae",
    "Gro",
    "Bae",
    "Ele",
    "Oos",
    "Ijs",
    "Zwa",
    "Blo",
    "Cré",
    "Fé",
    "Lé",
    "Mé",
]
ENDINGS = [
    "ns",
    "ts",
    "mans",
    "kens",
    "gen",
    "ghe",
    "berghe",
    "hoven",
    "beke",
    "walle",
    "rijck",
    "ckx",
    "ssens",
    "ters",
    "meersch",
    "poel",
    "dries",
    "laere",
    "velde",
    "broeck",
    "bossche",
    "eynde",
    "linden",
    "hove",
    "damme",
    "kerke",
    "straete",
    "weghe",
    "sens",
    "lst",
    "naerde",
    "rts",
    "ys",
    "ckaert",
    "ghem",
    "zele",
    "lier",
    "mont",
    "ène",
    "aert",
]
UNKNOWN_NAMES = [
    "Zwijsen",
    "Quintyn",
    "Xhonneux",
    "Iwanowski",
    "Hakimi",
    "Ugurlu",
    "Ystad",
    "Jørgensen",
    "Quaghebeur",
    "Zaoui",
    "Xavier",
    "Ulrich",
    "Imbrechts",
    "Yperman",
    "Quertinmont",
]


def _zipf_weights(n, s):
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


class People:
    """Generates participants' data and remembers what it made (to choose queries from)."""

    def __init__(self, rng):
        self.rng = rng
        # Zipf-like, a little more concentrated than in Flanders (the most frequent ~3 %).
        self.first_weights = _zipf_weights(len(FIRST_NAMES), 0.5)
        self.common_weights = _zipf_weights(len(COMMON_LAST), 0.5)
        self.numbers = set()
        self.first_day = date(1930, 1, 1)
        self.days = (date(2024, 12, 31) - self.first_day).days

    def first_name(self):
        return self.rng.choices(FIRST_NAMES, self.first_weights)[0]

    def last_name(self):
        rng = self.rng
        if rng.random() < 0.30:  # Peeters ~1.4 %, more than in Flanders (~0.3 %)
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
        prefix = []
        if os.geteuid() == 0:
            # initdb and the server refuse to run as root.
            prefix = ["runuser", "-u", "postgres", "--"]
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
        result = self._run(
            f"{PG_BIN}/pg_ctl",
            f"--pgdata={data}",
            f"--log={self.dir}/server.log",
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
            check=False,
        )
        if result.returncode != 0:
            log = Path(self.dir, "server.log")
            raise SystemExit(
                "PostgreSQL did not start:\n" + (log.read_text() if log.exists() else result.stderr)
            )
        self._run(
            f"{PG_BIN}/psql",
            "--quiet",
            "--no-psqlrc",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            self.dir,
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            f"CREATE ROLE {self.user} LOGIN PASSWORD '{self.password}'",
            "-c",
            f"CREATE DATABASE {self.dbname} OWNER {self.user}",
        )
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.dbname}"

    def stop(self):
        if not self.dir:
            return
        data = f"{self.dir}/data"
        if Path(data, "postmaster.pid").exists():
            result = self._run(
                f"{PG_BIN}/pg_ctl", f"--pgdata={data}", "-m", "fast", "-w", "stop", check=False
            )
            if result.returncode != 0:
                self._run(
                    f"{PG_BIN}/pg_ctl",
                    f"--pgdata={data}",
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                    check=False,
                )
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


# --- Loading data -------------------------------------------------------------------------


def load_people(network, municipality, people, count, *, batch=2000, today):
    """Add ``count`` participants to ``network`` (with passes and statuses); returns what was
    added, as tuples for choosing queries."""
    from django.db import transaction

    from vrijuit.participants.constants import Basis
    from vrijuit.participants.models import Participant, Status
    from vrijuit.participants.text import fold
    from vrijuit.passes.models import Pass

    rng = people.rng
    folded = {}
    added = []
    bases = list(Basis.values)
    this_year_start, this_year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    last_year_start, last_year_end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
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
                first_name_folded=folded[first],
                last_name_folded=folded[last],
                birth_date=born,
                postal_code="2150",
                municipality=municipality,
                language=rng.choices(["nl", "fr", "en"], [90, 7, 3])[0],
                last_activity_on=today - timedelta(days=rng.randrange(1500)),
                erased_at=datetime(2025, 1, 1, 12, 0, tzinfo=UTC) if erased else None,
            )
            participants.append(p)
            number = None
            if rng.random() < 0.60:
                if rng.random() < 0.10:  # an older card, replaced
                    passes.append(
                        Pass(
                            network=network,
                            participant=p,
                            number=people.pass_number(),
                            state="replaced",
                        )
                    )
                number = people.pass_number()
                passes.append(Pass(network=network, participant=p, number=number, state="active"))
            if rng.random() < 0.40:
                kind = rng.random()
                if kind < 0.25:  # last year's and this year's
                    periods = [(last_year_start, last_year_end), (this_year_start, this_year_end)]
                elif kind < 0.85:
                    periods = [(this_year_start, this_year_end)]
                else:  # expired
                    periods = [(last_year_start, last_year_end)]
                for start, until in periods:
                    statuses.append(
                        Status(
                            network=network,
                            participant=p,
                            basis=rng.choice(bases),
                            valid_from=start,
                            valid_until=until,
                            granted_by_label="bench",
                        )
                    )
            if not erased:
                added.append((first, last, born, number))
        with transaction.atomic():
            Participant.objects.bulk_create(participants, batch_size=batch)
            Pass.objects.bulk_create(passes, batch_size=batch)
            Status.objects.bulk_create(statuses, batch_size=batch)
        done += size
    return added


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


# --- Queries ------------------------------------------------------------------------------

KINDS = [
    # kind, share of the mix
    ("last-name prefix", 30),
    ("first-name prefix", 10),
    ("first last-prefix", 20),
    ("pass number", 20),
    ("birth date", 10),
    ("unknown name", 10),
]


def _typed(rng, text):
    """How people type a name: as written, in lower case, or without accents."""
    from vrijuit.participants.text import fold

    return rng.choice([text, text.lower(), fold(text)])


def make_queries(rng, people_rows, count, known_folded):
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
                q = format_number(rng.choice(with_pass)[3])
            elif kind == "birth date":
                q = born.strftime("%d/%m/%Y")
            else:
                q = rng.choice(UNKNOWN_NAMES)
                assert not any(name.startswith(q.lower()[:5]) for name in known_folded), q
            q = q.strip(" -'")
            if len(q) < 2:
                q = last[:3]
            queries.append((kind, q))
    rng.shuffle(queries)
    return queries


def desk_page(network, query, today):
    """What the desk's search page computes for one query (vrijuit.desk.participant_views)."""
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


def measure_in_process(network, queries, today, deadline, warmup=20):
    from django.db import connection

    counter = {"n": 0}

    def count(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    for _kind, q in queries[:warmup]:
        desk_page(network, q, today)
    times, rows, nqueries = defaultdict(list), defaultdict(list), defaultdict(list)
    with connection.execute_wrapper(count):
        for kind, q in queries:
            if deadline.passed():
                say("  ! time budget spent: stopped measuring early")
                break
            counter["n"] = 0
            t0 = time.perf_counter()
            page = desk_page(network, q, today)
            elapsed = (time.perf_counter() - t0) * 1000
            times[kind].append(elapsed)
            times["overall"].append(elapsed)
            rows[kind].append(len(page))
            nqueries[kind].append(counter["n"])
    return times, rows, nqueries


# --- HTTP ---------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, env, logdir):
        self.env, self.logdir, self.proc, self.port = env, logdir, None, None

    def start(self):
        self.port = free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.log = open(Path(self.logdir, f"gunicorn-{self.port}.log"), "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                "config.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                break
            try:
                status, _ = self.get("/api/v1/openapi.json")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start; log:\n" + self.tail())

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

    def get(self, path, headers=None):
        return self.request("GET", path, headers)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # the arbiter stops its own workers
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if self.proc is not None:
            self.log.close()
        self.proc = None


def measure_http(server, token, queries, deadline, warmup=20):
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    path = "/api/v1/participants?q="
    for _kind, q in queries[:warmup]:
        server.get(path + urllib.parse.quote(q), headers)
    times, rows, errors = defaultdict(list), defaultdict(list), []
    for kind, q in queries:
        if deadline.passed():
            say("  ! time budget spent: stopped measuring early")
            break
        t0 = time.perf_counter()
        status, body = server.get(path + urllib.parse.quote(q), headers)
        elapsed = (time.perf_counter() - t0) * 1000
        if status != 200:
            errors.append((q, status, body[:200]))
            continue
        times[kind].append(elapsed)
        times["overall"].append(elapsed)
        try:
            data = json.loads(body)
            items = data.get("items", data.get("results")) if isinstance(data, dict) else data
            rows[kind].append(len(items) if isinstance(items, list) else 0)
        except ValueError:
            rows[kind].append(0)
    return times, rows, errors


def api_search_exists(server):
    status, body = server.get("/api/v1/openapi.json")
    if status != 200:
        return False
    paths = json.loads(body).get("paths", {})
    return any(p.rstrip("/") == "/api/v1/participants" and "get" in ops for p, ops in paths.items())


# --- Query plans --------------------------------------------------------------------------


def explain(network, query, today, vendor):
    """The plan of every statement the desk page runs for ``query``."""
    from django.db import connection

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        desk_page(network, query, today)
    lines = []
    # Repeated statements (the same SQL with other parameters) are explained once.
    groups = []
    for sql, params in statements:
        if groups and groups[-1][0] == sql:
            groups[-1][2] += 1
        else:
            groups.append([sql, params, 1])
    with connection.cursor() as cursor:
        for number, (sql, params, times) in enumerate(groups, 1):
            table = sql.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in sql else "?"
            again = f"  ×{times} (one per person found: N+1)" if times > 1 else ""
            lines.append(f"  [{number}] SELECT … FROM {table} …{again}")
            if vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                depth = {0: 0}
                for node_id, parent, _notused, detail in cursor.fetchall():
                    depth[node_id] = depth.get(parent, 0) + 1
                    lines.append("      " + "  " * (depth[node_id] - 1) + detail)
            else:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF) " + sql, params)
                lines.extend("      " + row[0] for row in cursor.fetchall())
    return lines


# --- Reporting ----------------------------------------------------------------------------


def print_table(title, times, rows=None, nqueries=None):
    say(f"  {title}")
    say(
        f"    {'kind':<20}{'n':>5}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}"
        + (f"{'rows':>7}" if rows else "")
        + (f"{'SQL':>6}" if nqueries else "")
    )
    for kind in [k for k, _ in KINDS] + ["overall"]:
        if kind not in times:
            continue
        s = summary(times[kind])
        line = (
            f"    {kind:<20}{s['n']:>5}{s['p50']:>9.2f}{s['p95']:>9.2f}{s['p99']:>9.2f}"
            f"{s['max']:>9.2f}"
        )
        if rows and kind in rows:
            line += f"{sum(rows[kind]) / len(rows[kind]):>7.1f}"
        if nqueries and kind in nqueries:
            line += f"{sum(nqueries[kind]) / len(nqueries[kind]):>6.1f}"
        say(line)
    say(
        "    (ms per query; rows = mean people found; SQL = mean statements per search)"
        if rows
        else "    (ms per request)"
    )


def print_ratio(title, tenth, full, tenth_n, full_n):
    say(f"  {title}: full ({full_n:,}) against a tenth ({tenth_n:,})")
    say(
        f"    {'kind':<20}{'p50 1/10':>10}{'p50 full':>10}{'ratio':>7}"
        f"{'p95 1/10':>10}{'p95 full':>10}{'ratio':>7}"
    )
    for kind in [k for k, _ in KINDS] + ["overall"]:
        if kind not in tenth or kind not in full:
            continue
        a, b = summary(tenth[kind]), summary(full[kind])
        say(
            f"    {kind:<20}{a['p50']:>10.2f}{b['p50']:>10.2f}{b['p50'] / a['p50']:>7.2f}"
            f"{a['p95']:>10.2f}{b['p95']:>10.2f}{b['p95'] / a['p95']:>7.2f}"
        )


# --- Main ---------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument(
        "--people",
        type=int,
        default=200_000,
        help="participants in network A at full size (default 200000)",
    )
    parser.add_argument(
        "--queries", type=int, default=500, help="queries per measurement (default 500)"
    )
    parser.add_argument(
        "--database-url",
        help="use this (throwaway, empty) PostgreSQL database instead of starting a cluster",
    )
    parser.add_argument(
        "--analyze",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run ANALYZE after loading (default: on for PostgreSQL, whose "
        "autovacuum does it anyway; off for SQLite, as deployed)",
    )
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurement")
    parser.add_argument(
        "--max-seconds",
        type=int,
        default=1800,
        help="stop measuring after this long (default 1800)",
    )
    args = parser.parse_args()
    if args.people < 10 or args.queries < 6:
        parser.error("--people ≥ 10 and --queries ≥ 6")
    if args.database_url and args.db != "postgresql":
        parser.error("--database-url is for --db postgresql")
    analyze = args.analyze if args.analyze is not None else args.db == "postgresql"

    deadline = Deadline(args.max_seconds)

    def hard_stop(signum, frame):
        raise TimeoutError("the benchmark ran past its time limit")

    signal.signal(signal.SIGALRM, hard_stop)
    signal.alarm(args.max_seconds + 300)  # a last resort; the loops stop by themselves before
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
        run(args, url, tmp, analyze, deadline, servers)
    finally:
        signal.alarm(0)
        for server in servers:
            server.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, url, tmp, analyze, deadline, servers):
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
    from vrijuit.participants.text import fold

    vendor = connection.vendor
    cpu = os.cpu_count()
    say(
        f"==> Desk search benchmark: {vendor}, {args.people:,} participants, "
        f"{args.queries} queries per measurement, {cpu} CPUs, Django {django.get_version()}"
    )
    if vendor == "sqlite":
        import sqlite3

        say(f"    SQLite {sqlite3.sqlite_version}, file in {tmp}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            say(
                f"    PostgreSQL {cursor.fetchone()[0]} at {connection.settings_dict['HOST']}:"
                f"{connection.settings_dict['PORT']}"
            )

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

    rng = random.Random(SEED)
    people = People(rng)
    rows_a = []
    sizes = [max(1, args.people // 10), args.people]
    results = {}
    http_results = {}
    http_note = None
    token_raw = None
    for phase, size in enumerate(sizes):
        label = "tenth" if phase == 0 else "full"
        say()
        say(
            f"==> [{label}] loading network A up to {size:,} people, network B up to {size // 10:,}"
        )
        t0 = time.perf_counter()
        have_a = len(rows_a)
        with loading(connection):
            added_a = load_people(net_a, mun_a, people, size - _count(net_a), today=today)
            load_people(net_b, mun_b, people, size // 10 - _count(net_b), today=today)
        rows_a += added_a
        say(
            f"    loaded {_count(net_a) - have_a:,} + B in {time.perf_counter() - t0:.1f} s; "
            f"network A has {_count(net_a):,}, network B {_count(net_b):,} participants"
        )
        if analyze:
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            say(f"    ANALYZE in {time.perf_counter() - t0:.1f} s")

        known = {fold(n) for row in rows_a for n in row[:2]}
        queries = make_queries(random.Random(SEED + phase), rows_a, args.queries, known)

        say(f"==> [{label}] (a) in process: participant_search + with_desk_details + state")
        times, found, nq = measure_in_process(net_a, queries, today, deadline)
        results[label] = (times, size)
        print_table(f"{size:,} participants", times, found, nq)

        if args.no_http:
            http_note = "skipped (--no-http)"
        elif not deadline.passed():
            say(f"==> [{label}] (b) over HTTP: gunicorn config.wsgi -w 2 on 127.0.0.1")
            server = Gunicorn(env, tmp)
            servers.append(server)
            server.start()
            try:
                if not api_search_exists(server):
                    http_note = (
                        "skipped: GET /api/v1/participants is not in /api/v1/openapi.json yet"
                    )
                    say("    " + http_note)
                else:
                    if token_raw is None:
                        with audit_context(label="bench/desk_search.py", source="command"):
                            _token, token_raw = api_token_create(
                                network=net_a, role=Role.DESK, name="bench desk"
                            )
                    times_h, found_h, errors = measure_http(server, token_raw, queries, deadline)
                    http_results[label] = (times_h, size)
                    print_table(f"{size:,} participants, HTTP", times_h)
                    if errors:
                        say(f"    ! {len(errors)} requests failed, first: {errors[0]}")
            finally:
                server.stop()
                servers.remove(server)

    say()
    say("==> Cost at full size against a tenth (in process)")
    (t_tenth, n_tenth), (t_full, n_full) = results["tenth"], results["full"]
    print_ratio("in process", t_tenth, t_full, n_tenth, n_full)
    if "tenth" in http_results and "full" in http_results:
        print_ratio("over HTTP", http_results["tenth"][0], http_results["full"][0], n_tenth, n_full)
    elif http_note:
        say(f"  over HTTP: {http_note}")

    say()
    say(
        f"==> Query plans at {n_full:,} participants "
        + ("(EXPLAIN QUERY PLAN)" if vendor == "sqlite" else "(EXPLAIN ANALYZE)")
    )
    samples = {
        "last-name prefix 'Pee'": "Pee",
        "first-name prefix 'mar'": "mar",
        "first last-prefix 'jan pe'": "jan pe",
        "particle 'Van de'": "Van de",
    }
    for kind, q in queries:
        if kind in ("pass number", "birth date") and kind not in samples:
            samples[kind] = q
    for title, q in samples.items():
        say(f"  {title} ({q!r}):")
        for line in explain(net_a, q, today, vendor):
            say(line)

    p95_full = summary(t_full["overall"])["p95"]
    p95_tenth = summary(t_tenth["overall"])["p95"]
    verdict = "met" if p95_full <= TARGET_P95_MS else "MISSED"
    say()
    say(
        f"==> Target p95 ≤ {TARGET_P95_MS:.0f} ms at {n_full:,} participants: {verdict} "
        f"(p95 {p95_full:.2f} ms; {p95_tenth:.2f} ms at {n_tenth:,}; ratio "
        f"{p95_full / p95_tenth:.2f} for 10× the data)"
    )
    say(f"RESULT db={vendor} people={n_full} p95_ms={p95_full:.2f} p95_tenth_ms={p95_tenth:.2f}")


def _count(network):
    from vrijuit.participants.models import Participant

    return Participant.objects.filter(network=network).count()


if __name__ == "__main__":
    main()
