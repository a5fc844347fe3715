"""Fix and normalise manifests: apply the rules' fixes to the parsed tree, write it canonically.

Syntax fixes (trailing commas, comments, single quotes, raw control characters,
a BOM) need no code: the tolerant reader already built the value the user
meant, and writing it out is the fix. Everything else is a fixer below, keyed
by the rule code it repairs; a rule's catalogue entry says whether its fix is
safe or unsafe. A file is never rewritten when the reader had to guess or skip
something, because writing the guess would turn it into data.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from manifest_tools.kinds import (
    CREATE_VIDEO,
    FLAG_SPELLINGS,
    IMAGE_GROUPS,
    KINDS,
    KINDS_BY_KEY,
    NONSTANDARD_MIME_TYPES,
    OBJECT_URL,
    RETIRED_FIELDS,
    SDK_SPELLINGS,
    TITLE,
    MetadataBlock,
)
from manifest_tools.model import Item, Manifest, join_pointer, object_url_index, spells_object_url
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.engine import with_rule
from manifest_tools.writers.csv import dumps_csv
from manifest_tools.writers.json import dumps_json

REWRITABLE_READER_CODES = frozenset({"MT102", "MT103", "MT104", "MT107", "MT109", "MT704", "MT712", "MT713", "MT714"})
"""Reader findings that writing the parsed value repairs; any other one blocks rewriting."""


@dataclass(frozen=True, slots=True)
class AppliedFix:
    code: str
    pointer: str
    description: str


@dataclass(slots=True)
class FixResult:
    """What fixing one manifest did: the new text (None when it must not be rewritten)."""

    text: str | None
    applied: list[AppliedFix] = field(default_factory=list)
    blocking: list[Diagnostic] = field(default_factory=list)


Log = list[AppliedFix]
Fixer = Callable[[Manifest, Log], None]
FIXERS: dict[str, Fixer] = {}
ItemFix = Callable[[Item, Log], None]
ITEM_FIXERS: dict[str, Callable[[Manifest], ItemFix]] = {}
"""Fixes made item by item, each prepared once per manifest: ``fix_manifest`` runs consecutive ones in
one pass over the items (ten passes cost a maximum-size manifest seconds), each keeping its own log."""


def fixer(code: str) -> Callable[[Fixer], Fixer]:
    def register(function: Fixer) -> Fixer:
        FIXERS[code] = function
        return function

    return register


def item_fixer(code: str) -> Callable[[Callable[[Manifest], ItemFix]], Callable[[Manifest], ItemFix]]:
    """Register ``prepare(manifest) -> fix(item, log)``; alone, it runs as a fixer of the whole manifest."""

    def register(prepare: Callable[[Manifest], ItemFix]) -> Callable[[Manifest], ItemFix]:
        ITEM_FIXERS[code] = prepare
        FIXERS[code] = lambda manifest, log: _run_item_fixes(manifest, [(prepare(manifest), log)])
        return prepare

    return register


def _run_item_fixes(manifest: Manifest, fixes: list[tuple[ItemFix, Log]]) -> None:
    """One pass over the items, each fix applied to an item in turn (so each sees the ones before)."""
    for item in list(_items(manifest)):
        for fix, log in fixes:
            fix(item, log)


def _items(manifest: Manifest) -> Iterator[Item]:
    return manifest.items()


def _url_fix(code: str, change: Callable[[str], str], what: str) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        for name, url in item.url_fields():
            if isinstance(url, str):
                new = change(url)
                if new != url:
                    item.fields[name] = new
                    log.append(AppliedFix(code, f"{item.pointer}/{name}", f"{what}: {url!r} -> {new!r}"))

    return fix


@item_fixer("MT207")
def _renumber(manifest: Manifest) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        if not item.kind.multi_file:
            return
        keys = [k for k in item.fields if spells_object_url(k)]
        numbered = sorted((n, k) for k in keys if (n := object_url_index(k)) is not None)
        if len(numbered) != len(keys) or [n for n, _ in numbered] == list(range(len(numbered))):
            return  # malformed keys (MT208) make the order ambiguous; or nothing to do
        urls = [item.fields.pop(k) for _, k in numbered]
        for position, url in enumerate(urls):
            item.fields[f"{OBJECT_URL}_{position}"] = url
        log.append(AppliedFix("MT207", item.pointer, f"renumbered {len(urls)} URLs from objectUrl_0 in the same order"))

    return fix


@item_fixer("MT210")
def _create_video_bool(manifest: Manifest) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        value = item.fields.get(CREATE_VIDEO)
        if item.kind is IMAGE_GROUPS and isinstance(value, str) and value.strip().lower() in ("true", "false"):
            item.fields[CREATE_VIDEO] = value.strip().lower() == "true"
            log.append(AppliedFix("MT210", f"{item.pointer}/{CREATE_VIDEO}", f"{value!r} -> {value.strip().lower()}"))

    return fix


@item_fixer("MT219")
def _trim_titles(manifest: Manifest) -> ItemFix:
    shared = _titles_shared_once_trimmed(manifest)

    def fix(item: Item, log: Log) -> None:
        title = item.fields.get(TITLE)
        if isinstance(title, str) and title != title.strip() and title.strip():
            if (item.kind.key, title.strip()) in shared:
                return  # the rows would join another group: MT219 stays reported, the user decides
            item.fields[TITLE] = title.strip()
            log.append(AppliedFix("MT219", f"{item.pointer}/{TITLE}", f"trimmed title {title!r}"))

    return fix


def _titles_shared_once_trimmed(manifest: Manifest) -> set[tuple[str, str]]:
    """(kind, trimmed title) that more than one CSV group would have after trimming.

    CSV rows join the group whose title cell is the same text, so trimming ``" g"``
    next to ``"g"`` would merge two groups on the next read: those titles are left.
    """
    if manifest.format != "csv":
        return set()
    seen = Counter(
        (item.kind.key, item.fields[TITLE].strip())
        for item in _items(manifest)
        if item.kind.multi_file and isinstance(item.fields.get(TITLE), str)
    )
    return {key for key, count in seen.items() if count > 1}


@item_fixer("MT304")
def _trim_urls(manifest: Manifest) -> ItemFix:
    return _url_fix("MT304", lambda url: url.strip() or url, "trimmed")


def _metadata_block(item: Item) -> dict[str, Any] | None:
    """The item's metadata block if it is an object."""
    block = item.kind.metadata
    values = item.fields.get(block.key) if block is not None else None
    return values if isinstance(values, dict) else None


