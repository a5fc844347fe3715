"""Write manifests as canonical JSON: strict, canonical key order, one item per line.

Layout::

    {
      "images": [
        {"title": "a.jpg", "objectUrl": "https://..."},
        {"objectUrl": "https://..."}
      ],
      "image_groups": [
        {
          "title": "scan-7",
          "objectUrl_0": "https://.../0001.jpg",
          "objectUrl_1": "https://.../0002.jpg"
        }
      ],
      "skip_duplicate_urls": true
    }

The structure is indented by two spaces and each item is one line: a change to
one item is a one-line diff, and every item is encoded by the C encoder (with
``indent`` the json module falls back to pure Python, three times slower on a
maximum-size manifest).

A group (an item of a multi-file kind: image groups, DICOM series) whose line would be longer than
:data:`GROUP_LINE_WIDTH` is written one key per line instead: a group grows with
its frames (2,000 frames made one 163 KB line, with diagnostics at column
121,954), so per-key lines keep a frame's diff to one line and a diagnostic's
column small. Other items stay one line even when long: their length comes from
one long value (a pre-signed URL, a metadata block), which splitting the keys
would not shorten. A value nested in a group (``clientMetadata``) stays on its
key's line. The choice depends on the item alone, so writing the
canonical form of canonical output changes nothing.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterator
from itertools import repeat
from json import encoder as _json_encoder
from operator import add, getitem, mul, sub
from typing import Any, Protocol

from manifest_tools.canonical import canonical_items, canonical_order, canonical_run, canonical_top_level
from manifest_tools.collector import collector_paused
from manifest_tools.errors import NonFiniteNumber
from manifest_tools.kinds import KINDS_BY_KEY, Kind
from manifest_tools.model import escape_pointer_token, join_pointer
from manifest_tools.redact import SURROGATE  # what UTF-8 cannot encode: then escapes, as json.dumps
from manifest_tools.writers import columns

GROUP_LINE_WIDTH = 120
"""A group whose line (indentation included) is longer than this is written one key per line:
the width of a terminal or a review tool's side-by-side column."""
_ITEM_INDENT = 4

_ITEM_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
_ASCII_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(", ", ": "))
_KEY_SEPARATOR = ",\n      "
"""Between the keys of a group written one key per line."""
_SEPARATOR_GROWTH = len(_KEY_SEPARATOR) - len(", ")
_GROUP_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(_KEY_SEPARATOR, ": "))
_GROUP_ASCII_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(_KEY_SEPARATOR, ": "))


def encode_line(value: Any, pointer: str = "") -> str:
    """One value as a single line of strict JSON (the C encoder; escapes only what UTF-8 cannot carry).

    Raises :class:`NonFiniteNumber` (naming where, below ``pointer``) for NaN or infinity.
    """
    try:
        text = _ITEM_ENCODER.encode(value)
    except ValueError as error:
        raise NonFiniteNumber(pointer + non_finite_pointer(value)) from error
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only an escape can carry it
        text = _ASCII_ENCODER.encode(value)
    return text


def encode_item(item: Any, pointer: str, group: bool = False) -> str:
    """An item of a kind's array as written at indentation 4: one line, or for a long ``group`` (an item of
    a multi-file kind; see the module docstring) one key per line at indentation 6, closing brace at 4."""
    if not group or not isinstance(item, dict) or not item:
        return encode_line(item, pointer)
    if any(isinstance(value, (dict, list)) for value in item.values()):  # nested values stay on their key's line
        line = encode_line(item, pointer)
        if len(line) + _ITEM_INDENT <= GROUP_LINE_WIDTH:
            return line
        body = _KEY_SEPARATOR.join(f"{encode_line(key)}: {encode_line(value)}" for key, value in item.items())
        return "{" + _KEY_SEPARATOR[1:] + body + "\n    }"
    # A flat group (the usual one): one C-encoder call with the keys already on their own lines. JSON
    # strings escape every newline, so the separators are the only ones and joining them back is exact.
    try:
        text = _GROUP_ENCODER.encode(item)
    except ValueError:  # NaN: encode_line says where
        return encode_line(item, pointer)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as in encode_line
        text = _GROUP_ASCII_ENCODER.encode(item)
    if len(text) - (len(item) - 1) * _SEPARATOR_GROWTH + _ITEM_INDENT <= GROUP_LINE_WIDTH:
        return text.replace(_KEY_SEPARATOR, ", ")
    return "{" + _KEY_SEPARATOR[1:] + text[1:-1] + "\n    }"


