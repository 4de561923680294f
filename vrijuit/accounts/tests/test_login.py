import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings

from config import settings as project_settings
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import PASSWORD, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_login_form_logs_in_and_the_login_is_audited(client):
    membership = MembershipFactory(role=Role.DESK, user__username="lotte")

    response = client.post("/account/login/", {"username": "lotte", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 302  # one network: straight to its home
    assert (
        AuditEvent.objects.filter(action=AuditAction.LOGIN, network=membership.network).count() == 1
    )


def test_wrong_password_says_so_without_telling_which_part_was_wrong(client):
    MembershipFactory(user__username="lotte")

    response = client.post("/account/login/", {"username": "lotte", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_is_throttled_after_five_failures_even_with_the_right_password(client):
    MembershipFactory(user__username="lotte")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/login/", {"username": "lotte", "password": "wrong"})

    response = client.post("/account/login/", {"username": "lotte", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15" in response.content.decode()  # tells when to try again


def test_passwords_are_hashed_with_argon2_and_sessions_expire():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert project_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_logout_needs_post_and_ends_the_session(client, login):
    login(MembershipFactory().user)

    client.post("/account/logout/")

    assert "_auth_user_id" not in client.session


class TestTwoFactor:
    def test_a_network_that_requires_it_sends_desk_staff_to_set_it_up(self, client, login):
        network = NetworkFactory(two_factor=True)
        login(MembershipFactory(network=network, role=Role.DESK).user)

        response = client.get(f"/desk/{network.slug}/")

        assert response.status_code == 302
        assert response["Location"].startswith("/account/two-factor/setup/")

    def test_organisers_do_not_need_it_they_see_no_personal_data(self, client, login):
        network = NetworkFactory(two_factor=True)
        login(MembershipFactory(network=network, role=Role.ORGANISER).user)

        assert client.get(f"/desk/{network.slug}/").status_code == 200

    def test_networks_that_do_not_require_it_let_staff_in(self, client, login):
        network = NetworkFactory(require_two_factor=False)
        login(MembershipFactory(network=network, role=Role.COORDINATOR).user)

        assert client.get(f"/desk/{network.slug}/").status_code == 200

    def test_setup_with_a_valid_code_opens_the_desk(self, client, login, settings):
        settings.OTP_TOTP_THROTTLE_FACTOR = 0  # wrong codes slow the next try down; not here
        network = NetworkFactory(two_factor=True)
        user = MembershipFactory(network=network, role=Role.SOCIAL_WORKER).user
        login(user)
        page = client.get("/account/two-factor/setup/")
        assert "<svg" in page.content.decode()  # the QR code
        device = TOTPDevice.objects.get(user=user, confirmed=False)

        wrong = client.post("/account/two-factor/setup/", {"code": "000000"})
        assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed

        client.post("/account/two-factor/setup/", {"code": current_code(device)})

        assert TOTPDevice.objects.get(pk=device.pk).confirmed
        assert client.get(f"/desk/{network.slug}/").status_code == 200

    def test_next_login_asks_for_the_code(self, client, login):
        network = NetworkFactory(two_factor=True)
        user = MembershipFactory(network=network, role=Role.COORDINATOR).user
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        login(user)

        response = client.get(f"/desk/{network.slug}/audit/")
        assert response["Location"].startswith("/account/two-factor/?next=")

        client.post(
            "/account/two-factor/",
            {"code": current_code(device), "next": f"/desk/{network.slug}/audit/"},
        )
        assert client.get(f"/desk/{network.slug}/audit/").status_code == 200
