"""The pure-Python rules' whole-file fast paths report exactly what checking each value alone does.

rules/urls.py tests a chunk of URLs that all pass its fast path in a few C-speed scans of their joined
text; rules/files.py tests every URL's extension per kind the same way before its loop, and
rules/titles.py all titles at once. Each manifest is linted without the native scanner as shipped, with
URL chunks of 3 (so that chunks of plain URLs sit beside chunks with a finding, and a location's first
URL falls in either), and with the fast paths
switched off (every value checked alone, the reference). Reports, positions and fingerprints included,
must be equal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

import manifest_tools
from manifest_tools import native
from manifest_tools.rules import files, titles, urls
from manifest_tools.rules.urls import url_validity

CASES_DIR = Path(__file__).parent / "cases"
_S3 = "https://acme.s3.eu-west-2.amazonaws.com"
_OTHERS = (
    "https://storage.cloud.google.com/gb/a.jpg",  # a second provider: MT313
    "https://other.s3.eu-west-2.amazonaws.com/a.jpg",  # a second bucket: MT314
    "http://cdn.example.org/a.jpg",
    f"{_S3}/folder/",
    f"{_S3}/your-bucket/a.jpg",
    "https://bucket/a.jpg",  # a host without a dot
    "https://acme.s3.region.amazonaws.com/a.jpg",  # a word where the region belongs
    f"{_S3}/{'n' * 301}.jpg",
    f"{_S3}/a b.jpg",
    f"{_S3}/caf\u00e9.jpg",
    f"{_S3}/a.jpg?X-Amz-Date=20190101T000000Z&X-Amz-Expires=3600&X-Amz-Signature=0",
    f"{_S3}/x/../cloud-path-to/a.jpg",
    "",
    7,
    f"{_S3}/a.tif",  # TIFF frames in a sequence: MT403
    f"{_S3}/a.mov",  # Safari only: MT404; a video under images: MT401
    f"{_S3}/a.JPG",
    f"{_S3}/a.tar.gz",
    f"{_S3}/a.jpg?v=1",
    f"{_S3}/noextension",
    f"{_S3}/.hidden",
    f"{_S3}/a.jpg ",
    f" {_S3}/a.png",
    f"{_S3}/a.jpg\nb.mp4",
    f"{_S3}/caf%C3%A9.jp%67",
    f"{_S3}/a.txt",
    f"{_S3}/.jpg",  # a hidden file: no extension
    "jpg",  # no dot at all
    ".jpg",  # a name that starts with its only dot
)


def _generated() -> Iterator[tuple[str, str]]:
    """Plain URLs with each odd URL spread through them, in images and in groups, at every offset."""
    for index, odd in enumerate(_OTHERS):
        plain = [f"{_S3}/p{index}/{n}.jpg" for n in range(9)]
        for at in (0, 4, 8):
            mixed = [*plain[:at], odd, *plain[at:]]
            manifest = {
                "images": [{"objectUrl": url} for url in mixed],
                "videos": [
                    {"objectUrl": url.replace(".jpg", ".mp4") if isinstance(url, str) else url} for url in mixed
                ],
                "image_groups": [
                    {"title": "g", **{f"objectUrl_{n}": url for n, url in enumerate(mixed)}},
                    {"title": "s", "createVideo": True, **{f"objectUrl_{n}": url for n, url in enumerate(mixed)}},
                ],
            }
            yield f"odd-{index}-at-{at}", json.dumps(manifest)

    # a URL holding a line break beside one without an extension: as many extensions as URLs, not one each
    yield "line-break", json.dumps({"images": [{"objectUrl": f"{_S3}/a.jpg\n{_S3}/b.jpg"}, {"objectUrl": f"{_S3}/c"}]})


def _cases() -> Iterator[tuple[str, str]]:
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if isinstance(case.get("input"), str) and case.get("format", "json") == "json":
                yield f"{path.stem}::{case['name']}", case["input"]


def _report(text: str) -> list[tuple[object, ...]]:
    with url_validity(now=datetime(2020, 1, 1, 0, 30, tzinfo=UTC)):
        report = manifest_tools.lint(text.encode("utf-8", "surrogatepass"), format="json", select=["ALL"])
    return [(d.code, d.line, d.column, d.end_line, d.end_column, d.pointer, d.message, d.fingerprint) for d in report]


@pytest.mark.parametrize(("name", "text"), [*_generated(), *_cases()], ids=lambda value: str(value)[:60])
def test_fast_paths_report_what_one_by_one_does(name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "_loaded", True)
    monkeypatch.setattr(native, "_scanner", None)
    shipped = _report(text)
    monkeypatch.setattr(urls, "_CHUNK", 3)
    small = _report(text)
    monkeypatch.setattr(urls, "_plain_locations", lambda urls, hosts: None)
    monkeypatch.setattr(files, "_all_allowed", lambda manifest, want_browser: False)
    monkeypatch.setattr(titles, "_nothing_to_find", lambda manifest, want_placeholders: False)
    reference = _report(text)
    assert shipped == reference
    assert small == reference
