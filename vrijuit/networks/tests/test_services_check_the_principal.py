"""The network's services check who acts themselves; a page's check is not the only guard."""

import pytest

from vrijuit.api.services import api_token_create, api_token_revoke
from vrijuit.core.exceptions import NotFound, PermissionDenied
from vrijuit.core.permissions import Principal
from vrijuit.core.roles import Role
from vrijuit.networks.models import Membership
from vrijuit.networks.services import membership_invite, network_settings_update

from .factories import NetworkFactory

pytestmark = pytest.mark.django_db


def test_only_who_manages_the_network_changes_its_settings():
    network = NetworkFactory(grace_days=7)
    for role in (Role.DESK, Role.SOCIAL_WORKER, Role.ORGANISER, Role.FINANCE, Role.VOLUNTEER):
        with pytest.raises(PermissionDenied):
            network_settings_update(
                principal=Principal(network=network, role=role), data={"grace_days": 30}
            )
    network.refresh_from_db()
    assert network.grace_days == 7

    coordinator = Principal(network=network, role=Role.COORDINATOR)
    network_settings_update(principal=coordinator, data={"grace_days": 30})
    network.refresh_from_db()
    assert network.grace_days == 30


def test_only_who_manages_staff_gives_someone_a_role():
    network = NetworkFactory()
    invite = {"first_name": "An", "last_name": "Peeters", "email": "an@example.be"}
    with pytest.raises(PermissionDenied):
        membership_invite(
            principal=Principal(network=network, role=Role.DESK), role=Role.COORDINATOR, **invite
        )
    assert not Membership.objects.filter(network=network).exists()

    coordinator = Principal(network=network, role=Role.COORDINATOR)
    membership = membership_invite(principal=coordinator, role=Role.DESK, **invite)
    assert membership.network == network


def test_a_token_is_revoked_only_by_who_manages_tokens_of_its_own_network():
    network, other = NetworkFactory(), NetworkFactory()
    token, _raw = api_token_create(network=network, role=Role.DESK, name="deur")
    with pytest.raises(PermissionDenied):
        api_token_revoke(principal=Principal(network=network, role=Role.DESK), token=token)
    with pytest.raises(NotFound):
        api_token_revoke(principal=Principal(network=other, role=Role.COORDINATOR), token=token)
    token.refresh_from_db()
    assert token.revoked_at is None

    api_token_revoke(principal=Principal(network=network, role=Role.COORDINATOR), token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
