"""A path that could not be checked is in every machine-readable report, with its reason: a run that exits 2
must not read as clean to a program (validated with the same schemas and parsers as the other CI formats)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import junitparser
import pytest
from click.testing import CliRunner

from manifest_tools.cli import main
from manifest_tools.report.report import Unreadable
from tests.report.test_ci_formats import BROKEN, GITLAB_CODE_QUALITY
from tests.report.test_outputs import SARIF_SCHEMA

NO_MANIFEST = "no manifest (*.json, *.csv) found there, or every one is excluded"
EXPECTED = [("empty", NO_MANIFEST), ("nope.json", "no such file")]
"""(path as given, reason): folders without manifests come first, then files in the order given."""


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with ``data/broken.json`` and an empty ``data/empty``; the run starts in ``data``."""
    repository = tmp_path / "repo"
    (repository / "data" / "empty").mkdir(parents=True)
    monkeypatch.delenv("GIT_DIR", raising=False)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (repository / "data" / "broken.json").write_text(BROKEN)
    monkeypatch.chdir(repository / "data")
    return repository / "data"


def lint(output_format: str, *paths: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lint", "--output-format", output_format, *paths])
    return result.exit_code, result.stdout


def test_json_lists_each_unreadable_path_with_its_reason(data: Path) -> None:
    code, out = lint("json", "broken.json", "nope.json", "empty")
    document = json.loads(out)
    assert code == 2
    assert document["unreadable"] == [{"path": path, "reason": reason} for path, reason in EXPECTED]
    assert document["summary"]["unreadable"] == 2
    assert document["summary"]["errors"] == 1, "the readable file is still reported"


def test_json_of_a_run_that_read_everything_has_none(data: Path) -> None:
    document = json.loads(lint("json", "broken.json")[1])
    assert (document["unreadable"], document["summary"]["unreadable"]) == ([], 0)


def test_sarif_says_the_run_was_not_successful_and_names_each_path(data: Path) -> None:
    code, out = lint("sarif", "broken.json", "nope.json", "empty")
    document = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    assert code == 2
    (invocation,) = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    notices = [
        (n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], n["message"]["text"])
        for n in invocation["toolExecutionNotifications"]
    ]
    assert notices == [("error", f"data/{path}", reason) for path, reason in EXPECTED], "repo-relative, as results"
    assert [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]
    ] == ["data/broken.json"]


def test_sarif_of_a_run_that_read_everything_is_successful(data: Path) -> None:
    document = json.loads(lint("sarif", "broken.json")[1])
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    assert document["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_junit_error_carries_the_reason(data: Path) -> None:
    code, out = lint("junit", "broken.json", "nope.json", "empty")
    assert code == 2
    parsed = junitparser.JUnitXml.fromstring(out)
    errors = {}
    for suite in parsed:
        for case in suite:
            for result in case.result:
                if isinstance(result, junitparser.Error):
                    errors[suite.name] = (result.message, result.text)
    assert errors == {f"data/{path}": (reason, f"data/{path}: {reason}") for path, reason in EXPECTED}
    root = ElementTree.fromstring(out)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "2")


def test_gitlab_has_a_blocker_per_unreadable_path(data: Path) -> None:
    code, out = lint("gitlab", "broken.json", "nope.json", "empty")
    issues = json.loads(out)
    jsonschema.Draft202012Validator(GITLAB_CODE_QUALITY).validate(issues)
    assert code == 2
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]) for i in issues] == [
        ("MT102", "major", "data/broken.json", {"begin": 1, "end": 1}),
        *[("unreadable", "blocker", f"data/{path}", {"begin": 1}) for path, _ in EXPECTED],
    ]
    assert [i["description"] for i in issues[1:]] == [f"could not be checked: {reason}" for _, reason in EXPECTED]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_github_annotates_each_unreadable_path(data: Path) -> None:
    code, out = lint("github", "broken.json", "nope.json", "empty")
    assert code == 2
    assert [line for line in out.splitlines() if line.startswith("::error file=") and "MT" not in line] == [
        f"::error file={path}::{reason}" for path, reason in EXPECTED
    ]
    assert out.splitlines()[-1] == "Found 1 error in 1 file (1 checked). 2 paths could not be checked."


def test_text_summary_is_unchanged(data: Path) -> None:
    code, out = lint("text", "broken.json", "nope.json", "empty")
    assert code == 2
    assert "Found 1 error in 1 file (1 checked). 2 paths could not be checked." in out.splitlines()


@pytest.mark.parametrize(
    ("path", "error", "reason"),
    [
        ("m.json", "m.json: no such file", "no such file"),  # the path is said once, as the path
        ("m.json", "permission denied", "permission denied"),
        ("", "a.json: b.json: too many files", "a.json: b.json: too many files"),  # the run's, not a file's
    ],
)
def test_the_reason_does_not_repeat_the_path(path: str, error: str, reason: str) -> None:
    assert Unreadable.of(path, OSError(error)) == Unreadable(path, reason)
