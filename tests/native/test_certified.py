"""The native scanner's certificate never hides a finding: the fast path reports what the full lint reports.

Every JSON input the test suite knows (fixtures, rule examples, rule cases) and
generated near-miss manifests are linted twice with every rule selected, once
as users run it (the scanner certifies what it can) and once with the scanner
switched off; the two reports must be equal, positions and fingerprints included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import manifest_tools
from manifest_tools import native
from manifest_tools.kinds import IMAGES, KINDS, MetadataField, ValueType
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.certified import build_scanner_tables, scanner_tables

ROOT = Path(__file__).parents[2]
CASES = ROOT / "tests" / "rules" / "cases"


def lint_both(data: bytes) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(report with the scanner, report without it), every rule selected."""
    fast = list(manifest_tools.lint(data, format="json", name="m.json", select=["ALL"]))
    loaded, scanner = native._loaded, native._scanner
    native._loaded, native._scanner = True, None
    try:
        slow = list(manifest_tools.lint(data, format="json", name="m.json", select=["ALL"]))
    finally:
        native._loaded, native._scanner = loaded, scanner
    return fast, slow


def certified(data: bytes) -> bool:
    """True when the scanner certifies every item (no Python parsing at all)."""
    answer = native.scan(data, scanner_tables())
    return not isinstance(answer, str) and answer.fully_certified


def test_the_scanner_is_built_and_enabled() -> None:
    """The test command builds the extension; a missing build must fail here, not fall back unnoticed."""
    from manifest_tools import _scan

    assert native.scanner() is _scan


def _corpus() -> Iterator[Any]:
    for path in sorted((ROOT / "fixtures").rglob("*.json")):
        yield pytest.param(path.read_bytes(), id=str(path.relative_to(ROOT)))
    for rule in sorted(all_rules().values(), key=lambda r: r.code):
        if rule.example_format == "json":
            yield pytest.param(rule.bad.encode(rule.bad_encoding), id=f"{rule.code}-bad")
            yield pytest.param(rule.good.encode(), id=f"{rule.code}-good")
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            data = case.get("input")  # markers (not-lint, too-large) and cases across files have none
            if data is not None and case.get("format", "json") == "json":
                data = data.encode("utf-8") if isinstance(data, str) else data
                yield pytest.param(data, id=f"{path.stem}::{case['name']}")


@pytest.mark.parametrize("data", list(_corpus()))
def test_fast_path_agrees_with_the_full_lint(data: bytes) -> None:
    fast, slow = lint_both(data)
    assert fast == slow


@pytest.mark.parametrize("name", ["azure-videos.json", "gcp-images.json", "otc-dicom.json"])
def test_clean_fixtures_are_certified(name: str) -> None:
    """The fast path is really taken for ordinary clean manifests (else the agreement tests prove little)."""
    assert certified((ROOT / "fixtures" / "valid" / name).read_bytes())


URL = "https://b.s3.eu-west-2.amazonaws.com"


def _video(i: int, title: str, size: int = 30_000_000) -> dict[str, Any]:
    metadata = {"fps": 25, "duration": 2.5, "width": 640, "height": 480, "fileSize": size, "mimeType": "video/mp4"}
    return {"objectUrl": f"{URL}/v/{i}.mp4", "title": f"{title} {i}.mp4", "videoMetadata": metadata}


@pytest.mark.parametrize("title", ["clip", "clip été 🎬"], ids=["ascii", "non-ascii"])
def test_limit_findings_are_located_like_the_full_lint(title: str) -> None:
    """Batch-size warnings (opt-in) and sequence limits come from the scanner's counts, at the same places
    (a non-ASCII file has character columns that differ from byte offsets)."""
    manifest = {
        "videos": [_video(i, title) for i in range(120)],
        "images": [{"objectUrl": f"{URL}/i/{i}.jpg"} for i in range(990)],
        "image_groups": [
            {"title": "seq", "createVideo": True, **{f"objectUrl_{i}": f"{URL}/s/{i}.png" for i in range(15_001)}}
        ],
    }
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    assert certified(data)
    fast, slow = lint_both(data)
    assert sorted(d.code for d in fast) == ["MT804", "MT806", "MT807", "MT808"]
    assert fast == slow


