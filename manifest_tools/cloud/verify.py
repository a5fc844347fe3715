"""``verify``: does every URL of a manifest point at an object that exists (with the size its metadata says)?

URLs are grouped by store and folder, and each folder is listed once (one
level, with a / delimiter): a manifest of a million frames in a few thousand
folders costs a few thousand listing pages, not a million requests. Direct
access URLs are checked with HEAD requests, bounded in number, concurrency and
rate (their Content-Length, when given, is the size compared). Findings are
diagnostics at each URL's line and column (MT9xx).

What stops every check of a run (the provider's extra not installed, no
credentials) is not a finding per folder: it raises CannotVerify, one line for the
user. A host that cannot be reached (an unknown name, a refused connection) is one MT903
for all of its URLs, not one per folder or object.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from manifest_tools.cloud.ranged import ReadError, local_path
from manifest_tools.codes import Code
from manifest_tools.errors import CannotVerify, SourceError
from manifest_tools.kinds import FILE_SIZE
from manifest_tools.model import Manifest
from manifest_tools.providers import Lister, Location, ObjectInfo, locate_url, location_lister, url_key
from manifest_tools.providers.direct import HeadAnswer, HostDown
from manifest_tools.providers.direct import head as head_request
from manifest_tools.report.diagnostic import Finding
from manifest_tools.wording import plural

if TYPE_CHECKING:
    from manifest_tools.cloud.probe import ProbeOptions, ProbeStats


_NO_CREDENTIALS = frozenset(
    {
        "NoCredentialsError",  # botocore
        "PartialCredentialsError",  # botocore
        "DefaultCredentialsError",  # google-auth
        "CredentialUnavailableError",  # azure-identity
        "ClientAuthenticationError",  # azure-core: the credential was refused or could not get a token
    }
)
"""The SDKs' exceptions for missing or refused credentials, by name: the SDKs are optional, not imported here."""

