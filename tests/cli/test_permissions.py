"""Paths the user may not read or write, as a new user met them (the s8 README walk):

- a folder a walk cannot read was skipped in silence ("All checks passed", exit 0), so CI passed without
  reading the manifests in it; named itself it was "no manifest found there";
- lint of a file in a folder that may not be entered said "internal error (PermissionError ...)";
- fix, convert -o and lint -o replaced a file the user may not write (mode 444, or someone else's in a
  folder the user may write) through the rename beside it, taking it over.

Every command runs as a user permissions bind (``tests/cli/unprivileged.py``): the suite runs as root in CI.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.unprivileged import NOBODY, run_unprivileged, shared_folder, unprivileged

CLEAN = '{\n  "images": [\n    {"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}\n  ]\n}\n'  # canonical
BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/b.jpg"},]}\n'  # MT102
DENIED = "cannot read: permission denied"


@pytest.fixture(scope="module")
def unreadable_tree() -> Iterator[Path]:
    """``shut/``: a clean manifest and ``sub/`` (mode 000) holding a broken one; ``listed/``: a clean manifest and
    ``sub/`` (mode 444: its names can be listed, its files not looked at) holding another."""
    with shared_folder() as base:
        for top in ("shut", "listed"):
            (base / top / "sub").mkdir(parents=True)
            (base / top / "a.json").write_text(CLEAN)
        (base / "shut" / "sub" / "bad.json").write_text(BROKEN)
        (base / "listed" / "sub" / "c.json").write_text(BROKEN)
        (base / "shut" / "sub").chmod(0o000)
        (base / "listed" / "sub").chmod(0o444)
        yield base


def said(*paths: str) -> str:
    return "".join(f"manifest-tools: {path}: {DENIED}\n" for path in paths)


READ_CASES = [
    # (command, what stderr holds, exactly)
    (("lint", "shut"), said("shut/sub")),
    (("lint", "shut/sub"), said("shut/sub")),  # not "no manifest found there": it could not be looked in
    (("lint", "listed"), said("listed/sub/c.json")),
    (("lint", "listed/sub"), said("listed/sub/c.json")),
    (("lint", "shut", "listed"), said("shut/sub", "listed/sub/c.json")),
    (("fix", "--check", "shut"), said("shut/sub")),
    (("fix", "shut"), said("shut/sub")),
    (("fix", "--diff", "listed"), said("listed/sub/c.json")),
    # a file in a folder that may not be entered: said as for fix, convert and split, not an internal error
    (("lint", "shut/sub/bad.json"), said("shut/sub/bad.json")),
    (("lint", "listed/sub/c.json"), said("listed/sub/c.json")),
    (("lint", "--isolated", "shut/sub/bad.json"), said("shut/sub/bad.json")),
    # the CI formats look for the repository of each path: its folder said "permission denied", no report
    (("lint", "--output-format", "sarif", "shut/sub/deep/m.json"), said("shut/sub/deep/m.json")),
    (("lint", "--output-format", "gitlab", "shut/sub/deep/m.json"), said("shut/sub/deep/m.json")),
    (("lint", "--output-format", "junit", "shut/sub/deep/m.json"), said("shut/sub/deep/m.json")),
    (("fix", "shut/sub/bad.json"), said("shut/sub/bad.json")),
    (("convert", "shut/sub/bad.json", "-o", "-", "--to", "csv"), said("shut/sub/bad.json")),
    (("split", "listed/sub/c.json", "--max-items", "1", "--dry-run"), said("listed/sub/c.json")),
]


@pytest.mark.parametrize(("command", "stderr"), READ_CASES, ids=[" ".join(command) for command, _ in READ_CASES])
def test_what_cannot_be_read_is_said_and_fails_the_run(
    unreadable_tree: Path, command: tuple[str, ...], stderr: str
) -> None:
    done = run_unprivileged(unreadable_tree, *command)
    errors = [line for line in done.stderr.splitlines(keepends=True) if line.startswith("manifest-tools:")]
    assert (done.returncode, "".join(errors)) == (2, stderr), done  # fix --diff's summary is on stderr too
    assert "All checks passed" not in done.stdout + done.stderr, "a path that could not be checked never passes"


def test_a_report_names_the_folder_that_could_not_be_read(unreadable_tree: Path) -> None:
    done = run_unprivileged(unreadable_tree, "lint", "--output-format", "json", "shut")
    assert done.returncode == 2, done
    report = json.loads(done.stdout)
    assert report["unreadable"] == [{"path": "shut/sub", "reason": DENIED}]
    assert report["summary"]["files"] == 1


def test_the_library_reports_the_folder_as_the_command_does(unreadable_tree: Path) -> None:
    script = "import manifest_tools; print(manifest_tools.lint_files(['shut', 'listed']).unreadable)"
    done = run_python(unreadable_tree, script)
    assert done.returncode == 0, done
    assert done.stdout.strip() == (
        f"[Unreadable(path='shut/sub', reason='{DENIED}'), Unreadable(path='listed/sub/c.json', reason='{DENIED}')]"
    )


def run_python(cwd: Path, script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        unprivileged(sys.executable, "-c", script), cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def writable_folder() -> Iterator[Path]:
    """``rw/``, a folder the unprivileged user may write, holding ``mine.json`` (theirs), ``ro.json`` (mode 444),
    ``link.json`` (a link to it) and ``theirs.json`` (root's, mode 644; a run that is not root cannot give a file
    away, so there it is mode 444, the same refusal); ``ro/``, a folder no one may write."""
    with shared_folder() as base:
        folder = base / "rw"
        folder.mkdir()
        for name in ("mine.json", "ro.json", "theirs.json"):
            (folder / name).write_text(BROKEN)
        (folder / "ro.json").chmod(0o444)
        (folder / "theirs.json").chmod(0o644 if os.geteuid() == 0 else 0o444)
        if os.geteuid() == 0:
            for path in (folder, folder / "mine.json", folder / "ro.json"):
                os.chown(path, NOBODY, NOBODY)
        (folder / "link.json").symlink_to("ro.json")  # fix writes through a link to its target
        if os.geteuid() == 0:
            os.lchown(folder / "link.json", NOBODY, NOBODY)
        (base / "ro").mkdir(mode=0o555)
        (base / "ro").chmod(0o555)
        yield base


def refused(path: str) -> str:
    return f"manifest-tools: {path}: permission denied: the file cannot be written\n"


WRITE_CASES = [
    # (command, the file it must not replace)
    (("fix", "rw/ro.json"), "rw/ro.json"),
    (("fix", "rw/theirs.json"), "rw/theirs.json"),
    (("fix", "rw/link.json"), "rw/ro.json"),
    (("convert", "rw/mine.json", "-o", "rw/ro.json"), "rw/ro.json"),
    (("convert", "rw/mine.json", "-o", "rw/theirs.json"), "rw/theirs.json"),
    (("lint", "rw/mine.json", "-o", "rw/ro.json"), "rw/ro.json"),
    (("lint", "rw/mine.json", "-o", "rw/theirs.json"), "rw/theirs.json"),
]


@pytest.mark.parametrize(("command", "kept"), WRITE_CASES, ids=[" ".join(command) for command, _ in WRITE_CASES])
def test_a_file_the_user_may_not_write_is_refused_not_replaced(
    writable_folder: Path, command: tuple[str, ...], kept: str
) -> None:
    before = (writable_folder / kept).stat()
    done = run_unprivileged(writable_folder, *command)
    assert done.returncode == 2, done
    assert refused(command[1] if command[0] == "fix" else command[-1]) in done.stderr, done.stderr
    after = (writable_folder / kept).stat()
    assert (writable_folder / kept).read_text() == BROKEN
    assert (after.st_ino, after.st_uid, stat.S_IMODE(after.st_mode)) == (
        before.st_ino,
        before.st_uid,
        stat.S_IMODE(before.st_mode),
    ), "not replaced, not taken over"
    assert sorted(p.name for p in (writable_folder / "rw").iterdir()) == [
        "link.json",
        "mine.json",
        "ro.json",
        "theirs.json",
    ]
    assert (writable_folder / "rw" / "link.json").is_symlink()


def test_a_file_the_user_may_write_is_still_fixed(writable_folder: Path) -> None:
    """The refusal above is the file's mode, not the folder's: the user's own file beside them is fixed."""
    done = run_unprivileged(writable_folder, "fix", "rw/mine.json")
    assert (done.returncode, done.stderr.split(": ")[:2]) == (0, ["rw/mine.json", "MT102 fixed at /images"]), done
    assert (writable_folder / "rw" / "mine.json").read_text() != BROKEN


