import datetime
import secrets

import factory

from vrijuit.participants.tests.factories import ParticipantFactory
from vrijuit.passes.constants import BlockReason, PassState
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import new_number

BLOCKED_AT = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)


class PassFactory(factory.django.DjangoModelFactory):
    """An active pass with a valid number. ``blocked=True``: blocked as lost;
    ``replaced=True``: blocked, then replaced by a new active pass of the same person."""

    class Meta:
        model = Pass

    class Params:
        blocked = factory.Trait(
            state=PassState.BLOCKED,
            block_reason=BlockReason.LOST,
            blocked_at=BLOCKED_AT,
            access_key=None,
        )
        replaced = factory.Trait(
            state=PassState.REPLACED,
            block_reason=BlockReason.LOST,
            blocked_at=BLOCKED_AT,
            access_key=None,
            replaced_by=factory.SubFactory(
                "vrijuit.passes.tests.factories.PassFactory",
                participant=factory.SelfAttribute("..participant"),
            ),
        )

    participant = factory.SubFactory(ParticipantFactory)
    network = factory.LazyAttribute(lambda o: o.participant.network)
    number = factory.LazyFunction(new_number)
    state = PassState.ACTIVE
    access_key = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
