"""The published JSON Schema (2020-12) of the JSON manifest, generated from the table of per-kind facts.

Generating it keeps the schema and the linter from drifting apart: both read
``kinds.py``. Every property has a title, a description and an example, so an
editor given the schema offers completion and hover help. It expresses what a
schema can (types, required fields, unknown keys, key patterns, lengths,
whitespace in URLs); the linter checks the rest, listed in the description.
``schemas/manifest.schema.json`` and the copy inside the package are this
function's output (a test keeps them current).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    ENCORD_KEY,
    KINDS,
    MAX_CLIENT_METADATA_BYTES,
    MAX_STORED_INTEGER,
    MAX_TITLE_CHARS,
    MAX_URL_BYTES,
    OBJECT_URL,
    SCENE,
    SCENE_FORMATS,
    SCHEMA_KEY,
    TITLE,
    Kind,
    MetadataBlock,
    MetadataField,
    TitleRule,
    ValueType,
)
from manifest_tools.rules.urls import UNWRITABLE

SCHEMA_ID = "https://manifest-tools.invalid/schemas/manifest.schema.json"
_EXAMPLE_BASE = "https://acme-data.s3.eu-west-2.amazonaws.com"

NOT_EXPRESSED = [
    "strict JSON syntax (trailing commas, comments, NaN) and duplicate keys, which a parser silently drops",
    "objectUrl_N numbering without gaps from 0",
    "URL form: absolute https, provider forms, placeholders, percent escapes, file-name length",
    "one cloud integration per manifest",
    "file extension against kind, TIFF in image sequences",
    "MIME type spelling and agreement with the extension",
    "clientMetadata size and the $encord key-frame structure",
    "duplicate URLs, and the platform's count limits",
    "a composite scene against the SDK's InputScene model, and a scene file's extension against its format",
]

_FIELD_HELP: dict[str, tuple[str, Any]] = {
    "fps": ("Frames per second.", 25),
    "duration": ("Duration in seconds.", 12.5),
    "width": ("Width in pixels.", 1920),
    "height": ("Height in pixels.", 1080),
    "fileSize": ("Size of the file in bytes.", 1048576),
    "mimeType": ("Registered MIME type of the file, matching its extension.", "video/mp4"),
    "sampleRate": ("Sample rate in Hz.", 44100),
    "bitDepth": ("Bits per sample.", 16),
    "codec": ("Audio codec.", "mp3"),
    "numChannels": ("Number of audio channels.", 2),
    "numPages": ("Number of pages.", 12),
}
"""What each field means; its range, like every other fact, comes from the kinds table."""


def _field_description(field: MetadataField) -> str:
    description = _FIELD_HELP[field.name][0]
    if field.minimum is None or field.maximum is None:
        return description
    return f"{description[:-1]} ({field.minimum:,}-{field.maximum:,})."


_KIND_EXTENSION = {kind.key: sorted(kind.extensions)[0] for kind in KINDS}


def _url(name: str, example: str) -> dict[str, Any]:
    return {
        "title": name,
        "description": "Absolute HTTPS URL of the object in its provider's public form; no whitespace or control"
        " character.",
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_URL_BYTES,
        "pattern": f"^[^{UNWRITABLE.pattern[1:-1]}]+$",  # MT305's characters
        "examples": [example],
    }


def _metadata_schema(kind: Kind, block: MetadataBlock) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    alternatives = []
    for field in block.fields:
        description, example = _field_description(field), _FIELD_HELP[field.name][1]
        value: dict[str, Any] = {"title": field.name, "description": description, "type": field.type.value}
        if field.type is ValueType.STRING:
            value["minLength"] = 1
        elif field.positive:
            value["exclusiveMinimum"] = 0
        if field.type is ValueType.INTEGER:  # MT106: the platform's 64-bit integer
            if not field.positive:
                value["minimum"] = -MAX_STORED_INTEGER - 1
            value["maximum"] = MAX_STORED_INTEGER
        if field.name == "mimeType":
            example = {"images": "image/jpeg", "audio": "audio/mpeg", "text": "text/plain"}.get(kind.key, example)
        value["examples"] = [example]
        properties[field.name] = value
        names = [field.name]
        if field.snake is not None:
            properties[field.snake] = {
                **value,
                "title": field.snake,
                "description": f"{description} (snake_case spelling)",
            }
            names.append(field.snake)
        alternatives.append({"anyOf": [{"required": [name]} for name in names]})
    example = {field.name: properties[field.name]["examples"][0] for field in block.fields}
    return {
        "title": block.key,
        "description": (
            f"Metadata of the {kind.label}: when present every field is required, and the platform trusts the "
            "values instead of reading the file. camelCase or snake_case, not mixed."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "allOf": alternatives,
        "examples": [example],
    }


def _item_schema(kind: Kind) -> dict[str, Any]:
    extension = _KIND_EXTENSION[kind.key]
    client = {
        "title": CLIENT_METADATA,
        "description": (
            f"Your own JSON object, searchable on the platform (at most {_megabytes(MAX_CLIENT_METADATA_BYTES)};"
            f" {ENCORD_KEY} holds key frames)."
        ),
        "type": "object",
        "examples": [{"site": "A", "camera": 3}],
    }
    if kind.scene:
        return _scene_schema(kind, client)
    if not kind.multi_file:
        properties: dict[str, Any] = {
            OBJECT_URL: _url(OBJECT_URL, f"{_EXAMPLE_BASE}/{kind.key}/file-0001.{extension}"),
            TITLE: {
                "title": TITLE,
                "description": "Title shown on the platform; the file name when left out.",
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_TITLE_CHARS,
                "examples": [f"file-0001.{extension}"],
            },
            CLIENT_METADATA: client,
        }
        if kind.metadata is not None:
            properties[kind.metadata.key] = _metadata_schema(kind, kind.metadata)
        return {
            "title": f"{kind.label} item",
            "description": f"One {kind.label}.",
            "type": "object",
            "properties": properties,
            "required": [OBJECT_URL],
            "additionalProperties": False,
        }
    properties = {
        TITLE: {
            "title": TITLE,
            "description": f"Title of the {kind.label} (required; no file extension).",
            "type": "string",
            "pattern": r"\S",
            "maxLength": MAX_TITLE_CHARS,
            "examples": ["shelf 12"],
        },
        CLIENT_METADATA: client,
    }
    if kind.create_video:
        properties[CREATE_VIDEO] = {
            "title": CREATE_VIDEO,
            "description": (
                "false: an image group (images kept as they are); true: an image sequence (made into a video)."
            ),
            "type": "boolean",
            "examples": [False],
        }
    return {
        "title": f"{kind.label} item",
        "description": f"One {kind.label}: its files as objectUrl_0, objectUrl_1, ... in order.",
        "type": "object",
        "properties": properties,
        "patternProperties": {
            r"^objectUrl_(0|[1-9][0-9]*)$": _url("objectUrl_N", f"{_EXAMPLE_BASE}/{kind.key}/0001/file-0.{extension}")
        },
        "required": [TITLE],
        "additionalProperties": False,
    }


def _scene_schema(kind: Kind, client: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": f"{kind.label} item",
        "description": "One point-cloud or multi-sensor scene.",
        "type": "object",
        "properties": {
            TITLE: {
                "title": TITLE,
                "description": "Title of the scene (required).",
                "type": "string",
                "pattern": r"\S",
                "maxLength": MAX_TITLE_CHARS,
                "examples": ["drive 0001"],
            },
            SCENE: {
                "title": SCENE,
                "description": (
                    "A self-contained scene file {url, format}, or a composite scene: streams of point clouds,"
                    " images, camera parameters, frames of reference and time series (the SDK's InputScene),"
                    " optionally wrapped as {content, worldConvention, cameraConvention}."
                ),
                "type": "object",
                "minProperties": 1,
                "examples": [_example_scene()],
            },
            CLIENT_METADATA: client,
        },
        "required": [TITLE, SCENE],
        "additionalProperties": False,
    }


def _example_scene() -> dict[str, str]:
    return {"url": "s3://acme-data/drives/0001.mcap", "format": "mcap"}


_KIND_HELP = {
    "videos": "Videos",
    "images": "Single images",
    "audio": "Audio files",
    "pdfs": "PDF documents",
    "text": "Text files",
    "nifti": "NIfTI volumes",
    "image_groups": "Image groups (createVideo false) and image sequences (createVideo true)",
    "dicom_series": "DICOM series, one item per series",
    "scenes": "Point-cloud and multi-sensor scenes",
}
"""What each kind is; the extensions and title rules said after it come from the kinds table."""


def _kind_description(kind: Kind) -> str:
    """The kind's help text: what it is, its files' extensions, and what its title must end in."""
    extensions = ", ".join(sorted(kind.extensions))
    if kind.scene:
        files = f" ({', '.join(SCENE_FORMATS)} files, or composite scenes)"
    elif kind.multi_file:
        files = ""
    elif kind.accepts_any_extension:
        files = f" ({extensions} and other plain text)"
    else:
        files = f" ({extensions})"
    title = ""
    if kind.title_rule is TitleRule.OWN_EXTENSION:
        title = "; titles must end in " + " or ".join(f".{e}" for e in sorted(kind.extensions))
    return f"{_KIND_HELP[kind.key]}{files}{title}."


def _megabytes(size: int) -> str:
    return f"{size // 1024**2} MB"


def manifest_schema() -> dict[str, Any]:
    """The JSON Schema of a JSON manifest."""
    properties: dict[str, Any] = {
        SCHEMA_KEY: {
            "title": SCHEMA_KEY,
            "description": "The schema this file follows (for editors); registers nothing.",
            "type": "string",
            "examples": ["./manifest.schema.json"],
        }
    }
    for kind in KINDS:
        item = _item_schema(kind)
        properties[kind.key] = {
            "title": kind.key,
            "description": _kind_description(kind),
            "type": "array",
            "items": item,
            "examples": [[_example_item(kind)]],
        }
    properties["skip_duplicate_urls"] = {
        "title": "skip_duplicate_urls",
        "description": "Skip URLs already registered in the target folder or dataset.",
        "type": "boolean",
        "examples": [True],
    }
    properties["upsert_metadata"] = {
        "title": "upsert_metadata",
        "description": "Update the metadata of items already registered; needs skip_duplicate_urls true.",
        "type": "boolean",
        "examples": [True],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Encord cloud-registration manifest",
        "description": (
            "A JSON manifest registering cloud-storage files with Encord. This schema checks types, required fields,"
            " unknown keys, key patterns, lengths and whitespace in URLs; `manifest-tools lint` also checks: "
            + "; ".join(NOT_EXPRESSED)
            + "."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "examples": [{"images": [_example_item(KINDS[1])], "skip_duplicate_urls": True}],
    }


def _example_item(kind: Kind) -> dict[str, Any]:
    extension = _KIND_EXTENSION[kind.key]
    if kind.scene:
        return {TITLE: "drive 0001", SCENE: _example_scene()}
    if kind.multi_file:
        item: dict[str, Any] = {TITLE: "shelf 12"}
        if kind.create_video:
            item[CREATE_VIDEO] = False
        item["objectUrl_0"] = f"{_EXAMPLE_BASE}/{kind.key}/0001/file-0.{extension}"
        return item
    return {OBJECT_URL: f"{_EXAMPLE_BASE}/{kind.key}/file-0001.{extension}"}


def schema_text() -> str:
    """The schema as it is published (2-space JSON, final newline)."""
    return json.dumps(manifest_schema(), indent=2, ensure_ascii=False) + "\n"


def installed_schema_path() -> str:
    """Path of the schema file shipped inside the package."""
    return str(resources.files("manifest_tools") / "data" / "manifest.schema.json")
