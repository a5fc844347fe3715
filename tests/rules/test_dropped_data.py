"""A lint that owns its manifest drops the parsed data before placing findings (``drop_data``): positions,
messages and fingerprints must be those of a lint that keeps it (``api.check`` of the same parse), on the
pure-Python path, in every layout the locator meets (indented, CRLF, escaped slashes, non-ASCII, a BOM)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from manifest_tools import api, native
from manifest_tools.readers.dispatch import parse_path
from manifest_tools.rules import engine

U = "https://b.s3.eu-west-2.amazonaws.com"
ITEMS: list[dict[str, Any]] = [
    {"objectUrl": f"{U}/a.jpg", "title": "a"},
    {"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/b.jpg", "title": 'caf\u00e9 \u2603 "q" /'},
    {"objectUrl": f"{U}/c.jpg", "imageMetadata": {"mimeType": "image/jpeg", "fileSize": -1}},
    {"objectUrl": f"{U}/d.jpg", "clientMetadata": {"k": ["}"], "l": {}}, "tilte": "x"},
    {"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/e.jpg"},
]
MANIFEST = {"images": ITEMS * 3, "videos": [{"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/v.mp4"}]}
LAYOUTS: dict[str, Callable[[Any], str]] = {
    "compact": lambda v: json.dumps(v, separators=(",", ":")),
    "indented": lambda v: json.dumps(v, indent=2),
    "crlf-non-ascii": lambda v: json.dumps(v, indent="\t", ensure_ascii=False).replace("\n", "\r\n"),
    "escaped-slashes": lambda v: json.dumps(v).replace("/", "\\/"),
    "bom": lambda v: "\ufeff" + json.dumps(v, indent=1, ensure_ascii=False),
}


@pytest.fixture(autouse=True)
def _pure_python() -> Iterator[None]:
    loaded, scanner = native._loaded, native._scanner
    native._loaded, native._scanner = True, None
    try:
        yield
    finally:
        native._loaded, native._scanner = loaded, scanner


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_lint_that_drops_its_data_places_and_fingerprints_as_one_that_keeps_it(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.json"
    path.write_bytes(LAYOUTS[layout](MANIFEST).encode("utf-8"))
    enabled = api.selection(["ALL"])
    kept = api.check(parse_path(path), enabled, count_fixes=False).diagnostics
    dropped: list[object] = []
    drop = engine._drop_data
    monkeypatch.setattr(engine, "_drop_data", lambda manifest: (dropped.append(manifest), drop(manifest)))
    linted = api.lint_file(path, enabled, count_fixes=False).diagnostics
    assert len(dropped) == 1 and dropped[0].data is None  # type: ignore[attr-defined]
    assert len(kept) > 10 and all(d.fingerprint for d in kept)
    assert linted == kept
