"""Text left from a template: the facts that the URL, title and metadata rules share.

The platform's documentation shows templates (``<object url>``, ``{{title}}``,
``image-title.file-extension``, ``file-codec-example-mp3``) that users copy and
fill in partly; whatever is left is registered as data or fails late. Each
predicate here comes with the lower-case substrings every one of its matches
contains, so that a fast path (Python or the native scanner) can skip text that
holds none of them.
"""

from __future__ import annotations

import functools
import re

TEMPLATE = re.compile(r"<[^<>]*>|\{\{[^{}]*\}\}|\$\{[^{}]*\}|\{[^{}]*\}|\$\{|%7B%7B|%24%7B|%3C[^/]*?%3E", re.IGNORECASE)
"""Template syntax: <...>, {...}, {{...}}, ${...}, and the same percent-encoded by a tool that filled
nothing in."""
TEMPLATE_HINTS = ("<", "{", "%7b", "%3c")

TODO_WORDS = ("todo", "tbd", "fixme", "placeholder", "changeme")
"""Words that mark a value as not filled in yet, when they are the whole value or a whole word."""
_TODO = re.compile(
    rf"^[\W_]*(?:{'|'.join(TODO_WORDS)})[\W_]*$|\b(?:{'|'.join(w.upper() for w in TODO_WORDS)}|(?i:placeholder))\b",
)
"""The whole value in any case (todo, TBD.mp4 after the extension is cut), or an upper-case word inside
a longer value (TODO, FIXME: how people mark it), or the word placeholder."""

_EXAMPLE_NAMES = re.compile(r"file-extension|\b(?:image|video|audio|file)-title(?=\.|$)", re.IGNORECASE)
"""The documentation's template names: image-title.file-extension, my-custom-video-title.mp4,
my-custom-audio-file-title.mp3 (its filled-in example, my-custom-audio-file-001.mp3, is a real title)."""
_EXAMPLE_WORD = re.compile(r"\bexample\b", re.IGNORECASE)
"""Metadata values such as file-codec-example-mp3 (a title may well say example)."""

TEXT_HINTS = (*TEMPLATE_HINTS, *TODO_WORDS, "file-extension", "-title", "example")
"""Every match of :func:`title_placeholder` and :func:`value_placeholder` contains one of these
(lower case)."""


def hinted(text: str, hints: tuple[str, ...]) -> bool:
    """True when ``text`` holds one of ``hints`` (lower case): the C-speed pre-filter of a predicate."""
    return _hint_pattern(hints).search(text.lower()) is not None


@functools.cache
def _hint_pattern(hints: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the hints: a regex search costs a fifth of a Python loop of ``in`` tests."""
    return re.compile("|".join(map(re.escape, hints)))


def title_placeholder(title: str) -> str | None:
    """The template text left in a title, or None."""
    if not hinted(title, TEXT_HINTS):  # every match holds a hint: one search instead of four
        return None
    stem = title.rsplit(".", 1)[0] if "." in title.strip(".") else title
    for pattern, text in ((TEMPLATE, title), (_EXAMPLE_NAMES, title), (_TODO, stem), (_TODO, title)):
        found = pattern.search(text)
        if found is not None:
            return found.group().strip() or title
    return None


def value_placeholder(value: str) -> str | None:
    """The template text left in a metadata string (codec ...), or None."""
    found = title_placeholder(value)
    if found is None:
        example = _EXAMPLE_WORD.search(value)
        return value if example is not None else None
    return found
