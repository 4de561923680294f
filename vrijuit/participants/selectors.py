"""Reads for participants: desk search, duplicates, status state, expiring statuses."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from vrijuit.checkins.models import CheckIn
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.core.text import fold, prefix_upper_bound
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import normalise_number

from .constants import StatusState
from .models import Household, LaterWords, Participant, Status, living_lookup

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


# A folded name and its later words (LaterWords), each with its own index: "van den broeck",
# "den broeck", "broeck".
_LAST_NAME_WORDS = ("last_name_folded", "last_name_2", "last_name_3")
_FIRST_NAME_WORDS = ("first_name_folded", "first_name_2")
_LAST_NAME_ORDER = ("last_name_folded", "first_name_folded")


def _alive():
    """For an OR of index ranges: the network goes into every branch, and not around them,
    or SQLite (without statistics) walks the network's whole index instead of combining the
    branches' ranges (MULTI-INDEX OR)."""
    return Participant.objects.living().alias(
        last_name_2=LaterWords("last_name_folded"),
        last_name_3=LaterWords(LaterWords("last_name_folded")),
        first_name_2=LaterWords("first_name_folded"),
    )


def _ids(queryset, limit, *order):
    return list(queryset.order_by(*order).values_list("pk", flat=True)[:limit])


def _people(ids):
    """The people found, in name order, for ``with_desk_details``."""
    # The ids were found in the network; read by id alone, the statement stays as measured.
    return Participant.objects.unscoped().filter(pk__in=ids)


def participant_search(network, query, *, limit=SEARCH_LIMIT):
    """Find people by part of their name, by pass number or by birth date.

    Names: every word must start a first or last name ("jan pe" finds Jan Peeters), or a
    later word of it ("daele" finds Van Dæle), accents and case ignored.

    Every path is a range scan of an index of the network, whatever the size of the network.
    The people are first found by id, with statements whose only fitting index is the one
    meant (SQLite plans without statistics: with ``ORDER BY name`` it would rather walk the
    whole network in name order), then read by id, in name order. When more than ``limit``
    people match, which ``limit`` are shown is not defined.
    """
    query = (query or "").strip()
    base = Participant.objects.living().for_network(network)
    if not query:
        return base.none()
    # Dates first: "12.03.1985" and "12-03-1985" are dates, not the digits of a pass.
    day = _parse_date(query) if re.search(r"\d", query) else None
    if day is not None:
        return _people(_ids(base.filter(birth_date=day), limit))
    digits = normalise_number(query)
    if digits.isdigit() and len(digits) >= 8 and "/" not in query:
        # From the pass (unique per network and number), old and replaced cards too.
        holders = Pass.objects.filter(
            network=network,
            number=digits,
            participant__network=network,
            **living_lookup("participant"),
        )
        return _people(holders.order_by().values_list("participant_id", flat=True)[:limit])
    words = fold(query).split()[:4]
    if not words:
        return base.none()
    if len(words) == 1:
        word = words[0]
        # Index range scans one after the other; OR on two columns would scan the network.
        ids = _ids(base.filter(_prefix("last_name_folded", word)), limit, *_LAST_NAME_ORDER)
        if len(ids) < limit:
            ids += _ids(
                base.filter(_prefix("first_name_folded", word)).exclude(pk__in=ids),
                limit - len(ids),
                "first_name_folded",
                "last_name_folded",
            )
        if len(ids) < limit:
            # Later words of compound names: "daele" for "Van Dæle", "louise" for
            # "Marie-Louise".
            inside = Q()
            for field in (*_LAST_NAME_WORDS[1:], *_FIRST_NAME_WORDS[1:]):
                inside |= Q(network=network) & _prefix(field, word)
            ids += _ids(_alive().filter(inside).exclude(pk__in=ids), limit - len(ids))
        return _people(ids)
    # Several words: the first a first name and the rest a last name, the last a first name
    # and the rest a last name, or all a last name ("van de velde").
    first, rest, most, last = words[0], " ".join(words[1:]), " ".join(words[:-1]), words[-1]
    condition = Q(network=network) & _prefix("last_name_folded", " ".join(words))
    for field in _LAST_NAME_WORDS:
        condition |= Q(network=network) & _prefix("first_name_folded", first) & _prefix(field, rest)
        condition |= Q(network=network) & _prefix(field, most) & _prefix("first_name_folded", last)
    return _people(_ids(_alive().filter(condition), limit))


def with_desk_details(queryset):
    """Add statuses and the active pass, for lists (no N+1 queries)."""
    # status_state() reads the network's grace period: joined here, not one query a person.
    return queryset.select_related("municipality", "network").prefetch_related(
        Prefetch("statuses", queryset=Status.objects.order_by("-valid_until")),
        Prefetch("passes", queryset=Pass.objects.filter(state="active"), to_attr="active_passes"),
    )


def possible_duplicates(network, *, first_name, last_name, birth_date):
    """People already registered who may be the same person."""
    same_day = Participant.objects.living().for_network(network).filter(birth_date=birth_date)
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
            **living_lookup("participant"),
        )
        .select_related("participant")
        .order_by("valid_until")
    )
    # A follow-up is any later period of the same person, also one that ends soon itself.
    later = Status.objects.filter(
        participant_id=OuterRef("participant_id"),
        valid_until__gt=OuterRef("valid_until"),
        ended_on__isnull=True,
    )
    return ending.exclude(Exists(later))


def participants_past_retention(network, today):
    """People whose last activity and last status both ended ``retention_years`` ago."""
    try:
        cutoff = today.replace(year=today.year - network.retention_years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - network.retention_years, day=28)
    recent_status = Status.objects.filter(network=network, valid_until__gte=cutoff).values(
        "participant_id"
    )
    living = Participant.objects.living().for_network(network)
    return living.filter(last_activity_on__lt=cutoff).exclude(pk__in=recent_status)


