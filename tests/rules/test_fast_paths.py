"""The pure-Python rules' whole-file fast paths report exactly what checking each value alone does.

rules/urls.py tests a chunk of URLs that all pass its fast path in a few C-speed scans of their joined
text, rules/files.py every URL's extension 4,096 items at a time the same way before its loop (each
testing a chunk it refuses again in small parts), and rules/titles.py all titles at once. Each manifest
is linted without the native scanner as shipped, with URL chunks of 7 and file-type chunks of 5 items,
each tested again in parts of 1 URL or 2 items (so that parts of plain URLs sit beside parts with a finding, and a
location's first URL falls in either), and with the fast paths switched off (every value checked alone,
the reference). Reports, positions and fingerprints included, must be equal.
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
from manifest_tools.kinds import KINDS, Kind
from manifest_tools.rules import files, limits, metadata, placeholders, shared, structure, titles, urls
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

_ONE_LOCATION = (
    ("path", "/to/{n}.jpg"),
    ("a", "/.../{n}.jpg"),
    ("your", "/-bucket/{n}.jpg"),
    ("your-b", "ucket/{n}.jpg"),
    ("your-bucket-and-a-long-name", "/{n}.jpg"),
    ("a%4", "/{n}.jpg"),
    ("a%41", "/{n}.jpg"),
    ("a", "/{n}.jpg?se=2020"),
    ("a", "/{n}%zz.jpg"),
    ("a", "/b{n}/"),
    ("A", "/{n}.jpg"),
    ("caf\u00e9", "/{n}.jpg"),
    ("x", "/{n}/file-name-{n}.jpg"),
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

    # every URL in one location, which the fast path tests once and then the rest of each URL: a hint across
    # the location's end, a broken escape in it, a query or a folder after it
    for index, (segment, rest) in enumerate(_ONE_LOCATION):
        same = [f"{_S3}/{segment}{rest.format(n=n)}" for n in range(9)]
        manifest = {
            "images": [{"objectUrl": url} for url in same],
            "image_groups": [{"title": "g", **{f"objectUrl_{n}": url for n, url in enumerate(same)}}],
        }
        yield f"one-location-{index}", json.dumps(manifest)

    # mistakes before a second bucket's first URL: the others are tested together, and MT314 names that URL
    urls = ["http://cdn.example.org/a.jpg", f"{_S3}/q/1.jpg", "", *[f"{_S3}/q/{n}.jpg" for n in range(2, 6)]]
    urls += ["https://other.s3.eu-west-2.amazonaws.com/b.jpg", *[f"{_S3}/q/{n}.jpg" for n in range(6, 12)]]
    yield "odd-before-bucket", json.dumps({"images": [{"objectUrl": url} for url in urls]})
    # an http:// URL (found by the cheap scan) beside one the whole grammar refuses (a space)
    urls = [*urls[:4], f"{_S3}/q/a b.jpg", *urls[4:]]
    yield "odd-of-two-sorts", json.dumps({"images": [{"objectUrl": url} for url in urls]})

    # a URL holding a line break beside one without an extension: as many extensions as URLs, not one each
    yield "line-break", json.dumps({"images": [{"objectUrl": f"{_S3}/a.jpg\n{_S3}/b.jpg"}, {"objectUrl": f"{_S3}/c"}]})


_PLAIN_BLOCKS: dict[str, tuple[str, dict[str, object]]] = {
    "images": ("jpg", {"mimeType": "image/jpeg", "fileSize": 5, "width": 640, "height": 480}),
    "videos": (
        "mp4",
        {"fps": 25, "duration": 1.5, "width": 640, "height": 480, "fileSize": 9, "mimeType": "video/mp4"},
    ),
    "audio": (
        "wav",
        {
            "duration": 3.5,
            "fileSize": 56000,
            "mimeType": "audio/wav",
            "sampleRate": 44100,
            "bitDepth": 16,
            "codec": "pcm",
            "numChannels": 2,
        },
    ),
    "pdfs": ("pdf", {"fileSize": 5, "numPages": 3}),
    "text": ("txt", {"fileSize": 5, "mime_type": "text/plain"}),
}
_BLOCK_KEYS = {"images": "imageMetadata", "videos": "videoMetadata", "audio": "audioMetadata"}
_BLOCK_KEYS |= {"pdfs": "pdfMetadata", "text": "textMetadata"}
_ODD_BLOCKS: tuple[tuple[str, object], ...] = (
    ("snake", {"file_size": 5, "mime_type": "image/jpeg", "width": 640, "height": 480}),
    ("reordered", {"height": 480, "width": 640, "fileSize": 5, "mimeType": "image/jpeg"}),
    ("mixed casing", {"mime_type": "image/jpeg", "fileSize": 5, "width": 640, "height": 480}),
    ("both spellings", {"mimeType": "image/jpeg", "mime_type": "image/jpeg", "fileSize": 5, "width": 1, "height": 1}),
    ("missing", {"mimeType": "image/jpeg", "width": 640, "height": 480}),
    ("unknown", {"mimeType": "image/jpeg", "fileSize": 5, "width": 640, "height": 480, "dpi": 72}),
    ("text number", {"mimeType": "image/jpeg", "fileSize": 5, "width": "640px", "height": 480}),
    ("zero", {"mimeType": "image/jpeg", "fileSize": 0, "width": 640, "height": 480}),
    ("negative", {"mimeType": "image/jpeg", "fileSize": 5, "width": -1, "height": 480}),
    ("fraction", {"mimeType": "image/jpeg", "fileSize": 5, "width": 640.5, "height": 480}),
    ("whole float", {"mimeType": "image/jpeg", "fileSize": 5.0, "width": 640, "height": 480}),
    ("huge", {"mimeType": "image/jpeg", "fileSize": 10**400, "width": 640, "height": 480}),
    ("boolean", {"mimeType": "image/jpeg", "fileSize": True, "width": 640, "height": 480}),
    ("null", {"mimeType": "image/jpeg", "fileSize": None, "width": 640, "height": 480}),
    ("nonstandard mime", {"mimeType": "image/jpg", "fileSize": 5, "width": 640, "height": 480}),
    ("other mime", {"mimeType": "image/png", "fileSize": 5, "width": 640, "height": 480}),
    ("template mime", {"mimeType": "MIME-file-type-extension", "fileSize": 5, "width": 640, "height": 480}),
    ("padded mime", {"mimeType": " image/jpeg", "fileSize": 5, "width": 640, "height": 480}),
    ("empty mime", {"mimeType": "", "fileSize": 5, "width": 640, "height": 480}),
    ("number mime", {"mimeType": 7, "fileSize": 5, "width": 640, "height": 480}),
    ("upper mime", {"mimeType": "IMAGE/JPEG", "fileSize": 5, "width": 640, "height": 480}),
    ("video fps text", {"fps": "frames-per-second", "duration": 1.5, "width": 1, "height": 1, "fileSize": 9}),
    ("audio rate", {"sampleRate": 44, "bitDepth": 16, "codec": "pcm", "numChannels": 2}),
    ("audio depth", {"sampleRate": 44100, "bitDepth": 8.0, "codec": "pcm", "numChannels": 2}),
    ("audio codec", {"sampleRate": 44100, "bitDepth": 16, "codec": "file-codec-example-mp3", "numChannels": 2}),
    ("audio blank codec", {"sampleRate": 44100, "bitDepth": 16, "codec": " ", "numChannels": 2}),
    ("audio todo codec", {"sampleRate": 44100, "bitDepth": 16, "codec": "TODO", "numChannels": 2}),
    ("retired", {"duration_seconds": 3.5, "sampleRate": 44100, "bitDepth": 16, "codec": "pcm", "numChannels": 2}),
    ("text documented mix", {"fileSize": 5, "mime_type": "text/markdown"}),
    ("text camel", {"fileSize": 5, "mimeType": "text/plain"}),
    ("pdf snake", {"file_size": 5, "num_pages": 3}),
    ("block not an object", "640x480"),
    ("empty block", {}),
)
_ODD_ITEMS: tuple[tuple[str, dict[str, object]], ...] = (
    ("no block", {}),
    ("upper-case extension", {"objectUrl": f"{_S3}/odd.JPG"}),
    ("other extension", {"objectUrl": f"{_S3}/odd.png"}),
    ("query", {"objectUrl": f"{_S3}/odd.jpg?v=1"}),
    ("no URL", {"objectUrl": None}),
    ("key frames", {"clientMetadata": {"$encord": {"frames": ["10"]}}}),
    ("deprecated key frames", {"clientMetadata": {"keyframes": [10]}}),
    ("client not an object", {"clientMetadata": [1]}),
    ("nested client", {"clientMetadata": {"a": {"b": 1}}}),
)


def _generated_metadata() -> Iterator[tuple[str, str]]:
    """Plain metadata blocks of every kind with one odd block or item among them, at several places."""
    for index, (odd_name, odd) in enumerate([*_ODD_BLOCKS, *_ODD_ITEMS]):
        for at in (0, 4):
            manifest: dict[str, list[dict[str, object]]] = {}
            for key, (extension, plain) in _PLAIN_BLOCKS.items():
                items: list[dict[str, object]] = [
                    {
                        "objectUrl": f"{_S3}/m{index}/{n}.{extension}",
                        _BLOCK_KEYS[key]: plain,
                        "clientMetadata": {"n": n},
                    }
                    for n in range(6)
                ]
                if index >= len(_ODD_BLOCKS):
                    items[at] = (
                        {**items[at], **odd} if isinstance(odd, dict) and odd else {"objectUrl": items[at]["objectUrl"]}
                    )
                elif isinstance(odd, dict):
                    items[at] = {**items[at], _BLOCK_KEYS[key]: {**plain, **odd} if key == "audio" else odd}
                else:
                    items[at] = {**items[at], _BLOCK_KEYS[key]: odd}
                manifest[key] = items
            yield f"metadata-{odd_name}-at-{at}", json.dumps(manifest)


def _cases() -> Iterator[tuple[str, str]]:
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if isinstance(case.get("input"), str) and case.get("format", "json") == "json":
                yield f"{path.stem}::{case['name']}", case["input"]


def _report(text: str) -> list[tuple[object, ...]]:
    with url_validity(now=datetime(2020, 1, 1, 0, 30, tzinfo=UTC)):
        report = manifest_tools.lint(text.encode("utf-8", "surrogatepass"), format="json", select=["ALL"])
    return [(d.code, d.line, d.column, d.end_line, d.end_column, d.pointer, d.message, d.fingerprint) for d in report]


@pytest.mark.parametrize(
    ("name", "text"), [*_generated(), *_generated_metadata(), *_cases()], ids=lambda value: str(value)[:60]
)
def test_fast_paths_report_what_one_by_one_does(name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "_loaded", True)
    monkeypatch.setattr(native, "_scanner", None)
    shipped = _report(text)
    monkeypatch.setattr(urls, "_CHUNK", 7)
    monkeypatch.setattr(urls, "_LOOP_URLS", 1)
    monkeypatch.setattr(files, "_CHUNK_ITEMS", 5)
    monkeypatch.setattr(files, "_LOOP_ITEMS", 2)
    small = _report(text)
    monkeypatch.setattr(urls, "_plain_locations", lambda urls, hosts, joined=None: None)
    monkeypatch.setattr(files, "_all_allowed", lambda *_: False)
    monkeypatch.setattr(titles, "_nothing_to_find", lambda manifest, want_placeholders: False)
    monkeypatch.setattr(metadata, "_blocks_plain", lambda *_: False)
    monkeypatch.setattr(metadata, "_clients_plain", lambda objects, check_sizes: False)
    monkeypatch.setattr(limits, "_within_every_limit", lambda manifest, context: False)
    monkeypatch.setattr(structure, "_all_plain_items", lambda kind, values, allowed: False)
    reference = _report(text)
    assert shipped == reference
    assert small == reference


_CLIENT_SETS: tuple[tuple[dict[str, object], ...], ...] = (
    ({"site": "A", "camera": 3}, {"site": "B"}, {}),
    ({"n": 1.5, "ok": True, "none": None}, {"k" * 40: "v" * 40}),
    ({"n": 2**64 - 1}, {"m": -(2**64) + 1}),
    ({"n": 2**64},),
    ({"n": -(2**64)},),
    ({"a": {"b": 1}},),
    ({"a": [1]},),
    ({"text": "x" * 1_700_000},),
    ({"text": "x" * 1_800_000},),
    ({f"k{n}": n for n in range(10_001)},),
    ({f"k{n}": "v" for n in range(10_000)}, {"long": "x" * 100}),
    ({f"k{n}": "x" * 200 for n in range(9_000)},),
    ({"k" * 20_000: 1}, {f"k{n}": 1 for n in range(10_000)}),  # one long key, many short ones: small
)


@pytest.mark.parametrize("clients", _CLIENT_SETS, ids=range(len(_CLIENT_SETS)))
def test_one_bound_over_all_client_metadata_holds_for_each(clients: tuple[dict[str, object], ...]) -> None:
    """The whole-kind bound says "small" only when the per-item bound says it of every clientMetadata."""
    together = metadata._all_certainly_small(list(clients))
    each = [metadata._certainly_small(client) for client in clients]
    assert not together or all(each)


def test_one_bound_over_all_client_metadata_can_say_small() -> None:
    """Including when the cheap bound (the most entries times the longest key) is too large but the key
    characters summed per client are not."""
    small = (*_CLIENT_SETS[:3], _CLIENT_SETS[-1])
    assert [metadata._all_certainly_small(list(clients)) for clients in small] == [True] * len(small)
    assert [metadata._clients_plain([{"clientMetadata": c} for c in clients], True) for clients in small] == [
        True
    ] * len(small)


_TITLES = (
    None,
    "a.jpg",
    "abc",
    ".jpg",
    "a.",
    "a",
    "",
    " a.jpg",
    "a.jpg ",
    "x" * 1000 + ".jpg",
    "a.nii.gz",
    ".nii.gz",
    "İ.jpg",
)


@pytest.mark.parametrize("title", _TITLES)
@pytest.mark.parametrize("kind", [kind for kind in KINDS if not kind.multi_file], ids=lambda kind: kind.key)
def test_the_structure_check_by_column_clears_what_the_check_per_item_does(kind: Kind, title: str | None) -> None:
    """rules/structure.py clears a single-file kind's whole array at C speed exactly when each item passes."""
    items = [{"objectUrl": f"{_S3}/x.jpg", "title": "ok.jpg"}, {"objectUrl": f"{_S3}/y.jpg", "title": title}]
    allowed = frozenset(structure._allowed_fields(kind))
    each = all(structure._is_plain_item(kind, item, allowed) for item in items)
    assert structure._all_plain_items(kind, items, allowed) == (
        kind.title_rule in structure._COLUMN_TITLE_RULES and each
    )


