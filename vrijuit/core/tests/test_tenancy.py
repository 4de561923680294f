"""Tenancy is enforced: a query on a tenant model without a network fails (core/tenancy.py)."""

import pytest

from django.apps import apps
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from vrijuit.catalogue.models import Activity, Occurrence, Organiser
from vrijuit.catalogue.tests.factories import ActivityFactory, OccurrenceFactory
from vrijuit.core.permissions import Principal
from vrijuit.core.roles import Role
from vrijuit.core.tenancy import (
    TenancyError,
    TenantQuerySet,
    is_tenant_model,
    scopes_disabled,
    tenant_guard,
)
from vrijuit.networks.tests.factories import NetworkFactory
from vrijuit.participants.models import Participant
from vrijuit.participants.tests.factories import HouseholdFactory, ParticipantFactory

# Rows that name a network but are found by another key: the doors to a network (a staff
# member's memberships, a token by its hash), the audit log (read by its own network filter)
# and the replay records of the check-in (found by network and key in SQL).
NOT_TENANT_MODELS = {
    "networks.Membership",
    "api.ApiToken",
    "core.AuditEvent",
    "checkins.IdempotencyRecord",
}


@pytest.fixture(autouse=True)
def _raise(settings):
    settings.TENANCY_GUARD = "raise"


def test_every_model_with_a_network_is_a_tenant_model():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if any(
            getattr(f, "related_model", None) is not None
            and f.related_model._meta.label == "networks.Network"
            and f.many_to_one
            for f in model._meta.get_fields()
        )
        and model._meta.label not in NOT_TENANT_MODELS
        and not is_tenant_model(model)
    ]
    assert missing == []
    assert not is_tenant_model(apps.get_model("networks", "Membership"))


@pytest.mark.django_db
def test_a_query_on_a_tenant_model_without_a_network_fails():
    person = ParticipantFactory()
    with tenant_guard(), pytest.raises(TenancyError, match=r"participants\.Participant"):
        Participant.objects.filter(pk=person.pk).first()
    with tenant_guard(), pytest.raises(TenancyError):
        Participant.objects.count()
    with tenant_guard(), pytest.raises(TenancyError):
        # An OR with a branch outside the network spans networks.
        list(Participant.objects.filter(network=person.network) | Participant.objects.all())
    with tenant_guard(), pytest.raises(TenancyError):
        list(Participant.objects.exclude(network=person.network))


@pytest.mark.django_db
def test_a_query_with_a_network_or_a_scoped_parent_runs():
    household = HouseholdFactory()
    person = ParticipantFactory(network=household.network, household=household)
    with tenant_guard():
        assert Participant.objects.for_network(person.network).get(pk=person.pk) == person
        assert list(household.members.all()) == [person]  # through a row of the network
        assert Participant.objects.filter(network__slug=person.network.slug).count() == 1
        assert person.household.label == household.label  # a foreign key read by its id
        assert Participant.objects.filter(pk=person.pk).exists()  # a yes or no shows no row
    with tenant_guard(), scopes_disabled():
        assert Participant.objects.count() == 1
    with tenant_guard():
        assert Participant.objects.unscoped().filter(pk=person.pk).first() == person


def _unscoped_view(request):
    return HttpResponse(str(Participant.objects.count()))


def _scoped_view(request):
    network = NetworkFactory._meta.model.objects.get(slug=request.GET["network"])
    return HttpResponse(str(Participant.objects.for_network(network).count()))


urlpatterns = [path("unscoped/", _unscoped_view), path("scoped/", _scoped_view)]


@pytest.mark.django_db
@pytest.mark.urls("vrijuit.core.tests.test_tenancy")
def test_every_request_of_the_suite_fails_on_a_query_without_a_network(client):
    person = ParticipantFactory()
    with pytest.raises(TenancyError):
        client.get("/unscoped/")
    assert client.get(f"/scoped/?network={person.network.slug}").content == b"1"


@pytest.mark.django_db
@pytest.mark.urls("vrijuit.core.tests.test_tenancy")
def test_in_production_the_guard_logs_and_the_page_answers(client, settings, caplog):
    settings.TENANCY_GUARD = "log"
    ParticipantFactory()
    assert client.get("/unscoped/").content == b"1"
    assert "participants.Participant ran without a network" in caplog.text


@pytest.mark.django_db
def test_living_leaves_out_erased_people():
    alive = ParticipantFactory()
    erased = ParticipantFactory(network=alive.network)
    Participant.objects.filter(pk=erased.pk).update(erased_at=timezone.now())
    assert list(Participant.objects.for_network(alive.network).living()) == [alive]


@pytest.mark.django_db
def test_an_organiser_sees_only_its_own_rows_through_one_helper():
    mine = OccurrenceFactory()
    network = mine.network
    theirs = OccurrenceFactory(activity=ActivityFactory(organiser__network=network))
    elsewhere = OccurrenceFactory()
    club = Principal(network=network, role=Role.ORGANISER, organiser_id=mine.activity.organiser_id)
    desk = Principal(network=network, role=Role.DESK)
    assert list(Activity.objects.for_principal(club)) == [mine.activity]
    assert list(Occurrence.objects.for_principal(club)) == [mine]
    assert list(Organiser.objects.for_principal(club)) == [mine.activity.organiser]
    assert set(Activity.objects.for_principal(desk)) == {mine.activity, theirs.activity}
    assert elsewhere.activity not in Activity.objects.for_principal(desk)
    assert issubclass(Activity.objects._queryset_class, TenantQuerySet)
