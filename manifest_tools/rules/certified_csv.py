"""Lint a CSV manifest with the native scanner's help: the item rules run only on rows it could not certify.

The CSV reader builds the same JSON-shaped model as JSON; its items, written as
JSON, are what the scanner certifies against the same tables as a JSON file's
(``rules/certified.py``), so a CSV row is certified exactly when the same item in
a JSON manifest would be. Certified items become placeholders and the whole-file
rules take their facts from the certificate; positions still come from the CSV
reader's locator, so a diagnostic points at the cell, as without the scanner.
``fix`` takes the same path: the fixes run on the rows the scanner could not certify
(a fix acts only where lint reports), as for a certified JSON file (``certified_fix.py``).
"""

from __future__ import annotations

import dataclasses
import json
from typing import IO, TYPE_CHECKING, Any, cast

from manifest_tools.codes import Code
from manifest_tools.model import CERTIFIED, Manifest
from manifest_tools.native import scan
from manifest_tools.rules.certified import _host_accepted, scanner_tables

if TYPE_CHECKING:
    from manifest_tools.fixes import FixResult


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
    try:  # as compact as a JSON manifest; text no UTF-8 can carry (lone surrogates) stays with Python
        raw = _dumps(manifest.data)
    except (UnicodeEncodeError, TypeError):  # orjson's error is a TypeError
        return "CSV: a cell is not valid Unicode"
    certificate = scan(raw, scanner_tables(), _host_accepted, browser_limited_uncertified=Code.MT404 in enabled)
    if isinstance(certificate, str):
        return certificate
    columns = {c.kind.key: c for c in certificate.columns}
    data: dict[str, Any] = {}
    for key, items in manifest.data.items():
        data[key] = [CERTIFIED] * len(items)
        for index in columns[key].uncertified():
            data[key][index] = items[index]
    return dataclasses.replace(manifest, data=data, certified=certificate)


def fix_certified_csv(manifest: Manifest, enabled: frozenset[str], unsafe: bool) -> FixResult | str:
    """What ``fixes.fix_manifest`` gives for a CSV manifest, the fixes run only on the rows the scanner does
    not certify; or why it cannot be (then the caller runs ``fix_manifest``: ``manifest`` is left unchanged).
    Once the fixed text is written, ``manifest``'s arrays are emptied: the rows are not held beside it."""
    from manifest_tools.certified_fix import DROPPING_FIXES
    from manifest_tools.fixes import REVEALING_FIXES, FixResult, apply_fixes, blocking_diagnostics
    from manifest_tools.writers.csv import write_csv

    original = manifest.data
    if original is None or blocking_diagnostics(manifest, unsafe):
        return "the file may not be rewritten as read"
    certified = certify_csv(manifest, enabled)
    if isinstance(certified, str):
        return certified
    assert certified.data is not None
    assert certified.certified is not None
    for kind, index, value in certified.certified.uncertified_entries():  # what the fixes change (items() gives
        certified.data[kind.key][index] = value  # these parsed copies): the manifest stays as read
    log = apply_fixes(certified, enabled, unsafe)
    certified.certified.data = b""  # the rows' JSON: not held while the text is written
    if any(applied.code in REVEALING_FIXES or applied.code in DROPPING_FIXES for applied in log):
        return "a fix dropped or brought in items: the later fixes name items by their new places"
    data: dict[str, Any] = {}
    for key, values in certified.data.items():
        given = original.get(key)
        if not isinstance(given, list) or len(given) != len(values):
            return "a fix changed the arrays"
        data[key] = [given[index] if value is CERTIFIED else value for index, value in enumerate(values)]
    pieces = _Pieces()
    write_csv(data, cast(IO[str], pieces), neutralise=False)
    if not pieces:  # header rows only: fix_manifest says why it is not rewritten
        return "no rows to write"
    for values in (*data.values(), *original.values()):  # every row is written: the text is joined without them
        if isinstance(values, list):
            values.clear()
    return FixResult("".join(pieces), log)


class _Pieces(list[str]):
    """What ``write_csv`` writes, kept as written (joined once the rows are let go)."""

    def write(self, text: str) -> int:
        self.append(text)
        return len(text)
