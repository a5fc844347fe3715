"""Nothing is lost quietly: whatever a target cannot carry is listed and refused, in the library as in the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.conversion import ConversionRefused, convert
from manifest_tools.errors import ConfigError, NotRewritable

FIXTURES = Path(__file__).parents[2] / "fixtures"
URL = "https://b.s3.eu-west-2.amazonaws.com"
GROUP = {"title": "g", "createVideo": False, "objectUrl_0": f"{URL}/0.jpg", "objectUrl_1": f"{URL}/1.jpg"}


def test_the_library_refuses_where_the_cli_refuses() -> None:
    """The documentation's example repeats image_groups: the library kept 2 of 10 frames with dropped == []."""
    source = FIXTURES / "invalid" / "duplicate-image-groups.json"
    for target in ("sdk", "csv", "json"):
        with pytest.raises(NotRewritable) as refused:
            manifest_tools.convert(source, target, drop_unsupported=True)  # type: ignore[arg-type]
        result = CliRunner().invoke(main, ["convert", str(source), "--to", target, "-o", "-", "--drop-unsupported"])
        assert result.exit_code == 1 and "not converted" in result.stderr
        shown = [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in refused.value.errors]
        assert result.stdout == "", "-o -: standard output is the manifest's, the problems go to stderr"
        assert result.stderr.splitlines()[: len(shown)] == shown


def test_an_unknown_target_raises() -> None:
    with pytest.raises(ConfigError, match="unknown target 'xlsx'"):
        manifest_tools.convert(FIXTURES / "valid" / "all-kinds.json", "xlsx")  # type: ignore[arg-type]


@pytest.mark.parametrize("target", ["csv", "sdk"])
@pytest.mark.parametrize(
    ("data", "pointers"),
    [
        ({"videos": [f"{URL}/a.mp4", {"objectUrl": f"{URL}/b.mp4"}]}, ["/videos/0"]),
        ({"videos": {"objectUrl": f"{URL}/b.mp4"}}, ["/videos"]),
    ],
)
def test_invalid_input_is_refused_even_when_dropping(data: dict[str, Any], pointers: list[str], target: str) -> None:
    """A kind that is not an array is not something a target cannot carry: dropping it would hide invalid input."""
    with pytest.raises(ConversionRefused, match="is not a valid manifest") as refused:
        manifest_tools.convert(data, target, drop_unsupported=True)  # type: ignore[arg-type]
    assert [loss.pointer for loss in refused.value.losses] == pointers


@pytest.mark.parametrize(
    ("data", "pointers"),
    [
        ({"images": [{"objectUrl": f"{URL}/a.jpg", "caption": "x"}]}, ["/images/0/caption"]),
        ({"image_groups": [{**GROUP, "objectUrl_02": f"{URL}/2.jpg"}]}, ["/image_groups/0/objectUrl_02"]),
        ({"image_groups": [{**GROUP, "objectURL_2": f"{URL}/2.jpg"}]}, ["/image_groups/0/objectURL_2"]),
        ({"images": [{"objectUrl": f"{URL}/a.jpg", "clientMetadata": "x"}]}, ["/images/0/clientMetadata"]),
        ({"image_groups": [{**GROUP, "createVideo": "true"}]}, ["/image_groups/0/createVideo"]),
        ({"imageGroups": [GROUP]}, ["/imageGroups"]),
    ],
)
def test_sdk_lists_and_refuses_what_it_cannot_carry(data: dict[str, Any], pointers: list[str]) -> None:
    with pytest.raises(ConversionRefused) as refused:
        manifest_tools.convert(data, "sdk")
    assert [loss.pointer for loss in refused.value.losses] == pointers
    dropped = manifest_tools.convert(data, "sdk", drop_unsupported=True)
    assert [loss.pointer for loss in dropped.dropped] == pointers
    from encord.orm import storage  # the dev extra installs it: a missing SDK fails the run

    storage.DataUploadItems.model_validate(json.loads(dropped.text))


