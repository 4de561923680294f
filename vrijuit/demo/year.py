"""The demo network's year: the offer of a dozen organisers and twelve months of what happened.

Everything is written through the services (registration, status, passes, check-ins, budget,
statements, payments), one event at a time in the order it happened, with the clock set to
the moment of the event: the rules, the ledger, the budget and the audit log agree as they do
in a real network. The story is drawn from a fixed random seed, relative to today: the last
twelve months up to now, and the coming four weeks of the programme.
"""

import contextlib
import heapq
import itertools
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from vrijuit.api.services import api_token_create
from vrijuit.catalogue.services import occurrence_create
from vrijuit.checkins.constants import Channel
from vrijuit.checkins.services import budget_set, checkin_cancel, checkin_create
from vrijuit.core.audit import audit_context
from vrijuit.core.permissions import Principal
from vrijuit.core.roles import Role
from vrijuit.finance.constants import Purpose, SourceKind
from vrijuit.finance.services import allocation_set, expense_book, source_save
from vrijuit.finance.statements import (
    batch_create,
    batch_mark_paid,
    statement_approve,
    statement_review,
    statements_draft,
)
from vrijuit.participants.constants import StatusState
from vrijuit.participants.services import (
    household_join,
    note_add,
    participant_register,
    status_end,
    status_grant,
    status_renew,
    status_suspend,
)
from vrijuit.passes.constants import PassState
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import luhn_check_digit
from vrijuit.passes.services import pass_block, pass_issue, pass_replace

HISTORY_DAYS = 365
# What the year's money is for besides the discount budget, which gets the rest.
ALLOCATIONS = {
    Purpose.TRIPS: Decimal("800.00"),
    Purpose.TRAINING: Decimal("250.00"),
    Purpose.COMMUNICATION: Decimal("100.00"),
}


def discount_budget(income):
    return income - sum(ALLOCATIONS.values())


COMING_DAYS = 28
SEED = 2150  # Borsbeek's postal code: the same story every time for the same day


# --- the calendar --------------------------------------------------------------------------


def easter(year):
    """Easter Sunday (the Gregorian computus of Meeus, Jones and Butcher)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year):
    """The ten Belgian public holidays of ``year``."""
    sunday = easter(year)
    return {
        date(year, 1, 1),
        sunday + timedelta(days=1),  # Easter Monday
        date(year, 5, 1),
        sunday + timedelta(days=39),  # Ascension Day
        sunday + timedelta(days=50),  # Whit Monday
        date(year, 7, 21),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
    }


def is_closed(day):
    """Nothing takes place on a public holiday, Christmas Eve, Boxing Day or New Year's Eve."""
    return day in public_holidays(day.year) or (day.month, day.day) in {
        (12, 24),
        (12, 26),
        (12, 31),
    }


