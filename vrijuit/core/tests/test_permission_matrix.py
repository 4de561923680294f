"""Every page and endpoint, for every role in the own and the other network, and anonymous.

The rows live in ``matrix.py``; a new page or endpoint only adds a row there.

Pages (session login):
  no login                      → 302 to the login page
  allowed role                  → 200, or a redirect after a POST
  other role                    → 403
  object out of an organiser's reach → 404
  member of the other network   → 404, whatever the role (the network "does not exist")
API (bearer token):
  no token                      → 401 ``not_authenticated``
  allowed role                  → 2xx
  other role                    → 403 ``forbidden``
  object out of an organiser's reach → 404 ``not_found``
  token of the other network asking for an object of this one → 404 ``not_found``
Every answer to a logged-in staff member or a token, whatever its status, is stored by no
cache (``Cache-Control: no-store, private``); the open API reads without a token stay
cacheable.
"""

import re

import pytest

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vrijuit.api.tests.assertions import assert_problem
from vrijuit.catalogue.validators import format_iban
from vrijuit.core.roles import Role
from vrijuit.finance.tests.pdftext import pdf_text

from .matrix import API, PAGES, ROWS, SIBLING_IBAN, sibling_organiser

ROLES = list(Role.values)
NETWORKS = ["own", "other"]
OTHER_NETWORK_IBAN = "BE62510007547061"


def _id(value):
    return re.sub(r"[^\w/{}]+", "-", value.id if hasattr(value, "id") else str(value)).strip("-")


def request(client, row, url, headers=None, world=None, key="own"):
    if row.kind == "api":
        body = row.payload(world, key)
        body = body if body is not None else ({} if row.method != "get" else None)
        return getattr(client, row.method)(
            url, body, content_type="application/json", headers=headers or {}
        )
    return getattr(client, row.method)(url, row.payload(world, key) or {})


def bearer(world, key, role):
    return {"Authorization": f"Bearer {world.tokens[key, role]}"}


def assert_page_ok(response, row):
    expected = {row.ok_status} if row.ok_status else {200, 302}
    assert response.status_code in expected, (response.status_code, response.content[:300])
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("accounts:login"))


def assert_not_stored(response):
    """Desk computers are shared: no cache may keep this answer (``core/caching.py``)."""
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, response.get("Cache-Control")


def assert_no_trace_of_the_own_network(response, world, url):
    """What the other network's member or token gets never names this network's records
    (beyond echoing the address that was asked for)."""
    seen = (response.content.decode() + response.get("Location", "")).replace(url, "")
    traces = (world.own.slug, world.own.name, world.organisers["own"].name)
    for trace in (*traces, str(world.organisers["own"].pk)):
        assert trace not in seen


# --- pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("row", PAGES, ids=_id)
def test_a_page_without_login_sends_to_the_login_page(world, client, row):
    response = request(client, row, row.url(world), world=world)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert_not_stored(response)


