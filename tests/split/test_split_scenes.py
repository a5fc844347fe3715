"""A scene's URIs count toward a part's URLs as an item's URL fields do, in split and in lint's URL limit
(one count of an item's URLs for both): a scene counted as none let --max-urls put any number in a part."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from manifest_tools import api
from manifest_tools.model import Item
from manifest_tools.rules.limits import _item_counts_of
from manifest_tools.splitting import Limits, SplitError, plan

S3 = "s3://drives/run1"
SCENE_FILE = {"title": "one file", "scene": {"url": f"{S3}/a.mcap", "format": "mcap"}}
COMPOSITE = {
    "title": "three streams",
    "scene": {
        "content": {
            "lidar": {"type": "point_cloud", "events": [{"uri": f"{S3}/0.pcd"}, {"uri": f"{S3}/1.pcd"}]},
            "front": {"type": "image", "events": [{"uri": f"{S3}/0.jpg", "timestamp": 0}]},
        }
    },
}
SCENES: list[tuple[dict[str, Any], int]] = [(SCENE_FILE, 1), (COMPOSITE, 3)]
"""Scenes and how many URIs each holds, counted by hand."""


@pytest.mark.parametrize(("scene", "uris"), SCENES, ids=["scene file", "composite"])
def test_a_scene_counts_its_uris(scene: dict[str, Any], uris: int) -> None:
    manifest = api.parse("m.json", json.dumps({"scenes": [scene]}))
    (item,) = manifest.items()
    assert item.counted_urls() == uris
    assert [row[2] for row in _item_counts_of([item])] == [uris]  # lint's URL limit (MT801) counts the same
    (part,) = plan(manifest, Limits(max_items=1))
    assert part.urls == uris


def test_max_urls_packs_scenes_by_their_uris(tmp_path: Path) -> None:
    manifest = api.parse("m.json", json.dumps({"scenes": [SCENE_FILE, COMPOSITE, SCENE_FILE]}))
    assert [(len(p.items), p.urls) for p in plan(manifest, Limits(max_urls=3))] == [(1, 1), (1, 3), (1, 1)]
    with pytest.raises(SplitError, match="three streams"):
        plan(manifest, Limits(max_urls=2))


def test_a_scene_is_no_url_field() -> None:
    """Its URIs are counted, not URL fields: rules that read objectUrl fields never see them."""
    (item,) = api.parse("m.json", json.dumps({"scenes": [COMPOSITE]})).items()
    assert isinstance(item, Item)
    assert item.url_fields() == [] and item.url_count() == 0
