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


def _dumps(data: dict[str, Any]) -> bytes:
    """Compact JSON of the items: orjson's where it is installed (about 4x faster), else the json module's."""
    try:
        import orjson
    except ImportError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode()
    return orjson.dumps(data)


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
