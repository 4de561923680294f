"""Writes for participants, households and the reduced-tariff status."""

import re
import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vrijuit.core import audit, dates
from vrijuit.core.errors import CommonError
from vrijuit.core.models import AuditAction, AuditEvent
from vrijuit.networks.validity import default_valid_until
from vrijuit.networks.validity import last_day_of_months as _last_day_of_months
from vrijuit.passes.constants import BlockReason, PassState
from vrijuit.passes.models import Pass
from vrijuit.passes.numbers import LENGTH, format_number, luhn_check_digit

from .constants import Language
from .exceptions import AlreadyErased, ParticipantInvalid, PostalCodeOutsideNetwork, StatusRefused
from .models import Household, Note, Participant, Status

ERASED_MARKER = "—"
MAX_STATUS_YEARS = 10


def _municipality_for(network, postal_code):
    for municipality in network.municipalities.all():
        if postal_code in municipality.postal_code_list:
            return municipality
    return None


@transaction.atomic
def participant_register(
    *,
    network,
    first_name,
    last_name,
    birth_date,
    postal_code,
    street="",
    email="",
    phone="",
    language="nl",
    household=None,
):
    """Register a resident of one of the network's municipalities."""
    postal_code = (postal_code or "").strip()
    municipality = _municipality_for(network, postal_code)
    if municipality is None:
        raise PostalCodeOutsideNetwork()
    if household is not None and household.network_id != network.pk:
        raise StatusRefused(
            _("This household belongs to another network."), code=CommonError.NOT_FOUND, status=404
        )
    participant = Participant(
        network=network,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
        postal_code=postal_code,
        municipality=municipality,
        street=street.strip(),
        email=email.strip(),
        phone=phone.strip(),
        language=language,
        household=household,
        last_activity_on=timezone.localdate(),
    )
    participant.full_clean()
    participant.save()
    return participant


CORRECTABLE = (
    "first_name",
    "last_name",
    "birth_date",
    "postal_code",
    "street",
    "email",
    "phone",
    "language",
)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
_PHONE = re.compile(r"^\+?[0-9 ./()-]{6,30}$")


def participant_correction_errors(network, changes):
    """``{field: [message]}`` for what cannot be stored, in words for the person at the desk."""
    errors = {}
    required = {"first_name": _("Enter the first name."), "last_name": _("Enter the last name.")}
    for field, message in required.items():
        if field in changes and not changes[field]:
            errors[field] = [message]
    birth_date = changes.get("birth_date", EARLIEST_BIRTH_DATE)
    if not isinstance(birth_date, date) or not (
        EARLIEST_BIRTH_DATE <= birth_date <= timezone.localdate()
    ):
        errors["birth_date"] = [_("Enter a birth date from 1 January 1900 until today.")]
    if "postal_code" in changes:
        if not re.fullmatch(r"\d{4}", changes["postal_code"]):
            errors["postal_code"] = [_("A postal code has 4 digits.")]
        elif _municipality_for(network, changes["postal_code"]) is None:
            errors["postal_code"] = [str(PostalCodeOutsideNetwork.default_message)]
    if changes.get("email"):
        try:
            validate_email(changes["email"])
        except DjangoValidationError:
            errors["email"] = [_("Enter an e-mail address like name@example.be.")]
    if changes.get("phone") and not _PHONE.match(changes["phone"]):
        errors["phone"] = [_("Enter a phone number with digits only, like 0470 12 34 56.")]
    if "language" in changes and str(changes["language"]) not in Language.values:
        errors["language"] = [_("Choose Dutch, French or English.")]
    return errors


