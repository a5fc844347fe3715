"""Render the rule catalogue for `manifest-tools rules` (and the README's rule table)."""

from __future__ import annotations

import json
import textwrap

from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.registry import FAMILIES, Rule


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by code (MT102, case-insensitive) or by name (trailing-comma)."""
    rules = all_rules()
    found = rules.get(code_or_name.upper())
    if found is None:
        found = next((r for r in rules.values() if r.name == code_or_name.lower()), None)
    return found


def _flags(rule: Rule) -> str:
    fix = {"safe": "fix", "unsafe": "unsafe fix"}.get(rule.fix or "", "")
    return ", ".join(part for part in (rule.severity.value, fix, "" if rule.default else "opt-in") if part)


def catalogue_table() -> str:
    """Every rule, one line each, grouped by family."""
    lines: list[str] = []
    family = ""
    for rule in sorted(all_rules().values(), key=lambda r: r.code):
        if rule.family != family:
            family = rule.family
            lines.append(f"\n{rule.code[:3]}xx {family}" if lines else f"{rule.code[:3]}xx {family}")
        lines.append(f"  {rule.code}  {rule.name:<32} {_flags(rule):<26} {rule.summary}")
    return "\n".join(lines)


def catalogue_json() -> str:
    return json.dumps([_record(r) for r in sorted(all_rules().values(), key=lambda r: r.code)], indent=2)


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
    fix = {
        "safe": "Fixable: yes (safe; `manifest-tools fix`).",
        "unsafe": "Fixable: with --unsafe-fixes (the fix can change what is registered).",
    }.get(rule.fix or "", "Fixable: no.")
    enabled = "on by default" if rule.default else f"opt-in (--extend-select {rule.code})"
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
