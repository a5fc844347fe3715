"""Read a CSV manifest (spec section 2) into the same JSON-shaped model as JSON.

A header row whose first cell is ``ObjectUrl`` starts a block; the other
headings decide the kind. Image-group and DICOM rows join the group named by
their title cell, in row order, across the whole file. The model's JSON
pointers (``/image_groups/0/objectUrl_2``) map back to the cells they came from.

Text is read a chunk of lines at a time: a chunk whose rows are all regular (the
common case: a million clean rows) is split (quote-free text, or each column quoted
in every row or in none) or read by ``csv.reader`` (other quoted cells, none spanning
lines), checked and turned into items
with a few C-level operations and located lazily (``csv_locator``); any other
chunk is read row by row, which is where every diagnostic of the format comes from.
Both give the same model and positions (tests/readers/test_csv_chunks.py).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import chain, groupby, repeat
from typing import Any

from manifest_tools.codes import Code, RuleCode
from manifest_tools.kinds import (
    CREATE_VIDEO,
    CSV_CREATE_VIDEO_HEADING,
    CSV_URL_HEADING,
    IMAGE_GROUPS,
    KINDS,
    OBJECT_URL,
    TITLE,
    VIDEOS,
    Kind,
)
from manifest_tools.model import Manifest
from manifest_tools.readers.csv_locator import Columns, CsvLocator, GroupRows, KeptLines, RowRun
from manifest_tools.readers.csv_rows import (
    CSV_BLANKS,
    LINE_BREAK,
    Cell,
    QuoteProblem,
    Row,
    UnterminatedQuote,
    iter_rows,
    plain_row,
)
from manifest_tools.readers.repeats import MAX_REPEATS, cap_repeats, more_message
from manifest_tools.readers.text import (
    BOM,
    DecodedText,
    LineIndex,
    as_decoded,
    lone_surrogate_message,
    looks_like_other_format,
    raw_controls,
    raw_surrogates,
)
from manifest_tools.report.diagnostic import Diagnostic, Severity

OBJECT_URL_HEADING = CSV_URL_HEADING.lower()
_LINE_ONLY_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
"""Where str.splitlines breaks a line and a CSV reader does not."""


def _quote_free(text: str) -> bool:
    """True for text read a line at a time: no quoted cell, and no break only str.splitlines sees
    (a few searches in C: ``in`` is much faster than a regular expression on a large text)."""
    return '"' not in text and not _has_line_only_break(text)


def _has_line_only_break(text: str) -> bool:
    breaks = _LINE_ONLY_BREAKS[:5] if text.isascii() else _LINE_ONLY_BREAKS
    return any(char in text for char in breaks)


CREATE_VIDEO_HEADING = CSV_CREATE_VIDEO_HEADING.lower()
_CHUNK_CHARS = 1 << 16
"""About how much quote-free text the fast path reads at a time (to the next line end): large enough
that the per-chunk work is little, small enough that the text of a chunk whose cells a diagnostic
locates is split into lines quickly."""


def _end_of(cell: Cell) -> int:
    """The column just after the cell's text (its value's width; at least one character), as the locator spans it."""
    return cell.column + max(len(cell.value), 1)


@dataclass(slots=True)
class _Block:
    kind: Kind | None
    header: Row
    headings: list[str]
    has_create_video: bool
    rows: int = 0
    title_index: int | None = None
    """The first title column (the cell the row's title comes from), worked out once per block."""
    create_index: int | None = None


@dataclass(slots=True)
class _Reader:
    path: str
    locator: CsvLocator = field(init=False)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)
    data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    groups: dict[tuple[str, str], int] = field(default_factory=dict)
    entries: int = 0
    size_bytes: int = 0
    invalid_bytes: int = 0
    block: _Block | None = None
    """The block the rows read now belong to."""
    before_header_reported: bool = False
    byte_order_mark: bool = False
    replaced: list[tuple[int, int]] = field(default_factory=list)
    """Where the bytes that were not UTF-8 are (each now U+FFFD): see Manifest.replaced."""

    def __post_init__(self) -> None:
        self.locator = CsvLocator(self.data)

    def report(
        self, code: RuleCode, message: str, line: int, column: int, pointer: str = "", *, end: int | None = None
    ) -> None:
        """``end``: the exclusive end column on ``line`` of what is reported (None: the one character at ``column``)."""
        self.diagnostics.append(
            Diagnostic(code, Severity.ERROR, message, self.path, line, column, pointer, end_line=line, end_column=end)
        )

    def items_of(self, kind: Kind) -> list[dict[str, Any]]:
        return self.data.setdefault(kind.key, [])


