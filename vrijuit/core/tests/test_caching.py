"""Which answers a cache may keep: none with personal data, a secret or an export.

The pages, endpoints and exports of the back office are checked in the permission matrix
(``test_permission_matrix.py``, every row, role and network); these are the others.
"""

import pytest

from django.urls import reverse

from vrijuit.core.roles import Role
from vrijuit.passes.tests.factories import PassFactory

from .test_permission_matrix import assert_not_stored


@pytest.fixture
def digital_pass(world):
    return PassFactory(participant__network=world.own)


def test_the_digital_pass_and_its_manifest_are_not_stored(client, digital_pass):
    page = client.get(reverse("digital_pass:pass", args=[digital_pass.access_key]))
    manifest = client.get(reverse("digital_pass:manifest", args=[digital_pass.access_key]))

    assert page.status_code == 200
    assert_not_stored(page)
    assert_not_stored(manifest)


def test_a_link_that_no_longer_works_is_not_stored(client, db):
    response = client.get(reverse("digital_pass:pass", args=["onbekend"]))

    assert response.status_code == 404
    assert_not_stored(response)


@pytest.mark.parametrize("path", ["/account/login/", "/account/password-reset/"])
def test_the_login_pages_are_not_stored(client, db, path):
    response = client.get(path)

    assert_not_stored(response)


def test_the_public_guide_stays_cacheable_for_residents(client, world):
    for path in ("/", f"/{world.own.slug}/", f"/{world.own.slug}/activities/"):
        response = client.get(path)

        assert response.status_code == 200, path
        assert "no-store" not in response.get("Cache-Control", ""), path


def test_the_public_guide_is_not_stored_for_a_logged_in_staff_member(world, login):
    client = login(world.users["own", Role.DESK])

    response = client.get(f"/{world.own.slug}/activities/")

    assert response.status_code == 200
    assert_not_stored(response)


def test_the_admin_is_not_stored(world, login):
    user = world.users["own", Role.COORDINATOR]
    user.is_staff = True
    user.save()

    response = login(user).get("/admin/networks/membership/")

    assert response.status_code == 200
    assert_not_stored(response)


def test_the_service_workers_code_keeps_its_own_caching(client, db):
    for path in ("/pass/sw.js", "/scan/sw.js"):
        response = client.get(path)

        assert response["Cache-Control"] == "no-cache", path
