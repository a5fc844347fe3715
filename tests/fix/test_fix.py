"""fix: idempotence on every fixture, and what the command writes.

What fix writes for each rule's cases is in tests/rules/cases/MTnnn.yaml (``fixed:``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools import api
from manifest_tools.cli import main
from manifest_tools.fixes import FIXERS, SYNTAX_FIX_WORDS, fix_manifest
from manifest_tools.rules.catalogue import all_rules

FIXTURES = sorted(p for p in (Path(__file__).parents[2] / "fixtures").rglob("*") if p.suffix in (".json", ".csv"))


def _fix(text: str, fmt: str, unsafe: bool, extend_select: tuple[str, ...] = ()) -> Any:
    manifest = api.parse(f"case.{fmt}", text.encode("utf-8"), fmt)  # type: ignore[arg-type]
    return fix_manifest(manifest, api.selection(extend_select=extend_select), unsafe=unsafe)


def _merged_by_the_unsafe_fix(text: str) -> str:
    merged = _fix(text, "json", unsafe=True).text
    assert merged is not None
    return merged


HAND_REPAIRS = {
    # What a user does about the problems fix refuses to guess; then fix must be idempotent on the rest.
    "frames.csv": lambda text: (
        text.replace("Sequence 1,\n", "Sequence 1,true\n")
        .replace("TRUE", "false")
        .replace(",,false", ",Group 2,false")
        .replace("Scan 1, left", '"Scan 1, left"')
    ),
    "semicolon-export.csv": lambda text: text.replace(";", ","),
    "platform-example-trailing-commas.json": lambda text: text.replace("frames-per-second", "30"),
    "duplicate-image-groups.json": _merged_by_the_unsafe_fix,
}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_is_idempotent(path: Path, unsafe: bool) -> None:
    fmt = "csv" if path.suffix == ".csv" else "json"
    first = fix_manifest(api.load(path), api.selection(), unsafe=unsafe)
    if first.text is None:  # refused: repair by hand what fix must not guess, then fix the rest
        assert first.blocking and path.name in HAND_REPAIRS, [d.code for d in first.blocking]
        first = _fix(HAND_REPAIRS[path.name](path.read_text(encoding="utf-8")), fmt, unsafe)
        assert first.text is not None, [d.code for d in first.blocking]
    second = _fix(first.text, fmt, unsafe)
    assert second.text == first.text
    assert second.applied == []


def test_every_fixable_rule_has_a_fixer_and_back() -> None:
    fixable = {code for code, rule in all_rules().items() if rule.fix}
    assert fixable == set(FIXERS) | set(SYNTAX_FIX_WORDS)  # the latter: repaired by writing the parsed value


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


MESSY = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": " a.jpg"},]}\n'


def test_fix_command_writes_keeps_permissions_and_reports(workdir: Path) -> None:
    path = workdir / "m.json"
    path.write_text(MESSY)
    os.chmod(path, 0o640)
    result = CliRunner().invoke(main, ["fix", "m.json"])
    assert result.exit_code == 0, result.output
    assert "MT219 fixed at /images/0/title" in result.stderr
    assert result.stdout.strip().endswith("Changed 1 file to canonical form; 2 fixes applied.")
    assert manifest_tools.lint(path).diagnostics == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in workdir.iterdir()] == ["m.json"], "no temporary file is left behind"


def test_check_and_diff_write_nothing(workdir: Path) -> None:
    path = workdir / "m.json"
    path.write_text(MESSY)
    check = CliRunner().invoke(main, ["fix", "--check", "m.json"])
    diff = CliRunner().invoke(main, ["fix", "--diff", "m.json"])
    assert check.exit_code == 1 and diff.exit_code == 1
    assert '-{"images": [' in diff.stdout and '+    {"title": "a.jpg", "objectUrl": ' in diff.stdout
    assert path.read_text() == MESSY
    CliRunner().invoke(main, ["fix", "m.json"])
    assert CliRunner().invoke(main, ["fix", "--check", "m.json"]).exit_code == 0


def test_unparseable_file_is_never_rewritten(workdir: Path) -> None:
    path = workdir / "broken.json"
    broken = b'{"images": [{"objectUrl": https://b.s3.eu-west-2.amazonaws.com/a.jpg}]}'
    path.write_bytes(broken)
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", "broken.json"])
    assert result.exit_code == 1
    assert "not rewritten" in result.stderr
    assert path.read_bytes() == broken


def test_fix_stdin_writes_stdout(workdir: Path) -> None:
    result = CliRunner().invoke(main, ["fix", "-"], input=MESSY)
    assert result.exit_code == 0
    assert result.stdout.startswith('{\n  "images": [\n    {"title": "a.jpg", "objectUrl": ')
    assert "Changed 1 file to canonical form; 2 fixes applied." in result.stderr


STDIN_BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'
STDIN_BLOCKED = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "fps": frames}]}\n'


@pytest.mark.parametrize(
    ("options", "text", "said"),
    [
        (["-v"], STDIN_BROKEN, "manifest-tools: <stdin>: read and fixed in Python (trailing comma before "),
        ([], STDIN_BLOCKED, "<stdin>: not rewritten: 1 problem must be fixed by hand first (MT105 at 1:80)"),
        (["--check"], STDIN_BROKEN, "Would fix <stdin> (1 fix, canonical form)"),
        (["--check"], STDIN_BROKEN, "<stdin>: MT102 would be fixed at /images: removed a trailing comma"),
        (["--diff"], STDIN_BROKEN, "--- a/<stdin>\n+++ b/<stdin>\n@@ -1 +1,5 @@\n"),
        (["--diff"], STDIN_BLOCKED, "<stdin>:1:80: MT105 "),
    ],
)
def test_fix_names_standard_input_as_lint_does(options: list[str], text: str, said: str) -> None:
    """One name for '-' in every line (it was '-' in some and '<stdin>' in others)."""
    result = CliRunner().invoke(main, ["fix", *options, "-"], input=text)
    both = result.stdout + result.stderr
    assert said in both, both
    assert not any(line.startswith(("-:", "--- -", "+++ -")) for line in both.splitlines()), both
    assert CliRunner().invoke(main, ["lint", "-"], input=text).stdout.split(":", 1)[0] == "<stdin>"


@pytest.mark.parametrize("mode", ["--check", "--diff"])
@pytest.mark.parametrize("text", [STDIN_BROKEN, STDIN_BLOCKED])
def test_check_and_diff_of_standard_input_print_no_manifest(mode: str, text: str) -> None:
    """--check and --diff write nothing: standard input's fixed (or unchanged) manifest is not printed."""
    result = CliRunner().invoke(main, ["fix", mode, "-"], input=text)
    assert result.exit_code == 1
    assert result.stdout == "" or (mode == "--diff" and result.stdout.startswith("--- a/<stdin>\n")), result.stdout


