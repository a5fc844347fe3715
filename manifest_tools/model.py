"""The in-memory manifest: one model for JSON and CSV, and where each value came from.

The model keeps the parsed JSON-shaped value tree (CSV is read into the same
shape) instead of copying it into objects: a maximum-size manifest holds a
million URLs, and a second copy would double the memory a lint needs. Typed
views (:class:`Item`) are made on the fly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby, islice
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, overload

from manifest_tools.kinds import (
    FLAG_SPELLINGS,
    KINDS,
    OBJECT_URL,
    OBJECT_URL_PREFIX,
    SCENE,
    SCENE_CONTENT,
    SCENE_URI_KEYS,
    TITLE,
    Kind,
)

if TYPE_CHECKING:
    from manifest_tools.report.diagnostic import Diagnostic

Format = Literal["json", "csv"]


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based line and column (columns count characters, not bytes)."""

    line: int
    column: int


class Locator(Protocol):
    """Finds where the value (or, with ``key=True``, the key) at a JSON pointer starts and ends."""

    def locate(self, pointer: str, *, key: bool = False) -> Position: ...

    def span(self, pointer: str, *, key: bool = False) -> tuple[Position, Position]: ...


def escape_pointer_token(token: str) -> str:
    """Escape one reference token of a JSON pointer (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def split_pointer(pointer: str) -> list[str]:
    """The unescaped reference tokens of a JSON pointer."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def join_pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from tokens."""
    return "".join("/" + escape_pointer_token(str(t)) for t in tokens)


URL_KEYS: tuple[str, ...] = tuple(f"{OBJECT_URL_PREFIX}{i}" for i in range(4096))
"""objectUrl_0, objectUrl_1, ... prebuilt: groups are walked once per rule family."""
_GROUP_FIELDS = ("title", "createVideo", "clientMetadata")


_OBJECT_URL_LOWER = OBJECT_URL.lower()


def spells_object_url(key: str) -> bool:
    """True for a key meant as a URL field, however it is spelt (objectURL, objecturl_01, objectUrl_x):
    the rules name the right spelling for it instead of calling it unknown."""
    return key.lower().startswith(_OBJECT_URL_LOWER)


def object_url_index(key: str) -> int | None:
    """N for a well-formed ``objectUrl_N`` key (no sign, no leading zero), else None."""
    if not key.startswith(OBJECT_URL_PREFIX):
        return None
    digits = key[len(OBJECT_URL_PREFIX) :]
    if not digits.isdigit() or not digits.isascii() or (len(digits) > 1 and digits[0] == "0") or len(digits) > 18:
        return None  # past 18 digits: no group has that many files, and int() refuses 4,300 digits
    return int(digits)


class _Certified:
    """The type of :data:`CERTIFIED`."""

    def __repr__(self) -> str:
        return "CERTIFIED"


CERTIFIED: Any = _Certified()
"""Stands in ``Manifest.data`` for an item the native scanner certified and Python never parsed."""


