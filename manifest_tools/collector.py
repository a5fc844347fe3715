"""The cycle collector paused while a reader, the rules or a writer run: the one home for pausing it.

A reader builds a tree of millions of (acyclic) containers: the collections that promote them, and a
full one after, walk them all (see ``api._paused_check``). A writer makes and drops containers by the
hundred thousand (a chunk's items in canonical order, their rows or texts), none of them in a cycle.
With the collector running, a chunk alive across a few young collections is promoted, and the full
collections that follow walk the whole manifest again: on snake_case items, reordered a chunk at a
time, that was an eighth of writing them. Reference counting frees everything they make all the same.
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
