"""MT6xx duplicates: repeated keys (data a parser drops) and repeated URLs."""

from __future__ import annotations

from collections.abc import Iterator

from manifest_tools.codes import Code, RuleCode
from manifest_tools.model import Item, Manifest
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


def duplicate_code(manifest: Manifest) -> RuleCode:
    """MT603 when skip_duplicate_urls makes the platform skip later copies, else MT602."""
    return Code.MT603 if manifest.flag("skip_duplicate_urls") is True else Code.MT602


def repeated_urls(manifest: Manifest) -> dict[str, list[tuple[Item, str]]]:
    """Every URL listed more than once: its copies as (item, URL field), the first in the file first.

    Repeats are found with a set (cheap for a million URLs); only the copies of repeated URLs are
    ordered. Kinds are walked in table order, not file order, so the copies are sorted by where
    their items stand in the file. A blank URL repeats nothing: the finding that names it empty
    (MT311 in JSON, MT707 in CSV) covers every blank one.
    The fix of MT602 and MT603 keeps the first copy named here and drops the later ones.
    """
    urls = manifest.url_values()
    if set(map(type, urls)) != {str}:  # tested at C speed: the common case needs no Python step per URL
        urls = [url for url in urls if type(url) is str]
    if len(set(urls)) == len(urls):
        return {}  # the common case, tested at C speed
    seen: set[str] = set()
    add = seen.add
    repeated: set[str] = set()
    for url in urls:
        if url in seen:
            repeated.add(url)
        else:
            add(url)
    del seen, urls
    repeated = {url for url in repeated if url.strip()}
    if not repeated:
        return {}
    copies: dict[str, list[tuple[tuple[int, int, int], int, Item, str]]] = {}
    for item, name, url in manifest.urls():
        if type(url) is str and url in repeated:
            places = copies.setdefault(url, [])
            places.append((manifest.file_order(item.kind, item.position), len(places), item, name))
    return {url: [(item, name) for *_, item, name in sorted(places)] for url, places in copies.items()}


def check_duplicate_urls(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    """Name every later copy of a repeated URL, with where its first copy stands."""
    if not context.wants(Code.MT602, Code.MT603):
        return
    code = duplicate_code(manifest)
    for url, places in repeated_urls(manifest).items():
        item, name = places[0]
        first = manifest.locator.locate(f"{item.pointer}/{name}")
        for item, name in places[1:]:
            pointer = f"{item.pointer}/{name}"
            if code == Code.MT603:
                message = f"duplicate URL, first listed at {first.line}:{first.column}; skip_duplicate_urls skips"
                yield Finding(Code.MT603, f"{message} this copy, with its title and metadata: {url}", pointer)
            else:
                yield Finding(Code.MT602, f"duplicate URL, first listed at {first.line}:{first.column}: {url}", pointer)


register(RULES, [check_duplicate_urls])
