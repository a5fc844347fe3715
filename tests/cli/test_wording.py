"""Counts in what the commands say read as English: ``1 file``, ``0 fixes``, never ``file(s)`` or ``1 URLs``."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

PACKAGE = Path(__file__).parents[2] / "manifest_tools"
URL = "https://b.s3.eu-west-2.amazonaws.com"
CANONICAL = '{\n  "images": [\n    {"objectUrl": "' + URL + '/a.jpg"}\n  ]\n}\n'
ONE_FIX = '{"images": [{"objectUrl": "' + URL + '/a.jpg"},]}\n'
TWO_FIXES = '{"images": [{"objectUrl": "' + URL + '/a.jpg"},],}\n'
ONE_DROP = json.dumps({"images": [{"objectUrl": f"{URL}/a.jpg", "title": "a", "clientMetadata": {"k": 1}}]})


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in {"canonical.json": CANONICAL, "one.json": ONE_FIX, "two.json": TWO_FIXES}.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "drop.json").write_text(ONE_DROP)
    return tmp_path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["fix", "canonical.json"], "Changed 0 files to canonical form; 0 fixes applied."),
        (["fix", "--check", "one.json"], "Would fix one.json (1 fix, canonical form)"),
        (["fix", "--check", "one.json"], "Would change 1 file to canonical form; 1 fix would be applied."),
        (["fix", "--check", "two.json"], "Would fix two.json (2 fixes, canonical form)"),
        (
            ["fix", "--check", "one.json", "two.json"],
            "Would change 2 files to canonical form; 3 fixes would be applied.",
        ),
        (["fix", "-v", "one.json"], "manifest-tools: found 1 file to fix in "),
        (["fix", "-v", "one.json"], "manifest-tools: one.json: read and fixed in Python ("),
        (["lint", "-v", "canonical.json"], "manifest-tools: found 1 file to check in "),
        (["lint", "-v", "canonical.json"], "manifest-tools: URLs across 1 file checked in "),
        (["convert", "--drop-unsupported", "drop.json", "-o", "drop.csv"], "Wrote drop.csv (csv); 1 thing dropped."),
        (["convert", "canonical.json", "-o", "c.csv"], "Wrote c.csv (csv)."),
        (["split", "--dry-run", "--max-items", "5", "canonical.json"], "1 part planned; nothing written (--dry-run)."),
    ],
)
def test_counts_read_as_english(workdir: Path, args: list[str], expected: str) -> None:
    result = CliRunner().invoke(main, args)
    said = result.stdout + result.stderr
    assert expected in said, said
    assert "(s)" not in said and "(es)" not in said, said


def test_fix_verbose_says_one_fix(workdir: Path) -> None:
    result = CliRunner().invoke(main, ["fix", "-v", "one.json"])
    assert result.stderr.splitlines()[2].endswith(" ms: 1 fix"), result.stderr


def _formatted_literals() -> list[tuple[str, int, str]]:
    """Each f-string's literal text in the package, where it stands (a count is formatted into most of them)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
                found.append((str(path.relative_to(PACKAGE)), node.lineno, str(text)))
    return found


def test_no_message_says_s_in_parentheses() -> None:
    """``wording.plural`` says ``1 file`` and ``2 files``: a new ``file(s)`` would be a regression."""
    literals = _formatted_literals()
    assert len(literals) > 100, "the scan sees the package's f-strings"
    assert [(path, line) for path, line, text in literals if "(s)" in text or "(es)" in text] == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["convert", "canonical.json", "-o", "c.csv"], "Wrote c.csv (csv).\n"),
        (
            ["convert", "canonical.json", "-o", "-"],
            "manifest-tools: --to json, csv or sdk is needed to write to standard output\n",
        ),
        (
            ["convert", "canonical.json", "-o", "c.txt"],
            "manifest-tools: --to json, csv or sdk is needed as the output name does not end in .json or .csv\n",
        ),
        (
            ["convert", "--drop-unsupported", "not-an-array.json", "-o", "n.csv"],
            "not-an-array.json:1:12: images is not an array of items (/images)\nmanifest-tools: not-an-array.json is"
            " not a valid manifest (images is not an array of items): fix it first (to see each problem, run"
            " manifest-tools lint not-an-array.json)\n",
        ),
        (
            ["rules", "MT99"],
            "manifest-tools: unknown rule or prefix 'MT99': did you mean MT9 (the MT9xx rules)? `manifest-tools rules`"
            " lists them all\n",
        ),
    ],
)
def test_what_convert_and_rules_say(workdir: Path, args: list[str], expected: str) -> None:
    """ "0 things dropped"; "CSV cannot carry 1 thing" for invalid input, which --drop-unsupported then dropped;
    "the output name" of ``-``; ``rules MT99`` offered MT946, a look-alike, not the family."""
    (workdir / "not-an-array.json").write_text('{"images": {"objectUrl": "' + URL + '/a.jpg"}}\n')
    assert CliRunner().invoke(main, args).stderr == expected
    assert not (workdir / "n.csv").exists()


def test_an_opt_in_rule_page_has_no_nested_parentheses() -> None:
    first = CliRunner().invoke(main, ["rules", "MT704"]).stdout.splitlines()[0]
    assert first == "MT704 csv-blank-create-video (warning, opt-in: --extend-select MT704)"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["split", "canonical.json", "--max-items", "1", "--output-dir", "afile"], "afile: is a file, not a folder"),
        (["convert", "canonical.json", "-o", "folder"], "folder: is a folder; write to a regular file"),
        (["convert", "canonical.json", "-o", "folder", "--to", "csv"], "folder: is a folder; write to a regular file"),
        (["convert", "folder", "-o", "c.csv"], "folder: is a folder"),
        (["split", "folder", "--max-items", "1"], "folder: is a folder"),
    ],
)
def test_one_wording_for_a_folder_or_a_file_in_the_wrong_place(workdir: Path, args: list[str], expected: str) -> None:
    """``--output-dir afile`` said ``file exists``; ``convert -o folder`` asked for --to before saying the
    output is a folder; a folder as input was ``is a directory`` here, ``is a folder`` elsewhere."""
    (workdir / "afile").write_text("")
    (workdir / "folder").mkdir()
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr) == (2, f"manifest-tools: {expected}\n")
