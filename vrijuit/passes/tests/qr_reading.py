"""Read QR codes back in tests, with the standard library only.

A small decoder for what the pass prints: a version-1 QR code (21 by 21 modules) in numeric
or byte mode. It reads the format information, removes the mask, checks the Reed-Solomon
error-correction codewords against the data (so a module read wrongly fails the test
instead of being silently corrected), and decodes the data. The module matrix comes from
the PDF's drawing (``modules_from_rects``) or from segno's SVG (``modules_from_svg_path``).

Written after the QR specification (ISO/IEC 18004) and Project Nayuki's reference encoder.
"""

from __future__ import annotations

import re

VERSION_1_SIZE = 21
TOTAL_CODEWORDS_V1 = 26
EC_CODEWORDS_V1 = {"L": 7, "M": 10, "Q": 13, "H": 17}
FORMAT_LEVEL_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}

MASKS = [
    lambda x, y: (x + y) % 2 == 0,
    lambda x, y: y % 2 == 0,
    lambda x, y: x % 3 == 0,
    lambda x, y: (x + y) % 3 == 0,
    lambda x, y: (x // 3 + y // 2) % 2 == 0,
    lambda x, y: x * y % 2 + x * y % 3 == 0,
    lambda x, y: (x * y % 2 + x * y % 3) % 2 == 0,
    lambda x, y: ((x + y) % 2 + x * y % 3) % 2 == 0,
]


class QrError(AssertionError):
    pass


# --- module matrices from drawings --------------------------------------------------------


def modules_from_rects(rects):
    """The module matrix (``rows[y][x]``, True = dark) from filled rectangles
    ``(x, y, width, height)`` in PDF coordinates (y upwards), one per run of dark modules."""
    if not rects:
        raise QrError("no dark modules drawn")
    module = min(height for _x, _y, _w, height in rects)
    left = min(x for x, _y, _w, _h in rects)
    top = max(y + height for _x, y, _w, height in rects)
    right = max(x + width for x, _y, width, _h in rects)
    size = round((right - left) / module)
    rows = [[False] * size for _ in range(size)]
    for x, y, width, height in rects:
        row = round((top - (y + height)) / module)
        first = round((x - left) / module)
        for column in range(first, first + round(width / module)):
            for extra in range(round(height / module)):
                rows[row + extra][column] = True
    return rows


def modules_from_svg_path(svg, border=4):
    """The module matrix from the dark path of a segno SVG (``M``/``m`` moves, ``h`` runs)."""
    paths = re.findall(r'<path[^>]*\bstroke="#000"[^>]*\bd="([^"]+)"', svg)
    if len(paths) != 1:
        raise QrError(f"expected one dark path in the SVG, found {len(paths)}")
    width = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    size = int(width.group(1)) - 2 * border
    rows = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, *numbers in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:[\s,]+(-?[\d.]+))?", paths[0]):
        values = [float(n) for n in numbers if n]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            end = values[0] if command == "H" else x + values[0]
            row = int(y - 0.5) - border
            for column in range(int(x) - border, int(end) - border):
                rows[row][column] = True
            x = end
    return rows


# --- decoding ---------------------------------------------------------------------------


def _gf_multiply(x, y):
    z = 0
    for i in range(7, -1, -1):
        z = (z << 1) ^ ((z >> 7) * 0x11D)
        z ^= ((y >> i) & 1) * x
    return z


def reed_solomon_remainder(data, degree):
    divisor = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for j in range(degree):
            divisor[j] = _gf_multiply(divisor[j], root)
            if j + 1 < degree:
                divisor[j] ^= divisor[j + 1]
        root = _gf_multiply(root, 0x02)
    result = [0] * degree
    for byte in data:
        factor = byte ^ result.pop(0)
        result.append(0)
        for i, coefficient in enumerate(divisor):
            result[i] ^= _gf_multiply(coefficient, factor)
    return result


def _format_bits(level, mask):
    data = FORMAT_LEVEL_BITS[level] << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    return (data << 10 | remainder) ^ 0x5412


def _read_format(rows):
    bits = 0
    positions = [(8, i) for i in range(6)] + [(8, 7), (8, 8), (7, 8)]
    positions += [(14 - i, 8) for i in range(9, 15)]
    for i, (x, y) in enumerate(positions):
        bits |= int(rows[y][x]) << i
    candidates = [(level, mask) for level in FORMAT_LEVEL_BITS for mask in range(8)]
    distance, level, mask = min(
        (bin(_format_bits(level, mask) ^ bits).count("1"), level, mask)
        for level, mask in candidates
    )
    if distance > 3:
        raise QrError("the format information cannot be read")
    return level, mask


def _is_function_module(x, y, size):
    finder = (x < 9 and y < 9) or (x < 9 and y >= size - 8) or (x >= size - 8 and y < 9)
    return finder or x == 6 or y == 6


def _check_patterns(rows):
    size = len(rows)
    for x0, y0 in ((0, 0), (size - 7, 0), (0, size - 7)):
        for dy in range(7):
            for dx in range(7):
                ring = max(abs(dx - 3), abs(dy - 3))
                if rows[y0 + dy][x0 + dx] != (ring != 2):
                    raise QrError(f"finder pattern broken at ({x0 + dx}, {y0 + dy})")
    for i in range(8, size - 8):
        if rows[6][i] != (i % 2 == 0) or rows[i][6] != (i % 2 == 0):
            raise QrError("timing pattern broken")


def decode(rows):
    """The text in a version-1 QR code; ``(text, level)``. Raises ``QrError`` when unreadable."""
    size = len(rows)
    if size != VERSION_1_SIZE or any(len(row) != size for row in rows):
        raise QrError(f"expected a version-1 QR code of 21 by 21 modules, got {size}")
    _check_patterns(rows)
    level, mask = _read_format(rows)

    bits = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = ((right + 1) & 2) == 0
        for vertical in range(size):
            y = size - 1 - vertical if upward else vertical
            for j in range(2):
                x = right - j
                if not _is_function_module(x, y, size):
                    bits.append(rows[y][x] ^ MASKS[mask](x, y))
        right -= 2
    codewords = [
        int("".join(str(int(b)) for b in bits[i : i + 8]), 2)
        for i in range(0, TOTAL_CODEWORDS_V1 * 8, 8)
    ]
    ec_count = EC_CODEWORDS_V1[level]
    data, ec = codewords[:-ec_count], codewords[-ec_count:]
    if reed_solomon_remainder(data, ec_count) != ec:
        raise QrError("the error-correction codewords do not match the data")
    return _parse_segments(data), level


def _parse_segments(data):
    stream = "".join(f"{byte:08b}" for byte in data)
    position, text = 0, []

    def take(count):
        nonlocal position
        value = stream[position : position + count]
        position += count
        return int(value, 2) if value else 0

    while position + 4 <= len(stream):
        mode = take(4)
        if mode == 0:
            break
        if mode == 0b0001:  # numeric
            count = take(10)
            while count >= 3:
                text.append(f"{take(10):03d}")
                count -= 3
            if count == 2:
                text.append(f"{take(7):02d}")
            elif count == 1:
                text.append(str(take(4)))
        elif mode == 0b0100:  # bytes
            count = take(8)
            text.append(bytes(take(8) for _ in range(count)).decode("utf-8"))
        else:
            raise QrError(f"unsupported mode {mode:04b}")
    return "".join(text)
