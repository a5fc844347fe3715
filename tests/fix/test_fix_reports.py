"""What fix says: lint's "N fixable" hint counts what ``fix`` then applies (and a fix run never suggests an option
it was given); each fix names its place in the output, listed in the order applied."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

URL = "https://b.s3.eu-west-2.amazonaws.com"
CASES = {
    # Unknown top-level keys are MT202 too, but only SDK spellings are renamed; an s3:// URL with no key
    # (MT302) has no https form: neither counts. The MIME type (MT505, safe) does.
    "unknown-keys.json": (
        '{"project_hash": "p", "dataset_hash": "d",\n "images": [{"objectUrl": "s3://my_image.jpg",'
        ' "imageMetadata": {"mimeType": "image/jpg"}}]}\n'
    ),
    "s3.json": '{"images": [{"objectUrl": "s3://acme-data/imgs/a.jpg"}]}\n',
    "gs-and-comma.json": '{"images": [{"objectUrl": "gs://acme/a.jpg"}, {"objectUrl": " ' + URL + '/b.jpg"},]}\n',
    "renamed-kind.json": '{"imageGroups": [{"title": "g", "objectUrl_1": "' + URL + '/a.jpg"}]}\n',
    "repeated.json": '{"images": [{"objectUrl": "' + URL + '/a.jpg"}, {"objectUrl": "' + URL + '/a.jpg"}]}\n',
    "titles.csv": f"Image group title,Image URL\n g ,{URL}/a.jpg\n",
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*arguments: str) -> str:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code in (0, 1), result.output
    return result.output


def _hint(output: str) -> tuple[int, int]:
    """(fixes ``fix`` applies, more that ``fix --unsafe-fixes`` applies) as the hint says them."""
    safe = re.search(r"^(\d+) fixable with `manifest-tools fix(?! --unsafe-fixes)[^`]*`", output, re.M)
    unsafe = re.search(r"(\d+) (?:more )?(?:fixable )?with `manifest-tools fix --unsafe-fixes[^`]*`", output)
    return int(safe.group(1)) if safe else 0, int(unsafe.group(1)) if unsafe else 0


def _applied(output: str) -> int:
    found = re.search(r"; (\d+) fix(?:es)? (?:would be )?applied\.$", output.strip())
    assert found, output
    return int(found.group(1))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_hint_counts_what_fix_applies(workdir: Path, name: str) -> None:
    (workdir / name).write_text(CASES[name])
    safe, more = _hint(_run("lint", name))
    assert _applied(_run("fix", "--check", name)) == safe
    assert _applied(_run("fix", "--check", "--unsafe-fixes", name)) == safe + more


@pytest.mark.parametrize("check", [(), ("--check",), ("--diff",)])
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_fix_run_with_unsafe_fixes_never_suggests_them(workdir: Path, name: str, check: tuple[str, ...]) -> None:
    (workdir / name).write_text(CASES[name])
    assert "fixable" not in _run("fix", "--unsafe-fixes", *check, name)


def test_the_realworld_hint_after_a_safe_fix_counts_only_what_unsafe_fixes_add(workdir: Path) -> None:
    (workdir / "m.json").write_text(CASES["gs-and-comma.json"])
    assert _hint(_run("lint", "m.json")) == (2, 1)  # the trailing comma, the space; the gs:// URL
    output = _run("fix", "m.json")
    assert _hint(output) == (0, 1) and _applied(output) == 2
    assert _hint(_run("fix", "--check", "m.json")) == (0, 1)  # the 2 safe fixes are this run's last line


def _resolve(data: object, pointer: str) -> object:
    for token in pointer.strip("/").split("/"):
        data = data[int(token)] if isinstance(data, list) else data[token]  # type: ignore[index]
    return data


@pytest.mark.parametrize(
    ("text", "code", "title"),
    [
        # The second array's group is renumbered (MT207), then the merge puts the first array's two before it.
        (
            (Path(__file__).parents[2] / "fixtures/invalid/duplicate-image-groups.json").read_text(),
            "MT207",
            "sequence-1",
        ),
        (
            '{"videos": [{"objectUrl": "' + URL + '/a.mp4", "title": " a "}],\n'
            ' "videos": [{"objectUrl": "' + URL + '/b.mp4", "title": " b "}]}\n',
            "MT219",
            "b",
        ),
    ],
)
def test_a_fix_names_its_place_in_the_output_and_fixes_are_listed_as_applied(text: str, code: str, title: str) -> None:
    import json

    import manifest_tools

    result = manifest_tools.fix(text, unsafe=True)
    assert result.text is not None
    pointer = next(applied.pointer for applied in result.applied if applied.code == code)
    item = _resolve(json.loads(result.text), pointer.removesuffix("/title"))
    assert isinstance(item, dict) and item["title"] == title
    codes = [applied.code for applied in result.applied]
    assert codes.index(code) < codes.index("MT601")  # applied to the array lint read, before the merge


@pytest.mark.parametrize("check", [(), ("--check",)])
def test_fix_of_standard_input_lists_its_fixes_on_stderr(check: tuple[str, ...]) -> None:
    text = '{"images": [{"objectUrl": "' + URL + '/a.jpg"},]}\n'
    result = CliRunner().invoke(main, ["fix", *check, "-"], input=text)
    done = "would be fixed" if check else "fixed"
    assert f"<stdin>: MT102 {done} at /images: removed a trailing comma" in result.stderr
    assert "MT102" not in result.stdout


@pytest.mark.parametrize(
    ("second", "said"),
    [
        (
            {"clientMetadata": {"split": "test"}},
            '; the removed copy\'s clientMetadata {"split": "test"} differed from the kept copy\'s at /images/0'
            " and is lost",
        ),
        ({"clientMetadata": {"split": "train"}}, ""),  # the same copy: nothing is lost
        ({}, "; nothing is lost (the removed copy had no clientMetadata; the kept copy at /images/0 has)"),
        (
            {"title": "b"},  # lacks clientMetadata (nothing lost there), has its own title (lost)
            "; the removed copy's title \"b\" differed from the kept copy's at /images/0 and is lost",
        ),
    ],
)
def test_removing_a_repeated_item_says_what_its_different_fields_lose(second: dict[str, object], said: str) -> None:
    """A field only the kept copy has is not lost (it said "clientMetadata (none) ... is lost")."""
    import json

    import manifest_tools

    url = URL + "/a.jpg"
    items = [{"objectUrl": url, "clientMetadata": {"split": "train"}}, {"objectUrl": url, **second}]
    result = manifest_tools.fix(json.dumps({"images": items}) + "\n", unsafe=True)
    [removed] = [applied for applied in result.applied if applied.code == "MT602"]
    assert removed.pointer == "/images/1"
    assert removed.description == f"removed repeated item {url}{said}"


def test_a_large_file_counts_the_fixable_findings_without_running_the_fixer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above FIX_COUNT_MAX_BYTES the hint counts the findings whose rule has a fix (the fixer would cost
    two fixes of a large file); below, the fixer's own outcome."""
    from manifest_tools import api

    path = tmp_path / "m.json"
    path.write_text('{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}\n')
    asked = api.lint_files([str(path)])
    monkeypatch.setattr(api, "FIX_COUNT_MAX_BYTES", 0)
    monkeypatch.setattr(api, "_fix_bytes", lambda *_: pytest.fail("the fixer ran"))
    monkeypatch.setattr(api, "_fixed_copy", lambda *_: lambda unsafe: pytest.fail("the fixer ran"))
    declared = api.lint_files([str(path)])
    assert [c for c in asked.fix_counts.values()] == [c for c in declared.fix_counts.values()]
    assert sum(c.safe for c in declared.fix_counts.values()) == 1