@transaction.atomic
def participant_update(*, participant, **changes):
    """Correct a person's details (address, contact, language, or a typo in the name or birth
    date); returns the names of the fields that changed.

    Everything is checked first and nothing is stored when one field is wrong: the errors
    name each field. The postal code must stay in the network; the municipality follows it.
    The change is in the audit log through the model's registration, personal values masked.
    """
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise TypeError(f"Not a correctable field: {', '.join(sorted(unknown))}")
    if participant.is_erased:
        raise AlreadyErased()
    # Text fields: an empty value (also ``None`` from the API) is "no value".
    changes = {
        k: (v or "").strip() if k != "birth_date" and (v is None or isinstance(v, str)) else v
        for k, v in changes.items()
    }
    errors = participant_correction_errors(participant.network, changes)
    if errors == {"postal_code": [str(PostalCodeOutsideNetwork.default_message)]}:
        raise PostalCodeOutsideNetwork()  # its own code, as at registration
    if errors:
        raise ParticipantInvalid(errors=errors)
    changed = [field for field, value in changes.items() if getattr(participant, field) != value]
    if not changed:
        return []
    if "postal_code" in changed:
        participant.municipality = _municipality_for(participant.network, changes["postal_code"])
    for field in changed:
        setattr(participant, field, str(changes[field]) if field == "language" else changes[field])
    try:
        participant.full_clean()
    except DjangoValidationError as exc:  # lengths: the forms and the API check them first
        raise ParticipantInvalid(
            errors={field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        ) from exc
    participant.last_activity_on = timezone.localdate()
    participant.save()
    return changed


@transaction.atomic
def household_join(*, participant, other):
    """Put ``participant`` in the household of ``other`` (made when ``other`` has none)."""
    if participant.network_id != other.network_id:
        raise StatusRefused(
            _("This person belongs to another network."), code=CommonError.NOT_FOUND, status=404
        )
    household = other.household
    if household is None:
        household = Household.objects.create(network=other.network, label=other.last_name)
        other.household = household
        other.save(update_fields=["household"])
    participant.household = household
    participant.save(update_fields=["household"])
    return household


def _check_dates(**days):
    """The dates typed for a status lie within the system's range (``core.dates``)."""
    errors = {}
    for field, day in days.items():
        try:
            dates.check_date(day, field)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise StatusRefused(
            _("Some fields are missing or not valid. Correct them and try again."), errors=errors
        )


@transaction.atomic
def status_grant(
    *,
    participant,
    basis,
    valid_from,
    granted_by=None,
    valid_until=None,
    note="",
    partner=None,
    include_household=False,
    granted_by_label=None,
):
    """Give the reduced-tariff status; returns the new statuses (one per household member).

    ``granted_by_label`` names the granter when there is no user (an API token); by default
    it is the user's username.
    """
    network = participant.network
    if participant.is_erased:
        raise AlreadyErased()
    _check_dates(valid_from=valid_from, valid_until=valid_until)
    valid_until = valid_until or default_valid_until(network, valid_from)
    if valid_until > _last_day_of_months(valid_from, 12 * MAX_STATUS_YEARS):
        raise StatusRefused(
            errors={
                "valid_until": [
                    ngettext(
                        "A status can last at most %(years)s year. Choose an earlier end date.",
                        "A status can last at most %(years)s years. Choose an earlier end date.",
                        MAX_STATUS_YEARS,
                    )
                    % {"years": MAX_STATUS_YEARS}
                ]
            }
        )
    if valid_until < valid_from:
        raise StatusRefused(
            errors={"valid_until": [_("The end date must be on or after the start date.")]}
        )
    people = [participant]
    if include_household and participant.household_id:
        people += list(participant.household.members.living().exclude(pk=participant.pk))
    label = granted_by_label
    if label is None:
        label = granted_by.get_username() if granted_by is not None else ""
    statuses = [
        Status.objects.create(
            network=network,
            participant=person,
            basis=basis,
            valid_from=valid_from,
            valid_until=valid_until,
            note=note.strip(),
            granted_by=granted_by,
            granted_by_label=label,
            partner=partner,
        )
        for person in people
    ]
    Participant.objects.filter(pk__in=[p.pk for p in people]).update(
        last_activity_on=timezone.localdate()
    )
    return statuses


@transaction.atomic
def status_suspend(*, status, suspended_from, suspended_until, reason):
    """Stop the reduced tariff for a while (for example during an investigation)."""
    _check_dates(suspended_from=suspended_from, suspended_until=suspended_until)
    if suspended_until is not None and suspended_until < suspended_from:
        raise StatusRefused(
            errors={
                "suspended_until": [_("The end of the suspension must be on or after its start.")]
            }
        )
    status.suspended_from, status.suspended_until = suspended_from, suspended_until
    status.suspend_reason = reason.strip()
    status.save(update_fields=["suspended_from", "suspended_until", "suspend_reason"])
    return status


@transaction.atomic
def status_end(*, status, ended_on, reason):
    """End the status early: from ``ended_on`` on there is no reduced tariff and no grace."""
    _check_dates(ended_on=ended_on)
    if ended_on < status.valid_from:
        ended_on = status.valid_from
    status.ended_on, status.end_reason = ended_on, reason.strip()
    status.save(update_fields=["ended_on", "end_reason"])
    return status


@transaction.atomic
def status_renew(*, status, granted_by=None, today=None, note=""):
    """A new period with the same basis, right after the old one (or from today if it ran out)."""
    today = today or timezone.localdate()
    start = max(status.valid_until + timedelta(days=1), today)
    return status_grant(
        participant=status.participant,
        basis=status.basis,
        valid_from=start,
        granted_by=granted_by,
        note=note or status.note,
        partner=status.partner,
    )[0]


@transaction.atomic
def note_add(*, participant, text, author):
    participant.last_activity_on = timezone.localdate()
    participant.save(update_fields=["last_activity_on"])
    return Note.objects.create(
        network=participant.network, participant=participant, text=text.strip(), author=author
    )


def participant_view_record(*, participant, screen):
    """Write a view of a person's record to the access log (who: the current context)."""
    audit.record(
        action=AuditAction.VIEW,
        obj=participant,
        context=screen,
        object_repr=f"{participant.first_name} {participant.last_name[:1]}.",
    )


def participant_export_record(*, participant, screen):
    """Write an export of everything held about a person (GDPR access) to the access log."""
    audit.record(
        action=AuditAction.EXPORT,
        obj=participant,
        context=screen,
        object_repr=f"{participant.first_name} {participant.last_name[:1]}.",
    )


def participant_search_record(*, network, people, screen):
    """Write a search that showed people to the access log: who (the current context),
    when, how many and which records. Never the search text: it may be a name, a birth date
    or a pass number. A search that found nobody showed nothing and is not written."""
    if not people:
        return None
    return audit.record(
        action=AuditAction.SEARCH,
        network=network,
        object_type=Participant._meta.label_lower,
        changes={"count": len(people), "records": sorted(str(p.pk) for p in people)},
        context=screen,
    )


_FREE_TEXT = ("note", "suspend_reason", "end_reason", "text")


def _anonymous_number(network):
    """A number for a pass of an erased person: random, so nothing leads back to the old
    number, and never a card: it starts with 0 (issued numbers never do) and its check digit
    is wrong, so no scan or search finds it. Unique per network, like every pass number."""
    for _attempt in range(5):
        payload = "0" + "".join(str(secrets.randbelow(10)) for _ in range(LENGTH - 2))
        wrong = (int(luhn_check_digit(payload)) + 1 + secrets.randbelow(9)) % 10
        number = f"{payload}{wrong}"
        if not Pass.objects.filter(network=network, number=number).exists():
            return number
    raise RuntimeError("Could not draw a free number for an erased pass")


def _forget_pass_numbers(participant):
    """Replace the numbers of the person's passes, in the pass rows and in the audit log, so
    that a printed card no longer leads to the anonymous history. Returns {pass id: number}."""
    numbers, ids = {}, []
    for pk, old in Pass.objects.filter(participant=participant).values_list("pk", "number"):
        new = _anonymous_number(participant.network)
        # A queryset update: no audit event that would carry the old number once more.
        Pass.objects.filter(pk=pk).update(number=new)
        numbers[old] = new
        ids.append(str(pk))
    replaced = {**numbers, **{format_number(old): new for old, new in numbers.items()}}
    events = list(AuditEvent.objects.filter(object_type=Pass._meta.label_lower, object_id__in=ids))
    for event in events:
        event.object_repr = event.object_id
        for name, values in event.changes.items():
            if isinstance(values, list):
                event.changes[name] = [
                    replaced.get(v, v) if isinstance(v, str) else v for v in values
                ]
    AuditEvent.objects.bulk_update(events, ["object_repr", "changes"], batch_size=500)
    return numbers


def _checkpoint_sqlite():
    """Copy SQLite's write-ahead log into the database file and empty it, so that the old
    values written before the erasure do not stay behind in the -wal file. Old values inside
    the file itself are overwritten as they are freed (``PRAGMA secure_delete``, settings).
    PostgreSQL has no such file beside the data; its old row versions go with VACUUM."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _forget_in_audit_log(participant, note_ids):
    """The audit rows about the person, their statuses and notes keep what happened and
    when, not who: the record name (a name, or a note's first words) becomes the record id,
    and free text (from before it was masked) is masked."""
    ids = {
        Participant._meta.label_lower: [str(participant.pk)],
        Status._meta.label_lower: [
            str(pk) for pk in participant.statuses.values_list("pk", flat=True)
        ],
        Note._meta.label_lower: [str(pk) for pk in note_ids],
    }
    records = Q()
    for object_type, object_ids in ids.items():
        records |= Q(object_type=object_type, object_id__in=object_ids)
    events = list(AuditEvent.objects.filter(records))
    for event in events:
        event.object_repr = event.object_id
        for name in set(_FREE_TEXT) & event.changes.keys():
            event.changes[name] = [
                audit.MASK if v not in ("", None) else v for v in event.changes[name]
            ]
    AuditEvent.objects.bulk_update(events, ["object_repr", "changes"], batch_size=500)


@transaction.atomic
def participant_erase(*, participant, today=None):
    """Erase the identity; keep birth year, postal code, statuses' periods and passes' history
    as anonymous facts for statistics."""
    if participant.is_erased:
        raise AlreadyErased()
    birth_year = participant.birth_date.year
    # A fixed marker, not a translation: the row must not depend on who erased it.
    participant.first_name = ERASED_MARKER
    participant.last_name = ""
    participant.birth_date = date(birth_year, 1, 1)
    participant.street = participant.email = participant.phone = ""
    participant.household = None
    participant.erased_at = timezone.now()
    participant.save()
    note_ids = list(participant.notes.values_list("pk", flat=True))
    participant.notes.all().delete()
    participant.statuses.update(note="", suspend_reason="", end_reason="")
    # The pass of an erased person can no longer be used at the reduced tariff.
    participant.passes.filter(state=PassState.ACTIVE).update(
        state=PassState.BLOCKED, block_reason=BlockReason.OTHER, blocked_at=timezone.now()
    )
    participant.passes.update(access_key=None)
    _forget_pass_numbers(participant)
    _forget_in_audit_log(participant, note_ids)
    audit.record(
        action=AuditAction.DELETE,
        obj=participant,
        object_repr=str(participant.pk),
        changes={"identity": ["•••", None]},
    )
    transaction.on_commit(_checkpoint_sqlite)
    return participant
