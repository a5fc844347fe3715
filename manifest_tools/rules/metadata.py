"""MT5xx metadata: per-kind metadata blocks, MIME types, clientMetadata and key frames.

The platform trusts metadata blocks without checking them, so a wrong value
corrupts labels silently; these rules are the only check there is.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import chain, compress, groupby, repeat
from operator import is_, itemgetter, methodcaller
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.kinds import (
    CLIENT_METADATA,
    DEPRECATED_KEYFRAMES,
    ENCORD_KEY,
    KINDS,
    MAX_CLIENT_METADATA_BYTES,
    MAX_STORED_INTEGER,
    MIME_TYPES,
    NONSTANDARD_MIME_TYPES,
    OBJECT_URL,
    RETIRED_FIELDS,
    Kind,
    MetadataBlock,
    MetadataField,
    ValueType,
)
from manifest_tools.model import Item, Manifest, UrlColumn
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.placeholders import TEXT_HINTS, hinted, value_placeholder
from manifest_tools.rules.registry import CheckContext, register, rule
from manifest_tools.rules.shared import column_extensions, json_type, plain_url_extensions, url_extension

_U = "https://b.s3.eu-west-2.amazonaws.com"
_IMAGE = f'"objectUrl": "{_U}/a.jpg"'
_FULL_IMAGE_METADATA = '{"mimeType": "image/jpeg", "fileSize": 52341, "width": 640, "height": 480}'

RULES = [
    rule(
        Code.MT501,
        "metadata-missing-field",
        "error",
        "A metadata block without one of its fields.",
        """When a block is present every field is required: videoMetadata fps,
        duration, width, height, fileSize, mimeType; imageMetadata mimeType,
        fileSize, width, height; audioMetadata duration, fileSize, mimeType,
        sampleRate, bitDepth, codec, numChannels; pdfMetadata fileSize, numPages;
        textMetadata fileSize, mimeType. Leave the block out if you do not know
        them: the platform then reads the file itself.""",
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {{"mimeType": "image/jpeg", "width": 640, "height": 480}}}}]}}',
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {_FULL_IMAGE_METADATA}}}]}}',
    ),
    rule(
        Code.MT502,
        "metadata-invalid-value",
        "error",
        "A metadata value of the wrong type, not a whole number, or not positive.",
        """The platform uses these values instead of reading the file: a width of
        "640px" or a duration of 0 corrupts every label on the item.""",
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {{"mimeType": "image/jpeg", "fileSize": 52341, "width": "640px", "height": 480}}}}]}}',
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {_FULL_IMAGE_METADATA}}}]}}',
    ),
    rule(
        Code.MT503,
        "metadata-mixed-casing",
        "warning",
        "A metadata block that mixes camelCase and snake_case field names.",
        """Both spellings are accepted (fileSize and file_size), but mixing them in
        one block is usually a copy-paste from two examples; the fix writes
        camelCase, which is what the SDK sends. The one mix the documentation
        itself writes (textMetadata with fileSize and mime_type) is not reported.""",
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {{"mime_type": "image/jpeg", "fileSize": 52341, "width": 640, "height": 480}}}}]}}',
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {_FULL_IMAGE_METADATA}}}]}}',
        fix="safe",
    ),
    rule(
        Code.MT504,
        "retired-metadata-field",
        "error",
        "A retired metadata field name (audioMetadata duration_seconds).",
        """duration_seconds was renamed duration; the old name is ignored, so the
        block lacks its duration.""",
        f'{{"audio": [{{"objectUrl": "{_U}/a.mp3", "audioMetadata": {{"duration_seconds": 3.5, "fileSize": 56000, "mimeType": "audio/mpeg", "sampleRate": 44100, "bitDepth": 16, "codec": "mp3", "numChannels": 2}}}}]}}',
        f'{{"audio": [{{"objectUrl": "{_U}/a.mp3", "audioMetadata": {{"duration": 3.5, "fileSize": 56000, "mimeType": "audio/mpeg", "sampleRate": 44100, "bitDepth": 16, "codec": "mp3", "numChannels": 2}}}}]}}',
        fix="safe",
    ),
    rule(
        Code.MT505,
        "nonstandard-mime-type",
        "warning",
        "A MIME type that is not registered (image/jpg, audio/mp3).",
        """The registered types are image/jpeg and audio/mpeg; browsers and the
        platform's players may refuse the unregistered spelling.""",
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {{"mimeType": "image/jpg", "fileSize": 52341, "width": 640, "height": 480}}}}]}}',
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {_FULL_IMAGE_METADATA}}}]}}',
        fix="safe",
    ),
    rule(
        Code.MT506,
        "mime-extension-mismatch",
        "warning",
        "A MIME type that does not match the file's extension.",
        """A PNG declared as image/jpeg is decoded wrongly by some players; one of
        the two is a copy-paste mistake.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.png", "imageMetadata": {{"mimeType": "image/jpeg", "fileSize": 52341, "width": 640, "height": 480}}}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.png", "imageMetadata": {{"mimeType": "image/png", "fileSize": 52341, "width": 640, "height": 480}}}}]}}',
    ),
    rule(
        Code.MT507,
        "unknown-metadata-field",
        "warning",
        "A field a metadata block does not have.",
        """Extra fields are ignored; a misspelt one (filesize, frameRate) also means
        the real field is missing.""",
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {{"mimeType": "image/jpeg", "fileSize": 52341, "width": 640, "height": 480, "dpi": 72}}}}]}}',
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {_FULL_IMAGE_METADATA}}}]}}',
    ),
    rule(
        Code.MT508,
        "metadata-out-of-range",
        "warning",
        "An audio sample rate outside 8,000-96,000 Hz or a bit depth outside 16-32.",
        """The platform supports audio of 8-96 kHz and 16-32 bit; a value outside is
        usually in the wrong unit (44.1 for 44,100 Hz).""",
        f'{{"audio": [{{"objectUrl": "{_U}/a.wav", "audioMetadata": {{"duration": 3.5, "fileSize": 56000, "mimeType": "audio/wav", "sampleRate": 44, "bitDepth": 16, "codec": "pcm", "numChannels": 2}}}}]}}',
        f'{{"audio": [{{"objectUrl": "{_U}/a.wav", "audioMetadata": {{"duration": 3.5, "fileSize": 56000, "mimeType": "audio/wav", "sampleRate": 44100, "bitDepth": 16, "codec": "pcm", "numChannels": 2}}}}]}}',
    ),
    rule(
        Code.MT509,
        "client-metadata-too-large",
        "error",
        "clientMetadata larger than 10 MB when serialised.",
        """The platform stores clientMetadata as PostgreSQL jsonb and refuses more
        than 10 MB per item. Keep large data in its own file and store its URL.""",
        f'{{"images": [{{{_IMAGE}, "clientMetadata": {{"blob": "xxxx... (11 MB of text)"}}}}]}}',
        f'{{"images": [{{{_IMAGE}, "clientMetadata": {{"blob_url": "{_U}/meta/a.json"}}}}]}}',
        literal_bad=False,
    ),
    rule(
        Code.MT510,
        "invalid-encord-keyframes",
        "error",
        "A clientMetadata $encord key-frame block of the wrong shape.",
        """The reserved key $encord holds key frames: {"config": {"sampling_rate":
        number, "keyframe_mode": "frame" or "seconds"}, "frames": [ints] or
        {"<n>": {...}}}. Anything else is rejected or misread.""",
        f'{{"videos": [{{"objectUrl": "{_U}/v.mp4", "clientMetadata": {{"$encord": {{"frames": ["10", "20"]}}}}}}]}}',
        f'{{"videos": [{{"objectUrl": "{_U}/v.mp4", "clientMetadata": {{"$encord": {{"config": {{"sampling_rate": 25, "keyframe_mode": "frame"}}, "frames": [10, 20]}}}}}}]}}',
    ),
    rule(
        Code.MT511,
        "deprecated-keyframes",
        "warning",
        "clientMetadata uses the deprecated keyframes list.",
        """keyframes still works but is deprecated; write the frames under
        $encord.frames.""",
        f'{{"videos": [{{"objectUrl": "{_U}/v.mp4", "clientMetadata": {{"keyframes": [10, 20]}}}}]}}',
        f'{{"videos": [{{"objectUrl": "{_U}/v.mp4", "clientMetadata": {{"$encord": {{"frames": [10, 20]}}}}}}]}}',
    ),
    rule(
        Code.MT512,
        "invalid-mime-type",
        "error",
        "A mimeType that is not a MIME type (type/subtype), such as a template's MIME-file-type-extension.",
        """A MIME type is a registered top-level type, a slash and a subtype
        (image/jpeg, video/mp4, audio/mpeg). The documentation's templates show
        MIME-file-type-extension and MIME-type-of-the-audio-file-example-audio/mpeg
        where the value belongs; the platform stores whatever is written and serves
        the file with it. Replace the placeholder with the file's MIME type.""",
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {{"mimeType": "MIME-file-type-extension", "fileSize": 52341, "width": 640, "height": 480}}}}]}}',
        f'{{"images": [{{{_IMAGE}, "imageMetadata": {_FULL_IMAGE_METADATA}}}]}}',
    ),
]

