"""Write files so that a crash, a full disk or Ctrl-C never leaves a user's file half-written.

The one place that replaces a user's file. Every output path is checked first
(:func:`output_target`): a symlink is written through to its target, anything
that is not a regular file (a FIFO, a device, a folder) is refused, and a
missing folder is a sentence, not a traceback. New files follow the umask like
any other tool's output; a replaced file keeps its permission bits.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from manifest_tools.errors import OutputError

_REASONS = {
    errno.ENOENT: "folder does not exist",
    errno.ENOTDIR: "a folder in the path is a file",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.EISDIR: "is a folder",
    errno.EPIPE: "the reader closed the pipe",
}


def reason(error: OSError) -> str:
    """A short sentence for an operating-system error, without the Python decoration."""
    known = _REASONS.get(error.errno or 0)
    return known or (error.strerror or str(error)).lower()


@contextlib.contextmanager
def output_errors(path: str | os.PathLike[str]) -> Iterator[None]:
    """Turn any OSError of the block into ``OutputError("PATH: reason")``."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"{os.fspath(path)}: {reason(error)}") from None


def output_target(path: str | os.PathLike[str]) -> Path:
    """The regular file that writing ``path`` would replace: symlinks followed, anything else refused.

    Raises OutputError when the folder does not exist or the path (or what its link
    points at) is a FIFO, a device, a socket or a folder: replacing those with a
    regular file would destroy them (``-o /dev/null`` as root). An existing file the
    user may not write is refused too, as ruff and black refuse it: the rename beside
    it would replace a write-protected file, or take over one that belongs to someone else.
    """
    shown = os.fspath(path)
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode  # through links, /proc's too: /dev/stderr's target is a pipe, not a path
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise OutputError(f"{shown}: {reason(error)}") from None
    if mode is not None and not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO, device or socket)"
        raise OutputError(f"{shown}: is {what}; write to a regular file")
    if mode is not None and not os.access(target, os.W_OK):
        raise OutputError(f"{shown}: permission denied: the file cannot be written")
    if not os.path.isdir(target.parent):
        missing = "folder does not exist" if not os.path.exists(target.parent) else "a folder in the path is a file"
        raise OutputError(f"{shown}: {missing}")
    return target


def new_file_mode() -> int:
    """The permission bits a new file gets from ``open()`` under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_text_file(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A UTF-8 text file that replaces ``path`` only once it is completely written and on disk.

    Written to a temporary file beside the target (a symlink's target) and renamed
    over it; an existing file keeps its permission bits, a new one follows the
    umask; on any error the temporary file is removed and the target is untouched.
    Operating-system errors become :class:`OutputError`.
    """
    target = output_target(path)
    with output_errors(path):
        exists = os.path.exists(target)
        mode = stat.S_IMODE(target.stat().st_mode) if exists else new_file_mode()
        handle, temporary = _temporary_beside(path, target, exists)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _temporary_beside(path: str | os.PathLike[str], target: Path, exists: bool) -> tuple[int, str]:
    """A new temporary file in ``target``'s folder; a folder that may not be written is said so, since the
    file itself may well be writable (``fix`` of a writable file in a read-only folder said only
    ``permission denied``); ``exists``: whether the target is there to be replaced."""
    try:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except PermissionError as error:
        shown = os.fspath(path)
        given = os.path.dirname(shown) or os.curdir
        folder = given if os.path.realpath(given) == os.fspath(target.parent) else os.fspath(target.parent)
        how = "beside the old, then replaces it" if exists else "there, then takes its name"
        raise OutputError(
            f"{shown}: {reason(error)}: the folder {folder} cannot be written (the new text goes to a temporary file"
            f" {how})"
        ) from None


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with ``text`` atomically (see :func:`atomic_text_file`)."""
    with atomic_text_file(path) as out:
        out.write(text)


class StagedFiles:
    """A set of new files written aside (a hidden folder beside them) and moved in together.

    For outputs of several files (split parts, generated parts): either all of them
    appear or none does, whatever fails or is interrupted on the way.
    """

    def __init__(self, folder: Path, stage: Path) -> None:
        self.folder, self.stage = folder, stage
        self.staged: list[Path] = []

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[IO[str]]:
        """A new text file that will be called ``folder/name`` once committed."""
        path = self.stage / name
        with output_errors(self.folder / name), path.open("x", encoding="utf-8", newline="\n") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        self.staged.append(path)

    def commit(self, remove: list[Path] | None = None) -> list[Path]:
        """Move every staged file into place, replacing the set ``remove`` (an earlier split's parts).

        The old files are first moved into the stage (same folder, so a rename), to be deleted with
        it; if any move fails, the new files are taken out and the old ones put back: the folder
        holds either the old set or the new one, never a mix or neither. An old file the user may not
        write (mode 444, someone else's) is refused, as a fix of it is: the rename would take it over. A
        link is moved as a file is (the link, not what it points at): one that points at nothing was
        refused as "permission denied" (``os.access`` of nothing), and nothing is ever written through it.
        """
        for old in remove or []:  # before any move: nothing to put back
            if os.path.exists(old) and not os.access(old, os.W_OK):
                raise OutputError(f"{old}: permission denied: the file cannot be written, so it is not replaced")
        moved: list[Path] = []
        kept: list[tuple[Path, Path]] = []
        with output_errors(self.folder):
            try:
                for index, old in enumerate(remove or []):
                    if os.path.lexists(old):
                        aside = self.stage / f".old-{index}"
                        os.replace(old, aside)
                        kept.append((aside, old))
                for path in self.staged:
                    final = self.folder / path.name
                    os.replace(path, final)
                    moved.append(final)
            except BaseException:
                for final in moved:
                    with contextlib.suppress(OSError):
                        final.unlink()
                for aside, old in kept:
                    with contextlib.suppress(OSError):
                        os.replace(aside, old)
                raise
        return moved


@contextlib.contextmanager
def staged_files(folder: str | os.PathLike[str], prefix: str) -> Iterator[StagedFiles]:
    """A :class:`StagedFiles` for ``folder``; its hidden stage is removed whatever happens."""
    where = Path(folder)
    if not where.is_dir():
        raise OutputError(
            f"{os.fspath(folder)}: {'folder does not exist' if not where.exists() else 'is not a folder'}"
        )
    with output_errors(folder):
        stage = Path(tempfile.mkdtemp(prefix=f".{prefix}.", suffix=".tmp", dir=where))
    try:
        yield StagedFiles(where, stage)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def same_file(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """True when both paths name one existing file (through links too): writing one would clobber the other."""
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist (yet)
        return False
