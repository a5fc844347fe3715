"""Which files lint reads and with which settings: exclusions, .gitignore, nested configs, --config, --isolated."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main

CLEAN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\n'
BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'
WARNS = (
    '{"image_groups": [{"title": "g.jpg", "createVideo": false,'
    ' "objectUrl_0": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\n'
)
PACKAGE_JSON = '{"name": "web", "version": "1.0.0", "scripts": {"build": "tsc"}}\n'


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository as users have them: manifests beside a JavaScript app, its packages and a build folder."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "manifests/clean.json": CLEAN,
            "package.json": PACKAGE_JSON,
            "package-lock.json": PACKAGE_JSON,
            "tsconfig.json": '{"compilerOptions": {"strict": true}}\n',
            "node_modules/left-pad/package.json": PACKAGE_JSON,
            "build/broken.json": BROKEN,
            ".gitignore": "build/\n",
        },
    )
    return tmp_path


def test_a_repository_walk_lints_only_the_manifests(repo: Path) -> None:
    code, out, err = run("lint", ".")
    assert (code, err) == (0, "")
    assert out.strip() == "All checks passed (1 file)."


@pytest.mark.parametrize(
    "options",
    [(), ("--no-respect-gitignore",), ("--extend-exclude", "build/", "--no-respect-gitignore"), ("--isolated",)],
)
def test_lint_without_a_path_is_lint_of_the_working_folder(repo: Path, options: tuple[str, ...]) -> None:
    """As ruff: no path is ``.``, with its walk, exclusions, .gitignore and configuration (it was a usage error)."""
    write(repo, {"pyproject.toml": '[tool.manifest-tools]\nextend-exclude = ["manifests/skipped/"]\n'})
    write(repo, {"manifests/skipped/broken.json": BROKEN})
    assert run("lint", *options) == run("lint", *options, ".")
    assert run("lint")[:2] == (0, "All checks passed (1 file).\n"), "build/ is ignored by git, skipped/ by config"


def test_fix_without_a_path_is_fix_of_the_working_folder(repo: Path) -> None:
    write(repo, {"manifests/later.json": BROKEN})
    code, _, err = run("fix", "--check")
    assert code == 1 and "Would fix manifests/later.json" in err and "build/" not in err
    assert run("fix")[0] == 0 and (repo / "manifests/later.json").read_text() != BROKEN
    assert (repo / "build/broken.json").read_text() == BROKEN, "the .gitignore'd file is left alone"


def test_a_file_named_explicitly_is_linted_unless_force_exclude(repo: Path) -> None:
    assert run("lint", "build/broken.json")[0] == 1
    assert run("lint", "package.json")[0] == 1
    code, out, _ = run("lint", "--force-exclude", "--extend-exclude", "build/", "build/broken.json", "manifests")
    assert (code, out.strip()) == (0, "All checks passed (1 file).")


def test_gitignore_can_be_switched_off(repo: Path) -> None:
    code, out, _ = run("lint", "--no-respect-gitignore", ".")
    assert code == 1 and "build/broken.json:1:72: MT102" in out


def test_exclude_in_the_config_and_on_the_command_line(repo: Path) -> None:
    write(repo, {"legacy/old.json": BROKEN, "pyproject.toml": '[tool.manifest-tools]\nextend-exclude = ["legacy/"]\n'})
    assert run("lint", ".")[0] == 0
    assert run("lint", "legacy/old.json")[0] == 1
    assert run("lint", "--force-exclude", "legacy/old.json", "manifests")[0] == 0
    code, out, _ = run("lint", "--exclude", "manifests/", ".")
    assert code == 1 and "package.json" in out and "legacy" not in out  # it replaces exclude, not extend-exclude
    code, _, err = run("lint", "--extend-exclude", "old.json", "--isolated", "legacy", "manifests")
    assert code == 2 and "legacy: no manifest (*.json, *.csv) found there, or every one is excluded" in err


def test_exclude_replaces_the_defaults(repo: Path) -> None:
    write(repo, {"pyproject.toml": '[tool.manifest-tools]\nexclude = ["build/"]\n'})
    code, out, _ = run("lint", ".")
    assert code == 1 and "tsconfig.json" in out and "build/" not in out


def test_per_file_ignores(repo: Path) -> None:
    write(repo, {"manifests/warns.json": WARNS, "manifests/other/warns.json": WARNS})
    write(
        repo,
        {
            "pyproject.toml": (
                '[tool.manifest-tools]\n[tool.manifest-tools.per-file-ignores]\n"manifests/warns.json" = ["MT2"]\n'
            )
        },
    )
    code, out, _ = run("lint", ".")
    assert code == 0
    assert "manifests/other/warns.json" in out and "\nmanifests/warns.json" not in f"\n{out}"


def test_the_configuration_selects_rules_by_name(repo: Path) -> None:
    write(repo, {"manifests/warns.json": WARNS, "build/warns.json": WARNS})
    write(
        repo,
        {
            "pyproject.toml": (
                '[tool.manifest-tools]\nselect = ["MT1", "group-title-extension"]\n'
                '[tool.manifest-tools.per-file-ignores]\n"manifests/*.json" = ["Group-Title-Extension"]\n'
            )
        },
    )
    code, out, err = run("lint", "--no-respect-gitignore", "manifests", "build")
    assert (code, err) == (1, "")
    assert sorted(line.split()[:2] for line in out.splitlines() if ": MT" in line) == [
        ["build/broken.json:1:72:", "MT102"],
        ["build/warns.json:1:29:", "MT212"],
    ]


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_per_file_ignores_apply_to_standard_input_by_its_name(repo: Path, command: str) -> None:
    """fix takes --stdin-filename as lint does: its name in every line, its configuration by that name."""
    write(repo, {"pyproject.toml": '[tool.manifest-tools.per-file-ignores]\n"team/*.json" = ["MT212"]\n'})
    result = CliRunner().invoke(main, [command, "--stdin-filename", "team/g.json", "-"], input=WARNS)
    report = result.stdout if command == "lint" else result.stderr  # fix: the manifest on stdout
    assert (result.exit_code, report.splitlines()[0]) == (0, "All checks passed (1 file).")
    result = CliRunner().invoke(main, [command, "--stdin-filename", "other/g.json", "-"], input=WARNS)
    report = result.stdout if command == "lint" else result.stderr
    assert "other/g.json:" in report and ": MT212 warning" in report and "<stdin>" not in report


def test_the_nearest_config_with_a_table_governs_each_file(repo: Path) -> None:
    write(
        repo,
        {
            "pyproject.toml": "[tool.manifest-tools]\nstrict = true\n",
            "team/pyproject.toml": '[tool.manifest-tools]\nignore = ["MT102"]\n',
            "team/broken.json": BROKEN,
            "team/inner/pyproject.toml": '[project]\nname = "no-table-here"\n',
            "team/inner/broken.json": BROKEN,
            "top/broken.json": BROKEN,
        },
    )
    code, out, _ = run("lint", ".")
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines() if "MT102" in line] == ["top/broken.json"]
    assert run("lint", "team")[0] == 0
    assert run("lint", "--isolated", "team")[0] == 1
    assert run("lint", "--config", "pyproject.toml", "team")[0] == 1
    assert run("lint", "--config", "team/pyproject.toml", "top")[0] == 0


def test_a_path_without_manifests_fails_and_says_so(repo: Path) -> None:
    (repo / "empty").mkdir()
    code, out, err = run("lint", "empty", "manifests")
    assert code == 2
    assert "empty: no manifest (*.json, *.csv) found there" in err
    assert "All checks passed" not in out
    code, out, err = run("lint", "manifests/typo.json", "manifests")
    assert code == 2 and "no such file" in err and "All checks passed" not in out
    assert out.strip() == "No problems in the 1 file checked; 1 path could not be checked."


def test_a_broken_config_is_one_line_and_exit_two(repo: Path) -> None:
    write(repo, {"pyproject.toml": '[tool.manifest-tools]\nexclude = "build"\n'})
    code, _, err = run("lint", ".")
    assert code == 2 and "exclude must be a list of gitignore-style patterns" in err


@pytest.mark.parametrize("command", ["lint", "verify"])
def test_a_configured_output_format_no_formatter_has_names_the_file(repo: Path, command: str) -> None:
    """ "unknown output-format 'xml'" named no file, where every other configuration error names it."""
    write(repo, {"pyproject.toml": '[tool.manifest-tools]\noutput-format = "xml"\n'})
    code, _, err = run(command, "manifests/clean.json")
    config = (repo / "pyproject.toml").resolve()
    assert code == 2
    assert err.startswith(f"manifest-tools: {config}: unknown output-format 'xml' in [tool.manifest-tools]"), err


def test_library_lint_files_takes_the_same_exclusions(repo: Path) -> None:
    write(repo, {"manifests/warns.json": WARNS, "legacy/old.json": BROKEN})
    assert manifest_tools.lint_files(["."], extend_exclude=["legacy/"]).files == [
        "manifests/clean.json",
        "manifests/warns.json",
    ]
    assert not manifest_tools.lint_files(["manifests"], per_file_ignores={"warns.json": ["MT212"]}).diagnostics
    assert manifest_tools.lint_files(["legacy/old.json"], exclude=["legacy/"], force_exclude=True).files == []
    assert manifest_tools.lint_files(["."], respect_gitignore=False, extend_exclude=["legacy/"]).errors
    (repo / "empty").mkdir()
    assert [(u.path, u.reason) for u in manifest_tools.lint_files(["empty"]).unreadable] == [
        ("empty", "no manifest (*.json, *.csv) found there")
    ]


def test_library_lint_files_reports_a_missing_path_and_checks_the_rest_as_the_cli(repo: Path) -> None:
    """The library raised SourceError for one missing path and the whole report was lost."""
    write(repo, {"manifests/broken.json": BROKEN})
    report = manifest_tools.lint_files(["manifests/", "nope/"])
    assert [d.code for d in report] == ["MT102"]
    assert [u.path for u in report.unreadable] == ["nope/"]
    assert "no such file" in report.unreadable[0].reason
    cli = json.loads(run("lint", "--output-format", "json", "manifests/", "nope/")[1])
    assert cli["unreadable"] == [{"path": u.path, "reason": u.reason} for u in report.unreadable]


def test_library_lint_files_reads_the_configuration_as_the_cli(repo: Path) -> None:
    """The README says "as the CLI does": extend-exclude, per-file-ignores and select from pyproject.toml."""
    write(
        repo,
        {
            "pyproject.toml": "[tool.manifest-tools]\nextend-exclude = ['legacy/']\n"
            "[tool.manifest-tools.per-file-ignores]\n'manifests/warns.json' = ['group-title-extension']\n",
            "manifests/warns.json": WARNS,
            "legacy/old.json": BROKEN,
        },
    )
    report = manifest_tools.lint_files(["."])
    assert (report.files, report.diagnostics) == (["manifests/clean.json", "manifests/warns.json"], [])
    assert run("lint", ".")[:2] == (0, "All checks passed (2 files).\n")
    assert [d.code for d in manifest_tools.lint_files(["manifests"], isolated=True)] == ["MT212"]
    write(repo, {"other.toml": "[tool.manifest-tools]\nselect = ['MT1']\n"})
    assert not manifest_tools.lint_files(["manifests"], config="other.toml", isolated=False).diagnostics


@pytest.mark.skipif(shutil.which("git") is None, reason="git is the reference for .gitignore semantics")
def test_gitignore_semantics_match_git(tmp_path: Path) -> None:
    """Nested .gitignore files, negation, anchoring and ``**``, checked against git itself."""
    from manifest_tools.discovery import discover

    write(
        tmp_path,
        {
            ".gitignore": "*.tmp.json\n/top-only.json\nlogs/**/*.csv\n!keep.tmp.json\n",
            "a/.gitignore": "secret/\n!important.tmp.json\n",
            "a/b/.gitignore": "*.csv\n",
            **{
                name: CLEAN
                for name in (
                    "x.json",
                    "x.tmp.json",
                    "keep.tmp.json",
                    "top-only.json",
                    "a/top-only.json",
                    "logs/1/2/r.csv",
                    "logs/r.csv",
                    "a/important.tmp.json",
                    "a/secret/s.json",
                    "a/b/c.csv",
                    "a/b/c.json",
                    "a/b/deep/d.csv",
                    "a/b/other.tmp.json",
                )
            },
        },
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout.split()
    expected = sorted(p for p in listed if p.endswith((".json", ".csv")))
    found = discover([str(tmp_path)]).files
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in found) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["manifests", "manifests"], ["manifests/clean.json"]),
        (["manifests/clean.json", "manifests/clean.json", "./manifests/clean.json"], ["manifests/clean.json"]),
        ([".", "manifests"], ["manifests/clean.json"]),
        (["manifests/clean.json", "ABSOLUTE/manifests/clean.json"], ["manifests/clean.json"]),
        (["./manifests/clean.json", "manifests"], ["./manifests/clean.json"]),
        (["nope.json", "nope.json"], ["nope.json"]),
    ],
)
def test_a_file_named_twice_is_read_once_by_its_first_spelling(
    repo: Path, given: list[str], expected: list[str]
) -> None:
    """Overlapping paths (``lint . uploads``, a relative and an absolute name) would report each finding twice,
    and compare a file with itself across files."""
    from manifest_tools.discovery import discover

    paths = [p.replace("ABSOLUTE", str(repo)) for p in given]
    assert discover(paths).files == expected


def test_lint_of_overlapping_paths_reports_each_finding_once(repo: Path) -> None:
    code, out, _ = run("lint", "--no-respect-gitignore", "build", ".", "build/broken.json")
    assert code == 1 and out.count("MT102") == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[tool.manifest-tool]\nselect = []\n", "other.toml: [tool.manifest-tool] is not read: did you mean"),
        ("[tool.ruff]\nselect = []\n", "other.toml: no [tool.manifest-tools] table"),
        ("[tool.manifest-tools]\nselect = ['MT9999']\n", "other.toml: select: unknown rule or prefix 'MT9999'"),
        (
            "[tool.manifest-tools]\nignore = ['mt8x']\n",
            "other.toml: ignore: unknown rule or prefix 'mt8x': did you mean MT8 (the MT8xx rules)?",
        ),
        (
            "[tool.manifest-tools.per-file-ignores]\n'*.csv' = ['MT99999']\n",
            "other.toml: *.csv: unknown rule or prefix 'MT99999'",
        ),
        (
            "[tool.manifest-tools]\nextend-select = ['trailing-coma']\n",
            "other.toml: extend-select: unknown rule or prefix 'trailing-coma': did you mean trailing-comma?",
        ),
        (
            "[tool.manifest-tools.per-file-ignores]\n'none/*.csv' = ['duplicate-urls']\n",
            "other.toml: none/*.csv: unknown rule or prefix 'duplicate-urls': did you mean duplicate-url?",
        ),
        ("[tool.manifest-tools]\nignore = ['trailing comma']\n", "other.toml: ignore: unknown rule or prefix"),
    ],
)
def test_an_explicit_config_without_the_table_or_with_a_bad_code_names_the_file(
    repo: Path, config: str, message: str
) -> None:
    """A misspelt table name was silently read as no settings; a bad code did not say which file held it."""
    write(repo, {"other.toml": config})
    code, _, err = run("lint", "--config", "other.toml", "manifests")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--select", "MT9"), "--select MT9: MT9xx rules are run by `manifest-tools verify` and `upload`, not by lint"),
        (("--select", "mt901"), "--select MT901: MT9xx rules are run by"),
        (("--select", "object-missing"), "--select MT901: MT9xx rules are run by"),
        (("--extend-select", "MT94"), "--extend-select MT94: MT9xx rules are run by"),
        (("--select", ""), "an empty rule selector"),
        (("--select", "MT1,,MT2"), "an empty rule selector"),
        (("--ignore", " "), "an empty rule selector"),
    ],
)
def test_a_selector_lint_cannot_run_is_refused(repo: Path, options: tuple[str, ...], message: str) -> None:
    """``--select MT9`` selected nothing lint runs and said "All checks passed"; ``--select ''`` ran the
    defaults: both read a selector as selecting nothing, which the README promises never happens."""
    code, out, err = run("lint", "--isolated", *options, "manifests")
    assert (code, out) == (2, "") and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("select = ['MT9']", "pyproject.toml: select MT9: MT9xx rules are run by `manifest-tools verify` and `upload`"),
        ("select = ['mt901']", "pyproject.toml: select MT901: MT9xx rules are run by"),
        ("select = ['object-missing']", "pyproject.toml: select MT901: MT9xx rules are run by"),
        ("extend-select = ['MT94']", "pyproject.toml: extend-select MT94: MT9xx rules are run by"),
        ("extend-select = ['object-missing']", "pyproject.toml: extend-select MT901: MT9xx rules are run by"),
        ("select = ['']", "pyproject.toml: select: an empty rule selector"),
        ("ignore = [' ']", "pyproject.toml: ignore: an empty rule selector"),
    ],
)
@pytest.mark.parametrize("command", [("lint",), ("fix", "--check"), ("lint", "--output-format", "sarif")])
def test_a_configured_selector_lint_cannot_run_is_refused_as_the_option_is(
    repo: Path, setting: str, message: str, command: tuple[str, ...]
) -> None:
    """``select = ["MT9"]`` in the configuration turned lint off: a broken file passed (exit 0), where
    ``--select MT9`` is refused; the configuration's lists are read by the code that reads the options."""
    write(repo, {"pyproject.toml": f"[tool.manifest-tools]\n{setting}\n", "manifests/b.json": BROKEN})
    code, out, err = run(*command, "manifests")
    assert (code, out) == (2, "") and message in err and len(err.strip().splitlines()) == 1, err


