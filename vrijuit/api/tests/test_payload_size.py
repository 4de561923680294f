"""A body over the size limit is answered 413 ``payload_too_large`` by every endpoint that
takes one, in the reader's language, never a 500."""

import json
import re

import pytest

from django.conf import settings

from vrijuit.api.tests.assertions import assert_problem
from vrijuit.api.tests.factories import make_token
from vrijuit.core.roles import Role

BODY_METHODS = ("post", "put", "patch")


def _oversized_body():
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return json.dumps({"name": "x" * limit, "description": "x"})


def _endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method, re.sub(r"{\w+}", "00000000-0000-0000-0000-000000000000", path))
        for path, item in schema["paths"].items()
        for method in item
        if method in BODY_METHODS
    ]


@pytest.fixture
def coordinator_token(world):
    return make_token(world.own, Role.COORDINATOR, name="grote body")


def test_every_endpoint_with_a_body_refuses_an_oversized_body_with_413(
    world, client, coordinator_token
):
    endpoints = _endpoints(client)
    body = _oversized_body()
    assert len(endpoints) >= 10  # the walk reached the API's writes

    for method, path in endpoints:
        response = getattr(client, method)(
            path,
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {coordinator_token}"},
        )

        problem = assert_problem(response, 413, "payload_too_large")
        assert problem["max_bytes"] == settings.DATA_UPLOAD_MAX_MEMORY_SIZE, path


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "te groot"), ("fr", "trop volumineuse"), ("en", "too large")],
)
def test_the_413_says_what_to_do_in_the_readers_language(
    world, client, coordinator_token, language, words
):
    response = client.post(
        "/api/v1/organisers",
        _oversized_body(),
        content_type="application/json",
        headers={"Authorization": f"Bearer {coordinator_token}", "Accept-Language": language},
    )

    detail = assert_problem(response, 413, "payload_too_large")["detail"].replace("\xa0", " ")
    assert words in detail
    assert re.search(r"2[,.]5 M(B|io)", detail), detail


def test_a_body_within_the_limit_still_works(world, client, coordinator_token):
    response = client.post(
        "/api/v1/organisers",
        {"name": "Kleine club", "description": "x" * 1000},
        content_type="application/json",
        headers={"Authorization": f"Bearer {coordinator_token}"},
    )

    assert response.status_code == 201, response.content[:300]