class Item(NamedTuple):
    """A view of one item of a manifest: its kind, index in its array and raw fields.

    A NamedTuple rather than a dataclass: the rules make one per item per pass,
    and a maximum-size manifest has half a million items.
    """

    kind: Kind
    position: int
    fields: dict[str, Any]

    def __repr__(self) -> str:
        """Short whatever the item holds (a group can have 20,000 URLs): where it is and what fields."""
        names = list(self.fields)
        shown = ", ".join(names[:4]) + (f", ... ({len(names)} fields)" if len(names) > 4 else "")
        return f"Item({self.kind!r}, {self.position}, fields: {shown or 'none'})"

    @property
    def pointer(self) -> str:
        return f"/{self.kind.key}/{self.position}"

    @property
    def title(self) -> Any:
        return self.fields.get(TITLE)

    def url_fields(self) -> list[tuple[str, Any]]:
        """(field name, value) for every URL field, multi-file ones in numeric order."""
        fields = self.fields
        if self.kind.scene:
            return []  # a scene's files are inside its scene object (rules/scenes.py)
        if not self.kind.multi_file:
            return [(OBJECT_URL, fields[OBJECT_URL])] if OBJECT_URL in fields else []
        keys = self._numbered_keys()
        if keys is not None:
            return list(zip(keys, map(fields.__getitem__, keys), strict=True))
        numbered = [(object_url_index(k), k, v) for k, v in fields.items() if k.startswith(OBJECT_URL_PREFIX)]
        return [(k, v) for n, k, v in sorted(t for t in numbered if t[0] is not None)]

    def url_count(self) -> int:
        """How many URL fields the item has (cheaper than ``len(url_fields())``)."""
        if self.kind.scene:
            return 0
        if not self.kind.multi_file:
            return 1 if OBJECT_URL in self.fields else 0
        keys = self._numbered_keys()
        if keys is not None:
            return len(keys)
        return sum(1 for k in self.fields if object_url_index(k) is not None)

    def counted_urls(self) -> int:
        """How many URLs the item counts toward a file's URL limit (lint's MT801, split's ``--max-urls``):
        its URL fields, or a scene's file locations (a scene has no URL field of its own)."""
        if self.kind.scene:
            return scene_uri_count(self.fields.get(SCENE))
        return self.url_count()

    def _numbered_keys(self) -> tuple[str, ...] | None:
        """objectUrl_0 ... objectUrl_N-1 when those are a group's every field but title, createVideo and
        clientMetadata (the common case, tested in C-speed loops), else None."""
        fields = self.fields
        count = len(fields) - sum(map(fields.__contains__, _GROUP_FIELDS))
        if 0 < count <= len(URL_KEYS):
            keys = URL_KEYS[:count]
            if all(map(fields.__contains__, keys)):
                return keys
        return None