def test_all_and_ignoring_mt9_are_still_accepted(repo: Path) -> None:
    assert run("lint", "--select", "ALL", "--ignore", "MT9", "manifests")[0] == 0


def test_a_run_whose_every_path_is_excluded_says_nothing_was_checked(repo: Path) -> None:
    """ "All checks passed (0 files)." read as a clean run; ruff warns that no file was found."""
    write(repo, {"pyproject.toml": "[tool.manifest-tools]\nextend-exclude = ['legacy/']\n", "legacy/old.json": BROKEN})
    code, out, err = run("lint", "legacy/old.json", "--force-exclude")
    assert (code, out) == (0, "Nothing was checked: every path given is excluded.\n")
    assert (
        err
        == "manifest-tools: warning: no manifest found under the given paths: every one is excluded (--force-exclude)\n"
    )


def test_standard_input_named_as_an_excluded_file_is_skipped_with_force_exclude(repo: Path) -> None:
    """As ruff: an editor lints every buffer through stdin; an excluded one must not show findings."""
    write(repo, {"pyproject.toml": "[tool.manifest-tools]\nextend-exclude = ['legacy/']\n"})
    given = ["lint", "-", "--stdin-filename", "legacy/x.json"]
    skipped = CliRunner().invoke(main, [*given, "--force-exclude"], input=BROKEN)
    assert (skipped.exit_code, skipped.stdout) == (0, "Nothing was checked: every path given is excluded.\n")
    linted = CliRunner().invoke(main, given, input=BROKEN)
    assert linted.exit_code == 1 and "legacy/x.json:1:" in linted.stdout, "named explicitly: linted"


