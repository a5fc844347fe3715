"""Every command that writes CSV writes a formula-like title as it is (one rule, in writers/csv.py): the
platform reads a title literally, so an apostrophe before it would register another title."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main

URL = "https://b.s3.eu-west-2.amazonaws.com"
TITLES = ["=1+1", "+3", "-4", "@SUM(A1)", " =2", "\tx", "plain"]
SOURCE = "ObjectUrl,Image title\n" + "".join(f'{URL}/{n}.jpg,"{title}"\n' for n, title in enumerate(TITLES))

WRITERS = {
    "fix": (["fix", "--ignore", "MT219", "m.csv"], "m.csv"),  # MT219 strips a title's blanks: a fix
    "fix -": (["fix", "--ignore", "MT219", "-"], None),
    "convert": (["convert", "m.csv", "-o", "out.csv"], "out.csv"),
    "convert -o -": (["convert", "m.csv", "-o", "-", "--to", "csv"], None),
    "split": (["split", "m.csv", "--max-items", "100", "--output-dir", "parts"], "parts/m.part-0001.csv"),
}


@pytest.mark.parametrize("command", WRITERS)
def test_every_csv_writer_keeps_formula_like_titles_as_they_are(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.csv").write_text(SOURCE, encoding="utf-8")
    args, written = WRITERS[command]
    result = CliRunner().invoke(main, args, input=SOURCE)
    assert result.exit_code in (0, 1), result.output  # 1: the tab and blank titles' own lint findings
    text = result.stdout if written is None else (tmp_path / written).read_text(encoding="utf-8")
    manifest = manifest_tools.load(text, format="csv")
    assert [item.fields.get("title") for item in manifest.items()] == TITLES
