"""generate writes a folder's files in one order whatever --images-as says: natural order (frame2 before
frame10), as groups hold their frames; single images came in listing order (frame1, frame10, frame2)."""

from __future__ import annotations

import pytest

from manifest_tools.cloud.classify import Counts, Grouper, GroupingOptions
from manifest_tools.kinds import OBJECT_URL
from manifest_tools.providers import ObjectInfo

LISTED = sorted(["f/frame1.jpg", "f/frame10.jpg", "f/frame2.jpg", "f/sub/b10.jpg", "f/sub/b9.jpg", "f/z.mp4"])
"""A listing's order: by key, as stores list."""
NATURAL = ["f/sub/b9.jpg", "f/sub/b10.jpg", "f/frame1.jpg", "f/frame2.jpg", "f/frame10.jpg"]
"""The images in the order groups hold them: each folder's files naturally sorted, inner folders first."""


def _images(images_as: str) -> list[str]:
    grouper = Grouper(GroupingOptions(images_as=images_as), lambda key: key, "", Counts(), root_title="root")
    items = [item for key in LISTED for item in grouper.feed(ObjectInfo(key, 1))] + list(grouper.finish())
    urls: list[str] = []
    for kind, fields in items:
        if kind.key in ("images", "image_groups"):
            urls += [value for name, value in fields.items() if name.startswith(OBJECT_URL)]
    return urls


@pytest.mark.parametrize("images_as", ["single", "groups", "sequences"])
def test_images_come_in_natural_order_whatever_their_kind(images_as: str) -> None:
    assert _images(images_as) == NATURAL
