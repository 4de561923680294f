import pytest

from vrijuit.core.roles import Role

pytestmark = pytest.mark.django_db


def test_another_networks_page_is_a_plain_404_page(world, login):
    client = login(world.users["other", Role.COORDINATOR])

    response = client.get(f"/desk/{world.own.slug}/audit/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert world.own.name not in response.content.decode()


def test_a_role_that_may_not_gets_a_403_page_that_says_whom_to_ask(world, login):
    client = login(world.users["own", Role.VOLUNTEER])

    response = client.get(f"/desk/{world.own.slug}/audit/")

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
