"""The text of a simple PDF, read with the standard library only (no PDF package is
installed): enough for the tests to check what a reportlab page says.

It follows the PDF standard, not reportlab's code: objects, ``/ASCII85Decode`` and
``/FlateDecode`` streams, the ``/ToUnicode`` maps of embedded fonts, and the text shown
with ``Tj``/``TJ`` in the page content. Good for text-only pages; not a general reader.
"""

import base64
import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n")
ESCAPE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _decode(head, raw):
    filters = re.search(rb"/Filter\s*\[?([^\]>]*)", head)
    for name in re.findall(rb"/(\w+)", filters.group(1)) if filters else []:
        if name == b"ASCII85Decode":
            raw = base64.a85decode(raw.strip().removesuffix(b"~>"), adobe=False)
        elif name == b"FlateDecode":
            raw = zlib.decompress(raw)
    return raw


def _objects(data):
    objects = {}
    for match in OBJECT.finditer(data):
        number, body = int(match.group(1)), match.group(2)
        stream = STREAM.search(body)
        if stream:
            head = body[: stream.start()]
            length = int(re.search(rb"/Length (\d+)", head).group(1))
            objects[number] = (head, _decode(head, body[stream.end() : stream.end() + length]))
        else:
            objects[number] = (body, None)
    return objects


def _cmap(stream):
    """Code → text from a ToUnicode CMap (``bfchar`` and ``bfrange`` with a start value)."""
    codes = {}
    unhex = lambda h: bytes.fromhex(h.decode()).decode("utf-16-be")  # noqa: E731
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            codes[int(src, 16)] = unhex(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            first = ord(unhex(dst))
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                codes[code] = chr(first + offset)
    return codes


def _fonts(objects):
    """Resource name (``F2+0``) → code map (``None``: a standard font in WinAnsi)."""
    fonts = {}
    for head, _stream in objects.values():
        if b"/Type /Font" not in head:
            continue
        name = re.search(rb"/Name /(\S+)", head)
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if name:
            fonts[name.group(1)] = (
                _cmap(objects[int(to_unicode.group(1))][1]) if to_unicode else None
            )
    return fonts


def _literal(content, start):
    """The bytes of the string literal opening at ``content[start]`` and where it ends."""
    out, depth, i = bytearray(), 1, start + 1
    while depth:
        char = content[i : i + 1]
        if char == b"\\":
            following = content[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", content[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 1 + len(octal.group(0))
                continue
            out += ESCAPE.get(following, following)
            i += 2
            continue
        if char == b"(":
            depth += 1
        elif char == b")":
            depth -= 1
            if not depth:
                break
        out += char
        i += 1
    return bytes(out), i + 1


def pdf_text(data: bytes) -> str:
    """All the text shown on the pages: a line per text object, its lines joined by spaces."""
    objects = _objects(data)
    fonts = _fonts(objects)
    lines = []
    for head, stream in objects.values():
        if stream is None or b"BT" not in stream or b"/Length1" in head:
            continue
        font, i, line = None, 0, []
        while i < len(stream):
            if stream.startswith(b"/", i):
                name = re.match(rb"/(\S+)\s+[\d.]+\s+Tf", stream[i:])
                if name:
                    font = fonts.get(name.group(1))
                i += 1
            elif stream.startswith(b"(", i):
                raw, i = _literal(stream, i)
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