def read_csv(path: str, data: bytes | str | DecodedText) -> Manifest:
    """Parse a CSV manifest (bytes, text or decoded text) from ``path`` into a :class:`Manifest`."""
    reader = _Reader(path)
    decoded = as_decoded(data)
    text = decoded.text
    reader.size_bytes = decoded.size_bytes
    if decoded.unreadable is not None:
        reader.report(Code.MT108, decoded.unreadable, 1, 1)
        return _manifest(reader)
    # Columns count from the first character after a byte order mark, as every other finding's do.
    reader.byte_order_mark = text.startswith(BOM)
    text = text.removeprefix(BOM)
    if decoded.invalid_offsets:
        reader.invalid_bytes = len(decoded.invalid_offsets)
        lines = LineIndex(text)
        offsets = (
            [offset - 1 for offset in decoded.invalid_offsets] if reader.byte_order_mark else decoded.invalid_offsets
        )
        reader.replaced = [(p.line, p.column) for p in map(lines.position, offsets)]
        for offset, byte in zip(offsets[: MAX_REPEATS + 1], decoded.invalid_bytes, strict=False):
            where = lines.position(offset)
            reader.report(
                Code.MT108, f"byte 0x{byte:02X} is not UTF-8: save the file as UTF-8", where.line, where.column
            )
    if isinstance(data, str):  # text a caller passed may hold a surrogate as is; decoded bytes never do
        _report_raw_surrogates(reader, text)
    _report_raw_controls(reader, text)
    if not text or text.isspace():  # not text.strip(): that copies a whole file that ends in a newline
        empty = "holds only whitespace" if text else "is empty"
        reader.report(
            Code.MT110, f"the file {empty}: a CSV manifest starts with a header row such as ObjectUrl,Image title", 1, 1
        )
        return _manifest(reader)
    body = text.lstrip("\r\n")
    first_break = LINE_BREAK.search(body)
    first_line = body[: first_break.start()] if first_break else body  # the first line, not a copy of the rest
    delimiter = _foreign_delimiter(first_line)
    if delimiter:
        reader.report(
            Code.MT701,
            f"the file is delimited by {delimiter}: CSV manifests use commas (re-export with ',' as the separator)",
            1,
            1,
            end=len(first_line) + 1,
        )
        return _manifest(reader)
    quotes: list[QuoteProblem] = []
    if _quote_free(text):
        _read_plain(reader, text)
    elif not _has_line_only_break(text):
        _read_quoted(reader, text, quotes)
    else:
        for row in iter_rows(text, quotes):
            _take_row(reader, row)
    _close_block(reader, reader.block)
    for quote in quotes:
        _report_quote(reader, quote)
    return _manifest(reader)


def _report_quote(reader: _Reader, quote: QuoteProblem) -> None:
    if isinstance(quote, UnterminatedQuote):
        reader.report(Code.MT710, "unterminated quote: the cell runs to the end of the file", quote.line, quote.column)
        return
    text = quote.text.strip(CSV_BLANKS)
    shown = text if len(text) <= 40 else text[:39] + "…"  # the report escapes what it quotes
    reader.report(
        Code.MT715,
        f"text after the closing quote: {shown!r} is joined to the cell; quote the whole cell, or remove the quotes",
        quote.line,
        quote.column,
        end=quote.column + len(quote.text.split("\n", 1)[0]),
    )


