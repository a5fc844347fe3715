"""Text after a quoted cell's closing quote (RFC 4180 allows none) is MT715, an error: ``csv.reader`` and
spreadsheets join it to the cell, so a stray quote silently merged a URL and a title into one URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main
from manifest_tools.readers.csv import read_csv

URL = "https://acme.s3.eu-west-2.amazonaws.com"
HEADER = "ObjectUrl,Image title\n"

CASES: list[tuple[str, list[tuple[int, int]]]] = [
    (f'"{URL}/a.jpg,"unterminated\n', [(2, 49)]),  # the walk's file: the URL's quote closes after the comma
    (f'{URL}/a.jpg,"Scan 1" left\n', [(2, 55)]),
    (f'{URL}/a.jpg,"Scan 1"\n{URL}/b.jpg,"two\nlines"x\n', [(4, 7)]),  # after a cell that spans lines
    (f'{URL}/a.jpg,"say ""hi"""\n', []),  # doubled quotes inside a quoted cell: RFC 4180
    (f'{URL}/a.jpg,"Scan 1"\n', []),
    (f'{URL}/a.jpg,Scan "1"\n', []),  # a quote inside an unquoted cell is the cell's text, as csv.reader reads it
]
"""Data rows under an Image title header, and where (line, column) MT715 points: the text after the quote."""


@pytest.mark.parametrize(("rows", "where"), CASES)
def test_text_after_a_closing_quote_is_mt715_where_the_text_starts(rows: str, where: list[tuple[int, int]]) -> None:
    found = read_csv("m.csv", HEADER + rows).reader_diagnostics
    assert [(d.line, d.column) for d in found if d.code == "MT715"] == where
    assert [d.code for d in found if d.code != "MT715"] == []


def test_lint_fails_the_walks_file(tmp_path: Path) -> None:
    path = tmp_path / "csvquote.csv"
    path.write_text(HEADER + CASES[0][0])
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 1
    assert ":2:49: MT715 text after the closing quote: 'unterminated' is joined to the cell" in result.stdout
