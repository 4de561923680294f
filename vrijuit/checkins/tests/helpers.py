"""Helpers for the reliability tests: principals from tokens, threads started together, and a
way to break what the database itself refuses."""

import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.db import close_old_connections, connection
from django.utils import timezone

from vrijuit.api.models import ApiToken, hash_token
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.checkins import services
from vrijuit.core.permissions import Principal


def principal_for(raw_token):
    """The principal the API builds for a bearer token."""
    token = ApiToken.objects.select_related("network").get(key_hash=hash_token(raw_token))
    return Principal(
        network=token.network, role=token.role, organiser_id=token.organiser_id, token=token
    )


def open_date(network, organiser, price="12.00"):
    """A date of a new activity of ``organiser``, open for check-in now."""
    activity = ActivityFactory(network=network, organiser=organiser, regular_price=Decimal(price))
    now = timezone.now().replace(microsecond=0)
    return OccurrenceFactory(
        activity=activity, start=now - timedelta(minutes=30), end=now + timedelta(hours=2)
    )


def check_in(principal, pass_number, occurrence, key=None):
    return services.checkin_create(
        principal=principal,
        pass_number=pass_number,
        occurrence_id=occurrence.pk,
        idempotency_key=key or uuid.uuid4(),
    )


class Race:
    """Run ``work(i)`` in ``n`` threads that start at the same moment.

    Each thread opens its own database connection before the start line (so that the race is
    about the work, not about connecting) and closes it at the end. ``results[i]`` is what
    ``work(i)`` returned; ``errors`` holds ``(i, exception)`` for each thread that raised,
    such as an ``OperationalError: database is locked``.
    """

    def __init__(self, n, work, timeout=60):
        self.n = n
        self.results = [None] * n
        self.errors = []
        barrier = threading.Barrier(n)
        lock = threading.Lock()

        def run(i):
            try:
                connection.ensure_connection()
                barrier.wait(timeout=timeout)
                self.results[i] = work(i)
            except Exception as exc:
                with lock:
                    self.errors.append((i, exc))
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        stuck = sum(thread.is_alive() for thread in threads)
        assert not stuck, f"{stuck} of {n} threads did not finish within {timeout} s"

    def raise_errors(self):
        if self.errors:
            _i, first = self.errors[0]
            names = sorted({f"{type(e).__name__}: {e}" for _, e in self.errors})
            raise AssertionError(
                f"{len(self.errors)} of {self.n} threads raised: {names}"
            ) from first


@contextmanager
def database_allows_broken_rows(*constraint_names):
    """Switch off the named check constraints and unique indexes of ``checkins_checkin`` for
    the rest of the test, so that raw updates can break what ``check_integrity`` verifies.

    PostgreSQL: the DDL runs inside the test's transaction and is rolled back with it.
    SQLite: check constraints are switched off for the connection until the block ends;
    dropped indexes come back with the test's rollback.
    """
    table = "checkins_checkin"
    with connection.cursor() as cursor:
        sqlite = connection.vendor == "sqlite"
        if not sqlite:
            # PostgreSQL alters no table with deferred foreign-key checks still pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name in constraint_names:
            if name.startswith("checkin_one_"):
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            elif not sqlite:
                cursor.execute(
                    f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                )
        if sqlite:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
