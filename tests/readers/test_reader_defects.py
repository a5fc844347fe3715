"""Regressions of issues 9 and 10 in the readers, the number paths of the rules and the writers.

Each test failed on the code before its fix (commit 92ea0ae); the comment says how.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import sys
import time
from typing import Any

import pytest

import manifest_tools
from manifest_tools import api
from manifest_tools.errors import NotRewritable
from manifest_tools.model import Item, Position
from manifest_tools.providers import encode_key
from manifest_tools.readers import text as text_module
from manifest_tools.readers.csv import CsvLocator
from manifest_tools.readers.csv_rows import Cell, iter_rows
from manifest_tools.readers.json_syntax import MAX_DEPTH, nests_too_deep
from manifest_tools.readers.text import LineIndex
from manifest_tools.writers.csv import dumps_csv
from manifest_tools.writers.json import dumps_json

URL = "https://b.s3.eu-west-2.amazonaws.com"
HUGE = "9" * 5000  # more digits than Python's int() reads (4,300)


def _codes(source: Any, **options: Any) -> list[str]:
    return [d.code for d in manifest_tools.lint(source, **options)]


def _video(client_metadata: str, extra: str = "") -> bytes:
    return f'{{"videos": [{{"objectUrl": "{URL}/v.mp4", "clientMetadata": {client_metadata}{extra}}}]}}'.encode()


# -- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("trailing_comma", ["", ","])
def test_an_integer_past_the_int_string_limit_is_mt106_not_a_valueerror(trailing_comma: str) -> None:
    # Before: ValueError from int() in the tolerant parser (json.loads refuses it, so it always runs).
    report = manifest_tools.lint(_video(f'{{"x": {HUGE}}}', trailing_comma), name="m.json")
    assert [d.code for d in report if d.code != "MT102"] == ["MT106"]
    assert "4,300" in report.diagnostics[0].message


def test_a_malformed_hex_number_too_long_to_print_is_mt106_not_a_valueerror() -> None:
    # Before: int("0x...", 0) made an integer of about 4,800 digits, which no message or writer can print.
    source = _video(f'{{"x": 0x{"f" * 4000}}}')
    assert _codes(source, name="m.json") == ["MT105", "MT106"]
    with pytest.raises(manifest_tools.ManifestToolsError):
        _ = manifest_tools.convert(source, "sdk").text


def test_a_group_key_with_thousands_of_digits_is_malformed_not_a_valueerror() -> None:
    # Before: ValueError from int() in object_url_index.
    text = f'{{"image_groups": [{{"title": "g", "createVideo": false, "objectUrl_{HUGE}": "{URL}/a.jpg"}}]}}'
    assert "MT208" in _codes(text.encode(), name="m.json")


@pytest.mark.parametrize("native", ["0", "1"])
def test_huge_integers_in_metadata_and_limits_rules_do_not_overflow(
    native: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: OverflowError from math.isfinite (metadata) and from total_bytes / 1024**3 (MT808).
    if native == "0":
        monkeypatch.setenv("MANIFEST_TOOLS_NO_NATIVE", "1")
    big = "9" * 400
    block = f'{{"fps": {big}, "duration": 1, "width": 1, "height": 1, "fileSize": {big}}}'
    text = f'{{"videos": [{{"objectUrl": "{URL}/v.mp4", "videoMetadata": {block}}}]}}'
    report = manifest_tools.lint(text.encode(), name="m.json", extend_select=["MT808"])
    assert {"MT501", "MT808"} <= {d.code for d in report}
    assert "GB" in next(d.message for d in report if d.code == "MT808")


def test_mt106_says_what_to_do_about_an_overflow() -> None:
    (diagnostic,) = manifest_tools.lint(_video('{"x": 1e400}'), name="m.json")
    assert diagnostic.code == "MT106" and "write the real value" in diagnostic.message


# -- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "escaped",
    ["\\ud83c\\udfac", "\\uD83C\\uDFAC", "\\ud800", "\\udfac\\ud83c", "\\ud83c\\u0041", "\\ud83c\\ud83c\\udfac"],
)
def test_the_tolerant_parser_decodes_escapes_as_json_loads_does(escaped: str) -> None:
    # Before: a surrogate pair became two characters (json.loads makes one).
    from manifest_tools.readers.json_syntax import parse_tolerant

    strict = json.loads(f'{{"t": "{escaped}"}}')
    assert parse_tolerant(f'{{"t": "{escaped}",}}').value == strict


def test_percent_encoding_a_key_with_a_lone_surrogate_does_not_raise() -> None:
    # Before: UnicodeEncodeError. A folder's undecodable byte (surrogateescape) gets its byte back.
    assert encode_key("caf\udce9.jpg") == "caf%E9.jpg"
    assert encode_key("a\ud800b") == "a%ED%A0%80b"


def test_fix_of_a_url_with_a_lone_surrogate_does_not_raise() -> None:
    # Before: UnicodeEncodeError in the MT309 fixer (found by the fuzzer).
    text = f'{{"images": [{{"objectUrl": "{URL}/caf\u00e9\\ud800.jpg"}}]}}'
    result = manifest_tools.fix(text.encode(), unsafe=True)
    assert result.text is None or "\\ud800" in result.text


# -- placeholders (issue 9) ------------------------------------------------------------------

TEMPLATE = """{"audio": [{"objectUrl": "URL/a.mp3", "audioMetadata": {
  "duration":  file-duration-in-seconds, "file_size": file-size-in-bytes, "mime_type": MIME-type,
  "sample_rate": sample-rate-in-Hz, "codec": "mp3", "bit_depth": 16, "num_channels": 2}}],
 "videos": [{"objectUrl": "URL/v.mp4", "title": my-video-title}]}""".replace("URL", URL)


def test_placeholders_are_asked_to_be_replaced_never_quoted() -> None:
    # Before: 'text values need double quotes ("file-size-in-bytes")'. From the documentation's audio
    # template (../shared/realworld/009-*.json), with a string field and a title added.
    messages = {d.message.split("'")[1]: d.message for d in manifest_tools.lint(TEMPLATE.encode(), name="m.json")}
    assert messages["file-duration-in-seconds"].endswith(
        "Replace it with the real duration, a number written as digits"
    )
    assert messages["file-size-in-bytes"].endswith("the real file_size, a whole number written as digits")
    assert messages["sample-rate-in-Hz"].endswith("the real sample_rate, a whole number written as digits")
    assert messages["MIME-type"].endswith("the real mime_type in double quotes")
    assert "placeholder" in messages["my-video-title"]
    for message in messages.values():
        assert "need double quotes" not in message and '("' not in message


# -- garbage input (issue 9) -----------------------------------------------------------------

VALID = f'{{"images": [{{"objectUrl": "{URL}/a.jpg", "title": "caf\u00e9"}}]}}\n'
VALID_CSV = f"ObjectUrl,Image title,Create video\n{URL}/a.jpg,caf\u00e9,false\n"


@pytest.mark.parametrize("fmt, text", [("json", VALID * 200), ("csv", VALID_CSV * 200)])
@pytest.mark.parametrize(
    "encoding, says",
    [
        ("utf-16", "UTF-16 (little-endian)"),
        ("utf-16-le", "UTF-16 (little-endian)"),
        ("utf-16-be", "UTF-16 (big-endian)"),
        ("utf-32", "UTF-32 (little-endian)"),
        ("utf-32-be", "UTF-32 (big-endian)"),
    ],
)
def test_utf16_and_utf32_get_one_diagnostic_that_names_them(fmt: str, text: str, encoding: str, says: str) -> None:
    # Before: thousands of MT108 and MT101 (a few for UTF-16 without BOM read as UTF-8 with NULs).
    report = manifest_tools.lint(text.encode(encoding), format=fmt)  # type: ignore[arg-type]
    assert [(d.code, d.message) for d in report] == [("MT108", f"this file is {says}: save it as UTF-8")]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_binary_data_gets_one_diagnostic(fmt: str) -> None:
    import random

    data = random.Random(1).randbytes(200_000)
    started = time.perf_counter()
    report = manifest_tools.lint(data, format=fmt)  # type: ignore[arg-type]
    assert time.perf_counter() - started < 5
    assert [d.code for d in report] == ["MT108"]
    assert "not a text file" in report.diagnostics[0].message


@pytest.mark.parametrize("fmt, text", [("json", VALID), ("csv", VALID_CSV)])
def test_latin1_text_is_still_read_and_its_bytes_reported_where_they_are(fmt: str, text: str) -> None:
    report = manifest_tools.lint(text.encode("latin-1"), format=fmt)  # type: ignore[arg-type]
    assert [d.code for d in report] == ["MT108"] and "0xE9" in report.diagnostics[0].message


def test_repeated_syntax_errors_are_capped_with_a_count_of_the_rest() -> None:
    from manifest_tools.readers.repeats import MAX_REPEATS

    # Before: one MT104 per single-quoted string, and one MT108 per byte, without end.
    items = ",".join(f"{{'objectUrl': '{URL}/{i}.jpg'}}" for i in range(1000))
    report = manifest_tools.lint(f'{{"images": [{items}]}}'.encode(), name="m.json")
    quoted = [d for d in report if d.code == "MT104"]
    assert len(quoted) == MAX_REPEATS + 1
    assert quoted[-1].message.startswith(f"... and {2000 - MAX_REPEATS:,} more like this")
    assert quoted[:-1] == sorted(quoted[:-1], key=lambda d: (d.line, d.column))


def test_repeated_invalid_bytes_are_capped_in_csv() -> None:
    from manifest_tools.readers.repeats import MAX_REPEATS

    rows = "".join(f"{URL}/{i}.jpg,caf\u00e9 {i},false\n" for i in range(3000))
    report = manifest_tools.lint(("ObjectUrl,Image title,Create video\n" + rows).encode("latin-1"), format="csv")
    invalid = [d for d in report if d.code == "MT108"]
    assert len(invalid) == MAX_REPEATS + 1 and f"{3000 - MAX_REPEATS:,} more" in invalid[-1].message


# -- CSV -------------------------------------------------------------------------------------


def test_the_csv_tokenizer_is_linear_on_one_column() -> None:
    # Before: each cell searched the rest of the file for a comma: 80,000 one-column rows took
    # about 18 times as long as the same rows with two columns.
    one = "ObjectUrl\n" + "".join(f"{URL}/v{i}.mp4\n" for i in range(80_000))
    two = "ObjectUrl,Video title\n" + "".join(f"{URL}/v{i}.mp4,v\n" for i in range(80_000))
    timings = []
    for text in (one, two):
        started = time.perf_counter()
        assert sum(1 for _ in iter_rows(text, [])) == 80_001
        timings.append(time.perf_counter() - started)
    assert timings[0] < 4 * timings[1] + 0.2, timings


def test_rows_joining_one_big_group_cost_the_same_each() -> None:
    # Before: each row counted its group's URLs so far: 20,000 rows of one group took 17 s, 40,000 took 78 s.
    rows = "".join(f"{URL}/{i}.jpg,G,true\n" for i in range(20_000))
    started = time.perf_counter()
    manifest = api.parse("m.csv", "ObjectUrl,Image group title,Create video\n" + rows)
    assert time.perf_counter() - started < 4
    assert manifest.data is not None and len(manifest.data["image_groups"][0]) == 20_002


@pytest.mark.parametrize("title", ["a\rb", "a\r", "\rb", "a\r\nb", "a\nb", 'say "hi"\r'])
def test_the_csv_writer_quotes_a_bare_cr(title: str) -> None:
    # Before (Python 3.11, 3.12): a bare CR was written unquoted and other readers saw two rows.
    data = {"images": [{"objectUrl": f"{URL}/a.jpg", "title": title}, {"objectUrl": f"{URL}/b.jpg"}]}
    text = dumps_csv(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["ObjectUrl", "Image title"], [f"{URL}/a.jpg", title], [f"{URL}/b.jpg", ""]]
    assert api.parse("back.csv", text).data == {
        "images": [{"objectUrl": f"{URL}/a.jpg", "title": title}, {"objectUrl": f"{URL}/b.jpg"}]
    }


def test_a_bare_cr_ends_a_csv_row_as_in_csv_reader() -> None:
    text = f"ObjectUrl,Video title\r{URL}/a.mp4,A\r{URL}/b.mp4,B\r"
    manifest = api.parse("m.csv", text)
    assert manifest.reader_diagnostics == []
    assert manifest.data == {
        "videos": [{"objectUrl": f"{URL}/a.mp4", "title": "A"}, {"objectUrl": f"{URL}/b.mp4", "title": "B"}]
    }
    assert manifest.locator.locate("/videos/1/title").line == 3


# -- cost per finding ------------------------------------------------------------------------


def test_the_fingerprint_looks_up_a_groups_first_url_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: every finding walked the whole group for its first URL (20,000 http:// frames: 225 s).
    group: dict[str, Any] = {"title": "g", "createVideo": True}
    group.update({f"objectUrl_{i}": f"http://b.s3.eu-west-2.amazonaws.com/{i}.jpg" for i in range(2000)})
    calls = 0
    walk = Item.url_fields

    def counted(item: Item) -> list[tuple[str, Any]]:
        nonlocal calls
        calls += 1
        return walk(item)

    monkeypatch.setattr(Item, "url_fields", counted)
    report = manifest_tools.lint(json.dumps({"image_groups": [group]}).encode(), name="m.json")
    assert len(report.diagnostics) >= 2000
    assert calls < 50, calls


def test_positions_on_a_long_single_line_cost_the_same_as_on_short_lines() -> None:
    # Before: each position searched back to the previous newline: one line of 10 MB, 1,000 findings, minutes.
    text = "x" * 10_000_000
    index = LineIndex(text)
    started = time.perf_counter()
    for offset in range(0, len(text), 2_000):
        assert index.position(offset).column == offset + 1
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("chunk_bits", [20, 10, 2])
def test_line_index_agrees_with_counting_newlines(chunk_bits: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    monkeypatch.setattr(text_module, "_CHUNK_BITS", chunk_bits)  # small chunks: look-ups across many
    rng = random.Random(0)
    text = "".join(rng.choice(["a", "b", "\n", "\r", "\u00e9", "\n\n"]) for _ in range(300_000))
    text += "x" * 5000  # a last line longer than a small chunk
    index = LineIndex(text)
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    edges = [n + d for n in newlines[:50] + newlines[-50:] for d in (-1, 0, 1)]
    for offset in [0, len(text), len(text) - 1, *edges, *(rng.randrange(len(text)) for _ in range(500))]:
        line = text.count("\n", 0, offset) + 1
        column = offset - text.rfind("\n", 0, offset)
        first, again = index.position(offset), index.position(offset)  # a chunk's first look-up, then its split
        assert (first.line, first.column) == (again.line, again.column) == (line, column)


# -- deep nesting ----------------------------------------------------------------------------


def test_the_locator_survives_nesting_deeper_than_the_recursion_limit() -> None:
    # Before: RecursionError in the JSON locator (arrays scanned element by element, recursively).
    text = '{"videos": [' + "[" * 5000 + "]" * 5000 + "]}"
    assert {"MT111", "MT204"} <= set(_codes(text.encode(), name="m.json"))


@contextlib.contextmanager
def _recursion_limit(limit: int) -> Any:
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def test_deep_nesting_is_reported_at_the_documented_depth_whatever_the_recursion_limit() -> None:
    # Before: MT111 only where json.loads raised RecursionError (about 990 levels by default, none
    # at all with a higher limit); 901 to ~990 levels were read as clean.
    for limit in (1000, 20_000):
        with _recursion_limit(limit):
            for depth in (901, 1200):
                text = '{"a": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"
                assert "MT111" in _codes(text.encode(), name="m.json"), (limit, depth)


def _depth(value: Any) -> int:
    """Nesting depth of a parsed value, walked with a stack (the reference for nests_too_deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (list, dict)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


@pytest.mark.parametrize("depth", [899, 900, 901, 902])
@pytest.mark.parametrize(
    "inside",
    ['"plain"', '"[[[{{{"', '"]]]}}}"', '"\\\\"', '"\\"]]"', '"caf\u00e9 ]"', '"café ]"', '"\u00e9 [\\\\\\"["'],
)
def test_nests_too_deep_agrees_with_the_parsed_value(depth: int, inside: str) -> None:
    """Strings with brackets, escaped quotes and backslashes, non-ASCII text: none of it is structure."""
    pairs = (depth - 2) // 2  # the top-level object, pairs of [{, then one or two innermost levels
    text = '{"a": ' + ('[{"k": ' + inside + ', "v": ') * pairs + ("[]" if depth % 2 == 0 else "[[]]")
    text += "}]" * pairs + ', "b": ' + inside + "}"
    with _recursion_limit(20_000):
        expected = _depth(json.loads(text)) > MAX_DEPTH
    assert nests_too_deep(text) == expected
    assert _depth(json.loads(text.replace(inside, '"x"'))) == depth


# -- writers never write a non-finite number -------------------------------------------------


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_writers_refuse_non_finite_numbers(value: float) -> None:
    # Before: ValueError (JSON) and the invalid token Infinity or NaN (--to sdk, convert(..., "sdk")).
    from manifest_tools.errors import NonFiniteNumber, NotRewritable
    from manifest_tools.writers.sdk import dumps_sdk

    data = {"videos": [{"objectUrl": f"{URL}/v.mp4", "clientMetadata": {"deep": [1, {"x": value}]}}]}
    with pytest.raises(NonFiniteNumber) as refused:
        dumps_json(data)
    assert refused.value.pointer == "/videos/0/clientMetadata/deep/1/x"
    with pytest.raises(NonFiniteNumber):
        dumps_sdk(data)
    with pytest.raises(NotRewritable) as blocked:  # the library reads the dict's text: MT106 blocks it first
        _ = manifest_tools.convert(data, "sdk").text
    assert [error.code for error in blocked.value.errors] == ["MT106"]


def test_the_sdk_text_is_strict_json_and_valid_for_the_sdk() -> None:
    from encord.orm import storage  # the dev extra installs it: a missing SDK fails the run

    from manifest_tools.writers.sdk import dumps_sdk

    data = {"videos": [{"objectUrl": f"{URL}/v\ud800.mp4", "title": "t\ud83c\udfac", "clientMetadata": {"n": 1e300}}]}
    text = dumps_sdk(data)
    text.encode("utf-8")
    assert json.loads(text, parse_constant=lambda c: pytest.fail(c))["videos"][0]["clientMetadata"] == {"n": 1e300}
    storage.DataUploadItems.model_validate(json.loads(text))


def test_every_verb_refuses_an_overflowing_number(tmp_path: Any) -> None:
    # Before: lint passed, fix exited 0, convert -o x.json raised, convert --to sdk wrote Infinity.
    from click.testing import CliRunner

    from manifest_tools.cli import main

    source = tmp_path / "m.json"
    source.write_bytes(_video('{"x": 1e400}'))
    runner = CliRunner()
    for args in (
        ["lint", str(source)],
        ["fix", str(source)],
        ["convert", str(source), "-o", str(tmp_path / "out.json")],
        ["convert", str(source), "--to", "sdk", "-o", str(tmp_path / "out.sdk.json")],
    ):
        result = runner.invoke(main, args)
        assert (result.exit_code, result.exception is None or isinstance(result.exception, SystemExit)) == (1, True)
        assert "MT106" in result.output, args
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]
    assert source.read_bytes() == _video('{"x": 1e400}')


