"""The bundled fixtures: valid ones lint clean, each invalid one matches its .expected file.

``fixtures/invalid/NAME.expected`` lists ``line:column CODE`` per diagnostic;
adding a fixture and its expectation adds a test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import manifest_tools

FIXTURES = Path(__file__).parent.parent / "fixtures"
VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.suffix in (".json", ".csv"))
INVALID = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.suffix in (".json", ".csv"))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_lints_clean(path: Path) -> None:
    report = manifest_tools.lint(path, select=["ALL"], ignore=["MT404", "MT314"])
    assert [f"{d.line}:{d.column} {d.code} {d.message}" for d in report] == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_matches_expectation(path: Path) -> None:
    expected = Path(f"{path}.expected").read_text(encoding="utf-8").split("\n")
    report = manifest_tools.lint(path)
    assert [f"{d.line}:{d.column} {d.code}" for d in report] == [line for line in expected if line]


def test_every_invalid_fixture_has_an_expectation() -> None:
    assert INVALID, "no invalid fixtures found"
    for path in INVALID:
        assert Path(f"{path}.expected").is_file(), path
