"""MT108 for a surrogate held as is in text a library caller passed (UTF-8 cannot hold one), the same in every
form the caller may pass it: a CSV string, a JSON string, a dict. One home: readers/text.py raw_surrogates."""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest

import manifest_tools
from manifest_tools.readers.repeats import MAX_REPEATS

URL = "https://b.s3.eu-west-2.amazonaws.com/a{}.mp4"
ITEM = {"objectUrl": URL.format("\ud800"), "title": "t\udc00.mp4"}

FORMS: list[tuple[Literal["json", "csv"], Any, str, list[tuple[int, int]]]] = [
    ("csv", f"ObjectUrl,Video title\n{URL.format(chr(0xD800))},t\udc00.mp4\n", "v.csv", [(2, 39), (2, 46)]),
    ("csv", f"\ufeffObjectUrl,Video title\r\n{URL.format(chr(0xDBFF))},t\udfff.mp4\r\n", "v.csv", [(2, 39), (2, 46)]),
    ("csv", f'ObjectUrl,Video title\n"{URL.format(chr(0xD800))}","t\udc00, .mp4"\n', "v.csv", [(2, 40), (2, 49)]),
    ("json", json.dumps({"videos": [ITEM]}, ensure_ascii=False), "v.json", [(1, 66), (1, 85)]),
    ("json", {"videos": [ITEM]}, "v.json", [(4, 59), (5, 18)]),
]


@pytest.mark.parametrize(("fmt", "data", "name", "places"), FORMS)
def test_raw_surrogate_is_mt108_in_every_form(
    fmt: Literal["json", "csv"], data: Any, name: str, places: list[tuple[int, int]]
) -> None:
    report = manifest_tools.lint(data, format=fmt, name=name)
    found = [(d.line, d.column) for d in report if d.code == "MT108"]
    assert found == places, [str(d) for d in report]
    assert not report.ok


def test_csv_without_surrogates_reports_no_mt108() -> None:
    text = f"ObjectUrl,Video title\n{URL.format('é')},t\u00e9\U0001f600.mp4\n"
    assert not [d for d in manifest_tools.lint(text, format="csv", name="v.csv") if d.code == "MT108"]


def test_csv_surrogates_are_capped_as_mt108_repeats() -> None:
    rows = "".join(f"{URL.format(chr(0xD800) + str(n))},t{n}.mp4\n" for n in range(MAX_REPEATS + 5))
    report = manifest_tools.lint("ObjectUrl,Video title\n" + rows, format="csv", name="v.csv")
    mt108 = [d for d in report if d.code == "MT108"]
    assert len(mt108) == MAX_REPEATS + 1
    assert mt108[-1].message.startswith("... and 5 more")
