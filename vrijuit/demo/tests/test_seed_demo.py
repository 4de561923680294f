import re
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from vrijuit.api.models import ApiToken
from vrijuit.catalogue.models import Occurrence
from vrijuit.checkins.models import Budget, CheckIn
from vrijuit.core.models import AuditEvent
from vrijuit.core.money import quantize
from vrijuit.core.roles import Role
from vrijuit.demo.year import public_holidays
from vrijuit.finance.constants import EntryKind, Purpose, StatementState
from vrijuit.finance.models import BudgetSource, LedgerEntry, PaymentBatch, Statement
from vrijuit.networks.models import Membership, Network
from vrijuit.participants.models import Household, Note, Participant, Status
from vrijuit.passes.constants import PassState
from vrijuit.passes.models import Pass

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "vrijuit-demo"


def months_back(today, count):
    """(year, month) of the ``count`` months before the current one, oldest first."""
    year, month, result = today.year, today.month, []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        result.append((year, month))
    return result[::-1]


def local(moment):
    return timezone.localtime(moment)


# What is sensible for each kind of activity: the longest a date may last.
LONGEST = {
    "Voorleesuurtje": timedelta(hours=2),
    "Vrij zwemmen": timedelta(hours=2),
    "Kleuterturnen": timedelta(hours=2),
    "Seniorensport": timedelta(hours=2),
    "Natuurwandeling": timedelta(hours=3),
    "Toneel": timedelta(hours=3),
    "Computerles": timedelta(hours=3),
    "Tekenatelier": timedelta(hours=3),
    "Samen koken": timedelta(hours=3),
    "Seniorennamiddag": timedelta(hours=4),
    "Speelplein": timedelta(hours=8),
    "Daguitstap": timedelta(hours=13),
    "Chirokamp": timedelta(days=11),
    "Lidgeld": timedelta(days=366),
}


