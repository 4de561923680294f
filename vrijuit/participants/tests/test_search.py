"""Finding people at the desk: by name, pass number or birth date; and spotting duplicates."""

from datetime import date

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.participants.selectors import (
    participant_search,
    possible_duplicates,
    status_state,
    with_desk_details,
)
from vrijuit.participants.tests.factories import ParticipantFactory, StatusFactory
from vrijuit.passes.numbers import format_number
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return NetworkFactory()


@pytest.fixture
def elodie(network):
    return ParticipantFactory(
        network=network, first_name="Élodie", last_name="Van Dæle", birth_date=date(1985, 3, 12)
    )


@pytest.fixture
def others(network):
    return [
        ParticipantFactory(network=network, first_name="Jan", last_name="Peeters"),
        ParticipantFactory(network=network, first_name="Jan", last_name="Janssens"),
        ParticipantFactory(network=network, first_name="Samira", last_name="El Idrissi"),
        ParticipantFactory(network=network, first_name="Lode", last_name="Daems"),
    ]


def found(network, query):
    return list(participant_search(network, query))


@pytest.mark.parametrize(
    "query",
    [
        "elodie",
        "Élodie",
        "ELO",
        "van d",
        "Van Dæle",
        "van daele",
        "daele",
        "Dæle",
        "elodie van daele",
        "van daele elodie",
        "elodie daele",
        "daele elodie",
        "  elodie  ",
    ],
)
def test_a_name_is_found_by_any_part_accents_and_case_ignored(network, elodie, others, query):
    assert found(network, query) == [elodie]


def test_a_later_part_of_a_compound_name_is_found(network, others):
    marie = ParticipantFactory(network=network, first_name="Marie-Louise", last_name="De Smet")

    assert found(network, "louise") == [marie]
    assert found(network, "smet") == [marie]
    assert found(network, "idrissi") == [others[2]]
    assert found(network, "samira idrissi") == [others[2]]


def test_every_word_must_start_a_name(network, others):
    jan_peeters, jan_janssens, *_ = others

    assert found(network, "jan pe") == [jan_peeters]
    assert found(network, "peeters jan") == [jan_peeters]
    assert set(found(network, "jan")) == {jan_peeters, jan_janssens}
    assert found(network, "an") == []  # not a substring search


def test_a_pass_number_finds_its_holder(network, elodie, others):
    card = PassFactory(participant=elodie)
    PassFactory(participant=others[0])

    assert found(network, card.number) == [elodie]
    assert found(network, format_number(card.number)) == [elodie]  # "1234 5678 9012 3"
    assert found(network, card.number[:12]) == []


def test_an_old_pass_number_still_finds_the_person(network, elodie):
    old = PassFactory(participant=elodie, replaced=True)

    assert found(network, old.number) == [elodie]
    assert found(network, old.replaced_by.number) == [elodie]


@pytest.mark.parametrize("typed", ["12/03/1985", "12-03-1985", "12.03.1985", "1985-03-12"])
def test_a_birth_date_finds_the_people_born_that_day(network, elodie, others, typed):
    twin = ParticipantFactory(network=network, first_name="Arno", birth_date=date(1985, 3, 12))
    ParticipantFactory(network=network, birth_date=date(1985, 12, 3))

    assert set(found(network, typed)) == {elodie, twin}


@pytest.mark.parametrize(
    "query", ["elodie", "van d", "daele", "ELO", "Élodie Van", "12/03/1985", "12.03.1985"]
)
def test_another_networks_people_are_never_found(network, elodie, query):
    elsewhere = NetworkFactory()
    copy = ParticipantFactory(
        network=elsewhere, first_name="Élodie", last_name="Van Dæle", birth_date=date(1985, 3, 12)
    )

    assert found(network, query) == [elodie]
    assert found(elsewhere, query) == [copy]


def test_the_pass_number_of_another_network_finds_nobody(network, elodie):
    card = PassFactory(participant__network=NetworkFactory())

    assert found(network, card.number) == []


def test_erased_people_are_not_found(network, elodie):
    card = PassFactory(participant=elodie)
    elodie.erased_at = elodie.created_at
    elodie.save()

    for query in ("elodie", "van daele", card.number, "12/03/1985"):
        assert found(network, query) == []


@pytest.mark.parametrize("query", ["", "   ", "-", "'", "%", "_", "\\", "a" * 300])
def test_odd_queries_find_nothing_and_do_not_fail(network, elodie, query):
    assert found(network, query) == []


def test_at_most_the_limit_is_returned(network):
    for n in range(30):
        ParticipantFactory(network=network, first_name="Jan", last_name=f"Maes{n:02}")

    assert len(found(network, "jan")) == 25
    assert len(found(network, "maes")) == 25
    assert len(list(participant_search(network, "jan", limit=5))) == 5


# --- a constant number of queries ---------------------------------------------------------


def desk_list(network, query):
    """What the desk's result list reads: every person, their state and active pass."""
    people = list(with_desk_details(participant_search(network, query)))
    for person in people:
        status_state(person, date(2026, 6, 15), person.statuses.all())
        [p.number for p in person.active_passes]
        person.municipality.name  # noqa: B018
    return people


def queries_for(network, query):
    with CaptureQueriesContext(connection) as ctx:
        desk_list(network, query)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["jan", "jan ma", "01/01/1990", "PASS"])
def test_the_number_of_queries_does_not_grow_with_the_results(
    network, query, django_assert_max_num_queries
):
    first = ParticipantFactory(
        network=network, first_name="Jan", last_name="Maes", birth_date=date(1990, 1, 1)
    )
    card = PassFactory(participant=first)
    query = card.number if query == "PASS" else query
    few = queries_for(network, query)

    for n in range(20):
        someone = ParticipantFactory(
            network=network, first_name="Jan", last_name=f"Maes{n}", birth_date=date(1990, 1, 1)
        )
        StatusFactory(participant=someone)
        StatusFactory(participant=someone, expired=True)
        PassFactory(participant=someone, replaced=True)

    with django_assert_max_num_queries(6):
        people = desk_list(network, query)
    assert people
    assert queries_for(network, query) == few


# --- duplicates ---------------------------------------------------------------------------


def test_possible_duplicates_have_the_same_birth_date_and_a_name_in_common(network, elodie):
    ParticipantFactory(network=network, first_name="Élodie", birth_date=date(1985, 3, 13))
    ParticipantFactory(network=network, last_name="Van Dæle", birth_date=date(1984, 3, 12))
    ParticipantFactory(
        network=network, first_name="Anna", last_name="Claes", birth_date=date(1985, 3, 12)
    )
    elsewhere = ParticipantFactory(
        network=NetworkFactory(),
        first_name="Elodie",
        last_name="Van Daele",
        birth_date=date(1985, 3, 12),
    )

    same_last = possible_duplicates(
        network, first_name="Lucie", last_name="van daele", birth_date=date(1985, 3, 12)
    )
    same_first = possible_duplicates(
        network, first_name="ELODIE", last_name="Peeters", birth_date=date(1985, 3, 12)
    )
    neither = possible_duplicates(
        network, first_name="Lucie", last_name="Peeters", birth_date=date(1985, 3, 12)
    )

    assert list(same_last) == [elodie]
    assert list(same_first) == [elodie]
    assert list(neither) == []
    assert elsewhere not in same_last


def test_erased_people_are_no_duplicates(network, elodie):
    elodie.erased_at = elodie.created_at
    elodie.save()

    assert not possible_duplicates(
        network, first_name="Élodie", last_name="Van Dæle", birth_date=date(1985, 3, 12)
    )
