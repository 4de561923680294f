"""Money: Decimal euros with two places, rounded in one place, shown the Belgian way."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency

from django.utils import translation

CENT = Decimal("0.01")
BABEL_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_BE"}


def to_decimal(value) -> Decimal:
    """Decimal from a Decimal, int or string. Floats are refused: they cannot hold cents."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a string or Decimal.")
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc


def round_half_up(amount, step=CENT) -> Decimal:
    """Round ``amount`` to a multiple of ``step`` (0.01, 0.10, …), halves away from zero."""
    amount, step = to_decimal(amount), to_decimal(step)
    units = (amount / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return (units * step).quantize(CENT, rounding=ROUND_HALF_UP)


def quantize(amount) -> Decimal:
    """Two decimal places."""
    return to_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(amount, language=None) -> str:
    """``€ 2,40`` in Dutch, ``2,40 €`` in French, ``€2.40`` in English."""
    if amount is None or amount == "":
        return ""
    language = (language or translation.get_language() or "nl")[:2]
    return _format_eur(quantize(amount), BABEL_LOCALES.get(language, "nl_BE"))


@lru_cache(maxsize=4096)
def _format_eur(amount, locale):
    # Babel keeps a non-breaking space between sign and number, so "€" never ends a line.
    # Prices repeat (a guide page shows each twice): Babel's formatting is kept per amount.
    return format_currency(amount, "EUR", locale=locale)
