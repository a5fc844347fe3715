"""Fetch listing pages ahead of the consumer, and list several prefixes at once.

A listing spends most of its time waiting for the store. ``prefetched`` keeps a
thread ``depth`` pages ahead; ``parallel_subtrees`` lists up to ``window``
sub-prefixes at once but yields them one after the other, in order, so every
folder's keys stay contiguous (grouping relies on that). Queues are bounded:
memory holds at most ``window * depth`` pages. Errors are raised in the
consumer; a consumer that stops early stops the threads.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
S = TypeVar("S")
_DONE = object()


class Prefetched(Iterator[T]):
    """Iterates ``pages`` fetched by a background thread started at construction."""

    def __init__(self, pages: Iterable[T], depth: int = 2) -> None:
        self._buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._finished = False
        threading.Thread(target=self._produce, args=(pages,), name="listing-prefetch", daemon=True).start()

    def _produce(self, pages: Iterable[T]) -> None:
        try:
            for page in pages:
                while not self._stop.is_set():
                    try:
                        self._buffer.put(page, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if self._stop.is_set():
                    return
            self._buffer.put(_DONE)
        except BaseException as error:  # handed to the consumer, raised there
            self._buffer.put(error)

    def __next__(self) -> T:
        if self._finished:
            raise StopIteration
        item = self._buffer.get()
        if item is _DONE:
            self._finished = True
            raise StopIteration
        if isinstance(item, BaseException):
            self._finished = True
            self._stop.set()
            raise item
        return item  # type: ignore[return-value]

    def close(self) -> None:
        self._stop.set()


def prefetched(pages: Iterable[T], depth: int = 2) -> Iterator[T]:
    """Yield ``pages`` in order, fetched ahead by a background thread."""
    fetcher = Prefetched(pages, depth)
    try:
        yield from fetcher
    finally:
        fetcher.close()


def parallel_subtrees(
    prefixes: Iterable[S], list_subtree: Callable[[S], Iterable[T]], window: int = 8, depth: int = 2
) -> Iterator[T]:
    """The pages of every prefix's (or segment's) subtree, one after the other, up to ``window`` listed at once."""
    pending = iter(prefixes)
    active: deque[Prefetched[T]] = deque()
    try:
        for prefix in pending:
            active.append(Prefetched(list_subtree(prefix), depth))
            if len(active) >= window:
                break
        while active:
            current = active.popleft()
            yield from current
            following = next(pending, None)
            if following is not None:
                active.append(Prefetched(list_subtree(following), depth))
    finally:
        for fetcher in active:
            fetcher.close()
