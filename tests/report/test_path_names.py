"""A file's name is shown, never obeyed: one that is not UTF-8 (a Latin-1 name from a Windows zip or a share,
which Python decodes with surrogates) or that holds a newline, ESC or a bidi override gives, in every output
format, a well-formed document in strict UTF-8 (read by the parsers of its consumers: ``json``, ElementTree,
the official SARIF schema) and no line it did not write (a newline must not start a GitHub workflow command)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from manifest_tools import redact
from manifest_tools.redact import for_path, shell_word

SARIF_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif-2.1.0-rtm.5.json").read_text())
BROKEN = b'{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'  # one MT102

NAMES = {  # the name's bytes, how text shows it, and how a SARIF URI spells it (RFC 3986)
    "latin-1": (b"caf\xe9.json", "caf\\xe9.json", "caf%E9.json"),
    "newline": (b"x\n::error file=evil.json::pwned.json", "x\\n::error file=evil.json::pwned.json", None),
    "controls": (b"\x1b[2J\xe2\x80\xaetxt.json", "\\x1b[2J\\u202etxt.json", "%1B%5B2J%E2%80%AEtxt.json"),
    # a literal backslash-n: shown with its backslash doubled, as repr does, never as the newline's name is
    "backslash": (b"x\\n::error file=evil.json::pwned.json", "x\\\\n::error file=evil.json::pwned.json", None),
}


def _machine_name(raw: bytes, shown: str) -> str:
    """The name a JSON report carries (JSON and GitLab, read by programs): the real name when it is Unicode
    (json escapes a control character itself), the shown form only for bytes that are not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return shown


def _lines_not_ours(text: str) -> None:
    assert not any(line.startswith("::error file=evil") for line in text.splitlines()), text


def _text(out: str, shown: str) -> None:
    lines = out.splitlines()
    assert lines[0].startswith(f"{shown}:1:"), lines
    assert lines[1].startswith("Found 1 error in 1 file"), lines


def _json(out: str, shown: str) -> None:
    assert [d["file"] for d in json.loads(out)["diagnostics"]] == [shown]


def _machine(check: Callable[[str, str], None]) -> Callable[[str, str], None]:
    """``check`` of a format programs read: the name it carries is :func:`_machine_name`'s, not the shown one."""

    def machine(out: str, shown: str) -> None:
        raw = next(raw for raw, name, _ in NAMES.values() if name == shown)
        check(out, _machine_name(raw, shown))

    return machine


def _github(out: str, shown: str) -> None:
    lines = out.splitlines()
    assert lines[0].startswith("::group::") and lines[1].startswith("::error file=") and lines[2] == "::endgroup::"


def _sarif(out: str, shown: str) -> None:
    document = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    assert len(document["runs"][0]["results"]) == 1


def _gitlab(out: str, shown: str) -> None:
    assert [issue["location"]["path"] for issue in json.loads(out)] == [shown]


def _junit(out: str, shown: str) -> None:
    suites = ElementTree.fromstring(out.encode("utf-8"))
    assert [suite.get("name") for suite in suites.iter("testsuite")] == [shown]


CHECKS: dict[str, Callable[[str, str], None]] = {
    "text": _text,
    "json": _machine(_json),
    "github": _github,
    "sarif": _sarif,
    "gitlab": _machine(_gitlab),
    "junit": _junit,
}


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "manifest_tools.cli", "lint", "--isolated", *args]
    return subprocess.run(command, cwd=folder, capture_output=True, check=False, env=environment)


@pytest.fixture(params=list(NAMES))
def named(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, str | None]:
    raw, shown, uri = NAMES[request.param]
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / os.fsdecode(raw)).write_bytes(BROKEN)
    return folder, shown, uri


@pytest.mark.parametrize("output_format", list(CHECKS))
def test_every_format_shows_the_name_in_strict_utf8(output_format: str, named: tuple[Path, str, str | None]) -> None:
    folder, shown, _ = named
    done = _run(folder, "--output-format", output_format, ".")
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode("utf-8")  # strict: no surrogate-escaped byte reaches the output
    _lines_not_ours(out)
    CHECKS[output_format](out, shown)


@pytest.mark.parametrize("output_format", ["junit", "sarif", "text"])
def test_a_report_file_is_written_for_such_a_name(output_format: str, named: tuple[Path, str, str | None]) -> None:
    folder, shown, _ = named
    done = _run(folder, "--output-format", output_format, "-o", "../report.out", ".")
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")
    out = (folder.parent / "report.out").read_bytes().decode("utf-8")
    CHECKS[output_format](out, shown)


