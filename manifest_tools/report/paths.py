"""Where report paths start: the repository root of the files checked, whichever folder the job ran in.

GitHub code scanning (SARIF), GitLab code quality and JUnit dashboards all show a file
by its path from the repository root: a job that runs in a sub-folder must still name
``data/m.json``, not ``m.json``.
"""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path

from manifest_tools.redact import for_path, for_program
from manifest_tools.report.report import Report


def _git_toplevel(folder: Path) -> Path | None:
    """The top of the git work tree holding ``folder``; None outside one, without git, or if git fails."""
    # GIT_DIR / GIT_WORK_TREE (set inside git hooks) would name the hook's repository, not the file's.
    env = {name: value for name, value in os.environ.items() if name not in ("GIT_DIR", "GIT_WORK_TREE")}
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = done.stdout.strip()
    return Path(top).resolve() if done.returncode == 0 and top else None


def _existing_folder(path: str) -> Path:
    """The folder of ``path``, or its nearest existing ancestor (a --stdin-filename need not exist); one that may
    not be entered counts as missing (``Path.is_dir`` raised, and a SARIF report of it was never written)."""
    folder = Path(path).resolve().parent
    while not os.path.isdir(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def repository_root(report: Report) -> Path:
    """Where URIs start: the repository holding the first file checked (GitHub code scanning resolves URIs
    from the repository root, whichever folder the job ran in), else the working folder."""
    named = [*report.files, *(d.path for d in report.diagnostics), *(u.path for u in report.unreadable if u.path)]
    first = next(iter(named), None)
    top = _git_toplevel(_existing_folder(first)) if first is not None else None
    return top if top is not None else Path.cwd().resolve()


def relative_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes; as given when outside ``root``."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path


def shown_path(path: str, root: Path) -> str:
    """:func:`relative_path` as a report people read shows it (``redact.for_path``: no control character, no
    byte that is not UTF-8), for JUnit, whose XML cannot hold a control character."""
    return for_path(relative_path(path, root))


def program_path(path: str, root: Path) -> str:
    """:func:`relative_path` as a JSON report names it (``redact.for_program``: the very name, unless it holds
    a byte that is not UTF-8), for GitLab's code quality report, read by a program."""
    return for_program(relative_path(path, root))


@lru_cache(maxsize=1024)
def _folder_root(folder: Path) -> Path | None:
    """:func:`_git_toplevel`, once per folder: every finding in a file is fingerprinted with its path."""
    return _git_toplevel(folder)


def repository_path(path: str) -> str:
    """``path`` as the CI reports name it: from the root of its repository (else the working folder), whichever
    folder the job ran in and however the path was written, so a fingerprint built from it stays put.
    Standard input without a ``--stdin-filename`` keeps its name."""
    if path in ("-", "<stdin>"):
        return path
    root = _folder_root(_existing_folder(path)) or Path.cwd().resolve()
    return relative_path(path, root)
