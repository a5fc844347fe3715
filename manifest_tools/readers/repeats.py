"""A cap on repeated reader diagnostics: a garbage file gets a readable report, not a million lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

MAX_REPEATS = 100
"""At most this many diagnostics of one code per file; the rest are counted in one more."""

T = TypeVar("T")


def cap_repeats(found: Iterable[T], code_of: Callable[[T], str], more: Callable[[T, int], T]) -> list[T]:
    """The first :data:`MAX_REPEATS` of ``found`` (in order) per code, then per capped code one
    ``more(first_left_out, count_left_out)`` in the place of the first one left out."""
    seen: dict[str, int] = {}
    first_left_out: dict[str, tuple[int, T]] = {}
    kept: list[T] = []
    for entry in found:
        code = code_of(entry)
        count = seen[code] = seen.get(code, 0) + 1
        if count <= MAX_REPEATS:
            kept.append(entry)
        elif code not in first_left_out:
            first_left_out[code] = (len(kept), entry)
    for code, (index, entry) in sorted(first_left_out.items(), key=lambda pair: -pair[1][0]):
        kept.insert(index, more(entry, seen[code] - MAX_REPEATS))
    return kept


def more_message(count: int) -> str:
    """The message of the diagnostic that stands for ``count`` left out."""
    return f"... and {count:,} more like this in this file, not listed: fix the ones above and lint again"
