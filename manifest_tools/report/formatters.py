"""Render a Report: a name-to-formatter registry, so a new output format is one function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as escape  # the C escaper json_text (and json.dumps) use

from manifest_tools.redact import for_path, for_program
from manifest_tools.report import json_text
from manifest_tools.report.diagnostic import Diagnostic, Severity
from manifest_tools.report.report import Report
from manifest_tools.report.rule_docs import help_command

FIX_COMMAND = ("manifest-tools fix", "", "")
"""``fix`` alone, as :class:`TextStyle` names it by default: it walks the current folder with the default rules."""


@dataclass(frozen=True, slots=True)
class TextStyle:
    """Options of the human-readable format."""

    color: bool = False
    quiet: bool = False
    statistics: bool = False
    """A count per rule instead of each diagnostic: a table, or with ``json`` ruff's list of counts."""
    strict: str = ""
    """What makes warnings fail the run (``--strict``, or the config file's ``strict = true``), said in the
    summary when there are warnings: else a failing run of warnings alone would not say why it failed."""
    fix_command: tuple[str, str, str] = FIX_COMMAND
    """The command that fixes what was checked: before and after where ``--unsafe-fixes`` goes, and words after
    it (" on the same paths"); the CLI gives the paths and rule options of the run (``fix`` alone walks the
    current folder, with the default rules)."""
    unsafe_fix_command: tuple[str, str, str] | None = None
    """The same for ``fix --unsafe-fixes``, whose files may differ (a repeated top-level key is merged only with
    it: fix alone refuses that file); None: ``fix_command``'s."""


Formatter = Callable[[Report, TextStyle], str]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _paint(text: str, color: str | None, style: TextStyle, *, bold: bool = False) -> str:
    if not style.color:
        return text
    import click

    return click.style(text, fg=color, bold=bold)


def format_diagnostic(d: Diagnostic, style: TextStyle = TextStyle()) -> str:
    """One line: ``path:line:col: CODE message``; warnings say so. The place is bold in the terminal's own
    colour, as ruff prints it: white was invisible on a light background."""
    where = _paint(f"{for_path(d.path)}:{d.line}:{d.column}:", None, style, bold=True)
    return f"{where} {_painted_code(d, style)} {d.message}"


def _painted_code(d: Diagnostic, style: TextStyle) -> str:
    if d.severity is Severity.WARNING:
        return _paint(d.code, "yellow", style, bold=True) + " warning:"
    return _paint(d.code, "red", style, bold=True)


def _diagnostic_lines(diagnostics: list[Diagnostic], style: TextStyle) -> list[str]:
    """:func:`format_diagnostic` of each, with what repeats made once: each code's painted text, and the
    place's bold (100,000 findings of one rule paint one code, not 100,000)."""
    bold, _, normal = _paint("\0", None, style, bold=True).partition("\0")
    codes = {(d.code, d.severity): d for d in diagnostics}
    painted = {key: _painted_code(d, style) for key, d in codes.items()}
    shown = {path: for_path(path) for path in {d.path for d in diagnostics}}
    return [
        f"{bold}{shown[d.path]}:{d.line}:{d.column}:{normal} {painted[d.code, d.severity]} {d.message}"
        for d in diagnostics
    ]


def summary(report: Report, strict: str = "") -> str:
    """The closing line of the text format; "All checks passed" only when every file could be read; with
    warnings and ``strict`` (what makes them fail), that they fail and why."""
    files = len(set(report.files))
    errors, warnings = len(report.errors), len(report.warnings)
    unreadable = f" {_plural(len(report.unreadable), 'path')} could not be checked." if report.unreadable else ""
    if not errors and not warnings:
        if not files:  # "All checks passed (0 files)" would read as a clean run
            return (
                f"Nothing was checked:{unreadable}"
                if unreadable
                else "Nothing was checked: every path given is excluded."
            )
        if unreadable:
            return f"No problems in the {_plural(files, 'file')} checked;{unreadable}"
        return f"All checks passed ({_plural(files, 'file')})."
    parts = [_plural(errors, "error")] if errors else []
    if warnings:
        parts.append(_plural(warnings, "warning"))
    affected = len({d.path for d in report.diagnostics})
    fail = f"; warnings fail with {strict}" if strict and warnings else ""
    return f"Found {' and '.join(parts)} in {_plural(affected, 'file')} ({files} checked){fail}.{unreadable}"


