"""A tolerant, iterative JSON parser that reports every syntax problem it meets.

The platform parses strict JSON. Users write JSON by hand, or copy the platform's
examples (which have trailing commas), so this parser keeps going after a
problem, records it at its character offset, and builds the value the user most
likely meant. It never recurses, so deep nesting is a diagnostic, not a
RecursionError. It is only used when the strict fast path in ``json.py`` fails.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from manifest_tools.codes import Code, RuleCode
from manifest_tools.kinds import METADATA_KEYS, MetadataField, ValueType
from manifest_tools.model import escape_pointer_token, split_pointer
from manifest_tools.readers.text import HIGH_SURROGATES, LOW_SURROGATES, escaped_low_surrogate, joined_pair

MAX_DEPTH = 900
"""Arrays and objects nested deeper than this are MT111 (the value is skipped)."""

_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}:')
_QUOTED = re.compile(rb'"[^"]*"')


def nests_too_deep(text: str) -> bool:
    """True when valid JSON ``text`` nests arrays and objects more than :data:`MAX_DEPTH` deep."""
    return structure_of(text)[0]


def structure_of(text: str) -> tuple[bool, int]:
    """Whether valid JSON ``text`` nests arrays and objects more than :data:`MAX_DEPTH` deep, and how many
    members its objects have (its colons outside strings; -1 when not counted, in text with few brackets).

    The C decoder's own limit is Python's recursion limit less the stack in use (about 990 levels),
    so the strict fast path asks this before it parses. It never recurses and runs at C speed on
    the UTF-8 bytes (no byte of a non-ASCII character is a quote, a colon or a bracket): escaped backslashes
    and quotes are dropped, then every byte but quotes, colons and brackets, then the strings (empty ones
    first: most hold no bracket, then those holding one colon alone, as a URL does; when that leaves no
    quote, every pair it took was a string's own, as the leftmost wrong pair would leave its string's opening
    quote). What is left is structure: its colons are the members (the strict parse
    compares them with the keys its objects kept, to know that no key was given twice), and each pass over
    its brackets removes every innermost pair, exactly one level of the whole tree; a manifest is a few
    levels deep, so a few passes empty it.
    """
    if len(text) <= MAX_DEPTH:
        return False, -1
    data = text.encode("utf-8", "surrogatepass")
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = data.translate(None, _NOT_STRUCTURE)
    del data
    if structure.count(b"[") + structure.count(b"{") <= MAX_DEPTH:  # counted here, on a tenth of the bytes
        return False, -1
    structure = structure.replace(b'""', b"")  # adjacent quotes pair up either way
    outside = structure.replace(b'":"', b"")  # a URL's string (a colon alone): a tenth of the regex's time
    if b'"' in outside:  # a replace may have paired a key's closing quote with a value's opening one
        outside = _QUOTED.sub(b"", structure)
    members = outside.count(b":")
    brackets = outside.replace(b":", b"") if members else outside
    del structure, outside
    for _ in range(MAX_DEPTH):
        # A mark keeps a pair that the first replace makes innermost ("{[]}") for the next pass.
        brackets = brackets.replace(b"[]", b"0").replace(b"{}", b"0").replace(b"0", b"")
        if not brackets:
            return False, members
    return True, members


MAX_SYNTAX_ERRORS = 50

_SIMPLE_STRING = re.compile(r'"[^"\\\x00-\x1f]*"')
_STRING_CHUNK = {'"': re.compile(r'[^"\\\x00-\x1f]+'), "'": re.compile(r"[^'\\\x00-\x1f]+")}
_STRICT_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LOOSE_NUMBER = re.compile(r"[+-]?(?:[0-9]|\.[0-9])[0-9A-Za-z_.+-]*")
_WORD = re.compile(r"-?[A-Za-z_$][A-Za-z0-9_$.\-]*")
_WHITESPACE = re.compile(r"[ \t\n\r]+")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
_PYTHON_LITERALS: dict[str, tuple[str, Any]] = {
    "True": ("true", True),
    "False": ("false", False),
    "None": ("null", None),
    "undefined": ("null", None),
}
_NON_FINITE = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
_STRUCTURE = re.compile(r'"(?:[^"\\\n]|\\.)*"?|\'(?:[^\'\\\n]|\\.)*\'?|[\[\]{}]|//[^\n]*|/\*.*?(?:\*/|\Z)', re.DOTALL)


def _hex4(text: str, pos: int) -> int | None:
    """The value of the four hex digits at ``pos`` (ASCII only, as JSON says), or None."""
    match = _HEX4.match(text, pos)
    return int(match.group(), 16) if match else None


def _strict_number(literal: str) -> int | float:
    """A JSON number's value as ``json.loads`` reads it; infinity for an integer too long for ``int``."""
    if any(c in literal for c in ".eE"):
        return float(literal)
    if _too_many_digits(literal):
        return -math.inf if literal.startswith("-") else math.inf
    return int(literal)


