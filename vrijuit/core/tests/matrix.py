"""Who may open which page and call which endpoint: the rows of the permission matrix.

``test_permission_matrix.py`` runs every row for every role in the own and in the other
network, and without login or token. A new page or endpoint adds a row here; the test
``test_every_page_and_endpoint_has_a_row`` fails until it does.

The allowed roles are written out per row from what the product intends (the role map in
``vrijuit/core/roles.py`` and the API contract), not computed
from datetime import timedelta

from the code under test, so that a wrong permission in the code shows up as a failure.

A row's ``path`` is a template: ``{network}`` is the network's slug; any other
``{placeholder}`` comes from the row's ``setup(world, key)``, which makes (or picks) the
objects of network ``key`` that the request is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from vrijuit.api.services import api_token_create
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import OrganiserFactory
from vrijuit.participants.tests.factories import ParticipantFactory, municipality_covering
from vrijuit.passes.tests.factories import PassFactory

ALL = frozenset(Role.values)
COORDINATOR = frozenset({Role.COORDINATOR})
# Staff who work with organisers: see them, but only the coordinator adds them.
ORGANISER_READERS = frozenset({Role.COORDINATOR, Role.DESK, Role.SOCIAL_WORKER, Role.FINANCE})

# Staff who register participants and issue passes (docs/api.md: desk, social worker, coordinator).
PARTICIPANT_STAFF = frozenset({Role.COORDINATOR, Role.DESK, Role.SOCIAL_WORKER})
# Who grants the status: social worker and coordinator; desk staff only where the network
# allows it (``desk_may_grant_status``, off in the world's networks).
STATUS_GRANTERS = frozenset({Role.COORDINATOR, Role.SOCIAL_WORKER})

# A second organiser in each network, with an IBAN of its own, for "an organiser sees only
# its own organiser".
SIBLING_IBAN = "BE71096123456769"


@dataclass(frozen=True)
class Row:
    name: str
    kind: str  # "page" (back office, session login) or "api" (bearer token)
    method: str
    path: str
    allowed: frozenset[str]
    body: dict | None = None
    setup: Callable | None = None
    # Roles that may use the page or endpoint in general but for whom this particular
    # object is out of reach (another organiser's record): they get 404, as for an
    # object of another network, not 403.
    hidden_from: frozenset[str] = frozenset()
    # The status an allowed role gets when it must be exact (a valid POST that redirects).
    ok_status: int | None = None
    note: str = field(default="", compare=False)
    # An open endpoint (``auth=None``): anyone, with or without a token, gets 2xx; the
    # network is in the address (``?network={network}``), so another network's token only
    # changes nothing. Its objects of another network still give 404.
    public: bool = False

    def __post_init__(self):
        assert self.kind in ("page", "api"), self.kind
        assert not (self.allowed & self.hidden_from), self.name
        assert not self.public or (self.kind == "api" and self.allowed == ALL), self.name

    def payload(self, world, key="own"):
        """The body; a callable ``body(world, key)`` gives one for network ``key``."""
        return self.body(world, key) if callable(self.body) else self.body

    @property
    def id(self):
        return self.name

    @property
    def object_placeholders(self):
        return [p for p in re.findall(r"{(\w+)}", self.path) if p != "network"]

    @property
    def has_object(self):
        return bool(self.object_placeholders)

    @property
    def is_network_scoped(self):
        """Does the request address one network (through the URL or an object id)?"""
        return "{network}" in self.path or self.has_object

    def url(self, world, key="own", objects_of=None):
        """The path for network ``key``; objects from ``objects_of`` (default: ``key``)."""
        values = {"network": world.networks[key].slug}
        if self.setup is not None:
            values.update(self.setup(world, objects_of or key))
        return self.path.format(**values)


# --- setups: objects of network ``key`` ------------------------------------------------


def own_organiser(world, key):
    return {"organiser_id": world.organisers[key].pk}


def sibling_organiser(world, key):
    network = world.networks[key]
    sibling = network.organisers.filter(slug=f"{key}-sibling").first() or OrganiserFactory(
        network=network, slug=f"{key}-sibling", name=f"Buren {key}", iban=SIBLING_IBAN
    )
    return {"organiser_id": sibling.pk}


def active_pass(world, key):
    from vrijuit.passes.models import Pass
    from vrijuit.passes.tests.factories import PassFactory

    network = world.networks[key]
    pass_ = Pass.objects.filter(
        network=network, state="active", participant__last_name="Matrix"
    ).first() or PassFactory(participant__network=network, participant__last_name="Matrix")
    return {"pass_id": pass_.pk}


def fresh_token(world, key):
    token, _raw = api_token_create(network=world.networks[key], role=Role.DESK, name="oude scanner")
    return {"token_id": token.pk}


def staff_with_app(world, key):
    """A new desk staff member of network ``key`` with an authenticator app (a new one per
    request: a reset is final)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vrijuit.networks.tests.factories import MembershipFactory

    membership = MembershipFactory(network=world.networks[key], role=Role.DESK)
    TOTPDevice.objects.create(user=membership.user, name="app", confirmed=True)
    return {"membership_id": membership.pk}


