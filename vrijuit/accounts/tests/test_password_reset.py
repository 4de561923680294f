import pytest

from django.core import mail

from vrijuit.networks.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = UserFactory(username="lotte", email="lotte@example.be")

    response = client.post("/account/password-reset/", {"email": "lotte@example.be"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/account/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-password")
