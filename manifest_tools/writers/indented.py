"""``json.dumps(value, indent=2, allow_nan=False)``, byte for byte, at the C encoder's speed.

With ``indent`` set, Python 3.11's json module drops to its pure-Python encoder:
a generator per container, ten times slower than the C one on a payload of
half a million items. Here only the nesting is walked in Python; every
container that holds no other container (most of a manifest: metadata blocks,
a group's frames) is written by the C encoder, with the separators of its depth.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json import encoder as _encoder
from typing import Any

_INDENT = "  "


_C_MAKE_ENCODER: Callable[..., Any] | None = getattr(_encoder, "c_make_encoder", None)
_Encode = Callable[[Any, int], tuple[str, ...]]


class Unusual(Exception):
    """A value the fast walk does not render exactly as json.dumps would: the caller falls back to json.dumps."""


class IndentedWriter:
    """Writes values as ``json.dumps(indent=2)`` does at a given depth; raises Unusual where it would not."""

    def __init__(self, ensure_ascii: bool) -> None:
        self._string: Callable[[str], str] = (
            _encoder.encode_basestring_ascii if ensure_ascii else _encoder.encode_basestring
        )
        self.string = self._string
        """A string as JSON text (the C function itself: called once per value)."""
        self._leaf_encoders: list[_Encode] = []
        self._scalar = self._c_encoder(", ")

    def _c_encoder(self, item_separator: str) -> _Encode:
        """The C encoder json.dumps itself would build, with these separators."""
        default = json.JSONEncoder().default
        return _C_MAKE_ENCODER({}, default, self._string, None, ": ", item_separator, False, False, False)  # type: ignore[no-any-return,misc]

    def leaf_encoder(self, depth: int) -> _Encode:
        """The C encoder of a container of scalars at ``depth``: compact but for its item separator."""
        return self._leaf_encoder(depth)

    def _leaf_encoder(self, depth: int) -> _Encode:
        while len(self._leaf_encoders) <= depth:
            self._leaf_encoders.append(self._c_encoder(",\n" + _INDENT * (len(self._leaf_encoders) + 1)))
        return self._leaf_encoders[depth]

    def write(self, value: Any, depth: int, out: list[str]) -> None:
        kind = type(value)
        if kind is dict:
            if not value:
                out.append("{}")
            elif SCALARS.issuperset(map(type, value.values())):
                self._leaf(value, depth, out)
            else:
                self._members(value, depth, out)
        elif kind is list:
            if not value:
                out.append("[]")
            elif SCALARS.issuperset(map(type, value)):
                self._leaf(value, depth, out)
            elif self._string_records(value, depth, out):
                pass
            else:
                inner = "\n" + _INDENT * (depth + 1)
                out.append("[")
                separator = inner
                for item in value:
                    out.append(separator)
                    self.write(item, depth + 1, out)
                    separator = "," + inner
                out.append("\n" + _INDENT * depth + "]")
        elif kind is str:
            out.append(self._string(value))
        elif kind in SCALARS:
            out.extend(self._scalar(value, 0))
        else:
            raise Unusual  # tuples, subclasses, other types: json.dumps's own rules apply

    def _members(self, value: dict[Any, Any], depth: int, out: list[str]) -> None:
        """A non-empty object holding a container: string members are written in one piece each."""
        if not _STRINGS.issuperset(map(type, value)):
            raise Unusual  # json.dumps converts such keys; not worth copying its rules
        inner = "\n" + _INDENT * (depth + 1)
        separator = "{" + inner
        string = self._string
        for key, item in value.items():
            if type(item) is str:
                out.append(separator + string(key) + ": " + string(item))
            else:
                out.append(separator + string(key) + ": ")
                self.write(item, depth + 1, out)
            separator = "," + inner
        out.append("\n" + _INDENT * depth + "}")

    def _string_records(self, values: list[Any], depth: int, out: list[str]) -> bool:
        """A list of dicts with the same keys and string values (a group's frames: ``{"url": ...}``),
        written from one template; False (nothing written) for any other list."""
        first = values[0]
        if type(first) is not dict or not first or not all(type(key) is str for key in first):
            return False
        keys = tuple(first)
        if not all(type(v) is dict and tuple(v) == keys and all(type(s) is str for s in v.values()) for v in values):
            return False
        item_indent, field_indent = "\n" + _INDENT * (depth + 1), "\n" + _INDENT * (depth + 2)
        string = self._string
        heads = [("{" if n == 0 else ",") + field_indent + string(key) + ": " for n, key in enumerate(keys)]
        close = item_indent + "}"
        if len(keys) == 1:
            (key,), head = keys, heads[0]
            records = [head + string(record[key]) + close for record in values]
        else:
            pairs = list(zip(heads, keys, strict=True))
            records = ["".join(h + string(record[k]) for h, k in pairs) + close for record in values]
        out.append("[" + item_indent + ("," + item_indent).join(records) + "\n" + _INDENT * depth + "]")
        return True

    def _leaf(self, value: dict[str, Any] | list[Any], depth: int, out: list[str]) -> None:
        """A non-empty container of scalars: ``{a, b}`` compact becomes ``{\\n<indent>a,\\n<indent>b\\n}``."""
        if type(value) is dict and not _STRINGS.issuperset(map(type, value)):
            raise Unusual
        text = "".join(self._leaf_encoder(depth)(value, 0))
        out.append(text[0] + "\n" + _INDENT * (depth + 1) + text[1:-1] + "\n" + _INDENT * depth + text[-1])


SCALARS = frozenset({str, int, float, bool, type(None)})
_STRINGS = frozenset({str})


def dumps_indented(value: Any, *, ensure_ascii: bool) -> str:
    """As ``json.dumps(value, indent=2, ensure_ascii=ensure_ascii, allow_nan=False)`` (raises ValueError alike)."""
    out: list[str] = []
    if _C_MAKE_ENCODER is None:  # no C accelerator (another Python implementation)
        return json.dumps(value, indent=2, ensure_ascii=ensure_ascii, allow_nan=False)
    try:
        IndentedWriter(ensure_ascii).write(value, 0, out)
    except Unusual:
        return json.dumps(value, indent=2, ensure_ascii=ensure_ascii, allow_nan=False)
    return "".join(out)
