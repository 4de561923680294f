"""A back-office page offers only what its viewer may do.

Every link and form on every page of the permission matrix, opened by each role that may
open it, leads to a page or action whose own permission (``network_view(perm)``) that role
has, as ``core.permissions.can`` answers it. Desk staff in a network that does not let
them grant the status are not offered it, and are told where to ask.
"""

import re
from html import unescape

import pytest

from django.urls import Resolver404, resolve

from vrijuit.core.permissions import can, principal_for_user
from vrijuit.core.roles import Perm, Role
from vrijuit.core.tests.matrix import PAGES
from vrijuit.participants.tests.factories import ParticipantFactory, StatusFactory
from vrijuit.passes.tests.factories import PassFactory

pytestmark = pytest.mark.django_db

GET_PAGES = [row for row in PAGES if row.method == "get"]
TARGETS = re.compile(r'(?:href|action)="(/desk/[^"?#]*)')


def required_perm(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "required_perm", None)


@pytest.mark.parametrize("row", GET_PAGES, ids=lambda row: row.name)
def test_every_action_on_a_page_is_one_its_viewer_may_take(world, login, row):
    url = row.url(world, "own")
    for role in sorted(row.allowed):
        user = world.users["own", role]
        principal = principal_for_user(user, world.own)
        response = login(user).get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        offered = set(TARGETS.findall(unescape(response.content.decode())))
        # The menu alone offers pages with a permission of their own: there is always
        # something to check.
        assert any(required_perm(path) for path in offered), (role, offered)
        refused = {
            path: perm
            for path in offered
            if (perm := required_perm(path)) is not None and not can(principal, perm)
        }
        assert not refused, (role, refused)


ASK = "Vraag het kansentarief aan bij een maatschappelijk werker of de coördinator."
GRANT = "Het kansentarief geven"


def person_page(world, login, role):
    someone = ParticipantFactory(network=world.own)
    PassFactory(participant=someone)
    StatusFactory(participant=someone, expired=True)
    return login(world.users["own", role]).get(f"/desk/{world.own.slug}/participants/{someone.pk}/")


def test_desk_staff_who_may_not_grant_are_not_offered_it_and_told_where_to_ask(world, login):
    assert not world.own.desk_may_grant_status

    page = person_page(world, login, Role.DESK).content.decode()
    home = login(world.users["own", Role.DESK]).get(f"/desk/{world.own.slug}/").content.decode()
    register = (
        login(world.users["own", Role.DESK])
        .get(f"/desk/{world.own.slug}/participants/new/")
        .content.decode()
    )

    assert GRANT not in page
    assert "/statuses/" not in page  # no grant, renew, suspend or end form
    assert ASK in page and ASK in register and ASK in home
    assert "Geef het kansentarief" not in home


def test_a_social_worker_is_offered_the_status_and_no_hint(world, login):
    page = person_page(world, login, Role.SOCIAL_WORKER).content.decode()

    assert GRANT in page
    assert ASK not in page


def test_desk_staff_are_offered_it_where_the_network_allows_it(world, login):
    world.own.desk_may_grant_status = True
    world.own.save()

    page = person_page(world, login, Role.DESK).content.decode()

    assert GRANT in page
    assert ASK not in page


def test_may_answers_as_can(world):
    from vrijuit.core.context_processors import May

    principal = principal_for_user(world.users["own", Role.DESK], world.own)
    may = May(principal)

    assert may["PARTICIPANT_MANAGE"] and not may["STATUS_GRANT"]
    assert "STATUS_GRANT" in may and "NO_SUCH_THING" not in may
    assert Perm.STATUS_GRANT.name == "STATUS_GRANT"