def municipalities(world, key):
    """Postal code 2150 in both networks, so that a valid registration succeeds in each."""
    for network in world.networks.values():
        municipality_covering(network, "2150")
    return {}


def fresh_participant(world, key):
    """A new participant of network ``key`` (a new one per request: erasing is final)."""
    return {"participant_id": ParticipantFactory(network=world.networks[key]).pk}


def fresh_pass(world, key):
    """A new active pass of network ``key`` (a new one per request: blocking is final)."""
    participant = ParticipantFactory(network=world.networks[key])
    return {"pass_id": PassFactory(participant=participant).pk}


def own_activity(world, key):
    """A published activity of the own organiser of network ``key``, with a coming date."""
    from vrijuit.catalogue.models import Activity
    from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory

    organiser = world.organisers[key]
    activity = Activity.objects.filter(organiser=organiser, title="Matrix").first()
    if activity is None:
        activity = ActivityFactory(organiser=organiser, title="Matrix")
        OccurrenceFactory(activity=activity)
    return {"activity_id": activity.pk}


def sibling_activity(world, key):
    """A published activity of the second organiser of network ``key``."""
    from vrijuit.catalogue.models import Organiser
    from vrijuit.catalogue.tests.factories import ActivityFactory

    sibling = Organiser.objects.get(pk=sibling_organiser(world, key)["organiser_id"])
    activity = sibling.activities.first() or ActivityFactory(organiser=sibling, title="Buren")
    return {"activity_id": activity.pk}


def new_activity(world, key):
    """The body of a new activity of the own organiser of network ``key``."""
    return {"title": "Dansles", "regular_price": "8.00", "organiser": str(world.organisers[key].pk)}


def _door(world, key):
    """An open date of the own organiser of network ``key`` and a new person with a status
    and a pass (a new one per request: a check-in is once per person and date)."""
    from datetime import timedelta

    from django.utils import timezone

    from vrijuit.catalogue.models import Occurrence
    from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
    from vrijuit.participants.tests.factories import StatusFactory

    organiser = world.organisers[key]
    occurrence = Occurrence.objects.filter(
        activity__organiser=organiser, activity__title="Deur"
    ).first()
    if occurrence is None:
        now = timezone.now()
        activity = ActivityFactory(organiser=organiser, title="Deur")
        occurrence = OccurrenceFactory(activity=activity, start=now, end=now + timedelta(hours=3))
    participant = ParticipantFactory(network=world.networks[key])
    StatusFactory(participant=participant, today=timezone.localdate())
    return occurrence, PassFactory(participant=participant)


def checkin_body(world, key):
    import uuid

    occurrence, pass_ = _door(world, key)
    return {
        "pass_number": pass_.number,
        "occurrence": str(occurrence.pk),
        "idempotency_key": str(uuid.uuid4()),
    }


def own_checkin(world, key):
    """An accepted check-in at the own organiser's date of network ``key``."""
    from vrijuit.checkins.models import CheckIn
    from vrijuit.checkins.services import checkin_create
    from vrijuit.core.permissions import Principal

    occurrence, pass_ = _door(world, key)
    principal = Principal(
        network=world.networks[key], role=Role.COORDINATOR, user=world.users[key, Role.COORDINATOR]
    )
    outcome = checkin_create(
        principal=principal, pass_number=pass_.number, occurrence_id=occurrence.pk
    )
    assert isinstance(outcome.checkin, CheckIn), outcome.code
    return {"checkin_id": outcome.checkin.pk}


# --- the rows --------------------------------------------------------------------------

