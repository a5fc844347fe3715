"""Output formats for CI: GitHub annotations, SARIF validated against the official schema, JSON fields."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.report.formatters import FORMATTERS, TextStyle, format_github
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.docs import reference_markdown

ROOT = Path(__file__).parents[2]
SARIF_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif-2.1.0-rtm.5.json").read_text())
URL = "https://b.s3.eu-west-2.amazonaws.com"


def test_github_annotations_escape_properties_and_messages() -> None:
    text = '{"images": [{"objectUrl": "' + URL + '/a,b:c.jpg", "title": "x\\ny%z "}]}'
    report = manifest_tools.lint(text.encode(), format="json", name="dir:1/odd,name.json")
    out = format_github(report, TextStyle())
    group, first, *_, last = out.splitlines()
    assert group == "::group::dir:1/odd,name.json"
    assert first.startswith("::warning file=dir%3A1/odd%2Cname.json,line=1,col=")
    assert ",title=MT219 title-whitespace::title 'x\\ny%25z ' has leading" in first
    assert "\n" not in first and last == "Found 1 warning in 1 file (1 checked)."


def test_github_format_is_chosen_inside_github_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.json").write_text('{"images": [{"objectUrl": "gs://b/a.jpg"}]}')
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = CliRunner().invoke(main, ["lint", "m.json"])
    group, annotation, *_ = result.stdout.splitlines()
    assert group == "::group::m.json"
    assert annotation.startswith("::error file=m.json,line=1,col=27,endLine=1,endColumn=41,title=MT302 ")
    assert CliRunner().invoke(main, ["lint", "--output-format", "text", "m.json"]).stdout.startswith("m.json:1:27:")


def test_github_annotations_are_grouped_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file with findings is one foldable group holding exactly its own annotations; clean files add none."""
    monkeypatch.chdir(tmp_path)
    bad = '{"images": [{"objectUrl": "gs://b/a.jpg"}, {"objectUrl": "gs://b/b.jpg"}]}'
    (tmp_path / "a.json").write_text(bad)
    (tmp_path / "clean.json").write_text('{"images": [{"objectUrl": "' + URL + '/a.jpg"}]}')
    (tmp_path / "z.json").write_text(bad)
    result = CliRunner().invoke(main, ["lint", "--output-format", "github", "a.json", "clean.json", "z.json"])
    groups: list[tuple[str, list[str]]] = []
    lines = result.stdout.splitlines()
    for line in lines[:-1]:
        if line.startswith("::group::"):
            groups.append((line.removeprefix("::group::"), []))
        elif line != "::endgroup::":
            assert line.startswith("::error file="), "annotations only inside a group"
            groups[-1][1].append(line.split(",")[0].removeprefix("::error file="))
    assert groups == [("a.json", ["a.json", "a.json"]), ("z.json", ["z.json", "z.json"])]
    assert lines.count("::endgroup::") == 2 and lines[-2] == "::endgroup::"
    assert lines[-1].startswith("Found 4 errors in 2 files (3 checked).")


