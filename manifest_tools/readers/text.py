"""Turning bytes into text, and character offsets into lines and columns."""

from __future__ import annotations

import codecs
import os
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from manifest_tools.kinds import CSV_URL_HEADING
from manifest_tools.model import Position
from manifest_tools.redact import SURROGATE, UNDECODABLE_BYTE

BOM = "\ufeff"
_CSV_HEADER_START = re.compile(rf'"?[ \t]*{re.escape(CSV_URL_HEADING)}[ \t]*"?[ \t]*(?:,|\r|\n|$)', re.IGNORECASE)
"""The start of a CSV manifest's header row: ObjectUrl (any case, maybe quoted) as its first cell."""
_CHUNK_BITS = 14
_ONE = 1


_SNIFF_BYTES = 4096
_UTF_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")
_BINARY_SHARE = 0.05
"""More than this share of control bytes (other than tab and line ends) at the start: not a text file."""


HIGH_SURROGATES = range(0xD800, 0xDC00)
LOW_SURROGATES = range(0xDC00, 0xE000)
_ESCAPED_LOW = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def escaped_low_surrogate(text: str, at: int) -> int | None:
    """The low surrogate whose ``\\uXXXX`` escape starts at ``at`` (``\\udc00`` to ``\\udfff``, hex digits in
    either case), else None.

    The one rule of the pairing, as ``json.loads`` reads it: the escape of a high surrogate followed at once by
    a low one's is one character (:func:`joined_pair`); any other surrogate escape is lone, which UTF-8 cannot
    hold (MT108). The tolerant parser and the strict reader's search both ask this; the native scanner's copy
    (``_scan.c``) is tested against them on generated text (tests/readers/test_surrogate_pairs.py).
    """
    found = _ESCAPED_LOW.match(text, at)
    return int(found.group()[2:], 16) if found else None


def joined_pair(high: int, low: int) -> int:
    """The code point a high and a low surrogate stand for together."""
    return 0x10000 + ((high - HIGH_SURROGATES.start) << 10) + (low - LOW_SURROGATES.start)


