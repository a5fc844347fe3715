"""Map the CSV model's JSON pointers back to the cells they came from.

Rows read one by one (cells spanning lines, mistakes) record each cell as it is read.
Rows read a chunk at a time (``readers/csv.py``'s fast path: a chunk of a block in
which every row is regular) record one segment per chunk: a cell's line is
its item's place in the segment, and its column is found from the line's text only
when a diagnostic asks, so a clean million-row file stores a few thousand segments
instead of millions of cells. The line's text is written again from its item's values
(a URL, a title, Create video; quoted where the chunk quoted that column), so the file's
text is not held once read; a chunk whose cells the values cannot give back (``csv.reader``
read it, or a column the model drops) keeps its own lines.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from manifest_tools.kinds import CREATE_VIDEO, OBJECT_URL, TITLE
from manifest_tools.model import Position, split_pointer
from manifest_tools.readers.csv_rows import Cell, iter_rows

_PACKED = 1 << 20
_URL_FIELD = OBJECT_URL + "_"


class KeptLines:
    """The lines of a fast chunk whose text its items' values cannot give back, split when first asked."""

    __slots__ = ("_lines", "_text")

    def __init__(self, lines: list[str]) -> None:
        self._text: str | None = "\n".join(lines)  # one string, not a list of as many objects as rows
        self._lines: list[str] = []

    def line(self, offset: int) -> str:
        if self._text is not None:
            self._lines, self._text = self._text.split("\n"), None
        return self._lines[offset]


@dataclass(frozen=True, slots=True)
class Columns:
    """Where a block's cells stand in a chunk's rows (None: the block has no such column), and how each line
    is written: ``width`` cells, those in ``quoted`` between quotes, or ``kept`` (its first line) when the
    values cannot give the line back."""

    title: int | None
    create_video: int | None
    width: int = 0
    create_cell: int | None = None
    """Where the Create video cell is in the line (a single image's false: no field of its item)."""
    quoted: frozenset[int] = frozenset()
    kept: tuple[int, KeptLines] | None = None

    def line(self, line: int, url: str, title: Any, create_video: Any) -> str:
        """The text of ``line`` (a row of this chunk), whose item holds ``url``, ``title`` and ``create_video``."""
        if self.kept is not None:
            return self.kept[1].line(line - self.kept[0])
        cells = [url] * self.width
        if self.title is not None:
            cells[self.title] = title
        if self.create_cell is not None:
            cells[self.create_cell] = "true" if create_video is True else "false"
        for index in self.quoted:
            cells[index] = f'"{cells[index]}"'
        return ",".join(cells)


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
    first line, count, the columns of the chunk read)."""

    first_line: int
    columns: Columns
    runs: list[tuple[int, int, int, Columns]] = field(default_factory=list)

    def url_line(self, ordinal: int) -> tuple[int, Columns] | None:
        for first, line, count, columns in self.runs:
            if first <= ordinal < first + count:
                return line + ordinal - first, columns
        return None

    def first_url(self) -> str:
        """The name of the URL on the group's first fast row (its title and Create video cells are on it)."""
        for first, line, _, _ in self.runs:
            if line == self.first_line:
                return f"{_URL_FIELD}{first}"
        return _URL_FIELD + "0"


class CsvLocator:
    """Maps the model's JSON pointers back to CSV cells."""

    def __init__(self, data: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self._data = data if data is not None else {}
        """The items as read (a line of a fast chunk is written again from them)."""
        self.cells: dict[str, int | tuple[int, int, int]] = {}
        """Pointer: line, column and width of its cell, packed into one int where they fit (rows read
        one by one); Positions are made only when one is asked for."""
        self._runs: dict[str, list[RowRun]] = {}
        self._groups: dict[tuple[str, int], GroupRows] = {}

    def add(self, pointer: str, cell: Cell) -> None:
        width = max(len(cell.value), 1)
        if cell.column < _PACKED and width < _PACKED:
            self.cells.setdefault(pointer, (cell.line * _PACKED + cell.column) * _PACKED + width)
        else:
            self.cells.setdefault(pointer, (cell.line, cell.column, width))

    def add_run(self, kind_key: str, run: RowRun) -> None:
        self._runs.setdefault(kind_key, []).append(run)

    def add_group(self, kind_key: str, index: int, group: GroupRows) -> None:
        """A group the fast path made (on its first row)."""
        self._groups[(kind_key, index)] = group

    def group_rows(
        self, kind_key: str, index: int, first_line: int, columns: Columns
    ) -> list[tuple[int, int, int, Columns]]:
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
        items = self._data.get(tokens[0], [])
        if index >= len(items):
            return None
        item = items[index]
        if group is not None:
            line, columns, url = group.first_line, group.columns, group.first_url()
            cell = _cell_of(name, columns)
            ordinal = _index(name[len(_URL_FIELD) :]) if name is not None and name.startswith(_URL_FIELD) else None
            if ordinal is not None:
                found = group.url_line(ordinal)
                if found is not None:
                    (line, columns), cell, url = found, 0, name or url
                else:
                    cell = None
        else:
            runs = self._runs.get(tokens[0], [])
            at = bisect_right([run.first_index for run in runs], index) - 1
            if at < 0 or index >= runs[at].first_index + runs[at].count:
                return None
            run = runs[at]
            line, columns, url = run.first_line + index - run.first_index, run.columns, OBJECT_URL
            cell = 0 if name == OBJECT_URL else _cell_of(name, columns)
        if name is None:
            return line, 1, 1
        if cell is None:
            return None
        text = columns.line(line, item.get(url, ""), item.get(TITLE, ""), item.get(CREATE_VIDEO))
        if '"' in text:  # quoted cells: where the tokenizer puts them (a fast chunk's cells never span lines)
            quoted = next(iter_rows(text, [], line)).cells[cell]
            return line, quoted.column, max(len(quoted.value), 1)
        values = text.split(",")
        return line, 1 + sum(len(value) + 1 for value in values[:cell]), max(len(values[cell]), 1)


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
