"""Lint computes fingerprints only for the output formats that print them (FINGERPRINTED)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.report.formatters import FINGERPRINTED, FORMATTERS, TextStyle
from manifest_tools.rules.engine import fingerprints

URL = "https://b.s3.eu-west-2.amazonaws.com"
BAD = ('{"images": [{"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/a.jpg"}, {"objectUrl": "gs://b/b.jpg"},'
       ' {"objectUrl": "' + URL + '/c.jpg", "title": " t"}]}')  # fmt: skip


@pytest.mark.parametrize("output_format", sorted(FORMATTERS))
def test_the_formats_that_print_fingerprints_are_the_fingerprinted_ones(output_format: str) -> None:
    """Rendered with other fingerprints, exactly the FINGERPRINTED formats print something else."""
    report = manifest_tools.lint(BAD.encode(), format="json", name="m.json")
    assert all(d.fingerprint for d in report)
    other = dataclasses.replace(report, diagnostics=[dataclasses.replace(d, fingerprint="x") for d in report])
    style = TextStyle()
    changed = FORMATTERS[output_format](report, style) != FORMATTERS[output_format](other, style)
    assert changed == (output_format in FINGERPRINTED)


def test_without_fingerprints_only_the_fingerprint_is_left_out() -> None:
    with_them = list(manifest_tools.lint(BAD.encode(), format="json", name="m.json"))
    with fingerprints(False):
        without = list(manifest_tools.lint(BAD.encode(), format="json", name="m.json"))
    assert [d.code for d in with_them] == ["MT303", "MT302", "MT219"]
    assert all(d.fingerprint for d in with_them)
    assert without == [dataclasses.replace(d, fingerprint="") for d in with_them]


@pytest.mark.parametrize("output_format", sorted(FORMATTERS))
def test_the_cli_prints_the_same_report_either_way(
    output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI leaves fingerprints out for text and the like; what it prints is what it printed with them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.json").write_text(BAD)
    runner = CliRunner()
    printed = runner.invoke(main, ["lint", "--output-format", output_format, "m.json"]).stdout
    monkeypatch.setattr("manifest_tools.report.formatters.FINGERPRINTED", frozenset(FORMATTERS))
    always = runner.invoke(main, ["lint", "--output-format", output_format, "m.json"]).stdout
    assert "MT303" in printed or (output_format == "junit" and "insecure-http" in printed)
    assert printed == always
