"""The structured payload of the Encord SDK's ``encord.orm.storage.DataUploadItems``.

Keys are the model's aliases (camelCase): single-file items keep objectUrl,
title, clientMetadata and their metadata block; image-group frames become
``imageGroups[].images[].url`` and DICOM files ``dicomSeries[].dicomFiles[]``;
scenes keep their title and scene object (``DataUploadScene``).
``title`` is given explicitly where the model declares it without a default.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from itertools import chain, repeat
from operator import itemgetter
from typing import IO, Any

from manifest_tools.canonical import canonical_metadata, canonical_metadata_run, metadata_plan
from manifest_tools.collector import collector_paused
from manifest_tools.errors import NonFiniteNumber
from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    DICOM_SERIES,
    KINDS,
    OBJECT_URL,
    SCENE,
    TITLE,
    Kind,
    MetadataBlock,
)
from manifest_tools.model import Item, run_shape
from manifest_tools.redact import SURROGATE  # what UTF-8 cannot encode: then escapes, as json.dumps
from manifest_tools.writers import columns
from manifest_tools.writers.indented import SCALARS, IndentedWriter, Unusual
from manifest_tools.writers.json import non_finite_pointer


def sdk_item(item: Item) -> dict[str, Any]:
    """One item in the SDK's shape."""
    kind, fields = item.kind, item.fields
    result: dict[str, Any] = {}
    if kind.scene:
        result[TITLE] = fields.get(TITLE)
        result[SCENE] = fields.get(SCENE)
    elif kind.multi_file:
        result[TITLE] = fields.get(TITLE)
        urls = [url for _, url in item.url_fields()]
        if kind is DICOM_SERIES:  # the SDK's DICOM file has a title of its own
            result[kind.sdk_files_key] = [{"url": url, "title": None} for url in urls]
        else:
            result[CREATE_VIDEO] = fields.get(CREATE_VIDEO) is True
            result[kind.sdk_files_key] = [{"url": url} for url in urls]
    else:
        result[OBJECT_URL] = fields.get(OBJECT_URL)
        if TITLE in fields:
            result[TITLE] = fields[TITLE]
        block = kind.metadata
        if block is not None and isinstance(fields.get(block.key), dict):
            result[block.key] = canonical_metadata(block, fields[block.key])
    if isinstance(fields.get(CLIENT_METADATA), dict):
        result[CLIENT_METADATA] = fields[CLIENT_METADATA]
    return result


def sdk_payload(data: dict[str, Any]) -> dict[str, Any]:
    """``DataUploadItems`` as a dict (by alias), kinds in canonical order, empty kinds left out."""
    payload: dict[str, Any] = {}
    for kind in KINDS:
        values = data.get(kind.key)
        if isinstance(values, list):
            items = [sdk_item(Item(kind, i, v)) for i, v in enumerate(values) if isinstance(v, dict)]
            if items:
                payload[kind.sdk_key] = items
    return payload


def dumps_sdk(data: dict[str, Any]) -> str:
    """The payload as indented strict JSON text (see :func:`write_sdk`)."""
    buffer = io.StringIO()
    write_sdk(data, buffer)
    return buffer.getvalue()


