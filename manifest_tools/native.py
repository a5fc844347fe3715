"""The native scanner (``_scan.c``): its configuration and its answer.

The scanner certifies, in one pass over the bytes, a JSON manifest's structure
and each item that passes every item rule; :class:`Certificate` holds its
per-item counts and parses the other items on demand (``rules/certified.py``
lints with it). Every fact it checks against is handed over in a
:class:`ScannerTables`: the kinds' facts from :mod:`manifest_tools.kinds`, and the
rules' own (URL grammar, hints, title rules), which ``rules/certified.py``
assembles, so this module imports no rule and the C code copies no predicate.

It is optional: without a compiler the package builds without it, and with
``MANIFEST_TOOLS_NO_NATIVE=1`` it is not used; lint then runs the Python rules on
every file, with the same results, only slower.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from types import ModuleType
from typing import Any

from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    DEPRECATED_KEYFRAMES,
    ENCORD_KEY,
    FLAG_KEYS,
    KINDS,
    MAX_CLIENT_METADATA_BYTES,
    MAX_FILE_NAME_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_BYTES,
    MIME_TYPES,
    OBJECT_URL,
    OBJECT_URL_PREFIX,
    SCHEMA_KEY,
    SEQUENCE_EXTENSIONS,
    TITLE,
    Kind,
    ValueType,
)

TOP_LEVEL_EXTRAS = (*FLAG_KEYS, SCHEMA_KEY)
"""The top-level keys other than kinds that the scanner reads, in the order of its answer."""
TITLE_PLAIN, TITLE_EXTENSION, TITLE_NIFTI, TITLE_GROUP = range(4)
"""The title checks the scanner applies (ScannerTables.title_rules names one per kind)."""
_NAMES = (OBJECT_URL, OBJECT_URL_PREFIX, TITLE, CLIENT_METADATA, CREATE_VIDEO, ENCORD_KEY, DEPRECATED_KEYFRAMES,
          *TOP_LEVEL_EXTRAS)  # fmt: skip
"""Item and top-level key names, in the order _scan.c's enum expects."""


@dataclass(frozen=True)
class ScannerTables:
    """Everything the scanner checks against; a table changed here changes what it certifies."""

    kinds: tuple[Kind, ...]
    title_rules: tuple[int, ...]
    """One of TITLE_PLAIN ... TITLE_GROUP per kind: which title check rules/structure.py applies."""
    url_prefix: str
    host_chars: str
    path_chars: str
    """The plain URL grammar (rules/urls.py): scheme, host and path characters."""
    url_hints: tuple[str, ...]
    """Every URL a URL rule could flag beyond the grammar contains one of these (lower case)."""
    text_hints: tuple[str, ...]
    """Every title or metadata string a placeholder rule could flag contains one of these (lower case)."""
    browser_limited: frozenset[str]
    """Extensions a browser cannot play (the opt-in MT404)."""
    flagged_schemes: tuple[str, ...] = ()
    """URL prefixes (``http://``) that a URL rule flags with one finding and nothing more when the rest
    of the URL is plain: the scanner certifies such an item and records the finding
    (:attr:`Certificate.findings`), naming the prefix by its index here."""


_VALUE_CODES = {ValueType.NUMBER: 0, ValueType.INTEGER: 1, ValueType.STRING: 2}
_MIME_CODE = 3
_NO_RANGE = (0, 0)
CLIENT_METADATA_RAW_BYTES = MAX_CLIENT_METADATA_BYTES // 10
"""clientMetadata up to this size in the file cannot serialise past the limit (numbers like 1e5
grow at most threefold), so the scanner certifies it without measuring."""