def _take_row(reader: _Reader, row: Row) -> None:
    """Read one row: a header opens a block, a data row becomes (part of) an item of the open block."""
    if row.is_blank:
        return
    block = reader.block
    first = row.cells[0].value.strip().lower()
    if first == OBJECT_URL_HEADING:
        _close_block(reader, block)
        reader.block = _open_block(reader, row)
        return
    if block is None:
        if not reader.before_header_reported:
            other = looks_like_other_format(row.cells[0].value, "csv", reader.path)  # a JSON export saved as .csv
            why = other or "a CSV manifest starts with a header such as ObjectUrl,Image title"
            reader.report(Code.MT702, f"data before the first header row: {why}", row.line, 1)
            reader.before_header_reported = True
        return
    block.rows += 1
    reader.entries += 1
    if block.kind is not None:
        _read_row(reader, block, row)


def _read_plain(reader: _Reader, text: str) -> None:
    """Read quote-free text, where each line is a row, a chunk of lines at a time (see _read_lines)."""
    line, start, n = 1, 0, len(text)
    while start < n:
        end = text.find("\n", start + _CHUNK_CHARS)
        end = n if end < 0 else end + 1
        lines = text[start:end].splitlines()
        _read_lines(reader, lines, line)
        line += len(lines)
        start = end


def _read_quoted(reader: _Reader, text: str, quotes: list[QuoteProblem]) -> None:
    """Read text with quoted cells a chunk of lines at a time: a chunk of regular rows, none of whose cells
    spans lines, at C speed (``csv.reader``), any other chunk row by row; the rest of the text row by row
    once a quoted cell runs past a chunk's end (a chunk is then no longer a run of whole rows)."""
    line, start, n = 1, 0, len(text)
    while start < n:
        end = text.find("\n", start + _CHUNK_CHARS)
        end = n if end < 0 else end + 1
        lines = text[start:end].splitlines()
        block = reader.block
        if block is None or block.kind is None or not _read_chunk(reader, block, lines, line, True):
            found: list[QuoteProblem] = []
            rows = list(iter_rows(text[start:end], found, line))
            if any(isinstance(quote, UnterminatedQuote) for quote in found):  # a cell runs on past the chunk:
                for row in iter_rows(text, quotes, line, start):  # the rest is read as one text
                    _take_row(reader, row)
                return
            quotes += found
            for row in rows:
                _take_row(reader, row)
        line += len(lines)
        start = end


_FEWEST_LINES = 64
"""Below this, lines that are not all regular are read row by row rather than halved again."""


def _read_lines(reader: _Reader, lines: list[str], first_line: int) -> None:
    """Read lines at C speed if every row is regular for the open block, else halve them and try each half
    (down to _FEWEST_LINES, read row by row): a mistake costs a few dozen rows read one by one, not
    the chunk."""
    block = reader.block
    if block is not None and block.kind is not None and _read_chunk(reader, block, lines, first_line):
        return
    if len(lines) <= _FEWEST_LINES:
        for offset, value in enumerate(lines):
            _take_row(reader, plain_row(value, first_line + offset))
        return
    half = len(lines) // 2
    _read_lines(reader, lines[:half], first_line)
    _read_lines(reader, lines[half:], first_line + half)


