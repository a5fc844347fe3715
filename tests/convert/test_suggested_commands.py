"""Every command a conversion's message suggests runs as printed and does what the message says it will: the
file read is named (quoted when a shell needs it), never a placeholder such as SOURCE; standard input, which
names no file, is piped to the command again (with a name for split's parts)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.conversion import ConversionRefused

URL = "https://b.s3.eu-west-2.amazonaws.com"
TOO_BIG = json.dumps({"images": [{"objectUrl": f"{URL}/{n}.jpg"} for n in range(10_001)]})  # one row too many
INVALID = json.dumps({"images": {"objectUrl": f"{URL}/a.jpg"}})  # not an array
COMMAND = re.compile(r"(run|pipe it to) (manifest-tools [^)]*)")

CASES = {  # the file (None: standard input), its text, convert's other arguments, the verb suggested
    "too big for CSV": ("big.json", TOO_BIG, ["-o", "big.csv"], "split"),
    "too big, a name with a space": ("my big.json", TOO_BIG, ["-o", "big.csv"], "split"),
    "too big, from standard input": (None, TOO_BIG, ["--to", "csv", "-o", "big.csv"], "split"),
    "too big, standard input named": (
        None,
        TOO_BIG,
        ["--stdin-filename", "in dir/export.json", "--to", "csv", "-o", "-"],
        "split",
    ),
    "not a valid manifest": ("bad.json", INVALID, ["-o", "bad.csv"], "lint"),
    "not valid, a name with a space": ("my bad.json", INVALID, ["--to", "sdk", "-o", "bad.json"], "lint"),
    "not valid, from standard input": (None, INVALID, ["--to", "csv", "-o", "bad.csv"], "lint"),
    "the output is the input": ("my m.json", TOO_BIG, ["-o", "my m.json"], "fix"),
}


@pytest.mark.parametrize(("name", "text", "args", "verb"), CASES.values(), ids=CASES.keys())
def test_a_suggested_command_runs_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str | None, text: str, args: list[str], verb: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in dir").mkdir()
    if name is not None:
        (tmp_path / name).write_text(text, encoding="utf-8")
    source = ["-"] if name is None else [name]
    refused = CliRunner().invoke(main, ["convert", *source, *args], input=text, catch_exceptions=False)
    assert refused.exit_code in (1, 2), refused.output
    found = COMMAND.search(refused.stderr.splitlines()[-1])
    assert found is not None, refused.stderr
    piped, command = found.group(1) == "pipe it to", shlex.split(found.group(2))
    assert piped == (name is None) and "SOURCE" not in command
    assert command[:2] == ["manifest-tools", verb]
    ran = CliRunner().invoke(main, command[1:], input=text if piped else None, catch_exceptions=False)
    if verb == "split":  # as the message says: split it, then convert each part
        assert ran.exit_code == 0, ran.output
        parts = [line.strip() for line in ran.stdout.splitlines() if line.startswith("  ")]
        assert len(parts) == 2
        for part in parts:
            converted = CliRunner().invoke(main, ["convert", part, "-o", f"{part}.csv"])
            assert converted.exit_code == 0, converted.output
    elif verb == "lint":  # it names each problem
        assert ran.exit_code == 1 and "MT203" in ran.stdout, ran.output
    else:  # the file is rewritten in place
        assert ran.exit_code == 0 and "Changed 1 file" in ran.stdout, ran.output


@pytest.mark.parametrize(("text", "verb"), [(TOO_BIG, "split"), (INVALID, "lint")], ids=["too big", "invalid"])
def test_the_library_names_the_manifests_path(tmp_path: Path, text: str, verb: str) -> None:
    """Without the CLI, the refusal names the path the manifest was read from."""
    path = tmp_path / "my export.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConversionRefused) as refused:
        manifest_tools.convert(path, "csv")
    assert f"run manifest-tools {verb} {shlex.quote(str(path))}" in str(refused.value)
