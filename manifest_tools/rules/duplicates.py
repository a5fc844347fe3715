"""MT6xx duplicates: repeated keys (data a parser drops) and repeated URLs."""

from __future__ import annotations

from collections.abc import Iterator

from manifest_tools.codes import Code
from manifest_tools.model import Manifest
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.registry import CheckContext, register, rule

_U = "https://b.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        Code.MT601,
        "duplicate-key",
        "error",
        "A key repeated in one JSON object, at any depth.",
        """A JSON parser keeps only the last of repeated keys, so everything under
        the earlier ones is silently dropped. One of the platform's examples
        repeats image_groups: every group of the first array is lost. Merge the
        values into one key.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}], "images": [{{"objectUrl": "{_U}/b.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "{_U}/b.jpg"}}]}}',
        fix="unsafe",
    ),
    rule(
        Code.MT602,
        "duplicate-url",
        "error",
        "The same URL listed twice in one manifest.",
        """Each listing registers the object again (two data units, labelled twice),
        or, with skip_duplicate_urls, the second is dropped with its title and
        metadata. Keep one.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "{_U}/a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "{_U}/b.jpg"}}]}}',
        fix="unsafe",
    ),
    rule(
        Code.MT603,
        "duplicate-url-skipped",
        "warning",
        "The same URL listed twice in a manifest with skip_duplicate_urls.",
        """With skip_duplicate_urls the platform registers the URL once and skips
        the later copy, with its title and metadata. Keep the copy you want.""",
        f'{{"skip_duplicate_urls": true, "images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "{_U}/a.jpg"}}]}}',
        f'{{"skip_duplicate_urls": true, "images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "{_U}/b.jpg"}}]}}',
        fix="unsafe",
    ),
]


def check_duplicate_urls(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    """Find repeats with a set (cheap for a million URLs); order the copies of repeated URLs only.

    Kinds are walked in table order, not file order, so the copies of a URL are sorted by where
    their items stand in the file before the earliest is named as the first.
    """
    if not context.wants(Code.MT602, Code.MT603):
        return
    seen: set[str] = set()
    add = seen.add
    repeated: set[str] = set()
    for _, _, url in manifest.urls():
        if type(url) is str:
            if url in seen:
                repeated.add(url)
            else:
                add(url)
    if not repeated:
        return
    del seen
    copies: dict[str, list[tuple[tuple[int, int, int], int, str]]] = {}
    for item, name, url in manifest.urls():
        if type(url) is str and url in repeated:
            places = copies.setdefault(url, [])
            places.append((manifest.file_order(item.kind, item.position), len(places), f"{item.pointer}/{name}"))
    code = Code.MT603 if manifest.flag("skip_duplicate_urls") is True else Code.MT602
    for url, places in copies.items():
        places.sort()
        first = manifest.locator.locate(places[0][2])
        for _, _, pointer in places[1:]:
            if code == Code.MT603:
                message = f"duplicate URL, first listed at {first.line}:{first.column}; skip_duplicate_urls skips"
                yield Finding(Code.MT603, f"{message} this copy, with its title and metadata: {url}", pointer)
            else:
                yield Finding(Code.MT602, f"duplicate URL, first listed at {first.line}:{first.column}: {url}", pointer)


register(RULES, [check_duplicate_urls])