_MIME_TYPE = re.compile(
    r"(?:application|audio|font|haptics|image|message|model|multipart|text|video)/[a-z0-9][a-z0-9!#$&^_.+-]*"
    r"(?:\s*;\s*[a-z0-9!#$&^_.+-]+=\S+)*",
    re.IGNORECASE,
)
"""type/subtype with a top-level type from IANA's media-types registry (RFC 6838 section 4.2), and
parameters (text/plain; charset=utf-8)."""
_KIND_MIME_EXAMPLES = {"videos": "video/mp4", "images": "image/jpeg", "audio": "audio/mpeg", "text": "text/plain"}


_STORED_LOW = -MAX_STORED_INTEGER - 1
"""The smallest whole number a metadata field holds (a 64-bit integer's)."""


def _plain_block_check(block: MetadataBlock) -> Callable[[dict[str, Any]], bool]:
    """A fast test that a camelCase block has every field with a plausible value.

    MIME types are left to the full check, which also compares them with the URL.
    """
    names = frozenset(f.name for f in block.fields)
    numeric = [
        (f.name, f.type is ValueType.INTEGER, f.positive, f.minimum, f.maximum)
        for f in block.fields
        if f.type is not ValueType.STRING
    ]
    strings = [f.name for f in block.fields if f.type is ValueType.STRING and f.name != "mimeType"]

    def is_plain(values: dict[str, Any]) -> bool:
        if values.keys() != names:
            return False
        for name, integer, positive, minimum, maximum in numeric:
            value = values[name]
            kind = type(value)
            if kind is not int and (integer or kind is not float or not math.isfinite(value)):
                return False
            if (positive and value <= 0) or (minimum is not None and not minimum <= value <= maximum):
                return False
            if integer and not _STORED_LOW <= value <= MAX_STORED_INTEGER:  # MT106
                return False
        return all(
            type(values[name]) is str and values[name].strip() and not hinted(values[name], TEXT_HINTS)
            for name in strings
        )

    return is_plain


