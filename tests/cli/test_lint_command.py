"""The lint command as a user runs it: exit codes, output formats, paths, stdin, configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

CLEAN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\n'
BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'
WARNS = (
    '{"image_groups": [{"title": "g.jpg", "createVideo": false,'
    ' "objectUrl_0": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\n'
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.json").write_text(CLEAN)
    (tmp_path / "broken.json").write_text(BROKEN)
    (tmp_path / "warns.json").write_text(WARNS)
    return tmp_path


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_clean_file_exits_zero(workdir: Path) -> None:
    code, out, _ = run("lint", "clean.json")
    assert code == 0
    assert out.strip() == "All checks passed (1 file)."


def test_errors_exit_one_with_position_and_summary(workdir: Path) -> None:
    code, out, _ = run("lint", "broken.json", "clean.json")
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0] == "broken.json:1:72: MT102 trailing comma before ']': strict JSON does not allow it"
    assert lines[-2:] == [
        "Found 1 error in 1 file (2 checked).",
        "1 fixable with `manifest-tools fix broken.json`.",  # clean.json has nothing to fix: not named
    ]


def test_warnings_pass_unless_strict(workdir: Path) -> None:
    code, out, _ = run("lint", "warns.json")
    assert code == 0 and "MT212 warning:" in out
    assert run("lint", "--strict", "warns.json")[0] == 1


@pytest.mark.parametrize(
    ("options", "config", "code", "summary"),
    [
        ([], "", 0, "Found 1 warning in 1 file (1 checked)."),
        (["--strict"], "", 1, "Found 1 warning in 1 file (1 checked); warnings fail with --strict."),
        (
            [],
            "strict = true",
            1,
            "Found 1 warning in 1 file (1 checked); warnings fail with strict = true in pyproject.toml.",
        ),
        (["--no-strict"], "strict = true", 0, "Found 1 warning in 1 file (1 checked)."),
        (["--strict", "--exit-zero"], "", 0, "Found 1 warning in 1 file (1 checked)."),
        (["--strict", "--statistics"], "", 1, "Found 1 warning in 1 file (1 checked); warnings fail with --strict."),
        (
            ["--strict", "--output-format", "github"],
            "",
            1,
            "Found 1 warning in 1 file (1 checked); warnings fail with --strict.",
        ),
    ],
)
def test_the_summary_says_when_warnings_fail_the_run(
    workdir: Path, options: list[str], config: str, code: int, summary: str
) -> None:
    """A run that fails on warnings alone says why, as it exits 1."""
    (workdir / "pyproject.toml").write_text(f"[tool.manifest-tools]\n{config}\n")
    result = run("lint", *options, "warns.json")
    assert (result[0], result[1].splitlines()[-1]) == (code, summary)


def test_exit_zero_and_ignore(workdir: Path) -> None:
    assert run("lint", "--exit-zero", "broken.json")[0] == 0
    assert run("lint", "--ignore", "MT102", "broken.json")[0] == 0
    assert run("lint", "--ignore", "MT1", "broken.json")[0] == 0
    assert run("lint", "--select", "MT3,MT4", "broken.json")[0] == 0


def test_unknown_rule_code_is_a_usage_error(workdir: Path) -> None:
    code, _, err = run("lint", "--select", "MT999", "clean.json")
    assert code == 2 and "unknown rule or prefix 'MT999'" in err


@pytest.mark.parametrize(
    ("options", "codes"),
    [
        (("--ignore", "MT102"), ["MT212"]),
        (("--ignore", "trailing-comma"), ["MT212"]),
        (("--ignore", "Trailing-Comma"), ["MT212"]),
        (("--ignore", "mt1"), ["MT212"]),
        (("--select", "group-title-extension"), ["MT212"]),
        (("--select", "ALL", "--ignore", "group-title-extension,MT3,MT6"), ["MT102"]),
        (("--select", "MT1", "--extend-select", "group-title-extension"), ["MT102", "MT212"]),
    ],
)
def test_rules_are_selected_by_code_prefix_or_name(workdir: Path, options: tuple[str, ...], codes: list[str]) -> None:
    """The catalogue names every rule and ``rules trailing-comma`` finds it: selecting by that name works too."""
    _, out, err = run("lint", *options, "broken.json", "warns.json")
    assert (sorted({line.split()[1] for line in out.splitlines() if ": MT" in line}), err) == (codes, "")


@pytest.mark.parametrize(
    ("option", "selector", "hint"),
    [
        ("--ignore", "trailing-coma", "did you mean trailing-comma?"),
        ("--select", "MT999", "no rule has that code, and MT9xx rules are run by"),  # not MT9, which --select refuses
        ("--ignore", "MT999", "did you mean MT9 (the MT9xx rules)?"),
        ("--extend-select", "url-duplicate", "did you mean "),
    ],
)
def test_an_unknown_selector_is_refused_with_the_nearest_rule(
    workdir: Path, option: str, selector: str, hint: str
) -> None:
    """A selector that matches no rule would select (or ignore) nothing, silently: one line, exit 2."""
    code, out, err = run("lint", option, selector, "broken.json")
    assert (code, out) == (2, "")
    assert err.startswith(f"manifest-tools: unknown rule or prefix {selector!r}: {hint}"), err
    assert len(err.splitlines()) == 1 and err.rstrip().endswith("`manifest-tools rules` lists them all")


def test_the_library_selects_by_name_too() -> None:
    from manifest_tools import api

    assert api.selection(ignore=["trailing-comma"]) == api.selection(ignore=["MT102"]) != api.selection()
    assert api.selection(select=["duplicate-url", "mt1"]) == api.selection(select=["MT602", "MT1"])


def test_missing_file_exits_two_with_one_line(workdir: Path) -> None:
    code, out, err = run("lint", "nope.json", "broken.json")
    assert code == 2
    assert err.strip() == "manifest-tools: nope.json: no such file"
    assert "MT102" in out, "the other files are still checked"


def test_directory_recursion_finds_json_and_csv(workdir: Path) -> None:
    nested = workdir / "uploads" / "batch"
    nested.mkdir(parents=True)
    (nested / "frames.csv").write_text("ObjectUrl,Image title\nhttps://b.s3.eu-west-2.amazonaws.com/a.jpg,A\n")
    (nested / "notes.txt").write_text("not a manifest")
    (workdir / "uploads" / ".hidden").mkdir()
    (workdir / "uploads" / ".hidden" / "x.json").write_text("{")
    code, out, _ = run("lint", "uploads")
    assert code == 0 and out.strip() == "All checks passed (1 file)."


def test_stdin_with_and_without_filename(workdir: Path) -> None:
    code, out, _ = run("lint", "-", input=BROKEN)
    assert code == 1 and out.startswith("<stdin>:1:72: MT102")
    csv_text = "ObjectUrl,Image group title,Create video\nhttps://b.s3.eu-west-2.amazonaws.com/a.jpg,G,no\n"
    code, out, _ = run("lint", "--stdin-filename", "frames.csv", "-", input=csv_text)
    assert code == 1 and out.startswith("frames.csv:2:46: MT705")


def test_json_output_is_documented_shape(workdir: Path) -> None:
    code, out, _ = run("lint", "--output-format", "json", "broken.json", "warns.json")
    assert code == 1
    document = json.loads(out)
    assert document["summary"] == {
        "files": 2,
        "errors": 1,
        "warnings": 1,
        "by_code": {"MT102": 1, "MT212": 1},
        "unreadable": 0,
    }
    assert document["unreadable"] == []
    first = document["diagnostics"][0]
    fingerprint = first.pop("fingerprint")
    assert len(fingerprint) == 32 and int(fingerprint, 16) >= 0
    assert first == {
        "code": "MT102",
        "name": "trailing-comma",
        "severity": "error",
        "message": "trailing comma before ']': strict JSON does not allow it",
        "file": "broken.json",
        "line": 1,
        "column": 72,
        "end_line": 1,
        "end_column": 73,  # the comma: ends are exclusive
        "pointer": "/images",
        "fix": "safe",
        "url": None,
        "help": "manifest-tools rules MT102",
    }


def test_statistics_and_quiet(workdir: Path) -> None:
    _, out, _ = run("lint", "--statistics", "broken.json", "warns.json")
    assert out.splitlines()[:2] == ["      1  MT102  [*] trailing-comma", "      1  MT212  group-title-extension"]
    _, out, _ = run("lint", "--quiet", "clean.json")
    assert out == ""


def test_pyproject_settings_apply_and_options_win(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[tool.manifest-tools]\nignore = ["MT102"]\nstrict = true\n')
    assert run("lint", "broken.json")[0] == 0
    assert run("lint", "warns.json")[0] == 1
    assert run("lint", "--no-strict", "warns.json")[0] == 0
    assert run("lint", "--select", "MT102", "broken.json")[0] == 0, "ignore from the config still applies"


def test_invalid_config_is_a_usage_error(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[tool.manifest-tools]\nselekt = ["MT1"]\n')
    code, _, err = run("lint", "clean.json")
    assert code == 2 and "unknown setting selekt" in err


def test_rules_listing_and_documentation() -> None:
    code, out, _ = run("rules")
    assert code == 0 and "MT102  trailing-comma" in out and "MT7xx CSV" in out
    code, out, _ = run("rules", "mt102")
    assert code == 0 and out.startswith("MT102 trailing-comma (error, on by default)")
    assert "Bad (json):" in out and "Good (json):" in out
    assert run("rules", "create-video-missing")[1].startswith("MT209")
    assert run("rules", "MT999")[0] == 2


def assert_linted_without_crash(code: int, out: str, err: str) -> None:
    """Garbage is a readable file full of findings: exit 1, no internal error of any kind.

    The CLI turns an exception into exit 2 and CliRunner hides tracebacks, so "no
    traceback" alone would pass on a crash; exit 2, "internal error" and MT000 are
    what a crash looks like from outside.
    """
    assert "Traceback" not in out + err, err
    assert "internal error" not in out + err and "MT000" not in out, out + err
    assert code == 1, (code, err)


@pytest.mark.parametrize("seed", range(8))
def test_binary_garbage_never_tracebacks(workdir: Path, seed: int) -> None:
    import random

    noise = random.Random(seed)
    for name in ("garbage.json", "garbage.csv"):
        (workdir / name).write_bytes(bytes(noise.randrange(256) for _ in range(2048)))
        assert_linted_without_crash(*run("lint", name))
    done = subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", "lint", "garbage.json", "garbage.csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert_linted_without_crash(done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("where", ["reader", "rule"])
def test_the_garbage_check_sees_an_injected_crash(workdir: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    from manifest_tools import api
    from manifest_tools.readers import dispatch
    from manifest_tools.rules import catalogue

    def crash(*args: object, **kwargs: object) -> object:
        raise ValueError("injected")

    if where == "reader":
        monkeypatch.setattr(dispatch, "read_json", crash)
        monkeypatch.setattr(api, "_certified_report", lambda *args: None)
    else:
        monkeypatch.setattr(catalogue, "CHECKERS", [crash, *catalogue.all_checkers()])
    (workdir / "garbage.json").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(AssertionError):
        assert_linted_without_crash(*run("lint", "garbage.json"))


def test_installed_console_script_and_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("manifest-tools 0.")


@pytest.mark.parametrize(
    ("environment", "says"),
    [({}, "(native scanner: built)"), ({"MANIFEST_TOOLS_NO_NATIVE": "1"}, "switched off by MANIFEST_TOOLS_NO_NATIVE")],
)
def test_version_says_whether_the_native_scanner_runs(environment: dict[str, str], says: str) -> None:
    from manifest_tools import native

    if not environment and native.scanner() is None:
        pytest.skip("the native scanner is not built here")
    env = {k: v for k, v in os.environ.items() if k != "MANIFEST_TOOLS_NO_NATIVE"} | environment
    out = subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", "-V"], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert says in out


def test_rules_lists_a_family_by_prefix_and_suggests_a_name() -> None:
    code, out, _ = run("rules", "mt7")
    codes = [line.split()[0] for line in out.splitlines()[1:]]
    assert code == 0 and out.startswith("MT7xx CSV") and codes and all(c.startswith("MT7") for c in codes)
    listed = [r["code"] for r in json.loads(run("rules", "MT10", "--output-format", "json")[1])]
    assert "MT102" in listed and all(c.startswith("MT10") for c in listed)
    code, _, err = run("rules", "trailing-coma")
    assert code == 2 and "did you mean trailing-comma?" in err
    assert "did you mean MT102?" in run("rules", "MT1022")[2]
    assert "did you mean" not in run("rules", "zzz")[2]


def test_version_does_not_import_the_rules() -> None:
    """A pre-commit hook starts the CLI once per commit: --version must not load the linter."""
    code = (
        "import sys; import manifest_tools.cli; print(sorted(m for m in sys.modules if m.startswith('manifest_tools')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "manifest_tools.rules" not in out and "manifest_tools.readers" not in out, out


@pytest.mark.parametrize(
    ("setting", "suggestion"),
    [
        ("extend_select", "did you mean extend-select?"),
        ("selekt", "did you mean select?"),
        ("ignroe", "did you mean ignore?"),
    ],
)
def test_an_unknown_setting_names_the_setting_it_resembles(workdir: Path, setting: str, suggestion: str) -> None:
    (workdir / "pyproject.toml").write_text(f'[tool.manifest-tools]\n{setting} = ["MT1"]\n')
    code, _, err = run("lint", "clean.json")
    assert code == 2 and f"unknown setting {setting} in [tool.manifest-tools]: {suggestion}" in err


def test_several_unknown_settings_each_name_their_likeness(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[tool.manifest-tools]\nselekt = ["MT1"]\nzzz = 1\nignroe = []\n')
    code, _, err = run("lint", "clean.json")
    assert code == 2 and "unknown setting ignroe, selekt, zzz in [tool.manifest-tools]: did you mean" in err
    assert "ignore for ignroe, select for selekt?" in err


def test_an_unknown_setting_unlike_any_gets_no_suggestion(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text("[tool.manifest-tools]\nzzz = 1\n")
    code, _, err = run("lint", "clean.json")
    assert code == 2 and "unknown setting zzz" in err and "did you mean" not in err


@pytest.mark.parametrize("table", ["manifest-tool", "manifest_tools", "manifesttools", "Manifest-Tools"])
def test_a_misspelt_table_is_refused_not_read_as_no_settings(workdir: Path, table: str) -> None:
    (workdir / "pyproject.toml").write_text(f'[tool.{table}]\nignore = ["MT102"]\n')
    code, _, err = run("lint", "broken.json")
    assert code == 2 and f"[tool.{table}] is not read: did you mean [tool.manifest-tools]?" in err
    assert err.count("\n") == 1


def test_other_tools_tables_are_not_taken_for_misspellings(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text("[tool.ruff]\nline-length = 1\n[tool.manifest]\nx = 1\n[tool.mypy]\n")
    assert run("lint", "clean.json")[0] == 0
