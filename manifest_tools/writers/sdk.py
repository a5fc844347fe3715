"""The structured payload of the Encord SDK's ``encord.orm.storage.DataUploadItems``.

Keys are the model's aliases (camelCase): single-file items keep objectUrl,
title, clientMetadata and their metadata block; image-group frames become
``imageGroups[].images[].url`` and DICOM files ``dicomSeries[].dicomFiles[]``;
scenes keep their title and scene object (``DataUploadScene``).
``title`` is given explicitly where the model declares it without a default.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from manifest_tools.canonical import canonical_metadata
from manifest_tools.errors import NonFiniteNumber
from manifest_tools.kinds import CLIENT_METADATA, CREATE_VIDEO, DICOM_SERIES, KINDS, OBJECT_URL, SCENE, TITLE
from manifest_tools.model import Item
from manifest_tools.writers.indented import NotStreamable, dumps_indented, dumps_lists
from manifest_tools.writers.json import non_finite_pointer


def sdk_item(item: Item) -> dict[str, Any]:
    """One item in the SDK's shape."""
    kind, fields = item.kind, item.fields
    result: dict[str, Any] = {}
    if kind.scene:
        result[TITLE] = fields.get(TITLE)
        result[SCENE] = fields.get(SCENE)
    elif kind.multi_file:
        result[TITLE] = fields.get(TITLE)
        urls = [url for _, url in item.url_fields()]
        if kind is DICOM_SERIES:  # the SDK's DICOM file has a title of its own
            result[kind.sdk_files_key] = [{"url": url, "title": None} for url in urls]
        else:
            result[CREATE_VIDEO] = fields.get(CREATE_VIDEO) is True
            result[kind.sdk_files_key] = [{"url": url} for url in urls]
    else:
        result[OBJECT_URL] = fields.get(OBJECT_URL)
        if TITLE in fields:
            result[TITLE] = fields[TITLE]
        block = kind.metadata
        if block is not None and isinstance(fields.get(block.key), dict):
            result[block.key] = canonical_metadata(block, fields[block.key])
    if isinstance(fields.get(CLIENT_METADATA), dict):
        result[CLIENT_METADATA] = fields[CLIENT_METADATA]
    return result


def sdk_payload(data: dict[str, Any]) -> dict[str, Any]:
    """``DataUploadItems`` as a dict (by alias), kinds in canonical order, empty kinds left out."""
    payload: dict[str, Any] = {}
    for kind in KINDS:
        values = data.get(kind.key)
        if isinstance(values, list):
            items = [sdk_item(Item(kind, i, v)) for i, v in enumerate(values) if isinstance(v, dict)]
            if items:
                payload[kind.sdk_key] = items
    return payload


def dumps_sdk(data: dict[str, Any]) -> str:
    """The payload as indented strict JSON text: raises NonFiniteNumber rather than write NaN or
    Infinity, and escapes only what UTF-8 cannot carry (lone surrogates).

    Items are converted and written one at a time: the payload is never built whole.
    """
    for ensure_ascii in (False, True):
        try:
            text = dumps_lists(_sdk_lists(data), ensure_ascii=ensure_ascii)
        except NotStreamable:
            text = _dumps_built(data, ensure_ascii)
        except ValueError:
            text = _dumps_built(data, ensure_ascii)  # raises NonFiniteNumber, naming where
        if ensure_ascii or not _LONE_SURROGATE.search(text):
            return text + "\n"
    raise AssertionError("unreachable")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""What UTF-8 cannot encode: then every non-ASCII character is escaped, as json.dumps would."""


def _sdk_lists(data: dict[str, Any]) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """(SDK key, its items made one by one) for each kind with items, as :func:`sdk_payload` orders them."""
    for kind in KINDS:
        values = data.get(kind.key)
        if isinstance(values, list) and any(isinstance(v, dict) for v in values):
            yield kind.sdk_key, (sdk_item(Item(kind, i, v)) for i, v in enumerate(values) if isinstance(v, dict))


def _dumps_built(data: dict[str, Any], ensure_ascii: bool) -> str:
    payload = sdk_payload(data)
    try:
        return dumps_indented(payload, ensure_ascii=ensure_ascii)
    except ValueError as error:
        raise NonFiniteNumber(non_finite_pointer(payload)) from error
