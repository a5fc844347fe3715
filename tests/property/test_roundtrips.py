"""Round trips on random valid manifests: nothing is lost, reordered or renamed."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from manifest_tools import api
from manifest_tools.conversion import ConversionRefused, convert
from manifest_tools.splitting import Limits, plan, write_parts
from manifest_tools.writers.csv import starts_like_formula

URL = "https://b.s3.eu-west-2.amazonaws.com"
names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)  # control characters too: CR, NUL, U+2028
titles = names.filter(lambda t: t == t.strip())
keys = st.from_regex(r"[a-z0-9]{1,8}(/[a-z0-9_-]{1,8}){0,2}", fullmatch=True)


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    counter = iter(range(10**6))

    def url(extension: str) -> str:
        return f"{URL}/{draw(keys)}-{next(counter)}.{extension}"

    data: dict[str, Any] = {}
    images = draw(st.lists(st.builds(dict), max_size=6))
    if images:
        data["images"] = [
            {"objectUrl": url("jpg"), **({"title": draw(titles)} if draw(st.booleans()) else {})} for _ in images
        ]
    videos = draw(st.integers(0, 4))
    if videos:
        data["videos"] = [{"objectUrl": url("mp4"), "title": draw(titles) + ".mp4"} for _ in range(videos)]
    group_titles = draw(st.lists(titles, max_size=4, unique=True))
    if group_titles:
        data["image_groups"] = [
            {
                "title": title,
                "createVideo": draw(st.booleans()),
                **{f"objectUrl_{i}": url("png") for i in range(draw(st.integers(1, 5)))},
            }
            for title in group_titles
        ]
    if draw(st.booleans()) and data:
        data["skip_duplicate_urls"] = True
    return data


def _item_pointers(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"/{kind}/{index}", item) for kind, items in data.items() for index, item in enumerate(items)]


def _items(data: dict[str, Any]) -> list[tuple[str, Any, tuple[Any, ...], Any]]:
    manifest = api.load(data)
    return [
        (
            item.kind.key,
            item.fields.get("title"),
            tuple(u for _, u in item.url_fields()),
            item.fields.get("createVideo"),
        )
        for item in manifest.items()
    ]


def _uncarried(title: object) -> bool:
    """Whether a CSV cell cannot hold ``title``: it has a C0 control other than tab, CR and LF (which a quoted
    cell holds), for which CSV has no escape (RFC 4180's TEXTDATA excludes them; lint's MT107)."""
    return isinstance(title, str) and any(ord(char) < 0x20 and char not in "\t\r\n" for char in title)


@settings(max_examples=150, deadline=None)
@given(manifests())
def test_json_csv_json_keeps_items_urls_titles_and_create_video(data: dict[str, Any]) -> None:
    data.pop("skip_duplicate_urls", None)
    assume(data)  # an empty manifest makes an empty CSV, which lint rightly reports (MT110)
    # A title's control character CSV cannot escape is a loss: refused, its item named; dropped when told.
    uncarried = [pointer for pointer, item in _item_pointers(data) if _uncarried(item.get("title"))]
    if uncarried:
        with pytest.raises(ConversionRefused) as refused:
            convert(api.load(data), "csv")
        assert [loss.pointer for loss in refused.value.losses] == uncarried
    conversion = convert(api.load(data), "csv", drop_unsupported=True)
    assert [loss.pointer for loss in conversion.dropped] == uncarried
    kept = {
        kind: [item for pointer, item in _item_pointers({kind: items}) if pointer not in uncarried]
        for kind, items in data.items()
    }
    kept = {kind: items for kind, items in kept.items() if items}
    assume(kept)  # every item dropped: an empty CSV (MT110)
    back = api.parse("back.csv", conversion.text)
    assert back.reader_diagnostics == []  # what the CSV holds lints clean: no raw control character (MT107)
    # Titles a spreadsheet would run as formulas are written as they are, and each is reported.
    neutralised = sum(1 for note in conversion.notes if "spreadsheet formula" in note.message)
    assert neutralised == sum(1 for _, item in _item_pointers(kept) if starts_like_formula(str(item.get("title", ""))))
    assert _items(back.data or {}) == _items(kept)


@settings(max_examples=100, deadline=None)
@given(manifests(), st.integers(1, 8), st.integers(1, 12))
def test_split_then_concatenate_gives_the_manifest_back(data: dict[str, Any], max_items: int, max_urls: int) -> None:
    manifest = api.parse("m.json", json.dumps(data))
    largest = max((len(i.url_fields()) for i in manifest.items()), default=1)
    limits = Limits(max_items=max_items, max_urls=max(max_urls, largest))
    rank = {key: position for position, key in enumerate(data)}
    with tempfile.TemporaryDirectory() as folder:
        manifest.path = str(Path(folder) / "m.json")
        paths = list(write_parts(manifest, plan(manifest, limits), suffix=".json"))
        joined: list[Any] = []
        for path in paths:
            part = api.load(path)
            assert part.data is not None
            assert json.loads(Path(path).read_text(encoding="utf-8")) == part.data  # an independent reader agrees
            assert len(list(part.items())) <= limits.max_items  # type: ignore[operator]
            assert part.count_urls() <= limits.max_urls  # type: ignore[operator]
            assert {k: part.data[k] for k in part.data if k == "skip_duplicate_urls"} == {
                k: data[k] for k in data if k == "skip_duplicate_urls"
            }
            joined += sorted(_items(part.data), key=lambda item: rank[item[0]])
    assert joined == sorted(_items(data), key=lambda item: rank[item[0]])  # the file's order of kinds