_FIRST_CHUNK = 256
_CHUNK_CHARS = 1 << 20
"""Items are encoded and written a chunk at a time, a chunk sized to about this many characters from
the last one's (items of an array are alike): few calls, and little text held at once."""


def _c_encoder(item_separator: str) -> Callable[[Any, int], Any] | None:
    """The C encoder ``json.dumps`` builds (ensure_ascii off, NaN refused), made once and reused; without
    ``check_circular``'s markers (a dict insert and delete per object: a tenth of encoding small items). A
    parsed manifest has no cycle; a value with one raises RecursionError here, and ``encode_item``, which
    checks, says so."""
    make = getattr(_json_encoder, "c_make_encoder", None)
    if make is None:  # another Python implementation
        return None
    string = _json_encoder.encode_basestring
    return make(None, _ITEM_ENCODER.default, string, None, ": ", item_separator, False, False, False)  # type: ignore[no-any-return]


_FAST_LINE = _c_encoder(", ")
_FAST_GROUP = _c_encoder(_KEY_SEPARATOR)


def _encoded_items(values: list[Any], key: str, start: int, group: bool) -> str:
    """Items ``values`` (at ``start`` in the array ``key``) as written, joined by their separators.

    The C encoder encodes them in one pass (exactly :func:`encode_item`'s text); anything it does not
    cover as encode_item does (NaN, a lone surrogate, a nested group) goes through encode_item.
    """
    lines = group and _short_first(values)
    encode = _FAST_GROUP if group and not lines else _FAST_LINE
    try:
        if encode is None:
            raise ValueError
        texts = list(map("".join, map(encode, values, repeat(0, len(values)))))
    except (ValueError, RecursionError):  # NaN or infinity (or a cycle): encode_item says where
        texts = [encode_item(v, join_pointer(key, start + i), group) for i, v in enumerate(values)]
        lines = group = False
    if lines:
        texts = _short_lines(values, texts, key, start)
    elif group:
        texts = _long_groups(values, texts) or list(_group_lines(values, texts, key, start))
    joined = _ITEM_SEPARATOR.join(texts)
    if not joined.isascii() and SURROGATE.search(joined):  # only an escape can carry it
        joined = _ITEM_SEPARATOR.join(encode_item(v, join_pointer(key, start + i), group) for i, v in enumerate(values))
    return joined


def _short_first(values: list[Any]) -> bool:
    """Whether the run's first group fits on one line: then its neighbours are encoded as lines first
    (:func:`_short_lines`), else with every key on its own line (:func:`_group_lines`). Either gives
    encode_item's text; the guess only spares encoding a run of long groups twice."""
    first = values[0] if values else None
    if _FAST_LINE is None or type(first) is not dict:
        return False
    if sum(map(len, first)) + 6 * len(first) > GROUP_LINE_WIDTH:  # its keys alone, quoted, with ": " and ", "
        return False
    try:
        return len("".join(_FAST_LINE(first, 0))) + _ITEM_INDENT <= GROUP_LINE_WIDTH
    except (ValueError, RecursionError):
        return False


def _short_lines(values: list[Any], texts: list[str], key: str, start: int) -> list[str]:
    """Each group as :func:`encode_item` writes it, from its one-line text (``encode_line``'s): a line
    that fits is the group's text whatever it holds; the rare longer one is written one key per line."""
    if max(map(len, texts)) + _ITEM_INDENT <= GROUP_LINE_WIDTH:
        return texts
    return [
        text if len(text) + _ITEM_INDENT <= GROUP_LINE_WIDTH else encode_item(value, join_pointer(key, start + i), True)
        for i, (value, text) in enumerate(zip(values, texts, strict=True))
    ]