@pytest.mark.parametrize("mode", ["--check", "--diff"])
def test_check_and_diff_fail_on_what_blocks_rewriting_and_report_it_as_lint_does(workdir: Path, mode: str) -> None:
    # A guess (MT105) blocks rewriting; the http:// URL is a warning (MT303), reported as one.
    guess = '{"images": [{"objectUrl": "http://b.s3.eu-west-2.amazonaws.com/a.jpg", "x": y}]}'
    (workdir / "guess.json").write_text(guess)
    for name in ("duplicate-image-groups.json", "frames.csv", "semicolon-export.csv", "guess.json"):
        path = workdir / name
        if not path.exists():
            path.write_bytes((Path(__file__).parents[2] / "fixtures" / "invalid" / name).read_bytes())
        lint = [line for line in CliRunner().invoke(main, ["lint", name]).stdout.splitlines() if line.startswith(name)]
        fix = CliRunner().invoke(main, ["fix", mode, name])
        assert fix.exit_code == 1, fix.output
        shown = fix.stderr if mode == "--diff" else fix.stdout  # --diff keeps stdout for the patch
        assert [
            line for line in shown.splitlines() if line.startswith(f"{name}:") and "not rewritten" not in line
        ] == lint
    assert "guess.json:1:27: MT303 warning:" in shown


def test_a_header_only_csv_is_not_rewritten_into_an_empty_file(workdir: Path) -> None:
    path = workdir / "m.csv"
    path.write_text("ObjectUrl,Image title\n")
    result = CliRunner().invoke(main, ["fix", "m.csv"])
    assert result.exit_code == 0, result.output
    assert path.read_text() == "ObjectUrl,Image title\n"
    assert "MT712 warning" in result.stdout


def test_trimming_csv_group_titles_never_merges_two_groups(workdir: Path) -> None:
    rows = ["ObjectUrl,Image group title,Create video"] + [
        f"https://b.s3.eu-west-2.amazonaws.com/{n}.jpg,{title},false"
        for n, title in enumerate(["g", " g", "h ", " h", "k "])
    ]
    original = api.parse("m.csv", "\n".join(rows) + "\n")
    groups = len(list(original.items()))
    first = fix_manifest(original, api.selection())
    assert first.text is not None
    fixed = api.parse("m.csv", first.text)
    assert len(list(fixed.items())) == groups == 5, "each row stays in its group"
    assert [a.pointer for a in first.applied] == ["/image_groups/4/title"], "only 'k ' is trimmed"
    assert {d.code for d in api.check(fixed).diagnostics} >= {"MT219"}, "the others are still reported"
    second = fix_manifest(fixed, api.selection())
    assert second.text == first.text and second.applied == []


