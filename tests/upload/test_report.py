"""upload-report: a saved job result (built with the SDK's models) mapped to the manifest's lines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from tests.upload.conftest import position_of
from tests.upload.sdk_models import LongPollingStatus, job_result, job_state, unit_error

B = "https://b.s3.eu-west-2.amazonaws.com"
MANIFEST = f"""{{
  "images": [
    {{"objectUrl": "{B}/a.jpg"}},
    {{"objectUrl": "{B}/b%20c.jpg", "title": "bee", "clientMetadata": {{"split": "train"}}}}
  ],
  "image_groups": [
    {{"title": "g1", "createVideo": false,
      "objectUrl_0": "{B}/g/1.jpg",
      "objectUrl_1": "{B}/g/2.jpg"}}
  ],
  "videos": [
    {{"objectUrl": "{B}/v.mp4"}}
  ],
  "skip_duplicate_urls": true
}}
"""
CSV = f"""ObjectUrl,Image group title,Create video
{B}/s/1.jpg,Seq,true
{B}/s/2.jpg,Seq,true
ObjectUrl,Image title
{B}/one.jpg,One
{B}/two.jpg,Two
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.json").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "m.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


def save(path: Path, result: dict[str, object]) -> str:
    path.write_text(json.dumps(result), encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def codes(report: manifest_tools.Report) -> list[str]:
    return [f"{d.code} {d.line}:{d.column}" for d in report]


def at(url: str) -> str:
    """Where the manifest's URL value starts (its opening quote)."""
    return position_of(MANIFEST, '"' + url + '"')


def test_each_failure_is_reported_at_its_item_line(workdir: Path) -> None:
    from manifest_tools.uploads.results import upload_report

    result = job_result(
        unit_error([f"{B}/b c.jpg"], "Access denied"),  # the platform reports the key decoded
        unit_error([f"{B}/g/1.jpg", f"{B}/g/2.jpg"], "Image too large", "Uploading image group"),
        done=2,
    )
    report = upload_report(result, "m.json").report
    assert codes(report) == [
        "MT911 " + at(f"{B}/b%20c.jpg"),
        "MT911 " + at(f"{B}/g/1.jpg"),
    ]
    messages = [d.message for d in report]
    assert messages[0].startswith("upload failed: Uploading image: Access denied (subtask ")
    assert "Uploading image group: Image too large" in messages[1]


def test_retry_manifest_holds_only_the_failed_items_whole_with_flags(workdir: Path) -> None:
    result = save(workdir / "r.json", job_result(unit_error([f"{B}/g/2.jpg"]), unit_error([f"{B}/b%20c.jpg"])))
    code, _, err = run("upload-report", result, "--manifest", "m.json", "--retry-out", "retry.json")
    assert code == 1
    assert "Wrote retry.json" in err
    retry = json.loads((workdir / "retry.json").read_text(encoding="utf-8"))
    original = json.loads(MANIFEST)
    assert retry == {
        "images": [original["images"][1]],
        "image_groups": original["image_groups"],  # the whole group, though one frame failed
        "skip_duplicate_urls": True,
    }
    assert manifest_tools.lint("retry.json").diagnostics == []
    assert list(workdir.glob(".retry.json.*")) == []  # no temporary file left


def test_retry_manifest_as_csv(workdir: Path) -> None:
    result = save(workdir / "r.json", job_result(unit_error([f"{B}/s/2.jpg"]), unit_error([f"{B}/two.jpg"])))
    code, out, _ = run("upload-report", result, "--manifest", "m.csv", "--retry-out", "retry.csv")
    assert code == 1
    assert [line.split(" upload failed")[0] for line in out.splitlines()[:2]] == [
        "m.csv:3:1: MT911",
        "m.csv:6:1: MT911",
    ]
    rows = list(csv.reader(io.StringIO((workdir / "retry.csv").read_text(encoding="utf-8"))))
    assert rows == [
        ["ObjectUrl", "Image group title", "Create video"],
        [f"{B}/s/1.jpg", "Seq", "true"],
        [f"{B}/s/2.jpg", "Seq", "true"],
        ["ObjectUrl", "Image title"],
        [f"{B}/two.jpg", "Two"],
    ]
    assert manifest_tools.lint("retry.csv").diagnostics == []


def test_a_csv_retry_manifest_notes_each_formula_like_title(workdir: Path) -> None:
    """upload-report wrote '=SUM(A1)' into the retry CSV without the note convert and generate print."""
    (workdir / "f.csv").write_text(f"ObjectUrl,Image title\n{B}/one.jpg,=SUM(A1)\n{B}/two.jpg,Two\n")
    result = save(workdir / "r.json", job_result(unit_error([f"{B}/one.jpg"]), unit_error([f"{B}/two.jpg"])))
    code, _, err = run("upload-report", result, "--manifest", "f.csv", "--retry-out", "retry.csv")
    assert code == 1
    notes = [line for line in err.splitlines() if ": note: " in line]
    assert notes == [
        "retry.csv: note: '=SUM(A1)' starts like a spreadsheet formula: written as it is (the platform reads it"
        " literally), but a spreadsheet that opens this CSV may run it as a formula (/images/0/title)"
    ]
    code, _, err = run("upload-report", result, "--manifest", "f.csv", "--retry-out", "retry.json")
    assert ": note: " not in err  # JSON runs no formula


def test_a_failed_url_the_manifest_does_not_hold_is_reported(workdir: Path) -> None:
    report = manifest_tools.upload_report(job_result(unit_error([f"{B}/elsewhere.jpg"])), "m.json").report
    assert codes(report) == ["MT912 1:1"]
    assert f"{B}/elsewhere.jpg" in report.diagnostics[0].message


@pytest.mark.parametrize("status", [LongPollingStatus.CANCELLED, LongPollingStatus.ERROR, LongPollingStatus.PENDING])
def test_a_job_that_did_not_finish_done_is_an_error(workdir: Path, status: LongPollingStatus) -> None:
    result = manifest_tools.upload_report(job_result(status=status, done=1, cancelled=3), "m.json")
    assert codes(result.report) == ["MT913 1:1"]
    assert f"the job ended {status.value}" in result.report.diagnostics[0].message
    assert result.failed == []


def test_failures_counted_but_not_named_are_an_error(workdir: Path) -> None:
    state = job_state(unit_error([f"{B}/a.jpg"]), done=3)
    state.units_error_count = 2
    report = manifest_tools.upload_report(state.to_dict(), "m.json").report
    assert [d.code for d in report] == ["MT913", "MT911"]


def test_a_clean_job_reports_nothing_and_writes_no_retry_manifest(workdir: Path) -> None:
    result = save(workdir / "r.json", job_result(done=5, names=("a.jpg", "bee")))
    code, out, err = run("upload-report", result, "--manifest", "m.json", "--retry-out", "retry.json")
    assert (code, out.strip()) == (0, "All checks passed (1 file).")
    assert not (workdir / "retry.json").exists()
    assert "not written" in err


def test_attribute_names_read_as_well_as_to_dict(workdir: Path) -> None:
    """A result saved with pydantic's model_dump (snake_case) maps the same as to_dict()'s camelCase."""
    state = job_state(unit_error([f"{B}/v.mp4"], action="Uploading video"))
    dumped = json.loads(state.model_dump_json())
    assert "unit_errors" in dumped
    assert (
        codes(manifest_tools.upload_report(dumped, "m.json").report)
        == codes(manifest_tools.upload_report(state.to_dict(), "m.json").report)
        == ["MT911 " + at(f"{B}/v.mp4")]
    )


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_every_output_format(workdir: Path, fmt: str) -> None:
    result = save(workdir / "r.json", job_result(unit_error([f"{B}/a.jpg"])))
    code, out, _ = run("upload-report", result, "--manifest", "m.json", "--output-format", fmt)
    assert code == 1
    line = at(f"{B}/a.jpg").split(":")[0]
    if fmt == "json":
        assert [(d["code"], d["line"]) for d in json.loads(out)["diagnostics"]] == [("MT911", int(line))]
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
            ("MT911", int(line))
        ]
    else:
        assert out.startswith(f"::group::m.json\n::error file=m.json,line={line},")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not readable as JSON"),
        ('{"items": []}', "not an upload job result"),
        ('{"status": "DONE", "unitErrors": [{"objectUrls": 3}, 7]}', ""),
    ],
)
def test_bad_results_exit_2_or_read_defensively(workdir: Path, content: str | None, message: str) -> None:
    if content is not None:
        (workdir / "r.json").write_text(content, encoding="utf-8")
    code, out, err = run("upload-report", "r.json", "--manifest", "m.json")
    if message:
        assert (code, out) == (2, "")
        assert message in err and "Traceback" not in err
    else:
        assert code == 0


def test_the_retry_manifest_never_replaces_the_manifest(workdir: Path) -> None:
    result = save(workdir / "r.json", job_result(unit_error([f"{B}/a.jpg"])))
    (workdir / "link.json").symlink_to("m.json")
    for target in ("m.json", "link.json"):
        code, _, err = run("upload-report", result, "--manifest", "m.json", "--retry-out", target)
        assert code == 2 and "is the manifest itself" in err, err
        assert (workdir / "m.json").read_text(encoding="utf-8") == MANIFEST
