"""The locator reads an item only up to the member a finding names: a later duplicate of that member must still
win, as it does in the parsed value. Reference: json.loads, whose last duplicate wins; the text the span covers
must parse to the value json.loads gives at the pointer."""

from __future__ import annotations

import json

import pytest

from manifest_tools.model import split_pointer
from manifest_tools.readers.json_locator import JsonLocator

ITEMS = [
    '{"objectUrl": "https://a/1.jpg", "title": "t"}',
    '{"objectUrl": "https://a/1.jpg", "objectUrl": "https://a/2.jpg"}',
    '{"objectUrl": "https://a/1.jpg", "object\\u0055rl": "https://a/3.jpg"}',
    '{"objectUrl": "https://a/1.jpg", "meta": {"objectUrl": "nested"}, "objectUrl": "https://a/4.jpg"}',
    '{"a/b": 1, "a\\/b": 2}',
    '{"title": "x \\" y", "objectUrl": {"k": [1, {"objectUrl": 2}]}, "z": null}',
    '{"objectUrl": "https:\\/\\/a\\/5.jpg"}',
]


@pytest.mark.parametrize("item", ITEMS)
@pytest.mark.parametrize("name", ["objectUrl", "a/b", "title", "z"])
def test_the_span_covers_the_member_the_parsed_value_keeps(item: str, name: str) -> None:
    text = '{"images": [' + item + ", " + item + "]}"  # one line: a column is an offset plus one
    parsed = json.loads(text)
    pointer = "/images/1/" + name.replace("/", "~1")
    start, end = JsonLocator(text).span(pointer)
    value = parsed
    for token in split_pointer(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list):
            value = value[int(token)]
        else:
            break  # absent: the span is the item's, its nearest ancestor
    assert start.line == end.line == 1
    assert json.loads(text[start.column - 1 : end.column - 1]) == value


@pytest.mark.parametrize("item", ITEMS)
@pytest.mark.parametrize("pointer", ["/images/1/meta/objectUrl", "/images/1/objectUrl/k/1/objectUrl", "/top/a/b"])
def test_deeper_members_are_found_after_an_item_read_whole_or_in_part(item: str, pointer: str) -> None:
    text = '{"top": {"a": {"b": [1]}}, "images": [' + item + ", " + item + '], "tail": {"objectUrl": 0}}'
    parsed = json.loads(text)
    start, end = JsonLocator(text).span(pointer)
    value = parsed
    for token in split_pointer(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            break
    assert json.loads(text[start.column - 1 : end.column - 1]) == value
