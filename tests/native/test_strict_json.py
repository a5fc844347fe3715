"""The native structure check (``native.strict_json``) against the JSON reader's strict parse.

The reader skips its duplicate-key hook and depth walk when the check says yes, so the check must
say yes exactly when the strict parse (``json.loads`` with the hooks, after ``nests_too_deep``)
accepts the text: a yes it should not give would let a duplicate key or 1e999 through unreported,
a no costs only speed. The texts are near misses built from JSON tokens and the stdlib's own
dumps of random values; the reader's whole answer (value and diagnostics) is compared too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from manifest_tools import native
from manifest_tools.readers import json as json_reader
from manifest_tools.readers.json_syntax import MAX_DEPTH, nests_too_deep
from manifest_tools.readers.text import BOM

assert native.scanner() is not None, "the native scanner is not built: these tests need it"


def _start(text: str) -> int:
    return 1 if text.startswith(BOM) else 0


def strict_reader_accepts(text: str) -> bool:
    """Today's strict path of readers/json.py, the reference: the depth walk, then the hooked parse; and no
    lone surrogate escape, which the reader searches for only in text the check refused (MT108)."""
    try:
        if nests_too_deep(text) or any(json_reader._lone_surrogates(text, _start(text), False, escapes=True)):
            return False
        json_reader._parse_strict(text, _start(text))
    except (json_reader._Refused, ValueError, RecursionError):
        return False
    return True


def _read(text: str) -> tuple[Any, list[tuple[Any, ...]]]:
    manifest = json_reader.read_json("m.json", text)
    return manifest.data, [
        (d.code, d.message, d.line, d.column, d.end_line, d.end_column, d.pointer) for d in manifest.reader_diagnostics
    ]


def _check(text: str) -> None:
    assert native.strict_json(text, _start(text), MAX_DEPTH) == strict_reader_accepts(text), text[:200]


NEAR_MISSES = [
    '{"a": 1}',
    '{"a": 1, "a": 2}',
    '{"a": 1, "\\u0061": 2}',
    '{"\\u0061": 1, "a": 2}',
    '{"a": 1, "\\u0041": 2}',
    '{"\\/": 1, "/": 2}',
    '{"\\n": 1, "\\u000a": 2}',
    '{"\\"": 1, "\\u0022": 2}',
    '{"\\\\": 1, "\\u005C": 2}',
    '{"é": 1, "\\u00e9": 2}',
    '{"é": 1, "\\u00c9": 2}',
    '{"😀": 1, "\\ud83d\\ude00": 2}',
    '{"😀": 1, "\\uD83D\\uDE00": 2}',
    '{"\\ud83d": 1, "\\ud83d\\ude00": 2}',
    '{"\\ud83d\\u0041": 1, "\\ud83dA": 2}',
    '{"\\ud800": 1, "\\udc00": 2}',
    '{"\ud800": 1, "\\ud800": 2}',
    '["\\ud800"]',
    '["\\udc00\\ud800"]',
    '["\\\\ud800"]',
    '["\\ud800\\\\udc00"]',
    '["\\ud800\\u0041"]',
    '["x\\ud83d\\ude00\\udc00"]',
    '{"x": {"a": 1}, "y": {"a": 1}}',
    '{"x": {"a": 1, "b": {"c": [{"d": 1, "d": 2}]}}}',
    '{"images": [{"objectUrl": "u"}, {"objectUrl": "u", "title": "t", "title": "t"}]}',
    '{"a": 1, "b": 2, "a": 3}',
    '{"ab": 1, "a": 2, "b": 3}',
    "[NaN]",
    "[Infinity]",
    "[-Infinity]",
    "[1e999]",
    "[-1e999]",
    "[1e308]",
    "[1.8e308]",
    "[1.7976931348623157e308]",
    "[1e-999]",
    "[0.0000000001e-400]",
    "[1" + "0" * 400 + ".0]",
    "[" + "9" * 4300 + "]",
    "[" + "9" * 4301 + "]",
    "[-" + "9" * 4300 + "]",
    "[-" + "9" * 4301 + "]",
    "[01]",
    "[1.]",
    "[.5]",
    "[-]",
    "[-0]",
    "[+1]",
    "[1e]",
    "[1E+5]",
    "[1e-05]",
    "[0x10]",
    BOM + '{"a": 1}',
    BOM + '{"a": 1, "a": 1}',
    BOM + BOM + "{}",
    '{"a": 1} x',
    '{"a": 1} {}',
    '{"a": 1}\n\t \r',
    ' \n{"a": 1}',
    '{"a": 1}\x0c',
    '{"a": 1}\u00a0',
    "\u00a0{}",
    '{"a": 1,}',
    "[1,]",
    "[,]",
    "{,}",
    '{"a" 1}',
    '{"a":}',
    "{'a': 1}",
    "{a: 1}",
    '["\x01"]',
    '["\x1f"]',
    '["\x7f"]',
    '["\t"]',
    '["\\x41"]',
    '["\\u12"]',
    '["\\u12G4"]',
    '["\\U0041"]',
    '["a',
    '["a\\',
    '["a\\"]',
    "[true, false, null]",
    "[True]",
    "[tru]",
    "[nul]",
    "",
    "   ",
    "[",
    "]",
    "{",
    '"text"',
    "1",
    "null",
    "[" * MAX_DEPTH + "]" * MAX_DEPTH,
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    "[" * (MAX_DEPTH - 1) + "{}" + "]" * (MAX_DEPTH - 1),
    "[" * MAX_DEPTH + "{}" + "]" * MAX_DEPTH,
    '{"a":' * MAX_DEPTH + "1" + "}" * MAX_DEPTH,
    '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
    "[" * MAX_DEPTH + "]" * (MAX_DEPTH - 1),
    "[" * (MAX_DEPTH + 1) + "]" * MAX_DEPTH,
    '["[[[[' + "[" * MAX_DEPTH + '"]',
    "{" + ", ".join(f'"k{i}": {i}' for i in range(5000)) + "}",
    "{" + ", ".join(f'"k{i}": {i}' for i in range(5000)) + ', "k4999": 1}',
]


@pytest.mark.parametrize("text", NEAR_MISSES, ids=range(len(NEAR_MISSES)))
def test_the_check_says_yes_exactly_when_the_strict_reader_accepts(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("text", NEAR_MISSES, ids=range(len(NEAR_MISSES)))
def test_the_reader_gives_the_same_answer_with_and_without_the_check(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _read(text)
    monkeypatch.setattr(json_reader, "strict_json", lambda text, start, depth: False)
    assert fast == _read(text)


def test_the_reader_takes_the_plain_parse_when_the_check_says_yes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean file never reaches the hooked parse nor the depth walk (else the check saves nothing)."""

    def refused(*args: object) -> None:
        raise AssertionError("the hooked path ran")

    monkeypatch.setattr(json_reader, "_parse_strict", refused)
    monkeypatch.setattr(json_reader, "_parse_counted", refused)
    monkeypatch.setattr(json_reader, "structure_of", refused)
    assert _read('{"images": [{"objectUrl": "https://b/a.jpg"}], "ä": "\\u00e4"}')[0] is not None