@dataclass(slots=True)
class Manifest:
    """A parsed manifest, whatever its format, with the diagnostics its reader found.

    ``data`` is the top-level JSON object as the platform would parse it (the last
    of duplicated keys wins) or ``None`` when the text has no usable top level.
    """

    path: str
    format: Format
    data: dict[str, Any] | None
    locator: Locator
    reader_diagnostics: list[Diagnostic] = field(default_factory=list)
    invalid_pointers: set[str] = field(default_factory=set)
    """Pointers of values the reader had to guess; rules stay quiet about them."""
    csv_entries: int = 0
    size_bytes: int = 0
    duplicates: list[Any] = field(default_factory=list)
    """Repeated keys (``readers.json_syntax.DuplicateKey``) with the values a parser drops."""
    certified: Any = None
    """The native scanner's ``native.Certificate`` when only some items were parsed: the others
    are :data:`CERTIFIED` in ``data``, and whole-file rules take their counts from it."""
    byte_order_mark: bool = False
    """A CSV that starts with a UTF-8 byte order mark (Excel's "CSV UTF-8", by which Excel knows the
    file is UTF-8 when it opens it again): ``fix`` keeps it, as it keeps the line ends."""
    replaced: Sequence[tuple[int, int]] = ()
    """(line, column), in order, of each U+FFFD the reader put for a byte that was not UTF-8 (MT108's): a
    U+FFFD elsewhere was written in the file, and is MT309's like any other unencoded character."""
    _array_starts: dict[str, Position] = field(default_factory=dict, repr=False)
    _url_columns: dict[str, tuple[list[Any], UrlColumn]] | None = field(default=None, repr=False)
    """Each kind's :class:`UrlColumn` (with the array it was listed from) while :meth:`sharing_urls` is on."""

    def __repr__(self) -> str:
        """Short: a manifest can hold a million URLs, which a REPL or a log should not print."""
        problems = f", {len(self.reader_diagnostics)} reader diagnostics" if self.reader_diagnostics else ""
        items = self.count_items()
        return f"Manifest({self.path!r}, {self.format}, {items:,} item{'' if items == 1 else 's'}{problems})"

    def holds_replaced(self, pointer: str) -> bool:
        """Whether the value at ``pointer`` holds a U+FFFD the reader put for bytes that were not UTF-8
        (located only in a file that had such bytes)."""
        if not self.replaced:
            return False
        start, end = self.locator.span(pointer)
        at = bisect_left(self.replaced, (start.line, start.column))
        return at < len(self.replaced) and self.replaced[at] < (end.line, end.column)

    def file_order(self, kind: Kind, index: int) -> tuple[int, int, int]:
        """A sort key that puts items in the order they stand in the file, across kinds.

        In JSON each kind is one array, so only the arrays' starts are located (once per kind);
        in CSV, blocks of different kinds interleave, and each item's first cell is looked up.
        """
        if self.format == "csv":
            found = self.locator.locate(f"/{kind.key}/{index}")
            return found.line, found.column, 0
        start = self._array_starts.get(kind.key)
        if start is None:
            start = self._array_starts[kind.key] = self.locator.locate(f"/{kind.key}")
        return start.line, start.column, index

    def flag(self, name: str) -> Any:
        """A top-level flag's value (``skip_duplicate_urls``), in its documented spelling or the SDK's."""
        data = self.data or {}
        if name in data:
            return data[name]
        return next((data[key] for key, meant in FLAG_SPELLINGS.items() if meant == name and key in data), None)

    def entries(self) -> Iterator[tuple[Kind, int, Any]]:
        """(kind, index, value) of every array element to check, kind by kind in canonical order."""
        if self.certified is not None:
            yield from self.certified.uncertified_entries()
            return
        for kind, values in self.arrays():
            for index, value in enumerate(values):
                yield kind, index, value

    def items(self) -> Iterator[Item]:
        """Every item to check that is a JSON object, kind by kind in canonical order.

        Every rule family walks this once: it reads the arrays directly rather than through
        :meth:`entries`, and makes each view with ``tuple.__new__`` (a NamedTuple's own
        constructor is a Python function), which halves the cost of a walk of half a million items.
        """
        new = tuple.__new__
        if self.certified is not None:
            for kind, index, value in self.certified.uncertified_entries():
                if isinstance(value, dict):
                    yield new(Item, (kind, index, value))
            return
        for kind, values in self.arrays():
            for index, value in enumerate(values):
                if isinstance(value, dict):
                    yield new(Item, (kind, index, value))

    def every_item(self) -> Iterator[Item]:
        """Every item that is a JSON object, certified ones too (each parsed in turn, none kept): for a fact
        that rests on all of them (the titles CSV rows join groups by), where :meth:`items` gives those to check."""
        new = tuple.__new__
        for kind, values in self.arrays():
            for index, value in enumerate(values):
                if value is CERTIFIED:
                    value = self.certified.parse(kind, index)
                if isinstance(value, dict):
                    yield new(Item, (kind, index, value))

    def item_fields(self, kind: Kind, index: int) -> dict[str, Any] | None:
        """The fields of one item (parsed on demand if it was certified), or None if it is no object."""
        values = (self.data or {}).get(kind.key)
        if not isinstance(values, list) or index >= len(values):
            return None
        value = values[index]
        if value is CERTIFIED:
            value = self.certified.item_fields(kind, index)
        return value if isinstance(value, dict) else None

    def arrays(self) -> Iterator[tuple[Kind, list[Any]]]:
        """Every kind present as a list, with its raw list."""
        data = self.data or {}
        for kind in KINDS:
            values = data.get(kind.key)
            if isinstance(values, list):
                yield kind, values

    def count_items(self) -> int:
        return sum(len(values) for _, values in self.arrays())

    def count_urls(self) -> int:
        return sum(item.url_count() for item in self.items())

    def url_arrays(self) -> Iterator[tuple[Kind, list[Any]]]:
        """:meth:`arrays` of the kinds with URL fields (scenes hold none of their own)."""
        return ((kind, values) for kind, values in self.arrays() if not kind.scene)

    def urls(self) -> Iterator[tuple[Item, str, Any]]:
        """(item, field name, value) for every URL field; build pointers only when reporting.

        Reads the arrays directly, as :meth:`items` does, rather than through it: one generator
        between a rule and the values instead of two (three rules walk a million URLs).
        """
        if self.certified is not None:
            for item in self.items():
                for name, value in item.url_fields():
                    yield item, name, value
            return
        new = tuple.__new__
        for kind, values in self.url_arrays():
            if kind.multi_file:
                for index, value in enumerate(values):
                    if isinstance(value, dict):
                        item = new(Item, (kind, index, value))
                        for name, url in item.url_fields():
                            yield item, name, url
            else:
                for index, value in enumerate(values):
                    if isinstance(value, dict) and OBJECT_URL in value:
                        yield new(Item, (kind, index, value)), OBJECT_URL, value[OBJECT_URL]

    @contextmanager
    def sharing_urls(self) -> Iterator[None]:
        """Within this block each kind's URL values are listed once (:meth:`url_column`) and shared by the
        rules that read them (URLs, file types, repeated URLs), instead of each walking a million URLs
        again. A block, not a cache for the manifest's life: a fix edits the data between lints."""
        if self._url_columns is not None:
            yield
            return
        self._url_columns = {}
        try:
            yield
        finally:
            self._url_columns = None

    def url_column(self, kind: Kind, values: list[Any]) -> UrlColumn:
        """The URL values of ``values``, the array of ``kind`` (listed once inside :meth:`sharing_urls`)."""
        shared = self._url_columns
        if shared is None:
            return UrlColumn.of(kind, values)
        kept = shared.get(kind.key)
        if kept is None or kept[0] is not values:
            kept = shared[kind.key] = (values, UrlColumn.of(kind, values))
        return kept[1]

    def url_chunks(self, size: int) -> Iterator[tuple[list[Any], Callable[[], Sequence[tuple[Item, str, Any]]]]]:
        """:meth:`urls` in chunks of up to ``size`` items: each chunk's URL values as a list (made in a
        C-speed loop for single-file kinds) and a function that gives its (item, field name, value) triples,
        called only by a rule that needs the views (a finding, or a location's first URL); a triple looked
        up by its place is made alone, without the chunk's others (:class:`_UrlTriples`)."""
        if self.certified is not None:  # one kind per chunk, as below: a location's first URL in a chunk
            for _, walk in groupby(self.urls(), key=_kind_of):  # is then its kind's (urls.py relies on it)
                while chunk := list(islice(walk, size)):
                    yield [value for _, _, value in chunk], partial(list, chunk)
            return
        for kind, values in self.url_arrays():
            column = self.url_column(kind, values)
            for start in range(0, len(values), size):
                part = values[start : start + size]
                urls = column.between(start, start + size)
                yield urls, partial(_UrlTriples, kind, start, part, urls, column)

    def url_values(self) -> list[Any]:
        """Every URL field's value, in :meth:`urls`' order, without views: a whole-file test over a
        million URLs (are any repeated?) then runs at C speed."""
        if self.certified is not None:
            return [value for _, _, value in self.urls()]
        found: list[Any] = []
        for kind, values in self.url_arrays():
            found.extend(self.url_column(kind, values).urls)
        return found