def fixable_line(
    report: Report, command: tuple[str, str, str] = FIX_COMMAND, unsafe_command: tuple[str, str, str] | None = None
) -> str | None:
    """What ``fix`` would repair, so that a user learns the command exists; None when nothing is fixable.
    ``command``, ``unsafe_command``: see ``TextStyle.fix_command`` and ``TextStyle.unsafe_fix_command``."""
    safe = report.fixable()
    unsafe = report.fixable_unsafe()
    if not safe and not unsafe:
        return None
    head, tail, after = command
    unsafe_head, unsafe_tail, unsafe_after = unsafe_command or command
    unsafe_fix = f"`{unsafe_head} --unsafe-fixes{unsafe_tail}`{unsafe_after}"
    if not safe:
        return f"{unsafe} fixable with {unsafe_fix}."
    more = f" ({unsafe} more with {unsafe_fix})" if unsafe else ""
    return f"{safe} fixable with `{head}{tail}`{after}{more}."


UNREADABLE = "unreadable"
"""The ``code`` of a statistics row naming a path that could not be checked (as GitLab's ``check_name``)."""


def statistics(report: Report) -> list[dict[str, object]]:
    """A count per rule, most frequent first (ruff's ``--statistics`` shape: ``fixable`` by ``fix``,
    ``unsafe_fixable`` by ``fix --unsafe-fixes``), then a row per path that could not be checked, naming it:
    a machine reading the counts must not take a run that skipped a file for a clean one."""
    names: dict[str, str] = {d.code: d.name for d in report.diagnostics}
    fixes: dict[str, str | None] = {d.code: d.fix for d in report.diagnostics}
    rows: list[dict[str, object]] = [
        {
            "code": code,
            "name": names[code],
            "count": count,
            "fixable": fixes[code] == "safe",
            "unsafe_fixable": fixes[code] == "unsafe",
        }
        for code, count in sorted(report.by_code().items(), key=lambda pair: (-pair[1], pair[0]))
    ]
    rows += [
        {
            "code": UNREADABLE,
            "name": "could-not-be-checked",
            "count": 1,
            "fixable": False,
            "unsafe_fixable": False,
            "path": for_program(u.path),
            "reason": u.reason,
        }
        for u in report.unreadable
    ]
    return rows


_FIX_MARK: dict[tuple[object, object], str] = {(True, False): "[*] ", (False, True): "[-] "}
"""``[*]``: ``fix`` repairs it; ``[-]``: only ``fix --unsafe-fixes`` does."""


def format_statistics(report: Report, style: TextStyle) -> str:
    lines = [
        f"{row['count']:>7}  {row['code']}  {_FIX_MARK.get((row['fixable'], row['unsafe_fixable']), '')}{row['name']}"
        for row in statistics(report)
        if row["code"] != UNREADABLE  # the summary counts them and stderr names each
    ]
    if not style.quiet:
        lines.append(summary(report, style.strict))
    return "\n".join(lines)


def format_text(report: Report, style: TextStyle) -> str:
    if style.statistics:
        return format_statistics(report, style)
    lines = _diagnostic_lines(report.diagnostics, style)
    if not style.quiet:
        lines.append(summary(report, style.strict))
        fixable = fixable_line(report, style.fix_command, style.unsafe_fix_command)
        lines += [fixable] if fixable else []
        lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines)


def diagnostic_record(d: Diagnostic) -> dict[str, object]:
    """The documented, stable JSON shape of one diagnostic (see the README)."""
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
        "file": for_program(d.path),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "pointer": d.pointer,
        "fix": d.fix,
        "fingerprint": d.fingerprint,
        "url": None,  # kept (the fields are stable): the rules have no published page to link to
        "help": help_command(d.code),
    }


def format_json(report: Report, style: TextStyle) -> str:
    """``json_text.dumps`` of the document, each diagnostic's record written by :func:`_records`: the same
    text (the tests compare), several times faster than building and walking a dict per diagnostic."""
    if style.statistics:
        return json_text.dumps(statistics(report))
    return json_parts(report, style).text()


def json_parts(report: Report, style: TextStyle) -> json_text.Spliced:
    """:func:`format_json`'s text (without ``--statistics``), its records kept apart (``json_text.Spliced``)."""
    document = {
        "version": 1,
        "summary": {
            "files": len(set(report.files)),
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "by_code": dict(sorted(report.by_code().items())),
            "unreadable": len(report.unreadable),
        },
        "diagnostics": [],
        "unreadable": [{"path": for_program(u.path), "reason": u.reason} for u in report.unreadable],
        "notes": report.notes,
    }
    text = json_text.dumps(document)
    records = _records(report.diagnostics)  # below: the first "diagnostics", as the keys before it are fixed words
    return json_text.splice(text, '"diagnostics": []', records, '"diagnostics": [\n    ', ",\n    ", "\n  ]")


