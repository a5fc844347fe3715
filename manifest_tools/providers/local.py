"""A local folder, listed for ``generate`` (direct-access hosting with --url-base, and tests), and read
for ``probe`` when a folder serves a base URL (``--local BASE=DIR``). Its URLs are direct access: it
recognises none."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from manifest_tools.errors import SourceError
from manifest_tools.providers.base import (
    ListerOptions,
    Location,
    ObjectInfo,
    ObjectStat,
    Provider,
    ReadError,
    Source,
    base_url,
    stat_then_read,
)


def locate(host: str, path: str) -> Location | None:
    return None


def parse_source(text: str) -> Source | None:
    """A folder: any source without a scheme (tried last)."""
    if "://" in text:
        return None
    path = Path(text)
    if not path.is_dir():
        raise SourceError(f"{text}: no such folder")
    return Source("local", str(path))


def file_under(folder: str | Path, key: str, what: str) -> Path:
    """The file ``key`` (/-separated) names in ``folder``; a key that climbs out (``../``) names none."""
    root = Path(folder).resolve()
    path = Path(root, *key.split("/")).resolve()
    if not path.is_relative_to(root):  # ../ in a URL or key must not read files outside the folder
        raise ReadError(f"{what}: the path leaves the folder {folder}", missing=True)
    return path


def served_path(url: str, roots: tuple[tuple[str, str], ...]) -> Path | None:
    """The file that serves ``url`` when it lies under one of the (URL base, folder) ``roots``."""
    for base, folder in roots:
        prefix = base.rstrip("/") + "/"
        if url.startswith(prefix):
            return file_under(folder, unquote(url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]), url)
    return None


class FileReader:
    """Byte ranges of a file on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def stat(self) -> ObjectStat:
        try:
            return ObjectStat(self.path.stat().st_size)
        except OSError as error:
            missing = isinstance(error, FileNotFoundError)
            raise ReadError(f"{self.path}: {error.strerror or error}", missing=missing) from None

    def read(self, start: int, length: int) -> bytes:
        try:
            with self.path.open("rb") as file:
                file.seek(start)
                return file.read(length)
        except OSError as error:
            raise ReadError(f"{self.path}: {error.strerror or error}") from None

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        return stat_then_read(self, length)


class LocalLister:
    """A folder, depth-first and sorted (every folder's keys are contiguous, which grouping relies on)."""

    def __init__(self, source: Source, options: ListerOptions) -> None:
        if not options.url_base:
            raise SourceError("a local folder needs --url-base (where the files are served, https://...)")
        self.root, self.options = Path(source.bucket), options

    def objects(self) -> Iterator[ObjectInfo]:
        for folder, folders, files in os.walk(self.root):
            folders.sort()
            relative = Path(folder).relative_to(self.root).as_posix()
            for name in sorted(files):
                key = name if relative == "." else f"{relative}/{name}"
                yield ObjectInfo(key, (Path(folder) / name).stat().st_size)

    def folder(self, prefix: str) -> Iterator[ObjectInfo]:
        """The files directly in ``prefix`` (its folder part, then names starting with the rest), sorted."""
        directory, _, start = prefix.rpartition("/")
        try:
            entries = sorted(os.scandir(Path(self.root, *directory.split("/"))), key=lambda entry: entry.name)
            found = [
                ObjectInfo(f"{directory}/{entry.name}" if directory else entry.name, entry.stat().st_size)
                for entry in entries
                if entry.name.startswith(start) and entry.is_file()
            ]
        except (FileNotFoundError, NotADirectoryError):
            return  # as a store answers for a prefix that holds nothing
        except OSError as error:
            raise SourceError(f"{Path(self.root, directory)}: {error.strerror or error}") from None
        yield from found

    def url(self, key: str) -> str:
        return base_url(self.options.url_base or "", key)

    def reader(self, key: str) -> FileReader:
        return FileReader(file_under(self.root, key, key))


def lister(source: Source, options: ListerOptions) -> LocalLister:
    return LocalLister(source, options)


PROVIDER = Provider(name="local", title="a local folder", locate=locate, parse_source=parse_source, lister=lister)
