"""convert: what CSV cannot carry is listed and refused; the SDK accepts what --to sdk writes."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from manifest_tools import api
from manifest_tools.cli import main
from manifest_tools.conversion import ConversionRefused, convert
from manifest_tools.kinds import KINDS

FIXTURES = Path(__file__).parents[2] / "fixtures"
VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.suffix in (".json", ".csv"))
URL = "https://b.s3.eu-west-2.amazonaws.com"


def test_json_to_csv_refuses_and_lists_every_loss() -> None:
    manifest = api.load(FIXTURES / "valid" / "all-kinds.json")
    with pytest.raises(ConversionRefused) as refused:
        convert(manifest, "csv")
    assert [loss.pointer for loss in refused.value.losses] == [
        "/videos/0/videoMetadata",
        "/videos/0/clientMetadata",
        "/images/1/imageMetadata",
        "/audio/0",
        "/pdfs/0",
        "/text/0",
        "/nifti/0",
        "/skip_duplicate_urls",
        "/upsert_metadata",
    ]


def test_drop_unsupported_still_reports_and_writes_the_rest() -> None:
    manifest = api.load(FIXTURES / "valid" / "all-kinds.json")
    result = convert(manifest, "csv", drop_unsupported=True)
    assert len(result.dropped) == 9
    back = api.parse("back.csv", result.text)
    assert [(k, len(v)) for k, v in (back.data or {}).items()] == [
        ("videos", 1),
        ("images", 2),
        ("image_groups", 2),
        ("dicom_series", 1),
    ]
    assert back.reader_diagnostics == []


def test_csv_carries_groups_titles_and_create_video_explicitly() -> None:
    data = (
        '{"image_groups": [{"title": "g", "objectUrl_0": "' + URL + '/1.jpg"}, {"title": "s", "createVideo": true,'
        ' "objectUrl_0": "'
        + URL
        + '/2.jpg", "objectUrl_1": "'
        + URL
        + '/3.jpg"}], "images": [{"objectUrl": "'
        + URL
        + '/4.jpg", "title": "=SUM(A1)"}]}'
    )
    result = convert(api.parse("m.json", data), "csv")
    assert result.text == (
        "ObjectUrl,Image group title,Create video\n"
        f"{URL}/1.jpg,g,false\n{URL}/2.jpg,s,true\n{URL}/3.jpg,s,true\n"
        "ObjectUrl,Image title\n"
        f"{URL}/4.jpg,=SUM(A1)\n"
    )
    assert [n.pointer for n in result.notes] == ["/image_groups/0", "/images/0/title"]


def test_groups_sharing_a_title_cannot_be_carried() -> None:
    group = '{"title": "g", "createVideo": false, "objectUrl_0": "' + URL + '/%d.jpg"}'
    data = '{"image_groups": [' + group % 1 + ", " + group % 2 + "]}"
    with pytest.raises(ConversionRefused) as refused:
        convert(api.parse("m.json", data), "csv")
    assert [loss.pointer for loss in refused.value.losses] == ["/image_groups/1"]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_sdk_payload_validates_with_the_real_sdk_and_keeps_counts(path: Path) -> None:
    from encord.orm import storage  # the dev extra installs it: a missing SDK fails the run

    manifest = api.load(path)
    import json

    payload = json.loads(convert(manifest, "sdk").text)
    items = storage.DataUploadItems.model_validate(payload)
    attribute = {"pdfs": "pdf"}
    for kind in KINDS:
        expected = [v for v in (manifest.data or {}).get(kind.key, [])]
        converted = getattr(items, attribute.get(kind.key, kind.key))
        assert len(converted) == len(expected), kind.key
        for source, target in zip(expected, converted, strict=True):
            if kind.multi_file:
                files = target.dicom_files if kind.key == "dicom_series" else target.images
                assert [f.url for f in files] == [v for k, v in source.items() if k.startswith("objectUrl_")]
            else:
                assert target.object_url == source["objectUrl"]


def test_convert_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out.csv"
    refused = runner.invoke(main, ["convert", str(FIXTURES / "valid" / "all-kinds.json"), "-o", str(out)])
    assert refused.exit_code == 1 and not out.exists()
    assert "CSV has no block for audio files (/audio/0)" in refused.stderr
    ok = runner.invoke(main, ["convert", str(FIXTURES / "valid" / "four-blocks.csv"), "-o", str(tmp_path / "m.json")])
    assert ok.exit_code == 0 and (tmp_path / "m.json").read_text().startswith('{\n  "videos": [')
    same = runner.invoke(main, ["convert", str(tmp_path / "m.json"), "-o", str(tmp_path / "m.json")])
    assert same.exit_code == 2 and "run manifest-tools fix " in same.stderr


@pytest.mark.parametrize(("output", "target"), [("x.json", "csv"), ("x.csv", "json"), ("x.csv", "sdk")])
def test_a_target_the_output_name_contradicts_is_refused(tmp_path: Path, output: str, target: str) -> None:
    source = FIXTURES / "valid" / "gcp-images.json"
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(tmp_path / output), "--to", target])
    assert result.exit_code == 2 and "would write" in result.stderr, result.output
    assert list(tmp_path.iterdir()) == []


def test_csv_over_the_row_limit_is_refused_with_split_advice(tmp_path: Path) -> None:
    """A CSV over kinds.MAX_CSV_ENTRIES is one lint rejects (MT805): convert must not write it with exit 0."""
    from manifest_tools.kinds import MAX_CSV_ENTRIES

    urls = [f"https://b.s3.eu-west-2.amazonaws.com/{n}.jpg" for n in range(MAX_CSV_ENTRIES + 1)]
    source = tmp_path / "big.json"
    source.write_text('{"images": [' + ",".join(f'{{"objectUrl": "{u}"}}' for u in urls) + "]}\n")
    with pytest.raises(ConversionRefused, match="at most 10,000 rows"):
        api.convert(source, "csv")
    out = tmp_path / "big.csv"
    result = CliRunner().invoke(main, ["convert", str(source), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "manifest-tools split" in result.stderr and "--max-urls 10000" in result.stderr
    assert api.lint(source).ok  # the JSON is fine: only the CSV would be over the limit


def test_csv_at_the_row_limit_converts() -> None:
    from manifest_tools.kinds import MAX_CSV_ENTRIES

    urls = [f"https://b.s3.eu-west-2.amazonaws.com/{n}.jpg" for n in range(MAX_CSV_ENTRIES)]
    text = '{"images": [' + ",".join(f'{{"objectUrl": "{u}"}}' for u in urls) + "]}\n"
    assert api.lint(api.convert(text, "csv").text, name="m.csv").ok


def test_lint_of_the_sdk_payload_says_what_it_is_and_offers_no_fix() -> None:
    """`fix --unsafe-fixes` renamed imageGroups to image_groups, leaving groups in the SDK's shape."""
    from manifest_tools.report.formatters import fixable_line

    payload = api.convert(FIXTURES / "valid" / "four-blocks.csv", "sdk").text
    report = api.lint(payload, name="payload.json")
    assert [d.code for d in report] == ["MT220"] and "SDK upload payload" in report.diagnostics[0].message
    assert fixable_line(report) is None


