"""The back-office menu, per role. Later features add entries here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import can
from .roles import Perm


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    perm: str


MENU = [
    MenuItem(_("Home"), "desk:home", Perm.NETWORK_VIEW),
    MenuItem(_("Participants"), "desk:participants", Perm.PERSONAL_DATA_VIEW),
    MenuItem(_("Activities"), "desk:activities", Perm.ACTIVITY_MANAGE),
    MenuItem(_("Check-ins"), "desk:checkins", Perm.CHECKIN),
    MenuItem(_("Budget"), "desk:budget", Perm.FINANCE_VIEW),
    MenuItem(_("Reimbursements"), "desk:statements", Perm.STATEMENT_VIEW),
    MenuItem(_("Network"), "desk:network", Perm.NETWORK_VIEW),
    MenuItem(_("Organisers"), "desk:organisers", Perm.ORGANISER_VIEW),
    MenuItem(_("Staff and roles"), "desk:members", Perm.MEMBERSHIP_MANAGE),
    MenuItem(_("API tokens"), "desk:tokens", Perm.APITOKEN_MANAGE),
    MenuItem(_("Audit log"), "desk:audit", Perm.AUDIT_VIEW),
]


def menu_for(principal, current_path=""):
    items = []
    for item in MENU:
        if can(principal, item.perm):
            url = reverse(item.url_name, kwargs={"network": principal.network.slug})
            items.append({"label": item.label, "url": url, "current": current_path == url})
    return items
