"""One service worker script and one view for every scope that works without internet."""

import json
from pathlib import Path

import pytest

from django.urls import resolve, reverse

import vrijuit

SCOPES = [
    ("scanner:service_worker", "/scan/", {"cache": "vrijuit-scanner-v1", "start": "./"}),
    ("digital_pass:service_worker", "/pass/", {"cache": "vrijuit-pass-v1", "start": None}),
]


def _split(body):
    settings, script = body.split("\n", 1)
    prefix = "self.vrijuitServiceWorker = "
    assert settings.startswith(prefix) and settings.endswith(";")
    return json.loads(settings[len(prefix) : -1]), script


@pytest.mark.parametrize(("name", "scope", "expected"), SCOPES)
def test_each_scope_gets_the_one_script_with_its_own_settings(client, db, name, scope, expected):
    url = reverse(name)
    response = client.get(url)

    assert url == f"{scope}sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == scope
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Robots-Tag"] == "noindex"
    settings, script = _split(response.content.decode())
    assert settings["cache"] == expected["cache"]
    assert settings["start"] == expected["start"]
    assert expected["cache"].startswith(settings["family"])
    shared = Path(vrijuit.__file__).parent / "core" / "static" / "vrijuit" / "sw.js"
    assert script == shared.read_text(encoding="utf-8")
    assert client.post(url).status_code == 405


def test_the_scanner_and_the_digital_pass_share_one_view_and_one_script(client, db):
    views = {resolve(reverse(name)).func for name, _, _ in SCOPES}
    assert len(views) == 1
    bodies = {_split(client.get(reverse(name)).content.decode())[1] for name, _, _ in SCOPES}
    assert len(bodies) == 1


def test_no_other_service_worker_script_exists():
    root = Path(vrijuit.__file__).parent
    scripts = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*.js")
        if "/vendor/" not in path.as_posix()
        and 'addEventListener("fetch"' in path.read_text(encoding="utf-8")
    ]
    assert scripts == ["core/static/vrijuit/sw.js"]
