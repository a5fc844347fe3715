"""Every verb refuses a JSON top level that is not an object (``null`` as ``[]``): lint finds MT201 with and
without the scanner, fix rewrites nothing, convert writes no file (no empty CSV, no ``{}``), split no part."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools import native
from manifest_tools.cli import main
from manifest_tools.errors import NotRewritable
from manifest_tools.splitting import Limits

TOP_LEVELS = ["null\n", " null ", "[]", "true", "1", '"x"']
AFTER_SKIPPED = ["/* x */ null", "// exported\nnull\n", "\ufeff null", "\ufeff/**/\n\tnull // end\n"]
"""A null after what the tolerant parser skips (a comment, a byte order mark): still the top level."""


def _lint(text: str, scanner: bool, monkeypatch: pytest.MonkeyPatch) -> manifest_tools.Report:
    """The library's lint of ``text``, with the native scanner or as without a compiler."""
    if not scanner:
        monkeypatch.setattr(native, "_loaded", True)
        monkeypatch.setattr(native, "_scanner", None)
    return manifest_tools.lint(text.encode(), format="json", name="m.json")


@pytest.mark.parametrize("text", TOP_LEVELS)
@pytest.mark.parametrize("scanner", [True, False])
def test_lint_reports_mt201(text: str, scanner: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _lint(text, scanner, monkeypatch)
    assert [d.code for d in report] == ["MT201"] and not report.ok


@pytest.mark.parametrize("text", AFTER_SKIPPED)
@pytest.mark.parametrize("scanner", [True, False])
def test_lint_reports_mt201_after_skipped_text(text: str, scanner: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _lint(text, scanner, monkeypatch)
    assert [d.code for d in report if d.code == "MT201"] == ["MT201"] and not report.ok


@pytest.mark.parametrize("text", TOP_LEVELS + AFTER_SKIPPED)
def test_every_verb_refuses(text: str, tmp_path: Path) -> None:
    source = tmp_path / "m.json"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(NotRewritable):
        manifest_tools.convert(source, "csv")
    with pytest.raises(NotRewritable):
        manifest_tools.split(source, Limits(max_items=1), output_dir=str(tmp_path))
    assert manifest_tools.fix(source).text is None
    runner = CliRunner()
    for args in (
        ["lint", str(source)],
        ["fix", str(source)],
        ["convert", str(source), "-o", str(tmp_path / "out.csv")],
        ["convert", str(source), "-o", str(tmp_path / "out.json")],
        ["convert", str(source), "--to", "sdk", "-o", "-"],
        ["split", str(source), "--max-items", "1", "--output-dir", str(tmp_path / "parts")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        assert "MT201" in result.output, args
        assert "0 problems" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]
    assert source.read_text(encoding="utf-8") == text
