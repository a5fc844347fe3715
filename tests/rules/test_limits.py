"""Limit rules need inputs too large to write by hand: each test builds one just over the limit."""

from __future__ import annotations

import json
from typing import Any

import pytest

import manifest_tools
from manifest_tools import kinds, native
from manifest_tools.rules import limits

URL = "https://b.s3.eu-west-2.amazonaws.com"


def codes(data: dict[str, Any] | str, fmt: str = "json", extend: tuple[str, ...] = ()) -> list[str]:
    text = data if isinstance(data, str) else json.dumps(data)
    report = manifest_tools.lint(text.encode(), format=fmt, name=f"big.{fmt}", extend_select=extend)
    return [d.code for d in report]


def sequence(frames: int, create_video: bool = True) -> dict[str, Any]:
    group: dict[str, Any] = {"title": "s1", "createVideo": create_video}
    group.update({f"objectUrl_{i}": f"{URL}/s/{i}.jpg" for i in range(frames)})
    return {"image_groups": [group]}


def test_sequence_frame_limits() -> None:
    assert codes(sequence(kinds.SLOW_SEQUENCE_FRAMES)) == []
    assert codes(sequence(kinds.SLOW_SEQUENCE_FRAMES + 1)) == ["MT804"]
    assert codes(sequence(kinds.MAX_SEQUENCE_FRAMES)) == ["MT804"]
    assert codes(sequence(kinds.MAX_SEQUENCE_FRAMES + 1)) == ["MT803"]
    assert codes(sequence(kinds.MAX_SEQUENCE_FRAMES + 1, create_video=False)) == []


def test_csv_entry_limit_counts_data_rows_not_headers() -> None:
    rows = "".join(f"{URL}/{i}.jpg,Image {i}\n" for i in range(kinds.MAX_CSV_ENTRIES))
    assert codes("ObjectUrl,Image title\n" + rows, "csv") == []
    assert codes("ObjectUrl,Image title\n" + rows + f"{URL}/x.jpg,X\n", "csv") == ["MT805"]


def test_item_and_url_limits() -> None:
    images = [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(kinds.MAX_ITEMS_PER_FILE + 1)]
    assert codes({"images": images}) == ["MT802"]
    assert codes({"images": images[:-1]}) == []
    groups_count = 100  # each under the frame limits, so that only the file's URL total is over
    per_group = kinds.MAX_URLS_PER_FILE // groups_count
    assert per_group <= kinds.SLOW_SEQUENCE_FRAMES
    groups = [
        {"title": f"g{g}", "createVideo": False, **{f"objectUrl_{i}": f"{URL}/{g}/{i}.jpg" for i in range(per_group)}}
        for g in range(groups_count)
    ]
    assert codes({"image_groups": groups}) == []
    groups.append({"title": "one more", "createVideo": False, "objectUrl_0": f"{URL}/x.jpg"})
    assert codes({"image_groups": groups}) == ["MT801"]


def test_recommended_batch_sizes_are_opt_in() -> None:
    videos = [{"objectUrl": f"{URL}/{i}.mp4"} for i in range(kinds.RECOMMENDED_MAX_VIDEOS + 1)]
    assert codes({"videos": videos}) == []
    assert codes({"videos": videos}, extend=("MT806",)) == ["MT806"]
    assert codes({"videos": videos[:-1]}, extend=("MT806",)) == []
    images = [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(kinds.RECOMMENDED_MAX_IMAGES)]
    group = {"title": "g", "createVideo": False, "objectUrl_0": f"{URL}/g/0.jpg"}
    assert codes({"images": images}, extend=("MT807",)) == []
    assert codes({"images": images, "image_groups": [group]}, extend=("MT807",)) == ["MT807"]


def test_batch_bytes_from_file_sizes() -> None:
    def video(i: int, size: int) -> dict[str, Any]:
        metadata = {"fps": 25, "duration": 1, "width": 2, "height": 2, "fileSize": size, "mimeType": "video/mp4"}
        return {"objectUrl": f"{URL}/{i}.mp4", "videoMetadata": metadata}

    half = kinds.RECOMMENDED_MAX_BATCH_BYTES // 2
    assert codes({"videos": [video(0, half), video(1, half)]}, extend=("MT808",)) == []
    assert codes({"videos": [video(0, half), video(1, half + 1)]}, extend=("MT808",)) == ["MT808"]


def test_client_metadata_size() -> None:
    blob = "x" * (kinds.MAX_CLIENT_METADATA_BYTES - 20)
    small = {"images": [{"objectUrl": f"{URL}/a.jpg", "clientMetadata": {"b": blob}}]}
    assert codes(small) == []
    big = {"images": [{"objectUrl": f"{URL}/a.jpg", "clientMetadata": {"b": blob + "x" * 40}}]}
    assert codes(big) == ["MT509"]


