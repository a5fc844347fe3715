"""MT6xx duplicates: repeated keys (data a parser drops) and repeated URLs."""

from __future__ import annotations

from collections.abc import Iterator

from manifest_tools.model import Manifest
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.registry import CheckContext, register, rule

_U = "https://b.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        "MT601",
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
        "MT602",
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
]


def check_duplicate_urls(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    """Find repeats with a set (cheap for a million URLs); locate first copies only if needed."""
    seen: set[str] = set()
    add = seen.add
    repeats: list[tuple[str, str]] = []
    for item, name, url in manifest.urls():
        if type(url) is str:
            if url in seen:
                repeats.append((f"{item.pointer}/{name}", url))
            else:
                add(url)
    if not repeats:
        return
    del seen
    wanted = {url for _, url in repeats}
    first: dict[str, str] = {}
    for item, name, url in manifest.urls():
        if type(url) is str and url in wanted and url not in first:
            first[url] = f"{item.pointer}/{name}"
    for pointer, url in repeats:
        where = manifest.locator.locate(first[url])
        yield Finding("MT602", f"duplicate URL, first listed at {where.line}:{where.column}: {url}", pointer)


register(RULES, [check_duplicate_urls])
