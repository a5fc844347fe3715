"""A JSON Schema (2020-12) of the JSON manifest, generated from the table of per-kind facts.

Generating it keeps the schema and the linter from drifting apart: both read
``kinds.py``. It expresses what a schema can (types, required fields, unknown
keys, key patterns, lengths); the linter checks the rest.
"""

from __future__ import annotations

from typing import Any

from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    FLAG_KEYS,
    IMAGE_GROUPS,
    KINDS,
    MAX_TITLE_CHARS,
    MAX_URL_BYTES,
    OBJECT_URL,
    TITLE,
    Kind,
    MetadataBlock,
    ValueType,
)

SCHEMA_ID = "https://manifest-tools.invalid/schemas/manifest.schema.json"
_URL = {"type": "string", "minLength": 1, "maxLength": MAX_URL_BYTES, "pattern": r"^\S+$"}
_TITLE = {"type": "string", "maxLength": MAX_TITLE_CHARS}


def _metadata_schema(block: MetadataBlock) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    alternatives = []
    for field in block.fields:
        value: dict[str, Any] = {"type": field.type.value}
        if field.type is ValueType.STRING:
            value["minLength"] = 1
        elif field.positive:
            value["exclusiveMinimum"] = 0
        properties[field.name] = value
        names = [field.name]
        if field.snake is not None:
            properties[field.snake] = value
            names.append(field.snake)
        alternatives.append({"anyOf": [{"required": [name]} for name in names]})
    return {"type": "object", "properties": properties, "additionalProperties": False, "allOf": alternatives}


def _item_schema(kind: Kind) -> dict[str, Any]:
    properties: dict[str, Any] = {TITLE: _TITLE, CLIENT_METADATA: {"type": "object"}}
    if kind.metadata is not None:
        properties[kind.metadata.key] = _metadata_schema(kind.metadata)
    if not kind.multi_file:
        properties[OBJECT_URL] = _URL
        return {"type": "object", "properties": properties, "required": [OBJECT_URL], "additionalProperties": False}
    if kind is IMAGE_GROUPS:
        properties[CREATE_VIDEO] = {"type": "boolean"}
    return {
        "type": "object",
        "properties": properties,
        "patternProperties": {r"^objectUrl_(0|[1-9][0-9]*)$": _URL},
        "required": [TITLE, "objectUrl_0"],
        "additionalProperties": False,
    }


def manifest_schema() -> dict[str, Any]:
    """The JSON Schema of a JSON manifest."""
    properties: dict[str, Any] = {kind.key: {"type": "array", "items": _item_schema(kind)} for kind in KINDS}
    properties.update({flag: {"type": "boolean"} for flag in FLAG_KEYS})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Encord cloud-registration manifest",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
