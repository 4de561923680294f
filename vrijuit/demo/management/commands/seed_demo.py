"""The demo network of Borsbeek: built from its 2017 description, with a year of history.

The first run writes the network and its last twelve months (``vrijuit.demo.year``); a
later run finds the network and changes nothing.
"""

import time as stopwatch
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from vrijuit.catalogue.services import activity_create, organiser_create
from vrijuit.checkins.models import CheckIn
from vrijuit.checkins.services import budget_set
from vrijuit.core.audit import audit_context
from vrijuit.core.roles import Role, may_use_admin
from vrijuit.demo.year import (
    DEMO_PEOPLE,
    HISTORY_DAYS,
    OFFERS,
    Story,
    at,
    clock,
    demo_number,
    discount_budget,
)
from vrijuit.networks.constants import PartnerKind
from vrijuit.networks.models import Agreement, Membership, Municipality, Network, Partner
from vrijuit.passes.numbers import format_number

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
    ("bibliotheek", "Bibliotheek Borsbeek", "Vrijetijdsdienst", "BE17001543301221"),
    ("kfc", "KFC Borsbeek", None, "BE35063253082937"),
    ("turnkring", "Turnkring Borsbeek", None, "BE33363662403946"),
    ("academie", "Academie voor Beeldende Kunst Borsbeek", None, "BE27734081011173"),
    ("chiro", "Chiro Borsbeek", None, "BE82979121527968"),
    ("cultuurcentrum", "Cultuurcentrum De Kaai", "Vrijetijdsdienst", "BE98068899060893"),
    ("okra", "Okra Borsbeek", None, "BE82735157924068"),
    ("sportdienst", "Sportdienst Borsbeek", "Vrijetijdsdienst", "BE93001613524167"),
    ("natuurpunt", "Natuurpunt Borsbeek", None, "BE54363977756097"),
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
# The Flemish policy periods of local leisure networks: six years from 2020 on. Before, the
# network's first agreement (its 2017 description) ran for 2018 and 2019.
FIRST_AGREEMENT = ("Afsprakennota 2018-2019", date(2018, 1, 1), date(2019, 12, 31), "2432.00", "0")
POLICY_PERIOD_START, POLICY_PERIOD_YEARS = 2020, 6
DRAWING_RIGHT = Decimal("2650.00")  # a year
MUNICIPAL_COFINANCING = Decimal("8000.00")  # a year