def _read_chunk(reader: _Reader, block: _Block, lines: list[str], first_line: int, quoted: bool = False) -> bool:
    """Read rows of ``block`` at C speed, if every one is regular: no header or blank row, as many
    cells as headings, a URL and a title in each, Create video true or false as the rows would be read
    one by one without a diagnostic; ``quoted``: the lines may hold quoted cells, none spanning lines
    (``csv.reader`` reads a cell as the tokenizer of csv_rows.py does). False, having changed nothing, if not."""
    kind = block.kind
    assert kind is not None
    width = len(block.headings)
    if not lines:
        return False
    written: frozenset[int] | None = frozenset()  # the columns quoted in every row; None: csv.reader's cells
    if quoted and (split := _quoted_columns(lines, width)) is not None:
        cells, written = split
        joined = "\n".join(cells[::width])
    elif quoted:
        written = None
        try:  # a last blank line: a quote left open on the chunk's last line would take it in
            rows = list(csv.reader([*lines, ""], strict=True))  # text after a closing quote: row by row (MT715)
        except csv.Error:
            return False
        if len(rows) != len(lines) + 1 or rows.pop() or set(map(len, rows)) != {width}:
            return False
        cells = list(chain.from_iterable(rows))
        joined = "\n".join(cells[::width])
    else:
        if set(map(str.count, lines, repeat(",", len(lines)))) != {width - 1}:
            return False
        joined = ",".join(lines)
        cells = []
    if OBJECT_URL_HEADING in joined.lower():  # a header row (or a cell that mentions one): row by row
        return False
    if not quoted:
        cells = joined.split(",")  # row r's cells are cells[r * width : (r + 1) * width]
    urls = cells[::width]
    title_index, create_index = block.title_index, block.create_index
    titles = cells[title_index::width] if title_index is not None else None
    if not all(map(str.strip, urls)) or (titles is not None and not all(map(str.strip, titles))):
        return False
    if kind.multi_file:
        if titles is None or title_index is None:
            return False
        creates = cells[create_index::width] if kind.create_video and create_index is not None else None
        if kind.create_video and (creates is None or not set(creates) <= _CREATE_VIDEO_WORDS):
            return False
        layout = _layout(block, lines, first_line, written, creates is not None)
        if not _read_group_chunk(reader, block, titles, creates, urls, first_line, layout):
            return False
    else:
        says_false = block.has_create_video and kind.csv is not None and kind.csv.false_create_video
        if says_false and (create_index is None or set(cells[create_index::width]) != {"false"}):
            return False
        items = reader.items_of(kind)
        first = len(items)
        if titles is None:
            items.extend([{OBJECT_URL: url} for url in urls])
        else:
            items.extend([{TITLE: title, OBJECT_URL: url} for url, title in zip(urls, titles, strict=True)])
        layout = _layout(block, lines, first_line, written, says_false)
        reader.locator.add_run(kind.key, RowRun(first, first_line, len(urls), replace(layout, create_video=None)))
    block.rows += len(urls)
    reader.entries += len(urls)
    return True


_CREATE_VIDEO_WORDS = frozenset(("true", "false"))


def _layout(
    block: _Block, lines: list[str], first_line: int, quoted: frozenset[int] | None, create_known: bool
) -> Columns:
    """How the locator finds a chunk's lines again: written from the items' values when every cell is a
    URL, a title or a Create video the rows were checked to spell true or false (``create_known``) and
    each column is quoted in every row or in none (``quoted``), else the chunk's lines, kept."""
    width, title, create = len(block.headings), block.title_index, block.create_index
    known = {0, *(() if title is None else (title,)), *(() if create is None or not create_known else (create,))}
    if quoted is None or known != set(range(width)):
        return Columns(title, create, width, kept=(first_line, KeptLines(lines)))
    return Columns(title, create, width, create, quoted)


def _quoted_columns(lines: list[str], width: int) -> tuple[list[str], frozenset[int]] | None:
    """The cells of ``lines`` (row after row) as ``csv.reader`` reads them, split at C speed, when each line
    has ``width`` cells and each column is quoted in every row or in none (a spreadsheet quotes the titles
    so): every quote of a quoted column opens or closes a cell; None for any other lines (then ``csv.reader``
    reads them, at a third of the speed). A comma in a quoted cell makes a line of more cells: None.
    With the cells, the columns that were quoted."""
    if set(map(str.count, lines, repeat(",", len(lines)))) != {width - 1} or "" in lines:  # a blank line: no cell
        return None
    cells = ",".join(lines).split(",")
    quoted: set[int] = set()
    for index in range(width):
        column = cells[index::width]
        joined = "\n".join(column)  # no cell holds a line break: the lines were split at them
        if '"' in joined:
            if not _each_cell_quoted_once(joined, len(column)):
                return None
            cells[index::width] = joined.replace('"', "").split("\n")
            quoted.add(index)
    return cells, frozenset(quoted)


