"""Encode a run of items of one shape a column (one key's values) at a time, as the C encoder would write each.

The usual chunk of a generated manifest is a run of dicts with the same keys whose values have the same
types. Encoding it item by item calls the encoder once per item, and the encoder takes a step per key
and value. Here each key's values are encoded at once, by C-level maps, and each item's text is then
joined from constant pieces (the keys, braces and separators) and its values' texts.

A run is laid out as :data:`Parts`: constant strings and columns (a text per item), in order; an
item's text is the concatenation of the constants and its entry of each column. Strings the encoder
would not escape (:func:`plain`, on the column joined) are kept as they are, their quotes made part of
the constants around them.

A column costs a few steps whatever its length, so a run with more keys than items (a DICOM series or
an image group of 1,000 frames: a chunk holds a dozen) is taken a row (one item's values) at a time
instead (:class:`Rows`): its strings checked at once, its other values a column at a time as above, and
each item's text joined from a template of its constants.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from json import encoder as _json_encoder
from operator import add, is_, itemgetter, not_
from typing import Any

from manifest_tools.model import run_shape

Parts = list["str | list[str]"]
"""Constants (str) and columns (a text per item), in order."""

Encode = Callable[[Any, int], Any]
"""A C encoder as ``c_make_encoder`` builds it: value, indent level -> its text's pieces."""

_escape = _json_encoder.encode_basestring
"""The function the C encoder itself escapes strings with (``ensure_ascii`` off)."""

_ESCAPED = bytes(range(0x20)) + b'"\\'
"""The characters :data:`_escape` escapes: the quote, the backslash and the C0 controls (all ASCII, so
never part of a longer character's UTF-8 bytes). A test holds it to ``_escape`` over every character."""


def plain(text: str) -> bool:
    """Whether the encoder writes ``text`` as it is between quotes: no character it escapes, and no lone
    surrogate (UTF-8 cannot carry one, so the writer escapes it). Three times faster than asking ``_escape``:
    deleting bytes is a table lookup each, ``_escape`` a branch per character and a copy."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return len(data.translate(None, _ESCAPED)) == len(data)


Members = list[tuple[str, Parts]]
"""Each key's text (quoted, with its colon) and its values' parts, in order."""


def members(
    values: list[dict[str, Any]],
    keys: tuple[str, ...],
    encode: Encode,
    *,
    names: tuple[str, ...] | None = None,
    nested: tuple[str, tuple[tuple[str, str], ...]] | None = None,
    flat: bool = False,
) -> Members | None:
    """The members of a run of plain dicts with ``keys`` (taken in this order, written as ``names`` when
    given); nested objects of one shape are written compact (``{"k": v, "k2": v2}``), the one named by
    ``nested`` (key, (source, name) pairs: a metadata block to rename) as those pairs say, and ``encode``
    writes every other value. None when a value is of a type the encoder has rules of its own for (a
    subclass, a tuple), a key is no string, or (``flat``: for a writer whose nested layout is not
    compact) a value is an object or an array.

    May raise ValueError (NaN or infinity) or RecursionError (a cycle), as the encoder does.
    """
    if not keys or not all(type(name) is str for name in (*keys, *(names or ()))):
        return None
    found: Members = []
    for key, name in zip(keys, names or keys, strict=True):
        column = list(map(itemgetter(key), values))
        parts: Parts | None
        if nested is not None and key == nested[0]:
            pairs = nested[1]
            inner = (
                None if flat else members(column, tuple(s for s, _ in pairs), encode, names=tuple(t for _, t in pairs))
            )
            parts = object_parts(inner, _COMPACT) if inner is not None else None
        else:
            parts = value_parts(column, encode, flat=flat)
        if parts is None:
            return None
        found.append((_escape(name) + ": ", parts))
    return found


def object_parts(found: Members, layout: tuple[str, str, str]) -> Parts:
    """The parts of objects with these members, laid out as ``layout`` says (the text before the first
    member, between two, after the last)."""
    opening, separator, closing = layout
    parts: Parts = []
    for number, (name, value) in enumerate(found):
        parts.append((separator if number else opening) + name)
        parts += value
    parts.append(closing)
    return merged(parts)


_COMPACT = ("{", ", ", "}")


def value_parts(column: list[Any], encode: Encode, *, flat: bool = False) -> Parts | None:
    """The parts of a column of values (see :func:`members`)."""
    types = set(map(type, column))
    if flat and not types <= _SCALAR_TYPES:
        return None
    if len(types) == 1:
        (kind,) = types
        if kind is str:
            if plain("".join(column)):  # the encoder escapes none of them
                return ['"', column, '"']
            return [list(map(_escape, column))]
        if kind is int:
            return [list(map(int.__repr__, column))]  # as the encoder writes an int (ValueError past its digits)
        if kind is float:
            if not all(map(math.isfinite, column)):
                raise ValueError("NaN or infinity")  # as the encoder refuses them
            return [list(map(float.__repr__, column))]
        if kind is dict:
            keys = run_shape(column)
            nested = members(column, keys, encode) if keys else None
            if nested is not None:
                return object_parts(nested, _COMPACT)
    if types <= _LITERAL_TYPES:
        return [list(map(_LITERALS.__getitem__, column))]
    if types <= _ENCODED_TYPES:
        return [list(map("".join, map(encode, column, repeat(0, len(column)))))]
    return None


def scalar_texts(column: list[Any], encode: Encode) -> tuple[str, list[str]] | None:
    """(quote, texts) of a column of scalars: each value is written quote + its text + quote (the strings
    themselves between quotes when the encoder escapes none of them); None for any other column."""
    parts = value_parts(column, encode, flat=True)
    if parts is None:
        return None
    if len(parts) == 3:  # ['"', the strings, '"']
        return '"', parts[1]  # type: ignore[return-value]
    return "", parts[0]  # type: ignore[return-value]


_LITERALS: dict[Any, str] = {True: "true", False: "false", None: "null"}
_LITERAL_TYPES = {bool, type(None)}
_SCALAR_TYPES = {str, int, float, bool, type(None)}
_ENCODED_TYPES = {str, int, float, bool, type(None), dict, list}


def merged(parts: Parts) -> Parts:
    """Neighbouring constants joined into one."""
    merged: Parts = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def widths(parts: Parts) -> list[int]:
    """The length of each item's text."""
    fixed = sum(len(part) for part in parts if isinstance(part, str))
    columns = [map(len, part) for part in parts if not isinstance(part, str)]
    if not columns:
        raise ValueError("parts without a column have no items")
    return list(map(fixed.__add__, map(sum, zip(*columns, strict=True))))