_GROUPS: tuple[dict[str, object], ...] = (
    {"title": "g", "objectUrl_0": f"{_S3}/a.jpg", "objectUrl_1": f"{_S3}/b.jpg"},
    {"title": "g", "createVideo": True, "clientMetadata": {"a": 1}, "objectUrl_0": f"{_S3}/a.jpg"},
    {"title": "g", "createVideo": "yes", "objectUrl_0": f"{_S3}/a.jpg"},
    {"title": "g", "clientMetadata": [1], "objectUrl_0": f"{_S3}/a.jpg"},
    {"title": "g.jpg", "objectUrl_0": f"{_S3}/a.jpg"},
    {"title": " g", "objectUrl_0": f"{_S3}/a.jpg"},
    {"title": "", "objectUrl_0": f"{_S3}/a.jpg"},
    {"title": "g" * 1001, "objectUrl_0": f"{_S3}/a.jpg"},
    {"title": None, "objectUrl_0": f"{_S3}/a.jpg"},
    {"objectUrl_0": f"{_S3}/a.jpg"},
    {"title": "g"},
    {"title": "g", "objectUrl_1": f"{_S3}/a.jpg"},
    {"title": "g", "objectUrl_0": f"{_S3}/a.jpg", "objectUrl_2": f"{_S3}/c.jpg"},
    {"title": "g", "objectUrl_0": f"{_S3}/a.jpg", "objectUrl": f"{_S3}/c.jpg"},
    {"title": "g", "objectUrl_0": f"{_S3}/a.jpg", "objectUrl_1": 7},
    {"title": "g", "objectUrl_0": None},
    {"title": "g", "objectUrl_00": f"{_S3}/a.jpg"},
)