BLOCKED = '{"images": [{"objectUrl": "' + URL + '/a.jpg"%s, "fps": frames}]}\n'


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ("", "<stdin>: not rewritten: 1 problem must be fixed by hand first (MT105 at 1:%d)\n"),
        (', "title": " a "', "(MT105 at 1:%d); the 1 other fix waits until then\n"),
        (
            ', "title": " a "}, {"objectUrl": "' + URL + '/b.jpg", "title": " b "',
            "(MT105 at 1:%d); the 2 other fixes wait until then\n",
        ),
    ],
)
def test_a_refusal_says_other_fixes_wait_only_when_there_are_some(extra: str, said: str) -> None:
    """It said "the other fixes wait" of a file with nothing else to fix."""
    text = BLOCKED % extra
    result = CliRunner().invoke(main, ["fix", "--select", "MT105,MT219,MT103", "-"], input=text)
    assert said % (text.index("frames") + 1) in result.stderr, result.stderr


def test_fixes_of_a_later_pass_say_so() -> None:
    """A rename brings in items the first pass never read: two removals, each in its own pass's text at
    /images/3, printed identically before."""
    fixture = Path(__file__).parents[2] / "fixtures" / "invalid" / "sdk-spellings-and-kinds.json"
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", "--diff", str(fixture)])
    removals = [line.split(": ", 1)[1] for line in result.stderr.splitlines() if "MT602 would be fixed" in line]
    assert [line.split(": removed")[0] for line in removals] == [
        "MT602 would be fixed at /images/3",
        "MT602 would be fixed in pass 2 at /images/3",
    ], result.stderr


SDK_FIXTURE = Path(__file__).parents[2] / "fixtures" / "invalid" / "sdk-spellings-and-kinds.json"
"""gs://acme-bucket/b.jpg among S3 URLs: the unsafe MT302 fix makes it an https URL on another cloud (MT313)."""


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ([], "m.json: the fixed text has 1 finding the input had not: MT313\n"),
        (["--diff"], "m.json: the fixed text would have 1 finding the input had not: MT313\n"),
        (["--check"], "m.json: the fixed text would have 1 finding the input had not: MT313\n"),
        (["-", "--stdin-filename", "m.json"], "m.json: the fixed text has 1 finding the input had not: MT313\n"),
    ],
)
def test_findings_the_fixes_bring_are_said(workdir: Path, mode: list[str], said: str) -> None:
    """An unsafe fix may bring a finding the input had not: one line says so (it was silent)."""
    text = SDK_FIXTURE.read_text()
    (workdir / "m.json").write_text(text)
    paths = [] if "-" in mode else ["m.json"]
    result = CliRunner().invoke(main, ["fix", "--isolated", "--unsafe-fixes", *mode, *paths], input=text)
    assert said in result.stderr, result.stderr


def test_fixes_that_bring_no_finding_say_nothing_of_it(workdir: Path) -> None:
    (workdir / "m.json").write_text('{"image": [{"objectUrl": "' + URL + '/a.jpg"}]}\n')
    result = CliRunner().invoke(main, ["fix", "--isolated", "--unsafe-fixes", "m.json"])
    assert "MT202 fixed" in result.stderr and "the input had not" not in result.stderr, result.stderr
