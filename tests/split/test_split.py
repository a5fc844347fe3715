"""split: parts within the limits, order kept, groups never cut, flags in every part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools import api
from manifest_tools.cli import main
from manifest_tools.splitting import Limits, SplitError, plan, write_parts

URL = "https://b.s3.eu-west-2.amazonaws.com"


def manifest_text(images: int, group_sizes: list[int]) -> str:
    data = {
        "skip_duplicate_urls": True,
        "images": [{"objectUrl": f"{URL}/i{i}.jpg"} for i in range(images)],
        "image_groups": [
            {"title": f"g{g}", "createVideo": False, **{f"objectUrl_{f}": f"{URL}/g{g}/{f}.jpg" for f in range(size)}}
            for g, size in enumerate(group_sizes)
        ],
    }
    return json.dumps(data)


def test_parts_respect_limits_and_never_cut_groups(tmp_path: Path) -> None:
    source = tmp_path / "m.json"
    source.write_text(manifest_text(5, [3, 4, 1]))
    manifest = api.load(source)
    parts = plan(manifest, Limits(max_urls=6))
    assert [(len(p.items), p.urls) for p in parts] == [(5, 5), (1, 3), (2, 5)]
    paths = list(write_parts(manifest, parts, suffix=".json"))
    assert [p.name for p in paths] == [f"m.part-000{n}.json" for n in range(1, 4)]
    items, urls = [], 0
    for path in paths:
        part = api.load(path)
        assert part.data is not None and part.data["skip_duplicate_urls"] is True
        assert api.check(part).diagnostics == []
        items += [item.pointer.split("/")[1] + ":" + str(item.fields.get("title")) for item in part.items()]
        urls += part.count_urls()
    assert urls == manifest.count_urls() == 13
    assert items == ["images:None"] * 5 + ["image_groups:g0", "image_groups:g1", "image_groups:g2"]


@pytest.mark.parametrize(
    ("groups", "limits", "message"),
    [
        ([2, 9], Limits(max_urls=5), "image group 'g1' at /image_groups/1 has 9 URLs, over max_urls=5;"),
        ([1], Limits(max_bytes=100), "image group 'g0' at /image_groups/0 makes a part of 165 bytes on its own"),
        ([1], Limits(max_bytes=100), "over max_bytes=100;"),
        ([3], Limits(max_images=2), "has 3 images, over the limit of 2 images per part;"),
    ],
)
def test_a_group_larger_than_a_part_is_an_error_naming_the_limit(
    groups: list[int], limits: Limits, message: str
) -> None:
    """The message said "(2 URLs, ~0 bytes) is larger than one part may be" without the limit it broke, and
    "~70 bytes" against --max-bytes 100 (the part's own header counts too)."""
    manifest = api.parse("m.json", manifest_text(0, groups))
    with pytest.raises(SplitError) as raised:
        plan(manifest, limits)
    assert message in str(raised.value) and "~0 bytes" not in str(raised.value)


def test_the_readme_cases_name_the_limit() -> None:
    """`split four-blocks.csv --max-urls 1` said "(2 URLs, ~0 bytes)"; a one-video JSON against --max-bytes
    100 said "(1 URLs, ~70 bytes) is larger", 70 being under 100."""
    fixtures = Path(__file__).parents[2] / "fixtures" / "valid"
    with pytest.raises(SplitError) as raised:
        plan(api.load(fixtures / "four-blocks.csv"), Limits(max_urls=1))
    assert "has 2 URLs, over max_urls=1;" in str(raised.value)
    video = api.parse("m.json", json.dumps({"videos": [{"objectUrl": f"{URL}/v.mp4"}]}))
    with pytest.raises(
        SplitError, match=r"^video at /videos/0 makes a part of \d+ bytes on its own, over max_bytes=50;"
    ):
        plan(video, Limits(max_bytes=50))


def test_byte_limit_is_met_by_the_files_written(tmp_path: Path) -> None:
    source = tmp_path / "m.json"
    source.write_text(manifest_text(40, [2] * 10))
    manifest = api.load(source)
    paths = list(write_parts(manifest, plan(manifest, Limits(max_bytes=2000)), suffix=".json"))
    assert len(paths) >= 3
    assert all(p.stat().st_size <= 2000 for p in paths), [p.stat().st_size for p in paths]


def test_split_command_csv_preset_and_dry_run(tmp_path: Path) -> None:
    rows = "".join(f"{URL}/g{i // 4}/{i}.jpg,G{i // 4},false\n" for i in range(10_010))
    source = tmp_path / "big.csv"
    source.write_text("ObjectUrl,Image group title,Create video\n" + rows)
    runner = CliRunner()
    dry = runner.invoke(main, ["split", str(source), "--preset", "platform", "--dry-run"])
    assert dry.exit_code == 0 and "2 parts planned" in dry.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]
    done = runner.invoke(main, ["split", str(source), "--preset", "platform", "--output-dir", str(tmp_path)])
    assert done.exit_code == 0, done.output
    first, second = tmp_path / "big.part-0001.csv", tmp_path / "big.part-0002.csv"
    assert api.load(first).count_urls() == 10_000 and api.load(second).count_urls() == 10
    assert api.check(api.load(first)).diagnostics == []


