"""The OpenAPI document and the browsable docs, and a fuzz run against the document."""

import hypothesis
import pytest
import schemathesis

from django.core import signals
from django.db import close_old_connections

from vrijuit.core.roles import Role

CONTRACT_OPERATIONS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/organisers"),
    ("post", "/api/v1/organisers"),
    ("get", "/api/v1/organisers/{organiser_id}"),
    ("post", "/api/v1/participants"),
    ("get", "/api/v1/participants"),
    ("get", "/api/v1/participants/{participant_id}"),
    ("post", "/api/v1/participants/{participant_id}/statuses"),
    ("post", "/api/v1/participants/{participant_id}/passes"),
    ("post", "/api/v1/passes/{pass_id}/block"),
    ("get", "/api/v1/participants/{participant_id}/export"),
    ("post", "/api/v1/participants/{participant_id}/erase"),
}


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_document_is_openapi_3_and_lists_the_endpoints(openapi):
    assert openapi["openapi"].startswith("3.")
    assert openapi["info"]["title"] == "Vrijuit API"
    operations = {(method, path) for path, item in openapi["paths"].items() for method in item}
    assert operations >= CONTRACT_OPERATIONS
    for path, item in openapi["paths"].items():
        assert path.startswith("/api/v1/")
        for operation in item.values():
            assert operation["summary"], path
            assert operation["responses"], path


# The public guide's open data (docs/api.md: "anyone"); every other endpoint needs a token.
OPEN_OPERATIONS = {("get", "/api/v1/activities"), ("get", "/api/v1/activities/{activity_id}")}


def test_every_endpoint_asks_for_the_bearer_token(openapi):
    schemes = openapi["components"]["securitySchemes"]
    bearer = [
        name for name, s in schemes.items() if (s["type"], s.get("scheme")) == ("http", "bearer")
    ]
    assert bearer
    # The scanner page's session (with CSRF) is the one other way in, for check-in only.
    session = {name for name, s in schemes.items() if s["type"] == "apiKey"}

    open_operations = set()
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if "security" not in operation:
                open_operations.add((method, path))
                continue
            names = {name for req in operation["security"] for name in req}
            assert names & set(bearer), (method, path)
            if names - set(bearer):
                assert names - set(bearer) <= session, (method, path)
                assert "checkin" in path or path.endswith("/tariffs"), (method, path)
    assert open_operations == OPEN_OPERATIONS


def test_the_document_is_valid_against_the_openapi_3_1_schema(openapi):
    # The official OpenAPI 3.1 meta-schema, as schemathesis ships it.
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    assert openapi["openapi"].startswith("3.1.")
    assert [error.message for error in OPENAPI_31_VALIDATOR.iter_errors(openapi)] == []
    assert not OPENAPI_31_VALIDATOR.is_valid({"openapi": "3.1.0"})  # the check does check


def test_the_document_needs_no_token_and_names_no_network(world, client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    text = response.content.decode()
    for key in ("own", "other"):
        assert world.networks[key].slug not in text
        assert str(world.organisers[key].pk) not in text


def test_the_docs_page_is_html(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "/api/v1/openapi.json" in response.content.decode()


# --- fuzzing ---------------------------------------------------------------------------
# schemathesis makes requests from the document, valid and invalid, and sends them with a
# coordinator's token straight to the WSGI application (no network). A 5xx is a bug.


def _fuzzed_schema():
    from config.wsgi import application

    # Fetching the document needs no database, so it can happen when the tests are collected.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


fuzzed = _fuzzed_schema()


@pytest.fixture
def keep_the_test_connection():
    """Calls through the WSGI handler end with ``close_old_connections``, which would close
    the connection that holds the test's transaction (PostgreSQL). Django's test client
    disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@fuzzed.parametrize()
@hypothesis.settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_no_request_makes_the_api_fail(world, keep_the_test_connection, case):
    token = world.tokens["own", Role.COORDINATOR]

    response = case.call(headers={"Authorization": f"Bearer {token}"})

    assert response.status_code < 500, response.text[:500]
    # whatever the request, nothing of the other network comes back
    assert world.organisers["other"].slug not in response.text
    assert str(world.organisers["other"].pk) not in response.text