def test_sarif_validates_against_the_official_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    paths = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "fixtures" / "invalid").glob("*.[jc]s*"))]
    result = CliRunner().invoke(main, ["lint", "--output-format", "sarif", *paths])
    document = json.loads(result.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    run = document["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == sorted(all_rules())
    first = run["results"][0]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "fixtures/invalid/duplicate-image-groups.json",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"]["startLine"] == 15 and location["region"]["startColumn"] == 3
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == first["ruleId"]


def _sarif_locations(*args: str, stdin: str | None = None) -> tuple[str, list[str]]:
    """The run's %SRCROOT% and each result's URI, after checking the log against the official schema."""
    result = CliRunner().invoke(main, ["lint", "--output-format", "sarif", *args], input=stdin)
    document = json.loads(result.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    run = document["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    return run["originalUriBaseIds"]["%SRCROOT%"]["uri"], uris


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_sarif_uris_are_relative_to_the_repository_root_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub code scanning resolves URIs from the repository root, wherever the job ran."""
    repository = tmp_path / "repo"
    (repository / "data" / "sub folder").mkdir(parents=True)
    monkeypatch.delenv("GIT_DIR", raising=False)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    manifest = repository / "data" / "sub folder" / "m.json"
    manifest.write_text('{"images": [{"objectUrl": "gs://b/a.jpg"}]}')
    expected = (repository.resolve().as_uri() + "/", ["data/sub%20folder/m.json"])
    monkeypatch.chdir(repository / "data")
    assert _sarif_locations("sub folder/m.json") == expected, "run from a sub-folder"
    monkeypatch.chdir(manifest.parent)
    assert _sarif_locations("m.json") == expected, "run from the file's own folder"
    monkeypatch.chdir(tmp_path)
    assert _sarif_locations(str(manifest)) == expected, "run from outside the repository"
    monkeypatch.chdir(repository / "data")
    assert _sarif_locations("--stdin-filename", "sub folder/m.json", "-", stdin=manifest.read_text()) == expected


def test_sarif_uris_outside_a_repository_are_relative_to_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # tmp_path may sit inside some repository
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.json").write_text('{"images": [{"objectUrl": "gs://b/a.jpg"}]}')
    monkeypatch.chdir(tmp_path)
    assert _sarif_locations("sub/m.json") == (tmp_path.resolve().as_uri() + "/", ["sub/m.json"])


def test_fingerprints_survive_reordering_items() -> None:
    a = {"objectUrl": f"{URL}/a.jpg", "title": " a.jpg"}
    b = {"objectUrl": f"{URL}/b.jpg", "title": " b.jpg"}

    def prints(items: list[dict[str, str]]) -> dict[str, str]:
        report = manifest_tools.lint(json.dumps({"images": items}).encode(), format="json", name="m.json")
        return {d.pointer.split("/")[2] + d.message: d.fingerprint for d in report}

    first, second = prints([a, b]), prints([b, a])
    assert sorted(first.values()) == sorted(second.values()) and len(set(first.values())) == 2


def test_json_output_fields() -> None:
    report = manifest_tools.lint(b'{"images": [{"objectUrl": "gs://b/a.jpg"}]}', format="json", name="m.json")
    from manifest_tools.report.formatters import diagnostic_record

    record = diagnostic_record(report.diagnostics[0])
    assert set(record) == {
        "code",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "pointer",
        "fix",
        "fingerprint",
        "url",
        "help",
    }
    assert (record["line"], record["column"], record["end_line"], record["end_column"]) == (
        1,
        27,
        1,
        41,
    )  # end is exclusive: just past the closing quote, as in SARIF
    assert (record["url"], record["help"]) == (None, "manifest-tools rules MT302")


def test_rule_reference_is_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == reference_markdown() + "\n"


INVALID = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "fixtures" / "invalid").glob("*.[jc]s*"))]


@pytest.mark.parametrize("output_format", FORMATTERS)
def test_no_format_points_at_a_file_of_this_repository(output_format: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user who installed from PyPI has no docs/rules.md: a rule's documentation is `manifest-tools rules CODE`."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", "--output-format", output_format, *INVALID])
    assert result.exit_code == 1, result.output
    assert "docs/rules.md" not in result.stdout and "rules.md#" not in result.stdout


def test_each_json_diagnostic_names_a_command_that_prints_its_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    document = json.loads(CliRunner().invoke(main, ["lint", "--output-format", "json", *INVALID]).stdout)
    pages = {}
    for record in document["diagnostics"]:
        program, *args = record["help"].split()
        assert program == "manifest-tools" and record["url"] is None
        if record["code"] not in pages:
            page = CliRunner().invoke(main, args)
            assert page.exit_code == 0, page.output
            pages[record["code"]] = page.stdout
        assert pages[record["code"]].startswith(f"{record['code']} {record['name']} ")


def _uri_properties(schema: object) -> set[str]:
    """The names of the properties the SARIF schema says hold an absolute URI (``format: uri``; a relative
    one is ``uri-reference``)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for name, value in schema.get("properties", {}).items():
            if isinstance(value, dict) and value.get("format") == "uri":
                found.add(name)
        for value in schema.values():
            found |= _uri_properties(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _uri_properties(value)
    return found


def _values_of(document: object, names: set[str]) -> list[str]:
    if isinstance(document, dict):
        own = [value for name, value in document.items() if name in names]
        return own + [found for value in document.values() for found in _values_of(value, names)]
    if isinstance(document, list):
        return [found for value in document for found in _values_of(value, names)]
    return []


def test_sarif_uris_that_must_be_absolute_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """SARIF 2.1.0 (3.49.12): helpUri is the absolute URI of the rule's documentation. The rules have no
    published page, so it is left out (the rule's page is in ``help``); a repository path would be wrong."""
    from urllib.parse import urlsplit

    monkeypatch.chdir(ROOT)
    document = json.loads(CliRunner().invoke(main, ["lint", "--output-format", "sarif", *INVALID]).stdout)
    names = _uri_properties(SARIF_SCHEMA)
    assert "helpUri" in names
    for value in _values_of(document, names):
        assert urlsplit(value).scheme and urlsplit(value).netloc, value
    for rule in document["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["help"]["text"].startswith(f"{rule['id']} {rule['name']} ")
