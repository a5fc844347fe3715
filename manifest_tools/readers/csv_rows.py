"""Split CSV text into rows of cells, keeping each cell's physical line and column.

Python's ``csv`` module reports only the line a row ends on, and diagnostics
here must point at a cell, so this is a small RFC 4180 tokenizer: comma
separated, double-quoted cells with ``""`` escapes and embedded newlines, LF,
CRLF or CR line ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple


class Cell(NamedTuple):
    """A cell's text and where it starts (1-based). A tuple: a million-row file makes millions."""

    value: str
    line: int
    column: int
    unterminated: bool = False


class Row(NamedTuple):
    cells: tuple[Cell, ...]
    line: int

    @property
    def is_blank(self) -> bool:
        cells = self.cells  # never empty; nearly always has a URL first, so look there first
        return not cells[0].value.strip() and all(not cell.value.strip() for cell in cells)


@dataclass(frozen=True, slots=True)
class UnterminatedQuote:
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class TextAfterQuote:
    """Text between a quoted cell's closing quote and the comma or line end (RFC 4180 allows none): it is
    joined to the cell, as ``csv.reader`` joins it. ``line`` and ``column``: where the text starts."""

    line: int
    column: int
    text: str


QuoteProblem = UnterminatedQuote | TextAfterQuote


_FIELD_END = re.compile(r"[,\r\n]")
CSV_BLANKS = " \t"
"""What may follow a closing quote without being text after it (MT715): a space or a tab, the blanks a
spreadsheet pads a cell with. A no-break space, which ``str.strip`` would take too, is text (csv.reader's
strict mode refuses any character there)."""
LINE_BREAK = re.compile(r"\r\n?|\n")


def iter_rows(text: str, problems: list[QuoteProblem], line: int = 1, pos: int = 0) -> Iterator[Row]:
    """Yield every row of ``text`` from offset ``pos`` (a line start: line ``line``); an unclosed quote,
    and text after a closing quote other than blanks, are appended to ``problems``.

    Rows end at LF, CRLF or a bare CR (old Mac exports), as ``csv.reader`` reads them.
    """
    n = len(text)
    line_start = pos
    while pos < n:
        row_line = line
        brk = LINE_BREAK.search(text, pos)
        end = brk.start() if brk else n
        if text.find('"', pos, end) < 0:  # no quote on the line: its cells are what lies between commas
            yield plain_row(text[pos:end], line)
            pos = brk.end() if brk else n
            line, line_start = line + 1, pos
            continue
        cells: list[Cell] = []
        while True:
            column = pos - line_start + 1
            cell_line = line
            unterminated = False
            if pos < n and text[pos] == '"':
                parts: list[str] = []
                pos += 1
                while True:
                    quote = text.find('"', pos)
                    end = n if quote < 0 else quote
                    breaks = LINE_BREAK.findall(text, pos, end)
                    if breaks:
                        line += len(breaks)
                        line_start = _last_line_start(text, pos, end)
                    parts.append(text[pos:end])
                    if quote < 0:
                        problems.append(UnterminatedQuote(cell_line, column))
                        unterminated = True
                        pos = n
                        break
                    pos = quote + 1
                    if pos < n and text[pos] == '"':
                        parts.append('"')
                        pos += 1
                        continue
                    break
                end = _field_end(text, pos)
                after = text[pos:end]
                if after.strip(CSV_BLANKS):
                    problems.append(TextAfterQuote(line, pos - line_start + 1, after))
                parts.append(after)
                value = "".join(parts)
            else:
                end = _field_end(text, pos)
                value = text[pos:end]
            pos = end
            cells.append(Cell(value, cell_line, column, unterminated))
            if pos < n and text[pos] == ",":
                pos += 1
                continue
            if pos < n:
                pos += 2 if text.startswith("\r\n", pos) else 1
                line += 1
                line_start = pos
            break
        yield Row(tuple(cells), row_line)


def plain_row(text: str, line: int) -> Row:
    """The row of a line without quotes: its cells are what lies between commas."""
    cells, column = [], 1
    for value in text.split(","):
        cells.append(Cell(value, line, column))
        column += len(value) + 1
    return Row(tuple(cells), line)


def _field_end(text: str, pos: int) -> int:
    """Where the unquoted part of a cell ends: the next comma or line end (one search, so that a
    one-column file is read in linear time)."""
    match = _FIELD_END.search(text, pos)
    return match.start() if match else len(text)


def _last_line_start(text: str, start: int, end: int) -> int:
    """The offset just after the last line break in ``text[start:end]``."""
    return max(text.rfind("\n", start, end), text.rfind("\r", start, end)) + 1