PAGES = [
    Row("desk entry", "page", "get", "/desk/", ALL, note="sends staff to their network"),
    Row("desk home", "page", "get", "/desk/{network}/", ALL),
    Row("network page", "page", "get", "/desk/{network}/network/", ALL),
    Row("network settings page", "page", "get", "/desk/{network}/network/edit/", COORDINATOR),
    Row("organisers page", "page", "get", "/desk/{network}/organisers/", ORGANISER_READERS),
    Row(
        "add organiser",
        "page",
        "post",
        "/desk/{network}/organisers/",
        COORDINATOR,
        body={"name": "Nieuwe club", "email": "", "phone": "", "iban": ""},
        ok_status=302,
    ),
    Row("staff page", "page", "get", "/desk/{network}/staff/", COORDINATOR),
    Row(
        "invite staff",
        "page",
        "post",
        "/desk/{network}/staff/",
        COORDINATOR,
        body={
            "first_name": "Jan",
            "last_name": "Wouters",
            "email": "jan@example.be",
            "role": Role.DESK,
        },
        ok_status=302,
    ),
    Row(
        "reset two-factor login page",
        "page",
        "get",
        "/desk/{network}/staff/{membership_id}/two-factor-reset/",
        COORDINATOR,
        setup=staff_with_app,
        ok_status=200,
    ),
    Row(
        "reset two-factor login",
        "page",
        "post",
        "/desk/{network}/staff/{membership_id}/two-factor-reset/",
        COORDINATOR,
        setup=staff_with_app,
        ok_status=302,
    ),
    Row("API tokens page", "page", "get", "/desk/{network}/api-tokens/", COORDINATOR),
    Row(
        "create API token",
        "page",
        "post",
        "/desk/{network}/api-tokens/",
        COORDINATOR,
        body={"name": "deur zwembad", "role": Role.DESK},
        ok_status=200,
        note="shows the raw token once, on the page itself",
    ),
    Row(
        "revoke API token",
        "page",
        "post",
        "/desk/{network}/api-tokens/{token_id}/revoke/",
        COORDINATOR,
        setup=fresh_token,
        ok_status=302,
    ),
    Row("audit log", "page", "get", "/desk/{network}/audit/", COORDINATOR),
    Row(
        "pass card PDF",
        "page",
        "get",
        "/desk/{network}/passes/{pass_id}/card.pdf",
        PARTICIPANT_STAFF,
        setup=active_pass,
        ok_status=200,
        note="the printable card of an active pass",
    ),
]

API = [
    Row("GET /me", "api", "get", "/api/v1/me", ALL),
    Row("GET /organisers", "api", "get", "/api/v1/organisers", ORGANISER_READERS),
    Row(
        "POST /organisers",
        "api",
        "post",
        "/api/v1/organisers",
        COORDINATOR,
        body={"name": "Nieuwe club", "iban": "BE68 5390 0754 7034"},
    ),
    Row(
        "GET /organisers/{id} own organiser",
        "api",
        "get",
        "/api/v1/organisers/{organiser_id}",
        ORGANISER_READERS | {Role.ORGANISER},
        setup=own_organiser,
        note="the organiser token's own organiser",
    ),
    Row(
        "GET /organisers/{id} another organiser",
        "api",
        "get",
        "/api/v1/organisers/{organiser_id}",
        ORGANISER_READERS,
        setup=sibling_organiser,
        hidden_from=frozenset({Role.ORGANISER}),
    ),
    Row(
        "POST /participants",
        "api",
        "post",
        "/api/v1/participants",
        PARTICIPANT_STAFF,
        body={
            "first_name": "Lotte",
            "last_name": "Janssens",
            "birth_date": "2012-05-04",
            "postal_code": "2150",
        },
        setup=municipalities,
    ),
    Row("GET /participants", "api", "get", "/api/v1/participants", PARTICIPANT_STAFF),
    Row(
        "POST /participants/search",
        "api",
        "post",
        "/api/v1/participants/search",
        PARTICIPANT_STAFF,
        body={"q": "Peeters"},
        note="the search with q in the body, for pass numbers",
    ),
    Row(
        "GET /participants/{id}",
        "api",
        "get",
        "/api/v1/participants/{participant_id}",
        PARTICIPANT_STAFF,
        setup=fresh_participant,
    ),
    Row(
        "PATCH /participants/{id}",
        "api",
        "patch",
        "/api/v1/participants/{participant_id}",
        PARTICIPANT_STAFF,
        body={"street": "Nieuwstraat 12", "phone": "0470 98 76 54"},
        setup=fresh_participant,
        note="the same roles as registering",
    ),
    Row(
        "POST /participants/{id}/statuses",
        "api",
        "post",
        "/api/v1/participants/{participant_id}/statuses",
        STATUS_GRANTERS,
        body={"basis": "increased_allowance", "valid_from": "2026-01-01"},
        setup=fresh_participant,
        note="desk staff too where the network allows it (participants/tests/test_api.py)",
    ),
    Row(
        "POST /participants/{id}/passes",
        "api",
        "post",
        "/api/v1/participants/{participant_id}/passes",
        PARTICIPANT_STAFF,
        setup=fresh_participant,
    ),
    Row(
        "POST /passes/{id}/block",
        "api",
        "post",
        "/api/v1/passes/{pass_id}/block",
        PARTICIPANT_STAFF,
        body={"reason": "lost"},
        setup=fresh_pass,
    ),
    Row(
        "POST /passes/{id}/replace",
        "api",
        "post",
        "/api/v1/passes/{pass_id}/replace",
        PARTICIPANT_STAFF,
        body={"reason": "stolen"},
        setup=fresh_pass,
    ),
    Row(
        "GET /participants/{id}/export",
        "api",
        "get",
        "/api/v1/participants/{participant_id}/export",
        COORDINATOR,
        setup=fresh_participant,
    ),
    Row(
        "POST /participants/{id}/erase",
        "api",
        "post",
        "/api/v1/participants/{participant_id}/erase",
        COORDINATOR,
        setup=fresh_participant,
    ),
]