def raw_surrogates(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(offset, code unit) of each surrogate held as is in ``text`` a library caller passed (decoded bytes never
    hold one): UTF-8, which the platform stores and both formats are written in, cannot. ASCII text is asked
    first (one pass at memory speed), so a plain file costs no search."""
    if text.isascii():
        return []
    return [(found.start(), ord(found.group())) for found in SURROGATE.finditer(text, start)]


RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The control characters a CSV manifest must not hold (MT107, as strict JSON refuses them raw in a string):
every C0 control but tab (the delimiter of a file MT701 names) and the line breaks (CSV's own, in a quoted
cell). The platform stores them into titles nobody sees; they come from pasting out of spreadsheets."""


def raw_controls(text: str) -> list[tuple[int, int]]:
    """(offset, code point) of each RAW_CONTROL in ``text``; one search at C speed finds none in a clean file."""
    if RAW_CONTROL.search(text) is None:
        return []
    return [(found.start(), ord(found.group())) for found in RAW_CONTROL.finditer(text)]


def lone_surrogate_message(unit: int) -> str:
    """MT108's sentence about a lone surrogate (one home for both readers)."""
    return (
        f"a lone surrogate \\u{unit:04x} (half of a UTF-16 pair, without its other half): UTF-8, which the"
        " platform stores, cannot hold it; write the character itself, or its escape as a full pair"
    )


def looks_like_other_format(text: str, read_as: str, path: str = "") -> str | None:
    """A sentence saying that ``text`` (what follows a byte order mark), read as ``read_as``, looks like a
    manifest of the other format (a CSV saved as .json, a JSON export saved as .csv); None when it does not.
    A ``path`` already named for the other format was read so by force (``--format``): not told to rename."""
    body = text.lstrip(" \t\r\n")
    if read_as == "json" and _CSV_HEADER_START.match(body):
        header = body.split("\n", 1)[0].strip()
        shown = header if len(header) <= 40 else f"{header[:40]}..."
        found = f"this looks like a CSV manifest (its first line is the header row {shown!r}), not JSON"
        return f"{found}: {_what_to_do(path, 'csv')}"
    if read_as == "csv" and body[:1] in ("{", "["):
        return f"this looks like a JSON manifest (it starts with {body[:1]!r}), not CSV: {_what_to_do(path, 'json')}"
    return None


def _what_to_do(path: str, other: str) -> str:
    if path.lower().endswith(f".{other}"):
        return f"read it as {other.upper()}, as its name says"
    return f"rename it .{other}, or read it as {other.upper()}"


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from UTF-8, with the offsets of bytes that were not UTF-8.

    ``unreadable`` says why the bytes are no UTF-8 text at all (UTF-16, binary): the
    reader then reports that once instead of a diagnostic per byte.
    """

    text: str
    size_bytes: int
    invalid_offsets: tuple[int, ...] = ()
    invalid_bytes: tuple[int, ...] = ()
    unreadable: str | None = None


def as_decoded(data: bytes | str | DecodedText) -> DecodedText:
    """Bytes decoded, text wrapped (its size in bytes bounded from above), decoded text as is."""
    if isinstance(data, DecodedText):
        return data
    if isinstance(data, bytes):
        return decode_utf8(data)
    return DecodedText(data, len(data) if data.isascii() else 4 * len(data))


def decode_utf8(data: bytes) -> DecodedText:
    """Decode ``data``; each byte that is not UTF-8 becomes U+FFFD and is recorded."""
    unreadable = sniff_unreadable(data)
    if unreadable is not None:
        return DecodedText("", len(data), unreadable=unreadable)
    try:
        return DecodedText(data.decode("utf-8"), len(data))
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")
    offsets, raw = [], []
    for match in UNDECODABLE_BYTE.finditer(escaped):
        offsets.append(match.start())
        raw.append(ord(match.group()) - 0xDC00)
    text = UNDECODABLE_BYTE.sub("\ufffd", escaped)
    return DecodedText(text, len(data), tuple(offsets), tuple(raw))


_PIECE_BYTES = 1 << 16


def read_text_again(path: str | os.PathLike[str], whole: bool = False) -> str:
    """The text :func:`decode_utf8` gives of the file at ``path``, read and decoded a piece at a time: a reader
    that dropped a file's text reads it again to place findings while the parsed tree is alive, and the
    pieces take memory the rules freed (small allocations) where the whole bytes would take a file's size
    more. ``whole``: read and decoded at once (a quarter less CPU), for a reader whose parsed tree, twice the
    text's size, is gone."""
    if whole:
        with open(path, "rb") as source:
            return decode_utf8(source.read()).text
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    pieces: list[str] = []
    with open(path, "rb") as source:
        data = source.read(max(_PIECE_BYTES, _SNIFF_BYTES))  # the head decode_utf8 sniffs, whole
        if sniff_unreadable(data) is not None:
            return ""
        while data:
            pieces.append(decoder.decode(data))
            data = source.read(_PIECE_BYTES)
    pieces.append(decoder.decode(b"", final=True))
    for at, piece in enumerate(pieces):  # bytes that are not UTF-8: each U+FFFD, as decode_utf8 writes it
        if not piece.isascii() and UNDECODABLE_BYTE.search(piece) is not None:
            pieces[at] = UNDECODABLE_BYTE.sub("\ufffd", piece)
    return "".join(pieces)


def sniff_unreadable(data: bytes) -> str | None:
    """Why ``data`` is not UTF-8 text (UTF-16 or UTF-32, or binary), from its first bytes; None if it may be.

    Text in a legacy 8-bit encoding (Latin-1, Windows-1251) is not flagged here: its
    invalid bytes are reported one by one, where they are.
    """
    head = data[:_SNIFF_BYTES]
    for bom, name in _UTF_BOMS:
        if head.startswith(bom):
            return f"this file is {name}: save it as UTF-8"
    wide = _wide_encoding(head) if len(head) >= 8 and head.count(0) * 4 >= len(head) else None
    if wide is not None:
        return f"this file is {wide}: save it as UTF-8"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if controls > _BINARY_SHARE * len(head) + 2:
        return "this is not a text file (binary data): a manifest is UTF-8 JSON or CSV text"
    return None


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, told by where the zero bytes of ASCII text fall."""
    share = 0.9 * (len(head) // 4)
    zeros = [head[i::4].count(0) for i in range(4)]
    if zeros[1] >= share and zeros[2] >= share:
        if zeros[3] >= share:
            return "UTF-32 (little-endian)"
        return "UTF-32 (big-endian)" if zeros[0] >= share else None
    odd, even = zeros[1] + zeros[3], zeros[0] + zeros[2]
    if odd > 4 * even:
        return "UTF-16 (little-endian)"
    return "UTF-16 (big-endian)" if even > 4 * odd else None


class LineIndex:
    """Converts character offsets to 1-based (line, column) in O(log n) per look-up.

    The text is cut into 16 KiB chunks. The first look-up in a chunk counts its newlines up
    to the offset (two C calls, nothing kept: 1,000 findings spread through a file each fall in
    a chunk of their own); at the second, the chunk's line starts are found (one ``split`` in
    C), and each look-up is then a binary search; the chunks before it only have their
    newlines counted. A clean file never
    builds anything, a file with a few findings builds the chunks they fall in (small: 1,000
    findings spread through 165 MB split 16 MB, not every line of the file), and
    100,000 findings cost a few microseconds each, on short lines or one long line alike.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines_before: list[int] = [0]
        """Newlines before each chunk (filled up to the furthest chunk looked up)."""
        self._last_newline_before: list[int] = [-1]
        self._line_starts: dict[int, array[int]] = {}
        self._seen: set[int] = set()
        """Chunks looked up once: a second look-up in one builds its line starts."""

    def position(self, offset: int) -> Position:
        text = self._text
        offset = max(0, min(offset, len(text)))
        chunk = offset >> _CHUNK_BITS
        lines_before = self._lines_before
        while len(lines_before) <= chunk:
            start = (len(lines_before) - 1) << _CHUNK_BITS
            end = start + (1 << _CHUNK_BITS)
            lines_before.append(lines_before[-1] + text.count("\n", start, end))
            last = text.rfind("\n", start, end)
            self._last_newline_before.append(last if last >= 0 else self._last_newline_before[-1])
        starts = self._line_starts.get(chunk)
        if starts is None:
            if chunk not in self._seen:  # the chunk's first look-up: counted up to the offset, nothing built
                self._seen.add(chunk)
                start = chunk << _CHUNK_BITS
                newline = text.rfind("\n", start, offset)
                if newline < 0:
                    newline = self._last_newline_before[chunk]
                return Position(lines_before[chunk] + text.count("\n", start, offset) + 1, offset - newline)
            starts = self._line_starts[chunk] = self._chunk_line_starts(chunk)
        before = bisect_right(starts, offset)
        newline = starts[before - 1] - 1 if before else self._last_newline_before[chunk]
        return Position(lines_before[chunk] + before + 1, offset - newline)

    def _chunk_line_starts(self, chunk: int) -> array[int]:
        """The offsets just after each newline in the chunk, in order."""
        start = chunk << _CHUNK_BITS
        pieces = self._text[start : start + (1 << _CHUNK_BITS)].split("\n")
        pieces.pop()  # the text after the chunk's last newline starts no line inside the chunk
        return array("q", accumulate(map(_ONE.__add__, map(len, pieces)), initial=start))[1:]
