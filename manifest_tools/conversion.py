"""Convert manifests between JSON, multi-header CSV and the Encord SDK's structured payload.

CSV carries far less than JSON (spec section 2). A conversion lists every item,
field and flag it cannot carry and refuses, unless told to drop them; dropped
things are still reported one by one. Nothing is lost quietly.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, Literal

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
from manifest_tools.model import (
    URL_KEYS,
    Item,
    Manifest,
    escape_pointer_token,
    join_pointer,
    object_url_index,
    spells_object_url,
)
from manifest_tools.writers.csv import csv_encodable, formula_cells, neutralised, write_csv
from manifest_tools.writers.json import write_json
from manifest_tools.writers.sdk import dumps_sdk


@dataclass(frozen=True, slots=True)
class Loss:
    """Something the target format cannot carry, at a JSON pointer of the source."""

    pointer: str
    message: str


@dataclass(slots=True)
class Conversion:
    """A conversion ready to be written: ``write_to(out)`` streams it, ``text`` builds it in memory."""

    writer: Callable[[IO[str]], None]
    dropped: list[Loss] = field(default_factory=list)
    notes: list[Loss] = field(default_factory=list)

    def write_to(self, out: IO[str]) -> None:
        self.writer(out)

    @property
    def text(self) -> str:
        buffer = io.StringIO()
        self.writer(buffer)
        return buffer.getvalue()


class ConversionRefused(ManifestToolsError):
    """The target cannot carry everything; ``losses`` lists what would be dropped."""

    def __init__(self, target: str, losses: list[Loss], message: str = "") -> None:
        self.losses = losses
        super().__init__(
            message
            or f"{target.upper()} cannot carry {len(losses)} thing{'s' if len(losses) != 1 else ''} of this"
            " manifest; pass --drop-unsupported to drop them (each is still reported)"
        )


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
            losses.append(Loss(join_pointer(key), f"{key} is not an array of items"))
        else:
            losses += [
                Loss(f"/{key}/{i}", "not an item object") for i, v in enumerate(value) if not isinstance(v, dict)
            ]
    return losses


def csv_has_block(kind: Kind) -> bool:
    """Whether CSV can register ``kind`` (the kinds table's ``csv`` block)."""
    return kind.csv is not None


def no_csv_block(kind: Kind) -> str:
    """Why ``kind`` cannot be written to CSV."""
    return f"CSV has no block for {kind.plural}"


def unsupported_in_csv(data: dict[str, Any]) -> tuple[list[Loss], frozenset[str]]:
    """What CSV cannot carry, and the pointers of the items the CSV must leave out.

    Fields CSV has no column for are simply not written, so only whole items
    need skipping; nothing is copied.
    """
    losses = shape_losses(data)
    skip: set[str] = set()
    for key in FLAG_NAMES:
        if key in data:
            losses.append(Loss(join_pointer(key), f"{key} has no CSV form: pass it to the upload call instead"))
    for kind in KINDS:
        values = data.get(kind.key)
        if not isinstance(values, list):
            continue
        if not csv_has_block(kind):
            for index in range(len(values)):
                losses.append(Loss(f"/{kind.key}/{index}", no_csv_block(kind)))
                skip.add(f"/{kind.key}/{index}")
        else:
            _csv_item_losses(kind, values, losses, skip)
    losses.sort(key=lambda loss: _top_level_order(data, loss.pointer))
    return losses, frozenset(skip)


def _top_level_order(data: dict[str, Any], pointer: str) -> int:
    """Losses are listed in the order of the manifest's top-level keys."""
    keys = list(data)
    token = pointer.split("/")[1].replace("~1", "/").replace("~0", "~")
    return keys.index(token) if token in keys else len(keys)


_URL_KEYS = frozenset(URL_KEYS)
"""objectUrl_0 .. objectUrl_4095: a set look-up instead of parsing each frame's key."""


def _csv_item_losses(kind: Kind, values: list[Any], losses: list[Loss], skip: set[str]) -> None:
    cells: set[str] = set()
    assert kind.csv is not None
    allowed = kind.csv_fields
    for index, value in enumerate(values):
        pointer = f"/{kind.key}/{index}"
        if not isinstance(value, dict):
            continue  # listed by shape_losses
        if not csv_encodable(Item(kind, index, value)):
            unpaired = "a lone surrogate (an escape such as \\udc00 without a pair): UTF-8 cannot hold it"
            losses.append(Loss(pointer, unpaired))
            skip.add(pointer)
            continue
        if not any(isinstance(url, str) and url.strip() for _, url in Item(kind, index, value).url_fields()):
            losses.append(Loss(pointer, "no object URL: a CSV row without one registers nothing"))
            skip.add(pointer)
            continue
        if kind.multi_file:
            title = value.get(TITLE)
            if not isinstance(title, str) or not title.strip():
                losses.append(Loss(pointer, f"{_a(kind.label)} needs a title in CSV (rows join groups by title)"))
                skip.add(pointer)
                continue
            cell = neutralised(title)  # rows join the group whose title cell is the same text
            if cell in cells:
                losses.append(Loss(pointer, f"another {kind.label} is written {cell!r}: CSV would merge the two"))
                skip.add(pointer)
                continue
            cells.add(cell)
        for name in value:
            if name in allowed or (kind.multi_file and (name in _URL_KEYS or object_url_index(name) is not None)):
                continue
            losses.append(Loss(f"{pointer}/{escape_pointer_token(name)}", _field_loss(kind, name, "CSV has no")))


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


def unsupported_in_sdk(data: dict[str, Any]) -> list[Loss]:
    """What the SDK's payload cannot carry: the shape losses and every field it has no place for."""
    losses = shape_losses(data)
    for kind in KINDS:
        values = data.get(kind.key)
        for index, value in enumerate(values if isinstance(values, list) else []):
            if not isinstance(value, dict):
                continue
            for name, field_value in value.items():
                if not _sdk_carries(kind, name, field_value):
                    pointer = f"/{kind.key}/{index}/{escape_pointer_token(name)}"
                    known = name in (TITLE, CLIENT_METADATA, CREATE_VIDEO, SCENE) or name in METADATA_KEYS
                    why = f"{name} is not of the type DataUploadItems takes" if known else _field_loss(kind, name, "no")
                    losses.append(Loss(pointer, why))
    losses.sort(key=lambda loss: _top_level_order(data, loss.pointer))
    return losses


def convert(manifest: Manifest, target: Target, *, drop_unsupported: bool = False) -> Conversion:
    """Render ``manifest`` as ``target``; raises ConversionRefused rather than lose anything quietly."""
    if target not in TARGETS:
        raise ConfigError(f"unknown target {target!r}: convert to {', '.join(TARGETS)}")
    data = manifest.data or {}
    if target == "json":
        return Conversion(lambda out: write_json(data, out))
    if target == "sdk":
        return _to_sdk(data, drop_unsupported)
    losses, skip = unsupported_in_csv(data)
    if losses and not drop_unsupported:
        raise ConversionRefused("csv", losses)
    rows = csv_rows(data, skip)
    if rows > MAX_CSV_ENTRIES:  # lint would reject the CSV (MT805)
        raise ConversionRefused(
            "csv",
            [],
            f"the CSV would have {rows:,} rows and a CSV manifest holds at most {MAX_CSV_ENTRIES:,} rows:"
            f" split it first (`manifest-tools split SOURCE --max-urls {MAX_CSV_ENTRIES}`) and convert each part",
        )
    notes = [
        Loss(f"/{kind.key}/{index}", "no createVideo: written as false (the SDK's default)")
        for kind in CSV_KINDS
        if kind.create_video
        for index, value in enumerate(data[kind.key] if isinstance(data.get(kind.key), list) else [])
        if isinstance(value, dict) and CREATE_VIDEO not in value
    ]
    notes += [
        Loss(f"/{kind.key}", kind.csv.advice)
        for kind in CSV_KINDS
        if kind.csv is not None and kind.csv.advice and isinstance(data.get(kind.key), list)
    ]
    notes += [
        Loss(pointer, f"{value!r} starts like a spreadsheet formula: written with a leading apostrophe")
        for pointer, value in formula_cells(data, skip)
    ]
    return Conversion(lambda out: write_csv(data, out, skip=skip), losses, notes)


def _to_sdk(data: dict[str, Any], drop_unsupported: bool) -> Conversion:
    notes = [
        Loss(join_pointer(flag), f"{flag} is an argument of the upload call, not of DataUploadItems")
        for flag in FLAG_NAMES
        if flag in data
    ]
    dropped = unsupported_in_sdk(data)
    if dropped and not drop_unsupported:
        raise ConversionRefused("sdk", dropped)

    def write_sdk(out: IO[str]) -> None:
        out.write(dumps_sdk(data))

    return Conversion(write_sdk, dropped, notes)


def counts(data: dict[str, Any]) -> dict[str, int]:
    """Items per kind, for summaries."""
    return {kind.key: len(data[kind.key]) for kind in KINDS if isinstance(data.get(kind.key), list)}