@item_fixer("MT503")
def _camel_case(manifest: Manifest) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        values = _metadata_block(item)
        block = item.kind.metadata
        if values is None or block is None:
            return
        shape = (block.key, tuple(values))
        renames = _camel_renames.get(shape)
        if renames is None:
            renames = _renames_to_camel_case(block, shape[1])
            if len(_camel_renames) < _MAX_CACHED_SHAPES:
                _camel_renames[shape] = renames
        for key, name in renames:
            values[name] = values.pop(key)
            log.append(AppliedFix("MT503", f"{item.pointer}/{block.key}", f"{key} -> {name}"))

    return fix


_MAX_CACHED_SHAPES = 10_000
_camel_renames: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}
"""The renames of a block with these keys, in order: worked out once per shape (a manifest has few)."""


def _renames_to_camel_case(block: MetadataBlock, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(snake_case key, its camelCase name) in key order, except where the camelCase one is there already."""
    present, renames = set(keys), []
    for key in keys:
        spec = block.field(key)
        if spec is not None and key != spec.name and spec.name not in present:
            present.discard(key)
            present.add(spec.name)
            renames.append((key, spec.name))
    return tuple(renames)


@item_fixer("MT504")
def _retired_names(manifest: Manifest) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        values = _metadata_block(item)
        if values is None:
            return
        for old, new in RETIRED_FIELDS.items():
            if old in values and new not in values:
                values[new] = values.pop(old)
                log.append(AppliedFix("MT504", f"{item.pointer}/{_block_key(item)}/{new}", f"{old} -> {new}"))

    return fix


@item_fixer("MT505")
def _registered_mime(manifest: Manifest) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        values = _metadata_block(item)
        if values is None:
            return
        for key in ("mimeType", "mime_type"):
            mime = values.get(key)
            registered = NONSTANDARD_MIME_TYPES.get(mime.strip().lower()) if isinstance(mime, str) else None
            if registered is not None:
                values[key] = registered
                log.append(
                    AppliedFix("MT505", f"{item.pointer}/{_block_key(item)}/{key}", f"{mime!r} -> {registered!r}")
                )

    return fix


def _block_key(item: Item) -> str:
    assert item.kind.metadata is not None
    return item.kind.metadata.key


@fixer("MT222")
def _flag_spellings(manifest: Manifest, log: Log) -> None:
    data = manifest.data
    assert data is not None
    for wrong, right in FLAG_SPELLINGS.items():
        if wrong in data and right not in data:
            data[right] = data.pop(wrong)
            log.append(AppliedFix("MT222", join_pointer(right), f'renamed "{wrong}" to "{right}"'))


# -- unsafe fixes: they change what is registered, so they need --unsafe-fixes ----------------


@fixer("MT202")
def _manifest_spellings(manifest: Manifest, log: Log) -> None:
    data = manifest.data
    assert data is not None
    for wrong, right in SDK_SPELLINGS.items():
        if wrong not in data:
            continue
        if right not in data:
            data[right] = data.pop(wrong)
        elif isinstance(data[right], list) and isinstance(data[wrong], list):
            data[right].extend(data.pop(wrong))
        else:
            continue
        log.append(AppliedFix("MT202", join_pointer(right), f'renamed "{wrong}" to "{right}"'))


@item_fixer("MT302")
def _gcs_urls(manifest: Manifest) -> ItemFix:
    def change(url: str) -> str:
        return "https://storage.cloud.google.com/" + url[5:] if url.startswith("gs://") else url

    return _url_fix("MT302", change, "public GCS form")


_WHITESPACE = re.compile(r"\s")


@item_fixer("MT305")
def _encode_whitespace(manifest: Manifest) -> ItemFix:
    def change(url: str) -> str:
        core = url.strip()
        if not core or not _WHITESPACE.search(core):
            return url
        start = url.index(core)
        encoded = _WHITESPACE.sub(lambda m: quote(m.group()), core)
        return url[:start] + encoded + url[start + len(core) :]

    return _url_fix("MT305", change, "percent-encoded whitespace")


@item_fixer("MT306")
def _strip_angle_brackets(manifest: Manifest) -> ItemFix:
    def change(url: str) -> str:
        inner = url.strip().strip("<>")
        return inner if inner != url.strip() and "://" in inner else url

    return _url_fix("MT306", change, "removed angle brackets")


@item_fixer("MT309")
def _encode_non_ascii(manifest: Manifest) -> ItemFix:
    def change(url: str) -> str:
        if url.isascii() or not _is_utf8(url):  # a lone surrogate has no UTF-8 bytes to percent-encode
            return url
        return "".join(c if c.isascii() else quote(c, safe="") for c in url)

    return _url_fix("MT309", change, "percent-encoded non-ASCII")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@fixer("MT601")
def _merge_duplicate_arrays(manifest: Manifest, log: Log) -> None:
    data = manifest.data
    assert data is not None
    for duplicate in manifest.duplicates:
        key = duplicate.key
        if duplicate.pointer == join_pointer(key) and key in KINDS_BY_KEY and isinstance(duplicate.dropped, list):
            current = data.get(key)
            if isinstance(current, list):
                data[key] = duplicate.dropped + current
                log.append(
                    AppliedFix(
                        "MT601", join_pointer(key), f"merged {len(duplicate.dropped)} items of the earlier array"
                    )
                )


@fixer("MT602")
@fixer("MT603")
def _drop_repeated_items(manifest: Manifest, log: Log) -> None:
    data = manifest.data
    assert data is not None
    seen: set[str] = set()
    for kind in KINDS:
        values = data.get(kind.key)
        if not isinstance(values, list):
            continue
        kept = []
        for index, value in enumerate(values):
            url = value.get(OBJECT_URL) if isinstance(value, dict) and not kind.multi_file else None
            if isinstance(url, str) and url in seen:
                log.append(AppliedFix("MT602", f"/{kind.key}/{index}", f"removed repeated item {url}"))
                continue
            if isinstance(url, str):
                seen.add(url)
            kept.append(value)
        data[kind.key] = kept


def blocking_diagnostics(manifest: Manifest, unsafe: bool) -> list[Diagnostic]:
    """Reader findings that make rewriting the file unsafe (it would write a guess or lose data)."""
    blocking = []
    rules = all_rules()
    mergeable = {(d.pointer, d.key) for d in manifest.duplicates if d.pointer.count("/") == 1 and d.key in KINDS_BY_KEY}
    for diagnostic in manifest.reader_diagnostics:
        if diagnostic.code in REWRITABLE_READER_CODES:
            continue
        if diagnostic.code == "MT601" and unsafe and any(p == diagnostic.pointer for p, _ in mergeable):
            continue
        blocking.append(with_rule(diagnostic, rules[diagnostic.code]))
    return blocking


_SYNTAX_FIX_WORDS = {
    "MT102": "removed a trailing comma",
    "MT103": "removed a comment",
    "MT104": "double-quoted a single-quoted string",
    "MT107": "escaped a control character",
    "MT109": "removed the byte order mark",
    "MT704": 'wrote the blank "Create video" cell as true (its default)',
    "MT712": "removed a header row with no data rows",
    "MT714": 'dropped the "Create video" column of a video or DICOM block',
}


# Structural fixes first (merging and renaming arrays moves items), removal of repeats last.
_FIX_ORDER = {
    code: position
    for position, code in enumerate(
        [
            "MT601",
            "MT202",
            "MT222",
            "MT207",
            "MT210",
            "MT219",
            "MT304",
            "MT305",
            "MT306",
            "MT302",
            "MT309",
            "MT503",
            "MT504",
            "MT505",
            "MT602",
            "MT603",
        ]
    )
}


def fix_manifest(manifest: Manifest, enabled: frozenset[str], *, unsafe: bool = False) -> FixResult:
    """Apply the enabled fixes to ``manifest`` (its data is changed in place) and render it canonically."""
    blocking = blocking_diagnostics(manifest, unsafe)
    if manifest.data is None or blocking:
        return FixResult(None, blocking=blocking)
    rules = all_rules()
    log: Log = list(
        dict.fromkeys(  # one entry per place: a group's rows share its pointer
            AppliedFix(d.code, d.pointer, _SYNTAX_FIX_WORDS[d.code])
            for d in manifest.reader_diagnostics
            if d.code in _SYNTAX_FIX_WORDS and d.code in enabled
        )
    )
    batch: list[tuple[ItemFix, Log]] = []  # consecutive item fixes, run in one pass, logged in code order
    for code in [*sorted(FIXERS, key=lambda code: _FIX_ORDER[code]), ""]:
        applicability = rules[code].fix if code else None
        if code and not (code in enabled and (applicability == "safe" or (applicability == "unsafe" and unsafe))):
            continue
        if code in ITEM_FIXERS:
            batch.append((ITEM_FIXERS[code](manifest), []))
            continue
        if batch:
            _run_item_fixes(manifest, batch)
        for _, applied in batch:
            log += applied
        batch.clear()
        if code:
            FIXERS[code](manifest, log)
    if manifest.format == "csv":
        text = dumps_csv(manifest.data, neutralise=False).text
        if not text:  # header rows only: without them the file would be empty (MT110, an error, not a warning)
            return FixResult(None, blocking=[with_rule(d, rules[d.code]) for d in manifest.reader_diagnostics])
        return FixResult(text, log)
    try:
        return FixResult(dumps_json(manifest.data), log)
    except ValueError:  # NaN or Infinity: reported by the reader, never written
        return FixResult(None, log, manifest.reader_diagnostics)
