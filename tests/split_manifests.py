"""Manifests for the split tests, built from a list of kinds and their items' URL counts."""

from __future__ import annotations

from typing import Any

URL = "https://b.s3.eu-west-2.amazonaws.com"


def manifest_of(kinds: list[tuple[str, list[int]]]) -> dict[str, Any]:
    """Arrays in the given order; each number is an item's URL count (0: an image group with a title only;
    groups of 2+ long URLs take a line each in canonical JSON)."""
    data: dict[str, Any] = {}
    for key, sizes in kinds:
        if key in ("images", "videos"):
            extension = "jpg" if key == "images" else "mp4"
            data[key] = [{"objectUrl": f"{URL}/{key}/{n}.{extension}"} for n in range(len(sizes))]
        else:
            data[key] = [
                {"title": f"g{n}", **{f"objectUrl_{f}": f"{URL}/{key}/{n}/{f}.jpg" for f in range(size)}}
                for n, size in enumerate(sizes)
            ]
    return data
