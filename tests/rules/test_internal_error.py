"""A rule that raises costs one MT000 diagnostic, not the file's whole report (as sqlfluff does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.rules import catalogue, metadata

BROKEN = '{"images": [{"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": " a.jpg"}]}'


@pytest.fixture
def crashing_metadata_rules() -> Iterator[None]:
    """Replace the metadata family's checker by one that raises."""
    checkers = catalogue.all_checkers()
    index = next(i for i, checker in enumerate(checkers) if checker.__module__ == metadata.__name__)

    def crash(*args: object) -> Iterator[object]:
        yield from ()
        raise OverflowError("int too large to convert to float")

    crash.__module__ = metadata.__name__
    original, checkers[index] = checkers[index], crash
    try:
        yield
    finally:
        checkers[index] = original


def test_a_crashing_rule_is_one_diagnostic_and_the_others_still_report(crashing_metadata_rules: None) -> None:
    report = manifest_tools.lint(BROKEN, select=["MT3", "MT2"])  # MT000 whatever the selection
    codes = [d.code for d in report]
    assert "MT303" in codes and "MT219" in codes, "the other families still ran"
    (internal,) = [d for d in report if d.code == "MT000"]
    assert internal.severity == "error" and (internal.line, internal.column) == (1, 1)
    assert internal.message == (
        "internal error in MT501..MT512 (OverflowError: int too large to convert to float); please report it"
    )


def test_the_cli_reports_it_with_the_rest_and_exits_one(crashing_metadata_rules: None, tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(BROKEN)
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 1, result.output
    assert "MT000 internal error in MT501..MT512" in result.stdout and "MT303" in result.stdout
