"""kill -9 of the server in the middle of a burst of check-ins (docs/quality.md, "Reliability").

The real server (gunicorn, two sync workers) runs on 127.0.0.1 against the test database —
the SQLite file of this test run, or the PostgreSQL test database when DATABASE_URL is set —
with committed data (``transaction=True``): an organiser's token made by the service, two
open dates, people with and without a valid status and blocked passes, and a hard budget that
runs out. Client threads send a burst of check-ins; once about a third is answered, the whole
server (its process group) is killed with SIGKILL. Then, before and after a restart:

- every check-in a client saw accepted (201 with an id) is stored with the answered amounts;
- every refusal a client saw is stored with its idempotency key, so a retry gets it again;
- nothing is half-written: every check-in has its idempotency record, the budget's spent
  equals the sum of the reimbursements, and ``check_integrity`` agrees;
- re-sending the unanswered requests (and the answered ones) with the same keys gives at most
  one check-in per key, and the same answer as before to the answered ones.

Everything is bounded: about 150 requests, only to 127.0.0.1, with timeouts; the test takes a
few seconds on either database, most of them starting the server twice.
"""

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from decimal import Decimal
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from vrijuit.api.models import ApiToken, hash_token
from vrijuit.checkins.constants import CheckInState
from vrijuit.checkins.models import Budget, CheckIn, IdempotencyRecord
from vrijuit.passes.tests.factories import PassFactory