ACTIVITY_MANAGERS = frozenset({Role.COORDINATOR, Role.ORGANISER})
API += [
    Row(
        "GET /activities",
        "api",
        "get",
        "/api/v1/activities?network={network}",
        ALL,
        setup=own_activity,
        public=True,
        note="the public guide's open data: no token needed",
    ),
    Row(
        "GET /activities/{id}",
        "api",
        "get",
        "/api/v1/activities/{activity_id}?network={network}",
        ALL,
        setup=own_activity,
        public=True,
    ),
    Row(
        "POST /activities",
        "api",
        "post",
        "/api/v1/activities",
        ACTIVITY_MANAGERS,
        body=new_activity,
        note="the body names the own organiser of the token's network",
    ),
    Row(
        "POST /activities/{id}/occurrences own organiser",
        "api",
        "post",
        "/api/v1/activities/{activity_id}/occurrences",
        ACTIVITY_MANAGERS,
        body={"start": "2030-05-04T10:00:00+02:00", "end": "2030-05-04T12:00:00+02:00"},
        setup=own_activity,
    ),
    Row(
        "POST /activities/{id}/occurrences another organiser",
        "api",
        "post",
        "/api/v1/activities/{activity_id}/occurrences",
        COORDINATOR,
        body={"start": "2030-05-04T10:00:00+02:00"},
        setup=sibling_activity,
        hidden_from=frozenset({Role.ORGANISER}),
    ),
]
CHECKIN_ROLES = frozenset({Role.COORDINATOR, Role.DESK, Role.ORGANISER})
API += [
    Row("POST /tariffs", "api", "post", "/api/v1/tariffs", CHECKIN_ROLES, body=checkin_body),
    Row("POST /checkins", "api", "post", "/api/v1/checkins", CHECKIN_ROLES, body=checkin_body),
    Row(
        "POST /checkins/{id}/cancel",
        "api",
        "post",
        "/api/v1/checkins/{checkin_id}/cancel",
        CHECKIN_ROLES,
        setup=own_checkin,
    ),
    Row("GET /checkins", "api", "get", "/api/v1/checkins", CHECKIN_ROLES),
    Row("GET /checkin-dates", "api", "get", "/api/v1/checkin-dates", CHECKIN_ROLES),
    Row(
        "GET /checkin-offline-data",
        "api",
        "get",
        "/api/v1/checkin-offline-data",
        CHECKIN_ROLES,
    ),
]
FINANCE_READERS = frozenset({Role.COORDINATOR, Role.FINANCE})
PAGES += [
    Row("check-ins page", "page", "get", "/desk/{network}/checkins/", CHECKIN_ROLES),
    Row(
        "participation at the desk page",
        "page",
        "get",
        "/desk/{network}/checkins/new/",
        frozenset({Role.COORDINATOR, Role.DESK}),
    ),
    Row(
        "cancel check-in page action",
        "page",
        "post",
        "/desk/{network}/checkins/{checkin_id}/cancel/",
        CHECKIN_ROLES,
        setup=own_checkin,
        ok_status=302,
    ),
    Row("budget page", "page", "get", "/desk/{network}/budget/", FINANCE_READERS),
    Row(
        "set budget page action",
        "page",
        "post",
        "/desk/{network}/budget/",
        COORDINATOR,
        body={"year": "2026", "amount": "2432,00"},
        ok_status=302,
    ),
]