def test_split_says_each_part_on_a_line_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan and what was written, one line per part (the written parts were one long line)."""
    monkeypatch.chdir(tmp_path)
    Path("m.json").write_text(manifest_text(5, []))
    result = CliRunner().invoke(main, ["split", "m.json", "--max-items", "2", "--output-dir", "parts"])
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            "part 1: 2 items, 2 URLs (/images/0 .. /images/1)",
            "part 2: 2 items, 2 URLs (/images/2 .. /images/3)",
            "part 3: 1 item, 1 URL (/images/4 .. /images/4)",
            "Wrote 3 parts:",
            "  parts/m.part-0001.json",
            "  parts/m.part-0002.json",
            "  parts/m.part-0003.json",
        ],
    )


def test_split_needs_a_limit() -> None:
    result = CliRunner().invoke(main, ["split", "whatever.json"])
    assert result.exit_code == 2 and "give --max-items" in result.stderr


def test_recommended_preset_is_one_budget_for_videos_and_images() -> None:
    data = {
        "videos": [{"objectUrl": f"{URL}/v{i}.mp4"} for i in range(150)],
        "images": [{"objectUrl": f"{URL}/i{i}.jpg"} for i in range(2500)],
    }
    from manifest_tools.splitting import PRESETS

    parts = plan(api.parse("m.json", json.dumps(data)), PRESETS["recommended"]["json"])
    assert [(p.videos, p.images) for p in parts] == [(100, 0), (50, 500), (0, 1000), (0, 1000)]


_B = "https://b.s3.eu-west-2.amazonaws.com"
ORDERS = {
    "groups first": f"""ObjectUrl,Image group title,Create video
{_B}/g/1.jpg,Group 1,false
{_B}/g/2.jpg,Group 1,false
{_B}/g/3.jpg,Group 2,false
ObjectUrl,Video title
{_B}/v/1.mp4,Video 1.mp4
ObjectUrl,Image title
{_B}/i/1.jpg,Image 1
{_B}/i/2.jpg,Image 2
""",
    "a kind's blocks with another between": f"""ObjectUrl,Image title
{_B}/i/1.jpg,Image 1
ObjectUrl,Video title
{_B}/v/1.mp4,Video 1.mp4
{_B}/v/2.mp4,Video 2.mp4
ObjectUrl,Image title
{_B}/i/2.jpg,Image 2
""",
    "json keys out of table order": json.dumps(
        {
            "image_groups": [{"title": "Group 1", "createVideo": False, "objectUrl_0": f"{_B}/g/1.jpg"}],
            "images": [{"objectUrl": f"{_B}/i/1.jpg"}],
            "videos": [{"objectUrl": f"{_B}/v/1.mp4"}],
        },
        indent=1,
    ),
}


@pytest.mark.parametrize("text", ORDERS.values(), ids=ORDERS.keys())
def test_items_keep_the_files_order(tmp_path: Path, text: str) -> None:
    """The reference is the file's own text: its URLs, in the order they are written."""
    source = tmp_path / ("m.json" if text.startswith("{") else "m.csv")
    source.write_text(text, encoding="utf-8")
    written = [word.strip('",') for word in text.split() if word.strip('"').startswith(_B)]
    written = [cell.split(",")[0] for cell in written]
    parts = plan(api.load(source), Limits(max_urls=2))
    assert [url for part in parts for item in part.items for _, url in item.url_fields()] == written