def test_url_and_file_name_lengths() -> None:
    name = "a" * (kinds.MAX_FILE_NAME_CHARS - 4) + ".jpg"
    assert codes({"images": [{"objectUrl": f"{URL}/{name}"}]}) == []
    assert codes({"images": [{"objectUrl": f"{URL}/a{name}"}]}) == ["MT312"]
    folders = "d/" * ((kinds.MAX_URL_BYTES - len(URL)) // 2)
    assert codes({"images": [{"objectUrl": f"{URL}/{folders}a.jpg"}]}) == ["MT310"]


def test_a_negative_file_size_does_not_hide_a_crossed_batch_size() -> None:
    """The running total crosses 2 GB at the first video; the second's negative fileSize (an MT5xx
    mistake) takes it back under. The bound that spares the loop must not add the negative size."""
    metadata = {"fps": 25, "duration": 1, "width": 2, "height": 2, "mimeType": "video/mp4"}
    big = kinds.RECOMMENDED_MAX_BATCH_BYTES + 1
    videos = [
        {"objectUrl": f"{URL}/0.mp4", "videoMetadata": {**metadata, "fileSize": big}},
        {"objectUrl": f"{URL}/1.mp4", "videoMetadata": {**metadata, "fileSize": -big}},
    ]
    assert "MT808" in codes({"videos": videos}, extend=("MT808",))


def test_limits_count_parsed_items_beside_certified_ones() -> None:
    """Items the scanner leaves to Python (an http:// URL) count towards the limits as certified ones do."""
    videos = [{"objectUrl": f"{URL}/{i}.mp4"} for i in range(kinds.RECOMMENDED_MAX_VIDEOS)]
    plain = codes({"videos": videos}, extend=("MT806",))
    assert plain == []
    videos.append({"objectUrl": "http://b.example.org/x.mp4"})
    assert "MT806" in codes({"videos": videos}, extend=("MT806",))
    group = {"title": "s1", "createVideo": True, "objectUrl_0": "http://b.example.org/0.jpg"}
    group.update({f"objectUrl_{i}": f"{URL}/s/{i}.jpg" for i in range(1, kinds.SLOW_SEQUENCE_FRAMES + 1)})
    assert "MT804" in codes({"image_groups": [group]})


_SMALL_LIMITS = {
    "MAX_ITEMS_PER_FILE": 9,
    "MAX_URLS_PER_FILE": 12,
    "RECOMMENDED_MAX_VIDEOS": 2,
    "RECOMMENDED_MAX_IMAGES": 4,
    "SLOW_SEQUENCE_FRAMES": 3,
    "MAX_SEQUENCE_FRAMES": 5,
}


def _group(frames: int, create_video: bool, **extra: Any) -> dict[str, Any]:
    urls = {f"objectUrl_{i}": f"{URL}/g{frames}{create_video}/{i}.jpg" for i in range(frames)}
    return {"title": f"g{frames}{create_video}{len(extra)}", "createVideo": create_video, **urls, **extra}


def _limit_manifests() -> list[dict[str, Any]]:
    """Manifests at and just over each limit of :data:`_SMALL_LIMITS`, with the fields a group's URL count
    must not include (clientMetadata, an unknown key, a misnumbered URL) and elements that are no object."""
    image = [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(10)]
    video = [{"objectUrl": f"{URL}/{i}.mp4"} for i in range(3)]
    pairs = [_group(2, False, clientMetadata={"n": n}) for n in range(4)]
    return [
        {"images": image[:9]},
        {"images": image[:10]},
        {"images": [*image[:9], "not an object"]},
        {"videos": video[:2]},
        {"videos": video},
        {"images": image[:3], "image_groups": [_group(1, False)]},
        {"images": image[:3], "image_groups": [_group(2, False)]},
        {"image_groups": [_group(3, True)]},
        {"image_groups": [_group(4, True)]},
        {"image_groups": [_group(6, True)]},
        {"image_groups": [_group(3, True, clientMetadata={"a": 1}, objectUrl_x=f"{URL}/x.jpg")]},
        {"image_groups": [_group(3, True, objectUrl_07=f"{URL}/x.jpg")]},
        {"image_groups": pairs, "images": image[:4]},
        {"image_groups": pairs, "images": image[:5]},
    ]


@pytest.mark.parametrize("manifest", _limit_manifests(), ids=range(len(_limit_manifests())))
@pytest.mark.parametrize("select", [(), ("ALL",)], ids=["default", "ALL"])
def test_whole_file_totals_report_what_the_count_does(
    manifest: dict[str, Any], select: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the scanner, the totals at C speed (rules/limits.py) decide as the per-item count does:
    limits made small so that each manifest is at or just over one."""
    monkeypatch.setattr(native, "_loaded", True)
    monkeypatch.setattr(native, "_scanner", None)
    for name, value in _SMALL_LIMITS.items():
        monkeypatch.setattr(limits, name, value)
    text = json.dumps(manifest).encode()

    def report() -> list[tuple[str, int, int, str]]:
        found = manifest_tools.lint(text, format="json", select=select, ignore=["MT808"])
        return [(d.code, d.line, d.column, d.message) for d in found if d.code.startswith("MT8")]

    fast = report()
    monkeypatch.setattr(limits, "_within_every_limit", lambda manifest, context: False)
    assert fast == report()


def _metadata_manifests() -> list[dict[str, Any]]:
    """Videos whose fileSize the byte total must read as the per-item count does: the first spelling present
    counts, and only an int (not a bool); a negative size lowers the total, which may then cross again."""

    def video(n: int, **metadata: Any) -> dict[str, Any]:
        return {"objectUrl": f"{URL}/{n}.mp4", "videoMetadata": metadata}

    return [
        {"videos": [video(n, fileSize=3) for n in range(3)]},
        {"videos": [video(0, fileSize=5), video(1, fileSize=-5), video(2, fileSize=5)]},
        {"videos": [video(0, file_size=5), video(1, fileSize=True), video(2, fileSize=4.5, file_size=9)]},
        {"videos": [video(0, fileSize=3), video(1, fileSize=True), video(2, fileSize=1)]},
        {"videos": [video(0, fileSize=3), {"objectUrl": f"{URL}/1.mp4"}, video(2, file_size=3, fileSize=2)]},
        {"videos": [video(0, fileSize=3), {"objectUrl": f"{URL}/1.mp4", "videoMetadata": [1]}, "x", video(3)]},
        {"videos": [video(n, fileSize=2) for n in range(3)], "images": [{"objectUrl": f"{URL}/i.jpg"}]},
    ]


def _both_ways(manifest: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    """The pure-Python path's limits (running totals searched for their crossing) and the per-item loop that
    the scanner's counts go through, every limit made small (the byte total at 4 bytes)."""
    from manifest_tools.readers.json import read_json
    from manifest_tools.rules.registry import RULES, CheckContext

    for name, value in {**_SMALL_LIMITS, "RECOMMENDED_MAX_BATCH_BYTES": 4}.items():
        monkeypatch.setattr(limits, name, value)
    parsed = read_json("m.json", json.dumps(manifest))
    context = CheckContext(enabled=frozenset(RULES))
    by_column = list(limits._column_findings(limits._parsed_columns(parsed), context))
    return by_column, list(limits.limit_findings(limits._parsed_item_counts(parsed), context))


_ALL_LIMIT_MANIFESTS = _limit_manifests() + _metadata_manifests()


@pytest.mark.parametrize("manifest", _ALL_LIMIT_MANIFESTS, ids=range(len(_ALL_LIMIT_MANIFESTS)))
def test_the_totals_by_column_find_what_the_count_per_item_does(
    manifest: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    by_column, per_item = _both_ways(manifest, monkeypatch)
    assert by_column == per_item


def test_the_column_cases_reach_every_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Else the comparison above compares two empty lists."""
    found = {f.code for manifest in _ALL_LIMIT_MANIFESTS for f in _both_ways(manifest, monkeypatch)[0]}
    assert found == {"MT801", "MT802", "MT803", "MT804", "MT806", "MT807", "MT808"}


def _partly_certified(manifest: dict[str, Any]) -> Any:
    from manifest_tools.rules.certified import certified_manifest, scan_as_lint

    certificate = scan_as_lint(json.dumps(manifest).encode(), frozenset())
    assert not isinstance(certificate, str)
    assert not certificate.fully_certified
    return certified_manifest("m.json", certificate)


def _scene(n: int) -> dict[str, Any]:
    return {"title": f"s{n}", "scene": {"url": f"s3://acme/{n}.mcap", "format": "mcap"}}


_PARTLY_CERTIFIED = [
    # a kind the scanner leaves whole to Python (scenes) beside kinds it certifies whole
    {"images": [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(5)], "scenes": [_scene(n) for n in range(3)]},
    # a kind that holds both: items the scanner leaves (a placeholder title) among certified ones
    {
        "videos": [
            {"objectUrl": f"{URL}/{i}.mp4", "title": "{{title}}" if i % 3 == 1 else f"{i}.mp4"} for i in range(7)
        ],
        "image_groups": [{"title": "g", "objectUrl_0": f"{URL}/g0.jpg", "objectUrl_1": f"{URL}/g1.jpg"}],
        "scenes": [_scene(0)],
    },
]


@pytest.mark.parametrize("manifest", _PARTLY_CERTIFIED, ids=range(len(_PARTLY_CERTIFIED)))
def test_a_partly_certified_files_columns_are_its_rows(manifest: dict[str, Any]) -> None:
    """The columns a kind at a time (certified kinds from the scanner's columns, merged only within a kind
    that holds both) are :func:`limits.item_counts`' rows, merged over the whole file, transposed."""
    parsed = _partly_certified(manifest)
    rows = list(limits.item_counts(parsed))
    expected = limits._Columns(*map(list, zip(*rows, strict=True)))
    expected = expected._replace(sequences=list(map(bool, expected.sequences)))
    assert limits._limit_columns(parsed) == expected
    assert len(rows) == sum(len(values) for values in manifest.values())
