"""Rule cases, one YAML file per rule code as sqlfluff keeps them: ``cases/MT602.yaml`` holds MT602's cases.

A file is a list of cases. A case is ``{name, input, expect: ["CODE line:col", ...]}`` with optional
``format`` (json or csv, default json), ``extend_select``, ``now`` (the clock pre-signed URLs are
read at) and, in the file of a rule with a fix, ``fixed``: the text ``manifest-tools fix`` writes for
the input (``null``: fix refuses to rewrite it), with ``unsafe_fixes: true`` for what
``--unsafe-fixes`` writes and optionally ``applied`` (the codes of the fixes applied, in order).
``input`` may be ``!!binary`` (bytes that are no UTF-8). Instead of ``input``, ``files`` maps file
names to texts linted together (rules across files); ``expect`` then reads ``"name CODE line:col"``.

A rule lint cannot show on a short input has, instead of cases, one entry saying why and where it
is tested: ``not-lint`` (reported by verify, upload, probe, or a crashing rule) or ``too-large``
(limits), with ``covered-by``: test files that name the code. ``clean.yaml`` holds manifests that
follow the spec in several ways at once; any finding there is a false alarm of some rule.
Adding a test is adding a case.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

import manifest_tools
from manifest_tools import api
from manifest_tools.fixes import SYNTAX_FIX_WORDS, fix_manifest
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.urls import url_validity

CASES_DIR = Path(__file__).parent / "cases"
ROOT = Path(__file__).parents[2]
MARKERS = ("not-lint", "too-large")
CASE_KEYS = {"name", "input", "files", "expect", "format", "extend_select", "now", "fixed", "unsafe_fixes", "applied"}


def _entries(path: Path) -> list[dict[str, Any]]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(entries, list) and entries, f"{path.name}: a non-empty list of cases"
    return entries


@cache
def _files() -> dict[str, list[dict[str, Any]]]:
    return {path.stem: _entries(path) for path in sorted(CASES_DIR.glob("*.yaml"))}


def _cases() -> Iterator[Any]:
    for stem, entries in _files().items():
        for case in entries:
            if not any(marker in case for marker in MARKERS):
                yield pytest.param(stem, case, id=f"{stem}::{case['name']}")


def _data(case: dict[str, Any]) -> bytes:
    data = case["input"]
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _now(case: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(case["now"]) if "now" in case else None


def _lint(data: bytes, case: dict[str, Any]) -> list[manifest_tools.Diagnostic]:
    fmt = case.get("format", "json")
    with url_validity(now=_now(case)):
        return list(
            manifest_tools.lint(data, format=fmt, name=f"case.{fmt}", extend_select=case.get("extend_select", []))
        )


def _fix(data: bytes, case: dict[str, Any]) -> Any:
    fmt = case.get("format", "json")
    manifest = api.parse(f"case.{fmt}", data, fmt)
    enabled = api.selection(extend_select=case.get("extend_select", ()))
    with url_validity(now=_now(case)):
        return fix_manifest(manifest, enabled, unsafe=case.get("unsafe_fixes", False))


@pytest.mark.parametrize(("code", "case"), list(_cases()))
def test_case(code: str, case: dict[str, Any], tmp_path: Path) -> None:
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    if "files" in case:
        _check_files(case, tmp_path)
        return
    report = _lint(_data(case), case)
    found = [f"{d.code} {d.line}:{d.column}" for d in report]
    assert found == case["expect"], "\n".join(f"{d.code} {d.line}:{d.column} {d.message}" for d in report)
    for d in report:
        assert d.pointer == "" or d.pointer.startswith("/"), d
    if "fixed" in case:
        _check_fixed(case)


def _check_fixed(case: dict[str, Any]) -> None:
    """The fix writes ``fixed`` (None: it refuses, saying why), and fixing that again changes nothing.

    After a revealing fix (a merged or renamed array), the next fix may repair what lint of the
    output reports in the items it brought in; the run after that changes nothing.
    """
    result = _fix(_data(case), case)
    assert result.text == case["fixed"], result.text
    if "applied" in case:
        assert [a.code for a in result.applied] == case["applied"]
    rules = all_rules()
    assert all(rules[a.code].fix for a in result.applied), "every fix applied is one the catalogue lists"
    if result.text is None:
        assert result.blocking, "a refusal says why"
        return
    text = result.text
    again = _fix(text.encode("utf-8"), case)
    assert again.text == text and again.applied == []


def _repairs(code: str, case: dict[str, Any]) -> bool:
    """True when the case's fixed text reports ``code`` less often than its input does."""
    if case.get("fixed") is None:
        return False
    before = [found.split()[0] for found in case["expect"]].count(code)
    after = [d.code for d in _lint(case["fixed"].encode("utf-8"), case)].count(code)
    return after < before


