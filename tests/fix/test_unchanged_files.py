"""Whether fix changes a file is decided byte for byte: a file in canonical form is left as it is (not written,
its time kept), and one that differs in a byte, at the same size, is rewritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

URL = "https://acme-data.s3.eu-west-2.amazonaws.com"
CANONICAL = '{\n  "images": [\n    {"title": "%s", "objectUrl": "' + URL + '/a.jpg"}\n  ]\n}\n'
CASES = [
    (CANONICAL % "a.jpg", False),
    (CANONICAL % "é.jpg", False),  # non-ASCII, as the writer writes it
    (CANONICAL % "\\u00e9.jpg", True),  # the same title escaped: longer
    (
        CANONICAL.replace(
            '{"title": "%s", "objectUrl": "' + URL + '/a.jpg"}', '{"objectUrl": "' + URL + '/a.jpg", "title": "%s"}'
        )
        % "a.jpg",
        True,
    ),  # same size, keys swapped
    ((CANONICAL % "a.jpg").replace('"title": "a.jpg", ', '"title":  "a.jpg",'), True),  # same size, other bytes
    ((CANONICAL % "é.jpg").replace('"title": "é.jpg", ', '"title":  "é.jpg",'), True),
    ((CANONICAL % "a.jpg").replace("\n", "\r\n"), False),  # CRLF is kept
    ((CANONICAL % "a.jpg")[:-1], True),  # the last newline is added
]


@pytest.mark.parametrize("stdin", [False, True], ids=["file", "stdin"])
@pytest.mark.parametrize(("text", "changes"), CASES)
def test_fix_check_says_a_file_changes_exactly_when_its_bytes_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, changes: bool, stdin: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("m.json").write_bytes(text.encode())
    arguments = ["-", "--stdin-filename", "m.json"] if stdin else ["m.json"]
    result = CliRunner().invoke(main, ["fix", "--isolated", "--check", *arguments], input=text.encode())
    assert f"Would change {1 if changes else 0} file" in result.output, result.output


@pytest.mark.parametrize(("text", "changes"), CASES)
def test_fix_writes_only_a_file_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, changes: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("m.json").write_bytes(text.encode())
    os.utime("m.json", (1, 1))
    result = CliRunner().invoke(main, ["fix", "--isolated", "m.json"])
    assert f"Changed {1 if changes else 0} file" in result.output, result.output
    assert (os.stat("m.json").st_mtime != 1) == changes
