"""MT219's title trim never merges two CSV groups or series, on every path that fixes, and lint's hint agrees.

CSV rows join the group (or DICOM series) whose title cell is the same text, so trimming ``" g"`` beside
a ``"g"`` would make one group of two. The clean ``"g"`` row is the one the native scanner certifies and
hands over as a placeholder: each case puts the title it would collide with in a clean row, in a row with a
finding of its own, or nowhere, and checks the native path, the pure-Python fixer, the library's ``fix``,
the CLI's ``fix``, ``fix -`` and ``fix --check``, and the count of lint's "N fixable" hint. In JSON each
group is its own object: there the trim never merges anything and is always applied.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools import api
from manifest_tools.certified_csv_fix import fix_certified_csv
from manifest_tools.cli import main
from manifest_tools.fixes import fix_manifest

URL = "https://b.s3.eu-west-2.amazonaws.com"
GROUPS = "ObjectUrl,Image group title,Create video\n"
SERIES = "ObjectUrl,Series title\n"


def _groups(*titles: str) -> str:
    return GROUPS + "".join(f"{URL}/g/{n}.jpg,{title},false\n" for n, title in enumerate(titles))


def _series(*titles: str) -> str:
    return SERIES + "".join(f"{URL}/d/{n}.dcm,{title}\n" for n, title in enumerate(titles))


def _json_groups(*titles: str) -> str:
    items = ", ".join(f'{{"title": "{title}", "objectUrl_0": "{URL}/g/{n}.jpg"}}' for n, title in enumerate(titles))
    return f'{{"image_groups": [{items}]}}\n'


def _json_series(*titles: str) -> str:
    items = ", ".join(f'{{"title": "{title}", "objectUrl_0": "{URL}/d/{n}.dcm"}}' for n, title in enumerate(titles))
    return f'{{"dicom_series": [{items}]}}\n'


CASES = {  # name: (format, text, the pointers MT219's fix applies to)
    "group beside a clean group": ("csv", _groups(" g", "g", "h "), ["/image_groups/2/title"]),
    "clean group first": ("csv", _groups("g", "g ", "h"), []),
    "both need trimming": ("csv", _groups(" g", "g ", "h "), ["/image_groups/2/title"]),
    "beside a group with a finding": ("csv", _groups(" g", "g", "g") + f"{URL}/g/x.txt,g,false\n", []),
    "many clean groups": ("csv", _groups(*(f"t{n}" for n in range(30)), " t7", "u "), ["/image_groups/31/title"]),
    "series beside a clean series": ("csv", _series("s1 ", "s1", "s2 "), ["/dicom_series/2/title"]),
    "clean series first": ("csv", _series("s1", " s1"), []),
    "nothing to collide with": ("csv", _groups(" g", "h "), ["/image_groups/0/title", "/image_groups/1/title"]),
    "json groups are objects": ("json", _json_groups(" g", "g"), ["/image_groups/0/title"]),
    "json series are objects": ("json", _json_series("s1 ", "s1"), ["/dicom_series/0/title"]),
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _groups_read(text: str, fmt: str) -> list[tuple[str, int]]:
    """(title, URL count) of each group or series as read back: a merge changes the list."""
    manifest = api.parse(f"m.{fmt}", text.encode("utf-8"), fmt)  # type: ignore[arg-type]
    return sorted((item.fields.get("title", "").strip(), item.url_count()) for item in manifest.items())


def _applied(result: manifest_tools.FixResult) -> list[str]:
    return [a.pointer for a in result.applied if a.code == "MT219"]


@pytest.mark.parametrize(("fmt", "text", "pointers"), CASES.values(), ids=list(CASES))
def test_the_trim_never_merges_groups_on_any_library_path(fmt: str, text: str, pointers: list[str]) -> None:
    enabled = api.selection()
    slow = fix_manifest(api.parse(f"m.{fmt}", text.encode(), fmt), enabled)  # type: ignore[arg-type]
    library = manifest_tools.fix(text.encode())
    results = {"pure Python": slow, "library": library}
    if fmt == "csv":
        native = fix_certified_csv(manifest_tools.load(text, format="csv", name="m.csv"), enabled, False)
        assert not isinstance(native, str), native  # the scanner's path is the one taken
        results["native"] = native
    for path, result in results.items():
        assert result.text is not None, path
        assert _applied(result) == pointers, path
        assert len(_groups_read(result.text, fmt)) == len(_groups_read(text, fmt)), f"{path} merged two groups"
    hint = manifest_tools.lint(text, format=fmt, name=f"m.{fmt}")  # type: ignore[arg-type]
    assert hint.fixable() == len(slow.applied), "lint's hint counts what fix applies"


@pytest.mark.parametrize(("fmt", "text", "pointers"), CASES.values(), ids=list(CASES))
def test_the_trim_never_merges_groups_on_any_command(fmt: str, text: str, pointers: list[str], workdir: Path) -> None:
    path = workdir / f"m.{fmt}"
    path.write_text(text)
    check = CliRunner().invoke(main, ["fix", "--check", path.name])
    assert check.stderr.count("MT219 would be fixed") == len(pointers), check.output
    piped = CliRunner().invoke(main, ["fix", "--stdin-filename", path.name, "-"], input=text)
    assert len(_groups_read(piped.stdout, fmt)) == len(_groups_read(text, fmt)), piped.output
    assert piped.stderr.count("MT219 fixed") == len(pointers), piped.output
    lint = CliRunner().invoke(main, ["lint", path.name])
    fixed = CliRunner().invoke(main, ["fix", path.name])
    assert fixed.stderr.count("MT219 fixed") == len(pointers), fixed.output
    assert len(_groups_read(path.read_text(), fmt)) == len(_groups_read(text, fmt)), "two groups were merged"
    hinted = f"{len(pointers)} fixable" if pointers else "fixable"
    assert (hinted in lint.stdout) == bool(pointers), lint.stdout