def in_school_year(day):
    """September to June, without the Christmas holidays (clubs and courses for children)."""
    if day.month in (7, 8):
        return False
    return not ((day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 5))


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def nth_weekday(year, month, weekday, n):
    """The n-th ``weekday`` (0 = Monday) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def months(first, last):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@contextlib.contextmanager
def clock(moment):
    """Set the time the services read (``timezone.now``, also behind ``localdate`` and the
    ``auto_now`` fields): what is written carries the moment the event happened, in the rows
    and in the audit log alike. Only for this command, which runs alone."""
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


# --- the offer -----------------------------------------------------------------------------


def daily(*slots):
    def dates(first, last):
        for day in days(first, last):
            if not is_closed(day):
                for (h1, m1), (h2, m2) in slots:
                    yield at(day, h1, m1), at(day, h2, m2)

    return dates


def weekly(weekday, start, end, *, school_year=False, months_=None):
    def dates(first, last):
        for day in days(first, last):
            if day.weekday() != weekday or is_closed(day):
                continue
            if school_year and not in_school_year(day):
                continue
            if months_ and day.month not in months_:
                continue
            yield at(day, *start), at(day, *end)

    return dates


def monthly(weekday, n, start, end, *, skip_months=()):
    def dates(first, last):
        for year, month in months(first, last):
            day = nth_weekday(year, month, weekday, n)
            if first <= day <= last and month not in skip_months and not is_closed(day):
                yield at(day, *start), at(day, *end)

    return dates


def season(first_month, last_month, last_day):
    """A club season from the 1st of ``first_month`` to ``last_day`` of ``last_month`` of the
    next year: the period of a membership fee."""

    def dates(first, last):
        for year in range(first.year - 1, last.year + 1):
            start = date(year, first_month, 1)
            end = date(year + 1, last_month, last_day)
            if start <= last and end >= first:
                yield at(start, 9), at(end, 20)

    return dates


def summer_weekdays(first_day, last_day, start, end):
    """Every weekday between two days of the summer holidays (a holiday playground)."""

    def dates(first, last):
        for year in range(first.year, last.year + 1):
            for day in days(date(year, *first_day), date(year, *last_day)):
                if first <= day <= last and day.weekday() < 5 and not is_closed(day):
                    yield at(day, *start), at(day, *end)

    return dates


def once_a_year(month, weekday, n, start, end, *, days_long=1):
    """One date a year (a day trip: the n-th Saturday of August); ``days_long`` makes it last
    several days (a camp)."""

    def dates(first, last):
        for year in range(first.year, last.year + 1):
            day = nth_weekday(year, month, weekday, n)
            if first <= day <= last and not is_closed(day):
                yield at(day, *start), at(day + timedelta(days=days_long - 1), *end)

    return dates


@dataclass
class Offer:
    title: str
    organiser: str
    category: str
    price: str
    fixed: str | None
    description: str
    schedule: object
    min_age: int | None = None
    max_age: int | None = None
    location: str = ""
    address: str = ""
    # the story: how many discount holders come to one date, and how many people like it
    per_date: float = 0
    audience: float = 0.3
    membership: int = 0  # a season fee: this many members a season instead of per_date
    sold_by: str = "token"  # who checks in: "token" (the door's scanner), "user", "desk"


MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)

OFFERS = [
    Offer(
        "Vrij zwemmen in zwembad De Dolfijn",
        "zwemclub",
        "sport",
        "4.00",
        None,
        "Zwem zoveel je wilt. Er is altijd een redder. Kinderen onder 8 jaar zwemmen met een "
        "volwassene. Elke dag drie beurten van twee uur, behalve op feestdagen.",
        daily(((10, 0), (12, 0)), ((14, 0), (16, 0)), ((18, 0), (20, 0))),
        location="Zwembad De Dolfijn",
        address="Kapelstraat 12",
        per_date=1.2,
        audience=0.35,
    ),
    Offer(
        "Lidgeld zwemclub, seizoen",
        "zwemclub",
        "sport",
        "120.00",
        None,
        "Word lid van de zwemclub voor een heel seizoen, van september tot en met juni. Je "
        "zwemt elke woensdag met de club en je krijgt les.",
        season(9, 6, 30),
        min_age=6,
        max_age=18,
        location="Zwembad De Dolfijn",
        address="Kapelstraat 12",
        membership=22,
        sold_by="user",
    ),
    Offer(
        "Voorleesuurtje in de bib",
        "bibliotheek",
        "culture",
        "0.00",
        None,
        "Een vrijwilliger leest voor uit prentenboeken. Voor kinderen van 3 tot 8 jaar. Gratis, "
        "elke zaterdag van 10.30 tot 11.30 uur.",
        weekly(SATURDAY, (10, 30), (11, 30), school_year=True),
        min_age=3,
        max_age=8,
        location="Bibliotheek Borsbeek",
        address="Jozef Reusenslei 104",
        per_date=4,
        audience=0.6,
    ),
    Offer(
        "Computerles voor beginners",
        "bibliotheek",
        "courses",
        "2.00",
        None,
        "Leer e-mailen, een foto versturen en je bankzaken doen op een computer of tablet. "
        "Elke maandagnamiddag van oktober tot maart.",
        weekly(MONDAY, (14, 0), (16, 0), months_={10, 11, 12, 1, 2, 3}),
        min_age=18,
        location="Bibliotheek Borsbeek",
        address="Jozef Reusenslei 104",
        per_date=3,
        audience=0.15,
    ),
    Offer(
        "Daguitstap naar zee",
        "vrijetijdsdienst",
        "holidays",
        "25.00",
        "5.00",
        "We gaan met de bus naar Oostende. Neem een lunchpakket mee. De bus vertrekt om 8 uur "
        "aan het gemeentehuis en is om 19 uur terug.",
        once_a_year(8, SATURDAY, 2, (8, 0), (19, 0)),
        location="Gemeentehuis Borsbeek",
        address="Jozef Reusenslei 79",
        per_date=34,
        audience=0.4,
        sold_by="desk",
    ),
    Offer(
        "Speelpleinwerking De Schelp",
        "vrijetijdsdienst",
        "youth",
        "5.00",
        None,
        "Elke weekdag in juli spelen op het speelplein, van 9 tot 16 uur. Breng een "
        "lunchpakket mee; een vieruurtje krijg je van ons.",
        summer_weekdays((7, 1), (7, 31), (9, 0), (16, 0)),
        min_age=4,
        max_age=12,
        location="Speelplein De Schelp",
        address="Frans Beirenslei 2",
        per_date=14,
        audience=0.7,
        sold_by="desk",
    ),
    Offer(
        "Samen koken en eten",
        "schakeltje",
        "other",
        "4.00",
        "1.00",
        "We koken samen een gezonde maaltijd en eten samen. Iedereen is welkom, ook als je "
        "niet goed kunt koken.",
        weekly(THURSDAY, (17, 30), (20, 0)),
        min_age=16,
        location="Welzijnsschakel 't Schakeltje",
        address="Sint-Fredegandusstraat 21",
        per_date=5,
        audience=0.2,
    ),
    Offer(
        "Lidgeld voetbal jeugd, seizoen",
        "kfc",
        "sport",
        "180.00",
        None,
        "Voetballen bij de jeugd van KFC Borsbeek, van augustus tot en met mei: twee trainingen "
        "per week en een wedstrijd in het weekend. Sportkledij inbegrepen.",
        season(8, 5, 31),
        min_age=6,
        max_age=16,
        location="Sportpark Borsbeek",
        address="Herentalsebaan 250",
        membership=16,
        sold_by="user",
    ),
    Offer(
        "Kleuterturnen",
        "turnkring",
        "sport",
        "3.00",
        None,
        "Rollen, springen en klimmen voor kleuters van 3 tot 6 jaar. Elke zaterdagochtend in "
        "het schooljaar.",
        weekly(SATURDAY, (9, 0), (10, 0), school_year=True),
        min_age=3,
        max_age=6,
        location="Sporthal Borsbeek",
        address="Herentalsebaan 250",
        per_date=4,
        audience=0.6,
    ),
    Offer(
        "Tekenatelier voor kinderen",
        "academie",
        "courses",
        "6.00",
        None,
        "Tekenen, schilderen en kleien met een kunstenaar. Voor kinderen van 6 tot 12 jaar, "
        "elke woensdagnamiddag in het schooljaar. Materiaal inbegrepen.",
        weekly(WEDNESDAY, (13, 30), (15, 30), school_year=True),
        min_age=6,
        max_age=12,
        location="Academie Borsbeek",
        address="De Robianostraat 8",
        per_date=3,
        audience=0.4,
    ),
    Offer(
        "Chirokamp",
        "chiro",
        "youth",
        "160.00",
        None,
        "Een week op kamp in de Ardennen met de Chiro: spelen, tochten en kampvuur. Vervoer, "
        "eten en slapen inbegrepen.",
        once_a_year(7, MONDAY, 2, (10, 0), (16, 0), days_long=8),
        min_age=7,
        max_age=16,
        location="Chiro Borsbeek",
        address="Gallifortlei 40",
        per_date=9,
        audience=0.35,
        sold_by="user",
    ),
    Offer(
        "Toneel in cultuurcentrum De Kaai",
        "cultuurcentrum",
        "culture",
        "14.00",
        None,
        "Een avond toneel, elke derde vrijdag van september tot mei. Het programma staat op de "
        "website van het cultuurcentrum.",
        monthly(FRIDAY, 3, (20, 0), (22, 0), skip_months=(6, 7, 8)),
        min_age=12,
        location="Cultuurcentrum De Kaai",
        address="Lange Kroonstraat 1",
        per_date=6,
        audience=0.2,
    ),
    Offer(
        "Seniorennamiddag",
        "okra",
        "other",
        "6.00",
        None,
        "Elke tweede donderdag van de maand: een voordracht of muziek, met koffie en taart.",
        monthly(THURSDAY, 2, (14, 0), (17, 0)),
        min_age=60,
        location="Parochiezaal Sint-Fredegandus",
        address="Sint-Fredegandusstraat 3",
        per_date=9,
        audience=0.6,
    ),
    Offer(
        "Seniorensport",
        "sportdienst",
        "sport",
        "2.50",
        None,
        "Rustig bewegen op muziek, op je eigen tempo. Elke dinsdagochtend.",
        weekly(TUESDAY, (10, 0), (11, 0)),
        min_age=55,
        location="Sporthal Borsbeek",
        address="Herentalsebaan 250",
        per_date=5,
        audience=0.4,
    ),
    Offer(
        "Natuurwandeling in het Boshuisje",
        "natuurpunt",
        "nature",
        "2.00",
        None,
        "Elke eerste zondag van de maand wandelen we twee uur met een gids door het "
        "natuurgebied. Stevige schoenen aan.",
        monthly(SUNDAY, 1, (10, 0), (12, 0)),
        location="Parking Boshuisje",
        address="Dahliastraat 60",
        per_date=5,
        audience=0.15,
    ),
]


# --- the people ----------------------------------------------------------------------------

FIRST_NAMES = [
    "Emma", "Noah", "Olivia", "Liam", "Louise", "Arthur", "Mila", "Jules", "Nora", "Louis",
    "Ella", "Adam", "Lina", "Victor", "Sara", "Mohamed", "Yasmine", "Youssef", "Aya", "Ilias",
    "Fatima", "Ayoub", "Hanna", "Omar", "Zeynep", "Emir", "Elif", "Mehmet", "Anna", "Jan",
    "Marie", "Pieter", "Sofie", "Tom", "Els", "Kevin", "Nathalie", "Dirk", "Ingrid", "Luc",
    "Rita", "Marc", "Linda", "Patrick", "Christiane", "Eddy", "Godelieve", "Jozef", "Maria",
    "Oksana", "Dmytro", "Aleksandra", "Piotr", "Ana", "Ionut", "Grace", "Samuel", "Amina",
    "Ibrahim", "Mariam", "Daniel", "Lotte", "Wout", "Femke", "Bram", "Jana", "Seppe", "Lore",
]  # fmt: skip
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Van den Broeck", "Vermeulen", "Aerts", "Hermans", "Van Dyck",
    "Benali", "El Amrani", "Bouzid", "Yilmaz", "Kaya", "Demir", "Nowak", "Kowalski",
    "Popescu", "Shevchenko", "Mbuyi", "Kabongo", "Diallo", "Haddad", "Van Loon", "Verhoeven",
    "De Bruyn", "Smets", "Wuyts", "Van Hoof", "Cools", "Michiels", "Lenaerts", "Verbruggen",
]  # fmt: skip
STREETS = [
    "Kapelstraat", "Jozef Reusenslei", "Frans Beirenslei", "Sint-Fredegandusstraat",
    "Dahliastraat", "Gallifortlei", "Herentalsebaan", "De Robianostraat", "Lange Kroonstraat",
    "Jan Ockegemlaan", "Floraliënlaan", "Boomgaardlaan", "Kerkhoflei", "Ter Varentstraat",
]  # fmt: skip
BASES = [
    ("increased_allowance", 70),
    ("social_integration", 11),
    ("debt_mediation", 8),
    ("income", 5),
    ("social_assessment", 6),
]
NOTES = [
    "Vraagt naar zwemlessen voor de kinderen. Doorverwezen naar de zwemclub.",
    "Heeft hulp nodig bij het invullen van formulieren. Komt liever naar het loket dan te bellen.",
    "Wil graag mee op daguitstap; vraagt of er plaats is voor een rolstoel.",
    "Spreekt beter Frans dan Nederlands. Brief in het Frans meegeven.",
    "Kinderen willen bij de Chiro. Informatie over het kamp meegegeven.",
    "Schuldbemiddeling loopt via het OCMW. Status opnieuw bekijken bij het einde.",
]
SUSPENSIONS = "Onderzoek naar het inkomen loopt; de sociaal werker neemt contact op."
ENDINGS = ["Verhuisd naar Antwerpen.", "Heeft opnieuw werk; inkomen boven de grens."]


@dataclass
class Person:
    first: str
    last: str
    birth: date
    street: str
    basis: str | None
    registered: datetime
    renews: bool = True
    household: list = field(default_factory=list)  # the others, registered with this one
    participant: object = None
    statuses: list = field(default_factory=list)
    number: str | None = None
    memberships: set = field(default_factory=set)  # (activity title, season start)

    def age_on(self, day):
        return (
            day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))
        )

    def may_check_in(self, day, grace_days):
        """What the rules will say, to ask only people who may come (the service decides)."""
        if self.number is None:
            return False
        return any(
            s.state_on(day, grace_days) in (StatusState.ACTIVE, StatusState.GRACE)
            for s in self.statuses
        )


class Story:
    """Writes the year: ``run()`` plays the events in time order up to now."""

    def __init__(self, network, *, users, organisers, activities, now=None, with_history=True):
        self.network = network
        self.users = users
        self.organisers = organisers
        self.activities = activities
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.first_day = self.today - timedelta(days=HISTORY_DAYS) if with_history else self.today
        self.last_day = self.today + timedelta(days=COMING_DAYS)
        self.with_history = with_history
        self.random = random.Random(SEED)
        self.events = []
        self._order = itertools.count()
        self.people = []
        self.tokens = {}
        self.checkins = 0
        self.refusals = 0

    # -- the clock and the actors --------------------------------------------------------

    def acting(self, username, moment, source="web"):
        user = self.users[username]
        stack = contextlib.ExitStack()
        stack.enter_context(clock(moment))
        stack.enter_context(audit_context(user=user, label=username, source=source))
        return stack

    def principal(self, username):
        cache = self.__dict__.setdefault("_principals", {})
        if username in cache:
            return cache[username]
        membership = self.users[username].memberships.get(network=self.network)
        cache[username] = Principal(
            network=self.network,
            role=membership.role,
            organiser_id=membership.organiser_id,
            partner_id=membership.partner_id,
            user=self.users[username],
        )
        return cache[username]

    def at(self, moment, action, *args):
        if moment <= self.now:
            heapq.heappush(self.events, (moment, next(self._order), action, args))

    def run(self):
        while self.events:
            moment, _order, action, args = heapq.heappop(self.events)
            action(moment, *args)

    # -- the programme ---------------------------------------------------------------------

    def programme(self):
        """Every date of the offer from the first day of the story to four weeks ahead,
        entered by the coordinator a week before the story starts."""
        entered = at(self.first_day - timedelta(days=7), 9)
        dates = {}
        with self.acting("coordinator", min(entered, self.now)):
            for offer in OFFERS:
                activity = self.activities[offer.title]
                dates[offer.title] = [
                    occurrence_create(activity=activity, start=start, end=end)
                    for start, end in offer.schedule(self.first_day, self.last_day)
                ]
        return dates

    # -- the year --------------------------------------------------------------------------

    def write(self):
        dates = self.programme()
        DemoPeople(self).plan()
        if not self.with_history:
            self.run()
            return
        start = at(self.first_day - timedelta(days=3), 9)
        self.at(start, self.money_of_year, self.first_day.year)
        if self.today.year != self.first_day.year:
            self.at(at(date(self.today.year - 1, 12, 15), 11), self.money_of_year, self.today.year)
        self.at(start + timedelta(hours=1), self.scanners)
        self.cast()
        for offer in OFFERS:
            for occurrence in dates[offer.title]:
                if offer.membership:
                    self.sell_memberships(offer, occurrence)
                elif occurrence.start < self.now:
                    moment = occurrence.start - timedelta(minutes=self.random.randint(0, 15))
                    self.at(moment, self.door, offer, occurrence)
        self.expenses()
        self.statements()
        self.run()

    def money_of_year(self, moment, year):
        """The council's budget: the drawing right and the municipality's share, and what
        they are for; the discount budget is what check-ins draw from."""
        agreement = self.network.agreements.filter(
            starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1)
        ).first()
        principal = self.principal("coordinator")
        with self.acting("coordinator", moment):
            source_save(
                principal=principal,
                year=year,
                kind=SourceKind.DRAWING_RIGHT,
                amount=agreement.drawing_right,
                label=agreement.title,
            )
            source_save(
                principal=principal,
                year=year,
                kind=SourceKind.MUNICIPAL,
                amount=agreement.municipal_cofinancing,
                label="Gemeenteraad, budget vrije tijd",
            )
            income = agreement.drawing_right + agreement.municipal_cofinancing
            for purpose, amount in ALLOCATIONS.items():
                allocation_set(principal=principal, year=year, purpose=purpose, amount=amount)
            budget_set(principal=principal, year=year, amount=discount_budget(income))

    def scanners(self, moment):
        """Each organiser's door has a scanner (an API token); the coordinator made them."""
        for slug, organiser in self.organisers.items():
            with self.acting("coordinator", moment):
                token, _raw = api_token_create(
                    network=self.network,
                    role=Role.ORGANISER,
                    name=f"Scanner {organiser.name}"[:100],
                    organiser=organiser,
                    created_by=self.users["coordinator"],
                )
            self.tokens[slug] = token

    # -- the people ------------------------------------------------------------------------

    def cast(self):
        """About three hundred residents in households; most were registered before the
        story starts, the others arrive during the year."""
        rnd = self.random
        bases = [b for b, _weight in BASES]
        weights = [w for _b, w in BASES]
        total = 0
        while total < 300:
            kind = rnd.random()
            last = rnd.choice(LAST_NAMES)
            street = f"{rnd.choice(STREETS)} {rnd.randint(1, 180)}"
            if kind < 0.2:  # a single older person
                ages = [rnd.randint(62, 88)]
            elif kind < 0.35:  # a single adult
                ages = [rnd.randint(22, 60)]
            else:  # a family: one or two parents, one to four children
                parent = rnd.randint(26, 50)
                ages = [parent] + ([parent + rnd.randint(-4, 4)] if rnd.random() < 0.55 else [])
                ages += [rnd.randint(0, min(17, parent - 18)) for _ in range(rnd.randint(1, 4))]
            if rnd.random() < 0.7:
                registered = self.first_day - timedelta(days=rnd.randint(15, 400))
            else:
                registered = self.first_day + timedelta(days=rnd.randint(0, HISTORY_DAYS - 1))
            while is_closed(registered) or registered.weekday() >= 5:
                registered += timedelta(days=1)
            moment = at(registered, rnd.choice([9, 10, 11, 13, 14, 15]), rnd.choice([0, 20, 40]))
            basis = rnd.choices(bases, weights)[0] if rnd.random() > 0.04 else None
            household = [
                Person(
                    first=rnd.choice(FIRST_NAMES),
                    last=last,
                    # born before the day the household came to the desk
                    birth=registered.replace(year=registered.year - age, day=1)
                    - timedelta(days=rnd.randint(0, 360)),
                    street=street,
                    basis=basis,
                    registered=moment,
                    renews=rnd.random() > 0.08,
                )
                for age in ages
            ]
            head = household[0]
            head.household = household[1:]
            self.people += household
            total += len(household)
            self.at(moment, self.register, head)

    def register(self, moment, head):
        """The desk registers the household; the social worker grants the status; each gets
        a pass."""
        network = self.network
        with self.acting("desk", moment):
            for person in [head, *head.household]:
                person.participant = participant_register(
                    network=network,
                    first_name=person.first,
                    last_name=person.last,
                    birth_date=person.birth,
                    postal_code="2150",
                    street=person.street,
                    phone=f"04{self.random.randint(70, 99)} {self.random.randint(10, 99)} "
                    f"{self.random.randint(10, 99)} {self.random.randint(10, 99)}",
                    language="fr" if self.random.random() < 0.08 else "nl",
                )
                if person is not head:
                    household_join(participant=person.participant, other=head.participant)
        if head.basis is None:
            return
        grant = moment + timedelta(minutes=10)
        with self.acting("socialworker", grant):
            valid_until = None
            if head.basis == "social_assessment":
                valid_until = grant.date() + timedelta(days=182)
            statuses = status_grant(
                participant=head.participant,
                basis=head.basis,
                valid_from=timezone.localdate(grant),
                valid_until=valid_until,
                granted_by=self.users["socialworker"],
                include_household=True,
            )
        by_participant = {status.participant_id: status for status in statuses}
        family = [head, *head.household]
        with self.acting("desk", grant + timedelta(minutes=5)):
            for person in family:
                person.statuses.append(by_participant[person.participant.pk])
                new_pass = pass_issue(participant=person.participant, issued_by=self.users["desk"])
                person.number = new_pass.number
        for person in family:
            self.plan_status(person, by_participant[person.participant.pk])
            self.plan_pass(person, grant)
        if self.random.random() < 0.12:
            text = self.random.choice(NOTES)
            self.at(grant + timedelta(days=self.random.randint(10, 200)), self.note, head, text)

    def plan_status(self, person, status):
        """Renew near the end (most people), sometimes a suspension or an early end."""
        rnd = self.random
        if status.ended_on is None and rnd.random() < 0.015:
            day = status.valid_from + timedelta(days=rnd.randint(20, 150))
            if day < status.valid_until:
                self.at(at(day, 10), self.end, person, status)
                return
        if rnd.random() < 0.02:
            day = status.valid_from + timedelta(days=rnd.randint(10, 120))
            if day < status.valid_until:
                self.at(at(day, 11), self.suspend, person, status)
        if person.renews:
            renew_on = status.valid_until - timedelta(days=rnd.randint(-12, 25))
            renew_on = max(renew_on, status.valid_from + timedelta(days=1))
            while is_closed(renew_on) or renew_on.weekday() >= 5:
                renew_on += timedelta(days=1)
            self.at(at(renew_on, rnd.choice([9, 10, 14, 15]), 30), self.renew, person, status)

    def plan_pass(self, person, issued):
        if self.random.random() < 0.03:
            day = issued + timedelta(days=self.random.randint(20, 300))
            self.at(day.replace(hour=10), self.replace_pass, person)

    def renew(self, moment, person, status):
        if not person.renews or status.ended_on is not None:
            return
        with self.acting("socialworker", moment):
            new = status_renew(
                status=status, granted_by=self.users["socialworker"], today=moment.date()
            )
        person.statuses.append(new)
        self.plan_status(person, new)

    def suspend(self, moment, person, status):
        with self.acting("socialworker", moment):
            status_suspend(
                status=status,
                suspended_from=moment.date(),
                suspended_until=moment.date() + timedelta(days=self.random.randint(30, 60)),
                reason=SUSPENSIONS,
            )

    def end(self, moment, person, status):
        with self.acting("socialworker", moment):
            status_end(status=status, ended_on=moment.date(), reason=self.random.choice(ENDINGS))
        person.renews = False
        if person.number and self.random.random() < 0.5:
            with self.acting("desk", moment + timedelta(minutes=5)):
                pass_block(
                    pass_=person.participant.passes.get(number=person.number), reason="other"
                )
            person.number = None

    def replace_pass(self, moment, person):
        """Lost or stolen: the desk blocks the card and prints a new one."""
        if person.number is None:
            return
        old = person.participant.passes.get(number=person.number)
        if old.state != PassState.ACTIVE:
            return
        reason = self.random.choice(["lost", "lost", "stolen"])
        with self.acting("desk", moment):
            new = pass_replace(pass_=old, reason=reason, issued_by=self.users["desk"])
        person.number = new.number

    def note(self, moment, person, text):
        author = self.random.choice(["desk", "socialworker"])
        with self.acting(author, moment):
            note_add(participant=person.participant, text=text, author=self.users[author])

    # -- the doors -------------------------------------------------------------------------

    def audience(self, offer):
        """The people who like this activity (chosen once), the age the activity asks for."""
        cache = self.__dict__.setdefault("_audiences", {})
        if offer.title not in cache:
            rnd = random.Random(f"{SEED}-{offer.title}")
            cache[offer.title] = [p for p in self.people if rnd.random() < (offer.audience or 0.3)]
        return cache[offer.title]

    def fits(self, offer, person, day):
        age = person.age_on(day)
        if offer.min_age is not None and age < offer.min_age:
            return False
        if offer.max_age is not None and age > offer.max_age:
            return False
        return person.may_check_in(day, self.network.grace_days)

    def actor(self, offer):
        """Who checks in at this door: the scanner's token, the club's account or the desk."""
        if offer.sold_by == "desk":
            return "desk", self.principal("desk"), Channel.DESK
        if offer.sold_by == "user" and offer.organiser == "zwemclub":
            return "organiser", self.principal("organiser"), Channel.API
        token = self.tokens[offer.organiser]
        principal = Principal(
            network=self.network,
            role=Role.ORGANISER,
            organiser_id=token.organiser_id,
            token=token,
        )
        return None, principal, Channel.API

    def door(self, moment, offer, occurrence):
        """The people who came to one date, checked in one after the other."""
        day = timezone.localdate(occurrence.start)
        come = [p for p in self.audience(offer) if self.fits(offer, p, day)]
        wanted = self.random.gauss(offer.per_date, max(1.0, offer.per_date / 5))
        count = max(0, min(len(come), round(wanted)))
        for index, person in enumerate(self.random.sample(come, count)):
            scanned = moment + timedelta(seconds=50 * index)
            if scanned <= self.now:
                self.scan(scanned, offer, occurrence, person)

    def sell_memberships(self, offer, occurrence):
        """Members join in the first weeks of the season, a few later."""
        start = occurrence.start
        for _ in range(offer.membership):
            delay = self.random.choice([1, 2, 3, 5, 8, 10, 14, 20, 30, 45, 60, 90])
            day = timezone.localdate(start) + timedelta(days=delay + self.random.randint(0, 6))
            if is_closed(day) or day.weekday() == SUNDAY:
                day += timedelta(days=1)
            moment = at(day, self.random.choice([17, 18, 19]), self.random.choice([0, 15, 30]))
            if at(self.first_day, 0) <= moment < occurrence.end:
                self.at(moment, self.join, offer, occurrence)

    def join(self, moment, offer, occurrence):
        season_start = occurrence.start
        day = timezone.localdate(moment)
        come = [
            p
            for p in self.audience(offer)
            if (offer.title, season_start) not in p.memberships and self.fits(offer, p, day)
        ]
        if come:
            person = self.random.choice(come)
            if self.scan(moment, offer, occurrence, person):
                person.memberships.add((offer.title, season_start))

    def scan(self, moment, offer, occurrence, person):
        username, principal, channel = self.actor(offer)
        context = (
            self.acting(username, moment)
            if username
            else self.acting_token(principal.token, moment)
        )
        with context:
            outcome = checkin_create(
                principal=principal,
                pass_number=person.number,
                occurrence_id=occurrence.pk,
                channel=channel,
                now=moment,
            )
            if outcome.checkin is None:
                self.refusals += 1
                return False
            self.checkins += 1
            if self.random.random() < 0.006:  # the wrong person was scanned: undone at once
                checkin_cancel(
                    principal=principal,
                    checkin_id=outcome.checkin.pk,
                    reason="Verkeerde pas gescand.",
                    now=moment + timedelta(minutes=2),
                )
                self.checkins -= 1
                return False
        return True

    def acting_token(self, token, moment):
        stack = contextlib.ExitStack()
        stack.enter_context(clock(moment))
        stack.enter_context(audit_context(label=f"token:{token.name}", source="api"))
        return stack

    # -- the money -------------------------------------------------------------------------

    def expenses(self):
        """What else the budget paid for: the bus to the sea, a training, flyers."""
        for offer in OFFERS:
            if offer.title.startswith("Daguitstap"):
                for start, _end in offer.schedule(self.first_day, self.today):
                    bus = "Bus naar Oostende (Autocars Verhaegen)"
                    moment = start + timedelta(days=3, hours=2)
                    self.at(moment, self.expense, Purpose.TRIPS, Decimal("640.00"), bus)
        training = nth_weekday(self.first_day.year, self.first_day.month, TUESDAY, 2)
        for day, purpose, amount, text in [
            (
                training + timedelta(days=60),
                Purpose.TRAINING,
                Decimal("250.00"),
                "Vorming begrijpbaar communiceren voor de partners",
            ),
            (
                training + timedelta(days=150),
                Purpose.COMMUNICATION,
                Decimal("96.50"),
                "Folders over de kansenpas drukken (500 stuks)",
            ),
        ]:
            self.at(at(day, 14), self.expense, purpose, amount, text)

    def expense(self, moment, purpose, amount, text):
        with self.acting("finance", moment):
            expense_book(
                principal=self.principal("finance"),
                purpose=purpose,
                amount=amount,
                description=text,
                day=moment.date(),
            )

    def statements(self):
        """Each closed month: drafted and reviewed by the coordinator, approved by the
        finance officer, paid in one SEPA batch. The last closed month waits for approval."""
        month_start = self.today.replace(day=1)
        closed = [(y, m) for y, m in months(self.first_day, month_start - timedelta(days=1))]
        for index, (year, month) in enumerate(closed):
            first = date(year, month, 1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            after = last + timedelta(days=1)
            drafted = at(after + timedelta(days=2), 9)
            if index == len(closed) - 1:
                drafted = max(min(drafted, self.now - timedelta(minutes=30)), at(after, 0, 5))
                self.at(drafted, self.draft, first, last, False)
            else:
                self.at(drafted, self.draft, first, last, True)

    def draft(self, moment, first, last, pay):
        with self.acting("coordinator", moment):
            drafted = statements_draft(
                principal=self.principal("coordinator"), period_start=first, period_end=last
            )
        reviewed = moment + timedelta(hours=2)
        with self.acting("coordinator", min(reviewed, self.now)):
            for statement in drafted:
                if statement.checkin_count:
                    statement_review(principal=self.principal("coordinator"), statement=statement)
        if pay:
            self.at(moment + timedelta(days=3, hours=2), self.approve_and_pay, drafted)

    def approve_and_pay(self, moment, drafted):
        finance = self.principal("finance")
        statements = [s for s in drafted if s.checkin_count]
        if not statements:
            return
        with self.acting("finance", moment):
            approved = [statement_approve(principal=finance, statement=s) for s in statements]
        with self.acting("finance", moment + timedelta(hours=1)):
            batch = batch_create(
                principal=finance,
                statements=approved,
                execution_date=(moment + timedelta(days=2)).date(),
            )
        self.at(moment + timedelta(days=2, hours=4), self.paid, batch)

    def paid(self, moment, batch):
        with self.acting("finance", moment):
            batch_mark_paid(principal=self.principal("finance"), batch=batch)


# --- the four residents whose pass numbers the demo prints -----------------------------

# first name, last name, birth date, state, pass number without its check digit
DEMO_PEOPLE = [
    ("Amira", "Benali", date(1986, 3, 14), "active", "100000000001"),
    ("Jonas", "Peeters", date(2012, 9, 2), "grace", "100000000002"),
    ("Fatma", "Yilmaz", date(1979, 11, 23), None, "100000000003"),
    ("Marc", "Dubois", date(1958, 6, 30), "blocked", "100000000004"),
]


def demo_number(payload):
    return payload + luhn_check_digit(payload)


class DemoPeople:
    """Amira has the reduced tariff, Jonas's ran out ten days ago (grace period), Fatma has
    none, Marc lost his pass. Their numbers are fixed: the README and the tests use them."""

    def __init__(self, story):
        self.story = story

    def plan(self):
        story = self.story
        today = story.today
        for first, last, birth, state, payload in DEMO_PEOPLE:
            registered = {"active": 300, "grace": 200, None: 60, "blocked": 250}[state]
            person = Person(
                first=first,
                last=last,
                birth=birth,
                street="Kapelstraat 7",
                basis=None,
                registered=at(today - timedelta(days=registered), 10),
            )
            person.state, person.payload = state, payload
            if story.with_history and state in ("active", "grace"):
                story.people.append(person)
            story.at(person.registered, self.register, person)

    def register(self, moment, person):
        story = self.story
        with story.acting("desk", moment):
            person.participant = participant_register(
                network=story.network,
                first_name=person.first,
                last_name=person.last,
                birth_date=person.birth,
                postal_code="2150",
                street=person.street,
            )
            number = demo_number(person.payload)
            Pass.objects.create(
                network=story.network,
                participant=person.participant,
                number=number,
                issued_by=story.users["desk"],
                access_key=secrets.token_urlsafe(24),
            )
        person.number = number
        if person.state is None:
            return
        day = moment.date()
        with story.acting("socialworker", moment + timedelta(minutes=10)):
            if person.state == "grace":
                status = status_grant(
                    participant=person.participant,
                    basis="social_assessment",
                    valid_from=day,
                    valid_until=story.today - timedelta(days=10),
                    granted_by=story.users["socialworker"],
                )[0]
            else:
                status = status_grant(
                    participant=person.participant,
                    basis="increased_allowance",
                    valid_from=day,
                    granted_by=story.users["socialworker"],
                )[0]
        person.statuses.append(status)
        if person.state != "grace":
            self.renew_in_time(person, status)
        if person.state == "blocked":
            story.at(min(at(story.today - timedelta(days=12), 11), story.now), self.lose, person)

    def renew_in_time(self, person, status):
        self.story.at(at(status.valid_until - timedelta(days=10), 10), self.renew, person, status)

    def renew(self, moment, person, status):
        with self.story.acting("socialworker", moment):
            new = status_renew(status=status, granted_by=self.story.users["socialworker"])
        person.statuses.append(new)
        self.renew_in_time(person, new)

    def lose(self, moment, person):
        with self.story.acting("desk", moment):
            pass_block(pass_=person.participant.passes.get(), reason="lost")
        person.number = None
