"""The CSV reader's fast path (a chunk of regular rows at a time, quoted or not) against its row-by-row path.

Both read every CSV input of the rule cases and fixtures, and texts built to cut groups, blocks and
mistakes across chunks: the model, the reader's diagnostics, the lint report and the position of
every pointer must be the same. The row-by-row path is the reference: it records each cell as it
reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest_tools import api
from manifest_tools.model import Manifest
from manifest_tools.readers import csv as csv_reader
from manifest_tools.readers.csv import read_csv
from tests.rule_cases import csv_case_inputs

ROOT = Path(__file__).parents[2]
URL = "https://b.s3.eu-west-2.amazonaws.com"


def _built() -> Iterator[str]:
    images = "".join(f"{URL}/i/{n}.jpg,img {n}\n" for n in range(6))
    groups = "".join(f"{URL}/g/{n}.jpg,G{n // 3},{'true' if n // 3 % 2 else 'false'}\n" for n in range(9))
    yield "ObjectUrl,Image title\n" + images
    yield "ObjectUrl,Image title,Create video\n" + images.replace("\n", ",false\n")
    yield "ObjectUrl\n" + "".join(f"{URL}/v/{n}.mp4\n" for n in range(5))
    yield "ObjectUrl,Video title\r\n" + "".join(f"{URL}/v/{n}.mp4,clip {n}\r\n" for n in range(5))
    yield "ObjectUrl,Image title\r" + images.replace("\n", "\r")
    yield "ObjectUrl,Image group title,Create video\n" + groups
    yield (
        "ObjectUrl,Image group title,Create video\n"
        + groups
        + "ObjectUrl,Image title\n"
        + images
        + ("ObjectUrl,Image group title,Create video\n" + groups.replace(".jpg", "-b.jpg"))
    )
    yield "ObjectUrl,Image group title,Create video\n" + groups + f"{URL}/g/x.jpg,G0,true\n" + groups
    yield "ObjectUrl,Image group title,Create video\n" + groups + f"{URL}/g/x.jpg,G1,\n{URL}/g/y.jpg,G1,true\n"
    yield "ObjectUrl,Series title\n" + "".join(f"{URL}/d/{n}.dcm,S{n // 4}\n" for n in range(12))
    yield "ObjectUrl,Series title,Create video\n" + "".join(f"{URL}/d/{n}.dcm,S{n // 4},\n" for n in range(12))
    yield "ObjectUrl,Image title\n" + images + "\n\n" + images + f",no title\n{URL}/x.jpg,\n  ,x\n" + images
    yield "ObjectUrl,Image title\n" + images + f"{URL}/a.jpg,a,b\n{URL}/b.jpg\n" + images + "ObjectUrl,Title\n" + images
    yield f"{URL}/early.jpg,x\nObjectUrl,Image title\n" + images + "ObjectUrl,Image title\n"
    yield "ObjectUrl,Image title\n" + images.replace("img", " img ") + images.replace("img", "objecturl")
    yield "ObjectUrl,Image title,Create video\n" + images.replace("\n", ",False\n") + images.replace("\n", ",true\n")
    quoted = "".join(f'{URL}/q/{n}.jpg,"img, {n}"\n' for n in range(6))  # every title quoted, as exports write them
    yield "ObjectUrl,Image title\n" + quoted
    yield '"ObjectUrl","Image group title","Create video"\n' + groups.replace(",G", ',"G').replace(",t", '",t').replace(
        ",f", '",f'
    )
    yield "ObjectUrl,Image title\n" + quoted + f'{URL}/q/x.jpg,"two\nlines"\n' + quoted + f'{URL}/q/y.jpg,"a""b" c\n'
    yield "ObjectUrl,Image title\n" + quoted + f'"{URL}/q/x.jpg,"stray\n' + quoted + f'{URL}/q/y.jpg,"a" b\n' + quoted
    yield "ObjectUrl,Image title\r\n" + quoted.replace("\n", "\r\n") + f'{URL}/q/x.jpg,"open\n' + quoted
    yield "ObjectUrl,Image title\n" + quoted + f'{URL}/q/x.jpg,"open,\n' + "ObjectUrl,Image title\n" + quoted
    yield (
        "ObjectUrl,Video title\n" + quoted + f'{URL}/q/x.jpg, "sp"\n{URL}/q/y.jpg,"a"b"c"\n{URL}/q/z.jpg,""\n' + quoted
    )
    # a Create video cell the model drops (MT714) before the title: the locator keeps these lines' text
    yield "ObjectUrl,Create video,Video title\n" + "".join(f"{URL}/v/{n}.mp4,{'x' * n},clip {n}\n" for n in range(6))
    yield "ObjectUrl,Create video,Series title\n" + "".join(f"{URL}/d/{n}.dcm,{'y' * n},S{n // 4}\n" for n in range(9))
    yield from _quoted_columns()


def _quoted_columns() -> Iterator[str]:
    """Columns quoted in every row (split at C speed), and lines that look so but are not (csv.reader's)."""
    titled = "".join(f'{URL}/q/{n}.jpg,"img {n}"\n' for n in range(6))  # as spreadsheets write titles
    yield "ObjectUrl,Image title\n" + titled
    yield "ObjectUrl,Image title\r\n" + titled.replace("\n", "\r\n")
    every = "".join(f'"{URL}/g/{n}.jpg","G{n // 3}","{"true" if n // 3 % 2 else "false"}"\n' for n in range(9))
    yield '"ObjectUrl","Image group title","Create video"\n' + every
    yield "ObjectUrl,Image title\n" + titled + f"{URL}/q/u.jpg,unquoted\n" + titled  # a column quoted in some rows
    for odd in ('"a""b"', '""', '"', '"a"b"', '"x" ', ' "x"', '"x', 'x"', '"a"",""b"', '"""'):
        yield "ObjectUrl,Image title\n" + titled + f"{URL}/q/odd.jpg,{odd}\n" + titled
    yield "ObjectUrl,Image title\n" + titled + f'"{URL}/q/o.jpg\n' + titled  # a URL's quote left open
    yield "ObjectUrl,Image title\n" + titled.replace('"img 5"', '"\n"')  # a lone quote per line: one cell


def _corpus() -> Iterator[Any]:
    yield from csv_case_inputs()
    for path in sorted(ROOT.glob("fixtures/**/*.csv")):
        yield pytest.param(path.read_text(encoding="utf-8", errors="surrogateescape"), id=str(path.relative_to(ROOT)))
    for number, text in enumerate(_built()):
        yield pytest.param(text, id=f"built-{number}")


def _read(text: str, monkeypatch: pytest.MonkeyPatch, chunk: int | None, fewest: int = 64) -> Manifest:
    """Read row by row (``chunk`` None), or in chunks of about ``chunk`` characters halved down to ``fewest`` lines."""
    with monkeypatch.context() as patch:
        if chunk is None:
            patch.setattr(csv_reader, "_read_chunk", lambda *args: False)
        else:
            patch.setattr(csv_reader, "_CHUNK_CHARS", chunk)
            patch.setattr(csv_reader, "_FEWEST_LINES", fewest)
        return read_csv("m.csv", text)


def _pointers(manifest: Manifest) -> Iterator[str]:
    for key, values in (manifest.data or {}).items():
        yield f"/{key}"
        yield f"/{key}/{len(values)}"
        for index, item in enumerate(values):
            item_pointer = f"/{key}/{index}"
            yield from (item_pointer, item_pointer + "/title/deeper", item_pointer + "/objectUrl_999")
            yield from (f"{item_pointer}/{name}" for name in ("title", "createVideo", "objectUrl", "objectUrl_0"))
            yield from (f"{item_pointer}/{name}" for name in item)


@pytest.mark.parametrize("text", list(_corpus()))
@pytest.mark.parametrize(("chunk", "fewest"), [(1, 64), (60, 64), (10**6, 1), (10**6, 3)])
def test_the_fast_path_reads_as_row_by_row(text: str, chunk: int, fewest: int, monkeypatch: pytest.MonkeyPatch) -> None:
    slow, fast = _read(text, monkeypatch, None), _read(text, monkeypatch, chunk, fewest)
    assert [list(items) for items in (fast.data or {}).values()] == [list(i) for i in (slow.data or {}).values()]
    assert fast.data == slow.data
    assert fast.reader_diagnostics == slow.reader_diagnostics
    assert (fast.csv_entries, fast.invalid_pointers) == (slow.csv_entries, slow.invalid_pointers)
    for pointer in _pointers(slow):
        assert fast.locator.span(pointer) == slow.locator.span(pointer), pointer
    assert api.check(fast).diagnostics == api.check(slow).diagnostics


@pytest.mark.parametrize("number", [0, 1, 2, 3, 5, 6, 7, 9, 10, 16, 17, 22, 23])
def test_regular_rows_take_the_fast_path(number: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above compares two paths: on the built texts, most rows are not recorded cell by cell
    (not text 4, whose lines end in CR alone: it is one chunk, with its header, read row by row)."""
    text = list(_built())[number]
    fast = _read(text, monkeypatch, 1)
    assert len(fast.locator.cells) < fast.csv_entries  # type: ignore[attr-defined]


def test_columns_quoted_in_every_row_are_split_without_csv_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus above compares this path with the row-by-row one: here, the texts meant for it take it."""
    import csv

    read = csv.reader
    calls: list[object] = []

    def counted(lines: Any) -> Any:
        calls.append(lines)
        return read(lines)

    monkeypatch.setattr(csv, "reader", counted)
    for text in list(_quoted_columns())[:3]:
        fast = _read(text, monkeypatch, 1)  # a line a chunk: the header's is read row by row
        assert calls == [] and len(fast.locator.cells) < fast.csv_entries  # type: ignore[attr-defined]


_LINE = st.text(alphabet='ab ",', max_size=8)


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=5), st.integers(1, 3))
def test_quoted_columns_are_split_as_csv_reader_reads_them(lines: list[str], width: int) -> None:
    """Split at C speed only where the cells are what csv.reader reads, ``width`` a row; the columns said to
    be quoted write each line again from its cells (the locator's lines are written so)."""
    import csv

    split = csv_reader._quoted_columns(lines, width)
    if split is not None:
        rows = list(csv.reader(lines))
        assert set(map(len, rows)) == {width}
        assert split[0] == [cell for row in rows for cell in row]
        written = [",".join(f'"{c}"' if i in split[1] else c for i, c in enumerate(row)) for row in rows]
        assert written == lines


