"""Every command that writes CSV writes a formula-like title as it is (one rule, in writers/csv.py): the
platform reads a title literally, so an apostrophe before it would register another title."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

import manifest_tools
from manifest_tools.cli import main

URL = "https://b.s3.eu-west-2.amazonaws.com"
TITLES = ["=1+1", "+3", "-4", "@SUM(A1)", " =2", "\tx", "plain"]
SOURCE = "ObjectUrl,Image title\n" + "".join(f'{URL}/{n}.jpg,"{title}"\n' for n, title in enumerate(TITLES))

WRITERS = {
    "fix": (["fix", "--ignore", "MT219", "m.csv"], "m.csv"),  # MT219 strips a title's blanks: a fix
    "fix -": (["fix", "--ignore", "MT219", "-"], None),
    "convert": (["convert", "m.csv", "-o", "out.csv"], "out.csv"),
    "convert -o -": (["convert", "m.csv", "-o", "-", "--to", "csv"], None),
    "split": (["split", "m.csv", "--max-items", "100", "--output-dir", "parts"], "parts/m.part-0001.csv"),
}


def _run(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    """``command`` of WRITERS run in ``tmp_path`` on m.csv (SOURCE), which its standard input holds too."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.csv").write_text(SOURCE, encoding="utf-8")
    return CliRunner().invoke(main, WRITERS[command][0], input=SOURCE)


