import pytest

from vrijuit.core import audit
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.roles import Role
from vrijuit.networks.models import Partner
from vrijuit.networks.tests.factories import MembershipFactory, NetworkFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_a_change_is_logged_with_old_and_new_value_and_who_made_it():
    partner = PartnerFactory(name="OCMW")
    user = MembershipFactory(network=partner.network, role=Role.COORDINATOR).user

    with audit.audit_context(user=user, source="web", context="/desk/x/"):
        partner.name = "Sociaal Huis"
        partner.save()

    event = AuditEvent.objects.filter(object_id=str(partner.pk)).first()
    assert event.action == AuditAction.UPDATE
    assert event.changes == {"name": ["OCMW", "Sociaal Huis"]}
    assert event.actor == user
    assert event.actor_label == user.username
    assert event.network_id == partner.network_id
    assert event.context == "/desk/x/"


def test_saving_without_a_change_writes_nothing():
    partner = PartnerFactory()
    before = AuditEvent.objects.count()

    partner.save()

    assert AuditEvent.objects.count() == before


def test_deletion_is_logged_and_the_log_row_survives():
    partner = PartnerFactory(name="Tijdelijk")
    pk = str(partner.pk)

    Partner.objects.filter(pk=partner.pk).delete()

    event = AuditEvent.objects.get(object_id=pk, action=AuditAction.DELETE)
    assert event.object_repr == "Tijdelijk"
    assert event.network_id == partner.network_id


def test_masked_fields_are_logged_as_changed_without_their_values():
    partner = PartnerFactory(email="oud@example.be")
    audit.register(Partner, masked=("email",))
    try:
        partner.email = "nieuw@example.be"
        partner.save()
    finally:
        audit.register(Partner)

    event = AuditEvent.objects.filter(object_id=str(partner.pk), action="update").get()
    assert event.changes["email"] == [audit.MASK, audit.MASK]
    assert "nieuw@example.be" not in str(event.changes)


def test_views_of_personal_data_can_be_recorded_with_the_screen():
    network = NetworkFactory()

    audit.record(
        action=AuditAction.VIEW,
        network=network,
        object_type="participants.participant",
        object_id="42",
        object_repr="Participant 42",
        context="desk:person",
    )

    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.network, event.context) == (network, "desk:person")


def test_the_audit_page_shows_only_the_own_network(world, login):
    own_partner = PartnerFactory(network=world.own, name="Eigen partner")
    PartnerFactory(network=world.other, name="Vreemde partner")
    client = login(world.users["own", Role.COORDINATOR])

    page = client.get(f"/desk/{world.own.slug}/audit/").content.decode()

    assert own_partner.name in page
    assert "Vreemde partner" not in page


def test_the_audit_page_names_changed_fields_in_the_readers_language(world, login):
    partner = PartnerFactory(network=world.own, name="OCMW")
    partner.name = "Sociaal Huis"
    partner.save()
    client = login(world.users["own", Role.COORDINATOR])

    page = client.get(f"/desk/{world.own.slug}/audit/?action=update").content.decode()

    assert "<strong>Naam</strong>: OCMW → Sociaal Huis" in page
