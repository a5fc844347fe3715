"""format_sarif and format_json write each result or record themselves: the text must be json.dumps' of the
document the dicts make (sarif_document, diagnostic_record), byte for byte."""

from __future__ import annotations

import dataclasses
import json

import pytest

import manifest_tools
from manifest_tools.report.formatters import TextStyle, diagnostic_record, format_json
from manifest_tools.report.report import Report
from manifest_tools.report.sarif import format_sarif, sarif_document
from manifest_tools.rules.engine import fingerprints

TEXT = (
    b'{"images": [{"objectUrl": "http://b.s3.amazonaws.com/a b.jpg", "title": " x\\u00e9 "},'
    b' {"objectUrl": "gs://b/c.jpg", "imageMetadata": {"fileSize": -1}}], "videos": 3}'
)


def _reports() -> list[Report]:
    report = manifest_tools.lint(TEXT, format="json", name="dir/m é.json", select=["ALL"])
    with fingerprints(False):
        unhashed = manifest_tools.lint(TEXT, format="json", name="m.json")
    first = report.diagnostics[0]
    odd = [
        dataclasses.replace(first, pointer="", end_line=None, end_column=None),
        dataclasses.replace(first, message='quote " back\\slash \n new line \x01 é 🎬', end_column=0),
        dataclasses.replace(first, path="other/ü.json", pointer="/a~1b/0", fingerprint=""),
        dataclasses.replace(first, fix="unsafe", name='q"uote', message="", end_line=None),
    ]
    broken = manifest_tools.lint(b'{"images": [,]}', format="json", name="broken.json")
    return [report, unhashed, dataclasses.replace(report, diagnostics=odd), broken, Report()]


@pytest.mark.parametrize("report", _reports())
def test_sarif_text_is_json_dumps_of_the_document(report: Report) -> None:
    expected = json.dumps(sarif_document(report), indent=2, ensure_ascii=False)
    assert format_sarif(report, None) == expected


@pytest.mark.parametrize("report", _reports())
def test_json_text_is_json_dumps_of_the_records(report: Report) -> None:
    expected = json.loads(format_json(report, TextStyle()))  # the summary and the rest, as format_json makes them
    expected["diagnostics"] = [diagnostic_record(d) for d in report.diagnostics]
    assert format_json(report, TextStyle()) == json.dumps(expected, indent=2, ensure_ascii=False)
