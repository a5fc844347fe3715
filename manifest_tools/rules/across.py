"""MT604 and MT606: a URL listed in two files of one lint run (the batches of one upload).

Users register in batches: the parts ``split`` wrote (``stem.part-0001.json`` ...)
or several manifests. A URL in two of them is registered twice, so it is
reported in both files. For the parts of one stem this is on by default
(MT604); for any set of files it is opt-in (MT606), since unrelated manifests
may go to different folders.

Only the files that can take part are read again (once), and positions are
found only for the URLs reported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from manifest_tools.codes import Code
from manifest_tools.model import Manifest
from manifest_tools.parts import part_stem
from manifest_tools.report.diagnostic import Diagnostic, Finding
from manifest_tools.rules.engine import locate_findings
from manifest_tools.rules.registry import register, rule

_U = "https://b.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        Code.MT604,
        "duplicate-url-across-parts",
        "error",
        "A URL listed in two parts of one manifest (stem.part-0001.json, stem.part-0002.json ...).",
        """The parts of a split are uploaded one after the other; a URL in two of
        them is registered twice. Usually an old part from an earlier split was
        left beside the new ones, or the parts were edited by hand. Reported in
        both files when they are linted in one run (lint stem.part-*).""",
        f'batch.part-0001.json: {{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}\n'
        f'batch.part-0002.json: {{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        f'batch.part-0001.json: {{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}\n'
        f'batch.part-0002.json: {{"images": [{{"objectUrl": "{_U}/b.jpg"}}]}}',
        across_files=True,
    ),
    rule(
        Code.MT606,
        "duplicate-url-across-files",
        "error",
        "A URL listed in two manifests of one lint run, whatever their names (opt-in).",
        """When several manifests go to one folder, a URL in two of them is
        registered twice. Enable this rule to check every set of files linted
        together, not only the parts of one split.""",
        f'monday.json: {{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}\n'
        f'tuesday.json: {{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        f'monday.json: {{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}\n'
        f'tuesday.json: {{"images": [{{"objectUrl": "{_U}/b.jpg"}}]}}',
        default=False,
        across_files=True,
    ),
]


def part_set(path: str) -> tuple[str, str, str] | None:
    """(folder, stem, suffix) shared by the parts of one split, or None for a file that is no part."""
    found = part_stem(os.path.basename(path))
    if found is None:
        return None
    return os.path.dirname(os.path.abspath(path)), *found


@dataclass(frozen=True, slots=True)
class _Place:
    file: int
    pointer: str


def check_across_files(
    paths: Sequence[str], enabled: frozenset[str], load: Callable[[str], Manifest]
) -> list[Diagnostic]:
    """Diagnostics for URLs that repeat across ``paths`` (in the order given), in every file involved."""
    sets = [part_set(path) for path in paths]
    any_files = Code.MT606 in enabled
    if Code.MT604 not in enabled and not any_files:
        return []
    sizes: dict[tuple[str, str, str], int] = {}
    for key in sets:
        if key is not None:
            sizes[key] = sizes.get(key, 0) + 1
    chosen = [i for i, key in enumerate(sets) if any_files or (key is not None and sizes[key] > 1)]
    if len(chosen) < 2:
        return []
    first: dict[str, _Place] = {}
    pairs: list[tuple[_Place, _Place, str]] = []
    skipping: set[int] = set()
    manifests: dict[int, Manifest] = {}
    for index in chosen:
        manifest = manifests[index] = load(paths[index])
        if manifest.flag("skip_duplicate_urls") is True:
            skipping.add(index)
        seen_here: set[str] = set()
        for item, name, url in manifest.urls():
            if type(url) is not str or url in seen_here:
                continue  # repeats inside one file are MT602's
            seen_here.add(url)
            place = _Place(index, f"{item.pointer}/{name}")
            earlier = first.setdefault(url, place)
            if earlier is not place:
                pairs.append((earlier, place, url))
    findings = _findings(pairs, sets, skipping, enabled)
    return _located(findings, paths, manifests)


def _findings(
    pairs: list[tuple[_Place, _Place, str]],
    sets: Sequence[tuple[str, str, str] | None],
    skipping: set[int],
    enabled: frozenset[str],
) -> dict[int, list[tuple[Finding, _Place]]]:
    """Per file, each finding with the place in the other file that its message names."""
    by_file: dict[int, list[tuple[Finding, _Place]]] = {}
    for earlier, later, url in pairs:
        same_split = sets[earlier.file] is not None and sets[earlier.file] == sets[later.file]
        code = Code.MT604 if same_split else Code.MT606
        if code not in enabled:
            continue
        if later.file in skipping:
            if Code.MT603 not in enabled:
                continue
            message = "also listed in {where}; if both files go to one folder, skip_duplicate_urls skips this copy"
            by_file.setdefault(later.file, []).append(
                (Finding(Code.MT603, f"{message}: {url}", later.pointer), earlier)
            )
            continue
        message = "also listed in {where}: the two files register it twice"
        by_file.setdefault(later.file, []).append((Finding(code, f"{message}: {url}", later.pointer), earlier))
        by_file.setdefault(earlier.file, []).append((Finding(code, f"{message}: {url}", earlier.pointer), later))
    return by_file


def _located(
    findings: dict[int, list[tuple[Finding, _Place]]], paths: Sequence[str], manifests: dict[int, Manifest]
) -> list[Diagnostic]:
    """Locate every finding in its own file and name the other place by file, line and column."""
    diagnostics: list[Diagnostic] = []
    for index, entries in findings.items():
        named = []
        for finding, other in entries:
            where = manifests[other.file].locator.locate(other.pointer)
            text = finding.message.replace("{where}", f"{paths[other.file]}:{where.line}:{where.column}", 1)
            named.append(Finding(finding.code, text, finding.pointer))
        diagnostics += locate_findings(manifests[index], named)
    return diagnostics


register(RULES)