ROWS = PAGES + API


# --- the leisure desk: participants ------------------------------------------------------


def fresh_status(world, key):
    """A participant of network ``key`` with an active status (renew, suspend, end)."""
    from django.utils import timezone

    from vrijuit.participants.services import status_grant

    participant = ParticipantFactory(network=world.networks[key])
    status = status_grant(participant=participant, basis="income", valid_from=timezone.localdate())[
        0
    ]
    return {"participant_id": participant.pk, "status_id": status.pk}


def participant_with_pass(world, key):
    participant = ParticipantFactory(network=world.networks[key])
    return {"participant_id": participant.pk, "pass_id": PassFactory(participant=participant).pk}


REGISTRATION = {
    "first_name": "Amina",
    "last_name": "Haddou",
    "birth_date": "14/02/1991",
    "postal_code": "2150",
    "language": "nl",
    "issue_pass": "on",
    "confirm_new": "on",
}
P = "/desk/{network}/participants"

DESK_PARTICIPANT_PAGES = [
    Row("participant search", "page", "get", P + "/", PARTICIPANT_STAFF),
    Row("register page", "page", "get", P + "/new/", PARTICIPANT_STAFF),
    Row(
        "register a participant",
        "page",
        "post",
        P + "/new/",
        PARTICIPANT_STAFF,
        body=REGISTRATION,
        setup=municipalities,
        ok_status=302,
    ),
    Row("statuses ending soon", "page", "get", P + "/ending/", PARTICIPANT_STAFF),
    Row(
        "participant page",
        "page",
        "get",
        P + "/{participant_id}/",
        PARTICIPANT_STAFF,
        setup=fresh_participant,
    ),
    Row(
        "correct a participant",
        "page",
        "post",
        P + "/{participant_id}/details/",
        PARTICIPANT_STAFF,
        body={
            "first_name": "Lotte",
            "last_name": "Janssens",
            "birth_date": "04/05/2012",
            "postal_code": "2150",
            "street": "Nieuwstraat 12",
            "language": "nl",
        },
        setup=fresh_participant,
        ok_status=302,
    ),
    Row(
        "grant status page action",
        "page",
        "post",
        P + "/{participant_id}/statuses/",
        STATUS_GRANTERS,
        body={"basis": "income", "valid_from": "2026-11-27"},
        setup=fresh_participant,
        ok_status=302,
    ),
    Row(
        "renew status",
        "page",
        "post",
        P + "/{participant_id}/statuses/{status_id}/renew/",
        STATUS_GRANTERS,
        setup=fresh_status,
        ok_status=302,
    ),
    Row(
        "suspend status",
        "page",
        "post",
        P + "/{participant_id}/statuses/{status_id}/suspend/",
        STATUS_GRANTERS,
        body={"suspended_from": "2026-11-27", "reason": "nazicht"},
        setup=fresh_status,
        ok_status=302,
    ),
    Row(
        "end status",
        "page",
        "post",
        P + "/{participant_id}/statuses/{status_id}/end/",
        STATUS_GRANTERS,
        body={"ended_on": "2026-11-27", "reason": "verhuisd"},
        setup=fresh_status,
        ok_status=302,
    ),
    Row(
        "issue pass page action",
        "page",
        "post",
        P + "/{participant_id}/passes/",
        PARTICIPANT_STAFF,
        setup=fresh_participant,
        ok_status=302,
    ),
    Row(
        "block pass page action",
        "page",
        "post",
        P + "/{participant_id}/passes/{pass_id}/block/",
        PARTICIPANT_STAFF,
        body={"reason": "lost", "replace": "on"},
        setup=participant_with_pass,
        ok_status=302,
    ),
    Row(
        "send digital pass link",
        "page",
        "post",
        P + "/{participant_id}/passes/{pass_id}/send-link/",
        PARTICIPANT_STAFF,
        setup=participant_with_pass,
        ok_status=302,
    ),
    Row(
        "add note",
        "page",
        "post",
        P + "/{participant_id}/notes/",
        PARTICIPANT_STAFF,
        body={"text": "Belde om 10 uur."},
        setup=fresh_participant,
        ok_status=302,
    ),
    Row(
        "export page",
        "page",
        "get",
        P + "/{participant_id}/export/",
        COORDINATOR,
        setup=fresh_participant,
    ),
    Row(
        "erase page",
        "page",
        "get",
        P + "/{participant_id}/erase/",
        COORDINATOR,
        setup=fresh_participant,
    ),
    Row(
        "erase a participant",
        "page",
        "post",
        P + "/{participant_id}/erase/",
        COORDINATOR,
        body={"confirm": "yes"},
        setup=fresh_participant,
        ok_status=302,
    ),
]
PAGES += DESK_PARTICIPANT_PAGES

