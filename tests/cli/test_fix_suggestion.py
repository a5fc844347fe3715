"""lint's "N fixable with `manifest-tools fix ...`" names a command that, run as printed, fixes them: the paths
linted and the options that chose the files and rules (``fix`` alone walks the current folder with the
configured rules, so it left an opt-in rule's findings, or an --isolated run's, unfixed)."""

from __future__ import annotations

import os
import re
import shlex
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

URL = "https://b.s3.eu-west-2.amazonaws.com"
TRAILING = f'{{"images": [{{"objectUrl": "{URL}/a.jpg"}},]}}\n'  # MT102, a safe fix
REPEATED = f'{{"images": [{{"objectUrl": "{URL}/a.jpg"}}, {{"objectUrl": "{URL}/a.jpg"}}]}}\n'  # MT602, unsafe
BLANK = f"ObjectUrl,Image group title,Create video\n{URL}/1.jpg,G,\n"  # MT704, opt-in
SPACED = f'{{\n  "images": [\n    {{"objectUrl": "{URL}/a.jpg", "title": " a.jpg "}}\n  ]\n}}\n'  # MT219, canonical
IGNORING = '[tool.manifest-tools]\nignore = ["MT219"]\n'
FIXABLE = re.compile(r"fixable with `(manifest-tools fix[^`]*)`( on the same paths)?")

CASES = {  # files, lint's arguments, files the fix must leave as they are (not linted)
    "no path": ({"a.json": TRAILING, "sub/b.json": TRAILING}, [], []),
    "a name with a space": ({"my a.json": TRAILING, "other.json": TRAILING}, ["my a.json"], ["other.json"]),
    "a name a shell would expand": ({"$b&c;*.json": TRAILING, "other.json": TRAILING}, ["$b&c;*.json"], ["other.json"]),
    "a name starting with a dash": ({"-d.json": TRAILING, "other.json": TRAILING}, ["--", "-d.json"], ["other.json"]),
    "one file under three names": (
        {"a.json": TRAILING, "other.json": TRAILING},
        ["a.json", "./a.json", ".//a.json"],
        ["other.json"],
    ),
    "a folder": ({"sub/a.json": TRAILING, "other.json": TRAILING}, ["sub"], ["other.json"]),
    "an opt-in rule": ({"g.csv": BLANK}, ["--extend-select", "MT704", "g.csv"], []),
    "isolated from a config that ignores it": ({"pyproject.toml": IGNORING, "a.json": SPACED}, ["--isolated"], []),
    "an unsafe fix": ({"r.json": REPEATED, "other.json": REPEATED}, ["r.json"], ["other.json"]),
    "a folder without manifests beside": (
        {"uploads/a.json": TRAILING, "empty/notes.txt": "not a manifest\n", "other.json": TRAILING},
        ["empty", "uploads"],
        ["other.json"],
    ),
    "many paths, few fixable": (
        {**{f"c{n}.json": SPACED for n in range(5)}, "a.json": TRAILING, "other.json": TRAILING},
        [*(f"c{n}.json" for n in range(5)), "--ignore", "MT219", "a.json"],
        ["other.json"],
    ),
    "many paths": (
        {**{f"m{n}.json": TRAILING for n in range(6)}, "other.json": TRAILING},
        [f"m{n}.json" for n in range(6)],
        ["other.json"],
    ),
}


@pytest.mark.parametrize(("files", "args", "untouched"), CASES.values(), ids=CASES.keys())
def test_the_fix_lint_suggests_fixes_what_it_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], args: list[str], untouched: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    linted = CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)
    found = FIXABLE.search(linted.stdout)
    assert found is not None, linted.output
    command = shlex.split(found.group(1))
    if found.group(2):  # "on the same paths": past a few, the paths are not repeated
        command += [arg for arg in args if arg in files]
    fixed = CliRunner().invoke(main, command[1:], catch_exceptions=False)
    assert fixed.exit_code in (0, 1), fixed.output
    again = CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)
    assert "fixable" not in again.stdout, again.output
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in untouched} == {
        name: files[name] for name in untouched
    }, "the fix reaches only what was linted"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--", "-d.json"], "manifest-tools fix -- -d.json"),
        (["a.json", "./a.json", ".//a.json"], "manifest-tools fix a.json"),
        (["a.json", "-", "./a.json"], "manifest-tools fix a.json -"),
    ],
    ids=["dash", "one file thrice", "beside standard input"],
)
def test_the_hint_names_each_file_once_as_a_shell_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], hint: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("a.json", "-d.json"):
        (tmp_path / name).write_text(TRAILING, encoding="utf-8")
    linted = CliRunner().invoke(main, ["lint", *args], input=TRAILING)
    found = FIXABLE.search(linted.stdout)
    assert found is not None and found.group(1) == hint, linted.output


