"""MT4xx file types: does each URL's extension fit the kind it is registered as?"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, compress
from operator import not_
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.kinds import (
    CREATE_VIDEO,
    KINDS,
    SEQUENCE_EXTENSIONS,
    TIFF_EXTENSIONS,
    VIDEOS,
    Kind,
    extension_owner,
)
from manifest_tools.model import Item, Manifest, UrlColumn, url_triples
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.placeholders import names_no_file
from manifest_tools.rules.registry import CheckContext, register, rule
from manifest_tools.rules.shared import article, column_extensions, plain_url_extensions, url_extension

_U = "https://b.s3.eu-west-2.amazonaws.com"
_SUPPORTED = "; ".join(
    f"{kind.plural} {' '.join(sorted(kind.extensions))}"
    for kind in KINDS
    if not (kind.accepts_any_extension or kind.extensionless_ok or kind.multi_file or kind.scene)
)
"""Each single-file kind's extensions, for MT402's documentation (from the kinds table)."""
_ANY_NAME = " and ".join(kind.plural for kind in KINDS if kind.accepts_any_extension or kind.extensionless_ok)
_ANY_NAME = _ANY_NAME[:1].upper() + _ANY_NAME[1:]

RULES = [
    rule(
        Code.MT401,
        "extension-kind-mismatch",
        "error",
        "A file whose extension belongs to another kind (an .mp4 under images).",
        """The platform checks the file type at upload and fails the item ("Expected a
        video, got a file of type ..."). Move the item to the array of its kind.""",
        f'{{"images": [{{"objectUrl": "{_U}/clip.mp4"}}]}}',
        f'{{"videos": [{{"objectUrl": "{_U}/clip.mp4"}}]}}',
    ),
    rule(
        Code.MT402,
        "unknown-extension",
        "warning",
        "A file with an extension (or none) that its kind does not list.",
        f"""Supported: {_SUPPORTED}. {_ANY_NAME} accept any name. Other files may be
        rejected at upload.""",
        f'{{"images": [{{"objectUrl": "{_U}/scan.heic"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/scan.jpg"}}]}}',
    ),
    rule(
        Code.MT403,
        "tiff-in-image-sequence",
        "error",
        "A TIFF file in an image sequence (createVideo: true).",
        """Image sequences are encoded into a video, which does not accept TIFF.
        Convert the frames, or register them as an image group (createVideo: false).""",
        f'{{"image_groups": [{{"title": "s1", "createVideo": true, "objectUrl_0": "{_U}/s/1.tif"}}]}}',
        f'{{"image_groups": [{{"title": "s1", "createVideo": false, "objectUrl_0": "{_U}/s/1.tif"}}]}}',
    ),
    rule(
        Code.MT404,
        "browser-limited-format",
        "warning",
        "TIFF images or MOV videos, which only Safari can display (opt-in).",
        """The upload works, but annotators on Chrome or Firefox see nothing. Enable
        this rule when your team does not use Safari.""",
        f'{{"videos": [{{"objectUrl": "{_U}/clip.mov"}}]}}',
        f'{{"videos": [{{"objectUrl": "{_U}/clip.mp4"}}]}}',
        default=False,
    ),
]

SAFARI_ONLY = TIFF_EXTENSIONS | {"mov"}


_CHUNK_ITEMS = 4096
"""Items tested at once at C speed: a mistake sends only its part of the chunk (_LOOP_ITEMS) through
the loop, so cost grows with the number of mistakes, not with whether there is one."""
_LOOP_ITEMS = 64


