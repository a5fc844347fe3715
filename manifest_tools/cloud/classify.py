"""Turn a stream of listed objects into manifest items: classify by extension, group by folder.

Listings keep every folder's keys together, so a folder's group is complete as
soon as the listing moves past the folder: groups are flushed then, and memory
holds only the folders still open (at most one path deep), not the bucket.
Single files wait with their folder too, so that they come out in the order a
group holds its frames (natural order: frame2 before frame10), not the listing's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from manifest_tools.discovery import matches_key
from manifest_tools.kinds import (
    CREATE_VIDEO,
    KINDS_BY_KEY,
    MAX_SEQUENCE_FRAMES,
    OBJECT_URL,
    TIFF_EXTENSIONS,
    TITLE,
    Kind,
    extension_owner,
    file_extension,
)
from manifest_tools.providers import ObjectInfo


def classify(key: str) -> Kind | None:
    """The kind of an object by its extension (``kinds.extension_owner``: mp4 counts as video), or None.

    Scene files are left out: a scene is registered as a scene object, which a listing cannot build."""
    kind = extension_owner(file_extension(key.rsplit("/", 1)[-1]))
    return None if kind is None or kind.scene else kind


def natural_key(text: str) -> list[Any]:
    """Sort key that puts frame2 before frame10."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


@dataclass(frozen=True, slots=True)
class GroupingOptions:
    images_as: str = "single"  # single | groups | sequences
    dicom_series_by: str = "folder"
    include: tuple[str, ...] = ()
    """Gitignore-style patterns over the keys below the listed folder (as the ``exclude`` setting): only these."""
    exclude: tuple[str, ...] = ()
    kinds: frozenset[str] = frozenset()
    max_frames: int = MAX_SEQUENCE_FRAMES


@dataclass(slots=True)
class Counts:
    listed: int = 0
    skipped_unknown: int = 0
    skipped_filtered: int = 0
    skipped_tiff_in_sequence: int = 0
    items: dict[str, int] = field(default_factory=dict)
    urls: int = 0


@dataclass(slots=True)
class _Folder:
    kind: Kind
    objects: list[tuple[str, str]] = field(default_factory=list)  # (key, url)


Item = tuple[Kind, dict[str, Any]]

Skipped = Callable[[str, str], None]
"""Told of each object left out: its key and why (``generate --show-skipped``)."""

UNKNOWN_TYPE = "of a type no kind lists"
TIFF_IN_SEQUENCE = "TIFF, which image sequences cannot hold"


class Grouper:
    """Feed objects in listing order; get items, groups emitted once their folder is complete."""

    def __init__(
        self,
        options: GroupingOptions,
        url: Callable[[str], str],
        prefix: str,
        counts: Counts,
        *,
        root_title: str,
        skipped: Skipped | None = None,
    ) -> None:
        self.options, self.url, self.prefix, self.counts = options, url, prefix, counts
        self.root_title = root_title
        self.skipped = skipped or _ignore
        self.root = prefix.rsplit("/", 1)[0] + "/" if "/" in prefix else ""
        """The folder the listing starts in: --include and --exclude patterns are relative to it."""
        self.open: dict[tuple[str, str], _Folder] = {}

    def feed(self, info: ObjectInfo) -> Iterator[Item]:
        self.counts.listed += 1
        key = info.key
        folder = key.rsplit("/", 1)[0] + "/" if "/" in key else ""
        yield from self._close_folders_not_containing(folder)
        if key.endswith("/"):
            return  # a folder marker, not an object
        kind = classify(key)
        if kind is None:
            self.counts.skipped_unknown += 1
            self.skipped(key, UNKNOWN_TYPE)
            return
        unwanted = self._unwanted(key, kind)
        if unwanted is not None:
            self.counts.skipped_filtered += 1
            self.skipped(key, unwanted)
            return
        grouped = self._group_kind(kind)
        if grouped is None:  # a single file, held with its folder's others to come out in the groups' order
            self.open.setdefault((folder, kind.key), _Folder(kind)).objects.append((key, self.url(key)))
            return
        if grouped.create_video and self.options.images_as == "sequences" and file_extension(key) in TIFF_EXTENSIONS:
            self.counts.skipped_tiff_in_sequence += 1
            self.skipped(key, TIFF_IN_SEQUENCE)
            return
        self.open.setdefault((folder, grouped.key), _Folder(grouped)).objects.append((key, self.url(key)))

    def finish(self) -> Iterator[Item]:
        yield from self._close_folders_not_containing(None)

    def _unwanted(self, key: str, kind: Kind) -> str | None:
        """Why --kind, --include or --exclude leave the object out, or None to keep it."""
        options = self.options
        if (
            options.kinds
            and kind.key not in options.kinds
            and not (kind.grouped_as and options.images_as != "single" and kind.grouped_as in options.kinds)
        ):
            return f"{kind.key} is not among --kind {','.join(sorted(options.kinds))}"
        relative = key[len(self.root) :] if key.startswith(self.root) else key
        if options.include and not matches_key(options.include, relative):
            return "no --include pattern matches it"
        if matches_key(options.exclude, relative):
            return "an --exclude pattern matches it"
        return None

    def _group_kind(self, kind: Kind) -> Kind | None:
        if kind.grouped_as and self.options.images_as in ("groups", "sequences"):
            return KINDS_BY_KEY[kind.grouped_as]
        return kind if kind.multi_file else None

    def _close_folders_not_containing(self, folder: str | None) -> Iterator[Item]:
        """Flush the open folders that ``folder`` is not inside (all of them for None), innermost first."""
        closing = [key for key in self.open if folder is None or not folder.startswith(key[0])]
        for open_folder, kind_key in sorted(closing, key=lambda key: -len(key[0])):
            yield from self._flush(open_folder, self.open.pop((open_folder, kind_key)))

    def _flush(self, folder: str, group: _Folder) -> Iterator[Item]:
        frames = sorted(group.objects, key=lambda entry: natural_key(entry[0]))
        if not group.kind.multi_file:  # single files: one item each, in the order a group holds its frames
            for _, url in frames:
                yield self._emit(group.kind, {OBJECT_URL: url}, 1)
            return
        title = self._title(folder)
        sequence = group.kind.create_video and self.options.images_as == "sequences"
        chunk = self.options.max_frames if sequence else max(len(frames), 1)
        chunks = [frames[start : start + chunk] for start in range(0, len(frames), chunk)]
        for number, part in enumerate(chunks, start=1):
            fields: dict[str, Any] = {TITLE: title if len(chunks) == 1 else f"{title} (part {number})"}
            if group.kind.create_video:
                fields[CREATE_VIDEO] = self.options.images_as == "sequences"
            for position, (_, url) in enumerate(part):
                fields[f"{OBJECT_URL}_{position}"] = url
            yield self._emit(group.kind, fields, len(part))

    def _title(self, folder: str) -> str:
        """The folder's path below the listed prefix, or its own name when it is the prefix."""
        path = folder.rstrip("/")
        base = self.prefix.rstrip("/")
        relative = path[len(base) :].lstrip("/") if base and path.startswith(base) else path
        return relative or path.rsplit("/", 1)[-1] or self.root_title

    def _emit(self, kind: Kind, fields: dict[str, Any], urls: int) -> Item:
        self.counts.items[kind.key] = self.counts.items.get(kind.key, 0) + 1
        self.counts.urls += urls
        return kind, fields


def _ignore(_key: str, _why: str) -> None:
    """Without ``--show-skipped``: skipped objects are only counted."""
