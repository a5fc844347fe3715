"""A walked folder's manifests are reported in the order of their paths as text, as ruff orders its files (by the
file's name, a string): ``uploads/legacy/old.json`` before ``uploads/x.draft.json``, where a folder's own files
came first and its sub-folders after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'

CASES = [  # files made under the folder walked, in the order the report names them
    ["u/legacy/old.json", "u/x.draft.json"],
    ["u/a.json", "u/b/c.json", "u/c.json"],
    ["u/A.json", "u/B/a.json", "u/a/z.json", "u/b.json"],
    ["u/a-b/x.json", "u/a.json", "u/a/y.json", "u/a_b.json"],
]


@pytest.mark.parametrize("names", CASES, ids=[" ".join(names) for names in CASES])
def test_a_walk_reports_files_in_path_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name in reversed(names):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BROKEN)
    result = CliRunner().invoke(main, ["lint", "--isolated", "--output-format", "json", "u"])
    shown = list(dict.fromkeys(d["file"] for d in json.loads(result.stdout)["diagnostics"]))
    assert shown == sorted(names) == names