class Command(BaseCommand):
    help = (
        "Create the demo network 'borsbeek': a demo account per role, a dozen organisers, "
        "and the last twelve months of residents, check-ins, statements and payments. "
        "Does nothing when the network exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-history",
            action="store_false",
            dest="history",
            help="only the network, its offer for the coming weeks and the four demo passes "
            "(for tests)",
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="where the demo is served, for the printed addresses",
        )

    def handle(self, *args, history=True, base_url="http://127.0.0.1:8000", **options):
        base_url = base_url.rstrip("/")
        network = Network.objects.filter(slug="borsbeek").first()
        if network is not None:
            self.stdout.write(f"Demo network '{network.slug}' exists already: nothing changed.")
            if not network.agreements.filter(
                starts_on__lte=timezone.localdate(), ends_on__gte=timezone.localdate()
            ).exists():
                self.stdout.write(
                    self.style.WARNING(
                        "It was made by an older version or long ago. For a fresh demo, remove "
                        "the database (var/vrijuit.sqlite3) and run this again."
                    )
                )
        else:
            started = stopwatch.monotonic()
            with (
                audit_context(label="manage.py seed_demo", source="command"),
                transaction.atomic(),
            ):
                network, story = self.seed(history)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo network '{network.slug}' is ready: {len(story.people)} residents, "
                    f"{CheckIn.objects.filter(network=network).count()} check-ins over the last "
                    f"twelve months ({stopwatch.monotonic() - started:.0f} s)."
                )
            )
        self.stdout.write(f"Log in on {base_url}/account/login/ with one of these:")
        for username, _first, _last, role, _partner, _organiser in ACCOUNTS:
            self.stdout.write(f"  {username:<14} {DEMO_PASSWORD}   ({Role(role).label})")
        self.stdout.write(
            f"Demo passes to type on the scanner ({base_url}/scan/, log in as organiser; "
            "free swimming every day 10-12, 14-16 and 18-20 h, check-in opens 2 hours before):"
        )
        for first, _last, _birth, state, payload in DEMO_PEOPLE:
            number = format_number(demo_number(payload))
            self.stdout.write(f"  {number}   {first} ({state or 'no status'})")

    def seed(self, history):
        """The network a month before its history starts, then the story up to now."""
        now = timezone.now()
        with clock(at(timezone.localdate(now) - timedelta(days=HISTORY_DAYS + 30), 9)):
            network, users, organisers, activities = self.seed_network(now)
        story = Story(
            network,
            users=users,
            organisers=organisers,
            activities=activities,
            now=now,
            with_history=history,
        )
        story.write()
        if not history:  # only the discount budget of this year
            with clock(at(story.today, 0)):
                budget_set(
                    principal=story.principal("coordinator"),
                    year=story.today.year,
                    amount=discount_budget(MUNICIPAL_COFINANCING + DRAWING_RIGHT),
                )
        return network, story

    def seed_network(self, now):
        network = Network.objects.create(
            slug="borsbeek",
            name="Lokaal netwerk Borsbeek",
            vision=VISION,
            contact_name="Bas Dhoey",
            contact_function="diensthoofd vrije tijd en welzijn",
            contact_email="bas.dhoey@borsbeek.be",
            contact_phone="03 320 94 09",
            desk_address="Vrijetijdsloket, Jozef Reusenslei 79, 2150 Borsbeek",
            desk_opening_hours=(
                "Maandag tot vrijdag van 9 tot 12 uur, woensdag ook van 13 tot 16 uur"
            ),
            require_two_factor=False,
            # A demo account at Belfius; the SEPA files of the demo pay from it.
            payer_name="Gemeente Borsbeek",
            payer_iban="BE10091012345604",
            payer_bic="GKCCBEBB",
        )
        Municipality.objects.create(
            network=network, name="Borsbeek", postal_codes="2150", nis_code="11007"
        )
        partners = {
            name: Partner.objects.create(network=network, name=name, kind=kind)
            for name, kind in PARTNERS
        }
        self.seed_agreements(network, now)
        organisers = {
            slug: organiser_create(
                network=network, name=name, partner=partners.get(partner), iban=iban, slug=slug
            )
            for slug, name, partner, iban in ORGANISERS
        }
        users = self.seed_accounts(network, partners, organisers)
        activities = {
            offer.title: activity_create(
                organiser=organisers[offer.organiser],
                published=True,
                title=offer.title,
                description=offer.description,
                category=offer.category,
                regular_price=Decimal(offer.price),
                fixed_reduced_price=Decimal(offer.fixed) if offer.fixed else None,
                min_age=offer.min_age,
                max_age=offer.max_age,
                location_name=offer.location,
                address=offer.address,
                postal_code="2150",
            )
            for offer in OFFERS
        }
        return network, users, organisers, activities

    def seed_agreements(self, network, now):
        title, starts_on, ends_on, drawing_right, cofinancing = FIRST_AGREEMENT
        periods = [(title, starts_on, ends_on, Decimal(drawing_right), Decimal(cofinancing))]
        year = POLICY_PERIOD_START
        while year <= timezone.localdate(now).year:
            last = year + POLICY_PERIOD_YEARS - 1
            periods.append(
                (
                    f"Afsprakennota {year}-{last}",
                    date(year, 1, 1),
                    date(last, 12, 31),
                    DRAWING_RIGHT,
                    MUNICIPAL_COFINANCING,
                )
            )
            year += POLICY_PERIOD_YEARS
        for title, starts_on, ends_on, drawing_right, cofinancing in periods:
            Agreement.objects.create(
                network=network,
                title=title,
                starts_on=starts_on,
                ends_on=ends_on,
                drawing_right=drawing_right,
                municipal_cofinancing=cofinancing,
                goals=GOALS,
                actions=ACTIONS,
                meetings=MEETINGS,
            )

    def seed_accounts(self, network, partners, organisers):
        User = get_user_model()
        users = {}
        for username, first, last, role, partner, organiser in ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.vrijuit.be",
                    "is_staff": may_use_admin(role),
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
            users[username] = user
        return users
