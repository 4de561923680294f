from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from vrijuit.core.text import fold

from .constants import ACTIVITY_TRANSITIONS, MAX_SERIES_OCCURRENCES, ActivityState, ErrorCode
from .exceptions import ActivityRefused
from .models import Activity, Occurrence, Organiser
from .validators import normalise_iban


def _unique_slug(network, name):
    base = slugify(name)[:50] or "organisator"
    slug, n = base, 2
    while Organiser.objects.filter(network=network, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organiser_create(*, network, name, partner=None, email="", phone="", iban="", slug=None):
    """Add an organiser to ``network``; the short name is made from the name when not given."""
    organiser = Organiser(
        network=network,
        name=name.strip(),
        partner=partner,
        email=email,
        phone=phone,
        iban=normalise_iban(iban),
        slug=slug or _unique_slug(network, name),
    )
    organiser.full_clean()
    organiser.save()
    return organiser


# --- activities --------------------------------------------------------------------------


def activity_search_text(activity) -> str:
    """What the guide's search looks in, folded (lower case, no accents): title, description,
    organiser, place and municipality ("bibliotheek" finds the library's activities)."""
    organiser = activity.organiser if activity.organiser_id else None
    municipality = activity.municipality if activity.municipality_id else None
    parts = [
        activity.title,
        activity.description,
        organiser.name if organiser else "",
        activity.location_name,
        municipality.name if municipality else "",
    ]
    return fold(" ".join(part for part in parts if part))


def search_text_follow_rename(sender, instance, created=False, raw=False, **kwargs):
    """After an organiser or a municipality is saved: the search text of its activities
    follows its (new) name. Connected to ``post_save`` (apps.py)."""
    if created or raw:
        return
    field = "organiser" if isinstance(instance, Organiser) else "municipality"
    activities = Activity.objects.filter(**{field: instance}).select_related(
        "organiser", "municipality"
    )
    changed = []
    for activity in activities.only(
        "id", "title", "description", "location_name", "search_text",
        "organiser__name", "municipality__name",
    ):  # fmt: skip
        text = activity_search_text(activity)
        if text != activity.search_text:
            activity.search_text = text
            changed.append(activity)
    # Only search_text: not an audited change of the activity (the rename itself is).
    Activity.objects.bulk_update(changed, ["search_text"], batch_size=500)


def _municipality_for(network, postal_code):
    postal_code = (postal_code or "").strip()
    if not postal_code:
        return None
    for municipality in network.municipalities.all():
        if postal_code in municipality.postal_code_list:
            return municipality
    return None


@transaction.atomic
def activity_create(*, organiser, published=False, **fields):
    """Add an activity of ``organiser`` (in the organiser's network); a draft unless
    ``published``. The municipality follows from the postal code when not given."""
    activity = Activity(network_id=organiser.network_id, organiser=organiser, **fields)
    if activity.municipality_id is None:
        activity.municipality = _municipality_for(organiser.network, activity.postal_code)
    elif activity.municipality.network_id != organiser.network_id:
        raise ActivityRefused(errors={"municipality": [ActivityRefused.other_network]})
    activity.state = ActivityState.PUBLISHED if published else ActivityState.DRAFT
    activity.search_text = activity_search_text(activity)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity, **fields):
    """Change fields of ``activity``; keeps the search text in step."""
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.search_text = activity_search_text(activity)
    activity.full_clean()
    activity.save()
    return activity


def _activity_move(activity, state):
    if state not in ACTIVITY_TRANSITIONS[ActivityState(activity.state)]:
        raise ActivityRefused(code=ErrorCode.ACTIVITY_STATE)
    activity.state = state
    activity.save(update_fields=["state", "updated_at"])
    return activity


@transaction.atomic
def activity_publish(*, activity):
    """Show ``activity`` in the public guide (a draft or archived activity)."""
    if activity.state == ActivityState.PUBLISHED:
        return activity
    if activity.state == ActivityState.ARCHIVED:
        _activity_move(activity, ActivityState.DRAFT)
    return _activity_move(activity, ActivityState.PUBLISHED)


@transaction.atomic
def activity_archive(*, activity):
    """Take ``activity`` out of the guide for good (its check-ins stay)."""
    return _activity_move(activity, ActivityState.ARCHIVED)


# --- occurrences -------------------------------------------------------------------------


@transaction.atomic
def occurrence_create(*, activity, start, end=None):
    """Add one occurrence of ``activity``."""
    occurrence = Occurrence(network_id=activity.network_id, activity=activity, start=start, end=end)
    occurrence.full_clean()
    occurrence.save()
    return occurrence


def weekly_starts(*, first_start, until, weekdays=None, skip_dates=()):
    """The start times of a weekly series: on ``weekdays`` (0 = Monday; default the weekday of
    ``first_start``) from ``first_start`` up to and including the date ``until``, at the local
    time of ``first_start`` (so the hour stays when summer time begins or ends)."""
    tz = timezone.get_current_timezone()
    local = timezone.localtime(first_start, tz) if timezone.is_aware(first_start) else first_start
    days = set(weekdays) if weekdays else {local.weekday()}
    if not days <= set(range(7)):
        raise ActivityRefused(code=ErrorCode.SERIES_WEEKDAYS)
    if (until - local.date()).days > 7 * MAX_SERIES_OCCURRENCES:
        raise ActivityRefused(code=ErrorCode.SERIES_TOO_LONG)
    skip = set(skip_dates)
    starts, day = [], local.date()
    while day <= until:
        if day.weekday() in days and day not in skip:
            starts.append(timezone.make_aware(datetime.combine(day, local.time()), tz))
            if len(starts) > MAX_SERIES_OCCURRENCES:
                raise ActivityRefused(code=ErrorCode.SERIES_TOO_LONG)
        day += timedelta(days=1)
    return starts


@transaction.atomic
def occurrences_create_weekly(
    *, activity, first_start, duration, until, weekdays=None, skip_dates=()
):
    """Make a weekly series (or a season) of ``activity`` in one go: at most
    ``MAX_SERIES_OCCURRENCES`` occurrences; ``skip_dates`` are left out (holidays)."""
    starts = weekly_starts(
        first_start=first_start, until=until, weekdays=weekdays, skip_dates=skip_dates
    )
    if duration is not None and duration < timedelta(0):
        raise ActivityRefused(code=ErrorCode.SERIES_DURATION)
    return [
        occurrence_create(
            activity=activity, start=start, end=start + duration if duration else None
        )
        for start in starts
    ]


@transaction.atomic
def occurrence_cancel(*, occurrence, reason):
    """Cancel ``occurrence`` with a reason people can read; cancelling twice changes nothing."""
    if occurrence.cancelled_at is not None:
        return occurrence
    occurrence.cancelled_at = timezone.now()
    occurrence.cancel_reason = reason.strip()[:300]
    occurrence.save(update_fields=["cancelled_at", "cancel_reason"])
    return occurrence