ROWS = PAGES + API


# --- the back office: activities ---------------------------------------------------------


def fresh_draft_activity(world, key):
    """A new draft of the own organiser of network ``key`` (archiving is a state change)."""
    from vrijuit.catalogue.tests.factories import ActivityFactory

    return {"activity_id": ActivityFactory(organiser=world.organisers[key], draft=True).pk}


def fresh_occurrence(world, key):
    """A new coming date of the own organiser's activity (cancelling is final)."""
    from vrijuit.catalogue.models import Activity
    from vrijuit.catalogue.tests.factories import OccurrenceFactory

    activity_id = own_activity(world, key)["activity_id"]
    return {
        "activity_id": activity_id,
        "occurrence_id": OccurrenceFactory(activity=Activity.objects.get(pk=activity_id)).pk,
    }


def sibling_occurrence(world, key):
    from vrijuit.catalogue.models import Activity
    from vrijuit.catalogue.tests.factories import OccurrenceFactory

    activity_id = sibling_activity(world, key)["activity_id"]
    return {
        "activity_id": activity_id,
        "occurrence_id": OccurrenceFactory(activity=Activity.objects.get(pk=activity_id)).pk,
    }


def new_activity_page(world, key):
    """The form of a new activity; the coordinator names the own organiser (the organiser's
    own form has no such field and ignores it)."""
    return {
        "organiser": str(world.organisers[key].pk),
        "title": "Dansles",
        "category": "sport",
        "regular_price": "8,50",
    }


EDIT = {"title": "Dansles", "category": "sport", "regular_price": "9,50"}
DATES = {"first_date": "2030-05-06", "start_time": "10:00", "duration": "60", "until": "2030-05-27"}
A = "/desk/{network}/activities"
NOT_SIBLINGS = frozenset({Role.ORGANISER})

DESK_ACTIVITY_PAGES = [
    Row("activities page", "page", "get", A + "/", ACTIVITY_MANAGERS),
    Row("new activity page", "page", "get", A + "/new/", ACTIVITY_MANAGERS),
    Row(
        "propose an activity",
        "page",
        "post",
        A + "/new/",
        ACTIVITY_MANAGERS,
        body=new_activity_page,
        ok_status=302,
    ),
    Row(
        "activity page", "page", "get", A + "/{activity_id}/", ACTIVITY_MANAGERS, setup=own_activity
    ),
    Row(
        "activity page another organiser",
        "page",
        "get",
        A + "/{activity_id}/",
        COORDINATOR,
        setup=sibling_activity,
        hidden_from=NOT_SIBLINGS,
    ),
    Row(
        "edit an activity",
        "page",
        "post",
        A + "/{activity_id}/",
        ACTIVITY_MANAGERS,
        body=EDIT,
        setup=own_activity,
        ok_status=302,
    ),
    Row(
        "edit an activity of another organiser",
        "page",
        "post",
        A + "/{activity_id}/",
        COORDINATOR,
        body=EDIT,
        setup=sibling_activity,
        hidden_from=NOT_SIBLINGS,
        ok_status=302,
    ),
    Row(
        "add a weekly series",
        "page",
        "post",
        A + "/{activity_id}/dates/",
        ACTIVITY_MANAGERS,
        body={**DATES, "weekdays": ["0", "2"]},
        setup=own_activity,
        ok_status=302,
    ),
    Row(
        "add dates to another organiser's activity",
        "page",
        "post",
        A + "/{activity_id}/dates/",
        COORDINATOR,
        body=DATES,
        setup=sibling_activity,
        hidden_from=NOT_SIBLINGS,
        ok_status=302,
    ),
    Row(
        "cancel a date page",
        "page",
        "get",
        A + "/{activity_id}/dates/{occurrence_id}/cancel/",
        ACTIVITY_MANAGERS,
        setup=fresh_occurrence,
    ),
    Row(
        "cancel a date",
        "page",
        "post",
        A + "/{activity_id}/dates/{occurrence_id}/cancel/",
        ACTIVITY_MANAGERS,
        body={"reason": "Zaal dicht"},
        setup=fresh_occurrence,
        ok_status=302,
    ),
    Row(
        "cancel a date of another organiser",
        "page",
        "post",
        A + "/{activity_id}/dates/{occurrence_id}/cancel/",
        COORDINATOR,
        body={"reason": "Zaal dicht"},
        setup=sibling_occurrence,
        hidden_from=NOT_SIBLINGS,
        ok_status=302,
    ),
    Row(
        "publish page",
        "page",
        "get",
        A + "/{activity_id}/publish/",
        COORDINATOR,
        setup=fresh_draft_activity,
        note="an organiser proposes; only the coordinator publishes (403)",
    ),
    Row(
        "publish an activity",
        "page",
        "post",
        A + "/{activity_id}/publish/",
        COORDINATOR,
        setup=fresh_draft_activity,
        ok_status=302,
    ),
    Row(
        "archive an activity",
        "page",
        "post",
        A + "/{activity_id}/archive/",
        COORDINATOR,
        setup=fresh_draft_activity,
        ok_status=302,
    ),
]
PAGES += DESK_ACTIVITY_PAGES