def _records(diagnostics: list[Diagnostic]) -> list[str]:
    """:func:`diagnostic_record` of each as ``json_text`` writes it in the document (indented four spaces);
    what repeats is escaped once (a rule's head and tail, a file, a message)."""
    heads: dict[tuple[str, str, Severity], tuple[str, str]] = {}
    escaped: dict[str, str] = {}
    records = []
    for d in diagnostics:
        ends = heads.get((d.code, d.name, d.severity))
        if ends is None:
            ends = heads[d.code, d.name, d.severity] = (
                f'{{\n      "code": {escape(d.code)},\n      "name": {escape(d.name)},\n'
                f'      "severity": {escape(d.severity.value)},\n      "message": ',
                f',\n      "url": null,\n      "help": {escape(help_command(d.code))}\n    }}',
            )
        message = escaped.get(d.message)
        if message is None:
            message = escaped[d.message] = escape(d.message)
        path = escaped.get(d.path)
        if path is None:
            path = escaped[d.path] = escape(for_program(d.path))
        records.append(
            f'{ends[0]}{message},\n      "file": {path},\n      "line": {d.line},\n'
            f'      "column": {d.column},\n      "end_line": {_number(d.end_line)},\n'
            f'      "end_column": {_number(d.end_column)},\n      "pointer": {escape(d.pointer)},\n'
            f'      "fix": {"null" if d.fix is None else escape(d.fix)},\n'
            f'      "fingerprint": {escape(d.fingerprint)}{ends[1]}'
        )
    return records


def _number(value: int | None) -> str:
    return "null" if value is None else int.__repr__(value)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_annotation(d: Diagnostic, rule_name: str) -> str:
    """One workflow command: an annotation on the file and line, titled with the rule."""
    command = "error" if d.severity is Severity.ERROR else "warning"
    properties = [f"file={_escape_property(for_path(d.path))}", f"line={d.line}", f"col={d.column}"]
    if d.end_line is not None and d.end_column is not None:
        properties += [f"endLine={d.end_line}", f"endColumn={d.end_column}"]
    properties.append(f"title={_escape_property(f'{d.code} {rule_name}')}")
    return f"::{command} {','.join(properties)}::{_escape_data(d.message)}"


def format_github(report: Report, style: TextStyle) -> str:
    """GitHub Actions workflow commands: each file's annotations inside a ``::group::`` of its own, so that
    a job log over many manifests folds to one line per file."""
    lines = []
    for path, diagnostics in report.by_file().items():
        if not diagnostics:
            continue
        lines.append(f"::group::{_escape_data(for_path(path))}")
        lines += [_github_annotation(d, d.name) for d in diagnostics]
        lines.append("::endgroup::")
    for u in report.unreadable:
        where = f" file={_escape_property(for_path(u.path))}" if u.path else ""
        lines.append(f"::error{where}::{_escape_data(u.reason)}")
    lines.append(summary(report, style.strict))
    lines += [f"::notice::{_escape_data(note)}" for note in report.notes]
    return "\n".join(lines)


def format_sarif(report: Report, style: TextStyle) -> str:
    from manifest_tools.report.sarif import format_sarif as render

    return render(report, style)


def format_gitlab(report: Report, style: TextStyle) -> str:
    from manifest_tools.report.ci import format_gitlab as render

    return render(report, style)


def format_junit(report: Report, style: TextStyle) -> str:
    from manifest_tools.report.ci import format_junit as render

    return render(report, style)


FINGERPRINTED = frozenset({"json", "sarif", "gitlab"})
"""The formats that print ``Diagnostic.fingerprint``: for the others lint computes none (rules/engine.py)."""

FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
    "gitlab": format_gitlab,
    "junit": format_junit,
}


def render_chunks(report: Report, output_format: str, style: TextStyle) -> Iterator[str]:
    """:func:`render`'s text in pieces, for a writer: a format with one long array (json, sarif, gitlab) is
    never joined into one string (``json_text.Spliced``); the others are one piece."""
    if style.statistics or output_format not in ("json", "sarif", "gitlab"):
        yield render(report, output_format, style)
    elif output_format == "json":
        yield from json_parts(report, style).chunks()
    elif output_format == "sarif":
        from manifest_tools.report.sarif import sarif_parts

        yield from sarif_parts(report, style).chunks()
    else:
        from manifest_tools.report.ci import gitlab_parts

        yield from gitlab_parts(report, style).chunks()


def render(report: Report, output_format: str, style: TextStyle) -> str:
    """``report`` in ``output_format``; ``--statistics`` with a format made for one consumer (github, sarif,
    gitlab, junit) prints the table, since those consumers have no place for counts."""
    if style.statistics and output_format not in ("text", "json"):
        return format_statistics(report, style)
    return FORMATTERS[output_format](report, style)