@pytest.mark.parametrize("command", WRITERS)
def test_every_csv_writer_keeps_formula_like_titles_as_they_are(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(command, tmp_path, monkeypatch)
    written = WRITERS[command][1]
    assert result.exit_code in (0, 1), result.output  # 1: the tab and blank titles' own lint findings
    text = result.stdout if written is None else (tmp_path / written).read_text(encoding="utf-8")
    manifest = manifest_tools.load(text, format="csv")
    assert [item.fields.get("title") for item in manifest.items()] == TITLES


NOTED = [title for title in TITLES if title != "plain"]
"""The titles each writer notes: every one but the plain one (a leading blank or tab included)."""


@pytest.mark.parametrize("command", WRITERS)
def test_every_csv_writer_notes_each_formula_like_cell_it_writes(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fix and split wrote such titles without a word, where convert and generate noted each one."""
    result = _run(command, tmp_path, monkeypatch)
    notes = [line for line in result.stderr.splitlines() if ": note: " in line and "spreadsheet formula" in line]
    assert [note.split(": note: ")[1].split(" starts like")[0] for note in notes] == [repr(t) for t in NOTED]
    rows = [int(note.split(":")[1]) for note in notes]  # at the title's line in what was read or written
    assert rows == [TITLES.index(title) + 2 for title in NOTED]


def test_fix_notes_a_formula_its_own_trim_makes(tmp_path: Path) -> None:
    """MT219 trims ' -x' to '-x': the title the fix wrote starts like a formula, and is noted as written."""
    path = tmp_path / "g.csv"
    path.write_text(f"ObjectUrl,Image title\n{URL}/a.jpg,a.jpg\n{URL}/c.jpg, -x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fix", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").endswith(",-x\n")
    assert f"{path}:3:44: note: '-x' starts like a spreadsheet formula" in result.stderr


def test_fix_says_nothing_of_formulas_when_it_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The note is about what is written: an unchanged file, --check and --diff write nothing."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.csv").write_text(SOURCE, encoding="utf-8")
    CliRunner().invoke(main, ["fix", "--ignore", "MT219", "m.csv"])  # canonical now
    for args in (["fix", "--ignore", "MT219", "m.csv"], ["fix", "--check", "m.csv"], ["fix", "--diff", "m.csv"]):
        assert "spreadsheet formula" not in CliRunner().invoke(main, args).stderr, args


def test_the_library_lists_the_notes_of_a_csv_as_every_writer_does() -> None:
    from manifest_tools.writers.csv import formula_notes, may_hold_formula

    manifest = manifest_tools.load(SOURCE, format="csv")
    assert [note.pointer for note in formula_notes(manifest.data or {})] == [
        f"/images/{TITLES.index(title)}/title" for title in NOTED
    ]
    assert may_hold_formula(SOURCE)
    plain = "ObjectUrl,Image title\n" + f"{URL}/0.jpg,plain\n"
    assert not may_hold_formula(plain) and formula_notes(manifest_tools.load(plain, format="csv").data or {}) == []


FIRST_CELLS = {
    "title after a comma": f"ObjectUrl,Image title\n{URL}/0.jpg,=1\n",
    "quoted title": f'ObjectUrl,Image title\n{URL}/0.jpg,"+1"\n',
    "title after blanks": f"ObjectUrl,Image title\n{URL}/0.jpg, \t@A1\n",
    "quoted title after blanks": f'ObjectUrl,Image title\n{URL}/0.jpg," -1"\n',
    "URL after a line break": f"ObjectUrl,Image title\n-{URL}/0.jpg,a\n",
    "quoted URL after a CRLF": 'ObjectUrl,Image title\r\n"=cmd",a\r\n',
    "a later row's URL": f"ObjectUrl,Image title\n{URL}/0.jpg,a\n@{URL}/1.jpg,b\n",
    "the text's first cell": "=ObjectUrl,Image title\n",
    "the text's first cell, quoted after blanks": '"  +ObjectUrl",Image title\n',
}
"""A formula-like cell in each place a cell starts: the text's start, after a line break, after a comma."""


@pytest.mark.parametrize("text", FIRST_CELLS.values(), ids=FIRST_CELLS)
def test_a_formula_like_cell_is_seen_wherever_a_cell_starts(text: str) -> None:
    from manifest_tools.writers.csv import may_hold_formula

    assert may_hold_formula(text)


def test_a_dash_inside_cells_is_no_formula() -> None:
    """The usual manifest: dashes in every URL and title, none at a cell's start (nothing parsed again)."""
    from manifest_tools.writers.csv import may_hold_formula

    rows = "".join(f'{URL}/a-{n}.jpg,"img-{n} x=1+2@b"\r\n' for n in range(3))
    assert not may_hold_formula(f"ObjectUrl,Image title\r\n{rows}")


_CELL_TEXT = st.text(alphabet=',"\n\r\t =+-@ab\x1c\u2028\xa0', max_size=40)


@settings(max_examples=400, deadline=None)
@given(_CELL_TEXT)
def test_may_hold_formula_is_the_single_expression_it_replaces(text: str) -> None:
    """Three searches led by literals (fast) answer as the one expression with ``(?:^|,)`` (7x slower) did."""
    from manifest_tools.writers.csv import may_hold_formula

    assert may_hold_formula(text) == bool(re.search(r'(?:^|,)"?\s*[=+\-@\t\r]', text, re.MULTILINE))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_CELL_TEXT, _CELL_TEXT), min_size=1, max_size=4), st.sampled_from(["\n", "\r\n"]))
def test_no_formula_note_is_missed_in_a_text_the_writer_wrote(rows: list[tuple[str, str]], newline: str) -> None:
    """fix asks of the text it wrote, whose cells are the written data's: whenever a cell of it starts like a
    formula (the notes every writer gives), the text may hold a formula, so fix parses it to note it. (Of
    any text, no: ``""=`` reads as the cell ``=``, and the writer never writes it so.)"""
    from manifest_tools.writers.csv import dumps_csv, formula_notes, may_hold_formula

    data: dict[str, Any] = {"images": [{"title": title, "objectUrl": url + URL} for url, title in rows]}
    data["image_groups"] = [{"title": f"g{title}", "createVideo": True, "objectUrl_0": url} for url, title in rows]
    text = dumps_csv(data, newline=newline)
    if formula_notes(data):
        assert may_hold_formula(text)
