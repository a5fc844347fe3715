"""Convert manifests between JSON, multi-header CSV and the Encord SDK's structured payload.

CSV carries far less than JSON (spec section 2). A conversion lists every item,
field and flag it cannot carry and refuses, unless told to drop them; dropped
things are still reported one by one. Nothing is lost quietly.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby, repeat
from operator import itemgetter
from typing import IO, Any, Literal

from manifest_tools.collector import collector_paused
from manifest_tools.errors import ConfigError, ManifestToolsError
from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    CSV_KINDS,
    FLAG_NAMES,
    KINDS,
    KINDS_BY_KEY,
    MAX_CSV_ENTRIES,
    METADATA_KEYS,
    OBJECT_URL,
    SCENE,
    SCHEMA_KEY,
    TITLE,
    Kind,
)
from manifest_tools.losses import Loss as Loss
from manifest_tools.losses import LossList
from manifest_tools.model import (
    URL_KEYS,
    Item,
    Manifest,
    escape_pointer_token,
    join_pointer,
    object_url_index,
    run_shape,
    spells_object_url,
)
from manifest_tools.readers.text import RAW_CONTROL
from manifest_tools.rules.structure import sdk_payload_keys
from manifest_tools.wording import plural
from manifest_tools.writers.csv import (
    FORMULA_PREFIXES,
    SAFE_FIRST,
    formula_note,
    starts_like_formula,
    uniform_url_keys,
    utf8_cells,
    write_csv,
)
from manifest_tools.writers.json import write_json
from manifest_tools.writers.sdk import write_sdk


@dataclass(slots=True)
class Conversion:
    """A conversion ready to be written: ``write_to(out)`` streams it, ``text`` builds it in memory."""

    writer: Callable[[IO[str]], None]
    dropped: Sequence[Loss] = field(default_factory=LossList)
    notes: Sequence[Loss] = field(default_factory=LossList)

    def write_to(self, out: IO[str]) -> None:
        self.writer(out)

    @property
    def text(self) -> str:
        buffer = io.StringIO()
        self.writer(buffer)
        return buffer.getvalue()


SourceCommand = Callable[[str, str], str]
"""``(verb, options)`` -> how to run ``manifest-tools VERB OPTIONS`` on the converted manifest, as a user types
it: the library names the manifest's path; the CLI names the file it read, or says how to pipe standard input."""


def path_command(path: str) -> SourceCommand:
    """Commands on the file ``path`` (quoted as a shell needs: a name with a space)."""
    import shlex

    return lambda verb, options: f"run manifest-tools {verb} {shlex.quote(path)}{options}"


class ConversionRefused(ManifestToolsError):
    """The target cannot carry everything; ``losses`` lists what would be dropped."""

    def __init__(
        self,
        target: str,
        losses: Sequence[Loss],
        message: str | Callable[[SourceCommand], str] = "",
        *,
        things: int | None = None,
        path: str = "",
        carrier: str | None = None,
        source: str = "manifest",
        reported: bool = True,
    ) -> None:
        """``carrier`` and ``source``: what cannot carry what, when not a file format and a manifest (the
        library's tables: "a table" cannot carry things of a manifest, "a manifest" things of a table).
        ``reported``: whether the losses are listed one by one (convert prints them, its Conversion keeps
        what it dropped); else the message names the first, as nothing else will."""
        self.losses = losses
        self._reported = reported
        self.droppable = not message
        """Whether dropping what the target cannot carry would let the conversion go on."""
        self.things = len(losses) if things is None else things
        """What the losses stand for (``generate`` lists one loss per kind, for all of its objects)."""
        self._explain = message if callable(message) else None
        """A message that names a command to run on the source (lint it, split it), as ``naming`` is told."""
        self._path = path
        fixed = message if isinstance(message, str) else ""
        carried = f"{carrier or target.upper()} cannot carry {plural(self.things, 'thing')} of this {source}"
        self.summary = fixed or carried
        super().__init__(self.naming("drop_unsupported=True"))

    def naming(self, option: str, command: SourceCommand | None = None) -> str:
        """The message, naming ``option`` as the way to drop the losses (the library's keyword by default, the
        CLI's ``--drop-unsupported`` when it prints it) and ``command`` as how to run a command on the source."""
        if self._explain is not None:
            return self._explain(command or path_command(self._path))
        if not self.droppable:
            return self.summary
        if not self._reported:
            first = self.losses[0]
            more = f", and {len(self.losses) - 1} more in .losses" if len(self.losses) > 1 else ""
            them = "it" if self.things == 1 else "them"
            return f"{self.summary} ({first.pointer}: {first.message}{more}); pass {option} to drop {them}"
        if self.things == 1:
            return f"{self.summary}; pass {option} to drop it (it is still reported)"
        return f"{self.summary}; pass {option} to drop them (each is still reported)"