@pytest.mark.parametrize("odd", range(len(_GROUPS)))
@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind.multi_file], ids=lambda kind: kind.key)
def test_the_structure_check_of_groups_by_column_clears_what_the_check_per_item_does(kind: Kind, odd: int) -> None:
    """rules/structure.py clears a group kind's whole array at C speed exactly when each group passes."""
    plain = {"title": "ok", "createVideo": False, "objectUrl_0": f"{_S3}/x.jpg", "objectUrl_1": f"{_S3}/y.jpg"}
    items = [plain, _GROUPS[odd], plain]
    allowed = frozenset(structure._allowed_fields(kind))
    each = all(structure._is_plain_item(kind, item, allowed) for item in items)
    assert structure._all_plain_items(kind, items, allowed) == each
    if odd == 1 or (odd == 0 and not kind.create_video):  # plain groups are cleared, not only refused
        assert each


_EXTENSION_URLS = (
    f"{_S3}/a.jpg",
    "http://b.example.org/a.JPG",
    "http://b.example.org/.jpg",
    "http://b.example.org",
    "http://b.example.org/a",
    "http://b.example.org/a.tar.gz",
    "http://b/x/a.mp4?v=1",
    "https://b/x/a%2Ejpg",
    "httpx://b/a.jpg",
    "ftp://b/a.jpg",
    "a.jpg",
    "abc",
)


