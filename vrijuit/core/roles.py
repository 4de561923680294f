"""Roles in a network and what each may do.

This is the single map of permissions. Pages, API endpoints and the admin all ask
``vrijuit.core.permissions.can()``, which reads this map.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    DESK = "desk", _("Desk staff")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    ORGANISER = "organiser", _("Organiser")
    FINANCE = "finance", _("Finance officer")
    VOLUNTEER = "volunteer", _("Volunteer")


class Perm(models.TextChoices):
    NETWORK_VIEW = "network.view", _("See the network")
    NETWORK_MANAGE = "network.manage", _("Manage the network, partners and agreements")
    MEMBERSHIP_MANAGE = "membership.manage", _("Manage staff accounts and roles")
    AUDIT_VIEW = "audit.view", _("Read the audit log")
    APITOKEN_MANAGE = "apitoken.manage", _("Manage API tokens")
    ORGANISER_VIEW = "organiser.view", _("See organisers")
    ORGANISER_CREATE = "organiser.create", _("Add organisers")
    ACTIVITY_MANAGE = "activity.manage", _("Add activities and their dates")
    ACTIVITY_PUBLISH = "activity.publish", _("Publish and archive activities")
    PERSONAL_DATA_VIEW = "personal_data.view", _("See participants' personal data")
    STATUS_BASIS_VIEW = "status_basis.view", _("See why someone has the reduced tariff")
    STATUS_GRANT = "status.grant", _("Grant or end the reduced-tariff status")
    FINANCE_VIEW = "finance.view", _("See budget and reimbursements")
    PARTICIPANT_MANAGE = "participant.manage", _("Register participants and issue passes")
    PARTICIPANT_GDPR = "participant.gdpr", _("Export or erase everything held about a person")
    CHECKIN = "checkin", _("Check in passes and ask the tariff")
    CHECKIN_AT_DESK = "checkin.desk", _("Register a participation at the desk")
    CHECKIN_CANCEL_LATE = "checkin.cancel_late", _("Cancel a check-in more than 24 hours old")
    BUDGET_MANAGE = "budget.manage", _("Set the yearly reimbursement budget")
    STATEMENT_VIEW = "statement.view", _("See reimbursement statements (organisers: their own)")
    STATEMENT_PREPARE = "statement.prepare", _("Draft and review reimbursement statements")
    STATEMENT_APPROVE = "statement.approve", _("Approve and pay reimbursement statements")
    EXPENSE_BOOK = "expense.book", _("Book expenses and corrections")


_ALL = set(Perm)
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(_ALL),
    Role.DESK: frozenset(
        {
            Perm.NETWORK_VIEW,
            Perm.ORGANISER_VIEW,
            Perm.PERSONAL_DATA_VIEW,
            Perm.PARTICIPANT_MANAGE,
            Perm.CHECKIN,
            Perm.CHECKIN_AT_DESK,
        }
    ),
    Role.SOCIAL_WORKER: frozenset(
        {
            Perm.NETWORK_VIEW,
            Perm.ORGANISER_VIEW,
            Perm.PERSONAL_DATA_VIEW,
            Perm.PARTICIPANT_MANAGE,
            Perm.STATUS_BASIS_VIEW,
            Perm.STATUS_GRANT,
        }
    ),
    Role.ORGANISER: frozenset(
        {Perm.NETWORK_VIEW, Perm.ACTIVITY_MANAGE, Perm.CHECKIN, Perm.STATEMENT_VIEW}
    ),
    Role.FINANCE: frozenset(
        {
            Perm.NETWORK_VIEW,
            Perm.ORGANISER_VIEW,
            Perm.FINANCE_VIEW,
            Perm.STATEMENT_VIEW,
            Perm.STATEMENT_APPROVE,
            Perm.EXPENSE_BOOK,
        }
    ),
    Role.VOLUNTEER: frozenset({Perm.NETWORK_VIEW}),
}

# Roles that may read participants' personal data; a network can require two-factor
# login for them.
PERSONAL_DATA_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.PERSONAL_DATA_VIEW in perms
)

# Permissions a role has only where its network switches them on (the network's field).
# Desk staff grant the status (and so see why someone has it) only where the network allows.
NETWORK_SWITCHED_PERMISSIONS: dict[str, dict[str, str]] = {
    Role.DESK: {
        Perm.STATUS_GRANT: "desk_may_grant_status",
        Perm.STATUS_BASIS_VIEW: "desk_may_grant_status",
    },
}

# Roles that act for one organiser: their membership or API token names it, and they reach
# only that organiser's activities, check-ins and statements.
ORGANISER_BOUND_ROLES = frozenset({Role.ORGANISER})

# Roles whose accounts may open the Django admin (``is_staff``).
ADMIN_ROLES = frozenset({Role.COORDINATOR})


def may_use_admin(role) -> bool:
    """May an account with ``role`` open the Django admin (``is_staff``)?"""
    return role in ADMIN_ROLES


def is_organiser_bound(role) -> bool:
    """Does ``role`` act for one organiser (and so need one on its membership or token)?"""
    return role in ORGANISER_BOUND_ROLES
