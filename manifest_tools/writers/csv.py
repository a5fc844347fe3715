"""Write manifests as canonical multi-header CSV (spec section 2).

One block per kind in ``CSV_KINDS`` order; every image-group row says its Create
video explicitly; a missing title is a blank cell. Every cell is written as it is,
whichever command writes it (``fix``, ``convert``, ``split``, ``generate``, the
upload reports): the platform reads a title literally, so an apostrophe before a
formula-like one (OWASP's advice for spreadsheets) would become part of the title,
and a CSV and a JSON manifest of the same files would register different titles.
Each of them notes each formula-like cell it writes (:func:`formula_note`, :func:`formula_notes`).
"""

from __future__ import annotations

import csv
import io
import re
import string
from collections.abc import Callable, Iterator
from itertools import chain, repeat
from operator import itemgetter
from typing import IO, Any

from manifest_tools.collector import collector_paused
from manifest_tools.errors import UnencodableText
from manifest_tools.kinds import CREATE_VIDEO, CSV_KINDS, OBJECT_URL, TITLE, Kind
from manifest_tools.losses import Loss
from manifest_tools.model import Item, run_shape, url_values_of

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet runs as a formula when a cell starts with it (OWASP's CSV injection list)."""


def starts_like_formula(cell: str) -> bool:
    """True when a spreadsheet would run ``cell`` as a formula, leading whitespace ignored (`` =1+1``)."""
    if cell.startswith(FORMULA_PREFIXES):
        return True
    return cell[:1].isspace() and cell.lstrip().startswith(FORMULA_PREFIXES)  # lstrip only where it strips


def formula_note(cell: str) -> str:
    """What every command that writes CSV says of a cell that :func:`starts_like_formula`: it is written as it is."""
    return (
        f"{cell!r} starts like a spreadsheet formula: written as it is (the platform reads it literally),"
        " but a spreadsheet that opens this CSV may run it as a formula"
    )


def formula_cells(item: Item) -> Iterator[Loss]:
    """A :func:`formula_note` for each cell of ``item``'s rows that starts like a spreadsheet formula: its
    title (once, however many rows repeat it), then its URLs, each at its pointer."""
    title = item.fields.get(TITLE)
    if isinstance(title, str) and title[:1] not in SAFE_FIRST and starts_like_formula(title):
        yield Loss(f"{item.pointer}/{TITLE}", formula_note(title))
    for name, url in item.url_fields():
        if isinstance(url, str) and url[:1] not in SAFE_FIRST and starts_like_formula(url):
            yield Loss(f"{item.pointer}/{name}", formula_note(url))


def formula_notes(data: dict[str, Any], skip: frozenset[str] = frozenset()) -> list[Loss]:
    """:func:`formula_cells` of every item a CSV of ``data`` holds (``skip``: pointers of items left out), in
    the CSV's block order: what ``fix``, ``split`` and ``upload-report`` say of the CSV they write, as
    ``convert`` and ``generate`` say it of theirs."""
    return [note for item in _csv_items(data, skip) for note in formula_cells(item)]


_FORMULA_START = r'"?\s*[=+\-@\t\r]'
"""The start of a cell that may start like a formula (a superset: a match is checked on the parsed rows)."""
_FORMULA_CELL_STARTS = (re.compile("," + _FORMULA_START), re.compile("\n" + _FORMULA_START))
"""Such a cell after a comma or a line break, each led by its literal, which the regular expression engine
finds at C speed (``(?:^|,)`` in one expression, with no literal to look for, tried every character: 7x slower)."""
_FORMULA_FIRST_CELL = re.compile(_FORMULA_START)


def may_hold_formula(text: str) -> bool:
    """False when no cell of the CSV ``text`` can start like a formula: then there is nothing to note and
    the text need not be parsed to know it. A cell starts the text, or follows a line break or a comma."""
    if _FORMULA_FIRST_CELL.match(text):
        return True
    return any(cell.search(text) for cell in _FORMULA_CELL_STARTS)


def _csv_items(data: dict[str, Any], skip: frozenset[str]) -> Iterator[Item]:
    for kind in CSV_KINDS:
        values = data.get(kind.key)
        for index, value in enumerate(values if isinstance(values, list) else []):
            if isinstance(value, dict) and f"/{kind.key}/{index}" not in skip:
                yield Item(kind, index, value)


def csv_header(kind: Kind) -> list[str]:
    """The header row of a kind's block."""
    if kind.csv is None:
        raise ValueError(f"CSV has no block for {kind.plural}")
    return list(kind.csv_header)


def item_rows(item: Item) -> Iterator[list[str]]:
    """The data rows of one item: one per URL, groups with their title and explicit Create video."""
    title = item.fields.get(TITLE)
    cell = title if isinstance(title, str) else ""
    if item.kind.multi_file:
        create_video = "true" if item.fields.get(CREATE_VIDEO) is True else "false"
        for _, url in item.url_fields():
            row = [str(url), cell]
            yield [*row, create_video] if item.kind.create_video else row
    else:
        yield [str(item.fields.get(OBJECT_URL, "")), cell]


def csv_rows(data: dict[str, Any], *, skip: frozenset[str] = frozenset()) -> Iterator[list[str]]:
    """Header and data rows of every block; items whose pointer is in ``skip`` are left out.

    Raises :class:`UnencodableText` for a cell UTF-8 cannot encode.
    """
    kind = None
    for item in _csv_items(data, skip):
        if item.kind is not kind:
            kind = item.kind
            yield csv_header(kind)
        if not csv_encodable(item):
            raise UnencodableText(item.pointer)
        yield from item_rows(item)


def csv_encodable(item: Item) -> bool:
    """Whether a UTF-8 CSV file can hold the item's cells (conversions list those it cannot).

    Checked on the item's distinct cells at once: joining two cells makes a lone surrogate
    encodable or not no more than either alone.
    """
    return utf8_cells(_item_cells(item))


def _item_cells(item: Item) -> list[str]:
    """The item's distinct cells as written: its title and URLs."""
    title = item.fields.get(TITLE)
    cells = [title if isinstance(title, str) else ""]
    if item.kind.multi_file:
        cells += [str(url) for _, url in item.url_fields()]
    else:
        cells.append(str(item.fields.get(OBJECT_URL, "")))
    return cells


def utf8_cells(cells: list[str]) -> bool:
    """Whether UTF-8 can encode every cell (a lone surrogate from a JSON escape cannot be)."""
    joined = "".join(cells)
    if joined.isascii():
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@collector_paused()
def write_csv(
    data: dict[str, Any],
    out: IO[str],
    *,
    skip: frozenset[str] = frozenset(),
    newline: str = "\n",
) -> None:
    """Stream canonical CSV to ``out``, each row ended by ``newline`` (``fix`` keeps a CRLF file's).

    A row with a carriage return in a cell is written with every cell quoted: Python 3.11 and 3.12
    quote only the line terminator's characters, and other readers take a bare CR for a line end.
    Rows whose cells need no quoting (no comma, quote or line break: nearly all) are joined here,
    exactly as the csv module writes them, and written thousands at a time; the others go through it.
    """
    plain = csv.writer(out, lineterminator=newline)
    quoted = csv.writer(out, lineterminator=newline, quoting=csv.QUOTE_ALL)
    lines: list[str] = []

    def flush() -> None:
        out.write("".join(lines))
        lines.clear()

    for kind in CSV_KINDS:
        values = data.get(kind.key)
        if not isinstance(values, list):
            continue
        header = False
        one_pass = not (skip and _any_under(skip, kind.key))
        start = 0
        while start < len(values):
            run = values[start : start + _batch_items(kind, values[start])]
            start += len(run)
            plain_columns = None
            if one_pass:
                plain_columns = (
                    _plain_group_columns(kind, run, newline) if kind.multi_file else _plain_columns(run, newline)
                )
            if plain_columns is not None:  # every item is a plain row: written as they are, no Python step per item
                if not header:
                    flush()
                    plain.writerow(csv_header(kind))
                    header = True
                lines.append("".join(chain.from_iterable(zip(*plain_columns, strict=True))))
                flush()
                continue
            header = _write_items(kind, run, start - len(run), lines, plain, quoted, skip, header, flush)
    flush()


def _write_items(
    kind: Kind,
    run: list[Any],
    start: int,
    lines: list[str],
    plain: Any,
    quoted: Any,
    skip: frozenset[str],
    header: bool,
    flush: Callable[[], None],
) -> bool:
    """The rows of ``run`` (at ``start`` in the kind's array), item by item; returns whether the header is written."""
    newline = plain.dialect.lineterminator
    multi_file, create_video = kind.multi_file, kind.create_video
    for index, value in enumerate(run, start):
        if not isinstance(value, dict) or (skip and f"/{kind.key}/{index}" in skip):
            continue
        if not header:
            flush()
            plain.writerow(csv_header(kind))
            header = True
        title = value.get(TITLE)
        title_cell = title if isinstance(title, str) else ""
        suffix = [title_cell]
        if multi_file:
            urls = list(map(str, url_values_of(kind, [value])))
            joined = "".join([title_cell, *urls])
            if create_video:
                suffix.append("true" if value.get(CREATE_VIDEO) is True else "false")
        else:
            url = value.get(OBJECT_URL, "")
            urls = [url if type(url) is str else str(url)]
            joined = title_cell + urls[0]
        if not joined.isascii() and not utf8_cells([joined]):
            flush()
            raise UnencodableText(f"/{kind.key}/{index}")
        if not ("," in joined or '"' in joined or "\n" in joined or "\r" in joined):  # nothing to quote
            ends = "".join([",", ",".join(suffix), newline])  # each row: its URL, then the item's other cells
            lines.append(ends.join(urls) + ends)  # a 1,000-frame group's rows in one join
            if len(lines) >= _BATCH_ROWS or len(urls) >= _BATCH_ROWS // 64:  # a line per item: rows held, at most
                flush()
            continue
        flush()
        for row in ([url, *suffix] for url in urls):
            (quoted if "\r" in "".join(row) else plain).writerow(row)
    return header


def _any_under(skip: frozenset[str], key: str) -> bool:
    prefix = f"/{key}/"
    return any(pointer.startswith(prefix) for pointer in skip)


PlainColumns = list[list[str]]
"""Pieces of a run's rows, a column per piece, an entry per item: an item's rows are its entries joined, in
column order (so the run's text is the columns zipped and joined, with no string made per row)."""


def _plain_columns(values: list[Any], newline: str) -> PlainColumns | None:
    """The rows of a single-file kind's items when every one is a plain dict whose URL and title (or no
    title) are strings that need no quoting and no check for UTF-8; else None."""
    if not values:
        return []
    if set(map(type, values)) != _DICT:
        return None
    urls: list[Any] = list(map(dict.get, values, repeat(OBJECT_URL)))
    titles = _title_cells(values)
    if set(map(type, urls)) != _STR or titles is None or not _plain_cells("".join(urls) + "".join(titles)):
        return None
    count = len(values)
    return [urls, [","] * count, titles, [newline] * count]


def item_bytes(kind: Kind, values: list[Any], newline: str = "\n") -> list[int] | None:
    """The bytes of each item's rows as :func:`write_csv` writes them, for a run its one-pass writers take
    (every cell ASCII and needing no quoting; for groups, one shape); None for any other run (then item by
    item). Each item's lines are the same text whichever writer writes them."""
    found = _plain_group_columns(kind, values, newline) if kind.multi_file else _plain_columns(values, newline)
    if found is None or (kind.multi_file and not found):
        return None
    if not found:
        return []
    return list(map(sum, zip(*[map(len, column) for column in found], strict=True)))


def _title_cells(values: list[Any]) -> list[str] | None:
    """The Title cells of a run of plain dicts: each title, "" where there is none; None when a title is
    not a string (the item-by-item writer decides those)."""
    titles: list[Any] = list(map(dict.get, values, repeat(TITLE)))
    title_types = set(map(type, titles))
    if title_types == _STR:
        return titles
    if not _STR_OR_NONE.issuperset(title_types):
        return None
    return [title if title is not None else "" for title in titles]


def _plain_cells(joined: str) -> bool:
    """Whether a run's cells, joined (a few hundred KiB at most), are ASCII and need no quoting."""
    return joined.isascii() and not any(map(joined.__contains__, (",", '"', "\n", "\r")))


def _batch_items(kind: Kind, first: Any) -> int:
    """Items taken in one run: about _BATCH_ROWS rows, told from the run's first item (a run of one shape has
    the same number of rows per item, so a run of 1,000-frame groups is not a million rows at once)."""
    if not kind.multi_file or not isinstance(first, dict):
        return _BATCH_ROWS
    return max(1, _BATCH_ROWS // max(1, Item(kind, 0, first).url_count()))


def uniform_url_keys(kind: Kind, values: list[Any]) -> tuple[str, ...] | None:
    """The URL fields, in order, of a multi-file kind's run of plain dicts that all have the same keys
    (a generated manifest's usual run): what :meth:`Item.url_fields` names for each; None for any other run."""
    keys = run_shape(values)
    if keys is None:
        return None
    return tuple(name for name, _ in Item(kind, 0, dict.fromkeys(keys)).url_fields())


def _plain_group_columns(kind: Kind, values: list[Any], newline: str) -> PlainColumns | None:
    """The rows of a multi-file kind's run (item by item, a row per URL) when the items share one shape
    (:func:`uniform_url_keys`) with at least one URL, a string title (or none) and string URLs, all
    ASCII and needing no quoting; else None."""
    url_keys = uniform_url_keys(kind, values)
    if not url_keys or len(url_keys) > len(values):  # a column per URL key pays off for many small groups
        return None
    urls = [list(map(itemgetter(key), values)) for key in url_keys]
    titles = _title_cells(values)
    if titles is None or any(set(map(type, column)) != _STR for column in urls):
        return None
    if not _plain_cells("".join(titles) + "".join(map("".join, urls))):
        return None
    suffixes: Any = titles
    if kind.create_video:
        flags: list[Any] = list(map(dict.get, values, repeat(CREATE_VIDEO, len(values))))
        if not _BOOL_OR_NONE.issuperset(map(type, flags)):  # the table below is exact for these only
            return None
        suffixes = list(map("".join, zip(titles, map(_CREATE_VIDEO_CELLS.__getitem__, flags), strict=True)))
    ends = list(map("".join, zip(repeat(","), suffixes, repeat(newline))))
    return [piece for column in urls for piece in (column, ends)]  # each URL, then the rest of its row


_CREATE_VIDEO_CELLS = {True: ",true", False: ",false", None: ",false"}
"""The Create video cell after the title: true only for createVideo true (a missing flag is false)."""
_BOOL_OR_NONE = frozenset({bool, type(None)})
_DICT = {dict}
_STR = {str}
_STR_OR_NONE = frozenset({str, type(None)})
_BATCH_ROWS = 8192
SAFE_FIRST = frozenset(["", *string.ascii_letters, *string.digits, *"/.:_%~"])
"""First characters of a cell that never starts like a formula (answered without looking further)."""


def dumps_csv(data: dict[str, Any], *, newline: str = "\n") -> str:
    """Canonical CSV text (every cell as it is)."""
    buffer = io.StringIO(newline="")  # the rows' own line ends, untranslated
    write_csv(data, buffer, newline=newline)
    return buffer.getvalue()
