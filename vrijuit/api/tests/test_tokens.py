"""API tokens: made on the command line or in the back office, stored only as a hash."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest

from django.core.management import CommandError, call_command
from django.utils import timezone

from vrijuit.api.models import ApiToken
from vrijuit.core.models import AuditEvent
from vrijuit.core.roles import Role

from .assertions import assert_problem

DOOR = ["--network", "own-net", "--role", "organiser", "--organiser", "own-club"]


def create_api_token(*args):
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_raw_token_alone_on_its_own_line(world, api_client):
    output = create_api_token(*DOOR, "--name", "deur zwembad")

    lines = output.splitlines()
    assert len(lines) == 1
    raw = lines[0]
    assert raw.startswith("vu_") and raw == raw.strip() and len(raw) > 40
    me = api_client.get("/me", token=raw).json()
    assert (me["network"]["slug"], me["role"], me["token_name"]) == (
        "own-net",
        "organiser",
        "deur zwembad",
    )
    assert me["organiser"] == str(world.organisers["own"].pk)


def test_only_a_sha256_hash_of_the_token_is_stored(world):
    raw = create_api_token(*DOOR, "--name", "deur zwembad").strip()

    token = ApiToken.objects.get(name="deur zwembad")
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not [value for value in stored if raw in value]
    logged = [str(e.changes) + e.object_repr for e in AuditEvent.objects.all()]
    assert not [line for line in logged if raw in line]


def test_the_command_makes_a_coordinator_token(world, api_client):
    raw = create_api_token("--network", "own-net", "--role", "coordinator", "--name", "tests")

    token = ApiToken.objects.get(
        network=world.own,
        role=Role.COORDINATOR,
        name="tests",
        key_hash=hashlib.sha256(raw.strip().encode()).hexdigest(),
    )
    assert token.organiser is None
    assert api_client.get("/organisers", token=raw.strip()).status_code == 200


def test_making_a_token_is_in_the_audit_log_attributed_to_the_command(world):
    create_api_token("--network", "own-net", "--role", "desk", "--name", "balie")

    token = ApiToken.objects.get(name="balie")
    event = AuditEvent.objects.get(action="token_create", object_id=str(token.pk))
    assert event.network == world.own
    assert (event.actor_label, event.source) == ("manage.py create_api_token", "command")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--network", "own-net", "--role", "organiser"], "--organiser"),
        (["--network", "nergens", "--role", "coordinator"], "nergens"),
        (["--network", "own-net", "--role", "organiser", "--organiser", "geen-club"], "geen-club"),
        (["--network", "own-net", "--role", "desk", "--organiser", "own-club"], "--organiser"),
    ],
    ids=["organiser-missing", "unknown-network", "unknown-organiser", "organiser-for-desk-role"],
)
def test_the_command_refuses_what_it_cannot_make(world, args, message):
    before = ApiToken.objects.count()

    with pytest.raises(CommandError, match=message):
        create_api_token(*args, "--name", "fout")

    assert ApiToken.objects.count() == before


def test_the_command_refuses_an_organiser_of_another_network(world):
    with pytest.raises(CommandError, match="other-club"):
        create_api_token(*DOOR[:-1], "other-club", "--name", "fout")

    assert not ApiToken.objects.filter(name="fout").exists()


def test_the_command_refuses_an_unknown_role(world):
    with pytest.raises(CommandError):
        create_api_token("--network", "own-net", "--role", "admin", "--name", "fout")


def test_a_token_revoked_in_the_back_office_stops_working(world, api_client, login):
    raw = create_api_token("--network", "own-net", "--role", "desk", "--name", "oude scanner")
    token = ApiToken.objects.get(name="oude scanner")
    assert api_client.get("/me", token=raw.strip()).status_code == 200
    coordinator = login(world.users["own", Role.COORDINATOR])

    coordinator.post(f"/desk/own-net/api-tokens/{token.pk}/revoke/")

    assert_problem(api_client.get("/me", token=raw.strip()), 401, "not_authenticated")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="token_revoke", object_id=str(token.pk)).exists()


def test_a_coordinator_cannot_revoke_another_networks_token(world, api_client, login):
    raw = create_api_token("--network", "other-net", "--role", "desk", "--name", "hun scanner")
    foreign = ApiToken.objects.get(name="hun scanner")
    coordinator = login(world.users["own", Role.COORDINATOR])

    response = coordinator.post(f"/desk/own-net/api-tokens/{foreign.pk}/revoke/")

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    assert api_client.get("/me", token=raw.strip()).status_code == 200


def test_each_token_speaks_for_its_own_network(world, api_client):
    for key in ("own", "other"):
        me = api_client.get("/me", token=world.tokens[key, Role.COORDINATOR]).json()
        assert me["network"]["slug"] == world.networks[key].slug


def test_last_used_is_set_on_use_and_not_rewritten_on_every_call(world, api_client):
    raw = create_api_token("--network", "own-net", "--role", "desk", "--name", "balie").strip()
    token = ApiToken.objects.get(name="balie")
    assert token.last_used_at is None

    api_client.get("/me", token=raw)
    token.refresh_from_db()
    first_use = token.last_used_at
    api_client.get("/me", token=raw)
    token.refresh_from_db()

    assert first_use is not None
    assert timezone.now() - first_use < timedelta(minutes=1)
    assert token.last_used_at == first_use


def test_last_used_is_refreshed_after_a_while(world, api_client):
    raw = create_api_token("--network", "own-net", "--role", "desk", "--name", "balie").strip()
    long_ago = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(name="balie").update(last_used_at=long_ago)

    api_client.get("/me", token=raw)

    assert ApiToken.objects.get(name="balie").last_used_at > long_ago


def test_a_failed_call_with_a_revoked_token_does_not_count_as_use(world, api_client):
    raw = create_api_token("--network", "own-net", "--role", "desk", "--name", "balie").strip()
    ApiToken.objects.filter(name="balie").update(revoked_at=timezone.now())

    api_client.get("/me", token=raw)

    assert ApiToken.objects.get(name="balie").last_used_at is None
