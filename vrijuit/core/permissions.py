"""The one permission check, used by pages, the API and the admin.

A *principal* is whoever acts in a network: a staff member through their membership, or
an API token. Both carry a network, a role and (for organisers) an organiser.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

from .exceptions import NotFound, PermissionDenied
from .roles import NETWORK_SWITCHED_PERMISSIONS, ROLE_PERMISSIONS, Role, is_organiser_bound


@dataclass(frozen=True)
class Principal:
    network: object
    role: str
    organiser_id: object = None
    partner_id: object = None
    user: object = None
    token: object = None

    @property
    def network_id(self):
        return self.network.pk

    @property
    def role_label(self):
        return Role(self.role).label

    @property
    def label(self):
        if self.user is not None:
            return self.user.get_username()
        if self.token is not None:
            return f"token:{self.token.name}"
        return ""


def can(principal: Principal | None, perm: str, obj=None) -> bool:
    """May ``principal`` do ``perm`` (on ``obj``, if given)?

    Objects of another network are never allowed. Organisers act only on their own
    organiser's objects.
    """
    if principal is None:
        return False
    switch = NETWORK_SWITCHED_PERMISSIONS.get(principal.role, {}).get(perm)
    if switch is not None:
        allowed = bool(getattr(principal.network, switch))
    else:
        allowed = perm in ROLE_PERMISSIONS.get(principal.role, frozenset())
    if not allowed:
        return False
    if obj is not None:
        return in_scope(principal, obj)
    return True


def in_scope(principal: Principal, obj) -> bool:
    """Is ``obj`` inside what this principal may reach (network, and organiser)?"""
    Network = apps.get_model("networks", "Network")

    network_id = obj.pk if isinstance(obj, Network) else getattr(obj, "network_id", None)
    if network_id != principal.network_id:
        return False
    if organiser_bound(principal):
        organiser_id = getattr(obj, "organiser_id", None)
        if obj._meta.label_lower == "catalogue.organiser":
            organiser_id = obj.pk
        if organiser_id is not None and organiser_id != principal.organiser_id:
            return False
    return True


def organiser_bound(principal: Principal) -> bool:
    """Does this principal reach only its own organiser's rows (``principal.organiser_id``)?

    Pages, selectors and services filter with this, never with the role itself."""
    return is_organiser_bound(principal.role)


def require(principal: Principal | None, perm: str, obj=None) -> None:
    """Raise ``NotFound`` for another network's object, ``PermissionDenied`` otherwise."""
    if obj is not None and (principal is None or not in_scope(principal, obj)):
        raise NotFound()
    if not can(principal, perm, obj):
        raise PermissionDenied()


def principal_for_user(user, network) -> Principal | None:
    """The principal of a logged-in staff member in ``network``, or None if not a member."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    membership = (
        user.memberships.filter(network=network, is_active=True)
        .only("role", "organiser_id", "partner_id")
        .first()
    )
    if membership is None:
        return None
    return Principal(
        network=network,
        role=membership.role,
        organiser_id=membership.organiser_id,
        partner_id=membership.partner_id,
        user=user,
    )
