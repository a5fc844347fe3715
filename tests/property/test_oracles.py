"""Differential oracles: our readers and writers against references we did not write.

- the tolerant JSON parser reads what ``json.loads`` reads, wherever both accept;
- the CSV tokenizer splits rows and cells as ``csv.reader`` does;
- every write path (canonical JSON, CSV, the SDK payload) reads back with an independent
  reader (``json.loads``, ``csv.reader``, the SDK's ``DataUploadItems``).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from manifest_tools.readers.csv_rows import LINE_BREAK, iter_rows
from manifest_tools.readers.json_syntax import parse_tolerant
from manifest_tools.writers.csv import csv_rows, dumps_csv
from manifest_tools.writers.json import dumps_json

from .test_roundtrips import manifests

ORACLE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),  # every code point, lone surrogates included
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=25,
)


def _strict_loads(text: str) -> Any:
    """``json.loads`` refusing NaN and Infinity, which the platform refuses too."""

    def refuse(name: str) -> Any:
        raise ValueError(name)

    return json.loads(text, parse_constant=refuse)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: key order aside, and 1 == 1.0 not taken for granted."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@ORACLE
@given(json_values, st.booleans(), st.sampled_from([None, 0, 2]))
def test_tolerant_parser_reads_valid_json_as_json_loads(value: Any, ascii_only: bool, indent: int | None) -> None:
    text = json.dumps({"v": value}, ensure_ascii=ascii_only, indent=indent)
    result = parse_tolerant(text)
    assert result.problems == []
    assert _same(result.value, json.loads(text))


_JSON_PIECES = st.sampled_from(
    ['{"a": ', "[", "]", "}", ", ", '"x"', '"\\ud83c\\udfac"', '"\\ud83c"', '"\\udfac\\ud83c"', '"\\u00e9\\n"',
     "1", "-0", "1.5e3", "1e400", "1E-400", "12345678901234567890", "true", "null", ' "k": ', ":", '"a": 1, "a": 2']
)  # fmt: skip


@ORACLE
@given(st.lists(_JSON_PIECES, max_size=12))
def test_tolerant_parser_agrees_with_json_loads_wherever_both_accept(pieces: list[str]) -> None:
    """Random sequences of JSON pieces: where json.loads reads the text, the tolerant parser reads
    the same value (surrogate escapes, duplicate keys and overflowing numbers included)."""
    text = "".join(pieces)
    try:
        expected = _strict_loads(text)
    except ValueError:
        return
    result = parse_tolerant(text)
    assert _same(result.value, expected) or _overflowed(expected), (text, result.value, expected)
    assert [p.code for p in result.problems if p.code != "MT106"] == []


def _overflowed(value: Any) -> bool:
    """json.loads reads 1e400 as infinity; the tolerant parser too, but reports it (MT106)."""
    return "inf" in repr(value)


_CSV_TEXT = st.text(st.sampled_from(["a", "b", ",", '"', "\n", "\r", " ", "\u00e9", "\x00", "\t"]), max_size=40)


@ORACLE
@given(_CSV_TEXT)
def test_csv_tokenizer_splits_as_csv_reader(text: str) -> None:
    expected = [row or [""] for row in csv.reader(io.StringIO(text, newline=""))]
    found = [[cell.value for cell in row.cells] for row in iter_rows(text, [])]
    assert found == expected


@ORACLE
@given(_CSV_TEXT)
def test_csv_cells_start_where_their_line_and_column_say(text: str) -> None:
    # Rows without a quote take a faster path than quoted ones: both must place cells alike.
    line_starts = [0] + [match.end() for match in LINE_BREAK.finditer(text)]
    for row in iter_rows(text, []):
        for cell in row.cells:
            at = text[line_starts[cell.line - 1] + cell.column - 1 :]
            assert at.startswith('"') or at.startswith(cell.value), (cell, at)


@settings(max_examples=150, deadline=None)
@given(manifests())
def test_canonical_json_reads_back_with_json_loads(data: dict[str, Any]) -> None:
    assert _same(_strict_loads(dumps_json(data)), data)


@settings(max_examples=150, deadline=None)
@given(manifests())
def test_csv_reads_back_with_csv_reader(data: dict[str, Any]) -> None:
    assume(any(data.get(k) for k in ("images", "videos", "image_groups")))
    text = dumps_csv(data)
    assert list(csv.reader(io.StringIO(text, newline=""))) == list(csv_rows(data))


@settings(max_examples=100, deadline=None)
@given(manifests())
def test_sdk_payload_reads_back_with_the_sdk(data: dict[str, Any]) -> None:
    from encord.orm import storage  # the dev extra installs it: a missing SDK fails the run

    from manifest_tools.writers.sdk import dumps_sdk

    payload = _strict_loads(dumps_sdk(data))
    items = storage.DataUploadItems.model_validate(payload)
    assert [i.object_url for i in items.images] == [i["objectUrl"] for i in data.get("images", [])]
    assert [i.title for i in items.videos] == [i.get("title") for i in data.get("videos", [])]
    assert [[f.url for f in g.images] for g in items.image_groups] == [
        [v for k, v in g.items() if k.startswith("objectUrl_")] for g in data.get("image_groups", [])
    ]
