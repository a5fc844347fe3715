"""``fix --diff``'s patch is one ``git apply`` takes as it is, run where ``fix`` ran: git-style ``a/`` and ``b/``
headers (git apply strips one directory by default; the bare path lost its first directory)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

URL = "https://b.s3.eu-west-2.amazonaws.com"
ONE_LINE = '{"images": [{"objectUrl": "URL/a.jpg", "title": " a "},]}\n'.replace("URL", URL)
CRLF = '{\r\n  "images": [\r\n    {"objectUrl": "URL/a.jpg", "title": " a "}\r\n  ]\r\n}\r\n'.replace("URL", URL)
NO_FINAL_NEWLINE = ONE_LINE.rstrip("\n")
LINE_SEPARATOR = '{"images": [{"objectUrl": "URL/a.jpg", "title": " a\u2028b "}]}\n'.replace("URL", URL)
"""U+2028 in a string: ``str.splitlines`` ends a line there, patch tools do not."""

CASES = {
    "nested path": ("uploads/legacy/batch-07.json", ONE_LINE, None),
    "spaces in names": ("my uploads/batch 07.json", ONE_LINE, None),
    "dot-slash": ("./uploads/batch-07.json", ONE_LINE, None),
    "absolute under the working directory": ("{cwd}/uploads/batch-07.json", ONE_LINE, None),
    "CRLF lines": ("uploads/crlf.json", CRLF, None),
    "no final newline": ("uploads/batch-07.json", NO_FINAL_NEWLINE, None),
    "U+2028 in a string": ("uploads/batch-07.json", LINE_SEPARATOR, None),
    "stdin with --stdin-filename": ("-", ONE_LINE, "uploads/batch-07.json"),
}


def _git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repo, check=True, capture_output=True)


@pytest.mark.parametrize(("given", "text", "stdin_name"), CASES.values(), ids=CASES.keys())
def test_git_apply_takes_the_diff_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, text: str, stdin_name: str | None
) -> None:
    """``git apply --check`` accepts the patch in a repository, and applying it gives what ``fix`` writes."""
    repo = tmp_path / "repo"
    name = stdin_name or given.replace("{cwd}/", "")
    target = repo / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode())
    _git(repo, "init", "-q")
    monkeypatch.chdir(repo)
    if stdin_name is None:
        result = CliRunner().invoke(main, ["fix", "--diff", given.replace("{cwd}", str(repo))])
    else:
        result = CliRunner().invoke(main, ["fix", "--diff", "-", "--stdin-filename", stdin_name], input=text)
    assert result.exit_code == 1, result.output  # 1: there was something to fix
    patch = result.stdout_bytes
    (tmp_path / "p.diff").write_bytes(patch)
    _git(repo, "apply", "--check", str(tmp_path / "p.diff"))  # CalledProcessError holds git's complaint
    _git(repo, "apply", str(tmp_path / "p.diff"))
    expected = tmp_path / "expected.json"  # the same file fixed in place, elsewhere
    expected.write_bytes(text.encode())
    written = CliRunner().invoke(main, ["fix", str(expected)])
    assert written.exit_code == 0, written.output
    assert target.read_bytes() == expected.read_bytes()


def test_standard_input_without_a_name_is_headed_as_lint_names_it() -> None:
    """No file to name: the header says ``<stdin>`` (as every message does), with git's prefixes."""
    result = CliRunner().invoke(main, ["fix", "--diff", "-"], input=ONE_LINE)
    assert result.stdout.startswith("--- a/<stdin>\n+++ b/<stdin>\n@@ "), result.stdout