def csv_rows(data: dict[str, Any], skip: frozenset[str]) -> int:
    """The data rows the CSV of ``data`` would have: one per URL of each item written."""
    return sum(
        Item(kind, index, value).url_count()
        for kind in KINDS
        if isinstance(values := data.get(kind.key), list)
        for index, value in enumerate(values)
        if isinstance(value, dict) and f"/{kind.key}/{index}" not in skip
    )


Target = Literal["json", "csv", "sdk"]
TARGETS: tuple[Target, ...] = ("json", "csv", "sdk")


def _invalid_shape(data: dict[str, Any]) -> list[Loss]:
    """A kind that is not an array, an item that is not an object: not something a target cannot carry but
    invalid input, which dropping would hide (convert refuses it whatever ``drop_unsupported`` says)."""
    return [loss for loss in shape_losses(data) if loss.message.endswith(_NOT_AN_ARRAY) or loss.message == _NOT_AN_ITEM]


_NOT_AN_ARRAY = "is not an array of items"
_NOT_AN_ITEM = "not an item object"


def shape_losses(data: dict[str, Any]) -> list[Loss]:
    """What no item-by-item target can carry: unknown top-level keys, kinds that are not arrays,
    array elements that are not objects (CSV, the SDK payload and split parts are built item by item)."""
    losses: list[Loss] = []
    for key, value in data.items():
        if key == SCHEMA_KEY or key in FLAG_NAMES:
            continue
        if key not in KINDS_BY_KEY:
            losses.append(Loss(join_pointer(key), f'"{key}" is not a manifest key'))
        elif not isinstance(value, list):
            losses.append(Loss(join_pointer(key), f"{key} {_NOT_AN_ARRAY}"))
        elif set(map(type, value)) - _DICT:  # (a set of types: no Python step per item when all are dicts)
            losses += [Loss(f"/{key}/{i}", _NOT_AN_ITEM) for i, v in enumerate(value) if not isinstance(v, dict)]
    return losses


def csv_has_block(kind: Kind) -> bool:
    """Whether CSV can register ``kind`` (the kinds table's ``csv`` block)."""
    return kind.csv is not None


def no_csv_block(kind: Kind) -> str:
    """Why ``kind`` cannot be written to CSV."""
    return f"CSV has no block for {kind.plural}"


def unsupported_in_csv(data: dict[str, Any]) -> tuple[Sequence[Loss], frozenset[str]]:
    """What CSV cannot carry, and the pointers of the items the CSV must leave out.

    Fields CSV has no column for are simply not written, so only whole items
    need skipping; nothing is copied.
    """
    plan = _plan_csv(data)
    return plan.losses, plan.skip


@dataclass(slots=True)
class _CsvPlan:
    """Everything a conversion to CSV learns about the items, in one pass over them."""

    losses: LossList
    skip: frozenset[str]
    rows: int
    """Data rows of the CSV: one per URL of each item written."""
    notes: LossList


