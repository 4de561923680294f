"""The text of a simple PDF, read with the standard library only (no PDF package is
installed): enough for the tests to check what a reportlab page says.

Objects, streams, fonts and string literals are read by ``passes.tests.pdf_reading``; this
collects the text shown with ``Tj``/``TJ`` per text object, on every page. Good for
text-only pages; not a general reader.
"""

import re

from vrijuit.passes.tests.pdf_reading import STREAM, Pdf, read_literal


def pdf_text(data: bytes) -> str:
    """All the text shown on the pages: a line per text object, its lines joined by spaces."""
    pdf = Pdf(data)
    fonts = pdf.fonts()  # without a ToUnicode map: a standard font in WinAnsi
    lines = []
    for number, body in pdf.objects.items():
        match = STREAM.match(body)
        if match is None or b"/Length1" in match.group(1):  # not a stream, or a font file
            continue
        stream = pdf.stream(number)
        if b"BT" not in stream:
            continue
        font, i, line = None, 0, []
        while i < len(stream):
            if stream.startswith(b"/", i):
                name = re.match(rb"/(\S+)\s+[\d.]+\s+Tf", stream[i:])
                if name:
                    font = fonts.get(name.group(1).decode())
                i += 1
            elif stream.startswith(b"(", i):
                raw, i = read_literal(stream, i)
                if font is None:
                    line.append(raw.decode("cp1252", "replace"))
                else:
                    line.append("".join(font.get(code, "?") for code in raw))
            elif stream.startswith((b"Td", b"TD", b"T*"), i) and line:
                line.append(" ")  # a new line inside the text object
                i += 2
            elif stream.startswith(b"ET", i):
                lines.append(re.sub(r" +", " ", "".join(line)).strip())
                line = []
                i += 2
            else:
                i += 1
    return "\n".join(text for text in lines if text)
