"""Reads for participants: desk search, duplicates, status state, expiring statuses."""

import re
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q

from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import normalise_number

from .constants import StatusState
from .models import Participant, Status
from .text import fold, prefix_upper_bound

SEARCH_LIMIT = 25
_STATE_ORDER = [
    StatusState.ACTIVE,
    StatusState.GRACE,
    StatusState.SUSPENDED,
    StatusState.EXPIRED,
    StatusState.NONE,
]


def _parse_date(text):
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _prefix(field, value):
    return Q(**{f"{field}__gte": value, f"{field}__lt": prefix_upper_bound(value)})


def participant_search(network, query, *, limit=SEARCH_LIMIT):
    """Find people by part of their name, by pass number or by birth date.

    Names: every word must start a first or last name ("jan pe" finds Jan Peeters), accents
    and case ignored. Each word is a prefix range on an indexed, folded column.
    """
    query = (query or "").strip()
    base = Participant.objects.filter(network=network, erased_at__isnull=True)
    if not query:
        return base.none()
    digits = normalise_number(query)
    if digits.isdigit() and len(digits) >= 8 and "/" not in query:
        return base.filter(passes__number=digits).distinct()[:limit]
    day = _parse_date(query) if re.search(r"\d", query) else None
    if day is not None:
        return base.filter(birth_date=day)[:limit]
    words = fold(query).split()[:4]
    if not words:
        return base.none()
    if len(words) == 1:
        word = words[0]
        # Two index range scans, combined; OR on two columns would scan the table.
        ids = list(
            base.filter(_prefix("last_name_folded", word)).values_list("pk", flat=True)[:limit]
        )
        ids += list(
            base.filter(_prefix("first_name_folded", word))
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)[:limit]
        )
        return Participant.objects.filter(pk__in=ids[:limit])
    first, rest = words[0], " ".join(words[1:])
    condition = (
        (_prefix("first_name_folded", first) & _prefix("last_name_folded", rest))
        | (
            _prefix("last_name_folded", " ".join(words[:-1]))
            & _prefix("first_name_folded", words[-1])
        )
        | _prefix("last_name_folded", " ".join(words))
    )
    return base.filter(condition)[:limit]


def with_desk_details(queryset):
    """Add statuses and the active pass, for lists (no N+1 queries)."""
    return queryset.select_related("municipality").prefetch_related(
        Prefetch("statuses", queryset=Status.objects.order_by("-valid_until")),
        Prefetch("passes", queryset=Pass.objects.filter(state="active"), to_attr="active_passes"),
    )


def possible_duplicates(network, *, first_name, last_name, birth_date):
    """People already registered who may be the same person."""
    same_day = Participant.objects.filter(
        network=network, birth_date=birth_date, erased_at__isnull=True
    )
    return same_day.filter(
        Q(last_name_folded=fold(last_name)) | Q(first_name_folded=fold(first_name))
    )[:10]


def status_state(participant, day, statuses=None):
    """The best state on ``day`` over all statuses, and the status that gives it."""
    statuses = participant.statuses.all() if statuses is None else statuses
    grace_days = participant.network.grace_days
    best, best_status = StatusState.NONE, None
    for status in statuses:
        state = status.state_on(day, grace_days)
        if _STATE_ORDER.index(state) < _STATE_ORDER.index(best):
            best, best_status = state, status
    return best, best_status


def statuses_ending_soon(network, today, *, days=30):
    """Statuses that end within ``days`` and have no follow-up yet: invite these people."""
    ending = (
        Status.objects.filter(
            network=network,
            ended_on__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=days),
            participant__erased_at__isnull=True,
        )
        .select_related("participant")
        .order_by("valid_until")
    )
    later = Status.objects.filter(
        network=network, valid_until__gt=today + timedelta(days=days), ended_on__isnull=True
    ).values("participant_id")
    return ending.exclude(participant_id__in=later)
