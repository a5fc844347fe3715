"""MT226 and MT605: titles left from a template, and one title given to several items.

A title is data the platform shows and exports: ``<video title>`` or ``TODO``
registered as a title is a wrong label nobody notices, and a template title
copied to every item makes the items impossible to tell apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import repeat
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.kinds import TITLE
from manifest_tools.model import Item, Manifest
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.placeholders import TEXT_HINTS, has_text_hint, title_placeholder
from manifest_tools.rules.registry import CheckContext, register, rule

_U = "https://b.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        Code.MT226,
        "title-placeholder",
        "error",
        "A title left from a template: <video title>, {{title}}, image-title.file-extension, TODO.",
        """The documentation's templates show titles such as <title 1>, {{title}},
        ${TITLE}, image-title.file-extension or my-custom-video-title.mp4; left
        in, they are registered as the item's title. So are TODO, TBD, FIXME and
        placeholder, as the whole title or an upper-case word in it. Write the real
        title, or leave title out to use the file name.""",
        f'{{"videos": [{{"objectUrl": "{_U}/clip-1.mp4", "title": "<video title>"}}]}}',
        f'{{"videos": [{{"objectUrl": "{_U}/clip-1.mp4", "title": "Clip 1.mp4"}}]}}',
    ),
    rule(
        Code.MT605,
        "duplicate-title",
        "warning",
        "Several items with the same title.",
        """Titles tell items apart in the platform's lists, exports and labels; one
        title on several items is usually a template title copied to each. Each
        later item is reported with the place the title was first used (an item
        whose URL repeats an earlier one is left to MT602).""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": "Image 1"}},'
        f' {{"objectUrl": "{_U}/b.jpg", "title": "Image 1"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": "Image 1"}},'
        f' {{"objectUrl": "{_U}/b.jpg", "title": "Image 2"}}]}}',
    ),
]

TITLE_HINTS = TEXT_HINTS
"""Every title MT226 flags contains one of these (lower case): the native scanner's pre-filter."""


def check_titles(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    want_placeholders = context.wants(Code.MT226)
    if _nothing_to_find(manifest, want_placeholders):
        return
    first_use: dict[str, Item] = {}
    repeats: dict[str, list[Item]] = {}
    for item in manifest.items():
        title = item.fields.get(TITLE)
        if not isinstance(title, str) or not title:
            continue
        if want_placeholders and has_text_hint(title):
            found = title_placeholder(title)
            if found is not None:
                yield Finding(Code.MT226, _placeholder_message(title, found), f"{item.pointer}/{TITLE}")
        if first_use.setdefault(title, item) is not item:
            repeats.setdefault(title, []).append(item)
    if context.wants(Code.MT605):
        for title, later in repeats.items():
            yield from _shared_title(manifest, title, [first_use[title], *later])


def _nothing_to_find(manifest: Manifest, want_placeholders: bool) -> bool:
    """True when no title repeats and (if MT226 is wanted) none holds a hint: the loop of :func:`check_titles`
    would find nothing. Tested with one set and substring searches of the joined titles at C speed, not a
    Python step per item; False says only that the loop must look."""
    if manifest.certified is not None:
        return False
    titles: list[str] = []
    for _, values in manifest.arrays():
        if set(map(type, values)) == {dict}:  # the common case, a column taken at C speed
            column: list[Any] = list(map(dict.get, values, repeat(TITLE)))
            if set(map(type, column)) == {str} and all(column):
                titles += column
                continue
        titles += [
            title
            for value in values
            if isinstance(value, dict) and isinstance(title := value.get(TITLE), str) and title
        ]
    if len(set(titles)) != len(titles):
        return False
    return not want_placeholders or not any(map("\n".join(titles).lower().__contains__, TITLE_HINTS))


def _shared_title(manifest: Manifest, title: str, items: list[Item]) -> Iterator[Finding]:
    """MT605 at each item after the first in the file, except copies of an earlier item's URL (MT602)."""
    first, *others = _in_file_order(manifest, items)
    where = manifest.locator.locate(f"{first.pointer}/{TITLE}")
    urls_seen = set(_urls(first))
    for item in others:
        urls = _urls(item)
        if urls_seen.isdisjoint(urls):
            yield Finding(
                Code.MT605,
                f"the title {title!r} was first used at {where.line}:{where.column}: give each item its own title"
                " (or leave title out to use the file name)",
                f"{item.pointer}/{TITLE}",
            )
        urls_seen.update(urls)


def _in_file_order(manifest: Manifest, items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda item: manifest.file_order(item.kind, item.position))


def _urls(item: Item) -> list[str]:
    return [url for _, url in item.url_fields() if isinstance(url, str)]


def _placeholder_message(title: str, found: str) -> str:
    left = "" if found == title else f" ({found!r})"
    return f"the title {title!r} is left from a template{left}: write the real title, or leave title out"


register(RULES, [check_titles])