def test_sdk_losses_of_an_array_of_several_shapes_name_each_item() -> None:
    """Shapes are judged once each (at C speed for an array of objects): every item of a lossy shape is
    named, in order, and an item of the same keys but another value type is judged apart."""
    image = {"objectUrl": f"{URL}/a.jpg"}
    images = [
        image,
        {**image, "caption": "x"},
        {**image, "clientMetadata": {"a": 1}},
        {**image, "clientMetadata": "x"},
        image,
        {**image, "caption": "y"},
    ]
    result = manifest_tools.convert({"images": images}, "sdk", drop_unsupported=True)
    assert [loss.pointer for loss in result.dropped] == [
        "/images/1/caption",
        "/images/3/clientMetadata",
        "/images/5/caption",
    ]


@pytest.mark.parametrize(
    "odd",
    [
        {"objectUrl": f"{URL}/a.jpg", "caption": "x"},
        {"objectUrl": f"{URL}/a.jpg", "title": 7, "caption": "c"},
        {"objectUrl": f"{URL}/a.jpg", "title": None, "caption": "c"},
        {"title": "a", "objectUrl": f"{URL}/a.jpg", "caption": "c"},
        "not an item",
    ],
)
def test_sdk_losses_of_runs_of_one_shape_are_those_of_each_item(odd: Any) -> None:
    """A run of items of one shape (keys, and one type per field) is judged once: the losses are those the
    rule gives item by item, wherever an item of another shape or type breaks the run."""
    from manifest_tools.conversion import _sdk_losses, unsupported_in_sdk
    from manifest_tools.kinds import KINDS_BY_KEY

    images: list[Any] = [{"objectUrl": f"{URL}/{n}.jpg", "title": f"{n}", "caption": "c"} for n in range(9000)]
    for at in (0, 4095, 4096, 5000, 8999):
        images[at] = odd
    kind = KINDS_BY_KEY["images"]
    expected = [f"/images/{index}" for index, value in enumerate(images) if not isinstance(value, dict)]
    expected += [
        f"/images/{index}/{token}"
        for index, value in enumerate(images)
        if isinstance(value, dict)
        for token, _ in _sdk_losses(kind, value)
    ]
    found = unsupported_in_sdk({"images": images})
    assert [loss.pointer for loss in found] == expected
    assert len(found) == len(expected)


def test_sdk_keeps_every_url_it_does_not_list() -> None:
    """An independent count: every URL of the source is in the payload or in ``dropped``."""
    data = {
        "images": [{"objectUrl": f"{URL}/a.jpg"}],
        "image_groups": [GROUP, {**GROUP, "title": "h", "objectUrl_7x": f"{URL}/lost.jpg"}],
    }
    result = manifest_tools.convert(data, "sdk", drop_unsupported=True)
    text = result.text
    written = text.count(URL)
    listed = [loss.pointer for loss in result.dropped]
    assert written == 5 and listed == ["/image_groups/1/objectUrl_7x"]


def test_convert_never_writes_nan() -> None:
    with pytest.raises(NotRewritable, match="MT106"):
        manifest_tools.convert({"images": [{"objectUrl": f"{URL}/a.jpg", "title": float("nan")}]}, "sdk")


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_writes_formula_like_cells_as_they_are_and_notes_each() -> None:
    """The platform reads a title literally: an apostrophe would become part of it (fix and split agree)."""
    data = {
        "images": [
            {"objectUrl": '=HYPERLINK("http://evil.example/","x")', "title": "a.jpg"},
            {"objectUrl": f"{URL}/b.jpg", "title": " =1+1"},
            {"objectUrl": f"{URL}/c.jpg", "title": "@SUM(A1)"},
            {"objectUrl": f"{URL}/d.jpg", "title": "plain.jpg"},
            {"objectUrl": f"{URL}/e.jpg", "title": "-g1"},
        ]
    }
    result = manifest_tools.convert(data, "csv")
    rows = _rows(result.text)
    assert rows[1][0] == '=HYPERLINK("http://evil.example/","x")'
    assert [row[1] for row in rows[1:]] == ["a.jpg", " =1+1", "@SUM(A1)", "plain.jpg", "-g1"]
    assert [note.pointer for note in result.notes] == [
        "/images/0/objectUrl",
        "/images/1/title",
        "/images/2/title",
        "/images/4/title",
    ]
    assert all("may run it as a formula" in note.message for note in result.notes)
    back = convert(manifest_tools.load(result.text, format="csv"), "json").text
    assert [item.get("title") for item in json.loads(back)["images"]] == [item["title"] for item in data["images"]]


