"""Lint a JSON manifest that the native scanner certifies, without parsing it in Python.

Only the whole-file rules are left for a certified file: the limits (computed by
the same ``limit_findings`` the rules use, over the scanner's per-item counts),
and the integration rules and opt-in MT404, which send the file to the full
Python lint whenever they could fire. Diagnostics are located from the byte
offsets the scanner returns.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import repeat
from typing import cast

from manifest_tools.cloud.urls import locate_url
from manifest_tools.model import Position, split_pointer
from manifest_tools.native import CleanScan, scan
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.rules.engine import item_fingerprint, to_diagnostic
from manifest_tools.rules.limits import ItemCounts, limit_findings
from manifest_tools.rules.registry import CheckContext


def lint_certified(path: str, data: bytes, enabled: frozenset[str]) -> list[Diagnostic] | None:
    """The diagnostics of a certified manifest, or None when the full lint must run."""
    certificate = scan(data)
    if isinstance(certificate, str) or not _whole_file_rules_quiet(certificate, enabled):
        return None
    findings = [f for f in limit_findings(_item_counts(certificate), CheckContext(enabled)) if f.code in enabled]
    if not findings:
        return []
    spans = {c.kind.key: c for c in certificate.columns}
    located = []
    for finding in findings:
        kind_key, index = split_pointer(finding.pointer)
        columns = spans[kind_key]
        start, end = columns.starts[int(index)], columns.ends[int(index)]
        fields = json.loads(data[start:end])
        located.append((start, end, finding, fields))
    positions = _positions(data, [offset for start, end, _, _ in located for offset in (start, end)])
    diagnostics = [
        to_diagnostic(path, finding, (positions[start], positions[end]), item_fingerprint(path, finding, fields))
        for start, end, finding, fields in located
    ]
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics


def _whole_file_rules_quiet(certificate: CleanScan, enabled: frozenset[str]) -> bool:
    """True when MT313, MT314 and MT404 certainly report nothing (else the full lint says where)."""
    if "MT404" in enabled and certificate.browser_limited:
        return False
    locations = [locate_url(url) for url in certificate.origin_urls]
    if "MT313" in enabled and len({location.integration for location in locations}) > 1:
        return False
    buckets = {(loc.provider, loc.bucket) for loc in locations if loc.provider != "direct"}
    return "MT314" not in enabled or len(buckets) <= 1


def _item_counts(certificate: CleanScan) -> Iterator[ItemCounts]:
    for columns in certificate.columns:
        count = len(columns.starts)
        rows = zip(
            repeat(columns.kind, count),
            range(count),
            columns.url_counts,
            columns.sequences,
            columns.file_sizes,
            strict=True,
        )
        yield from cast(Iterator[ItemCounts], rows)


def _positions(data: bytes, offsets: list[int]) -> dict[int, Position]:
    """1-based line and column (in characters) of byte offsets, counting lines once through the file."""
    positions: dict[int, Position] = {}
    line, counted = 1, 0
    for offset in sorted(set(offsets)):
        line += data.count(b"\n", counted, offset)
        counted = offset
        line_start = data.rfind(b"\n", 0, offset) + 1
        positions[offset] = Position(line, len(data[line_start:offset].decode("utf-8")) + 1)
    return positions
