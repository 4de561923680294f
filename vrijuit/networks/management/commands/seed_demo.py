"""The demo network of Borsbeek, built from its 2017 description. Safe to run again."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from vrijuit.catalogue.models import Organiser
from vrijuit.core.audit import audit_context
from vrijuit.core.roles import Role
from vrijuit.networks.constants import PartnerKind
from vrijuit.networks.models import Agreement, Membership, Municipality, Network, Partner

DEMO_PASSWORD = "vrijuit-demo"  # noqa: S105 (a demo password, printed on purpose)

VISION = (
    "De voornaamste doelstelling van het lokaal netwerk van Borsbeek is alle inwoners, met "
    "specifieke aandacht voor kansengroepen, te laten deelnemen aan vrije tijd. Enerzijds willen "
    "de partners werken aan de toegankelijkheid van het eigen aanbod en dat van Borsbeekse "
    "vrijetijdsaanbieders. Anderzijds zal het netwerk kansengroepen en ervaringsdeskundigen "
    "proberen betrekken bij de totstandkoming van het aanbod. Dit alles moet resulteren in een "
    "aanbod voor en door de doelgroep. De partners zullen het netwerk proberen uitbreiden door "
    "andere sociale organisaties te betrekken. Het netwerk wil ook noden signaleren en wil een "
    "duurzame verandering realiseren voor mensen in armoede."
)
GOALS = (
    "Het lokaal netwerk legt de nadruk op het optimaal participeren aan vrije tijd door "
    "kansengroepen door de participatiedrempels aan te pakken.\n"
    "Het lokaal netwerk werkt actief aan de oprichting van een vrijetijdsloket met uitbreiding "
    "van een Rap op Stap-kantoor.\n"
    "Ondersteuning voor en door het netwerk."
)
ACTIONS = "\n".join(
    [
        "Een kortingssysteem voor al het aanbod in de gemeente",
        "Een jaarlijkse vorming in functie van begrijpbaar communiceren",
        "Samenwerking met ervaringsdeskundigen",
        "Vrijwilligers laten meedenken over de programmatie en vorming van ervaringsdeskundigen "
        "tot ambassadeur",
        "Vrijetijdsloket voor info over zowel gemeentelijke activiteiten als verenigingsaanbod",
        "Vakanties en daguitstappen mogelijk via de Welzijnsschakel",
        "Het lokaal netwerk als actief lerend netwerk",
        "Het lokaal netwerk wordt gekoppeld aan het armoedeoverleg",
    ]
)
MEETINGS = (
    "Tweemaal per jaar komt het netwerk formeel samen om de voortgang van de acties te "
    "bespreken. Tussendoor vindt er overleg plaats tussen partners om de doelstellingen en "
    "acties te verwezenlijken."
)

PARTNERS = [
    ("Vrijetijdsdienst", PartnerKind.LEISURE_SERVICE),
    ("OCMW", PartnerKind.SOCIAL_WELFARE),
    ("Welzijnsschakel 't Schakeltje", PartnerKind.POVERTY_ASSOCIATION),
]
ORGANISERS = [
    # slug, name, partner, iban (valid demo numbers)
    ("vrijetijdsdienst", "Vrijetijdsdienst Borsbeek", "Vrijetijdsdienst", "BE68539007547034"),
    (
        "schakeltje",
        "Welzijnsschakel 't Schakeltje",
        "Welzijnsschakel 't Schakeltje",
        "BE71096123456769",
    ),
    ("zwemclub", "Zwemclub Borsbeek", None, "BE62510007547061"),
    ("bibliotheek", "Bibliotheek Borsbeek", "Vrijetijdsdienst", ""),
]
ACCOUNTS = [
    # username, first name, last name, role, partner, organiser
    ("coordinator", "Bas", "Dhoey", Role.COORDINATOR, "Vrijetijdsdienst", None),
    ("desk", "Lotte", "Peeters", Role.DESK, "Vrijetijdsdienst", None),
    ("socialworker", "Samira", "El Idrissi", Role.SOCIAL_WORKER, "OCMW", None),
    ("organiser", "Jan", "Wouters", Role.ORGANISER, None, "zwemclub"),
    ("finance", "Karin", "Janssens", Role.FINANCE, None, None),
    ("volunteer", "Mieke", "Claes", Role.VOLUNTEER, "Welzijnsschakel 't Schakeltje", None),
]


class Command(BaseCommand):
    help = "Create or update the demo network 'borsbeek' with a demo account per role."

    def handle(self, *args, **options):
        with audit_context(label="manage.py seed_demo", source="command"), transaction.atomic():
            network = self.seed_network()
        self.stdout.write(self.style.SUCCESS(f"Demo network '{network.slug}' is ready."))
        self.stdout.write("Log in on http://127.0.0.1:8000/account/login/ with one of these:")
        for username, _first, _last, role, _partner, _organiser in ACCOUNTS:
            self.stdout.write(f"  {username:<14} {DEMO_PASSWORD}   ({Role(role).label})")

    def seed_network(self):
        network, _ = Network.objects.update_or_create(
            slug="borsbeek",
            defaults={
                "name": "Lokaal netwerk Borsbeek",
                "vision": VISION,
                "contact_name": "Bas Dhoey",
                "contact_function": "diensthoofd vrije tijd en welzijn",
                "contact_email": "bas.dhoey@borsbeek.be",
                "contact_phone": "03 320 94 09",
                "require_two_factor": False,
            },
        )
        Municipality.objects.update_or_create(
            network=network, name="Borsbeek", defaults={"postal_codes": "2150", "nis_code": "11007"}
        )
        partners = {}
        for name, kind in PARTNERS:
            partners[name], _ = Partner.objects.update_or_create(
                network=network, name=name, defaults={"kind": kind}
            )
        Agreement.objects.update_or_create(
            network=network,
            starts_on=date(2018, 1, 1),
            defaults={
                "title": "Afsprakennota 2018-2019",
                "ends_on": date(2019, 12, 31),
                "drawing_right": Decimal("2432.00"),
                "goals": GOALS,
                "actions": ACTIONS,
                "meetings": MEETINGS,
            },
        )
        organisers = {}
        for slug, name, partner, iban in ORGANISERS:
            organisers[slug], _ = Organiser.objects.update_or_create(
                network=network,
                slug=slug,
                defaults={"name": name, "partner": partners.get(partner), "iban": iban},
            )
        self.seed_accounts(network, partners, organisers)
        return network

    def seed_accounts(self, network, partners, organisers):
        User = get_user_model()
        for username, first, last, role, partner, organiser in ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.vrijuit.be",
                    "is_staff": role == Role.COORDINATOR,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.update_or_create(
                network=network,
                user=user,
                defaults={
                    "role": role,
                    "partner": partners.get(partner),
                    "organiser": organisers.get(organiser),
                    "is_active": True,
                },
            )
