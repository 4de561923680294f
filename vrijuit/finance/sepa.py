"""The SEPA credit transfer file of a payment batch (ISO 20022 ``pain.001.001.03``).

The finance officer uploads it in the municipality's online banking, which executes one
transfer per statement of the batch. The file is written with ``sepaxml`` and checked
against the official XSD of pain.001.001.03 that the ``sepaxml`` package ships (with
``xmlschema``) before anyone can download it.

Choices made here:

- One payment information block (``PmtInf``, batch booking) for the whole batch: the
  municipality's bank statement shows one debit, its total is the batch total.
- The message id is the batch reference. Banks refuse a second file with a message id they
  have already executed, so uploading the same file twice does not pay twice.
- The end-to-end id of a transfer is the statement's id (32 hexadecimal characters): the
  organiser's bank passes it on, so a payment can be traced back to its statement.
- Accounts are checked with schwifty. The payer (debtor) always has a BIC: the one the
  coordinator filled in, or the one schwifty finds from the IBAN. An organiser's BIC is
  written when it is known (or found from the IBAN); inside the European Economic Area a
  SEPA transfer needs only the IBAN (EPC rulebook, "IBAN only"), so it is left out when it
  cannot be found. Towards SEPA countries outside the EEA (Switzerland, the United
  Kingdom, …) the BIC is required, and the file is refused without it.
- Names and the remittance text are reduced to the Latin characters that SEPA allows
  (Zoë → Zoe); a statement of € 0,00 needs no transfer and is left out.
- No participant appears in the file: only organisers, amounts and periods.
"""

import io
import re
import unicodedata
from decimal import Decimal
from functools import cache
from importlib import resources
from xml.etree.ElementTree import ParseError

from sepaxml import SepaTransfer
from text_unidecode import unidecode

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vrijuit.core import banking
from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.money import format_eur

from .constants import ErrorCode

SCHEMA = "pain.001.001.03"
CURRENCY = "EUR"

# The characters of the EPC's SEPA character set; everything else becomes a space.
SEPA_TEXT = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


class SepaRefused(VrijuitError):
    code = ErrorCode.SEPA_INVALID_ACCOUNT


def sepa_text(text, limit) -> str:
    """``text`` in the SEPA character set, at most ``limit`` characters."""
    text = unidecode(unicodedata.normalize("NFC", str(text or ""))).replace("&", "+")
    text = re.sub(r"\s+", " ", SEPA_TEXT.sub(" ", text)).strip()
    return text[:limit].rstrip()


def period_label(statement) -> str:
    """``2026-11`` for a month, ``2026-10/2026-12`` for a quarter."""
    start, end = statement.period_start, statement.period_end
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%Y-%m}"
    return f"{start:%Y-%m}/{end:%Y-%m}"


def remittance(statement, language="nl") -> str:
    """What the organiser reads on its bank statement."""
    with translation.override(language):
        text = gettext("Vrijuit reimbursement %(period)s %(organiser)s") % {
            "period": period_label(statement),
            "organiser": statement.organiser.name,
        }
    return sepa_text(text, 140)


def end_to_end_id(statement) -> str:
    return statement.pk.hex


def cents(amount) -> int:
    amount = Decimal(amount)
    if amount != amount.quantize(Decimal("0.01")):
        raise SepaRefused(
            _("An amount has more than two decimals. It cannot be paid by bank transfer."),
            code=ErrorCode.SEPA_INVALID_AMOUNT,
        )
    return int(amount * 100)


def payer_account(network):
    """Name, IBAN and BIC of the network's payer; refused when missing or invalid."""
    if not (network.payer_name and network.payer_iban):
        raise SepaRefused(
            _(
                "The payer's name and account are missing. The coordinator fills them in "
                "under Network settings, Payments."
            ),
            code=ErrorCode.SEPA_PAYER_MISSING,
        )
    iban = banking.parse_iban(network.payer_iban)
    if iban is None:
        raise SepaRefused(
            _(
                "The payer's account number (IBAN) is not valid. The coordinator corrects it "
                "under Network settings, Payments."
            )
        )
    bic = banking.compact(network.payer_bic) or banking.bic_for_iban(iban)
    if not banking.bic_is_valid(bic):
        raise SepaRefused(
            _(
                "The BIC of the payer's bank is missing or not valid. The coordinator fills "
                "it in under Network settings, Payments."
            )
        )
    return sepa_text(network.payer_name, 70), str(iban.compact), bic


