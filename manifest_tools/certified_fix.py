"""Fix a JSON manifest the native scanner certifies: only its doubtful items are parsed to be fixed.

A certified item passes every item rule, so no fix acts on it (a fix acts only where
lint reports); the fixes run, as lint's rules do, over a Manifest in which certified
items are placeholders (``rules/certified.py``). Writing the canonical text is the
one step that needs every item: the certified ones are parsed a chunk of neighbours
at a time, each written and dropped at once, so the parsed tree is never whole in
memory (a maximum-size manifest's tree is four times its file). The layout is
:func:`manifest_tools.writers.json.write_json`'s; tests compare the two on every
manifest they fix.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Iterator
from itertools import chain
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.errors import NonFiniteNumber
from manifest_tools.fix_remaining import Layout, input_lint
from manifest_tools.fixes import REVEALING_FIXES, FixResult, apply_fixes
from manifest_tools.model import CERTIFIED
from manifest_tools.native import Certificate, KindColumns
from manifest_tools.rules.certified import certified_manifest, scan_as_lint
from manifest_tools.writers.json import write_json

DROPPING_FIXES = frozenset({Code.MT602, Code.MT603})
"""Fixes that remove items (repeated URLs, with --unsafe-fixes): the fixes after them name items by
their places in the shortened arrays, which the scanner's columns do not follow, so the whole file
is fixed instead (rare: only when a URL is repeated)."""

BLOCK_CHARS = 1 << 20
"""Written pieces are joined into blocks of about this size: few pieces stay (a str costs 57 bytes
beside its text), and a block is small beside the whole text."""
CHUNK_ITEMS = 512
CHUNK_BYTES = 1 << 20
"""Certified neighbours parsed by one ``json.loads``, at most: calls stay few, and the chunk's tree small
(an item larger than this is parsed alone)."""


def fix_certified(
    path: str, read: Callable[[], bytes], enabled: frozenset[str], unsafe: bool, *, ask_lint: bool = False
) -> FixResult | str:
    """The fixed canonical text of the JSON manifest ``read()`` gives, or why the scanner does not certify
    it (then the caller parses it whole and runs :func:`manifest_tools.fixes.fix_manifest`).

    The bytes are read here and freed before the text is joined (so the two are never in memory
    together with the written pieces): the caller must not hold them. With ``ask_lint`` (the command,
    which reports what remains), the rules run on the input when no fix applies, for ``FixResult.remaining``.
    """
    certificate = scan_as_lint(read(), enabled)
    if isinstance(certificate, str):
        return certificate
    manifest = certified_manifest(path, certificate)
    log = apply_fixes(manifest, enabled, unsafe)
    if any(applied.code in REVEALING_FIXES for applied in log):  # never on a certified structure: no repeated
        return "a fix brought in items lint never read"  # key (MT601) nor SDK spelling (MT202) is certified
    if any(applied.code in DROPPING_FIXES for applied in log):
        return "a fix dropped items: the later fixes name the items after them by their new places"
    assert manifest.data is not None
    remaining = input_lint(path, certificate, enabled) if ask_lint and not log else None  # before the bytes go
    layout = Layout({}) if remaining is not None and remaining.findings else None
    try:
        text = _canonical_text(manifest.data, certificate, layout)
        if layout is not None and remaining is not None:
            remaining.layout = layout
        return FixResult(text, log, remaining=remaining)
    except (ValueError, NonFiniteNumber) as error:  # no NaN nor infinity passes the scanner: a defect, so
        # take the full path
        return f"the certified items could not be written: {error}"


def _canonical_text(data: dict[str, Any], certificate: Certificate, layout: Layout | None = None) -> str:
    """``writers.json.dumps_json(data)`` with each placeholder replaced by its certified item, parsed late;
    where each chunk of each kind's array went into ``layout``, when given.

    write_json asks for each chunk of an array just before encoding it, so only that chunk's items
    are parsed at once; its text comes a chunk (about 1 MiB) at a time and is kept as it comes.
    """
    columns = {c.kind.key: c for c in certificate.columns}
    pending: dict[str, _Runs] = {}
    pieces = _Pieces()
    written: dict[str, int] = {}  # the elements of each array asked so far

    def resolve(key: str, chunk: list[Any]) -> list[Any]:
        if layout is not None:  # the chunk's text is what the writer writes next
            layout.chunks.setdefault(key, []).append((written.get(key, 0), pieces.length))
            written[key] = written.get(key, 0) + len(chunk)
        wanted = chunk.count(CERTIFIED)  # identity first: a placeholder is never equal to an item
        if not wanted:
            return chunk
        runs = pending.get(key)
        if runs is None:
            runs = pending[key] = _Runs(_certified_values(columns[key], certificate))
        values = runs.take(wanted)
        if wanted == len(chunk):  # the usual chunk: certified items only, taken as they were parsed
            return values
        taken = iter(values)
        return [next(taken) if item is CERTIFIED else item for item in chunk]

    write_json(data, pieces, resolve)
    if layout is not None:
        layout.length = pieces.length
    certificate.data = b""  # every item is written: the file's bytes are no longer needed (nor positions)
    pending.clear()
    return pieces.joined()


class _Pieces:
    """The written text, kept as write_json's pieces and joined into blocks of about BLOCK_CHARS as they
    come (a str costs 57 bytes beside its text: few pieces stay)."""

    def __init__(self) -> None:
        self._blocks: list[str] = []
        self._parts: list[str] = []
        self._size = 0
        self.length = 0
        """Characters written so far."""

    def write(self, text: str) -> None:
        self.length += len(text)
        if len(text) >= BLOCK_CHARS:  # a block already (a chunk of items): kept as it is, not copied
            self._flush()
            self._blocks.append(text)
            return
        self._parts.append(text)
        self._size += len(text)
        if self._size >= BLOCK_CHARS:
            self._flush()

    def _flush(self) -> None:
        if self._parts:
            self._blocks.append("".join(self._parts))
            self._parts.clear()
            self._size = 0

    def joined(self) -> str:
        blocks, self._blocks = self._blocks, []
        blocks.append("".join(self._parts))
        self._parts.clear()
        return "".join(blocks)


class _Runs:
    """Certified values handed out ``take(n)`` at a time from the runs they are parsed in (no Python
    step per item)."""

    def __init__(self, runs: Iterator[list[Any]]) -> None:
        self._runs = runs
        self._left: list[Any] = []

    def take(self, count: int) -> list[Any]:
        got = self._left
        if len(got) < count:
            pieces, have = [got], len(got)
            while have < count:
                run = next(self._runs)
                pieces.append(run)
                have += len(run)
            got = list(chain.from_iterable(pieces))
        self._left = got[count:]
        return got if len(got) == count else got[:count]


def _certified_values(columns: KindColumns, certificate: Certificate) -> Iterator[list[Any]]:
    """The parsed values of the certified elements of one array, in order, a run of neighbours at a time.

    It reads ``certificate.data`` afresh for each run, so that a generator left unfinished does not
    keep the file's bytes alive once :func:`_canonical_text` drops them.
    """
    flags, starts, ends = columns.certified, columns.starts, columns.ends
    at = flags.find(1)
    while at >= 0:
        stop = flags.find(0, at, at + CHUNK_ITEMS)
        stop = min(len(flags), at + CHUNK_ITEMS) if stop < 0 else stop
        stop = max(at + 1, bisect_right(ends, starts[at] + CHUNK_BYTES, at, stop))
        yield json.loads(b"".join((b"[", memoryview(certificate.data)[starts[at] : ends[stop - 1]], b"]")))  # one copy
        at = flags.find(1, stop)