def _each_cell_quoted_once(joined: str, count: int) -> bool:
    """Whether each of the ``count`` cells joined by line breaks is a quote, text without one, and a quote.
    Each break stands between two quotes (str.count counts ``"\n"`` once per break only if no cell between
    two breaks is a lone quote, which both would share), and the text starts and ends with one that is not a
    lone cell: every cell starts and ends with a quote of its own, two or more a cell; ``2 * count`` in all,
    then exactly two: no quote within (``""`` inside a quoted cell, which csv.reader reads as one, makes more)."""
    ends = joined.startswith('"') and joined.endswith('"') and joined.count('"\n"') == count - 1
    lone = joined.startswith('"\n') or joined.endswith('\n"')
    return ends and not lone and joined.count('"') == 2 * count


def _read_group_chunk(
    reader: _Reader,
    block: _Block,
    titles: list[str],
    creates: list[str] | None,
    urls: list[str],
    first_line: int,
    layout: Columns,
) -> bool:
    """Add a chunk's rows to their groups (runs of rows with one title at a time); False, having changed
    nothing, if the rows of a group disagree on Create video, in the chunk or with the group's earlier rows
    (MT711: read row by row)."""
    kind = block.kind
    assert kind is not None
    items, key, groups = reader.items_of(kind), kind.key, reader.groups
    runs: list[tuple[str, int, int, bool | None, int | None]] = []
    start = 0
    for title, run in groupby(titles):
        count = len(list(run))
        index = groups.get((key, title))
        create = None
        if creates is not None:
            word = creates[start]
            create = word == "true"
            if creates[start : start + count].count(word) != count:
                return False
            if index is not None and items[index].get(CREATE_VIDEO) is not create:
                return False
        runs.append((title, start, count, create, index))
        start += count
    if creates is not None and len(runs) != len({title for title, *_ in runs}):  # a title in several runs
        chosen: dict[str, bool | None] = {}
        if any(chosen.setdefault(title, create) is not create for title, _, _, create, _ in runs):
            return False
    columns = replace(layout, create_video=block.create_index if creates is not None else None)
    locator = reader.locator
    for title, start, count, create, known in runs:
        line, end = first_line + start, start + count
        index = known if known is not None else groups.get((key, title))
        if index is None:
            index = groups[(key, title)] = len(items)
            item: dict[str, Any] = {TITLE: title} if create is None else {TITLE: title, CREATE_VIDEO: create}
            item.update(zip(_url_names(count)[:count], urls[start:end], strict=True))
            items.append(item)
            locator.add_group(key, index, GroupRows(line, columns, [(0, line, count, columns)]))
        else:
            item = items[index]
            ordinal = len(item) - (TITLE in item) - (CREATE_VIDEO in item)
            added = _url_names(ordinal + count)[ordinal : ordinal + count]
            item.update(zip(added, urls[start:end], strict=True))
            locator.group_rows(key, index, line, columns).append((ordinal, line, count, columns))
    return True


_URL_NAMES: list[str] = []


def _url_names(count: int) -> list[str]:
    """``objectUrl_0`` onwards, at least ``count`` of them: the names of a group's URLs, made once per process."""
    while len(_URL_NAMES) < count:
        _URL_NAMES.append(f"{OBJECT_URL}_{len(_URL_NAMES)}")
    return _URL_NAMES


