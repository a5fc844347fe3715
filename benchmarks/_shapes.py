"""Maximum-size manifests of several shapes for the transform and CSV benchmarks, written once under .data.

Each shape has as many items and URLs as the developers' own (``_common.generate``)
but puts them differently: snake_case metadata (the documentation's own form),
a few big image groups, or every multi-file kind side by side; and as CSV, plain and
with every title quoted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from _common import DATA, URL, generate

FRAMES_PER_BIG_GROUP = 1000
FILES_PER_SERIES = 10


def _write_items(path: Path, arrays: dict[str, Callable[[int], dict[str, object]]], counts: dict[str, int]) -> None:
    """One item per line, arrays in the given order (as the developers' generator writes them)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("{\n")
        for number, (key, make) in enumerate(arrays.items()):
            out.write(f'  "{key}": [\n')
            count = counts[key]
            for i in range(count):
                out.write("    " + json.dumps(make(i)) + (",\n" if i < count - 1 else "\n"))
            out.write("  ]" + (",\n" if number < len(arrays) - 1 else "\n"))
        out.write("}\n")


def _snake(path: Path, items: int) -> None:
    """The developers' shape with the metadata in snake_case (file_size, mime_type)."""
    images, videos = items * 7 // 10, items * 2 // 10

    def image(i: int) -> dict[str, object]:
        meta = {"mime_type": "image/jpeg", "file_size": 100_000 + i, "width": 1920, "height": 1080}
        url = f"{URL}/images/batch-{i // 1000:04d}/img-{i:07d}.jpg"
        return {"objectUrl": url, "title": f"img-{i:07d}.jpg", "imageMetadata": meta}

    def video(i: int) -> dict[str, object]:
        meta = {"fps": 25, "duration": 60.5, "width": 1920, "height": 1080}
        meta |= {"file_size": 10**7 + i, "mime_type": "video/mp4"}
        return {"objectUrl": f"{URL}/videos/clip-{i:07d}.mp4", "title": f"clip-{i:07d}.mp4", "videoMetadata": meta}

    def group(g: int) -> dict[str, object]:
        frames = {f"objectUrl_{f}": f"{URL}/groups/{g:07d}/frame-{f:03d}.jpg" for f in range(11)}
        return {"title": f"group-{g:07d}", "createVideo": g % 2 == 0, **frames}

    counts = {"images": images, "videos": videos, "image_groups": items - images - videos}
    _write_items(path, {"images": image, "videos": video, "image_groups": group}, counts)


def _big_groups(path: Path, items: int) -> None:
    """As many URLs as the developers' shape (two per item), in image groups of 1,000 frames."""

    def group(g: int) -> dict[str, object]:
        frames = {f"objectUrl_{f}": f"{URL}/groups/{g:05d}/frame-{f:04d}.jpg" for f in range(FRAMES_PER_BIG_GROUP)}
        return {"title": f"sequence-{g:05d}", "createVideo": True, **frames}

    groups = max(1, 2 * items // FRAMES_PER_BIG_GROUP)
    _write_items(path, {"image_groups": group}, {"image_groups": groups})


def _kinds(path: Path, items: int) -> None:
    """Images, videos, image groups and DICOM series side by side (two URLs per item on average)."""
    share = items // 4

    def image(i: int) -> dict[str, object]:
        return {"objectUrl": f"{URL}/images/img-{i:07d}.png", "title": f"img-{i:07d}.png"}

    def video(i: int) -> dict[str, object]:
        return {"objectUrl": f"{URL}/videos/clip-{i:07d}.mp4", "clientMetadata": {"split": "train", "n": i}}

    def group(g: int) -> dict[str, object]:
        frames = {f"objectUrl_{f}": f"{URL}/groups/{g:07d}/{f}.jpg" for f in range(3)}
        return {"title": f"group-{g:07d}", "createVideo": False, **frames}

    def series(s: int) -> dict[str, object]:
        files = {f"objectUrl_{f}": f"{URL}/dicom/{s:07d}/{f:03d}.dcm" for f in range(FILES_PER_SERIES // 2)}
        return {"title": f"series-{s:07d}", **files}

    arrays = {"images": image, "videos": video, "image_groups": group, "dicom_series": series}
    _write_items(path, arrays, dict.fromkeys(arrays, share))


def _csv(path: Path, items: int, quote: str = "") -> None:
    """The developers' shape as multi-header CSV: images and videos one row each, groups a row per frame;
    ``quote`` around every title (as spreadsheet exports write them)."""
    images, videos = items * 7 // 10, items * 2 // 10
    groups = items - images - videos
    q = quote
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("ObjectUrl,Image title\n")
        out.writelines(
            f"{URL}/images/batch-{i // 1000:04d}/img-{i:07d}.jpg,{q}img-{i:07d}.jpg{q}\n" for i in range(images)
        )
        out.write("ObjectUrl,Video title\n")
        out.writelines(f"{URL}/videos/clip-{i:07d}.mp4,{q}clip-{i:07d}.mp4{q}\n" for i in range(videos))
        out.write("ObjectUrl,Image group title,Create video\n")
        for g in range(groups):
            create = "true" if g % 2 == 0 else "false"
            out.writelines(f"{URL}/groups/{g:07d}/frame-{f:03d}.jpg,{q}group-{g:07d}{q},{create}\n" for f in range(11))


def _csv_quoted(path: Path, items: int) -> None:
    """The CSV shape with every title quoted."""
    _csv(path, items, quote='"')


def item_count(name: str, items: int) -> int:
    """How many items the manifest of shape ``name`` holds (split cuts it into five parts of items)."""
    if name == "big_groups":
        return max(1, 2 * items // FRAMES_PER_BIG_GROUP)
    if name == "kinds":
        return 4 * (items // 4)
    return items


def csv_rows(items: int) -> int:
    """Data rows of the CSV shape for ``items`` items."""
    images, videos = items * 7 // 10, items * 2 // 10
    return images + videos + 11 * (items - images - videos)


SHAPES: dict[str, tuple[str, Callable[[Path, int], None]]] = {
    "developers": ("json", generate),
    "snake_case": ("json", _snake),
    "big_groups": ("json", _big_groups),
    "kinds": ("json", _kinds),
    "csv": ("csv", _csv),
    "csv_quoted": ("csv", _csv_quoted),
}
"""Name: (suffix, generator). The developers' shape is the one every benchmark started from."""


def shape_file(name: str, items: int) -> Path:
    """The manifest of shape ``name`` with ``items`` items, written once."""
    suffix, make = SHAPES[name]
    DATA.mkdir(exist_ok=True)
    path = DATA / (f"max-{items}.json" if name == "developers" else f"{name}-{items}.{suffix}")
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        partial = path.with_name(path.name + ".partial")
        make(partial, items)
        partial.replace(path)
    with path.open("rb") as warm:  # warm the page cache in small reads
        while warm.read(1 << 20):
            pass
    return path
