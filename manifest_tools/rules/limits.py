"""MT8xx limits: what one manifest may hold, and (opt-in) the recommended batch sizes."""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain, compress, repeat
from itertools import count as counting
from operator import and_, contains, eq, gt, is_, itemgetter, sub
from typing import TYPE_CHECKING, Any, NamedTuple

from manifest_tools.codes import Code, RuleCode
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
from manifest_tools.model import Item, Manifest
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.registry import CheckContext, register, rule

if TYPE_CHECKING:
    from manifest_tools.native import Certificate, KindColumns

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
        yield from _column_findings(_limit_columns(manifest), context)
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
    return _item_counts_of(manifest.items())


def _item_counts_of(items: Iterable[Item]) -> Iterator[ItemCounts]:
    spellings = FILE_SIZE.spellings
    for item in items:
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
        count = item.counted_urls() if kind.multi_file or kind.scene else 1
        yield kind, position, count, kind.create_video and fields.get(CREATE_VIDEO) is True, size


def limit_findings(rows: Iterable[ItemCounts], context: CheckContext) -> Iterator[Finding]:
    """The limit rules over items' counts, a row at a time: the rules as stated, which the column search
    (:func:`_column_findings`, what lint runs) is tested against."""
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


class _Columns(NamedTuple):
    """The counted facts of every item (as :data:`ItemCounts`), a column each, in canonical order."""

    kinds: list[Kind]
    positions: list[int]
    counts: list[int]
    sequences: list[bool]
    sizes: list[int]


def _parsed_columns(manifest: Manifest) -> _Columns:
    """:func:`_parsed_item_counts` a kind at a time: the common shapes at C speed (every element an object,
    one count per item, metadata blocks whose first fileSize spelling holds an int), the others item by item."""
    columns = _Columns([], [], [], [], [])
    for kind, values in manifest.arrays():
        positions: Sequence[int]
        if set(map(type, values)) <= {dict}:
            objects, positions = values, range(len(values))
        else:
            positions = [i for i, value in enumerate(values) if isinstance(value, dict)]
            objects = [values[i] for i in positions]
        count = len(objects)
        columns.kinds.extend(repeat(kind, count))
        columns.positions.extend(positions)
        ends = manifest.url_column(kind, values).ends if kind.multi_file and objects is values else None
        if ends is not None:  # every element an object: its URL count is where its URLs end less where they start
            columns.counts.extend(map(sub, ends, chain((0,), ends)))
        elif kind.multi_file or kind.scene:  # as _item_counts_of counts them
            columns.counts.extend(Item(kind, i, v).counted_urls() for i, v in zip(positions, objects, strict=True))
        else:
            columns.counts.extend(repeat(1, count))
        if kind.create_video:
            columns.sequences.extend(map(is_, map(dict.get, objects, repeat(CREATE_VIDEO)), repeat(True)))
        else:
            columns.sequences.extend(repeat(False, count))
        columns.sizes.extend(_file_sizes(kind, objects))
    return columns


def _limit_columns(manifest: Manifest) -> _Columns:
    """Every item's counted facts as columns: a parsed file's a kind at a time, a wholly certified file's
    from the scanner's columns, and a file partly parsed from its rows merged in canonical order."""
    if manifest.certified is None:
        return _parsed_columns(manifest)
    if manifest.certified.fully_certified:  # the scanner's columns are the counts: no row per item
        return _certified_columns(manifest.certified)
    return _partly_certified_columns(manifest, manifest.certified)


def _certified_columns(certificate: Certificate) -> _Columns:
    """The scanner's counts of a file whose every item it certified, as columns, in the order
    :meth:`Certificate.counts` yields them as rows (a certified file over a limit cost a row per item)."""
    columns = _Columns([], [], [], [], [])
    for scanned in certificate.columns:
        _extend_certified(columns, scanned)
    return columns


def _extend_certified(columns: _Columns, scanned: KindColumns) -> None:
    """Add a kind whose every element the scanner certified, from its columns at C speed."""
    count = len(scanned.starts)
    columns.kinds.extend(repeat(scanned.kind, count))
    columns.positions.extend(range(count))
    columns.counts.extend(scanned.url_counts)
    columns.sequences.extend(map(bool, scanned.sequences))
    columns.sizes.extend(scanned.file_sizes)


def _partly_certified_columns(manifest: Manifest, certificate: Certificate) -> _Columns:
    """:func:`item_counts` as columns, a kind at a time: a kind the scanner certified whole comes from its
    columns and a kind it left whole to Python (scenes) from the parsed rows, so rows are merged only
    within a kind that holds both (merging every row of a file with 25,000 scenes beside 475,000 certified
    items cost half a second)."""
    parsed: dict[Kind, list[ItemCounts]] = {}
    for row in _parsed_item_counts(manifest):
        parsed.setdefault(row[0], []).append(row)
    scanned = {columns.kind: columns for columns in certificate.columns}
    result = _Columns([], [], [], [], [])
    for kind in sorted(parsed.keys() | scanned.keys(), key=_KIND_ORDER.__getitem__):
        kind_columns = scanned.get(kind)
        rows: Sequence[tuple[Kind, int, int, int, int]] = parsed.get(kind, [])  # (a sequence flag 0 or 1)
        if kind_columns is not None and 0 not in kind_columns.certified:  # (so no parsed rows of it)
            _extend_certified(result, kind_columns)
            continue
        if kind_columns is not None and 1 in kind_columns.certified:
            certified_rows = kind_columns.counts()
            rows = list(heapq.merge(certified_rows, rows, key=itemgetter(1))) if rows else list(certified_rows)
        result.kinds.extend(row[0] for row in rows)
        result.positions.extend(row[1] for row in rows)
        result.counts.extend(row[2] for row in rows)
        result.sequences.extend(bool(row[3]) for row in rows)
        result.sizes.extend(row[4] for row in rows)
    return result


