"""fix keeps a file's line ending (CRLF in, CRLF out), as ruff format's ``line-ending = "auto"``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main

FIXTURES = sorted(p for p in (Path(__file__).parents[2] / "fixtures").rglob("*") if p.suffix in (".json", ".csv"))


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _cr(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r")


@pytest.mark.parametrize("ends", [_crlf, _cr], ids=["CRLF", "CR"])
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_crlf_or_cr_file_is_fixed_as_its_lf_twin_with_its_line_ends(
    tmp_path: Path, path: Path, ends: Callable[[str], str]
) -> None:
    """A CR-only CSV (an old Mac export) came back from fix with LF line ends."""
    lf = manifest_tools.fix(path.read_bytes().replace(b"\r\n", b"\n"), unsafe=True).text
    if lf is None:
        return  # refused: nothing written, whatever the line ends
    crlf = tmp_path / f"crlf{path.suffix}"
    crlf.write_bytes(ends(path.read_text(encoding="utf-8")).encode("utf-8"))
    assert manifest_tools.fix(crlf, unsafe=True).text == ends(lf)  # the library
    CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(crlf)])
    assert crlf.read_bytes().decode("utf-8") == ends(lf)  # the CLI


@pytest.mark.parametrize("name", ["m.json", "m.csv"])
def test_a_clean_crlf_file_passes_fix_check(tmp_path: Path, name: str) -> None:
    url = "https://b.s3.eu-west-2.amazonaws.com/a.jpg"
    text = manifest_tools.fix(
        f"ObjectUrl,Image title\n{url},a\n" if name.endswith(".csv") else '{"images": [{"objectUrl": "' + url + '"}]}\n'
    ).text
    assert text is not None
    (tmp_path / name).write_bytes(_crlf(text).encode("utf-8"))
    result = CliRunner().invoke(main, ["fix", "--check", str(tmp_path / name)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("first_line_end", "expected"), [(b"\r\n", "\r\n"), (b"\n", "\n"), (b"", "\n"), (b"\r", "\r"), (b"\r\r\n", "\r")]
)
def test_the_line_ending_is_read_up_to_the_first_line(tmp_path: Path, first_line_end: bytes, expected: str) -> None:
    """A CR at the end of one MiB read and its LF at the start of the next are one CRLF."""
    from manifest_tools.api import _file_line_ending

    path = tmp_path / "m.json"
    path.write_bytes(b"{" + b" " * ((1 << 20) - 2) + first_line_end + b"}\n")
    assert _file_line_ending(path) == expected
    assert _file_line_ending(tmp_path / "missing.json") == "\n"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_of_standard_input_writes_what_fix_writes_into_the_file(tmp_path: Path, path: Path) -> None:
    """``fix -`` reads bytes, as lint does: a text stream translated CRLF to LF before the fix saw it."""
    crlf = _crlf(path.read_text(encoding="utf-8")).encode("utf-8")
    (tmp_path / path.name).write_bytes(crlf)
    by_file = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(tmp_path / path.name)])
    piped = CliRunner().invoke(main, ["fix", "--unsafe-fixes", "-"], input=crlf)
    assert piped.exit_code == by_file.exit_code, piped.output
    assert piped.stdout_bytes == (tmp_path / path.name).read_bytes()  # the fixed file, or as given when refused


@pytest.mark.parametrize("name", ["m.json", "m.csv"])
def test_a_clean_crlf_standard_input_passes_fix_check(name: str) -> None:
    url = "https://b.s3.eu-west-2.amazonaws.com/a.jpg"
    text = manifest_tools.fix(
        f"ObjectUrl,Image title\n{url},a\n" if name.endswith(".csv") else '{"images": [{"objectUrl": "' + url + '"}]}\n'
    ).text
    assert text is not None
    result = CliRunner().invoke(main, ["fix", "--check", "-"], input=_crlf(text).encode())
    assert result.exit_code == 0, result.output


BOM_CSV = "\ufeffObjectUrl,Image title\r\nhttps://b.s3.eu-west-2.amazonaws.com/a.jpg,{title}\r\n"


def test_a_csv_keeps_its_byte_order_mark_as_it_keeps_its_line_ends(tmp_path: Path) -> None:
    """An Excel "CSV UTF-8" export (a BOM): lint passed, yet fix --check failed ("0 fixes") and fix removed the
    BOM, by which Excel knows the file is UTF-8 when it opens it again."""
    clean = tmp_path / "m.csv"
    clean.write_bytes(BOM_CSV.format(title="a.jpg").encode("utf-8"))
    assert manifest_tools.lint(clean).diagnostics == []
    result = CliRunner().invoke(main, ["fix", "--check", str(clean)])
    assert result.exit_code == 0, result.output
    fixed = tmp_path / "f.csv"
    fixed.write_bytes(BOM_CSV.format(title=" a.jpg").encode("utf-8"))  # MT219: one fix
    expected = BOM_CSV.format(title="a.jpg")
    assert manifest_tools.fix(fixed).text == expected  # the library
    from manifest_tools import api
    from manifest_tools.fixes import fix_manifest

    whole = fix_manifest(api.load(fixed), api.selection(), newline="\r\n")  # the fix over the whole parsed file
    assert whole.text == expected
    piped = CliRunner().invoke(main, ["fix", "-", "--stdin-filename", "f.csv"], input=fixed.read_bytes())
    assert piped.stdout_bytes == expected.encode("utf-8")  # standard input
    CliRunner().invoke(main, ["fix", str(fixed)])
    assert fixed.read_bytes() == expected.encode("utf-8")  # the CLI


def test_a_json_file_loses_its_byte_order_mark() -> None:
    """RFC 8259 forbids it in JSON: MT109, fixed by removing it."""
    fixed = manifest_tools.fix('\ufeff{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\n')
    assert fixed.text is not None and not fixed.text.startswith("\ufeff")
    assert [applied.code for applied in fixed.applied] == ["MT109"]
