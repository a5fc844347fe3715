"""canonical_items (a run at once, with a path for runs of one shape) against canonical_item per item."""

from __future__ import annotations

from typing import Any

import pytest

from manifest_tools.canonical import canonical_item, canonical_items
from manifest_tools.kinds import IMAGE_GROUPS, IMAGES, VIDEOS, Kind

URL = "https://b.s3.eu-west-2.amazonaws.com"
SNAKE = {"file_size": 1, "mime_type": "video/mp4", "duration": 2.0, "fps": 25, "width": 4, "height": 3}
CAMEL = {"fps": 25, "duration": 2.0, "width": 4, "height": 3, "fileSize": 1, "mimeType": "video/mp4"}


def _video(n: int, metadata: Any) -> dict[str, Any]:
    return {"objectUrl": f"{URL}/{n}.mp4", "videoMetadata": metadata, "title": f"{n}.mp4"}


RUNS: list[tuple[str, Kind, list[Any]]] = [
    ("one shape, reordered", IMAGES, [{"objectUrl": f"{URL}/{n}.jpg", "title": f"{n}.jpg"} for n in range(5)]),
    ("one shape, canonical", IMAGES, [{"title": f"{n}.jpg", "objectUrl": f"{URL}/{n}.jpg"} for n in range(5)]),
    ("one shape, snake_case metadata", VIDEOS, [_video(n, dict(SNAKE)) for n in range(4)]),
    ("one shape, camelCase metadata out of order", VIDEOS, [_video(n, dict(CAMEL)) for n in range(4)]),
    ("metadata of two shapes", VIDEOS, [_video(0, dict(SNAKE)), _video(1, dict(CAMEL))]),
    ("metadata not an object", VIDEOS, [_video(0, None), _video(1, None)]),
    ("two item shapes", IMAGES, [{"objectUrl": f"{URL}/a.jpg"}, {"objectUrl": f"{URL}/b.jpg", "title": "b"}]),
    ("not all objects", IMAGES, [{"objectUrl": f"{URL}/a.jpg", "title": "a"}, 7, None]),
    ("groups", IMAGE_GROUPS, [{"objectUrl_1": "b", "objectUrl_0": "a", "title": f"g{n}"} for n in range(3)]),
    ("empty", IMAGES, []),
]


@pytest.mark.parametrize(("kind", "run"), [(kind, run) for _, kind, run in RUNS], ids=[name for name, *_ in RUNS])
def test_a_run_is_ordered_as_each_item_alone(kind: Kind, run: list[Any]) -> None:
    expected = [canonical_item(kind, v) if isinstance(v, dict) else v for v in run]
    for _ in range(2):  # the second time, every shape is remembered
        got = canonical_items(kind, run)
        assert [list(v.items()) if isinstance(v, dict) else v for v in got] == [
            list(v.items()) if isinstance(v, dict) else v for v in expected
        ]
