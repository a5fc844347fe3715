"""Fix a CSV manifest with the native scanner's help: the fixes run only on the rows it does not certify.

A certified row passes every item rule, so no fix acts on it (a fix acts only where lint
reports); the rows are certified as lint certifies them (``rules/certified_csv.py``), the
fixes run over the manifest in which certified rows are placeholders, as for a certified
JSON file (``certified_fix.py``), and the rows are written from the model as read.
"""

from __future__ import annotations

from typing import IO, Any, cast

from manifest_tools.certified_fix import DROPPING_FIXES
from manifest_tools.fixes import REVEALING_FIXES, FixResult, apply_fixes, blocking_diagnostics, csv_start
from manifest_tools.model import CERTIFIED, Manifest
from manifest_tools.rules.certified_csv import certify_csv
from manifest_tools.writers.csv import write_csv


def fix_certified_csv(
    manifest: Manifest, enabled: frozenset[str], unsafe: bool, newline: str = "\n"
) -> FixResult | str:
    """What ``fixes.fix_manifest`` gives for a CSV manifest, the fixes run only on the rows the scanner does
    not certify; or why it cannot be (then the caller runs ``fix_manifest``: ``manifest`` is left unchanged).
    Once the fixed text is written, ``manifest``'s arrays are emptied: the rows are not held beside it.
    Rows end with ``newline`` (the file's own, as ``fix_manifest`` keeps it)."""
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
    write_csv(data, cast(IO[str], pieces), newline=newline)
    if not pieces:  # header rows only: fix_manifest says why it is not rewritten
        return "no rows to write"
    for values in (*data.values(), *original.values()):  # every row is written: the text is joined without them
        if isinstance(values, list):
            values.clear()
    return FixResult(csv_start(manifest) + "".join(pieces), log)


class _Pieces(list[str]):
    """What ``write_csv`` writes, kept as written (joined once the rows are let go)."""

    def write(self, text: str) -> int:
        self.append(text)
        return len(text)
