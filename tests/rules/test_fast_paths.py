"""The URL rules' chunk test (rules/urls.py: a chunk whose URLs all pass the fast path is checked in a few
C-speed scans of their joined text) reports exactly what checking each URL alone does.

Each manifest is linted without the native scanner three ways: as shipped, with chunks of 3 URLs (so that
chunks of plain URLs sit beside chunks with a finding, and a location's first URL falls in either), and
with the chunk test switched off (every URL checked alone, the reference). Reports, positions and
fingerprints included, must be equal.
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
from manifest_tools.rules import urls
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
)


def _generated() -> Iterator[tuple[str, str]]:
    """Plain URLs with each odd URL spread through them, in images and in groups, at every offset."""
    for index, odd in enumerate(_OTHERS):
        plain = [f"{_S3}/p{index}/{n}.jpg" for n in range(9)]
        for at in (0, 4, 8):
            mixed = [*plain[:at], odd, *plain[at:]]
            manifest = {
                "images": [{"objectUrl": url} for url in mixed],
                "image_groups": [{"title": "g", **{f"objectUrl_{n}": url for n, url in enumerate(mixed)}}],
            }
            yield f"odd-{index}-at-{at}", json.dumps(manifest)


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
def test_chunks_report_what_one_by_one_does(name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "_loaded", True)
    monkeypatch.setattr(native, "_scanner", None)
    shipped = _report(text)
    monkeypatch.setattr(urls, "_CHUNK", 3)
    small = _report(text)
    monkeypatch.setattr(urls, "_plain_locations", lambda chunk, hosts: None)
    reference = _report(text)
    assert shipped == reference
    assert small == reference
