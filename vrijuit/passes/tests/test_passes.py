"""The pass lifecycle: issue, block, replace; one active pass per person and network."""

import pytest

from django.db import IntegrityError, transaction

from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.participants.exceptions import AlreadyErased
from vrijuit.participants.services import participant_erase
from vrijuit.participants.tests.factories import ParticipantFactory
from vrijuit.passes.constants import BlockReason, PassState
from vrijuit.passes.exceptions import PassAlreadyActive, PassNotActive
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import is_valid_number
from vrijuit.passes.selectors import (
    active_pass_for,
    pass_for_private_link,
    pass_get_by_number,
    passes_for_participant,
)
from vrijuit.passes.services import pass_block, pass_issue, pass_new_private_link, pass_replace
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db


# --- issue --------------------------------------------------------------------------------


def test_a_new_pass_is_active_with_a_valid_number_and_a_private_link():
    someone = ParticipantFactory()

    issued = pass_issue(participant=someone)

    assert issued.state == PassState.ACTIVE
    assert issued.network == someone.network
    assert is_valid_number(issued.number)
    assert issued.access_key
    assert pass_for_private_link(issued.access_key) == issued
    assert active_pass_for(someone) == issued


def test_a_second_active_pass_is_refused():
    current = PassFactory()

    with pytest.raises(PassAlreadyActive) as refused:
        pass_issue(participant=current.participant)

    assert refused.value.code == "pass_already_active"
    assert refused.value.status == 409
    assert list(passes_for_participant(current.participant)) == [current]


def test_the_database_refuses_a_second_active_pass_too():
    current = PassFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Pass.objects.create(
            network=current.network, participant=current.participant, number="1234567890128"
        )

    assert Pass.objects.filter(participant=current.participant).count() == 1


def test_a_person_with_only_blocked_passes_may_get_a_new_one():
    old = PassFactory(blocked=True)

    new = pass_issue(participant=old.participant)

    assert new.state == PassState.ACTIVE
    assert new.number != old.number


def test_an_erased_person_gets_no_pass():
    someone = ParticipantFactory()
    participant_erase(participant=someone)

    with pytest.raises(AlreadyErased):
        pass_issue(participant=someone)


def test_an_erased_persons_pass_is_not_replaced():
    card = PassFactory()
    participant_erase(participant=card.participant)

    with pytest.raises(AlreadyErased):
        pass_replace(pass_=card, reason=BlockReason.LOST)


# --- block --------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [BlockReason.LOST, BlockReason.STOLEN, BlockReason.OTHER])
def test_blocking_sets_the_reason_and_stops_the_private_link(reason):
    current = PassFactory()
    link = current.access_key

    blocked = pass_block(pass_=current, reason=reason)

    current.refresh_from_db()
    assert (current.state, current.block_reason) == (PassState.BLOCKED, reason)
    assert current.blocked_at is not None
    assert current.access_key is None
    assert blocked.state == PassState.BLOCKED
    assert pass_for_private_link(link) is None
    assert active_pass_for(current.participant) is None
    # The number stays known, so a scan can say "blocked" rather than "unknown".
    assert pass_get_by_number(current.network, current.number) == current


def test_a_blocked_pass_cannot_be_blocked_again():
    old = PassFactory(blocked=True)

    with pytest.raises(PassNotActive) as refused:
        pass_block(pass_=old, reason=BlockReason.STOLEN)

    assert refused.value.code == "pass_not_active"
    old.refresh_from_db()
    assert old.block_reason == BlockReason.LOST


def test_the_database_refuses_a_blocked_pass_without_reason():
    current = PassFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Pass.objects.filter(pk=current.pk).update(state=PassState.BLOCKED, block_reason="")


def test_a_new_private_link_replaces_the_old_one():
    current = PassFactory()
    old_link = current.access_key

    pass_new_private_link(pass_=current)

    assert pass_for_private_link(old_link) is None
    assert pass_for_private_link(current.access_key) == current


# --- replace ------------------------------------------------------------------------------


def test_replacing_blocks_the_old_pass_and_gives_a_new_one_to_the_same_person():
    # given
    old = PassFactory()
    old_link = old.access_key

    # when
    new = pass_replace(pass_=old, reason=BlockReason.STOLEN)

    # then
    old.refresh_from_db()
    assert old.state == PassState.REPLACED
    assert old.block_reason == BlockReason.STOLEN
    assert old.replaced_by == new
    assert old.access_key is None
    assert pass_for_private_link(old_link) is None
    assert new.state == PassState.ACTIVE
    assert new.participant == old.participant
    assert new.network == old.network
    assert new.number != old.number
    assert is_valid_number(new.number)
    assert new.replaces == old
    assert set(passes_for_participant(old.participant)) == {old, new}
    assert active_pass_for(old.participant) == new


def test_a_blocked_pass_can_be_replaced_later():
    old = PassFactory(blocked=True)

    new = pass_replace(pass_=old, reason=BlockReason.OTHER)

    old.refresh_from_db()
    assert old.state == PassState.REPLACED
    assert old.block_reason == BlockReason.LOST  # why it was blocked stays
    assert old.replaced_by == new


def test_a_replaced_pass_cannot_be_replaced_again():
    old = PassFactory(replaced=True)

    with pytest.raises(PassNotActive):
        pass_replace(pass_=old, reason=BlockReason.LOST)

    assert Pass.objects.filter(participant=old.participant).count() == 2


def test_the_history_of_three_cards_stays_with_the_person():
    first = PassFactory()
    second = pass_replace(pass_=first, reason=BlockReason.LOST)
    third = pass_replace(pass_=second, reason=BlockReason.STOLEN)

    history = list(passes_for_participant(first.participant))

    assert set(history) == {first, second, third}
    assert [p.state for p in history].count(PassState.ACTIVE) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.replaced_by, second.replaced_by, third.replaced_by) == (second, third, None)


def test_factory_traits():
    blocked, replaced = PassFactory(blocked=True), PassFactory(replaced=True)

    assert (blocked.state, blocked.access_key) == (PassState.BLOCKED, None)
    assert replaced.state == PassState.REPLACED
    assert replaced.replaced_by.state == PassState.ACTIVE
    assert replaced.replaced_by.participant == replaced.participant


# --- numbers per network ------------------------------------------------------------------


def test_a_number_is_unique_within_a_network():
    taken = PassFactory()
    someone_else = ParticipantFactory(network=taken.network)

    with pytest.raises(IntegrityError), transaction.atomic():
        PassFactory(participant=someone_else, number=taken.number)


def test_the_same_number_may_exist_in_two_networks():
    here = PassFactory(participant__network=NetworkFactory())
    there = PassFactory(participant__network=NetworkFactory(), number=here.number)

    assert pass_get_by_number(here.network, here.number) == here
    assert pass_get_by_number(there.network, here.number) == there
    assert pass_get_by_number(NetworkFactory(), here.number) is None


def test_blocking_needs_one_of_the_known_reasons():
    from vrijuit.core.exceptions import VrijuitError
    from vrijuit.passes.services import pass_block
    from vrijuit.passes.tests.factories import PassFactory

    card = PassFactory()

    with pytest.raises(VrijuitError) as refusal:
        pass_block(pass_=card, reason="")

    assert refusal.value.errors["reason"]
    card.refresh_from_db()
    assert card.state == "active"
