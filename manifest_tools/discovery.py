"""Which files a run reads: folders walked for manifests, minus what exclude patterns and .gitignore files skip.

Patterns are gitignore-style (``pathspec``), relative to the folder of the config file that declares them. A
file named on the command line is read even when a pattern excludes it (as ruff does), unless ``force_exclude``:
pre-commit passes every changed file by name, and the configured exclusions must still hold there.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from manifest_tools.atomic import reason
from manifest_tools.config import Settings, SettingsFinder
from manifest_tools.report.report import Unreadable

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

MANIFEST_SUFFIXES = (".json", ".csv")


@dataclass(slots=True)
class Discovery:
    """The files to read, in order, the given paths under which no manifest was found, and what a walk could not
    read (a folder or file it may not enter: its manifests were not checked, so the run must not pass)."""

    files: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


@lru_cache(maxsize=64)
def _spec(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # here: 14 ms of lint's start, and most runs match no pattern

    return GitIgnoreSpec.from_lines(patterns)


def matches(patterns: tuple[str, ...], relative: str) -> bool:
    """Whether gitignore-style ``patterns`` (``**``, ``/``-anchored, ``!`` negations, ``dir/`` for a folder and
    all below it) match ``relative``, a /-separated path below their root: the one meaning of a pattern for
    ``exclude``, ``per-file-ignores`` and ``generate --include/--exclude``."""
    return bool(patterns) and _spec(patterns).match_file(relative)


def matches_key(patterns: tuple[str, ...], key: str) -> bool:
    """:func:`matches` for a key of a flat listing, as git decides for a file in a tree: a file in a matched
    folder is matched whatever later patterns say of the file (``raw/`` then ``!raw/keep.jpg`` keeps nothing
    of ``raw/``), as a folder walk never enters an excluded folder."""
    if not patterns:
        return False
    folders = key.split("/")[:-1]
    return any(matches(patterns, "/".join(folders[: depth + 1]) + "/") for depth in range(len(folders))) or matches(
        patterns, key
    )


def _relative(path: Path, root: Path, is_dir: bool) -> str:
    """``path`` as a pattern sees it: relative to ``root`` (whole when outside it), folders with a final slash.
    A file is matched by its own name in its (resolved) folder: a link by the name it has in the walk, as ruff
    matches it, and a link that leads nowhere or to a loop of links has a name too (resolving it raised)."""
    absolute = _resolved(path, is_dir)
    try:
        text = absolute.relative_to(root).as_posix()
    except ValueError:
        text = absolute.as_posix().lstrip("/")
    return f"{text}/" if is_dir and text not in ("", ".") else text


def _resolved(path: Path, is_dir: bool) -> Path:
    """``path`` absolute with its folders' links resolved; a file's own name kept (see :func:`_relative`)."""
    return path.resolve() if is_dir else path.parent.resolve() / path.name


def is_excluded(path: Path, settings: Settings, *, is_dir: bool = False) -> bool:
    """True when ``exclude`` or ``extend-exclude`` matches the path (or a folder it is in)."""
    relative = _relative(path, settings.root, is_dir)
    return relative not in ("", ".") and matches(settings.exclude + settings.extend_exclude, relative)


def ignored_codes(path: str, settings: Settings) -> tuple[str, ...]:
    """The rule codes and prefixes ``per-file-ignores`` drops in this file."""
    if path == "-" or not settings.per_file_ignores:
        return ()
    relative = _relative(Path(path), settings.root, False)
    return tuple(
        code for pattern, codes in settings.per_file_ignores if matches((pattern,), relative) for code in codes
    )


class _GitIgnores:
    """The .gitignore files of a walk: each applies below its folder, the deepest decision wins (as git)."""

    def __init__(self) -> None:
        self._specs: dict[Path, GitIgnoreSpec | None] = {}

    def _load(self, folder: Path) -> GitIgnoreSpec | None:
        if folder not in self._specs:
            try:
                lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            self._specs[folder] = _spec(tuple(lines)) if lines else None
        return self._specs[folder]

    def ignored(self, path: Path, top: Path, *, is_dir: bool) -> bool:
        """Whether git would ignore ``path``, reading .gitignore files from the repository root (else ``top``);
        a link by its own name, as git matches it."""
        absolute = _resolved(path, is_dir)
        decision = False
        for folder in _levels(absolute.parent, top.resolve()):
            spec = self._load(folder)
            if spec is None:
                continue
            result = spec.check_file(_relative(absolute, folder, is_dir))
            if result.include is not None:
                decision = result.include
        return decision


def _levels(folder: Path, top: Path) -> list[Path]:
    """The folders whose .gitignore applies to entries of ``folder``: from the repository root holding ``top``
    (or ``top`` itself outside a repository) down to ``folder``."""
    chain = [folder, *folder.parents]
    stop = next((f for f in (top, *top.parents) if os.path.exists(f / ".git")), top)  # os.path: False, not
    # PermissionError, above a folder that may not be entered
    return list(reversed(chain[: chain.index(stop) + 1])) if stop in chain else [folder]


def discover(
    paths: Iterable[str],
    finder: SettingsFinder | None = None,
    *,
    respect_gitignore: bool = True,
    force_exclude: bool = False,
    stdin_filename: str | None = None,
) -> Discovery:
    """The manifests under ``paths``: files as given (``-`` is standard input), folders walked for ``*.json``
    and ``*.csv``. Inside a folder only regular files count: a FIFO named ``x.json`` would block forever.

    A file reached twice (``lint . uploads``, ``x.json ./x.json``, a relative and an absolute name) is read once,
    by the first spelling given: else each finding prints twice and MT606 compares a file with itself.
    With ``force_exclude``, standard input named (``stdin_filename``) as an excluded file is skipped, as ruff
    skips it: an editor linting every buffer must not see findings in a file the project excludes."""
    finder = finder or SettingsFinder(isolated=True)
    gitignores = _GitIgnores()
    found = Discovery()
    seen: set[str] = set()

    def first(path: str) -> bool:
        key = path if path == "-" else os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for given in paths:
        if given == "-" or not os.path.isdir(given):
            named = stdin_filename if given == "-" else given
            kept = not force_exclude or named is None or not is_excluded(Path(named), finder.for_path(Path(named)))
            if kept and first(given):
                found.files.append(given)
            continue
        failed = len(found.unreadable)
        walk = _walk(Path(given), finder, gitignores if respect_gitignore else None, force_exclude, found.unreadable)
        files = sorted(walk)  # as ruff orders files: by the path as text, not a folder's files before its folders
        found.files += [file for file in files if first(file)]
        if not files and len(found.unreadable) == failed:  # else the folder that could not be read is the reason
            found.empty.append(given)
    return found


def _walk(
    top: Path,
    finder: SettingsFinder,
    gitignores: _GitIgnores | None,
    force_exclude: bool,
    unreadable: list[Unreadable],
) -> Iterable[str]:
    """The manifests below ``top``; a folder or file that may not be read is added to ``unreadable`` (as ruff's
    E902, as ``find`` says it), never skipped in silence: its manifests would pass unchecked."""
    if force_exclude and is_excluded(top, finder.for_folder(top), is_dir=True):
        return

    def skipped(path: Path, settings: Settings, is_dir: bool) -> bool:
        if is_excluded(path, settings, is_dir=is_dir):
            return True
        return gitignores is not None and gitignores.ignored(path, top, is_dir=is_dir)

    def failed(error: OSError) -> None:
        unreadable.append(Unreadable(_without_dot(os.fspath(error.filename)), f"cannot read: {reason(error)}"))

    for folder, folders, files in os.walk(top, onerror=failed):
        here = Path(folder)
        settings = finder.for_folder(here)
        folders[:] = sorted(f for f in folders if not skipped(here / f, settings, True))
        for file in sorted(files):
            named = os.path.join(folder, file)
            if (
                file.lower().endswith(MANIFEST_SUFFIXES)
                and not skipped(here / file, settings, False)
                and _regular_file(named, failed)
            ):
                yield _without_dot(named)


_GONE = frozenset((errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EBADF))
"""What makes a walked name no file to read, as ``Path.is_file`` reads it: a dangling link, a link loop."""


def _regular_file(path: str, failed: Callable[[OSError], None]) -> bool:
    """Whether a walked ``path`` is a regular file (a FIFO named ``x.json`` would block a read forever); one
    that cannot be looked at (a folder that may be listed but not entered), or a link that leads nowhere
    (its manifest moved: ruff says E902 for it), is ``failed``, not passed over. A file gone since the
    folder was listed is passed over."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError as error:
        if error.errno not in _GONE:
            failed(error)
        elif os.path.islink(path):
            failed(_BrokenLink(path))
        return False


class _BrokenLink(OSError):
    """A walked link whose target does not exist, or that leads to a loop of links; its text says which."""

    def __init__(self, path: str) -> None:
        target = os.readlink(path)
        looped = os.path.lexists(os.path.join(os.path.dirname(path), target))
        why = "a loop of links" if looped else f"{target!r}, which does not exist"
        super().__init__(None, f"the link leads to {why}", path)


_DOT = tuple({f"{os.curdir}/", f"{os.curdir}{os.sep}"})


def _without_dot(path: str) -> str:
    """A found file as ruff names it, from the current folder without ``./`` (``lint`` walks ``.``; ``lint ./data``
    finds ``data/x.json``); a file named on the command line keeps the name it was given."""
    while path.startswith(_DOT):
        path = path[2:]
    return path
