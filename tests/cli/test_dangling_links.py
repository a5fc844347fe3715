"""A link in a walked folder that leads nowhere is said, as a folder that cannot be read is (exit 2): it was
skipped in silence, so a manifest whose target moved passed unchecked. ruff reports such a file too (E902)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main

CLEAN = '{\n  "images": [\n    {"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}\n  ]\n}\n'


@pytest.fixture
def walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "walk"
    folder.mkdir()
    (folder / "a.json").write_text(CLEAN)
    (folder / "dangling.json").symlink_to("/nonexistent/m.json")
    (folder / "loop.csv").symlink_to("loop.csv")
    (folder / "notes.txt").symlink_to("/nonexistent/notes.txt")  # no manifest name: not looked at
    (folder / "live.json").symlink_to("a.json")  # a link that leads to a file is linted
    return folder


SAID = [
    ("walk/dangling.json", "cannot read: the link leads to '/nonexistent/m.json', which does not exist"),
    ("walk/loop.csv", "cannot read: the link leads to a loop of links"),
]


def test_lint_says_each_link_that_leads_nowhere_and_exits_2(walk: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "walk"])
    assert result.exit_code == 2, result.output
    assert result.stderr == "".join(f"manifest-tools: {path}: {why}\n" for path, why in SAID)
    assert result.stdout == "No problems in the 1 file checked; 2 paths could not be checked.\n"  # live.json is a.json


def test_the_library_lists_them_as_unreadable(walk: Path) -> None:
    assert [(u.path, u.reason) for u in manifest_tools.lint_files(["walk"]).unreadable] == SAID


def test_an_excluded_link_is_not_said(walk: Path) -> None:
    Path("pyproject.toml").write_text('[tool.manifest-tools]\nextend-exclude = ["dangling.json", "loop.csv"]\n')
    result = CliRunner().invoke(main, ["lint", "walk"])
    assert (result.exit_code, result.stderr) == (0, "")
