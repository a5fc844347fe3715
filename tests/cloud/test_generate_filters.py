"""generate --include / --exclude mean what the ``exclude`` setting means (gitignore-style, checked against git
itself), relative to the listed folder; --show-skipped lists what was left out and why."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

KEYS = [
    "a.jpg",
    "b.tmp.jpg",
    "raw/c.jpg",
    "raw/keep.jpg",
    "raw/deep/d.jpg",
    "shots/raw/e.jpg",
    "shots/f.jpg",
    "shots/2024/g.jpg",
]

PATTERNS = [
    ["*.tmp.jpg"],
    ["raw/"],
    ["/raw/"],
    ["raw/", "!raw/keep.jpg"],
    ["raw/*", "!raw/keep.jpg"],
    ["**/raw/**"],
    ["shots/**/g.jpg"],
    ["/a.jpg"],
    ["*.jpg", "!shots/"],
    ["deep"],
]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    for key in KEYS:
        (folder / key).parent.mkdir(parents=True, exist_ok=True)
        (folder / key).write_bytes(b"x")
    return folder


def _generate(folder: Path, out: Path, *options: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(
        main, ["generate", str(folder), "-o", str(out), "--url-base", "https://cdn.example.org", *options]
    )
    written = json.loads(out.read_text()) if out.exists() else {}
    urls = [item["objectUrl"] for items in written.values() for item in items]
    return result.exit_code, sorted(u.removeprefix("https://cdn.example.org/") for u in urls), result.stderr


def _kept_by_git(folder: Path, patterns: list[str]) -> list[str]:
    """What git does not ignore with ``patterns`` as the folder's .gitignore: the reference."""
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (folder / ".gitignore").write_text("\n".join(patterns) + "\n")
    listed = subprocess.run(
        ["git", "-C", str(folder), "ls-files", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted(key for key in listed if key in KEYS)


@pytest.mark.parametrize("patterns", PATTERNS, ids=" ".join)
def test_exclude_skips_what_git_would_ignore(tmp_path: Path, patterns: list[str]) -> None:
    folder = _folder(tmp_path)
    expected = _kept_by_git(folder, patterns)
    options = [part for pattern in patterns for part in ("--exclude", pattern)]
    code, kept, _ = _generate(folder, tmp_path / "m.json", *options)
    assert (code, kept) == (0 if expected else 1, expected)


@pytest.mark.parametrize("patterns", PATTERNS, ids=" ".join)
def test_include_keeps_exactly_what_exclude_would_skip(tmp_path: Path, patterns: list[str]) -> None:
    folder = _folder(tmp_path)
    ignored = sorted(set(KEYS) - set(_kept_by_git(folder, patterns)))
    options = [part for pattern in patterns for part in ("--include", pattern)]
    code, kept, _ = _generate(folder, tmp_path / "m.json", *options)
    assert (code, kept) == (0 if ignored else 1, ignored)


def test_show_skipped_lists_each_object_and_why(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "notes.txt.bak").write_bytes(b"x")
    code, kept, err = _generate(
        folder, tmp_path / "m.json", "--include", "raw/", "--exclude", "raw/deep/", "--show-skipped"
    )
    assert (code, kept) == (0, ["raw/c.jpg", "raw/keep.jpg", "shots/raw/e.jpg"])  # raw/ matches at any depth
    lines = sorted(line for line in err.splitlines() if line.startswith("skipped "))
    assert lines == sorted(
        [
            "skipped a.jpg: no --include pattern matches it",
            "skipped b.tmp.jpg: no --include pattern matches it",
            "skipped notes.txt.bak: of a type no kind lists",
            "skipped raw/deep/d.jpg: an --exclude pattern matches it",
            "skipped shots/2024/g.jpg: no --include pattern matches it",
            "skipped shots/f.jpg: no --include pattern matches it",
        ]
    )
    code, _, err = _generate(folder, tmp_path / "m.json", "--include", "raw/")
    assert (
        code == 0 and "\nskipped " not in err and "Skipped 4 objects: filtered out (--show-skipped lists them)." in err
    )


def test_show_skipped_names_kinds_left_out(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "clip.mp4").write_bytes(b"x")
    code, _, err = _generate(folder, tmp_path / "m.json", "--kind", "videos", "--show-skipped")
    assert code == 0
    assert "skipped a.jpg: images is not among --kind videos" in err


def test_patterns_are_relative_to_the_listed_prefix(s3: Any, s3_server: Any, tmp_path: Path) -> None:
    s3.create_bucket(Bucket="acme-data", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    for key in ("runs/a.jpg", "runs/x/a.jpg", "other/a.jpg"):
        s3.put_object(Bucket="acme-data", Key=key, Body=b"x")
    out = tmp_path / "m.json"
    result = CliRunner().invoke(
        main,
        [
            "generate",
            "s3://acme-data/runs/",
            "-o",
            str(out),
            "--endpoint-url",
            s3_server.endpoint,
            "--exclude",
            "/a.jpg",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert [i["objectUrl"].rsplit("/", 2)[-2:] for i in json.loads(out.read_text())["images"]] == [["x", "a.jpg"]]
