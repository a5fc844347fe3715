"""``verify``: does every URL of a manifest point at an object that exists (with the size its metadata says)?

URLs are grouped by store and folder, and each folder is listed once (one
level, with a / delimiter): a manifest of a million frames in a few thousand
folders costs a few thousand listing pages, not a million requests. Direct
access URLs are checked with HEAD requests, bounded in number, concurrency and
rate. Findings are diagnostics at each URL's line and column (MT9xx).
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from manifest_tools.cloud.listers import FolderLister, ObjectInfo, location_lister
from manifest_tools.cloud.ranged import ReadError, local_path
from manifest_tools.cloud.urls import Location, locate_url, url_key
from manifest_tools.errors import SourceError
from manifest_tools.kinds import FILE_SIZE
from manifest_tools.model import Manifest
from manifest_tools.report.diagnostic import Finding

if TYPE_CHECKING:
    from manifest_tools.cloud.probe import ProbeOptions, ProbeStats


@dataclass(frozen=True, slots=True)
class VerifyOptions:
    region: str | None = None
    endpoint_url: str | None = None
    max_head: int = 1000
    head_concurrency: int = 8
    head_per_second: float = 20.0
    timeout: float = 10.0
    metadata: ProbeOptions | None = None
    """Also read each file's header and compare it with the item's metadata block (``--metadata``)."""


@dataclass(slots=True)
class _Wanted:
    pointer: str
    key: str
    size: int | None
    size_pointer: str


@dataclass(slots=True)
class VerifyStats:
    urls: int = 0
    listed_folders: int = 0
    head_requests: int = 0
    findings: list[Finding] = field(default_factory=list)
    probed: ProbeStats | None = None


def _expected_sizes(manifest: Manifest) -> Iterator[tuple[str, str, int | None, str]]:
    """(pointer, url, fileSize from the metadata block or None, pointer of that fileSize) per string URL."""
    for item, name, url in manifest.urls():
        if not isinstance(url, str):
            continue
        size, size_pointer = None, ""
        block = item.kind.metadata
        if block is not None and not item.kind.multi_file and isinstance(item.fields.get(block.key), dict):
            values = item.fields[block.key]
            spelling = FILE_SIZE.spelling_in(values) or FILE_SIZE.name
            value = values.get(spelling)
            if isinstance(value, int) and not isinstance(value, bool):
                size, size_pointer = value, f"{item.pointer}/{block.key}/{spelling}"
        yield f"{item.pointer}/{name}", url.strip(), size, size_pointer


def verify(manifest: Manifest, options: VerifyOptions | None = None) -> VerifyStats:
    """Check every URL of ``manifest``; findings are in the result's ``findings``."""
    options = options or VerifyOptions()
    stats = VerifyStats()
    stores: dict[tuple[str, str, str], tuple[Location, dict[str, list[_Wanted]]]] = {}
    direct: list[tuple[str, str]] = []
    local = options.metadata.stores.local_roots if options.metadata is not None else ()
    for pointer, url, size, size_pointer in _expected_sizes(manifest):
        stats.urls += 1
        if local and _served_locally(url, local):
            continue  # served from a folder: the probe reads it (and reports it when missing)
        location = locate_url(url)
        key = url_key(location)
        if location.provider == "direct" or location.bucket is None or key is None:
            direct.append((pointer, url))
            continue
        store = (location.provider, location.account or "", location.bucket)
        folder = key.rsplit("/", 1)[0] + "/" if "/" in key else ""
        stores.setdefault(store, (location, {}))[1].setdefault(folder, []).append(
            _Wanted(pointer, key, size, size_pointer)
        )
    for (provider, _, bucket), (location, folders) in stores.items():
        _verify_store(provider, bucket, location, folders, options, stats)
    if options.metadata is None:
        _verify_direct(direct, options, stats)
    # with --metadata the probe's ranged GET reads direct URLs (and says when one is missing): a HEAD
    # would cost a request more, and pre-signed URLs are signed for GET only
    if options.metadata is not None:
        from manifest_tools.cloud.probe import findings, probe_manifest

        run = probe_manifest(manifest, options.metadata)
        absent = {f.pointer for f in stats.findings if f.code in ("MT901", "MT903")}
        stats.findings.extend(f for f in findings(manifest, run, sizes_listed=True) if f.pointer not in absent)
        stats.probed = run.stats
    return stats


