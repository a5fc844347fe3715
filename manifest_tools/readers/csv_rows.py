"""Split CSV text into rows of cells, keeping each cell's physical line and column.

Python's ``csv`` module reports only the line a row ends on, and diagnostics
here must point at a cell, so this is a small RFC 4180 tokenizer: comma
separated, double-quoted cells with ``""`` escapes and embedded newlines, LF or
CRLF line ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cell:
    value: str
    line: int
    column: int
    unterminated: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    line: int

    @property
    def is_blank(self) -> bool:
        return all(not cell.value.strip() for cell in self.cells)


@dataclass(frozen=True, slots=True)
class UnterminatedQuote:
    line: int
    column: int


def iter_rows(text: str, problems: list[UnterminatedQuote]) -> Iterator[Row]:
    """Yield every row of ``text``; an unclosed quote is appended to ``problems``."""
    pos, n = 0, len(text)
    line, line_start = 1, 0
    while pos < n:
        row_line = line
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
                    if quote < 0:
                        problems.append(UnterminatedQuote(cell_line, column))
                        unterminated = True
                        parts.append(text[pos:])
                        line += text.count("\n", pos)
                        pos = n
                        break
                    chunk = text[pos:quote]
                    newlines = chunk.count("\n")
                    if newlines:
                        line += newlines
                        line_start = pos + chunk.rfind("\n") + 1
                    parts.append(chunk)
                    pos = quote + 1
                    if pos < n and text[pos] == '"':
                        parts.append('"')
                        pos += 1
                        continue
                    break
                end = _field_end(text, pos)
                parts.append(text[pos:end])
                value = "".join(parts)
                pos = end
            else:
                end = _field_end(text, pos)
                value = text[pos:end]
                pos = end
            if pos >= n or text[pos] == "\n":
                value = value.removesuffix("\r")
            cells.append(Cell(value, cell_line, column, unterminated))
            if pos < n and text[pos] == ",":
                pos += 1
                continue
            if pos < n and text[pos] == "\n":
                pos += 1
                line += 1
                line_start = pos
            break
        yield Row(tuple(cells), row_line)


def _field_end(text: str, pos: int) -> int:
    comma = text.find(",", pos)
    newline = text.find("\n", pos)
    candidates = [i for i in (comma, newline) if i >= 0]
    return min(candidates) if candidates else len(text)
