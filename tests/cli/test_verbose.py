"""lint -v: which files are read, whether the native scanner or Python checked each, timings; on stderr only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools import native
from manifest_tools.cli import main
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.certified import lint_certified

URL = "https://b.s3.eu-west-2.amazonaws.com"
CLEAN = json.dumps({"images": [{"objectUrl": f"{URL}/a.jpg"}]})
MIXED = json.dumps({"images": [{"objectUrl": f"{URL}/a.jpg"}, {"objectUrl": "https://storage.googleapis.com/c/b.jpg"}]})
FILES = {
    "clean.json": CLEAN,
    "mixed.json": MIXED,  # MT313/MT314 fire, from the facts the scanner collects
    "broken.json": '{"images": [{"objectUrl": "' + URL + '/a.jpg",}]}',
    "c.csv": f"ObjectUrl,Image title\n{URL}/a.jpg,x\n",
}


def _checked_by(stderr: str) -> dict[str, str]:
    return dict(re.findall(r"^manifest-tools: (\S+): checked by (.+) in [\d,.]+ ms$", stderr, re.MULTILINE))


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_verbose_names_each_file_its_path_and_timings(workdir: Path) -> None:
    quiet = CliRunner().invoke(main, ["lint", *FILES])
    loud = CliRunner().invoke(main, ["lint", "-v", *FILES])
    assert loud.stdout == quiet.stdout and loud.exit_code == quiet.exit_code, "the report is unchanged"
    assert quiet.stderr == ""
    for name in FILES:
        assert f"manifest-tools: reading {name}\n" in loud.stderr
    assert re.search(r"^manifest-tools: found 4 files to check in [\d,.]+ ms$", loud.stderr, re.MULTILINE)
    assert re.search(r"^manifest-tools: done in [\d,.]+ ms$", loud.stderr, re.MULTILINE)
    assert _checked_by(loud.stderr)["c.csv"] == "the native scanner (CSV rows)"


@pytest.mark.skipif(native.scanner() is None, reason="needs the native scanner")
def test_verbose_reports_the_decision_certified_py_takes(workdir: Path) -> None:
    """Each JSON file's line says what lint_certified decided, with its reason, for the rules lint enables."""
    checked_by = _checked_by(CliRunner().invoke(main, ["lint", "-v", *FILES]).stderr)
    enabled = frozenset(code for code, rule in all_rules().items() if rule.default)
    for name in ("clean.json", "mixed.json", "broken.json"):
        decision = lint_certified(name, FILES[name].encode(), enabled)
        expected = "the native scanner" if isinstance(decision, list) else f"Python ({decision})"
        assert checked_by[name] == expected
    assert checked_by["clean.json"] == "the native scanner"
    assert checked_by["mixed.json"] == "the native scanner"
    assert checked_by["broken.json"].startswith("Python (")


def test_verbose_without_the_scanner_says_so(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "_loaded", True)
    monkeypatch.setattr(native, "_scanner", None)
    checked_by = _checked_by(CliRunner().invoke(main, ["lint", "-v", "clean.json", "c.csv"]).stderr)
    assert checked_by == {
        "clean.json": "Python (the native scanner is not available)",
        "c.csv": "Python (the native scanner is not available)",
    }


def test_verbose_names_standard_input_by_its_filename(workdir: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "-v", "--stdin-filename", "x.csv", "-"], input=FILES["c.csv"])
    assert "manifest-tools: reading standard input\n" in result.stderr
    assert _checked_by(result.stderr) == {"x.csv": "the native scanner (CSV rows)"}


