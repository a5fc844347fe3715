"""``convert -o -`` writes the bytes ``-o FILE`` writes, whatever standard output's text layer would do: here
one as Windows sets it up for a pipe (CRLF line ends, the locale's code page), which turned a CSV's LF into
CRLF, and could not encode a title outside the code page."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from manifest_tools.cli.rewrite import ConvertSettings, run_convert

FIXTURES = Path(__file__).parents[2] / "fixtures"
URL = "https://b.s3.eu-west-2.amazonaws.com"
NON_ASCII = json.dumps({"images": [{"objectUrl": f"{URL}/caf%C3%A9.jpg", "title": "café 東京"}]}, ensure_ascii=False)
SOURCES = sorted(p for folder in ("valid", "invalid") for p in (FIXTURES / folder).iterdir() if p.suffix != ".expected")


def _windows_stdout() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="cp1252", newline="\r\n")


@pytest.mark.parametrize("target", ["json", "csv", "sdk"])
@pytest.mark.parametrize("source", [*SOURCES, "non-ascii.json"], ids=lambda p: getattr(p, "name", p))
def test_standard_output_gets_the_files_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Path | str, target: str
) -> None:
    if isinstance(source, str):
        (tmp_path / source).write_text(NON_ASCII, encoding="utf-8")
        source = tmp_path / source
    written = tmp_path / f"out.{target}"
    code = run_convert(ConvertSettings(str(source), str(written), target, drop_unsupported=True))
    stdout = _windows_stdout()
    monkeypatch.setattr(sys, "stdout", stdout)
    assert run_convert(ConvertSettings(str(source), "-", target, drop_unsupported=True)) == code
    stdout.flush()
    monkeypatch.undo()
    given = stdout.buffer.getvalue()  # type: ignore[attr-defined]
    assert given == (written.read_bytes() if code == 0 else b"")


def test_most_fixtures_convert() -> None:
    """The comparison above is of something: nearly every fixture converts to each target."""
    converted = sum(
        run_convert(ConvertSettings(str(source), "-", target, drop_unsupported=True)) == 0
        for source in SOURCES
        for target in ("json", "csv", "sdk")
    )
    assert converted >= 2 * len(SOURCES)