def check_metadata(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    check_sizes = manifest.size_bytes > MAX_CLIENT_METADATA_BYTES
    plain_checks = {k: _plain_block_check(k.metadata) for k in KINDS if k.metadata is not None}
    for kind, items, check_blocks, check_clients in _walks(manifest, check_sizes):
        block = kind.metadata if check_blocks else None
        for item in items:
            fields = item.fields
            if block is not None:
                values = fields.get(block.key)
                if type(values) is dict:
                    if plain_checks[kind](values):
                        if "mimeType" in values and not _mime_matches_url(item, values["mimeType"]):
                            pointer = f"{item.pointer}/{block.key}/mimeType"
                            yield from _check_mime_type(item, values["mimeType"], pointer, full=True)
                    else:
                        yield from _check_block(item, block, values)
            if not check_clients:
                continue
            client = fields.get(CLIENT_METADATA)
            if type(client) is dict and (
                (check_sizes and not _certainly_small(client)) or ENCORD_KEY in client or DEPRECATED_KEYFRAMES in client
            ):
                yield from _check_client_metadata(item, client, check_sizes)


def _walks(manifest: Manifest, check_sizes: bool) -> Iterator[tuple[Kind, Iterable[Item], bool, bool]]:
    """Each kind's items that the loop of :func:`check_metadata` must look at, in its order, with whether
    their metadata blocks and their clientMetadata need looking at: a kind whose every block (or
    clientMetadata) passes a whole-kind test at C speed (:func:`_blocks_plain`, :func:`_clients_plain`)
    would give no finding there, item by item."""
    if manifest.certified is not None:  # the native scanner's leftovers: few, looked at one by one
        for kind, items in groupby(manifest.items(), key=itemgetter(0)):
            yield kind, items, True, True
        return
    new = tuple.__new__
    for kind, values in manifest.arrays():
        objects = [value for value in values if isinstance(value, dict)]
        column = manifest.url_column(kind, values) if len(objects) == len(values) and not kind.scene else None
        check_blocks = kind.metadata is not None and not _blocks_plain(kind, kind.metadata, objects, column)
        check_clients = not _clients_plain(objects, check_sizes)
        if check_blocks or check_clients:
            items = (new(Item, (kind, index, value)) for index, value in enumerate(values) if isinstance(value, dict))
            yield kind, items, check_blocks, check_clients


_MAX_SHAPES = 8
"""Past this many key orders of one kind's blocks, the loop looks at each block (a column per shape)."""


def _blocks_plain(kind: Kind, block: MetadataBlock, objects: list[dict[str, Any]], column: UrlColumn | None) -> bool:
    """True when no metadata block of these items (a single-file kind's) would draw a finding: the blocks
    are grouped by their keys (one shape each: every field once, known, one casing or a documented mix)
    and each field's values are tested as one column (types, signs and ranges with min and max, strings
    joined and searched for placeholder hints, each distinct MIME type and URL extension pair looked up).
    ``column``: the kind's URLs when ``objects`` are its every element, whose extensions the file-type rule
    reads too (:func:`column_extensions`)."""
    if kind.multi_file:
        return False
    blocks = list(map(methodcaller("get", block.key), objects))
    types = set(map(type, blocks))
    if dict not in types:
        return True  # no block: nothing for the loop to check
    if types != {dict}:
        present = [type(values) is dict for values in blocks]
        blocks, objects = list(compress(blocks, present)), list(compress(objects, present))
        column = None
    extensions: list[str] | None
    if column is not None and column.ends is None:  # each object's one URL is the column's at its place
        extensions = column_extensions(column)
    else:
        urls = list(map(methodcaller("get", OBJECT_URL), objects))
        extensions = plain_url_extensions(urls) if set(map(type, urls)) == {str} else None
    shapes = list(map(tuple, blocks))
    distinct = set(shapes)
    if extensions is None or len(distinct) > _MAX_SHAPES:
        return False
    for shape in distinct:
        if len(distinct) == 1:
            shaped, shaped_extensions = blocks, extensions
        else:
            same = list(map(shape.__eq__, shapes))
            shaped, shaped_extensions = list(compress(blocks, same)), list(compress(extensions, same))
        if not _shape_plain(_shape_plan(block, shape), shaped, shaped_extensions):
            return False
    return True


@functools.lru_cache(maxsize=256)
def _shape_plan(block: MetadataBlock, shape: tuple[str, ...]) -> tuple[tuple[str, MetadataField], ...] | None:
    """Each key of a block with these keys (in this order) and its field, when the keys alone draw no
    finding (no unknown or retired name, every field once, no casing mix the documentation does not
    write); else None."""
    fields = [block.field(key) for key in shape]
    named = [f for f in fields if f is not None]
    if (
        len(named) != len(shape)
        or len({f.name for f in named}) != len(block.fields)
        or len(named) != len(block.fields)
        or mixes_casing(block, dict.fromkeys(shape))
    ):
        return None
    return tuple(zip(shape, named, strict=True))


def _shape_plain(
    plan: tuple[tuple[str, MetadataField], ...] | None, blocks: list[dict[str, Any]], extensions: list[str]
) -> bool:
    """True when :func:`_check_block` would find nothing in any of ``blocks`` (all of one shape, whose
    ``plan`` it is; ``extensions`` are their items' URL extensions), tested column by column."""
    if plan is None:
        return False
    for key, field in plan:
        column = list(map(itemgetter(key), blocks))
        if field.type is not ValueType.STRING:
            if not _numbers_plain(field, column):
                return False
        elif set(map(type, column)) != {str}:
            return False
        elif field.name == "mimeType":
            if not all(
                mime in MIME_TYPES.get(extension, ()) for mime, extension in set(zip(column, extensions, strict=True))
            ):
                return False
        elif not all(map(str.strip, column)) or hinted("\n".join(column), TEXT_HINTS):
            return False
    return True


def _numbers_plain(field: MetadataField, column: list[Any]) -> bool:
    """True when :func:`_check_value` would find nothing in any value of a numeric field's column."""
    types = set(map(type, column))
    if not types <= ({int} if field.type is ValueType.INTEGER else {int, float}):
        return False
    if float in types:
        try:
            if not all(map(math.isfinite, column)):
                return False
        except OverflowError:  # an integer past a float's range
            return False
    low, high = min(column), max(column)
    if field.positive and low <= 0:
        return False
    if field.type is ValueType.INTEGER and not _STORED_LOW <= low <= high <= MAX_STORED_INTEGER:  # MT106
        return False
    return field.minimum is None or field.maximum is None or field.minimum <= low <= high <= field.maximum


def _clients_plain(objects: list[dict[str, Any]], check_sizes: bool) -> bool:
    """True when no clientMetadata of these items needs the loop's look: none holds key frames (new or
    deprecated) and, when the file is large enough for one to pass the size limit, a bound over all of
    them together (:func:`_all_certainly_small`) shows that none can."""
    clients = list(map(methodcaller("get", CLIENT_METADATA), objects))
    types = set(map(type, clients))
    if dict not in types:
        return True
    if types != {dict}:
        clients = [client for client in clients if type(client) is dict]
    keys = set(chain.from_iterable(clients))  # a few distinct names: told apart at C speed, and measured
    if ENCORD_KEY in keys or DEPRECATED_KEYFRAMES in keys:
        return False
    return not check_sizes or _all_certainly_small(clients, keys)


_FLAT_VALUES = frozenset({str, int, float, bool, type(None)})


def _all_certainly_small(clients: list[dict[str, Any]], keys: set[Any] | None = None) -> bool:
    """True when :func:`_certainly_small` holds for every one of ``clients``, by one bound over all: the
    most entries and key characters of any, times the longest string value (so no need to find which
    holds what), each number's 24 characters inside the per-entry 32. The key characters are first bounded
    by the most entries times the longest of the distinct ``keys`` (the clients' every key), and summed per
    client only when that looser bound is too large."""
    entries = max(map(len, clients))
    if entries > 10_000:
        return False
    if keys is None:
        keys = set(chain.from_iterable(clients))
    key_characters = entries * max(map(len, keys), default=0)
    values = list(chain.from_iterable(map(dict.values, clients)))
    kinds = list(map(type, values))
    if not set(kinds) <= _FLAT_VALUES:
        return False
    longest = max(map(len, compress(values, map(is_, kinds, repeat(str)))), default=0)
    integers = list(compress(values, map(is_, kinds, repeat(int))))
    if integers and max(max(integers), -min(integers)).bit_length() > 64:
        return False
    if _small_by(key_characters, entries, longest):
        return True
    return _small_by(max(map(sum, map(partial(map, len), clients))), entries, longest)


def _small_by(key_characters: int, entries: int, longest: int) -> bool:
    """Whether a client with at most these key characters, entries and longest string value is certainly
    under the size limit."""
    return (key_characters + entries * longest) * 6 + entries * 32 < MAX_CLIENT_METADATA_BYTES


def _mime_matches_url(item: Item, mime: Any) -> bool:
    """True when ``mime`` is one the first URL's extension lists: the common case, which
    :func:`_check_mime_type` would accept, decided without making its generator or a pointer."""
    if type(mime) is not str:
        return False
    if item.kind.multi_file:
        urls = item.url_fields()
        url = urls[0][1] if urls else None
    else:
        url = item.fields.get(OBJECT_URL)
    return type(url) is str and mime in MIME_TYPES.get(url_extension(url.strip()), ())


def _check_block(item: Item, block: MetadataBlock, values: dict[str, Any]) -> Iterator[Finding]:
    pointer = f"{item.pointer}/{block.key}"
    present: dict[str, tuple[str, MetadataField]] = {}
    for key, value in values.items():
        field = block.field(key)
        if field is None:
            if key in RETIRED_FIELDS:
                yield Finding(
                    Code.MT504,
                    f'"{key}" was renamed "{RETIRED_FIELDS[key]}": the old name is ignored',
                    f"{pointer}/{key}",
                    key=True,
                )
            else:
                yield Finding(Code.MT507, _unknown_field_message(block, key), f"{pointer}/{key}", key=True)
            continue
        present[field.name] = (key, field)
        yield from _check_value(field, value, f"{pointer}/{key}")
        if field.name == "mimeType" and isinstance(value, str):
            yield from _check_mime_type(item, value, f"{pointer}/{key}")
    if mixes_casing(block, values):
        yield Finding(Code.MT503, f"{block.key} mixes camelCase and snake_case field names: use camelCase", pointer)
    retired = {RETIRED_FIELDS[k] for k in values if k in RETIRED_FIELDS}
    missing = [f.name for f in block.fields if f.name not in present and f.name not in retired]
    if missing:
        names = ", ".join(missing)
        yield Finding(
            Code.MT501,
            f"{block.key} lacks {names}: every field is required when the block is present",
            pointer,
        )


def mixes_casing(block: MetadataBlock, values: dict[str, Any]) -> bool:
    """True when a block mixes camelCase and snake_case names in a way the documentation never shows.

    MT503's predicate; the fix reads it too, so it is reported applied exactly where lint warned.
    """
    camel = snake = False
    for key in values:
        field = block.field(key)
        if field is not None and field.snake is not None:
            camel |= key == field.name
            snake |= key == field.snake
    return camel and snake and frozenset(values) not in block.documented_spellings


def _unknown_field_message(block: MetadataBlock, key: str) -> str:
    import difflib

    names = [f.name for f in block.fields]
    lowered = {n.lower(): n for n in names}
    close = lowered.get(key.lower().replace("_", "")) or next(
        iter(difflib.get_close_matches(key, names, n=1, cutoff=0.7)), None
    )
    hint = f'; did you mean "{close}"?' if close else ""
    return f'{block.key} has no field "{key}": it is ignored{hint}'


_DESCRIBES_A_NUMBER = re.compile(r"[A-Za-z]+(?:[-_ ][A-Za-z]+)+")
"""Words where a number belongs (frames-per-second, file-size-in-bytes): a template's description of the
value, not the value (00:01:30 or 12 MB are values in the wrong form)."""


def _check_value(field: MetadataField, value: Any, pointer: str) -> Iterator[Finding]:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if field.type is ValueType.STRING:
        if not isinstance(value, str) or not value.strip():
            shown = "an empty string" if isinstance(value, str) else json_type(value)
            yield Finding(Code.MT502, f"{field.name} must be a non-empty string, not {shown}", pointer)
        elif field.name != "mimeType" and value_placeholder(value) is not None:
            yield Finding(
                Code.MT502, f"{field.name} {value!r} is a template placeholder: replace it with the real value", pointer
            )
        return
    if isinstance(value, str) and not _is_number_text(value):
        if _DESCRIBES_A_NUMBER.fullmatch(value.strip()) or value_placeholder(value) is not None:
            message = (
                f"{field.name} {value!r} is a template placeholder, not a number: replace it with the file's"
                f" {field.name} (a number){_unit(field)}"
            )
        else:
            message = f"{field.name} must be a number{_unit(field)}, not the string {value!r}"
        yield Finding(Code.MT502, message, pointer)
        return
    if not is_number or (isinstance(value, float) and not math.isfinite(value)):  # isfinite() overflows on huge ints
        yield Finding(Code.MT502, f"{field.name} must be a number, not {json_type(value)} {value!r}", pointer)
        return
    if field.type is ValueType.INTEGER and isinstance(value, float) and not value.is_integer():
        yield Finding(Code.MT502, f"{field.name} must be a whole number, not {value!r}", pointer)
        return
    if field.positive and value <= 0:
        yield Finding(Code.MT502, f"{field.name} must be greater than 0, not {value!r}", pointer)
        return
    if field.type is ValueType.INTEGER and not _STORED_LOW <= value <= MAX_STORED_INTEGER:
        digits = 0 if isinstance(value, float) else len(str(abs(value)))
        shown = f"{value:.3g}" if not digits else f"{value:,}" if digits <= 25 else f"of {digits:,} digits"
        yield Finding(
            Code.MT106,
            f"{field.name} {shown} is too large to store: the platform keeps it as a 64-bit integer"
            f" (at most {MAX_STORED_INTEGER:,})",
            pointer,
        )
        return
    if field.minimum is not None and field.maximum is not None and not field.minimum <= value <= field.maximum:
        yield Finding(
            Code.MT508,
            f"{field.name} {value!r} is outside the supported {field.minimum:,}-{field.maximum:,}",
            pointer,
        )


def _is_number_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unit(field: MetadataField) -> str:
    """How the platform reads the number, for the placeholder message."""
    units = {"duration": "seconds", "fileSize": "bytes", "sampleRate": "Hz", "fps": "frames per second"}
    return f", in {units[field.name]}" if field.name in units else ""


def _check_mime_type(item: Item, mime: Any, pointer: str, full: bool = False) -> Iterator[Finding]:
    """MT512/MT505/MT506 for a mimeType; with ``full``, also the value checks the fast path skipped."""
    if full and (type(mime) is not str or not mime.strip()):
        yield from _check_value(MetadataField("mimeType", ValueType.STRING), mime, pointer)
        return
    urls = item.url_fields()
    extension = url_extension(urls[0][1].strip()) if urls and isinstance(urls[0][1], str) else ""
    if mime in MIME_TYPES.get(extension, ()):
        return
    if _MIME_TYPE.fullmatch(mime.strip()) is None:
        example = MIME_TYPES.get(extension, (_KIND_MIME_EXAMPLES.get(item.kind.key, "image/jpeg"),))[0]
        yield Finding(
            Code.MT512,
            f"{mime!r} is not a MIME type (type/subtype): replace the placeholder with the file's MIME type,"
            f" such as {example!r}",
            pointer,
        )
        return
    lowered = mime.split(";", 1)[0].strip().lower()  # parameters (; charset=utf-8) do not change the type
    registered = NONSTANDARD_MIME_TYPES.get(lowered)
    if registered is not None:
        yield Finding(Code.MT505, f"{mime!r} is not a registered MIME type: write {registered!r}", pointer)
        lowered = registered
    expected = MIME_TYPES.get(extension)
    if expected is not None and lowered not in expected:
        yield Finding(
            Code.MT506, f"mimeType {mime!r} does not match the .{extension} file (expected {expected[0]!r})", pointer
        )


def _certainly_small(client: dict[str, Any]) -> bool:
    """True when a flat clientMetadata cannot serialise to the size limit, without serialising it.

    Bounds: every character escaped (6 bytes), 64-bit numbers (at most 24 characters),
    and punctuation per entry.
    """
    if len(client) > 10_000:
        return False
    characters = sum(map(len, client))  # the keys, in a C-speed loop
    for value in client.values():
        kind = type(value)
        if kind is str:
            characters += len(value)
        elif kind is int:
            if value.bit_length() > 64:
                return False
        elif kind is dict or kind is list:
            return False
    return characters * 6 + len(client) * 32 < MAX_CLIENT_METADATA_BYTES


def _check_client_metadata(item: Item, client: dict[str, Any], check_size: bool) -> Iterator[Finding]:
    pointer = f"{item.pointer}/{CLIENT_METADATA}"
    if check_size and not _certainly_small(client):
        size = len(json.dumps(client, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))
        if size > MAX_CLIENT_METADATA_BYTES:
            yield Finding(
                Code.MT509,
                f"clientMetadata is {size / 1024 / 1024:.1f} MB; the limit is"
                f" {MAX_CLIENT_METADATA_BYTES // 1024 // 1024} MB",
                pointer,
            )
    if ENCORD_KEY in client:
        problem = encord_problem(client[ENCORD_KEY])
        if problem:
            yield Finding(Code.MT510, f"$encord {problem}", f"{pointer}/{ENCORD_KEY}")
    if DEPRECATED_KEYFRAMES in client:
        yield Finding(
            Code.MT511,
            "keyframes is deprecated: write the frames under $encord.frames",
            f"{pointer}/keyframes",
            key=True,
        )


def encord_problem(value: Any) -> str | None:
    """What is wrong with an ``$encord`` block, or None."""
    if not isinstance(value, dict):
        return f"must be an object, not {json_type(value)}"
    unknown = sorted(set(value) - {"config", "frames"})
    if unknown:
        return f"has unknown keys {', '.join(unknown)}: it holds config and frames"
    config = value.get("config")
    if config is not None:
        if not isinstance(config, dict):
            return "config must be an object"
        rate = config.get("sampling_rate")
        if rate is not None and (isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0):
            return "config.sampling_rate must be a positive number"
        mode = config.get("keyframe_mode")
        if mode is not None and mode not in ("frame", "seconds"):
            return f'config.keyframe_mode must be "frame" or "seconds", not {mode!r}'
    if "frames" not in value:
        return "needs frames: a list of frame numbers or an object keyed by frame number"
    frames = value["frames"]
    if isinstance(frames, list):
        if not all(isinstance(f, int) and not isinstance(f, bool) and f >= 0 for f in frames):
            return "frames must be whole numbers of 0 or more"
    elif isinstance(frames, dict):
        if not all(isinstance(k, str) and k.isdigit() for k in frames):
            return 'frames keys must be frame numbers such as "12"'
        if not all(isinstance(v, dict) for v in frames.values()):
            return "frames values must be objects"
    else:
        return f"frames must be a list or an object, not {json_type(frames)}"
    return None


register(RULES, [check_metadata])
