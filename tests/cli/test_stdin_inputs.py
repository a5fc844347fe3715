"""convert and split read standard input from '-', as lint and fix do; --stdin-filename names it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

ROOT = Path(__file__).parents[2]
VALID = sorted((ROOT / "fixtures" / "valid").glob("*.[jc]s*"))
URL = "https://b.s3.eu-west-2.amazonaws.com"
FIVE = json.dumps({"images": [{"objectUrl": f"{URL}/{i}.jpg"} for i in range(5)]})


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.name)
@pytest.mark.parametrize("target", ["json", "csv", "sdk"])
def test_convert_from_stdin_writes_what_converting_the_file_writes(fixture: Path, target: str) -> None:
    from_file = _run("convert", str(fixture), "-o", "-", "--to", target)
    named = _run("convert", "-", "-o", "-", "--to", target, "--stdin-filename", fixture.name, stdin=fixture.read_text())
    assert named[:2] == from_file[:2]
    assert named[2] == from_file[2].replace(str(fixture), fixture.name), "messages name the input as given"
    sniffed = _run("convert", "-", "-o", "-", "--to", target, stdin=fixture.read_text())
    assert sniffed[:2] == from_file[:2], "without a name the format is sniffed"


def test_convert_from_stdin_names_it_in_messages(tmp_path: Path) -> None:
    broken = '{"images": [{"objectUrl": "' + URL + '/a.jpg"'  # cut short: MT101, which blocks a rewrite
    code, stdout, stderr = _run("convert", "-", "-o", str(tmp_path / "m.csv"), stdin=broken)
    assert code == 1 and "<stdin>: not converted: fix these problems first" in stderr
    assert "<stdin>:1:13: MT101 " in stdout
    code, stdout, stderr = _run(
        "convert", "-", "-o", str(tmp_path / "m.csv"), "--stdin-filename", "a.json", stdin=broken
    )
    assert code == 1 and "a.json: not converted" in stderr and "a.json:1:13: MT101" in stdout
    assert "<stdin>" not in stderr + stdout
    assert not (tmp_path / "m.csv").exists()


def test_split_from_stdin_writes_parts_named_by_stdin_filename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    code, _, stderr = _run("split", "-", "--max-items", "2", "--stdin-filename", "data/m.json", stdin=FIVE)
    assert code == 0, stderr
    parts = sorted((tmp_path / "data").iterdir())
    assert [p.name for p in parts] == [f"m.part-000{n}.json" for n in (1, 2, 3)]
    urls = [item["objectUrl"] for part in parts for item in json.loads(part.read_text())["images"]]
    assert urls == [item["objectUrl"] for item in json.loads(FIVE)["images"]]


def test_split_from_stdin_needs_a_name_for_its_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, stderr = _run("split", "-", "--max-items", "2", stdin=FIVE)
    assert code == 2 and "--stdin-filename" in stderr and len(stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
    code, stdout, _ = _run("split", "-", "--max-items", "2", "--dry-run", stdin=FIVE)
    assert code == 0 and "3 parts planned" in stdout and list(tmp_path.iterdir()) == []


def test_split_from_stdin_reads_csv_by_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rows = "".join(f"{URL}/{i}.jpg,\n" for i in range(3))
    code, _, stderr = _run(
        "split", "-", "--max-urls", "2", "--stdin-filename", "m.csv", stdin=f"ObjectUrl,Image title\n{rows}"
    )
    assert code == 0, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.part-0001.csv", "m.part-0002.csv"]


def _crlf(text: bytes) -> bytes:
    return text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


CRLF_INPUTS = {
    **{path.name: _crlf(path.read_bytes()) for path in VALID},
    # a line end inside a quoted cell is part of the title: a text stream would make it LF
    "title-lines.csv": _crlf(f'ObjectUrl,Image title\n{URL}/a.jpg,"two\nlines"\n{URL}/b.jpg,b\n'.encode()),
}


@pytest.mark.parametrize("name", CRLF_INPUTS)
def test_convert_and_split_read_crlf_standard_input_as_they_read_the_file(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Standard input is read as bytes (as fix reads it): a CRLF manifest piped in is the CRLF file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").mkdir()
    (tmp_path / "piped").mkdir()
    given = tmp_path / "file" / name
    given.write_bytes(CRLF_INPUTS[name])
    for target in ("json", "csv", "sdk"):
        by_file = CliRunner().invoke(main, ["convert", str(given), "-o", "-", "--to", target])
        piped = CliRunner().invoke(
            main, ["convert", "-", "-o", "-", "--to", target, "--stdin-filename", str(given)], input=CRLF_INPUTS[name]
        )
        assert (piped.exit_code, piped.stdout_bytes, piped.stderr) == (
            by_file.exit_code,
            by_file.stdout_bytes,
            by_file.stderr,
        )
    split = ["split", "--max-items", "1", "--output-dir"]
    by_file = CliRunner().invoke(main, [*split, "file", str(given)])
    piped = CliRunner().invoke(main, [*split, "piped", "-", "--stdin-filename", name], input=CRLF_INPUTS[name])
    assert by_file.exit_code == piped.exit_code == 0, piped.output
    written = sorted(p.name for p in (tmp_path / "file").iterdir() if p.name != name)
    assert written == sorted(p.name for p in (tmp_path / "piped").iterdir())
    for part in written:
        assert (tmp_path / "piped" / part).read_bytes() == (tmp_path / "file" / part).read_bytes()


MESSY = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": " a.jpg"},]}\n'


@pytest.mark.parametrize(
    "stdin", [MESSY, (ROOT / "fixtures" / "invalid" / "frames.csv").read_text()], ids=["fixed", "not rewritten"]
)
def test_fix_of_stdin_and_a_file_writes_only_the_manifest_to_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stdin: str
) -> None:
    """``fix - other.json > out.json`` put the report of both after the manifest, in out.json: standard output
    holds the manifest and nothing else, as with ``-`` alone (black's ``black - other.py`` does the same)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other.json").write_text(MESSY)
    alone = _run("fix", "-", stdin=stdin)
    code, stdout, stderr = _run("fix", "-", "other.json", stdin=stdin)
    assert stdout == alone[1], "standard output is the manifest, as fix - writes it"
    assert "2 files" in stderr or "2 checked" in stderr, stderr
    assert stderr.splitlines()[-1].startswith("Changed "), stderr
    assert code == alone[0]
    assert (tmp_path / "other.json").read_text() != MESSY, "the file is fixed in place"


BROKEN = '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n'


@pytest.mark.parametrize(
    ("args", "code", "out"),
    [
        (("lint", "--stdin-filename", "x.json"), 1, "x.json:1:"),  # read, as ruff reads it: not the folder walked
        (("lint", "--stdin-filename", "x.csv"), 1, "x.csv:1:1: MT7"),  # its name sets its format
        (("fix", "--stdin-filename", "x.json"), 0, '{\n  "images": [\n'),
        (("lint", "--stdin-filename", "x.json", "-"), 1, "x.json:1:"),
    ],
)
def test_stdin_filename_without_a_path_reads_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], code: int, out: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here.json").write_text(BROKEN)  # a walk of the working folder would report it
    result = _run(*args, stdin=BROKEN)
    assert (result[0], out in result[1]) == (code, True), result
    assert "here.json" not in result[1] + result[2]


@pytest.mark.parametrize(
    "args",
    [
        ("lint", "--stdin-filename", "x.json", "here.json"),
        ("fix", "here.json", "--stdin-filename", "x.json"),
        ("verify", "here.json", "--stdin-filename", "x.json"),
        ("convert", "here.json", "-o", "-", "--to", "csv", "--stdin-filename", "x.json"),
        ("split", "here.json", "--max-items", "1", "--dry-run", "--stdin-filename", "x.json"),
    ],
)
def test_stdin_filename_beside_paths_without_dash_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """It names standard input, which these commands would not read: one line and exit 2, not a name ignored."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here.json").write_text(BROKEN)
    code, stdout, stderr = _run(*args, stdin=BROKEN)
    assert (code, stdout, len(stderr.splitlines())) == (2, "", 1), (code, stdout, stderr)
    assert stderr.startswith("manifest-tools: --stdin-filename names standard input") and "here.json" in stderr
    assert (tmp_path / "here.json").read_text() == BROKEN
