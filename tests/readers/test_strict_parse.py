"""The pure-Python strict parse finds every duplicate key without a per-object pairs hook.

``readers/json.py`` counts each object's distinct keys while parsing and parses again with the
refusing hook only when the text may hold more members than that. The reference is the stdlib's own
``object_pairs_hook``, which sees every member: a duplicate in any nesting place, in any spelling
(``"a"`` and ``"\\u0061"``, ``"/"`` and ``"\\/"``), with colons, ``://`` and blanks around keys and
inside strings, must be refused exactly when that reference refuses it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest_tools.readers import json as json_reader
from manifest_tools.readers.json_syntax import MAX_DEPTH, structure_of


class _Duplicate(Exception):
    pass


def _reference_refuses(text: str) -> bool:
    """The stdlib sees every member through ``object_pairs_hook``: a duplicate raises."""

    def pairs(members: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({key for key, _ in members}) != len(members):
            raise _Duplicate
        return dict(members)

    try:
        json.loads(text, object_pairs_hook=pairs)
    except _Duplicate:
        return True
    return False


def _strict_refuses(text: str, members: int = -1) -> bool:
    try:
        json_reader._parse_counted(text, 0, members)
    except json_reader._Refused:
        return True
    return False


def _reference_members(text: str) -> int:
    """Every member of every object, duplicates included, as the stdlib's pairs hook sees them."""
    counts: list[int] = []

    def pairs(members: list[tuple[str, Any]]) -> dict[str, Any]:
        counts.append(len(members))
        return dict(members)

    json.loads(text, object_pairs_hook=pairs)
    return sum(counts)


def _padded(text: str) -> str:
    """``text`` with more brackets than MAX_DEPTH in a first member or element, so that :func:`structure_of`
    counts its members (it leaves a text with fewer to the cheaper bound)."""
    pad = "[" + "[]," * MAX_DEPTH + "[]]"
    separator = "" if text[1:].strip() in ("}", "]") else ", "
    return text[0] + (f'"pad": {pad}' if text[0] == "{" else pad) + separator + text[1:]


def _counted_members(text: str) -> int:
    members = structure_of(text)[1]
    assert members >= 0, "the padding must make structure_of count"
    return members


URL = "https://b.s3.eu-west-2.amazonaws.com/a.jpg"
PLACES = [
    '{"images": [{"objectUrl": "%s", "title": "t", %s}]}',  # an item
    '{"images": [{"objectUrl": "%s", "imageMetadata": {"mimeType": "image/jpeg", %s}}]}',  # its metadata
    '{"images": [{"objectUrl": "%s", "clientMetadata": {"a": [{"b": {%s}}]}}]}',  # deep inside clientMetadata
    '{"images": [{"objectUrl": "%s"}], %s}',  # the top level
    '[{"objectUrl": "%s"}, {%s}]',  # an array's element
]
DUPLICATES = [
    '"a": 1, "a": 2',
    '"a": 1, "\\u0061": 2',
    '"\\u0061": 1, "a": 2',
    '"/": 1, "\\/": 2',
    '"a" : 1, "a" : 2',
    '"a"\n:\n1,\r\n"a"\t:\t2',
    '"k:": "x:y", "k:": "https://z"',
    '"a": {"b": 1}, "a": {"c": "d:e"}',
    '"a": [1, {"x": "y"}], "a": null',
]
UNIQUE = [
    '"a": 1, "b": 2',
    '"a": 1, "A": 2',
    '"a": "\\u003a\\u003a", "b": ":::"',
    '"a": "https:\\/\\/x", "b": "\\":"',
    '"a" : 1, "\\u0062" : "a:"',
]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("members", DUPLICATES + UNIQUE)
def test_a_duplicate_in_any_place_and_spelling_is_refused(place: str, members: str) -> None:
    text = place % (URL.replace("/", "\\/") if "\\/" in members else URL, members)
    assert _reference_refuses(text) == (members in DUPLICATES), "the case itself is wrong"
    assert _strict_refuses(text) == (members in DUPLICATES), text
    padded = _padded(text)  # the read of a large file: the members counted with the depth bound
    assert _counted_members(padded) == _reference_members(padded), padded
    assert _strict_refuses(padded, _counted_members(padded)) == (members in DUPLICATES), text


# strings the quick pairing of quotes around a lone colon (a URL's, once the rest of the string is dropped)
# could take wrongly: a key holding a bracket before a value holding one colon, escaped quotes, a port
COLON_STRINGS = [
    '"[": ":"',
    '"a[": "b:c", "]": ":"',
    '"{": ":", "}": "x:"',
    '"\\"[": ":\\""',
    '"a": "h:1:2", "b": "\\\\:"',
    '":": ":", "::": "[:]"',
    '"k": [":", "[", ":"]',
]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("members", COLON_STRINGS)
def test_members_are_counted_whatever_their_strings_hold(place: str, members: str) -> None:
    text = _padded(place % (URL, members))
    assert _counted_members(text) == _reference_members(text), text


def test_a_clean_file_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusing hook runs only when the count leaves a duplicate possible (else nothing is saved)."""

    def refused(members: list[tuple[str, Any]]) -> dict[str, Any]:
        raise AssertionError("the pairs hook ran")

    monkeypatch.setattr(json_reader, "_unique_pairs", refused)
    text = '{"images": [{"objectUrl": "' + URL + '", "title": "a: b", "clientMetadata": {"u": "x://y"}}]}'
    assert json_reader._parse_strict(text, 0) == json.loads(text)


KEYS = st.sampled_from(["a", "b", ":", "a:", "/", " ", "[", "]:"])
SPELLINGS = {"a": ["a", "\\u0061"], "/": ["/", "\\/"], ":": [":", "\\u003a"]}


@st.composite
def objects_text(draw: st.DrawFn, depth: int = 0) -> str:
    """An object whose keys may repeat, in any spelling, with blanks around colons and values with colons."""
    members = []
    for key in draw(st.lists(KEYS, max_size=4)):
        spelled = "".join(draw(st.sampled_from(SPELLINGS.get(c, [c]))) for c in key)
        blank = draw(st.sampled_from(["", " ", "\n"]))
        value = (
            draw(objects_text(depth + 1))
            if depth < 2 and draw(st.booleans())
            else json.dumps(draw(st.sampled_from(["x", "a:b", "https://h", 1, None, ":", "[", '":"', "{:}"])))
        )
        members.append(f'"{spelled}"{blank}:{blank}{value}')
    return "{" + ", ".join(members) + "}"


@settings(max_examples=400, deadline=None)
@given(objects_text())
def test_the_strict_parse_refuses_exactly_what_the_reference_refuses(text: str) -> None:
    assert _strict_refuses(text) == _reference_refuses(text), text
    padded = _padded(text)
    assert _counted_members(padded) == _reference_members(padded), padded
    assert _strict_refuses(padded, _counted_members(padded)) == _reference_refuses(text), padded
