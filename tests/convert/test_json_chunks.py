"""Canonical JSON is encoded a chunk of items at a time: the text is the item-by-item text, wherever chunks end."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from manifest_tools.canonical import canonical_item, canonical_top_level
from manifest_tools.errors import NonFiniteNumber
from manifest_tools.kinds import KINDS_BY_KEY
from manifest_tools.model import join_pointer
from manifest_tools.writers import columns
from manifest_tools.writers import json as json_writer
from manifest_tools.writers.json import encode_item, encode_line, write_json

_URL = "https://acme-data.s3.eu-west-2.amazonaws.com/runs/7"
_FRAMES = {f"objectUrl_{f}": f"{_URL}/frame-{f:03d}.jpg" for f in range(12)}
MANIFEST: dict[str, Any] = {
    "skip_duplicate_urls": True,
    "images": [
        {"objectUrl": f"{_URL}/a.jpg", "title": "a", "imageMetadata": {"width": 1, "mime_type": "image/jpeg"}},
        {"title": "lone \ud800", "objectUrl": f"{_URL}/b.jpg"},
        "not an item",
        {"objectUrl": f"{_URL}/é.jpg", "clientMetadata": {"k": [1, {"n": None}]}},
        {"objectUrl": f"{_URL}/c.jpg", "title": "c"},
        # the same shapes again: their order and metadata names come from the cache
        {"objectUrl": f"{_URL}/d.jpg", "title": "d", "imageMetadata": {"width": 2, "mime_type": "image/png"}},
        {"title": "e", "objectUrl": f"{_URL}/e.jpg", "imageMetadata": {"mimeType": "image/png", "width": 2}},
        {"title": "f", "objectUrl": f"{_URL}/f.jpg", "imageMetadata": {"mimeType": "image/png", "width": 2}},
        {"objectUrl": f"{_URL}/g.jpg", "imageMetadata": {"file_size": 1}},
        {"objectUrl": f"{_URL}/h.jpg", "imageMetadata": {"file_size": 2}},
    ],
    "image_groups": [
        {"title": "short", "objectUrl_0": "a.jpg"},
        {"objectUrl_1": "b.jpg", "title": "long", "createVideo": True, **_FRAMES},
        {"title": "nested", "clientMetadata": {"a": 1, "b": [1, 2]}, **_FRAMES},
        {"title": "one nested", "clientMetadata": {"a": 1}, "objectUrl_0": "a.jpg"},
        {},
        [1, 2],
    ],
    # a run that starts with a long group and goes on with a short one
    "dicom_series": [{"title": "long", **_FRAMES}, {"title": "short", "objectUrl_0": "a.dcm"}],
    "unknown": [{"b": 1, "a": 2}],
}


def _item_by_item(data: dict[str, Any]) -> str:
    """The writer's text as it was before chunks: every item through canonical_item and encode_item."""
    ordered = canonical_top_level(data)
    text = "{"
    for number, (key, value) in enumerate(ordered.items()):
        text += (",\n  " if number else "\n  ") + encode_line(key) + ": "
        if isinstance(value, list) and value:
            kind = KINDS_BY_KEY.get(key)
            group = kind is not None and kind.multi_file
            items = [canonical_item(kind, v) if kind and isinstance(v, dict) else v for v in value]
            lines = [encode_item(item, join_pointer(key, i), group) for i, item in enumerate(items)]
            text += "[\n    " + ",\n    ".join(lines) + "\n  ]"
        else:
            text += encode_line(value, join_pointer(key))
    return text + ("\n}\n" if ordered else "}\n")


@pytest.mark.parametrize(("first", "chars"), [(1, 1), (2, 100), (256, 1 << 20)])
def test_chunks_write_the_item_by_item_text(first: int, chars: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_writer, "_FIRST_CHUNK", first)
    monkeypatch.setattr(json_writer, "_CHUNK_CHARS", chars)
    out = io.StringIO()
    write_json(MANIFEST, out)
    assert out.getvalue() == _item_by_item(MANIFEST)


def _snake_images(count: int, **fields: Any) -> list[dict[str, Any]]:
    metadata = {"mime_type": "image/jpeg", "file_size": 10, "width": 2}
    return [{"objectUrl": f"{_URL}/{n}.jpg", "imageMetadata": dict(metadata), **fields} for n in range(count)]


SNAKE_RUNS: dict[str, list[dict[str, Any]]] = {
    "renamed in the text": _snake_images(3),
    "a title that spells a key": _snake_images(3, title='say "file_size": 1'),
    "the name again in clientMetadata": _snake_images(3, clientMetadata={"file_size": 1}),
    "a lone surrogate": _snake_images(3, title="\udc00"),
    "non-ASCII": _snake_images(3, title="é"),
}