def test_items_with_mistakes_are_checked_among_certified_ones() -> None:
    """One bad item in many: only it is parsed in Python, and its findings are those of the full lint."""
    videos = [_video(i, "clip", size=1000) for i in range(200)]
    videos[150]["objectUrl"] = videos[150]["objectUrl"].replace("https:", "http:")
    videos[160]["videoMetadata"]["mimeType"] = "video/mov"
    data = json.dumps({"videos": videos}, indent=2).encode()
    certificate = native.scan(data, scanner_tables())
    assert not isinstance(certificate, str)
    assert [(kind.key, index) for kind, index, _ in certificate.uncertified_entries()] == [("videos", 160)]
    # an http:// URL is the item's only defect: the scanner certifies it and records MT303 itself
    assert [(KINDS[kind].key, item) for _, kind, item, *_ in certificate.findings] == [("videos", 150)]
    fast, slow = lint_both(data)
    assert [d.code for d in fast] == ["MT806", "MT303", "MT505", "MT506"]
    assert fast == slow


def uncertified(data: bytes) -> list[tuple[str, int]]:
    """(kind, index) of the items left to the Python rules (the scanner certifies the file's structure)."""
    certificate = native.scan(data, scanner_tables())
    assert not isinstance(certificate, str), certificate
    return [(kind.key, index) for kind, index, _ in certificate.uncertified_entries()]


def test_items_sharing_a_url_are_left_to_the_python_rules_every_copy() -> None:
    """A repeat costs parsing the items that share it, not the whole file."""
    videos = [_video(i, "clip") for i in range(5)]
    videos[4]["objectUrl"] = videos[1]["objectUrl"]
    videos[4]["title"] = " needs a fix.mp4"
    data = json.dumps({"videos": videos}).encode()
    assert uncertified(data) == [("videos", 1), ("videos", 4)]
    fast, slow = lint_both(data)
    assert {d.code for d in fast} == {"MT602", "MT219"}
    assert fast == slow


def test_items_sharing_a_title_are_left_to_the_python_rules() -> None:
    images = [{"objectUrl": f"{URL}/i/{i}.jpg", "title": f"t{i}"} for i in range(6)]
    images[5]["title"] = images[2]["title"] = "same"
    images[3]["objectUrl"] = images[3]["objectUrl"].replace("/i/", "\\/i\\/")
    data = json.dumps({"images": images}).replace("\\\\/", "\\/").encode()
    assert uncertified(data) == [("images", 2), ("images", 5)]
    fast, slow = lint_both(data)
    assert [d.code for d in fast] == ["MT605"]
    assert fast == slow


def test_many_uncertified_items_keep_the_fast_path() -> None:
    images = [{"objectUrl": f"gs://b/{i}.jpg"} for i in range(10_001)]
    images.append({"objectUrl": f"{URL}/ok.jpg"})
    data = json.dumps({"images": images}).encode()
    assert len(uncertified(data)) == 10_001
    fast, slow = lint_both(data)
    assert sum(d.code == "MT302" for d in fast) == 10_001
    assert fast == slow


@pytest.mark.parametrize(
    ("second", "codes"),
    [
        ("https://storage.googleapis.com/bucket/b.jpg", {"MT313", "MT314"}),
        ("https://c.s3.eu-west-2.amazonaws.com/b.jpg", {"MT314"}),
        ("http://storage.googleapis.com/bucket/b.jpg", {"MT303"}),  # a URL with a finding names no integration
    ],
)
def test_mixed_integrations_are_found_from_the_certificate(second: str, codes: set[str]) -> None:
    """MT313 and MT314 name the same URLs as the full lint, from the first URL of each location."""
    manifest = {
        "image_groups": [{"title": "g", "createVideo": False, "objectUrl_0": f"{URL}/g/0.jpg", "objectUrl_1": second}],
        "images": [{"objectUrl": second.replace("b.jpg", f"{i}.jpg")} for i in range(3)]
        + [{"objectUrl": f"{URL}/a.jpg"}],
    }
    data = json.dumps(manifest).encode()
    fast, slow = lint_both(data)
    assert {d.code for d in fast} == codes
    assert fast == slow


