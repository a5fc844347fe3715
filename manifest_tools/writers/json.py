"""Write manifests as canonical JSON: strict, canonical key order, one item per line.

Layout::

    {
      "images": [
        {"title": "a.jpg", "objectUrl": "https://..."},
        {"objectUrl": "https://..."}
      ],
      "skip_duplicate_urls": true
    }

The structure is indented by two spaces and each item is one line: a change to
one item is a one-line diff, and every item is encoded by the C encoder (with
``indent`` the json module falls back to pure Python, three times slower on a
maximum-size manifest).
"""

from __future__ import annotations

import io
import json
import math
from typing import IO, Any

from manifest_tools.canonical import canonical_manifest
from manifest_tools.errors import NonFiniteNumber
from manifest_tools.model import escape_pointer_token, join_pointer

_ITEM_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
_ASCII_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(", ", ": "))


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


def write_json(data: dict[str, Any], out: IO[str]) -> None:
    """Stream canonical JSON to ``out``; raises NonFiniteNumber for values strict JSON cannot hold (NaN)."""
    ordered = canonical_manifest(data)
    out.write("{")
    for number, (key, value) in enumerate(ordered.items()):
        out.write(",\n  " if number else "\n  ")
        out.write(encode_line(key) + ": ")
        if isinstance(value, list) and value:
            out.write("[")
            for index, item in enumerate(value):
                out.write(",\n    " if index else "\n    ")
                out.write(encode_line(item, join_pointer(key, index)))
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
