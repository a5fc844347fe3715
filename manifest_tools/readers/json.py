"""Read a JSON manifest: strict and fast when the file is clean, tolerant when it is not.

The fast path is the C decoder, which refuses non-finite numbers through its hooks and
keeps each object as it closes, so that a duplicate key is looked for (with a refusing hook)
only when the text may hold one; when the native scanner (``native.strict_json``) has already
checked all that in one pass, the C decoder runs without hooks. Anything the
strict parse refuses is re-read by the tolerant parser,
which reports every problem with its position. Garbage collection is paused
while parsing: a manifest allocates millions of containers and none are cyclic.
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from manifest_tools.codes import Code, RuleCode
from manifest_tools.collector import collector_paused
from manifest_tools.kinds import KINDS_BY_KEY
from manifest_tools.model import Item, Manifest, Position
from manifest_tools.native import strict_json
from manifest_tools.readers.json_locator import JsonLocator
from manifest_tools.readers.json_syntax import MAX_DEPTH, DuplicateKey, ParseResult, parse_tolerant, structure_of
from manifest_tools.readers.repeats import cap_repeats, more_message
from manifest_tools.readers.text import (
    BOM,
    HIGH_SURROGATES,
    DecodedText,
    as_decoded,
    escaped_low_surrogate,
    lone_surrogate_message,
    looks_like_other_format,
    raw_surrogates,
)
from manifest_tools.report.diagnostic import Diagnostic, Severity


class _Refused(Exception):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused
    return result


def _refuse_constant(name: str) -> Any:
    raise _Refused


FREEZE_AFTER_PARSE = False
"""Set (for the duration of a command) by the CLI, which owns its process; a library call must not
change the host's collector, so it leaves the parsed containers to the collector as usual."""