def test_placeholder_hosts_are_asked_of_the_host_rule() -> None:
    """The scanner asks rules/urls.py's host rule once per host; items on a refused host go to Python."""
    images = [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(3)] + [{"objectUrl": "https://bucket/a.jpg"}]
    data = json.dumps({"images": images}).encode()
    asked: list[str] = []

    def host_ok(url: str) -> bool:
        asked.append(url)
        return "." in url[8:].split("/")[0]

    certificate = native.scan(data, scanner_tables(), host_ok)
    assert not isinstance(certificate, str)
    assert asked == [f"{URL}/0.jpg", "https://bucket/a.jpg"]
    assert [index for _, index, _ in certificate.uncertified_entries()] == [3]
    fast, slow = lint_both(data)
    assert [d.code for d in fast] == ["MT307"]
    assert fast == slow


def test_the_scanner_follows_a_new_metadata_field() -> None:
    """A field added to the catalogue (kinds.py) makes the rules flag blocks without it, and the scanner,
    handed the new tables, stops certifying them: no predicate is copied into the C code."""
    block = {"mimeType": "image/jpeg", "fileSize": 9, "width": 2, "height": 2}
    data = json.dumps({"images": [{"objectUrl": f"{URL}/a.jpg", "imageMetadata": block}]}).encode()
    assert uncertified(data) == []
    metadata = IMAGES.metadata
    assert metadata is not None
    fields = metadata.fields
    object.__setattr__(metadata, "fields", (*fields, MetadataField("colorSpace", ValueType.STRING, "color_space")))
    try:
        tables = build_scanner_tables()
        certificate = native.scan(data, tables)
        assert not isinstance(certificate, str)
        assert [index for _, index, _ in certificate.uncertified_entries()] == [0]
        loaded, scanner = native._loaded, native._scanner
        native._loaded, native._scanner = True, None
        try:
            slow = manifest_tools.lint(data, format="json", name="m.json")
        finally:
            native._loaded, native._scanner = loaded, scanner
        assert [d.code for d in slow] == ["MT501"]
        complete = {"images": [{"objectUrl": f"{URL}/a.jpg", "imageMetadata": {**block, "colorSpace": "sRGB"}}]}
        assert not isinstance(answer := native.scan(json.dumps(complete).encode(), tables), str)
        assert answer.fully_certified
    finally:
        object.__setattr__(metadata, "fields", fields)
        native.scan(data, scanner_tables())  # configure the scanner with the real tables again


@pytest.mark.parametrize(
    ("table", "value", "item"),
    [
        ("text_hints", ("clip",), {"objectUrl": f"{URL}/a.mp4", "title": "my clip.mp4"}),
        ("url_hints", ("batch",), {"objectUrl": f"{URL}/batch/a.mp4"}),
        ("path_chars", "abcdefghijklmnopqrstuvwxyz./", {"objectUrl": f"{URL}/A.mp4"}),
        ("browser_limited", frozenset({"mp4"}), {"objectUrl": f"{URL}/a.mp4"}),
    ],
)
def test_the_scanner_follows_its_tables(table: str, value: Any, item: dict[str, Any]) -> None:
    """Each rule table the scanner is handed decides what it certifies (a wider table certifies less)."""
    from dataclasses import replace

    data = json.dumps({"videos": [item]}).encode()
    assert uncertified(data) == []
    tables = replace(scanner_tables(), **{table: value})
    try:
        certificate = native.scan(data, tables, browser_limited_uncertified=True)
        assert not isinstance(certificate, str)
        assert not certificate.fully_certified
    finally:
        native.scan(data, scanner_tables())