def test_the_csv_writer_refuses_a_lone_surrogate_it_cannot_encode() -> None:
    # Before: the text held the surrogate and writing the file raised UnicodeEncodeError (found by
    # the CLI fuzzer: convert --to csv of a JSON title "g\udc001").
    from manifest_tools.errors import UnencodableText

    data = {"image_groups": [{"title": "g\udc00", "createVideo": False, "objectUrl_0": f"{URL}/1.jpg"}]}
    with pytest.raises(UnencodableText) as refused:
        dumps_csv(data)
    assert refused.value.pointer == "/image_groups/0"


def test_converting_a_lone_surrogate_to_csv_is_refused_and_listed(tmp_path: Any) -> None:
    # Before: `convert --to csv` ended in a UnicodeEncodeError traceback (found by the CLI fuzzer).
    from click.testing import CliRunner

    from manifest_tools.cli import main

    source = tmp_path / "m.json"
    source.write_text(f'{{"images": [{{"objectUrl": "{URL}/a\\ud800.jpg"}}, {{"objectUrl": "{URL}/b.jpg"}}]}}')
    result = CliRunner().invoke(main, ["convert", str(source), "--to", "csv", "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1 and (result.exception is None or isinstance(result.exception, SystemExit))
    # lint's MT108 now refuses it first (the platform stores UTF-8 too), with or without --drop-unsupported
    assert "MT108 a lone surrogate \\ud800" in result.output and "not converted" in result.output
    result = CliRunner().invoke(
        main, ["convert", str(source), "--to", "csv", "-o", str(tmp_path / "out.csv"), "--drop-unsupported"]
    )
    assert result.exit_code == 1 and not (tmp_path / "out.csv").exists()
    # so does the library, given a parsed manifest too (the writer's own check: the test above)
    parsed = {"images": [{"objectUrl": f"{URL}/a\ud800.jpg"}, {"objectUrl": f"{URL}/b.jpg"}]}
    with pytest.raises(NotRewritable, match="MT108"):
        manifest_tools.convert(parsed, "csv", drop_unsupported=True)


@pytest.mark.parametrize("to", ["json", "csv", "sdk"])
@pytest.mark.parametrize("value", ["NaN", "1e400", '"x"', "{}"])
def test_convert_of_a_kind_that_is_no_array_does_not_raise_typeerror(to: str, value: str) -> None:
    # Before: TypeError ('float' object is not iterable) in the CSV notes and writer (found by the fuzzer).
    source = f'{{"image_groups": {value}, "images": {value}}}'.encode()
    with contextlib.suppress(manifest_tools.ManifestToolsError):
        _ = manifest_tools.convert(source, to).text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "column", "width"),
    [(1, 1, 1), (3_000_000, 70, 2), (2, (1 << 20) - 1, 5), (2, 1 << 20, 3), (5, 9, 1 << 20), (7, 1 << 21, 1 << 22)],
)
def test_the_csv_locator_keeps_any_line_column_and_width(line: int, column: int, width: int) -> None:
    # Cells are stored packed into one int where they fit: past 2**20 they must not wrap around.
    locator = CsvLocator()
    locator.add("/images/0/title", Cell("x" * width, line, column))
    assert locator.span("/images/0/title") == (Position(line, column), Position(line, column + width))
    assert locator.locate("/images/0/title/deeper") == Position(line, column)


@pytest.mark.parametrize(
    ("title", "columns"),
    [
        ("\ud800.jpg", [83]),  # text a library caller passed can hold the surrogate itself
        ("a\udc00\ud800.jpg", [84, 85]),
        ("\U0001f600.jpg", []),
    ],
)
def test_a_raw_lone_surrogate_in_text_passed_to_lint_is_mt108(title: str, columns: list[int]) -> None:
    text = f'{{"images": [{{"objectUrl": "{URL}/a.jpg", "title": "{title}"}}]}}'
    report = manifest_tools.lint(text, format="json")
    assert [(d.code, d.column) for d in report] == [("MT108", column) for column in columns]
