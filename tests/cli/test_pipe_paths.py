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


def _run(
    arguments: list[str], cwd: Path, pass_fds: tuple[int, ...] = (), stdin: Path | None = None
) -> tuple[int, str, str]:
    """The CLI in its own process (``stdin``: a file given as standard input, as ``< FILE`` gives it)."""
    with open(stdin, "rb") if stdin is not None else contextlib.nullcontext() as given:
        done = subprocess.run(
            [sys.executable, "-m", "manifest_tools.cli", *arguments],
            stdin=given,
            capture_output=True,
            text=True,
            cwd=cwd,
            pass_fds=pass_fds,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=30,
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


FIXABLE = b'{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": " a.jpg"},]}\n'
"""MT102 and MT219, both fixed: fix would rewrite it."""
CANONICAL = b'{\n  "images": [\n    {"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}\n  ]\n}\n'
REFUSED = "SOURCE: not rewritten: it can be read only once (a pipe, FIFO or /dev/stdin)"


def _findings(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": MT" in line and " fixed at " not in line]


@pytest.mark.parametrize(("data", "code"), [(FIXABLE, 2), (CANONICAL, 0)], ids=["fixable", "canonical"])
def test_fix_reads_a_pipe_once_and_never_writes_it_back(data: bytes, code: int, tmp_path: Path) -> None:
    """The fixed text has nowhere to go but standard output (``fix -``): fix says so in one line, exit 2, and
    reports the findings of the bytes it read (not of a second, empty read: MT110); nothing to write is no error."""
    (tmp_path / "m.json").write_bytes(data)
    _, linted, _ = _run(["lint", "m.json"], tmp_path)
    piped = _through_a_pipe(("fix", "SOURCE"), data, tmp_path)
    assert piped[0] == code, piped
    assert piped[2].count(REFUSED) == (code == 2), piped[2]
    assert _findings(piped[1] + piped[2]) == _findings(linted.replace("m.json", "SOURCE")), piped


def test_fix_of_a_named_pipe_ends(tmp_path: Path) -> None:
    """A FIFO is read once: fix does not open it again (which waits for a writer that never comes)."""
    fifo = tmp_path / "p.json"
    os.mkfifo(fifo)

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "wb") as pipe:
            pipe.write(FIXABLE)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    done = subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", "fix", "p.json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=30,
        check=False,
    )
    feeder.join(timeout=5)
    assert done.returncode == 2, done
    assert done.stderr.count(REFUSED.replace("SOURCE", "p.json")) == 1, done.stderr
    assert "MT110" not in done.stdout + done.stderr
    # one coherent story: the closing count says the file was not rewritten, not only "0 fixes applied"
    assert done.stdout.splitlines()[-1] == "Changed 0 files to canonical form; 0 fixes applied; 1 file not rewritten."
    (tmp_path / "m.json").write_bytes(FIXABLE)
    _, linted, _ = _run(["lint", "m.json"], tmp_path)
    assert _findings(done.stdout) == _findings(linted.replace("m.json", "p.json")), done


def test_fix_of_dev_stdin_does_not_rewrite_the_file_behind_it(tmp_path: Path) -> None:
    """``fix /dev/stdin < a.json`` names standard input, not a.json: a.json is left as it was."""
    path = tmp_path / "a.json"
    path.write_bytes(FIXABLE)
    code, out, err = _run(["fix", "/dev/stdin"], tmp_path, stdin=path)
    assert path.read_bytes() == FIXABLE
    assert code == 2, (out, err)
    assert err.count(REFUSED.replace("SOURCE", "/dev/stdin")) == 1, err


def test_the_fix_hint_of_dev_stdin_names_no_file(tmp_path: Path) -> None:
    """``lint /dev/stdin < a.json``: fix does not write back to /dev/stdin, so the hint does not name it."""
    path = tmp_path / "a.json"
    path.write_bytes(FIXABLE)
    _, out, _ = _run(["lint", "/dev/stdin"], tmp_path, stdin=path)
    assert out.endswith("2 fixable with `manifest-tools fix FILE`.\n"), out