def participant_get(network, pk, *, details=True):
    """One participant of ``network`` (erased ones too), or None when there is no such
    participant in this network (another network's id looks the same as an unknown one).

    With ``details``, what the record shows is loaded too: municipality, household members,
    statuses and passes.
    """
    people = Participant.objects.filter(network=network, pk=pk)
    if details:
        people = people.select_related("municipality", "household").prefetch_related(
            Prefetch("statuses", queryset=Status.objects.order_by("-valid_until", "-created_at")),
            Prefetch("passes", queryset=Pass.objects.order_by("-issued_at")),
            Prefetch(
                "household__members",
                queryset=Participant.objects.living().order_by("first_name_folded"),
            ),
        )
    participant = people.first()
    if participant is not None:
        participant.network = network  # the same row; saves a query per status_state()
    return participant


def household_get(network, pk):
    """The household with this id in ``network``, or None."""
    return Household.objects.filter(network=network, pk=pk).first()


def participant_search_results(network, query, *, day, limit=SEARCH_LIMIT):
    """``participant_search`` for lists: each person with ``state`` (status state on ``day``)
    and ``active_pass`` (or None) set, in a fixed number of queries whatever the number of
    results."""
    people = list(with_desk_details(participant_search(network, query, limit=limit)))
    for person in people:
        person.network = network  # status_state() reads the grace period from it
        person.state = status_state(person, day, person.statuses.all())[0]
        person.active_pass = person.active_passes[0] if person.active_passes else None
    return people


def _json_ready(value):
    """Dates and times as ISO 8601, ids and amounts as strings: what a JSON file holds."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, (date, UUID, Decimal)):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def participant_access_log(participant):
    """Who looked at the person's record or changed it, and every search that showed them,
    oldest first."""

    about_the_record = Q(object_type=Participant._meta.label_lower, object_id=str(participant.pk))
    # A search names the records it showed in its changes (never the search text).
    in_a_search = Q(
        network_id=participant.network_id,
        action=AuditAction.SEARCH,
        changes__icontains=str(participant.pk),
    )
    return AuditEvent.objects.filter(about_the_record | in_a_search).order_by("occurred_at", "id")


def participant_export(participant):
    """Everything held about a person (GDPR access), as a dict of sections, ready for JSON:
    dates and times in ISO 8601, ids and amounts as strings.

    The access log holds the audit events about the person's record itself (views, changes,
    earlier exports) and the searches that showed the person.
    """

    household = None
    if participant.household_id:
        members = participant.household.members.living().order_by("first_name_folded")
        household = {
            "id": participant.household_id,
            "label": participant.household.label,
            "members": [{"id": m.pk, "first_name": m.first_name} for m in members],
        }
    statuses = participant.statuses.select_related("partner").order_by("valid_from", "created_at")
    passes = participant.passes.order_by("issued_at")
    notes = participant.notes.select_related("author").order_by("created_at")
    checkins = (
        CheckIn.objects.filter(participant=participant)
        .select_related("activity", "organiser", "pass_obj")
        .order_by("scanned_at")
    )
    return _json_ready(
        {
            "participant": {
                **participant_identity(participant),
                "registered_at": participant.created_at,
                "updated_at": participant.updated_at,
                "last_activity_on": participant.last_activity_on,
                "erased_at": participant.erased_at,
            },
            "household": household,
            "statuses": [
                {
                    "id": s.pk,
                    "basis": s.basis,
                    "valid_from": s.valid_from,
                    "valid_until": s.valid_until,
                    "note": s.note,
                    "granted_by": s.granted_by_label,
                    "partner": s.partner.name if s.partner else None,
                    "suspended_from": s.suspended_from,
                    "suspended_until": s.suspended_until,
                    "suspend_reason": s.suspend_reason,
                    "ended_on": s.ended_on,
                    "end_reason": s.end_reason,
                    "created_at": s.created_at,
                }
                for s in statuses
            ],
            "passes": [
                {
                    "id": p.pk,
                    "number": p.number,
                    "state": p.state,
                    "block_reason": p.block_reason,
                    "issued_at": p.issued_at,
                    "blocked_at": p.blocked_at,
                    "replaced_by": p.replaced_by_id,
                }
                for p in passes
            ],
            "participations": [
                {
                    "id": c.pk,
                    "day": timezone.localdate(c.scanned_at),
                    "scanned_at": c.scanned_at,
                    "activity": c.activity.title,
                    "organiser": c.organiser.name,
                    "regular_price": c.regular_price,
                    "paid": c.paid,
                    "pass_number": c.pass_obj.number,
                    "state": c.state,
                    "cancelled_at": c.cancelled_at,
                }
                for c in checkins
            ],
            "notes": [
                {
                    "id": n.pk,
                    "text": n.text,
                    "author": (n.author.get_full_name() or n.author.get_username())
                    if n.author
                    else "",
                    "created_at": n.created_at,
                }
                for n in notes
            ],
            "access_log": [
                {
                    "occurred_at": e.occurred_at,
                    "action": e.action,
                    "actor": e.actor_label,
                    "source": e.source,
                    "context": e.context,
                    "changes": e.changes,
                }
                for e in participant_access_log(participant)
            ],
        }
    )


def participant_identity(participant):
    """Who the person is and how to reach them: the fields the record and the export share."""
    return {
        "id": participant.pk,
        "first_name": participant.first_name,
        "last_name": participant.last_name,
        "birth_date": participant.birth_date,
        "postal_code": participant.postal_code,
        "municipality": participant.municipality.name if participant.municipality else None,
        "street": participant.street,
        "email": participant.email,
        "phone": participant.phone,
        "language": participant.language,
    }
