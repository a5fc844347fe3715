"""Canonical JSON keeps a big group readable: one key per line, so diffs and diagnostic columns stay small."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main
from manifest_tools.cloud.classify import GroupingOptions
from manifest_tools.cloud.generate import generate
from manifest_tools.providers import ListerOptions
from manifest_tools.writers.json import GROUP_LINE_WIDTH, dumps_json

BASE = "https://b.s3.eu-west-2.amazonaws.com/g"
FRAMES = 2_000


def _big_group(wrong_frame: int) -> dict[str, object]:
    """One image group of 2,000 frames, one of which is a .txt file (MT401, which fix leaves alone)."""
    group: dict[str, object] = {"title": "scan"}
    for index in range(FRAMES):
        extension = "txt" if index == wrong_frame else "jpg"
        group[f"objectUrl_{index}"] = f"{BASE}/{index:04d}.{extension}"
    return {"image_groups": [group]}


@pytest.fixture
def fixed_big_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_big_group(1000)))  # as a program writes it: one line of 100 KB
    CliRunner().invoke(main, ["fix", "big.json"])
    return path


def test_a_fixed_big_group_has_one_frame_per_line(fixed_big_group: Path) -> None:
    text = fixed_big_group.read_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) < GROUP_LINE_WIDTH
    assert f'      "objectUrl_1999": "{BASE}/1999.jpg"' in lines
    assert json.loads(text) == _big_group(1000), "the layout changes no value (read by the standard library)"


def test_a_diagnostic_in_a_fixed_big_group_has_a_small_column(fixed_big_group: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--output-format", "json", "big.json"])
    [diagnostic] = json.loads(result.stdout)["diagnostics"]
    line = fixed_big_group.read_text().splitlines()[diagnostic["line"] - 1]
    assert diagnostic["code"] == "MT401"
    assert '"objectUrl_1000"' in line, line
    assert diagnostic["column"] < 40, diagnostic


def test_fixing_a_fixed_big_group_changes_nothing(fixed_big_group: Path) -> None:
    before = fixed_big_group.read_bytes()
    result = CliRunner().invoke(main, ["fix", "--check", "big.json"])
    assert "Would change 0 files" in result.stderr + result.stdout
    CliRunner().invoke(main, ["fix", "big.json"])
    assert fixed_big_group.read_bytes() == before


def test_generate_writes_big_groups_as_fix_does(tmp_path: Path) -> None:
    """generate streams items through spool files: its output must already be the canonical form."""
    folder = tmp_path / "data" / "run-1"
    folder.mkdir(parents=True)
    for index in range(40):
        (folder / f"frame-{index:03d}.jpg").write_bytes(b"x")
    (tmp_path / "data" / "single.jpg").write_bytes(b"x")
    out = tmp_path / "m.json"
    generate(
        str(tmp_path / "data"),
        out,
        lister_options=ListerOptions(url_base="https://cdn.example.org/d"),
        grouping=GroupingOptions(images_as="groups"),
    )
    text = out.read_text()
    assert text == dumps_json(json.loads(text))
    assert '      "objectUrl_39": "https://cdn.example.org/d/run-1/frame-039.jpg"\n' in text
