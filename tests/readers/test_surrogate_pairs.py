"""Which surrogate escapes pair up, asked three ways: the native strict check (``_scan.c``), the tolerant
parser and the strict reader's search (``readers/json.py``); the two in Python share ``escaped_low_surrogate``
(readers/text.py), and all three are held here to ``json.loads``, a reference we did not write, on
generated strings: a lone escape is where a decoded string holds a surrogate."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from manifest_tools import native
from manifest_tools.readers.json import _lone_surrogates
from manifest_tools.readers.json_syntax import MAX_DEPTH, parse_tolerant
from manifest_tools.readers.text import HIGH_SURROGATES, escaped_low_surrogate, joined_pair

PIECES = [
    "\\ud800", "\\uD83D", "\\udbff", "\\uDBFF",  # high halves
    "\\udc00", "\\uDE00", "\\udfff", "\\uDfFf",  # low halves
    "\\u0041", "\\u00e9", "\\ue000", "\\ud7ff",  # not surrogates, either side of them
    "\\\\", "\\\\ud800", "\\\\\\udc00",  # an escaped backslash, then text or an escape
    "a", "\u00e9", "\U0001f600", "u", "d800", "\\n", '\\"', "\\/",
]  # fmt: skip
body = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)


def lone_in(value: object) -> bool:
    """Whether json.loads's value holds a surrogate: a lone escape, as it decodes one."""
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, dict):
        return any(lone_in(k) or lone_in(v) for k, v in value.items())
    if isinstance(value, list):
        return any(map(lone_in, value))
    return False


def test_the_native_scanner_is_here() -> None:
    assert native.scanner() is not None, "the comparison below needs the C scanner: pip install -e ."


@settings(max_examples=1000, deadline=None)
@given(first=body, second=body, key=body)
@example(first="\\ud800\\udfff", second="\\uDBFF\\uDC00", key="\\uD83D\\uDE00")  # pairs at the range ends
@example(first="\\udc00\\ud800", second="\\ud800\\\\udc00", key="\\ud800\\ue000")  # lone: each kind
@example(first="\\ud800\\ud800\\udc00", second="\\\\ud800", key="\\udbff\\udfff\\udfff")
def test_the_three_pairings_agree_with_json_loads(first: str, second: str, key: str) -> None:
    text = f'{{"k": "{first}", "m": ["{second}", {{"{key}x": 1}}]}}'
    expected = lone_in(json.loads(text))
    tolerant = [at for at, _ in parse_tolerant(text).lone_surrogates]
    searched = [at for at, _, _ in _lone_surrogates(text, 0, raw=False, escapes=True)]
    assert tolerant == searched, text
    assert bool(searched) == expected, text
    assert native.strict_json(text, 0, MAX_DEPTH) is not expected, text


@given(high=st.sampled_from(HIGH_SURROGATES), after=st.integers(0, 0xFFFF), upper=st.booleans())
def test_escaped_low_surrogate_is_json_loads_pairing(high: int, after: int, upper: bool) -> None:
    escape = f"\\u{after:04X}" if upper else f"\\u{after:04x}"
    decoded = json.loads(f'"\\u{high:04x}{escape}"')
    low = escaped_low_surrogate(escape, 0)
    assert (len(decoded) == 1) == (low is not None)
    if low is not None:
        assert ord(decoded) == joined_pair(high, low)