def check_files(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    want_browser = context.wants(Code.MT404)
    if manifest.certified is not None:  # only the uncertified items are in the model's URLs
        yield from _check_urls(manifest, manifest.urls(), want_browser)
        return
    for kind, values in manifest.url_arrays():
        column = manifest.url_column(kind, values)
        for start in range(0, len(values), _CHUNK_ITEMS):
            part = values[start : start + _CHUNK_ITEMS]
            yield from _check_part(manifest, kind, start, part, column, want_browser)


def _check_part(
    manifest: Manifest, kind: Kind, start: int, values: list[Any], column: UrlColumn, want_browser: bool
) -> Iterator[Finding]:
    """:func:`_check_urls` of these elements (from ``start`` in ``kind``'s array) where the test at C speed
    cannot clear them: a chunk it refuses is tested again in parts of _LOOP_ITEMS, so 1,000 mistakes spread
    through a file send about 1,000 small parts through the loop, not every chunk."""
    if _all_allowed(kind, start, values, column, want_browser):
        return
    if len(values) <= _LOOP_ITEMS:
        yield from _check_urls(manifest, url_triples(kind, start, values), want_browser)
        return
    for at in range(0, len(values), _LOOP_ITEMS):
        yield from _check_part(manifest, kind, start + at, values[at : at + _LOOP_ITEMS], column, want_browser)


def _check_urls(manifest: Manifest, urls: Iterable[tuple[Item, str, Any]], want_browser: bool) -> Iterator[Finding]:
    """The file-type findings of these (item, field name, URL) triples, one URL at a time."""
    allowed_by_kind = {kind.key: kind.extensions for kind in KINDS}
    for item, name, url in urls:
        if type(url) is not str:
            continue
        kind = item.kind
        extension = url_extension(url.strip())
        sequence = kind.create_video and item.fields.get(CREATE_VIDEO) is True
        allowed = SEQUENCE_EXTENSIONS if sequence else allowed_by_kind[kind.key]
        if extension in allowed:
            if want_browser and extension in SAFARI_ONLY:
                yield Finding(Code.MT404, f".{extension} files display in Safari only", f"{item.pointer}/{name}")
            continue
        if names_no_file(url):
            continue
        pointer = f"{item.pointer}/{name}"
        if sequence and extension in TIFF_EXTENSIONS:
            yield Finding(
                Code.MT403,
                "TIFF frames cannot be encoded into an image sequence: convert them, or set createVideo to false",
                pointer,
            )
            continue
        owner = extension_owner(extension)
        if owner is None or owner is kind:
            if kind.accepts_any_extension or kind.extensionless_ok:
                continue
            shown = f".{extension} is" if extension else "a file name without an extension is"
            supported = ", ".join(sorted(allowed))
            yield Finding(
                Code.MT402, f"{shown} not {article(kind.label)} type the platform lists ({supported})", pointer
            )
        else:
            hint = ""
            if manifest.format == "csv" and kind is VIDEOS:
                hint = " (a header row of ObjectUrl alone, or with Video title, means videos)"
            where = owner.key
            if owner.scene:
                where += f' as {{"title": ..., "scene": {{"url": ..., "format": "{extension}"}}}}: the platform needs a scene'
            yield Finding(
                Code.MT401,
                f"a .{extension} file is listed under {kind.key}{hint}: .{extension} is"
                f" {article(owner.label)} type; move it to {where}",
                pointer,
            )


def _all_allowed(kind: Kind, start: int, values: list[Any], column: UrlColumn, want_browser: bool) -> bool:
    """True when :func:`_check_urls` would find nothing in these elements of ``kind``'s array (from ``start``;
    ``column`` is the array's URLs) because every URL's extension is one its item allows (and, with MT404,
    none is Safari's only): tested on the URLs' joined text at C speed, not a Python step per URL. False says
    only that the loop must look."""
    stop = start + len(values)
    sequence = [isinstance(v, dict) and v.get(CREATE_VIDEO) is True for v in values] if kind.create_video else []
    mixed = any(sequence) and not all(sequence)  # image sequences and groups: their URLs apart
    shared = column_extensions(column)
    found: tuple[tuple[set[str] | None, frozenset[str]], ...]
    if shared is not None:  # every URL of the kind plain: this part's extensions are a slice of them
        if mixed:
            each = column.of_each(start, stop, shared)
            found = (
                (set(chain.from_iterable(compress(each, sequence))), SEQUENCE_EXTENSIONS),
                (set(chain.from_iterable(compress(each, map(not_, sequence)))), kind.extensions),
            )
        else:
            found = ((set(column.between(start, stop, shared)), _allowed(kind, sequence)),)
    elif mixed:
        each = column.of_each(start, stop)
        found = (
            (_plain_extensions(list(chain.from_iterable(compress(each, sequence)))), SEQUENCE_EXTENSIONS),
            (_plain_extensions(list(chain.from_iterable(compress(each, map(not_, sequence))))), kind.extensions),
        )
    else:
        found = ((_plain_extensions(column.between(start, stop)), _allowed(kind, sequence)),)
    for extensions, allowed in found:
        if extensions is None or not extensions <= allowed or (want_browser and not extensions.isdisjoint(SAFARI_ONLY)):
            return False
    return True


def _allowed(kind: Kind, sequence: list[bool]) -> frozenset[str]:
    """The extensions a part of ``kind``'s array allows when its items are all image sequences or none."""
    return SEQUENCE_EXTENSIONS if any(sequence) else kind.extensions


def _plain_extensions(urls: list[Any]) -> set[str] | None:
    """The lower-case extensions of the string URLs (the loop skips the others) when :func:`url_extension`
    finds each at once (:func:`plain_url_extensions`), else None."""
    strings = urls if set(map(type, urls)) == {str} else [url for url in urls if type(url) is str]  # C speed first
    extensions = plain_url_extensions(strings)
    return None if extensions is None else set(extensions)


register(RULES, [check_files])