@dataclass(frozen=True, slots=True)
class KindColumns:
    """Per-element facts of one kind's array, in file order (memoryviews over the scanner's bytes)."""

    kind: Kind
    array_start: int
    """Byte offset of the array's '['."""
    array_end: int
    """Byte offset just after its ']'."""
    starts: memoryview
    """Byte offset of each element."""
    ends: memoryview
    """Byte offset just after each element."""
    url_counts: memoryview
    file_sizes: memoryview
    """The metadata block's fileSize, 0 when the item has none."""
    sequences: bytes
    """1 for an image group with createVideo true."""
    certified: bytearray
    """1 for an element the scanner certified; the others are left to the Python rules (a rule judging
    a block the scanner hands over, such as $encord, may set an element's flag to 0)."""

    def uncertified(self) -> Iterator[int]:
        """Indexes of the elements the scanner did not certify (a handful, found at C speed)."""
        at = self.certified.find(0)
        while at >= 0:
            yield at
            at = self.certified.find(0, at + 1)

    def counts(self) -> Iterator[tuple[Kind, int, int, int, int]]:
        """(kind, index, URL count, sequence flag, fileSize) of each certified element, in file order."""
        count = len(self.starts)
        rows = zip(
            repeat(self.kind, count), range(count), self.url_counts, self.sequences, self.file_sizes, strict=True
        )
        if 0 not in self.certified:  # the common case: no per-row filter to pay for
            return rows
        return (row for row, certified in zip(rows, self.certified, strict=True) if certified)


DecidedFinding = tuple[int, int, int, str, tuple[int, int, int, int], str]
"""A finding the scanner decided from its tables in an item it certified, located in the bytes: (the URL's
prefix's index in :attr:`ScannerTables.flagged_schemes`, the kind's index in :data:`manifest_tools.kinds.KINDS`,
the item's index in its kind's array, the URL's JSON pointer (/images/3/objectUrl), (line, column, end line,
end column) of the URL's JSON string as the locator counts them (columns in characters), the item's first URL
(the fingerprint names the item by it)). The scanner's own tuple: made into named tuples, 100,000 findings
cost 0.1 s more."""


@dataclass(slots=True)
class Certificate:
    """What the scanner returns for a manifest whose structure it certifies.

    Certified items are never parsed in Python (their counts are here); the others
    are parsed from their own bytes by :meth:`uncertified_entries`.
    """

    data: bytes | bytearray
    """The scanned text (a CSV's rows written as JSON: a buffer filled a piece at a time)."""
    columns: list[KindColumns]
    origins: list[tuple[Kind, int, int, str]]
    """(kind, index, URL ordinal, URL) of the first certified URL of each (host, first path segment)
    in each kind: every URL whose location the integration rules (MT313, MT314) can name."""
    top_level: dict[str, Any]
    """The top-level keys that are not kinds (skip_duplicate_urls, upsert_metadata, $schema), parsed."""
    browser_limited: int
    """How many URLs of certified items are TIFF or MOV (the opt-in MT404 reports each)."""
    encord_blocks: list[tuple[Kind, int, int, int]]
    """(kind, index, start, end) of the clientMetadata $encord block of certified items: the scanner
    does not judge them; rules/certified.py asks the metadata rule and uncertifies those it flags."""
    findings: list[DecidedFinding] = field(default_factory=list)
    """What the scanner decided about certified items from the tables (a flagged URL scheme), in file order."""
    _parsed: dict[tuple[str, int], Any] = field(default_factory=dict)

    @property
    def fully_certified(self) -> bool:
        return all(0 not in columns.certified for columns in self.columns)

    def first_urls(self) -> dict[tuple[str, int], str | None]:
        """The first URL of each item with a decided finding, by (kind key, index): the fingerprint names
        the item by it, and the item is not parsed to find it."""
        keys = [kind.key for kind in KINDS]
        return {(keys[kind], item): first_url for _, kind, item, _, _, first_url in self.findings}

    def uncertify(self, kind: Kind, index: int) -> None:
        """Leave one element to the Python rules after all."""
        next(c for c in self.columns if c.kind is kind).certified[index] = 0

    def item_fields(self, kind: Kind, index: int) -> Any:
        """The parsed value of one element."""
        key = (kind.key, index)
        if key not in self._parsed:
            self._parsed[key] = self.parse(kind, index)
        return self._parsed[key]

    def parse(self, kind: Kind, index: int) -> Any:
        """The parsed value of one element as the file holds it, not kept (a walk over every element)."""
        columns = next(c for c in self.columns if c.kind is kind)
        return json.loads(self.data[columns.starts[index] : columns.ends[index]])

    def uncertified_entries(self) -> Iterator[tuple[Kind, int, Any]]:
        """(kind, index, parsed value) of every element left to the Python rules."""
        for columns in self.columns:
            for index in columns.uncertified():
                yield columns.kind, index, self.item_fields(columns.kind, index)

    def counts(self) -> Iterator[tuple[Kind, int, int, int, int]]:
        """(kind, index, URL count, sequence flag, fileSize) of every certified item, in file order."""
        for columns in self.columns:
            yield from columns.counts()