def test_fix_of_standard_input_skipped_with_force_exclude_echoes_it_unchanged(repo: Path) -> None:
    """``fix -`` is a filter (an editor's buffer, ``fix - < in > out``): a skipped input wrote nothing to
    stdout, and the editor's buffer or the output file was emptied. As ruff format: the input, unchanged."""
    write(repo, {"pyproject.toml": "[tool.manifest-tools]\nextend-exclude = ['legacy/']\n"})
    given = ["fix", "-", "--stdin-filename", "legacy/x.json", "--force-exclude"]
    skipped = CliRunner().invoke(main, given, input=BROKEN)
    assert (skipped.exit_code, skipped.stdout) == (0, BROKEN), skipped.stderr
    assert skipped.stderr == "Nothing was checked: every path given is excluded.\n", "one line, no count of 0 files"
    checked = CliRunner().invoke(main, [*given, "--check"], input=BROKEN)
    assert (checked.exit_code, checked.stdout) == (0, ""), "--check writes no manifest"
    assert checked.stderr == "Nothing was checked: every path given is excluded.\n"


def test_a_run_where_no_path_could_be_checked_does_not_count_zero_files(repo: Path) -> None:
    assert run("lint", "nope.json")[:2] == (2, "Nothing was checked: 1 path could not be checked.\n")


@pytest.mark.parametrize(
    "args", [("--config", "pyproject.toml", "--isolated"), ("--isolated", "--config", "pyproject.toml")]
)
@pytest.mark.parametrize("command", ["lint", "fix", "verify"])
def test_config_and_isolated_exclude_each_other(repo: Path, command: str, args: tuple[str, ...]) -> None:
    """As ruff's: the usage line says ``[--config PATH | --isolated]``, and the config file was ignored unsaid."""
    write(repo, {"pyproject.toml": '[tool.manifest-tools]\nignore = ["MT102"]\n'})
    code, stdout, stderr = run(command, *args, "manifests/clean.json")
    assert (code, stdout) == (2, "")
    assert stderr == (
        "manifest-tools: --config pyproject.toml and --isolated exclude each other: --isolated reads no"
        " configuration file\n"
    )
    with pytest.raises(manifest_tools.ConfigError, match="isolated=True exclude each other"):
        manifest_tools.lint_files(["manifests"], config="pyproject.toml", isolated=True)
