"""A seekable, read-only file object over ranged GETs, so that format libraries read headers, not files.

Parsing libraries (PyAV, Pillow, pypdf, pydicom, nibabel) take a file object and
seek around in it; :class:`RangedFile` answers their reads from a block cache
filled by ranged requests. Reads that follow each other grow the request size
(read-ahead, doubling up to ``max_read``), a jump starts small again: an MP4
whose index sits at the end costs a few requests at the start, one at the end,
never the bytes in between. Every request and byte is counted, and an optional
shared :class:`Budget` stops a run before it reads more than it may.

One small backend per store answers ``stat`` (size and ETag) and ``read``
(start, length): local files, direct HTTPS (a ``Range:`` header, stdlib), S3
and OBS (boto3 ``get_object(Range=...)``), GCS (``download_as_bytes(start,
end)``) and Azure (``download_blob(offset, length)``). Clients are built the way
the listers build them (``providers/``), once per store.
"""

from __future__ import annotations

import io
import threading
import urllib.error
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from manifest_tools.errors import ManifestToolsError, SourceError
from manifest_tools.providers import Location, locate_url, location_lister, url_key
from manifest_tools.providers.aws import S3Lister, s3_reason
from manifest_tools.providers.azure import AzureLister
from manifest_tools.providers.gcp import GcsLister

BLOCK_SIZE = 64 * 1024
MAX_READ = 1024 * 1024
CACHED_BLOCKS = 256


class ReadError(ManifestToolsError):
    """An object could not be read (missing, refused, or the connection failed).

    ``retryable``: the store throttled or failed for a moment; the same read may succeed later.
    ``missing``: the store says there is no such object.
    """

    def __init__(self, message: str, *, retryable: bool = False, missing: bool = False) -> None:
        super().__init__(message)
        self.retryable, self.missing = retryable, missing


