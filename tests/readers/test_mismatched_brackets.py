"""A bracket closed by the other kind is named where it opened: ``{"images": [}`` said the ``{`` at 1:1 is never
closed (it is closed) and pointed the user at the wrong bracket; the ``[`` at 1:12 is the one left open."""

from __future__ import annotations

import pytest

import manifest_tools

CASES = [  # (text, each MT101 as "line:column message")
    ('{"images": [}', ["1:13 '}' does not close the '[' opened at 1:12"]),
    ('{"images": [1}', ["1:14 '}' does not close the '[' opened at 1:12"]),
    ('{"images": [1,}', ["1:15 '}' does not close the '[' opened at 1:12"]),
    ('[{"a": 1]', ["1:9 ']' does not close the '{' opened at 1:2"]),
    ("[{]", ["1:3 ']' does not close the '{' opened at 1:2"]),
    ('[{"a": 1,]', ["1:10 ']' does not close the '{' opened at 1:2"]),
    ('{"a": 1]', ["1:8 ']' does not close the '{' opened at 1:1"]),
    ("[1, 2}", ["1:6 '}' does not close the '[' opened at 1:1"]),
    ('{"a": {]}', ["1:8 ']' does not close the '{' opened at 1:7"]),
    ('{"a": [{"b": [}]}', ["1:15 '}' does not close the '[' opened at 1:14"]),
    ('{\n  "images": [\n    {"objectUrl": "x"}\n}', ["4:1 '}' does not close the '[' opened at 2:13"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_a_mismatched_closer_names_the_bracket_left_open(text: str, expected: list[str]) -> None:
    found = [f"{d.line}:{d.column} {d.message}" for d in manifest_tools.lint(text.encode()) if d.code == "MT101"]
    assert found == expected