SDK_PAYLOAD_SOURCE = f"""ObjectUrl,Image group title,Create video
{URL}/seq/1.jpg,Sequence 1,true
{URL}/seq/2.jpg,Sequence 1,true
ObjectUrl,Image title,Create video
https://<bucket>.s3.eu-west-2.amazonaws.com/one.jpg, a.jpg,false
ObjectUrl,Video title
{URL}/v/video.mp4,Video 1
{URL}/v/video.mp4,Video 2
"""
"""A CSV whose videos and images have findings of their own (MT216, MT219, MT307, MT602): in its SDK payload
they sit under keys a manifest also has."""


def _sdk_payload(tmp_path: Path) -> Path:
    source = tmp_path / "exp.csv"
    source.write_text(SDK_PAYLOAD_SOURCE, encoding="utf-8")
    payload = tmp_path / "exp.sdk.json"
    payload.write_text(api.convert(source, "sdk").text, encoding="utf-8")
    return payload


def test_a_payload_with_manifest_like_kinds_gets_only_its_mt220(tmp_path: Path) -> None:
    payload = _sdk_payload(tmp_path)
    rest = {key: value for key, value in json.loads(payload.read_text()).items() if key != "imageGroups"}
    assert len(api.lint(json.dumps(rest), name="rest.json").diagnostics) >= 4  # findings there to be hidden
    report = api.lint(payload)
    assert [d.code for d in report] == ["MT220"]
    result = CliRunner().invoke(main, ["lint", str(payload)])
    assert result.exit_code == 1 and "fixable" not in result.output