def test_csv_keeps_groups_apart_whose_titles_differ_by_an_apostrophe() -> None:
    """ "=x" is written as it is, so a group titled '=x stays a group of its own."""
    data = {"image_groups": [{**GROUP, "title": "'=x"}, {**GROUP, "title": "=x", "objectUrl_0": f"{URL}/9.jpg"}]}
    back = manifest_tools.load(manifest_tools.convert(data, "csv").text, format="csv")
    assert [group["title"] for group in (back.data or {})["image_groups"]] == ["'=x", "=x"]


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "CSV cannot carry 1 thing of this manifest; pass --drop-unsupported to drop it (it is still reported)"),
        (
            2,
            "CSV cannot carry 2 things of this manifest; pass --drop-unsupported to drop them (each is still reported)",
        ),
    ],
)
def test_the_refusal_counts_what_it_cannot_carry_in_words(count: int, said: str, tmp_path: Path) -> None:
    """convert counts the items it would drop; generate (one line per kind) the objects it listed."""
    source = tmp_path / "m.json"
    source.write_text(json.dumps({"pdfs": [{"objectUrl": f"{URL}/{n}.pdf"} for n in range(count)]}))
    converted = CliRunner().invoke(main, ["convert", str(source), "-o", str(tmp_path / "m.csv")])
    assert converted.exit_code == 1 and converted.stderr.splitlines()[-1] == f"manifest-tools: {said}"
    folder = tmp_path / "listed"
    folder.mkdir()
    for n in range(count):
        (folder / f"{n}.pdf").write_bytes(b"%PDF")
    args = ["generate", str(folder), "-o", str(tmp_path / "g.csv"), "--url-base", "https://cdn.example.org"]
    generated = CliRunner().invoke(main, args)
    assert generated.exit_code == 1
    assert generated.stderr.splitlines()[-1] == f"manifest-tools: {said}; nothing was written"


@pytest.mark.parametrize(
    "odd",
    [
        {"createVideo": "yes"},  # a type of its own in one column: the losses item by item
        {"createVideo": 1},
        {"title": 7},
        {"title": None},
        {},
    ],
)
def test_sdk_losses_of_wide_runs_are_those_of_each_item(odd: dict[str, Any]) -> None:
    """A run of groups of many frames is judged a row at a time: the same losses as item by item."""
    from manifest_tools.conversion import _sdk_losses, unsupported_in_sdk
    from manifest_tools.kinds import KINDS_BY_KEY

    def group(n: int) -> dict[str, Any]:
        return {"title": f"g{n}", "createVideo": True, **{f"objectUrl_{f}": f"{URL}/{n}/{f}.jpg" for f in range(20)}}

    groups = [group(n) for n in range(30)]
    groups[17] = {**groups[17], **odd}
    kind = KINDS_BY_KEY["image_groups"]
    expected = [
        f"/image_groups/{index}/{token}" for index, value in enumerate(groups) for token, _ in _sdk_losses(kind, value)
    ]
    found = unsupported_in_sdk({"image_groups": groups})
    assert [loss.pointer for loss in found] == expected
