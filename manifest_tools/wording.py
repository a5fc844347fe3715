"""How a count reads in a message: ``1 file``, ``2 files``, ``1 fix``, ``0 fixes``; never ``file(s)``.

One home for it, so every summary the CLI prints agrees (as coreutils and ruff write them).
"""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and ``noun``, or ``nouns`` (default: ``noun`` + ``s``) unless ``count`` is one; thousands
    separated (``1,200 URLs``)."""
    return f"{count:,} {noun if count == 1 else nouns or f'{noun}s'}"