def _check_files(case: dict[str, Any], folder: Path) -> None:
    for name, text in case["files"].items():
        (folder / name).write_text(text, encoding="utf-8")
    report = manifest_tools.lint_files([folder], extend_select=case.get("extend_select", []))
    found = [f"{Path(d.path).name} {d.code} {d.line}:{d.column}" for d in report]
    assert found == case["expect"], "\n".join(f"{f} {d.message}" for f, d in zip(found, report, strict=True))


def test_every_rule_has_its_file_and_every_file_its_rule() -> None:
    assert set(_files()) - {"clean"} == set(all_rules())


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_each_file_shows_its_rule_or_says_why_not(code: str) -> None:
    """A rule's file has a case that reports it, or one marker entry naming tests that do."""
    entries = _files()[code]
    markers = [entry for entry in entries if any(marker in entry for marker in MARKERS)]
    shown = any(
        any(re.fullmatch(rf"(\S+ )?{code} \d+:\d+", found) for found in entry.get("expect", [])) for entry in entries
    )
    assert shown != bool(markers), f"{code}: cases that report it, or else one marker entry"
    for entry in markers:
        reason = next(entry[marker] for marker in MARKERS if marker in entry)
        assert isinstance(reason, str) and len(reason.split()) > 3, "say why lint cannot show it here"
        assert entry["covered-by"], "name the tests that do"
        for test in entry["covered-by"]:
            assert code in (ROOT / test).read_text(encoding="utf-8"), f"{test} does not name {code}"
    rule = all_rules()[code]
    if rule.fix:
        cases = [entry for entry in entries if entry not in markers]
        assert all("fixed" in case for case in cases), "a fixable rule's cases say what fix writes"
        fixing = [case for case in cases if rule.fix == "safe" or case.get("unsafe_fixes")]
        assert any(_repairs(code, case) for case in fixing), f"no case shows the fix of {code} repairing it"


def test_clean_cases_are_clean() -> None:
    assert all(case["expect"] == [] for case in _files()["clean"])


def _single_input_cases() -> Iterator[Any]:
    for stem, entries in _files().items():
        for case in entries:
            if "input" in case:
                yield pytest.param(case, id=f"{stem}::{case['name']}")


@pytest.mark.parametrize("case", list(_single_input_cases()))
def test_fix_applies_only_what_lint_reports(case: dict[str, Any]) -> None:
    """Every fix fix reports as applied repairs a finding lint reported for the same input.

    A fix applied where lint was silent is a change the user never saw a reason for (a fix the
    catalogue says does not exist, a rename on a block lint calls clean, a repair of items lint
    never read); the codes are compared both ways round, with and without --unsafe-fixes.
    """
    data = _data(case)
    for unsafe in (False, True):
        result = _fix(data, {**case, "unsafe_fixes": unsafe})
        # after a merge or rename, fix reads its own output again: each pass answers to lint of what it read
        bounds = [(data, 0)] + [(text.encode("utf-8"), start) for text, start in result.passes]
        ends = [start for _, start in bounds[1:]] + [len(result.applied)]
        for (read, start), end in zip(bounds, ends, strict=True):
            report = _lint(read, case)
            reported = {d.code for d in report}
            in_items = {(d.code, _item_of(d.pointer)) for d in report}
            applied = {a.code for a in result.applied[start:end]}
            assert applied <= reported, f"applied {sorted(applied - reported)} that lint did not report"
            for fix in result.applied[start:end]:  # and, for a fix to an item, in that item
                item = _item_of(fix.pointer)
                assert item is None or (fix.code, item) in in_items, f"{fix} where lint reported no {fix.code}"