@pytest.mark.parametrize("key", NETWORKS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", PAGES, ids=_id)
def test_a_page_answers_by_role_and_network(world, login, row, role, key):
    client = login(world.users[key, role])

    url = row.url(world, "own")

    response = request(client, row, url, world=world)

    if key == "other" and row.is_network_scoped:
        assert response.status_code == 404
    elif role in row.allowed:
        assert_page_ok(response, row)
    elif role in row.hidden_from:
        assert response.status_code == 404
    else:
        assert response.status_code == 403
    assert_not_stored(response)
    if key == "other":
        assert_no_trace_of_the_own_network(response, world, url)


# --- API -------------------------------------------------------------------------------


@pytest.mark.parametrize("row", [row for row in API if not row.public], ids=_id)
def test_an_endpoint_without_token_answers_401(world, client, row):
    response = request(client, row, row.url(world), world=world)

    assert_problem(response, 401, "not_authenticated")


@pytest.mark.parametrize("row", [row for row in API if row.public], ids=_id)
def test_an_open_endpoint_answers_without_token(world, client, row):
    response = request(client, row, row.url(world), world=world)

    assert response.status_code == 200, (response.status_code, response.content[:300])
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("key", NETWORKS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", API, ids=_id)
def test_an_endpoint_answers_by_role_and_network(world, client, row, role, key):
    url = row.url(world, "own")

    response = request(client, row, url, bearer(world, key, role), world, key)

    assert_not_stored(response)
    if row.public:
        # Open data: the token is not looked at, the network comes from the address.
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return
    if key == "other" and row.has_object:
        assert_problem(response, 404, "not_found")
    elif role in row.allowed:
        assert 200 <= response.status_code < 300, (response.status_code, response.content[:300])
    elif role in row.hidden_from:
        assert_problem(response, 404, "not_found")
    else:
        assert_problem(response, 403, "forbidden")
    if key == "other":
        assert_no_trace_of_the_own_network(response, world, url)


# --- objects of the other network through the own network's address -------------------


def _allowed_object_cases():
    return [
        pytest.param(row, role, id=f"{_id(row)}-{role}")
        for row in ROWS
        if row.has_object
        for role in sorted(row.allowed)
    ]


@pytest.mark.parametrize(("row", "role"), _allowed_object_cases())
def test_an_object_of_the_other_network_is_not_found_even_for_allowed_roles(
    world, client, login, row, role
):
    url = row.url(world, "own", objects_of="other")

    if row.kind == "page":
        response = request(login(world.users["own", role]), row, url, world=world)
        assert response.status_code == 404
    else:
        response = request(client, row, url, bearer(world, "own", role), world)
        assert_problem(response, 404, "not_found")


# --- the rows cover everything --------------------------------------------------------


def _routes(resolver, prefix=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _shape(path):
    """``/desk/<slug:network>/x/<uuid:id>/`` and ``/desk/{network}/x/{token_id}/`` alike
    (a query string, such as an open endpoint's ``?network={network}``, is left out)."""
    path = path.split("?")[0]
    path = re.sub(r"<(?:\w+:)?network>|{network}", "{network}", path)
    return re.sub(r"<(?:\w+:)?\w+>|{(?!network})\w+}", "{id}", path)


def test_every_page_and_endpoint_has_a_row(client):
    desk_pages = {_shape("/" + r) for r in _routes(get_resolver()) if r.startswith("desk/")}
    schema = client.get("/api/v1/openapi.json").json()
    endpoints = {
        (method, _shape(path)) for path, item in schema["paths"].items() for method in item
    }

    assert {"/desk/{network}/audit/", "/desk/{network}/api-tokens/{id}/revoke/"} <= desk_pages
    assert ("get", "/api/v1/organisers/{id}") in endpoints
    assert desk_pages <= {_shape(row.path) for row in PAGES}
    assert endpoints <= {(row.method, _shape(row.path)) for row in API}


def test_the_rows_do_not_repeat_a_name():
    names = [row.name for row in ROWS]
    assert len(names) == len(set(names))


# --- an organiser sees its own organiser only -----------------------------------------


def test_an_organiser_never_sees_another_organisers_iban(world, client, login):
    # given a second organiser in the own network and another IBAN in the other network
    sibling_organiser(world, "own")
    world.organisers["other"].iban = OTHER_NETWORK_IBAN
    world.organisers["other"].save()
    secrets = [SIBLING_IBAN, format_iban(SIBLING_IBAN)]
    secrets += [OTHER_NETWORK_IBAN, format_iban(OTHER_NETWORK_IBAN)]
    page_client = login(world.users["own", Role.ORGANISER])

    # when the organiser reads every page and endpoint it can address
    for row in ROWS:
        if row.method != "get":
            continue
        url = row.url(world, "own")
        if row.kind == "api":
            response = request(client, row, url, bearer(world, "own", Role.ORGANISER), world)
        else:
            response = request(page_client, row, url, world=world)

        # then no answer carries another organiser's bank account
        if response.get("Content-Type") == "application/pdf":
            seen = pdf_text(response.content)
        else:
            seen = response.content.decode()
        assert not [secret for secret in secrets if secret in seen], row.name