# Near misses: values each plain-looking but many breaking one rule the scanner must recognise.
HOSTS = [
    URL,
    "https://storage.googleapis.com/bkt",
    "https://acct.blob.core.windows.net/c",
    "https://obs.eu-de.otc.t-systems.com/b",
    "https://b.s3.amazonaws.com:443",
    "http://b.s3.amazonaws.com",
    "https://B.s3.amazonaws.com",
    "https://-b.example.com",
    "https://h",
    " https://b.s3.amazonaws.com",
    "https://b.s3.region.amazonaws.com",
    "https://s3-aws-region.amazonaws.com/b",
    "https://b.obs.region.otc.t-systems.com",
    "https://localhost:9000/b",
    "https://b.s3-external-1.amazonaws.com",
    "https://acct.r2.cloudflarestorage.com/b",
    "https://b.acct.r2.cloudflarestorage.com",
    "https://user:pw@b.s3.amazonaws.com",
    "https://user@b.s3.amazonaws.com",
    "http://user:pw@b.s3.amazonaws.com",
    "https://b.s3.amazonaws.com@evil.example.com",
]
NAMES = [
    "a.jpg", "A.JPG", "a.jpeg", "a.png", "a.tif", "a.TIFF", "a.mp4", "a.mov", "a.MKV", "a.wav", "a.mp3", "a.pdf",
    "a.txt", "a.json", "a.weird", "a", ".jpg", "a.", "dir/", "", "a b.jpg", "a%20b.jpg", "a%2Ejpg", "a%2ejpg",
    "a.jp%67", "a%2E.jpg", "%6Eii.gz", "a%6Eii.gz", "x.%6Eii.gz", "%41.gz",
    "a%zz.jpg", "a%2.jpg", "x%2Enii.gz", "scan.nii.gz", "scan.nii", "1.2.840.113619.2.5", "s.dcm", "ä.jpg",
    "a.jpg?x=1", "a.jpg?X-Amz-Signature=abc", "a.jpg#frag", "<a.jpg>", "{{name}}.jpg", "${name}.jpg",
    "path/to/file-name-1.jpg", "your-bucket/a.jpg", "cloud-path-to/a.jpg", "object-url>.jpg", "a|b.jpg",
    "a\\b.jpg", "a\"b.jpg", "a^b.jpg", "d//a.jpg", "x" * 301 + ".jpg", "%E4.jpg", "a+b.jpg", "a.jpg ", "a\tb.jpg",
    ".../a.jpg", "a/...", "%7B%7Bname%7D%7D.jpg", "bucket-name/a.jpg", "a.jpg?Expires=1&Signature=x",
    "a.jpg?X-Amz-Date=20200101T000000Z&X-Amz-Expires=60", "a.jpg?se=2020-01-01&sig=x",
    "a.jpg?X-Goog-Date=20990101T000000Z&X-Goog-Expires=9",
]  # fmt: skip
TITLES = [
    None, "t", "t.jpg", "t.mp4", " t", "t ", "", "x" * 300, "x" * 301, "é" * 300, "\u00a0t", "t\u3000", "t.nii",
    "t.NII.GZ", "a.b", "é", "\\t", 5, None, "<title 1>", "{{title}}", "${TITLE}", "TODO", "tbd.mp4", "Scan FIXME",
    "image-title.file-extension", "my-custom-video-title.mp4", "Mastodon.mp4", "clip.mp4",
]  # fmt: skip
NUMBERS = [1, 25, 2.5, 0, -1, 0.0, 1.0, 1e5, 1e-400, 10**20, 10**400, 7000, 8000, 96_000, 16, 24, 33, "2", True, None,
           "frames-per-second", "file-codec-example-mp3", "TODO", "<codec>"]  # fmt: skip
MIMES = ["image/jpeg", "image/jpg", "video/mp4", "audio/mpeg", "audio/mp4", "text/plain", "", " image/png", 3,
         "MIME-file-type-extension", "MIME-type-of-the-audio-file-example-audio/mpeg", "x-image/png"]  # fmt: skip
CLIENTS = [
    {},
    {"k": 1, "s": "x"},
    {"a": {"b": [1, {"c": None}], "d": 1.5e3}},
    {"big": 10**400, "huge": 1e308},
    {"$encord": {"frames": [1, 2]}},
    {"$encord": {"config": {"sampling_rate": 2.5, "keyframe_mode": "seconds"}, "frames": {"12": {"a": 1}}}},
    {"$encord": {"frames": [-1]}},
    {"$encord": {"frames": {"x": {}}}},
    {"$encord": {"config": {"sampling_rate": 0}, "frames": []}},
    {"$encord": {"frames": [1], "extra": 1}},
    {"$encord": 5},
    {"\u0024encord": 1},
    {"keyframes": [1]},
    {"k": "\ud800"},
    {"k": 'é\u2028\\"'},
    "nope",
    [1],
]
FIELD_NAMES = {
    "videos": ["fps", "duration", "width", "height", "fileSize", "mimeType"],
    "images": ["mimeType", "fileSize", "width", "height"],
    "audio": ["duration", "fileSize", "mimeType", "sampleRate", "bitDepth", "codec", "numChannels"],
    "pdfs": ["fileSize", "numPages"],
    "text": ["fileSize", "mimeType"],
}
METADATA_KEYS = {"videos": "videoMetadata", "images": "imageMetadata", "audio": "audioMetadata",
                 "pdfs": "pdfMetadata", "text": "textMetadata"}  # fmt: skip
