"""Each rule's documentation is executable: the bad example triggers it, the good one is clean."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.registry import Rule
from manifest_tools.rules.urls import url_validity
from manifest_tools.selectors import REMOTE_FAMILY

RULES = sorted(all_rules().values(), key=lambda r: r.code)
EXAMPLE_CLOCK = datetime(2020, 1, 1, 0, 30, tzinfo=UTC)
"""The moment the pre-signed URL examples are linted at (MT318's explanation says so)."""


@pytest.fixture(autouse=True)
def _example_clock() -> Iterator[None]:
    with url_validity(now=EXAMPLE_CLOCK):
        yield


def _lint(text: str, rule_code: str, fmt: str, encoding: str = "utf-8") -> list[str]:
    # lint runs no MT9xx rule and refuses to select one (as the CLI does): their examples are linted as they are.
    chosen = [] if rule_code.startswith(REMOTE_FAMILY) else [rule_code]
    report = manifest_tools.lint(text.encode(encoding), format=fmt, name=f"example.{fmt}", extend_select=chosen)
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


FIXABLE_PAGES = [r for r in RULES if r.fix and r.literal_bad and not r.across_files]


@pytest.mark.parametrize("rule", FIXABLE_PAGES, ids=lambda r: r.code)
def test_the_fix_a_rule_page_names_fixes_its_bad_example(
    rule: Rule, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's command, run as printed in a folder holding the bad example, removes the finding: for an
    opt-in rule it selects the rule (``fix`` alone leaves an opt-in rule's findings)."""
    from manifest_tools.cli import main
    from manifest_tools.rules.docs import rule_page

    found = re.search(r"^Fixable: .*?`(manifest-tools fix[^`]*)`", rule_page(rule), re.M)
    assert found is not None, rule_page(rule)
    monkeypatch.chdir(tmp_path)
    example = tmp_path / f"example.{rule.example_format}"
    example.write_bytes(rule.bad.encode(rule.bad_encoding))
    before = _lint(rule.bad, rule.code, rule.example_format, rule.bad_encoding)
    CliRunner().invoke(main, shlex.split(found.group(1))[1:], catch_exceptions=False)
    after = example.read_bytes().decode("utf-8", "replace")
    left = [line for line in _lint(after, rule.code, rule.example_format) if line.startswith(f"{rule.code} ")]
    assert len(left) < len([line for line in before if line.startswith(f"{rule.code} ")]), left
