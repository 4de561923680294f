"""Text helpers every context uses: folding names for search ('Élodie Van Dæle' and
'elodie van daele' look the same) and CSV cells a spreadsheet will not run as formulas."""

import unicodedata

_SPECIAL = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "'": "", "’": "", "-": " "}
)


def fold(text: str) -> str:
    """Lower case, without accents, apostrophes and double spaces."""
    text = (text or "").lower().translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``.

    ``name >= prefix AND name < bound`` is a prefix search that both SQLite and PostgreSQL
    answer from a plain B-tree index.
    """
    return prefix + "\uffff"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text):
    """Text that a spreadsheet will not run as a formula (a leading ' when needed)."""
    text = str(text or "")
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
