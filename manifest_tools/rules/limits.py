"""MT8xx limits: what one manifest may hold, and (opt-in) the recommended batch sizes."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from itertools import repeat
from operator import contains, sub

from manifest_tools.codes import Code
from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    FILE_SIZE,
    KINDS,
    MAX_CSV_ENTRIES,
    MAX_ITEMS_PER_FILE,
    MAX_SEQUENCE_FRAMES,
    MAX_URLS_PER_FILE,
    RECOMMENDED_MAX_BATCH_BYTES,
    RECOMMENDED_MAX_IMAGES,
    RECOMMENDED_MAX_VIDEOS,
    SLOW_SEQUENCE_FRAMES,
    TITLE,
    Kind,
)
from manifest_tools.model import Manifest
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.registry import CheckContext, register, rule

_U = "https://b.s3.eu-west-2.amazonaws.com"
_SEQUENCE = '{"image_groups": [{"title": "s1", "createVideo": true, "objectUrl_0": "' + _U + '/s/0.jpg", ...'

RULES = [
    rule(
        Code.MT801,
        "too-many-urls",
        "error",
        f"More than {MAX_URLS_PER_FILE:,} URLs in one JSON manifest.",
        """The platform refuses larger files. Split the manifest
        (manifest-tools split --preset platform).""",
        '{"image_groups": [ ... 1,000,001 objectUrl_N in all ... ]}',
        '{"image_groups": [ ... at most 1,000,000 objectUrl_N ... ]}',
        literal_bad=False,
    ),
    rule(
        Code.MT802,
        "too-many-items",
        "error",
        f"More than {MAX_ITEMS_PER_FILE:,} items in one JSON manifest.",
        """The platform refuses larger files. Split the manifest.""",
        '{"images": [ ... 500,001 items ... ]}',
        '{"images": [ ... at most 500,000 items ... ]}',
        literal_bad=False,
    ),
    rule(
        Code.MT803,
        "sequence-too-long",
        "error",
        f"An image sequence with more than {MAX_SEQUENCE_FRAMES:,} frames.",
        """Image sequences are encoded into a video of at most 32,767 frames. Upload
        a video instead, or cut the sequence into parts.""",
        _SEQUENCE + ' up to "objectUrl_32767"}]}',
        _SEQUENCE + ' up to "objectUrl_14999"}]}',
        literal_bad=False,
    ),
    rule(
        Code.MT804,
        "sequence-slow",
        "warning",
        f"An image sequence with more than {SLOW_SEQUENCE_FRAMES:,} frames.",
        """Sequences above 10,000-15,000 frames are slow to encode and to annotate;
        a video is the better container.""",
        _SEQUENCE + ' up to "objectUrl_15000"}]}',
        _SEQUENCE + ' up to "objectUrl_14999"}]}',
        literal_bad=False,
    ),
    rule(
        Code.MT805,
        "csv-too-many-entries",
        "error",
        f"More than {MAX_CSV_ENTRIES:,} data rows in one CSV manifest.",
        """The platform accepts at most 10,000 entries per CSV file. Split it, or
        use JSON.""",
        "ObjectUrl,Image title\n... 10,001 rows ...",
        "ObjectUrl,Image title\n... at most 10,000 rows ...",
        example_format="csv",
        literal_bad=False,
    ),
    rule(
        Code.MT806,
        "batch-too-many-videos",
        "warning",
        f"More than {RECOMMENDED_MAX_VIDEOS} videos in one upload (opt-in).",
        """The platform recommends at most 100 videos per upload: larger batches
        take hours and fail late.""",
        '{"videos": [ ... 101 videos ... ]}',
        '{"videos": [ ... at most 100 videos ... ]}',
        default=False,
        literal_bad=False,
    ),
    rule(
        Code.MT807,
        "batch-too-many-images",
        "warning",
        f"More than {RECOMMENDED_MAX_IMAGES:,} images in one upload (opt-in).",
        """The platform recommends at most 1,000 images per upload, counting the
        frames of image groups and sequences.""",
        '{"images": [ ... 1,001 images ... ]}',
        '{"images": [ ... at most 1,000 images ... ]}',
        default=False,
        literal_bad=False,
    ),
    rule(
        Code.MT808,
        "batch-too-large",
        "warning",
        "More than 2 GB of data in one upload, by the metadata's fileSize (opt-in).",
        """The platform recommends at most 2 GB per batch (about 3 hours of upload).
        Only items with a metadata block are counted.""",
        '{"videos": [ ... fileSize adding up to more than 2 GB ... ]}',
        '{"videos": [ ... fileSize adding up to at most 2 GB ... ]}',
        default=False,
        literal_bad=False,
    ),
]


ItemCounts = tuple[Kind, int, int, bool, int]
"""(kind, index in its array, URL count, is an image sequence, metadata fileSize or 0) of one item."""
_KIND_ORDER = {kind: order for order, kind in enumerate(KINDS)}


def check_limits(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    if not (_certainly_within_limits(manifest, context) or _within_every_limit(manifest, context)):
        yield from limit_findings(item_counts(manifest), context)
    if manifest.format == "csv" and manifest.csv_entries > MAX_CSV_ENTRIES:
        yield Finding(
            Code.MT805,
            f"{manifest.csv_entries:,} entries: a CSV manifest holds at most {MAX_CSV_ENTRIES:,}; split it",
            "",
        )


_GROUP_FIELDS = (TITLE, CREATE_VIDEO, CLIENT_METADATA)


def _within_every_limit(manifest: Manifest, context: CheckContext) -> bool:
    """True when :func:`limit_findings` would find nothing that is wanted: the totals, or bounds above them,
    are under every wanted limit, counted a kind at a time at C speed instead of a row per item. A group's
    URL count is at most its fields less its title, createVideo and clientMetadata. The running byte total
    (MT808) is left to the loop. False says only that the loop must count."""
    if manifest.certified is not None or context.wants(Code.MT808):
        return False
    items = urls = videos = images = longest = 0
    for kind, values in manifest.arrays():
        objects = values if set(map(type, values)) <= {dict} else [v for v in values if isinstance(v, dict)]
        count = len(objects)
        if kind.multi_file:
            bounds = list(map(len, objects))
            for name in _GROUP_FIELDS:
                bounds = list(map(sub, bounds, map(contains, objects, repeat(name))))
            count, longest = sum(bounds), max(longest, max(bounds, default=0))
        items += len(objects)
        urls += count
        if kind.batch_count == "videos":
            videos += len(objects)
        elif kind.batch_count == "images":
            images += count
    return _under_wanted_limits(context, items, urls, videos, images, longest)


def item_counts(manifest: Manifest) -> Iterator[ItemCounts]:
    """The counted facts of every item, kind by kind in canonical order (certified ones from the scanner)."""
    parsed = _parsed_item_counts(manifest)
    if manifest.certified is None:
        return parsed
    if manifest.certified.fully_certified:  # nothing parsed to interleave: skip the merge's per-row key
        certified: Iterator[ItemCounts] = manifest.certified.counts()
        return certified
    return heapq.merge(manifest.certified.counts(), parsed, key=lambda row: (_KIND_ORDER[row[0]], row[1]))


def _certainly_within_limits(manifest: Manifest, context: CheckContext) -> bool:
    """Whether upper bounds of the totals show that no limit rule can fire, which spares a certified
    file the per-item loop (100,000 DICOM series or 500,000 images are that many rows of Python).

    Every limit is a running total that crosses a threshold, or one sequence's length: bounds suffice.
    The scanner's columns are summed at C speed (every element, certified or not) and the parsed
    items added again, so each total can only be overstated (fileSize counted when positive: a
    negative one lowers a running total after it may have crossed)."""
    certificate = manifest.certified
    if certificate is None:
        return False
    items = urls = videos = images = size_bound = longest = 0
    for columns in certificate.columns:
        kind, count, url_count = columns.kind, len(columns.starts), sum(columns.url_counts)
        items += count
        urls += url_count
        videos += count if kind.batch_count == "videos" else 0
        images += url_count if kind.batch_count == "images" else 0
        size_bound += sum(columns.file_sizes)  # the scanner certifies only a positive fileSize
        if 1 in columns.sequences:
            longest = max(longest, max(columns.url_counts))
    for kind, _, count, sequence, size in _parsed_item_counts(manifest):
        items += 1
        urls += count
        videos += kind.batch_count == "videos"
        images += count if kind.batch_count == "images" else 0
        size_bound += max(size, 0)
        longest = max(longest, count) if sequence else longest
    return _under_wanted_limits(context, items, urls, videos, images, longest, size_bound)


def _under_wanted_limits(
    context: CheckContext, items: int, urls: int, videos: int, images: int, longest: int, size: int | None = None
) -> bool:
    """Whether totals (or bounds above them) are under every limit whose rule is wanted; ``size`` None: the
    running byte total is not known, so MT808 must not be wanted."""
    return not (
        (items > MAX_ITEMS_PER_FILE and context.wants(Code.MT802))
        or (urls > MAX_URLS_PER_FILE and context.wants(Code.MT801))
        or (videos > RECOMMENDED_MAX_VIDEOS and context.wants(Code.MT806))
        or (images > RECOMMENDED_MAX_IMAGES and context.wants(Code.MT807))
        or (longest > SLOW_SEQUENCE_FRAMES and context.wants(Code.MT803, Code.MT804))
        or ((size is None or size > RECOMMENDED_MAX_BATCH_BYTES) and context.wants(Code.MT808))
    )


def _parsed_item_counts(manifest: Manifest) -> Iterator[ItemCounts]:
    spellings = FILE_SIZE.spellings
    for item in manifest.items():
        kind, position, fields = item
        size = 0
        if kind.metadata is not None:
            block = fields.get(kind.metadata.key)
            if isinstance(block, dict):
                for spelling in spellings:  # FILE_SIZE.spelling_in, inline: the first spelling present counts
                    if spelling in block:
                        value = block[spelling]
                        if isinstance(value, int) and not isinstance(value, bool):
                            size = value
                        break
        count = item.url_count() if kind.multi_file else 1
        yield kind, position, count, kind.create_video and fields.get(CREATE_VIDEO) is True, size


def limit_findings(rows: Iterable[ItemCounts], context: CheckContext) -> Iterator[Finding]:
    """The limit rules over items' counts, whether parsed here or counted by the native scanner."""
    urls = videos = images = 0
    total_bytes = 0
    url_limit_reported = False
    want_bytes = context.wants(Code.MT808)
    for items, (kind, position, count, sequence, size) in enumerate(rows, start=1):
        urls += count
        if items == MAX_ITEMS_PER_FILE + 1:
            yield Finding(
                Code.MT802,
                f"item {items:,} is over the limit of {MAX_ITEMS_PER_FILE:,} per file",
                _pointer(kind, position),
            )
        if urls > MAX_URLS_PER_FILE and not url_limit_reported:
            url_limit_reported = True
            yield Finding(
                Code.MT801,
                f"this item takes the file over {MAX_URLS_PER_FILE:,} URLs: split it",
                _pointer(kind, position),
            )
        if kind.batch_count == "videos":
            videos += 1
            if videos == RECOMMENDED_MAX_VIDEOS + 1:
                yield Finding(
                    Code.MT806,
                    f"video {videos} of one upload: at most {RECOMMENDED_MAX_VIDEOS} are recommended",
                    _pointer(kind, position),
                )
        elif kind.batch_count == "images":
            before = images
            images += count
            if before <= RECOMMENDED_MAX_IMAGES < images:
                yield Finding(
                    Code.MT807,
                    f"this takes the upload to {images:,} images: at most {RECOMMENDED_MAX_IMAGES:,} are recommended",
                    _pointer(kind, position),
                )
        if sequence:
            if count > MAX_SEQUENCE_FRAMES:
                yield Finding(
                    Code.MT803,
                    f"image sequence of {count:,} frames: the limit is {MAX_SEQUENCE_FRAMES:,}; use a video"
                    " or cut it into parts",
                    _pointer(kind, position),
                )
            elif count > SLOW_SEQUENCE_FRAMES:
                yield Finding(
                    Code.MT804,
                    f"image sequence of {count:,} frames: above {SLOW_SEQUENCE_FRAMES:,} it is slow; a video is better",
                    _pointer(kind, position),
                )
        if want_bytes and size:
            before_bytes = total_bytes
            total_bytes += size
            if before_bytes <= RECOMMENDED_MAX_BATCH_BYTES < total_bytes:
                yield Finding(
                    Code.MT808,
                    f"this takes the upload to {_gigabytes(total_bytes)} GB: at most 2 GB per batch is recommended",
                    _pointer(kind, position),
                )


def _gigabytes(size: int) -> str:
    """``size`` bytes in GB with one decimal, in integer arithmetic: a float overflows on a huge fileSize."""
    tenths = size * 10 // 1024**3
    return f"{tenths // 10:,}.{tenths % 10}"


def _pointer(kind: Kind, position: int) -> str:
    return f"/{kind.key}/{position}"


register(RULES, [check_limits])
