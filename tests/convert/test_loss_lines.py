"""Losses located in bulk (``loss_lines``) are where the JSON locator finds them one by one, line for line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from manifest_tools import api, loss_lines
from manifest_tools.conversion import Loss, convert
from manifest_tools.losses import FieldLosses, LossList
from manifest_tools.model import Manifest
from manifest_tools.redact import for_message

URL = "https://b.s3.eu-west-2.amazonaws.com"


def _image(i: int, **more: Any) -> dict[str, Any]:
    meta = {"mimeType": "image/jpeg", "fileSize": 1000 + i, "width": 4, "height": 3}
    return {"objectUrl": f"{URL}/i{i}.jpg", "title": f"i{i}.jpg", "imageMetadata": meta, "clientMetadata": {}, **more}


def _video(i: int) -> dict[str, Any]:
    meta = {"fps": 25, "duration": 1.5, "width": 4, "height": 3, "fileSize": 10, "mimeType": "video/mp4"}
    return {"objectUrl": f"{URL}/v{i}.mp4", "title": f"v{i}.mp4", "videoMetadata": meta}


def _group(i: int, **more: Any) -> dict[str, Any]:
    return {"title": f"g{i}", "createVideo": True, "objectUrl_0": f"{URL}/g{i}/0.jpg", "extra": 1, **more}


DEVELOPERS = {"skip_duplicate_urls": True, "images": [_image(i) for i in range(5)], "videos": [_video(0), _video(1)]}

TEXTS = {
    "indented": json.dumps(DEVELOPERS, indent=2),
    "compact, one line": json.dumps(DEVELOPERS, separators=(",", ":")),
    "a byte order mark": "\ufeff" + json.dumps(DEVELOPERS, indent=1),
    "one item a line, CRLF": json.dumps(DEVELOPERS).replace("}, {", "},\r\n{"),
    "key and value on two lines": json.dumps(DEVELOPERS, indent=1).replace(
        '"imageMetadata": {', '"imageMetadata":\n\n {'
    ),
    "non-ASCII titles before the fields": json.dumps(
        {"images": [_image(i, title=f"été-{i}-日本") for i in range(3)]}, ensure_ascii=False
    ),
    "escaped non-ASCII titles": json.dumps({"images": [_image(i, title=f"été-{i}") for i in range(3)]}),
    "a title spelled as a lost field": json.dumps({"images": [_image(0, title="clientMetadata"), _image(1)]}),
    "the name as a nested key": json.dumps({"images": [_image(0, clientMetadata={"imageMetadata": 1}), _image(1)]}),
    # One key spelled with escapes, one nested key spelled plainly: as many plain spellings as losses, but
    # not the losses' keys. Counting alone would put the first item's loss at the second item's nested key.
    "a lost key spelled with escapes": (
        '{"images": [{"objectUrl": "URL/a.jpg", "image\\u004detadata": {}},\n'
        ' {"objectUrl": "URL/b.jpg", "imageMetadata": {}, "clientMetadata": {"imageMetadata": 2}}]}'
    ).replace("URL", URL),
    "escaped quotes and slashes": json.dumps(
        {"images": [_image(i, title=f'say "imageMetadata": {i}') for i in range(3)]}
    ).replace("/", "\\/"),
    "odd field names": json.dumps(
        {"images": [_image(0, **{"a/b": 1, "x~y": 2, "has space": 3, "": 4, "%d": 5, "{}": 6})]}
    ),
    "groups": json.dumps({"image_groups": [_group(i) for i in range(4)] + [_group(9, objectUrl_1=f"{URL}/x")]}),
    "unknown top-level keys": json.dumps({"images": [_image(0)], "dataset": "d", "imageMetadata": {}}),
    # "dicom_series": a field lost from an image (dropped, listed first) and the kind's note (notes), which is
    # before the image in the file
    "a name in both lists": json.dumps(
        {
            "dicom_series": [{"title": "s", "objectUrl_0": f"{URL}/d/1", "objectUrl_1": f"{URL}/d/2"}],
            "images": [_image(0, dicom_series=1)],
        }
    ),
    "a lone item without a URL": json.dumps({"images": [_image(0), {"title": "t", "imageMetadata": {}}, _image(2)]}),
}


def _reference(shown: str, manifest: Manifest, losses: Any, label: str) -> list[str]:
    """The lines as the locator places each loss by walking to its pointer."""
    prefix = f"{label}: " if label else ""
    lines = []
    for loss in losses:
        where = manifest.locator.locate(loss.pointer)
        lines.append(for_message(f"{shown}:{where.line}:{where.column}: {prefix}{loss.message} ({loss.pointer})"))
    return lines


def _bulk(shown: str, manifest: Manifest, lists: Any, path: str | None) -> list[str]:
    return [line for batch in loss_lines.loss_lines(shown, manifest, *lists, path=path) for line in batch]


@pytest.mark.parametrize("name", TEXTS)
@pytest.mark.parametrize("block", [loss_lines.BLOCK_BYTES, 7])
def test_bulk_lines_are_the_locators(name: str, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read again from the file (in blocks that cut lines, keys and characters) or from the text held."""
    monkeypatch.setattr(loss_lines, "BLOCK_BYTES", block)
    path = tmp_path / "m.json"
    path.write_bytes(TEXTS[name].encode("utf-8"))
    manifest = api.require_rewritable(api.parse_path(path))
    conversion = convert(manifest, "csv", drop_unsupported=True)
    assert len(conversion.dropped) > 0
    lists = ((conversion.dropped, "dropped"), (conversion.notes, "note"))
    expected = [line for losses, label in lists for line in _reference("m.json", manifest, losses, label)]
    assert _bulk("m.json", manifest, lists, str(path)) == expected
    assert _bulk("m.json", manifest, lists, None) == expected  # standard input: the text held
    for losses, label in lists:
        assert _bulk("m.json", manifest, [(losses, label)], str(path)) == _reference("m.json", manifest, losses, label)