def _extension_table() -> tuple[str, ...]:
    names = set(MIME_TYPES)
    for kind in KINDS:
        names |= kind.extensions
    return tuple(sorted(names))


def _mask(extensions: frozenset[str], table: tuple[str, ...]) -> int:
    return sum(1 << table.index(e) for e in extensions)


def _kind_spec(kind: Kind, title_rule: int, table: tuple[str, ...]) -> tuple[object, ...]:
    fields: tuple[tuple[object, ...], ...] = ()
    if kind.metadata is not None:
        fields = tuple(
            (
                f.name.encode(),
                (f.snake or "").encode(),
                _MIME_CODE if f.name == "mimeType" else _VALUE_CODES[f.type],
                int(f.positive),
                f.minimum is not None and f.maximum is not None,
                f.name == "fileSize",
                (f.minimum, f.maximum) if f.minimum is not None and f.maximum is not None else _NO_RANGE,
            )
            for f in kind.metadata.fields
        )
    sequence_extensions = SEQUENCE_EXTENSIONS if kind.create_video else kind.extensions
    return (
        kind.key.encode(),
        kind.multi_file,
        kind.create_video,
        title_rule,
        kind.accepts_any_extension or kind.extensionless_ok,
        kind.metadata is not None,
        _mask(kind.extensions, table),
        _mask(sequence_extensions, table),
        kind.metadata.key.encode() if kind.metadata is not None else b"",
        fields,
        _documented_mixes(kind),
    )


def _documented_mixes(kind: Kind) -> tuple[int, ...]:
    """The documentation's own mixed spellings of the block (MT503 accepts them): bit i set when field i
    is written in snake_case."""
    if kind.metadata is None:
        return ()
    fields = kind.metadata.fields
    masks = []
    for spelling in kind.metadata.documented_spellings:
        if len(spelling) == len(fields) and all(f.name in spelling or f.snake in spelling for f in fields):
            masks.append(sum(1 << i for i, f in enumerate(fields) if f.name not in spelling))
    return tuple(masks)


def _configure(module: ModuleType, tables: ScannerTables) -> None:
    table = _extension_table()
    module.configure(
        tuple(_kind_spec(kind, rule, table) for kind, rule in zip(tables.kinds, tables.title_rules, strict=True)),
        tuple(e.encode() for e in table),
        tuple(tuple(m.encode() for m in MIME_TYPES.get(e, ())) for e in table),
        _mask(tables.browser_limited, table),
        tuple(h.encode() for h in tables.url_hints),
        tuple(h.encode() for h in tables.text_hints),
        (MAX_URL_BYTES, MAX_TITLE_CHARS, MAX_FILE_NAME_CHARS, CLIENT_METADATA_RAW_BYTES),
        tuple(name.encode() for name in _NAMES),
        tables.url_prefix.encode(),
        tables.host_chars.encode(),
        tables.path_chars.encode(),
        tuple(prefix.encode() for prefix in tables.flagged_schemes),
    )


_scanner: ModuleType | None = None
_UTF8_BOM = b"\xef\xbb\xbf"
_loaded = False
_configured: ScannerTables | None = None


def scanner() -> ModuleType | None:
    """The native module, or None when it is not built or switched off."""
    global _scanner, _loaded
    if not _loaded:
        _loaded = True
        if os.environ.get("MANIFEST_TOOLS_NO_NATIVE", "") not in ("", "0"):
            return None
        try:
            from manifest_tools import _scan
        except ImportError:  # not built, or built for another Python
            return None
        _scanner = _scan
    return _scanner