def _kind_of(triple: tuple[Item, str, Any]) -> Kind:
    return triple[0].kind


def run_shape(values: list[Any]) -> tuple[str, ...] | None:
    """The keys, in order, shared by every element of a run of plain dicts (a generated manifest's usual
    chunk), or None for an empty run, one holding anything else or dicts of several shapes: a writer then
    plans the run once instead of taking a Python step per item."""
    if not values or set(map(type, values)) != _DICT:
        return None
    shapes = set(map(tuple, values))
    return next(iter(shapes)) if len(shapes) == 1 else None


_DICT = {dict}


def url_values_of(kind: Kind, values: list[Any]) -> list[Any]:
    """The URL fields' values of these elements of ``kind``'s array (those that are no object have none), in
    :meth:`Manifest.urls`' order: a C-speed loop for a single-file kind; for a group, its numbered URL keys
    looked up at once (a view made with ``tuple.__new__``, not the NamedTuple's Python constructor)."""
    if kind.scene:
        return []
    if not kind.multi_file:
        return [value[OBJECT_URL] for value in values if isinstance(value, dict) and OBJECT_URL in value]
    found: list[Any] = []
    extend, new = found.extend, tuple.__new__
    for value in values:
        if isinstance(value, dict):
            item = new(Item, (kind, 0, value))
            keys = item._numbered_keys()
            if keys is not None:
                extend(map(value.__getitem__, keys))
            else:
                extend(url for _, url in item.url_fields())
    return found


