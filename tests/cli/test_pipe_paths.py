"""A manifest read from a pipe's path (``lint <(cat m.json)``, ``/dev/stdin``, a FIFO) gets what the same file gets.

A pipe can be read once: a reader that drops the text and reads the path again for a position or a
second parse found it empty (MT110 "the file is empty" in place of a broken file's findings, every
note of ``convert --drop-unsupported`` at 1:1). Each case runs the real command on a regular file and
on a pipe's ``/dev/fd/N`` path of the same bytes, and compares what it prints, the names aside.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[2] / "fixtures"
INPUTS = sorted((FIXTURES / "invalid").glob("*.json")) + sorted((FIXTURES / "invalid").glob("*.csv"))
COMMANDS = (
    ("lint", "SOURCE"),
    ("fix", "--check", "SOURCE"),
    ("fix", "--diff", "SOURCE"),
    ("convert", "SOURCE", "--to", "csv", "--drop-unsupported", "-o", "OUT.csv"),
)


def _run(arguments: list[str], cwd: Path, pass_fds: tuple[int, ...] = ()) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        pass_fds=pass_fds,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def _through_a_pipe(command: tuple[str, ...], data: bytes, cwd: Path) -> tuple[int, str, str]:
    read, write = os.pipe()
    path = f"/dev/fd/{read}"

    def feed() -> None:
        # A command that refuses before reading all of it closes the pipe early.
        with contextlib.suppress(BrokenPipeError), os.fdopen(write, "wb") as pipe:
            pipe.write(data)

    feeder = threading.Thread(target=feed)
    feeder.start()
    try:
        shown = [path if part == "SOURCE" else part.replace("OUT", "piped") for part in command]
        code, out, err = _run(shown, cwd, pass_fds=(read,))
    finally:
        os.close(read)
        feeder.join()
    patch_name = path.lstrip("/")  # a patch's header: a/dev/fd/N
    out = out.replace("a/" + patch_name, "a/SOURCE").replace("b/" + patch_name, "b/SOURCE")
    return code, out.replace(path, "SOURCE"), err.replace(path, "SOURCE")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.name)
def test_a_pipe_path_reads_as_the_file(source: Path, command: tuple[str, ...], tmp_path: Path) -> None:
    name = "m" + source.suffix
    (tmp_path / name).write_bytes(source.read_bytes())
    shown = [name if part == "SOURCE" else part.replace("OUT", "filed") for part in command]
    code, out, err = _run(shown, tmp_path)
    expected = (code, out.replace(name, "SOURCE"), err.replace(name, "SOURCE"))
    # The one difference: lint's fixable hint names a file fix can read again, and a pipe it cannot.
    expected = (code, expected[1].replace(" SOURCE`.", " FILE`."), expected[2].replace(" SOURCE`.", " FILE`."))
    piped = _through_a_pipe(command, source.read_bytes(), tmp_path)
    if command[0] == "convert":
        assert piped == (expected[0], expected[1], expected[2].replace("filed.csv", "piped.csv"))
        if code == 0:
            assert (tmp_path / "piped.csv").read_bytes() == (tmp_path / "filed.csv").read_bytes()
    else:
        assert piped == expected