def test_a_new_file_in_a_read_only_folder_is_not_said_to_replace_an_old_one(writable_folder: Path) -> None:
    done = run_unprivileged(writable_folder, "convert", "rw/mine.json", "-o", "ro/new.json")
    assert (done.returncode, done.stderr) == (
        2,
        "manifest-tools: ro/new.json: permission denied: the folder ro cannot be written"
        " (the new text goes to a temporary file there, then takes its name)\n",
    )


@pytest.mark.parametrize("part", ["m.part-0001.json", "m.part-0002.json"])
@pytest.mark.parametrize("protected", ["mode 444", "someone else's"])
def test_split_replace_refuses_an_earlier_part_the_user_may_not_write(
    writable_folder: Path, part: str, protected: str
) -> None:
    """``split --replace`` took over a write-protected part, or root's, as fix did: the set is left as it was."""
    source = writable_folder / "rw" / "m.json"
    source.write_text(
        CLEAN.replace("a.jpg", "b.jpg").replace(
            "}\n  ]", '},\n    {"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/c.jpg"}\n  ]'
        )
    )
    if os.geteuid() == 0:
        os.chown(source, NOBODY, NOBODY)
    first = run_unprivileged(writable_folder, "split", "rw/m.json", "--max-items", "1")
    assert first.returncode == 0, first
    target = writable_folder / "rw" / part
    if protected == "someone else's" and os.geteuid() == 0:
        os.chown(target, 0, 0)
    else:
        target.chmod(0o444)
    before = {p.name: (p.read_text(), p.stat().st_ino) for p in (writable_folder / "rw").glob("m.part-*")}
    done = run_unprivileged(writable_folder, "split", "rw/m.json", "--max-items", "1", "--replace")
    assert (done.returncode, done.stderr) == (
        2,
        f"manifest-tools: rw/{part}: permission denied: the file cannot be written, so it is not replaced\n",
    )
    after = {p.name: (p.read_text(), p.stat().st_ino) for p in (writable_folder / "rw").glob("m.part-*")}
    assert after == before, "the earlier set stays whole"


