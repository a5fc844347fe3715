"""``plan``: what an upload of a manifest will do to a folder that already holds items, before it runs.

The folder's items come from the SDK's ``list_items``, exported as JSON Lines of the
``StorageItem`` model's ``to_dict()`` (camelCase; the attribute names work too). An item
whose URL is already there is skipped (``skip_duplicate_urls``), has its metadata replaced
(``upsert_metadata``) or is registered a second time (neither); a new item whose title an
existing item already has is a title collision. Offline, so it can run in CI.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.errors import SourceError
from manifest_tools.kinds import CLIENT_METADATA, TITLE
from manifest_tools.model import Item, Manifest
from manifest_tools.report.diagnostic import Finding
from manifest_tools.report.report import Report
from manifest_tools.uploads.results import sdk_field, url_match_key

_STORED_NAMES = {
    "sampleRate": "audio_sample_rate",
    "bitDepth": "audio_bit_depth",
    "codec": "audio_codec",
    "numChannels": "audio_num_channels",
}
"""Metadata fields whose ``StorageItem`` attribute is not their snake_case spelling."""


@dataclass(frozen=True, slots=True)
class StoredItem:
    """One item already in the folder, as the export describes it."""

    uuid: str
    name: str
    url: str | None
    fields: dict[str, Any]
    """The export's other values, by attribute name (file_size, mime_type, width ...)."""

    def value(self, attribute: str) -> Any:
        return sdk_field(self.fields, attribute)

    def client_metadata(self) -> dict[str, Any]:
        """The item's clientMetadata: a JSON string in ``StorageItem``, an object when exported parsed."""
        raw = self.value("client_metadata")
        if isinstance(raw, str):
            try:
                raw = json.loads(raw) if raw.strip() else {}
            except ValueError:
                return {}
        return raw if isinstance(raw, dict) else {}


def stored_item(data: Any, where: str) -> StoredItem:
    """One exported item; SourceError naming ``where`` when it is not one."""
    name = sdk_field(data, "name") if isinstance(data, dict) else None
    if not isinstance(name, str):
        raise SourceError(f"{where}: not a StorageItem (no name): export items with list_items and to_dict()")
    url = sdk_field(data, "url")
    return StoredItem(str(sdk_field(data, "uuid", "")), name, url if isinstance(url, str) and url else None, data)


def load_inventory(path: str | os.PathLike[str]) -> list[StoredItem]:
    """The folder's items from a JSON Lines file (blank lines skipped)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SourceError(f"{os.fspath(path)}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{os.fspath(path)}: cannot read: {error}") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{os.fspath(path)}:{number}"
        try:
            data = json.loads(line)
        except ValueError as error:
            raise SourceError(f"{where}: not JSON ({error}); the inventory is one item per line") from None
        items.append(stored_item(data, where))
    return items


@dataclass(slots=True)
class Plan:
    """The plan's diagnostics (MT92x) and how many items each outcome has."""

    report: Report
    counts: Counter[str] = field(default_factory=Counter)


OUTCOMES = ("new", "skipped", "overwritten", "unchanged", "registered twice")