def _loose_number(literal: str) -> Any:
    """The value a malformed number (``+1``, ``01``, ``.5``, ``0x1F``) most likely meant, else the text."""
    try:
        return _strict_number(literal)
    except ValueError:
        pass
    try:
        value = int(literal, 0)  # 0x1F, 0o17, 0b101, 1_000
    except ValueError:
        try:
            return float(literal)
        except ValueError:
            return literal
    limit = sys.get_int_max_str_digits()
    if limit and value.bit_length() > limit * 3.32:  # too long to print: as an overflow, like a long decimal
        return -math.inf if value < 0 else math.inf
    return value


def _too_many_digits(literal: str) -> bool:
    limit = sys.get_int_max_str_digits()
    return limit > 0 and len(literal.lstrip("+-")) > limit


def overflow_message(literal: str) -> str:
    """What MT106 says about a number too large to store, and what to do instead."""
    shown = literal if len(literal) <= 24 else f"{literal[:12]}... ({len(literal):,} characters)"
    if not any(c in literal for c in ".eE") and _too_many_digits(literal):
        reason = f"JSON readers such as Python's refuse integers of more than {sys.get_int_max_str_digits():,} digits"
    else:
        reason = "it overflows a 64-bit float to infinity, which the platform cannot store"
    return (
        f"the number {shown} is too large: {reason}; write the real value, or put it in double quotes"
        " if it is an identifier rather than a quantity"
    )


def placeholder_message(word: str, pointer: str) -> str:
    """What MT105 says about unquoted text where a value belongs: almost always a template's
    placeholder (``"fps": frames-per-second``), so it asks for the real value, never for quotes."""
    field = _metadata_field(pointer)
    name = split_pointer(pointer)[-1] if field is not None else ""
    if field is None:
        wanted = "the real value (text in double quotes, or a number)"
    elif field.type is ValueType.STRING:
        wanted = f"the real {name} in double quotes"
    else:
        number = "a whole number" if field.type is ValueType.INTEGER else "a number"
        wanted = f"the real {name}, {number} written as digits"
    return f"unquoted text {word!r} where a value belongs: a placeholder left from a template? Replace it with {wanted}"


def _metadata_field(pointer: str) -> MetadataField | None:
    """The metadata field at ``/<kind>/<n>/<block>/<field>``, if the pointer names one."""
    tokens = split_pointer(pointer)
    kind = METADATA_KEYS.get(tokens[2]) if len(tokens) == 4 else None
    return kind.metadata.field(tokens[3]) if kind is not None and kind.metadata is not None else None


def skip_container(text: str, start: int) -> int:
    """Offset just past the array or object opening at ``start``, counting brackets outside
    strings and comments; the end of the text when it is never closed."""
    depth = 0
    for match in _STRUCTURE.finditer(text, start):
        char = match.group()[0]
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return match.end()
    return len(text)


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A syntax finding at a character offset, about the value at ``pointer``; ``end`` (exclusive)
    closes the token it names, so reports underline the token rather than nothing."""

    code: RuleCode
    message: str
    offset: int
    pointer: str
    end: int


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    """A key repeated in one object; ``dropped`` is the value a parser would lose."""

    key: str
    pointer: str
    first_offset: int
    offset: int
    dropped: Any
    end: int = -1
    """Where the repeated key's token ends (exclusive); -1: unknown."""


