"""Manifest text never reaches the output raw: every rule's message, over every rule case with hostile text
injected into its keys and values, is free of control characters, bidirectional overrides, line separators
and lone surrogates, so each diagnostic stays one line in every output format (a newline in a title must not
start a line that GitHub Actions reads as a workflow command, nor ESC drive the terminal)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import manifest_tools
from manifest_tools.redact import escape_unsafe, for_message
from manifest_tools.report.formatters import FORMATTERS, TextStyle, render

CASES = Path(__file__).parents[1] / "rules" / "cases"
HOSTILE_JSON = (
    "\\n::error title=injected::pwned\\r\\u001b[2J\\u0007\\u0000\\u007f\\u0085\\u202e\\u2066\\u2028\\ud800"
    "\\u200e\\u200f\\u061c\\ufeff"
)
"""JSON escapes of a newline starting a workflow command, CR, ESC, BEL, NUL, DEL, a C1 control, a bidi override
and isolate, a line separator, a lone surrogate, the bidi marks and U+FEFF."""
HOSTILE_CSV = "\x1b[2J\x07\x7f\x85\u202e\u2066\u2028\u200e\u200f\u061c\ufeff"
_STRING = r'"((?:[^"\\\n]|\\.)*)"'
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def _variants(text: str) -> Iterator[str]:
    """The case's text with the hostile text at the end of every key, of every value, and before every value's
    last dot (a title keeps its extension, a URL its file type)."""
    yield re.sub(_STRING + r"(?=\s*:)", lambda m: f'"{m[1]}{HOSTILE_JSON}"', text)
    yield re.sub(_STRING + r"(?!\s*:)", lambda m: f'"{m[1]}{HOSTILE_JSON}"', text)
    yield re.sub(r'(?<=[^"])\.(\w+)"(?!\s*:)', lambda m: f'{HOSTILE_JSON}.{m[1]}"', text)


def _hostile_inputs() -> Iterator[Any]:
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            text = case.get("input")
            if not isinstance(text, str):
                continue
            fmt = case.get("format", "json")
            variants = list(_variants(text)) if fmt == "json" else [text.replace(",", HOSTILE_CSV + ",")]
            for number, variant in enumerate(variants):
                yield pytest.param(variant, fmt, id=f"{path.stem}::{case['name']}::{number}")


@pytest.mark.parametrize(("text", "fmt"), list(_hostile_inputs()))
def test_no_message_carries_manifest_text_raw(text: str, fmt: str) -> None:
    report = list(manifest_tools.lint(text.encode("utf-8", "surrogatepass"), format=fmt, name=f"case.{fmt}"))
    for d in report:
        assert not UNSAFE.search(d.message), f"{d.code}: {d.message!r}"


def test_the_hostile_text_reaches_messages() -> None:
    """The test above is no test unless hostile keys and titles are quoted (escaped) in some message."""
    text = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}], "x": 1}'
    messages = [d.message for variant in _variants(text) for d in manifest_tools.lint(variant.encode(), format="json")]
    escaped = "\\n::error title=injected::pwned\\r\\x1b[2J\\x07\\x00\\x7f\\x85\\u202e"
    assert any(escaped in m for m in messages), messages


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb\r\tc", "a\\nb\\r\\tc"),
        ("\x00\x1b\x7f\x85\x9f", "\\x00\\x1b\\x7f\\x85\\x9f"),
        ("\u202a\u202e\u2066\u2069\u2028\u2029", "\\u202a\\u202e\\u2066\\u2069\\u2028\\u2029"),
        ("\ud800 \udfff", "\\ud800 \\udfff"),
        ("a\u200eb\u200fc\u061cd\ufeffe", "a\\u200eb\\u200fc\\u061cd\\ufeffe"),
        ("caf\u00e9 \u00a0 \u65e5 \U0001f600", "caf\u00e9 \u00a0 \u65e5 \U0001f600"),  # printable text stays
    ],
)
def test_escaping_is_reprs(text: str, shown: str) -> None:
    assert escape_unsafe(text) == shown == for_message(text)
    assert shown == repr(text)[1:-1] or not text.isascii()


def test_every_output_format_keeps_a_diagnostic_on_its_line() -> None:
    """A title that would start a workflow command and a key with ESC: one line (text, grouped, github) or
    well-formed data (json, sarif, gitlab, junit) with no raw control character in any format."""
    text = (
        '{"videos": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/v.mp4", '
        '"title": "x\\n::error title=injected::pwned"}], "imag\\u001b[31mes\\nX": []}'
    )
    report = manifest_tools.lint(text.encode(), format="json", name="m.json")
    assert [d.code for d in report.diagnostics] == ["MT216", "MT202"]
    for fmt in FORMATTERS:
        shown = render(report, fmt, TextStyle())
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f]", shown), fmt
        assert not re.search(r"(?m)^::error title=injected", shown), fmt
