"""A door at which to scan: an organiser's activity at € 12,00 with a date that started half
an hour ago, and a person with an active status and pass."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from django.utils import timezone

from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.core.roles import Role
from vrijuit.participants.tests.factories import ParticipantFactory, StatusFactory
from vrijuit.passes.tests.factories import PassFactory


def person(network, *, status=True, first_name="Amira", **status_traits):
    participant = ParticipantFactory(network=network, first_name=first_name)
    if status:
        StatusFactory(participant=participant, today=timezone.localdate(), **status_traits)
    return participant, PassFactory(participant=participant)


@pytest.fixture
def door(world):
    network = world.own
    organiser = world.organisers["own"]
    activity = ActivityFactory(
        organiser=organiser, network=network, title="Zwemmen", regular_price=Decimal("12.00")
    )
    now = timezone.now().replace(microsecond=0)
    occurrence = OccurrenceFactory(
        activity=activity, start=now - timedelta(minutes=30), end=now + timedelta(hours=2)
    )
    participant, pass_ = person(network)
    return SimpleNamespace(
        world=world,
        network=network,
        organiser=organiser,
        activity=activity,
        occurrence=occurrence,
        participant=participant,
        pass_=pass_,
        token=world.tokens["own", Role.ORGANISER],
        coordinator_token=world.tokens["own", Role.COORDINATOR],
        desk_token=world.tokens["own", Role.DESK],
    )
