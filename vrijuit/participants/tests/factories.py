"""Factories for participants, households, statuses and notes.

Dates are fixed, never the wall clock: ``TODAY`` is the day the traits are relative to,
and ``StatusFactory(today=…)`` moves them.
"""

import datetime
from datetime import timedelta

import factory

from vrijuit.networks.models import Municipality
from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.participants.constants import Basis
from vrijuit.participants.models import Household, Note, Participant, Status

TODAY = datetime.date(2026, 6, 15)


def municipality_covering(network, postal_code):
    """The network's municipality for ``postal_code``; made when the network has none."""
    for municipality in network.municipalities.all():
        if postal_code in municipality.postal_code_list:
            return municipality
    return Municipality.objects.create(
        network=network, name=f"Gemeente {postal_code}", postal_codes=postal_code
    )


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    network = factory.SubFactory(NetworkFactory)
    label = factory.Sequence(lambda n: f"Gezin {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A resident of one of the network's municipalities (made to match ``postal_code``)."""

    class Meta:
        model = Participant

    network = factory.SubFactory(NetworkFactory)
    first_name = factory.Iterator(["Lotte", "Jan", "Fatima", "Kobe", "Marie", "Youssef"])
    last_name = factory.Sequence(lambda n: f"Peeters{n}")
    birth_date = factory.Sequence(
        lambda n: datetime.date(1960, 1, 1) + timedelta(days=97 * (n % 200))
    )
    postal_code = "2150"
    municipality = factory.LazyAttribute(lambda o: municipality_covering(o.network, o.postal_code))
    street = factory.Sequence(lambda n: f"Kerkstraat {n + 1}")
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.be")
    phone = "0470 12 34 56"
    household = None
    last_activity_on = TODAY


class StatusFactory(factory.django.DjangoModelFactory):
    """A status valid for the calendar year of ``today``; traits move it relative to ``today``.

    ``expired``: ran out 60 days ago (past the 30-day grace); ``in_grace``: ran out 10 days
    ago; ``suspended``: suspended since 5 days ago, no end date; ``ended``: ended 5 days ago.
    """

    class Meta:
        model = Status

    class Params:
        today = TODAY
        expired = factory.Trait(
            valid_until=factory.LazyAttribute(lambda o: o.today - timedelta(days=60)),
            valid_from=factory.LazyAttribute(lambda o: o.valid_until - timedelta(days=364)),
        )
        in_grace = factory.Trait(
            valid_until=factory.LazyAttribute(lambda o: o.today - timedelta(days=10)),
            valid_from=factory.LazyAttribute(lambda o: o.valid_until - timedelta(days=364)),
        )
        suspended = factory.Trait(
            suspended_from=factory.LazyAttribute(lambda o: o.today - timedelta(days=5)),
            suspended_until=None,
            suspend_reason="Onderzoek naar het inkomen loopt",
        )
        ended = factory.Trait(
            ended_on=factory.LazyAttribute(lambda o: o.today - timedelta(days=5)),
            end_reason="Verhuisd buiten de gemeente",
        )

    participant = factory.SubFactory(ParticipantFactory)
    network = factory.LazyAttribute(lambda o: o.participant.network)
    basis = Basis.INCREASED_ALLOWANCE
    valid_from = factory.LazyAttribute(lambda o: datetime.date(o.today.year, 1, 1))
    valid_until = factory.LazyAttribute(lambda o: datetime.date(o.today.year, 12, 31))
    note = "Attest van het ziekenfonds gezien"
    granted_by_label = "loket"


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    participant = factory.SubFactory(ParticipantFactory)
    network = factory.LazyAttribute(lambda o: o.participant.network)
    text = "Komt graag naar de zwemlessen op woensdag."
    author = None