def _manifest(reader: _Reader) -> Manifest:
    ordered = {kind.key: reader.data[kind.key] for kind in KINDS if kind.key in reader.data}
    return Manifest(
        path=reader.path,
        format="csv",
        data=ordered,
        locator=reader.locator,
        reader_diagnostics=_capped(reader.diagnostics, reader.invalid_bytes),
        invalid_pointers=reader.invalid,
        csv_entries=reader.entries,
        size_bytes=reader.size_bytes,
        byte_order_mark=reader.byte_order_mark,
        replaced=reader.replaced,
    )


def _report_raw_surrogates(reader: _Reader, text: str) -> None:
    """MT108 for each surrogate held as is (as the JSON reader reports them): a CSV is written in UTF-8, which
    cannot hold one. Counted with the bytes that are not UTF-8, as MT108's repeats are capped together."""
    places = raw_surrogates(text)
    reader.invalid_bytes += len(places)
    _report_places(reader, text, places, Code.MT108, lone_surrogate_message)


def _report_raw_controls(reader: _Reader, text: str) -> None:
    """MT107 for each control character held in a cell, as the JSON reader reports one raw in a string: a CSV
    cannot escape it, so it is to be removed (or the manifest converted, which escapes it)."""
    _report_places(
        reader,
        text,
        raw_controls(text),
        Code.MT107,
        lambda code: f"control character U+{code:04X} inside a cell: a CSV cannot escape it; remove it from the cell",
    )


def _report_places(
    reader: _Reader, text: str, places: list[tuple[int, int]], code: RuleCode, message: Callable[[int], str]
) -> None:
    """A ``code`` finding at each (offset, code point) of ``places``, up to one past the cap on repeats; the
    line starts are found only when there is one."""
    if not places:
        return
    lines = LineIndex(text)
    for offset, unit in places[: MAX_REPEATS + 1]:
        where = lines.position(offset)
        reader.report(code, message(unit), where.line, where.column)


def _capped(diagnostics: list[Diagnostic], invalid_bytes: int) -> list[Diagnostic]:
    """At most MAX_REPEATS per code; ``invalid_bytes`` counts the MT108 bytes, which were never all reported."""

    def more(first: Diagnostic, count: int) -> Diagnostic:
        if first.code == Code.MT108:
            count = invalid_bytes - MAX_REPEATS
        return replace(first, message=more_message(count), pointer="")

    return cap_repeats(diagnostics, lambda d: d.code, more)


def _foreign_delimiter(first_line: str) -> str | None:
    lowered = first_line.lower().lstrip(BOM).lstrip('"')
    for char, name in ((";", "semicolons"), ("\t", "tabs")):
        if lowered.startswith(OBJECT_URL_HEADING) and lowered[len(OBJECT_URL_HEADING) :].lstrip('"').startswith(char):
            return name
        if "," not in first_line and char in first_line:
            return name
    return None


def _open_block(reader: _Reader, header: Row) -> _Block:
    headings = [cell.value.strip().lower() for cell in header.cells]
    while len(headings) > 1 and not headings[-1]:
        headings.pop()
    rest = headings[1:]
    has_create_video = CREATE_VIDEO_HEADING in rest
    titles = [h for h in rest if h != CREATE_VIDEO_HEADING]
    kind: Kind | None = None
    if not rest:
        kind = VIDEOS
    elif len(titles) == 1 and len(rest) <= 2:
        kind = next((k for k in KINDS if titles[0] in k.csv_title_headings), None)
        if kind is not None and kind.create_video and not has_create_video:
            kind = None
        if kind is not None and kind.csv is not None and has_create_video and not _may_have_create_video(kind):
            column = next(c for c in header.cells[1:] if c.value.strip().lower() == CREATE_VIDEO_HEADING)
            reader.report(
                Code.MT714,
                f'"Create video" means nothing in a {header.cells[1 + rest.index(titles[0])].value.strip()} block:'
                f" the rows are read as {kind.plural} and the column is ignored; remove it",
                column.line,
                column.column,
            )
    if kind is None:
        shown = ",".join(cell.value.strip() for cell in header.cells)
        reader.report(
            Code.MT703,
            f"unknown header row {shown!r}: use ObjectUrl alone, or with Video title, Image title"
            " [,Create video], Image group title,Create video, or Series title; this block's rows are skipped",
            header.line,
            1,
        )
    title_headings = kind.csv_title_headings if kind is not None else ()
    title_index = next((i for i, h in enumerate(headings) if h in title_headings), None)
    create_index = headings.index(CREATE_VIDEO_HEADING) if CREATE_VIDEO_HEADING in headings else None
    return _Block(kind, header, headings, has_create_video, 0, title_index, create_index)