@pytest.mark.parametrize("images", list(SNAKE_RUNS.values()), ids=list(SNAKE_RUNS))
def test_metadata_renamed_in_the_text_is_the_item_by_item_text(images: list[dict[str, Any]]) -> None:
    """A run of one shape with snake_case metadata in the table's order is renamed in the encoded text;
    where a name could be found elsewhere, item by item: the same text either way."""
    data = {"images": images}
    out = io.StringIO()
    write_json(data, out)
    assert out.getvalue() == _item_by_item(data)


def test_a_non_finite_number_is_named_at_its_canonical_name() -> None:
    images = _snake_images(2)
    images[1]["imageMetadata"]["file_size"] = float("nan")
    with pytest.raises(NonFiniteNumber, match="/images/1/imageMetadata/fileSize"):
        write_json({"images": images}, io.StringIO())


class _Text(str):
    """A str subclass: the encoder writes it as a string, the column writer leaves it to the encoder."""


def _groups(count: int, **fields: Any) -> list[dict[str, Any]]:
    return [{"title": f"g{n}", **fields, "objectUrl_0": f"{_URL}/{n}.jpg"} for n in range(count)]


def _fitting(width: int) -> list[dict[str, Any]]:
    """Groups whose one-line text, indented, is ``width`` characters (``{"title": "...", "objectUrl_0": "..."}``)."""
    fixed = len('{"title": "", "objectUrl_0": ""}') + 4
    return [{"title": "t" * (width - fixed - 2) + str(n), "objectUrl_0": "u"} for n in range(3)]


COLUMN_RUNS: dict[str, dict[str, list[Any]]] = {
    "long groups": {"dicom_series": _groups(4, **_FRAMES)},
    "short groups": {"image_groups": _groups(4, createVideo=False)},
    "groups exactly at the line width": {"image_groups": _fitting(120)},
    "groups one past the line width": {"image_groups": _fitting(121)},
    "some groups fit, some do not": {"image_groups": [*_fitting(120), *_fitting(121)]},
    "reordered single-file items": {"images": [{"objectUrl": f"{_URL}/{n}.jpg", "title": f"i{n}"} for n in range(4)]},
    "strings the encoder escapes": {"images": [{"objectUrl": f'{_URL}/"{n}"\\\t\x01', "title": "a"} for n in range(3)]},
    "non-ASCII and DEL": {"images": [{"objectUrl": f"{_URL}/é{n}\x7f", "title": "€"} for n in range(3)]},
    "a lone surrogate": {"images": [{"objectUrl": f"{_URL}/{n}", "title": "\udc00"} for n in range(3)]},
    "a lone surrogate in a key": {"unknown": [], "images": [{"objectUrl": "u", "\ud800": 1} for _ in range(3)]},
    "a lone surrogate in a long group": {"dicom_series": _groups(3, note="\ud800", **_FRAMES)},
    "numbers, flags and nulls": {
        "videos": [
            {"objectUrl": "u", "title": None, "videoMetadata": {"fps": 25.5, "duration": n, "width": 1 << 70}}
            for n in range(3)
        ]
    },
    "mixed types in a column": {"images": [{"objectUrl": "u", "title": value} for value in ("a", 1, None, True, 2.5)]},
    "nested values in groups": {"image_groups": _groups(3, clientMetadata={"a": [1, {"b": "c"}]}, **_FRAMES)},
    "nested values in short groups": {"image_groups": _groups(3, clientMetadata={"a": [1, {"b": "c"}]})},
    "a str subclass": {"images": [{"objectUrl": _Text("u"), "title": "a"} for _ in range(3)]},
    "a tuple": {"images": [{"objectUrl": "u", "clientMetadata": {"k": (1, 2)}} for _ in range(3)]},
    "snake_case metadata renamed in the text": {"images": _snake_images(4)},
    "nested objects of one shape": {
        "images": [
            {"objectUrl": "u", "clientMetadata": {"s": f'"{n}"é', "i": -n, "f": n / 3, "b": None, "d": {"x": [n]}}}
            for n in range(4)
        ]
    },
    "nested objects of several shapes": {
        "videos": [{"objectUrl": "u", "clientMetadata": {"a": 1} if n % 2 else {"b": 2}} for n in range(4)]
    },
    "empty nested objects": {"images": [{"objectUrl": "u", "clientMetadata": {}} for _ in range(3)]},
    "a nested key that is no string": {"images": [{"objectUrl": "u", "clientMetadata": {1: "a"}} for _ in range(3)]},
    "nested floats": {"images": [{"objectUrl": "u", "clientMetadata": {"f": 1e300 if n else -0.0}} for n in range(3)]},
    "an int past the encoder's digits": {"images": [{"objectUrl": "u", "clientMetadata": {"n": 1 << 64}}] * 3},
    "metadata to reorder": {
        "images": [{"objectUrl": "u", "imageMetadata": {"width": 1, "mimeType": "image/png"}} for _ in range(3)]
    },
}


