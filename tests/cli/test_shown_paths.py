"""How lint and fix name the files they read: a file found in a folder from the current folder without ``./``
(as ruff names it: ``lint`` walks ``.``), a file named on the command line as it was given; the CI reports and
fingerprints name a file from its repository's root, whatever the spelling (they do not change)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'
FILES = ("x.json", "sub/y.json")

CASES = {  # command line -> the names printed, in order (a walk's by path, as ruff orders them)
    "lint, no path": (["lint"], ["sub/y.json", "x.json"]),
    "lint .": (["lint", "."], ["sub/y.json", "x.json"]),
    "lint ./": (["lint", "./"], ["sub/y.json", "x.json"]),
    "lint ./sub": (["lint", "./sub"], ["sub/y.json"]),
    "lint sub": (["lint", "sub"], ["sub/y.json"]),
    "lint ./x.json, as given": (["lint", "./x.json"], ["./x.json"]),
    "lint . ./x.json: the first spelling": (["lint", ".", "./x.json"], ["sub/y.json", "x.json"]),
    "fix --check, no path": (["fix", "--check"], ["sub/y.json", "x.json"]),
    "fix --diff ./sub": (["fix", "--diff", "./sub"], ["sub/y.json"]),
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BROKEN, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)  # the root the CI reports name files from
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _named(output: str) -> list[str]:
    """The files each line names, in order, once each: ``path:line:col:``, ``Would fix path``, ``--- a/path``."""
    names: list[str] = []
    for line in output.splitlines():
        if line.startswith("--- "):
            name = line.removeprefix("--- a/")
        elif line.startswith("Would fix "):
            name = line.removeprefix("Would fix ").split(" (")[0]
        elif ".json:" in line:
            name = line.split(":")[0]
        else:
            continue
        if name not in names:
            names.append(name)
    return names


@pytest.mark.parametrize(("args", "shown"), CASES.values(), ids=CASES.keys())
def test_found_files_are_named_from_the_current_folder_and_given_files_as_given(
    folder: Path, args: list[str], shown: list[str]
) -> None:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert _named(result.output) == shown


def _reported(args: list[str], output_format: str) -> object:
    result = CliRunner().invoke(main, [*args, "--output-format", output_format], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


SPELLINGS = {
    "no path": [],
    "dotted": ["./sub/y.json", "./x.json"],
    "absolute": ["ABSOLUTE/sub/y.json", "ABSOLUTE/x.json"],
    "from a sub-folder": ["..", "CD sub"],
}


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_fingerprints_and_ci_reports_do_not_depend_on_how_a_file_is_named(
    folder: Path, monkeypatch: pytest.MonkeyPatch, spelling: list[str]
) -> None:
    """The JSON report's fingerprints, and SARIF's and GitLab's locations and fingerprints, are those of
    ``lint ./sub/y.json ./x.json`` (the old spelling of a found file) however the files were named."""
    args = ["lint", *(s.replace("ABSOLUTE", str(folder)) for s in spelling if not s.startswith("CD "))]
    reference = ["lint", "./sub/y.json", "./x.json"]  # in a walk's order
    expected = {fmt: _reported(reference, fmt) for fmt in ("json", "sarif", "gitlab")}
    for step in spelling:
        if step.startswith("CD "):
            monkeypatch.chdir(folder / step[3:])
    got = {fmt: _reported(args, fmt) for fmt in ("json", "sarif", "gitlab")}
    assert [d["fingerprint"] for d in got["json"]["diagnostics"]] == [  # type: ignore[index]
        d["fingerprint"]
        for d in expected["json"]["diagnostics"]  # type: ignore[index]
    ]
    assert got["gitlab"] == expected["gitlab"]
    locations = [r["locations"] for r in got["sarif"]["runs"][0]["results"]]  # type: ignore[index]
    assert locations == [r["locations"] for r in expected["sarif"]["runs"][0]["results"]]  # type: ignore[index]
    assert all("./" not in json.dumps(entry) for entry in locations)
