"""lint's output options: -o, --color, the fixable line, --statistics with every format, exit codes in --help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import OUTPUT_FORMATS, main

BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'
ESC = "\x1b["


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "broken.json").write_text(BROKEN)
    return tmp_path


def lint(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_output_file_holds_what_stdout_would(workdir: Path) -> None:
    code, printed, _ = lint("--output-format", "json", "broken.json")
    assert lint("--output-format", "json", "-o", "report.json", "broken.json")[:2] == (code, "")
    assert (workdir / "report.json").read_text() == printed
    (workdir / "report.json").write_text("old")
    lint("-o", "report.json", "broken.json")
    assert (workdir / "report.json").read_text().startswith("broken.json:1:72: MT102")
    assert sorted(p.name for p in workdir.iterdir()) == ["broken.json", "report.json"], "no temporary file left"


def test_an_unwritable_output_file_is_one_line_and_exit_two(workdir: Path) -> None:
    code, _, err = lint("-o", "missing/report.txt", "broken.json")
    assert code == 2 and err.strip() == "manifest-tools: missing/report.txt: folder does not exist"
    assert lint("-o", "-", "broken.json")[1].startswith("broken.json:1:72:"), "- is standard output"


@pytest.mark.parametrize("command", ["lint", "verify"])
def test_a_report_never_replaces_a_manifest_being_read(workdir: Path, command: str) -> None:
    (workdir / "link.json").symlink_to("broken.json")
    for target, said in [
        ("broken.json", "-o broken.json is"),
        ("./broken.json", "-o ./broken.json (the same file as broken.json) is"),
        ("link.json", "-o link.json (the same file as broken.json) is"),
    ]:
        result = CliRunner().invoke(main, [command, "--output-format", "sarif", "-o", target, "broken.json"])
        assert result.exit_code == 2, result.output
        assert (
            result.stderr == f"manifest-tools: {said} one of the manifests being checked: the report would replace it\n"
        )
    assert (workdir / "broken.json").read_text() == BROKEN


@pytest.mark.parametrize(
    ("option", "env", "painted"),
    [
        ("auto", {}, False),  # not a terminal
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("auto", {"NO_COLOR": ""}, False),  # empty: as if unset
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color(workdir: Path, option: str, env: dict[str, str], painted: bool) -> None:
    out = lint("--color", option, "broken.json", env=env)[1]
    assert (ESC in out) is painted


UNREADABLE_ON_SOME_BACKGROUND = {"30", "37", "90", "97"}
"""Black and white foregrounds (and their bright forms): invisible on a dark or a light terminal."""


def test_colors_read_on_light_and_dark_terminals(workdir: Path) -> None:
    """The place is bold in the terminal's own colour, as ruff prints it; codes are red or yellow."""
    import re

    (workdir / "warns.json").write_text(
        '{"image_groups": [{"title": "g.jpg", "createVideo": false,'
        ' "objectUrl_0": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\n'
    )
    out = lint("--color", "always", "broken.json", "warns.json")[1]
    styles = {param for sgr in re.findall(r"\x1b\[([\d;]*)m", out) for param in sgr.split(";")}
    assert styles and not styles & UNREADABLE_ON_SOME_BACKGROUND, styles
    assert out.startswith("\x1b[1mbroken.json:1:72:\x1b[0m \x1b[31m\x1b[1mMT102"), repr(out)


def test_color_never_reaches_machine_formats_or_a_file(workdir: Path) -> None:
    assert ESC not in lint("--color", "always", "--output-format", "json", "broken.json")[1]
    lint("-o", "out.txt", "broken.json", env={"FORCE_COLOR": "1"})
    assert ESC not in (workdir / "out.txt").read_text()


def test_the_summary_says_what_fix_would_repair(workdir: Path) -> None:
    out = lint("broken.json")[1]
    assert out.splitlines()[-1] == "1 fixable with `manifest-tools fix broken.json`."
    (workdir / "http.json").write_text('{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.png"}]}\n')
    assert "fixable" not in lint("http.json")[1]


@pytest.mark.parametrize("output_format", OUTPUT_FORMATS)
def test_statistics_with_every_format(workdir: Path, output_format: str) -> None:
    code, out, _ = lint("--statistics", "--output-format", output_format, "broken.json")
    assert code == 1
    if output_format == "json":
        assert json.loads(out) == [
            {"code": "MT102", "name": "trailing-comma", "count": 1, "fixable": True, "unsafe_fixable": False}
        ]
    else:
        assert out.splitlines()[0] == "      1  MT102  [*] trailing-comma"


def test_help_lists_the_exit_codes() -> None:
    out = CliRunner().invoke(main, ["lint", "--help"], terminal_width=200).stdout
    assert (
        "Exit codes: 0 no errors" in out
        and "1 errors found" in out
        and "130 interrupted" in out
        and "141 the reader" in " ".join(out.split())
    )


def test_json_statistics_name_the_unreadable_paths_and_unsafe_fixes(workdir: Path) -> None:
    """Every machine-readable output names a path that was not checked; MT602 has an unsafe fix, not none."""
    url = "https://b.s3.eu-west-2.amazonaws.com/a.jpg"
    (workdir / "twice.json").write_text(json.dumps({"images": [{"objectUrl": url}, {"objectUrl": url}]}))
    code, out, _ = lint("--statistics", "--output-format", "json", "twice.json", "nope.json")
    assert code == 2
    assert json.loads(out) == [
        {"code": "MT602", "name": "duplicate-url", "count": 1, "fixable": False, "unsafe_fixable": True},
        {
            "code": "unreadable",
            "name": "could-not-be-checked",
            "count": 1,
            "fixable": False,
            "unsafe_fixable": False,
            "path": "nope.json",
            "reason": "no such file",
        },
    ]
    assert lint("--statistics", "twice.json")[1].splitlines()[0] == "      1  MT602  [-] duplicate-url"
