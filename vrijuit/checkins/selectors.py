"""Reading check-ins, always within the principal's reach (organisers: their own)."""

import hashlib
import hmac
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from vrijuit.catalogue.models import Occurrence
from vrijuit.catalogue.pricing import activity_price
from vrijuit.core.money import quantize
from vrijuit.networks.constants import BudgetMode
from vrijuit.participants.constants import StatusState
from vrijuit.participants.models import Status
from vrijuit.passes.constants import PassState
from vrijuit.passes.models import Pass

from .constants import CheckInState, OfflineState
from .models import Budget, CheckIn
from .services import check_in_window, is_open


def _scoped(principal):
    checkins = CheckIn.objects.for_principal(principal)
    # The statement's state: a check-in in an approved statement can no longer be cancelled.
    return checkins.select_related("activity", "participant", "statement").only(
        *[f.attname for f in CheckIn._meta.concrete_fields],
        "activity__title",
        "participant__first_name",
        "statement__state",
    )


def checkin_get(principal, pk):
    return _scoped(principal).filter(pk=pk).first()


def _day_bounds(day):
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def checkins_for(principal, *, occurrence_id=None, day=None, limit=500):
    """The check-ins of one date, or those scanned on one day, newest first."""
    checkins = _scoped(principal)
    if occurrence_id is not None:
        checkins = checkins.filter(occurrence_id=occurrence_id)
    if day is not None:
        start, end = _day_bounds(day)
        checkins = checkins.filter(scanned_at__gte=start, scanned_at__lt=end)
    return list(checkins.order_by("-scanned_at")[:limit])


def checkin_dates(principal, day, *, now=None):
    """The dates that start on ``day`` (for organisers: their own), with what a scanner shows."""
    now = now or timezone.now()
    start, end = _day_bounds(day)
    occurrences = (
        Occurrence.objects.filter(network=principal.network, start__gte=start, start__lt=end)
        .select_related("activity__organiser")
        .annotate(checked_in=Count("checkins", filter=Q(checkins__state=CheckInState.ACCEPTED)))
        .order_by("start", "activity__title")
    )
    occurrences = occurrences.for_organiser(principal)
    rows = []
    for occurrence in occurrences[:200]:
        activity = occurrence.activity
        price = activity_price(activity, principal.network)
        rows.append(
            {
                "id": occurrence.pk,
                "activity": activity.title,
                "organiser": activity.organiser.name,
                "start": occurrence.start,
                "end": occurrence.end,
                "cancelled": occurrence.cancelled_at is not None,
                "open_for_checkin": is_open(occurrence, now),
                "regular_price": price.regular,
                "reduced_price": price.paid,
                "checked_in": occurrence.checked_in,
            }
        )
    return rows


def budget_for(network, year):
    return Budget.objects.filter(network=network, year=year).first()


def open_occurrences(principal, now=None, limit=200):
    """Dates open for check-in now (for organisers: their own), for the desk's form."""
    now = now or timezone.now()
    today_start, _ = _day_bounds(timezone.localdate(now))
    occurrences = (
        Occurrence.objects.filter(
            network=principal.network,
            cancelled_at__isnull=True,
            start__lte=now + timedelta(hours=2),
        )
        .filter(Q(end__gt=now) | Q(end__isnull=True, start__gte=today_start))
        .select_related("activity__organiser")
        .order_by("start")
    )
    occurrences = occurrences.for_organiser(principal)
    return [o for o in occurrences[:limit] if is_open(o, now)]


def checkins_page(principal, *, day=None, organiser_id=None, limit=500):
    """Check-ins scanned on ``day`` with what the overview shows, newest first."""
    checkins = (
        _scoped(principal)
        .select_related("organiser")
        .only(
            *[f.attname for f in CheckIn._meta.concrete_fields],
            "activity__title",
            "participant__first_name",
            "organiser__name",
            "statement__state",
        )
    )
    if organiser_id is not None:
        checkins = checkins.filter(organiser_id=organiser_id)
    if day is not None:
        start, end = _day_bounds(day)
        checkins = checkins.filter(scanned_at__gte=start, scanned_at__lt=end)
    return list(checkins.order_by("-scanned_at")[:limit])


def owed_per_organiser(network, year, organiser_id=None):
    """Per organiser: accepted check-ins of ``year`` and the reimbursement owed for them."""
    rows = CheckIn.objects.filter(network=network, year=year, state=CheckInState.ACCEPTED)
    if organiser_id is not None:
        rows = rows.filter(organiser_id=organiser_id)
    return list(
        rows.values("organiser_id", "organiser__name")
        .annotate(
            count=Count("id"),
            reimbursement=Sum("reimbursement"),
            discount=Sum("discount"),
            paid=Sum("paid"),
        )
        .order_by("organiser__name")
    )


