"""Render the rule catalogue for `manifest-tools rules` (and the README's rule table)."""

from __future__ import annotations

import json
import textwrap

from manifest_tools.report.rule_docs import RuleDoc
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.registry import FAMILIES, Rule


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by code (MT102, case-insensitive) or by name (trailing-comma)."""
    rules = all_rules()
    found = rules.get(code_or_name.upper())
    if found is None:
        found = next((r for r in rules.values() if r.name == code_or_name.lower()), None)
    return found


def rules_with_prefix(prefix: str) -> list[Rule]:
    """The rules whose code starts with ``prefix`` (``MT7``: a family), in code order."""
    wanted = prefix.upper()
    return sorted((r for r in all_rules().values() if r.code.startswith(wanted)), key=lambda r: r.code)


def nearest_rule(code_or_name: str) -> str | None:
    """The code or name closest to a mistyped one, for a did-you-mean."""
    import difflib

    rules = all_rules().values()
    candidates = [r.code for r in rules] + [r.name for r in rules]
    lowered = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(code_or_name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _flags(rule: Rule) -> str:
    fix = {"safe": "fix", "unsafe": "unsafe fix"}.get(rule.fix or "", "")
    return ", ".join(part for part in (rule.severity.value, fix, "" if rule.default else "opt-in") if part)


def catalogue_table(selected: list[Rule] | None = None) -> str:
    """Every rule (or the ``selected`` ones), one line each, grouped by family."""
    lines: list[str] = []
    family = ""
    for rule in selected if selected is not None else sorted(all_rules().values(), key=lambda r: r.code):
        if rule.family != family:
            family = rule.family
            lines.append(f"\n{rule.code[:3]}xx {family}" if lines else f"{rule.code[:3]}xx {family}")
        lines.append(f"  {rule.code}  {rule.name:<32} {_flags(rule):<26} {rule.summary}")
    return "\n".join(lines)


def catalogue_json(selected: list[Rule] | None = None) -> str:
    chosen = selected if selected is not None else sorted(all_rules().values(), key=lambda r: r.code)
    return json.dumps([_record(r) for r in chosen], indent=2)


def _record(rule: Rule) -> dict[str, object]:
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "severity": rule.severity.value,
        "fix": rule.fix,
        "default": rule.default,
        "summary": rule.summary,
        "explanation": rule.explanation,
        "bad": rule.bad,
        "good": rule.good,
        "example_format": rule.example_format,
    }


def rule_json(rule: Rule) -> str:
    return json.dumps(_record(rule), indent=2, ensure_ascii=False)


def rule_page(rule: Rule) -> str:
    """The documentation of one rule, with a bad and a good example."""
    wrapped = textwrap.fill(rule.explanation, width=88)
    select = "" if rule.default else f" --extend-select {rule.code}"  # else fix leaves an opt-in rule's findings
    fix = {
        "safe": f"Fixable: yes (safe; `manifest-tools fix{select}`).",
        "unsafe": f"Fixable: with `manifest-tools fix --unsafe-fixes{select}` (the fix can change what is registered).",
    }.get(rule.fix or "", "Fixable: no.")
    enabled = "on by default" if rule.default else f"opt-in: --extend-select {rule.code}"
    return "\n".join(
        [
            f"{rule.code} {rule.name} ({rule.severity.value}, {enabled})",
            f"Family: {FAMILIES[rule.code[:3]]}",
            "",
            rule.summary,
            "",
            wrapped,
            "",
            fix,
            "",
            f"Bad ({rule.example_format}):",
            textwrap.indent(rule.bad or "(an empty file)", "    "),
            "",
            f"Good ({rule.example_format}):",
            textwrap.indent(rule.good, "    "),
        ]
    )


def catalogue_markdown() -> str:
    """The rule table of the README (a test keeps the README equal to this)."""
    lines = ["| code | name | severity | fix | what it catches |", "|---|---|---|---|---|"]
    family = ""
    for rule in sorted(all_rules().values(), key=lambda r: r.code):
        if rule.code[:3] != family:
            family = rule.code[:3]
            lines.append(f"| **{family}xx** | **{FAMILIES[family]}** | | | |")
        severity = rule.severity.value + ("" if rule.default else " (opt-in)")
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| {rule.code} | {rule.name} | {severity} | {rule.fix or ''} | {summary} |")
    return "\n".join(lines)


def reference_markdown() -> str:
    """docs/rules.md: every rule's full page, each with an anchor (#mt102), for readers of the repository
    (diagnostics send a user to `manifest-tools rules CODE`, which prints the same page)."""
    fence = "```"
    parts = [
        "# Rules",
        "",
        "Generated by `manifest-tools rules --output-format reference`; do not edit by hand.",
        "",
        catalogue_markdown(),
    ]
    for rule in sorted(all_rules().values(), key=lambda r: r.code):
        enabled = "on by default" if rule.default else f"opt-in (`--extend-select {rule.code}`)"
        fix = {"safe": "safe fix", "unsafe": "unsafe fix (`--unsafe-fixes`)"}.get(rule.fix or "", "no fix")
        parts += [
            "",
            f'<a id="{rule.code.lower()}"></a>',
            f"## {rule.code} {rule.name}",
            "",
            f"{rule.severity.value}, {enabled}, {fix}. {rule.summary}",
            "",
            rule.explanation,
            "",
            "Bad:",
            "",
            f"{fence}{rule.example_format}",
            rule.bad or "(an empty file)",
            fence,
            "",
            "Good:",
            "",
            f"{fence}{rule.example_format}",
            rule.good,
            fence,
        ]
    return "\n".join(parts)


def rule_markdown(rule: Rule) -> str:
    """The rule's help in Markdown (SARIF viewers show it)."""
    fence = "```"
    return (
        f"**{rule.code} {rule.name}**: {rule.summary}\n\n{rule.explanation}\n\n"
        f"Bad:\n\n{fence}{rule.example_format}\n{rule.bad}\n{fence}\n\n"
        f"Good:\n\n{fence}{rule.example_format}\n{rule.good}\n{fence}\n"
    )


def rule_docs() -> list[RuleDoc]:
    """Every rule as report formats describe it, in code order (published to ``report.rule_docs``)."""
    return [
        RuleDoc(
            code=rule.code,
            name=rule.name,
            severity=rule.severity,
            enabled=rule.default,
            fix=rule.fix,
            family=rule.family,
            summary=rule.summary,
            explanation=rule.explanation,
            help_text=rule_page(rule),
            help_markdown=rule_markdown(rule),
        )
        for rule in sorted(all_rules().values(), key=lambda r: r.code)
    ]
