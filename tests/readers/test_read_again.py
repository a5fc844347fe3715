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
