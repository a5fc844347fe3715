"""What a command prints as its output (a report, a diff, a rule page, the schema) is the UTF-8 bytes a file
gets, whatever standard output's text layer would do: here one as Windows sets it up for a pipe (CRLF line
ends, the locale's code page), which wrote a CRLF file's diff lines with CR CR LF (git apply refuses them),
the schema and the reports with CRLF, and could not encode a non-ASCII file name. ``fix -`` and
``convert -o -`` have their own tests (tests/fix, tests/convert)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from manifest_tools.cli import main

MANIFEST = '{"images": [\r\n  {"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/café.jpg", "title": "東京"},\r\n]}\r\n'
"""CRLF, non-ASCII, a warning (http), an error and a safe fix (the trailing comma)."""
NAME = "café.json"


def _printed(args: list[str], stdout: io.TextIOWrapper) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdout", stdout)
        try:
            main.main(args, standalone_mode=False)
        except SystemExit as stop:
            assert stop.code in (0, 1, None), stop.code
        stdout.flush()
    return stdout.buffer.getvalue()  # type: ignore[attr-defined, no-any-return]


COMMANDS = [
    ["lint", NAME],
    ["lint", NAME, "--output-format", "json"],
    ["lint", NAME, "--output-format", "sarif"],
    ["lint", NAME, "--output-format", "junit"],
    ["fix", "--diff", NAME],
    ["rules"],
    ["rules", "MT303"],
    ["rules", "MT3", "--output-format", "json"],
    ["schema"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_windows_pipe_gets_the_bytes_a_linux_pipe_gets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / NAME).write_bytes(MANIFEST.encode("utf-8"))
    linux = _printed(args, io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n"))
    windows = _printed(args, io.TextIOWrapper(io.BytesIO(), encoding="cp1252", newline="\r\n"))
    assert windows == linux and linux.strip()
    assert (b"\r\r\n" in linux) is False


def test_a_report_on_standard_output_is_the_report_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / NAME).write_bytes(MANIFEST.encode("utf-8"))
    windows = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", newline="\r\n")
    printed = _printed(["lint", NAME, "--output-format", "json"], windows)
    _printed(["lint", NAME, "--output-format", "json", "-o", "report.json"], windows)
    assert printed == (tmp_path / "report.json").read_bytes() and "café".encode() in printed


def test_a_diff_of_a_crlf_file_keeps_its_line_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each changed line of a CRLF file ends in CR LF in the patch, as git apply matches it (not CR CR LF)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / NAME).write_bytes(MANIFEST.encode("utf-8"))
    windows = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", newline="\r\n")
    patch = _printed(["fix", "--diff", NAME], windows)
    removed = [line for line in patch.split(b"\n") if line.startswith(b"-") and not line.startswith(b"---")]
    assert removed and all(line.endswith(b"\r") and not line.endswith(b"\r\r") for line in removed)
