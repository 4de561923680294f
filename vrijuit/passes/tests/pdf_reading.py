"""Read back what the card PDF draws, with the standard library only.

Enough of PDF for reportlab's output (streams plain, Flate or ASCII85): the objects, the
page's size, and the page's content stream run through a tiny interpreter that collects the
lines of text (each ``Tj``, decoded through the font's ``ToUnicode`` map) and the filled
rectangles (in page coordinates, with their fill colour).
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass, field

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
STREAM = re.compile(rb"^(<<.*?>>)\s*stream\r?\n(.*)endstream$", re.S)
TOKEN = re.compile(
    rb"\s*(?:(?P<string>\()|(?P<hex><[0-9A-Fa-f\s]*>)|(?P<name>/[^\s/\[\]()<>]+)"
    rb"|(?P<array>[\[\]])|(?P<number>[-+]?(?:\d+\.?\d*|\.\d+))|(?P<op>[A-Za-z'\"*]+))"
)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass
class Page:
    width: float
    height: float
    lines: list[str] = field(default_factory=list)
    # (x, y, width, height, (r, g, b)) in page coordinates
    rects: list[tuple] = field(default_factory=list)

    @property
    def text(self):
        return "\n".join(self.lines)

    def filled_rects(self, colour):
        return [(x, y, w, h) for x, y, w, h, fill in self.rects if fill == colour]


class Pdf:
    def __init__(self, data: bytes):
        if not data.startswith(b"%PDF-"):
            raise AssertionError("not a PDF: " + repr(data[:20]))
        self.data = data
        self.objects = {int(n): body for n, body in OBJECT.findall(data)}

    def dictionary(self, number):
        body = self.objects[number]
        match = STREAM.match(body)
        return match.group(1) if match else body

    def stream(self, number):
        match = STREAM.match(self.objects[number])
        if match is None:
            raise AssertionError(f"object {number} has no stream")
        head, raw = match.groups()
        raw = raw[: int(re.search(rb"/Length\s+(\d+)", head).group(1))]
        filters = re.search(rb"/Filter\s*(\[[^\]]*\]|/\w+)", head)
        for name in re.findall(rb"/(\w+)", filters.group(1)) if filters else []:
            if name == b"ASCII85Decode":
                raw = base64.a85decode(re.sub(rb"\s", b"", raw).removesuffix(b"~>"))
            elif name == b"FlateDecode":
                raw = zlib.decompress(raw)
            else:
                raise AssertionError(f"filter {name.decode()} is not supported here")
        return raw

    def pages(self):
        numbers = [
            n for n, body in self.objects.items() if re.search(rb"/Type\s*/Page\b(?!s)", body)
        ]
        return [self._page(n) for n in sorted(numbers)]

    def _page(self, number):
        head = self.dictionary(number)
        box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", head).group(1).split()]
        contents = int(re.search(rb"/Contents\s+(\d+) 0 R", head).group(1))
        page = Page(width=box[2] - box[0], height=box[3] - box[1])
        _run(self.stream(contents), page, self.fonts())
        return page

    def fonts(self):
        """``{resource name: {code: text}}`` for every font with a ToUnicode map."""
        fonts = {}
        for number in self.objects:
            head = self.dictionary(number)
            name = re.search(rb"/Name\s*/([^\s/>]+)", head)
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", head)
            if b"/Font" in head and name and to_unicode:
                fonts[name.group(1).decode()] = _cmap(self.stream(int(to_unicode.group(1))))
        return fonts


def _cmap(data):
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(int(start, 16) + offset)
    return mapping


def read_literal(data, start):
    """The bytes of the literal string opening at ``data[start] == '('``, and where it ends."""
    out, depth, i = bytearray(), 1, start + 1
    while True:
        char = data[i : i + 1]
        if char == b"\\":
            following = data[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8) & 0xFF)
                i += 1 + len(octal.group(0))
                continue
            out += ESCAPES.get(following, following)
            i += 2
            continue
        if char == b"(":
            depth += 1
        elif char == b")":
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out += char
        i += 1


def _tokens(data):
    position = 0
    while True:
        match = TOKEN.match(data, position)
        if match is None:
            return
        if match.group("string"):
            value, position = read_literal(data, match.start("string"))
            yield "string", value
            continue
        position = match.end()
        for kind in ("hex", "name", "array", "number", "op"):
            value = match.group(kind)
            if value is not None:
                if kind == "number":
                    yield kind, float(value)
                elif kind == "hex":
                    yield "string", bytes.fromhex(re.sub(rb"\s", b"", value[1:-1]).decode())
                else:
                    yield kind, value.decode()
                break


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _run(stream, page, fonts):
    """Interpret the operators that matter here: q Q cm rg re f f* n Tf Tj."""
    matrix, stack, operands = (1, 0, 0, 1, 0, 0), [], []
    fill, pending_rects, font = (0.0, 0.0, 0.0), [], None
    for kind, value in _tokens(stream):
        if kind != "op":
            operands.append(value)
            continue
        if value == "q":
            stack.append((matrix, fill))
        elif value == "Q":
            matrix, fill = stack.pop()
        elif value == "cm":
            matrix = _multiply(tuple(operands[-6:]), matrix)
        elif value == "rg":
            fill = tuple(round(v, 3) for v in operands[-3:])
        elif value == "re":
            x, y, w, h = operands[-4:]
            a, _b, _c, d, e, f = matrix
            pending_rects.append((a * x + e, d * y + f, a * w, d * h))
        elif value in ("f", "f*", "F", "B", "B*"):
            page.rects += [(*rect, fill) for rect in pending_rects]
            pending_rects = []
        elif value in ("n", "S", "s"):
            pending_rects = []
        elif value == "Tf":
            font = operands[-2]
        elif value == "Tj":
            raw = operands[-1]
            mapping = fonts.get((font or "").lstrip("/"))
            if mapping is None:
                page.lines.append(raw.decode("cp1252"))
            else:
                page.lines.append("".join(mapping.get(code, "\ufffd") for code in raw))
        operands = []


def read_pdf(data: bytes) -> Page:
    """The one page of a one-page PDF."""
    pages = Pdf(data).pages()
    if len(pages) != 1:
        raise AssertionError(f"expected one page, found {len(pages)}")
    return pages[0]
