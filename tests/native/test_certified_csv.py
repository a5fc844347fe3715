"""CSV rows certified by the native scanner: the report is the one the Python rules give on every row.

Every CSV input the suite knows (rule cases, fixtures) and CSV near misses (shared URLs and titles,
placeholder hosts, mixed providers, wrong file types, long titles) are linted with the scanner and
without it, every rule selected and the default rules; the reports must be equal, positions and
fingerprints included.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import manifest_tools
from manifest_tools import api, native
from manifest_tools.certified_csv_fix import fix_certified_csv
from manifest_tools.fixes import fix_manifest
from manifest_tools.model import CERTIFIED
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.rules.certified_csv import certify_csv
from tests.rule_cases import csv_case_inputs

ROOT = Path(__file__).parents[2]
URL = "https://b.s3.eu-west-2.amazonaws.com"
IMAGES = "".join(f"{URL}/i/{n}.jpg,img {n}\n" for n in range(5))


def lint_both(text: str, select: list[str]) -> tuple[manifest_tools.Report, list[Diagnostic]]:
    """(report with the scanner, diagnostics without it)."""
    fast = manifest_tools.lint(text, format="csv", name="m.csv", select=select)
    loaded, scanner = native._loaded, native._scanner
    native._loaded, native._scanner = True, None
    try:
        slow = list(manifest_tools.lint(text, format="csv", name="m.csv", select=select))
    finally:
        native._loaded, native._scanner = loaded, scanner
    return fast, slow


NEAR_MISSES = {
    "clean": "ObjectUrl,Image title\n" + IMAGES,
    "shared URL": "ObjectUrl,Image title\n" + IMAGES + f"{URL}/i/2.jpg,again\n",
    "shared title": "ObjectUrl,Image title\n" + IMAGES + f"{URL}/i/x.jpg,img 2\n",
    "placeholder host": "ObjectUrl,Image title\n" + IMAGES + "https://example.com/i/x.jpg,x\n",
    "two providers": "ObjectUrl,Image title\n" + IMAGES + "https://storage.googleapis.com/b/x.jpg,x\n",
    "two buckets": "ObjectUrl,Image title\n" + IMAGES + "https://c.s3.eu-west-2.amazonaws.com/x.jpg,x\n",
    "video in images": "ObjectUrl,Image title\n" + IMAGES + f"{URL}/v/x.mp4,x\n",
    "tiff": "ObjectUrl,Image title\n" + IMAGES + f"{URL}/i/x.tiff,x\n",
    "long title": "ObjectUrl,Image title\n" + IMAGES + f"{URL}/i/x.jpg,{'t' * 300}\n",
    "placeholder title": "ObjectUrl,Image title\n" + IMAGES + f"{URL}/i/x.jpg,TODO\n",
    "bad URL": "ObjectUrl,Image title\n" + IMAGES + f"{URL}/i/a b.jpg,x\nhttp://{URL[8:]}/i/y.jpg,y\n",
    "groups": "ObjectUrl,Image group title,Create video\n"
    + "".join(f"{URL}/g/{n}.jpg,G{n // 3},{'true' if n // 3 % 2 else 'false'}\n" for n in range(9))
    + f"{URL}/g/x.png,G0,false\n",
    "series": "ObjectUrl,Series title\n" + "".join(f"{URL}/d/{n}.dcm,S{n // 4}\n" for n in range(8)),
    "escapes and non-ASCII": "ObjectUrl,Image title\n"
    + IMAGES
    + f"{URL}/i/x.jpg,t\u00e9l\u00e9\n{URL}/i/y.jpg,tab\there\n{URL}/i/z.jpg,back\\slash\n{URL}/i/\u00e9.jpg,e\n",
    "videos": "ObjectUrl,Video title\n" + "".join(f"{URL}/v/{n}.mp4,clip {n}\n" for n in range(4)) + f"{URL}/v/x,x\n",
}


def _corpus() -> Iterator[Any]:
    yield from csv_case_inputs()
    for path in sorted(ROOT.glob("fixtures/**/*.csv")):
        yield pytest.param(path.read_text(encoding="utf-8", errors="replace"), id=str(path.relative_to(ROOT)))
    for name, text in NEAR_MISSES.items():
        yield pytest.param(text, id=name)


@pytest.mark.parametrize("text", list(_corpus()))
@pytest.mark.parametrize("select", [["ALL"], []])
def test_certified_rows_report_as_the_python_rules(text: str, select: list[str]) -> None:
    fast, slow = lint_both(text, select)
    assert list(fast) == slow


def test_clean_rows_are_certified_and_mistakes_are_not() -> None:
    """The comparison above compares two paths: the scanner takes clean rows and leaves the others."""
    clean = manifest_tools.lint(NEAR_MISSES["clean"], format="csv", name="m.csv")
    assert clean.checked_by == {"m.csv": api.NATIVE_SCANNER_CSV}
    manifest = manifest_tools.load(NEAR_MISSES["video in images"], format="csv")
    certified = certify_csv(manifest, frozenset())
    assert not isinstance(certified, str) and certified.data is not None
    assert certified.data["images"] == [CERTIFIED] * 5 + [{"objectUrl": f"{URL}/v/x.mp4", "title": "x"}]


def test_without_orjson_the_json_module_writes_what_the_scanner_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    text = NEAR_MISSES["escapes and non-ASCII"] + NEAR_MISSES["groups"]
    with_orjson = manifest_tools.lint(text, format="csv", name="m.csv", select=["ALL"])
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson raises ImportError
    without = manifest_tools.lint(text, format="csv", name="m.csv", select=["ALL"])
    assert without.checked_by == with_orjson.checked_by == {"m.csv": api.NATIVE_SCANNER_CSV}
    assert list(without) == list(with_orjson)


@pytest.mark.parametrize("text", list(_corpus()))
@pytest.mark.parametrize(("select", "unsafe"), [(["ALL"], True), ([], False)])
def test_fixing_certified_rows_gives_what_fixing_every_row_gives(text: str, select: list[str], unsafe: bool) -> None:
    enabled = api.selection(select, (), ())
    manifest = manifest_tools.load(text, format="csv", name="m.csv")
    before = repr(manifest.data)
    fast = fix_certified_csv(manifest, enabled, unsafe)
    slow = fix_manifest(manifest_tools.load(text, format="csv", name="m.csv"), enabled, unsafe=unsafe)
    if isinstance(fast, str):
        assert repr(manifest.data) == before  # the caller's fallback fixes the manifest as read
        assert slow.text is None or slow.passes or manifest.data is None or "dropped" in fast or not slow.text
        return
    assert (fast.text, fast.applied) == (slow.text, slow.applied)


def test_fixing_rows_takes_the_scanner_path_where_it_certifies() -> None:
    """The comparison above compares two paths: a clean CSV and one with URLs to repair are fixed with the scanner."""
    for name in ("clean", "bad URL", "groups"):
        manifest = manifest_tools.load(NEAR_MISSES[name], format="csv", name="m.csv")
        fixed = fix_certified_csv(manifest, api.selection(["ALL"], (), ()), True)
        assert not isinstance(fixed, str), name
    assert fix_certified_csv(manifest_tools.load(NEAR_MISSES["bad URL"], format="csv"), frozenset(), False)


_ITEM = st.fixed_dictionaries({"title": st.text(max_size=40), "objectUrl": st.text(max_size=80)})


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["images", "videos", "image_groups"]), st.lists(_ITEM, max_size=12)),
    st.integers(1, 4),
)
def test_the_scanner_text_is_orjson_dumps_of_the_rows(data: dict[str, Any], piece: int) -> None:
    """Written a piece at a time into one buffer (sized from each kind's first piece, grown when a later piece
    is longer): the bytes orjson.dumps writes of the whole model."""
    import orjson

    from manifest_tools.rules import certified_csv

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(certified_csv, "_ITEMS_A_PIECE", piece)
        assert bytes(certified_csv._dumps(data)) == orjson.dumps(data)