def participations(participant, limit=50):
    """A person's check-ins, newest first (for the desk's person page)."""
    return list(
        CheckIn.objects.filter(participant=participant)
        .select_related("activity", "organiser")
        .order_by("-scanned_at")[:limit]
    )


def budgets(network):
    """Every year's budget with its check-ins over budget."""
    over = dict(
        CheckIn.objects.filter(network=network, over_budget=True, state=CheckInState.ACCEPTED)
        .values_list("year")
        .annotate(n=Count("id"))
    )
    rows = list(Budget.objects.filter(network=network).order_by("-year"))
    for budget in rows:
        budget.over_budget_count = over.get(budget.year, 0)
    return rows


# --- what a scanner keeps for use without a connection (docs/privacy.md, "Scanner offline") ---

OFFLINE_DAYS = 2  # today and tomorrow
OFFLINE_STALE_AFTER = timedelta(hours=4)
OFFLINE_REFRESH = timedelta(minutes=10)
OFFLINE_MAX_DATES = 300
# A pass number is known on the phone only as the first 8 hexadecimal characters (32 bits) of
# HMAC-SHA256(key, number). About 9 x 10^11 numbers can be issued, so each short hash fits some
# 200 numbers: the list cannot be turned back into card numbers, not even by trying them all.
OFFLINE_HASH_CHARS = 8


def offline_key(network):
    """The network's key for the hashes of pass numbers: the same for every download and
    device (a new key per download would let someone who keeps two downloads narrow the ~200
    numbers of a hash down to one), derived from the site's secret key."""
    return salted_hmac(
        "vrijuit.checkins.offline-scan", str(network.pk), algorithm="sha256"
    ).hexdigest()


def offline_hash(key, number):
    digest = hmac.new(bytes.fromhex(key), number.encode("ascii"), hashlib.sha256).hexdigest()
    return digest[:OFFLINE_HASH_CHARS]


def _offline_dates(principal, now, days):
    """The dates whose check-in window is still to come or running, up to the end of the
    last day of ``days`` (for organisers: their own)."""
    first, _ = _day_bounds(days[0])
    _, last = _day_bounds(days[-1])
    occurrences = (
        Occurrence.objects.filter(
            network=principal.network, start__lt=last + timedelta(hours=2), start__gte=first
        )
        .select_related("activity")
        .order_by("start", "pk")
    )
    running = Occurrence.objects.filter(
        network=principal.network, start__lt=first, end__gt=now
    ).select_related("activity")
    occurrences = occurrences.for_organiser(principal)
    running = running.for_organiser(principal)
    rows = []
    for occurrence in [*running.order_by("start", "pk")[:50], *occurrences[:OFFLINE_MAX_DATES]]:
        opens, closes = check_in_window(occurrence)
        if closes <= now:
            continue
        activity = occurrence.activity
        price = activity_price(activity, principal.network)
        rows.append(
            {
                "id": occurrence.pk,
                "activity_id": activity.pk,
                "opens": opens,
                "closes": closes,
                "cancelled": occurrence.cancelled_at is not None,
                "regular_price": price.regular,
                "reduced_price": price.paid,
                "discount": price.discount,
                "reimbursement": price.reimbursement,
            }
        )
    return rows


class _Period:
    """A status's dates, with the model's own rules (``Status.state_on``), without building a
    model instance per row: the download reads every status of the network."""

    FIELDS = (
        "participant_id", "valid_from", "valid_until", "suspended_from", "suspended_until",
        "ended_on",
    )  # fmt: skip
    __slots__ = FIELDS
    state_on = Status.state_on
    is_suspended_on = Status.is_suspended_on

    def __init__(self, row):
        for name, value in zip(self.FIELDS, row, strict=True):
            setattr(self, name, value)


def _offline_states(network, days):
    """Per participant: the state of their reduced tariff on each of ``days``."""
    grace = timedelta(days=network.grace_days)
    rows = Status.objects.filter(
        network=network, valid_from__lte=days[-1], valid_until__gte=days[0] - grace
    ).values_list(*_Period.FIELDS)
    per_person = defaultdict(list)
    for row in rows:
        period = _Period(row)
        per_person[period.participant_id].append(period)
    states = {}
    for participant_id, periods in per_person.items():
        per_day = []
        for day in days:
            day_states = {period.state_on(day, network.grace_days) for period in periods}
            if StatusState.ACTIVE in day_states:
                per_day.append(OfflineState.ACTIVE)
            elif StatusState.GRACE in day_states:
                per_day.append(OfflineState.GRACE)
            else:
                per_day.append(OfflineState.NONE)
        states[participant_id] = tuple(per_day)
    return states