def _may_have_create_video(kind: Kind) -> bool:
    return kind.create_video or (kind.csv is not None and kind.csv.false_create_video)


def _close_block(reader: _Reader, block: _Block | None) -> None:
    if block is not None and block.rows == 0:
        reader.report(
            Code.MT712, "header row with no data rows under it", block.header.line, block.header.cells[0].column
        )


def _realign(reader: _Reader, block: _Block, row: Row) -> list[Cell]:
    """The row's cells, one per heading; extra cells are taken as commas inside the title."""
    width = len(block.headings)
    cells = list(row.cells)
    if len(cells) <= width:
        return cells
    extra = [c for c in cells[width:] if c.value.strip()]
    if not extra:
        return cells[:width]
    title_index = next(
        (i for i, h in enumerate(block.headings) if h in (block.kind.csv_title_headings if block.kind else ())), None
    )
    if title_index is None:
        reader.report(
            Code.MT708,
            f"{len(cells)} cells but the header has {width}: the extra cells are ignored",
            extra[0].line,
            extra[0].column,
            end=_end_of(extra[-1]) if extra[-1].line == extra[0].line else None,
        )
        return cells[:width]
    while len(cells) > width and not cells[-1].value.strip():
        cells.pop()
    after = width - title_index - 1
    title_cells = cells[title_index : len(cells) - after]
    title = Cell(",".join(c.value for c in title_cells), title_cells[0].line, title_cells[0].column)
    reader.report(
        Code.MT708,
        f"{len(cells)} cells but the header has {width}: read as the title {title.value!r};"
        " put quotes around a title that contains commas",
        extra[0].line,
        extra[0].column,
        end=_end_of(extra[-1]) if extra[-1].line == extra[0].line else None,
    )
    return [*cells[:title_index], title, *cells[len(cells) - after :]]


def _read_row(reader: _Reader, block: _Block, row: Row) -> None:
    kind = block.kind
    assert kind is not None
    cells = _realign(reader, block, row)
    url = cells[0]  # the header's first heading is ObjectUrl
    if not url.value.strip():
        reader.report(Code.MT707, "the ObjectUrl cell is empty: every row needs a URL", url.line, url.column)
        return
    title_cell = _cell(cells, block.title_index)
    create_cell = _cell(cells, block.create_index)
    if kind.multi_file:
        _read_group_row(reader, kind, row, url, title_cell, create_cell)
        return
    items = reader.items_of(kind)
    pointer = f"/{kind.key}/{len(items)}"
    item: dict[str, Any] = {}  # in canonical order (title first): writers keep it rather than copy it
    reader.locator.add(pointer, Cell("", row.line, 1))
    if title_cell is not None and title_cell.value.strip():
        item[TITLE] = title_cell.value
        reader.locator.add(pointer + "/" + TITLE, title_cell)
        if title_cell.unterminated:
            reader.invalid.add(pointer + "/" + TITLE)
    item[OBJECT_URL] = url.value
    reader.locator.add(pointer + "/" + OBJECT_URL, url)
    if url.unterminated:
        reader.invalid.add(pointer + "/" + OBJECT_URL)
    if block.has_create_video and kind.csv is not None and kind.csv.false_create_video:
        value = create_cell.value.strip().lower() if create_cell else ""
        if value != "false":
            where = create_cell or row.cells[-1]
            shown = f"{create_cell.value.strip()!r}" if create_cell and create_cell.value.strip() else "blank"
            reader.report(
                Code.MT706,
                f"Create video is {shown} in an Image title block: single images must say false"
                " (a sequence belongs under ObjectUrl,Image group title,Create video)",
                where.line,
                where.column,
                pointer,
                end=_end_of(where),
            )
    items.append(item)