@pytest.mark.parametrize("data", list(COLUMN_RUNS.values()), ids=list(COLUMN_RUNS))
def test_runs_written_column_by_column_are_the_item_by_item_text(data: dict[str, list[Any]]) -> None:
    """A run of one shape is written a column at a time where it can be; every other run item by item."""
    out = io.StringIO()
    write_json(data, out)
    assert out.getvalue() == _item_by_item(data)


@pytest.mark.parametrize(
    ("values", "group", "written"),
    [
        ([{"title": "a", "objectUrl_0": "u"}] * 2, True, True),
        (_fitting(120), True, True),
        (_fitting(121), True, True),
        ([*_fitting(120), *_fitting(121)], True, False),
        ([{"objectUrl": "u", "title": "é"}] * 2, False, True),
        ([{"objectUrl": "u", "title": "\udc00"}] * 2, False, False),
        ([{"objectUrl": "u", "fps": float("nan")}] * 2, False, False),
        ([{"objectUrl": _Text("u")}] * 2, False, False),
        ([{"objectUrl": "u", "m": {"f": float("inf")}}] * 2, False, False),
        ([{"objectUrl": "u", "m": {"k": _Text("v")}}] * 2, False, True),
        ([{"objectUrl": "u", "m": {"k": (1, 2)}}] * 2, False, True),  # the encoder writes the nested tuple
    ],
)
def test_which_runs_are_written_column_by_column(values: list[Any], group: bool, written: bool) -> None:
    """The column writer takes the runs it can write exactly and leaves the others to the encoder item by item."""
    text = json_writer._column_run(values, tuple(values[0]), group)
    assert (text is not None) == written
    if text is not None:
        assert text == ",\n    ".join(encode_item(value, "", group) for value in values)


def _wide(count: int, **fields: Any) -> list[dict[str, Any]]:
    """``count`` groups of 12 frames and ``fields``: more keys than items, so the run is written a row at a time."""
    return [{"title": f"g{n}", **fields, **{k: f"{v}?{n}" for k, v in _FRAMES.items()}} for n in range(count)]


_one_fits = [{"title": title, "objectUrl_0": "u", "createVideo": False} for title in ("a", "t" * 120)]
WIDE_RUNS: dict[str, dict[str, list[Any]]] = {
    "wide groups": {"image_groups": _wide(3, createVideo=True)},
    "one wide group": {"dicom_series": _wide(1)},
    "a group that fits a line, alone": {"image_groups": [{"title": "a", "objectUrl_0": "u", "createVideo": False}]},
    "wide groups, one fits a line": {"image_groups": _one_fits},
    "groups exactly at the line width, alone": {"image_groups": _fitting(120)[:1]},
    "groups one past the line width, alone": {"image_groups": _fitting(121)[:1]},
    "keys the encoder escapes": {"image_groups": _wide(2, **{'a "quoted"\\key\t\x01': "v", "clé €": "w"})},
    "values the encoder escapes, in one group": {
        "image_groups": [*_wide(1), {**_wide(2)[1], "objectUrl_3": 'u"\\\n\x1f'}]
    },
    "non-ASCII and DEL in values": {"image_groups": _wide(2, note="é€\x7f\u2028😀")},
    "a lone surrogate in a value": {"dicom_series": _wide(2, note="\udc00")},
    "a lone surrogate in a later group": {"dicom_series": [*_wide(1), {**_wide(2)[1], "note": "a\ud800"}]},
    "a lone surrogate in a key": {"dicom_series": _wide(2, **{"\ud800": "v"})},
    "a string first, then a number": {"image_groups": [*_wide(1, createVideo="yes"), *_wide(1, createVideo=1)]},
    "a number first, then a string": {"image_groups": [*_wide(1, createVideo=1), *_wide(1, createVideo="yes")]},
    "numbers, flags and nulls": {"image_groups": _wide(2, n=1 << 70, f=2.5, z=-0.0, b=False, none=None)},
    "a non-finite number": {"image_groups": _wide(1, f=float("inf"))},
    "a str subclass, first": {"image_groups": _wide(2, note=_Text("sub"))},
    "a str subclass, later": {"image_groups": [*_wide(1, note="a"), *_wide(1, note=_Text("b"))]},
    "nested values in wide groups": {"image_groups": _wide(2, clientMetadata={"a": [1, {"b": 'c"'}], "é": None})},
    "nested values of several shapes": {
        "image_groups": [*_wide(1, clientMetadata={"a": 1}), *_wide(1, clientMetadata={"b": 2})]
    },
    "wide items with metadata to rename": {
        "images": [
            {
                "title": "t",
                "objectUrl": f"{_URL}/a.jpg",
                "imageMetadata": {"mime_type": "image/png", "file_size": 3, "width": 1, "height": 2},
                "clientMetadata": {"k": "v"},
            }
        ]
    },
    "wide items with metadata to reorder": {
        "videos": [
            {"objectUrl": "u", "videoMetadata": {"width": 1, "fps": 2.5, "mimeType": "video/mp4"}, "title": "v"},
            {"objectUrl": "w", "videoMetadata": {"width": 3, "fps": 1.0, "mimeType": "video/mp4"}, "title": "x"},
        ]
    },
}