def scan(
    data: bytes | bytearray,
    tables: ScannerTables,
    host_ok: Callable[[str], bool] | None = None,
    browser_limited_uncertified: bool = False,
) -> Certificate | str:
    """The scanner's certificate for ``data`` checked against ``tables``, or why there is none (a reason).

    ``host_ok`` judges a URL's host (called once per host, with the first URL that has it): items
    with a host it refuses are left to the Python rules. With ``browser_limited_uncertified``, so
    are items with a URL a browser cannot play (the opt-in MT404 reports each).
    """
    global _configured
    module = scanner()
    if module is None:
        return "the native scanner is not available"
    if tables is not _configured:
        _configured = None
        try:
            _configure(module, tables)
        except ValueError as error:  # facts too large for the scanner's fixed tables
            return f"the native scanner cannot hold these facts: {error}"
        _configured = tables
    if data.startswith(_UTF8_BOM):  # the scanner would call it "top level not an object": the reader's MT109
        return "a byte order mark at line 1, column 1"
    answer = module.scan(data, host_ok, browser_limited_uncertified)
    if isinstance(answer, str):
        return located(answer, data)
    raw_columns, raw_origins, browser_limited, spans, raw_encord, raw_findings = answer
    columns = [
        KindColumns(
            KINDS[index],
            array_start,
            array_end,
            memoryview(starts).cast("q"),
            memoryview(ends).cast("q"),
            memoryview(urls).cast("q"),
            memoryview(sizes).cast("q"),
            sequences,
            bytearray(certified),
        )
        for index, array_start, array_end, starts, ends, urls, sizes, sequences, certified in raw_columns
    ]
    origins = [(KINDS[kind], index, ordinal, url) for kind, index, ordinal, url in raw_origins]
    extras = zip(TOP_LEVEL_EXTRAS, spans, strict=True)
    top_level = {key: json.loads(data[start:end]) for key, (start, end) in extras if end}
    encord = [(KINDS[kind], index, start, end) for kind, index, start, end in raw_encord]
    return Certificate(data, columns, origins, top_level, browser_limited, encord, raw_findings)


def strict_json(text: str, start: int, max_depth: int) -> bool:
    """Whether ``text[start:]`` is JSON the strict reader accepts as is (grammar, no NaN or Infinity, no
    float overflow, no integer past Python's digit limit, no repeated key at any depth, no surrogate escape
    without its other half, nesting at most ``max_depth``), answered in one C pass without parsing; False
    when the scanner is absent.

    ``readers/json.py`` then parses with plain ``json.loads``: no duplicate-key hook, no depth walk.
    """
    module = scanner()
    if module is None:
        return False
    if text.isascii():  # the scanner reads an ASCII str's own bytes: no copy
        answer: bool = module.strict_json(text, start, max_depth, sys.get_int_max_str_digits())
        return answer
    data = text.encode("utf-8", "surrogatepass")
    skip = len(text[:start].encode("utf-8", "surrogatepass"))
    answer = module.strict_json(data, skip, max_depth, sys.get_int_max_str_digits())
    return answer


_AT_BYTE = " at byte "


def located(reason: str, data: bytes | bytearray) -> str:
    """The scanner's ``... at byte N`` as ``... at line L, column C`` (columns in characters, as diagnostics
    count them): a byte offset is not what an editor shows. A trailing comma is named where the comma is,
    not at the bracket after it, so the place agrees with MT102's."""
    text, at, offset = reason.rpartition(_AT_BYTE)
    if not at or not offset.isdigit():
        return reason
    end = min(int(offset), len(data))
    if text.startswith("trailing comma"):
        comma = data.rfind(b",", 0, end)
        end = comma if comma >= 0 else end
    line_start = data.rfind(b"\n", 0, end) + 1
    column = len(data[line_start:end].decode("utf-8", "replace")) + 1
    line = data.count(b"\n", 0, end) + 1
    return f"{text} at line {line}, column {column}"
