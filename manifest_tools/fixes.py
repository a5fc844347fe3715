"""Fix and normalise manifests: apply the rules' fixes to the parsed tree, write it canonically.

Syntax fixes (trailing commas, comments, single quotes, raw control characters,
a BOM) need no code: the tolerant reader already built the value the user
meant, and writing it out is the fix. Everything else is a fixer below, keyed
by the rule code it repairs; a rule's catalogue entry says whether its fix is
safe or unsafe. A file is never rewritten when the reader had to guess or skip
something, because writing the guess would turn it into data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from manifest_tools.codes import Code, RuleCode, known_code
from manifest_tools.kinds import (
    CREATE_VIDEO,
    FLAG_SPELLINGS,
    KINDS_BY_KEY,
    MIME_TYPE,
    NONSTANDARD_MIME_TYPES,
    OBJECT_URL,
    RETIRED_FIELDS,
    SDK_SPELLINGS,
    TITLE,
    MetadataBlock,
)
from manifest_tools.model import Item, Manifest, join_pointer, object_url_index, spells_object_url
from manifest_tools.providers import gcp
from manifest_tools.readers.json import read_json
from manifest_tools.readers.text import BOM
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.rules.catalogue import all_rules
from manifest_tools.rules.duplicates import duplicate_code, repeated_urls
from manifest_tools.rules.engine import check, with_rule
from manifest_tools.rules.metadata import mixes_casing
from manifest_tools.rules.structure import holds_sdk_items, sdk_payload_keys
from manifest_tools.rules.syntax import FIXED_ONLY_IN_JSON
from manifest_tools.rules.urls import ENCODABLE, UNWRITABLE, url_codes
from manifest_tools.wording import plural
from manifest_tools.writers.csv import dumps_csv
from manifest_tools.writers.json import dumps_json

if TYPE_CHECKING:
    from manifest_tools.fix_remaining import Remaining

REWRITABLE_READER_CODES = frozenset(
    {Code.MT102, Code.MT103, Code.MT104, Code.MT107, Code.MT109, Code.MT704, Code.MT712, Code.MT713, Code.MT714}
)
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
    passes: list[tuple[str, int]] = field(default_factory=list)
    """For each pass after the first: the text it read and how many of ``applied`` came before it."""
    unsafe_would_unblock: bool = False
    """True when ``fix --unsafe-fixes`` would repair every blocking problem (a repeated top-level array)."""
    remaining: Remaining | None = field(default=None, compare=False)  # what is known, not what was done
    """Set when the fix knows what lint reports of ``text``: what it reports of the input (no fix applied,
    so the text holds the input's data in canonical form), its findings placed in ``text`` when asked.
    None: not known (lint the text to know what remains), or not asked (``fix_certified(ask_lint=True)``)."""

    def __repr__(self) -> str:
        """Short: the counts, not the whole fixed text (a manifest can be hundreds of megabytes)."""
        text = "no text" if self.text is None else f"text of {plural(len(self.text), 'character')}"
        return f"FixResult({text}, {len(self.applied)} applied, {len(self.blocking)} blocking)"

    @property
    def refusal(self) -> str:
        """Why the file was not rewritten, and what would let it be: the one wording of the CLI and library."""
        where = ", ".join(f"{d.code} at {d.line}:{d.column}" for d in self.blocking[:5])
        more = f" and {len(self.blocking) - 5} more" if len(self.blocking) > 5 else ""
        by_hand = "must be fixed by hand first"
        need = "needs" if len(self.blocking) == 1 else "need"
        remedy = f"{need} --unsafe-fixes, or fixing by hand" if self.unsafe_would_unblock else by_hand
        return f"{plural(len(self.blocking), 'problem')} {remedy} ({where}{more})"


Log = list[AppliedFix]
Fixer = Callable[[Manifest, Log], None]
FIXERS: dict[RuleCode, Fixer] = {}
ItemFix = Callable[[Item, Log], None]
Prepare = Callable[[Manifest], ItemFix]
ITEM_FIXERS: dict[RuleCode, Prepare] = {}
"""Fixes made item by item, each prepared once per manifest: ``_fix_once`` runs consecutive ones in one
pass over the items (ten walks cost a maximum-size manifest seconds), each keeping its own log."""


def fixer(code: RuleCode) -> Callable[[Fixer], Fixer]:
    """Register the fixer of ``code``; an unknown code raises at import (``codes.known_code``)."""
    known = known_code(code)

    def register(function: Fixer) -> Fixer:
        FIXERS[known] = function
        return function

    return register


def item_fixer(code: RuleCode) -> Callable[[Prepare], Prepare]:
    """Register ``prepare(manifest) -> fix(item, log)``; alone, it runs as a fixer of the whole manifest."""
    known = known_code(code)

    def register(prepare: Prepare) -> Prepare:
        ITEM_FIXERS[known] = prepare
        FIXERS[known] = lambda manifest, log: _run_item_fixes(manifest, [(prepare(manifest), log)])
        return prepare

    return register


def _run_item_fixes(manifest: Manifest, fixes: list[tuple[ItemFix, Log]]) -> None:
    """One pass over the items, the fixes applied to an item in turn (so each sees the ones before).

    Each fix reads and writes only its own item (what it needs of the whole manifest, its prepare
    step works out first), so this gives what running the fixes one after another over all items gives.
    """
    for item in list(_items(manifest)):
        for fix, log in fixes:
            fix(item, log)


def _items(manifest: Manifest) -> Iterator[Item]:
    return manifest.items()


def _url_fix(code: str, change: Callable[[str], str], what: str) -> ItemFix:
    """Apply ``change`` to every URL that lint reports ``code`` for (a placeholder is reported as one, MT307,
    and its spaces or accents are left alone: no URL to repair is there)."""

    def fix(item: Item, log: Log) -> None:
        for name, url in item.url_fields():
            if isinstance(url, str):
                new = change(url)
                if new != url and code in url_codes(url):
                    item.fields[name] = new
                    log.append(AppliedFix(code, f"{item.pointer}/{name}", f"{what}: {url!r} -> {new!r}"))

    return fix


@item_fixer(Code.MT207)
def _renumber(manifest: Manifest) -> ItemFix:
    plans: dict[tuple[str, ...], tuple[str, ...] | None] = {}  # the keys to renumber, per item shape

    def fix(item: Item, log: Log) -> None:
        if not item.kind.multi_file:
            return
        shape = tuple(item.fields)
        if shape in plans:
            plan = plans[shape]
        else:
            plan = _renumbering(shape)
            if len(plans) < _MAX_CACHED_SHAPES:
                plans[shape] = plan
        if plan is None:
            return
        urls = [item.fields.pop(k) for k in plan]
        for position, url in enumerate(urls):
            item.fields[f"{OBJECT_URL}_{position}"] = url
        log.append(
            AppliedFix(Code.MT207, item.pointer, f"renumbered {len(urls)} URLs from objectUrl_0 in the same order")
        )

    return fix


@item_fixer(Code.MT210)
def _create_video_bool(manifest: Manifest) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        value = item.fields.get(CREATE_VIDEO)
        if item.kind.create_video and isinstance(value, str) and value.strip().lower() in ("true", "false"):
            item.fields[CREATE_VIDEO] = value.strip().lower() == "true"
            log.append(
                AppliedFix(Code.MT210, f"{item.pointer}/{CREATE_VIDEO}", f"{value!r} -> {value.strip().lower()}")
            )

    return fix


@item_fixer(Code.MT219)
def _trim_titles(manifest: Manifest) -> ItemFix:
    shared = _titles_shared_once_trimmed(manifest)  # no fix before this one changes a title

    def fix(item: Item, log: Log) -> None:
        title = item.fields.get(TITLE)
        if isinstance(title, str) and title != title.strip() and title.strip():
            if (item.kind.key, title.strip()) in shared:
                return  # the rows would join another group: MT219 stays reported, the user decides
            item.fields[TITLE] = title.strip()
            log.append(AppliedFix(Code.MT219, f"{item.pointer}/{TITLE}", f"trimmed title {title!r}"))

    return fix


def _titles_shared_once_trimmed(manifest: Manifest) -> set[tuple[str, str]]:
    """(kind, trimmed title) that more than one CSV group would have after trimming.

    CSV rows join the group whose title cell is the same text, so trimming ``" g"``
    next to ``"g"`` would merge two groups on the next read: those titles are left. The
    other group may be a row the scanner certified (a placeholder among the items to fix),
    so every item is counted, once some title is to be trimmed.
    """
    if manifest.format != "csv":
        return set()
    trimmed = {
        (item.kind.key, title.strip())
        for item in _items(manifest)
        if item.kind.multi_file and isinstance(title := item.fields.get(TITLE), str) and title != title.strip()
    }
    if not trimmed:
        return set()
    seen = Counter(
        (item.kind.key, item.fields[TITLE].strip())
        for item in manifest.every_item()
        if item.kind.multi_file and isinstance(item.fields.get(TITLE), str)
    )
    return {key for key in trimmed if seen[key] > 1}


def _renumbering(keys: tuple[str, ...]) -> tuple[str, ...] | None:
    """The URL keys of an item with these keys in numeric order, or None when there is nothing to renumber
    (or malformed keys, MT208, make the order ambiguous): it depends on the keys alone."""
    url_keys = [k for k in keys if spells_object_url(k)]
    numbered = sorted((n, k) for k in url_keys if (n := object_url_index(k)) is not None)
    if len(numbered) != len(url_keys) or [n for n, _ in numbered] == list(range(len(numbered))):
        return None
    return tuple(k for _, k in numbered)


@item_fixer(Code.MT304)
def _trim_urls(manifest: Manifest) -> ItemFix:
    return _url_fix(Code.MT304, lambda url: url.strip() or url, "trimmed")


def _metadata_block(item: Item) -> tuple[MetadataBlock, dict[str, Any]] | None:
    """The item's metadata block (its spec and values) when it is an object."""
    block = item.kind.metadata
    values = item.fields.get(block.key) if block is not None else None
    return (block, values) if block is not None and isinstance(values, dict) else None


@item_fixer(Code.MT503)
def _camel_case(manifest: Manifest) -> ItemFix:
    """Name the blocks whose mixed casing is repaired; the renaming itself is canonical writing's.

    Every writer emits metadata in camelCase (``canonical.canonical_metadata``), snake_case blocks
    included, so the fix is the rewrite, as for the syntax fixes: only where lint warned is it a fix.
    ``mixes_casing`` reads only the block's keys, so it is worked out once per shape (a manifest has few).
    """
    mixed: dict[tuple[str, tuple[str, ...]], bool] = {}

    def fix(item: Item, log: Log) -> None:
        found = _metadata_block(item)
        if found is None:
            return
        block, values = found
        shape = (block.key, tuple(values))
        mixes = mixed.get(shape)
        if mixes is None:
            mixes = mixes_casing(block, values)
            if len(mixed) < _MAX_CACHED_SHAPES:
                mixed[shape] = mixes
        if mixes:
            log.append(AppliedFix(Code.MT503, f"{item.pointer}/{block.key}", "wrote the field names in camelCase"))

    return fix


_MAX_CACHED_SHAPES = 10_000
"""Block shapes remembered per manifest at most: a manifest of many shapes costs no more memory than this."""


@item_fixer(Code.MT504)
def _retired_names(manifest: Manifest) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        found = _metadata_block(item)
        if found is None:
            return
        block, values = found
        for old, new in RETIRED_FIELDS.items():
            if old in values and new not in values:
                values[new] = values.pop(old)
                log.append(AppliedFix(Code.MT504, f"{item.pointer}/{block.key}/{new}", f"{old} -> {new}"))

    return fix


@item_fixer(Code.MT505)
def _registered_mime(manifest: Manifest) -> ItemFix:
    def fix(item: Item, log: Log) -> None:
        found = _metadata_block(item)
        if found is None:
            return
        block, values = found
        for key in MIME_TYPE.spellings:
            mime = values.get(key)
            registered = NONSTANDARD_MIME_TYPES.get(mime.strip().lower()) if isinstance(mime, str) else None
            if registered is not None:
                values[key] = registered
                log.append(AppliedFix(Code.MT505, f"{item.pointer}/{block.key}/{key}", f"{mime!r} -> {registered!r}"))

    return fix


@fixer(Code.MT222)
def _flag_spellings(manifest: Manifest, log: Log) -> None:
    data = manifest.data
    assert data is not None
    for wrong, right in FLAG_SPELLINGS.items():
        if wrong in data and right not in data:
            data[right] = data.pop(wrong)
            log.append(AppliedFix(Code.MT222, join_pointer(right), f'renamed "{wrong}" to "{right}"'))


# -- unsafe fixes: they change what is registered, so they need --unsafe-fixes ----------------


@fixer(Code.MT202)
def _manifest_spellings(manifest: Manifest, log: Log) -> None:
    data = manifest.data
    assert data is not None
    if any(holds_sdk_items(key, value) for key, value in data.items()):
        return  # an SDK upload payload (MT220): renaming its keys would not make it a manifest
    for wrong, right in SDK_SPELLINGS.items():
        if wrong not in data:
            continue
        if right not in data:
            data[right] = data.pop(wrong)
        elif isinstance(data[right], list) and isinstance(data[wrong], list):
            data[right].extend(data.pop(wrong))
        else:
            continue
        log.append(AppliedFix(Code.MT202, join_pointer(right), f'renamed "{wrong}" to "{right}"'))


@item_fixer(Code.MT302)
def _gcs_urls(manifest: Manifest) -> ItemFix:
    def change(url: str) -> str:
        return gcp.https_form(url[5:]) if url.startswith("gs://") else url

    return _url_fix(Code.MT302, change, "public GCS form")


@item_fixer(Code.MT305)
def _encode_whitespace(manifest: Manifest) -> ItemFix:
    def change(url: str) -> str:
        core = url.strip()
        if not core or not UNWRITABLE.search(core):
            return url
        start = url.index(core)
        encoded = UNWRITABLE.sub(lambda m: quote(m.group()), core)
        return url[:start] + encoded + url[start + len(core) :]

    return _url_fix(Code.MT305, change, "percent-encoded whitespace and control characters")


@item_fixer(Code.MT306)
def _strip_angle_brackets(manifest: Manifest) -> ItemFix:
    def change(url: str) -> str:
        inner = url.strip().strip("<>")
        return inner if inner != url.strip() and "://" in inner else url

    return _url_fix(Code.MT306, change, "removed angle brackets")


@item_fixer(Code.MT309)
def _encode_non_ascii(manifest: Manifest) -> ItemFix:
    def change(url: str) -> str:
        if url.isascii():
            return url
        return ENCODABLE.sub(lambda m: quote(m.group(), safe=""), url)  # what MT309 reports, no lone surrogate

    return _url_fix(Code.MT309, change, "percent-encoded non-ASCII")


@fixer(Code.MT601)
def _merge_duplicate_arrays(manifest: Manifest, log: Log) -> None:
    data = manifest.data
    assert data is not None
    for duplicate in manifest.duplicates:
        key = duplicate.key
        if duplicate.pointer == join_pointer(key) and key in KINDS_BY_KEY and isinstance(duplicate.dropped, list):
            current = data.get(key)
            if isinstance(current, list):
                data[key] = duplicate.dropped + current
                _shift(log, key, len(duplicate.dropped))
                log.append(
                    AppliedFix(
                        Code.MT601, join_pointer(key), f"merged {len(duplicate.dropped)} items of the earlier array"
                    )
                )


def _shift(log: Log, key: str, by: int) -> None:
    """Move the pointers of the fixes so far into ``key``'s items ``by`` places on: the merge put the earlier
    array's items before them, and a fix names the place in the output."""
    prefix = join_pointer(key) + "/"
    for number, applied in enumerate(log):
        index, slash, rest = applied.pointer.removeprefix(prefix).partition("/")
        if applied.pointer.startswith(prefix) and index.isdigit():
            moved = f"{prefix}{int(index) + by}{slash}{rest}"
            log[number] = AppliedFix(applied.code, moved, applied.description)


@fixer(Code.MT602)
def _drop_repeated_urls(manifest: Manifest, log: Log) -> None:
    if duplicate_code(manifest) == Code.MT602:
        _drop_repeated_items(manifest, log)


@fixer(Code.MT603)
def _drop_skipped_urls(manifest: Manifest, log: Log) -> None:
    if duplicate_code(manifest) == Code.MT603:
        _drop_repeated_items(manifest, log)


def _drop_repeated_items(manifest: Manifest, log: Log) -> None:
    """Keep the copy lint names as the first (the earliest in the file); drop later single-file copies.

    A later copy inside an image group or DICOM series stays (dropping it would change the group).
    So does every copy when the first is in a group: which copy comes first changes when the file
    is written in canonical order, and the fix must give the same answer on its own output. A kind
    whose array the fix empties is removed rather than written as ``[]``.
    """
    data = manifest.data
    assert data is not None
    code = duplicate_code(manifest)
    dropped: dict[str, set[int]] = {}
    for url, places in repeated_urls(manifest).items():
        if places[0][0].kind.multi_file:
            continue
        for item, _ in places[1:]:
            if not item.kind.multi_file and item.position not in dropped.get(item.kind.key, ()):
                dropped.setdefault(item.kind.key, set()).add(item.position)
                lost = _lost_with(item, places[0][0])
                log.append(AppliedFix(code, item.pointer, f"removed repeated item {url}{lost}"))
    for key, positions in dropped.items():
        kept = [value for index, value in enumerate(data[key]) if index not in positions]
        if kept:
            data[key] = kept
        else:
            del data[key]


def _lost_with(removed: Item, kept: Item) -> str:
    """What removing a repeated item loses: its fields (clientMetadata, title, metadata) that differ from the
    kept copy's, with the removed values; that nothing is lost when it only lacks fields the kept copy has;
    empty when the copies are the same."""
    import json

    differ = [
        name
        for name in dict.fromkeys([*removed.fields, *kept.fields])
        if removed.fields.get(name) != kept.fields.get(name)
    ]
    if not differ:
        return ""
    lost = [name for name in differ if name in removed.fields]
    if not lost:  # the removed copy lacked what the kept one has: it held nothing of its own
        return f"; nothing is lost (the removed copy had no {', '.join(differ)}; the kept copy at {kept.pointer} has)"
    values = ", ".join(f"{name} {json.dumps(removed.fields[name], ensure_ascii=False, default=str)}" for name in lost)
    shown = values if len(values) <= _LOST_CHARS else values[: _LOST_CHARS - 3] + "..."
    verb = "is" if len(lost) == 1 else "are"
    return f"; the removed copy's {shown} differed from the kept copy's at {kept.pointer} and {verb} lost"


_LOST_CHARS = 200
"""Characters of the lost values a fix line shows at most."""


def blocking_diagnostics(manifest: Manifest, unsafe: bool) -> list[Diagnostic]:
    """Reader findings that make rewriting the file unsafe (it would write a guess or lose data)."""
    blocking = []
    rules = all_rules()
    mergeable = {(d.pointer, d.key) for d in manifest.duplicates if d.pointer.count("/") == 1 and d.key in KINDS_BY_KEY}
    for diagnostic in manifest.reader_diagnostics:
        if diagnostic.code in REWRITABLE_READER_CODES:
            continue
        if diagnostic.code == Code.MT601 and unsafe and any(p == diagnostic.pointer for p, _ in mergeable):
            continue
        blocking.append(with_rule(diagnostic, rules[diagnostic.code], manifest.format))
    if sdk_payload_keys(manifest.data):  # an SDK upload payload: no fix makes it a manifest
        blocking += check(manifest, frozenset({Code.MT220}))
    return blocking


SYNTAX_FIX_WORDS = {  # reader findings whose fix is writing the parsed value: what each says it did
    Code.MT102: "removed a trailing comma",
    Code.MT103: "removed a comment",
    Code.MT104: "double-quoted a single-quoted string",
    Code.MT107: "escaped a control character",
    Code.MT109: "removed the byte order mark",
    Code.MT704: 'wrote the blank "Create video" cell as true (its default)',
    Code.MT712: "removed a header row with no data rows",
    Code.MT714: 'dropped the "Create video" column of a video or DICOM block',
}


REVEALING_FIXES = frozenset({Code.MT601, Code.MT202})
"""Fixes that bring items lint never read into the manifest: the earlier array of a repeated key
(MT601) and the array under a misspelt kind key (MT202). They run last, so that no other fix acts
on those items in the same run (a fix acts only where lint reported); lint of the output shows
their findings, and the next fix repairs them."""

# Repeats are removed first, while the items and URLs are those lint read (a URL fix can make two
# URLs equal); the revealing fixes come last.
_FIX_ORDER = {
    code: position
    for position, code in enumerate(
        [
            Code.MT602,
            Code.MT603,
            Code.MT222,
            Code.MT207,
            Code.MT210,
            Code.MT219,
            Code.MT304,
            Code.MT305,
            Code.MT306,
            Code.MT302,
            Code.MT309,
            Code.MT503,
            Code.MT504,
            Code.MT505,
            Code.MT601,
            Code.MT202,
        ]
    )
}


def line_ending(head: str | bytes) -> str:
    """The line ending of a file that starts with ``head``, as its first line ends: ``fix`` keeps it (CRLF in,
    CRLF out, as ruff format's ``line-ending = "auto"``; a CR alone, as old Mac exports end lines, too)."""
    if isinstance(head, bytes):  # a CR is looked for before the first LF only: no scan of a whole LF file
        newline = head.find(b"\n")
        carriage = head.find(b"\r", 0, newline if newline >= 0 else len(head))
    else:
        newline = head.find("\n")
        carriage = head.find("\r", 0, newline if newline >= 0 else len(head))
    if carriage < 0:
        return "\n"
    return "\r\n" if newline == carriage + 1 else "\r"


def csv_start(manifest: Manifest) -> str:
    """What a fixed CSV starts with: the byte order mark the file started with (lint finds nothing in it,
    and Excel reads a CSV without one in the system's code page), else nothing."""
    return BOM if manifest.byte_order_mark else ""


def with_line_ending(result: FixResult, newline: str) -> FixResult:
    """``result`` of a JSON fix with its lines ended by ``newline`` (a JSON string holds no raw line end)."""
    if newline != "\n" and result.text is not None:
        result.text = result.text.replace("\n", newline)
    return result


MAX_PASSES = 4
"""Passes of :func:`fix_manifest` at most: a merge or rename brings in items the first pass never read."""


def fix_manifest(
    manifest: Manifest, enabled: frozenset[str], *, unsafe: bool = False, newline: str = "\n"
) -> FixResult:
    """Apply the enabled fixes to ``manifest`` (its data is changed in place) and render it canonically.

    A fix acts only where lint reported. After a merge of repeated arrays or a rename of a misspelt
    kind key (``REVEALING_FIXES``) the written text holds items lint never read, so it is read and
    fixed again, as ruff does, until nothing changes: one run of ``fix`` leaves a file that a second
    run does not touch. Lines end with ``newline`` (:func:`line_ending` of the file read).
    """
    result = _fix_once(manifest, enabled, unsafe, newline)
    for _ in range(MAX_PASSES - 1):
        if result.text is None or not {applied.code for applied in result.applied} & REVEALING_FIXES:
            break
        from manifest_tools.readers.csv import read_csv  # only a CSV file's later pass reads it: not imported for JSON

        reader = read_csv if manifest.format == "csv" else read_json
        earlier = list(result.applied)  # a merge in this pass moves the places the earlier passes named
        again = _fix_once(reader(manifest.path, result.text), enabled, unsafe, newline, earlier)
        if again.text is None or again.text == result.text:
            break
        passes = [*result.passes, (result.text, len(result.applied))]
        result = FixResult(again.text, again.applied, passes=passes)
    return result


def _flush(manifest: Manifest, batch: list[tuple[ItemFix, Log]], log: Log) -> None:
    """Run the batched item fixes in one pass and append their logs in code order."""
    if batch:
        _run_item_fixes(manifest, batch)
    for _, applied in batch:
        log += applied
    batch.clear()


def _fix_once(
    manifest: Manifest, enabled: frozenset[str], unsafe: bool, newline: str, earlier: Log | None = None
) -> FixResult:
    blocking = blocking_diagnostics(manifest, unsafe)
    if manifest.data is None or blocking:
        unblock = not unsafe and manifest.data is not None and not blocking_diagnostics(manifest, True)
        return FixResult(None, blocking=blocking, unsafe_would_unblock=unblock)
    log = apply_fixes(manifest, enabled, unsafe, earlier)
    assert manifest.data is not None
    if manifest.format == "csv":
        text = dumps_csv(manifest.data, newline=newline)
        if not text:  # header rows only: without them the file would be empty (MT110, an error, not a warning)
            rules = all_rules()
            return FixResult(
                None, blocking=[with_rule(d, rules[d.code], manifest.format) for d in manifest.reader_diagnostics]
            )
        return FixResult(csv_start(manifest) + text, log)
    try:
        return with_line_ending(FixResult(dumps_json(manifest.data), log), newline)
    except ValueError:  # NaN or Infinity: reported by the reader, never written
        return FixResult(None, log, manifest.reader_diagnostics)


def apply_fixes(manifest: Manifest, enabled: frozenset[str], unsafe: bool, earlier: Log | None = None) -> Log:
    """Apply the enabled fixes to a manifest that may be rewritten (its data changes in place): what they did,
    after ``earlier`` (the fixes of the passes before), in the order applied, each naming its place in the output.

    The syntax fixes are the reader findings that writing the parsed value repairs; the others
    run in ``_FIX_ORDER``, consecutive item fixes in one pass over the items.
    """
    rules = all_rules()
    log: Log = [*(earlier or ())]
    repaired = [
        d
        for d in manifest.reader_diagnostics
        if d.code in SYNTAX_FIX_WORDS
        and d.code in enabled
        and not (manifest.format == "csv" and d.code in FIXED_ONLY_IN_JSON)
    ]
    places = Counter((d.code, d.pointer) for d in repaired)  # a group's rows, a file's comments share a place
    log += [  # one per finding, as lint counts them: each named by its line when it shares its place
        AppliedFix(
            d.code, d.pointer, SYNTAX_FIX_WORDS[d.code] + (f" (line {d.line})" if places[d.code, d.pointer] > 1 else "")
        )
        for d in repaired
    ]
    batch: list[tuple[ItemFix, Log]] = []  # consecutive item fixes: one pass, logged in code order
    for code in sorted(FIXERS, key=lambda code: _FIX_ORDER[code]):
        applicability = rules[code].fix
        if not (code in enabled and (applicability == "safe" or (applicability == "unsafe" and unsafe))):
            continue
        if code in ITEM_FIXERS:
            batch.append((ITEM_FIXERS[code](manifest), []))
            continue
        _flush(manifest, batch, log)
        FIXERS[code](manifest, log)
    _flush(manifest, batch, log)
    return log
