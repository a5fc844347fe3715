"""MT2xx structure: top-level keys, item shapes, required fields, numbering and titles."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from operator import contains, eq, is_not, itemgetter, le, lt, sub
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    FLAG_KEYS,
    FLAG_SPELLINGS,
    KINDS,
    KINDS_BY_KEY,
    MAX_TITLE_CHARS,
    METADATA_KEYS,
    NIFTI,
    OBJECT_URL,
    OBJECT_URL_PREFIX,
    SCENE,
    SCHEMA_KEY,
    SDK_SPELLINGS,
    TITLE,
    TOP_LEVEL_KEYS,
    UNDOCUMENTED_KINDS,
    Kind,
    TitleRule,
    file_extension,
)
from manifest_tools.model import URL_KEYS, Format, Item, Manifest, join_pointer, object_url_index, spells_object_url
from manifest_tools.providers import file_name
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.placeholders import title_placeholder
from manifest_tools.rules.registry import CheckContext, register, rule
from manifest_tools.rules.shared import article, json_type

_U = "https://b.s3.eu-west-2.amazonaws.com"
_ALL_EXTENSIONS = frozenset().union(*(kind.extensions for kind in KINDS))

RULES = [
    rule(
        Code.MT201,
        "top-level-not-object",
        "error",
        "The top level of the JSON is not an object.",
        """A manifest is one object whose keys name the kinds: {"images": [...]}.
        A bare array of items or of URLs registers nothing.""",
        f'[{{"objectUrl": "{_U}/a.jpg"}}]',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT202,
        "unknown-top-level-key",
        "error",
        "A top-level key that is not a manifest key.",
        f"""Only {", ".join((*KINDS_BY_KEY, *FLAG_KEYS)[:-1])} and {FLAG_KEYS[-1]} mean
        anything (and $schema, an editor hint); any other key registers nothing. The
        SDK's structured spellings (image, imageGroups, dicomSeries, skipDuplicateUrls)
        are not manifest keys.""",
        f'{{"imageGroups": [{{"title": "g1", "createVideo": false, "objectUrl_0": "{_U}/g/1.jpg"}}]}}',
        f'{{"image_groups": [{{"title": "g1", "createVideo": false, "objectUrl_0": "{_U}/g/1.jpg"}}]}}',
        fix="unsafe",
    ),
    rule(
        Code.MT203,
        "invalid-type",
        "error",
        "A value of the wrong JSON type.",
        """Kind keys hold arrays, flags are true or false, titles and URLs are strings,
        clientMetadata and metadata blocks are objects.""",
        f'{{"images": {{"objectUrl": "{_U}/a.jpg"}}}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT204,
        "item-not-object",
        "error",
        "An array element that is not an object.",
        """Each item is an object with an objectUrl (or objectUrl_0, objectUrl_1 ...);
        a bare URL string is not an item.""",
        f'{{"images": ["{_U}/a.jpg"]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT205,
        "missing-object-url",
        "error",
        "An item without its URL (objectUrl, objectUrl_0 for groups and series, a scene's scene object).",
        """Without a URL there is nothing to register; the upload fails for the item.""",
        '{"images": [{"title": "a.jpg"}]}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": "a.jpg"}}]}}',
    ),
    rule(
        Code.MT206,
        "unknown-item-field",
        "error",
        "An item field that the platform does not read.",
        """A misspelt field (objectURL, clientMetaData) or a metadata block of another
        kind is ignored, so its data is silently lost. Single-file items have
        objectUrl, title, clientMetadata and their own metadata block.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "clientMetaData": {{"site": "A"}}}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "clientMetadata": {{"site": "A"}}}}]}}',
    ),
    rule(
        Code.MT207,
        "object-url-numbering",
        "error",
        "objectUrl_N numbers that do not run 0, 1, 2 ... without gaps.",
        """The number is the file's position in the group or series. A group that
        starts at 1 or skips a number is rejected. Renumbering keeps the order.""",
        f'{{"image_groups": [{{"title": "g1", "createVideo": false, "objectUrl_1": "{_U}/g/1.jpg", "objectUrl_2": "{_U}/g/2.jpg"}}]}}',
        f'{{"image_groups": [{{"title": "g1", "createVideo": false, "objectUrl_0": "{_U}/g/1.jpg", "objectUrl_1": "{_U}/g/2.jpg"}}]}}',
        fix="safe",
    ),
    rule(
        Code.MT208,
        "malformed-object-url-key",
        "error",
        "A URL key of a group or series that is not objectUrl_N.",
        """Groups and series number their files objectUrl_0, objectUrl_1 ... with no
        leading zeros (objectUrl_01), no other casing (objectURL_0), and no bare
        objectUrl.""",
        f'{{"dicom_series": [{{"title": "ct1", "objectUrl_00": "{_U}/ct/1.dcm"}}]}}',
        f'{{"dicom_series": [{{"title": "ct1", "objectUrl_0": "{_U}/ct/1.dcm"}}]}}',
    ),
    rule(
        Code.MT209,
        "create-video-missing",
        "warning",
        "An image group without an explicit createVideo (opt-in).",
        """image_groups holds both image groups (createVideo false: images kept as
        they are) and image sequences (createVideo true: turned into a video,
        resized to the first frame, needing write access). Without createVideo a
        JSON group is an image group (the SDK's default, and a documented form),
        while a blank CSV cell means a sequence: enable this rule to make every
        manifest say which.""",
        f'{{"image_groups": [{{"title": "g1", "objectUrl_0": "{_U}/g/1.jpg"}}]}}',
        f'{{"image_groups": [{{"title": "g1", "createVideo": false, "objectUrl_0": "{_U}/g/1.jpg"}}]}}',
        default=False,
    ),
    rule(
        Code.MT210,
        "create-video-not-bool",
        "error",
        'createVideo written as a string ("true") or another non-boolean.',
        """createVideo is a JSON boolean; the string "false" is not false.""",
        f'{{"image_groups": [{{"title": "g1", "createVideo": "false", "objectUrl_0": "{_U}/g/1.jpg"}}]}}',
        f'{{"image_groups": [{{"title": "g1", "createVideo": false, "objectUrl_0": "{_U}/g/1.jpg"}}]}}',
        fix="safe",
    ),
    rule(
        Code.MT211,
        "missing-group-title",
        "error",
        "An image group, image sequence, DICOM series or scene without a title.",
        """Cloud integrations need a title for multi-file items and scenes: there is
        no single file name to fall back on.""",
        f'{{"dicom_series": [{{"objectUrl_0": "{_U}/ct/1.dcm"}}]}}',
        f'{{"dicom_series": [{{"title": "ct1", "objectUrl_0": "{_U}/ct/1.dcm"}}]}}',
    ),
    rule(
        Code.MT212,
        "group-title-extension",
        "warning",
        "A group or series title that ends in a file extension.",
        """Multi-file titles name the group, not a file; an extension (g1.jpg) is
        usually a copy of the first file's name.""",
        f'{{"image_groups": [{{"title": "g1.jpg", "createVideo": false, "objectUrl_0": "{_U}/g/1.jpg"}}]}}',
        f'{{"image_groups": [{{"title": "g1", "createVideo": false, "objectUrl_0": "{_U}/g/1.jpg"}}]}}',
    ),
    rule(
        Code.MT213,
        "title-too-long",
        "error",
        f"A title longer than {MAX_TITLE_CHARS} characters.",
        f"""The platform limits titles (and file names) to {MAX_TITLE_CHARS} characters.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": "{"x" * 301}.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": "a.jpg"}}]}}',
    ),
    rule(
        Code.MT214,
        "empty-title",
        "warning",
        "A single-file item whose title is an empty string.",
        """Leave title out to use the file name; an empty title shows as a blank row.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": ""}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT215,
        "nifti-title-extension",
        "error",
        "A NIfTI title that does not end in .nii or .nii.gz.",
        """The platform decides how to read a NIfTI file from its title's extension.""",
        f'{{"nifti": [{{"objectUrl": "{_U}/brain.nii.gz", "title": "brain"}}]}}',
        f'{{"nifti": [{{"objectUrl": "{_U}/brain.nii.gz", "title": "brain.nii.gz"}}]}}',
    ),
    rule(
        Code.MT216,
        "title-missing-extension",
        "warning",
        "A video or audio title without a file extension (JSON).",
        """Video and audio titles should keep an extension: the title is used as the
        file name when the data is exported or re-encoded. CSV video titles without
        one (Video 1) are the documentation's own form and are not reported.""",
        f'{{"videos": [{{"objectUrl": "{_U}/v/a.mp4", "title": "clip A"}}]}}',
        f'{{"videos": [{{"objectUrl": "{_U}/v/a.mp4", "title": "clip A.mp4"}}]}}',
    ),
    rule(
        Code.MT217,
        "upsert-without-skip",
        "warning",
        "upsert_metadata is true but skip_duplicate_urls is not.",
        """upsert_metadata only has an effect together with skip_duplicate_urls:
        true; on its own, existing items are registered a second time.""",
        f'{{"upsert_metadata": true, "images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        f'{{"skip_duplicate_urls": true, "upsert_metadata": true, "images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT218,
        "empty-manifest",
        "warning",
        "The manifest registers no item at all.",
        """An upload of an empty manifest succeeds and does nothing; usually a
        generator's filter or prefix was wrong.""",
        '{"images": []}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT219,
        "title-whitespace",
        "warning",
        "A title with leading or trailing whitespace.",
        """Invisible in the platform's lists but part of the title, so searches and
        CSV group titles stop matching.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": "a.jpg "}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "title": "a.jpg"}}]}}',
        fix="safe",
    ),
    rule(
        Code.MT220,
        "not-a-manifest",
        "error",
        "A JSON object none of whose keys is a manifest key.",
        """Data-group definitions, editor layouts, bucket listings and package.json
        sit beside manifests in real repositories. Such a file is reported once,
        not once per key; keep it out of the lint (the pre-commit hook's files:
        pattern, or name only manifest files). The SDK's upload payload
        (DataUploadItems, as convert --to sdk writes it: imageGroups of
        images[].url, dicomSeries of dicomFiles) is reported as such, with no
        fix: renaming its keys would not make it a manifest.""",
        '{"name": "uploader", "version": "1.0.0", "dependencies": {}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT221,
        "undocumented-kind",
        "warning",
        "A kind whose manifest key is not public (time_series, timeSeries).",
        """The SDK's structured upload registers time series, but how a JSON
        manifest spells that key is not documented: the platform may ignore the
        array. Register time series with the SDK (DataUploadItems) until the
        manifest key is documented.""",
        f'{{"time_series": [{{"objectUrl": "{_U}/ts/run-1.csv"}}]}}',
        f'{{"text": [{{"objectUrl": "{_U}/ts/run-1.csv"}}]}}',
    ),
    rule(
        Code.MT222,
        "flag-spelling",
        "warning",
        "A flag in the SDK's camelCase (skipDuplicateUrls, upsertMetadata).",
        """Real manifests carry the structured payload's spellings of the flags;
        whether the platform honours them in a manifest is not public, and if it
        does not, the flag silently does nothing. Write the documented
        skip_duplicate_urls and upsert_metadata.""",
        f'{{"skipDuplicateUrls": true, "images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        f'{{"skip_duplicate_urls": true, "images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        fix="safe",
    ),
]


def _suggest(name: str, candidates: tuple[str, ...] | list[str]) -> str:
    lowered = {c.lower(): c for c in candidates}
    if name.lower() in lowered:
        return f'; did you mean "{lowered[name.lower()]}"?'
    import difflib  # here: only a misspelt key needs it, and it costs every lint's start 5 ms

    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.75)
    return f'; did you mean "{close[0]}"?' if close else ""


def check_top_level(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    data = manifest.data
    if data is None:
        return
    others = [key for key in data if key != SCHEMA_KEY]
    sdk_keys = sdk_payload_keys(data)
    if sdk_keys:  # renaming imageGroups to image_groups (MT202's fix) would keep the SDK's item shape
        yield Finding(
            Code.MT220,
            f"this JSON is an Encord SDK upload payload (DataUploadItems: {', '.join(sdk_keys)}), not a manifest:"
            " pass it to the SDK's upload call, or lint the manifest it was converted from",
            "",
        )
        return
    if others and not any(_names_manifest_content(key, data[key]) for key in others):
        shown = ", ".join(f'"{key}"' for key in others[:5]) + (", ..." if len(others) > 5 else "")
        yield Finding(
            Code.MT220,
            f"this JSON is not a manifest: none of its keys ({shown}) is a manifest key such as"
            ' "images" or "videos"; lint only manifest files (name them, or set the pre-commit hook\'s files:), or'
            " --ignore MT220",
            "",
        )
        return
    for key, value in data.items():
        pointer = join_pointer(key)
        if key in KINDS_BY_KEY:
            if not isinstance(value, list):
                yield Finding(Code.MT203, f'"{key}" must be an array of items, not {json_type(value)}', pointer)
        elif key in FLAG_KEYS:
            if not isinstance(value, bool):
                yield Finding(Code.MT203, f'"{key}" must be true or false, not {json_type(value)}', pointer)
        elif key == SCHEMA_KEY:
            if not isinstance(value, str):
                yield Finding(Code.MT203, f'"{key}" must be a string (the schema\'s path or URL)', pointer)
        elif key in FLAG_SPELLINGS and FLAG_SPELLINGS[key] not in data:
            yield Finding(
                Code.MT222,
                f'"{key}" is the SDK\'s spelling: a manifest says "{FLAG_SPELLINGS[key]}" (if the platform does'
                " not read this spelling, the flag silently does nothing)",
                pointer,
                key=True,
            )
        elif key in UNDOCUMENTED_KINDS:
            yield Finding(
                Code.MT221,
                f'"{key}": the manifest key for {UNDOCUMENTED_KINDS[key]} is not documented, so the platform may'
                " ignore this array; register these items with the SDK's DataUploadItems instead",
                pointer,
                key=True,
            )
        else:
            meant: str | None = SDK_SPELLINGS.get(key) or FLAG_SPELLINGS.get(key)
            if meant:
                sdks = " (that spelling is the SDK's, not the manifest's)" if key in _SDK_SPELT else ""
                hint = f'; did you mean "{meant}"?{sdks}'
            elif isinstance(value, dict) and any(inner in KINDS_BY_KEY for inner in value):
                hint = f': the manifest is wrapped in "{key}"; move its contents to the top level'
            else:
                hint = _suggest(key, TOP_LEVEL_KEYS)
            yield Finding(Code.MT202, f'unknown top-level key "{key}" registers nothing{hint}', pointer, key=True)
    if manifest.flag("upsert_metadata") is True and manifest.flag("skip_duplicate_urls") is not True:
        yield Finding(
            Code.MT217,
            "upsert_metadata has no effect unless skip_duplicate_urls is true",
            "/upsert_metadata" if "upsert_metadata" in data else "/upsertMetadata",
            key=True,
        )
    unknown_keys = any(key not in TOP_LEVEL_KEYS for key in data)
    misshapen = any(key in KINDS_BY_KEY and not isinstance(value, list) for key, value in data.items())  # MT203
    if manifest.count_items() == 0 and not manifest.reader_diagnostics and not unknown_keys and not misshapen:
        yield Finding(Code.MT218, "the manifest registers no items", "")


_SDK_ITEM_LISTS = {kind.sdk_key: kind.sdk_files_key for kind in KINDS if kind.multi_file}
_SDK_SPELT = frozenset(kind.sdk_key for kind in KINDS) | frozenset(FLAG_SPELLINGS)
"""Keys of the SDK's DataUploadItems: MT202 says a key is the SDK's spelling only for these (``image`` is a guess)."""
"""The SDK payload's group keys and the list of files inside each group (writers/sdk.py writes that shape)."""


def sdk_payload_keys(data: dict[str, Any] | None) -> list[str]:
    """The keys that make ``data`` an SDK upload payload (MT220) rather than a manifest; empty for a manifest.

    Lint reports such a file once (only MT220), fix leaves it alone and convert and split refuse it:
    its ``videos`` and ``images`` look like a manifest's, but the file as a whole is not one."""
    return [key for key, value in (data or {}).items() if holds_sdk_items(key, value)]


def holds_sdk_items(key: str, value: Any) -> bool:
    """True for ``imageGroups`` / ``dicomSeries`` holding groups in the SDK's shape (files as a list of
    ``{"url": ...}``), which no manifest has."""
    inner = _SDK_ITEM_LISTS.get(key)
    return (
        inner is not None
        and key not in KINDS_BY_KEY
        and isinstance(value, list)
        and any(isinstance(group, dict) and isinstance(group.get(inner), list) for group in value[:100])
    )


def _names_manifest_content(key: str, value: Any) -> bool:
    """True for a key that is, or is meant to be, part of a manifest (a known key, a known misspelling,
    a close typo, or an array of objects that carry object URLs)."""
    if key in TOP_LEVEL_KEYS or key in SDK_SPELLINGS or key in FLAG_SPELLINGS or key in UNDOCUMENTED_KINDS:
        return True
    if _suggest(key, TOP_LEVEL_KEYS):
        return True
    if isinstance(value, dict):  # a manifest wrapped in another object: {"data": {"images": [...]}}
        return any(inner in KINDS_BY_KEY for inner in value)
    return isinstance(value, list) and any(
        isinstance(element, dict) and any(spells_object_url(str(name)) for name in element) for element in value[:100]
    )


def _title_is_plain(kind: Kind, title: Any) -> bool:
    """True when a title certainly passes every title rule (the common case, checked fast):
    :func:`_check_title`'s conditions for reporting nothing."""
    if title is None:
        return not kind.multi_file
    if type(title) is not str or not 0 < len(title) <= MAX_TITLE_CHARS or title != title.strip():
        return False
    rule = kind.title_rule
    if rule is TitleRule.GROUP:
        return "." not in title  # stricter than "no known extension": a dotted group title takes the full check
    if rule is TitleRule.EXTENSION:
        return file_extension(title) != ""
    if rule is TitleRule.OWN_EXTENSION:
        return file_extension(title) in kind.extensions
    return rule is TitleRule.PLAIN or rule is TitleRule.REQUIRED


def _is_plain_item(kind: Kind, fields: dict[str, Any], allowed: frozenset[str]) -> bool:
    """True when an item certainly passes every structure rule, so the slow analysis can be skipped."""
    if not _title_is_plain(kind, fields.get(TITLE)):
        return False
    client = fields.get(CLIENT_METADATA)
    if client is not None and type(client) is not dict:
        return False
    if not kind.multi_file:
        if not fields.keys() <= allowed or type(fields.get(OBJECT_URL)) is not str:
            return False
        return kind.metadata is None or type(fields.get(kind.metadata.key, {})) is dict
    if kind.create_video and type(fields.get(CREATE_VIDEO)) is not bool:
        return False
    count = len(fields) - sum(map(fields.__contains__, _GROUP_FIELDS))
    if count < 1 or count > len(URL_KEYS):
        return False
    return {*map(type, map(fields.get, URL_KEYS[:count]))} == _ONLY_STRINGS  # each is there, and a string


_GROUP_FIELDS = (TITLE, CREATE_VIDEO, CLIENT_METADATA)
_ONLY_STRINGS = {str}


def _all_plain_items(kind: Kind, values: list[Any], allowed: frozenset[str]) -> bool:
    """True when :func:`_is_plain_item` holds for every element of a single-file kind's array whose title rule
    needs no extension list: tested a column at a time at C speed rather than a Python step per item. False
    says only that the items must be looked at one by one."""
    if kind.multi_file:
        return _all_plain_groups(kind, values)
    if kind.title_rule not in _COLUMN_TITLE_RULES or set(map(type, values)) != _DICT:
        return False
    if not set(itertools.chain.from_iterable(values)) <= allowed:
        return False
    if set(map(type, map(dict.get, values, itertools.repeat(OBJECT_URL)))) != _ONLY_STRINGS:
        return False
    if not set(map(type, map(dict.get, values, itertools.repeat(CLIENT_METADATA)))) <= _DICT_OR_NONE:
        return False
    if kind.metadata is not None:
        blocks = map(dict.get, values, itertools.repeat(kind.metadata.key), itertools.repeat(_NO_BLOCK))
        if set(map(type, blocks)) != _DICT:
            return False
    titles: list[Any] = list(map(dict.get, values, itertools.repeat(TITLE)))
    if not set(map(type, titles)) <= _STRING_OR_NONE:
        return False
    named: list[str] = list(itertools.compress(titles, map(is_not, titles, itertools.repeat(None))))
    if not named:
        return True
    if min(map(len, named)) < 1 or max(map(len, named)) > MAX_TITLE_CHARS or list(map(str.strip, named)) != named:
        return False
    if kind.title_rule is TitleRule.EXTENSION:  # file_extension(title) != "": a last dot, not first nor last
        dots = list(map(str.rfind, named, itertools.repeat(".")))
        return min(dots) > 0 and all(map(lt, dots, map(sub, map(len, named), itertools.repeat(1))))
    return True


def _all_plain_groups(kind: Kind, values: list[Any]) -> bool:
    """:func:`_all_plain_items` of a multi-file kind's array (groups, DICOM series): titles, clientMetadata,
    createVideo and the numbered URL keys tested a column at a time."""
    if kind.title_rule is not TitleRule.GROUP or set(map(type, values)) != _DICT:
        return False
    titles: list[Any] = list(map(dict.get, values, itertools.repeat(TITLE)))
    if set(map(type, titles)) != _ONLY_STRINGS or any(map(contains, titles, itertools.repeat("."))):
        return False
    if min(map(len, titles)) < 1 or max(map(len, titles)) > MAX_TITLE_CHARS or list(map(str.strip, titles)) != titles:
        return False
    if not set(map(type, map(dict.get, values, itertools.repeat(CLIENT_METADATA)))) <= _DICT_OR_NONE:
        return False
    if kind.create_video and set(map(type, map(dict.get, values, itertools.repeat(CREATE_VIDEO)))) != _ONLY_BOOLS:
        return False
    counts = list(map(len, values))
    for name in _GROUP_FIELDS:
        counts = list(map(sub, counts, map(contains, values, itertools.repeat(name))))
    if min(counts) < 1 or max(counts) > len(URL_KEYS):
        return False
    for count in set(counts):  # an item's other keys are objectUrl_0 .. objectUrl_{count - 1}, each a string
        same = list(itertools.compress(values, map(eq, counts, itertools.repeat(count))))
        if not all(map(le, map(dict.keys, same), itertools.repeat(frozenset((*_GROUP_FIELDS, *URL_KEYS[:count]))))):
            return False
        urls = map(itemgetter(*URL_KEYS[:count]), same)
        if set(map(type, itertools.chain.from_iterable(urls) if count > 1 else urls)) != _ONLY_STRINGS:
            return False
    return True


_ONLY_BOOLS = {bool}
_COLUMN_TITLE_RULES = frozenset({TitleRule.EXTENSION, TitleRule.PLAIN, TitleRule.REQUIRED})
_DICT = {dict}
_DICT_OR_NONE = {dict, type(None)}
_STRING_OR_NONE = {str, type(None)}
_NO_BLOCK: dict[str, Any] = {}


def _entries(manifest: Manifest, allowed_by_kind: dict[Kind, frozenset[str]]) -> Iterator[tuple[Kind, int, Any]]:
    """:meth:`Manifest.entries`, less the arrays whose every item :func:`_all_plain_items` clears."""
    if manifest.certified is not None:
        yield from manifest.entries()
        return
    for kind, values in manifest.arrays():
        if not _all_plain_items(kind, values, allowed_by_kind[kind]):
            yield from zip(itertools.repeat(kind), itertools.count(), values)


def check_items(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    allowed_by_kind = {kind: frozenset(_allowed_fields(kind)) for kind in KINDS}
    for kind, index, value in _entries(manifest, allowed_by_kind):
        allowed = allowed_by_kind[kind]
        if type(value) is dict and _is_plain_item(kind, value, allowed):
            continue
        if not isinstance(value, dict):
            shown = "a URL string" if isinstance(value, str) and "://" in value else json_type(value)
            yield Finding(
                Code.MT204,
                f"{kind.key}[{index}] is {shown}: each item is an object such as"
                f' {{"{OBJECT_URL if not kind.multi_file else OBJECT_URL_PREFIX + "0"}": "https://..."}}',
                f"/{kind.key}/{index}",
            )
            continue
        item = Item(kind, index, value)
        yield from _check_fields(item)
        yield from _check_title(item, manifest.format)
        if kind.multi_file:
            yield from _check_numbering(item)


def _allowed_fields(kind: Kind) -> tuple[str, ...]:
    fields = [TITLE, CLIENT_METADATA]
    fields.append(SCENE if kind.scene else OBJECT_URL_PREFIX + "0" if kind.multi_file else OBJECT_URL)
    if kind.metadata is not None:
        fields.append(kind.metadata.key)
    if kind.create_video:
        fields.append(CREATE_VIDEO)
    return tuple(fields)


def _check_fields(item: Item) -> Iterator[Finding]:
    kind, fields, pointer = item.kind, item.fields, item.pointer
    allowed = _allowed_fields(kind)
    for key, value in fields.items():
        field_pointer = pointer + "/" + key.replace("~", "~0").replace("/", "~1")
        if key == TITLE:
            if not isinstance(value, str):
                yield Finding(Code.MT203, f"title must be a string, not {json_type(value)}", field_pointer)
        elif key == SCENE and kind.scene:
            if not isinstance(value, dict):
                yield Finding(Code.MT203, f"scene must be an object, not {json_type(value)}", field_pointer)
        elif key == OBJECT_URL and not kind.multi_file and not kind.scene:
            if not isinstance(value, str):
                yield Finding(Code.MT203, f"objectUrl must be a string, not {json_type(value)}", field_pointer)
        elif key == CLIENT_METADATA:
            if not isinstance(value, dict):
                yield Finding(Code.MT203, f"clientMetadata must be an object, not {json_type(value)}", field_pointer)
        elif kind.metadata is not None and key == kind.metadata.key:
            if not isinstance(value, dict):
                yield Finding(Code.MT203, f"{key} must be an object, not {json_type(value)}", field_pointer)
        elif key == CREATE_VIDEO and kind.create_video:
            if not isinstance(value, bool):
                yield Finding(
                    Code.MT210,
                    f"createVideo must be true or false, not {json_type(value)}"
                    + (f" {value!r}" if isinstance(value, (str, int, float)) else ""),
                    field_pointer,
                )
        elif kind.multi_file and spells_object_url(key):
            if object_url_index(key) is None:
                yield Finding(
                    Code.MT208,
                    f'"{key}" is not a URL key: {kind.plural} number their files objectUrl_0, objectUrl_1, ...',
                    field_pointer,
                    key=True,
                )
            elif not isinstance(value, str):
                yield Finding(Code.MT203, f"{key} must be a string, not {json_type(value)}", field_pointer)
        else:
            yield Finding(Code.MT206, _unknown_field_message(kind, key, allowed), field_pointer, key=True)
    if kind.scene:
        if SCENE not in fields:
            yield Finding(
                Code.MT205, 'this scene has no "scene" object: the scene file {"url", "format"} or its streams', pointer
            )
    elif not item.url_fields():
        needed = OBJECT_URL_PREFIX + "0" if kind.multi_file else OBJECT_URL
        if not (kind.multi_file and any(spells_object_url(k) for k in fields)):
            yield Finding(Code.MT205, f"this {kind.label} has no {needed}", pointer)
    if kind.create_video and CREATE_VIDEO not in fields:
        yield Finding(
            Code.MT209,
            "createVideo is missing: say false for an image group or true for an image sequence",
            pointer,
        )


def _unknown_field_message(kind: Kind, key: str, allowed: tuple[str, ...]) -> str:
    if kind.scene and key == OBJECT_URL:
        return '"objectUrl" is not read in a scene: a scene file goes in "scene": {"url": ..., "format": ...}'
    owner = METADATA_KEYS.get(key)
    if owner is not None:
        return f'"{key}" belongs to {owner.key}, not {kind.key}: it is ignored here'
    if key == CREATE_VIDEO:
        return f"createVideo only applies to image_groups; it is ignored in {kind.key}"
    if not kind.multi_file and object_url_index(key) is not None:
        return f'"{key}" is for groups and series: a single {kind.label} has one "objectUrl"'
    if kind is NIFTI and key.endswith("Metadata"):
        return f'"{key}" is ignored: NIfTI items have no metadata block'
    return f'unknown field "{key}" in {article(kind.label)} is ignored{_suggest(key, list(allowed))}'


def _check_title(item: Item, format: Format) -> Iterator[Finding]:
    kind, title = item.kind, item.fields.get(TITLE)
    pointer = item.pointer + "/" + TITLE
    rule = kind.title_rule
    if rule.required and (title is None or (isinstance(title, str) and not title.strip())):
        yield Finding(Code.MT211, f"this {kind.label} needs a title", pointer)
        return
    if not isinstance(title, str):
        return
    if len(title) > MAX_TITLE_CHARS:
        yield Finding(Code.MT213, f"title is {len(title):,} characters long; the limit is {MAX_TITLE_CHARS:,}", pointer)
    if title != title.strip():
        yield Finding(Code.MT219, f"title {title!r} has leading or trailing whitespace", pointer)
    if not title:
        yield Finding(Code.MT214, "empty title: leave title out to use the file name", pointer)
        return
    extension = file_extension(title.strip())
    if rule is TitleRule.GROUP:
        if extension in _ALL_EXTENSIONS:
            yield Finding(Code.MT212, f"{kind.label} title {title!r} ends in a file extension", pointer)
    elif rule is TitleRule.OWN_EXTENSION:
        if extension not in kind.extensions:
            endings = " or ".join(f".{e}" for e in sorted(kind.extensions))
            yield Finding(Code.MT215, f"{kind.label} title {title!r} must end in {endings}", pointer)
    elif rule is TitleRule.EXTENSION and not extension and format == "json" and title_placeholder(title) is None:
        urls = item.url_fields()
        hint = ""
        if urls and isinstance(urls[0][1], str):
            url_extension = file_extension(file_name(urls[0][1]))
            hint = f" (for example {f'{title}.{url_extension}'!r})" if url_extension else ""
        yield Finding(Code.MT216, f"{kind.label} title {title!r} has no file extension{hint}", pointer)


def _check_numbering(item: Item) -> Iterator[Finding]:
    numbers = sorted(n for n in (object_url_index(k) for k in item.fields) if n is not None)
    if not numbers:
        return
    if numbers[0] != 0:
        yield Finding(
            Code.MT207,
            f"numbering starts at objectUrl_{numbers[0]}: the first file is objectUrl_0",
            item.pointer + f"/{OBJECT_URL_PREFIX}{numbers[0]}",
            key=True,
        )
        return
    for previous, current in itertools.pairwise(numbers):
        if current != previous + 1:
            missing = previous + 1
            shown = f"objectUrl_{missing}" if current == missing + 1 else f"objectUrl_{missing}..{current - 1}"
            yield Finding(
                Code.MT207,
                f"{shown} missing between objectUrl_{previous} and objectUrl_{current}: numbers must run without gaps",
                item.pointer + f"/{OBJECT_URL_PREFIX}{current}",
                key=True,
            )


register(RULES, [check_top_level, check_items])
