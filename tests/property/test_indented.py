"""The fast indented writer (``--to sdk``) against the json module it must match byte for byte."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest_tools.writers.indented import dumps_indented

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),  # lone surrogates and control characters too
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=30
)


@settings(max_examples=400)
@given(values, st.booleans())
def test_matches_json_dumps_with_indent_2(value: Any, ensure_ascii: bool) -> None:
    expected = json.dumps(value, indent=2, ensure_ascii=ensure_ascii, allow_nan=False)
    assert dumps_indented(value, ensure_ascii=ensure_ascii) == expected


@pytest.mark.parametrize(
    "value",
    [
        {1: "int key"},
        {"a": {2.5: [1]}},
        (1, 2),
        {"a": (1, [2])},
        {"a": [{True: None}]},
        [[], {}, [{}]],
        {"images": [{"url": "a"}, {"url": "b\u00e9\ud800"}, {"url": "c"}]},  # a group's frames: one template
        [{"url": "a", "title": "t"}, {"url": "b", "title": "u"}],
        [{"url": "a", "title": None}, {"url": "b", "title": "u"}],
        [{"url": "a"}, {"href": "b"}],
        [{"url": "a"}, {"url": 1}],
        [{"a": "1", "b": "2"}, {"b": "2", "a": "1"}],
    ],
    ids=repr,
)
def test_odd_and_templated_values_are_written_as_json_dumps_writes_them(value: Any) -> None:
    for ensure_ascii in (False, True):
        expected = json.dumps(value, indent=2, ensure_ascii=ensure_ascii, allow_nan=False)
        assert dumps_indented(value, ensure_ascii=ensure_ascii) == expected


@pytest.mark.parametrize("value", [math.nan, {"a": [1, math.inf]}, [{"b": {"c": -math.inf}}]], ids=repr)
def test_non_finite_numbers_raise_as_json_dumps_does(value: Any) -> None:
    with pytest.raises(ValueError):
        json.dumps(value, indent=2, allow_nan=False)
    with pytest.raises(ValueError):
        dumps_indented(value, ensure_ascii=False)


_URL = "https://b.s3.eu-west-2.amazonaws.com/a"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"images": []},
        {"images": ["not an item", {"objectUrl": f"{_URL}.jpg", "title": "é"}], "videos": [{"objectUrl": "v.mp4"}]},
        {"images": [{"objectUrl": f"{_URL}.jpg", "title": "lone \ud800 surrogate"}], "pdfs": [{"objectUrl": "x.pdf"}]},
        {"image_groups": [{"title": "g", "createVideo": True, "objectUrl_0": "a.jpg", "objectUrl_1": "b.jpg"}]},
        {"images": [{"objectUrl": "a.jpg", "clientMetadata": {"k": [1, {"n": None}], "t": (1, 2)}}]},
        {"videos": [{"objectUrl": "v.mp4", "videoMetadata": {"fps": 25, "file_size": 1, "mimeType": "video/mp4"}}]},
        # written as it streams: non-ASCII (and DEL) before a lone surrogate must still be escaped
        {"images": [{"objectUrl": "é.jpg"}, {"objectUrl": "a\x7f.jpg"}, {"objectUrl": "b.jpg", "title": "\udc00"}]},
        {"images": [{"objectUrl": "a.jpg"}, {"objectUrl": "b.jpg", "title": "\ud83c\udfac \udc00 \U0001f3ac é"}]},
        {"images": [{"objectUrl": "é.jpg", "title": "\U0001f3ac"}, {"objectUrl": "\x7f.jpg"}]},
        {"images": [{"objectUrl": "a\x7f.jpg"}, {"objectUrl": "b.jpg", "title": "\udc00"}]},
        {"images": [{"objectUrl": "a.jpg", "clientMetadata": {1: "int key", "k": {2.5: None}}}]},
        # runs of one shape, written a member (column) at a time: each case against json.dumps
        {"images": [{"objectUrl": f"{_URL}{n}.jpg", "title": f"{n}"} for n in range(3)]},
        {"images": [{"title": None, "objectUrl": f"{_URL}{n}.jpg"} for n in range(3)]},
        {"images": [{"objectUrl": "a.jpg", "title": "a"}, {"objectUrl": "b.jpg", "title": None}]},
        {
            "videos": [
                {"objectUrl": f"v{n}.mp4", "clientMetadata": {"split": "t", "n": n, "ok": True}} for n in range(3)
            ]
        },
        {"videos": [{"objectUrl": f"v{n}.mp4", "clientMetadata": {}} for n in range(2)]},
        {"videos": [{"objectUrl": "v.mp4", "clientMetadata": None}, {"objectUrl": "w.mp4", "clientMetadata": 3}]},
        {"videos": [{"objectUrl": "v.mp4", "clientMetadata": {"a": 1}}, {"objectUrl": "w.mp4", "clientMetadata": 3}]},
        {
            "videos": [
                {"objectUrl": f"v{n}.mp4", "videoMetadata": {"file_size": n, "mime_type": "video/mp4"}}
                for n in range(3)
            ]
        },
        {"videos": [{"videoMetadata": {"fps": 25, "fileSize": n}, "objectUrl": f"v{n}.mp4", "x": 1} for n in range(2)]},
        {
            "videos": [
                {"objectUrl": "v.mp4", "videoMetadata": {"fps": 25}},
                {"objectUrl": "w", "videoMetadata": {"width": 2}},
            ]
        },
        {
            "videos": [
                {"objectUrl": "v.mp4", "clientMetadata": {"a": "\x00}{"}},
                {"objectUrl": "w", "clientMetadata": {"b": 1}},
            ]
        },
        {"videos": [{"objectUrl": 5}, {"objectUrl": 6}], "images": [{"title": "t"}, {"title": "u"}]},
        {"image_groups": [{"objectUrl_1": f"b{n}", "objectUrl_0": f"a{n}", "title": f"g{n}"} for n in range(3)]},
        {"image_groups": [{"title": "g", "createVideo": flag, "objectUrl_0": "a"} for flag in (True, False, 1, None)]},
        {"image_groups": [{"title": "g", "objectUrl_0": "a", "clientMetadata": {"k": n}} for n in range(2)]},
        {"image_groups": [{"title": "g", "objectUrl_0": "a"}, {"title": "h", "objectUrl_0": 7}]},
        {
            "image_groups": [{"title": "g"}, {"title": "h"}],
            "dicom_series": [{"objectUrl_0": "a", "objectUrl_1": "b"}] * 2,
        },
        {
            "dicom_series": [
                {"title": f"s{n}", **{f"objectUrl_{f}": f"{n}/{f}.dcm" for f in range(3)}} for n in range(3)
            ]
        },
        # runs of one shape, written a column at a time
        {
            "images": [
                {"objectUrl": f'"{n}"\\\t', "title": "é€", "imageMetadata": {"file_size": n, "mime_type": "a/b"}}
                for n in range(3)
            ]
        },
        {
            "images": [
                {"objectUrl": "u", "imageMetadata": {"width": 1, "mimeType": "a/b", "x": n / 7}} for n in range(3)
            ]
        },
        {"images": [{"objectUrl": "u", "clientMetadata": {"k\n": [n], "f": 1.5}} for n in range(3)]},
        {"images": [{"objectUrl": "u", "clientMetadata": {"a": {"b": n}}} for n in range(3)]},
        {"images": [{"objectUrl": "u", "clientMetadata": {"a": n if n else "s", "b": None}} for n in range(3)]},
        {"images": [{"objectUrl": "u", "clientMetadata": {}} for n in range(3)]},
        {"images": [{"objectUrl": "u", "title": "\udc00"} for n in range(3)]},
        {"image_groups": [{"title": f"g{n}", "clientMetadata": {"n": n}} for n in range(3)]},
        {"image_groups": [{"title": None, "objectUrl_0": f'"{n}"'} for n in range(3)]},
        {"dicom_series": [{"objectUrl_0": f"a{n}\x01", "title": f"s{n}é"} for n in range(3)]},
    ],
    ids=repr,
)
@pytest.mark.parametrize("chunk", [1, 1 << 20])
def test_the_sdk_payload_is_written_item_by_item_as_json_dumps_writes_it_whole(
    data: dict[str, Any], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manifest_tools.writers import sdk
    from manifest_tools.writers.sdk import dumps_sdk, sdk_payload

    monkeypatch.setattr(sdk, "_CHUNK_CHARS", chunk)  # one write per piece: every switch between chunks
    if chunk == 1:
        monkeypatch.setattr(sdk, "_RUN_ITEMS", 2)  # runs cut inside an array: the items stay in order
    payload = sdk_payload(data)
    try:
        expected = json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)
        expected.encode("utf-8")
    except UnicodeEncodeError:
        expected = json.dumps(payload, indent=2, ensure_ascii=True, allow_nan=False)
    assert dumps_sdk(data) == expected + "\n"


@given(st.text())
def test_ascii_escaping_written_text_is_json_dumps_with_ensure_ascii(text: str) -> None:
    from manifest_tools.writers.sdk import ascii_escaped

    value = {text: [text, {"k": text}]}
    assert ascii_escaped(json.dumps(value, ensure_ascii=False)) == json.dumps(value, ensure_ascii=True)


def test_a_non_finite_number_in_the_sdk_payload_is_named() -> None:
    from manifest_tools.errors import NonFiniteNumber
    from manifest_tools.writers.sdk import dumps_sdk

    with pytest.raises(NonFiniteNumber, match="clientMetadata"):
        dumps_sdk({"images": [{"objectUrl": "a.jpg"}, {"objectUrl": "b.jpg", "clientMetadata": {"x": math.nan}}]})
    run = [
        {"objectUrl": "a.jpg", "clientMetadata": {"x": 1.0}},
        {"objectUrl": "b.jpg", "clientMetadata": {"x": math.inf}},
    ]
    with pytest.raises(NonFiniteNumber, match="/images/1/clientMetadata/x"):  # a run of one shape
        dumps_sdk({"images": run})
