"""Reading check-ins, always within the principal's reach (organisers: their own)."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from vrijuit.catalogue.models import Occurrence
from vrijuit.core.roles import Role

from .constants import CheckInState
from .models import Budget, CheckIn
from .pricing import price_for
from .services import is_open


def _scoped(principal):
    checkins = CheckIn.objects.filter(network=principal.network)
    if principal.role == Role.ORGANISER:
        checkins = checkins.filter(organiser_id=principal.organiser_id)
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
    if principal.role == Role.ORGANISER:
        occurrences = occurrences.filter(activity__organiser_id=principal.organiser_id)
    rows = []
    for occurrence in occurrences[:200]:
        activity = occurrence.activity
        price = price_for(
            regular=activity.regular_price,
            settings=principal.network,
            fixed_reduced_price=activity.fixed_reduced_price,
        )
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
    if principal.role == Role.ORGANISER:
        occurrences = occurrences.filter(activity__organiser_id=principal.organiser_id)
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
