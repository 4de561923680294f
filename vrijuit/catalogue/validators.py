"""IBAN validation (ISO 13616 mod-97), for reimbursements by bank transfer."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Lengths of the SEPA countries an organiser in Belgium is likely to bank in.
IBAN_LENGTHS = {
    "BE": 16,
    "NL": 18,
    "LU": 20,
    "FR": 27,
    "DE": 22,
    "AT": 20,
    "ES": 24,
    "IT": 27,
    "PT": 25,
    "IE": 22,
    "FI": 18,
    "DK": 18,
    "SE": 24,
    "PL": 28,
    "CH": 21,
    "GB": 22,
}


def normalise_iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def iban_is_valid(value: str) -> bool:
    iban = normalise_iban(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected and len(iban) != expected:
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def validate_iban(value):
    if not iban_is_valid(value):
        raise ValidationError(
            _(
                "This account number (IBAN) is not valid. Check it on a bank statement, "
                "for example BE68 5390 0754 7034."
            ),
            code="invalid_iban",
        )


def format_iban(value: str) -> str:
    iban = normalise_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