def own_statement(world, key, state="draft"):
    """A statement of the own organiser of network ``key`` with one check-in."""
    from datetime import timedelta

    from django.utils import timezone

    from vrijuit.core.permissions import Principal
    from vrijuit.finance import statements

    own_checkin(world, key)
    coordinator = Principal(
        network=world.networks[key],
        role=Role.COORDINATOR,
        user=world.users[key, Role.COORDINATOR],
    )
    # A month of its own per call (a test may set up several rows): the next free month.
    from vrijuit.finance.models import Statement

    day = timezone.localdate()
    while Statement.objects.filter(
        organiser=world.organisers[key], period_start=day.replace(day=1)
    ).exists():
        day = statements.period_of(day)[1] + timedelta(days=1)
    start, end = statements.period_of(day)
    (statement,) = statements.statements_draft(
        principal=coordinator, period_start=start, period_end=end, today=end + timedelta(days=1)
    )
    if state in ("reviewed", "approved"):
        statements.statement_review(principal=coordinator, statement=statement)
    if state == "approved":
        finance = Principal(
            network=world.networks[key], role=Role.FINANCE, user=world.users[key, Role.FINANCE]
        )
        statements.statement_approve(principal=finance, statement=statement)
    return {"statement_id": statement.pk}


def reviewed_statement(world, key):
    return own_statement(world, key, "reviewed")


def own_batch(world, key):
    from django.utils import timezone

    from vrijuit.core.permissions import Principal
    from vrijuit.finance import statements
    from vrijuit.finance.models import Statement

    organiser = world.organisers[key]
    organiser.iban = "BE68539007547034"  # its own, not one the IBAN test looks for
    organiser.save()
    statement = Statement.objects.get(pk=own_statement(world, key, "approved")["statement_id"])
    finance = Principal(
        network=world.networks[key], role=Role.FINANCE, user=world.users[key, Role.FINANCE]
    )
    batch = statements.batch_create(
        principal=finance, statements=[statement], execution_date=timezone.localdate()
    )
    return {"batch_id": batch.pk}


STATEMENT_READERS = frozenset({Role.COORDINATOR, Role.FINANCE, Role.ORGANISER})
S = "/desk/{network}/statements"
PAGES += [
    Row("statements page", "page", "get", S + "/", STATEMENT_READERS),
    Row(
        "draft statements action",
        "page",
        "post",
        S + "/",
        COORDINATOR,
        body={"month": "2026-10"},
        ok_status=302,
    ),
    Row(
        "statement page",
        "page",
        "get",
        S + "/{statement_id}/",
        STATEMENT_READERS,
        setup=own_statement,
    ),
    Row(
        "review statement action",
        "page",
        "post",
        S + "/{statement_id}/review/",
        COORDINATOR,
        setup=own_statement,
        ok_status=302,
        note="finance and organisers may open the statement; the service refuses (403)",
    ),
    Row(
        "reopen statement action",
        "page",
        "post",
        S + "/{statement_id}/reopen/",
        COORDINATOR,
        setup=reviewed_statement,
        ok_status=302,
    ),
    Row(
        "approve statement action",
        "page",
        "post",
        S + "/{statement_id}/approve/",
        FINANCE_READERS,
        setup=reviewed_statement,
        ok_status=302,
        note="the coordinator reviewed it: the page says four eyes (redirect with a message)",
    ),
    Row(
        "statement PDF",
        "page",
        "get",
        S + "/{statement_id}/statement.pdf",
        STATEMENT_READERS,
        setup=own_statement,
    ),
    Row(
        "statement CSV",
        "page",
        "get",
        S + "/{statement_id}/statement.csv",
        STATEMENT_READERS,
        setup=own_statement,
    ),
    Row("payments page", "page", "get", "/desk/{network}/payments/", FINANCE_READERS),
    Row(
        "payment batch page",
        "page",
        "get",
        "/desk/{network}/payments/{batch_id}/",
        FINANCE_READERS,
        setup=own_batch,
    ),
    Row(
        "mark batch paid action",
        "page",
        "post",
        "/desk/{network}/payments/{batch_id}/",
        FINANCE_READERS,
        setup=own_batch,
        ok_status=302,
    ),
    Row(
        "payment batch CSV",
        "page",
        "get",
        "/desk/{network}/payments/{batch_id}/batch.csv",
        FINANCE_READERS,
        setup=own_batch,
    ),
    Row(
        "payment batch SEPA",
        "page",
        "get",
        "/desk/{network}/payments/{batch_id}/batch.xml",
        FINANCE_READERS,
        setup=own_batch,
    ),
]
ROWS = PAGES + API


