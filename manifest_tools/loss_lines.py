"""The lines that report losses (``SOURCE:LINE:COLUMN: LABEL: MESSAGE (POINTER)``), located in bulk.

``convert --drop-unsupported`` may report 800,000 lost fields. Walking the JSON to each pointer costs
microseconds of Python per loss; instead, most losses name an object's member (an item's field, a
top-level key), and those are found by counting. In strict JSON with no escaped quote, every ``"`` opens
or closes a string, so ``"NAME"`` (a name with no quote, blank, escape or punctuation) is always a whole
string. Each lost member's key is one such string. If the text holds ``"NAME"`` exactly as many times as
there are losses naming it, those strings are the keys of exactly those members, and, the losses being
listed in file order, the n-th ``"NAME" :`` is the n-th loss's key (its value starts where that match
ends, as :class:`~manifest_tools.readers.json_locator.JsonLocator` says). So one regex pass per name
gives every position, and a table of newline offsets turns offsets into lines and columns by bisection;
runs of items (:class:`~manifest_tools.losses.FieldLosses`) are formatted a column at a time.

Anything else (a name also seen elsewhere, a key spelled with ``\\u`` escapes, an escaped quote in the
text, a CSV source, a loss naming a whole item) is located one by one, as the locator finds it.
"""

from __future__ import annotations

import codecs
import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice, repeat
from operator import sub

from manifest_tools.codes import Code
from manifest_tools.losses import FieldLosses, Loss, LossList, Part
from manifest_tools.model import Manifest
from manifest_tools.readers.json_locator import JsonLocator
from manifest_tools.redact import MAX_MESSAGE_CHARS, for_message

BATCH_LINES = 10_000
"""Lines written at once: one write per line cost as much as locating them; all at once, their memory."""

BLOCK_BYTES = 1 << 20
"""The file is read again this much at a time: the positions need no copy of it whole."""
_PLAIN_NAME = re.compile(r'[^\x00-\x20"\\{}\[\]:,/~\x7f]+')
"""A name whose every spelling in JSON text without escapes is ``"NAME"`` and whose first character
cannot follow a closing quote (blanks and punctuation can)."""
_ESCAPED_KEY = re.compile(r'\\u[^"]*"[ \t\n\r]*:')
"""A key with a ``\\u`` escape (in text without escaped quotes, ``[^"]*"`` ends at its string's end)."""
_NEWLINE = re.compile("\n")
_END = re.Match.end
_START = re.Match.start
_BEFORE = (-1).__add__
_READER_NOTES = frozenset({Code.MT109})
"""Reader findings on text the strict parser read as it is (a byte order mark)."""


def loss_lines(
    source: str, manifest: Manifest, *lists: tuple[Iterable[Loss], str], path: str | None = None
) -> Iterator[list[str]]:
    """Batches of report lines for each list of (losses, label), in order: each loss at its line and column
    in the source (``path``: the file it was read from, read again a piece at a time, once for all lists)."""
    groups = [(losses.parts if isinstance(losses, LossList) else list(losses), label) for losses, label in lists]
    located = _Located(manifest, [parts for parts, _ in groups], path)
    batch: list[str] = []
    for parts, label in groups:
        prefix = f"{label}: " if label else ""
        for part in parts:
            for lines in _part_lines(source, prefix, part, located):
                batch += lines
                if len(batch) >= BATCH_LINES:
                    yield batch
                    batch = []
    if batch:
        yield batch


