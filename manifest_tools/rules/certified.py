"""Lint a JSON manifest with the native scanner's help: Python parses only what it could not certify.

The scanner certifies the file's structure and, one by one, the items that pass
every item rule; the rules then run over a Manifest in which certified items
are placeholders, so a clean maximum-size file is never parsed in Python and a
file with a few mistakes parses just those items. Whole-file rules take the
certified items' facts from the certificate: counts (limits), the first URL of
each location in each kind (integrations, buckets); items that share a URL or a
title with another are not certified, so the duplicate rules see every copy.
The scanner asks the host rule about each host it meets, so the cost grows with
the number of findings, not with whether there is one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from manifest_tools import kinds
from manifest_tools.codes import Code
from manifest_tools.kinds import Kind, TitleRule
from manifest_tools.model import CERTIFIED, Manifest
from manifest_tools.native import (
    TITLE_EXTENSION,
    TITLE_GROUP,
    TITLE_NIFTI,
    TITLE_PLAIN,
    Certificate,
    ScannerTables,
    scan,
)
from manifest_tools.readers.json_locator import JsonLocator
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.rules import files, titles, urls
from manifest_tools.rules.engine import check
from manifest_tools.rules.metadata import encord_problem
from manifest_tools.rules.placeholders import host_placeholder


def lint_certified(
    path: str, data: bytes, enabled: frozenset[str], notes: set[str] | None = None
) -> list[Diagnostic] | str:
    """The diagnostics of a manifest the scanner certifies, or why the full lint must run (``-v`` shows it)."""
    certificate = scan_as_lint(data, enabled)
    if isinstance(certificate, str):
        return certificate
    return check(certified_manifest(path, certificate), enabled, notes)


def scan_as_lint(data: bytes, enabled: frozenset[str]) -> Certificate | str:
    """The scanner's certificate as lint takes it (hosts asked of the host rule, $encord blocks judged), or
    why there is none: ``fix`` scans so too, and knows from it what lint reports of its input."""
    certificate = scan(data, scanner_tables(), _host_accepted, browser_limited_uncertified=Code.MT404 in enabled)
    if not isinstance(certificate, str):
        _judge_encord_blocks(certificate)
    return certificate


def _judge_encord_blocks(certificate: Certificate) -> None:
    """The metadata rule's own $encord check (MT510) on each block the scanner found; an item it
    flags is left to the Python rules, which report it. Repeated blocks are judged once."""
    verdicts: dict[bytes, bool] = {}
    data = certificate.data
    for kind, index, start, end in certificate.encord_blocks:
        block = bytes(data[start:end])  # a key: the scanned text may be a bytearray (a CSV's rows)
        bad = verdicts.get(block)
        if bad is None:
            bad = verdicts[block] = encord_problem(json.loads(block)) is not None
        if bad:
            certificate.uncertify(kind, index)


def build_scanner_tables() -> ScannerTables:
    """The rules' facts the scanner checks against, read now (tests change a table and rebuild)."""
    return ScannerTables(
        kinds=kinds.KINDS,
        title_rules=tuple(_title_rule(kind) for kind in kinds.KINDS),
        url_prefix=urls.PLAIN_URL_PREFIX,
        host_chars=urls.PLAIN_HOST_CHARS,
        path_chars=urls.PLAIN_PATH_CHARS,
        url_hints=urls.URL_HINTS,
        text_hints=titles.TITLE_HINTS,
        browser_limited=frozenset(files.SAFARI_ONLY),
        flagged_schemes=tuple(f"{scheme}://" for scheme in urls.FLAGGED_SCHEMES),
    )


scanner_tables = cache(build_scanner_tables)
"""The tables, built once per process."""


_TITLE_RULES = {
    TitleRule.PLAIN: TITLE_PLAIN,
    TitleRule.REQUIRED: TITLE_PLAIN,  # scenes only: their items have no URL field, so none is certified
    TitleRule.EXTENSION: TITLE_EXTENSION,
    TitleRule.OWN_EXTENSION: TITLE_NIFTI,
    TitleRule.GROUP: TITLE_GROUP,
}
"""The scanner's code for each title rule of the kinds table (``Kind.title_rule``, as rules/structure.py reads it)."""


def _title_rule(kind: Kind) -> int:
    return _TITLE_RULES[kind.title_rule]


def _host_accepted(url: str) -> bool:
    """The host rule (MT307) itself, asked by the scanner once per host."""
    return host_placeholder(url) is None


def certified_manifest(path: str, certificate: Certificate) -> Manifest:
    """A Manifest whose certified items are placeholders; positions come from the bytes on demand."""
    data: dict[str, Any] = {c.kind.key: [CERTIFIED] * len(c.starts) for c in certificate.columns}
    data.update(certificate.top_level)
    for kind, index, value in certificate.uncertified_entries():
        data[kind.key][index] = value
    locator = JsonLocator("", reload=_text_loader(certificate, lambda: locator))
    locator.release()
    return Manifest(
        path=path,
        format="json",
        data=data,
        locator=locator,
        size_bytes=len(certificate.data),
        certified=certificate,
    )


def _text_loader(certificate: Certificate, locator: Callable[[], JsonLocator]) -> Callable[[], str]:
    """Decode the text when a diagnostic needs a position; the scanner's offsets spare the locator
    a walk through every array when byte offsets are character offsets (an ASCII file)."""

    def load() -> str:
        text = certificate.data.decode("utf-8")
        if text.isascii():
            for columns in certificate.columns:
                locator().seed_array(columns.array_start, columns.starts, columns.array_end)
        return text

    return load