def _cell(cells: list[Cell], index: int | None) -> Cell | None:
    return cells[index] if index is not None and index < len(cells) else None


def _read_group_row(
    reader: _Reader, kind: Kind, row: Row, url: Cell, title_cell: Cell | None, create_cell: Cell | None
) -> None:
    title = title_cell.value if title_cell is not None else ""
    items = reader.items_of(kind)
    index = reader.groups.get((kind.key, title)) if title.strip() else None
    new = index is None
    if index is None:
        index = len(items)
        items.append({})
        if title.strip():
            reader.groups[(kind.key, title)] = index
    pointer = f"/{kind.key}/{index}"
    item = items[index]
    create_video = _create_video(reader, kind, row, create_cell, pointer) if kind.create_video else None
    if new:
        reader.locator.add(pointer, Cell("", row.line, 1))
        if title.strip():
            item[TITLE] = title
            assert title_cell is not None
            reader.locator.add(pointer + "/" + TITLE, title_cell)
        else:
            _report_blank_title(reader, kind, row, title_cell, pointer)
        if create_video is not None:
            item[CREATE_VIDEO] = create_video
            if create_cell is not None:
                reader.locator.add(pointer + "/" + CREATE_VIDEO, create_cell)
    elif create_video is not None and item.get(CREATE_VIDEO) is not create_video:
        where = create_cell or row.cells[0]
        first = reader.locator.locate(pointer + "/" + CREATE_VIDEO)
        reader.report(
            Code.MT711,
            f"Create video is {str(create_video).lower()} here but {str(item.get(CREATE_VIDEO)).lower()}"
            f" on the group's first row ({first.line}:{first.column}): one group is either an image"
            " group or an image sequence",
            where.line,
            where.column,
            pointer,
            end=_end_of(where),
        )
    position = len(item) - (TITLE in item) - (CREATE_VIDEO in item)  # the others are its URLs: O(1) per row
    item[f"{OBJECT_URL}_{position}"] = url.value
    reader.locator.add(f"{pointer}/{OBJECT_URL}_{position}", url)


def _report_blank_title(reader: _Reader, kind: Kind, row: Row, title_cell: Cell | None, pointer: str) -> None:
    where = title_cell or row.cells[0]
    reader.invalid.add(pointer + "/" + TITLE)
    if kind is IMAGE_GROUPS:
        reader.report(
            Code.MT709,
            "blank Image group title: the title decides which group a row joins; this row becomes a"
            " group of its own with no title",
            where.line,
            where.column,
            pointer,
            end=_end_of(where),
        )
    else:
        reader.report(
            Code.MT713,
            "blank Series title: this file becomes a one-file series named after the file; give the"
            " rows of one series the same title",
            where.line,
            where.column,
            pointer,
            end=_end_of(where),
        )


def _create_video(reader: _Reader, kind: Kind, row: Row, cell: Cell | None, pointer: str) -> bool:
    value = cell.value.strip().lower() if cell is not None else ""
    if value in ("true", "false"):
        return value == "true"
    where = cell or Cell("", row.line, sum(len(c.value) + 1 for c in row.cells) + 1)
    if not value:
        reader.report(
            Code.MT704,
            'blank "Create video" cell: this row is an image sequence (the column defaults to true);'
            " write true to say so, or false for an image group",
            where.line,
            where.column,
            pointer,
            end=_end_of(where),
        )
    else:
        reader.report(
            Code.MT705,
            f'"Create video" is {value!r}: write true (image sequence) or false (image group)',
            where.line,
            where.column,
            pointer,
            end=_end_of(where),
        )
    return True
