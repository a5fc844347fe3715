"""split's plan without a Python step per item (running sums) gives the item-by-item plan, limits and all."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest_tools import api, splitting
from manifest_tools.kinds import KINDS_BY_KEY
from manifest_tools.splitting import Limits, Part, SplitError, plan
from tests.split_manifests import manifest_of


def _described(parts: list[Part]) -> list[tuple[Any, ...]]:
    return [(p.number, [i.pointer for i in p.items], p.urls, p.videos, p.images, p.bytes) for p in parts]


def _both(data: dict[str, Any], limits: Limits) -> tuple[Any, Any]:
    manifest = api.parse("m.json", json.dumps(data))

    def planned() -> Any:
        try:
            return _described(plan(manifest, limits))
        except SplitError as error:
            return str(error)

    packed = planned()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(splitting, "_packed", lambda *_: None)
        return packed, planned()


_KEYS = st.sampled_from(["images", "videos", "image_groups", "dicom_series"])
_LIMIT = st.one_of(st.none(), st.integers(min_value=1, max_value=12))


@settings(max_examples=300, deadline=None)
@given(
    kinds=st.lists(st.tuples(_KEYS, st.lists(st.integers(0, 6), max_size=12)), max_size=4, unique_by=lambda k: k[0]),
    limits=st.builds(Limits, _LIMIT, _LIMIT, st.none(), _LIMIT, _LIMIT).filter(lambda limits: limits != Limits()),
)
def test_packed_parts_are_the_item_by_item_parts(kinds: list[tuple[str, list[int]]], limits: Limits) -> None:
    packed, item_by_item = _both(manifest_of(kinds), limits)
    assert packed == item_by_item


@pytest.mark.parametrize(
    "limits",
    [Limits(max_items=2), Limits(max_urls=4), Limits(max_videos=2, max_images=4), Limits(max_images=4)],
    ids=repr,
)
def test_mixed_kinds_and_group_sizes(limits: Limits) -> None:
    data = manifest_of([("videos", [1] * 3), ("image_groups", [3, 1, 4, 1, 2]), ("images", [1] * 5)])
    packed, item_by_item = _both(data, limits)
    assert isinstance(packed, list) and len(packed) > 1
    assert packed == item_by_item


def test_planned_items_equal_as_lists_do_however_they_are_sliced() -> None:
    """Parts compared their slices: the same items cut at another place, or from arrays that differ
    after them, were unequal; and a part equalled a tuple, which a list never does."""
    kind = KINDS_BY_KEY["images"]
    values: list[Any] = [{"objectUrl": f"https://b.s3.amazonaws.com/{n}.jpg"} for n in range(3)]
    whole = splitting._PartItems([(kind, values, 0, 2)])
    cut = splitting._PartItems([(kind, values, 0, 1), (kind, values, 1, 2)])
    longer = splitting._PartItems([(kind, [*values, {"objectUrl": "x"}], 0, 2)])
    assert whole == cut == longer == list(whole)
    assert whole != tuple(whole)
