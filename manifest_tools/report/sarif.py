"""SARIF 2.1.0: one run, the rule catalogue in tool.driver.rules, results with repo-relative URIs.

GitHub code scanning and most CI dashboards read SARIF. Fingerprints come from
the diagnostic (rule, file, the item's first URL, the field), so an alert stays
the same alert when items are reordered.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from json.encoder import encode_basestring as escape  # the C escaper json_text (and json.dumps) use
from pathlib import Path
from typing import Any
from urllib.parse import quote

from manifest_tools import __version__
from manifest_tools.redact import name_bytes
from manifest_tools.report import json_text
from manifest_tools.report.diagnostic import Diagnostic, Severity
from manifest_tools.report.paths import repository_root
from manifest_tools.report.report import Report
from manifest_tools.report.rule_docs import RuleDoc, published

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def _rule(rule: RuleDoc) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": rule.help_text, "markdown": rule.help_markdown},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.enabled},
        "properties": {"fix": rule.fix or "none", "family": rule.family},
    }


def relative_uri(path: str, root: Path) -> str:
    """The file's URI relative to ``root`` (forward slashes); absolute if outside it. Each byte of the name
    that is not an unreserved character is percent-encoded (RFC 3986), so a name that is not UTF-8
    (``caf%E9.json``) or holds a newline names its file exactly."""
    absolute = Path(path).resolve()
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return absolute.as_uri()
    return quote(name_bytes(relative.as_posix()))


def _result(diagnostic: Diagnostic, index: dict[str, int], uri: Callable[[str], str]) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": diagnostic.line, "startColumn": diagnostic.column}
    if diagnostic.end_line is not None and diagnostic.end_column is not None:
        region.update(endLine=diagnostic.end_line, endColumn=max(diagnostic.end_column, 1))
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": uri(diagnostic.path), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
    }
    if diagnostic.pointer:
        location["logicalLocations"] = [{"fullyQualifiedName": diagnostic.pointer, "kind": "member"}]
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": index[diagnostic.code],
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [location],
    }
    if diagnostic.fingerprint:
        result["partialFingerprints"] = {"manifestTools/v1": diagnostic.fingerprint}
    return result


def _invocation(report: Report, root: Path) -> dict[str, Any]:
    """Whether every path was checked; each one that was not is a notification naming it and why."""
    invocation: dict[str, Any] = {"executionSuccessful": not report.unreadable}
    notifications = []
    for u in report.unreadable:
        notification: dict[str, Any] = {"level": "error", "message": {"text": u.reason}}
        if u.path:
            location = {"uri": relative_uri(u.path, root), "uriBaseId": "%SRCROOT%"}
            notification["locations"] = [{"physicalLocation": {"artifactLocation": location}}]
        notifications.append(notification)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def sarif_document(report: Report, root: Path | None = None) -> dict[str, Any]:
    """The SARIF log of ``report``; URIs are relative to ``root`` (by default the repository root of the files
    checked, or the working folder outside a repository); files outside it get absolute file URIs."""
    document, index, uri = _document(report, root)
    document["runs"][0]["results"] = [_result(d, index, uri) for d in report.diagnostics]
    return document


def _document(report: Report, root: Path | None = None) -> tuple[dict[str, Any], dict[str, int], Callable[[str], str]]:
    """The SARIF log without its results, each rule's index, and each path's URI (cached)."""
    base = (root or repository_root(report)).resolve()
    rules = published()
    index = {rule.code: position for position, rule in enumerate(rules)}
    uri = cache(partial(relative_uri, root=base))  # resolving a path is a system call: once per file, not per finding
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "manifest-tools",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": [],
                "invocations": [_invocation(report, base)],
            }
        ],
    }
    return document, index, uri


def format_sarif(report: Report, style: object) -> str:
    """``json_text.dumps(sarif_document(report))``, with the results written by :func:`_results`:
    the same text (the tests compare), about ten times faster than building and walking their dicts."""
    return sarif_parts(report, style).text()


def sarif_parts(report: Report, style: object) -> json_text.Spliced:
    """:func:`format_sarif`'s text, its results kept apart (see ``json_text.Spliced``)."""
    document, index, uri = _document(report)
    text = json_text.dumps(document)
    results = _results(report.diagnostics, index, uri)  # below: the first "results", as no key before it is
    return json_text.splice(text, '"results": []', results, '"results": [\n        ', ",\n        ", "\n      ]")


def _results(diagnostics: list[Diagnostic], index: dict[str, int], uri: Callable[[str], str]) -> list[str]:
    """The text of :func:`_result`'s dict of each as ``json_text`` writes it in the results (indented eight
    spaces); what repeats is made once (a rule's head, a message, a file's location)."""
    indent = "\n                  "
    heads: dict[tuple[str, Severity], str] = {}
    messages: dict[str, str] = {}
    files: dict[str, str] = {}
    results = []
    for d in diagnostics:
        head = heads.get((d.code, d.severity))
        if head is None:
            head = heads[d.code, d.severity] = (
                f'{{\n          "ruleId": {escape(d.code)},\n          "ruleIndex": {index[d.code]},\n'
                f'          "level": "{_LEVEL[d.severity]}",\n          "message": {{\n            "text": '
            )
        message = messages.get(d.message)
        if message is None:
            message = messages[d.message] = (
                f"{escape(d.message)}\n          }},\n"
                '          "locations": [\n            {\n              "physicalLocation": {\n'
            )
        where = files.get(d.path)
        if where is None:
            where = files[d.path] = (
                f'                "artifactLocation": {{\n                  "uri": {escape(uri(d.path))},\n'
                '                  "uriBaseId": "%SRCROOT%"\n                },\n'
                '                "region": {\n                  '
            )
        if d.end_line is not None and d.end_column is not None and d.pointer and d.fingerprint and d.end_column > 0:
            results.append(  # the common case (every located finding of a rule), one template: 0.1 s less a 100,000
                f'{head}{message}{where}"startLine": {d.line},{indent}"startColumn": {d.column},{indent}'
                f'"endLine": {d.end_line},{indent}"endColumn": {d.end_column}\n                }}\n              }},\n'
                '              "logicalLocations": [\n                {\n                  "fullyQualifiedName": '
                f'{escape(d.pointer)},\n                  "kind": "member"\n                }}\n              ]\n'
                '            }\n          ],\n          "partialFingerprints": {\n            "manifestTools/v1": '
                f"{escape(d.fingerprint)}\n          }}\n        }}"
            )
            continue
        region = f'"startLine": {d.line},{indent}"startColumn": {d.column}'
        if d.end_line is not None and d.end_column is not None:
            region += f',{indent}"endLine": {d.end_line},{indent}"endColumn": {max(d.end_column, 1)}'
        logical = ""
        if d.pointer:
            logical = (
                ',\n              "logicalLocations": [\n                {\n                  "fullyQualifiedName": '
                f'{escape(d.pointer)},\n                  "kind": "member"\n                }}\n              ]'
            )
        fingerprint = ""
        if d.fingerprint:
            fingerprint = (
                f',\n          "partialFingerprints": {{\n            "manifestTools/v1": {escape(d.fingerprint)}'
                "\n          }"
            )
        results.append(
            f"{head}{message}{where}{region}\n                }}\n              }}{logical}\n"
            f"            }}\n          ]{fingerprint}\n        }}"
        )
    return results
