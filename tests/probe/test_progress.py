"""The probe's progress bar: on a terminal only, with files done, rate and time left."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from manifest_tools.cli.probe import progress_text
from manifest_tools.cloud.probe import ProbeStats
from tests.probe import media_files

BASE = "https://cdn.example.org/d"


def test_progress_text() -> None:
    text = progress_text(ProbeStats(urls=400, read=100, cached=20, bytes_read=3_200_000), seconds=3.0, width=10)
    assert text == "[###-------] 120/400 files, 3.2 MB read, 40/s, 7 s left"
    assert progress_text(ProbeStats(urls=2, read=2), seconds=1.0, width=4) == "[####] 2/2 files, 0.0 MB read, 2/s"


def _probe(tmp_path: Path, stderr: int) -> subprocess.CompletedProcess[bytes]:
    folder = tmp_path / "d"
    folder.mkdir(exist_ok=True)
    media_files.image(folder / "a.png", "PNG", (4, 3))
    manifest = tmp_path / "m.json"
    manifest.write_text(f'{{"images": [{{"objectUrl": "{BASE}/a.png"}}]}}\n')
    command = [sys.executable, "-m", "manifest_tools.cli", "probe", str(manifest), "-o", str(tmp_path / "out.json")]
    return subprocess.run(
        [*command, "--local", f"{BASE}={folder}"], stdout=subprocess.PIPE, stderr=stderr, timeout=60, check=True
    )


def test_the_bar_shows_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        _probe(tmp_path, follower)
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal is closed once everything was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    assert b"[########################] 1/1 files" in seen, seen


def test_no_bar_in_a_pipe(tmp_path: Path) -> None:
    result = _probe(tmp_path, subprocess.PIPE)
    assert b"[#" not in result.stderr and b"/s" not in result.stderr, result.stderr