# --- the budget of a year: sources, allocations, expenses, ledger, money report --------


def own_source(world, key):
    """A budget source of network ``key``."""
    from decimal import Decimal

    from vrijuit.finance.models import BudgetSource

    source = BudgetSource.objects.filter(network=world.networks[key]).first()
    if source is None:
        source = BudgetSource.objects.create(
            network=world.networks[key], year=2026, kind="municipal", amount=Decimal("1000.00")
        )
    return {"source_id": source.pk}


def own_expense(world, key):
    """A manual expense of network ``key`` (ledger entries are numbered, not UUIDs)."""
    from decimal import Decimal

    from vrijuit.finance.models import LedgerEntry

    entry = LedgerEntry.objects.filter(network=world.networks[key], kind="expense").first()
    if entry is None:
        from django.utils import timezone

        from vrijuit.finance.ledger import book_expense

        entry = book_expense(
            network=world.networks[key],
            purpose="training",
            amount=Decimal("120.00"),
            description="Vorming begrijpbaar communiceren",
            actor_label="matrix",
            booked_at=timezone.now(),
        )
    return {"entry_id": entry.pk}


def expense_body(world, key):
    from django.utils import timezone

    return {
        "purpose": "trips",
        "amount": "350,00",
        "day": timezone.localdate().isoformat(),
        "description": "Bus naar zee",
    }


EXPENSE_BOOKERS = frozenset({Role.COORDINATOR, Role.FINANCE})
B = "/desk/{network}/budget"
PAGES += [
    Row(
        "add budget source",
        "page",
        "post",
        B + "/sources/",
        COORDINATOR,
        body={"year": "2026", "kind": "drawing_right", "label": "", "amount": "2.432,00"},
        ok_status=302,
    ),
    Row(
        "budget source page",
        "page",
        "get",
        B + "/sources/{source_id}/",
        COORDINATOR,
        setup=own_source,
    ),
    Row(
        "change budget source",
        "page",
        "post",
        B + "/sources/{source_id}/",
        COORDINATOR,
        body={"year": "2026", "kind": "municipal", "label": "Raad", "amount": "1.500,00"},
        setup=own_source,
        ok_status=302,
    ),
    Row(
        "set allocation",
        "page",
        "post",
        B + "/allocations/",
        COORDINATOR,
        body={"year": "2026", "purpose": "training", "amount": "250,00"},
        ok_status=302,
    ),
    Row("book expense page", "page", "get", B + "/expenses/", EXPENSE_BOOKERS),
    Row(
        "book expense",
        "page",
        "post",
        B + "/expenses/",
        EXPENSE_BOOKERS,
        body=expense_body,
        ok_status=302,
    ),
    Row(
        "correct expense page",
        "page",
        "get",
        B + "/expenses/{entry_id}/correct/",
        EXPENSE_BOOKERS,
        setup=own_expense,
    ),
    Row(
        "correct expense",
        "page",
        "post",
        B + "/expenses/{entry_id}/correct/",
        EXPENSE_BOOKERS,
        body={"correct_amount": "99,00", "description": "Factuur lager"},
        setup=own_expense,
        ok_status=302,
        note="a new entry for the difference; the expense itself is never changed",
    ),
    Row("ledger page", "page", "get", B + "/ledger/", FINANCE_READERS),
    Row("money report page", "page", "get", B + "/report/", FINANCE_READERS),
    Row("money report CSV", "page", "get", B + "/report.csv", FINANCE_READERS),
    Row("money report XLSX", "page", "get", B + "/report.xlsx", FINANCE_READERS),
]
ROWS = PAGES + API