@pytest.mark.parametrize("flags", [[], ["--unsafe-fixes"]])
def test_fix_leaves_an_sdk_payload_alone(tmp_path: Path, flags: list[str]) -> None:
    payload = _sdk_payload(tmp_path)
    before = payload.read_bytes()
    result = CliRunner().invoke(main, ["fix", *flags, str(payload)])
    assert result.exit_code == 1, result.output
    assert "not rewritten" in result.output and "MT220" in result.output
    assert payload.read_bytes() == before


@pytest.mark.parametrize("target", ["json", "csv", "sdk"])
def test_convert_refuses_an_sdk_payload_for_every_target(tmp_path: Path, target: str) -> None:
    payload = _sdk_payload(tmp_path)
    with pytest.raises(ConversionRefused, match="SDK upload payload"):
        convert(api.load(payload), target, drop_unsupported=True)  # type: ignore[arg-type]
    out = tmp_path / f"back.{'csv' if target == 'csv' else 'json'}"
    result = CliRunner().invoke(main, ["convert", str(payload), "-o", str(out), "--to", target, "--drop-unsupported"])
    assert result.exit_code != 0 and "MT220" in result.output, result.output
    assert not out.exists()


PLACEHOLDER_AND_REPEAT = f"""ObjectUrl,Image title
https://<bucket>.s3.eu-west-2.amazonaws.com/one.jpg,a.jpg
{URL}/v/two.jpg,b.jpg
{URL}/v/two.jpg,c.jpg
"""


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("exp.csv", PLACEHOLDER_AND_REPEAT, "exp.csv: 2 lint errors remain (run manifest-tools lint exp.csv)"),
        (
            "one.csv",
            PLACEHOLDER_AND_REPEAT.rsplit("\n", 2)[0] + "\n",
            "one.csv: 1 lint error remains (run manifest-tools lint one.csv)",
        ),
        (
            "my exp.csv",
            PLACEHOLDER_AND_REPEAT,
            "my exp.csv: 2 lint errors remain (run manifest-tools lint 'my exp.csv')",
        ),
        # standard input is no file to lint: the line says how to lint what was piped in
        ("-", PLACEHOLDER_AND_REPEAT, "<stdin>: 2 lint errors remain (pipe it to manifest-tools lint -)"),
        (
            "- exp.csv",
            PLACEHOLDER_AND_REPEAT,
            "exp.csv: 2 lint errors remain (pipe it to manifest-tools lint --stdin-filename exp.csv -)",
        ),
        ("clean.csv", f"ObjectUrl,Image title\n{URL}/a.jpg,a.jpg\n", None),
    ],
)
def test_convert_of_a_csv_says_when_lint_errors_remain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, line: str | None
) -> None:
    """The line names a command the user can run as it is shown."""
    monkeypatch.chdir(tmp_path)
    if name.startswith("-"):
        named = name.split()[1:]
        args = ["-", *(["--stdin-filename", *named] if named else []), "--to", "json"]
    else:
        (tmp_path / name).write_text(text, encoding="utf-8")
        args = [name]
    result = CliRunner().invoke(main, ["convert", *args, "-o", "out.json"], input=text, catch_exceptions=False)
    assert result.exit_code == 0
    said = [entry.replace(str(tmp_path) + "/", "") for entry in result.stderr.splitlines() if "lint error" in entry]
    assert said == ([] if line is None else [line])
    if line is not None:  # the command shown, run as shown, reports the errors counted
        command = shlex.split(line.rsplit("(", 1)[1].rstrip(")").removeprefix("run ").removeprefix("pipe it to "))
        assert command[:2] == ["manifest-tools", "lint"]
        linted = CliRunner().invoke(main, command[1:], input=text)
        errors = line.split(": ", 1)[1].split(" lint error")[0]
        assert linted.exit_code == 1 and f"Found {errors} error" in linted.stdout, linted.output