@pytest.mark.parametrize("data", list(WIDE_RUNS.values()), ids=list(WIDE_RUNS))
def test_runs_written_row_by_row_are_the_item_by_item_text(data: dict[str, list[Any]]) -> None:
    """A run with more keys than items is written a row at a time where it can be; others item by item (the
    same text, or the same error naming where)."""
    assert _text_or_error(lambda: json_writer.dumps_json(data)) == _text_or_error(lambda: _item_by_item(data))


def _text_or_error(write: Callable[[], str]) -> str:
    try:
        return write()
    except NonFiniteNumber as error:
        return f"error: {error}"


@pytest.mark.parametrize("data", list(WIDE_RUNS.values()), ids=list(WIDE_RUNS))
def test_wide_items_are_json_dumps_text(data: dict[str, list[Any]]) -> None:
    """Each item is the standard library's json.dumps of it: on one line, or for a long group with every key
    on its own line (ensure_ascii only where a lone surrogate leaves no other way)."""
    ((key, items),) = data.items()
    kind = KINDS_BY_KEY[key]
    try:
        text = json_writer.dumps_json(data)
    except NonFiniteNumber:
        return  # (said item by item: the test above)
    written = text[text.index("[\n    ") + 6 : text.rindex("\n  ]")].split(",\n    {")
    for number, (item, item_text) in enumerate(zip(items, written, strict=True)):
        item = canonical_item(kind, item)
        piece = item_text if number == 0 else "{" + item_text
        ascii_only = any("\ud800" <= c <= "\udfff" for c in json.dumps(item, ensure_ascii=False))
        dumps = partial(json.dumps, ensure_ascii=ascii_only, allow_nan=False, separators=(", ", ": "))
        if piece.startswith("{\n"):
            members = (f"{dumps(name)}: {dumps(value)}" for name, value in item.items())
            assert piece == "{\n      " + ",\n      ".join(members) + "\n    }"
        else:
            assert piece == dumps(item)


_WIDE = _wide(2, createVideo=True)


@pytest.mark.parametrize(
    ("values", "group", "written"),
    [
        (_WIDE, True, True),
        ([{"title": "a", "objectUrl_0": "u", "createVideo": False}], True, True),
        (_one_fits, True, True),
        (_wide(2, **{'k"\\\t': "v", "é": "w"}), True, True),
        (_wide(2, note="é\x7f"), True, True),
        (_wide(2, clientMetadata={"a": [1]}), True, True),
        (_wide(2, n=1, f=2.5, b=None), True, True),
        ([*_wide(1, note="a"), *_wide(1, note=_Text("b"))], True, True),  # the encoder writes its text
        ([*_wide(1, createVideo=1), *_wide(1, createVideo="yes")], True, True),
        ([*_wide(1, createVideo="yes"), *_wide(1, createVideo=1)], True, False),
        ([*_wide(1), {**_wide(2)[1], "objectUrl_3": 'u"'}], True, False),
        (_wide(2, note="\x00"), True, False),
        (_wide(2, note="\udc00"), True, False),
        (_wide(2, **{"\ud800": "v"}), True, False),
        (_wide(2, note=_Text("b")), True, False),
        (_wide(2, f=float("nan")), True, False),
        ([{"objectUrl": "u", "title": "t"}], False, True),
        ([{"objectUrl": "u"}], False, False),  # one key: a column
    ],
)
def test_which_runs_are_written_row_by_row(values: list[Any], group: bool, written: bool) -> None:
    """The row writer takes the wide runs it can write exactly and leaves the others to the encoder."""
    text = json_writer._row_run(values, tuple(values[0]), group, None)
    assert (text is not None) == written
    if text is not None:
        assert text == ",\n    ".join(encode_item(value, "", group) for value in values)


def test_plain_is_what_the_encoder_leaves_unescaped() -> None:
    """columns.plain against the standard library's own escaping, over every character."""
    for code in range(0x110000):
        char = chr(code)
        expected = len(columns._escape(char)) == 3 and not 0xD800 <= code <= 0xDFFF
        assert columns.plain(f"a{char}b") == expected, hex(code)