def _finite_float(literal: str) -> float:
    """A float that overflows (``1e400``) is refused, so that the tolerant parser reports it."""
    value = float(literal)
    if math.isinf(value):
        raise _Refused
    return value


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while parsing; in the CLI, then freeze what was allocated.

    Without the freeze, the first collection after re-enabling walks every one of
    the millions of new (acyclic) containers; frozen, they are still freed by
    reference counting when the manifest is dropped.
    """
    with collector_paused():
        try:
            yield
        finally:
            if FREEZE_AFTER_PARSE:
                gc.freeze()


def _parse_strict(text: str, start: int) -> Any:
    """The parsed value, or raises ``_Refused`` / ``ValueError`` / ``RecursionError``."""
    return _parse_counted(text, start)[0]


def _parse_counted(text: str, start: int, members: int = -1) -> tuple[Any, list[dict[str, Any]]]:
    """As :func:`_parse_strict`, with the parsed objects in the order their closing braces stand in the text.

    A duplicate key is found without a Python step per member: the first parse keeps each object as it is
    built (an ``object_hook`` is handed the dict at its ``}``, where ``object_pairs_hook`` would have the
    decoder build a list of pairs per object first), and only when the text may hold more members than
    those objects have keys is it parsed again with the hook that refuses a duplicate. How many members
    the text holds: ``members`` when the caller counted them (``structure_of``, which the depth bound
    reads anyway), else bounded by :func:`_members_at_most`. The objects in order let the locator find
    items without reading them (``seed_parsed``).
    """
    body = text[start:] if start else text
    closings: list[dict[str, Any]] = []
    append = closings.append

    def kept(obj: dict[str, Any]) -> dict[str, Any]:
        append(obj)
        return obj

    with _gc_paused():
        value = json.loads(body, object_hook=kept, parse_constant=_refuse_constant, parse_float=_finite_float)
    keys = sum(map(len, closings))
    if (members == keys) if members >= 0 else _members_at_most(body, keys):
        return value, closings
    del value
    closings.clear()

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = _unique_pairs(pairs)
        append(obj)
        return obj

    with _gc_paused():
        value = json.loads(body, object_pairs_hook=unique, parse_constant=_refuse_constant, parse_float=_finite_float)
    return value, closings


_SPACED_COLON = re.compile(r'"[ \t\n\r]+:')
_NOT_BLANK = re.compile(r"\S")
"""What str.strip keeps (both use Python's whitespace)."""


def _members_at_most(text: str, count: int) -> bool:
    """Whether JSON ``text`` (which ``json.loads`` accepted) holds at most ``count`` object members.

    Each member's colon follows its key's closing quote, perhaps after blanks, and is never followed
    by ``/`` or a backslash (a value starts otherwise): every bound here counts every member's colon
    and perhaps colons inside strings too, so a bound at most ``count`` proves the count exact. The
    cheapest bound first: all colons, then less those of ``https://`` (and ``https:\\/``), then only
    those after a quote.
    """
    colons = text.count(":")
    if colons <= count:
        return True
    for after in "/\\":
        colons -= text.count(":" + after)
        if colons <= count:
            return True
    return text.count('":') + len(_SPACED_COLON.findall(text)) <= count


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
"""A surrogate escape (a literal prefix: the search runs at memchr speed; the backslashes before it say
whether it is one)."""
_SURROGATE_START = re.compile(r"\\u[dD]")


def _lone_surrogates(
    text: str, start: int, raw: bool, escapes: bool, known: Sequence[tuple[int, int]] = ()
) -> Iterator[tuple[int, int, str]]:
    """(offset, end, message) of each surrogate escape without its pair (``\\ud800``, as json.loads pairs
    them), and with ``raw`` (text a library caller passed, not decoded bytes) each raw surrogate: JSON allows
    them, but UTF-8, which the platform stores and a CSV is written in, cannot hold them.

    ``escapes`` False: either the native scanner vouched for the text (``native.strict_json`` refuses a lone
    escape), or the tolerant parser read it and ``known`` holds the lone escapes it met inside strings (a
    comment's text is not searched). Otherwise ``json.loads`` accepted it, so it has no comments, and a search
    for ``\\u`` followed by ``d`` comes first: one regular-expression pass (a twentieth of a second on 165 MB)
    where ``"\\u" in text`` takes three times as long, and a file without surrogate escapes needs nothing more."""
    places: list[tuple[int, int]] = list(known)
    if raw:
        places += raw_surrogates(text, start)
    paired_until = -1
    searched = escapes and _SURROGATE_START.search(text, start) is not None
    for found in _SURROGATE_ESCAPE.finditer(text, start) if searched else ():
        at = found.start()
        before = at
        while before > start and text[before - 1] == "\\":  # backslashes before this escape's own
            before -= 1
        if (at - before) % 2 or at < paired_until:
            continue  # an escaped backslash and the text "ud800", or the low half of a pair
        unit = int(found.group()[2:], 16)
        if unit in HIGH_SURROGATES and escaped_low_surrogate(text, found.end()) is not None:
            paired_until = found.end() + 6
            continue
        places.append((at, unit))
    for at, unit in sorted(places):
        yield at, at + (6 if text[at] == "\\" else 1), lone_surrogate_message(unit)


def _parse_plain(text: str, start: int) -> Any:
    """The parsed value of text the native scanner vouched for (``native.strict_json``): no hooks needed."""
    with _gc_paused():
        return json.loads(text[start:] if start else text)


def read_json(
    path: str,
    data: bytes | str | DecodedText,
    reload: Callable[[], str] | None = None,
    reload_whole: Callable[[], str] | None = None,
) -> Manifest:
    """Parse a JSON manifest (bytes, text or decoded text) from ``path`` into a :class:`Manifest`.

    With ``reload`` (a way to read the same text again), the text is not kept after
    parsing: a clean file never needs it, and it is as large as the file. ``reload_whole``
    reads it at once, for when the parsed tree is gone (``JsonLocator.forget_parsed``).
    """
    decoded = as_decoded(data)
    raw = isinstance(data, str)  # text a caller passed may hold a surrogate as is; decoded bytes never do
    del data
    text, bad_offsets, bad_bytes = decoded.text, decoded.invalid_offsets, decoded.invalid_bytes
    locator = JsonLocator(text, reload, reload_whole)
    found: list[_Found] = []
    if decoded.unreadable is not None:
        found.append((Code.MT108, decoded.unreadable, 0, "", -1))
    for offset, byte in zip(bad_offsets, bad_bytes, strict=False):
        found.append((Code.MT108, f"byte 0x{byte:02X} is not UTF-8: save the file as UTF-8", offset, "", -1))
    replaced = [(p.line, p.column) for p in map(locator.position_of_offset, bad_offsets)]
    start = 0
    if text.startswith(BOM):
        found.append((Code.MT109, "byte order mark (BOM) at the start: strict JSON parsers reject it", 0, "", 1))
        start = 1
    invalid_pointers: set[str] = set()
    duplicates: list[DuplicateKey] = []

    if decoded.unreadable is not None:
        value: Any = None
    elif _NOT_BLANK.search(text, start) is None:  # (str.strip would copy the text)
        empty = "is empty" if len(text) == start else "holds only whitespace"
        found.append((Code.MT110, f'the file {empty}: a manifest is a JSON object such as {{"images": []}}', 0, "", -1))
        value = None
    else:
        vouched = False
        null = False  # the parse read a top-level null (what json.dump(None) writes): value None says less
        known: list[tuple[int, int]] = []  # lone surrogate escapes the tolerant parser met inside strings
        result: ParseResult | None = None
        other: str | None = None  # what a text the tolerant parser read looks like, if not JSON
        try:
            vouched = strict_json(text, start, MAX_DEPTH)
            if vouched:  # the native scanner's one pass says the hooks would pass
                value = _parse_plain(text, start)
                null = value is None
            else:
                # The C decoder's limit is the stack's, not MT111's. Asked first: its pass over the text's
                # bytes (a copy of the file) then comes before the parsed tree exists, not on top of it.
                too_deep, members = structure_of(text)
                if too_deep:
                    raise _Refused
                value, closings = _parse_counted(text, start, members)
                locator.seed_parsed(value, closings)
                null = value is None
                del closings
        except (_Refused, ValueError, RecursionError):
            with _gc_paused():
                result = parse_tolerant(text, start)
            value = result.value
            null, known = result.null, result.lone_surrogates
            other = looks_like_other_format(text[start:], "json", path)
            if other is not None:  # a CSV saved as .json: one sentence, not the tolerant parser's guesses
                found.append((Code.MT201, other, start, "", -1))
                value, null = None, False
            else:
                found.extend((p.code, p.message, p.offset, p.pointer, p.end) for p in result.problems)
                found.extend(_duplicate_findings(result, locator))
                invalid_pointers = result.invalid_pointers
                duplicates = result.duplicates
        searched = vouched or result is not None  # the scanner vouched, or the tolerant parser looked in strings
        lone = _lone_surrogates(text, start, raw, escapes=not searched, known=known)
        found.extend((Code.MT108, message, offset, "", end) for offset, end, message in lone)
        if null or (value is not None and not isinstance(value, dict)):
            found.append(
                (
                    Code.MT201,
                    f"the top level is {_json_type(value)}: a manifest is one JSON object with keys"
                    ' such as "images" and "videos"',
                    locator.offset_of(""),
                    "",
                    -1,
                )
            )

    diagnostics = []
    found = cap_repeats(sorted(found, key=lambda f: f[2]), _code_of, _more_like)
    for code, message, offset, pointer, end in found:
        position = locator.position_of_offset(offset)
        stop = locator.position_of_offset(end) if end > offset else Position(position.line, position.column + 1)
        diagnostics.append(
            Diagnostic(
                code,
                Severity.ERROR,
                message,
                path,
                position.line,
                position.column,
                pointer,
                end_line=stop.line,
                end_column=stop.column,
            )
        )
    locator.release()
    return Manifest(
        path=path,
        format="json",
        data=value if isinstance(value, dict) else None,
        locator=locator,
        reader_diagnostics=diagnostics,
        invalid_pointers=invalid_pointers,
        size_bytes=decoded.size_bytes,
        duplicates=list(duplicates),
        replaced=replaced,
    )


_Found = tuple[RuleCode, str, int, str, int]
"""(code, message, offset, pointer, end offset): end is exclusive; -1 or not past offset: one character."""


def _code_of(found: _Found) -> RuleCode:
    return found[0]


def _more_like(found: _Found, count: int) -> _Found:
    return (found[0], more_message(count), found[2], "", found[4])


def _duplicate_findings(result: ParseResult, locator: JsonLocator) -> Iterator[_Found]:
    for duplicate in result.duplicates:
        first = locator.position_of_offset(duplicate.first_offset)
        yield (
            Code.MT601,
            _duplicate_message(duplicate, f"{first.line}:{first.column}"),
            duplicate.offset,
            duplicate.pointer,
            duplicate.end,
        )


def _duplicate_message(duplicate: DuplicateKey, first: str) -> str:
    kind = KINDS_BY_KEY.get(duplicate.key) if duplicate.pointer.count("/") == 1 else None
    if kind is not None and isinstance(duplicate.dropped, list):
        items = [v for v in duplicate.dropped if isinstance(v, dict)]
        urls = sum(len(Item(kind, i, v).url_fields()) for i, v in enumerate(items))
        noun = kind.label if len(duplicate.dropped) == 1 else kind.plural
        return (
            f'duplicate key "{duplicate.key}": the array at {first} ({len(duplicate.dropped)} {noun},'
            f" {urls} URL{'s' if urls != 1 else ''}) would be silently dropped; merge the two arrays"
        )
    return (
        f'duplicate key "{duplicate.key}": the value at {first} would be silently dropped'
        " (a JSON parser keeps only the last one)"
    )


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"
