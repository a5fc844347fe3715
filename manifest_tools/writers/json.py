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
from typing import IO, Any

from manifest_tools.canonical import canonical_manifest
from manifest_tools.errors import NonFiniteNumber
from manifest_tools.kinds import KINDS_BY_KEY
from manifest_tools.model import escape_pointer_token, join_pointer

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


def write_json(data: dict[str, Any], out: IO[str]) -> None:
    """Stream canonical JSON to ``out``; raises NonFiniteNumber for values strict JSON cannot hold (NaN)."""
    ordered = canonical_manifest(data)
    out.write("{")
    for number, (key, value) in enumerate(ordered.items()):
        out.write(",\n  " if number else "\n  ")
        out.write(encode_line(key) + ": ")
        if isinstance(value, list) and value:
            out.write("[")
            kind = KINDS_BY_KEY.get(key)
            group = kind is not None and kind.multi_file
            for index, item in enumerate(value):
                out.write(",\n    " if index else "\n    ")
                out.write(encode_item(item, join_pointer(key, index), group))
            out.write("\n  ]")
        else:
            out.write(encode_line(value, join_pointer(key)))
    out.write("\n}\n" if ordered else "}\n")


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
