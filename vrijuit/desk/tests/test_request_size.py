"""A form post over the size limit gets a page that says what to do (413), never a 500."""

import pytest

from django.conf import settings

from vrijuit.core.roles import Role
from vrijuit.core.tests.matrix import PAGES

POST_PAGES = [row for row in PAGES if row.method == "post"]


def _oversized_form():
    return {"name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE, "reason": "x"}


@pytest.mark.parametrize("row", POST_PAGES, ids=lambda row: row.name)
def test_every_form_post_over_the_limit_gets_the_413_page(world, login, row):
    client = login(world.users["own", Role.COORDINATOR])

    response = client.post(row.url(world, "own"), _oversized_form())

    assert response.status_code == 413
    assert "413.html" in [t.name for t in response.templates]
    assert "Je stuurde te veel tegelijk" in response.content.decode()


def test_the_login_form_over_the_limit_gets_the_413_page(client):
    response = client.post(
        "/account/login/", {"username": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    )

    assert response.status_code == 413
    assert "413.html" in [t.name for t in response.templates]


def test_a_form_with_too_many_fields_gets_the_413_page(world, login):
    client = login(world.users["own", Role.COORDINATOR])
    fields = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(f"/desk/{world.own.slug}/organisers/", fields)

    assert response.status_code == 413


def test_the_413_page_is_in_the_readers_language(world, login):
    client = login(world.users["own", Role.COORDINATOR])

    response = client.post(
        f"/desk/{world.own.slug}/organisers/",
        _oversized_form(),
        headers={"Accept-Language": "fr"},
    )

    assert response.status_code == 413
    assert '<html lang="fr"' in response.content.decode()
