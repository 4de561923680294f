"""The printable pass: one credit-card-sized PDF page (ISO/IEC 7810 ID-1, 85.6 x 54 mm).

The card shows the network's name, the holder's first name, the pass number as a QR code
and in groups of four, and one line of instructions. Nothing on it depends on the
reduced-tariff status: the only inputs are the network's name, the first name, the number
and the language, so cards with and without status cannot differ in anything else.

The PDF is deterministic (reportlab's ``invariant``): the same inputs give the same bytes,
with no creation date in it.
"""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from django.utils import translation
from django.utils.translation import gettext as _

from vrijuit.core.printing import BRAND, INK, MUTED, card_fonts, printable

from .numbers import format_number

# ISO/IEC 7810 ID-1
CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
CORNER_RADIUS = 3.18 * mm

MARGIN = 4 * mm
BAND_HEIGHT = 12 * mm
# The QR box includes the quiet zone of 4 modules; for a 13-digit number (version 1,
# 21 modules) the symbol itself is 32 * 21 / 29 ≈ 23 mm wide: about 1.1 mm per module.
QR_BOX = 32 * mm
QR_X = 2 * mm
QR_Y = 5 * mm
QR_QUIET_MODULES = 4
TEXT_X = QR_X + QR_BOX + 2 * mm
TEXT_WIDTH = CARD_WIDTH - TEXT_X - MARGIN

CUT_LINE = HexColor("#c9d1d9")


def _fit_size(text, font, size, width, minimum):
    """The largest size from ``size`` down to ``minimum`` at which ``text`` fits ``width``."""
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def _draw_fitted(c, text, font, x, y, *, size, minimum, width, lines=1, leading=1.15):
    """Draw ``text`` shrunk to fit ``width``; at the minimum size wrap to at most ``lines``."""
    size = _fit_size(text, font, size, width, minimum)
    parts = simpleSplit(text, font, size, width) if lines > 1 else [text]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], " ".join(parts[lines - 1 :])]
    c.setFont(font, size)
    for index, part in enumerate(parts):
        c.drawString(x, y - index * size * leading, part)
    return size, len(parts)


def _qr_drawing(number):
    widget = QrCodeWidget(
        number, barLevel="M", barWidth=QR_BOX, barHeight=QR_BOX, barBorder=QR_QUIET_MODULES
    )
    drawing = Drawing(QR_BOX, QR_BOX)
    drawing.add(widget)
    return drawing


def render_card_pdf(pass_, *, language=None) -> bytes:
    """The pass as a one-page, credit-card-sized PDF.

    ``language`` is the language of the one line of instructions: by default the holder's
    preferred language.
    """
    participant = pass_.participant
    language = language or participant.language or "nl"
    with translation.override(language):
        return _render(
            network_name=pass_.network.name,
            first_name=participant.first_name,
            number=pass_.number,
            title=_("Pass"),
            label=_("Pass number"),
            instruction=_("Show this pass at the till."),
        )


def _render(*, network_name, first_name, number, title, label, instruction) -> bytes:
    fonts = card_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(
        buffer,
        pagesize=(CARD_WIDTH, CARD_HEIGHT),
        invariant=1,
        pageCompression=1,
        pdfVersion=(1, 4),
    )
    c.setTitle(f"{printable(network_name)} – {title}")
    c.setAuthor(printable(network_name))
    c.setCreator("Vrijuit")
    c.setSubject("")

    # The coloured band with the network's name, inside the card's rounded corners.
    c.saveState()
    outline = c.beginPath()
    outline.roundRect(0, 0, CARD_WIDTH, CARD_HEIGHT, CORNER_RADIUS)
    c.clipPath(outline, stroke=0, fill=0)
    c.setFillColor(BRAND)
    c.rect(0, CARD_HEIGHT - BAND_HEIGHT, CARD_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
    c.restoreState()

    name_text = printable(network_name)
    c.setFillColor(white)
    size = _fit_size(name_text, fonts.bold, 11, CARD_WIDTH - 2 * MARGIN, 7)
    one_line = pdfmetrics.stringWidth(name_text, fonts.bold, size) <= CARD_WIDTH - 2 * MARGIN
    band_middle = CARD_HEIGHT - BAND_HEIGHT / 2
    first_baseline = band_middle - size * 0.35 if one_line else band_middle + size * 0.2
    _draw_fitted(
        c,
        name_text,
        fonts.bold,
        MARGIN,
        first_baseline,
        size=size,
        minimum=7,
        width=CARD_WIDTH - 2 * MARGIN,
        lines=2,
        leading=1.05,
    )

    # The QR code of the number (error correction M), with its quiet zone on white.
    renderPDF.draw(_qr_drawing(number), c, QR_X, QR_Y)

    # The holder's first name, the number in groups of four, the instruction.
    c.setFillColor(INK)
    _draw_fitted(
        c,
        printable(first_name),
        fonts.bold,
        TEXT_X,
        CARD_HEIGHT - BAND_HEIGHT - 9 * mm,
        size=15,
        minimum=8,
        width=TEXT_WIDTH,
        lines=2,
        leading=1.05,
    )
    c.setFillColor(MUTED)
    _draw_fitted(
        c, printable(label), fonts.regular, TEXT_X, 24 * mm, size=7, minimum=5.5, width=TEXT_WIDTH
    )
    c.setFillColor(INK)
    _draw_fitted(
        c,
        format_number(number),
        fonts.bold,
        TEXT_X,
        19 * mm,
        size=12,
        minimum=8,
        width=TEXT_WIDTH,
    )
    c.setFillColor(MUTED)
    _draw_fitted(
        c,
        printable(instruction),
        fonts.regular,
        TEXT_X,
        9 * mm,
        size=7.5,
        minimum=6,
        width=TEXT_WIDTH,
        lines=2,
    )

    # A hairline along the edge, to cut the card out when it is printed on a larger sheet.
    c.setStrokeColor(CUT_LINE)
    c.setLineWidth(0.25)
    c.roundRect(0.125, 0.125, CARD_WIDTH - 0.25, CARD_HEIGHT - 0.25, CORNER_RADIUS, stroke=1)

    c.showPage()
    c.save()
    return buffer.getvalue()
