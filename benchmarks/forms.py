"""Maximum-size manifests in every form the spec calls valid, for benchmarks/lint_max.py.

Each form is the same 500,000 items and about 1,000,000 URLs written another way
(metadata casing, JSON escapes, layout, providers, kinds), because a linter that is
fast on one shape only is slow exactly when users meet the others.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

S3 = "https://acme-data.s3.eu-west-2.amazonaws.com"
GCS = "https://storage.googleapis.com/acme-data"


@dataclass(frozen=True)
class Form:
    """One way of writing the maximum-size manifest, and the rules it is linted with."""

    name: str
    description: str
    select_all: bool = False
    snake: bool = False
    escape_slashes: bool = False
    indent_crlf: bool = False
    non_ascii: bool = False
    ascii_escapes: bool = False
    two_providers: bool = False
    buckets: int = 1
    mistakes: int = 0
    scenes: bool = False
    key_frames: bool = False
    large_client: bool = False
    dicom: bool = False
    expected: frozenset[str] = field(default_factory=frozenset)
    """Codes the lint must report (the form plants them)."""
    clean_twin: str = ""
    """The form without the planted findings: the CLI benchmark prints what the findings add over it."""


FORMS: tuple[Form, ...] = (
    Form("camel-default", "the developers' shape, camelCase metadata, default rules"),
    Form("camel-all", "the developers' shape, --select ALL", select_all=True),
    Form("snake", "videoMetadata/imageMetadata in snake_case (file_size, mime_type)", snake=True),
    Form("escaped-slashes", "URLs written https:\\/\\/... (JSON encoders that escape '/')", escape_slashes=True),
    Form("indented-crlf", "indented, CRLF line ends", indent_crlf=True),
    Form("non-ascii", "non-ASCII titles and clientMetadata keys, raw UTF-8", non_ascii=True),
    Form("ascii-escapes", "non-ASCII titles and keys as \\uXXXX escapes", non_ascii=True, ascii_escapes=True),
    Form(
        "two-providers",
        "videos on GCS, the rest on S3 (MT313 fires once)",
        two_providers=True,
        expected=frozenset({"MT313"}),
    ),
    Form(
        "buckets-all",
        "four buckets, --select ALL (MT314 fires)",
        select_all=True,
        buckets=4,
        expected=frozenset({"MT314"}),
    ),
    Form(
        "mistakes-1000",
        "1,000 http:// URLs spread through the file, --select ALL",
        select_all=True,
        mistakes=1000,
        expected=frozenset({"MT303"}),
    ),
    Form(
        "findings-100000",
        "100,000 http:// URLs spread through the file (100,000 MT303 warnings), default rules",
        mistakes=100_000,
        expected=frozenset({"MT303"}),
        clean_twin="camel-default",
    ),
    Form("dicom-default", "100,000 DICOM series x 10 files", dicom=True),
    Form("dicom-all", "100,000 DICOM series x 10 files, --select ALL", dicom=True, select_all=True),
    Form("scenes", "5% of the items scenes ({url, format} scene files)", scenes=True),
    Form("key-frames", "videos with $encord key frames in clientMetadata", key_frames=True),
    Form("large-client", "images with nested clientMetadata of about 1 KB", large_client=True),
)
FORMS_BY_NAME = {form.name: form for form in FORMS}


def _images(form: Form, count: int) -> Iterator[dict[str, Any]]:
    site = "Zürich-Ост" if form.non_ascii else "A"
    for i in range(count):
        host = S3 if form.buckets == 1 else S3.replace("acme-data", f"acme-data-{i // 1000 % form.buckets}")
        meta: dict[str, Any] = {"mimeType": "image/jpeg", "fileSize": 100_000 + i, "width": 1920, "height": 1080}
        if form.snake:
            meta = {"mime_type": "image/jpeg", "file_size": 100_000 + i, "width": 1920, "height": 1080}
        title = f"img-{i:07d}.jpg" if not form.non_ascii else f"Bild-{i:07d} été 🎬.jpg"
        client: dict[str, Any] = {"site": site, "camera": i % 7}
        if form.non_ascii:
            client = {"Ort": site, "камера": i % 7}
        if form.large_client:
            client = {
                "site": site,
                "capture": {"camera": f"cam-{i % 7}", "lens": "35mm", "exposure": [1, 250], "iso": 400},
                "labels": [{"name": f"tag-{j}", "score": 0.5 + j / 100, "source": "model-v3"} for j in range(12)],
                "notes": "x" * 200,
            }
        yield {
            "objectUrl": f"{host}/images/batch-{i // 1000:04d}/img-{i:07d}.jpg",
            "title": title,
            "imageMetadata": meta,
            "clientMetadata": client,
        }


def _videos(form: Form, count: int) -> Iterator[dict[str, Any]]:
    host = GCS if form.two_providers else S3
    for i in range(count):
        meta: dict[str, Any] = {"fps": 25, "duration": 60.5, "width": 1920, "height": 1080}
        if form.snake:
            meta.update({"file_size": 10_000_000 + i, "mime_type": "video/mp4"})
        else:
            meta.update({"fileSize": 10_000_000 + i, "mimeType": "video/mp4"})
        item: dict[str, Any] = {
            "objectUrl": f"{host}/videos/clip-{i:07d}.mp4",
            "title": f"clip-{i:07d}.mp4" if not form.non_ascii else f"Clip {i:07d} – über.mp4",
            "videoMetadata": meta,
        }
        if form.key_frames:
            item["clientMetadata"] = {"$encord": {"frames": [0, 25 * (i % 9), 1500]}}
        yield item


def _groups(count: int, frames: int) -> Iterator[dict[str, Any]]:
    for g in range(count):
        group: dict[str, Any] = {"title": f"group-{g:07d}", "createVideo": g % 2 == 0}
        group.update({f"objectUrl_{f}": f"{S3}/groups/{g:07d}/frame-{f:03d}.jpg" for f in range(frames)})
        yield group


def _dicom(count: int) -> Iterator[dict[str, Any]]:
    for s in range(count):
        series: dict[str, Any] = {"title": f"CT series {s:06d}"}
        series.update({f"objectUrl_{f}": f"{S3}/dicom/{s:06d}/{f:03d}.dcm" for f in range(10)})
        yield series


def _scenes(count: int) -> Iterator[dict[str, Any]]:
    for s in range(count):
        yield {"title": f"drive {s:06d}", "scene": {"url": f"{S3}/scenes/{s:06d}.mcap", "format": "mcap"}}


def _arrays(form: Form, items: int) -> list[tuple[str, Iterator[dict[str, Any]]]]:
    if form.dicom:
        return [("dicom_series", _dicom(100_000 * items // 500_000))]
    scenes = items // 20 if form.scenes else 0
    images, videos = items * 7 // 10 - scenes, items * 2 // 10
    groups = items - images - videos - scenes
    frames = (2 * items - images - videos - scenes) // groups
    arrays = [
        ("images", _images(form, images)),
        ("videos", _videos(form, videos)),
        ("image_groups", _groups(groups, frames)),
    ]
    if scenes:
        arrays.append(("scenes", _scenes(scenes)))
    return arrays


def write(form: Form, path: Path, items: int) -> None:
    """Write ``form`` with ``items`` items to ``path`` (streamed: the generator stays small)."""
    dump: Callable[[Any], str]
    if form.indent_crlf:
        dump = lambda item: json.dumps(item, indent=2).replace("\n", "\n    ")  # noqa: E731
    else:
        dump = lambda item: json.dumps(item, ensure_ascii=form.ascii_escapes or not form.non_ascii)  # noqa: E731
    arrays = _arrays(form, items)
    total = items if not form.dicom else 100_000 * items // 500_000
    mistakes = set(range(0, total, max(1, total // form.mistakes))) if form.mistakes else set()
    written = 0
    newline = "\r\n" if form.indent_crlf else "\n"
    with path.open("w", encoding="utf-8", newline=newline) as out:
        out.write('{\n  "skip_duplicate_urls": true')
        for key, values in arrays:
            out.write(f',\n  "{key}": [\n')
            first = True
            for item in values:
                text = dump(item)
                if written in mistakes:
                    text = text.replace('"https://', '"http://', 1)
                if form.escape_slashes:
                    text = text.replace("/", "\\/")
                out.write(("    " if first else ",\n    ") + text)
                first = False
                written += 1
            out.write("\n  ]")
        out.write("\n}\n")


def manifest(form: Form, items: int, folder: Path) -> Path:
    """The form's manifest, written once and kept."""
    folder.mkdir(exist_ok=True)
    path = folder / f"form-{form.name}-{items}.json"
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        partial = path.with_suffix(".partial")
        write(form, partial, items)
        partial.rename(path)
    return path