@pytest.mark.parametrize("block", [loss_lines.BLOCK_BYTES, 7])
def test_plain_items_are_located_without_walking_to_each(
    block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loss_lines, "BLOCK_BYTES", block)
    path = tmp_path / "m.json"
    path.write_text(TEXTS["indented"], encoding="utf-8")
    manifest = api.require_rewritable(api.parse_path(path))
    expected = _reference("m.json", manifest, convert(manifest, "csv", drop_unsupported=True).dropped, "")
    dropped = convert(manifest, "csv", drop_unsupported=True).dropped
    assert isinstance(dropped, LossList) and any(isinstance(part, FieldLosses) for part in dropped.parts)

    def walked(pointer: str, *, key: bool = False) -> None:
        raise AssertionError(f"located one by one: {pointer}")

    monkeypatch.setattr(manifest.locator, "locate", walked)
    assert _bulk("m.json", manifest, [(dropped, "")], str(path)) == expected


def test_many_lines_come_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loss_lines, "BATCH_LINES", 4)
    path = tmp_path / "m.json"
    path.write_text(TEXTS["groups"], encoding="utf-8")
    manifest = api.require_rewritable(api.parse_path(path))
    dropped = convert(manifest, "csv", drop_unsupported=True).dropped
    batches = list(loss_lines.loss_lines("m.json", manifest, (dropped, ""), path=str(path)))
    assert [line for batch in batches for line in batch] == _reference("m.json", manifest, dropped, "")
    assert len(batches) > 1 and all(len(batch) <= 4 for batch in batches)


def test_a_loss_list_reads_as_the_list_of_its_losses() -> None:
    losses = LossList([Loss("/a", "x")])
    found = (("imageMetadata", "m"), ("clientMetadata", "c"))
    losses.add_run("images", range(2), found)
    losses.add_fields("videos", 4, found)
    losses.add_fields("videos", 7, found)  # joins the run before it
    losses += [Loss("/b", "y")]
    expected = [
        Loss("/a", "x"),
        Loss("/images/0/imageMetadata", "m"),
        Loss("/images/0/clientMetadata", "c"),
        Loss("/images/1/imageMetadata", "m"),
        Loss("/images/1/clientMetadata", "c"),
        Loss("/videos/4/imageMetadata", "m"),
        Loss("/videos/4/clientMetadata", "c"),
        Loss("/videos/7/imageMetadata", "m"),
        Loss("/videos/7/clientMetadata", "c"),
        Loss("/b", "y"),
    ]
    assert losses == expected and list(losses) == expected and len(losses) == len(expected)
    assert [losses[i] for i in range(-len(expected), len(expected))] == expected * 2
    assert losses[2:4] == expected[2:4]
    assert len(losses.parts) == 4, "the two videos are one run"
    assert losses + [Loss("/c", "z")] == [*expected, Loss("/c", "z")]  # noqa: RUF005  (the operator itself)
    assert [Loss("/c", "z")] + losses == [Loss("/c", "z"), *expected]  # noqa: RUF005
    with pytest.raises(IndexError):
        losses[len(expected)]


def test_a_list_extended_by_another_shares_no_run_either_grows() -> None:
    """add_fields grows the last run in place: after extend, the source's growth reached the other list."""
    found = (("title", "lost"),)
    source, other = LossList(), LossList()
    source.add_fields("videos", 0, found)
    other.extend(source)
    other.add_fields("videos", 1, found)
    source.add_fields("videos", 2, found)
    assert [loss.pointer for loss in source] == ["/videos/0/title", "/videos/2/title"] and len(source) == 2
    assert [loss.pointer for loss in other] == ["/videos/0/title", "/videos/1/title"] and len(other) == 2
