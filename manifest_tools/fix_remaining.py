"""What lint reports of the text ``fix`` wrote, known from the lint of its input: the file is not linted again.

When no fix applied, the written text holds the input's data in canonical form, and lint finds in it what
it finds in the input: the rules judge the data. The input is checked as the written text's certificate
would be ordered (kinds in canonical order), so a whole-file rule names the same item. Only the positions
differ: they are found in the written text, for the findings alone, with the element offsets of each array
the findings name read from the writer's layout (each element starts a line indented by four, which nothing
else does: see :mod:`manifest_tools.writers.json`), not by a scan of the items before it.

Not known (the command lints the written file, as before) when a rule asked where something stands while
it checked (a duplicate's message names the first copy's line, and the line is the input's), when a finding
names a member the writer renames (snake_case metadata is written in camelCase), or when a finding has a
fix (lint's hint would run the fixer on the written text). Fingerprints are left empty: fix prints none.
A test compares the result with a lint of the written text on every file the scanner fixes.
"""

from __future__ import annotations

import dataclasses
import re
from array import array
from bisect import bisect_right
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
    manifest: Manifest | None
    """The input's certified manifest (its data is the text's, but for the layout): what locating reads;
    None when there is nothing to locate (not kept while the text is written)."""
    layout: Layout | None = None
    """Where the writer put the arrays' chunks, once it has written the text."""

    def diagnostics(self, text: str) -> list[Diagnostic]:
        """The findings as lint reports them of ``text`` (the written text): located in it, sorted."""
        if not self.findings or self.manifest is None:
            return []
        findings = [dataclasses.replace(f, place=None) if f.place is not None else f for f in self.findings]
        locator = written_locator(text, self.manifest, findings, self.layout)
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
    return Remaining(sorted(notes), findings, manifest if findings else None) if known else None


def _in_canonical_order(certificate: Certificate) -> Certificate:
    """The certificate as the scanner gives it of the written text, as far as order goes: the kinds' arrays
    (their offsets, and what it lists kind by kind: each location's first URL, its own findings) in canonical
    order, and the other top-level keys as the writer puts them (:func:`manifest_tools.canonical.canonical_top_level`).
    It shares the parse of the uncertified items with the fix, which writes them: no check changes what it
    reads (the SDK's scene model is handed a copy, ``rules.scenes``)."""
    rank = {kind: number for number, kind in enumerate(KINDS)}
    arrays = sorted(certificate.columns, key=lambda columns: rank[columns.kind])
    starts = sorted(columns.array_start for columns in arrays)  # the rules rank the kinds by them (file order)
    return dataclasses.replace(
        certificate,
        columns=[dataclasses.replace(columns, array_start=at) for columns, at in zip(arrays, starts, strict=True)],
        origins=sorted(certificate.origins, key=lambda origin: rank[origin[0]]),
        top_level=canonical_top_level(certificate.top_level),
        findings=sorted(certificate.findings, key=itemgetter(1)),
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


@dataclass
class Layout:
    """Where the writer put each chunk of each kind's array (:func:`manifest_tools.certified_fix.fix_certified`
    records it as it writes): by key, (the chunk's first index, the offset of the text written for it, which
    starts with the separator ``,`` + line end + 4 spaces but for the first chunk); and the text's length,
    which tells a text whose line ends were changed since (CRLF) from the text written."""

    chunks: dict[str, list[tuple[int, int]]]
    length: int = -1


def written_locator(text: str, manifest: Manifest, findings: list[Finding], layout: Layout | None) -> JsonLocator:
    """A locator of ``text`` seeded with each top-level array's end and the offsets of the elements the
    findings name (and of those after them, which end them), from the writer's layout: the locator reads no
    element of the arrays to find them. The other offsets are not known, and are not asked (zero in the
    seed). An array's elements are found in the chunk the writer wrote them in (``layout``), else by a search
    of the text from the array's start; one whose elements do not come out as many as the data has is left
    to the locator to scan (never taken on trust)."""
    locator = JsonLocator(text)
    named: dict[str, set[int]] = {}
    for finding in findings:
        tokens = split_pointer(finding.pointer)
        if len(tokens) > 1 and tokens[1].isdigit():
            index = int(tokens[1])
            named.setdefault(tokens[0], set()).update((index, index + 1))
    marks = layout.chunks if layout is not None and layout.length == len(text) else {}
    after = 0  # the arrays stand in this order: each is looked for after the one before
    for key, values in canonical_top_level(manifest.data or {}).items():
        if not isinstance(values, list) or not values:
            continue
        wanted = sorted(index for index in named.get(key, ()) if index < len(values))
        seed = _from_chunks(text, marks[key], len(values), wanted) if key in marks else None
        if seed is None:
            seed = _from_search(text, after, key, len(values), wanted)
        if seed is not None:
            start, offsets, after = seed
            locator.seed_array(start, offsets, after)
    return locator


_OPENING = "[\n    "


def _from_chunks(
    text: str, marks: list[tuple[int, int]], count: int, wanted: list[int]
) -> tuple[int, array[int], int] | None:
    """(the array's ``[``, its element offsets, the offset past its ``]``) from the chunks the writer wrote,
    reading only the chunks that hold the ``wanted`` elements; None if the text is not as they say."""
    start = marks[0][1] - len(_OPENING)
    close = text.find("\n  ]", marks[-1][1])
    if not text.startswith(_OPENING, start) or close < 0:
        return None
    offsets = array("q", bytes(8 * (wanted[-1] + 1))) if wanted else array("q")
    firsts = [first for first, _ in marks]
    for chunk in sorted({bisect_right(firsts, index) - 1 for index in wanted}):
        first, at = marks[chunk]
        last, stop = marks[chunk + 1] if chunk + 1 < len(marks) else (count, close)
        found = array("q", map(re.Match.end, _ELEMENT.finditer(text, at - 5, stop)))  # chunk 0: its "\n    "
        if len(found) != last - first:
            return None
        end = min(last, len(offsets))
        offsets[first:end] = found[: end - first]
    return start, offsets, text.index("]", close) + 1


def _from_search(text: str, after: int, key: str, count: int, wanted: list[int]) -> tuple[int, array[int], int] | None:
    """As :func:`_from_chunks`, the array found by its key's line and its elements by a search from its start
    (a text whose line ends were changed, or an array of no kind); every element up to the last wanted."""
    heading = "\n  " + encode_line(key) + ": ["
    at = text.find(heading, after)
    close = text.find("\n  ]", at)
    if at < 0 or close < 0:
        return None
    start = at + len(heading) - 1
    needed = wanted[-1] + 1 if wanted else 0
    limit = needed + (needed == count)  # all of them: one more would be one too many
    offsets = array("q")
    if needed:
        for match in _ELEMENT.finditer(text, start, close):
            offsets.append(match.end())
            if len(offsets) == limit:
                break
    return (start, offsets, text.index("]", close) + 1) if len(offsets) == needed else None