def _plan_csv(data: dict[str, Any]) -> _CsvPlan:
    buckets: dict[str, LossList] = {}
    for loss in shape_losses(data):
        buckets.setdefault(_top_level_key(loss.pointer), LossList()).append(loss)
    skip: set[str] = set()
    for key in FLAG_NAMES:
        if key in data:
            buckets.setdefault(key, LossList()).append(
                Loss(join_pointer(key), f"{key} has no CSV form: pass it to the upload call instead")
            )
    rows = 0
    create_video: dict[Kind, list[Loss]] = {}
    formulas: dict[Kind, list[Loss]] = {}
    for kind in KINDS:
        values = data.get(kind.key)
        if not isinstance(values, list):
            continue
        bucket = buckets.setdefault(kind.key, LossList())
        if not csv_has_block(kind):
            message = no_csv_block(kind)
            pointers = [f"/{kind.key}/{index}" for index in range(len(values))]
            bucket.extend(Loss(pointer, message) for pointer in pointers)
            skip.update(pointers)
        else:
            rows += _csv_item_losses(kind, values, bucket, skip, formulas.setdefault(kind, []))
        if kind.create_video and not _all_have(values, CREATE_VIDEO):
            create_video[kind] = [
                Loss(f"/{kind.key}/{index}", "no createVideo: written as false (the SDK's default)")
                for index, value in enumerate(values)
                if isinstance(value, dict) and CREATE_VIDEO not in value
            ]
    notes = LossList(note for kind in CSV_KINDS for note in create_video.get(kind, ()))
    notes += [
        Loss(f"/{kind.key}", kind.csv.advice)
        for kind in CSV_KINDS
        if kind.csv is not None and kind.csv.advice and isinstance(data.get(kind.key), list)
    ]
    notes += [note for kind in CSV_KINDS for note in formulas.get(kind, ())]
    return _CsvPlan(_in_top_level_order(data, buckets), frozenset(skip), rows, notes)


def _all_have(values: list[Any], key: str) -> bool:
    """Whether every element is a dict with ``key``: a C-speed answer for the usual array."""
    return set(map(type, values)) <= _DICT and all(map(dict.__contains__, values, repeat(key)))


def _top_level_key(pointer: str) -> str:
    return pointer.split("/")[1].replace("~1", "/").replace("~0", "~")


def _in_top_level_order(data: dict[str, Any], buckets: dict[str, LossList]) -> LossList:
    """Losses are listed in the order of the manifest's top-level keys (each key's in the order found)."""
    ordered = LossList()
    for key in data:
        if key in buckets:
            ordered.extend(buckets[key])
    for key, bucket in buckets.items():
        if key not in data:
            ordered.extend(bucket)
    return ordered


_URL_KEYS = frozenset(URL_KEYS)
"""objectUrl_0 .. objectUrl_4095: a set look-up instead of parsing each frame's key."""

_NO_URL = "no object URL: a CSV row without one registers nothing"
_UNPAIRED = "a lone surrogate (an escape such as \\udc00 without a pair): UTF-8 cannot hold it"
_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)
_STRINGS = frozenset({str})
_MISSING: Any = object()


def _control_loss(title: str, urls: list[str]) -> str | None:
    """Why an item whose cells hold a control character (``RAW_CONTROL``: every C0 control but tab and the
    line breaks, which a quoted cell holds) cannot be written to CSV: a cell has no escape for it, so the CSV
    would hold it raw, which lint refuses (MT107); None when no cell holds one."""
    for where, cells in (("title", [title]), ("URL", urls)):
        for cell in cells:
            found = RAW_CONTROL.search(cell)
            if found is not None:
                code = ord(found.group())
                return (
                    f"a control character U+{code:04X} in its {where}: a CSV cell cannot escape it (JSON writes"
                    f" \\u{code:04x}); remove it, or keep the manifest in JSON"
                )
    return None


def _carries_url(url: Any) -> bool:
    """Whether ``url`` is a URL a CSV row can carry: a string with more than blanks."""
    return isinstance(url, str) and bool(url.strip())


def _formula(cell: str) -> bool:
    """:func:`starts_like_formula`, answered from the first character for the usual cell."""
    first = cell[:1]
    return (first in _FORMULA_FIRST or first.isspace()) and starts_like_formula(cell)


