"""Reports for CI dashboards other than GitHub's: GitLab code quality and JUnit XML.

Paths are relative to the repository root of the files checked (else the working folder), from whichever
folder the job ran in, as in SARIF.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache, partial
from json.encoder import encode_basestring as escape  # the C escaper json_text (and json.dumps) use
from pathlib import Path
from xml.etree import ElementTree

from manifest_tools.report import json_text
from manifest_tools.report.diagnostic import Diagnostic, Severity
from manifest_tools.report.paths import program_path, repository_root, shown_path
from manifest_tools.report.report import Report, Unreadable

GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}
"""GitLab's scale is info, minor, major, critical, blocker: errors rank above warnings in the merge request."""


def _unique_fingerprints(diagnostics: list[Diagnostic], path_of: Callable[[str], str]) -> list[str]:
    """One fingerprint per diagnostic, stable across runs: GitLab shows only the first issue of a fingerprint,
    so two findings sharing one (the same rule on the same field) are numbered."""
    seen: dict[str, int] = {}
    sha256 = hashlib.sha256
    fingerprints: list[str] = []
    append = fingerprints.append
    for d in diagnostics:
        base = d.fingerprint or f"{d.code}:{path_of(d.path)}:{d.line}:{d.column}"
        seen[base] = count = seen.get(base, 0) + 1
        append(sha256(f"{base}#{count}".encode()).hexdigest())
    return fingerprints


def format_gitlab(report: Report, style: object) -> str:
    """A GitLab code quality report (artifacts:reports:codequality): a JSON array of issues."""
    return gitlab_parts(report, style).text()


def gitlab_parts(report: Report, style: object) -> json_text.Spliced:
    """:func:`format_gitlab`'s text, its issues kept apart (see ``json_text.Spliced``)."""
    root = repository_root(report)
    path_of = cache(partial(program_path, root=root))  # resolving is a system call: once per file
    unreadable = json_text.dumps([_gitlab_unreadable(u, root) for u in report.unreadable])
    if not report.diagnostics:
        return json_text.splice(unreadable, "", [], "", "", "")
    issues = _gitlab_issues(report.diagnostics, _unique_fingerprints(report.diagnostics, path_of), path_of)
    if unreadable == "[]":
        return json_text.splice(unreadable, "[]", issues, "[\n  ", ",\n  ", "\n]")
    return json_text.splice(unreadable, "[\n  ", issues, "[\n  ", ",\n  ", ",\n  ")  # the issues go first


def _gitlab_issues(diagnostics: list[Diagnostic], fingerprints: list[str], path_of: Callable[[str], str]) -> list[str]:
    """``json_text`` of each diagnostic's issue dict (type, check_name, description, severity, fingerprint,
    location with path and lines) in the array (indented two spaces),
    from a template: what repeats (a rule's head, a description, a file) escaped once; the same text (the tests
    compare), several times faster than building and walking three dicts per finding."""
    heads: dict[tuple[str, str, Severity], str] = {}
    paths: dict[str, str] = {}
    issues: list[str] = []
    append = issues.append
    for d, fingerprint in zip(diagnostics, fingerprints, strict=True):
        head = heads.get((d.code, d.message, d.severity))
        if head is None:
            head = heads[d.code, d.message, d.severity] = (
                f'{{\n    "type": "issue",\n    "check_name": {escape(d.code)},\n'
                f'    "description": {escape(f"{d.code} {d.message}")},\n'
                f'    "severity": {escape(GITLAB_SEVERITY[d.severity])},\n    "fingerprint": '
            )
        path = paths.get(d.path)
        if path is None:
            path = paths[d.path] = (
                f',\n    "location": {{\n      "path": {escape(path_of(d.path))},\n      "lines": {{\n'
            )
        line = d.line
        end = d.end_line
        append(
            f'{head}{escape(fingerprint)}{path}        "begin": {line},\n'
            f'        "end": {line if end is None or end < line else end}\n      }}\n    }}\n  }}'
        )
    return issues


def _gitlab_unreadable(unreadable: Unreadable, root: Path) -> dict[str, object]:
    """A path that could not be checked: a blocker, so the merge request cannot read as clean."""
    path = program_path(unreadable.path, root) if unreadable.path else "."
    return {
        "type": "issue",
        "check_name": "unreadable",
        "description": f"could not be checked: {unreadable.reason}",
        "severity": "blocker",
        "fingerprint": hashlib.sha256(f"unreadable:{path}:{unreadable.reason}".encode()).hexdigest(),
        "location": {"path": path, "lines": {"begin": 1}},
    }


def format_junit(report: Report, style: object) -> str:
    """JUnit XML: a test suite per file, a failing test case per diagnostic (its ``type`` is the severity),
    one passing case for a clean file, an erroring one for a path that could not be checked."""
    root = repository_root(report)
    suites = ElementTree.Element("testsuites", name="manifest-tools")
    for path, diagnostics in report.by_file().items():
        relative = shown_path(path, root)
        suite = _suite(suites, relative)
        for d in diagnostics:
            case = _case(suite, f"{d.code} line {d.line}, column {d.column}")
            failure = ElementTree.SubElement(case, "failure", message=d.message, type=d.severity.value)
            failure.text = f"{relative}:{d.line}:{d.column}: {d.code} {d.message}"
        if not diagnostics:
            _case(suite, "no problems found")
    for u in report.unreadable:
        name = shown_path(u.path, root) if u.path else "manifest-tools"
        error = ElementTree.SubElement(_case(_suite(suites, name), "could not be checked"), "error", message=u.reason)
        error.text = f"{name}: {u.reason}" if u.path else u.reason
    for element in (suites, *suites.iter("testsuite")):
        _count(element)
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True)


def _suite(parent: ElementTree.Element, name: str) -> ElementTree.Element:
    return ElementTree.SubElement(parent, "testsuite", name=name)


def _case(suite: ElementTree.Element, name: str) -> ElementTree.Element:
    return ElementTree.SubElement(suite, "testcase", name=name, classname=suite.get("name", ""))


def _count(element: ElementTree.Element) -> None:
    """The tests / failures / errors attributes dashboards read."""
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    element.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
