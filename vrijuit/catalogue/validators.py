"""IBAN validation for reimbursements by bank transfer (schwifty, in ``core.banking``)."""

from django.core.exceptions import ValidationError

from vrijuit.core.banking import INVALID_IBAN, compact, parse_iban


def normalise_iban(value: str) -> str:
    return compact(value)


def iban_is_valid(value: str) -> bool:
    return parse_iban(value) is not None


def validate_iban(value):
    if not iban_is_valid(value):
        raise ValidationError(INVALID_IBAN, code="invalid_iban")


def format_iban(value: str) -> str:
    iban = normalise_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
