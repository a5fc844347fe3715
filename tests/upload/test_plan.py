"""plan: a manifest against the folder's items, exported as JSON Lines of the SDK's StorageItem.to_dict()."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from tests.upload.conftest import position_of
from tests.upload.sdk_models import StorageItemType, stored_item

B = "https://b.s3.eu-west-2.amazonaws.com"


def manifest(skip: bool | None, upsert: bool | None = None) -> str:
    flags = "".join(
        f',\n  "{name}": {json.dumps(value)}'
        for name, value in (("skip_duplicate_urls", skip), ("upsert_metadata", upsert))
        if value is not None
    )
    return (
        "{\n"
        '  "images": [\n'
        f'    {{"objectUrl": "{B}/same.jpg", "title": "same.jpg"}},\n'
        f'    {{"objectUrl": "{B}/meta.jpg", "title": "renamed", "clientMetadata": {{"split": "test", "new": 1}},'
        ' "imageMetadata": {"mimeType": "image/jpeg", "fileSize": 10, "width": 640, "height": 480}},\n'
        f'    {{"objectUrl": "{B}/other/cat.jpg"}},\n'
        f'    {{"objectUrl": "{B}/fresh.jpg"}}\n'
        "  ],\n"
        '  "image_groups": [\n'
        f'    {{"title": "g1", "createVideo": false, "objectUrl_0": "{B}/g/1.jpg"}}\n'
        f"  ]{flags}\n"
        "}\n"
    )


INVENTORY = [
    stored_item("same.jpg", f"{B}/same.jpg"),
    stored_item(
        "meta.jpg",
        f"{B}/meta.jpg",
        client_metadata={"split": "train", "source": "cam-1"},
        mime_type="image/jpeg",
        file_size=10,
        width=320,
        height=480,
    ),
    stored_item("cat.jpg", f"{B}/cats/cat.jpg"),
    stored_item("g1", None, StorageItemType.IMAGE_GROUP),
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "items.jsonl").write_text("".join(json.dumps(item) + "\n" for item in INVENTORY), encoding="utf-8")
    return tmp_path


def plan(workdir: Path, text: str) -> tuple[list[str], dict[str, int]]:
    (workdir / "m.json").write_text(text, encoding="utf-8")
    result = manifest_tools.plan_upload("m.json", "items.jsonl")
    return [f"{d.code} {d.line}:{d.column} {d.message}" for d in result.report], dict(result.counts)


def at(text: str, value: str) -> str:
    return position_of(text, json.dumps(value))


def test_without_skip_existing_urls_are_registered_twice(workdir: Path) -> None:
    text = manifest(skip=None)
    found, counts = plan(workdir, text)
    assert [line.split(" the folder")[0] for line in found] == [
        f"MT923 {at(text, f'{B}/same.jpg')}",
        f"MT923 {at(text, f'{B}/meta.jpg')}",
        f"MT924 {at(text, f'{B}/other/cat.jpg')}",  # cat.jpg: the name of an item elsewhere in the folder
        f"MT924 {at(text, 'g1')}",  # the group's title
    ]
    assert found[0].endswith("skip_duplicate_urls is off, so it will be registered a second time")
    assert counts == {"new": 3, "skipped": 0, "overwritten": 0, "unchanged": 0, "registered twice": 2}


SKIPPED = "the item will be skipped"


def test_skip_says_which_changes_are_not_applied(workdir: Path) -> None:
    text = manifest(skip=True)
    found, counts = plan(workdir, text)
    assert found[:2] == [
        f"MT921 {at(text, f'{B}/same.jpg')} the folder already holds {B}/same.jpg as 'same.jpg': {SKIPPED}",
        f"MT921 {at(text, f'{B}/meta.jpg')} the folder already holds {B}/meta.jpg as 'meta.jpg': {SKIPPED};"
        ' not applied (upsert_metadata is off): title "meta.jpg" -> "renamed"; imageMetadata.width 320 -> 640;'
        ' clientMetadata split "train" -> "test"; adds new; drops source',
    ]
    assert counts["skipped"] == 2 and counts["registered twice"] == 0


def test_upsert_lists_what_it_overwrites(workdir: Path) -> None:
    text = manifest(skip=True, upsert=True)
    found, counts = plan(workdir, text)
    assert [line.split(" ")[0] for line in found] == ["MT922", "MT924", "MT924"]
    assert found[0].startswith(
        f"MT922 {at(text, f'{B}/meta.jpg')} the folder already holds {B}/meta.jpg as 'meta.jpg'; upsert_metadata"
    )
    assert counts == {"new": 3, "skipped": 0, "overwritten": 1, "unchanged": 1, "registered twice": 0}


def test_an_empty_folder_plans_only_new_items(workdir: Path) -> None:
    (workdir / "m.json").write_text(manifest(skip=True), encoding="utf-8")
    result = manifest_tools.plan_upload("m.json", [])
    assert result.report.diagnostics == [] and result.counts["new"] == 5


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_text_and_json(workdir: Path) -> None:
    (workdir / "m.json").write_text(manifest(skip=None), encoding="utf-8")
    code, out, _ = run("plan", "m.json", "--inventory", "items.jsonl")
    assert code == 1  # registering twice is an error
    assert out.splitlines()[-2:] == [
        "note: plan against 4 items in the folder: 3 new, 0 skipped, 0 overwritten, 0 unchanged, 2 registered twice",
        "note: image groups, sequences and DICOM series are matched by title only (an export has no URLs)",
    ]
    code, out, _ = run("plan", "m.json", "--inventory", "items.jsonl", "--output-format", "json")
    document: dict[str, Any] = json.loads(out)
    assert code == 1 and document["summary"]["by_code"] == {"MT923": 2, "MT924": 2}


@pytest.mark.parametrize(
    ("content", "message"),
    [("{broken\n", "items.jsonl:1: not JSON"), ('{"uuid": "x"}\n', "items.jsonl:1: not a StorageItem")],
)
def test_a_bad_inventory_exits_2(workdir: Path, content: str, message: str) -> None:
    (workdir / "m.json").write_text(manifest(skip=True), encoding="utf-8")
    (workdir / "items.jsonl").write_text(content, encoding="utf-8")
    code, out, err = run("plan", "m.json", "--inventory", "items.jsonl")
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_upsert_without_skip_does_nothing(workdir: Path) -> None:
    """upsert_metadata has no effect unless skip_duplicate_urls is true (spec section 1)."""
    found, counts = plan(workdir, manifest(skip=False, upsert=True))
    assert [line.split(" ")[0] for line in found] == ["MT923", "MT923", "MT924", "MT924"]
    assert counts["overwritten"] == 0
