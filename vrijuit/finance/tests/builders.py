"""Approved statements and payment batches for the tests of the files (SEPA, CSV, PDF)."""

import uuid
from datetime import timedelta

from django.utils import timezone

from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.checkins.services import checkin_create
from vrijuit.core.roles import Role
from vrijuit.finance.statements import (
    batch_create,
    period_of,
    statement_approve,
    statement_review,
    statements_draft,
)
from vrijuit.participants.tests.factories import ParticipantFactory, StatusFactory
from vrijuit.passes.tests.factories import PassFactory

from .test_statements import principal

# A participant whose name must never appear in a finance file.
SECRET_FIRST_NAME = "Zoëlla"
SECRET_LAST_NAME = "Vanderhaeghen-Quist"

PAYER = {
    "payer_name": "Gemeente Borsbeek",
    "payer_iban": "BE10091012345604",
    "payer_bic": "GKCCBEBB",
}


def with_payer(network, **changes):
    for name, value in {**PAYER, **changes}.items():
        setattr(network, name, value)
    network.save()
    return network


def secret_person(network):
    participant = ParticipantFactory(
        network=network, first_name=SECRET_FIRST_NAME, last_name=SECRET_LAST_NAME
    )
    StatusFactory(participant=participant, today=timezone.localdate())
    return participant, PassFactory(participant=participant)


def scan(door, pass_, occurrence=None):
    outcome = checkin_create(
        principal=principal(door, Role.DESK),
        pass_number=pass_.number,
        occurrence_id=(occurrence or door.occurrence).pk,
        idempotency_key=uuid.uuid4(),
    )
    assert outcome.checkin is not None, outcome.code
    return outcome.checkin


def second_activity(door, *, organiser_name="Turnkring Sint-Jozef", iban="BE62510007547061"):
    """Another organiser's activity at the same time as the door's."""
    activity = ActivityFactory(
        network=door.network,
        organiser__network=door.network,
        organiser__name=organiser_name,
        organiser__iban=iban,
        title="Turnen",
    )
    occurrence = OccurrenceFactory(
        activity=activity, start=door.occurrence.start, end=door.occurrence.end
    )
    return activity, occurrence


def approved_statements(door):
    """Draft, review and approve this month's statements."""
    start, end = period_of(timezone.localdate())
    drafted = statements_draft(
        principal=principal(door, Role.COORDINATOR),
        period_start=start,
        period_end=end,
        today=end + timedelta(days=1),
    )
    approved = []
    for statement in drafted:
        statement_review(principal=principal(door, Role.COORDINATOR), statement=statement)
        approved.append(
            statement_approve(principal=principal(door, Role.FINANCE), statement=statement)
        )
    return approved


def batch_of(door, statements):
    return batch_create(
        principal=principal(door, Role.FINANCE),
        statements=statements,
        execution_date=timezone.localdate(),
    )


def two_organiser_batch(door):
    """A batch paying the door's organiser (three check-ins, one by the secret person) and
    a second organiser (one check-in)."""
    _, pass_ = secret_person(door.network)
    scan(door, door.pass_)
    scan(door, pass_)
    _, other_pass = secret_person(door.network)
    scan(door, other_pass)
    _, occurrence = second_activity(door)
    scan(door, door.pass_, occurrence)
    statements = approved_statements(door)
    return batch_of(door, statements), statements
