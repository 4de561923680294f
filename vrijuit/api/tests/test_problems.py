"""Errors are RFC 9457 problem documents with a stable code, in the caller's language."""

import uuid

import pytest

from django.utils import translation
from django.utils.translation import gettext

from vrijuit.api.models import ApiToken, hash_token
from vrijuit.api.services import api_token_revoke
from vrijuit.core.permissions import Principal
from vrijuit.core.roles import Role

from .assertions import PROBLEM_KEYS, assert_problem

VALIDATION_DETAIL = "Some fields are missing or not valid. Correct them and try again."
REQUIRED = "This field is required."


def raw_post(client, world, body, role=Role.COORDINATOR, key="own"):
    """POST /organisers with a body sent as it is (not encoded by the test)."""
    return client.post(
        "/api/v1/organisers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens[key, role]}"},
    )


def in_language(language, message):
    with translation.override(language):
        return gettext(message)


# --- 400 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "Zwemclub"',
        "name=Zwemclub",
        '["name", "Zwemclub"]',
        '[{"name": "Zwemclub"}]',
        '"Zwemclub"',
        "42",
        "null",
    ],
    ids=["cut-off-json", "form-encoded", "array", "array-of-objects", "string", "number", "null"],
)
def test_a_body_that_is_not_a_json_object_is_malformed(world, client, body):
    response = raw_post(client, world, body)

    problem = assert_problem(response, 400, "malformed_request")
    assert set(problem) == PROBLEM_KEYS


@pytest.mark.parametrize(
    "body",
    [{"name": "Zwem\u0000club"}, {"name": "Zwemclub", "email": ["\u0000"]}, {"\u0000": "x"}],
    ids=["in-a-value", "in-a-list", "in-a-key"],
)
def test_a_nul_character_is_refused_not_a_crash(world, api_client, body):
    # PostgreSQL cannot store it; the API refuses it before it reaches the database.
    response = api_client.post("/organisers", body, token=world.tokens["own", Role.COORDINATOR])

    assert_problem(response, 400, "malformed_request")
    assert not world.own.organisers.exclude(pk=world.organisers["own"].pk).exists()


# --- 422 --------------------------------------------------------------------------------


def test_a_missing_name_is_a_validation_error_keyed_by_field(world, api_client):
    token = world.tokens["own", Role.COORDINATOR]

    response = api_client.post("/organisers", {"email": "info@zwemclub.be"}, token=token)

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["name"]
    assert problem["errors"]["name"] == [in_language("nl", REQUIRED)]


def test_an_invalid_iban_is_a_validation_error_on_iban(world, api_client):
    token = world.tokens["own", Role.COORDINATOR]

    response = api_client.post(
        "/organisers", {"name": "Zwemclub", "iban": "BE68 5390 0754 7035"}, token=token
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["iban"]
    assert "BE68 5390 0754 7034" in problem["errors"]["iban"][0]  # the example to follow
    assert not world.own.organisers.filter(name="Zwemclub").exists()


def test_an_id_that_is_not_a_uuid_is_a_validation_error_not_a_crash(world, api_client):
    token = world.tokens["own", Role.COORDINATOR]

    response = api_client.get("/organisers/12345", token=token)

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["organiser_id"]


def test_a_partner_of_another_network_is_refused_as_a_field_error(world, api_client):
    from vrijuit.networks.tests.factories import PartnerFactory

    foreign_partner = PartnerFactory(network=world.other)
    token = world.tokens["own", Role.COORDINATOR]

    response = api_client.post(
        "/organisers", {"name": "Zwemclub", "partner": str(foreign_partner.pk)}, token=token
    )

    problem = assert_problem(response, 422, "validation_error")
    assert list(problem["errors"]) == ["partner"]
    assert not world.own.organisers.filter(name="Zwemclub").exists()
    assert not world.other.organisers.filter(name="Zwemclub").exists()


# --- 401 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    ["Bearer vu_not-a-real-token", "Bearer ", "Basic b3duOnNlY3JldA==", "Bearer " + "x" * 500],
    ids=["unknown-token", "empty-token", "basic-auth", "overlong-token"],
)
def test_a_wrong_token_is_not_authenticated(world, client, authorization):
    response = client.get("/api/v1/me", headers={"Authorization": authorization})

    assert_problem(response, 401, "not_authenticated")