def _served_locally(url: str, roots: tuple[tuple[str, str], ...]) -> bool:
    try:
        return local_path(url, roots) is not None
    except ReadError:  # under a local root but outside its folder: the probe reports it
        return True


def _lister(provider: str, bucket: str, location: Location, options: VerifyOptions) -> FolderLister:
    return location_lister(location, options.region, options.endpoint_url)  # type: ignore[return-value]


def _verify_store(
    provider: str,
    bucket: str,
    location: Location,
    folders: dict[str, list[_Wanted]],
    options: VerifyOptions,
    stats: VerifyStats,
) -> None:
    try:
        lister = _lister(provider, bucket, location, options)
    except SourceError as error:
        _unreachable(folders, str(error), stats)
        return
    for folder, wanted in folders.items():
        try:
            found = {info.key: info for info in lister.folder(folder)}
        except SourceError as error:
            _unreachable({folder: wanted}, str(error), stats)
            continue
        stats.listed_folders += 1
        for entry in wanted:
            info = found.get(entry.key) or found.get(entry.key.replace("+", " "))
            _compare(entry, info, location, folder, len(found), stats)


def _compare(
    entry: _Wanted, info: ObjectInfo | None, location: Location, folder: str, listed: int, stats: VerifyStats
) -> None:
    where = f"{location.describe} {location.bucket}/{folder}"
    if info is None:
        stats.findings.append(
            Finding("MT901", f"no object {entry.key!r} in {where} (the folder holds {listed:,} objects)", entry.pointer)
        )
    elif entry.size is not None and info.size != entry.size:
        stats.findings.append(
            Finding(
                "MT902",
                f"fileSize says {entry.size:,} bytes but {entry.key!r} has {info.size:,}",
                entry.size_pointer,
            )
        )


def _unreachable(folders: dict[str, list[_Wanted]], reason: str, stats: VerifyStats) -> None:
    wanted = [entry for entries in folders.values() for entry in entries]
    if wanted:
        more = f" ({len(wanted) - 1:,} more URLs there not checked)" if len(wanted) > 1 else ""
        stats.findings.append(Finding("MT903", f"{reason}{more}", wanted[0].pointer))


def _verify_direct(direct: list[tuple[str, str]], options: VerifyOptions, stats: VerifyStats) -> None:
    checked, skipped = direct[: options.max_head], direct[options.max_head :]
    gate = _RateGate(options.head_per_second)

    def head(url: str) -> tuple[int | None, str]:
        gate.wait()
        request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "manifest-tools verify"})
        try:
            with urllib.request.urlopen(request, timeout=options.timeout) as response:
                return int(response.status), ""
        except urllib.error.HTTPError as error:
            return int(error.code), str(error.reason)
        except (urllib.error.URLError, OSError, ValueError) as error:
            return None, str(getattr(error, "reason", error))

    with ThreadPoolExecutor(max_workers=options.head_concurrency) as pool:
        results = list(pool.map(head, [url for _, url in checked]))
    stats.head_requests += len(checked)
    for (pointer, url), (status, reason) in zip(checked, results, strict=True):
        if status is None:
            stats.findings.append(Finding("MT903", f"no answer from {url}: {reason}", pointer))
        elif status in (404, 410):
            stats.findings.append(Finding("MT901", f"{url} answers {status} {reason}".rstrip(), pointer))
        elif status >= 400:
            stats.findings.append(Finding("MT903", f"{url} answers {status} {reason}".rstrip(), pointer))
    for pointer, url in skipped:
        stats.findings.append(Finding("MT904", f"not checked (over --max-head {options.max_head:,}): {url}", pointer))


class _RateGate:
    """At most ``per_second`` calls to ``wait`` return per second, across threads."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_time = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            delay = self.next_time - now
            self.next_time = max(now, self.next_time) + self.interval
        if delay > 0:
            time.sleep(delay)
