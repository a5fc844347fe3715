"""Finds the line and column of a JSON pointer in JSON text, lazily.

The fast path parses with the C decoder, which keeps no positions. A clean
manifest never needs one, so positions are found only when a diagnostic asks:
each container on the way to the pointer is scanned once for the offsets of its
children (skipping child values at C speed where the JSON is valid) and cached.
"""

from __future__ import annotations

import json
import re

from manifest_tools.model import Position, split_pointer
from manifest_tools.readers.json_syntax import skip_container
from manifest_tools.readers.text import BOM, LineIndex

_BLANK = re.compile(r"(?:[ \t\n\r]+|//[^\n]*|/\*.*?(?:\*/|\Z))*", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?|\'(?:[^\'\\\n]|\\.)*\'?')
_SCALAR_END = re.compile(r"[,\]}:\s/]")
_DECODER = json.JSONDecoder()

Child = tuple[str, int, int]
"""(reference token, offset of the key or -1 for array elements, offset of the value)."""


class JsonLocator:
    """Locates JSON pointers in ``text``; last duplicate wins, as in the parsed value."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines = LineIndex(text)
        self._children: dict[int, dict[str, tuple[int, int]]] = {}
        self._root = self._skip_blank(1 if text.startswith(BOM) else 0)

    def position_of_offset(self, offset: int) -> Position:
        return self._lines.position(offset)

    def locate(self, pointer: str, *, key: bool = False) -> Position:
        return self._lines.position(self.offset_of(pointer, key=key))

    def offset_of(self, pointer: str, *, key: bool = False) -> int:
        """Offset of the value at ``pointer``, or of its nearest ancestor that exists."""
        value_offset, key_offset = self._root, -1
        for token in split_pointer(pointer):
            children = self._children_of(value_offset)
            found = children.get(token)
            if found is None:
                return value_offset
            key_offset, value_offset = found
        return key_offset if key and key_offset >= 0 else value_offset

    def _skip_blank(self, offset: int) -> int:
        match = _BLANK.match(self._text, offset)
        return match.end() if match else offset

    def _children_of(self, offset: int) -> dict[str, tuple[int, int]]:
        cached = self._children.get(offset)
        if cached is None:
            cached = {name: (k, v) for name, k, v in self._scan_children(offset)}
            self._children[offset] = cached
        return cached

    def _scan_children(self, offset: int) -> list[Child]:
        text = self._text
        if offset >= len(text) or text[offset] not in "{[":
            return []
        is_object = text[offset] == "{"
        children: list[Child] = []
        pos = offset + 1
        index = 0
        while True:
            pos = self._skip_blank(pos)
            if pos >= len(text) or text[pos] in "}]":
                return children
            if text[pos] == ",":
                pos += 1
                continue
            if is_object:
                key_offset = pos
                name, pos = self._read_key(pos)
                pos = self._skip_blank(pos)
                if pos < len(text) and text[pos] == ":":
                    pos = self._skip_blank(pos + 1)
                children.append((name, key_offset, pos))
            else:
                children.append((str(index), -1, pos))
                index += 1
            end = self._skip_value(pos)
            if end <= pos:
                return children
            pos = end

    def _read_key(self, pos: int) -> tuple[str, int]:
        text = self._text
        match = _STRING.match(text, pos)
        if match:
            raw = match.group()
            try:
                return str(json.loads(raw)), match.end()
            except ValueError:
                return raw.strip("\"'"), match.end()
        end = pos
        while end < len(text) and text[end] not in ':,}]" \t\r\n':
            end += 1
        return text[pos:end], max(end, pos + 1)

    def _skip_value(self, pos: int) -> int:
        """Offset just past the value starting at ``pos``: C speed when it is valid JSON."""
        try:
            return int(_DECODER.raw_decode(self._text, pos)[1])
        except (ValueError, RecursionError):
            pass
        text = self._text
        if pos < len(text) and text[pos] in "{[":
            return skip_container(text, pos)
        string = _STRING.match(text, pos)
        if string:
            return string.end()
        end = _SCALAR_END.search(text, pos)
        return end.start() if end else len(text)
