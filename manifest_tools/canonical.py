"""The canonical form every writer emits: fixed key order, camelCase metadata.

Top level: kinds in ``KINDS`` order, then the flags, then anything unknown (kept,
so that normalising never loses data). Inside an item: title, createVideo,
objectUrl or objectUrl_0..N in numeric order, the metadata block (fields in the
table's order, camelCase), clientMetadata, then unknown fields.
"""

from __future__ import annotations

from typing import Any

from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    FLAG_KEYS,
    KINDS,
    KINDS_BY_KEY,
    OBJECT_URL,
    TITLE,
    Kind,
    MetadataBlock,
)
from manifest_tools.model import object_url_index


def canonical_metadata(block: MetadataBlock, values: dict[str, Any]) -> dict[str, Any]:
    """The block with camelCase names in the table's order; unknown fields kept at the end."""
    result: dict[str, Any] = {}
    for field in block.fields:
        for name in (field.name, field.snake):
            if name is not None and name in values:
                result.setdefault(field.name, values[name])
    for key, value in values.items():
        if block.field(key) is None:
            result.setdefault(key, value)
    return result


def canonical_item(kind: Kind, fields: dict[str, Any]) -> dict[str, Any]:
    """An item's fields in canonical order (see the module docstring)."""
    result: dict[str, Any] = {}
    for key in (TITLE, CREATE_VIDEO, OBJECT_URL):
        if key in fields:
            result[key] = fields[key]
    numbered = sorted((n, k) for k in fields if (n := object_url_index(k)) is not None)
    for _, key in numbered:
        result[key] = fields[key]
    block = kind.metadata
    if block is not None and block.key in fields:
        values = fields[block.key]
        result[block.key] = canonical_metadata(block, values) if isinstance(values, dict) else values
    if CLIENT_METADATA in fields:
        result[CLIENT_METADATA] = fields[CLIENT_METADATA]
    for key, value in fields.items():
        result.setdefault(key, value)
    return result


def canonical_manifest(data: dict[str, Any]) -> dict[str, Any]:
    """The whole manifest in canonical order; non-object items are kept as they are."""
    result: dict[str, Any] = {}
    for kind in KINDS:
        if kind.key in data:
            values = data[kind.key]
            result[kind.key] = (
                [canonical_item(kind, v) if isinstance(v, dict) else v for v in values]
                if isinstance(values, list)
                else values
            )
    for flag in FLAG_KEYS:
        if flag in data:
            result[flag] = data[flag]
    for key, value in data.items():
        if key not in KINDS_BY_KEY:
            result.setdefault(key, value)
    return result
