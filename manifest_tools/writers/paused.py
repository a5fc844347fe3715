"""The cycle collector paused while a writer runs.

A writer makes and drops containers by the hundred thousand (a chunk's items in canonical order, their
rows or texts), none of them in a cycle. With the collector running, a chunk alive across a few young
collections is promoted, and the full collections that follow walk the whole manifest again: on
snake_case items, reordered a chunk at a time, that was an eighth of writing them. Reference counting
frees everything a writer makes all the same.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (or the decorated function), then restore its state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
