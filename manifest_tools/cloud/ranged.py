"""A seekable, read-only file object over ranged GETs, so that format libraries read headers, not files.

Parsing libraries (PyAV, Pillow, pypdf, pydicom, nibabel) take a file object and
seek around in it; :class:`RangedFile` answers their reads from a block cache
filled by ranged requests. Reads that follow each other grow the request size
(read-ahead, doubling up to ``max_read``), a jump starts small again: an MP4
whose index sits at the end costs a few requests at the start, one at the end,
never the bytes in between. Every request and byte is counted, and an optional
shared :class:`Budget` stops a run before it reads more than it may.

What a store answers is its provider's business: each provider module has a
:class:`~manifest_tools.providers.RangeReader` (``stat``, ``read(start,
length)``, ``first``), reached through the store's lister or, for direct
access, the URL; a folder that serves a base URL (``--local BASE=DIR``) is the
local provider's. This module keeps what is the same for every store: the
block cache, read-ahead, counting, the budget, and one lister per store.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from manifest_tools.errors import ManifestToolsError
from manifest_tools.providers import (
    Lister,
    Location,
    ObjectStat,
    RangeReader,
    ReadError,
    location_lister,
    object_reader,
)
from manifest_tools.providers.local import served_path as local_path  # verify asks it too

__all__ = [
    "Budget",
    "BudgetExceeded",
    "ObjectStat",
    "RangeReader",
    "RangedFile",
    "ReadError",
    "StoreOptions",
    "Stores",
    "local_path",
]

BLOCK_SIZE = 64 * 1024
MAX_READ = 1024 * 1024
CACHED_BLOCKS = 256


class BudgetExceeded(ManifestToolsError):
    """A run's request or byte budget is spent; what was not probed is reported, not read."""


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
    """A read-only, seekable file over a provider's :class:`RangeReader`, read in cached blocks with read-ahead."""

    def __init__(
        self,
        backend: RangeReader,
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


# -- from a URL to its provider's reader -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreOptions:
    """How to reach the stores: the listers' options, and folders that serve direct-access URLs."""

    region: str | None = None
    endpoint_url: str | None = None
    local_roots: tuple[tuple[str, str], ...] = ()
    """(URL base, folder) pairs: a URL under the base is read from the folder (``--local BASE=DIR``)."""
    timeout: float = 30.0


class Stores:
    """One lister per store (bucket or container), asked for each URL's reader; thread-safe."""

    def __init__(self, options: StoreOptions | None = None) -> None:
        self.options = options or StoreOptions()
        self._listers: dict[tuple[str, str, str], Lister] = {}
        self._lock = threading.Lock()

    def backend(self, url: str) -> RangeReader:
        """The reader of ``url``; SourceError when its store cannot be reached at all."""
        return object_reader(url, self._lister, self.options.timeout, self.options.local_roots)

    def _lister(self, location: Location) -> Lister:
        store = (location.provider, location.account or "", location.bucket or "")
        with self._lock:
            if store not in self._listers:
                self._listers[store] = location_lister(location, self.options.region, self.options.endpoint_url)
            return self._listers[store]

    def open(self, url: str, *, budget: Budget | None = None, max_read: int = MAX_READ) -> RangedFile:
        """A :class:`RangedFile` over ``url`` (its stat is the first request)."""
        return RangedFile(self.backend(url), budget=budget, max_read=max_read)
