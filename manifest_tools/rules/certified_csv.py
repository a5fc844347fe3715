"""Lint a CSV manifest with the native scanner's help: the item rules run only on rows it could not certify.

The CSV reader builds the same JSON-shaped model as JSON; its items, written as
JSON, are what the scanner certifies against the same tables as a JSON file's
(``rules/certified.py``), so a CSV row is certified exactly when the same item in
a JSON manifest would be. Certified items become placeholders and the whole-file
rules take their facts from the certificate; positions still come from the CSV
reader's locator, so a diagnostic points at the cell, as without the scanner.
``fix`` takes the same path (``certified_csv_fix.py``).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.model import CERTIFIED, Manifest
from manifest_tools.native import scan
from manifest_tools.rules.certified import _host_accepted, scanner_tables

_ITEMS_A_PIECE = 2_000
"""Items orjson writes at a time into the scanner's text (a group of 11 frames: 2 MB a piece). orjson.dumps
of the whole file grows its buffer as it writes, to half as much again as the text (32 MiB for 20 MiB of a
100,200-item CSV's rows); a buffer sized once from each kind's first items, filled a piece at a time, holds
the text and one piece."""
_ITEMS_SIZED = 500
"""Items of each kind written to size the buffer (a sixteenth over: the rest of a kind's items are alike)."""


def _dumps(data: dict[str, Any]) -> bytes | bytearray:
    """Compact JSON of the items: orjson's where it is installed (about 4x faster), else the json module's.
    With orjson, the bytes ``orjson.dumps(data)`` gives, written a piece at a time into one buffer."""
    try:
        import orjson
    except ImportError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode()
    estimate = 2
    for key, items in data.items():
        first = items[:_ITEMS_SIZED]
        estimate += len(key) + 6 + len(orjson.dumps(first)) * len(items) // max(len(first), 1)
    text = bytearray(estimate + estimate // 16)  # a bit over: growing it past that would copy it once
    at = 0

    def put(chunk: bytes | memoryview) -> None:
        nonlocal at
        text[at : at + len(chunk)] = chunk  # within the buffer: no copy of it
        at += len(chunk)

    put(b"{")
    for number, (key, items) in enumerate(data.items()):
        put(b',"' if number else b'"')
        put(orjson.dumps(key)[1:])
        put(b":[")
        for start in range(0, len(items), _ITEMS_A_PIECE):
            if start:
                put(b",")
            put(memoryview(orjson.dumps(items[start : start + _ITEMS_A_PIECE]))[1:-1])  # without its brackets
        put(b"]")
    put(b"}")
    del text[at:]
    return text


def certify_csv(manifest: Manifest, enabled: frozenset[str]) -> Manifest | str:
    """``manifest`` with the items the scanner certifies as placeholders, or why it cannot (``lint -v``)."""
    if manifest.format != "csv" or manifest.data is None:
        return "CSV: not a CSV manifest"
    if not any(manifest.data.values()):  # e.g. a semicolon-delimited file: no row was read as an item
        return "CSV: no item rows were read"
    try:  # as compact as a JSON manifest; text no UTF-8 can carry (lone surrogates) stays with Python
        raw = _dumps(manifest.data)
    except (UnicodeEncodeError, TypeError):  # orjson's error is a TypeError
        return "CSV: a cell is not valid Unicode"
    certificate = scan(raw, scanner_tables(), _host_accepted, browser_limited_uncertified=Code.MT404 in enabled)
    del raw  # freed before the rest of the lint: its columns are the scanner's own arrays
    if isinstance(certificate, str):  # a place would be in the rows turned into JSON, which the user never sees
        reason, at, _ = certificate.partition(" at line ")
        return f"CSV: {reason}" if at else certificate
    columns = {c.kind.key: c for c in certificate.columns}
    data: dict[str, Any] = {}
    for key, items in manifest.data.items():
        data[key] = [CERTIFIED] * len(items)
        for index in columns[key].uncertified():
            data[key][index] = items[index]
    return dataclasses.replace(manifest, data=data, certified=certificate)