def test_convert_counts_a_csv_s_lint_errors_as_lint_does_with_the_scanner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Certified rows are not checked again in Python (on a 1,000,000-row CSV that check cost as much as the
    rest of the conversion); the count is lint's: over the row limit (MT805), a placeholder and a repeat."""
    from manifest_tools.rules import certified_csv

    rows = "".join(f"{URL}/v/{n}.jpg,{n}.jpg\n" for n in range(10_000))
    (tmp_path / "big.csv").write_text(PLACEHOLDER_AND_REPEAT + rows, encoding="utf-8")
    certified: list[bool] = []
    certify = certified_csv.certify_csv

    def spy(manifest: Any, enabled: frozenset[str]) -> Any:
        found = certify(manifest, enabled)
        certified.append(not isinstance(found, str))
        return found

    monkeypatch.setattr(certified_csv, "certify_csv", spy)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["convert", "big.csv", "-o", "out.json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "big.csv: 3 lint errors remain (run manifest-tools lint big.csv)" in result.stderr
    assert certified == [True]
    linted = CliRunner().invoke(main, ["lint", "big.csv"])
    assert "Found 3 errors" in linted.stdout, linted.output


CONTROL_CASES = {
    "a title": ({"images": [{"objectUrl": f"{URL}/a.jpg", "title": "Scan\u0001 1"}]}, "/images/0", "its title"),
    "a URL": ({"images": [{"objectUrl": f"{URL}/a\u001b.jpg"}, {"objectUrl": f"{URL}/b.jpg"}]}, "/images/0", "its URL"),
    "a group title": (
        {"image_groups": [{"title": "g\u0000", "objectUrl_0": f"{URL}/a.jpg", "objectUrl_1": f"{URL}/b.jpg"}]},
        "/image_groups/0",
        "its title",
    ),
    "a group's second URL": (
        {"image_groups": [{"title": "g", "objectUrl_0": f"{URL}/a.jpg", "objectUrl_1": f"{URL}/\u007f\u000b.jpg"}]},
        "/image_groups/0",
        "its URL",
    ),
}


@pytest.mark.parametrize(("data", "pointer", "where"), CONTROL_CASES.values(), ids=CONTROL_CASES)
def test_a_control_character_csv_cannot_escape_is_refused_or_dropped(
    data: dict[str, Any], pointer: str, where: str
) -> None:
    """A CSV cell cannot escape a control character (lint reports it raw: MT107), so converting one to CSV is
    a loss as a lone surrogate is: refused, or with drop_unsupported the item is left out and said to be."""
    with pytest.raises(ConversionRefused) as refused:
        convert(api.load(data), "csv")
    assert [loss.pointer for loss in refused.value.losses] == [pointer]
    assert "control character U+" in refused.value.losses[0].message
    assert where in refused.value.losses[0].message
    dropped = convert(api.load(data), "csv", drop_unsupported=True)
    assert [loss.pointer for loss in dropped.dropped] == [pointer]
    back = api.parse("back.csv", dropped.text) if dropped.text else None
    assert back is None or back.reader_diagnostics == []


def test_tab_and_line_breaks_in_a_title_are_carried_quoted() -> None:
    """The C0 controls CSV does carry (a quoted cell holds a tab, CR or LF) are no loss: MT107 names none."""
    data = {"images": [{"objectUrl": f"{URL}/a.jpg", "title": "a\tb\r\nc"}]}
    back = api.parse("back.csv", convert(api.load(data), "csv").text)
    assert back.reader_diagnostics == []
    assert (back.data or {})["images"][0]["title"] == "a\tb\r\nc"


def test_convert_command_refuses_a_control_character_and_drops_it_when_told(tmp_path: Path) -> None:
    source = tmp_path / "ctlj.json"
    kept = '{"objectUrl":"' + URL + '/b.jpg","title":"ok"}'
    source.write_text('{"images":[{"objectUrl":"' + URL + '/a.jpg","title":"Scan\\u0001 1"},' + kept + "]}")
    out = tmp_path / "back.csv"
    refused = CliRunner().invoke(main, ["convert", str(source), "-o", str(out)])
    assert refused.exit_code == 1 and not out.exists(), refused.output
    assert "control character U+0001" in refused.stderr and "/images/0" in refused.stderr
    dropped = CliRunner().invoke(main, ["convert", str(source), "-o", str(out), "--drop-unsupported"])
    assert dropped.exit_code == 0, dropped.output
    assert "dropped: a control character U+0001 in its title" in dropped.stderr
    assert out.read_text() == f"ObjectUrl,Image title\n{URL}/b.jpg,ok\n"
    assert CliRunner().invoke(main, ["lint", str(out)]).exit_code == 0
