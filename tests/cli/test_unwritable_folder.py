"""``fix`` in a folder it cannot write: the rewrite goes to a temporary file beside the original, so a
writable file in a read-only folder cannot be fixed. It said "Nothing was checked" and then "Changed 1
file ...; 2 fixes applied." of a file left as it was, and "permission denied" without saying of what.

Run as a user the folder's permissions apply to: as root (who writes anywhere), the command runs as
``nobody`` through ``setpriv``, so the test runs, and can fail, whoever runs the suite.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.unprivileged import unprivileged

MESSY = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": " a.jpg"},]}\n'


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A folder ``ro`` no one may write, holding a writable ``m.json`` (outside pytest's own temporary
    folder, which only its owner may enter)."""
    base = Path(tempfile.mkdtemp(prefix="manifest-tools-ro-"))
    try:
        base.chmod(0o755)
        folder = base / "ro"
        folder.mkdir()
        (folder / "m.json").write_text(MESSY)
        (folder / "m.json").chmod(0o666)
        folder.chmod(0o555)
        yield base
    finally:
        (base / "ro").chmod(0o755)
        shutil.rmtree(base)


def test_fix_in_a_read_only_folder_says_what_cannot_be_written_and_counts_no_change(read_only_folder: Path) -> None:
    command = unprivileged(sys.executable, "-m", "manifest_tools.cli", "fix", "ro/m.json")
    done = subprocess.run(command, cwd=read_only_folder, capture_output=True, text=True, check=False)
    assert done.returncode == 2, done
    assert (read_only_folder / "ro" / "m.json").read_text() == MESSY
    assert done.stderr.startswith("manifest-tools: ro/m.json: permission denied: the folder ro cannot be written"), (
        done.stderr
    )
    assert "fixed at" not in done.stderr, "no fix was applied to the file"
    assert "Nothing was checked" not in done.stdout and "Changed 1 file" not in done.stdout, done.stdout
    assert done.stdout.endswith("Changed 0 files to canonical form; 0 fixes applied; 1 file not rewritten.\n"), (
        done.stdout
    )
    assert "Found 1 error and 1 warning in 1 file (1 checked)." in done.stdout, "what remains in it, as it is"


@pytest.mark.parametrize(
    "command",
    [("lint",), ("fix",), ("convert", "-o", "out.csv"), ("split", "--max-items", "1", "--output-dir", "parts")],
)
def test_an_unreadable_manifest_is_said_in_the_words_a_write_uses(read_only_folder: Path, command: list[str]) -> None:
    """lint, fix, convert and split said ``cannot read: Permission denied`` (the system's words) where a
    write says ``permission denied`` (atomic.py's): one table of reasons for both."""
    (read_only_folder / "ro").chmod(0o755)
    (read_only_folder / "ro" / "m.json").chmod(0o000)
    name, *options = command
    args = unprivileged(sys.executable, "-m", "manifest_tools.cli", name, "ro/m.json", *options)
    done = subprocess.run(args, cwd=read_only_folder, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (2, "manifest-tools: ro/m.json: cannot read: permission denied\n")