def test_a_revoked_token_is_not_authenticated(world, api_client):
    raw = world.tokens["own", Role.DESK]
    coordinator = Principal(network=world.networks["own"], role=Role.COORDINATOR)
    api_token_revoke(principal=coordinator, token=ApiToken.objects.get(key_hash=hash_token(raw)))

    response = api_client.get("/me", token=raw)

    assert_problem(response, 401, "not_authenticated")


# --- 404 --------------------------------------------------------------------------------


def test_another_networks_organiser_is_not_found_like_one_that_does_not_exist(world, api_client):
    token = world.tokens["own", Role.COORDINATOR]
    foreign_id = world.organisers["other"].pk

    foreign = api_client.get(f"/organisers/{foreign_id}", token=token)
    missing = api_client.get(f"/organisers/{uuid.uuid4()}", token=token)

    assert assert_problem(foreign, 404, "not_found") == assert_problem(missing, 404, "not_found")
    assert world.organisers["other"].name not in foreign.content.decode()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/no-such-thing", 404), ("delete", "/me", 405)],
    ids=["unknown-path", "wrong-method"],
)
def test_an_unknown_path_or_method_is_a_problem_too(world, client, method, path, status):
    token = world.tokens["own", Role.COORDINATOR]

    response = getattr(client, method)(
        f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"


# --- language ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [
        (None, "nl"),
        ("nl", "nl"),
        ("fr", "fr"),
        ("en", "en"),
        ("fr-BE,fr;q=0.9", "fr"),
        ("de", "nl"),
    ],
    ids=["default", "nl", "fr", "en", "fr-BE", "unsupported-falls-back-to-nl"],
)
def test_accept_language_chooses_the_language_of_the_messages(
    world, api_client, accept_language, language
):
    token = world.tokens["own", Role.COORDINATOR]

    response = api_client.post("/organisers", {}, token=token, language=accept_language)

    problem = assert_problem(response, 422, "validation_error")
    assert response["Content-Language"] == language
    assert problem["detail"] == in_language(language, VALIDATION_DETAIL)
    assert problem["errors"]["name"] == [in_language(language, REQUIRED)]


def test_the_three_languages_really_differ(world, api_client):
    token = world.tokens["own", Role.COORDINATOR]

    details = {
        language: api_client.post("/organisers", {}, token=token, language=language).json()
        for language in ("nl", "fr", "en")
    }

    assert len({problem["detail"] for problem in details.values()}) == 3
    assert len({problem["errors"]["name"][0] for problem in details.values()}) == 3
    assert details["en"]["detail"] == VALIDATION_DETAIL


def test_a_not_authenticated_problem_is_in_the_asked_language_too(world, api_client):
    english = api_client.get("/me", language="en").json()["detail"]
    french = api_client.get("/me", language="fr").json()["detail"]

    assert "Authorization: Bearer" in english
    assert "Authorization: Bearer" in french
    assert english != french


# --- 429 --------------------------------------------------------------------------------


def test_too_many_requests_with_one_token_are_rate_limited(world, api_client, settings):
    settings.API_RATE_AUTHENTICATED = "3/m"
    token = world.tokens["own", Role.DESK]

    answers = [api_client.get("/me", token=token) for _ in range(4)]

    assert [answer.status_code for answer in answers[:3]] == [200, 200, 200]
    assert_problem(answers[3], 429, "rate_limited")
    assert 1 <= int(answers[3]["Retry-After"]) <= 60


def test_the_rate_limit_counts_per_token_not_per_network_or_address(world, api_client, settings):
    settings.API_RATE_AUTHENTICATED = "2/m"
    busy = world.tokens["own", Role.DESK]
    for _ in range(3):
        api_client.get("/me", token=busy)

    same_network = api_client.get("/me", token=world.tokens["own", Role.COORDINATOR])
    other_network = api_client.get("/me", token=world.tokens["other", Role.DESK])

    assert_problem(api_client.get("/me", token=busy), 429, "rate_limited")
    assert (same_network.status_code, other_network.status_code) == (200, 200)


def test_the_rate_limit_is_generous_by_default(world, api_client):
    token = world.tokens["own", Role.DESK]

    answers = {api_client.get("/me", token=token).status_code for _ in range(30)}

    assert answers == {200}


def test_a_nul_character_in_the_query_string_is_a_400_problem(world, client):
    token = world.tokens["own", Role.COORDINATOR]

    response = client.get(
        "/api/v1/organisers?q=a%00b", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "malformed_request"
