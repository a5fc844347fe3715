"""Finds the line and column of a JSON pointer in JSON text, lazily.

The fast path parses with the C decoder, which keeps no positions. A clean
manifest never needs one, so positions are found only when a diagnostic asks:
arrays and the top level are scanned once for the offsets of their children
(skipping child values at C speed where the JSON is valid) and kept; an item is
read only up to the member a finding names. So a finding costs microseconds
whatever the file's size, and 100,000 findings stay within a second.
"""

from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate, compress, count, repeat
from operator import is_
from typing import Any, overload

from manifest_tools.model import Position, split_pointer
from manifest_tools.readers.json_syntax import skip_container
from manifest_tools.readers.text import BOM, LineIndex

_BLANK = re.compile(r"(?:[ \t\n\r]+|//[^\n]*|/\*.*?(?:\*/|\Z))*", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?|\'(?:[^\'\\\n]|\\.)*\'?')
_SCALAR_END = re.compile(r"[,\]}:\s/]")
_SCAN_VALUE: Callable[[str, int], tuple[object, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
"""The C decoder's value scanner: ``raw_decode`` without its wrapper (raises StopIteration where nothing starts)."""
_PLAIN_MEMBER = re.compile(r'[ \t\n\r,]*+(?:"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*+(?!/)|})')
"""Up to the value of a member whose key has no escape, with no comment around it (or the closing brace)."""
_PLAIN_GAP = re.compile(r"[ \t\n\r,]*+(?!/)")
"""Blanks and commas with no comment after them."""
_MAX_CACHED_OBJECTS = 4096
_LAZY_OBJECT_CHARS = 1 << 16
"""Objects up to this size (items) are read only up to the member a finding names; larger ones whole, once."""


def _places(values: list[dict[str, Any]], closings: list[dict[str, Any]], after: int = 0) -> Sequence[int] | None:
    """Each of ``values``' places in ``closings`` (where they all stand, in this order), or None. ``after``:
    where the search for the first starts (past the array before, whose objects the ``==`` of ``index``
    would otherwise compare one by one); when nothing equal stands there, the search starts again from 0.

    Items of one shape hold as many objects each, so their places are evenly spaced: guessed from the first
    two and checked by identity at C speed. Otherwise each object's identity is looked for among them all
    (all are alive, so ids are unique).
    """
    if not values:
        return range(0)
    try:
        # ``==`` may match an equal object closed earlier (then the check below fails), but never one between
        # an element and the next: those are the next one's descendants, and none equals its ancestor.
        first = closings.index(values[0], after)
        step = closings.index(values[1], first + 1) - first if len(values) > 1 else 1
    except ValueError:
        return _places(values, closings) if after else None
    guessed = range(first, first + step * len(values), step)
    if guessed[-1] < len(closings) and all(map(is_, map(closings.__getitem__, guessed), values)):
        return guessed
    wanted = set(map(id, values))
    places = list(compress(count(), map(wanted.__contains__, map(id, closings))))
    return places if len(places) == len(values) else None


def _array_places(values: Any, closings: list[dict[str, Any]], after: int = 0) -> Sequence[int] | None:
    """:func:`_places` of a top-level member's value, None unless it is an array of objects only."""
    if not isinstance(values, list) or set(map(type, values)) - {dict}:
        return None
    return _places(values, closings, after)


def _compact(places: Sequence[int] | None) -> Sequence[int] | None:
    """``places`` kept in 8 bytes each (a ``range`` as it is)."""
    return array("q", places) if isinstance(places, list) else places


_BRACE_CHUNK_BITS = 11
"""Braces are counted 2 KiB at a time (C calls mapped, no Python step per chunk), and a chunk is split at
its braces only when a finding falls in it: 1,000 findings spread through 165 MB split 2 MB, where 16 KiB
chunks split 16 MB (a tenth of a second) and 1 MiB chunks the whole file."""
_ONE = 1


class _SeededOffsets(Sequence[int]):
    """The element offsets of a top-level array of objects, each found when asked: element ``i`` starts at
    the first ``{`` after the element before it, which ends at the closing brace numbered ``places[i]``."""

    __slots__ = ("_brace_at", "_opening_after", "_places", "_start")

    def __init__(
        self, start: int, places: Sequence[int], brace_at: Callable[[int], int], opening_after: Callable[[int], int]
    ) -> None:
        self._start, self._places, self._brace_at, self._opening_after = start, places, brace_at, opening_after

    def __len__(self) -> int:
        return len(self._places)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._places)
        if not 0 <= index < len(self._places):
            raise IndexError(index)
        after = self._start + 1 if index == 0 else self._brace_at(self._places[index - 1]) + 1
        return self._opening_after(after)


class _ArrayScan:
    """Element offsets of one array, found incrementally and kept compactly (8 bytes each)."""

    __slots__ = ("done", "end", "offsets", "resume")

    def __init__(self, start: int) -> None:
        self.offsets = array("q")
        self.resume = start + 1
        self.done = False
        self.end = -1


class JsonLocator:
    """Locates JSON pointers in ``text``; last duplicate wins, as in the parsed value."""

    def __init__(
        self, text: str, reload: Callable[[], str] | None = None, reload_whole: Callable[[], str] | None = None
    ) -> None:
        self._loaded: str | None = text
        self._reload = reload
        self._reload_whole = reload_whole
        """As ``reload``, at once rather than a piece at a time: used once the parsed tree is forgotten."""
        self._lines = LineIndex(text)
        self._members: dict[int, dict[str, tuple[int, int]]] = {}
        self._value_ends: dict[int, int] = {}
        """Where the member values met while finding members end (offset of the value: offset past it)."""
        self._arrays: dict[int, _ArrayScan] = {}
        self._root = -1
        self._parsed: Any = None
        self._closings: list[dict[str, Any]] | None = None
        self._closing_count = -1
        """How many objects the parsed value holds (-1: not seeded, or braces stand inside strings)."""
        self._places_by_name: dict[str, Sequence[int] | None] | None = None
        """Each top-level array's places among the closing braces, kept by :meth:`forget_parsed`."""
        self._brace_counts: array[int] | None = None
        """How many ``}`` stand before each chunk of the text (and, last, in all of it)."""
        self._brace_chunks: dict[int, array[int]] = {}

    @property
    def _text(self) -> str:
        if self._loaded is None:
            assert self._reload is not None
            self._loaded = self._reload()
            self._lines = LineIndex(self._loaded)
        return self._loaded

    @property
    def text(self) -> str:
        """The text positions count in (read again if it was released): for reporters that locate in bulk."""
        return self._text

    def release(self) -> None:
        """Drop the text (a file's size in memory) if it can be read again when a position is needed."""
        if self._reload is not None:
            self._loaded = None
            self._lines = LineIndex("")

    def seed_array(self, start: int, elements: Sequence[int], end: int) -> None:
        """Record an array's element offsets (and the offset past its ']') found by another reader."""
        scan = self._arrays[start] = _ArrayScan(start)
        scan.offsets = array("q", elements)
        scan.done, scan.end, scan.resume = True, end, end

    def seed_parsed(self, value: Any, closings: list[dict[str, Any]]) -> None:
        """Record the value ``json.loads`` read from this text, which was valid JSON without a duplicate key,
        and its objects in the order their closing braces stand (the order of its ``object_hook``'s calls).

        Then the top level's arrays of objects get their element offsets without reading a single element:
        when no brace stands inside a string, an item's ``}`` is the brace whose place in the text is the
        item's place among the objects, and the item starts at the first ``{`` after the element before it.
        The top level's arrays are copied (their references: a few milliseconds for half a million items), so
        that a caller who then edits the manifest's data (a fix merging or dropping items) moves no position.
        """
        if isinstance(value, dict):
            value = {key: list(member) if isinstance(member, list) else member for key, member in value.items()}
        self._parsed, self._closings, self._closing_count = value, closings, len(closings)

    def forget_parsed(self) -> None:
        """Drop the parsed value and its objects, keeping what positions need of them: each top-level
        array's places among the closing braces (a ``range`` for items of one shape), found now.

        A lint that owns its manifest calls this, with the manifest's data dropped, before the text is read
        again to place findings: the parsed tree (twice the text's size) and the text are then never held
        at once, which a lint with findings did (its peak memory, over json.loads')."""
        parsed, closings = self._parsed, self._closings
        self._parsed = self._closings = None
        if self._reload_whole is not None:  # no tree for the text read again to sit beside
            self._reload = self._reload_whole
        if closings is None or not isinstance(parsed, dict):
            return
        self._places_by_name = {}
        after = 0  # the arrays stand in the text in the parsed value's order: each is looked for past the last
        for name, values in parsed.items():
            places = self._places_by_name[name] = _compact(_array_places(values, closings, after))
            if places:
                after = places[-1] + 1

    def _places_of(self, name: str | None) -> Sequence[int] | None:
        """The places of top-level array ``name``'s elements among the closing braces, or None."""
        if self._places_by_name is not None:
            return self._places_by_name.get(name) if name is not None else None
        if self._closings is None or name is None or not isinstance(self._parsed, dict):
            return None
        return _array_places(self._parsed.get(name), self._closings)

    def _seed_from_parsed(self, start: int, name: str) -> bool:
        """Element offsets of the array at ``start`` (top-level member ``name``) from the closing braces; False
        when they cannot be had so (an element that is not an object, a brace inside a string).

        Lazily: an element's offset is found when a finding asks for it (:class:`_SeededOffsets`), so that
        a few findings in a file of half a million items look up a few braces, not every one."""
        if self._closing_count < 0 or start in self._arrays:
            return False
        if not self._braces_are_objects():
            return False
        places = self._places_of(name)
        if places is None:
            return False
        text = self._text
        closing = text.find("]", self._brace_at(places[-1]) + 1 if places else start + 1)
        if closing < 0:
            return False
        scan = self._arrays[start] = _ArrayScan(start)
        scan.offsets = _SeededOffsets(start, places, self._brace_at, self._opening_after)  # type: ignore[assignment]
        scan.done, scan.end, scan.resume = True, closing + 1, closing + 1
        return True

    def _braces_are_objects(self) -> bool:
        """Whether the text holds one ``}`` per parsed object (so none inside a string), counted a chunk at
        a time at C speed; when not, the closing braces are no more asked about."""
        if self._brace_counts is None and self._closing_count >= 0:
            text, size = self._text, 1 << _BRACE_CHUNK_BITS
            starts = range(0, len(text), size)
            counts = array("q", accumulate(map(text.count, repeat("}"), starts, map(size.__add__, starts)), initial=0))
            if counts[-1] == self._closing_count:
                self._brace_counts = counts
            else:
                self._closing_count = -1
        return self._brace_counts is not None

    def _opening_after(self, offset: int) -> int:
        return self._text.find("{", offset)

    def _brace_at(self, place: int) -> int:
        """Offset of the text's ``}`` number ``place`` (from 0): its chunk by the counts, then the chunk's
        braces found once (a finding's neighbours are in the same chunk)."""
        counts = self._brace_counts
        assert counts is not None
        chunk = bisect_right(counts, place) - 1
        braces = self._brace_chunks.get(chunk)
        if braces is None:  # each piece before a brace is as long as the gap to it: offsets summed at C speed
            chunk_start = chunk << _BRACE_CHUNK_BITS
            pieces = self._text[chunk_start : chunk_start + (1 << _BRACE_CHUNK_BITS)].split("}")
            pieces.pop()
            ends = accumulate(map(_ONE.__add__, map(len, pieces)), initial=chunk_start - 1)
            braces = self._brace_chunks[chunk] = array("q", ends)[1:]
        return braces[place - counts[chunk]]

    def position_of_offset(self, offset: int) -> Position:
        self._text  # noqa: B018  (loads the text and its line index if they were released)
        return self._lines.position(offset)

    def locate(self, pointer: str, *, key: bool = False) -> Position:
        return self.position_of_offset(self.offset_of(pointer, key=key))

    def span(self, pointer: str, *, key: bool = False) -> tuple[Position, Position]:
        """Start and end (exclusive) of the value, or of the key with ``key=True``."""
        start, end = self._resolve(pointer, key)
        text = self._text
        if key and start < len(text) and text[start] in "\"'":
            end = self._read_key(start)[1]
        elif end < 0:
            end = self._value_ends.get(start, -1)
            if end < 0:
                end = self._skip_value(start)
        first = self._lines.position(start)
        end = min(end, len(text))
        if end <= start:
            return first, first
        if text.find("\n", start, end) < 0:  # most spans are on one line: no second look-up
            return first, Position(first.line, first.column + end - start)
        return first, self._lines.position(end)

    def offset_of(self, pointer: str, *, key: bool = False) -> int:
        """Offset of the value at ``pointer``, or of its nearest ancestor that exists."""
        return self._resolve(pointer, key)[0]

    def _resolve(self, pointer: str, key: bool) -> tuple[int, int]:
        """As :meth:`offset_of`, with the offset past the value where the walk found it (else -1)."""
        text = self._text
        if self._root < 0:
            self._root = self._skip_blank(1 if text.startswith(BOM) else 0)
        value_offset, key_offset, end = self._root, -1, len(text)
        tokens = pointer[1:].split("/") if pointer and "~" not in pointer else split_pointer(pointer)
        for token in tokens:
            opener = text[value_offset : value_offset + 1]
            if opener == "{":
                found = self._member(value_offset, end, token)
                if found is None:
                    return value_offset, -1
                key_offset, value_offset, end = found
            elif opener == "[" and token.isdigit():
                index = int(token)
                scan = self._scan_array(value_offset, index + 1)  # one past: the element's end bounds it
                if index >= len(scan.offsets):
                    return value_offset, -1
                key_offset, value_offset = -1, scan.offsets[index]
                end = scan.offsets[index + 1] if index + 1 < len(scan.offsets) else scan.end
            else:
                return value_offset, -1
        return (key_offset, -1) if key and key_offset >= 0 else (value_offset, end)

    def _member(self, offset: int, bound: int, name: str) -> tuple[int, int, int] | None:
        """Key offset, value offset and end (-1: not known) of member ``name`` of the object at ``offset``,
        which ends by ``bound`` (-1: not known, so the object is read whole); None if it has none.

        A finding names one member, usually an item's first: members are read only up to it,
        and the rest of the object is searched for the name once (C speed) to be sure no later
        duplicate wins. Anything unusual (comments, escapes, a repeated name) reads the whole object.
        """
        cached = self._members.get(offset)
        if cached is None and (bound < 0 or bound - offset > _LAZY_OBJECT_CHARS):
            cached = self._members_of(offset)  # the top level: read once and kept, not searched per finding
        if cached is None:
            text, pos = self._text, offset + 1
            while True:
                plain = _PLAIN_MEMBER.match(text, pos)
                if plain is None:
                    break
                key = plain.group(1)
                if key is None:
                    return None  # the closing brace, and no duplicate was possible
                pos = plain.end()
                end = self._skip_member_value(offset, key, pos)
                if end <= pos:
                    break
                if key == name:
                    if (
                        text.find(f'"{name}"', end, bound) < 0
                        and text.find("\\u", end, bound) < 0
                        and ("/" not in name or text.find("\\/", end, bound) < 0)
                    ):
                        return plain.start(1) - 1, pos, end
                    break
                pos = end
            cached = self._members_of(offset)
        found = cached.get(name)
        if found is None:
            return None
        return found[0], found[1], self._value_ends.get(found[1], -1)  # the whole read kept each value's end

    def _skip_blank(self, offset: int) -> int:
        match = _BLANK.match(self._text, offset)
        return match.end() if match else offset

    def _members_of(self, offset: int) -> dict[str, tuple[int, int]]:
        """Key and value offsets of an object's members (the last of duplicated keys wins)."""
        cached = self._members.get(offset)
        if cached is None:
            cached = {}
            text, pos, ends = self._text, offset + 1, self._value_ends
            while True:
                plain = _PLAIN_MEMBER.match(text, pos)
                if plain is not None:  # the common case in one regex match; anything else member by member
                    name = plain.group(1)
                    if name is None:
                        break  # the closing brace
                    key_offset, pos = plain.start(1) - 1, plain.end()
                else:
                    pos = self._next_child(pos)
                    if pos < 0:
                        break
                    key_offset = pos
                    name, pos = self._read_key(pos)
                    pos = self._skip_blank(pos)
                    if pos < len(text) and text[pos] == ":":
                        pos = self._skip_blank(pos + 1)
                cached[name] = (key_offset, pos)
                end = ends[pos] = self._skip_member_value(offset, name, pos)  # kept: a diagnostic's span ends there
                if end <= pos:
                    break
                pos = end
            if len(self._members) >= _MAX_CACHED_OBJECTS:
                self._members.clear()  # findings come in file order: old items are rarely asked again
                self._value_ends.clear()
            self._members[offset] = cached
        return cached

    def _element(self, offset: int, index: int) -> int:
        """Offset of an array's element ``index`` (-1 if there is none), scanning only as far as needed."""
        scan = self._scan_array(offset, index)
        return scan.offsets[index] if index < len(scan.offsets) else -1

    def _scan_array(self, offset: int, index: int | None) -> _ArrayScan:
        """Scan an array's elements up to ``index`` (None: to its end), one element at a time.

        One at a time so that skipping a 350,000-item array never materialises it whole; the common
        step (blanks and a comma, then a value the C decoder reads) inline, the rest as it comes.
        """
        scan = self._arrays.get(offset)
        if scan is None:
            scan = self._arrays[offset] = _ArrayScan(offset)
        text, offsets, pos = self._text, scan.offsets, scan.resume
        wanted, size, gap, value_end = len(text) if index is None else index, len(text), _PLAIN_GAP.match, _SCAN_VALUE
        while not scan.done and len(offsets) <= wanted:
            plain = gap(text, pos)
            start = plain.end() if plain is not None else self._skip_blank_and_commas(pos)
            if start >= size or text[start] in "}]":
                scan.done = True
                scan.end = start + 1 if start < size else size
                break
            offsets.append(start)
            try:
                pos = int(value_end(text, start)[1])
            except (StopIteration, ValueError, RecursionError):
                pos = self._skip_nested_value(start)
            if pos <= start:
                scan.done, scan.end = True, size
        scan.resume = pos
        return scan

    def _skip_blank_and_commas(self, pos: int) -> int:
        text = self._text
        plain = _PLAIN_GAP.match(text, pos)
        if plain is not None:
            return plain.end()
        while True:
            pos = self._skip_blank(pos)
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            return pos

    def _next_child(self, pos: int) -> int:
        """Offset of the next member or element at or after ``pos``, or -1 at the container's end."""
        pos = self._skip_blank_and_commas(pos)
        text = self._text
        return -1 if pos >= len(text) or text[pos] in "}]" else pos

    def _read_key(self, pos: int) -> tuple[str, int]:
        text = self._text
        match = _STRING.match(text, pos)
        if match:
            raw = match.group()
            try:
                return str(json.loads(raw)), match.end()
            except ValueError:
                return raw.strip("\"'"), match.end()
        end = pos
        while end < len(text) and text[end] not in ':,}]" \t\r\n':
            end += 1
        return text[pos:end], max(end, pos + 1)

    def _skip_member_value(self, offset: int, name: str, pos: int) -> int:
        """As :meth:`_skip_value`, for member ``name`` of the object at ``offset``: an array of the top level
        has its elements' offsets from the parsed value when it can (``seed_parsed``), none read."""
        if offset == self._root and self._closing_count >= 0 and self._text.startswith("[", pos):
            self._seed_from_parsed(pos, name)
        return self._skip_value(pos)

    def _skip_value(self, pos: int) -> int:
        """Offset just past the value starting at ``pos``: C speed when it is valid JSON."""
        if self._text.startswith("[", pos):
            return self._scan_array(pos, None).end
        return self._skip_nested_value(pos)

    def _skip_nested_value(self, pos: int) -> int:
        """As :meth:`_skip_value`, but an array is skipped whole, not scanned element by element:
        scanning calls this for each element, and must not recurse as deep as the nesting."""
        text = self._text
        if text.startswith('"', pos):  # a string without escapes or line ends: three searches in C
            close = text.find('"', pos + 1)
            if close > 0 and text.find("\\", pos, close) < 0 and text.find("\n", pos, close) < 0:
                return close + 1
        try:
            return int(_SCAN_VALUE(text, pos)[1])
        except (StopIteration, ValueError, RecursionError):
            pass
        if pos < len(text) and text[pos] in "{[":
            return skip_container(text, pos)
        string = _STRING.match(text, pos)
        if string:
            return string.end()
        end = _SCALAR_END.search(text, pos)
        return end.start() if end else len(text)
