"""A local folder, listed for ``generate`` (direct-access hosting with --url-base, and tests). Its URLs
are direct access: it recognises none."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from manifest_tools.errors import SourceError
from manifest_tools.providers.base import ListerOptions, Location, ObjectInfo, Provider, Source, base_url


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

    def url(self, key: str) -> str:
        return base_url(self.options.url_base or "", key)


def lister(source: Source, options: ListerOptions) -> LocalLister:
    return LocalLister(source, options)


PROVIDER = Provider(name="local", title="a local folder", locate=locate, parse_source=parse_source, lister=lister)
