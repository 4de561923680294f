"""One catalogue of error codes per context: the enums are the only place a code is written,
and the API documentation (OpenAPI descriptions, docs/api.md) is generated from them."""

import ast
import re
from pathlib import Path

import pytest

from django.utils import translation

import vrijuit
from vrijuit.api.errors import CATALOGUES, error_code_table
from vrijuit.catalogue.constants import ErrorCode as CatalogueErrorCode
from vrijuit.catalogue.exceptions import ActivityRefused
from vrijuit.checkins.constants import ErrorCode as CheckinError
from vrijuit.checkins.constants import RefusalCode
from vrijuit.core.errors import CommonError, entries
from vrijuit.core.exceptions import Conflict, NotFound, PermissionDenied, VrijuitError
from vrijuit.finance.sepa import SepaRefused
from vrijuit.finance.statements import StatementRefused
from vrijuit.participants.exceptions import (
    AlreadyErased,
    ParticipantInvalid,
    PostalCodeOutsideNetwork,
    StatusRefused,
)
from vrijuit.passes.exceptions import InvalidPassNumber, PassAlreadyActive, PassNotActive

ROOT = Path(vrijuit.__file__).resolve().parent
DOCS = ROOT.parent / "docs" / "api.md"

# Django's own validation codes (form errors) and ORM lookups on a column named "code" are not
# codes of the API.
NOT_OUR_CODES = {"ValidationError", "filter", "exclude", "get", "create", "update"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(func):
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_no_error_code_is_written_as_a_bare_string():
    found = []
    for path, tree in _sources():
        where = path.relative_to(ROOT.parent).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) not in NOT_OUR_CODES:
                for keyword in node.keywords:
                    if keyword.arg == "code" and _literal(keyword.value):
                        found.append(f"{where}:{node.lineno} code={keyword.value.value!r}")
                if _name(node.func) == "problem" and len(node.args) > 1 and _literal(node.args[1]):
                    found.append(f"{where}:{node.lineno} problem(..., {node.args[1].value!r})")
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and any(getattr(t, "id", "") == "code" for t in statement.targets)
                        and _literal(statement.value)
                    ):
                        found.append(f"{where}:{statement.lineno} {node.name}.code")
    assert found == [], "Use a member of the context's ErrorCode enum:\n" + "\n".join(found)


def test_a_code_means_the_same_in_every_catalogue():
    seen = {}
    for catalogue in CATALOGUES:
        for member in catalogue:
            assert re.fullmatch(r"[a-z][a-z_]*", member.value), member
            assert member.status in (400, 401, 403, 404, 405, 409, 413, 422, 429, 500), member
            assert str(member.message), member
            if member.value in seen:
                assert seen[member.value] == member.status, member
            seen[member.value] = member.status


EXCEPTIONS = [
    VrijuitError,
    NotFound,
    PermissionDenied,
    Conflict,
    PostalCodeOutsideNetwork,
    StatusRefused,
    AlreadyErased,
    ParticipantInvalid,
    PassAlreadyActive,
    PassNotActive,
    InvalidPassNumber,
    ActivityRefused,
    StatementRefused,
    SepaRefused,
]


@pytest.mark.parametrize("error", EXCEPTIONS, ids=lambda error: error.__name__)
def test_each_error_carries_a_catalogue_code_with_its_status(error):
    codes = {code for code, _status, _message in entries(*CATALOGUES)}
    raised = error()
    assert raised.code in codes
    assert raised.status == raised.code.status


def test_a_code_given_when_raising_brings_its_message_and_status():
    raised = ActivityRefused(code=CatalogueErrorCode.SERIES_TOO_LONG)
    assert raised.message == CatalogueErrorCode.SERIES_TOO_LONG.message
    assert raised.status == 422
    assert VrijuitError(code=CommonError.NOT_FOUND).status == 404


def _docs_table():
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Error codes", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def test_the_table_in_docs_api_md_is_the_catalogues():
    assert _docs_table() == error_code_table(), (
        "docs/api.md is out of date: replace its table with `python manage.py error_codes`."
    )


@pytest.fixture
def openapi(client):
    return client.get("/api/v1/openapi.json").json()


def _description(openapi, method, path):
    return openapi["paths"][path][method].get("description", "")


def _listed(description):
    return set(re.findall(r"^- `([a-z_]+)` \(\d{3}\): ", description, flags=re.M))


def test_the_check_in_lists_every_refusal_and_the_scan_codes(openapi, db):
    listed = _listed(_description(openapi, "post", "/api/v1/checkins"))

    assert listed >= set(RefusalCode.values)
    assert {CheckinError.SCAN_TOO_OLD, CheckinError.SCAN_IN_FUTURE} <= listed
    assert CommonError.VALIDATION_ERROR in listed


def test_the_tariff_question_lists_the_codes_it_answers_with(openapi, db):
    assert _listed(_description(openapi, "post", "/api/v1/tariffs")) == set(RefusalCode.values)


def test_the_cancellation_lists_its_codes(openapi, db):
    listed = _listed(_description(openapi, "post", "/api/v1/checkins/{checkin_id}/cancel"))

    assert listed == {"cancel_too_late", "checkin_locked", "not_found"}


def test_each_listed_code_carries_the_catalogues_status_and_message(openapi, db):
    with translation.override("en"):
        known = {code: (status, str(message)) for code, status, message in entries(*CATALOGUES)}
    lines = [
        line
        for item in openapi["paths"].values()
        for operation in item.values()
        for line in operation.get("description", "").splitlines()
        if line.startswith("- `")
    ]
    assert len(lines) > 20
    for line in lines:
        code, status, message = re.fullmatch(r"- `([a-z_]+)` \((\d{3})\): (.*)", line).groups()
        assert known[code][0] == int(status), line
        assert known[code][1] == message, line
