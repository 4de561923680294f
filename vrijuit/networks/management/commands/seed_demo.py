"""The demo network of Borsbeek, built from its 2017 description. Safe to run again."""

import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from vrijuit.catalogue.models import Activity, Organiser
from vrijuit.catalogue.services import activity_create, occurrence_create
from vrijuit.checkins.models import Budget
from vrijuit.core.audit import audit_context
from vrijuit.core.roles import Role
from vrijuit.networks.constants import PartnerKind
from vrijuit.networks.models import Agreement, Membership, Municipality, Network, Partner
from vrijuit.participants.services import participant_register, status_grant
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import format_number, luhn_check_digit
from vrijuit.passes.services import pass_block

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


# title, organiser, category, regular price, fixed reduced price, description
ACTIVITIES = [
    (
        "Vrij zwemmen in zwembad De Dolfijn",
        "zwemclub",
        "sport",
        "4.00",
        None,
        "Zwem zoveel je wilt. Er is altijd een redder. Kinderen onder 8 jaar zwemmen met een "
        "volwassene.",
    ),
    (
        "Lidgeld zwemclub, seizoen",
        "zwemclub",
        "sport",
        "120.00",
        None,
        "Word lid van de zwemclub. Je zwemt elke woensdag met de club en je krijgt les.",
    ),
    (
        "Voorleesuurtje in de bib",
        "bibliotheek",
        "culture",
        "0.00",
        None,
        "Een vrijwilliger leest voor uit prentenboeken. Voor kinderen van 3 tot 8 jaar.",
    ),
    (
        "Daguitstap naar zee",
        "vrijetijdsdienst",
        "holidays",
        "25.00",
        "5.00",
        "We gaan met de bus naar Oostende. Neem een lunchpakket mee. De bus vertrekt aan het "
        "gemeentehuis.",
    ),
]
# first name, last name, birth date, status ("active", "grace", None), pass payload
PEOPLE = [
    ("Amira", "Benali", date(1986, 3, 14), "active", "100000000001"),
    ("Jonas", "Peeters", date(2012, 9, 2), "grace", "100000000002"),
    ("Fatma", "Yilmaz", date(1979, 11, 23), None, "100000000003"),
    ("Marc", "Dubois", date(1958, 6, 30), "blocked", "100000000004"),
]
DEMO_BUDGET = Decimal("2432.00")


class Command(BaseCommand):
    help = "Create or update the demo network 'borsbeek' with a demo account per role."

    def handle(self, *args, **options):
        with audit_context(label="manage.py seed_demo", source="command"), transaction.atomic():
            network = self.seed_network()
        self.stdout.write(self.style.SUCCESS(f"Demo network '{network.slug}' is ready."))
        self.stdout.write("Log in on http://127.0.0.1:8000/account/login/ with one of these:")
        for username, _first, _last, role, _partner, _organiser in ACCOUNTS:
            self.stdout.write(f"  {username:<14} {DEMO_PASSWORD}   ({Role(role).label})")
        self.stdout.write("Demo passes to type on the scanner (http://127.0.0.1:8000/scan/):")
        for first, _last, _birth, state, payload in PEOPLE:
            number = format_number(payload + luhn_check_digit(payload))
            self.stdout.write(f"  {number}   {first} ({state or 'no status'})")

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
                # A demo account at Belfius; the SEPA files of the demo pay from it.
                "payer_name": "Gemeente Borsbeek",
                "payer_iban": "BE10091012345604",
                "payer_bic": "GKCCBEBB",
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
        self.seed_offer(network, organisers)
        self.seed_people(network)
        Budget.objects.get_or_create(
            network=network, year=timezone.localdate().year, defaults={"amount": DEMO_BUDGET}
        )
        return network

    def seed_offer(self, network, organisers):
        """A few activities, with a date open for check-in today (the scanner needs one)."""
        today = timezone.localdate()
        at = lambda day, hour: timezone.make_aware(datetime.combine(day, time(hour)))  # noqa: E731
        for title, organiser, category, price, fixed, description in ACTIVITIES:
            activity = Activity.objects.filter(network=network, title=title).first()
            if activity is None:
                activity = activity_create(
                    organiser=organisers[organiser],
                    published=True,
                    title=title,
                    description=description,
                    category=category,
                    regular_price=Decimal(price),
                    fixed_reduced_price=Decimal(fixed) if fixed else None,
                    postal_code="2150",
                    location_name=organisers[organiser].name,
                )
            if title.startswith("Lidgeld"):
                start, end = at(date(today.year, 1, 1), 0), at(date(today.year, 12, 31), 23)
                dates = [(start, end)]
            elif title.startswith("Daguitstap"):
                dates = [(at(today + timedelta(days=21), 8), at(today + timedelta(days=21), 19))]
            else:
                dates = [
                    (at(today + timedelta(days=7 * w), 8), at(today + timedelta(days=7 * w), 22))
                    for w in range(4)
                ]
            for start, end in dates:
                if not activity.occurrences.filter(start=start).exists():
                    occurrence_create(activity=activity, start=start, end=end)

    def seed_people(self, network):
        """Residents with a pass: active, in the grace period, without status, blocked."""
        today = timezone.localdate()
        for first, last, birth, state, payload in PEOPLE:
            number = payload + luhn_check_digit(payload)
            if Pass.objects.filter(network=network, number=number).exists():
                continue
            person = participant_register(
                network=network,
                first_name=first,
                last_name=last,
                birth_date=birth,
                postal_code="2150",
            )
            Pass.objects.create(
                network=network,
                participant=person,
                number=number,
                access_key=secrets.token_urlsafe(24),
            )
            if state in ("active", "blocked"):
                status_grant(
                    participant=person,
                    basis="increased_allowance",
                    valid_from=today.replace(month=1, day=1),
                    granted_by_label="demo",
                )
            elif state == "grace":
                status_grant(
                    participant=person,
                    basis="social_assessment",
                    valid_from=today - timedelta(days=200),
                    valid_until=today - timedelta(days=10),
                    granted_by_label="demo",
                )
            if state == "blocked":
                pass_block(pass_=person.passes.get(), reason="lost")

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