def _describe(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else "none"


def _metadata_changes(item: Item, stored: StoredItem) -> list[str]:
    """``imageMetadata.width 640 -> 1280`` for each value of the item's block that differs from the folder's."""
    block = item.kind.metadata
    values = item.fields.get(block.key) if block else None
    if block is None or not isinstance(values, dict):
        return []
    changes = []
    for spelling, new in values.items():
        meta = block.field(spelling)
        if meta is None:
            continue
        old = stored.value(_STORED_NAMES.get(meta.name, meta.snake or meta.name))
        if old is not None and old != new:
            changes.append(f"{block.key}.{meta.name} {_describe(old)} -> {_describe(new)}")
    return changes


def _client_metadata_changes(item: Item, stored: StoredItem) -> list[str]:
    new = item.fields.get(CLIENT_METADATA)
    if not isinstance(new, dict):
        return []
    old = stored.client_metadata()
    changed = [
        f"{key} {_describe(old[key])} -> {_describe(new[key])}" for key in new if key in old and old[key] != new[key]
    ]
    added = [key for key in new if key not in old]
    dropped = [key for key in old if key not in new]
    parts = (
        changed + ([f"adds {', '.join(added)}"] if added else []) + ([f"drops {', '.join(dropped)}"] if dropped else [])
    )
    return [f"clientMetadata {'; '.join(parts)}"] if parts else []


def changes(item: Item, stored: StoredItem) -> list[str]:
    """What registering ``item`` over ``stored`` would change: title, metadata block, clientMetadata."""
    found = []
    title = item.fields.get(TITLE)
    if isinstance(title, str) and title != stored.name:
        found.append(f"title {_describe(stored.name)} -> {_describe(title)}")
    return found + _metadata_changes(item, stored) + _client_metadata_changes(item, stored)


def _file_name(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _item_name(item: Item) -> tuple[str | None, str]:
    """The name the platform gives the item (its title, else its file name) and the pointer to show."""
    title = item.fields.get(TITLE)
    if isinstance(title, str):
        return title, f"{item.pointer}/{TITLE}"
    urls = item.url_fields()
    if not item.kind.multi_file and urls and isinstance(urls[0][1], str):
        return _file_name(urls[0][1]), f"{item.pointer}/{urls[0][0]}"
    return None, item.pointer


def _single_url(item: Item) -> tuple[str, str] | None:
    """(field, URL) of a single-file item: only those can be matched by URL (an exported group has none)."""
    urls = item.url_fields()
    if item.kind.multi_file or not urls or not isinstance(urls[0][1], str):
        return None
    return urls[0][0], urls[0][1]


def _findings(manifest: Manifest, inventory: list[StoredItem], counts: Counter[str]) -> Iterator[Finding]:
    by_url = {url_match_key(stored.url): stored for stored in inventory if stored.url}
    by_name: dict[str, list[StoredItem]] = {}
    for stored in inventory:
        by_name.setdefault(stored.name, []).append(stored)
    skip = manifest.flag("skip_duplicate_urls") is True
    upsert = skip and manifest.flag("upsert_metadata") is True
    for item in manifest.items():
        single = _single_url(item)
        existing = by_url.get(url_match_key(single[1])) if single else None
        if single is not None and existing is not None:
            yield from _existing(item, single, existing, skip, upsert, counts)
            continue
        counts["new"] += 1
        name, pointer = _item_name(item)
        taken = by_name.get(name, []) if name is not None else []
        if taken:
            first = taken[0]
            where = f" ({first.url})" if first.url else ""
            yield Finding(Code.MT924, f"the folder already holds an item named {name!r}{where}", pointer)


def _existing(
    item: Item, single: tuple[str, str], stored: StoredItem, skip: bool, upsert: bool, counts: Counter[str]
) -> Iterator[Finding]:
    name, url = single
    pointer = f"{item.pointer}/{name}"
    known = f"the folder already holds {url} as {stored.name!r}"
    if not skip:
        counts["registered twice"] += 1
        yield Finding(
            Code.MT923, f"{known}; skip_duplicate_urls is off, so it will be registered a second time", pointer
        )
        return
    found = changes(item, stored)
    if upsert and found:
        counts["overwritten"] += 1
        yield Finding(Code.MT922, f"{known}; upsert_metadata will change: {'; '.join(found)}", pointer)
    elif upsert:
        counts["unchanged"] += 1
    else:
        counts["skipped"] += 1
        ignored = f"; not applied (upsert_metadata is off): {'; '.join(found)}" if found else ""
        yield Finding(Code.MT921, f"{known}: the item will be skipped{ignored}", pointer)


def plan_findings(manifest: Manifest, inventory: list[StoredItem]) -> tuple[list[Finding], Counter[str]]:
    """The findings of a plan, and the number of items per outcome (see :data:`OUTCOMES`)."""
    counts: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
    return list(_findings(manifest, inventory, counts)), counts


def plan_upload(
    manifest: str | os.PathLike[str] | Manifest, inventory: str | os.PathLike[str] | list[StoredItem]
) -> Plan:
    """The library call of ``plan``: a manifest (path or Manifest) against the folder's items (a JSON Lines
    path or loaded items)."""
    from manifest_tools.api import parse_path
    from manifest_tools.rules.engine import locate_findings

    loaded = manifest if isinstance(manifest, Manifest) else parse_path(manifest)
    items = inventory if isinstance(inventory, list) else load_inventory(inventory)
    findings, counts = plan_findings(loaded, items)
    diagnostics = sorted(locate_findings(loaded, findings), key=lambda d: d.sort_key())
    report = Report(diagnostics, [loaded.path])
    summary = ", ".join(f"{counts[outcome]:,} {outcome}" for outcome in OUTCOMES)
    report.notes.append(f"plan against {len(items):,} items in the folder: {summary}")
    if any(item.kind.multi_file for item in loaded.items()):
        report.notes.append(
            "image groups, sequences and DICOM series are matched by title only (an export has no URLs)"
        )
    return Plan(report, counts)