def texts(parts: Parts, count: int) -> Iterator[str]:
    """The text of each of ``count`` items."""
    if all(isinstance(part, str) for part in parts):
        return repeat("".join(parts), count)  # type: ignore[arg-type]  # (all constants)
    pieces = [repeat(part) if isinstance(part, str) else part for part in parts]
    return map("".join, zip(*pieces, strict=False))  # the repeats are endless; the columns are as long


Layout = tuple[str, str, str]
"""The text before an object's first member, between two members, after the last."""


@dataclass(frozen=True)
class Rows:
    """A run of objects of one shape, a row (one object's values) at a time (for runs with more keys than
    objects). An object's text is ``opening``, then for each member its name and its value's text between
    its quotes, ``separator`` between members, and ``closing``."""

    names: tuple[str, ...]
    """Each key's text: quoted, with its colon and space."""
    quotes: tuple[str, ...]
    """Each member's quote: '"' where every value is a string written as it is, else ""."""
    values: list[tuple[Any, ...]]
    """Each object's values in key order: where quoted, the string itself, the text of the others below."""
    others: list[tuple[int, list[str]]]
    """Each unquoted member's place and its values' texts, an object at a time."""


def rows(
    values: list[dict[str, Any]],
    keys: tuple[str, ...],
    encode: Encode,
    *,
    nested: tuple[str, tuple[tuple[str, str], ...]] | None = None,
) -> Rows | None:
    """The :class:`Rows` of a run of plain dicts with ``keys`` (taken in this order; ``nested``, ``encode``
    and None as for :func:`members`; None too when a string needs an escape: the caller encodes it).

    A member whose first value is a string is quoted: its values are joined and checked at once
    (:func:`plain`; joining fails on any that is no string); the other members go through
    :func:`members`, a column each.

    May raise ValueError (NaN or infinity) or RecursionError (a cycle), as the encoder does.
    """
    if len(keys) < 2 or set(map(type, keys)) != _STR:  # (one key: itemgetter gives no tuple)
        return None
    table: list[tuple[Any, ...]] = list(map(itemgetter(*keys), values))
    quoted = list(map(is_, map(type, table[0]), repeat(str)))
    strings = list(compress(range(len(keys)), quoted))
    if strings:
        pick = itemgetter(*strings) if len(strings) > 1 else _one(strings[0])
        try:  # a row at a time: its text stays in the cache between joining and checking
            if not all(map(plain, map("".join, map(pick, table)))):
                return None
        except TypeError:  # a value that is no string where the first object has one
            return None
    places = list(compress(range(len(keys)), map(not_, quoted)))
    others: list[tuple[int, list[str]]] = []
    if places:
        found = members(values, tuple(map(keys.__getitem__, places)), encode, nested=nested)
        if found is None:
            return None
        others = [(place, list(texts(parts, len(values)))) for place, (_, parts) in zip(places, found, strict=True)]
    return Rows(_names(keys), tuple(map(_QUOTE.__getitem__, quoted)), table, others)


_STR = {str}
_QUOTE = {True: '"', False: ""}


def _one(place: int) -> Callable[[tuple[Any, ...]], tuple[Any]]:
    """As ``itemgetter(place)``, but giving a tuple of the one value (as itemgetter does for several)."""
    return lambda row: (row[place],)


@lru_cache(maxsize=16)
def _names(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Each key's text, quoted, with its colon and space (asked again for each chunk of a kind's array)."""
    return tuple(map(add, map(_escape, keys), repeat(": ")))


@lru_cache(maxsize=16)
def row_template(names: tuple[str, ...], quotes: tuple[str, ...], layout: Layout) -> tuple[str, ...]:
    """An object's text with its values left out: constants at even places, "" at odd ones (the values')."""
    opening, separator, closing = layout
    middle = map("".join, zip(quotes, repeat(separator), names[1:], quotes[1:], strict=False))  # one fewer
    constants = [opening + names[0] + quotes[0], *middle, quotes[-1] + closing]
    template = [""] * (2 * len(constants) - 1)
    template[0::2] = constants
    return tuple(template)


def rows_text(found: Rows, layouts: list[Layout], separator: str) -> str:
    """The objects' texts, each in its layout (one per object), joined by ``separator``: the pieces of them
    all are joined at once (joining each object's and then the objects would copy the text twice)."""
    templates = {layout: row_template(found.names, found.quotes, layout) for layout in set(layouts)}
    pieces: list[str] = []
    for number, (row, layout) in enumerate(zip(found.values, layouts, strict=True)):
        if number:
            pieces.append(separator)
        at = len(pieces) + 1  # the first value's place
        pieces += templates[layout]
        pieces[at : at + 2 * len(row) : 2] = row
        for place, column in found.others:
            pieces[at + 2 * place] = column[number]
    return "".join(pieces)
