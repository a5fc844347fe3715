"""The commands' run functions: a settings object in, an exit code out, testable without click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manifest_tools.cli.lint import LintSettings, run_lint

URL = "https://b.s3.eu-west-2.amazonaws.com"
CASES = {  # files, settings beyond the paths, exit code
    "clean": ({"a.json": {"images": [{"objectUrl": f"{URL}/a.jpg"}]}}, {}, 0),
    "an error": ({"a.json": {"images": [{"objectUrl": "ftp://x/a.jpg"}]}}, {}, 1),
    "an error, exit-zero": ({"a.json": {"images": [{"objectUrl": "ftp://x/a.jpg"}]}}, {"exit_zero": True}, 0),
    "no such file": ({}, {"paths": ("missing.json",)}, 2),
    "unknown rule": ({"a.json": {"images": []}}, {"select": ("MT999",)}, 2),
}


@pytest.mark.parametrize(("files", "changes", "code"), CASES.values(), ids=CASES.keys())
def test_run_lint_returns_the_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, object], changes: dict[str, object], code: int
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data))
    settings = LintSettings(**{"paths": tuple(files), "quiet": True, **changes})  # type: ignore[arg-type]
    assert run_lint(settings) == code