REWRITES = {
    "fix": (
        ["fix", "clean.json"],
        [
            r"found 1 file to fix in [\d,.]+ ms",
            r"reading clean\.json",
            r"clean\.json: read and fixed with the native scanner in [\d,.]+ ms: 0 fixes",
            r"wrote clean\.json",  # written in canonical form
            r"clean\.json: lint found nothing in the input and no fix applied: nothing remains \(not linted again\)",
            r"done in [\d,.]+ ms",
        ],
    ),
    "fix in Python": (
        ["fix", "--check", "broken.json", "c.csv"],
        [
            r"found 2 files to fix in [\d,.]+ ms",
            r"reading broken\.json",
            r"broken\.json: read and fixed in Python \(trailing comma before .}. at line 1, column 71\)"
            r" in [\d,.]+ ms: 1 fix",
            r"reading c\.csv",
            r"c\.csv: read and fixed with the native scanner \(CSV rows\) in [\d,.]+ ms: 0 fixes",
            r"done in [\d,.]+ ms",
        ],
    ),
    "convert": (
        ["convert", "mixed.json", "-o", "out.csv"],
        [
            r"reading mixed\.json",
            r"mixed\.json: read and parsed in Python in [\d,.]+ ms",
            r"mixed\.json: conversion to csv planned in [\d,.]+ ms",
            r"wrote out\.csv in [\d,.]+ ms",
        ],
    ),
    "split": (
        ["split", "mixed.json", "--max-items", "1"],
        [
            r"reading mixed\.json",
            r"mixed\.json: read and parsed in Python in [\d,.]+ ms",
            r"mixed\.json: 2 parts planned in [\d,.]+ ms",
            r"wrote 2 parts in [\d,.]+ ms",
        ],
    ),
}


@pytest.mark.parametrize(("arguments", "lines"), REWRITES.values(), ids=REWRITES.keys())
def test_verbose_rewrites_say_what_they_read_and_wrote(workdir: Path, arguments: list[str], lines: list[str]) -> None:
    """-v adds these lines, in this order, on stderr; stdout and the exit status are what they are without it."""
    quiet = CliRunner().invoke(main, arguments)
    for written in [*workdir.glob("*.part-*"), workdir / "out.csv"]:
        written.unlink(missing_ok=True)
    (workdir / "clean.json").write_text(CLEAN)
    loud = CliRunner().invoke(main, [*arguments, "-v"])
    assert (loud.stdout, loud.exit_code) == (quiet.stdout, quiet.exit_code)
    said = [line.removeprefix("manifest-tools: ") for line in loud.stderr.splitlines() if line not in quiet.stderr]
    assert len(said) == len(lines), said
    for line, pattern in zip(said, lines, strict=True):
        assert re.fullmatch(pattern, line), (line, pattern)


def test_verbose_generate_says_what_it_listed_and_wrote(workdir: Path) -> None:
    (workdir / "media").mkdir()
    for name in ("a.jpg", "b.mp4"):
        (workdir / "media" / name).write_bytes(b"x")
    arguments = ["generate", "media", "-o", "out.json", "--url-base", "https://cdn.example.org"]
    quiet = CliRunner().invoke(main, arguments)
    (workdir / "out.json").unlink()
    loud = CliRunner().invoke(main, [*arguments, "-v"])
    assert (loud.stdout, loud.exit_code) == (quiet.stdout, 0)
    assert "manifest-tools:" not in quiet.stderr
    said = [line.removeprefix("manifest-tools: ") for line in loud.stderr.splitlines() if "manifest-tools:" in line]
    patterns = [r"listing media", r"listed and wrote 1 file in [\d,.]+ ms", r"done in [\d,.]+ ms"]
    assert len(said) == len(patterns), said
    for line, pattern in zip(said, patterns, strict=True):
        assert re.fullmatch(pattern, line), (line, pattern)


@pytest.mark.skipif(native.scanner() is None, reason="needs the native scanner")
def test_verbose_explains_a_semicolon_csv_by_its_rows_not_a_json_byte(workdir: Path) -> None:
    """A semicolon-delimited CSV was explained as "(empty manifest at byte 1)", a place in JSON the user never wrote."""
    (workdir / "semi.csv").write_text(f"ObjectUrl;Image title\n{URL}/a.jpg;a\n")
    checked_by = _checked_by(CliRunner().invoke(main, ["lint", "-v", "semi.csv"]).stderr)
    assert checked_by == {"semi.csv": "Python (CSV: no item rows were read)"}
