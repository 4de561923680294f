"""Spreadsheets of payment batches and statements, the way Excel in Belgium opens them:
``;`` between fields, a decimal comma, UTF-8 with a byte order mark.

Nothing in them identifies a participant: a batch lists organisers, a statement lists its
check-ins by time and activity only (the finance role never sees who took part).
"""

import csv
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vrijuit.checkins.constants import CheckInState
from vrijuit.core import banking
from vrijuit.core.money import quantize
from vrijuit.core.text import csv_cell

from .sepa import end_to_end_id, period_label

BOM = "\ufeff"
DATETIME = "%d/%m/%Y %H:%M"


def csv_amount(amount) -> str:
    """``1234,50``: a decimal comma and no thousands separator, which Excel reads as a number."""
    return "" if amount is None else f"{quantize(amount):.2f}".replace(".", ",")


def _writer(out):
    out.write(BOM)
    return csv.writer(out, delimiter=";", lineterminator="\r\n")


def batch_csv(batch, *, language=None) -> str:
    """One row per statement of the batch: organiser, IBAN, BIC, period, check-ins, amount,
    and the reference of the transfer in the SEPA file (its end-to-end id)."""
    out = io.StringIO()
    writer = _writer(out)
    statements = batch.statements.select_related("organiser").order_by("organiser__name")
    with translation.override(language or translation.get_language() or "nl"):
        writer.writerow(
            [
                _("Organiser"),
                _("IBAN"),
                _("BIC"),
                _("Period"),
                _("Check-ins"),
                _("Amount"),
                _("Reference"),
            ]
        )
        for statement in statements:
            organiser = statement.organiser
            iban = banking.parse_iban(organiser.iban)
            bic = banking.compact(getattr(organiser, "bic", "")) or banking.bic_for_iban(
                organiser.iban
            )
            writer.writerow(
                [
                    csv_cell(organiser.name),
                    iban.formatted if iban is not None else csv_cell(organiser.iban),
                    bic,
                    period_label(statement),
                    statement.checkin_count,
                    csv_amount(statement.total),
                    end_to_end_id(statement),
                ]
            )
    return out.getvalue()


def statement_csv(statement, *, language=None) -> str:
    """One row per accepted check-in of the statement, without the participant."""

    out = io.StringIO()
    writer = _writer(out)
    checkins = (
        statement.checkins.filter(state=CheckInState.ACCEPTED)
        .order_by("scanned_at", "activity__title")
        .values_list(
            "scanned_at", "activity__title", "regular_price", "paid", "discount", "reimbursement"
        )
    )
    with translation.override(language or translation.get_language() or "nl"):
        writer.writerow(
            [
                _("Date and time"),
                _("Activity"),
                _("Regular price"),
                _("Paid"),
                _("Discount"),
                _("Reimbursement"),
            ]
        )
        for scanned_at, title, regular_price, paid, discount, reimbursement in checkins:
            writer.writerow(
                [
                    timezone.localtime(scanned_at).strftime(DATETIME),
                    csv_cell(title),
                    csv_amount(regular_price),
                    csv_amount(paid),
                    csv_amount(discount),
                    csv_amount(reimbursement),
                ]
            )
    return out.getvalue()