@pytest.mark.parametrize("url", _EXTENSION_URLS)
def test_extensions_read_at_once_are_each_urls_own(url: str) -> None:
    """rules/shared.py reads a chunk's extensions from its joined text only when each is url_extension's."""
    urls = [f"{_S3}/b.png", url]
    together = shared.plain_url_extensions(urls)
    assert together is None or together == [shared.url_extension(each) for each in urls]
    if url.startswith(("https://", "http://")) and url.endswith((".jpg", ".JPG", ".mp4")) and "/." not in url:
        assert together is not None, "an http:// URL's extension is read with the others"


class _NotRun:
    def fullmatch(self, *_: object) -> None:
        raise AssertionError("the whole grammar ran on a chunk that the count of its https:// lines refuses")


def test_a_chunk_with_an_url_not_https_is_refused_before_the_whole_grammar(monkeypatch: pytest.MonkeyPatch) -> None:
    """An http:// mistake among plain URLs is told by one count of ``\\nhttps://``: the chunk then goes to the
    scan for odd URLs at once, not through the whole grammar first (most of what 1,000 mistakes cost)."""
    chunk = [f"{_S3}/a{n}.jpg" for n in range(8)] + ["http://cdn.example.org/a.jpg"]
    monkeypatch.setattr(urls, "_PLAIN_URLS", _NotRun())
    monkeypatch.setattr(urls, "_PLAIN_RESTS", _NotRun())
    assert urls._plain_locations(chunk, {}) is None


