"""URLs repeated across the files of one run: the parts of a split (default) and any files (opt-in)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.rules.across import part_set

U = "https://acme.s3.eu-west-2.amazonaws.com"


def _images(*names: str, skip: bool = False) -> str:
    items = ", ".join(f'{{"objectUrl": "{U}/{name}"}}' for name in names)
    return f'{{"images": [{items}]{", " + chr(34) + "skip_duplicate_urls" + chr(34) + ": true" if skip else ""}}}\n'


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "batch.part-0001.json").write_text(_images("a.jpg", "b.jpg"))
    (tmp_path / "batch.part-0002.json").write_text(_images("c.jpg", "a.jpg"))
    (tmp_path / "other.json").write_text(_images("b.jpg"))
    return tmp_path


def _found(report: manifest_tools.Report) -> list[str]:
    return [f"{d.path}:{d.line}:{d.column} {d.code}" for d in report]


def test_parts_of_one_split_are_checked_together_by_default(parts: Path) -> None:
    report = manifest_tools.lint_files(["."])
    assert _found(report) == ["batch.part-0001.json:1:27 MT604", "batch.part-0002.json:1:91 MT604"]
    first = report.diagnostics[0]
    assert "batch.part-0002.json:1:91" in first.message, "each place names the other"


def test_any_files_only_when_asked(parts: Path) -> None:
    report = manifest_tools.lint_files(["."], extend_select=["MT606"])
    assert [f for f in _found(report) if f.endswith("MT606")] == [
        "batch.part-0001.json:1:91 MT606",
        "other.json:1:27 MT606",
    ]


def test_the_cli_reports_what_the_library_does(parts: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "."])
    assert result.exit_code == 1
    assert [line.split(" MT604")[0] for line in result.stdout.splitlines()[:2]] == [
        "batch.part-0001.json:1:27:",
        "batch.part-0002.json:1:91:",
    ]


def test_skip_duplicate_urls_in_the_later_part_makes_it_a_warning(parts: Path) -> None:
    (parts / "batch.part-0002.json").write_text(_images("c.jpg", "a.jpg", skip=True))
    assert _found(manifest_tools.lint_files(["."])) == ["batch.part-0002.json:1:91 MT603"]
    assert _found(manifest_tools.lint_files(["."], ignore=["MT603"])) == []


def test_csv_parts_and_single_files(tmp_path: Path) -> None:
    one, two = tmp_path / "f.part-0001.csv", tmp_path / "f.part-0002.csv"
    one.write_text(f"ObjectUrl,Image title\n{U}/a.jpg,A\n")
    two.write_text(f"ObjectUrl,Image title\n{U}/b.jpg,B\n{U}/a.jpg,A2\n")
    found = _found(manifest_tools.lint_files([one, two]))
    assert found == [f"{one}:2:1 MT604", f"{two}:3:1 MT604"]
    assert manifest_tools.lint_files([one]).diagnostics == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("batch.part-0001.json", ("batch", ".json")),
        ("a.b.PART-12345.CSV", ("a.b", ".csv")),
        ("batch.part-1.json", None),
        ("batch-part-0001.json", None),
        ("batch.part-0001.json.bak", None),
    ],
)
def test_part_names(name: str, expected: tuple[str, str] | None) -> None:
    found = part_set(name)
    assert (found[1:] if found else None) == expected


@pytest.mark.parametrize("code", ["MT604", "MT606"])
def test_documented_examples(code: str, tmp_path: Path) -> None:
    from manifest_tools.rules.catalogue import all_rules

    rule = all_rules()[code]
    assert rule.across_files
    for example, expect_finding in ((rule.bad, True), (rule.good, False)):
        folder = tmp_path / ("bad" if expect_finding else "good")
        folder.mkdir()
        for line in example.splitlines():
            name, text = line.split(": ", 1)
            (folder / name).write_text(text)
        report = manifest_tools.lint_files([folder], extend_select=[code])
        assert any(d.code == code for d in report) is expect_finding, [d.message for d in report]
