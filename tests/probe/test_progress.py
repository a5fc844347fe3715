"""The probe's progress bar (the shared one of cli/progress.py): on a terminal only, with files done, bytes
read, rate and time left."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from manifest_tools.cli.probe import probe_progress
from manifest_tools.cli.progress import DELAY_ENV, Progress
from manifest_tools.cloud.probe import ProbeStats
from tests.probe import media_files

BASE = "https://cdn.example.org/d"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_probe_counts_on_the_bar() -> None:
    bar = Progress("probe", unit="files", stream=_Terminal())
    show = probe_progress(bar)
    assert show is not None
    show(ProbeStats(urls=400, read=100, cached=20, bytes_read=3_200_000))
    assert bar.text(3.0, width=10) == "probe [###-------] 120/400 files, 3.2 MB read, 40/s, 7 s left"
    assert probe_progress(Progress("probe", stream=io.StringIO())) is None, "off a terminal the run skips the calls"


def _probe(tmp_path: Path, stderr: int) -> subprocess.CompletedProcess[bytes]:
    folder = tmp_path / "d"
    folder.mkdir(exist_ok=True)
    media_files.image(folder / "a.png", "PNG", (4, 3))
    manifest = tmp_path / "m.json"
    manifest.write_text(f'{{"images": [{{"objectUrl": "{BASE}/a.png"}}]}}\n')
    command = [sys.executable, "-m", "manifest_tools.cli", "probe", str(manifest), "-o", str(tmp_path / "out.json")]
    environment = {**os.environ, DELAY_ENV: "0", "TERM": "xterm"}  # the bar at once: a 1-file run is short
    return subprocess.run(
        [*command, "--local", f"{BASE}={folder}"],
        stdout=subprocess.PIPE,
        stderr=stderr,
        timeout=60,
        check=True,
        env=environment,
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
    assert b"\rprobe " in seen and b" files" in seen, seen  # drawn at once (the delay is 0), in files


def test_no_bar_in_a_pipe(tmp_path: Path) -> None:
    result = _probe(tmp_path, subprocess.PIPE)
    assert b"[#" not in result.stderr and b"/s" not in result.stderr, result.stderr