@collector_paused()
def write_sdk(data: dict[str, Any], out: IO[str]) -> None:
    """Stream the payload to ``out`` as ``json.dumps(payload, indent=2)`` writes it, a chunk of items at a time.

    Raises NonFiniteNumber rather than write NaN or Infinity. Non-ASCII is written as it is unless a
    lone surrogate (which UTF-8 cannot carry) is anywhere in the payload: then, as json.dumps with
    ``ensure_ascii``, every character past ASCII is escaped. Text is written as soon as it is known
    to be the same either way (ASCII, the usual manifest); from the first other character on it is
    held until the end tells which. The payload itself is never built whole.
    """
    sink = _Sink(out)
    writer = IndentedWriter(ensure_ascii=False)
    sink.write("{")
    chunk: list[str] = []
    number, size = -1, 0
    for number, (kind, values) in enumerate(_sdk_kinds(data)):
        chunk.append(("," if number else "") + "\n  " + writer.string(kind.sdk_key) + ": [")
        separator = "\n    "
        start = 0
        while start < len(values):
            first = values[start]
            fields = len(first) if isinstance(first, dict) else 1
            run = values[start : start + max(1, min(_RUN_ITEMS, _RUN_FIELDS // max(1, fields)))]
            start += len(run)
            texts = _run_texts(kind, run, writer)
            if texts is None:
                texts = _item_texts(kind, run, start - len(run), writer, data)
            if not texts:
                continue
            text = separator + _ITEM_SEPARATOR.join(texts)
            separator = _ITEM_SEPARATOR
            chunk.append(text)
            size += len(text)
            if size >= _CHUNK_CHARS:
                sink.write("".join(chunk))
                chunk.clear()
                size = 0
        chunk.append("\n  ]")
    chunk.append("\n}\n" if number >= 0 else "}\n")
    sink.write("".join(chunk))
    sink.close()


_RUN_ITEMS = 2048
_RUN_FIELDS = 1 << 14
"""Items written as one run, at most, and about as many fields (from its first item's): a run of one
shape is built column by column (see :func:`_run_texts`), so its text is held at once, and a run of
1,000-frame groups must stay small beside the payload."""
_ITEM_SEPARATOR = ",\n    "


def _item_texts(kind: Kind, run: list[Any], start: int, writer: IndentedWriter, data: dict[str, Any]) -> list[str]:
    """The text of each object of ``run`` (at ``start`` in its array), one item at a time."""
    texts: list[str] = []
    for index, value in enumerate(run, start):
        if type(value) is not dict and not isinstance(value, dict):
            continue
        try:
            texts.append(_item_text(Item(kind, index, value), writer))
        except Unusual:  # what json.dumps has rules of its own for: it writes the item
            texts.append(_dumps_item(sdk_item(Item(kind, index, value))))
        except ValueError as error:
            raise NonFiniteNumber(non_finite_pointer(sdk_payload(data))) from error
    return texts


def _run_texts(kind: Kind, run: list[Any], writer: IndentedWriter) -> list[str] | None:
    """:func:`_item_text` of each item of a run of plain dicts of one shape whose members are strings, nulls
    or flat objects, built a member (a column) at a time (:mod:`manifest_tools.writers.columns`); None for
    any other run."""
    if kind.scene or not run or set(map(type, run)) != _DICT:
        return None
    keys = run_shape(run)
    if keys is None:
        return None
    try:
        found = _run_members(kind, run, keys, writer)
    except (ValueError, RecursionError):  # NaN or infinity: the item-by-item path says where
        return None
    if found is None:
        return None
    return list(columns.texts(columns.object_parts(found, _ITEM_LAYOUT), len(run)))


def _run_members(kind: Kind, run: list[Any], keys: tuple[str, ...], writer: IndentedWriter) -> columns.Members | None:
    """The members of the items of ``run`` (plain dicts with ``keys``) as :func:`_item_text` writes them."""
    found: list[tuple[str, columns.Parts | None]] = []
    encode = writer.leaf_encoder(3)
    if kind.multi_file:
        found.append(('"title": ', _scalar_parts(run, TITLE, keys, encode)))
        if kind is not DICOM_SERIES:
            flags = list(map(itemgetter(CREATE_VIDEO), run)) if CREATE_VIDEO in keys else []
            found.append(
                ('"createVideo": ', [["true" if flag is True else "false" for flag in flags]] if flags else ["false"])
            )
        found.append((writer.string(kind.sdk_files_key) + ": ", _file_parts(kind, run, encode)))
    else:
        if OBJECT_URL not in keys:
            return None
        found.append(('"objectUrl": ', _scalar_parts(run, OBJECT_URL, keys, encode)))
        if TITLE in keys:
            found.append(('"title": ', _scalar_parts(run, TITLE, keys, encode)))
        block = kind.metadata
        if block is not None and block.key in keys:
            blocks = _dict_column(run, block.key)
            if blocks is None:
                return None
            if blocks:
                found.append((writer.string(block.key) + ": ", _block_parts(blocks, block, writer)))
    if CLIENT_METADATA in keys:
        client = _dict_column(run, CLIENT_METADATA)
        if client is None:
            return None
        if client:
            found.append(('"clientMetadata": ', _block_parts(client, None, writer)))
    members: columns.Members = []
    for name, parts in found:
        if parts is None:
            return None
        members.append((name, parts))
    return members


def _scalar_parts(run: list[dict[str, Any]], name: str, keys: tuple[str, ...], encode: Any) -> columns.Parts | None:
    """The JSON text of ``fields.get(name)`` of each item when all are strings or all null, else None."""
    if name not in keys:
        return ["null"]
    column = list(map(itemgetter(name), run))
    types = set(map(type, column))
    if types != _STR and types != _NONE:
        return None
    return columns.value_parts(column, encode, flat=True)


def _block_parts(
    blocks: list[dict[str, Any]], block: MetadataBlock | None, writer: IndentedWriter
) -> columns.Parts | None:
    """Each block (``canonical_metadata`` of it, for a metadata ``block``), non-empty with string keys and
    scalar values, as written at depth 3; else None. A run of blocks of one shape is written a column at a
    time, any other with one C-encoder pass per block (:func:`_dict_texts`)."""
    keys = run_shape(blocks)
    if not keys:
        if keys is not None:  # empty blocks
            return None
        texts = _dict_texts(canonical_metadata_run(block, blocks) if block is not None else blocks, writer)
        return None if texts is None else [texts]
    plan = metadata_plan(block, keys) if block is not None else ()
    sources, names = (tuple(s for s, _ in plan), tuple(t for _, t in plan)) if plan else (keys, keys)
    found = columns.members(blocks, sources, writer.leaf_encoder(3), names=names, flat=True)
    return None if found is None else columns.object_parts(found, _BLOCK_LAYOUT)


def _dict_column(run: list[dict[str, Any]], name: str) -> list[dict[str, Any]] | None:
    """Each item's ``name`` when all are plain dicts, [] when none is a dict (the member is left out), else None."""
    column = list(map(itemgetter(name), run))
    types = set(map(type, column))
    if types == _DICT:
        return column
    if any(issubclass(found, dict) for found in types):
        return None
    return []


_DICT_OPEN = "\n        "
_DICT_CLOSE = "\n      "
"""Inside an object at the items' members' depth (3), as json.dumps(indent=2) lays it out."""
_BLOCK_LAYOUT = ("{" + _DICT_OPEN, "," + _DICT_OPEN, _DICT_CLOSE + "}")


def _dict_texts(blocks: list[dict[str, Any]], writer: IndentedWriter) -> list[str] | None:
    """Each block, non-empty with string keys and scalar values, as written at depth 3; else None.

    One C-encoder pass per block with depth 3's separators, then every brace is laid out by one
    replace over the joined texts: encoded JSON holds no raw NUL, so ``}\\x00{`` is only a seam.
    """
    if not all(blocks) or set(map(type, chain.from_iterable(blocks))) != _STR:
        return None
    if not SCALARS.issuperset(set(map(type, chain.from_iterable(map(dict.values, blocks))))):
        return None
    try:
        texts = list(map("".join, map(writer.leaf_encoder(3), blocks, repeat(0))))
    except ValueError:  # NaN or infinity: the item-by-item path says where
        return None
    joined = "\x00".join(texts).replace("}\x00{", _DICT_CLOSE + "}\x00{" + _DICT_OPEN)
    return ("{" + _DICT_OPEN + joined[1:-1] + _DICT_CLOSE + "}").split("\x00")


def _file_parts(kind: Kind, run: list[dict[str, Any]], encode: Any) -> columns.Parts | None:
    """The files member's array (a group's frames, a series' files) of each item when every URL is a scalar
    (json.dumps writes a number or null where a URL is one): the URLs encoded at once, then each item's
    joined around them."""
    names = [name for name, _ in Item(kind, 0, run[0]).url_fields()]  # the same for every item of the run
    if not names:
        return ["[]"]
    getter = itemgetter(*names)
    urls = list(map(getter, run)) if len(names) == 1 else list(chain.from_iterable(map(getter, run)))
    found = columns.scalar_texts(urls, encode)
    if found is None:
        return None
    quote, texts = found
    close = ',\n          "title": null' + _FILE_CLOSE if kind is DICOM_SERIES else _FILE_CLOSE
    record = '{\n          "url": '
    if len(names) > 1:  # an item's URLs joined: a tuple of them per item
        texts = list(
            map((quote + close + ",\n        " + record + quote).join, zip(*[iter(texts)] * len(names), strict=True))
        )
    return ["[\n        " + record + quote, texts, quote + close + "\n      ]"]


_DICT = {dict}
_STR = {str}
_NONE = {type(None)}


_MEMBER = "\n      "
"""Before a member of an item (the payload's items are at depth 2)."""
_CLOSE = "\n    }"
_ITEM_LAYOUT = ("{" + _MEMBER, "," + _MEMBER, _CLOSE)
_FILE_CLOSE = "\n        }"


def _item_text(item: Item, writer: IndentedWriter) -> str:
    """``sdk_item(item)`` as json.dumps(indent=2) writes it at depth 2, without building that dict for the
    usual single-file item or group; raises Unusual where json.dumps's own rules apply."""
    kind, fields = item.kind, item.fields
    if kind.scene:
        pieces: list[str] = []
        writer.write(sdk_item(item), 2, pieces)
        return "".join(pieces)
    string = writer.string
    members: list[str]
    if kind.multi_file:
        urls = [url for _, url in item.url_fields()]
        members = ['"title": ' + _value_text(fields.get(TITLE), writer, 3)]
        if kind is not DICOM_SERIES:
            members.append('"createVideo": ' + ("true" if fields.get(CREATE_VIDEO) is True else "false"))
        head = string(kind.sdk_files_key) + ": "
        if not urls:
            members.append(head + "[]")
        elif _STRINGS.issuperset(map(type, urls)):
            record = "{\n          " + '"url": '
            close = ',\n          "title": null' + _FILE_CLOSE if kind is DICOM_SERIES else _FILE_CLOSE
            files = [record + string(url) + close for url in urls]
            members.append(head + "[\n        " + ",\n        ".join(files) + "\n      ]")
        else:  # URLs that are not strings: written as sdk_item has them
            records = [{"url": url, "title": None} if kind is DICOM_SERIES else {"url": url} for url in urls]
            members.append(head + _value_text(records, writer, 3))
    else:
        members = ['"objectUrl": ' + _value_text(fields.get(OBJECT_URL), writer, 3)]
        if TITLE in fields:
            members.append('"title": ' + _value_text(fields[TITLE], writer, 3))
        block = kind.metadata
        if block is not None and isinstance(metadata := fields.get(block.key), dict):
            members.append(string(block.key) + ": " + _value_text(canonical_metadata(block, metadata), writer, 3))
    client = fields.get(CLIENT_METADATA)
    if isinstance(client, dict):
        members.append('"clientMetadata": ' + _value_text(client, writer, 3))
    return "{" + _MEMBER + ("," + _MEMBER).join(members) + _CLOSE


def _value_text(value: Any, writer: IndentedWriter, depth: int) -> str:
    if type(value) is str:
        return writer.string(value)
    pieces: list[str] = []
    writer.write(value, depth, pieces)
    return "".join(pieces)


_STRINGS = frozenset({str})


def _sdk_kinds(data: dict[str, Any]) -> Iterator[tuple[Kind, list[Any]]]:
    """Each kind with items (objects) in ``data``, as :func:`sdk_payload` orders them."""
    for kind in KINDS:
        values = data.get(kind.key)
        if isinstance(values, list) and any(isinstance(v, dict) for v in values):
            yield kind, values


_CHUNK_CHARS = 1 << 20
"""Characters of text gathered before a write: enough to make writes few, little next to the payload."""


def _dumps_item(value: Any) -> str:
    """One item as json.dumps writes it at the payload's item depth (JSON strings hold no raw newline)."""
    try:
        text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError as error:
        raise NonFiniteNumber(non_finite_pointer(value)) from error
    return text.replace("\n", "\n    ")


class _Sink:
    """Writes text on, switching to json.dumps's ``ensure_ascii`` form if a lone surrogate turns up."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._held: list[str] | None = None
        self._escaping = False

    def write(self, text: str) -> None:
        if self._escaping:
            self._out.write(ascii_escaped(text))
        elif not text.isascii() and SURROGATE.search(text):
            self._escaping = True
            if self._held:
                self._out.write(ascii_escaped("".join(self._held)))
            self._held = None
            self._out.write(ascii_escaped(text))
        elif self._held is not None:
            self._held.append(text)
        elif text.isascii() and "\x7f" not in text:
            self._out.write(text)  # the same in both forms
        else:
            self._held = [text]

    def close(self) -> None:
        if self._held:
            self._out.write("".join(self._held))
        self._held = None


def ascii_escaped(text: str) -> str:
    """JSON text written without ``ensure_ascii``, as json.dumps writes it with ``ensure_ascii``.

    Outside strings JSON text is ASCII; inside them the two forms differ only in the characters from
    DEL (U+007F) on, which ``ensure_ascii`` writes as ``\\uXXXX`` escapes (pairs past U+FFFF).
    """
    return _PAST_ASCII.sub(_escape, text)


_PAST_ASCII = re.compile("[\x7f-\U0010ffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"
