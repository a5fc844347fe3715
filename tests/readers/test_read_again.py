"""A file's text read again a piece at a time (readers.text.read_text_again) is the text its first read
decoded (decode_utf8): every piece size, multi-byte characters and invalid bytes cut at any place."""

from __future__ import annotations

from pathlib import Path

import pytest

from manifest_tools.readers import text
from manifest_tools.readers.text import decode_utf8, read_text_again

SAMPLES = [
    b"",
    b'{"images": []}\n',
    '\ufeff{"title": "caf\u00e9 \u65e5\u672c \U0001f600"}'.encode(),
    b'{"a": "\xff\xfe broken \xc3 and \xe6\x97 cut"}',
    b"\xed\xa0\x80 a surrogate's bytes \xc3\xa9",
    "\U0001f600".encode() * 5 + b"\x80",
    "x\u00e9".encode("utf-16"),  # unreadable: UTF-16, read as no text
    b"\x00\x01\x02\x03binary" * 10,
]


@pytest.mark.parametrize("piece", [1, 2, 3, 5, 1 << 16])
@pytest.mark.parametrize("data", SAMPLES, ids=range(len(SAMPLES)))
def test_read_again_in_pieces_is_the_first_read(
    data: bytes, piece: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(text, "_PIECE_BYTES", piece)
    path = tmp_path / "manifest.json"
    path.write_bytes(data)
    assert read_text_again(path) == decode_utf8(data).text
    assert read_text_again(path, whole=True) == decode_utf8(data).text


def test_a_lint_that_dropped_the_tree_reads_the_text_again_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The piece at a time read is for a text read beside the parsed tree; once a lint has dropped the tree
    (``forget_parsed``), the text comes at once, and the findings are placed where the pieces place them."""
    import json

    from manifest_tools import api, native
    from manifest_tools.readers import dispatch

    monkeypatch.setattr(native, "_loaded", True)
    monkeypatch.setattr(native, "_scanner", None)
    items = [
        {"objectUrl": f"https://b.s3.eu-west-2.amazonaws.com/{n}.jpg", "title": f"caf\u00e9 {n}"} for n in range(40)
    ]
    items[30]["objectUrl"] = "http://b.s3.eu-west-2.amazonaws.com/a.jpg"
    path = tmp_path / "m.json"
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    path.write_text('{"images": [\n' + lines + "\n]}", encoding="utf-8")
    reads: list[bool] = []
    read = text.read_text_again

    def spied(again: Path, whole: bool = False) -> str:
        reads.append(whole)
        return read(again, whole and not pieces)

    def found() -> list[tuple[object, ...]]:
        report = api.lint(path, select=["ALL"])
        return [(d.code, d.line, d.column, d.end_line, d.end_column, d.pointer, d.fingerprint) for d in report]

    monkeypatch.setattr(dispatch, "read_text_again", spied)
    pieces = False
    kept = found()  # a file the fix hint's fixer may run on: the tree is kept, the text read in pieces
    assert reads == [False]
    monkeypatch.setattr(api, "FIX_COUNT_MAX_BYTES", 0)  # as a large file: the tree is dropped first
    pieces = True
    expected = found()
    pieces = False
    assert found() == expected == kept
    assert [finding[:3] for finding in expected] == [("MT303", 32, 15)]
    assert reads == [False, True, True]