def _long_groups(values: list[Any], texts: list[str]) -> list[str] | None:
    """:func:`_group_lines` of a run of flat groups (non-empty dicts, no nested value) that are all too long
    for one line (a generated manifest's usual run of groups with long URLs), in C-level passes; None for
    any other run."""
    if set(map(type, values)) != _DICT or not all(values):
        return None
    keys = list(map(len, values))
    if set(map(sub, keys, map(str.count, texts, repeat(_KEY_SEPARATOR)))) != _ONE:  # a nested value's separators
        return None
    lines = map(sub, map(len, texts), map(mul, map(sub, keys, repeat(1)), repeat(_SEPARATOR_GROWTH)))
    if min(lines) + _ITEM_INDENT <= GROUP_LINE_WIDTH:
        return None
    inner: Iterator[str] = map(getitem, texts, repeat(_INSIDE))
    return list(map("".join, zip(repeat("{" + _KEY_SEPARATOR[1:]), inner, repeat("\n    }"))))


_DICT = {dict}
_ONE = {1}
_INSIDE = slice(1, -1)


def _group_lines(values: list[Any], texts: list[str], key: str, start: int) -> Iterator[str]:
    """Each group as :func:`encode_item` writes it, from its text with every key on its own line."""
    for index, (value, text) in enumerate(zip(values, texts, strict=True)):
        if type(value) is not dict or not value or text.count(_KEY_SEPARATOR) != len(value) - 1:
            # not a non-empty object, or a nested value with separators of its own
            yield encode_item(value, join_pointer(key, start + index), True)
        elif len(text) - (len(value) - 1) * _SEPARATOR_GROWTH + _ITEM_INDENT <= GROUP_LINE_WIDTH:
            yield text.replace(_KEY_SEPARATOR, ", ")
        else:
            yield "{" + _KEY_SEPARATOR[1:] + text[1:-1] + "\n    }"


_ITEM_SEPARATOR = ",\n    "


class Writable(Protocol):
    """Where text is written: a text file, or anything with its ``write``."""

    def write(self, text: str, /) -> Any: ...


Resolve = Callable[[str, list[Any]], list[Any]]
"""(kind key, a run of that array's elements) -> the elements to write in their place, same length."""


@collector_paused()
def write_json(data: dict[str, Any], out: Writable, resolve: Resolve | None = None) -> None:
    """Stream canonical JSON to ``out``; raises NonFiniteNumber for values strict JSON cannot hold (NaN).

    Items are put in canonical order and encoded a chunk at a time, each chunk in one C-encoder pass.
    ``resolve``, when given, is handed each chunk of a kind's array before that, in order, and returns
    what to write instead (``certified_fix`` puts the parsed item in place of each placeholder there).
    """
    ordered = canonical_top_level(data)
    out.write("{")
    for number, (key, value) in enumerate(ordered.items()):
        out.write(",\n  " if number else "\n  ")
        out.write(encode_line(key) + ": ")
        if isinstance(value, list) and value:
            out.write("[\n    ")
            for start, text in _chunks(key, value, resolve):
                if start:
                    out.write(_ITEM_SEPARATOR)
                out.write(text)  # (not joined to the separator: a copy of a chunk of about a MiB)
            out.write("\n  ]")
        else:
            out.write(encode_line(value, join_pointer(key)))
    out.write("\n}\n" if ordered else "}\n")


