"""Booking money facts in the append-only ledger. Called inside the transaction that makes
the fact (a check-in, its cancellation, an expense), so both are stored or neither."""

from django.utils import timezone

from vrijuit.core.exceptions import VrijuitError

from .constants import EntryKind, ErrorCode, Purpose
from .models import LedgerEntry


def book_checkin(checkin, *, booked_at):
    return LedgerEntry.objects.create(
        network_id=checkin.network_id,
        year=checkin.year,
        booked_at=booked_at,
        kind=EntryKind.CHECKIN,
        purpose=Purpose.DISCOUNT,
        amount=checkin.reimbursement,
        checkin=checkin,
        organiser_id=checkin.organiser_id,
        actor_label=checkin.actor_label,
    )


def book_checkin_cancel(checkin, *, booked_at, actor_label=""):
    return LedgerEntry.objects.create(
        network_id=checkin.network_id,
        year=checkin.year,
        booked_at=booked_at,
        kind=EntryKind.CHECKIN_CANCEL,
        purpose=Purpose.DISCOUNT,
        amount=-checkin.reimbursement,
        checkin=checkin,
        organiser_id=checkin.organiser_id,
        actor_label=actor_label[:200],
    )


def book_expense(*, network, purpose, amount, description, actor_label, booked_at=None, year=None):
    """A manual expense (training costs, a bus for a day trip, printing); a negative amount
    is a refund. Discount reimbursements come from check-ins only."""
    if purpose == Purpose.DISCOUNT:
        raise VrijuitError(
            code=ErrorCode.PURPOSE_NOT_ALLOWED,
            errors={"purpose": ["Discount reimbursements are booked by check-ins."]},
        )
    booked_at = booked_at or timezone.now()
    return LedgerEntry.objects.create(
        network=network,
        year=year or timezone.localtime(booked_at).year,
        booked_at=booked_at,
        kind=EntryKind.EXPENSE,
        purpose=purpose,
        amount=amount,
        description=description[:300],
        actor_label=actor_label[:200],
    )


def book_correction(*, entry, amount, description, actor_label, booked_at=None):
    """Correct an expense by a new entry that points to it."""
    booked_at = booked_at or timezone.now()
    return LedgerEntry.objects.create(
        network_id=entry.network_id,
        year=entry.year,
        booked_at=booked_at,
        kind=EntryKind.CORRECTION,
        purpose=entry.purpose,
        amount=amount,
        organiser_id=entry.organiser_id,
        description=description[:300],
        corrects=entry,
        actor_label=actor_label[:200],
    )
