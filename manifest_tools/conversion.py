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

from manifest_tools.errors import ManifestToolsError
from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    CSV_KINDS,
    FLAG_KEYS,
    IMAGE_GROUPS,
    KINDS,
    KINDS_BY_KEY,
    METADATA_KEYS,
    OBJECT_URL,
    SCHEMA_KEY,
    TITLE,
)
from manifest_tools.model import Item, Manifest, join_pointer, object_url_index
from manifest_tools.writers.csv import csv_encodable, formula_titles, write_csv
from manifest_tools.writers.json import write_json
from manifest_tools.writers.sdk import dumps_sdk

Target = Literal["json", "csv", "sdk"]


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

    def __init__(self, target: str, losses: list[Loss]) -> None:
        self.losses = losses
        super().__init__(
            f"{target.upper()} cannot carry {len(losses)} thing{'s' if len(losses) != 1 else ''} of this"
            " manifest; convert with --drop-unsupported to drop them (each is still reported)"
        )


_CSV_ITEM_FIELDS = {
    "videos": {OBJECT_URL, TITLE},
    "images": {OBJECT_URL, TITLE},
    "image_groups": {TITLE, CREATE_VIDEO},
    "dicom_series": {TITLE},
}


def unsupported_in_csv(data: dict[str, Any]) -> tuple[list[Loss], frozenset[str]]:
    """What CSV cannot carry, and the pointers of the items the CSV must leave out.

    Fields CSV has no column for are simply not written, so only whole items
    need skipping; nothing is copied.
    """
    losses: list[Loss] = []
    skip: set[str] = set()
    for key, value in data.items():
        kind = KINDS_BY_KEY.get(key)
        if key == SCHEMA_KEY:
            continue  # an editor hint, not data
        if key in FLAG_KEYS:
            losses.append(Loss(join_pointer(key), f"{key} has no CSV form: pass it to the upload call instead"))
        elif kind is None:
            losses.append(Loss(join_pointer(key), f'"{key}" is not a manifest key'))
        elif kind not in CSV_KINDS or kind.key == "dicom_series":
            noun = kind.plural
            if kind.multi_file:
                noun = "DICOM series (the platform registers cloud DICOM from JSON only)"
            for index in range(len(value) if isinstance(value, list) else 1):
                losses.append(Loss(f"/{key}/{index}", f"CSV has no block for {noun}"))
                skip.add(f"/{key}/{index}")
        elif isinstance(value, list):
            _csv_item_losses(key, value, losses, skip)
    return losses, frozenset(skip)


def _csv_item_losses(key: str, values: list[Any], losses: list[Loss], skip: set[str]) -> None:
    titles: set[str] = set()
    allowed = _CSV_ITEM_FIELDS[key]
    multi_file = KINDS_BY_KEY[key].multi_file
    for index, value in enumerate(values):
        pointer = f"/{key}/{index}"
        if not isinstance(value, dict):
            losses.append(Loss(pointer, "not an item object"))
            continue
        if not csv_encodable(Item(KINDS_BY_KEY[key], index, value)):
            unpaired = "a lone surrogate (an escape such as \\udc00 without a pair): UTF-8 cannot hold it"
            losses.append(Loss(pointer, unpaired))
            skip.add(pointer)
            continue
        if key == IMAGE_GROUPS.key:
            title = value.get(TITLE)
            if not isinstance(title, str) or not title.strip():
                losses.append(Loss(pointer, "an image group needs a title in CSV (rows join groups by title)"))
                skip.add(pointer)
                continue
            if title in titles:
                losses.append(Loss(pointer, f"another image group is titled {title!r}: CSV would merge the two"))
                skip.add(pointer)
                continue
            titles.add(title)
        for name in value:
            if name in allowed or (multi_file and object_url_index(name) is not None):
                continue
            if name in METADATA_KEYS or name == CLIENT_METADATA:
                losses.append(Loss(f"{pointer}/{name}", f"CSV has no {name}"))
            else:
                losses.append(Loss(f"{pointer}/{name}", f'unknown field "{name}" has no CSV column'))


def convert(manifest: Manifest, target: Target, *, drop_unsupported: bool = False) -> Conversion:
    """Render ``manifest`` as ``target``; raises ConversionRefused rather than lose anything quietly."""
    data = manifest.data or {}
    if target == "json":
        return Conversion(lambda out: write_json(data, out))
    if target == "sdk":
        notes = [
            Loss(join_pointer(flag), f"{flag} is an argument of the upload call, not of DataUploadItems")
            for flag in FLAG_KEYS
            if flag in data
        ]
        dropped = [
            Loss(join_pointer(key), f'"{key}" is not a manifest key')
            for key in data
            if key not in KINDS_BY_KEY and key not in FLAG_KEYS and key != SCHEMA_KEY
        ]
        if dropped and not drop_unsupported:
            raise ConversionRefused("sdk", dropped)

        def write_sdk(out: IO[str]) -> None:
            out.write(dumps_sdk(data))

        return Conversion(write_sdk, dropped, notes)
    losses, skip = unsupported_in_csv(data)
    if losses and not drop_unsupported:
        raise ConversionRefused("csv", losses)
    groups = data.get(IMAGE_GROUPS.key)
    notes = [
        Loss(f"/image_groups/{index}", "no createVideo: written as false (the SDK's default)")
        for index, value in enumerate(groups if isinstance(groups, list) else [])
        if isinstance(value, dict) and CREATE_VIDEO not in value
    ]
    notes += [
        Loss(pointer, f"title {title!r} starts like a spreadsheet formula: written with a leading apostrophe")
        for pointer, title in formula_titles(data, skip)
    ]
    return Conversion(lambda out: write_csv(data, out, skip=skip), losses, notes)


def counts(data: dict[str, Any]) -> dict[str, int]:
    """Items per kind, for summaries."""
    return {kind.key: len(data[kind.key]) for kind in KINDS if isinstance(data.get(kind.key), list)}
