"""The commands' run functions: a settings object in, an exit code out, testable without click."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from manifest_tools.cli.lint import LintSettings, run_lint
from manifest_tools.cli.rewrite import (
    ConvertSettings,
    FixSettings,
    SplitSettings,
    run_convert,
    run_fix,
    run_split,
)

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


def test_run_fix_returns_the_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    loose = json.dumps({"images": [{"objectUrl": f"{URL}/a.jpg"}]})
    (tmp_path / "a.json").write_text(loose)
    assert run_fix(FixSettings(paths=("a.json",), check=True, quiet=True)) == 1
    assert (tmp_path / "a.json").read_text() == loose
    assert run_fix(FixSettings(paths=("a.json",), quiet=True)) == 0
    assert (tmp_path / "a.json").read_text() != loose
    assert run_fix(FixSettings(paths=("a.json",), check=True, quiet=True)) == 0, "canonical now"
    assert run_fix(FixSettings(paths=("missing.json",), quiet=True)) == 2


REWRITES = {  # the run, its settings, exit code (a.json is a clean manifest)
    "convert to csv": (run_convert, ConvertSettings("a.json", "a.csv"), 0),
    "convert, no target": (run_convert, ConvertSettings("a.json", "a.txt"), 2),
    "convert onto itself": (run_convert, ConvertSettings("a.json", "a.json"), 2),
    "split, dry run": (run_split, SplitSettings("a.json", max_items=1, dry_run=True), 0),
    "split, no limits": (run_split, SplitSettings("a.json"), 2),
    "split, no such file": (run_split, SplitSettings("missing.json", max_items=1), 2),
}


@pytest.mark.parametrize(("run", "settings", "code"), REWRITES.values(), ids=REWRITES.keys())
def test_run_convert_and_split_return_the_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[[Any], int], settings: object, code: int
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.json").write_text(json.dumps({"images": [{"objectUrl": f"{URL}/{n}.jpg"} for n in "ab"]}))
    assert run(settings) == code
