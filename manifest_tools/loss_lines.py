"""The lines that report losses (``SOURCE:LINE:COLUMN: LABEL: MESSAGE (POINTER)``), located in bulk.

``convert --drop-unsupported`` may report 800,000 lost fields. Walking the JSON to each pointer costs
microseconds of Python per loss; instead, the losses that name an object's member (an item's field, a
top-level key) are found by counting. Take a name with no quote, backslash, blank or punctuation
(``imageMetadata``). Each lost member's key is written ``"imageMetadata"`` unless it is spelled with
``\\u`` escapes (looked for, and then the name is left out), and no other ``"imageMetadata"`` in strict
JSON can overlap one of those. So if the text holds ``"imageMetadata"`` exactly as many times as losses
name it, those are the lost members' keys and nothing else, and as the losses are listed in file order,
the n-th is the n-th loss's key; its value starts after the colon, where
:class:`~manifest_tools.readers.json_locator.JsonLocator` places it. One pass over the file, re-read a
piece at a time, counts the names and the newlines between one key and the next; runs of items
(:class:`~manifest_tools.losses.FieldLosses`) are formatted a field at a time.

Anything else (a name also written elsewhere, or spelled with escapes, or named in two lists; a CSV
source; text the tolerant parser read; a loss naming a whole item) is located one by one, as before.
"""

from __future__ import annotations

import codecs
import re
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain, islice, repeat
from operator import sub

from manifest_tools.codes import Code
from manifest_tools.collector import collector_paused
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
"""A key with a ``\\u`` escape and no escaped quote after it (none in a plain name's spellings)."""
_END = re.Match.end
_GROUP = repeat(1)
_NEWLINES = repeat("\n")
_FEW = 64
"""Names lost at most this often (top-level keys: flags, unknown keys, a kind's note) are searched for
as plain text, where a regex search would cost a pass of its own."""
_Positions = tuple["array[int]", "array[int]"]
"""Lines and columns, one of each per key found."""
_READER_NOTES = frozenset({Code.MT109})
"""Reader findings on text the strict parser read as it is (a byte order mark)."""


def loss_lines(
    source: str, manifest: Manifest, *lists: tuple[Iterable[Loss], str], path: str | None = None
) -> Iterator[list[str]]:
    """Batches of report lines for each list of (losses, label), in order: each loss at its line and column
    in the source (``path``: the file it was read from, read again a piece at a time, once for all lists)."""
    groups = [(losses.parts if isinstance(losses, LossList) else list(losses), label) for losses, label in lists]
    with collector_paused():  # (see manifest_tools.collector)
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
        with collector_paused():
            lines = located.run(source, prefix, part, part.indices[start : start + step])
        yield lines


class _Located:
    """Positions of the losses of some lists, in list order: members by counting, the rest by the locator.

    A name counted in two lists is located one by one: the lists need not be in file order one after the other.
    """

    def __init__(self, manifest: Manifest, lists: Sequence[Sequence[Part]], path: str | None) -> None:
        self._locator = manifest.locator
        self._keys: dict[str, tuple[Iterator[int], Iterator[int]]] = {}
        """Lines and columns of the values of the members each countable name names, in file order."""
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
        counts, found = _scan(_file_text(path) if path is not None else (locator.text,), wanted)
        self._keys = {
            name: (iter(found[name][0]), iter(found[name][1])) for name, n in wanted.items() if counts[name] == n
        }

    def single(self, pointer: str) -> tuple[int, int]:
        """Line and column of one loss (the next of its name's offsets if it names a top-level key)."""
        keys = self._keys.get(pointer[1:]) if pointer.count("/") == 1 else None
        if keys is None:
            where = self._locator.locate(pointer)
            return where.line, where.column
        lines, columns = keys
        return next(lines), next(columns)

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
            lines_of, columns_of = keys
            count = len(indices)
            fixed = f"{source}{prefix}{message}{part.owner}{token}"
            template = (
                f"{_percent(source)}:%d:%d: {_percent(prefix + message)} (/{_percent(part.owner)}/%d/{_percent(token)})"
            )
            # strict: counted, there is one key for each loss
            lines = list(
                map(template.__mod__, zip(islice(lines_of, count), islice(columns_of, count), indices, strict=True))
            )
            if not _shown_as_is(fixed, template):
                lines = list(map(for_message, lines))
            columns.append(lines)
        return columns[0] if len(columns) == 1 else list(chain.from_iterable(zip(*columns, strict=True)))