def test_the_demo_tells_a_true_story_of_the_last_twelve_months():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    network = Network.objects.get(slug="borsbeek")
    today = timezone.localdate()

    # An agreement covers this year (and the year the history starts in); the first one, from
    # the 2017 description, is still there as history.
    for year in {today.year, (today - timedelta(days=365)).year}:
        assert network.agreements.filter(
            starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1)
        ).exists(), year
    first = network.agreements.get(starts_on=date(2018, 1, 1))
    assert (first.ends_on.year, first.drawing_right) == (2019, Decimal("2432.00"))

    # A budget that has been used this year, with its sources, and that agrees with the ledger.
    budget = Budget.objects.get(network=network, year=today.year)
    ledger = LedgerEntry.objects.filter(network=network, year=today.year, purpose=Purpose.DISCOUNT)
    assert budget.spent == quantize(ledger.aggregate(total=Sum("amount"))["total"])
    if today >= date(today.year, 1, 15):
        assert Decimal("0") < budget.spent < budget.amount
    income = BudgetSource.objects.filter(network=network, year=today.year).aggregate(
        total=Sum("amount")
    )["total"]
    assert income >= budget.amount
    assert LedgerEntry.objects.filter(network=network, kind=EntryKind.EXPENSE).count() >= 2

    # A few hundred residents in households, a dozen organisers with an account number.
    assert Participant.objects.filter(network=network).count() >= 200
    assert Household.objects.filter(network=network).count() >= 50
    organisers = network.organisers.exclude(iban="")
    assert organisers.count() >= 10
    assert Occurrence.objects.filter(network=network).values("activity").distinct().count() >= 12

    # Check-ins in each of the last twelve months, across most organisers.
    checkins = CheckIn.objects.filter(network=network, state="accepted")
    per_month = defaultdict(int)
    for scanned_at in checkins.values_list("scanned_at", flat=True):
        moment = local(scanned_at)
        per_month[(moment.year, moment.month)] += 1
    for month in months_back(today, 12):
        assert per_month[month] >= 20, month
    assert checkins.count() >= 2000
    assert checkins.values("organiser").distinct().count() >= 10
    assert checkins.filter(regular_price=0).exists()  # the free reading hour counts too
    assert checkins.filter(grace_period=True).exists()
    assert CheckIn.objects.filter(network=network, state="cancelled").exists()

    # Statements of closed months: reviewed, approved by someone else, paid in a SEPA batch;
    # the last closed month waits for the finance officer.
    statements = Statement.objects.filter(network=network)
    paid = statements.filter(state=StatementState.PAID)
    assert paid.count() >= 50
    for statement in paid:
        assert statement.approved_by_id not in (None, statement.prepared_by_id)
        assert statement.approved_by_id != statement.reviewed_by_id
        assert statement.batch.paid_at is not None
        assert statement.period_end < today.replace(day=1)
    last_month = today.replace(day=1) - timedelta(days=1)
    waiting = statements.filter(period_end=last_month)
    assert waiting.exists()
    assert set(waiting.values_list("state", flat=True)) == {StatementState.REVIEWED}
    assert PaymentBatch.objects.filter(network=network, paid_at__isnull=False).count() >= 10
    assert not statements.filter(period_start__gte=today.replace(day=1)).exists()

    # Dates at sensible hours, never on a public holiday, some coming in the next weeks.
    coming = Occurrence.objects.filter(
        network=network, start__gt=timezone.now(), start__lt=timezone.now() + timedelta(days=28)
    )
    assert coming.values("activity").distinct().count() >= 5
    for occurrence in Occurrence.objects.filter(network=network).select_related("activity"):
        start, end = local(occurrence.start), local(occurrence.end)
        assert start.date() not in public_holidays(start.year), occurrence
        assert (start.month, start.day) != (12, 25), occurrence
        longest = next(v for k, v in LONGEST.items() if k in occurrence.activity.title)
        assert timedelta(0) < end - start <= longest, occurrence
        if end - start < timedelta(days=1):
            assert start.hour >= 7 and end.hour <= 22, occurrence

    # Passes and statuses with a history: blocked and replaced cards, renewals, suspensions.
    passes = Pass.objects.filter(network=network)
    assert passes.filter(state=PassState.REPLACED, replaced_by__isnull=False).count() >= 3
    assert passes.filter(state=PassState.BLOCKED).exists()
    statuses = Status.objects.filter(network=network)
    renewed = statuses.values("participant").annotate(n=Count("id")).filter(n__gte=2)
    assert renewed.count() >= 50
    assert statuses.filter(suspended_from__isnull=False).exists()
    assert statuses.filter(ended_on__isnull=False).exists()
    assert len({s.basis for s in statuses}) >= 5
    assert Note.objects.filter(network=network).exists()
    assert ApiToken.objects.filter(network=network).count() >= 10

    # An audit trail of the year, by the people who did the work.
    events = AuditEvent.objects.filter(network=network)
    oldest = events.order_by("occurred_at").first().occurred_at
    assert oldest < timezone.now() - timedelta(days=300)
    assert {"desk", "socialworker", "coordinator", "finance"} <= set(
        events.values_list("actor_label", flat=True)
    )

    # The money facts agree.
    integrity = StringIO()
    call_command("check_integrity", stdout=integrity)
    assert "disagreement" not in integrity.getvalue()

    # A second run (./dev demo on every start) is quick and changes nothing.
    before = (AuditEvent.objects.count(), CheckIn.objects.count(), Participant.objects.count())
    started = time.monotonic()
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert time.monotonic() - started < 5
    assert "nothing changed" in again.getvalue()
    after = (AuditEvent.objects.count(), CheckIn.objects.count(), Participant.objects.count())
    assert after == before


def test_seed_demo_builds_borsbeek_from_the_source_document():
    out = StringIO()
    call_command("seed_demo", history=False, stdout=out)

    network = Network.objects.get(slug="borsbeek")
    assert sorted(network.partners.values_list("name", flat=True)) == [
        "OCMW",
        "Vrijetijdsdienst",
        "Welzijnsschakel 't Schakeltje",
    ]
    agreement = network.agreements.get(starts_on=date(2018, 1, 1))
    assert (agreement.starts_on.year, agreement.ends_on.year) == (2018, 2019)
    assert agreement.drawing_right == Decimal("2432.00")
    assert "Een kortingssysteem voor al het aanbod in de gemeente" in agreement.action_list
    assert network.agreements.filter(
        starts_on__lte=timezone.localdate(), ends_on__gte=timezone.localdate()
    ).exists()
    assert network.contact_name == "Bas Dhoey"
    assert network.contact_email == "bas.dhoey@borsbeek.be"
    assert network.organisers.count() >= 10
    roles = set(Membership.objects.filter(network=network).values_list("role", flat=True))
    assert roles == set(Role.values)
    printed = out.getvalue()
    for username in ("coordinator", "desk", "socialworker", "organiser", "finance", "volunteer"):
        assert username in printed