SINGLE = ["videos", "images", "audio", "pdfs", "text", "nifti"]


CLEAN_NAMES = {"videos": "a.mp4", "images": "a.jpg", "audio": "a.wav", "pdfs": "a.pdf", "text": "a.txt",
               "nifti": "a.nii.gz", "image_groups": "f.png", "dicom_series": "s.dcm"}  # fmt: skip
CLEAN_TITLES = {"videos": "clip.mp4", "audio": "song.wav", "nifti": "scan.nii", "image_groups": "g",
                "dicom_series": "CT 1"}  # fmt: skip
CLEAN_VALUES = {"fps": 25, "duration": 3, "width": 2, "height": 2, "fileSize": 9, "numPages": 1, "sampleRate": 44_100,
                "bitDepth": 16, "codec": "mp3", "numChannels": 2}  # fmt: skip
CLEAN_MIMES = {"videos": "video/mp4", "images": "image/jpeg", "audio": "audio/wav", "text": "text/plain"}


def near_miss(draw: st.DrawFn) -> bool:
    """Rarely: most generated manifests are clean or one mistake away from clean."""
    return draw(st.integers(0, 40)) == 0


CLEAN_HOSTS = [URL, URL, URL, "https://storage.googleapis.com/bkt", "https://c.s3.eu-west-2.amazonaws.com"]
"""Several providers and buckets are valid (MT313 and MT314 decide across the file)."""


@st.composite
def urls(draw: st.DrawFn, kind: str) -> str:
    host = draw(st.sampled_from(HOSTS)) if near_miss(draw) else draw(st.sampled_from(CLEAN_HOSTS))
    name = draw(st.sampled_from(NAMES)) if near_miss(draw) else CLEAN_NAMES[kind]
    folder = draw(st.integers(0, 3)) if near_miss(draw) else draw(st.uuids()).hex  # repeats are rare near misses
    return f"{host}/{kind}/{folder}/{name}"


SIBLING_NAMES = ["a%20b.dcm", "x.dcm?v=1", "sub/1.dcm", "...", "EXPIRES=1.dcm", "se=2.png", "1.DCM", "noext",
                 "a.jpg", "a.mov", ".dcm", "n" * 301 + ".dcm", "a b.dcm", "x.nii.gz", "a.dcm/",
                 "caf\u00e9.dcm"]  # fmt: skip
"""File names after a folder the scanner has already read (sibling_url in _scan.c reads only the name)."""


@st.composite
def sibling_urls(draw: st.DrawFn, previous: str, n: object) -> str:
    """A URL in the previous URL's folder: mostly a clean name, else a near miss."""
    folder = previous.rpartition("/")[0]
    extension = previous.rpartition(".")[2] if "/" not in previous.rpartition(".")[2] else "dcm"
    name = draw(st.sampled_from(SIBLING_NAMES)) if near_miss(draw) else f"{str(n).zfill(3)}.{extension}"
    return f"{folder}/{name}"