def _scan(chunks: Iterable[str], wanted: Counter[str]) -> tuple[Counter[str], dict[str, _Positions]]:
    """One pass over the text (in pieces, never whole): how often each wanted name is written as a string,
    and the line and column where the value of each key so named starts. A name some key spells with
    ``\\u`` escapes is not counted.

    The text is cut just after a comma: none of what is searched for can hold one (a key a wanted name
    is spelled with has none even escaped, as the name has none), so nothing is cut in two. Lines are
    counted between one key and the next, so a long line is never searched again for its start; each step
    is a call of a C function, mapped over the keys of a piece (a Python step per key cost twice as much).
    """
    counts: Counter[str] = Counter()
    found = {name: (array("q"), array("q")) for name in wanted}
    # Every "NAME", with what makes it a key when it is one (no end of group 1, -1, when it is not: then
    # the name is written more often than it is lost, and its positions are not used).
    patterns = {name: re.compile(f'"{re.escape(name)}"([ \\t\\n\\r]*:[ \\t\\n\\r]*)?') for name in wanted}
    escaped: set[str] = set()
    base, carry = 0, ""
    lines_before, last_newline = 1, -1  # the line the piece starts on, the offset of the newline before it
    for chunk in chain(chunks, [None]):
        if chunk is None:
            piece, carry = carry, ""
        else:
            text = carry + chunk if carry else chunk
            cut = text.rfind(",") + 1
            piece, carry = text[:cut], text[cut:]
        if not piece:
            continue
        counted_to, breaks = 0, 0  # the piece's newlines before counted_to (known from a name's keys)
        for name, pattern in patterns.items():
            if wanted[name] <= _FEW:  # a top-level key, usually: counted in C, its spellings found one by one
                seen = piece.count(f'"{name}"')
                counts[name] += seen
                if not seen or counts[name] > wanted[name]:
                    continue  # (its positions are not used)
                values = [match.end(1) for match in _key_matches(pattern, piece, f'"{name}"', seen)]
            else:
                values = list(map(_END, pattern.finditer(piece), _GROUP))
                counts[name] += len(values)
            if not values:
                continue
            lines, columns = found[name]
            after = [0, *values[:-1]]  # where the search for newlines before each value starts
            lines.extend(map(lines_before.__add__, accumulate(map(piece.count, _NEWLINES, after, values))))
            before = list(accumulate(map(piece.rfind, _NEWLINES, after, values), max))  # -1: none in the piece
            on_first_line = bisect_right(before, -1)  # (the keys on the line the piece starts in)
            columns.extend(map((base - last_newline).__add__, values[:on_first_line]))
            columns.extend(map(sub, values[on_first_line:], before[on_first_line:]))
            if not counted_to and -1 not in values:  # (-1: a name written where it is no key; left out)
                counted_to, breaks = values[-1], lines[-1] - lines_before
        breaks += piece.count("\n", counted_to)
        if breaks:
            lines_before += breaks
            last_newline = base + piece.rfind("\n")
        if "\\" in piece and "\\u" in piece:
            escaped.update(_escaped_key(piece, match.start()) or "" for match in _ESCAPED_KEY.finditer(piece))
        base += len(piece)
    for name in escaped:
        counts.pop(name, None)  # not found by its plain spelling
    return counts, found


def _key_matches(pattern: re.Pattern[str], text: str, key: str, count: int) -> Iterator[re.Match[str]]:
    """The ``count`` matches of ``pattern`` (``key`` and what may follow it) in ``text``, each found by a plain
    search for ``key``: faster than a regex search through the text for a key written once."""
    at = 0
    for _ in range(count):
        at = text.find(key, at)
        match = pattern.match(text, at)
        assert match is not None, "the pattern is the key and an optional tail"
        yield match
        at += len(key)


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
    """The key whose string holds the escape at ``escape``, decoded (if that string has no escaped quote, as
    no spelling of a plain name has; else whatever the slice decodes to, which may only leave a name out)."""
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
