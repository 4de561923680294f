"""Two-factor login: enrolment, replacing a phone, backup codes and the coordinator's reset.

The pages are read in Dutch, the language a staff member gets by default.
"""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vrijuit.accounts.models import AccountLanguage
from vrijuit.accounts.services import two_factor_reset
from vrijuit.core.exceptions import NotFound, PermissionDenied
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.permissions import Principal
from vrijuit.core.roles import Role
from vrijuit.networks.tests.factories import PASSWORD, MembershipFactory, NetworkFactory

from .test_login import current_code

pytestmark = pytest.mark.django_db

CODE_ON_PAGE = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>")


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp slows the next try down after a wrong code; these tests type wrong codes
    # on purpose and are not about that.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def mails(mailoutbox):
    return mailoutbox


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what waits for the commit (e-mails) at the block's end;
    a test runs inside one transaction that is never committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def staff_with_app(network=None, role=Role.DESK, **kwargs):
    network = network or NetworkFactory(two_factor=True)
    membership = MembershipFactory(network=network, role=role, **kwargs)
    device = TOTPDevice.objects.create(user=membership.user, name="app", confirmed=True)
    return membership, device


def coordinator_of(network):
    return Principal(network=network, role=Role.COORDINATOR)


def password_login(client, user):
    response = client.post(
        "/account/login/", {"username": user.get_username(), "password": PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def full_login(client, user, device):
    password_login(client, user)
    response = client.post("/account/two-factor/", {"code": current_code(device)})
    assert response.status_code == 302
    return client


def is_verified(client, network):
    """Can this session open the desk (the second step was passed)?"""
    response = client.get(f"/desk/{network.slug}/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def enrol(client, user):
    """Set up two-factor login on a password-only session; returns the app and the codes."""
    client.get("/account/two-factor/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/two-factor/setup/", {"code": current_code(device)})
    assert response.status_code == 200
    return device, CODE_ON_PAGE.findall(response.content.decode())


def events(action, user=None):
    rows = AuditEvent.objects.filter(action=action)
    return rows.filter(object_id=str(user.pk)) if user is not None else rows


class TestSetupWithOnlyThePassword:
    """Someone who knows only the password cannot link their own phone to the account."""

    def test_the_setup_page_is_refused_and_says_what_to_do(self, client):
        membership, _device = staff_with_app()
        password_login(client, membership.user)

        response = client.get("/account/two-factor/setup/")

        assert response.status_code == 403
        page = response.content.decode()
        assert "<svg" not in page  # no QR code, no secret
        assert "reservecode" in page
        assert "coördinator" in page
        assert not TOTPDevice.objects.filter(user=membership.user, confirmed=False).exists()

    def test_posting_a_code_for_a_new_app_changes_nothing(self, client, mails, committed):
        membership, device = staff_with_app()
        attacker_app = TOTPDevice.objects.create(user=membership.user, name="x", confirmed=False)
        password_login(client, membership.user)

        with committed():
            response = client.post(
                "/account/two-factor/setup/", {"code": current_code(attacker_app)}
            )

        assert response.status_code == 403
        assert TOTPDevice.objects.get(pk=device.pk).confirmed  # the owner's app still works
        assert not TOTPDevice.objects.get(pk=attacker_app.pk).confirmed
        assert not is_verified(client, membership.network)
        assert client.get(f"/desk/{membership.network.slug}/")["Location"].startswith(
            "/account/two-factor/?next="
        )
        assert not events(AuditAction.TWO_FACTOR).exists()
        assert not events(AuditAction.TWO_FACTOR_REPLACE).exists()
        assert mails == []

    def test_new_backup_codes_are_refused_too(self, client):
        membership, _device = staff_with_app()
        password_login(client, membership.user)

        response = client.post("/account/two-factor/backup-codes/", {"password": PASSWORD})

        assert response.status_code == 302
        assert response["Location"].startswith("/account/two-factor/?next=")
        assert not StaticToken.objects.filter(device__user=membership.user).exists()


class TestEnrolment:
    def test_a_first_app_gives_ten_backup_codes_shown_once_and_is_audited(self, client, mails):
        network = NetworkFactory(two_factor=True)
        user = MembershipFactory(network=network, role=Role.SOCIAL_WORKER).user
        password_login(client, user)

        device, codes = enrol(client, user)

        assert len(codes) == 10 and len(set(codes)) == 10
        assert TOTPDevice.objects.get(pk=device.pk).confirmed
        assert StaticToken.objects.filter(device__user=user).count() == 10
        assert is_verified(client, network)
        assert events(AuditAction.TWO_FACTOR, user).filter(network=network).count() == 1
        assert mails == []  # a first app is no change to warn about
        # the codes are not shown again
        again = client.get("/account/two-factor/backup-codes/").content.decode()
        assert not CODE_ON_PAGE.findall(again)
        assert "10 reservecodes" in again


class TestReplacingTheApp:
    def test_a_verified_session_replaces_the_app_after_typing_the_password(
        self, client, mails, committed
    ):
        membership, old = staff_with_app(user__email="lotte@example.be")
        user = membership.user
        full_login(client, user, old)

        page = client.get("/account/two-factor/setup/")
        assert page.status_code == 200
        assert 'name="password"' in page.content.decode()
        new = TOTPDevice.objects.get(user=user, confirmed=False)

        no_password = client.post("/account/two-factor/setup/", {"code": current_code(new)})
        assert no_password.status_code == 200
        assert "Typ je wachtwoord" in no_password.content.decode()
        wrong = client.post(
            "/account/two-factor/setup/", {"password": "wrong", "code": current_code(new)}
        )
        assert wrong.status_code == 200
        assert TOTPDevice.objects.get(pk=old.pk).confirmed  # nothing changed yet
        assert mails == []

        with committed():
            done = client.post(
                "/account/two-factor/setup/", {"password": PASSWORD, "code": current_code(new)}
            )

        assert done.status_code == 200
        assert len(CODE_ON_PAGE.findall(done.content.decode())) == 10
        assert TOTPDevice.objects.get(pk=new.pk).confirmed
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()  # the old phone no longer works
        assert is_verified(client, membership.network)
        assert events(AuditAction.TWO_FACTOR_REPLACE, user).count() == 1
        assert len(mails) == 1
        assert mails[0].to == ["lotte@example.be"]
        assert "nieuwe app voor aanmeldcodes" in mails[0].subject
        assert "coördinator" in mails[0].body  # what to do if it was not them

    def test_the_e_mail_is_in_the_language_of_the_page(self, client, mails, committed):
        membership, old = staff_with_app()
        full_login(client, membership.user, old)
        client.post("/i18n/setlang/", {"language": "fr"})
        client.get("/account/two-factor/setup/")
        new = TOTPDevice.objects.get(user=membership.user, confirmed=False)

        with committed():
            client.post(
                "/account/two-factor/setup/", {"password": PASSWORD, "code": current_code(new)}
            )

        assert len(mails) == 1
        assert "application d'authentification" in mails[0].subject


class TestBackupCodes:
    def test_a_backup_code_logs_in_once_and_only_once(self, client):
        network = NetworkFactory(two_factor=True)
        user = MembershipFactory(network=network, role=Role.DESK).user
        password_login(client, user)
        _device, codes = enrol(client, user)
        client.post("/account/logout/")

        # The phone is lost: the password and a backup code from the list.
        password_login(client, user)
        response = client.post(
            "/account/two-factor/", {"backup_code": codes[3].upper(), "next": "/desk/"}
        )

        assert response.status_code == 302
        assert response["Location"].startswith("/account/two-factor/backup-codes/")
        left_page = client.get(response["Location"]).content.decode()
        assert "9 reservecodes" in left_page
        assert is_verified(client, network)
        used = events(AuditAction.BACKUP_CODE_USED, user).get(network=network)
        assert used.changes == {"codes_left": [None, 9]}
        client.post("/account/logout/")

        password_login(client, user)
        again = client.post("/account/two-factor/", {"backup_code": codes[3]})

        assert again.status_code == 200
        assert "werkt maar één keer" in again.content.decode()
        assert not is_verified(client, network)
        # another code from the list still works
        client.post("/account/two-factor/", {"backup_code": codes[4]})
        assert is_verified(client, network)

    def test_new_codes_need_the_password_and_the_old_ones_stop_working(self, client):
        network = NetworkFactory(two_factor=True)
        user = MembershipFactory(network=network, role=Role.DESK).user
        password_login(client, user)
        _device, old_codes = enrol(client, user)

        wrong = client.post("/account/two-factor/backup-codes/", {"password": "wrong"})
        assert wrong.status_code == 200
        assert not CODE_ON_PAGE.findall(wrong.content.decode())

        response = client.post("/account/two-factor/backup-codes/", {"password": PASSWORD})

        new_codes = CODE_ON_PAGE.findall(response.content.decode())
        assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
        assert events(AuditAction.BACKUP_CODES_NEW, user).count() == 1
        client.post("/account/logout/")
        password_login(client, user)
        assert client.post("/account/two-factor/", {"backup_code": old_codes[0]}).status_code == 200
        assert not is_verified(client, network)
        client.post("/account/two-factor/", {"backup_code": new_codes[0]})
        assert is_verified(client, network)

    def test_after_a_backup_code_the_lost_phone_can_be_replaced(self, client):
        membership, _lost = staff_with_app()
        user = membership.user
        StaticToken.objects.create(
            device=StaticDevice.objects.create(user=user, name="backup"), token="abcd2345"
        )
        password_login(client, user)
        client.post("/account/two-factor/", {"backup_code": "abcd-2345"})

        client.get("/account/two-factor/setup/")
        new = TOTPDevice.objects.get(user=user, confirmed=False)
        client.post("/account/two-factor/setup/", {"password": PASSWORD, "code": current_code(new)})

        assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]


class TestCoordinatorReset:
    def reset_url(self, membership):
        return f"/desk/{membership.network.slug}/staff/{membership.pk}/two-factor-reset/"

    def test_a_coordinator_resets_a_colleague_who_lost_their_phone(self, client, mails, committed):
        network = NetworkFactory(two_factor=True)
        coordinator, coordinator_app = staff_with_app(network, Role.COORDINATOR)
        colleague, _colleague_app = staff_with_app(network, Role.DESK, user__email="an@example.be")
        StaticDevice.objects.create(user=colleague.user, name="backup")
        AccountLanguage.objects.create(user=colleague.user, language="fr")
        full_login(client, coordinator.user, coordinator_app)

        staff_page = client.get(f"/desk/{network.slug}/staff/").content.decode()
        assert self.reset_url(colleague) in staff_page
        assert self.reset_url(coordinator) not in staff_page  # not for oneself
        assert client.get(self.reset_url(colleague)).status_code == 200
        with committed():
            response = client.post(self.reset_url(colleague))

        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=colleague.user).exists()
        assert not StaticDevice.objects.filter(user=colleague.user).exists()
        event = events(AuditAction.TWO_FACTOR_RESET, colleague.user).get(network=network)
        assert event.actor == coordinator.user
        assert len(mails) == 1 and mails[0].to == ["an@example.be"]
        assert "connexion en deux étapes" in mails[0].subject  # the language they use
        assert coordinator.user.get_full_name() in mails[0].body

    def test_the_person_sets_it_up_again_at_the_next_login(self, client, mails):
        network = NetworkFactory(two_factor=True)
        colleague, _colleague_app = staff_with_app(network, Role.DESK)
        two_factor_reset(principal=coordinator_of(network), membership=colleague)
        password_login(client, colleague.user)

        response = client.get(f"/desk/{network.slug}/")
        assert response["Location"].startswith("/account/two-factor/setup/")
        assert "<svg" in client.get("/account/two-factor/setup/").content.decode()

    def test_a_session_that_passed_with_the_old_app_is_no_longer_verified(self, client):
        network = NetworkFactory(two_factor=True)
        colleague, colleague_app = staff_with_app(network, Role.DESK)
        full_login(client, colleague.user, colleague_app)
        assert is_verified(client, network)
        two_factor_reset(principal=coordinator_of(network), membership=colleague)

        assert not is_verified(client, network)

    def test_not_for_another_networks_staff(self, client, mails, committed):
        own = NetworkFactory(two_factor=True)
        coordinator, coordinator_app = staff_with_app(own, Role.COORDINATOR)
        stranger, stranger_app = staff_with_app(NetworkFactory(two_factor=True), Role.DESK)
        full_login(client, coordinator.user, coordinator_app)

        # the other network's membership, through the own network's address
        with committed():
            response = client.post(f"/desk/{own.slug}/staff/{stranger.pk}/two-factor-reset/")
            assert response.status_code == 404
            # the other network's address
            assert client.post(self.reset_url(stranger)).status_code == 404

        assert TOTPDevice.objects.get(pk=stranger_app.pk).confirmed
        assert not events(AuditAction.TWO_FACTOR_RESET).exists()
        assert mails == []

    def test_not_ones_own(self, client):
        network = NetworkFactory(two_factor=True)
        coordinator, coordinator_app = staff_with_app(network, Role.COORDINATOR)
        full_login(client, coordinator.user, coordinator_app)

        response = client.post(self.reset_url(coordinator))

        assert response.status_code == 403
        assert "eigen" in response.content.decode()
        assert TOTPDevice.objects.get(pk=coordinator_app.pk).confirmed

    @pytest.mark.parametrize("role", [Role.DESK, Role.SOCIAL_WORKER, Role.FINANCE])
    def test_only_the_coordinator(self, client, role):
        network = NetworkFactory(two_factor=True)
        actor, actor_app = staff_with_app(network, role)
        colleague, colleague_app = staff_with_app(network, Role.DESK)
        full_login(client, actor.user, actor_app)

        assert client.post(self.reset_url(colleague)).status_code == 403
        assert TOTPDevice.objects.get(pk=colleague_app.pk).confirmed


def test_the_reset_service_itself_refuses_who_may_not_manage_staff():
    network, other = NetworkFactory(two_factor=True), NetworkFactory(two_factor=True)
    colleague, _colleague_app = staff_with_app(network, Role.DESK)
    with pytest.raises(PermissionDenied):
        two_factor_reset(principal=Principal(network=network, role=Role.DESK), membership=colleague)
    with pytest.raises(NotFound):
        two_factor_reset(principal=coordinator_of(other), membership=colleague)
    assert TOTPDevice.objects.filter(user=colleague.user).exists()
