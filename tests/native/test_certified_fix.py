"""fix with the native scanner (``certified_fix``) writes what fix of the whole parsed file writes.

The same corpus and generated near-misses as ``test_certified`` (lint both ways): every fixture,
rule example and rule case, with the default rules and with every rule, safe and unsafe fixes.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from test_certified import _corpus, manifests

import manifest_tools
from manifest_tools import api, certified_fix, fix_remaining
from manifest_tools.certified_fix import fix_certified
from manifest_tools.fixes import FixResult, fix_manifest
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.rules import limits
from manifest_tools.writers import json as json_writer

SELECTIONS = {"default": api.selection(), "ALL": api.selection(select=["ALL"])}


def assert_fixed_alike(data: bytes, selection: str, unsafe: bool) -> FixResult | str:
    """Fix ``data`` both ways; the scanner's answer (a FixResult, or why it did not certify)."""
    enabled = SELECTIONS[selection]
    fast = fix_certified("m.json", lambda: data, enabled, unsafe, ask_lint=True)
    if isinstance(fast, FixResult):
        slow = fix_manifest(api.parse("m.json", data, "json"), enabled, unsafe=unsafe)
        assert fast == slow
        if fast.remaining is not None:
            assert_placed_alike(fast, enabled)
            if not fast.remaining.findings:  # nothing in the input, as in the text, for the Python rules too
                for text in (data, fast.text.encode()):
                    report = api.check(api.parse("m.json", text, "json"), enabled, count_fixes=False)
                    assert (report.diagnostics, report.notes) == ([], fast.remaining.notes)
    return fast


def assert_placed_alike(fast: FixResult, enabled: frozenset[str]) -> list[Diagnostic]:
    """What fix says lint reports of the text it wrote (the input's findings placed in it) is what lint
    reports of that text, positions and order included (fingerprints aside: fix leaves them out)."""
    assert fast.text is not None and fast.remaining is not None
    written = api.lint_data("m.json", fast.text, enabled, count_fixes=False)  # what the command ran before
    placed = fast.remaining.diagnostics(fast.text)
    assert placed == [dataclasses.replace(d, fingerprint="") for d in written.diagnostics]
    assert fast.remaining.notes == written.notes
    return placed


@pytest.mark.parametrize("unsafe", [False, True])
@pytest.mark.parametrize("selection", list(SELECTIONS))
@pytest.mark.parametrize("data", list(_corpus()))
def test_fix_with_the_scanner_agrees_with_the_full_fix(data: bytes, selection: str, unsafe: bool) -> None:
    assert_fixed_alike(data, selection, unsafe)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_generated_near_misses_are_fixed_alike(data: bytes) -> None:
    assert_fixed_alike(data, "ALL", unsafe=True)
    assert_fixed_alike(data, "default", unsafe=False)


def _image(i: int, **fields: Any) -> dict[str, Any]:
    return {"objectUrl": f"https://b.s3.amazonaws.com/i/{i}.jpg", "title": f"i{i}.jpg", **fields}