_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
_RETRYABLE_S3_CODES = frozenset({"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "503", "500"})


class BudgetExceeded(ManifestToolsError):
    """A run's request or byte budget is spent; what was not probed is reported, not read."""


@dataclass(frozen=True, slots=True)
class ObjectStat:
    """What identifies one version of an object: its size and, where the store has one, its ETag."""

    size: int
    etag: str | None = None


class Backend(Protocol):
    """One object in one store: its stat and any byte range of it."""

    def stat(self) -> ObjectStat: ...

    def read(self, start: int, length: int) -> bytes: ...

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        """The stat and the first ``length`` bytes, in one request where the store's answer carries both."""
        ...


def _stat_then_read(backend: Backend, length: int) -> tuple[ObjectStat, bytes]:
    """``first`` for stores whose ranged answer does not say the object's size: two requests."""
    stat = backend.stat()
    return stat, backend.read(0, min(length, stat.size)) if stat.size else b""


def _total_of(content_range: str | None) -> int | None:
    """The object size of a ``Content-Range: bytes A-B/TOTAL`` answer."""
    total = (content_range or "").rpartition("/")[2]
    return int(total) if total.isdigit() else None


@dataclass(slots=True)
class Budget:
    """Requests and bytes a run may spend, shared by every file of the run (thread-safe)."""

    max_requests: int | None = None
    max_bytes: int | None = None
    requests: int = 0
    bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def charge(self, length: int) -> None:
        """Count one request of ``length`` bytes, refusing it when it would overspend."""
        with self.lock:
            if self.max_requests is not None and self.requests + 1 > self.max_requests:
                raise BudgetExceeded(f"the request budget ({self.max_requests:,}) is spent")
            if self.max_bytes is not None and self.bytes + length > self.max_bytes:
                raise BudgetExceeded(f"the byte budget ({self.max_bytes:,}) is spent")
            self.requests += 1
            self.bytes += length


class RangedFile(io.RawIOBase):
    """A read-only, seekable file over a :class:`Backend`, read in cached blocks with read-ahead."""

    def __init__(
        self,
        backend: Backend,
        stat: ObjectStat | None = None,
        *,
        block_size: int = BLOCK_SIZE,
        max_read: int = MAX_READ,
        cached_blocks: int = CACHED_BLOCKS,
        budget: Budget | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.budget = budget
        self.block_size = block_size
        self.max_read = max(max_read, block_size)
        self.cached_blocks = cached_blocks
        self.requests = 0
        self.bytes_read = 0
        self._blocks: OrderedDict[int, bytes] = OrderedDict()
        self._position = 0
        self._next_block = -1
        self._read_ahead = 1
        self.error: ManifestToolsError | None = None
        """Why a read after the first one failed (the file then reads as ending there)."""
        if stat is None:
            stat = self._open_with_first_block()
        self.stat = stat
        self.size = stat.size

    def _open_with_first_block(self) -> ObjectStat:
        """Stat the object and fetch block 0 together: a small file costs one request."""
        if self.budget is not None:
            self.budget.charge(self.block_size)
        stat, data = self.backend.first(self.block_size)
        self.requests += 1
        self.bytes_read += len(data)
        if data:
            self._store(0, data)
            self._next_block = 1
        return stat

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}.get(whence)
        if base is None:
            raise ValueError(f"invalid whence {whence}")
        position = base + offset
        if position < 0:
            raise OSError("negative seek position")
        self._position = position
        return position

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), max(0, self.size - self._position))
        done = 0
        while done < wanted:
            index, offset = divmod(self._position + done, self.block_size)
            block = self._block(index, wanted - done)
            piece = block[offset : offset + wanted - done]
            if not piece:
                break  # the object is shorter than its stat said (changed under us)
            view[done : done + len(piece)] = piece
            done += len(piece)
        self._position += done
        return done

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            return self.readall()
        # A parser that trusts a length inside a hostile file asks for gigabytes: never more than is left.
        buffer = bytearray(min(size, max(0, self.size - self._position)))
        return bytes(buffer[: self.readinto(buffer)])

    def readall(self) -> bytes:
        return self.read(max(0, self.size - self._position))

    def _block(self, index: int, wanted: int) -> bytes:
        """Block ``index``, fetched with its successors when the reader goes on where it stopped."""
        cached = self._blocks.get(index)
        if cached is not None:
            self._blocks.move_to_end(index)
            return cached
        sequential = index == self._next_block
        self._read_ahead = min(self._read_ahead * 2, self.max_read // self.block_size) if sequential else 1
        count = max(self._read_ahead, -(-wanted // self.block_size))
        count = min(count, self.max_read // self.block_size)
        start = index * self.block_size
        length = min(count * self.block_size, self.size - start)
        data = self._fetch(start, length)
        for n in range(0, max(len(data), 1), self.block_size):
            self._store(index + n // self.block_size, data[n : n + self.block_size])
        self._next_block = index + -(-len(data) // self.block_size)
        return data[: self.block_size]

    def _fetch(self, start: int, length: int) -> bytes:
        """Bytes from the store; a failed read (or a spent budget) ends the file for the parser and is
        kept in ``error``, so that the probe retries or reports it instead of calling the file broken
        (parsers swallow exceptions from their file objects, or print them)."""
        if length <= 0 or self.error is not None:
            return b""
        try:
            if self.budget is not None:
                self.budget.charge(length)
            data = self.backend.read(start, length)
        except ManifestToolsError as error:
            self.error = error
            return b""
        self.requests += 1
        self.bytes_read += len(data)
        return data

    def _store(self, index: int, data: bytes) -> None:
        self._blocks[index] = data
        self._blocks.move_to_end(index)
        while len(self._blocks) > self.cached_blocks:
            self._blocks.popitem(last=False)


# -- backends ----------------------------------------------------------------------------------


class LocalBackend:
    """A file on disk (folder sources, and files served from a folder under a direct-access base URL)."""

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
        return _stat_then_read(self, length)


class HttpsBackend:
    """A direct-access URL read with ``Range:`` headers (stdlib only)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url, self.timeout = url, timeout

    def _open(self, method: str, headers: dict[str, str]) -> Any:
        request = urllib.request.Request(
            self.url, method=method, headers={"User-Agent": "manifest-tools probe", **headers}
        )
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            message = f"the server answers {error.code} {error.reason}".rstrip()
            raise ReadError(
                message, retryable=error.code in _RETRYABLE_STATUS, missing=error.code in (404, 410)
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ReadError(f"no answer: {getattr(error, 'reason', error)}", retryable=True) from None

    def stat(self) -> ObjectStat:
        """Size and ETag from a one-byte ranged GET: pre-signed URLs are signed for GET only, not HEAD."""
        return self.first(1)[0]

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        try:
            with self._open("GET", {"Range": f"bytes=0-{length - 1}"}) as response:
                total = _total_of(response.headers.get("Content-Range"))
                if response.status != 206 or total is None:
                    raise ReadError("the server does not answer ranged reads (no 206 Partial Content)")
                return ObjectStat(total, response.headers.get("ETag")), bytes(response.read())
        except ReadError as error:
            if str(error).startswith("the server answers 416"):
                return ObjectStat(0), b""  # an empty file: no range of it exists
            raise

    def read(self, start: int, length: int) -> bytes:
        with self._open("GET", {"Range": f"bytes={start}-{start + length - 1}"}) as response:
            if response.status != 206:
                raise ReadError("the server does not answer ranged reads (no 206 Partial Content)")
            return bytes(response.read())


class S3Backend:
    """An object in S3, OBS or another S3-compatible store (boto3 ``head_object`` / ``get_object``)."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        self.client, self.bucket, self.key = client, bucket, key

    def stat(self) -> ObjectStat:
        head = _s3_call(self.client.head_object, Bucket=self.bucket, Key=self.key)
        return ObjectStat(int(head["ContentLength"]), head.get("ETag"))

    def read(self, start: int, length: int) -> bytes:
        ranged = f"bytes={start}-{start + length - 1}"
        response = _s3_call(self.client.get_object, Bucket=self.bucket, Key=self.key, Range=ranged)
        return bytes(response["Body"].read())

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        try:
            ranged = f"bytes=0-{length - 1}"
            response = _s3_call(self.client.get_object, Bucket=self.bucket, Key=self.key, Range=ranged)
        except ReadError:
            return _stat_then_read(self, length)  # an empty object has no range (InvalidRange), or a real error
        total = _total_of(response.get("ContentRange")) or int(response.get("ContentLength", 0))
        return ObjectStat(total, response.get("ETag")), bytes(response["Body"].read())


class GcsBackend:
    """A GCS object (google-cloud-storage ``get_blob`` / ``download_as_bytes(start, end)``)."""

    def __init__(self, bucket: Any, key: str) -> None:
        self.bucket, self.key = bucket, key
        self.blob: Any = None

    def stat(self) -> ObjectStat:
        from google.api_core import exceptions

        try:
            self.blob = self.bucket.get_blob(self.key)
        except exceptions.GoogleAPIError as error:
            raise ReadError(str(error)) from None
        if self.blob is None:
            raise ReadError("no such object", missing=True)
        return ObjectStat(int(self.blob.size or 0), self.blob.etag)

    def read(self, start: int, length: int) -> bytes:
        from google.api_core import exceptions

        blob = self.blob or self.bucket.blob(self.key)
        try:
            return bytes(blob.download_as_bytes(start=start, end=start + length - 1, checksum=None))
        except exceptions.GoogleAPIError as error:
            raise ReadError(str(error)) from None

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        return _stat_then_read(self, length)  # a ranged download does not tell the object's size


class AzureBackend:
    """An Azure blob (azure-storage-blob ``get_blob_properties`` / ``download_blob(offset, length)``)."""

    def __init__(self, blob: Any) -> None:
        self.blob = blob

    def stat(self) -> ObjectStat:
        from azure.core.exceptions import AzureError, ResourceNotFoundError

        try:
            properties = self.blob.get_blob_properties()
        except ResourceNotFoundError:
            raise ReadError("no such blob", missing=True) from None
        except AzureError as error:
            raise ReadError(str(error).splitlines()[0]) from None
        return ObjectStat(int(properties.size), properties.etag)

    def read(self, start: int, length: int) -> bytes:
        from azure.core.exceptions import AzureError

        try:
            return bytes(self.blob.download_blob(offset=start, length=length).readall())
        except AzureError as error:
            raise ReadError(str(error).splitlines()[0]) from None

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        from azure.core.exceptions import AzureError

        try:
            download = self.blob.download_blob(offset=0, length=length)
            data = bytes(download.readall())
        except AzureError:
            return _stat_then_read(self, length)  # an empty blob has no range, or a real error
        properties = download.properties
        total = _total_of(properties.content_range) or int(properties.size)
        return ObjectStat(total, properties.etag), data


def _s3_call(method: Any, **arguments: Any) -> Any:
    """Call a boto3 method; its errors become a ReadError with the store's own short reason."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return method(**arguments)
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        missing = code in ("404", "NoSuchKey")
        message = "no such object" if missing else s3_reason(error)
        raise ReadError(message, retryable=code in _RETRYABLE_S3_CODES, missing=missing) from None
    except BotoCoreError as error:
        raise ReadError(str(error), retryable=True) from None


# -- from a URL to a backend ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreOptions:
    """How to reach the stores: the listers' options, and folders that serve direct-access URLs."""

    region: str | None = None
    endpoint_url: str | None = None
    local_roots: tuple[tuple[str, str], ...] = ()
    """(URL base, folder) pairs: a URL under the base is read from the folder (``--local BASE=DIR``)."""
    timeout: float = 30.0


def local_path(url: str, roots: tuple[tuple[str, str], ...]) -> Path | None:
    """The file that serves ``url`` when it lies under one of the (URL base, folder) ``roots``."""
    from urllib.parse import unquote

    for base, folder in roots:
        prefix = base.rstrip("/") + "/"
        if url.startswith(prefix):
            relative = unquote(url[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
            root = Path(folder).resolve()
            path = Path(root, *relative.split("/")).resolve()
            if not path.is_relative_to(root):  # ../ in a URL must not read files outside the folder
                raise ReadError(f"{url}: the path leaves the folder {folder}", missing=True)
            return path
    return None


class Stores:
    """Builds one client per store (bucket or container) and a backend per URL; thread-safe."""

    def __init__(self, options: StoreOptions | None = None) -> None:
        self.options = options or StoreOptions()
        self._listers: dict[tuple[str, str, str], Any] = {}
        self._lock = threading.Lock()

    def backend(self, url: str) -> Backend:
        """The backend that reads ``url``; SourceError when its store cannot be reached at all."""
        local = local_path(url, self.options.local_roots)
        if local is not None:
            return LocalBackend(local)
        location = locate_url(url)
        key = url_key(location)
        if location.provider == "direct" or location.bucket is None or key is None:
            return HttpsBackend(url, self.options.timeout)
        lister = self._lister(location)
        if isinstance(lister, S3Lister):
            return S3Backend(lister.client, location.bucket, key)
        if isinstance(lister, GcsLister):
            return GcsBackend(lister.client.bucket(location.bucket), key)
        if isinstance(lister, AzureLister):
            return AzureBackend(lister.container.get_blob_client(key))
        raise SourceError(f"{url}: no reader for {location.describe}")

    def _lister(self, location: Location) -> Any:
        store = (location.provider, location.account or "", location.bucket or "")
        with self._lock:
            if store not in self._listers:
                self._listers[store] = location_lister(location, self.options.region, self.options.endpoint_url)
            return self._listers[store]

    def open(self, url: str, *, budget: Budget | None = None, max_read: int = MAX_READ) -> RangedFile:
        """A :class:`RangedFile` over ``url`` (its stat is the first request)."""
        return RangedFile(self.backend(url), budget=budget, max_read=max_read)