def _offline_history(network, dates, year):
    """Per participant: the dates of ``dates`` they are checked in at, and (where the network
    has the limits of rule 7) what is left this year per activity and in discount."""
    history = defaultdict(dict)
    accepted = CheckIn.objects.filter(network=network, state=CheckInState.ACCEPTED)
    occurrence_ids = [row["id"] for row in dates]
    for participant_id, occurrence_id in accepted.filter(
        occurrence_id__in=occurrence_ids
    ).values_list("participant_id", "occurrence_id"):
        history[participant_id].setdefault("checked_in", []).append(occurrence_id)
    limit = network.max_checkins_per_activity_per_year
    activity_ids = {row["activity_id"] for row in dates}
    if limit is not None and activity_ids:
        counts = (
            accepted.filter(year=year, activity_id__in=activity_ids)
            .values_list("participant_id", "activity_id")
            .annotate(n=Count("id"))
        )
        for participant_id, activity_id, n in counts:
            left = history[participant_id].setdefault("checkins_left", {})
            left[str(activity_id)] = max(limit - n, 0)
    most = network.max_discount_per_year
    if most is not None:
        sums = (
            accepted.filter(year=year, discount__gt=0)
            .values_list("participant_id")
            .annotate(total=Sum("discount"))
        )
        for participant_id, total in sums:
            left = quantize(Decimal(most) - Decimal(str(total)))
            history[participant_id]["discount_left"] = max(left, Decimal("0.00"))
    return history


def _offline_budget_left(network, year):
    if network.budget_mode != BudgetMode.HARD_STOP:
        return None
    budget = budget_for(network, year)
    if budget is None or budget.amount is None:
        return None
    return max(quantize(budget.amount - budget.spent), Decimal("0.00"))


def offline_data(principal, now=None):
    """What the scanner keeps to answer without a connection, for today and tomorrow.

    Pass numbers appear only as short keyed hashes (``offline_hash``); no name, birth date or
    other fact about a person, only per pass: whether it may check in on each day (``active``,
    ``grace``, ``none``, ``blocked``), the dates of the download it is checked in at, and what
    the yearly limits leave. Two passes whose hashes coincide but whose facts differ become
    ``unsure`` (the scanner then answers "subject to confirmation").
    """
    network = principal.network
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = [today + timedelta(days=n) for n in range(OFFLINE_DAYS)]
    dates = _offline_dates(principal, now, days)
    states = _offline_states(network, days)
    history = _offline_history(network, dates, today.year)
    key = offline_key(network)

    no_status = (OfflineState.NONE,) * len(days)
    blocked = (OfflineState.BLOCKED,) * len(days)
    unsure = (OfflineState.UNSURE,) * len(days)
    entries = {}  # hash -> (states, history)
    passes = Pass.objects.filter(network=network).values_list("number", "state", "participant_id")
    for number, pass_state, participant_id in passes.iterator(chunk_size=2000):
        if pass_state == PassState.ACTIVE:
            entry = (states.get(participant_id, no_status), history.get(participant_id))
        else:
            entry = (blocked, None)
        digest = offline_hash(key, number)
        if digest in entries and entries[digest] != entry:
            entry = (unsure, None)
        entries[digest] = entry

    groups = defaultdict(list)
    details = {}
    for digest, (day_states, facts) in sorted(entries.items()):
        groups[day_states].append(digest)
        if facts:
            details[digest] = facts
    return {
        "generated_at": now,
        "stale_after_hours": int(OFFLINE_STALE_AFTER.total_seconds() // 3600),
        "refresh_minutes": int(OFFLINE_REFRESH.total_seconds() // 60),
        "key": key,
        "hash_length": OFFLINE_HASH_CHARS,
        "days": days,
        "year": today.year,
        "limits": {
            "checkins_per_activity_per_year": network.max_checkins_per_activity_per_year,
            "discount_per_year": network.max_discount_per_year,
            "budget_left": _offline_budget_left(network, today.year),
        },
        "dates": dates,
        "passes": [
            {"states": list(day_states), "hashes": hashes}
            for day_states, hashes in sorted(groups.items())
        ],
        "history": details,
    }