def test_sarif_uris_percent_encode_the_names_bytes(named: tuple[Path, str, str | None]) -> None:
    folder, _, uri = named
    document = json.loads(_run(folder, "--output-format", "sarif", ".").stdout)
    [result] = document["runs"][0]["results"]
    if uri is not None:
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("plain/caf\u00e9 \u65e5.json", "plain/caf\u00e9 \u65e5.json"),
        (os.fsdecode(b"caf\xe9.json"), "caf\\xe9.json"),
        (os.fsdecode(b"\xff\xfe/\x80"), "\\xff\\xfe/\\x80"),
        ("a\nb\r\tc\x1b\u202e\u2028.json", "a\\nb\\r\\tc\\x1b\\u202e\\u2028.json"),
        ("a\\nb.json", "a\\\\nb.json"),  # a literal backslash-n: not the newline's name
        (os.fsdecode(b"caf\\xe9 \xe9.json"), "caf\\\\xe9 \\xe9.json"),
        ("\ud800.json", "\\ud800.json"),  # a lone surrogate no byte could have given
    ],
)
def test_for_path_escapes_as_repr_and_bytes_as_bytes(path: str, shown: str) -> None:
    assert for_path(path) == shown
    shown.encode("utf-8")


def test_for_path_tells_every_two_names_apart() -> None:
    """As repr does: a name holding a newline and one holding a backslash and an n are shown differently."""
    names = ["a\nb", "a\\nb", "a\\\nb", "a\\\\nb", os.fsdecode(b"a\xe9"), "a\\xe9", "a\\\\xe9"]
    assert len({for_path(name) for name in names}) == len(names)


def test_a_backslash_is_shown_as_it_is_where_it_separates_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows the backslash is the path separator, and a name holds no control character: doubling it
    would only garble every path (``data\\\\m.json``)."""
    monkeypatch.setattr(redact, "BACKSLASH_IS_SEPARATOR", True)
    assert for_path("data\\m.json") == "data\\m.json"
    monkeypatch.setattr(redact, "BACKSLASH_IS_SEPARATOR", False)
    assert for_path("data\\m.json") == "data\\\\m.json"


def test_the_fix_log_shows_the_name_as_reports_do(named: tuple[Path, str, str | None]) -> None:
    folder, shown, _ = named
    done = subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", "fix", "--isolated", "--check", "."],
        cwd=folder,
        capture_output=True,
        check=False,
    )
    log = done.stderr.decode("utf-8")
    assert f"{shown}: MT102 would be fixed at /images: removed a trailing comma" in log.splitlines(), log


def test_the_fix_hint_names_the_file_on_one_line_as_the_shell_reads_it(named: tuple[Path, str, str | None]) -> None:
    folder, _, _ = named
    [name] = os.listdir(folder)
    out = _run(folder, name).stdout.decode("utf-8")
    _lines_not_ours(out)
    hint = out.splitlines()[-1]
    assert hint.startswith("1 fixable with `manifest-tools fix --isolated "), out
    word = hint.split("`")[1].removeprefix("manifest-tools fix --isolated ")
    assert subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, check=True).stdout == os.fsencode(
        name
    )


@pytest.mark.parametrize(
    "name", ["plain.json", "it's a file.json", "a\\b\n'c'\x1b\u202e.json", os.fsdecode(b"caf\xe9 \\x41.json")]
)
def test_shell_word_is_read_back_by_bash_as_the_names_bytes(name: str) -> None:
    word = shell_word(name)
    assert word.isprintable()
    assert subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, check=True).stdout == os.fsencode(
        name
    )


def test_fix_diff_heads_such_a_name_as_git_quotes_it_and_git_applies_it(named: tuple[Path, str, str | None]) -> None:
    """``fix --diff`` wrote the name raw in ``--- a/...``: a newline in it started a line of its own (a workflow
    command in a CI log) and no patch tool could read the header. ``git apply``, a reader we did not write,
    takes the patch and fixes the very file."""
    folder, _, _ = named
    [name] = os.listdir(folder)
    environment = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent)}
    subprocess.run(["git", "init", "-q", "."], cwd=folder, check=True, env=environment)
    patch = subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", "fix", "--isolated", "--diff", "."],
        cwd=folder,
        capture_output=True,
        check=False,
        env=environment,
    ).stdout
    text = patch.decode("utf-8")
    _lines_not_ours(text)
    assert text.splitlines()[0].startswith(("--- a/", '--- "a/')), text
    subprocess.run(["git", "apply", "-"], cwd=folder, input=patch, check=True, env=environment)
    assert (folder / name).read_bytes() != BROKEN
    assert _run(folder, name).returncode == 0
