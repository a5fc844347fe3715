"""The progress bar: drawn on a terminal (a pseudo-terminal here) and cleared; never in a pipe or on TERM=dumb.

The bar appears after MANIFEST_TOOLS_PROGRESS_DELAY seconds (1 by default); the terminal tests set it to 0
so that a small manifest shows it, and no test depends on how long anything takes.
"""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from manifest_tools.cli.progress import DELAY_ENV, Progress

URL = "https://b.s3.eu-west-2.amazonaws.com"
COMMANDS = {  # the command, and the start of its bar's line
    "lint": (["lint", "m.json"], "\rlint m.json ["),
    "fix": (["fix", "--check", "m.json"], "\rfix m.json ["),
    "convert": (["convert", "m.json", "-o", "m.csv"], "\rconvert: writing m.csv"),
    "split": (["split", "m.json", "--max-items", "100"], "\rsplit ["),
    "verify": (["verify", "v.json"], "\rverify v.json ["),  # a host that cannot resolve: no network needed
}


def test_the_text_shows_counts_rate_and_time_left() -> None:
    bar = Progress("split", 400, "items", stream=io.StringIO())
    bar.update(120, extra=", 3.2 MB read")
    assert bar.text(3.0, width=10) == "split [###-------] 120/400 items, 3.2 MB read, 40/s, 7 s left"
    bar.update(400)
    assert bar.text(4.0, width=4) == "split [####] 400/400 items, 100/s"


def test_the_text_of_bytes_of_unknown_total_and_of_a_step_without_counts() -> None:
    in_bytes = Progress("lint", 500_000_000, "bytes", stream=io.StringIO())
    assert in_bytes.text(0.5, width=4) == "lint [----] 0.0/500.0 MB", "no rate before anything is done"
    in_bytes.update(100_000_000)
    assert in_bytes.text(100.0, width=4) == "lint [#---] 100.0/500.0 MB, 1.0 MB/s, 7 min left"
    listed = Progress("generate: listed", unit="objects", stream=io.StringIO())
    listed.update(12_000)
    assert listed.text(3.0) == "generate: listed 12,000 objects, 4,000/s"
    assert Progress("reading m.json", unit="", stream=io.StringIO()).text(3.0) == "reading m.json, 3 s"


def test_no_bar_on_a_stream_that_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with Progress("lint", 10, stream=stream) as bar:
        bar.update(5)
    assert not bar.enabled and stream.getvalue() == ""


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    items = [{"objectUrl": f"{URL}/f/{index:04d}.jpg"} for index in range(300)]
    (tmp_path / "m.json").write_text(json.dumps({"images": items}))
    (tmp_path / "v.json").write_text(json.dumps({"images": [{"objectUrl": "https://no-such-host.invalid/a.jpg"}]}))
    return tmp_path


def _environment(**changes: str) -> dict[str, str]:
    environment = {**os.environ, DELAY_ENV: "0", "TERM": "xterm", **changes}
    environment.pop("NO_COLOR", None)
    return environment


def _on_a_terminal(
    workdir: Path, arguments: list[str], stdout_too: bool = False, **environment: str
) -> tuple[int, bytes]:
    """Run a command with stderr (and ``stdout_too``) on a pseudo-terminal; everything it drew there."""
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "manifest_tools.cli", *arguments]
    stdout = follower if stdout_too else subprocess.DEVNULL
    with subprocess.Popen(
        command, cwd=workdir, stdout=stdout, stderr=follower, env=_environment(**environment)
    ) as process:
        os.close(follower)
        seen = b""
        while True:  # read while it runs: a full terminal buffer would block it
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the command closed the terminal (it exited)
                break
            if not chunk:
                break
            seen += chunk
        os.close(leader)
        return process.wait(timeout=120), seen


@pytest.mark.parametrize(("arguments", "label"), COMMANDS.values(), ids=COMMANDS.keys())
def test_the_bar_appears_on_a_terminal_and_is_cleared(workdir: Path, arguments: list[str], label: str) -> None:
    _, seen = _on_a_terminal(workdir, arguments)
    assert label.encode() in seen, seen
    lines = seen.replace(b"\r\n", b"\n")  # the terminal's own line ends
    assert re.search(rb"\r {10,}\r[^\r]*\Z", lines), "the bar's line is blanked when the work is done"