from .conftest import person
from .helpers import open_date

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = timezone.localdate().year
BUDGET = Decimal("120.00")  # 25 check-ins at € 12.00, fewer with the € 7.45 ones
CLIENTS = 4
KILL_AFTER = 45  # answers
REQUEST_TIMEOUT = 5  # seconds
CUT_OFF = (http.client.HTTPException, ConnectionResetError, BrokenPipeError, TimeoutError)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url():
    """The URL of the database this test run uses, for the server process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = f"{quote(db['USER'], safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class Server:
    """gunicorn in its own process group, so that kill -9 takes the master and its workers."""

    def __init__(self, log_path):
        self.log_path = log_path
        self.process = None
        self.port = None

    def start(self, token):
        self.port = free_port()
        env = {
            key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=test_database_url(),
            DEBUG="0",
            LOG_LEVEL="WARNING",
            API_RATE_AUTHENTICATED="100000/m",
        )
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "2", "--preload", "--timeout", "30", "--graceful-timeout", "5"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                status, _body = request(self.port, "GET", "/api/v1/checkin-dates", token)
                if status == 200:
                    return
            except (ConnectionRefusedError, *CUT_OFF):
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"gunicorn did not answer within 30 s:\n{self.log()}")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self):
        return Path(self.log_path).read_text(errors="replace")[-3000:]


def request(port, method, path, token, body=None):
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection_.request(
            method,
            path,
            body=None if body is None else json.dumps(body),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = connection_.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection_.close()


class Burst:
    """Client threads that send the check-ins of ``requests``; each answer, or the lack of
    one, is kept per idempotency key."""

    def __init__(self, port, token, requests):
        self.answers = {}  # key -> (status, body)
        self.cut_off = []  # keys sent while the server died: maybe stored, maybe not
        self.unsent = []  # keys not sent because the server was gone
        self.stop = threading.Event()
        todo = queue.Queue()
        for item in requests:
            todo.put(item)
        lock = threading.Lock()

        def client():
            while not self.stop.is_set():
                try:
                    body = todo.get_nowait()
                except queue.Empty:
                    return
                key = body["idempotency_key"]
                try:
                    answer = request(port, "POST", "/api/v1/checkins", token, body)
                except ConnectionRefusedError:
                    with lock:
                        self.unsent.append(key)
                    self.stop.set()
                except CUT_OFF:
                    with lock:
                        self.cut_off.append(key)
                    self.stop.set()
                else:
                    with lock:
                        self.answers[key] = answer
            while True:  # what is left was never sent
                try:
                    self.unsent.append(todo.get_nowait()["idempotency_key"])
                except queue.Empty:
                    return

        self.threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        for thread in self.threads:
            thread.start()

    def wait_for(self, answers, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.answers) < answers and time.monotonic() < deadline:
            time.sleep(0.002)
        assert len(self.answers) >= answers, f"only {len(self.answers)} answers in {timeout} s"

    def join(self, timeout=30):
        for thread in self.threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in self.threads)


def code_of(status, body):
    return "accepted" if status in (200, 201) else body["code"]


def assert_stored_as_answered(answers, owner):
    """Each answer a client got is in the database: accepted check-ins with their amounts,
    refusals with their code under the same key."""
    records = {
        str(r.key): r for r in IdempotencyRecord.objects.filter(owner=owner, key__in=answers)
    }
    checkins = CheckIn.objects.in_bulk([b["id"] for s, b in answers.values() if s in (200, 201)])
    for key, (status, body) in answers.items():
        assert status in (200, 201, 409, 422), (status, body)
        record = records[key]
        if status in (200, 201):
            stored = checkins[uuid.UUID(body["id"])]
            assert record.checkin_id == stored.pk
            assert stored.state == CheckInState.ACCEPTED
            assert str(stored.occurrence_id) == body["occurrence"]
            for field, answered in [
                ("paid", "price_to_pay"),
                ("regular_price", "regular_price"),
                ("discount", "discount"),
                ("reimbursement", "reimbursement"),
            ]:
                assert getattr(stored, field) == Decimal(body[answered]), (field, body)
        else:
            assert record.checkin_id is None
            assert record.code == body["code"]


def assert_nothing_half_written(network):
    without_record = CheckIn.objects.filter(
        ~Exists(IdempotencyRecord.objects.filter(checkin=OuterRef("pk")))
    )
    assert not without_record.exists(), list(without_record.values_list("pk", flat=True))
    accepted = CheckIn.objects.filter(network=network, year=YEAR, state=CheckInState.ACCEPTED)
    total = accepted.aggregate(total=Sum("reimbursement"))["total"] or Decimal("0.00")
    assert Budget.objects.get(network=network, year=YEAR).spent == total <= BUDGET
    out = StringIO()
    call_command("check_integrity", stdout=out)  # raises CommandError on any disagreement
    return out.getvalue()


def test_kill_9_during_a_burst_loses_no_answered_checkin(door, tmp_path):
    network = door.network
    Budget.objects.create(network=network, year=YEAR, amount=BUDGET)
    other_date = open_date(network, door.organiser, price="7.45")
    numbers = [door.pass_.number] + [person(network)[1].number for _ in range(35)]
    numbers += [person(network, status=False)[1].number for _ in range(3)]
    numbers += [PassFactory(participant=person(network)[0], blocked=True).number for _ in range(3)]
    requests = []
    for number in numbers:  # each person at both dates, and scanned twice at the first
        for date in (door.occurrence, other_date, door.occurrence):
            requests.append(
                {
                    "pass_number": number,
                    "occurrence": str(date.pk),
                    "idempotency_key": str(uuid.uuid4()),
                }
            )
    owner = f"token:{ApiToken.objects.get(key_hash=hash_token(door.token)).pk}"

    server = Server(tmp_path / "gunicorn.log")
    try:
        server.start(door.token)
        burst = Burst(server.port, door.token, requests)
        burst.wait_for(KILL_AFTER)
        server.kill()
        burst.join()
        seen = Counter(code_of(*answer) for answer in burst.answers.values())
        summary = (
            f"{len(burst.answers)} answered {dict(seen)}, {len(burst.cut_off)} cut off, "
            f"{len(burst.unsent)} not sent"
        )
        assert len(burst.answers) + len(burst.cut_off) + len(burst.unsent) == len(requests)
        assert burst.cut_off, f"no request was in flight at the kill: {summary}"
        assert seen["accepted"] > 0, summary

        # The state the crash left, before anything else touches the database.
        assert_stored_as_answered(burst.answers, owner)
        assert_nothing_half_written(network)
        stored_before = CheckIn.objects.count()

        # Restart; send what got no answer again, with the same keys, and then everything.
        server.start(door.token)
        unanswered = [body for body in requests if body["idempotency_key"] not in burst.answers]
        retried = {
            body["idempotency_key"]: request(
                server.port, "POST", "/api/v1/checkins", door.token, body
            )
            for body in unanswered
        }
        assert_stored_as_answered(retried, owner)
        again = {
            body["idempotency_key"]: request(
                server.port, "POST", "/api/v1/checkins", door.token, body
            )
            for body in requests
        }
        for key, (status, body) in again.items():
            first_status, first = burst.answers.get(key) or retried[key]
            assert code_of(status, body) == code_of(first_status, first), (key, body, first)
            if status in (200, 201):
                assert status == 200 and body["id"] == first["id"]  # replayed, not a new one

        # At most one check-in per key, and one per person and date.
        records = IdempotencyRecord.objects.filter(owner=owner)
        assert records.count() == len(requests)
        with_checkin = records.filter(checkin__isnull=False)
        assert CheckIn.objects.count() == with_checkin.count() >= stored_before
        assert with_checkin.values("checkin").distinct().count() == with_checkin.count()
        report = assert_nothing_half_written(network)
        assert "own-net:" in report and ": OK" in report
        final = Counter(code_of(*answer) for answer in again.values())
        assert set(final) <= {
            "accepted", "already_checked_in", "no_valid_status", "pass_blocked", "budget_exhausted"
        }, final  # fmt: skip
        assert final["budget_exhausted"] > 0  # the budget ran out, and was not exceeded
    except BaseException:
        print(server.log())
        raise
    finally:
        server.stop()
