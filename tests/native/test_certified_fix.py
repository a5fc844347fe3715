"""fix with the native scanner (``certified_fix``) writes what fix of the whole parsed file writes.

The same corpus and generated near-misses as ``test_certified`` (lint both ways): every fixture,
rule example and rule case, with the default rules and with every rule, safe and unsafe fixes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from test_certified import _corpus, manifests

import manifest_tools
from manifest_tools import api, certified_fix
from manifest_tools.certified_fix import fix_certified
from manifest_tools.fixes import FixResult, fix_manifest
from manifest_tools.writers import json as json_writer

SELECTIONS = {"default": api.selection(), "ALL": api.selection(select=["ALL"])}


def assert_fixed_alike(data: bytes, selection: str, unsafe: bool) -> FixResult | str:
    """Fix ``data`` both ways; the scanner's answer (a FixResult, or why it did not certify)."""
    enabled = SELECTIONS[selection]
    fast = fix_certified("m.json", lambda: data, enabled, unsafe, ask_lint=True)
    if isinstance(fast, FixResult):
        slow = fix_manifest(api.parse("m.json", data, "json"), enabled, unsafe=unsafe)
        assert fast == slow
        if fast.clean_notes is not None:  # what fix says lint reports of the input and of the text: nothing
            assert fast.text is not None
            for text in (data, fast.text.encode()):
                report = api.check(api.parse("m.json", text, "json"), enabled, count_fixes=False)  # in Python
                assert (report.diagnostics, report.notes) == ([], fast.clean_notes)
    return fast


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
