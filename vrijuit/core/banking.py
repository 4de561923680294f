"""Bank accounts for SEPA credit transfers: IBAN and BIC checked with schwifty.

schwifty knows the length and check digits of every IBAN country and, for Belgian (and
many other) banks, the BIC that belongs to the bank code in the IBAN, so a coordinator or
organiser rarely has to type a BIC.
"""

import re

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The pattern of the ISO 20022 schemas (pain.001.001.03 ``BICIdentifier``).
BIC_PATTERN = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")

# The European Economic Area: the EU and Iceland, Liechtenstein, Norway. Within it a SEPA
# credit transfer needs only the IBAN ("IBAN only", EPC rulebook); to the other countries of
# the SEPA zone (Switzerland, the United Kingdom, Monaco, San Marino, …) the BIC is required.
EU_COUNTRIES = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EEA_COUNTRIES = frozenset([*EU_COUNTRIES.split(), "IS", "LI", "NO"])


def compact(value) -> str:
    """Without spaces, in capitals: ``be68 5390 0754 7034`` → ``BE68539007547034``."""
    return re.sub(r"\s+", "", str(value or "")).upper()


def parse_iban(value) -> IBAN | None:
    """The IBAN, or ``None`` when it is not a valid one."""
    try:
        return IBAN(compact(value))
    except SchwiftyException:
        return None


def bic_is_valid(value) -> bool:
    value = compact(value)
    if not BIC_PATTERN.fullmatch(value):
        return False
    try:
        BIC(value)
    except SchwiftyException:
        return False
    return True


def bic_for_iban(value) -> str:
    """The BIC of the bank of an IBAN, or ``""`` when it cannot be found (or is invalid)."""
    iban = parse_iban(value)
    if iban is None:
        return ""
    try:
        bic = iban.bic
    except SchwiftyException:
        return ""
    return str(bic) if bic and bic_is_valid(str(bic)) else ""


def in_eea(iban) -> bool:
    return str(iban)[:2] in EEA_COUNTRIES


INVALID_IBAN = _(
    "This account number (IBAN) is not valid. Check it on a bank statement, "
    "for example BE68 5390 0754 7034."
)
INVALID_BIC = _(
    "This BIC is not valid. A BIC has 8 or 11 letters and digits, for example GKCCBEBB."
)


def validate_iban(value):
    if value and parse_iban(value) is None:
        raise ValidationError(INVALID_IBAN, code="invalid_iban")


def validate_bic(value):
    if value and not bic_is_valid(value):
        raise ValidationError(INVALID_BIC, code="invalid_bic")
