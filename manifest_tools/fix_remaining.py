"""What lint reports of the text ``fix`` wrote, known from the lint of its input: the file is not linted again.

When no fix applied, the written text holds the input's data in canonical form, and lint finds in it what
it finds in the input: the rules judge the data. The input is checked as the written text's certificate
would be ordered (kinds in canonical order), so a whole-file rule names the same item. Only the positions
differ: they are found in the written text, for the findings alone, with the element offsets of each array
the findings name read from the writer's layout (each element starts a line indented by four, which nothing
else does: see :mod:`manifest_tools.writers.json`), not by a scan of the items before it.

Not known (the command lints the written file, as before) when a rule asked where something stands while
it checked (a duplicate's message names the first copy's line, and the line is the input's), or when a
finding has a fix (lint's hint would run the fixer on the written text). Fingerprints are left empty: fix
prints none. A test compares the result with a lint of the written text on every file the scanner fixes.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from manifest_tools.canonical import canonical_item, canonical_top_level
from manifest_tools.kinds import KINDS, KINDS_BY_KEY
from manifest_tools.model import Manifest, Position, split_pointer
from manifest_tools.readers.json_locator import JsonLocator
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.certified import certified_manifest
from manifest_tools.rules.engine import find, fingerprints, located
from manifest_tools.writers.json import encode_line

if TYPE_CHECKING:
    from manifest_tools.native import Certificate
    from manifest_tools.report.diagnostic import Diagnostic, Finding


@dataclass
class Remaining:
    """The lint of a fix's input, which is the lint of the text it wrote but for positions."""

    notes: list[str]
    """Lint's notes on the input, as on the text."""
    findings: list[Finding]
    """The input's findings, to be located in the written text."""
    manifest: Manifest
    """The input's certified manifest (its data is the text's, but for the layout): what locating reads."""

    def diagnostics(self, text: str) -> list[Diagnostic]:
        """The findings as lint reports them of ``text`` (the written text): located in it, sorted."""
        if not self.findings:
            return []
        findings = [dataclasses.replace(f, place=None) if f.place is not None else f for f in self.findings]
        locator = written_locator(text, self.manifest, findings)
        with fingerprints(False):  # fix prints none (each would look the item's first URL up)
            return located(dataclasses.replace(self.manifest, locator=locator), frozenset(), findings)


def input_lint(path: str, certificate: Certificate, enabled: frozenset[str]) -> Remaining | None:
    """The lint of a certified input (before its bytes go), or None when the text's positions could show
    in it, a finding names what the text spells otherwise, or has a fix (see the module docstring)."""
    written = _in_canonical_order(certificate)
    unplaced = _Unplaced()
    manifest = dataclasses.replace(certified_manifest(path, written), locator=unplaced)
    notes: set[str] = set()
    findings = find(manifest, enabled, notes)
    rules = all_rules()
    known = not (unplaced.asked or manifest.reader_diagnostics or any(rules[f.code].fix for f in findings))
    known = known and all(_written_alike(manifest, finding.pointer) for finding in findings)
    written.data = b""  # the bytes are the fix's to release: no position nor fingerprint (which parses a
    # certified item) is asked of them, and every uncertified item is parsed
    return Remaining(sorted(notes), findings, manifest) if known else None


def _in_canonical_order(certificate: Certificate) -> Certificate:
    """The certificate as the scanner gives it of the written text, as far as order goes: the kinds' arrays
    (their offsets, and what it lists kind by kind: each location's first URL, its own findings) in canonical
    order, and the other top-level keys as the writer puts them (:func:`manifest_tools.canonical.canonical_top_level`);
    with a parse of its own of the uncertified items."""
    rank = {kind: number for number, kind in enumerate(KINDS)}
    arrays = sorted(certificate.columns, key=lambda columns: rank[columns.kind])
    starts = sorted(columns.array_start for columns in arrays)  # the rules rank the kinds by them (file order)
    return dataclasses.replace(
        certificate,
        columns=[dataclasses.replace(columns, array_start=at) for columns, at in zip(arrays, starts, strict=True)],
        origins=sorted(certificate.origins, key=lambda origin: rank[origin[0]]),
        top_level=canonical_top_level(certificate.top_level),
        findings=sorted(certificate.findings, key=itemgetter(1)),
        _parsed={},  # its own parse of the uncertified items: a check may change what it reads (the SDK's
        # scene model fills defaults in), and the fix writes the items it parsed
    )


def _written_alike(manifest: Manifest, pointer: str) -> bool:
    """Whether ``pointer`` names in the written text what it names in the input: not so below an item's
    metadata block written in camelCase (``num_pages`` is written ``numPages``, and lint of the text names
    that), so the item is put in canonical form and the pointer followed in both."""
    tokens = split_pointer(pointer)
    kind = KINDS_BY_KEY.get(tokens[0]) if len(tokens) > 2 and tokens[1].isdigit() else None
    item = manifest.item_fields(kind, int(tokens[1])) if kind is not None else None
    if kind is None or item is None:
        return True  # the top level, or an item as a whole (or no object: written as it is)
    return _follow(item, tokens[2:]) == _follow(canonical_item(kind, item), tokens[2:])


def _follow(value: Any, tokens: list[str]) -> tuple[int, Any]:
    """How many of ``tokens`` lead somewhere from ``value``, and the value reached."""
    for depth, token in enumerate(tokens):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return depth, value
    return len(tokens), value


class _Unplaced:
    """A locator for the input's lint that only records that it was asked: a position asked while checking
    goes into a message (or into the order of findings), and would be the input's, not the text's."""

    asked = False

    def locate(self, pointer: str, *, key: bool = False) -> Position:
        self.asked = True
        return Position(1, 1)

    def span(self, pointer: str, *, key: bool = False) -> tuple[Position, Position]:
        self.asked = True
        return Position(1, 1), Position(1, 1)


_ELEMENT = re.compile(r"\n    (?=[^ }])")
"""Where each element of a top-level array starts in the writer's layout: after a line end and four spaces,
where no other line starts with anything but a space (a long group's keys) or ``}`` (its closing brace)."""


def written_locator(text: str, manifest: Manifest, findings: list[Finding]) -> JsonLocator:
    """A locator of ``text`` with each top-level array's end, and the element offsets up to the last element
    a finding names and the one after it (which ends it), seeded from the layout: the locator reads no
    element of the arrays to find them. An array whose offsets do not come out as the data says is left to
    the locator to scan (never taken on trust)."""
    locator = JsonLocator(text)
    wanted: dict[str, int] = {}
    for finding in findings:
        tokens = split_pointer(finding.pointer)
        if len(tokens) > 1 and tokens[1].isdigit():
            wanted[tokens[0]] = max(wanted.get(tokens[0], -1), int(tokens[1]))
    for key, values in (manifest.data or {}).items():
        if not isinstance(values, list) or not values:
            continue
        heading = "\n  " + encode_line(key) + ": ["
        at = text.find(heading)
        close = text.find("\n  ]", at)
        if at < 0 or close < 0:
            continue
        start = at + len(heading) - 1
        needed = min(len(values), wanted.get(key, -2) + 2)  # none when no finding names an element
        limit = needed + (needed == len(values))  # all of them: one more would be one too many
        offsets = []
        if needed:
            for match in _ELEMENT.finditer(text, start, close):
                offsets.append(match.end())
                if len(offsets) == limit:
                    break
        if len(offsets) == needed:
            locator.seed_array(start, offsets, text.index("]", close) + 1)
    return locator