def test_diff_reports_positions_in_the_file_on_disk(workdir: Path) -> None:
    """--diff writes nothing, so what it reports must point into the file as it stands."""
    path = workdir / "m.json"
    path.write_text(
        '{"videos": [\n\n  {"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.mp4", "title": "<title>"}]}\n'
    )
    result = CliRunner().invoke(main, ["fix", "--diff", "m.json"])
    assert result.exit_code == 1
    assert "m.json:3:72: MT226" in result.stderr, result.stderr  # stdout holds the patch alone
    assert "fixes would be applied" in result.stdout + result.stderr


@pytest.mark.parametrize("mode", ["--check", "--diff"])
def test_check_and_diff_exit_one_when_errors_remain_in_a_canonical_file(workdir: Path, mode: str) -> None:
    """Nothing to change, but an error no fix repairs: it is printed, and the exit code says so."""
    (workdir / "p.json").write_text(
        '{\n  "images": [\n    {"objectUrl": "https://<bucket>.s3.eu-west-2.amazonaws.com/a.jpg"}\n  ]\n}\n'
    )
    result = CliRunner().invoke(main, ["fix", mode, "p.json"])
    assert "MT30" in result.output and result.exit_code == 1, result.output


@pytest.mark.parametrize("ending", ["", "\n"])
def test_diff_is_a_patch_git_applies(workdir: Path, ending: str) -> None:
    """stdout holds the patch alone (the report goes to stderr), and git accepts it with or without a final newline."""
    import subprocess

    text = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}' + ending
    (workdir / "m.json").write_text(text)
    result = CliRunner().invoke(main, ["fix", "--diff", "m.json"])
    assert result.exit_code == 1
    (workdir / "change.patch").write_text(result.stdout)
    subprocess.run(["git", "apply", "change.patch"], cwd=workdir, check=True)
    assert (workdir / "m.json").read_text() == fix_manifest(api.parse("m.json", text), api.selection()).text


REPEATED_ARRAY = (
    '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}],\n'
    ' "images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/b.jpg"}]}\n'
)
REPEATED_KEY = (
    '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg",'
    ' "objectUrl": "https://b.s3.eu-west-2.amazonaws.com/b.jpg"}]}\n'
)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        (REPEATED_ARRAY, "1 problem needs --unsafe-fixes, or fixing by hand (MT601 at 2:2)"),
        (REPEATED_KEY, "1 problem must be fixed by hand first (MT601 at 1:73)"),
    ],
)
def test_a_refusal_says_when_unsafe_fixes_would_repair_it(text: str, refusal: str) -> None:
    """`fix --unsafe-fixes` merges a repeated top-level array: telling the user to do it by hand misleads."""
    from manifest_tools.fixes import fix_manifest
    from manifest_tools.readers.json import read_json
    from manifest_tools.rules.catalogue import all_rules

    result = fix_manifest(read_json("m.json", text), frozenset(all_rules()))
    assert result.text is None and result.refusal == refusal


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n', "1 fixable with"),
        (REPEATED_KEY.replace("}]}", "},]}"), None),
        (REPEATED_ARRAY.replace("}]}", "},]}"), "2 fixable with `manifest-tools fix --unsafe-fixes`."),
    ],
)
def test_the_fixable_hint_counts_only_what_fix_would_apply(text: str, hint: str | None) -> None:
    """A file fix refuses (MT601 inside an item) has nothing fixable; one that --unsafe-fixes unblocks has
    its safe fixes counted with the unsafe ones."""
    from manifest_tools.report.formatters import fixable_line

    line = fixable_line(api.lint(text, name="m.json"))
    assert line == hint if hint is None else (line or "").startswith(hint)


def test_a_file_gone_before_the_full_fix_reads_it_again_is_one_error_line(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scanner refuses the file (a trailing comma) and has freed its bytes: the full fix reads it again,
    and a file removed meanwhile is reported as unreadable, not a traceback."""
    from manifest_tools.errors import SourceError

    (workdir / "m.json").write_text('{"images": [{"objectUrl": "https://b.s3.amazonaws.com/a.jpg"},]}\n')
    reads: list[str] = []
    read_source = api.read_source

    def read_once(path: str) -> bytes:
        reads.append(path)
        if len(reads) > 1:
            raise SourceError(f"{path}: no such file")
        return read_source(path)

    monkeypatch.setattr(api, "read_source", read_once)
    result = CliRunner().invoke(main, ["fix", "m.json"])
    assert (result.exit_code, reads) == (2, ["m.json", "m.json"]), result.output
    assert "m.json: no such file" in result.stderr and "Traceback" not in result.output
