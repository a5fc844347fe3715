"""A manifest saved under the other format's extension is said to look like that format, once.

A CSV saved as .json got "MT105 unquoted text 'ObjectUrl' where a value belongs: a placeholder left from a
template?" and MT113; a JSON export saved as .csv got "MT702 data before the first header row". Neither
said what the file is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main

URL = "https://b.s3.eu-west-2.amazonaws.com"
CSV_TEXT = f"ObjectUrl,Image title\n{URL}/a.jpg,a.jpg\n"
JSON_TEXT = f'{{"images": [{{"objectUrl": "{URL}/a.jpg"}}]}}\n'

CASES = [  # name, text, the one finding
    ("csv.json", CSV_TEXT, "MT201", "this looks like a CSV manifest (its first line is the header row"),
    ("quoted.json", '"objecturl","Video title"\r\n' + f"{URL}/v.mp4,v\r\n", "MT201", "looks like a CSV"),
    ("alone.json", "ObjectUrl\n" + f"{URL}/v.mp4\n", "MT201", "looks like a CSV manifest"),
    ("json.csv", JSON_TEXT, "MT702", "data before the first header row: this looks like a JSON manifest"),
    ("indented.csv", '\n  {\n  "videos": []\n}\n', "MT702", "this looks like a JSON manifest (it starts with '{')"),
    ("array.csv", "[1, 2]\n", "MT702", "this looks like a JSON manifest (it starts with '[')"),
]


@pytest.mark.parametrize(("name", "text", "code", "message"), CASES, ids=[case[0] for case in CASES])
def test_a_manifest_under_the_other_formats_extension_is_named_so(
    tmp_path: Path, name: str, text: str, code: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    report = manifest_tools.lint(path)
    line = 2 if text.startswith("\n") else 1  # the first line that is not blank
    assert [(d.code, d.line, d.column) for d in report] == [(code, line, 1)]
    assert message in report.diagnostics[0].message
    assert "placeholder" not in report.diagnostics[0].message
    other = ".csv" if name.endswith(".json") else ".json"
    assert report.diagnostics[0].message.endswith(f"rename it {other}, or read it as {other[1:].upper()}")
    renamed = path.with_suffix(other)
    renamed.write_text(text, encoding="utf-8", newline="")
    if name in ("csv.json", "json.csv"):
        assert manifest_tools.lint(renamed).diagnostics == []  # what the sentence says to do works
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 1 and message in result.stdout


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("plain.json", "images: []\n", "unquoted text 'images'"),  # not a CSV header: the parser's own finding
        ("rows.csv", f"{URL}/a.jpg,a\nObjectUrl,Image title\n", "a CSV manifest starts with a header"),
    ],
)
def test_other_text_keeps_its_own_finding(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    messages = [d.message for d in manifest_tools.lint(path)]
    assert any(message in found for found in messages), messages
    assert not any("looks like" in found for found in messages), messages


@pytest.mark.parametrize(
    ("name", "text", "forced"),
    [("e.csv", CSV_TEXT, "json"), ("E.CSV", CSV_TEXT, "json"), ("e.json", JSON_TEXT, "csv")],
)
def test_a_file_named_for_its_format_but_read_as_the_other_is_not_told_to_rename(
    tmp_path: Path, name: str, text: str, forced: str
) -> None:
    """``lint --format json e.csv`` said "rename it .csv" of a file named .csv: the name is right, the forced
    format is not."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    real = "CSV" if forced == "json" else "JSON"
    result = CliRunner().invoke(main, ["lint", "--format", forced, str(path)])
    assert result.exit_code == 1 and "rename it" not in result.stdout, result.stdout
    assert f"read it as {real}, as its name says" in result.stdout, result.stdout
