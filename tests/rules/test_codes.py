"""Rule codes are constants checked at import: an unknown or misspelt code is an error, never a silent drop."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import manifest_tools
from manifest_tools.codes import CODES, Code, known_code
from manifest_tools.fixes import FIXERS, fixer
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules import catalogue
from manifest_tools.rules.registry import CheckContext, check_catalogue, rule

PACKAGE = Path(manifest_tools.__file__).parent
CLEAN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}'


def test_every_code_has_exactly_one_rule_and_every_rule_a_code() -> None:
    rules = catalogue.all_rules()
    assert sorted(rules) == sorted(CODES)
    assert Code.MT602 == "MT602" and known_code("MT602") == Code.MT602
    with pytest.raises(RuntimeError, match="no rule for"):
        check_catalogue({code: r for code, r in rules.items() if code != "MT602"})


def test_a_misspelt_code_in_a_rule_declaration_fails_at_import() -> None:
    with pytest.raises(ValueError, match="MT1022"):
        rule("MT1022", "x", "error", "s", "e", "{}", "{}")  # type: ignore[arg-type]


def test_a_misspelt_code_in_a_fixer_fails_at_import() -> None:
    with pytest.raises(ValueError, match="MT5O3"):
        fixer("MT5O3")  # type: ignore[arg-type]


def test_fixers_belong_to_fixable_rules() -> None:
    rules = catalogue.all_rules()
    assert [code for code in FIXERS if rules[code].fix is None] == []


def test_asking_for_an_unknown_code_raises() -> None:
    context = CheckContext(frozenset(CODES))
    assert context.wants(Code.MT226)
    with pytest.raises(ValueError, match="MT2260"):
        context.wants("MT2260")  # type: ignore[arg-type]


@pytest.fixture
def misspelt_checker() -> Iterator[None]:
    """A checker that emits a code no rule has (as a typo at an emission site would)."""

    def typo(manifest: Any, context: Any) -> Iterator[Finding]:
        yield Finding("MT6002", "a typo", "/images/0")  # type: ignore[arg-type]

    checkers = catalogue.all_checkers()
    checkers.append(typo)
    try:
        yield
    finally:
        checkers.remove(typo)


def test_a_finding_with_an_unknown_code_is_an_internal_error_not_a_silent_drop(misspelt_checker: None) -> None:
    report = manifest_tools.lint(CLEAN)
    assert [(d.code, "MT6002" in d.message) for d in report] == [("MT000", True)]


CODE_LITERAL = re.compile(r"""^(["'])MT\d{3}\1$""")


def _code_literals(path: Path) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [
        f"{path.relative_to(PACKAGE)}:{t.start[0]}"
        for t in tokens
        if t.type == tokenize.STRING and CODE_LITERAL.match(t.string)
    ]


def test_codes_are_written_as_constants_outside_codes_py() -> None:
    """A code spelt as a string literal escapes mypy; ``Code.MT602`` cannot be misspelt."""
    found = [
        where for path in sorted(PACKAGE.rglob("*.py")) if path.name != "codes.py" for where in _code_literals(path)
    ]
    assert found == []
