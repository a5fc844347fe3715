"""Read the headers of a manifest's files, many at once: for ``verify --metadata`` and ``probe``.

Each URL is read once (a URL in two items is one file) through ranged reads
(``ranged.py``) and ``media.py``, with bounded concurrency, retries with
back-off when a store throttles, and one request and byte budget for the run:
what the budget leaves unread is reported (MT938), never guessed. Results are
appended to an optional cache file (JSON lines keyed by URL, with the object's
ETag and size), so an interrupted run resumes without reading a file twice, and
a run can be split over machines with ``shard=(i, n)`` (deterministic by URL);
the shards' cache files merge into one report and one manifest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from manifest_tools.cloud.ranged import Budget, ObjectStat, RangedFile, ReadError, StoreOptions, Stores
from manifest_tools.codes import Code
from manifest_tools.errors import ConfigError, ManifestToolsError
from manifest_tools.kinds import Kind
from manifest_tools.media import NotReadable, Probed, probe, require_probe_libraries
from manifest_tools.model import Item, Manifest
from manifest_tools.providers import locate_url
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.probe import mismatches, playability
from manifest_tools.rules.shared import url_extension


@dataclass(frozen=True, slots=True)
class ProbeOptions:
    """How to reach the stores, how hard to push them, and where results are kept."""

    stores: StoreOptions = field(default_factory=StoreOptions)
    concurrency: int = 8
    max_requests: int | None = None
    max_bytes: int | None = None
    retries: int = 4
    backoff: float = 0.5
    """Seconds before the first retry; doubled each time, with jitter."""
    cache: str | None = None
    """A JSON-lines file of results: read at the start, appended to as files are read."""
    merge: tuple[str, ...] = ()
    """Result files of sharded runs (their caches): the run reads nothing, it reports and fills from these."""
    shard: tuple[int, int] | None = None
    """(i, n): read only the URLs of shard i of n (1-based), chosen by a hash of the URL."""


@dataclass(slots=True)
class FileResult:
    """What reading one URL gave: a header, or why there is none."""

    url: str
    size: int | None = None
    etag: str | None = None
    probed: Probed | None = None
    unreadable: str | None = None
    """No library reads the content (MT937)."""
    not_probed: str | None = None
    """The header was not read: budget spent or the read failed (MT938)."""
    missing: bool = False
    """The store says there is no such object (MT901)."""
    requests: int = 0
    bytes_read: int = 0

    def to_json(self) -> dict[str, Any]:
        """The result as a results-file line: the URL only as a digest (a pre-signed URL's signature is a secret)."""
        data = dataclasses.asdict(self)
        data["url"] = url_digest(self.url)
        if self.probed is not None:
            data["probed"]["estimated"] = sorted(self.probed.estimated)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileResult:
        probed = data.get("probed")
        if isinstance(probed, dict):
            probed = Probed(
                **{
                    **probed,
                    "mime_types": tuple(probed["mime_types"]),
                    "estimated": frozenset(probed["estimated"]),
                    "alternatives": {k: tuple(v) for k, v in probed["alternatives"].items()},
                }
            )
        return cls(**{**data, "probed": probed})


_JITTER = random.Random()
"""Back-off jitter from a generator of our own: the threads must not draw from the host's global one."""


@dataclass(slots=True)
class ProbeStats:
    """Counts of a run, for the summary line and the benchmark."""

    urls: int = 0
    read: int = 0
    cached: int = 0
    not_probed: int = 0
    requests: int = 0
    bytes_read: int = 0
    bytes_total: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class ProbeRun:
    """Every URL's result, and the run's counts."""

    results: dict[str, FileResult] = field(default_factory=dict)
    stats: ProbeStats = field(default_factory=ProbeStats)


def url_digest(url: str) -> str:
    """What results files key a URL by: its SHA-256, so no signature or token is written to disk."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def shard_of(url: str, count: int) -> int:
    """The shard (1-based) of ``url`` among ``count``: the same on every machine and every run."""
    return int(url_digest(url)[:16], 16) % count + 1


def manifest_files(manifest: Manifest) -> Iterator[tuple[Item, str, str]]:
    """(item, URL field, URL) for every string URL of the manifest."""
    for item, name, url in manifest.urls():
        if isinstance(url, str) and url.strip():
            yield item, name, url.strip()


def probe_manifest(
    manifest: Manifest, options: ProbeOptions, progress: Callable[[ProbeStats], None] | None = None
) -> ProbeRun:
    """Read the header of every file ``manifest`` points at (of this shard)."""
    wanted: dict[str, Kind] = {}
    for item, _, url in manifest_files(manifest):
        if options.shard is None or shard_of(url, options.shard[1]) == options.shard[0]:
            wanted.setdefault(url, item.kind)
    return probe_urls(wanted, options, progress)


def probe_urls(
    wanted: dict[str, Kind], options: ProbeOptions, progress: Callable[[ProbeStats], None] | None = None
) -> ProbeRun:
    """Read the header of each URL (registered as its kind), within the options' budget."""
    offline = bool(options.merge)
    if not offline:
        require_probe_libraries()
    started = time.monotonic()
    run = ProbeRun()
    run.stats.urls = len(wanted)
    cached = _load_results((options.cache,)) if options.cache else {}
    missing = [path for path in options.merge if not Path(path).is_file()]
    if missing:  # a mistyped --merge would turn every file into "not probed"
        raise ConfigError(f"--merge {missing[0]}: no such results file")
    todo = _take_known(wanted, _load_results(options.merge), cached if offline else None, run)
    reader = _Reader(options, cached)
    lock = threading.Lock()

    def one(url: str) -> None:
        result, from_cache = reader.read(url, wanted[url])
        with lock:
            run.results[url] = result
            _count(run.stats, result, from_cache)
            if progress is not None:
                progress(run.stats)

    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        for _ in pool.map(one, todo):
            pass
    run.stats.not_probed = sum(1 for result in run.results.values() if result.not_probed)
    run.stats.seconds = time.monotonic() - started
    return run


def _take_known(
    wanted: dict[str, Kind], merged: dict[str, FileResult], offline: dict[str, FileResult] | None, run: ProbeRun
) -> list[str]:
    """Put the merged results (and when ``offline`` is given, the cached ones) into ``run``; the URLs left to read."""
    todo = []
    for url in wanted:
        known = merged.get(url_digest(url))
        if known is None and offline is not None:
            known = offline.get(url_digest(url)) or FileResult(url, not_probed="not in the merged results files")
        if known is None:
            todo.append(url)
            continue
        run.results[url] = dataclasses.replace(known, url=url)
        run.stats.cached += known.not_probed is None
    return todo


def _count(stats: ProbeStats, result: FileResult, from_cache: bool) -> None:
    if from_cache:
        stats.cached += 1
        stats.requests += 1  # the stat that showed the object unchanged
    else:
        stats.read += result.not_probed is None
        stats.requests += result.requests
        stats.bytes_read += result.bytes_read
        stats.bytes_total += result.size or 0


class _Reader:
    """Reads one URL's header at a time (from any thread), through the cache, the budget and retries."""

    def __init__(self, options: ProbeOptions, cached: dict[str, FileResult]) -> None:
        self.options, self.cached = options, cached
        self.stores = Stores(options.stores)
        self.budget = Budget(options.max_requests, options.max_bytes)
        self.cache_lock = threading.Lock()

    def read(self, url: str, kind: Kind) -> tuple[FileResult, bool]:
        """The URL's result, and whether it came from the cache."""
        attempt = 0
        while True:
            try:
                return self._read_once(url, kind)
            except ReadError as error:
                if not error.retryable or attempt >= self.options.retries:
                    return FileResult(url, not_probed=f"the read failed: {error}", missing=error.missing), False
                time.sleep(self.options.backoff * 2**attempt * (0.5 + _JITTER.random()))
                attempt += 1
            except ManifestToolsError as error:  # the budget is spent, or the store's SDK is missing
                return FileResult(url, not_probed=str(error)), False

    def _read_once(self, url: str, kind: Kind) -> tuple[FileResult, bool]:
        backend = self.stores.backend(url)
        hit = self.cached.get(url_digest(url))
        stat = None
        if hit is not None:  # one stat tells whether the object is still the one the cache read
            self.budget.charge(0)
            stat = backend.stat()
            if _same_object(hit, stat):
                return dataclasses.replace(hit, url=url), True
        file = RangedFile(backend, stat, budget=self.budget)
        result = FileResult(url, file.size, file.stat.etag)
        try:
            result.probed = probe(file, url_extension(url), file.size, kind)
        except NotReadable as error:
            result.unreadable = str(error)
        if file.error is not None:  # a read failed half-way: retried or reported by read(), never cached
            raise file.error
        result.requests, result.bytes_read = file.requests + (stat is not None), file.bytes_read
        self._remember(result)
        return result, False

    def _remember(self, result: FileResult) -> None:
        if self.options.cache is None:
            return
        line = json.dumps(result.to_json(), ensure_ascii=False) + "\n"
        with self.cache_lock, open(self.options.cache, "a", encoding="utf-8") as cache:
            cache.write(line)


def _same_object(result: FileResult, stat: ObjectStat) -> bool:
    """A cached result is of this object when the ETag (where the store has one) and the size agree."""
    return result.size == stat.size and (result.etag == stat.etag or stat.etag is None)


def _load_results(paths: Iterable[str | None]) -> dict[str, FileResult]:
    """Results from JSON-lines files by URL digest (a later line wins); a torn last line is ignored."""
    results: dict[str, FileResult] = {}
    for path in paths:
        if path is None or not Path(path).exists():
            continue
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    result = FileResult.from_json(json.loads(line))
                except (ValueError, TypeError, KeyError) as error:
                    if line.endswith("\n"):
                        raise ConfigError(f"{path}:{number}: not a probe result ({error})") from None
                    continue  # the last line of an interrupted run
                if result.not_probed is None:
                    results[result.url] = result
    return results


def findings(manifest: Manifest, run: ProbeRun, *, sizes_listed: bool) -> Iterator[Finding]:
    """MT93x and MT94x findings for every URL of ``manifest`` that ``run`` holds a result for.

    ``sizes_listed``: verify compared bucket objects' sizes already (MT902); only
    direct-access URLs' fileSize is compared here then.
    """
    for item, name, url in manifest_files(manifest):
        result = run.results.get(url)
        if result is None:
            continue  # another shard's
        pointer = f"{item.pointer}/{name}"
        if result.missing:
            yield Finding(Code.MT901, f"no such object: {result.not_probed}", pointer)
        elif result.not_probed is not None:
            yield Finding(Code.MT938, f"not probed: {result.not_probed}", pointer)
        elif result.unreadable is not None:
            article = "an" if item.kind.label[0] in "aeiou" else "a"
            yield Finding(Code.MT937, f"unreadable as {article} {item.kind.label}: {result.unreadable}", pointer)
        elif result.probed is not None:
            yield from playability(result.probed, item.kind, url_extension(url), pointer)
            if not item.kind.multi_file:
                direct = locate_url(url).provider == "direct"
                yield from mismatches(
                    item.kind, item.fields, result.probed, item.pointer, sizes=direct or not sizes_listed
                )


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` with 1 <= I <= N."""
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise ConfigError(f"--shard {text}: write I/N with 1 <= I <= N (for example 2/8)")
    return int(index), int(count)


def parse_local_roots(values: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``BASE=DIR`` pairs: URLs under BASE are read from the folder DIR."""
    roots = []
    for value in values:
        base, separator, folder = value.partition("=")
        if not separator or "://" not in base or not Path(folder).is_dir():
            raise ConfigError(f"--local {value}: write URL-BASE=FOLDER with an existing folder")
        roots.append((base, folder))
    return tuple(roots)
