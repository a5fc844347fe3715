"""Each rule's documentation is executable: the bad example triggers it, the good one is clean."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

import manifest_tools
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.registry import Rule
from manifest_tools.rules.urls import url_validity

RULES = sorted(all_rules().values(), key=lambda r: r.code)
EXAMPLE_CLOCK = datetime(2020, 1, 1, 0, 30, tzinfo=UTC)
"""The moment the pre-signed URL examples are linted at (MT318's explanation says so)."""


@pytest.fixture(autouse=True)
def _example_clock() -> Iterator[None]:
    with url_validity(now=EXAMPLE_CLOCK):
        yield


def _lint(text: str, rule_code: str, fmt: str, encoding: str = "utf-8") -> list[str]:
    report = manifest_tools.lint(text.encode(encoding), format=fmt, name=f"example.{fmt}", extend_select=[rule_code])
    return [f"{d.code} {d.line}:{d.column} {d.message}" for d in report]


@pytest.mark.parametrize("rule", [r for r in RULES if r.literal_bad], ids=lambda r: r.code)
def test_bad_example_triggers_the_rule(rule: Rule) -> None:
    found = _lint(rule.bad, rule.code, rule.example_format, rule.bad_encoding)
    assert any(line.startswith(rule.code + " ") for line in found), found


# Limit rules abbreviate their examples ("... 500,001 items ..."); tests/rules/test_limits.py builds them.
# Rules across files show several files; tests/rules/test_across_files.py writes them.
LITERAL_GOOD = [r for r in RULES if r.literal_bad or ("..." not in r.good and not r.across_files)]


@pytest.mark.parametrize("rule", LITERAL_GOOD, ids=lambda r: r.code)
def test_good_example_lints_clean(rule: Rule) -> None:
    assert _lint(rule.good, rule.code, rule.example_format) == []


def test_every_rule_is_documented() -> None:
    for rule in RULES:
        assert rule.summary and rule.explanation and rule.good, rule.code
        assert rule.name == rule.name.lower() and " " not in rule.name, rule.code
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
