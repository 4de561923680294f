"""The printed look shared by the pass card and the documents (statements, a person's export):
the brand colours, the fonts and the letters they can print, the paragraph styles."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

BRAND = HexColor("#0b5c3b")
INK = HexColor("#1b1f24")
MUTED = HexColor("#4a5560")

# TrueType fonts, so that names such as Zoë, Łukasz, Şeyma or Ștefan print as written.
# DejaVu Sans (Debian's fonts-dejavu-core) covers most scripts; Bitstream Vera ships with
# reportlab and is the fallback. Letters a font lacks are printed without their accent.
FONT_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
]
# Letters that do not decompose into a base letter and an accent.
BASE_LETTERS = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "ı": "i",
        "Ŧ": "T",
        "ŧ": "t",
        "Ø": "O",
        "ø": "o",
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
    }
)
REGULAR = "VrijuitCard"
BOLD = "VrijuitCard-Bold"


@dataclass(frozen=True)
class CardFonts:
    regular: str
    bold: str
    characters: frozenset[int]


@cache
def card_fonts() -> CardFonts:
    import reportlab

    bundled = Path(reportlab.__file__).parent / "fonts"
    candidates = [*FONT_CANDIDATES, (bundled / "Vera.ttf", bundled / "VeraBd.ttf")]
    regular_path, bold_path = next(
        (regular, bold) for regular, bold in candidates if regular.exists() and bold.exists()
    )
    regular, bold = TTFont(REGULAR, str(regular_path)), TTFont(BOLD, str(bold_path))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    characters = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)
    return CardFonts(REGULAR, BOLD, characters)


def printable(text: str, characters=None) -> str:
    """``text`` with every letter the card's fonts lack replaced by its base letter."""
    characters = card_fonts().characters if characters is None else characters
    out = []
    for char in text:
        if ord(char) in characters:
            out.append(char)
            continue
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", char.translate(BASE_LETTERS))
            if not unicodedata.combining(c)
        )
        out.append("".join(c for c in base if ord(c) in characters) or "?")
    return "".join(out)


def document_styles():
    """Paragraph styles of the documents (statements, a person's export): the card's look."""
    fonts = card_fonts()
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=10, leading=13, textColor=INK)
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.bold, fontSize=16, leading=20, textColor=BRAND
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, textColor=MUTED),
        "label": ParagraphStyle("label", parent=base, fontSize=9, textColor=MUTED),
        "text": base,
        "strong": ParagraphStyle("strong", parent=base, fontName=fonts.bold),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12),
        "number": ParagraphStyle(
            "number", parent=base, fontSize=9.5, leading=12, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle(
            "head", parent=base, fontName=fonts.bold, fontSize=9.5, leading=12, textColor=MUTED
        ),
        "head_number": ParagraphStyle(
            "head_number",
            parent=base,
            fontName=fonts.bold,
            fontSize=9.5,
            leading=12,
            textColor=MUTED,
            alignment=TA_RIGHT,
        ),
        "total": ParagraphStyle("total", parent=base, fontName=fonts.bold, fontSize=10.5),
        "total_number": ParagraphStyle(
            "total_number", parent=base, fontName=fonts.bold, fontSize=10.5, alignment=TA_RIGHT
        ),
    }


def a4_document(buffer, *, title, author, **options):
    """An A4 document with the margins and metadata of every printed page Vrijuit makes."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=printable(title),
        author=printable(author),
        creator="Vrijuit",
        subject="",
        pageCompression=1,
        **options,
    )