@st.composite
def metadata(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    block: dict[str, Any] = {}
    snake = draw(st.booleans())  # both casings are valid; a mix is a near miss (or the documented one)
    for name in FIELD_NAMES[kind]:
        if near_miss(draw):
            continue  # a missing field
        if name == "mimeType":
            value = draw(st.sampled_from(MIMES)) if near_miss(draw) else CLEAN_MIMES[kind]
        elif near_miss(draw):
            value = draw(st.sampled_from([*NUMBERS, "", " ", "x"]))
        else:
            value = CLEAN_VALUES[name]
        misspelt = "file_size" if name == "fileSize" else name + "X"
        block[misspelt if near_miss(draw) else SNAKE.get(name, name) if snake else name] = value
    return block


SNAKE = {"fileSize": "file_size", "mimeType": "mime_type", "sampleRate": "sample_rate", "bitDepth": "bit_depth",
         "numChannels": "num_channels", "numPages": "num_pages"}  # fmt: skip


@st.composite
def items(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    item: dict[str, Any] = {}
    multi = kind in ("image_groups", "dicom_series")
    if multi:
        count = draw(st.integers(1, 4))
        numbers: list[Any] = list(range(count))
        if near_miss(draw):
            numbers[-1] = draw(st.sampled_from([count, 7, "01", "x"]))
        for n in numbers:
            previous = list(item.values())[-1] if len(item) > 0 and draw(st.booleans()) else None
            item[f"objectUrl_{n}"] = draw(urls(kind)) if previous is None else draw(sibling_urls(previous, n))
        if kind == "image_groups" and not near_miss(draw):
            item["createVideo"] = draw(st.sampled_from(["true", 1])) if near_miss(draw) else draw(st.booleans())
    elif not near_miss(draw):
        item["objectUrl"] = draw(urls(kind))
    if near_miss(draw):
        title = draw(st.sampled_from(TITLES))
        if title is not None:
            item["title"] = title
    elif multi or draw(st.booleans()):
        stem, dot, extension = CLEAN_TITLES.get(kind, "t").partition(".")
        words = draw(st.sampled_from(["", " été", " 🎬", " a/b", ' "q"']))
        item["title"] = f"{stem}{words} {draw(st.uuids()).hex[:8]}{dot}{extension}"  # shared titles: near misses
    if kind in METADATA_KEYS and draw(st.booleans()):
        item[METADATA_KEYS[kind]] = draw(metadata(kind))
    if draw(st.integers(0, 2)) == 0:
        choices = CLIENTS if near_miss(draw) else CLIENTS[:3]
        item["clientMetadata"] = draw(st.sampled_from(choices))
    if near_miss(draw):
        item[draw(st.sampled_from(["objectURL", "imageMetadata", "createVideo", "tags"]))] = "x"
    if near_miss(draw):
        item = dict(reversed(item.items()))
    return item


SCENES = [
    {"url": "s3://b/a.mcap", "format": "mcap"},
    {"url": "s3://b/a.ply", "format": "pcd"},
    {"url": "a.mcap", "format": "mcap"},
    {"content": {"l": {"type": "point_cloud", "events": [{"timestamp": 0, "uri": "gs://b/0.pcd"}]}}},
    {"l": {"type": "pointcloud", "events": []}},
    {},
    "s3://b/a.mcap",
]


@st.composite
def scene_items(draw: st.DrawFn) -> dict[str, Any]:
    """Scenes are never certified (the scanner does not read them): the full lint decides every one."""
    item: dict[str, Any] = {"title": draw(st.sampled_from(["drive 1", "", " d"]))} if not near_miss(draw) else {}
    item["scene"] = draw(st.sampled_from(SCENES[:1] if not near_miss(draw) else SCENES))
    return item


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    manifest: dict[str, Any] = {}
    kinds = [*SINGLE, "image_groups", "dicom_series", "scenes"]
    for kind in draw(st.lists(st.sampled_from(kinds), min_size=0 if near_miss(draw) else 1, max_size=3, unique=True)):
        generate = scene_items() if kind == "scenes" else items(kind)
        manifest[kind] = draw(st.lists(generate, min_size=0 if near_miss(draw) else 1, max_size=4))
    for flag in ("skip_duplicate_urls", "upsert_metadata"):
        if draw(st.integers(0, 3)) == 0:
            manifest[flag] = draw(st.sampled_from([True, False, "yes"])) if near_miss(draw) else draw(st.booleans())
    if near_miss(draw):
        key = draw(st.sampled_from(["$schema", "imageGroups", "notes", "skipDuplicateUrls", "time_series"]))
        manifest[key] = "x" if draw(st.booleans()) else True
    text = json.dumps(manifest, indent=draw(st.sampled_from([None, 2])), ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        text = text.replace("/", "\\/")  # as encoders that escape '/' write every URL
    if draw(st.integers(0, 3)) == 0:
        text = text.replace("\n", "\r\n")
    mutation = draw(st.integers(0, 7)) if near_miss(draw) else -1
    if mutation == 0:
        text = text.replace('"title": ', '"title": "dup", "title": ', 1)
    elif mutation == 1:
        text = text.replace("\n", "\r\n")
    elif mutation == 2:
        text = text.replace("\n", "\r", 1)
    elif mutation == 3:
        text = text.replace("}", ",}", 1)
    elif mutation == 4:
        text = "\ufeff" + text
    elif mutation == 5:
        text = text.replace('"objectUrl', '"objectUr\\u006c', 1)
    elif mutation == 6:  # a number that overflows a double (JSON cannot say infinity otherwise)
        number = draw(st.sampled_from(["1e400", "-2.5E+999", "1e308"]))
        text = re.sub(r"(?<=: )-?[0-9][0-9.eE+-]*", number, text, count=1)
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_generated_near_misses_agree(data: bytes) -> None:
    fast, slow = lint_both(data)
    assert fast == slow, native.scan(data, scanner_tables())


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A clean manifest with bytes cut, inserted or flipped (the scanner reads untrusted files)."""
    data = bytearray(draw(manifests()))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.integers(0, 2))
        if action == 0:
            del data[at : at + draw(st.integers(1, 8))]
        elif action == 1:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=200), damaged()))
def test_scanner_answers_any_bytes(data: bytes) -> None:
    """Truncated, flipped and random bytes get an answer (a reason or a certificate), never a crash."""
    answer = native.scan(data, scanner_tables())
    if not isinstance(answer, str):
        fast, slow = lint_both(data)
        assert fast == slow


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            b'{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}',
            "trailing comma before ']' at line 1, column 72",
        ),
        (
            b'{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg",}]}',
            "trailing comma before '}' at line 1, column 71",
        ),
        (b'{"images": [1 ,\r\n\t ]}', "trailing comma before ']' at line 1, column 15"),
        (b'{"images": [}', "expected a value at line 1, column 13"),
        (b'{"images": [-]}', "invalid number at line 1, column 13"),
        (b'{"images": [1,\n  -]}', "invalid number at line 2, column 3"),
        ('{"images": ["ä",]}'.encode(), "trailing comma before ']' at line 1, column 16"),
        (b'\xef\xbb\xbf{"images": []}', "a byte order mark at line 1, column 1"),  # MT109, not the top level
    ],
)
def test_the_scanner_says_why_it_refused_a_file_truly(text: bytes, reason: str) -> None:
    """``lint -v`` prints this reason: a trailing comma was "invalid number" or "expected a key"; a place is a
    line and a column in characters, the comma's for a trailing comma (a byte offset named the bracket after it)."""
    assert native.scan(text, scanner_tables()) == reason


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("dicom/s/000.dcm", "dicom/s/001.dcm"),  # the clean case: certified
        ("dicom/s/000.dcm", "dicom/s/..."),  # a hint ('/...') across the folder's end
        ("dicom/s/000.dcm", "dicom/s/EXPIRES=1.dcm"),
        ("dicom/s/000.dcm", "dicom/s/a%20b.dcm"),
        ("dicom/s/000.dcm", "dicom/s/a%2Edcm"),
        ("dicom/s/000.dcm", "dicom/s/x.dcm?v=1"),
        ("dicom/s/000.dcm", "dicom/s/sub/1.dcm"),
        ("dicom/s/000.dcm", "dicom/s/noext"),
        ("dicom/s/000.dcm", "dicom/s/1.DCM"),
        ("dicom/s/000.dcm", "dicom/s/a.jpg"),
        ("dicom/s/000.dcm", "dicom/s/" + "n" * 301 + ".dcm"),
        ("dicom/s/000.dcm", "dicom/s/" + "d/" * 1100 + "1.dcm"),
        ("dicom/s/000.dcm", "dicom/s/a b.dcm"),
        ("dicom/s/000.dcm", "dicom/s/000.dcm"),  # a repeat
        ("dicom/a?b/c.dcm", "dicom/a?b/d.dcm"),  # the folder ends inside a query: no file name there
        ("dicom/your-bucket/0.dcm", "dicom/your-bucket/1.dcm"),
    ],
)
def test_a_series_url_in_the_folder_of_the_one_before_is_judged_as_alone(first: str, second: str) -> None:
    """The scanner reads only the file name of a URL in its predecessor's folder (sibling_url in _scan.c):
    every way that name, or a hint reaching into it, can fail is found as when the URL is read whole."""
    series = {"title": "CT 1", "objectUrl_0": f"{URL}/{first}", "objectUrl_1": f"{URL}/{second}"}
    data = json.dumps({"dicom_series": [series]}).encode()
    fast, slow = lint_both(data)
    assert fast == slow
    assert not (certified(data) and fast), "a certified series has no finding"
    assert certified(data) or second != "dicom/s/001.dcm", "the plain series is certified"


def test_repeats_far_apart_in_a_large_file_are_found() -> None:
    """The scanner gathers every URL and title hash and looks for repeats once the file is read, in
    buckets by the top bits: copies thousands of items apart, and three copies, are each left to Python."""
    images = [{"objectUrl": f"{URL}/i/{i}.jpg", "title": f"t{i}"} for i in range(20_000)]
    images[19_999]["objectUrl"] = images[3]["objectUrl"]
    images[12_000]["objectUrl"] = images[3]["objectUrl"]
    images[15_000]["title"] = images[7]["title"]
    data = json.dumps({"images": images}).encode()
    assert uncertified(data) == [
        ("images", 3),
        ("images", 7),
        ("images", 12_000),
        ("images", 15_000),
        ("images", 19_999),
    ]


def test_a_location_first_met_in_a_later_kind_of_the_file_is_named_where_the_file_has_it_first() -> None:
    """Found by the near-miss generator: the items left to Python were walked in the kinds table's order in
    chunks that spanned kinds, so a GCS URL under audio (earlier in the table) hid the same location's URL
    under nifti (earlier in the file) from MT313 and MT314."""
    data = json.dumps(
        {
            "videos": [{"objectUrl": f"{URL}/v/a.mp4"}],
            "nifti": [{"objectURL": "x", "objectUrl": "https://storage.googleapis.com/bkt/n/a.jpg"}],
            "audio": [{"objectUrl": "https://storage.googleapis.com/bkt/a/a.jpg"}],
        }
    ).encode()
    fast, slow = lint_both(data)
    assert fast == slow
    assert [d.pointer for d in fast if d.code == "MT313"] == ["/nifti/0/objectUrl"]


def test_the_plain_url_grammar_has_no_character_mt305_reports() -> None:
    """A URL with whitespace or a control character is never certified: the scanner's grammar (the tables it is
    handed) holds none, so such a URL always reaches the Python rule, and both paths report MT305."""
    from manifest_tools.rules.urls import UNWRITABLE

    tables = scanner_tables()
    assert not UNWRITABLE.search(tables.url_prefix + tables.host_chars + tables.path_chars)
    for character in ("\x00", "\x01", "\x1f", "\x7f", "\x85", "\x9f", " "):
        url = f"https://b.s3.eu-west-2.amazonaws.com/a{character}b.jpg"
        fast, slow = lint_both(json.dumps({"images": [{"objectUrl": url}]}).encode())
        assert [d.code for d in fast] == [d.code for d in slow] == ["MT305"], character


def test_the_plain_url_grammar_has_no_user_name_or_password() -> None:
    """A URL with credentials before its host is never certified: the host grammar the scanner is handed
    holds no '@' and its port only digits, so such a URL always reaches the Python rule (MT319)."""
    tables = scanner_tables()
    assert "@" not in tables.host_chars and ":" not in tables.host_chars
    for url in ("https://u:pw@b.s3.eu-west-2.amazonaws.com/a.jpg", "https://u@b.s3.eu-west-2.amazonaws.com/a.jpg"):
        data = json.dumps({"images": [{"objectUrl": url}]}).encode()
        assert not certified(data)
        fast, slow = lint_both(data)
        assert [d.code for d in fast] == [d.code for d in slow] == ["MT319"], url


def test_a_locations_first_url_is_the_earliest_when_a_later_one_is_plain() -> None:
    """The pure-Python rules check a chunk's plain URLs before the others (here one with '>') one by one: a
    location's first URL (where MT313 and MT314 point) is still the earliest passing one, as the scanner says
    (found by the test above: the pure path pointed at the second GCS series)."""
    s3, gcs = "https://b.s3.eu-west-2.amazonaws.com/dicom_series", "https://storage.googleapis.com/bkt/dicom_series"
    manifest = {
        "dicom_series": [
            {"objectURL": "x", "title": "CT 1", **{f"objectUrl_{n}": f"{s3}/f7/00{n}.dcm" for n in (3, 2, 1, 0)}},
            {"objectUrl_0": f"{gcs}/f7c1/s>dcm"},
            {"clientMetadata": {}, "title": "t", "objectUrl_0": f"{gcs}/e443/s.dcm"},
            {"objectURL": "x", **{f"objectUrl_{n}": f"{s3}/{n}/a.jpg" for n in (2, 1)}, "objectUrl_0": f"{s3}/2/s.dcm"},
        ],
        "skip_duplicate_urls": True,
    }
    fast, slow = lint_both(json.dumps(manifest, indent=2).replace("/", "\\/").encode())
    assert fast == slow
    assert [d.pointer for d in slow if d.code == "MT313"] == ["/dicom_series/1/objectUrl_0"]