def _part_lines(source: str, prefix: str, part: Part, located: _Located) -> Iterator[list[str]]:
    """The lines of one part of a list: a loss, or a run of items in slices of at most ``BATCH_LINES``."""
    if isinstance(part, Loss):
        line, column = located.single(part.pointer)
        yield [for_message(f"{source}:{line}:{column}: {prefix}{part.message} ({part.pointer})")]
        return
    step = max(1, BATCH_LINES // len(part.found))
    for start in range(0, len(part.indices), step):
        yield located.run(source, prefix, part, part.indices[start : start + step])


class _Located:
    """Positions of the losses of some lists, in list order: members by counting, the rest by the locator.

    A name counted in two lists is located one by one: the lists need not be in file order one after the other.
    """

    def __init__(self, manifest: Manifest, lists: Sequence[Sequence[Part]], path: str | None) -> None:
        self._locator = manifest.locator
        self._keys: dict[str, Iterator[int]] = {}
        """Offsets of the values of the members each countable name names, in file order."""
        self._newlines = array("q", [-1])
        locator = manifest.locator
        if not isinstance(locator, JsonLocator) or manifest.duplicates:
            return
        if any(d.code not in _READER_NOTES for d in manifest.reader_diagnostics):
            return  # read by the tolerant parser: comments, quotes of either kind
        counted = [_member_counts(parts) for parts in lists]
        wanted = sum(counted, Counter())
        for name in [name for name in wanted if sum(name in counts for counts in counted) > 1]:
            del wanted[name]
        if not wanted:
            return
        found = _scan(_file_text(path) if path is not None else (locator.text,), wanted)
        if found is None:
            return
        counts, offsets, newlines = found
        self._keys = {name: iter(offsets[name]) for name, n in wanted.items() if counts[name] == n}
        if self._keys:
            self._newlines = newlines

    def single(self, pointer: str) -> tuple[int, int]:
        """Line and column of one loss (the next of its name's offsets if it names a top-level key)."""
        keys = self._keys.get(pointer[1:]) if pointer.count("/") == 1 else None
        if keys is None:
            where = self._locator.locate(pointer)
            return where.line, where.column
        offset = next(keys)
        line = bisect_left(self._newlines, offset)
        return line, offset - self._newlines[line - 1]

    def run(self, source: str, prefix: str, part: FieldLosses, indices: Sequence[int]) -> list[str]:
        """The lines of ``part``'s losses at ``indices``, item by item, a column (one field) at a time."""
        columns = []
        for token, message in part.found:
            keys = self._keys.get(token)
            if keys is None:
                lines = []
                for index in indices:
                    pointer = f"/{part.owner}/{index}/{token}"
                    where = self._locator.locate(pointer)
                    lines.append(for_message(f"{source}:{where.line}:{where.column}: {prefix}{message} ({pointer})"))
                columns.append(lines)
                continue
            offsets = list(islice(keys, len(indices)))
            assert len(offsets) == len(indices), "counted: one key per loss"
            # The newlines around these offsets, as a list: bisecting it boxes no integers, the array would.
            first = bisect_left(self._newlines, offsets[0]) - 1  # the last newline before them (-1 at least)
            window = self._newlines[first : bisect_left(self._newlines, offsets[-1])].tolist()
            after = list(map(bisect_left, repeat(window), offsets))  # 1 + the window's newlines before each
            column_numbers = map(sub, offsets, map(window.__getitem__, map(_BEFORE, after)))
            fixed = f"{source}{prefix}{message}{part.owner}{token}"
            template = (
                f"{_percent(source)}:%d:%d: {_percent(prefix + message)} (/{_percent(part.owner)}/%d/{_percent(token)})"
            )
            lines = list(map(template.__mod__, zip(map(first.__add__, after), column_numbers, indices, strict=True)))
            if not _shown_as_is(fixed, template):
                lines = list(map(for_message, lines))
            columns.append(lines)
        return columns[0] if len(columns) == 1 else list(chain.from_iterable(zip(*columns, strict=True)))


def _scan(chunks: Iterable[str], wanted: Counter[str]) -> tuple[Counter[str], dict[str, array[int]], array[int]] | None:
    """One pass over the text (in pieces, never whole): how often each wanted name is written as a string,
    the offsets where the values of keys so named start, and the offsets of the newlines (after -1); None
    if the text holds an escaped quote. A name some key spells with ``\\u`` escapes is not counted.

    The text is cut just after a comma: none of what is searched for can hold one (a key a wanted name
    is spelled with has none even escaped, as the name has none), so nothing is cut in two.
    """
    counts: Counter[str] = Counter()
    offsets = {name: array("q") for name in wanted}
    patterns = {name: re.compile(f'"{re.escape(name)}"[ \\t\\n\\r]*:[ \\t\\n\\r]*') for name in wanted}
    newlines = array("q", [-1])
    escaped: set[str] = set()
    base, carry = 0, ""
    for chunk in chain(chunks, [None]):
        if chunk is None:
            piece, carry = carry, ""
        else:
            text = carry + chunk if carry else chunk
            cut = text.rfind(",") + 1
            piece, carry = text[:cut], text[cut:]
        if not piece:
            continue
        shift = base.__add__
        for name, pattern in patterns.items():
            counts[name] += piece.count(f'"{name}"')
            offsets[name].extend(map(shift, map(_END, pattern.finditer(piece))))
        newlines.extend(map(shift, map(_START, _NEWLINE.finditer(piece))))
        if "\\u" in piece:
            escaped.update(_escaped_key(piece, match.start()) or "" for match in _ESCAPED_KEY.finditer(piece))
        base += len(piece)
    for name in escaped:
        counts.pop(name, None)  # not found by its plain spelling
    return counts, offsets, newlines


def _file_text(path: str) -> Iterator[str]:
    """The text of the file at ``path``, a mebibyte at a time (as the reader decoded it: UTF-8, BOM kept)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as source:
        while block := source.read(BLOCK_BYTES):
            yield decoder.decode(block)
    yield decoder.decode(b"", final=True)


def _member_counts(parts: Sequence[Part]) -> Counter[str]:
    """How many losses name a member by each countable name: fields of items and top-level keys."""
    counts: Counter[str] = Counter()
    for part in parts:
        if isinstance(part, FieldLosses):
            for token, _ in part.found:
                counts[token] += len(part.indices)
        elif part.pointer.count("/") == 1:
            counts[part.pointer[1:]] += 1
    return Counter({name: n for name, n in counts.items() if _PLAIN_NAME.fullmatch(name)})


def _escaped_key(text: str, escape: int) -> str | None:
    """The key whose string holds the escape at ``escape`` (the text has no escaped quote), decoded."""
    import json

    opening, closing = text.rfind('"', 0, escape), text.find('"', escape)
    try:
        key = json.loads(text[opening : closing + 1])
    except ValueError:
        return None
    return key if isinstance(key, str) else None


def _percent(text: str) -> str:
    return text.replace("%", "%%")


def _shown_as_is(fixed: str, template: str) -> bool:
    """Whether :func:`for_message` leaves every line of ``template`` as it is: nothing a secret needs, ASCII,
    and short whatever the numbers (three of at most 20 digits)."""
    return "=" not in fixed and "@" not in fixed and fixed.isascii() and len(template) + 60 <= MAX_MESSAGE_CHARS