def _chunks(key: str, values: list[Any], resolve: Resolve | None = None) -> Iterator[tuple[int, str]]:
    """The array ``key``'s items as written, a chunk at a time: (the chunk's first index, its items' text)."""
    kind = KINDS_BY_KEY.get(key)
    group = kind is not None and kind.multi_file
    start, size = 0, _FIRST_CHUNK
    while start < len(values):
        chunk = values[start : start + size]
        if resolve is not None and kind is not None:
            chunk = resolve(key, chunk)
        text = _encoded_run(kind, chunk, key, start, group)
        yield start, text
        start += len(chunk)
        size = max(1, min(size * 4, size * _CHUNK_CHARS // max(1, len(text))))


def item_bytes(key: str, values: list[Any], newline: str = "\n") -> list[int] | None:
    """The UTF-8 bytes of each item of the array ``key`` as :func:`write_json` writes it (its lines ended by
    ``newline``), counted in the writer's own text, a chunk at a time; None unless every item is an object.

    An object's text starts with ``{`` and ends with ``}``; items are joined by ``,`` + line end + 4 spaces,
    and no other line of the text starts with 4 spaces and ``{`` (a long group's keys are indented 6, its
    closing brace is followed by the separator or the end, and a JSON string holds no raw line end): so
    the text cut at ``},`` + line end + 4 spaces + ``{`` gives each item's text, less a brace at each cut.
    """
    if set(map(type, values)) != _DICT:
        return None
    sizes: list[int] = []
    crlf = len(newline) - 1  # the bytes each line end adds beyond its "\n"
    for _, text in _chunks(key, values):
        pieces = text.split(_ITEM_BOUNDARY)
        lengths = list(map(len, pieces)) if text.isascii() else list(map(_utf8_len, pieces))
        if crlf:
            lengths = list(map(add, lengths, map(mul, map(str.count, pieces, repeat("\n")), repeat(crlf))))
        lengths[0] -= 1  # each piece but the first and the last lost two braces at its cuts
        lengths[-1] -= 1
        sizes += map(add, lengths, repeat(2))
    return sizes if len(sizes) == len(values) else None  # never otherwise, as said above: then item by item


_ITEM_BOUNDARY = "}" + ",\n    " + "{"


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _encoded_run(kind: Kind | None, chunk: list[Any], key: str, start: int, group: bool) -> str:
    """The chunk's items in canonical order, encoded: metadata renamed in the text when
    :func:`canonical_run` allows it and each name is found exactly once per item (a key is the only place
    where ``"name": `` can be: inside a JSON string every quote is escaped), else renamed item by item.
    A run of one shape is written column by column (:func:`_column_run`) when it can be."""
    if kind is None:
        return _encoded_items(chunk, key, start, group)
    plan = canonical_order(kind, chunk)
    if plan is not None:
        order, block = plan
        nested = (kind.metadata.key, block) if block and kind.metadata is not None else None
        text = _column_run(chunk, order, group, nested)
        if text is not None:
            return text
    items, renames = canonical_run(kind, chunk)
    if renames:
        try:
            text = _encoded_items(items, key, start, group)
        except NonFiniteNumber:  # named below, at the pointer of the canonical name
            text = ""
        renamed = _renamed(text, renames, len(items)) if text else None
        if renamed is not None:
            return renamed
        items = canonical_items(kind, chunk)
    return _encoded_items(items, key, start, group)


def _renamed(text: str, renames: tuple[tuple[str, str], ...], items: int) -> str | None:
    """``text`` (of ``items`` items) with each key ``source`` written ``target``, or None unless each source
    key is found exactly once per item."""
    if not renames:
        return text
    tokens = [(encode_line(source) + ": ", encode_line(target) + ": ") for source, target in renames]
    if not all(text.count(source) == items for source, _ in tokens):
        return None
    for source, target in tokens:
        text = text.replace(source, target)
    return text


def _column_run(
    values: list[Any],
    order: tuple[str, ...],
    group: bool,
    nested: tuple[str, tuple[tuple[str, str], ...]] | None = None,
) -> str | None:
    """:func:`_encoded_items` of a run of plain dicts of one shape, taken in the key ``order``, built a
    column at a time (:mod:`manifest_tools.writers.columns`; ``nested``: the metadata block's key and its
    (source, canonical name) pairs). None (the caller encodes item by item) for any other run: a value of
    a type the encoder has rules of its own for, NaN, a lone surrogate, a key that is no string, or groups
    some of which fit on a line and some not. A run with more keys than items is taken a row at a time
    (:func:`_row_run`)."""
    if _FAST_LINE is None:
        return None
    if len(values) < len(order):  # a column per key pays off for runs longer than that
        return _row_run(values, order, group, nested)
    try:
        found = columns.members(values, order, _FAST_LINE, nested=nested)
    except (ValueError, RecursionError):  # NaN or infinity (or a cycle): encode_item says where
        return None
    if found is None:
        return None
    parts = columns.object_parts(found, _LINE_LAYOUT)
    if group:
        lengths = columns.widths(parts)
        if max(lengths) + _ITEM_INDENT > GROUP_LINE_WIDTH:
            if min(lengths) + _ITEM_INDENT <= GROUP_LINE_WIDTH:
                return None  # some fit on a line, some do not
            parts = columns.object_parts(found, _GROUP_LAYOUT)
    joined = _ITEM_SEPARATOR.join(columns.texts(parts, len(values)))
    if not joined.isascii() and SURROGATE.search(joined):
        return None
    return joined


def _row_run(
    values: list[Any], order: tuple[str, ...], group: bool, nested: tuple[str, tuple[tuple[str, str], ...]] | None
) -> str | None:
    """:func:`_column_run` of a run with more keys than items (a chunk of DICOM series or image groups of
    1,000 frames): each item joined from its values (:func:`columns.rows`), a group in the layout its
    one-line width calls for (as :func:`encode_item` chooses); None for the runs ``_column_run`` leaves."""
    assert _FAST_LINE is not None
    try:
        found = columns.rows(values, order, _FAST_LINE, nested=nested)
    except (ValueError, RecursionError):  # NaN or infinity (or a cycle): encode_item says where
        return None
    if found is None:
        return None
    layouts = [_LINE_LAYOUT] * len(values)
    if group and sum(map(len, columns.row_template(found.names, found.quotes, _LINE_LAYOUT))) + _ITEM_INDENT <= (
        GROUP_LINE_WIDTH
    ):  # a few short keys (a small run): some of its groups may fit on a line
        lines = columns.rows_text(found, layouts, "\x00").split("\x00")  # (encoded JSON holds no raw NUL)
        layouts = [_LINE_LAYOUT if len(line) + _ITEM_INDENT <= GROUP_LINE_WIDTH else _GROUP_LAYOUT for line in lines]
    elif group:  # the keys alone are too long for a line
        layouts = [_GROUP_LAYOUT] * len(values)
    joined = columns.rows_text(found, layouts, _ITEM_SEPARATOR)
    if not joined.isascii() and SURROGATE.search(joined):  # (in a key: the values were checked)
        return None
    return joined


_LINE_LAYOUT = ("{", ", ", "}")
_GROUP_LAYOUT = ("{" + _KEY_SEPARATOR[1:], _KEY_SEPARATOR, "\n    }")


def non_finite_pointer(value: Any) -> str:
    """The JSON pointer (relative to ``value``) of its first NaN or infinity, or "" for ``value`` itself.

    Iterative: the value may be nested deeper than Python's recursion limit.
    """
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        pointer, current = stack.pop()
        if isinstance(current, float) and not math.isfinite(current):
            return pointer
        if isinstance(current, dict):
            stack.extend((f"{pointer}/{escape_pointer_token(str(k))}", v) for k, v in reversed(current.items()))
        elif isinstance(current, list):
            stack.extend((f"{pointer}/{i}", v) for i, v in reversed(list(enumerate(current))))
    return ""


def dumps_json(data: dict[str, Any]) -> str:
    """Canonical JSON text (see :func:`write_json`)."""
    buffer = io.StringIO()
    write_json(data, buffer)
    return buffer.getvalue()