class UrlColumn:
    """The URL values of one kind's array, in :meth:`Manifest.urls`' order, and where each element's URLs
    end among them (None when element ``i``'s one URL is ``urls[i]``: a single-file kind whose every element
    has one), so that a rule takes a chunk's URLs as a slice, not a walk of its items. ``memo`` keeps what
    the rules derive from the URLs once for all of them (their extensions)."""

    __slots__ = ("ends", "memo", "urls")

    def __init__(self, urls: list[Any], ends: list[int] | None) -> None:
        self.urls, self.ends = urls, ends
        self.memo: dict[str, Any] = {}

    @classmethod
    def of(cls, kind: Kind, values: list[Any]) -> UrlColumn:
        if kind.scene:  # a scene's files are inside its scene object (rules/scenes.py)
            return cls([], [0] * len(values))
        if not kind.multi_file:
            urls = url_values_of(kind, values)
            if len(urls) == len(values):
                return cls(urls, None)
        found: list[Any] = []
        ends: list[int] = []
        extend, end, new = found.extend, ends.append, tuple.__new__
        for value in values:
            if not isinstance(value, dict):
                pass
            elif not kind.multi_file:
                if OBJECT_URL in value:
                    found.append(value[OBJECT_URL])
            elif (keys := new(Item, (kind, 0, value))._numbered_keys()) is not None:
                extend(map(value.__getitem__, keys))
            else:
                extend(url for _, url in new(Item, (kind, 0, value)).url_fields())
            end(len(found))
        return cls(found, ends)

    def between(self, start: int, stop: int, aligned: list[Any] | None = None) -> list[Any]:
        """The URL values of elements ``start:stop`` (a slice, at C speed), or the values of ``aligned`` (a
        list with one value per URL) at their places."""
        values = self.urls if aligned is None else aligned
        ends = self.ends
        if ends is None:
            return values[start:stop]
        stop = min(stop, len(ends))
        if stop <= start:
            return []
        return values[ends[start - 1] if start else 0 : ends[stop - 1]]

    def of_each(self, start: int, stop: int, aligned: list[Any] | None = None) -> list[list[Any]]:
        """The URL values of each element of ``start:stop``, a list per element (or the values of ``aligned``,
        a list with one value per URL, at their places)."""
        values = self.urls if aligned is None else aligned
        ends = self.ends
        if ends is None:
            return [[value] for value in values[start:stop]]
        bounds = ends[start - 1 : stop] if start else [0, *ends[:stop]]
        return list(map(values.__getitem__, map(slice, bounds[:-1], bounds[1:])))