def test_from_standard_input_the_fix_reads_it_by_the_same_name() -> None:
    linted = CliRunner().invoke(main, ["lint", "-", "--stdin-filename", "my a.json"], input=TRAILING)
    found = FIXABLE.search(linted.stdout)
    assert found is not None and found.group(1) == "manifest-tools fix --stdin-filename 'my a.json' -"
    fixed = CliRunner().invoke(main, shlex.split(found.group(1))[1:], input=TRAILING)
    again = CliRunner().invoke(main, ["lint", "-", "--stdin-filename", "my a.json"], input=fixed.stdout)
    assert again.exit_code == 0, again.output


def test_a_fix_run_suggests_unsafe_fixes_on_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fix's own hint (what --unsafe-fixes would add) names the files it was given, not the current folder."""
    monkeypatch.chdir(tmp_path)
    for name in ("my r.json", "other.json"):
        (tmp_path / name).write_text(REPEATED, encoding="utf-8")
    checked = CliRunner().invoke(main, ["fix", "--check", "my r.json"])
    found = FIXABLE.search(checked.stdout)
    assert found is not None and found.group(1) == "manifest-tools fix --unsafe-fixes 'my r.json'", checked.output
    assert CliRunner().invoke(main, shlex.split(found.group(1))[1:]).exit_code == 0
    assert (tmp_path / "other.json").read_text(encoding="utf-8") == REPEATED
    assert "fixable" not in CliRunner().invoke(main, ["lint", "my r.json"]).stdout


def test_a_pipe_linted_is_not_named_in_the_fix_it_suggests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``lint <(...)`` suggested ``fix /dev/fd/63``: the pipe is gone once read, and a named pipe gives its
    writer's next text; only regular files, and folders holding the fixable ones, are named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.json").write_text(TRAILING, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.json")
    stop = threading.Event()

    def feed() -> None:  # a writer for each time the pipe is opened, as a shell's <(...) is one
        while not stop.is_set():
            try:
                with open(tmp_path / "pipe.json", "w", encoding="utf-8") as out:
                    out.write(TRAILING)
            except BrokenPipeError:
                return

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        linted = CliRunner().invoke(main, ["lint", "pipe.json", "a.json"], catch_exceptions=False)
    finally:
        stop.set()
        os.close(os.open(tmp_path / "pipe.json", os.O_RDONLY | os.O_NONBLOCK))  # the writer's last open returns
        writer.join(5)
    found = FIXABLE.search(linted.stdout)
    assert found is not None and found.group(1) == "manifest-tools fix a.json", linted.output


def test_a_file_fix_refuses_or_has_nothing_to_fix_is_not_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hint named fixtures/invalid/frames.csv, which fix refuses to rewrite ("3 problems must be fixed by
    hand first"), beside the file whose fixes it counted."""
    monkeypatch.chdir(tmp_path)
    frames = Path(__file__).parents[2] / "fixtures" / "invalid" / "frames.csv"
    (tmp_path / "frames.csv").write_bytes(frames.read_bytes())
    (tmp_path / "r.json").write_text(REPEATED, encoding="utf-8")
    linted = CliRunner().invoke(main, ["lint", "r.json", "frames.csv"])
    found = FIXABLE.search(linted.stdout)
    assert found is not None, linted.stdout
    assert found.group(1) == "manifest-tools fix --unsafe-fixes r.json"
    refused = CliRunner().invoke(main, ["fix", "--unsafe-fixes", "frames.csv"])
    assert "not rewritten" in refused.stderr  # what naming it would have led to


MERGEABLE = f'{{"images": [{{"objectUrl": "{URL}/a.jpg"}}], "images": [{{"objectUrl": "{URL}/b.jpg"}}]}}\n'  # MT601


@pytest.mark.parametrize(
    ("files", "safe", "unsafe"),
    [
        # a file fix refuses without --unsafe-fixes (a repeated top-level key) beside one with a safe fix
        ({"m.json": MERGEABLE, "t.json": TRAILING}, "manifest-tools fix t.json", "m.json t.json"),
        # a file whose only fix is unsafe beside one with a safe fix: fix alone has nothing for it
        ({"r.json": REPEATED, "t.json": TRAILING}, "manifest-tools fix t.json", "r.json t.json"),
    ],
    ids=["refused without --unsafe-fixes", "only unsafe fixes"],
)
def test_each_command_names_the_files_it_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], safe: str, unsafe: str
) -> None:
    """ "1 fixable with `manifest-tools fix m.json t.json` (2 more with `... --unsafe-fixes m.json t.json`)": the
    first command named m.json, which fix without --unsafe-fixes refuses to rewrite ("not rewritten: 1 problem
    needs --unsafe-fixes"); each command now names the files whose fixes it counted."""
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    linted = CliRunner().invoke(main, ["lint", *files])
    commands = re.findall(r"`(manifest-tools fix[^`]*)`", linted.stdout)
    assert commands == [safe, f"manifest-tools fix --unsafe-fixes {unsafe}"], linted.stdout
    ran = CliRunner().invoke(main, ["fix", *shlex.split(safe)[2:]])
    assert "not rewritten" not in ran.stderr, ran.stderr
