"""pandas tables: a manifest round-trips through a table, and a table a user built becomes a manifest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from manifest_tools import api
from manifest_tools.conversion import ConversionRefused
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


URL = "https://b.s3.eu-west-2.amazonaws.com"
LOSSY = {
    "skip_duplicate_urls": True,
    "images": [
        {"objectUrl": f"{URL}/a.jpg", "title": "a", "clientMetadata": {"k": 1}},
        {
            "objectUrl": f"{URL}/b.jpg",
            "imageMetadata": {"mimeType": "image/jpeg", "fileSize": 1, "width": 1, "height": 1},
        },
        {"objectUrl": f"{URL}/c.jpg"},
    ],
    "scenes": [{"title": "drive", "scene": {"url": "s3://d/run.mcap", "format": "mcap"}}],
}
"""What a table has no column for: clientMetadata, a metadata block, a flag, and a scene (no URL field)."""
LOST = ["/skip_duplicate_urls", "/images/0/clientMetadata", "/images/1/imageMetadata", "/scenes/0"]


def test_to_dataframe_refuses_what_a_table_cannot_carry_as_convert_does() -> None:
    """Metadata, clientMetadata, flags and scenes were dropped in silence (the s9 walk)."""
    manifest = api.from_dict(LOSSY, "mix.json")
    with pytest.raises(ConversionRefused) as refused:
        to_dataframe(manifest)
    assert sorted(loss.pointer for loss in refused.value.losses) == sorted(LOST)
    assert str(refused.value) == (
        "a table cannot carry 4 things of this manifest; pass drop_unsupported=True to drop them"
        " (each is still reported)"
    )
    frame = to_dataframe(manifest, drop_unsupported=True)
    assert list(frame["url"]) == [f"{URL}/a.jpg", f"{URL}/b.jpg", f"{URL}/c.jpg"]


def test_from_dataframe_refuses_columns_it_has_no_field_for() -> None:
    frame = pd.DataFrame({"kind": ["images"], "url": [f"{URL}/a.jpg"], "clientMetadata": [{"k": 1}]})
    with pytest.raises(ConversionRefused) as refused:
        from_dataframe(frame)
    assert [loss.pointer for loss in refused.value.losses] == ["clientMetadata"]
    assert "a manifest cannot carry 1 thing of this table; pass drop_unsupported=True" in str(refused.value)
    assert from_dataframe(frame, drop_unsupported=True).data == {"images": [{"objectUrl": f"{URL}/a.jpg"}]}