TOKENS = [
    "{", "}", "[", "]", ",", ":", " ", "\n", '"a"', '"\\u0061"', '"A"', '"\\u0041"', '"é"', '"\\u00e9"',
    '"\\ud83d\\ude00"', '"😀"', '"\\ud800"', '"\ud800"', '"\\udc00"', '"\\"', '"\\/"', '"/"', '"\\n"', '"\x01"',
    '"', "\\", "1", "-", "0", "01", "1.5", "1e999", "-1e999", "1e308", "2e308", ".", "e", "E+", "NaN",
    "Infinity", "-Infinity", "true", "false", "null", "nul", BOM, "\u00a0", "x",
]  # fmt: skip


@st.composite
def near_miss_texts(draw: st.DrawFn) -> str:
    """Token soup, or a dumped value with one edit: a duplicated key, a token swapped in, a cut."""
    if draw(st.booleans()):
        return "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=30)))
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
        max_leaves=20,
    )
    text = json.dumps(draw(values), ensure_ascii=draw(st.booleans()))
    at = draw(st.integers(0, len(text)))
    edit = draw(st.sampled_from(["none", "token", "cut", "duplicate"]))
    if edit == "token":
        return text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
    if edit == "cut":
        return text[:at] + text[at + 1 :]
    if edit == "duplicate":  # repeat the first key of the object opening at or after ``at``
        brace = text.find('{"', at)
        end = text.find('":', brace) if brace >= 0 else -1
        if end > brace:
            key = text[brace + 1 : end + 1]
            spelling = draw(st.sampled_from([key, key.replace("a", "\\u0061"), key.upper()]))
            return text[: brace + 1] + f"{spelling}: 0, " + text[brace + 1 :]
    return text


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(near_miss_texts())
def test_generated_near_misses_agree_with_the_strict_reader(text: str) -> None:
    _check(text)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=40) | st.text(max_size=40))
def test_arbitrary_input_agrees_with_the_strict_reader(data: bytes | str) -> None:
    text = data.decode("utf-8", "surrogatepass") if isinstance(data, bytes) and _utf8(data) else str(data)
    _check(text)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return False
    return True
