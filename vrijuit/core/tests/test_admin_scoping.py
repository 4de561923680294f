"""The admin, walked as a network's coordinator: every list, add form and change form.

A coordinator manages their own network in the admin. Nothing of another network may
appear (rows, choice lists, list filters, inlines), an id of another network sent in a
form is an invalid choice, and no page answers 500.
"""

import pytest

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from vrijuit.core.roles import Role
from vrijuit.networks.models import Membership, Network
from vrijuit.networks.tests.factories import (
    AgreementFactory,
    MunicipalityFactory,
    PartnerFactory,
)


@pytest.fixture
def admin_world(world):
    """The world's two networks, each with a partner, an agreement and a municipality."""
    for key in ("own", "other"):
        network = world.networks[key]
        PartnerFactory(network=network, name=f"Partner {key}")
        AgreementFactory(network=network, title=f"Afsprakennota {key}")
        MunicipalityFactory(network=network, name=f"Gemeente {key}")
    return world


def coordinator(world, *, django_permissions):
    user = world.users["own", Role.COORDINATOR]
    user.is_staff = True
    user.save()
    if django_permissions:
        # As if someone had also ticked every model permission for this account.
        user.user_permissions.set(Permission.objects.all())
    return get_user_model().objects.get(pk=user.pk)


def traces_of_the_other_network(world):
    """Names and ids by which the other network's objects would show in a page (user
    names stand for users, whose integer ids would match any number in a page)."""
    other = world.other
    traces = {other.name, other.slug, str(other.pk)}
    traces |= {"Partner other", "Afsprakennota other", "Gemeente other"}
    traces |= {world.organisers["other"].name, str(world.organisers["other"].pk)}
    for membership in Membership.objects.filter(network=other):
        traces |= {membership.user.username, str(membership.pk)}
    for token in other.api_tokens.all():
        traces.add(str(token.pk))
    return traces


def an_object_of_the_own_network(model, world):
    if model is Network:
        return world.own
    if model is get_user_model():
        return world.users["own", Role.DESK]
    if any(f.name == "network" for f in model._meta.fields):
        return model._default_manager.filter(network=world.own).first()
    return model._default_manager.first()


def admin_pages(world):
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield model, "list", reverse(f"{info}_changelist")
        yield model, "add", reverse(f"{info}_add")
        obj = an_object_of_the_own_network(model, world)
        if obj is not None:
            yield model, "change", reverse(f"{info}_change", args=[obj.pk])


@pytest.mark.parametrize("django_permissions", [False, True], ids=["role", "all-model-perms"])
def test_a_coordinator_walks_the_admin_and_sees_nothing_of_another_network(
    admin_world, login, django_permissions
):
    world = admin_world
    client = login(coordinator(world, django_permissions=django_permissions))
    traces = traces_of_the_other_network(world)

    seen = []
    for model, kind, url in admin_pages(world):
        response = client.get(url)

        assert response.status_code in (200, 302, 403), (url, response.status_code)
        if response.status_code == 200:
            html = response.content.decode()
            leaks = sorted(trace for trace in traces if trace in html)
            assert not leaks, (url, leaks)
            seen.append((model._meta.label, kind))

    # The walk reached the network's own pages (not only refusals).
    for label in ("networks.Network", "networks.Membership", "catalogue.Organiser"):
        assert (label, "list") in seen and (label, "change") in seen, label
    assert ("networks.Membership", "add") in seen


def test_the_admin_of_the_network_opens_for_its_coordinator(admin_world, login):
    client = login(coordinator(admin_world, django_permissions=False))

    listing = client.get(reverse("admin:networks_network_changelist"))
    page = client.get(reverse("admin:networks_network_change", args=[admin_world.own.pk]))

    assert listing.status_code == 200
    assert admin_world.own.name in listing.content.decode()
    assert page.status_code == 200
    assert "Gemeente own" in page.content.decode()


def test_a_membership_for_another_networks_user_is_refused(admin_world, login):
    world = admin_world
    client = login(coordinator(world, django_permissions=False))
    stranger = world.users["other", Role.DESK]

    response = client.post(
        reverse("admin:networks_membership_add"),
        {"network": world.own.pk, "user": stranger.pk, "role": Role.DESK, "is_active": "on"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"]
    assert not Membership.objects.filter(network=world.own, user=stranger).exists()


def test_a_membership_in_another_network_is_refused(admin_world, login):
    world = admin_world
    client = login(coordinator(world, django_permissions=False))
    own_user = get_user_model().objects.create_user("nieuw", "nieuw@example.be")
    Membership.objects.create(network=world.own, user=own_user, role=Role.VOLUNTEER)

    response = client.post(
        reverse("admin:networks_membership_add"),
        {"network": world.other.pk, "user": own_user.pk, "role": Role.DESK, "is_active": "on"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["network"]
    assert not Membership.objects.filter(network=world.other, user=own_user).exists()


def test_an_organiser_with_another_networks_partner_is_refused(admin_world, login):
    world = admin_world
    client = login(coordinator(world, django_permissions=False))
    partner = world.other.partners.get()

    response = client.post(
        reverse("admin:catalogue_organiser_add"),
        {
            "network": world.own.pk,
            "name": "Nieuwe club",
            "slug": "nieuwe-club",
            "partner": partner.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["partner"]


@pytest.mark.parametrize(
    "name", ["auth_user_changelist", "auth_group_changelist", "axes_accessattempt_changelist"]
)
def test_admins_without_a_network_are_for_superusers_only(admin_world, login, name):
    client = login(coordinator(admin_world, django_permissions=True))

    assert client.get(reverse(f"admin:{name}")).status_code == 403


def test_a_superuser_still_sees_every_network(admin_world, login):
    root = get_user_model().objects.create_superuser("root", "root@example.be", "x")
    client = login(root)

    memberships = client.get(reverse("admin:networks_membership_add")).content.decode()
    users = client.get(reverse("admin:auth_user_changelist"))

    assert "other-desk" in memberships and "own-desk" in memberships
    assert users.status_code == 200