def test_a_configuration_file_that_cannot_be_read_is_said_in_the_same_words(writable_folder: Path) -> None:
    """It said ``cannot read [tool.manifest-tools]: [Errno 13] Permission denied: '/tmp/.../pyproject.toml'``."""
    (writable_folder / "pyproject.toml").write_text("[tool.manifest-tools]\n")
    (writable_folder / "pyproject.toml").chmod(0o000)
    done = run_unprivileged(writable_folder, "lint", "rw/mine.json")
    config = (writable_folder / "pyproject.toml").resolve()
    assert (done.returncode, done.stderr) == (2, f"manifest-tools: {config}: cannot read: permission denied\n")


CONFIG_COMMANDS = [("lint", "a.json"), ("fix", "--check", "a.json"), ("verify", "a.json")]


@pytest.mark.parametrize("command", CONFIG_COMMANDS, ids=[command[0] for command in CONFIG_COMMANDS])
def test_a_config_file_in_a_folder_that_may_not_be_entered_is_said_to_be_so(
    unreadable_tree: Path, command: tuple[str, ...]
) -> None:
    """``--config sub/pyproject.toml`` got click's "File ... does not exist" under a usage block: the file may
    well exist; what is true is that it may not be read. One line, in the words a manifest's read uses (a config
    file is named by its full path in every config error)."""
    verb, *rest = command
    done = run_unprivileged(unreadable_tree / "shut", verb, "--config", "sub/pyproject.toml", *rest)
    shown = unreadable_tree.resolve() / "shut" / "sub" / "pyproject.toml"
    assert (done.returncode, done.stdout, done.stderr) == (2, "", said(str(shown))), done


def test_a_missing_config_file_is_still_said_not_to_exist(unreadable_tree: Path) -> None:
    done = run_unprivileged(unreadable_tree / "shut", "lint", "--config", "nowhere.toml", "a.json")
    assert done.returncode == 2 and "'nowhere.toml' does not exist" in done.stderr, done
