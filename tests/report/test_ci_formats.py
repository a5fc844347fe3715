"""GitLab code quality and JUnit outputs, read as their consumers read them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'
CLEAN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\n'
TWO_OF_A_KIND = (  # the same rule twice in one file: GitLab shows one issue per fingerprint
    '{"image_groups": [{"title": "a.jpg", "createVideo": false, "objectUrl_0": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},\n'
    ' {"title": "b.jpg", "createVideo": false, "objectUrl_0": "https://b.s3.eu-west-2.amazonaws.com/b.jpg"}]}\n'
)

GITLAB_CODE_QUALITY = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "description": "GitLab's code quality format (docs.gitlab.com/ci/testing/code_quality, a Code Climate subset)",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}, "end": {"type": "integer"}},
                    },
                },
            },
        },
    },
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "broken.json").write_text(BROKEN)
    (tmp_path / "clean.json").write_text(CLEAN)
    (tmp_path / "groups.json").write_text(TWO_OF_A_KIND)
    return tmp_path


def lint(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["lint", *args])
    return result.exit_code, result.stdout


def test_gitlab_report_validates_and_fingerprints_are_unique(workdir: Path) -> None:
    code, out = lint("--output-format", "gitlab", str(workdir / "sub"), "clean.json", "groups.json")
    issues = json.loads(out)
    jsonschema.Draft202012Validator(GITLAB_CODE_QUALITY).validate(issues)
    assert code == 1
    assert [(i["location"]["path"], i["check_name"], i["severity"]) for i in issues] == [
        ("sub/broken.json", "MT102", "major"),
        ("groups.json", "MT212", "minor"),
        ("groups.json", "MT212", "minor"),
    ]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    again = json.loads(lint("--output-format", "gitlab", str(workdir / "sub"), "clean.json", "groups.json")[1])
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues], "stable across runs"


def test_gitlab_report_of_a_clean_run_is_an_empty_array(workdir: Path) -> None:
    assert lint("--output-format", "gitlab", "clean.json") == (0, "[]\n")


def test_junit_parses_with_elementtree_and_junitparser(workdir: Path) -> None:
    junitparser = pytest.importorskip("junitparser")
    (workdir / "empty").mkdir()
    code, out = lint("--output-format", "junit", "sub", "clean.json", "groups.json", "empty")
    assert code == 2
    root = ElementTree.fromstring(out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "3", "1")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert list(suites) == ["sub/broken.json", "clean.json", "groups.json", "empty"]
    failure = suites["sub/broken.json"].find("testcase/failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.text == "sub/broken.json:1:72: MT102 trailing comma before ']': strict JSON does not allow it"
    parsed = junitparser.JUnitXml.fromstring(out)
    by_name = {suite.name: suite for suite in parsed}
    assert (by_name["groups.json"].tests, by_name["groups.json"].failures) == (2, 2)
    assert (by_name["clean.json"].tests, by_name["clean.json"].failures) == (1, 0)
    assert by_name["empty"].errors == 1


def test_gitlab_and_junit_paths_start_at_the_repository_root_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitLab links a path from the repository root, wherever the job ran (as SARIF's URIs)."""
    repository = tmp_path / "repo"
    (repository / "data" / "sub").mkdir(parents=True)
    monkeypatch.delenv("GIT_DIR", raising=False)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (repository / "data" / "sub" / "broken.json").write_text(BROKEN)
    (repository / "data" / "empty").mkdir()
    for folder, given in ((repository / "data", "sub"), (repository / "data" / "sub", "."), (tmp_path, "repo/data")):
        monkeypatch.chdir(folder)
        _, out = lint("--output-format", "gitlab", given)
        assert [i["location"]["path"] for i in json.loads(out)] == ["data/sub/broken.json"], folder
        _, out = lint("--output-format", "junit", given)
        suites = [suite.get("name") for suite in ElementTree.fromstring(out).iter("testsuite")]
        assert suites == ["data/sub/broken.json"], folder
        failure = ElementTree.fromstring(out).find("testsuite/testcase/failure")
        assert failure is not None and (failure.text or "").startswith("data/sub/broken.json:1:"), folder
    monkeypatch.chdir(repository / "data")
    _, out = lint("--output-format", "junit", "sub", "empty")
    assert [suite.get("name") for suite in ElementTree.fromstring(out).iter("testsuite")] == [
        "data/sub/broken.json",
        "data/empty",
    ]


def _fingerprints(output_format: str, out: str) -> list[str]:
    document = json.loads(out)
    if output_format == "sarif":
        return [r["partialFingerprints"]["manifestTools/v1"] for r in document["runs"][0]["results"]]
    if output_format == "json":
        return [d["fingerprint"] for d in document["diagnostics"]]
    return [i["fingerprint"] for i in document]


@pytest.mark.parametrize("output_format", ["sarif", "json", "gitlab"])
def test_fingerprints_do_not_move_with_the_folder_or_the_spelling_of_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    """Code scanning keys alerts on the fingerprint: a CI job run from another folder, or naming the file by an
    absolute path, must not close every alert and open it anew."""
    repository = tmp_path / "proj"
    (repository / "uploads").mkdir(parents=True)
    monkeypatch.delenv("GIT_DIR", raising=False)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (repository / "uploads" / "broken.json").write_text(TWO_OF_A_KIND.replace("}]}", "},]}"))
    runs = []
    for folder, given in (
        (repository, "uploads/broken.json"),
        (repository / "uploads", "broken.json"),
        (tmp_path, str(repository / "uploads" / "broken.json")),
        (repository, "./uploads/../uploads/broken.json"),
    ):
        monkeypatch.chdir(folder)
        runs.append(_fingerprints(output_format, lint("--output-format", output_format, given)[1]))
    assert len(runs[0]) == 3, runs[0]
    assert runs == [runs[0]] * len(runs)