def creditor_account(organiser):
    """IBAN and BIC (``""`` when not needed and not known) of an organiser."""
    iban = banking.parse_iban(organiser.iban)
    if iban is None:
        raise SepaRefused(
            _(
                "%(organiser)s: the account number (IBAN) is missing or not valid. Correct it "
                "on the organisers page."
            )
            % {"organiser": organiser.name}
        )
    if not iban.in_sepa_zone:
        raise SepaRefused(
            _(
                "%(organiser)s: the account is outside the SEPA zone and cannot be paid with "
                "this file."
            )
            % {"organiser": organiser.name}
        )
    known = banking.compact(getattr(organiser, "bic", ""))
    if known and not banking.bic_is_valid(known):
        raise SepaRefused(
            _("%(organiser)s: the BIC is not valid. Correct it on the organisers page.")
            % {"organiser": organiser.name}
        )
    bic = known or banking.bic_for_iban(iban)
    if not bic and not banking.in_eea(iban):
        raise SepaRefused(
            _(
                "%(organiser)s: the bank of this foreign account needs a BIC and we could "
                "not find it. Ask the organiser for the BIC."
            )
            % {"organiser": organiser.name}
        )
    return str(iban.compact), bic


class _Transfer(SepaTransfer):
    """sepaxml's credit transfer with our ids instead of random ones."""

    def __init__(self, config, *, message_id):
        self._message_id = message_id
        super().__init__(config, schema=SCHEMA, clean=True)

    def _create_header(self):
        self.msg_id = self._message_id
        super()._create_header()

    def _finalize_batch(self):
        super()._finalize_batch()
        for number, node in enumerate(self._xml.iter("PmtInfId"), start=1):
            node.text = f"{self._message_id}-{number}"[:35]


def build_pain001(batch, *, language="nl") -> bytes:
    """The pain.001.001.03 file paying the statements of ``batch``; checked against the XSD.

    Refuses (``SepaRefused``) when the payer's details are missing, an account is not valid,
    a needed BIC cannot be found, or the statements no longer add up to the batch total.
    """
    network = batch.network
    name, iban, bic = payer_account(network)
    statements = list(batch.statements.select_related("organiser").order_by("organiser__name"))
    total = sum((s.total for s in statements), start=Decimal("0.00"))
    if total != batch.total:
        raise SepaRefused(
            _(
                "The statements of this batch add up to %(sum)s, not to the batch total "
                "%(total)s. Do not pay it; ask the coordinator."
            )
            % {"sum": format_eur(total), "total": format_eur(batch.total)},
            code=ErrorCode.SEPA_TOTAL_MISMATCH,
        )
    transfer = _Transfer(
        {"name": name, "IBAN": iban, "BIC": bic, "batch": True, "currency": CURRENCY},
        message_id=sepa_text(batch.reference, 35),
    )
    count = 0
    for statement in statements:
        amount = cents(statement.total)
        if amount < 0:
            raise SepaRefused(
                _("%(organiser)s: a statement with a negative total cannot be paid.")
                % {"organiser": statement.organiser.name},
                code=ErrorCode.SEPA_INVALID_AMOUNT,
            )
        if amount == 0:
            continue  # nothing to transfer
        creditor_iban, creditor_bic = creditor_account(statement.organiser)
        payment = {
            "name": sepa_text(statement.organiser.name, 70) or "-",
            "IBAN": creditor_iban,
            "amount": amount,
            "execution_date": batch.execution_date,
            "description": remittance(statement, language),
            "endtoend_id": end_to_end_id(statement),
            "currency": CURRENCY,
        }
        if creditor_bic:
            payment["BIC"] = creditor_bic
        transfer.add_payment(payment)
        count += 1
    if count == 0:
        raise SepaRefused(
            _("This batch has nothing to pay: every statement in it is € 0,00."),
            code=ErrorCode.SEPA_NOTHING_TO_PAY,
        )
    xml = transfer.export(validate=False)
    validate_pain001(xml)
    return xml


@cache
def _schema():
    import xmlschema  # imported late: it is only needed here, and loading it takes a moment

    path = resources.files("sepaxml") / "schemas" / f"{SCHEMA}.xsd"
    with resources.as_file(path) as xsd:
        return xmlschema.XMLSchema(str(xsd))


def validate_pain001(xml_bytes) -> None:
    """Check ``xml_bytes`` against the official XSD of pain.001.001.03.

    Raises ``SepaRefused`` (code ``sepa_invalid_file``) with the first problem in
    ``errors["file"]`` when the file does not follow it.
    """
    import xmlschema

    schema = _schema()
    try:
        source = xmlschema.XMLResource(io.BytesIO(xml_bytes), defuse="always")
        error = next(iter(schema.iter_errors(source)), None)
    except (ParseError, xmlschema.XMLSchemaException, ValueError) as exc:
        error = exc
    if error is not None:
        reason = getattr(error, "reason", None) or str(error)
        raise SepaRefused(
            _(
                "The payment file does not follow the SEPA standard (pain.001.001.03), so "
                "the bank would refuse it. Nothing was paid."
            ),
            code=ErrorCode.SEPA_INVALID_FILE,
            errors={"file": [str(reason)[:500]]},
        )