class _UrlTriples(Sequence[tuple[Item, str, Any]]):
    """(item, field name, value) of every URL field of ``values``, the items of ``kind`` from ``start``, in
    :meth:`Manifest.urls`' order (``urls`` are their values). The URL rule looks up a few by their place (each
    location's first URL): for a single-file kind whose every item has a URL, place is index, and that one
    triple is made; otherwise, and to iterate, the whole list is made once."""

    __slots__ = ("_all", "_ends", "_kind", "_start", "_urls", "_values")

    def __init__(
        self, kind: Kind, start: int, values: list[Any], urls: list[Any], column: UrlColumn | None = None
    ) -> None:
        self._kind, self._start, self._values, self._urls = kind, start, values, urls
        self._all: list[tuple[Item, str, Any]] | None = None
        self._ends: list[int] | None = None
        """For a multi-file kind, where each item's URLs end among ``urls``, counted as far as a lookup needed
        (all of them at once from ``column``, the kind's :class:`UrlColumn`, when it is given)."""
        if column is not None and column.ends is not None and kind.multi_file:
            base = column.ends[start - 1] if start else 0
            self._ends = list(map(base.__rsub__, column.ends[start : start + len(values)]))

    def __len__(self) -> int:
        return len(self._urls)

    @overload
    def __getitem__(self, place: int) -> tuple[Item, str, Any]: ...

    @overload
    def __getitem__(self, place: slice) -> Sequence[tuple[Item, str, Any]]: ...

    def __getitem__(self, place: int | slice) -> tuple[Item, str, Any] | Sequence[tuple[Item, str, Any]]:
        kind, values = self._kind, self._values
        if isinstance(place, int) and -len(self._urls) <= place < 0:
            place += len(self._urls)  # from the end, as a list's
        if not isinstance(place, int) or place < 0 or self._all is not None:
            return self._list()[place]
        if not kind.multi_file:
            if len(values) != len(self._urls):
                return self._list()[place]
            return tuple.__new__(Item, (kind, self._start + place, values[place])), OBJECT_URL, self._urls[place]
        ends = self._ends
        if ends is None:
            ends = self._ends = []
        while (not ends or ends[-1] <= place) and len(ends) < len(values):  # counted only up to ``place``
            ends.append((ends[-1] if ends else 0) + _url_count(kind, values[len(ends)]))
        index = bisect_right(ends, place)
        item = tuple.__new__(Item, (kind, self._start + index, values[index]))
        name, url = item.url_fields()[place - (ends[index - 1] if index else 0)]
        return item, name, url

    def __iter__(self) -> Iterator[tuple[Item, str, Any]]:
        return iter(self._list())

    def _list(self) -> list[tuple[Item, str, Any]]:
        if self._all is None:
            self._all = url_triples(self._kind, self._start, self._values)
        return self._all


def scene_uri_count(scene: Any) -> int:
    """How many file locations a scene holds: its content when that is one string, and strings under url
    and uri keys at any depth (the places rules/scenes.py checks)."""
    wrapped = isinstance(scene, dict) and isinstance(scene.get(SCENE_CONTENT), str)
    return int(wrapped) + _uri_strings(scene)


def _uri_strings(value: Any) -> int:
    if isinstance(value, dict):
        return sum(
            1 if key in SCENE_URI_KEYS and isinstance(child, str) else _uri_strings(child)
            for key, child in value.items()
        )
    if isinstance(value, list):
        return sum(map(_uri_strings, value))
    return 0


def _url_count(kind: Kind, value: Any) -> int:
    """How many URL fields an element of a multi-file kind's array has (none when it is no object)."""
    return tuple.__new__(Item, (kind, 0, value)).url_count() if isinstance(value, dict) else 0


def url_triples(kind: Kind, start: int, values: list[Any]) -> list[tuple[Item, str, Any]]:
    """(item, field name, value) of every URL field of ``values``, the items of ``kind`` from ``start``,
    in :meth:`Manifest.urls`' order."""
    new = tuple.__new__
    triples: list[tuple[Item, str, Any]] = []
    for index, value in enumerate(values, start):
        if isinstance(value, dict):
            item = new(Item, (kind, index, value))
            if kind.multi_file:
                triples.extend((item, name, url) for name, url in item.url_fields())
            elif OBJECT_URL in value:
                triples.append((item, OBJECT_URL, value[OBJECT_URL]))
    return triples