def _file_sizes(kind: Kind, objects: list[dict[str, Any]]) -> Iterable[int]:
    """Each item's metadata fileSize as :func:`_parsed_item_counts` reads it (0 where there is none)."""
    if kind.metadata is None:
        return repeat(0, len(objects))
    blocks: list[Any] = list(map(dict.get, objects, repeat(kind.metadata.key)))
    if set(map(type, blocks)) == {dict}:
        first: list[Any] = list(map(dict.get, blocks, repeat(FILE_SIZE.spellings[0])))
        if set(map(type, first)) == {int}:  # not bool, not absent: the first spelling decides every item
            return first
    return (row[4] for row in _item_counts_of(Item(kind, i, v) for i, v in enumerate(objects)))


def _column_findings(columns: _Columns, context: CheckContext) -> Iterator[Finding]:
    """:func:`limit_findings` over columns: each running total is summed at C speed and searched for the
    place it crosses its limit, so a file of any size costs no Python step per item (only the byte total,
    when a fileSize is negative, is followed item by item, since it may then cross more than once)."""
    kinds, positions, counts, sequences, sizes = columns
    found: list[tuple[int, int, Finding]] = []  # (row, order within a row as limit_findings yields, finding)

    def add(row: int, order: int, code: RuleCode, message: str) -> None:
        found.append((row, order, Finding(code, message, _pointer(kinds[row], positions[row]))))

    if len(kinds) > MAX_ITEMS_PER_FILE:
        add(
            MAX_ITEMS_PER_FILE,
            0,
            Code.MT802,
            f"item {MAX_ITEMS_PER_FILE + 1:,} is over the limit of {MAX_ITEMS_PER_FILE:,} per file",
        )
    urls = list(accumulate(counts))
    row = bisect_right(urls, MAX_URLS_PER_FILE)
    if row < len(urls):
        add(row, 1, Code.MT801, f"this item takes the file over {MAX_URLS_PER_FILE:,} URLs: split it")
    counted = [kind.batch_count for kind in kinds]
    videos = list(compress(counting(), map(eq, counted, repeat("videos"))))
    if len(videos) > RECOMMENDED_MAX_VIDEOS:
        row = videos[RECOMMENDED_MAX_VIDEOS]
        message = f"video {RECOMMENDED_MAX_VIDEOS + 1} of one upload: at most {RECOMMENDED_MAX_VIDEOS} are recommended"
        add(row, 2, Code.MT806, message)
    image_rows = list(compress(counting(), map(eq, counted, repeat("images"))))
    images = list(accumulate(map(counts.__getitem__, image_rows)))
    crossing = bisect_right(images, RECOMMENDED_MAX_IMAGES)
    if crossing < len(images):
        total = images[crossing]
        message = f"this takes the upload to {total:,} images: at most {RECOMMENDED_MAX_IMAGES:,} are recommended"
        add(image_rows[crossing], 2, Code.MT807, message)
    for row in compress(counting(), map(and_, sequences, map(gt, counts, repeat(SLOW_SEQUENCE_FRAMES)))):
        frames = counts[row]
        if frames > MAX_SEQUENCE_FRAMES:
            message = (
                f"image sequence of {frames:,} frames: the limit is {MAX_SEQUENCE_FRAMES:,}; use a video"
                " or cut it into parts"
            )
            add(row, 3, Code.MT803, message)
        else:
            message = (
                f"image sequence of {frames:,} frames: above {SLOW_SEQUENCE_FRAMES:,} it is slow; a video is better"
            )
            add(row, 3, Code.MT804, message)
    if context.wants(Code.MT808):
        for row, total in _byte_crossings(sizes):
            message = f"this takes the upload to {_gigabytes(total)} GB: at most 2 GB per batch is recommended"
            add(row, 4, Code.MT808, message)
    for _, _, finding in sorted(found, key=lambda entry: entry[:2]):
        yield finding


def _byte_crossings(sizes: list[int]) -> Iterator[tuple[int, int]]:
    """(row, running total) where the running byte total goes from at most the batch limit to over it."""
    totals = list(accumulate(sizes))
    if min(sizes, default=0) >= 0:  # never falls: it crosses once at most
        row = bisect_right(totals, RECOMMENDED_MAX_BATCH_BYTES)
        if row < len(totals):
            yield row, totals[row]
        return
    before = 0
    for row, total in enumerate(totals):
        if before <= RECOMMENDED_MAX_BATCH_BYTES < total:
            yield row, total
        before = total


def _gigabytes(size: int) -> str:
    """``size`` bytes in GB with one decimal, in integer arithmetic: a float overflows on a huge fileSize."""
    tenths = size * 10 // 1024**3
    return f"{tenths // 10:,}.{tenths % 10}"


def _pointer(kind: Kind, position: int) -> str:
    return f"/{kind.key}/{position}"


register(RULES, [check_limits])
