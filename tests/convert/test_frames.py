"""pandas tables: a manifest round-trips through a table, and a table a user built becomes a manifest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from manifest_tools import api
from manifest_tools.frames import COLUMNS, from_dataframe, to_dataframe

FIXTURES = Path(__file__).parents[2] / "fixtures" / "valid"


@pytest.mark.parametrize("name", ["four-blocks.csv", "otc-dicom.json", "gcp-images.json"])
def test_round_trip_through_a_table(name: str) -> None:
    manifest = api.load(FIXTURES / name)
    frame = to_dataframe(manifest)
    assert tuple(frame.columns) == COLUMNS and len(frame) == manifest.count_urls()
    back = from_dataframe(frame)

    def shape(m: api.Manifest) -> list[tuple[str, object, list[object], object]]:
        return [(i.kind.key, i.title, [u for _, u in i.url_fields()], i.fields.get("createVideo")) for i in m.items()]

    assert shape(back) == shape(manifest)


def test_a_table_a_user_built() -> None:
    url = "https://b.s3.eu-west-2.amazonaws.com"
    frame = pd.DataFrame(
        {
            "kind": ["image_groups", "image_groups", "images", "image_groups"],
            "group_title": ["g1", "g1", None, "g2"],
            "position": [1, 0, None, 0],
            "create_video": [True, None, None, None],
            "url": [f"{url}/b.jpg", f"{url}/a.jpg", f"{url}/c.jpg", f"{url}/d.jpg"],
        }
    )
    manifest = from_dataframe(frame)
    assert manifest.data == {
        "image_groups": [
            {"title": "g1", "createVideo": True, "objectUrl_0": f"{url}/a.jpg", "objectUrl_1": f"{url}/b.jpg"},
            {"title": "g2", "createVideo": False, "objectUrl_0": f"{url}/d.jpg"},
        ],
        "images": [{"objectUrl": f"{url}/c.jpg"}],
    }
    assert api.check(manifest).diagnostics == []