@pytest.mark.parametrize("case", list(_single_input_cases()))
def test_a_syntax_fix_is_counted_once_per_finding(case: dict[str, Any]) -> None:
    """The fix log, its count and lint's "N fixable" hint count a syntax fix once per finding it repairs,
    as lint reports them (two comments are two fixes, as ruff counts one per diagnostic), not once per place;
    a finding lint offers no fix for (MT107 in a CSV, which rewriting keeps) is applied by none."""
    data = _data(case)
    result = _fix(data, case)
    if result.text is None:
        return
    reported = Counter(d.code for d in _lint(data, case) if d.code in SYNTAX_FIX_WORDS and d.fix is not None)
    applied = Counter(a.code for a in result.applied[: result.passes[0][1] if result.passes else None])
    assert {code: applied[code] for code in reported} == dict(reported)


def _item_of(pointer: str) -> str | None:
    """The pointer of the item a pointer is in (``/images/3``), or None above the items."""
    found = re.match(r"/[^/]+/\d+", pointer)
    return found.group() if found else None


EMPTY_RANGE_ALLOWED: dict[str, str] = {}
"""Codes whose diagnostic may have an empty range (end == start), each with why; none so far."""


@pytest.mark.parametrize("case", list(_single_input_cases()))
def test_every_diagnostic_has_a_range(case: dict[str, Any]) -> None:
    """End columns are exclusive (README): a diagnostic's end lies after its start, or the editor,
    SARIF viewer or GitHub annotation underlines nothing."""
    for d in _lint(_data(case), case):
        _assert_range(d)


def _assert_range(d: manifest_tools.Diagnostic) -> None:
    if d.code not in EMPTY_RANGE_ALLOWED:
        assert d.end_line is not None and d.end_column is not None, d
        assert (d.end_line, d.end_column) > (d.line, d.column), f"empty range: {d}"


def _files_cases() -> Iterator[Any]:
    for stem, entries in _files().items():
        for case in entries:
            if "files" in case:
                yield pytest.param(case, id=f"{stem}::{case['name']}")


@pytest.mark.parametrize("case", list(_files_cases()))
def test_every_diagnostic_across_files_has_a_range(case: dict[str, Any], tmp_path: Path) -> None:
    for name, text in case["files"].items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for d in manifest_tools.lint_files([tmp_path], extend_select=case.get("extend_select", [])):
        _assert_range(d)


@pytest.mark.parametrize(
    ("fmt", "text", "code", "width"),
    [
        ("json", '{"videos": [{"objectUrl": frames-per-second}]}', "MT105", len("frames-per-second")),
        ("json", '{"videos": [{"objectUrl": None}]}', "MT105", len("None")),
        ("json", '{"images": [], "images": []}', "MT601", len('"images"')),
        ("json", '{"images": [],}', "MT102", 1),
        ("json", "[" + "," * 500 + "]", "MT101", 1),  # reaches "too many syntax errors: stopped reading here"
        ("csv", "ObjectUrl,Image group title,Create video\ns3://b/1.jpg,,true\n", "MT709", 1),
        ("csv", "ObjectUrl,Image title\ns3://b/a.jpg,a,bb,cc\n", "MT708", len("bb,cc")),
        ("csv", "ObjectUrl;Image title\ns3://b/a.jpg;a\n", "MT701", len("ObjectUrl;Image title")),
    ],
)
def test_ranges_cover_the_token(fmt: str, text: str, code: str, width: int) -> None:
    """The range is the token the diagnostic names: the unquoted word, the repeated key, the comma, the row."""
    found = [d for d in _lint(text.encode("utf-8"), {"format": fmt}) if d.code == code]
    assert found, f"no {code}"
    d = found[0]
    assert (d.end_line, d.end_column) == (d.line, d.column + width), d