@pytest.mark.parametrize(("arguments", "label"), COMMANDS.values(), ids=COMMANDS.keys())
def test_no_bar_on_a_dumb_terminal(workdir: Path, arguments: list[str], label: str) -> None:
    _, seen = _on_a_terminal(workdir, arguments, TERM="dumb")
    assert label.encode() not in seen and b"\r" not in seen.replace(b"\r\n", b""), seen


@pytest.mark.parametrize(("arguments", "label"), COMMANDS.values(), ids=COMMANDS.keys())
def test_no_bar_in_a_pipe_and_the_same_output(workdir: Path, arguments: list[str], label: str) -> None:
    """With the bar due at once, piped stdout and stderr are byte for byte what they are with no bar at all."""
    command = [sys.executable, "-m", "manifest_tools.cli", *arguments]

    def run(delay: str) -> tuple[int, bytes, bytes]:
        for part in workdir.glob("m.part-*"):
            part.unlink()
        done = subprocess.run(command, cwd=workdir, capture_output=True, env=_environment(**{DELAY_ENV: delay}))
        return done.returncode, done.stdout, done.stderr

    due_at_once, never = run("0"), run("100000")
    assert due_at_once == never
    assert label.encode() not in due_at_once[2] and b"\r" not in due_at_once[2]


def test_no_bar_drawn_into_a_manifest_written_to_the_terminal(workdir: Path) -> None:
    status, seen = _on_a_terminal(workdir, ["convert", "m.json", "-o", "-", "--to", "csv"], stdout_too=True)
    assert status == 0 and b"/f/0299.jpg" in seen
    assert b"convert: writing" not in seen, seen


@pytest.mark.parametrize(
    ("mode", "steps"),
    [
        (["--check"], [b"fixing", b"checking", b"checking what remains"]),  # it writes nothing: not "writing"
        (["--diff"], [b"fixing", b"writing the diff", b"checking what remains"]),
        ([], [b"fixing", b"writing", b"checking what remains"]),
    ],
)
def test_the_bar_moves_through_the_steps_of_one_file(workdir: Path, mode: list[str], steps: list[bytes]) -> None:
    """One big file is one unit of bytes: the bar names each step and moves its count as the step starts."""
    (workdir / "m.json").write_text((workdir / "m.json").read_text().replace('"}', '", "title": " a "}'))
    _, seen = _on_a_terminal(workdir, ["fix", *mode, "m.json"])
    assert list(dict.fromkeys(re.findall(rb"fix m\.json: ([a-z ]+) \[", seen))) == steps, seen


@pytest.mark.parametrize("arguments", [["fix", "--check", "m.json"], ["lint", "m.json"]])
def test_the_last_frame_before_the_bar_is_blanked_is_the_whole(workdir: Path, arguments: list[str]) -> None:
    """It stopped at the last step's share (0.5/0.7 MB) and was then blanked."""
    _, seen = _on_a_terminal(workdir, arguments)
    frames = [frame for frame in seen.replace(b"\r\n", b"\n").split(b"\r") if b"[" in frame]
    assert frames and b"[" + b"#" * 24 + b"]" in frames[-1], frames[-3:]


@pytest.mark.parametrize(
    ("total", "done", "seconds", "text"),
    [
        (710_000, 0, 0.5, "w [----] 0.0/710.0 KB"),  # a 710 KB file read 0.0/0.7 MB, 0.0 MB/s
        (710_000, 355_000, 2.0, "w [##--] 355.0/710.0 KB, 177.5 KB/s, 2 s left"),
        (None, 400, 2.0, "w 0.4 KB, 0.2 KB/s"),
        (None, 3_500_000, 2.0, "w 3.5 MB, 1.8 MB/s"),
        (
            500_000_000,
            2_000_000,
            4.0,
            "w [----] 2.0/500.0 MB, 500.0 KB/s, 17 min left",
        ),  # the total's unit; the rate its own
    ],
)
def test_bytes_are_shown_in_kb_below_a_megabyte(total: int | None, done: int, seconds: float, text: str) -> None:
    bar = Progress("w", total, "bytes", stream=io.StringIO())
    bar.update(done)
    assert bar.text(seconds, width=4) == text
