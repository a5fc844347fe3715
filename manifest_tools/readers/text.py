"""Turning bytes into text, and character offsets into lines and columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from manifest_tools.model import Position

BOM = "\ufeff"
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_CHECKPOINT = 1 << 20


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from UTF-8, with the offsets of bytes that were not UTF-8."""

    text: str
    size_bytes: int
    invalid_offsets: tuple[int, ...] = ()
    invalid_bytes: tuple[int, ...] = ()


def as_decoded(data: bytes | str | DecodedText) -> DecodedText:
    """Bytes decoded, text wrapped (its size in bytes bounded from above), decoded text as is."""
    if isinstance(data, DecodedText):
        return data
    if isinstance(data, bytes):
        return decode_utf8(data)
    return DecodedText(data, len(data) if data.isascii() else 4 * len(data))


def decode_utf8(data: bytes) -> DecodedText:
    """Decode ``data``; each byte that is not UTF-8 becomes U+FFFD and is recorded."""
    try:
        return DecodedText(data.decode("utf-8"), len(data))
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")
    offsets, raw = [], []
    for match in _ESCAPED_BYTE.finditer(escaped):
        offsets.append(match.start())
        raw.append(ord(match.group()) - 0xDC00)
    text = _ESCAPED_BYTE.sub("\ufffd", escaped)
    return DecodedText(text, len(data), tuple(offsets), tuple(raw))


class LineIndex:
    """Converts character offsets to 1-based (line, column) without storing every line.

    A maximum-size manifest has millions of lines; only a newline count per MiB
    of text is kept, and each look-up counts from the nearest checkpoint.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines_before: list[int] = [0]

    def position(self, offset: int) -> Position:
        text = self._text
        offset = max(0, min(offset, len(text)))
        chunk = offset // _CHECKPOINT
        while len(self._lines_before) <= chunk:
            k = len(self._lines_before)
            self._lines_before.append(self._lines_before[-1] + text.count("\n", (k - 1) * _CHECKPOINT, k * _CHECKPOINT))
        line = self._lines_before[chunk] + text.count("\n", chunk * _CHECKPOINT, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return Position(line, column)