_UNREACHABLE = frozenset({"EndpointConnectionError", "ServiceRequestError", "ConnectionError", "NewConnectionError"})
"""The SDKs' exceptions for a host that cannot be reached (unknown name, refused connection), by name."""


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and what it was raised from or while handling (the SDK's own exception, under our SourceError)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _any_named(error: BaseException, names: frozenset[str]) -> bool:
    return any(type(link).__name__ in names for link in _chain(error))


def _cannot_verify(error: BaseException, where: str) -> CannotVerify | None:
    """The run-stopping reading of a store's error (a missing extra, no credentials), else None."""
    if any(isinstance(link, ImportError) for link in _chain(error)):
        return CannotVerify(str(error))
    if _any_named(error, _NO_CREDENTIALS):
        return CannotVerify(
            f"{where}: no usable credentials ({str(error).strip() or type(error).__name__}): set up the provider's"
            " usual credentials (environment variables, a profile, a connection string) and run again"
        )
    return None


def _unreachable_host(error: BaseException) -> bool:
    """The store's host did not answer at all: its other folders would fail the same way."""
    return any(isinstance(link, (socket.gaierror, ConnectionError)) for link in _chain(error)) or _any_named(
        error, _UNREACHABLE
    )


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
    direct: list[_Wanted] = []
    local = options.metadata.stores.local_roots if options.metadata is not None else ()
    for pointer, url, size, size_pointer in _expected_sizes(manifest):
        stats.urls += 1
        if local and _served_locally(url, local):
            continue  # served from a folder: the probe reads it (and reports it when missing)
        location = locate_url(url)
        key = url_key(location)
        if location.provider == "direct" or location.bucket is None or key is None:
            direct.append(_Wanted(pointer, url, size, size_pointer))
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
        absent = {f.pointer for f in stats.findings if f.code in (Code.MT901, Code.MT903)}
        stats.findings.extend(f for f in findings(manifest, run, sizes_listed=True) if f.pointer not in absent)
        stats.probed = run.stats
    return stats


def _served_locally(url: str, roots: tuple[tuple[str, str], ...]) -> bool:
    try:
        return local_path(url, roots) is not None
    except ReadError:  # under a local root but outside its folder: the probe reports it
        return True


def _lister(provider: str, bucket: str, location: Location, options: VerifyOptions) -> Lister:
    return location_lister(location, options.region, options.endpoint_url)


def _verify_store(
    provider: str,
    bucket: str,
    location: Location,
    folders: dict[str, list[_Wanted]],
    options: VerifyOptions,
    stats: VerifyStats,
) -> None:
    where = f"{location.describe} {bucket}"
    try:
        lister = _lister(provider, bucket, location, options)
    except Exception as error:  # the SDKs raise their own exceptions too (google-auth's, for one)
        stop = _cannot_verify(error, where)
        if stop is not None:
            raise stop from None
        if not isinstance(error, SourceError):
            raise
        _unreachable(folders, str(error), stats)
        return
    pending = list(folders.items())
    for index, (folder, wanted) in enumerate(pending):
        try:
            found = {info.key: info for info in lister.folder(folder)}
        except Exception as error:  # a listing can end in an SDK's own exception (a connection error)
            stop = _cannot_verify(error, where)
            if stop is not None:
                raise stop from None
            if _unreachable_host(error):  # one finding for the store: every folder would wait and fail alike
                _unreachable(dict(pending[index:]), _reason(error), stats)
                return
            _unreachable({folder: wanted}, _reason(error), stats)
            continue
        stats.listed_folders += 1
        for entry in wanted:
            info = found.get(entry.key) or found.get(entry.key.replace("+", " "))
            _compare(entry, info, location, folder, len(found), stats)


def _reason(error: Exception) -> str:
    """Our SourceErrors say what happened; an SDK's raw exception is named."""
    return str(error) if isinstance(error, SourceError) else f"{type(error).__name__}: {error}"


def _compare(
    entry: _Wanted, info: ObjectInfo | None, location: Location, folder: str, listed: int, stats: VerifyStats
) -> None:
    where = f"{location.describe} {location.bucket}/{folder}"
    if info is None:
        stats.findings.append(
            Finding(
                Code.MT901, f"no object {entry.key!r} in {where} (the folder holds {listed:,} objects)", entry.pointer
            )
        )
    elif entry.size is not None and info.size != entry.size:
        stats.findings.append(
            Finding(
                Code.MT902,
                f"fileSize says {entry.size:,} bytes but {entry.key!r} has {info.size:,}",
                entry.size_pointer,
            )
        )


def _unreachable(folders: dict[str, list[_Wanted]], reason: str, stats: VerifyStats) -> None:
    wanted = [entry for entries in folders.values() for entry in entries]
    if wanted:
        more = f" ({len(wanted) - 1:,} more URLs there not checked)" if len(wanted) > 1 else ""
        stats.findings.append(Finding(Code.MT903, f"{reason}{more}", wanted[0].pointer))


def _verify_direct(direct: list[_Wanted], options: VerifyOptions, stats: VerifyStats) -> None:
    """HEAD each direct-access URL (``key`` is the URL here): a missing object is MT901, and a size the server
    gives (Content-Length) is compared with the metadata's fileSize as a bucket's listed size is (MT902)."""
    checked, skipped = direct[: options.max_head], direct[options.max_head :]
    gate = _RateGate(options.head_per_second)
    hosts = _Hosts()
    lock = threading.Lock()

    def head(url: str) -> HeadAnswer:
        host = _host(url)
        first = hosts.enter(host)
        try:
            if host in hosts.down:
                return HeadAnswer(None, _NOT_ASKED)
            gate.wait()
            with lock:
                stats.head_requests += 1
            try:
                return head_request(url, options.timeout)
            except HostDown as error:
                hosts.down.setdefault(host, str(error))
                return HeadAnswer(None, _NOT_ASKED)
        finally:
            if first:
                hosts.opened(host)

    with ThreadPoolExecutor(max_workers=options.head_concurrency) as pool:
        results = list(pool.map(head, [entry.key for entry in checked]))
    not_asked: dict[tuple[str, int | None], list[str]] = {}
    for entry, answer in zip(checked, results, strict=True):
        pointer, url, status, reason, size = entry.pointer, entry.key, answer.status, answer.reason, answer.size
        if status is None and reason == _NOT_ASKED:
            not_asked.setdefault(_host(url), []).append(pointer)
        elif status is None:
            stats.findings.append(Finding(Code.MT903, f"no answer from {url}: {reason}", pointer))
        elif status in (404, 410):
            stats.findings.append(Finding(Code.MT901, f"{url} answers {status} {reason}".rstrip(), pointer))
        elif status >= 400:
            stats.findings.append(Finding(Code.MT903, f"{url} answers {status} {reason}".rstrip(), pointer))
        elif size is not None and entry.size is not None and size != entry.size:
            message = f"fileSize says {entry.size:,} bytes but {url} has {size:,} (its Content-Length)"
            stats.findings.append(Finding(Code.MT902, message, entry.size_pointer))
    stats.findings.extend(_host_down_findings(not_asked, hosts.down))
    for entry in skipped:
        stats.findings.append(
            Finding(Code.MT904, f"not checked (over --max-head {options.max_head:,}): {entry.key}", entry.pointer)
        )


_NOT_ASKED = "\0the host did not answer"
"""What ``head`` answers for a URL whose host did not answer at all: reported once per host, not per URL."""

_Host = tuple[str, "int | None"]
"""A host name and port: one that refuses connections on one port may answer on another."""


def _host(url: str) -> _Host:
    try:
        parts = urlsplit(url)
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


class _Hosts:
    """Which hosts did not answer. A host's first HEAD goes alone, the others on it wait for its answer: a
    host that refuses connections is asked once, however many URLs it has and however many run at a time."""

    def __init__(self) -> None:
        self.down: dict[_Host, str] = {}
        self._answered: dict[_Host, threading.Event] = {}
        self._lock = threading.Lock()

    def enter(self, host: _Host) -> bool:
        """True for the host's first caller, who must call ``opened``; the others wait until it has."""
        with self._lock:
            answered = self._answered.get(host)
            if answered is None:
                self._answered[host] = threading.Event()
                return True
        answered.wait()
        return False

    def opened(self, host: _Host) -> None:
        self._answered[host].set()


def _host_down_findings(not_asked: dict[_Host, list[str]], reasons: dict[_Host, str]) -> Iterable[Finding]:
    """One MT903 per host that did not answer, at its first URL, counting the URLs not checked."""
    for host, pointers in not_asked.items():
        more = f"; {plural(len(pointers) - 1, 'more URL')} on it not checked" if len(pointers) > 1 else ""
        yield Finding(Code.MT903, f"{reasons.get(host, 'the host did not answer')}{more}", pointers[0])


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
