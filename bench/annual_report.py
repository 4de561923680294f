#!/usr/bin/env python
"""Annual money report benchmark: a network with 1,000,000 check-ins in a year (target ≤ 2 s).

    .venv/bin/python bench/annual_report.py [--checkins 1000000] [--runs 5]

What it does, in one run, in a temporary directory:

1. a fresh SQLite database (the settings' own pragmas: WAL, IMMEDIATE), migrated;
2. one network with 60 organisers and 600 activities over the seven categories, and a second
   network with a tenth of the check-ins (so that the network filter matters);
3. inserts a tenth of ``--checkins`` accepted check-ins (2 % cancelled) spread over the year,
   each with its ledger entry, in bulk (``executemany``, foreign keys off while loading: the
   report never reads the pass, the person or the date, so those ids are random), and times
   the report and the budget page's queries (p50 of ``--runs``);
4. grows to ``--checkins`` and times them again;
5. prints the figures, the query plan of the report's GROUP BY, and a last line
   ``RESULT db=sqlite checkins=… report_ms=… report_tenth_ms=… budget_page_ms=…``.

"The report" is ``vrijuit.finance.reports.annual_report`` (per organiser, per category, per
month, against the agreement: what the report page and both files compute); "the budget page"
is ``budget_overview`` + ``forecast`` + the plot's spending per week.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261127


def say(text=""):
    print(text, flush=True)


def setup_django(tmp):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_network(slug, organisers, activities):
    from vrijuit.catalogue.constants import Category
    from vrijuit.catalogue.models import Activity, Organiser
    from vrijuit.networks.models import Agreement, Network

    network = Network.objects.create(slug=slug, name=f"Netwerk {slug}")
    Agreement.objects.create(
        network=network,
        title="Afsprakennota",
        starts_on=date(2026, 1, 1),
        ends_on=date(2031, 12, 31),
        drawing_right=2432,
        municipal_cofinancing=1000,
    )
    orgs = [
        Organiser.objects.create(network=network, slug=f"{slug}-o{i}", name=f"Club {i:03d}")
        for i in range(organisers)
    ]
    categories = list(Category.values)
    acts = Activity.objects.bulk_create(
        [
            Activity(
                network=network,
                organiser=orgs[i % organisers],
                title=f"Activiteit {i}",
                category=categories[i % len(categories)],
                regular_price=12,
            )
            for i in range(activities)
        ]
    )
    return network, [(a.pk.hex, a.organiser_id.hex) for a in acts]


def load(network, activities, count, year, rng, batch=20000):
    """``count`` check-ins with their ledger entries, in bulk."""
    from django.db import connection, transaction

    start = datetime(year, 1, 1, 6, tzinfo=UTC)
    seconds = 364 * 86400
    checkin_sql = (
        "INSERT INTO checkins_checkin (id, network_id, pass_id, participant_id, occurrence_id,"
        " activity_id, organiser_id, year, scanned_at, received_at, channel, actor_label, note,"
        " regular_price, paid, discount, reimbursement, organiser_cost, grace_period,"
        " over_budget, state, cancelled_at, cancelled_by_label, cancel_reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scanner', 'bench', '', ?, ?, ?, ?, ?, 0, 0,"
        " ?, ?, '', '')"
    )
    ledger_sql = (
        "INSERT INTO finance_ledgerentry (network_id, year, booked_at, kind, purpose, amount,"
        " checkin_id, organiser_id, description, actor_label)"
        " VALUES (?, ?, ?, 'checkin', 'discount', ?, ?, ?, '', 'bench')"
    )
    prices = [("12.00", "2.40", "9.60", "4.80", "4.80"), ("8.00", "1.60", "6.40", "3.20", "3.20")]
    network_id = network.pk.hex
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
        done = 0
        while done < count:
            n = min(batch, count - done)
            checkins, ledger = [], []
            for _ in range(n):
                pk = uuid.uuid4().hex
                activity, organiser = activities[rng.randrange(len(activities))]
                moment = start + timedelta(seconds=rng.randrange(seconds))
                at = moment.strftime("%Y-%m-%d %H:%M:%S")
                regular, paid, discount, reimbursement, cost = prices[rng.random() < 0.3]
                cancelled = rng.random() < 0.02
                checkins.append(
                    (
                        pk,
                        network_id,
                        uuid.uuid4().hex,
                        uuid.uuid4().hex,
                        uuid.uuid4().hex,
                        activity,
                        organiser,
                        year,
                        at,
                        at,
                        regular,
                        paid,
                        discount,
                        reimbursement,
                        cost,
                        "cancelled" if cancelled else "accepted",
                        at if cancelled else None,
                    )
                )
                ledger.append((network_id, year, at, reimbursement, pk, organiser))
            with transaction.atomic():
                cursor.executemany(checkin_sql, checkins)
                cursor.executemany(ledger_sql, ledger)
            done += n
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("ANALYZE")


def timed(function, runs):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), times


def measure(network, year, today, runs):
    from vrijuit.finance import budget, reports

    def report():
        r = reports.annual_report(network, year)
        assert r.total.count > 0

    def budget_page():
        overview = budget.budget_overview(network, year)
        budget.forecast(network, year, today, budget=overview["discount_budget"])
        budget.discount_spending_by_week(network, year, today)

    report()  # warm the page cache
    report_ms, report_runs = timed(report, runs)
    page_ms, page_runs = timed(budget_page, runs)
    return report_ms, report_runs, page_ms, page_runs


def check_totals(network, year):
    """The report adds up to the check-ins (one plain SUM to compare with)."""
    from django.db.models import Count, Sum

    from vrijuit.checkins.models import CheckIn
    from vrijuit.finance.reports import annual_report

    r = annual_report(network, year)
    plain = CheckIn.objects.filter(network=network, year=year, state="accepted").aggregate(
        n=Count("pk"), s=Sum("reimbursement")
    )
    from vrijuit.core.money import quantize

    expected = (plain["n"], quantize(plain["s"]))
    assert (r.total.count, r.total.reimbursement) == expected, (r.total, plain)
    assert sum(line.count for line in r.per_month) == plain["n"]
    return plain["n"]


def explain(network, year):
    from django.db import connection

    from vrijuit.finance.reports import grouped_checkins  # noqa: F401 (the query below)

    qs = (
        __import__("vrijuit.checkins.models", fromlist=["CheckIn"])
        .CheckIn.objects.filter(network=network, year=year, state="accepted")
        .values("organiser_id", "activity_id")
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(SEED)
    year = 2026
    today = date(2026, 11, 27)
    with tempfile.TemporaryDirectory(prefix="vrijuit-report-") as tmp:
        setup_django(tmp)
        from vrijuit.checkins.models import Budget

        load_average = os.getloadavg()
        say(f"==> SQLite in {tmp}; load average {load_average[0]:.2f}")
        network, activities = make_network("a", 60, 600)
        other, other_activities = make_network("b", 10, 60)
        Budget.objects.create(network=network, year=year, amount=3_000_000)
        tenth = args.checkins // 10
        results = {}
        for size, extra in ((tenth, tenth), (args.checkins, args.checkins - tenth)):
            began = time.perf_counter()
            load(network, activities, extra, year, rng)
            load(other, other_activities, extra // 10, year, rng)
            say(f"==> loaded {size:,} check-ins (+ ledger) in {time.perf_counter() - began:.1f} s")
            accepted = check_totals(network, year)
            report_ms, report_runs, page_ms, page_runs = measure(network, year, today, args.runs)
            results[size] = (report_ms, page_ms)
            say(
                f"    {size:,} check-ins ({accepted:,} accepted): report p50 {report_ms:.0f} ms "
                f"(runs {', '.join(f'{t:.0f}' for t in report_runs)}); budget page queries p50 "
                f"{page_ms:.0f} ms (runs {', '.join(f'{t:.0f}' for t in page_runs)}); "
                f"load {os.getloadavg()[0]:.2f}"
            )
        say("==> plan of the report's GROUP BY:")
        for line in explain(network, year):
            say(f"    {line}")
        full_report, full_page = results[args.checkins]
        tenth_report, tenth_page = results[tenth]
        say(
            f"==> ratio full/tenth: report {full_report / tenth_report:.1f}x, "
            f"budget page {full_page / tenth_page:.1f}x (10x the data)"
        )
        say(
            f"RESULT db=sqlite checkins={args.checkins} report_ms={full_report:.0f} "
            f"report_tenth_ms={tenth_report:.0f} budget_page_ms={full_page:.0f} "
            f"budget_page_tenth_ms={tenth_page:.0f}"
        )


if __name__ == "__main__":
    main()
