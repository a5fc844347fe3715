"""Map the CSV model's JSON pointers back to the cells they came from.

Rows read one by one (cells spanning lines, mistakes) record each cell as it is read.
Rows read a chunk at a time (``readers/csv.py``'s fast path: a chunk of a block in
which every row is regular) record one segment per chunk: a cell's line is
its item's place in the segment, and its column is found from the line's text only
when a diagnostic asks, so a clean million-row file stores a few thousand segments
instead of millions of cells.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from manifest_tools.kinds import CREATE_VIDEO, OBJECT_URL, TITLE
from manifest_tools.model import Position, split_pointer
from manifest_tools.readers.csv_rows import Cell, iter_rows

_PACKED = 1 << 20
_URL_FIELD = OBJECT_URL + "_"


@dataclass(frozen=True, slots=True)
class Columns:
    """Where a block's cells stand in its rows (None: the block has no such column)."""

    title: int | None
    create_video: int | None


@dataclass(frozen=True, slots=True)
class RowRun:
    """Items ``first_index`` onwards of one kind, one per line from ``first_line``: a single-file block's chunk."""

    first_index: int
    first_line: int
    count: int
    columns: Columns


@dataclass(slots=True)
class GroupRows:
    """A group read by the fast path: its first row, and runs of consecutive URL rows (first URL ordinal,
    first line, count)."""

    first_line: int
    columns: Columns
    runs: list[tuple[int, int, int]] = field(default_factory=list)

    def url_line(self, ordinal: int) -> int | None:
        for first, line, count in self.runs:
            if first <= ordinal < first + count:
                return line + ordinal - first
        return None


class CsvLocator:
    """Maps the model's JSON pointers back to CSV cells."""

    def __init__(self) -> None:
        self.cells: dict[str, int | tuple[int, int, int]] = {}
        """Pointer: line, column and width of its cell, packed into one int where they fit (rows read
        one by one); Positions are made only when one is asked for."""
        self._text = ""
        self._chunks: list[tuple[int, int, int]] = []
        """(first line, start offset, end offset) of each chunk the fast path read, in file order."""
        self._chunk_lines: dict[int, array[int]] = {}
        self._runs: dict[str, list[RowRun]] = {}
        self._groups: dict[tuple[str, int], GroupRows] = {}

    def add(self, pointer: str, cell: Cell) -> None:
        width = max(len(cell.value), 1)
        if cell.column < _PACKED and width < _PACKED:
            self.cells.setdefault(pointer, (cell.line * _PACKED + cell.column) * _PACKED + width)
        else:
            self.cells.setdefault(pointer, (cell.line, cell.column, width))

    def add_chunk(self, text: str, first_line: int, start: int, end: int) -> None:
        """A chunk of ``text`` (its lines from ``first_line``) whose rows the fast path read."""
        self._text = text
        self._chunks.append((first_line, start, end))

    def add_run(self, kind_key: str, run: RowRun) -> None:
        self._runs.setdefault(kind_key, []).append(run)

    def add_group(self, kind_key: str, index: int, group: GroupRows) -> None:
        """A group the fast path made (on its first row)."""
        self._groups[(kind_key, index)] = group

    def group_rows(self, kind_key: str, index: int, first_line: int, columns: Columns) -> list[tuple[int, int, int]]:
        """The runs of URL rows of a group the fast path adds rows to (made by either path)."""
        group = self._groups.get((kind_key, index))
        if group is None:
            group = self._groups[(kind_key, index)] = GroupRows(first_line, columns)
        return group.runs

    def span(self, pointer: str, *, key: bool = False) -> tuple[Position, Position]:
        tokens = split_pointer(pointer)
        while tokens:
            found = self.cells.get("".join("/" + t for t in tokens))
            if found is None and len(tokens) in (2, 3):
                found = self._read_fast(tokens)
            if found is not None:
                if isinstance(found, int):
                    found = (found // _PACKED // _PACKED, found // _PACKED % _PACKED, found % _PACKED)
                line, column, width = found
                return Position(line, column), Position(line, column + width)
            tokens.pop()
        return Position(1, 1), Position(1, 1)

    def locate(self, pointer: str, *, key: bool = False) -> Position:
        return self.span(pointer, key=key)[0]

    def _read_fast(self, tokens: list[str]) -> tuple[int, int, int] | None:
        """Line, column and width of ``/kind/index[/field]`` if the fast path read that item."""
        index, name = _index(tokens[1]), tokens[2] if len(tokens) == 3 else None
        if index is None:
            return None
        group = self._groups.get((tokens[0], index))
        if group is not None:
            line, cell = group.first_line, _cell_of(name, group.columns)
            ordinal = _index(name[len(_URL_FIELD) :]) if name is not None and name.startswith(_URL_FIELD) else None
            if ordinal is not None:
                found = group.url_line(ordinal)
                line, cell = (found, 0) if found is not None else (line, None)
        else:
            runs = self._runs.get(tokens[0], [])
            at = bisect_right([run.first_index for run in runs], index) - 1
            if at < 0 or index >= runs[at].first_index + runs[at].count:
                return None
            run = runs[at]
            line = run.first_line + index - run.first_index
            cell = 0 if name == OBJECT_URL else _cell_of(name, run.columns)
        if name is None:
            return line, 1, 1
        if cell is None:
            return None
        text = self._line(line)
        if '"' in text:  # quoted cells: where the tokenizer puts them (a fast chunk's cells never span lines)
            quoted = next(iter_rows(text, [], line)).cells[cell]
            return line, quoted.column, max(len(quoted.value), 1)
        values = text.split(",")
        return line, 1 + sum(len(value) + 1 for value in values[:cell]), max(len(values[cell]), 1)

    def _line(self, line: int) -> str:
        """The text of a line the fast path read (its chunk's line starts found once, when first asked)."""
        at = bisect_right(self._chunks, (line, len(self._text) + 1)) - 1
        first_line, start, end = self._chunks[at]
        starts = self._chunk_lines.get(at)
        if starts is None:
            lengths = map(len, self._text[start:end].splitlines(keepends=True))
            starts = self._chunk_lines[at] = array("q", accumulate(lengths, initial=start))
        k = line - first_line
        return self._text[starts[k] : starts[k + 1]].rstrip("\r\n")


def _index(token: str) -> int | None:
    """The array index or URL ordinal a token spells as the reader writes it (``7``, never ``07``)."""
    if token.isascii() and token.isdigit() and (token == "0" or not token.startswith("0")):
        return int(token)
    return None


def _cell_of(name: str | None, columns: Columns) -> int | None:
    """The cell index of a title or Create video field (None: another field, or no such column)."""
    if name == TITLE:
        return columns.title
    if name == CREATE_VIDEO:
        return columns.create_video
    return None
