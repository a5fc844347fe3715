"""``probe``: write a manifest whose metadata blocks come from the files' headers.

Users who want fast registration write these blocks by running ffprobe by
hand; here each missing block is filled from what ``cloud/probe.py`` read, and
with ``overwrite`` every value the header contradicts (the predicates of
``rules/probe.py``) is replaced. A block is filled only from a file that reads
cleanly as the item's kind: a truncated file or a PNG named ``.jpg`` gets its
finding, not a block that would make it look right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from manifest_tools.cloud.probe import ProbeOptions, ProbeRun, ProbeStats, findings, manifest_files, probe_manifest
from manifest_tools.codes import Code
from manifest_tools.kinds import OBJECT_URL
from manifest_tools.media import Probed
from manifest_tools.model import Item, Manifest
from manifest_tools.readers.dispatch import parse_path
from manifest_tools.report.report import Report
from manifest_tools.rules.probe import mismatches

_BLOCKING = frozenset({Code.MT935, Code.MT936, Code.MT937, Code.MT938})
"""Findings about a file after which its header must not be written into the manifest."""


@dataclass(slots=True)
class FillResult:
    """What ``probe`` changed, and what it found on the way."""

    text: str
    """The manifest with its blocks filled, as canonical JSON."""
    report: Report
    """What the headers showed (MT93x, MT94x), located in the manifest read."""
    filled: int = 0
    replaced: int = 0
    run: ProbeRun = field(default_factory=ProbeRun)


def fill_manifest(
    manifest: Manifest,
    options: ProbeOptions,
    *,
    overwrite: bool = False,
    progress: Callable[[ProbeStats], None] | None = None,
) -> FillResult:
    """Probe every file of ``manifest`` and fill its metadata blocks; ``manifest.data`` changes in place."""
    from manifest_tools.rules.engine import locate_findings
    from manifest_tools.writers.json import dumps_json

    run = probe_manifest(manifest, options, progress)
    found = list(findings(manifest, run, sizes_listed=False))
    blocked = {f.pointer.rsplit("/", 1)[0] for f in found if f.code in _BLOCKING}
    located = sorted(locate_findings(manifest, found), key=lambda d: d.sort_key())
    result = FillResult("", Report(located, [manifest.path]), run=run)
    for item, probed in _fillable(manifest, run, blocked):
        _fill_item(item, probed, overwrite, result)
    result.text = dumps_json(manifest.data or {})
    return result


def fill_files(
    paths: Iterable[Path], options: ProbeOptions, *, progress: Callable[[ProbeStats], None] | None = None
) -> list[FillResult]:
    """Fill the metadata blocks of manifests already written (``generate --metadata``), each rewritten
    atomically; a file whose probe fails keeps what it had."""
    from manifest_tools.atomic import write_atomic

    results = []
    for path in paths:
        result = fill_manifest(parse_path(path), options, progress=progress)
        write_atomic(path, result.text)
        results.append(result)
    return results


def _fillable(manifest: Manifest, run: ProbeRun, blocked: set[str]) -> Iterator[tuple[Item, Probed]]:
    for item, name, url in manifest_files(manifest):
        result = run.results.get(url)
        if name != OBJECT_URL or item.kind.metadata is None or item.pointer in blocked:
            continue
        if result is not None and result.probed is not None:
            yield item, result.probed


def _fill_item(item: Item, probed: Probed, overwrite: bool, result: FillResult) -> None:
    """Fill the item's missing block, or with ``overwrite`` correct the values its file contradicts."""
    block = item.kind.metadata
    assert block is not None
    present = item.fields.get(block.key)
    if not isinstance(present, dict):
        values = {f.name: probed.values.get(f.name) for f in block.fields}
        if all(value is not None for value in values.values()):  # a stream without a duration cannot fill one
            item.fields[block.key] = values
            result.filled += 1
        return
    if not overwrite:
        return
    for finding in mismatches(item.kind, item.fields, probed, item.pointer, sizes=True):
        spelling = finding.pointer.rsplit("/", 1)[1]
        wrong = block.field(spelling)
        if wrong is not None:
            present[spelling] = probed.values[wrong.name]
            result.replaced += 1