def test_seed_demo_prints_the_address_it_is_served_on():
    out = StringIO()
    call_command("seed_demo", history=False, base_url="http://127.0.0.1:8080/", stdout=out)

    assert "http://127.0.0.1:8080/account/login/" in out.getvalue()
    assert "http://127.0.0.1:8080/scan/" in out.getvalue()
    assert ":8000" not in out.getvalue()


def test_the_logins_in_the_readme_are_the_demo_accounts():
    call_command("seed_demo", history=False, stdout=StringIO())
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    logins = readme.split("Demo logins", 1)[1].split("\n\n")[1]  # the table after the words
    rows = re.findall(r"^\| `([^`]+)` +\| `([^`]+)` +\|", logins, flags=re.MULTILINE)

    assert len(rows) == 6
    User = get_user_model()
    for username, password in rows:
        user = User.objects.get(username=username)
        assert user.check_password(password), username
        assert Membership.objects.filter(user=user, network__slug="borsbeek").exists()
    assert "social_worker" not in readme


def test_the_demo_can_be_tried_at_the_scanner(capsys):
    from vrijuit.checkins.services import tariff_ask
    from vrijuit.core.permissions import Principal

    call_command("seed_demo", history=False)
    printed = capsys.readouterr().out
    network = Network.objects.get(slug="borsbeek")
    principal = Principal(network=network, role=Role.DESK)
    swimming = (
        Occurrence.objects.filter(
            network=network, activity__title__startswith="Vrij zwemmen", start__gt=timezone.now()
        )
        .order_by("start")
        .first()
    )
    answers = {}
    for line in printed.splitlines():
        if "(" in line and line.strip()[:4].isdigit():
            number = line.split("(")[0].strip().rsplit(" ", 1)[0].replace(" ", "")
            answers[line.split("(")[1].rstrip(")")] = tariff_ask(
                principal=principal,
                pass_number=number,
                occurrence_id=swimming.pk,
                now=swimming.start,
            )
    assert answers["active"].price_to_pay == Decimal("0.80")  # 20 % of € 4,00
    assert answers["grace"].grace_period
    assert answers["no status"].code == "no_valid_status"
    assert answers["blocked"].code == "pass_blocked"


def test_nothing_happens_on_public_holidays():
    assert date(2026, 4, 6) in public_holidays(2026)  # Easter Monday
    assert date(2026, 5, 14) in public_holidays(2026)  # Ascension Day
    assert date(2025, 6, 9) in public_holidays(2025)  # Whit Monday
    assert {date(2027, 1, 1), date(2027, 12, 25), date(2027, 7, 21)} <= public_holidays(2027)


def test_dev_demo_serves_on_the_port_it_is_given(tmp_path):
    """``PORT=8080 ./dev demo`` prints, seeds and serves on 8080 (a stand-in for uv and the
    virtual environment records what the script runs)."""
    import os
    import shutil
    import subprocess
    import sys

    root = Path(settings.BASE_DIR)
    shutil.copy(root / "dev", tmp_path / "dev")
    (tmp_path / ".python-version").write_text((root / ".python-version").read_text())
    for tool in (".tools/bin/uv", ".venv/bin/python"):
        path = tmp_path / tool
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('#!/bin/sh\necho "ran: $*"\n')
        path.chmod(0o755)
    env = {**os.environ, "PORT": "8080", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}

    command = [shutil.which("bash"), str(tmp_path / "dev"), "demo"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert "ran: manage.py seed_demo --base-url http://127.0.0.1:8080" in result.stdout
    assert "Serving the demo on http://127.0.0.1:8080" in result.stdout
    assert "ran: manage.py runserver 127.0.0.1:8080" in result.stdout
    bad = subprocess.run(
        command,
        env={**env, "PORT": "eighty"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "PORT must be a number" in bad.stderr