@pytest.mark.parametrize("run_bytes", [150, 1 << 20])  # a run of one item (the size cuts it), or of three
@pytest.mark.parametrize("written", [1, 2, 5, 256])
def test_chunks_around_fixed_items(written: int, run_bytes: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Certified runs cut into chunks by count and by size, around items a fix changes (a title, a URL
    trimmed), and the text joined in blocks, keep every item in its place, whether the writer asks for
    fewer items at a time than a run holds or more; a fix that drops an item (a repeated URL) takes the
    full fix, which names the items after it by their new places."""
    monkeypatch.setattr(json_writer, "_FIRST_CHUNK", written)
    monkeypatch.setattr(json_writer, "_CHUNK_CHARS", 1)  # the writer's chunks stay at ``written`` items
    monkeypatch.setattr(certified_fix, "CHUNK_ITEMS", 3)
    monkeypatch.setattr(certified_fix, "CHUNK_BYTES", run_bytes)
    monkeypatch.setattr(certified_fix, "BLOCK_CHARS", 200)
    # plain images are certified, those with this metadata block are not: runs of both
    metadata = {"mime_type": "image/jpeg", "file_size": 10}
    images = [_image(i, imageMetadata=metadata) if i % 7 == 0 else _image(i) for i in range(20)]
    images[4]["title"] = " i4.jpg "
    images[9] = _image(2)  # repeats the third image's URL: MT602's unsafe fix drops it
    images[10]["objectUrl"] = " " + images[10]["objectUrl"]
    groups = [
        {"objectUrl_1": "https://b.s3.amazonaws.com/g/1.jpg", "objectUrl_0": "https://b.s3.amazonaws.com/g/0.jpg"}
    ]
    data = json.dumps({"image_groups": groups, "images": images}).encode()
    fast = assert_fixed_alike(data, "default", unsafe=False)
    assert isinstance(fast, FixResult), fast
    assert {applied.code for applied in fast.applied} == {"MT219", "MT304"}
    assert fast.text is not None and fast.text.count('"objectUrl"') == 20
    assert isinstance(assert_fixed_alike(data, "default", unsafe=True), str)
    assert manifest_tools.fix(data, unsafe=True) == fix_manifest(
        api.parse("m.json", data), api.selection(), unsafe=True
    )


def test_the_library_fix_takes_the_scanner_path_on_a_clean_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A certified file never reaches the full fix (nor the full parse)."""
    data = json.dumps({"images": [_image(i) for i in range(5)]}).encode()
    expected = fix_manifest(api.parse("m.json", data), api.selection())

    def refuse(*args: Any, **kwargs: Any) -> FixResult:
        raise AssertionError("the whole file was parsed")

    monkeypatch.setattr("manifest_tools.fixes.fix_manifest", refuse)
    assert manifest_tools.fix(data) == expected


def test_a_file_the_scanner_refuses_is_fixed_whole() -> None:
    data = b'{"images": [{"objectUrl": "https://b.s3.amazonaws.com/a.jpg",},]}'  # trailing commas (MT102)
    assert isinstance(fix_certified("m.json", lambda: data, api.selection(), False), str)
    fixed = manifest_tools.fix(data)
    assert fixed.text == '{\n  "images": [\n    {"objectUrl": "https://b.s3.amazonaws.com/a.jpg"}\n  ]\n}\n'
    assert [applied.code for applied in fixed.applied] == ["MT102", "MT102"]  # two commas


def _group(i: int, frames: int) -> dict[str, Any]:
    return {"title": f"g{i}", **{f"objectUrl_{f}": f"https://b.s3.amazonaws.com/g/{i}/{f}.jpg" for f in range(frames)}}


def _placed_shapes() -> dict[str, bytes]:
    """Files whose lint finds something no fix repairs, written in other layouts and orders than the fix's:
    the findings are placed in the written text (kinds reordered, items on many lines or one, CRLF, escapes,
    non-ASCII, groups written one key per line, findings on first and last items and on whole files)."""
    images = [_image(i) for i in range(30)]
    images[0]["objectUrl"] = "http://b.s3.amazonaws.com/i/0.jpg"  # MT303, decided by the scanner
    images[29]["objectUrl"] = "https://<bucket>.s3.amazonaws.com/i/29.jpg"  # MT307 on the last item
    images[12]["title"] = "été 🎬.jpg"
    videos = [{"objectUrl": f"https://acct.blob.core.windows.net/c/{i}.mp4"} for i in range(3)]  # MT313
    groups = [_group(i, 2 if i % 2 else 30) for i in range(6)]
    groups[5]["objectUrl_0"] = "http://b.s3.amazonaws.com/g/5/0.jpg"  # in a group written one key per line
    reordered = {"videos": videos, "image_groups": groups, "skip_duplicate_urls": True, "images": images}
    ordered = {"images": images, "image_groups": groups, "videos": videos}
    shapes = {
        "reordered-indented": json.dumps(reordered, indent=2, ensure_ascii=False),
        "reordered-compact": json.dumps(reordered, ensure_ascii=False),
        "ordered-ascii-escapes": json.dumps(ordered, indent=1).replace("/", "\\/"),
        "crlf": json.dumps(reordered, indent=2, ensure_ascii=False).replace("\n", "\r\n"),
        "over-the-url-limit": json.dumps({"image_groups": groups, "images": [_image(i) for i in range(30)]}),
    }
    return {name: text.encode() for name, text in shapes.items()}


@pytest.mark.parametrize("chunk", [1, 4, 256])
@pytest.mark.parametrize("selection", list(SELECTIONS))
@pytest.mark.parametrize("name", list(_placed_shapes()))
def test_findings_placed_in_the_written_text_are_where_lint_finds_them(
    name: str, selection: str, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command's path (``ask_lint``): no fix applies, so the input's findings are placed in the text
    instead of linting it again; here it must be taken, and say what lint of the text says, whatever the
    chunks the writer writes the arrays in (their elements are found in the chunk that holds them; only a
    text whose line ends changed since it was written is searched)."""
    monkeypatch.setattr(limits, "MAX_URLS_PER_FILE", 100)  # MT801 at the item that crosses it: groups first
    monkeypatch.setattr(json_writer, "_FIRST_CHUNK", chunk)
    monkeypatch.setattr(json_writer, "_CHUNK_CHARS", 1)  # the writer's chunks stay at ``chunk`` items
    searched: list[str] = []
    search = fix_remaining._from_search
    monkeypatch.setattr(
        fix_remaining, "_from_search", lambda text, *rest: searched.append(rest[1]) or search(text, *rest)
    )
    fast = assert_fixed_alike(_placed_shapes()[name], selection, unsafe=False)
    assert isinstance(fast, FixResult) and fast.remaining is not None, fast
    fast.text = fast.text.replace("\n", "\r\n") if name == "crlf" else fast.text  # as the command writes it
    placed = assert_placed_alike(fast, SELECTIONS[selection])
    assert sorted(searched) == (["image_groups", "images", "videos"] if name == "crlf" else [])
    codes = {d.code for d in placed}
    assert codes >= ({"MT801"} if name == "over-the-url-limit" else {"MT303", "MT307"}), codes


@pytest.mark.parametrize(
    "data",
    [
        b'{"pdfs": [{"pdfMetadata": {"num_pages": 2.5}}]}',  # written numPages: lint of the text names that
        b'{"images": [{"objectUrl": "https://b.s3.amazonaws.com/a.jpg", "title": "a.jpg"},'
        b' {"objectUrl": "https://b.s3.amazonaws.com/b.jpg", "title": "a.jpg"}]}',  # a message names a line
    ],
    ids=["renamed-metadata", "position-in-a-message"],
)
def test_findings_not_placed_where_the_text_could_differ(data: bytes) -> None:
    """Left to a lint of the written text (None): a finding below a metadata block the writer renames, and a
    rule that asked where something stands (the line it puts in its message would be the input's)."""
    fast = fix_certified("m.json", lambda: data, SELECTIONS["ALL"], False, ask_lint=True)
    assert isinstance(fast, FixResult) and not fast.applied, fast
    assert fast.remaining is None