@pytest.mark.parametrize(
    ("lines", "width", "cells"),
    [
        (['u,"t"', 'v,"s"'], 2, ["u", "t", "v", "s"]),
        (['"u","t"', '"v",""'], 2, ["u", "t", "v", ""]),
        (['u,"t"', "v,s"], 2, None),  # a column quoted in some rows only
        (['u,"a""b"', 'v,"s"'], 2, None),  # a doubled quote: one quote in the cell
        (['u,"a"b"', 'v,"s"'], 2, None),
        (['u,"', 'v,"s"'], 2, None),
        (['u,"', 'v,"a"b"'], 2, None),  # a lone quote and a cell of three: two a cell on average
        (['u,"a"b"', 'v,"'], 2, None),
        (['u,"s"', 'v,"', 'w,"a"b"'], 2, None),
        (['u,"t', 'v,s"'], 2, None),  # one cell over two lines
        (['u,"a,b"'], 2, None),  # a comma in a quoted cell
    ],
)
def test_quoted_columns_decline_what_is_not_a_column_of_quoted_cells(
    lines: list[str], width: int, cells: list[str] | None
) -> None:
    split = csv_reader._quoted_columns(lines, width)
    assert (split[0] if split is not None else None) == cells


def test_a_mistake_costs_a_few_rows_read_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk with a mistake is halved until the halves without it are read at C speed."""
    images = "".join(f"{URL}/i/{n}.jpg,img {n}\n" for n in range(500))
    text = "ObjectUrl,Image title\n" + images + f"{URL}/x.jpg\n" + images.replace("img", "pic")
    fast = _read(text, monkeypatch, 10**6, 4)
    assert [d.code for d in fast.reader_diagnostics] == []
    assert fast.csv_entries == 1001
    assert 0 < len(fast.locator.cells) < 30  # type: ignore[attr-defined]
