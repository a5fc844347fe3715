"""Split a manifest into parts that each respect the platform's (or your) limits.

Items keep their order; an item is never cut, so an image group, image
sequence or DICOM series always stays in one part (one too large for the limits
is an error that names it). Flags and ``$schema`` go into every part; what a part
cannot hold (unknown keys, non-items) is listed and refused, never dropped.
Parts reference the loaded items rather than copying them, are streamed to disk
aside and moved in together, so a failed or interrupted split leaves nothing.
"""

from __future__ import annotations

import contextlib
import csv
import io
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, groupby, pairwise, repeat
from operator import add, itemgetter, mul
from pathlib import Path
from typing import Any, cast, overload

from manifest_tools.atomic import output_errors, staged_files
from manifest_tools.canonical import canonical_item
from manifest_tools.conversion import Loss, shape_losses
from manifest_tools.errors import ConfigError, ManifestToolsError, OutputError
from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    FLAG_NAMES,
    KINDS_BY_KEY,
    MAX_CSV_ENTRIES,
    MAX_ITEMS_PER_FILE,
    MAX_URLS_PER_FILE,
    OBJECT_URL,
    RECOMMENDED_MAX_IMAGES,
    RECOMMENDED_MAX_VIDEOS,
    SCHEMA_KEY,
    TITLE,
    Kind,
)
from manifest_tools.model import URL_KEYS, Item, Manifest
from manifest_tools.parts import part_path, part_stem
from manifest_tools.wording import plural
from manifest_tools.writers.csv import csv_header, dumps_csv, write_csv
from manifest_tools.writers.csv import item_bytes as csv_item_bytes
from manifest_tools.writers.json import Writable, encode_item, item_bytes, write_json


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-part limits; None means no limit."""

    max_items: int | None = None
    max_urls: int | None = None
    max_bytes: int | None = None
    max_videos: int | None = None
    max_images: int | None = None

    def merged(self, other: Limits) -> Limits:
        """The stricter of two sets of limits, field by field."""

        def tighter(a: int | None, b: int | None) -> int | None:
            return b if a is None else a if b is None else min(a, b)

        return Limits(
            tighter(self.max_items, other.max_items),
            tighter(self.max_urls, other.max_urls),
            tighter(self.max_bytes, other.max_bytes),
            tighter(self.max_videos, other.max_videos),
            tighter(self.max_images, other.max_images),
        )

    def check(self, names: LimitNames | None = None, *, preset: bool = False) -> None:
        """ConfigError for no limit at all (one "part" would be the whole manifest, and ``replace`` would
        delete the earlier set for it), or for a limit that is not a whole number of at least 1. One home
        for what the CLI and the library refuse; ``names`` spells the limits as the caller can set them
        (the library's keywords by default), ``preset``: the CLI's --preset was given."""
        names = names or KEYWORDS
        given = {name: getattr(self, name) for name in LIMIT_FIELDS}
        for name, value in given.items():
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{names.name(name)} must be a whole number, not {value!r}")
            if value < 1:
                raise ConfigError(f"{names.name(name)} must be at least 1, not {value}")
        if not preset and all(value is None for value in given.values()):
            raise ConfigError(f"give {names.choices()}: with no limit the one part would be the whole manifest")


LIMIT_FIELDS = ("max_items", "max_urls", "max_bytes", "max_videos", "max_images")
"""The fields of :class:`Limits`, in its order."""


@dataclass(frozen=True, slots=True)
class LimitNames:
    """How a message names the limits: the library's keywords, or the CLI's options."""

    names: dict[str, str]
    """Each limit the caller can set, as the caller writes it."""
    preset: str
    """How the caller names a preset."""
    keyword: bool
    """``max_urls=1`` (a keyword) rather than ``--max-urls 1`` (an option)."""

    def name(self, field: str) -> str:
        return self.names.get(field, field)

    def value(self, field: str, value: int) -> str:
        return f"{self.name(field)}={value}" if self.keyword else f"{self.name(field)} {value:,}"

    def choices(self) -> str:
        return ", ".join(self.names.values()) + f" or {self.preset}"


KEYWORDS = LimitNames({name: name for name in LIMIT_FIELDS}, "a preset's limits (splitting.PRESETS)", keyword=True)
"""The library's spelling of the limits: its messages name what a library caller can pass."""


PRESETS: dict[str, dict[str, Limits]] = {
    "platform": {
        "json": Limits(max_items=MAX_ITEMS_PER_FILE, max_urls=MAX_URLS_PER_FILE),
        "csv": Limits(max_urls=MAX_CSV_ENTRIES),
    },
    "recommended": {
        "json": Limits(max_videos=RECOMMENDED_MAX_VIDEOS, max_images=RECOMMENDED_MAX_IMAGES),
        "csv": Limits(max_videos=RECOMMENDED_MAX_VIDEOS, max_images=RECOMMENDED_MAX_IMAGES),
    },
}
"""``platform``: what one file may hold (a CSV entry is one URL row); ``recommended``: the batch sizes,
as one budget for mixed parts (50 videos and 500 images fill a part)."""


class SplitError(ManifestToolsError):
    """An item is larger than the limits on its own (it is never cut)."""

    def __init__(self, message: str, limit: tuple[str, int] | None = None, rest: str = "") -> None:
        self.text, self.limit, self.rest = message, limit, rest
        super().__init__(self.naming(KEYWORDS))

    def naming(self, names: LimitNames) -> str:
        """The message, naming the limit it broke as ``names`` spell it (the library's keywords by default,
        the CLI's options when it prints it)."""
        spelled = names.value(*self.limit) if self.limit is not None else ""
        return f"{self.text}{spelled}{self.rest}"


class SplitRefused(SplitError):
    """Parts are built item by item: ``losses`` lists what they could not carry (unknown keys, non-items)."""

    def __init__(self, losses: list[Loss]) -> None:
        self.losses = losses
        super().__init__(
            f"the parts cannot carry {len(losses)} thing{'s' if len(losses) != 1 else ''} of this manifest;"
            " fix them first (each is listed)"
        )


class PartsExist(ManifestToolsError):
    """Parts of the same stem are already there: a later ``lint stem.part-*`` would read both sets."""

    def __init__(self, old: list[Path]) -> None:
        self.old = old
        super().__init__(self.naming("replace=True", "output_dir"))

    def naming(self, replace: str, output_dir: str) -> str:
        """The message, naming the ways out: the library's keywords by default, the CLI's options when it
        prints it."""
        if len(self.old) > 1:
            old = f"{self.old[0]} and {len(self.old) - 1} more exist"
            them = "them"
        else:
            old, them = f"{self.old[0]} exists", "it"
        return f"{old} from an earlier split: pass {replace} to remove {them}, or choose another {output_dir}"


@dataclass(slots=True)
class Part:
    number: int
    items: Sequence[Item] = field(default_factory=list)
    """A list, or for a run-packed plan a :class:`_PartItems` (slices of the kinds' arrays)."""
    urls: int = 0
    bytes: int = 0
    videos: int = 0
    images: int = 0

    def __repr__(self) -> str:
        """Short: a part can hold 100,000 items, which a REPL or a log should not print."""
        size = f", {plural(self.bytes, 'byte')}" if self.bytes else ""
        return f"Part({self.number}, {plural(len(self.items), 'item')}, {plural(self.urls, 'URL')}{size})"

    def describe(self) -> str:
        first, last = self.items[0].pointer, self.items[-1].pointer
        size = f", {plural(self.bytes, 'byte')}" if self.bytes else ""
        counts = f"{plural(len(self.items), 'item')}, {plural(self.urls, 'URL')}"
        return f"part {self.number}: {counts}{size} ({first} .. {last})"


class _Sizes:
    """Bytes of parts as the writer lays them out (JSON or CSV, the parts' line ending), for ``--max-bytes``.

    A part's size is its wrapper (braces, kind keys, flags and ``$schema``; a CSV's header row per kind),
    which depends only on the kinds it holds, plus each item's own bytes (its text, indent, separator and
    line end): :meth:`item` and :meth:`wrapper`, which the planner adds up. The wrapper is measured by
    writing a part of one item per kind, so the sum is the writer's layout, not a guess;
    :meth:`part` writes a whole part to count it, the figure the plan shows and the file has.
    """

    def __init__(self, manifest: Manifest, newline: str) -> None:
        self.manifest, self.newline = manifest, newline
        self.csv = manifest.format == "csv"
        self.wrappers: dict[frozenset[Kind], int] = {}
        self.headers: dict[Kind, int] = {}

    def items(self, kind: Kind, values: list[Any]) -> list[int]:
        """:meth:`item` of each element of a kind's array (objects), counted in the writer's text of the whole
        array (:func:`~manifest_tools.writers.json.item_bytes`; for CSV, a run of plain rows:
        :func:`~manifest_tools.writers.csv.item_bytes`), else item by item."""
        if self.csv:
            found = csv_item_bytes(kind, values, self.newline)
        else:
            found = item_bytes(kind.key, values, self.newline)
            if found is not None:  # each item's separator and line end
                found = list(map(add, found, repeat(len(_JSON_ITEM_SEPARATOR) + len(self.newline))))
        return [self.item(Item(kind, index, value)) for index, value in enumerate(values)] if found is None else found

    def item(self, item: Item) -> int:
        """The bytes one more item adds to a part already holding its kind."""
        if self.csv:
            text = dumps_csv({item.kind.key: [item.fields]}, newline=self.newline)
            return _byte_len(text) - self._header(item.kind)
        text = encode_item(canonical_item(item.kind, item.fields), item.pointer, item.kind.multi_file)
        return _byte_len(text.replace("\n", self.newline)) + len(_JSON_ITEM_SEPARATOR) + len(self.newline)

    def _header(self, kind: Kind) -> int:
        if kind not in self.headers:
            buffer = io.StringIO(newline="")
            csv.writer(buffer, lineterminator=self.newline).writerow(csv_header(kind))
            self.headers[kind] = _byte_len(buffer.getvalue())
        return self.headers[kind]

    def wrapper(self, kinds: frozenset[Kind], example: dict[Kind, Item]) -> int:
        """The bytes of a part holding ``kinds`` beyond its items' own (``example``: an item of each)."""
        if kinds not in self.wrappers:
            sample = Part(0, [example[kind] for kind in kinds])
            alone = sum(self.items(item.kind, [item.fields])[0] for item in sample.items)
            self.wrappers[kinds] = self.part(sample) - alone
        return self.wrappers[kinds]

    def part(self, part: Part) -> int:
        """The exact size of the part's file (written to a counter, not to disk)."""
        counter = _ByteCounter()
        write_part(self.manifest, part, counter, csv_part=self.csv, newline=self.newline)
        return counter.bytes


_JSON_ITEM_SEPARATOR = ",    "
"""What joins two items of a JSON part's array besides its line end (``,\\n    ``)."""


def _byte_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


@dataclass(slots=True)
class _ByteCounter:
    """A text sink that counts the UTF-8 bytes written to it (the parts' encoding)."""

    bytes: int = 0

    def write(self, text: str) -> int:
        self.bytes += _byte_len(text)
        return len(text)


def _counts(item: Item) -> tuple[int, int, int]:
    urls = _url_count(item)
    videos = 1 if item.kind.batch_count == "videos" else 0
    images = urls if item.kind.batch_count == "images" else 0
    return urls, videos, images


def _url_count(item: Item) -> int:
    """``item.counted_urls()``, without parsing every key of the usual group: when its keys other than title,
    createVideo and clientMetadata are N and objectUrl_0 .. objectUrl_N-1 are there, they are all URLs."""
    kind, fields = item.kind, item.fields
    if not kind.multi_file or kind.scene:
        return item.counted_urls()
    count = len(fields) - (TITLE in fields) - (CREATE_VIDEO in fields) - (CLIENT_METADATA in fields)
    if 0 < count <= len(URL_KEYS) and all(map(fields.__contains__, URL_KEYS[:count])):
        return count
    return item.url_count()


def plan(manifest: Manifest, limits: Limits, *, newline: str = "\n") -> list[Part]:
    """The parts, in order; raises SplitRefused listing what parts cannot carry, or SplitError naming
    an item too large for any part. ``newline`` is the parts' line ending (the source's, which
    :func:`write_parts` keeps): with ``max_bytes`` each part's ``bytes`` is its file's exact size.
    ConfigError for limits :meth:`Limits.check` refuses."""
    limits.check()
    losses = shape_losses(manifest.data or {})
    if losses:
        raise SplitRefused(losses)
    sizes = _Sizes(manifest, newline) if limits.max_bytes is not None else None
    packed = _packed(manifest, limits, sizes)
    if packed is not None:
        return packed
    if sizes is not None:
        return _plan_bytes(manifest, limits, sizes)
    parts: list[Part] = []
    current = Part(1)
    alone: dict[tuple[int, int, int], bool] = {}  # whether an item of these counts fits an empty part
    for item, urls in _items_in_file_order(manifest):
        videos = 1 if item.kind.batch_count == "videos" else 0
        images = urls if item.kind.batch_count == "images" else 0
        fits = alone.get((urls, videos, images))
        if fits is None:
            fits = _fits(Part(0), urls, videos, images, limits)
            if len(alone) < 10_000:
                alone[urls, videos, images] = fits
        if not fits:
            _check_fits(item, urls, videos, images, limits)
        if current.items and not _fits(current, urls, videos, images, limits):
            parts.append(current)
            current = Part(len(parts) + 1)
        _add(current, item, urls, videos, images)
    if current.items:
        parts.append(current)
    return parts


def _add(part: Part, item: Item, urls: int, videos: int, images: int, size: int = 0) -> None:
    cast(list[Item], part.items).append(item)  # an item-by-item plan's parts hold lists
    part.urls += urls
    part.videos += videos
    part.images += images
    part.bytes += size


def _plan_bytes(manifest: Manifest, limits: Limits, sizes: _Sizes) -> list[Part]:
    """:func:`plan` under ``max_bytes``: each part takes items while its wrapper (for the kinds it would
    hold) plus its items' bytes stay within the limit, then is written to a counter to check: the
    figure is the file's size, and a part the sum misjudged gives back its last items (never over)."""
    entries = list(_items_in_file_order(manifest))
    assert limits.max_bytes is not None
    parts: list[Part] = []
    example: dict[Kind, Item] = {}
    start = 0
    while start < len(entries):
        part, kinds = Part(len(parts) + 1), frozenset[Kind]()
        for item, urls in entries[start:]:
            videos = 1 if item.kind.batch_count == "videos" else 0
            images = urls if item.kind.batch_count == "images" else 0
            example.setdefault(item.kind, item)
            size, holding = sizes.items(item.kind, [item.fields])[0], kinds | {item.kind}
            overhead = sizes.wrapper(holding, example)
            if not _fits(part, urls, videos, images, limits, size, overhead):
                if part.items:
                    break
                _check_fits(item, urls, videos, images, limits, sizes.part(Part(0, [item])))
            _add(part, item, urls, videos, images, size)
            kinds = holding
        part.bytes = sizes.part(part)
        while part.bytes > limits.max_bytes and len(part.items) > 1:  # the sum misjudged: give items back
            del cast(list[Item], part.items)[-1]
            part.bytes = sizes.part(part)
        if part.bytes > limits.max_bytes:
            item, urls = entries[start]
            _check_fits(item, urls, 0, 0, limits, part.bytes)
        part.urls = sum(urls for _, urls in entries[start : start + len(part.items)])
        part.videos = sum(1 for item in part.items if item.kind.batch_count == "videos")
        part.images = sum(
            urls for item, urls in entries[start : start + len(part.items)] if item.kind.batch_count == "images"
        )
        parts.append(part)
        start += len(part.items)
    return parts


def _packed(manifest: Manifest, limits: Limits, sizes: _Sizes | None = None) -> list[Part] | None:
    """:func:`plan`'s parts without a Python step per item, when the kinds come one after another (every
    JSON file) and every item fits a part alone; None otherwise (then item by item, which names the
    item that does not fit). Each limit is a running sum (of items, URLs, videos, images, the combined
    video-and-image budget, and with ``sizes`` the items' bytes), so a part is the longest run from its
    first item that keeps every sum within its limit (what adding items one by one gives), found by
    bisection in the running sums. Parts hold slices of the kinds' arrays (:class:`_PartItems`)."""
    keys = _kinds_in_file_order(manifest)
    if keys is None or (limits.max_items is not None and limits.max_items < 1):
        return None
    data = manifest.data or {}
    arrays: list[tuple[Kind, list[Any], int]] = []  # each kind's array, and its first item's place in the file
    urls: list[int] = []
    videos: list[int] = []
    images: list[int] = []
    for key in keys:
        kind, values = KINDS_BY_KEY[key], data[key]
        counts = _url_counts(kind, values)
        arrays.append((kind, values, len(urls)))
        urls += counts
        videos += repeat(1 if kind.batch_count == "videos" else 0, len(values))
        images += counts if kind.batch_count == "images" else repeat(0, len(values))
    sums: list[tuple[list[int], int]] = []  # (running sum with a leading 0, its limit)
    for limit, per_item in ((limits.max_urls, urls), (limits.max_videos, videos), (limits.max_images, images)):
        if limit is not None:
            if per_item and max(per_item) > limit:
                return None
            sums.append((list(accumulate(per_item, initial=0)), limit))
    if limits.max_videos is not None and limits.max_images is not None:
        budget = limits.max_videos * limits.max_images
        weights = list(
            map(add, map(mul, videos, repeat(limits.max_images)), map(mul, images, repeat(limits.max_videos)))
        )
        if weights and max(weights) > budget:
            return None
        sums.append((list(accumulate(weights, initial=0)), budget))
    fill = None
    if sizes is not None:  # sized once every item is known to fit a part alone by count
        item_sizes = list(chain.from_iterable(sizes.items(kind, values) for kind, values, _ in arrays))
        fill = _ByteFill(manifest, limits, sizes, arrays, item_sizes)
    parts: list[Part] = []
    start, total, most = 0, len(urls), limits.max_items
    while start < total:
        end = total if most is None else min(total, start + most)
        for running, limit in sums:
            end = min(end, bisect_right(running, running[start] + limit, start, end + 1) - 1)
        part = Part(len(parts) + 1, _PartItems.between(arrays, start, end))
        if fill is not None:
            part = fill.part(part, start, end)
            end = start + len(part.items)
        part.urls = sum(urls[start:end])
        part.videos, part.images = sum(videos[start:end]), sum(images[start:end])
        parts.append(part)
        start = end
    return parts


@dataclass(slots=True)
class _ByteFill:
    """The bytes limit of :func:`_packed`: a part's wrapper grows with the kinds it holds, so its items' running
    sum of bytes is bisected a kind's array at a time, against the limit less the wrapper for the kinds so far
    (exactly the test :func:`_plan_bytes` makes item by item); the part is then written to a counter, and
    one the sum misjudged gives items back (never over), one item that does not fit alone is refused."""

    manifest: Manifest
    limits: Limits
    sizes: _Sizes
    arrays: list[tuple[Kind, list[Any], int]]
    item_sizes: list[int]
    running: list[int] = field(default_factory=list)
    example: dict[Kind, Item] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.running = list(accumulate(self.item_sizes, initial=0))
        self.example = {kind: Item(kind, 0, values[0]) for kind, values, _ in self.arrays}

    def part(self, part: Part, start: int, end: int) -> Part:
        """``part`` (items ``start`` to ``end``, within the other limits) cut to the bytes limit, sized."""
        assert self.limits.max_bytes is not None
        end = self._end(start, end, self.limits.max_bytes)
        if end == start:  # the first item does not fit alone: refused, naming it, with its part's real size
            item = _PartItems.between(self.arrays, start, start + 1)[0]
            alone = self.sizes.part(Part(0, [item]))
            urls, videos, images = _counts(item)
            _check_fits(item, urls, videos, images, self.limits, alone)
            end = start + 1  # the sum misjudged it: the written size decides
        part.items = _PartItems.between(self.arrays, start, end)
        part.bytes = self.sizes.part(part)
        return part if part.bytes <= self.limits.max_bytes else self._given_back(part, start, end)

    def _given_back(self, part: Part, start: int, end: int) -> Part:
        """``part``, which the sum misjudged (written, it is over), cut to the longest run that fits as
        written: bisected, since a part's size only grows with its items."""
        assert self.limits.max_bytes is not None
        fits, over = start, end
        while over - fits > 1:
            middle = (fits + over) // 2
            if self.sizes.part(Part(0, _PartItems.between(self.arrays, start, middle))) <= self.limits.max_bytes:
                fits = middle
            else:
                over = middle
        if fits == start:
            item = part.items[0]
            _check_fits(item, *_counts(item), self.limits, self.sizes.part(Part(0, [item])))
            fits = start + 1
        part.items = _PartItems.between(self.arrays, start, fits)
        part.bytes = self.sizes.part(part)
        return part

    def _end(self, start: int, end: int, limit: int) -> int:
        """The longest run from ``start`` (to ``end`` at most) whose bytes and wrapper fit ``limit``."""
        running, holding = self.running, set[Kind]()
        for kind, values, first in self.arrays:
            last = first + len(values)
            if last <= start:
                continue
            holding.add(kind)
            room = limit - self.sizes.wrapper(frozenset(holding), self.example)
            low, high = max(start, first), min(end, last)
            fits = max(low, bisect_right(running, running[start] + room, low, high + 1) - 1)
            if fits < high or high == end:
                return fits
        return end


class _PartItems(Sequence[Item]):
    """A run-packed part's items: slices of the kinds' arrays, each item's view made when it is read. A plan
    of half a million items then holds no tuple per item (those kept the cycle collector walking: half the
    plan's time), and a part's data is its slices (:func:`part_data`)."""

    __slots__ = ("_length", "slices")

    def __init__(self, slices: list[tuple[Kind, list[Any], int, int]]) -> None:
        self.slices = slices
        """(kind, its array, first index, index past the last), in the file's order."""
        self._length = sum(stop - start for _, _, start, stop in slices)

    @classmethod
    def between(cls, arrays: list[tuple[Kind, list[Any], int]], start: int, end: int) -> _PartItems:
        """Items ``start`` to ``end`` of the file's order (``arrays``: each kind's array and its first item's place)."""
        slices = []
        for kind, values, first in arrays:
            low, high = max(start, first), min(end, first + len(values))
            if low < high:
                slices.append((kind, values, low - first, high - first))
        return cls(slices)

    def __len__(self) -> int:
        return self._length

    def __eq__(self, other: object) -> bool:
        """Equal, as a list is, to the same items however held (a list of them, as an item-by-item plan's
        part holds, or slices cut elsewhere)."""
        return list(self) == list(other) if isinstance(other, (_PartItems, list)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable parts' items, as a list's

    def __iter__(self) -> Iterator[Item]:
        new = tuple.__new__
        for kind, values, start, stop in self.slices:
            yield from map(new, repeat(Item), zip(repeat(kind), range(start, stop), values[start:stop]))

    @overload
    def __getitem__(self, place: int) -> Item: ...

    @overload
    def __getitem__(self, place: slice) -> list[Item]: ...

    def __getitem__(self, place: int | slice) -> Item | list[Item]:
        if isinstance(place, slice):
            return list(self)[place]
        if place < 0:
            place += self._length
        if not 0 <= place < self._length:
            raise IndexError(place)
        for kind, values, start, stop in self.slices:
            if place < stop - start:
                return Item(kind, start + place, values[start + place])
            place -= stop - start
        raise AssertionError("unreachable: the place is within the length")


def _items_in_file_order(manifest: Manifest) -> Iterator[tuple[Item, int]]:
    """Each item with its URL count, in the file's order (``manifest.items()`` walks the kinds in the
    table's order): a kind at a time, counted at C speed, unless a CSV kind's blocks have another's
    rows between them (then item by item, ordered by line)."""
    data = manifest.data or {}
    keys = _kinds_in_file_order(manifest)
    if keys is None:
        for item in sorted(manifest.items(), key=lambda item: _line(manifest, item.pointer)):
            yield item, _url_count(item)
        return
    new = tuple.__new__
    for key in keys:  # shape_losses made sure every element is an object
        kind, values = KINDS_BY_KEY[key], data[key]
        for index, (value, urls) in enumerate(zip(values, _url_counts(kind, values), strict=True)):
            yield new(Item, (kind, index, value)), urls


def _kinds_in_file_order(manifest: Manifest) -> list[str] | None:
    """The keys of the kinds present, in the file's order: a JSON file's key order; a CSV's order of first
    rows, or None when a kind's blocks have another kind's rows between them (then only rows order)."""
    data = manifest.data or {}
    present = [key for key, values in data.items() if key in KINDS_BY_KEY and isinstance(values, list) and values]
    if manifest.format != "csv":
        return present
    ranges = sorted(
        (_line(manifest, f"/{key}/0"), _line(manifest, f"/{key}/{len(data[key]) - 1}"), key) for key in present
    )
    if any(later[0] < earlier[1] for earlier, later in pairwise(ranges)):
        return None
    return [key for _, _, key in ranges]


def _line(manifest: Manifest, pointer: str) -> int:
    return manifest.locator.span(pointer)[0].line


def in_file_order(manifest: Manifest) -> list[Item]:
    """The items in the file's order (JSON: the kinds in the order of their keys; CSV: the rows' order)."""
    return [item for item, _ in _items_in_file_order(manifest)]


def _url_counts(kind: Kind, values: list[Any]) -> list[int]:
    """``_url_count`` of each item of a kind's array (objects): at C speed for single-file kinds."""
    if kind.scene:
        return [Item(kind, index, value).counted_urls() for index, value in enumerate(values)]
    if not kind.multi_file:
        return list(map(int, map(dict.__contains__, values, repeat(OBJECT_URL))))
    if values and len(set(map(tuple, values))) == 1:  # one item shape: one count (values are objects)
        return [_url_count(Item(kind, 0, values[0]))] * len(values)
    return [_url_count(Item(kind, index, value)) for index, value in enumerate(values)]


def _fits(part: Part, urls: int, videos: int, images: int, limits: Limits, size: int = 0, overhead: int = 0) -> bool:
    """Whether the item fits ``part``; ``size`` is its bytes, ``overhead`` the part's wrapper with it in."""
    return not (
        (limits.max_items is not None and len(part.items) + 1 > limits.max_items)
        or (limits.max_urls is not None and part.urls + urls > limits.max_urls)
        or (limits.max_videos is not None and part.videos + videos > limits.max_videos)
        or (limits.max_images is not None and part.images + images > limits.max_images)
        or (limits.max_bytes is not None and overhead + part.bytes + size > limits.max_bytes)
        or (
            # "100 videos or 1,000 images" is one budget: a video uses 1/100 of it, an image 1/1,000.
            limits.max_videos is not None
            and limits.max_images is not None
            and (part.videos + videos) * limits.max_images + (part.images + images) * limits.max_videos
            > limits.max_videos * limits.max_images
        )
    )


def _over(urls: int, videos: int, images: int, limits: Limits, alone: int) -> tuple[str, tuple[str, int] | None]:
    """Which limit an item alone exceeds, and by what (``alone``: the bytes of a part of just that item): the
    words, and the limit they end with (a field and its value), which the caller's spelling names."""
    if limits.max_urls is not None and urls > limits.max_urls:
        return f"has {plural(urls, 'URL')}, over ", ("max_urls", limits.max_urls)
    if limits.max_bytes is not None and alone > limits.max_bytes:
        return f"makes a part of {alone:,} bytes on its own, over ", ("max_bytes", limits.max_bytes)
    if limits.max_videos is not None and videos > limits.max_videos:
        return f"has {plural(videos, 'video')}, over the limit of {plural(limits.max_videos, 'video')} per part", None
    if limits.max_images is not None and images > limits.max_images:
        return f"has {plural(images, 'image')}, over the limit of {plural(limits.max_images, 'image')} per part", None
    return (
        f"has {plural(videos, 'video')} and {plural(images, 'image')}, over one part's budget of"
        f" {plural(limits.max_videos or 0, 'video')} or {plural(limits.max_images or 0, 'image')}"
    ), None


def _check_fits(item: Item, urls: int, videos: int, images: int, limits: Limits, alone: int = 0) -> None:
    """SplitError naming the item when it does not fit an empty part (``alone``: that part's exact bytes)."""
    over_bytes = limits.max_bytes is not None and alone > limits.max_bytes
    if not over_bytes and _fits(Part(0), urls, videos, images, limits):
        return
    title = item.fields.get("title")
    name = f"{item.kind.label} {title!r}" if isinstance(title, str) else item.kind.label
    over, limit = _over(urls, videos, images, limits, alone)
    raise SplitError(
        f"{name} at {item.pointer} {over}", limit, "; it is never cut: raise the limits or split it by hand"
    )


def existing_parts(source: str, output_dir: str | None) -> list[Path]:
    """Parts of an earlier split of the same stem (JSON or CSV: ``lint stem.part-*`` reads both) in the
    output folder."""
    folder = part_path(source, 1, ".json", output_dir).parent
    if not folder.is_dir():
        return []
    stem = Path(source).stem
    return sorted(p for p in folder.iterdir() if (found := part_stem(p.name)) is not None and found[0] == stem)


def part_data(manifest: Manifest, part: Part) -> dict[str, Any]:
    source = manifest.data or {}
    data: dict[str, Any] = {SCHEMA_KEY: source[SCHEMA_KEY]} if SCHEMA_KEY in source else {}
    by_kind: dict[Kind, list[dict[str, Any]]] = {}
    if isinstance(part.items, _PartItems):  # slices of the arrays, taken at C speed
        for kind, values, start, stop in part.items.slices:
            by_kind.setdefault(kind, []).extend(values[start:stop])
    else:
        for kind, items in groupby(part.items, itemgetter(0)):  # (kind, index, fields): runs of one kind
            by_kind.setdefault(kind, []).extend(map(itemgetter(2), items))
    for kind, values in by_kind.items():  # the file's order of kinds (the plan's)
        data[kind.key] = values
    for flag in FLAG_NAMES:
        if flag in source:
            data[flag] = source[flag]
    return data


def write_parts(
    manifest: Manifest,
    parts: list[Part],
    *,
    suffix: str,
    output_dir: str | None = None,
    replace: bool = False,
    progress: Callable[[int], None] | None = None,
    newline: str = "\n",
) -> list[Path]:
    """Write every part aside, then move them in together: all parts appear, or none.

    Raises PartsExist when parts of the same stem are there, unless ``replace``,
    which removes that old set when the new one is moved in. ``progress`` is
    called with the number of items written after each part (the CLI's bar).
    ``newline`` ends each line: the source's (a CRLF file's parts are CRLF, as ``fix`` keeps it).
    """
    old = existing_parts(manifest.path, output_dir)
    if old and not replace:
        raise PartsExist(old)
    folder = part_path(manifest.path, 1, suffix, output_dir).parent
    created = _create_output_dir(folder)  # --output-dir, or standard input's --stdin-filename data/big.json
    try:
        return _write_staged(manifest, parts, folder, suffix, output_dir, old if replace else [], progress, newline)
    except BaseException:
        for made in reversed(created):  # no stale outputs: the folders this run made go when it fails
            with contextlib.suppress(OSError):
                made.rmdir()
        raise


def _create_output_dir(folder: Path) -> list[Path]:
    """Make the parts' folder and its missing parents (as ``mkdir -p``, the umask honoured); the folders made.
    A file's own folder exists; ``--output-dir``, or the folder of the name standard input is given, may not."""
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    if folder.exists() and not folder.is_dir():  # mkdir said "file exists"
        raise OutputError(f"{folder}: is a file, not a folder")
    with output_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
    return list(reversed(missing))


def _write_staged(
    manifest: Manifest,
    parts: list[Part],
    folder: Path,
    suffix: str,
    output_dir: str | None,
    old: list[Path],
    progress: Callable[[int], None] | None,
    newline: str = "\n",
) -> list[Path]:
    with staged_files(folder, Path(manifest.path).stem + ".split") as stage:
        written = 0
        for part in parts:
            with stage.open(part_path(manifest.path, part.number, suffix, output_dir).name) as out:
                write_part(manifest, part, out, csv_part=suffix == ".csv", newline=newline)
            written += len(part.items)
            if progress is not None:
                progress(written)
        return stage.commit(remove=old)


def write_part(manifest: Manifest, part: Part, out: Writable, *, csv_part: bool, newline: str) -> None:
    """One part's text, as its file holds it (the one layout that sizes are counted from)."""
    data = part_data(manifest, part)
    if csv_part:
        write_csv(data, out, newline=newline)  # type: ignore[arg-type]  # it only calls write
    else:
        write_json(data, out if newline == "\n" else _LineEnds(out, newline))


@dataclass(slots=True)
class _LineEnds:
    """Canonical JSON with its lines ended by ``newline`` (a JSON string holds no raw line end)."""

    out: Writable
    newline: str

    def write(self, text: str) -> Any:
        return self.out.write(text.replace("\n", self.newline))
