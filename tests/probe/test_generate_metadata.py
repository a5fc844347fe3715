"""generate --metadata: list a folder and fill every metadata block from the files' headers."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from tests.probe import media_files

BASE = "https://cdn.example.org/data"


def test_generate_fills_metadata_from_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    media_files.video(folder / "clip.mp4", frames=25, rate=25, size=(64, 48), fast_start=True)
    media_files.image(folder / "shot.png", "PNG", (40, 30))
    output = tmp_path / "out.json"
    result = CliRunner().invoke(
        main, ["generate", str(folder), "-o", str(output), "--url-base", BASE, "--metadata", "--concurrency", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "filled 2 blocks" in result.stderr
    data = json.loads(output.read_text())
    video = data["videos"][0]["videoMetadata"]
    assert (video["width"], video["height"], video["fps"], video["mimeType"]) == (64, 48, 25, "video/mp4")
    assert video["fileSize"] == (folder / "clip.mp4").stat().st_size
    image = data["images"][0]["imageMetadata"]
    assert (image["width"], image["height"], image["mimeType"]) == (40, 30, "image/png")
    assert manifest_tools.lint(output).diagnostics == []


def test_generate_metadata_refuses_csv_before_listing(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    media_files.image(folder / "shot.png", "PNG", (4, 3))
    result = CliRunner().invoke(
        main, ["generate", str(folder), "-o", str(tmp_path / "out.csv"), "--url-base", BASE, "--metadata"]
    )
    assert result.exit_code == 2
    assert "CSV manifests cannot hold metadata blocks" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_budget_spent_mid_file_is_not_probed_not_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    media_files.video(folder / "clip.mp4", frames=200, rate=25, size=(320, 240), noise=True)
    manifest = tmp_path / "m.json"
    manifest.write_text(f'{{"videos": [{{"objectUrl": "{BASE}/clip.mp4"}}]}}\n')
    cache = tmp_path / "c.jsonl"
    common = ["verify", "--metadata", "--local", f"{BASE}={folder}", str(manifest), "--cache", str(cache)]
    spent = CliRunner().invoke(main, [*common, "--max-bytes", "70000"])
    assert "MT938" in spent.stdout and "MT937" not in spent.stdout, spent.output
    assert "Traceback" not in spent.output
    again = CliRunner().invoke(main, common)  # no budget now: the file is read, not replayed as broken
    assert "MT937" not in again.stdout and "MT938" not in again.stdout, again.output
