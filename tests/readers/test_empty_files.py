"""MT110 says what the file holds: nothing at all, or only whitespace (``printf '\\n\\n'`` was "the file is
empty", which a user can see it is not)."""

from __future__ import annotations

import pytest

import manifest_tools

CASES = [  # (bytes, format, how the message starts)
    (b"", "json", "the file is empty: "),
    (b"\xef\xbb\xbf", "json", "the file is empty: "),
    (b"\n\n", "json", "the file holds only whitespace: "),
    (b" \t\r\n", "json", "the file holds only whitespace: "),
    (b"\xef\xbb\xbf \n", "json", "the file holds only whitespace: "),
    (b"", "csv", "the file is empty: "),
    (b"\xef\xbb\xbf", "csv", "the file is empty: "),
    (b"\r\n\r\n", "csv", "the file holds only whitespace: "),
    (b"  \n", "csv", "the file holds only whitespace: "),
]


@pytest.mark.parametrize(("data", "fmt", "start"), CASES)
def test_mt110_says_empty_or_whitespace(data: bytes, fmt: str, start: str) -> None:
    found = [d for d in manifest_tools.lint(data, format=fmt) if d.code == "MT110"]
    assert len(found) == 1 and found[0].message.startswith(start), [d.message for d in found]