@pytest.mark.parametrize(
    ("start", "odd", "expected"),
    [
        (0, [0], [1, 2, 3]),
        (10, [12], [10, 11, 13, 14]),
        (10, [12, 13], [10, 11, 14, 15]),
        (5, [5, 7, 9], [6, 8, 10, 11]),
    ],
)
def test_the_places_of_the_others_skip_the_odd_ones(start: int, odd: list[int], expected: list[int]) -> None:
    places = urls._PlacesBut(start, odd)
    assert [places[position] for position in range(len(expected))] == expected


def _hint_texts(hints: tuple[str, ...]) -> list[str]:
    """Texts with each hint, with each hint but its last character beside every gate character (a gate
    without its hint), and with none."""
    gates = placeholders._GATES
    return [
        "",
        f"{_S3}/a.jpg",
        gates,
        *(f"{_S3}/{hint}/a.jpg" for hint in hints),
        *(f"{_S3}/{hint[:-1]} {gates}" for hint in hints),
        *(f"{hint[1:]}{gates}" for hint in hints),
    ]


@pytest.mark.parametrize("hints", [urls.URL_HINTS, placeholders.TEXT_HINTS], ids=["url", "text"])
def test_the_gated_hint_test_finds_what_a_search_per_hint_does(hints: tuple[str, ...]) -> None:
    """placeholders.hint_test searches a hint with a rare character only where the text holds it: it must
    say what one search per hint says."""
    holds = placeholders.hint_test(hints)
    for text in _hint_texts(hints):
        assert holds(text) == any(hint in text for hint in hints), text
