"""Run the command as a user permissions bind: as root (who reads and writes anywhere) the child runs as
``nobody`` through ``setpriv``, so a permission test runs, and can fail, whoever runs the suite (CI runs as root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NOBODY = 65534


def unprivileged(*args: str) -> list[str]:
    """``args`` run by a user permissions bind: as given, or as root through ``setpriv`` as ``nobody``."""
    if os.geteuid() != 0:
        return list(args)
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *args]


def run_unprivileged(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``manifest-tools ARGS`` in ``cwd`` as an unprivileged user."""
    command = unprivileged(sys.executable, "-m", "manifest_tools.cli", *args)
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True, check=False)


@contextmanager
def shared_folder() -> Iterator[Path]:
    """A new folder anyone may enter (outside pytest's temporary folder, which only its owner may enter); its
    modes are given back before it is removed, whatever a test set."""
    base = Path(tempfile.mkdtemp(prefix="manifest-tools-perm-"))
    try:
        base.chmod(0o755)
        yield base
    finally:
        for folder, folders, _ in os.walk(base):
            for name in folders:
                os.chmod(os.path.join(folder, name), 0o755)
        shutil.rmtree(base)
