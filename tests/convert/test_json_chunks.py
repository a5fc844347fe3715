"""Canonical JSON is encoded a chunk of items at a time: the text is the item-by-item text, wherever chunks end."""

from __future__ import annotations

import io
from typing import Any

import pytest

from manifest_tools.canonical import canonical_item, canonical_top_level
from manifest_tools.errors import NonFiniteNumber
from manifest_tools.kinds import KINDS_BY_KEY
from manifest_tools.model import join_pointer
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
