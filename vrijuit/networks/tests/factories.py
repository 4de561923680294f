import datetime

import factory

from django.contrib.auth import get_user_model

from vrijuit.catalogue.models import Organiser
from vrijuit.core.roles import Role
from vrijuit.networks.constants import PartnerKind
from vrijuit.networks.models import Agreement, Membership, Municipality, Network, Partner

PASSWORD = "correct-horse-battery"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"netwerk-{n}")
    name = factory.LazyAttribute(lambda o: f"Lokaal netwerk {o.slug.title()}")
    contact_name = "Bas Dhoey"
    contact_email = "info@example.be"
    require_two_factor = False

    class Params:
        two_factor = factory.Trait(require_two_factor=True)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    postal_codes = "2150"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerKind.LEISURE_SERVICE


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    network = factory.SubFactory(NetworkFactory)
    title = "Afsprakennota 2026-2027"
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2027, 12, 31)


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Club {n}")
    slug = factory.Sequence(lambda n: f"club-{n}")
    iban = "BE68539007547034"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Lotte"
    last_name = "Peeters"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.be")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.DESK
    organiser = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.ORGANISER),
        yes_declaration=factory.SubFactory(
            OrganiserFactory, network=factory.SelfAttribute("..network")
        ),
        no_declaration=None,
    )