@dataclass(slots=True)
class ParseResult:
    value: Any
    problems: list[SyntaxProblem] = field(default_factory=list)
    duplicates: list[DuplicateKey] = field(default_factory=list)
    invalid_pointers: set[str] = field(default_factory=set)
    complete: bool = True
    null: bool = False
    """The top-level value read was a null literal (``value`` None is also what nothing read gives)."""
    lone_surrogates: list[tuple[int, int]] = field(default_factory=list)
    """(offset, code unit) of each surrogate escape inside a string without its other half: only strings are
    searched, so an escape-like text in a comment is not one."""


class _TooManyErrors(Exception):
    pass


@dataclass(slots=True)
class _Frame:
    is_object: bool
    container: Any
    pointer: str
    open_offset: int
    state: str
    key: str | None = None
    key_offset: int = 0
    key_end: int = 0
    first_offsets: dict[str, int] = field(default_factory=dict)
    comma_offset: int = -1


class _Token:
    __slots__ = ("end", "kind", "start", "value")

    def __init__(self, kind: str, start: int, end: int, value: Any = None) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value


class TolerantParser:
    """Parse ``text`` from ``start``; see the module docstring."""

    def __init__(self, text: str, start: int = 0) -> None:
        self.text = text
        self.pos = start
        self.result = ParseResult(value=None)
        self._errors = 0
        self._stack: list[_Frame] = []

    # -- reporting --------------------------------------------------------
    def _report(
        self,
        code: RuleCode,
        message: str,
        offset: int,
        pointer: str | None = None,
        *,
        guessed: bool = False,
        end: int | None = None,
    ) -> None:
        """Record a problem; ``guessed`` marks the value at the pointer as a guess; ``end`` closes
        the token (default: the one character at ``offset``)."""
        where = self._current_pointer() if pointer is None else pointer
        stop = min(offset + 1, len(self.text)) if end is None else end
        self.result.problems.append(SyntaxProblem(code, message, offset, where, stop))
        if guessed:
            self.result.invalid_pointers.add(where)
        if code == Code.MT101:
            self._errors += 1
            if self._errors >= MAX_SYNTAX_ERRORS:
                raise _TooManyErrors

    def _current_pointer(self) -> str:
        """The pointer of the value being read (tokens are read one ahead of the grammar)."""
        if not self._stack:
            return ""
        frame = self._stack[-1]
        if (frame.is_object and frame.state == "value") or (not frame.is_object and frame.state in ("first", "value")):
            return self._child_pointer(frame)
        return frame.pointer

    # -- tokens -----------------------------------------------------------
    def _skip_blank(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n:
            match = _WHITESPACE.match(text, self.pos)
            if match:
                self.pos = match.end()
                continue
            if text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                end = n if end < 0 else end
                self._report(Code.MT103, "comments are not allowed in JSON", self.pos)
                self.pos = end
                continue
            if text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                self._report(Code.MT103, "comments are not allowed in JSON", self.pos)
                if end < 0:
                    self._report(Code.MT101, "unterminated /* comment", self.pos)
                    self.pos = n
                else:
                    self.pos = end + 2
                continue
            return

    def _next(self) -> _Token:
        self._skip_blank()
        text, pos = self.text, self.pos
        if pos >= len(text):
            return _Token("eof", pos, pos)
        char = text[pos]
        if char in "{}[]:,":
            self.pos = pos + 1
            return _Token(char, pos, pos + 1)
        if char == '"':
            match = _SIMPLE_STRING.match(text, pos)
            if match:
                self.pos = match.end()
                return _Token("string", pos, self.pos, text[pos + 1 : self.pos - 1])
            return self._slow_string(pos, '"')
        if char == "'":
            self._report(Code.MT104, "strings and keys need double quotes, not single quotes", pos)
            return self._slow_string(pos, "'")
        if text.startswith("-Infinity", pos):
            return self._word(pos, _WORD.match(text, pos))
        if char == "-" or char.isdigit() or char in "+.":
            return self._number(pos)
        match = _WORD.match(text, pos)
        if match:
            return self._word(pos, match)
        self.pos = pos + 1
        return _Token("bad", pos, pos + 1, char)

    def _slow_string(self, start: int, quote: str) -> _Token:
        text, n = self.text, len(self.text)
        chunk = _STRING_CHUNK[quote]
        parts: list[str] = []
        pos = start + 1
        while True:
            match = chunk.match(text, pos)
            if match:
                parts.append(match.group())
                pos = match.end()
            if pos >= n or text[pos] == "\n":
                self._report(Code.MT101, "unterminated string: the closing quote is missing", start, guessed=True)
                self.pos = pos
                return _Token("string", start, pos, "".join(parts))
            char = text[pos]
            if char == quote:
                self.pos = pos + 1
                return _Token("string", start, self.pos, "".join(parts))
            if char == "\\":
                pos = self._escape(pos, parts)
                continue
            if quote == '"' and char == "'":
                parts.append(char)
                pos += 1
                continue
            self._report(
                Code.MT107,
                f"control character U+{ord(char):04X} inside a string: write it as an escape"
                f" such as \\u{ord(char):04x}",
                pos,
            )
            parts.append(char)
            pos += 1

    def _escape(self, pos: int, parts: list[str]) -> int:
        text = self.text
        code = text[pos + 1 : pos + 2]
        if code in _ESCAPES:
            parts.append(_ESCAPES[code])
            return pos + 2
        if code == "u":
            unit = _hex4(text, pos + 2)
            if unit is None:
                self._report(Code.MT112, "invalid \\u escape: it needs exactly four hex digits", pos)
                parts.append("\\u")
                return pos + 2
            low = escaped_low_surrogate(text, pos + 6) if unit in HIGH_SURROGATES else None
            if low is not None:  # a surrogate pair is one character, as in json.loads
                parts.append(chr(joined_pair(unit, low)))
                return pos + 12
            if unit in HIGH_SURROGATES or unit in LOW_SURROGATES:
                self.result.lone_surrogates.append((pos, unit))
            parts.append(chr(unit))
            return pos + 6
        if code == "'":
            parts.append("'")
            return pos + 2
        shown = code if code.isprintable() and code else repr(code)
        self._report(
            Code.MT112, f'invalid escape "\\{shown}": JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX', pos
        )
        parts.append(code)
        return pos + 2 if code else pos + 1

    def _number(self, start: int) -> _Token:
        text = self.text
        strict = _STRICT_NUMBER.match(text, start)
        loose = _LOOSE_NUMBER.match(text, start)
        end = max(strict.end() if strict else start, loose.end() if loose else start)
        if end == start:
            self.pos = start + 1
            return _Token("bad", start, start + 1, text[start])
        literal = text[start:end]
        self.pos = end
        if strict and strict.end() == end:
            value = _strict_number(literal)
        else:
            self._report(
                Code.MT105,
                f"invalid number {literal!r}: JSON numbers have no leading zeros, '+', or bare '.'",
                start,
                end=end,
            )
            value = _loose_number(literal)
        if isinstance(value, float) and math.isinf(value):
            self._report(Code.MT106, overflow_message(literal), start, guessed=True)
        return _Token("value", start, end, value)

    def _word(self, start: int, match: re.Match[str] | None) -> _Token:
        assert match is not None
        word = match.group()
        self.pos = match.end()
        if word in _LITERALS:
            return _Token("value", start, self.pos, _LITERALS[word])
        if word in _NON_FINITE:
            self._report(
                Code.MT106, f"{word} is not valid JSON: the platform accepts finite numbers only", start, guessed=True
            )
            return _Token("value", start, self.pos, _NON_FINITE[word])
        if word in _PYTHON_LITERALS:
            spelling, value = _PYTHON_LITERALS[word]
            self._report(Code.MT105, f"{word} is not a JSON literal: write {spelling}", start, end=self.pos)
            return _Token("value", start, self.pos, value)
        return _Token("word", start, self.pos, word)

    # -- grammar ----------------------------------------------------------
    def parse(self) -> ParseResult:
        try:
            self._parse()
        except _TooManyErrors:
            self.result.complete = False
            self.result.problems.append(
                SyntaxProblem(Code.MT101, "too many syntax errors: stopped reading here", self.pos, "", -1)
            )
        return self.result

    def _parse(self) -> None:
        stack = self._stack
        token = self._next()
        if token.kind == "eof":
            self.result.complete = False
            return
        have_root = False
        while True:
            frame = stack[-1] if stack else None
            if frame is None:
                if have_root:
                    if token.kind != "eof":
                        self._report(
                            Code.MT113,
                            "extra data after the top-level value: a manifest is exactly one JSON object",
                            token.start,
                        )
                    return
                done, value = self._value_or_push(token, stack, "")
                if done:
                    self.result.value = value
                    self.result.null = token.kind == "value" and value is None
                    have_root = True
                token = self._next()
                continue
            if token.kind == "eof":
                opener = "{" if frame.is_object else "["
                self._report(
                    Code.MT101,
                    f"unexpected end of file: the {opener!r} opened here is never closed",
                    frame.open_offset,
                )
                self.result.complete = False
                while stack:
                    value = stack.pop().container
                    if stack:
                        self._attach(stack[-1], value)
                    else:
                        self.result.value = value
                return
            token = self._object_step(frame, token, stack) if frame.is_object else self._array_step(frame, token, stack)
            if not stack and not have_root and frame is not None and frame.state == "closed":
                self.result.value = frame.container
                have_root = True

    def _close(self, frame: _Frame, stack: list[_Frame]) -> None:
        stack.pop()
        frame.state = "closed"
        if stack:
            self._attach(stack[-1], frame.container)

    def _child_pointer(self, frame: _Frame) -> str:
        if frame.is_object:
            return frame.pointer + "/" + escape_pointer_token(frame.key or "")
        return f"{frame.pointer}/{len(frame.container)}"

    def _attach(self, frame: _Frame, value: Any) -> None:
        if not frame.is_object:
            frame.container.append(value)
            frame.state = "comma"
            return
        key = frame.key or ""
        first = frame.first_offsets.get(key)
        if first is not None:
            self.result.duplicates.append(
                DuplicateKey(
                    key=key,
                    pointer=self._child_pointer(frame),
                    first_offset=first,
                    offset=frame.key_offset,
                    dropped=frame.container.get(key),
                    end=frame.key_end,
                )
            )
            del frame.container[key]
        else:
            frame.first_offsets[key] = frame.key_offset
        frame.container[key] = value
        frame.state = "comma"

    def _value_or_push(self, token: _Token, stack: list[_Frame], pointer: str) -> tuple[bool, Any]:
        """Start a value at ``token``: returns (True, value) for scalars, pushes containers."""
        kind = token.kind
        if kind in ("string", "value"):
            return True, token.value
        if kind in ("{", "["):
            if len(stack) >= MAX_DEPTH:
                self._report(
                    Code.MT111,
                    f"nesting deeper than {MAX_DEPTH} levels: no manifest needs this; the value is skipped",
                    token.start,
                    pointer,
                )
                self.pos = self._skip_nested(token.start)
                return True, None
            stack.append(
                _Frame(
                    is_object=kind == "{",
                    container={} if kind == "{" else [],
                    pointer=pointer,
                    open_offset=token.start,
                    state="first",
                )
            )
            return False, None
        if kind == "word":
            self._report(
                Code.MT105, placeholder_message(token.value, pointer), token.start, pointer, guessed=True, end=token.end
            )
            return True, None
        self._report(Code.MT101, f"expected a value, found {self._describe(token)}", token.start, pointer, guessed=True)
        return True, None

    def _skip_nested(self, start: int) -> int:
        return skip_container(self.text, start)

    def _object_step(self, frame: _Frame, token: _Token, stack: list[_Frame]) -> _Token:
        state = frame.state
        if state in ("first", "key"):
            if token.kind == "}":
                if state == "key":
                    self._report(
                        Code.MT102,
                        "trailing comma before '}': strict JSON does not allow it",
                        frame.comma_offset,
                        frame.pointer,
                    )
                self._close(frame, stack)
                return self._next()
            if token.kind == "string" or token.kind == "word":
                if token.kind == "word":
                    self._report(
                        Code.MT105, f"unquoted key {token.value}: keys need double quotes", token.start, end=token.end
                    )
                frame.key = str(token.value)
                frame.key_offset = token.start
                frame.key_end = token.end
                frame.state = "colon"
                return self._next()
            if token.kind == "value" and not isinstance(token.value, str):
                self._report(Code.MT101, f"expected a key in double quotes, found {self._describe(token)}", token.start)
                frame.key = self.text[token.start : token.end]
                frame.key_offset = token.start
                frame.key_end = token.end
                frame.state = "colon"
                return self._next()
            if token.kind == "]":
                return self._mismatched(frame, token, stack)
            self._report(Code.MT101, f"expected a key in double quotes, found {self._describe(token)}", token.start)
            return self._next()
        if state == "colon":
            if token.kind == ":":
                frame.state = "value"
                return self._next()
            self._report(Code.MT101, f"expected ':' after the key {frame.key!r}", token.start)
            frame.state = "value"
            return token
        if state == "value":
            if token.kind in ("}", ","):
                self._report(Code.MT101, f"expected a value for the key {frame.key!r}", token.start, guessed=True)
                self._attach(frame, None)
                return token
            done, value = self._value_or_push(token, stack, self._child_pointer(frame))
            if done:
                self._attach(frame, value)
            return self._next()
        # state == "comma"
        if token.kind == ",":
            frame.state = "key"
            frame.comma_offset = token.start
            return self._next()
        if token.kind == "}":
            self._close(frame, stack)
            return self._next()
        if token.kind == "]":
            return self._mismatched(frame, token, stack)
        self._report(Code.MT101, "expected ',' or '}': a comma is missing between members", token.start)
        frame.state = "key"
        frame.comma_offset = token.start
        return token

    def _array_step(self, frame: _Frame, token: _Token, stack: list[_Frame]) -> _Token:
        state = frame.state
        if state in ("first", "value"):
            if token.kind == "]":
                if state == "value":
                    self._report(
                        Code.MT102,
                        "trailing comma before ']': strict JSON does not allow it",
                        frame.comma_offset,
                        frame.pointer,
                    )
                self._close(frame, stack)
                return self._next()
            if token.kind == ",":
                self._report(Code.MT101, "expected a value, found ','", token.start)
                return self._next()
            if token.kind == "}":
                return self._mismatched(frame, token, stack)
            if token.kind == ":":
                self._report(Code.MT101, f"expected a value, found {self._describe(token)}", token.start)
                return self._next()
            done, value = self._value_or_push(token, stack, self._child_pointer(frame))
            if done:
                self._attach(frame, value)
            return self._next()
        if token.kind == ",":
            frame.state = "value"
            frame.comma_offset = token.start
            return self._next()
        if token.kind == "]":
            self._close(frame, stack)
            return self._next()
        if token.kind == "}":
            return self._mismatched(frame, token, stack)
        self._report(Code.MT101, "expected ',' or ']': a comma is missing between elements", token.start)
        frame.state = "value"
        frame.comma_offset = token.start
        return token

    def _mismatched(self, frame: _Frame, token: _Token, stack: list[_Frame]) -> _Token:
        """A closer of the other kind (``{"images": [}``): one error naming the bracket it does not close, where
        that opened. The frame is closed; when the closer is the enclosing bracket's, the frame's own closer is
        taken as missing and the token closes the enclosing one, else as mistyped (``[1, 2}``) and consumed."""
        from manifest_tools.readers.text import LineIndex  # a broken file's one look-up

        opener = "{" if frame.is_object else "["
        where = LineIndex(self.text).position(frame.open_offset)
        self._report(
            Code.MT101,
            f"{token.kind!r} does not close the {opener!r} opened at {where.line}:{where.column}",
            token.start,
        )
        self._close(frame, stack)
        closes_enclosing = bool(stack) and stack[-1].is_object == (token.kind == "}")
        return token if closes_enclosing else self._next()

    @staticmethod
    def _describe(token: _Token) -> str:
        if token.kind == "eof":
            return "the end of the file"
        if token.kind in ("string", "value", "word"):
            return repr(token.value)
        if token.kind == "bad":
            return f"the character {token.value!r}"
        return repr(token.kind)


def parse_tolerant(text: str, start: int = 0) -> ParseResult:
    """Parse ``text`` with :class:`TolerantParser`."""
    return TolerantParser(text, start).parse()
