"""split writes all parts or none, never mixes with an earlier split, and drops nothing silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools import api, splitting
from manifest_tools.cli import main
from manifest_tools.errors import NotRewritable
from manifest_tools.splitting import Limits, PartsExist, SplitRefused

FIXTURES = Path(__file__).parents[2] / "fixtures"
URL = "https://b.s3.eu-west-2.amazonaws.com"


def images(count: int, **extra: object) -> str:
    return json.dumps({"images": [{"objectUrl": f"{URL}/i{i}.jpg"} for i in range(count)], **extra})


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("folder", "way_out"),
    [([], "or choose another --output-dir;"), (["--output-dir", "parts"], "or choose another --output-dir;")],
    ids=["beside the source", "in --output-dir"],
)
def test_the_refusal_of_earlier_parts_names_a_way_out_not_taken(workdir: Path, folder: list[str], way_out: str) -> None:
    """With --output-dir given, "choose --output-dir" named the option the user had just chosen."""
    (workdir / "m.json").write_text(images(4))
    assert run("split", "m.json", "--max-items", "2", *folder)[0] == 0
    code, _, err = run("split", "m.json", "--max-items", "2", *folder)
    assert code == 2 and way_out in err, err


CSV_FIVE = "ObjectUrl,Image title\n" + "".join(f"{URL}/{n}.jpg,image {n}\n" for n in range(5))


@pytest.mark.parametrize(("text", "suffix"), [(images(5), ".json"), (CSV_FIVE, ".csv")], ids=["JSON", "CSV"])
def test_splitting_standard_input_without_a_name_suggests_one_that_works(workdir: Path, text: str, suffix: str) -> None:
    """The example named a .json, which read a piped CSV as JSON: the names suggested cover both formats."""
    (workdir / "data").mkdir()
    refused = CliRunner().invoke(main, ["split", "-", "--max-items", "2"], input=text)
    assert refused.exit_code == 2
    names = [word.strip(",()") for word in refused.stderr.split() if word.startswith("data/")]
    name = next(name for name in names if name.endswith(suffix))
    ran = CliRunner().invoke(main, ["split", "-", "--stdin-filename", name, "--max-items", "2"], input=text)
    assert ran.exit_code == 0, ran.output
    assert len(list((workdir / "data").glob(f"m.part-*{suffix}"))) == 3


def test_parts_of_an_earlier_split_are_refused_unless_replaced(workdir: Path) -> None:
    (workdir / "m.json").write_text(images(30))
    assert run("split", "m.json", "--max-items", "5")[0] == 0
    assert len(list(workdir.glob("m.part-*.json"))) == 6
    code, _, err = run("split", "m.json", "--max-items", "10")
    assert code == 2 and "m.part-0001.json and 5 more exist from an earlier split: pass --replace" in err
    assert len(list(workdir.glob("m.part-*.json"))) == 6, "nothing written"
    code, out, _ = run("split", "m.json", "--max-items", "10", "--replace")
    assert code == 0 and out.startswith("part 1: 10 items")
    assert sorted(p.name for p in workdir.iterdir()) == ["m.json", *(f"m.part-000{n}.json" for n in (1, 2, 3))]
    urls = [url for n in (1, 2, 3) for _, _, url in api.load(workdir / f"m.part-000{n}.json").urls()]
    assert urls == [f"{URL}/i{i}.jpg" for i in range(30)], "a later lint of m.part-* sees each URL once"


def test_parts_in_another_format_count_as_an_earlier_split(workdir: Path) -> None:
    (workdir / "m.json").write_text(images(4))
    (workdir / "m.part-0001.csv").write_text("ObjectUrl,Image title\n")
    (workdir / "m.part-01.json").write_text("{}")  # not a part name: left alone
    with pytest.raises(PartsExist):
        manifest_tools.split(workdir / "m.json", Limits(max_items=2))
    manifest_tools.split(workdir / "m.json", Limits(max_items=2), replace=True)
    assert sorted(p.name for p in workdir.iterdir()) == [
        "m.json",
        "m.part-0001.json",
        "m.part-0002.json",
        "m.part-01.json",
    ]


def test_an_interrupted_split_leaves_nothing(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (workdir / "m.json").write_text(images(30))
    written: list[int] = []
    real = splitting.write_json

    def interrupted_on_the_third_part(data: dict[str, object], out: object) -> None:
        written.append(1)
        if len(written) == 3:
            raise KeyboardInterrupt
        real(data, out)  # type: ignore[arg-type]

    monkeypatch.setattr(splitting, "write_json", interrupted_on_the_third_part)
    code, _, err = run("split", "m.json", "--max-items", "5")
    assert code == 130 and err.strip() == "manifest-tools: interrupted"
    assert sorted(p.name for p in workdir.iterdir()) == ["m.json"], "no part, no hidden stage"


def test_schema_goes_into_every_part(workdir: Path) -> None:
    (workdir / "m.json").write_text(images(4, **{"$schema": "./schemas/manifest.schema.json"}))
    manifest_tools.split(workdir / "m.json", Limits(max_items=2))
    for number in (1, 2):
        part = json.loads((workdir / f"m.part-000{number}.json").read_text())
        assert part["$schema"] == "./schemas/manifest.schema.json"


@pytest.mark.parametrize(
    ("extra", "pointers"),
    [
        ({"comment": "made by hand"}, ["/comment"]),
        ({"videos": {"objectUrl": f"{URL}/v.mp4"}}, ["/videos"]),
        ({"videos": [f"{URL}/v.mp4", {"objectUrl": f"{URL}/w.mp4"}, 3]}, ["/videos/0", "/videos/2"]),
    ],
)
def test_what_parts_cannot_hold_is_listed_and_refused(
    workdir: Path, extra: dict[str, object], pointers: list[str]
) -> None:
    (workdir / "m.json").write_text(images(4, **extra))
    with pytest.raises(SplitRefused) as refused:
        manifest_tools.split(workdir / "m.json", Limits(max_items=2))
    assert [loss.pointer for loss in refused.value.losses] == pointers
    code, _, err = run("split", "m.json", "--max-items", "2")
    assert code == 1
    assert [line.rsplit("(", 1)[1].rstrip(")") for line in err.splitlines()[:-1]] == pointers
    assert sorted(p.name for p in workdir.iterdir()) == ["m.json"]


def test_the_library_refuses_where_the_cli_refuses(workdir: Path) -> None:
    source = FIXTURES / "invalid" / "duplicate-image-groups.json"
    with pytest.raises(NotRewritable) as refused:
        manifest_tools.split(source, Limits(max_urls=5), output_dir=str(workdir))
    code, out, err = run("split", str(source), "--max-urls", "5", "--output-dir", str(workdir))
    assert code == 1 and "not split" in err
    shown = [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in refused.value.errors]
    assert out.splitlines() == shown
    assert list(workdir.iterdir()) == []


MISSING_FOLDER = [
    ["m.json", "--output-dir", "parts/a"],
    ["-", "--stdin-filename", "parts/a/m.json"],
]
"""Two ways to name a folder for the parts that does not exist: both are made (``mkdir -p``). The
README's example names standard input's parts ``data/big.json``; that gave "folder does not exist"."""


@pytest.mark.parametrize("where", MISSING_FOLDER, ids=["--output-dir", "--stdin-filename"])
def test_a_missing_output_dir_is_made_as_mkdir_p(workdir: Path, where: list[str]) -> None:
    (workdir / "m.json").write_text(images(4))
    result = CliRunner().invoke(main, ["split", *where, "--max-items", "2"], input=images(4))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (workdir / "parts" / "a").iterdir()) == ["m.part-0001.json", "m.part-0002.json"]


@pytest.mark.parametrize("where", MISSING_FOLDER, ids=["--output-dir", "--stdin-filename"])
def test_a_failed_split_leaves_no_folder_it_made(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, where: list[str]
) -> None:
    (workdir / "m.json").write_text(images(4))

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(splitting, "write_json", broken)
    result = CliRunner().invoke(main, ["split", *where, "--max-items", "2"], input=images(4))
    assert result.exit_code == 2, result.stderr
    assert sorted(p.name for p in workdir.iterdir()) == ["m.json"]


def test_the_refusal_over_old_parts_is_worded_for_one_part_and_for_several() -> None:
    from manifest_tools.splitting import PartsExist

    one = str(PartsExist([Path("m.part-0001.json")]))
    assert (
        one
        == "m.part-0001.json exists from an earlier split: pass replace=True to remove it, or choose another output_dir"
    )
    several = str(PartsExist([Path("m.part-0001.json"), Path("m.part-0002.json")]))
    assert several.startswith("m.part-0001.json and 1 more exist from an earlier split:")
    assert "pass replace=True to remove them" in several


def test_earlier_parts_left_as_dangling_links_are_replaced_not_written_through(workdir: Path) -> None:
    """Earlier parts replaced by links to nothing were refused with "permission denied: the file cannot be
    written" (``os.access`` of a link to nothing): not what was true. --replace removes an earlier part, so a
    link goes as a file goes: the new part takes its name, and nothing is written where it pointed."""
    (workdir / "m.json").write_text(images(4))
    (workdir / "elsewhere").mkdir()
    for number in (1, 2, 3):
        (workdir / f"m.part-000{number}.json").symlink_to(workdir / "elsewhere" / f"{number}.json")
    code, _, err = run("split", "m.json", "--max-items", "2")
    assert code == 2 and "m.part-0001.json and 2 more exist from an earlier split: pass --replace" in err, err
    code, out, err = run("split", "m.json", "--max-items", "2", "--replace")
    assert (code, err) == (0, ""), (out, err)
    parts = [workdir / "m.part-0001.json", workdir / "m.part-0002.json"]
    assert sorted(p.name for p in workdir.iterdir()) == ["elsewhere", "m.json", *(p.name for p in parts)]
    assert not any(p.is_symlink() for p in parts)
    assert list((workdir / "elsewhere").iterdir()) == [], "nothing written through a link"
