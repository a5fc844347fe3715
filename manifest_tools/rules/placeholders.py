"""Text left from a template: the facts that the URL, title, metadata, file-type and scene rules share.

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
from collections.abc import Callable

from manifest_tools.providers import BY_NAME, aws, locate_url, split_host, unknown_region
from manifest_tools.providers.regions import EXAMPLE_AWS_REGION

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
    return hint_pattern(hints).search(text.lower()) is not None


@functools.cache
def hint_pattern(hints: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the hints: a regex search costs a fifth of a Python loop of ``in`` tests.
    A loop over half a million values calls its ``search`` on the lowered text itself (a call less)."""
    return re.compile("|".join(map(re.escape, hints)))


_GATES = "%=_<{$"
"""Characters that plain URLs and values rarely hold: a hint with one is searched for only where it stands."""


@functools.cache
def hint_test(hints: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a lower-case text holds one of ``hints``, as ``any(hint in text for hint in hints)``: for a
    long text (4,096 URLs joined), where a search per hint beats one regex alternation, but a hint holding
    a character of :data:`_GATES` (``%7b``, ``se=``, ``your_bucket``) is searched for only when the text
    holds that character (one ``memchr``), which spares the searches of plain text that cost most."""
    gated: dict[str, list[str]] = {}
    always: list[str] = []
    for hint in hints:
        gate = next((character for character in _GATES if character in hint), None)
        if gate is None:
            always.append(hint)
        else:
            gated.setdefault(gate, []).append(hint)
    plain, groups = tuple(always), tuple((gate, tuple(group)) for gate, group in gated.items())

    def holds(text: str) -> bool:
        return any(map(text.__contains__, plain)) or any(
            gate in text and any(map(text.__contains__, group)) for gate, group in groups
        )

    return holds


def has_text_hint(text: str) -> bool:
    """Whether ``text`` holds one of :data:`TEXT_HINTS`: when not, it is no title or value placeholder."""
    return _TEXT_HINT(text.lower()) is not None


_TEXT_HINT = hint_pattern(TEXT_HINTS).search


def title_placeholder(title: str) -> str | None:
    """The template text left in a title, or None."""
    if not has_text_hint(title):  # every match holds a hint: one search instead of four
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


PLACEHOLDER_WORDS = (
    "cloud-path-to",
    "file-name-",
    ".file-extension",
    "/path/to/",
    "your-bucket",
    "your_bucket",
    "access-point-arn",
    "bucket-name",
    "url>",
    "name>",
)
"""Words of the documentation's URL templates (lower case); "file-name-" only before a number, and
"bucket-name" only as a whole host label or path segment (bucket-name-archive is a real name)."""
_WORD_PATTERNS = {"file-name-": r"file-name-\d", "bucket-name": r"(?<![a-z0-9])bucket-name(?![a-z0-9_-])"}
_PLACEHOLDER_TEXT = re.compile(
    "|".join(_WORD_PATTERNS.get(word, re.escape(word)) for word in PLACEHOLDER_WORDS), re.IGNORECASE
)
_UNCLOSED_TEMPLATE = re.compile(r"<[^<>]*$")
"""A '<' with no '>' after it (``<object url``, ``.../<object-name.jpg``): a template whose closing bracket
was lost; a URL cannot hold a bare '<' (RFC 3986). One before a whole URL is MT306's stray bracket."""
_ELLIPSIS_SEGMENT = re.compile(r"/(?:\.{3,}|\u2026)(?=[/?#]|$)")
"""A '...' path segment: the documentation's "more folders here"."""


def names_no_file(url: str) -> bool:
    """True for URLs that cannot name a file at all: blank, placeholders, folders, bare hosts."""
    stripped = url.strip().strip("<>")
    if not stripped or url_placeholder(url.strip()) is not None:
        return True
    parts = split_host(stripped)
    if parts is None:
        return False
    path = parts[1].split("?", 1)[0].split("#", 1)[0]
    return path in ("", "/") or path.endswith("/")


def url_placeholder(url: str) -> str | None:
    """What MT307 says about template text in a URL (syntax, documentation words, a '...' folder), or None."""
    template = TEMPLATE.search(url)
    if template is not None:
        if template.group() == url:
            return f"{url!r} is a template placeholder, not a URL: write the object's https URL"
        return f"the URL contains the template placeholder {template.group()!r}: replace it with the real value"
    unclosed = _UNCLOSED_TEMPLATE.search(url)
    if unclosed is not None and unclosed.group() == url and "://" not in url:
        return f"{url!r} is a template placeholder without its closing '>', not a URL: write the object's https URL"
    if unclosed is not None and unclosed.start() > 0:
        return (
            f"the URL contains {unclosed.group()!r}, a template placeholder without its closing '>': replace it"
            " with the real value"
        )
    words = _PLACEHOLDER_TEXT.search(url)
    if words is not None:
        return (
            f"the URL contains {words.group()!r} from a documentation template: replace the template with the"
            " object's real https URL"
        )
    if _ELLIPSIS_SEGMENT.search(url):
        return "the URL has a '...' folder, a placeholder for the path: write the object's full key"
    return None


def host_placeholder(url: str) -> str | None:
    """Why the host of an absolute URL is a placeholder (no dot, localhost, a word for the region), or None."""
    parts = split_host(url)
    if parts is None or aws.is_access_point_arn(url):
        return None
    host = parts[0]
    if not host or host.startswith("["):
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return (
            f"{host!r} is this computer, which the platform cannot reach: register the object by its store's"
            f" URL (for example {aws.EXAMPLE_URL})"
        )
    if "." not in host or "" in host.split("."):
        return (
            f"the host {host!r} is a placeholder, not a server's name (a real host has dots): write the"
            f" store's host, such as {aws.virtual_host(host.strip('.') or 'my-bucket', EXAMPLE_AWS_REGION)} for"
            " an S3 bucket"
        )
    location = locate_url(url)
    if unknown_region(location):
        example = BY_NAME[location.provider].example_region
        return (
            f"{location.region!r} stands where the region belongs but is not a region of"
            f" {location.describe}: replace it with the bucket's region, such as {example}"
        )
    return None
