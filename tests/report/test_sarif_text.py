"""format_sarif, format_json and format_gitlab write each result, record or issue themselves: the text must be
json.dumps' of the document the dicts make (sarif_document, diagnostic_record, the GitLab issues), byte for byte."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from functools import partial

import pytest

import manifest_tools
from manifest_tools.report import json_text
from manifest_tools.report.ci import _gitlab_unreadable, format_gitlab
from manifest_tools.report.diagnostic import Severity
from manifest_tools.report.formatters import TextStyle, diagnostic_record, format_json, render, render_chunks
from manifest_tools.report.paths import relative_path, repository_root
from manifest_tools.report.report import Report, Unreadable
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


def _gitlab_issues(report: Report) -> list[dict[str, object]]:
    """The GitLab code quality document as dicts (the formula format_gitlab writes from a template)."""
    root = repository_root(report)
    path_of = partial(relative_path, root=root)
    seen: Counter[str] = Counter()
    issues: list[dict[str, object]] = []
    for d in report.diagnostics:
        base = d.fingerprint or f"{d.code}:{path_of(d.path)}:{d.line}:{d.column}"
        seen[base] += 1
        issues.append(
            {
                "type": "issue",
                "check_name": d.code,
                "description": f"{d.code} {d.message}",
                "severity": {Severity.ERROR: "major", Severity.WARNING: "minor"}[d.severity],
                "fingerprint": hashlib.sha256(f"{base}#{seen[base]}".encode()).hexdigest(),
                "location": {
                    "path": path_of(d.path),
                    "lines": {"begin": d.line, "end": max(d.line, d.end_line or d.line)},
                },
            }
        )
    return issues + [_gitlab_unreadable(u, root) for u in report.unreadable]


def _with_unreadable(report: Report) -> Report:
    return dataclasses.replace(report, unreadable=[Unreadable("gone.json", 'no such file "x"'), Unreadable("", "é")])


@pytest.mark.parametrize("report", [*_reports(), *map(_with_unreadable, _reports())])
def test_gitlab_text_is_json_dumps_of_the_issues(report: Report) -> None:
    assert format_gitlab(report, None) == json.dumps(_gitlab_issues(report), indent=2, ensure_ascii=False)


@pytest.mark.parametrize("output_format", ["json", "sarif", "gitlab", "text"])
@pytest.mark.parametrize("report", [*_reports(), _with_unreadable(_reports()[0])])
def test_the_chunks_a_writer_gets_make_the_text(report: Report, output_format: str) -> None:
    chunks = list(render_chunks(report, output_format, TextStyle()))
    assert "".join(chunks) == render(report, output_format, TextStyle())


@pytest.mark.parametrize("size", [1, 2, 3, 100])
@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_spliced_chunks_of_any_size_join_to_its_text(size: int, count: int) -> None:
    items = [f'{{"n": {n}}}' for n in range(count)]
    spliced = json_text.splice('{"a": [], "b": []}', "[]", list(items), "[\n", ",\n", "\n]")
    assert (
        "".join(spliced.chunks(size))
        == spliced.text()
        == json.dumps({"a": [], "b": []}).replace("[]", "[\n" + ",\n".join(items) + "\n]" if items else "[]", 1)
    )


@pytest.mark.parametrize("count", [1, 2, 5])
def test_a_spliced_document_reads_the_same_however_often_it_is_read(count: int) -> None:
    """text() joined the opening and closing into its items: a second text() or chunks() repeated them."""
    spliced = json_text.splice('{"a": []}', "[]", [f'{{"n": {n}}}' for n in range(count)], "[\n", ",\n", "\n]")
    first = spliced.text()
    assert spliced.text() == first == "".join(spliced.chunks(2))
