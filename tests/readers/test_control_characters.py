"""A raw control character in a title is one finding, MT107, whichever format holds it: the JSON reader
reported it (strict JSON refuses it raw) while the CSV reader passed it in silence, so the same title linted
clean as a CSV and failed as JSON. CSV keeps tab (a cell's delimiter in files MT701 names) and the line
breaks (inside a quoted cell, CSV's own) out of the rule: they are CSV's to use."""

from __future__ import annotations

from pathlib import Path

import pytest

import manifest_tools
from manifest_tools.readers.text import RAW_CONTROL, raw_controls

URL = "https://b.s3.eu-west-2.amazonaws.com/a.jpg"
FLAGGED = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1f"]


def found(path: Path) -> list[tuple[str, int, int]]:
    report = manifest_tools.lint(path)
    return [(d.code, d.line, d.column) for d in report.diagnostics if d.code == "MT107"]


@pytest.mark.parametrize("control", FLAGGED, ids=[f"U+{ord(c):04X}" for c in FLAGGED])
def test_a_raw_control_character_in_a_title_is_mt107_in_both_formats(tmp_path: Path, control: str) -> None:
    as_json = tmp_path / "m.json"
    as_json.write_text(f'{{"images": [{{"objectUrl": "{URL}", "title": "a{control}b.jpg"}}]}}\n')
    as_csv = tmp_path / "m.csv"
    as_csv.write_text(f"ObjectUrl,Image title\n{URL},a{control}b.jpg\n")
    title_column = len(f"{URL},a") + 1
    assert found(as_csv) == [("MT107", 2, title_column)]
    assert [code for code, *_ in found(as_json)] == ["MT107"]


def test_the_csv_message_says_what_to_do_in_a_csv(tmp_path: Path) -> None:
    as_csv = tmp_path / "m.csv"
    as_csv.write_text(f"ObjectUrl,Image title\n{URL},a\x01b.jpg\n")
    (message,) = [d.message for d in manifest_tools.lint(as_csv).diagnostics if d.code == "MT107"]
    assert message.startswith("control character U+0001 inside a cell")


@pytest.mark.parametrize("kept", ["\t", "\r\n", "\n"], ids=["tab", "CRLF", "LF"])
def test_csv_keeps_its_own_characters_out_of_the_rule(tmp_path: Path, kept: str) -> None:
    as_csv = tmp_path / "m.csv"
    as_csv.write_text(f'ObjectUrl,Image title\n{URL},"a{kept}b.jpg"\n', newline="")
    assert found(as_csv) == []


def test_the_shared_definition_is_every_c0_control_but_tab_and_line_breaks() -> None:
    flagged = {chr(c) for c in range(0x110000) if RAW_CONTROL.fullmatch(chr(c)) and not 0xD800 <= c <= 0xDFFF}
    assert flagged == {chr(c) for c in range(0x20)} - {"\t", "\n", "\r"}
    assert raw_controls("a\x01b\tc\x1f") == [(1, 0x01), (5, 0x1F)]


def test_in_a_csv_it_is_not_offered_as_fixable_nor_said_fixed(tmp_path: Path) -> None:
    """The JSON fix escapes the character; a CSV written again would hold it still."""
    as_csv = tmp_path / "m.csv"
    as_csv.write_text(f"ObjectUrl,Image title\n{URL},a\x01b.jpg\n")
    (finding,) = [d for d in manifest_tools.lint(as_csv).diagnostics if d.code == "MT107"]
    assert finding.fix is None
    result = manifest_tools.fix(as_csv)
    assert [applied.code for applied in result.applied] == []


@pytest.mark.parametrize(
    ("head", "code"),
    [("Object\x01Url", "MT107"), (b"Object\xffUrl".decode("latin-1"), "MT108")],
    ids=["MT107", "MT108"],
)
def test_a_first_line_finding_is_at_the_same_column_after_a_byte_order_mark(
    tmp_path: Path, head: str, code: str
) -> None:
    """Columns count from the first character after a BOM, as every other finding's do (editors do not show it):
    MT107 and MT108 were placed on the text before the BOM was taken off, one column too far right."""
    body = f"{head},Image title\n{URL},a\n".encode("latin-1" if code == "MT108" else "utf-8")
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    plain.write_bytes(body)
    marked.write_bytes(b"\xef\xbb\xbf" + body)

    def places(path: Path) -> list[tuple[int, int]]:
        return [(d.line, d.column) for d in manifest_tools.lint(path).diagnostics if d.code == code]

    assert places(plain) == [(1, 7)]
    assert places(marked) == places(plain)