def _field_losses(kind: Kind, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(escaped pointer token, message) of each field of an item with these keys that CSV has no column for."""
    allowed = kind.csv_fields
    return tuple(
        (escape_pointer_token(name), _field_loss(kind, name, "CSV has no"))
        for name in keys
        if not (name in allowed or (kind.multi_file and (name in _URL_KEYS or object_url_index(name) is not None)))
    )


_field_losses_by_shape: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}
_MAX_SHAPES = 10_000


def _shape_losses(kind: Kind, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """:func:`_field_losses`, kept per item shape (up to ``_MAX_SHAPES`` of them)."""
    found = _field_losses_by_shape.get((kind.key, keys))
    if found is None:
        found = _field_losses(kind, keys)
        if len(_field_losses_by_shape) < _MAX_SHAPES:
            _field_losses_by_shape[kind.key, keys] = found
    return found


def _csv_item_losses(kind: Kind, values: list[Any], losses: LossList, skip: set[str], formulas: list[Loss]) -> int:
    """Losses, skipped items and formula-like cells of one CSV kind's items; returns the rows written."""
    cells: set[str] = set()
    assert kind.csv is not None
    multi_file, owner = kind.multi_file, kind.key
    plain = _plain_group_losses(kind, values, losses) if multi_file else _plain_item_losses(kind, values, losses)
    if plain is not None:
        return plain
    rows = 0
    for index, value in enumerate(values):
        if not isinstance(value, dict):
            continue  # listed by shape_losses
        pointer = f"/{owner}/{index}"
        title = value.get(TITLE)
        title_cell = title if isinstance(title, str) else ""
        urls: list[tuple[str, Any]]
        if multi_file:
            urls = Item(kind, index, value).url_fields()
            url_values = [url for _, url in urls]
            strings = _STRINGS.issuperset(map(type, url_values))
            url_cells = url_values if strings else [str(url) for url in url_values]
            joined = "".join([title_cell, *url_cells])
            has_url = any(map(str.strip, url_values)) if strings else any(_carries_url(u) for u in url_values)
            firsts = {cell[:1] for cell in url_cells}
        else:
            url = value.get(OBJECT_URL, _MISSING)
            urls = [] if url is _MISSING else [(OBJECT_URL, url)]
            joined = title_cell + ("" if url is _MISSING else url if type(url) is str else str(url))
            has_url = isinstance(url, str) and bool(url.strip())
            firsts = {url[:1]} if type(url) is str else set()
        if not joined.isascii() and not utf8_cells([joined]):
            losses.append(Loss(pointer, _UNPAIRED))
            skip.add(pointer)
            continue
        if (
            not joined.isprintable()
            and (control := _control_loss(title_cell, [str(url) for _, url in urls])) is not None
        ):
            losses.append(Loss(pointer, control))
            skip.add(pointer)
            continue
        if not has_url:
            losses.append(Loss(pointer, _NO_URL))
            skip.add(pointer)
            continue
        if multi_file and (merged := group_title_loss(kind, title, cells)):
            losses.append(Loss(pointer, merged))
            skip.add(pointer)
            continue
        rows += len(urls)
        found = _shape_losses(kind, tuple(value))
        if found:
            losses.add_fields(owner, index, found)
        if isinstance(title, str) and title[:1] not in SAFE_FIRST and _formula(title):
            formulas.append(Loss(f"{pointer}/{TITLE}", formula_note(title)))
        if SAFE_FIRST.issuperset(firsts):
            continue  # no URL starts like a formula
        for name, url in urls:
            if isinstance(url, str) and _formula(url):
                formulas.append(Loss(f"{pointer}/{name}", formula_note(url)))
    return rows


def group_title_loss(kind: Kind, title: Any, written: set[str], carrier: str = "CSV") -> str | None:
    """Why the rows of a group (a multi-file item) titled ``title`` could not be told from another group's in a
    CSV or a table (``carrier``), whose rows join the group whose title is the same text; else None, and the
    title joins ``written`` (the titles of the groups before it). The one home of this fact for both."""
    cell = title if isinstance(title, str) else ""
    if not cell.strip():
        return f"{_a(kind.label)} needs a title in {carrier} (rows join groups by title)"
    if cell in written:
        return f"another {kind.label} is written {cell!r}: {carrier} would merge the two"
    written.add(cell)
    return None


def _plain_item_losses(kind: Kind, values: list[Any], losses: LossList) -> int | None:
    """:func:`_csv_item_losses` of a single-file kind's items when each is a plain dict with a string URL of
    more than blanks and a string title (or none), all ASCII and none starting like a formula: then only
    fields CSV has no column for are lost, found per item shape. None (nothing added) for any other array."""
    if not values or set(map(type, values)) != _DICT:
        return None
    urls: list[Any] = list(map(dict.get, values, repeat(OBJECT_URL)))
    titles: list[Any] = list(map(dict.get, values, repeat(TITLE)))
    title_types = set(map(type, titles))
    if set(map(type, urls)) != _STRINGS or not _STRINGS_OR_NONE.issuperset(title_types):
        return None
    present = [title for title in titles if title is not None] if title_types != _STRINGS else titles
    if not (all(map(str.isascii, urls)) and all(map(str.isascii, present)) and all(map(str.strip, urls))):
        return None
    if not (all(map(str.isprintable, urls)) and all(map(str.isprintable, present))):
        return None  # a control character (or a tab or line break in a title, which CSV carries): said item by item
    if not SAFE_FIRST.issuperset({url[:1] for url in urls} | {title[:1] for title in present}):
        return None
    shapes = _field_losses_by_shape
    owner = kind.key
    _shape_losses(kind, tuple(values[0]))  # most arrays have one shape: then every look-up below finds it
    founds: list[Any] = list(map(shapes.get, zip(repeat(owner), map(tuple, values))))
    if None in founds:  # shapes not seen yet
        founds = [
            found if found is not None else _shape_losses(kind, tuple(value))
            for found, value in zip(founds, values, strict=True)
        ]
    start = 0
    for found, run in groupby(founds):  # items of one shape lose the same fields: a run each
        count = len(list(run))
        losses.add_run(owner, range(start, start + count), found)
        start += count
    return len(values)


def _plain_group_losses(kind: Kind, values: list[Any], losses: LossList) -> int | None:
    """:func:`_csv_item_losses` of a multi-file kind's items when they share one shape
    (:func:`~manifest_tools.writers.csv.uniform_url_keys`) with at least one URL and each has a title and
    URLs that are ASCII strings of more than blanks, none starting like a formula, and no two titles are
    the same: then only fields CSV has no column for are lost (the same for every item). None (nothing
    added) for any other array."""
    url_keys = uniform_url_keys(kind, values)
    if not url_keys or TITLE not in values[0]:
        return None
    titles: list[Any] = list(map(itemgetter(TITLE), values))
    # Every URL in one list, item after item: a column per key read 1,000-frame groups across the memory.
    getter = itemgetter(*url_keys)  # one key: the value, else a tuple of them
    urls: list[Any] = list(map(getter, values) if len(url_keys) == 1 else chain.from_iterable(map(getter, values)))
    if set(map(type, titles)) != _STRINGS or set(map(type, urls)) != _STRINGS:
        return None
    cells = [titles, urls]
    if not all(all(map(str.strip, column)) for column in cells) or len(set(titles)) != len(titles):
        return None  # a blank title or URL, or two items written as one group: said item by item
    if not all(all(map(str.isascii, column)) for column in cells):  # no joined copy of a million URLs
        return None
    if not all(all(map(str.isprintable, column)) for column in cells):  # a control character: said item by item
        return None
    if not all(SAFE_FIRST.issuperset(map(itemgetter(0), column)) for column in cells):  # none is blank
        return None
    keys = tuple(values[0])
    losses.add_run(kind.key, range(len(values)), _shape_losses(kind, keys))
    return len(values) * len(url_keys)


_DICT = {dict}
_STRINGS_OR_NONE = frozenset({str, type(None)})


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _field_loss(kind: Kind, name: str, target: str) -> str:
    if name in METADATA_KEYS or name == CLIENT_METADATA:
        return f"{target} {name}"
    if spells_object_url(name):
        spelling = "objectUrl_N (no sign, no leading zero)" if kind.multi_file else f'"{OBJECT_URL}"'
        return f'"{name}" is not {spelling}: its URL would be lost'
    return f'unknown field "{name}": {target} place for it'


def _sdk_carries(kind: Kind, name: str, value: Any) -> bool:
    """Whether ``DataUploadItems`` has a place for the field (``writers/sdk.py`` writes exactly these)."""
    if name == TITLE:
        return value is None or isinstance(value, str)
    if name == CLIENT_METADATA or (kind.metadata is not None and name == kind.metadata.key):
        return isinstance(value, dict)
    if kind.scene:
        return name == SCENE and isinstance(value, dict)
    if not kind.multi_file:
        return name == OBJECT_URL
    if name == CREATE_VIDEO:
        return kind.create_video and isinstance(value, bool)
    return object_url_index(name) is not None


def unsupported_in_sdk(data: dict[str, Any]) -> LossList:
    """What the SDK's payload cannot carry: the shape losses and every field it has no place for."""
    buckets: dict[str, LossList] = {}
    for loss in shape_losses(data):
        buckets.setdefault(_top_level_key(loss.pointer), LossList()).append(loss)
    for kind in KINDS:
        values = data.get(kind.key)
        if not isinstance(values, list):
            continue
        bucket = buckets.setdefault(kind.key, LossList())
        for start in range(0, len(values), _SDK_RUN):
            _sdk_run_losses(kind, values[start : start + _SDK_RUN], start, bucket)
    return _in_top_level_order(data, buckets)


_SDK_RUN = 4096
"""Items whose shape is looked for at once: a run of one shape (a generated manifest's usual run) is
planned with no Python step per item, and an odd item costs its run the item-by-item path alone."""


def _sdk_run_losses(kind: Kind, run: list[Any], start: int, bucket: LossList) -> None:
    """The fields DataUploadItems has no place for in ``run`` (at ``start`` in its array), added to ``bucket``.

    A field's loss depends on the item's keys and its values' types (what ``_sdk_carries`` looks at): for a
    run of plain dicts of one shape whose every column holds one type, that is one shape for the run."""
    keys = run_shape(run)
    if keys is not None:
        types = _column_types(run, keys)
        if types is not None:
            bucket.add_run(
                kind.key, range(start, start + len(run)), _sdk_shape_losses(kind, (kind.key, keys, types), run[0])
            )
            return
    for index, value in enumerate(run, start):
        if not isinstance(value, dict):
            continue
        found = _sdk_shape_losses(kind, (kind.key, tuple(value), tuple(map(type, value.values()))), value)
        if found:
            bucket.add_fields(kind.key, index, found)


def _column_types(run: list[dict[str, Any]], keys: tuple[str, ...]) -> tuple[type, ...] | None:
    """The one type of each member ``keys`` of a run of dicts of that shape (``run_shape``), in key order, or
    None when a member has several. Items of many keys (groups of 1,000 frames) are read a row at a time
    (a type signature per item, from its values in order), where a column at a time cost a dict lookup
    per value; items of a few keys a column at a time, where a tuple per item would cost more."""
    if len(keys) >= _WIDE_ITEM:
        signatures = set(map(tuple, map(map, repeat(type), map(dict.values, run))))
        return signatures.pop() if len(signatures) == 1 else None
    types = tuple(found for found in map(_column_type, repeat(run), keys) if found is not None)
    return types if len(types) == len(keys) else None


_WIDE_ITEM = 16


def _column_type(run: list[dict[str, Any]], key: str) -> type | None:
    """The one type of every item's ``key`` in ``run``, or None when there are several."""
    types = set(map(type, map(itemgetter(key), run)))
    return next(iter(types)) if len(types) == 1 else None


def _sdk_shape_losses(
    kind: Kind, shape: tuple[str, tuple[str, ...], tuple[type, ...]], value: dict[str, Any]
) -> tuple[tuple[str, str], ...]:
    """:func:`_sdk_losses` of ``value``, kept per ``shape`` (keys and their values' types; up to ``_MAX_SHAPES``)."""
    found = _sdk_losses_by_shape.get(shape)
    if found is None:
        found = _sdk_losses(kind, value)
        if len(_sdk_losses_by_shape) < _MAX_SHAPES:
            _sdk_losses_by_shape[shape] = found
    return found


def _sdk_losses(kind: Kind, value: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(escaped pointer token, message) of each field of ``value`` that DataUploadItems has no place for."""
    found = []
    for name, field_value in value.items():
        if not _sdk_carries(kind, name, field_value):
            known = name in (TITLE, CLIENT_METADATA, CREATE_VIDEO, SCENE) or name in METADATA_KEYS
            why = f"{name} is not of the type DataUploadItems takes" if known else _field_loss(kind, name, "no")
            found.append((escape_pointer_token(name), why))
    return tuple(found)


_sdk_losses_by_shape: dict[tuple[str, tuple[str, ...], tuple[type, ...]], tuple[tuple[str, str], ...]] = {}


@collector_paused()
def convert(manifest: Manifest, target: Target, *, drop_unsupported: bool = False) -> Conversion:
    """Render ``manifest`` as ``target``; raises ConversionRefused rather than lose anything quietly.

    The cycle collector is paused while the items are planned (a tuple of keys per item, runs of losses),
    as it is while they are read and written (``manifest_tools.collector``)."""
    if target not in TARGETS:
        raise ConfigError(f"unknown target {target!r}: convert to {', '.join(TARGETS)}")
    data = manifest.data or {}
    if sdk_keys := sdk_payload_keys(data):  # any target would carry the SDK's shapes under unknown keys
        raise ConversionRefused(
            target,
            [Loss(join_pointer(key), f"\"{key}\" holds the SDK's items, not a manifest's") for key in sdk_keys],
            f"this JSON is an Encord SDK upload payload (DataUploadItems: {', '.join(sdk_keys)}), not a manifest:"
            " convert the manifest it was converted from",
        )
    if target != "json" and (invalid := _invalid_shape(data)):
        why = f"{invalid[0].message}{f' and {len(invalid) - 1} more' if len(invalid) > 1 else ''}"
        raise ConversionRefused(
            target,
            invalid,
            lambda command: (
                f"{manifest.path} is not a valid manifest ({why}): fix it first"
                f" (to see each problem, {command('lint', '')})"
            ),
            path=manifest.path,
        )
    if target == "json":
        return Conversion(lambda out: write_json(data, out))
    if target == "sdk":
        return _to_sdk(data, drop_unsupported)
    plan = _plan_csv(data)
    if plan.losses and not drop_unsupported:
        raise ConversionRefused("csv", plan.losses)
    rows = plan.rows
    if rows > MAX_CSV_ENTRIES:  # lint would reject the CSV (MT805)
        raise ConversionRefused(
            "csv",
            [],
            lambda command: (
                f"the CSV would have {rows:,} rows and a CSV manifest holds at most"
                f" {MAX_CSV_ENTRIES:,} rows: split it first ({command('split', f' --max-urls {MAX_CSV_ENTRIES}')})"
                " and convert each part"
            ),
            path=manifest.path,
        )
    skip = plan.skip
    return Conversion(lambda out: write_csv(data, out, skip=skip), plan.losses, plan.notes)


def _to_sdk(data: dict[str, Any], drop_unsupported: bool) -> Conversion:
    notes = LossList(
        Loss(join_pointer(flag), f"{flag} is an argument of the upload call, not of DataUploadItems")
        for flag in FLAG_NAMES
        if flag in data
    )
    dropped = unsupported_in_sdk(data)
    if dropped and not drop_unsupported:
        raise ConversionRefused("sdk", dropped)

    return Conversion(lambda out: write_sdk(data, out), dropped, notes)


def counts(data: dict[str, Any]) -> dict[str, int]:
    """Items per kind, for summaries."""
    return {kind.key: len(data[kind.key]) for kind in KINDS if isinstance(data.get(kind.key), list)}
