"""``manifest-tools ... | head -1``: the reader leaving ends the command quietly, with status 141 (as coreutils)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from manifest_tools.cli import EXIT_BROKEN_PIPE

ITEMS = 9_000
"""About 900 KB of output (a CSV holds 10,000 rows): far more than a pipe's buffer, so writing must meet the
closed end (300 KB sometimes went out whole, a chunk of rows at a time, before the reader left)."""
URL = "https://b.s3.eu-west-2.amazonaws.com"

COMMANDS = {
    "lint report": ["lint", "--output-format", "json", "m.json"],
    "lint text": ["lint", "--select", "ALL", "m.json"],
    "fix --diff": ["fix", "--diff", "m.json"],
    "fix -": ["fix", "-"],
    "convert -o -": ["convert", "m.json", "-o", "-", "--to", "csv"],
}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    items = [{"objectUrl": f"{URL}/f/image-{index:05d}.JPG", "title": f" image {index} "} for index in range(ITEMS)]
    (tmp_path / "m.json").write_text(json.dumps({"images": items}))  # one line, padded titles: fix has work
    return tmp_path


def _run_and_close(workdir: Path, arguments: list[str], lines: int) -> tuple[int, bytes]:
    """Run a command whose standard output is read for ``lines`` lines and then closed, as by ``head``."""
    command = [sys.executable, "-m", "manifest_tools.cli", *arguments]
    stdin = (workdir / "m.json").open("rb")
    pipe = subprocess.PIPE
    with stdin, subprocess.Popen(command, cwd=workdir, stdin=stdin, stdout=pipe, stderr=pipe) as p:
        assert p.stdout is not None and p.stderr is not None
        for _ in range(lines):
            assert p.stdout.readline(), "the command writes its first lines"
        p.stdout.close()
        errors = p.stderr.read()
        return p.wait(timeout=120), errors


def _assert_quiet(errors: bytes) -> None:
    assert b"pipe" not in errors and b"Traceback" not in errors and b"Exception ignored" not in errors, errors


@pytest.mark.parametrize("arguments", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_reader_gone_before_the_output_ends_the_command_quietly(workdir: Path, arguments: list[str]) -> None:
    """The reader left before the first write (``| head -0``, a consumer that failed): deterministic."""
    status, errors = _run_and_close(workdir, arguments, lines=0)
    assert status == EXIT_BROKEN_PIPE, errors
    _assert_quiet(errors)


@pytest.mark.parametrize("arguments", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_reader_leaving_after_one_line_ends_the_command_quietly(workdir: Path, arguments: list[str]) -> None:
    """``... | head -1``: the reader leaves part-way through a write (a report or patch is one large write),
    which then returns what it wrote; the rest was dropped without an error and the command exited 1."""
    status, errors = _run_and_close(workdir, arguments, lines=1)
    assert status == EXIT_BROKEN_PIPE, errors
    _assert_quiet(errors)
