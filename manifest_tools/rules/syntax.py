"""MT1xx JSON syntax: problems the JSON reader finds; the platform parses strict JSON.

These rules have no checker: the reader reports them while parsing, so that one
run lists every problem of a broken file with its line and column.
"""

from __future__ import annotations

from manifest_tools.codes import Code
from manifest_tools.rules.registry import register, rule

RULES = [
    rule(
        Code.MT101,
        "json-syntax-error",
        "error",
        "The text is not valid JSON (missing comma, bracket, colon or value).",
        """The platform rejects the whole manifest when it cannot parse it. The
        message says what was expected; the position is where the parser gave up,
        and the mistake is often just before it.""",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"} {"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/b.jpg"}]}',
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}, {"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/b.jpg"}]}',
    ),
    rule(
        Code.MT102,
        "trailing-comma",
        "error",
        "A comma before a closing '}' or ']'.",
        """The platform's own examples have trailing commas, but strict JSON does
        not allow them and the upload is rejected. Remove the comma.""",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"},]}',
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}',
        fix="safe",
    ),
    rule(
        Code.MT103,
        "json-comment",
        "error",
        "A // or /* */ comment.",
        """JSON has no comments. Keep notes in a README next to the manifest, or in
        an item's clientMetadata.""",
        '{\n  // batch 7\n  "images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]\n}',
        '{\n  "images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]\n}',
        fix="safe",
    ),
    rule(
        Code.MT104,
        "single-quoted-string",
        "error",
        "A string or key in single quotes.",
        """JSON strings use double quotes only; Python's repr of a dict is not JSON.
        Write the manifest with json.dump.""",
        "{'images': [{'objectUrl': 'https://b.s3.eu-west-2.amazonaws.com/a.jpg'}]}",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}',
        fix="safe",
    ),
    rule(
        Code.MT105,
        "invalid-literal",
        "error",
        "Unquoted text, a Python literal (True, None) or a malformed number.",
        """A value that is text needs double quotes; true, false and null are lower
        case; numbers have no leading zeros, no '+' and no bare '.'. Placeholders
        such as frames-per-second were meant to be replaced by a value.""",
        '{"videos": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/v.mp4", "videoMetadata": {"fps": frames-per-second}}]}',
        '{"videos": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/v.mp4", "videoMetadata": {"fps": 25, "duration": 10.5, "width": 1920, "height": 1080, "fileSize": 1048576, "mimeType": "video/mp4"}}]}',
    ),
    rule(
        Code.MT106,
        "non-finite-number",
        "error",
        "NaN, Infinity, or a number too large to store (1e400; a metadata whole number beyond 64 bits).",
        """Python's json.dump writes NaN and Infinity for float('nan') and float('inf'),
        but they are not JSON and the platform rejects them. A number beyond a 64-bit
        float (1e400) is read as infinity, and an integer of more than 4,300 digits is
        refused by Python's reader: the platform cannot store either. A whole-number
        metadata field (width, fileSize ...) is a 64-bit integer on the platform: at
        most 9,223,372,036,854,775,807 (a width of 1e41 or a fileSize of 1e300 does
        not fit). Number fields (fps, duration) are 64-bit floats. Compute the real
        value or leave the field out; an identifier that looks like a number goes in
        double quotes.""",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "clientMetadata": {"score": NaN}}]}',
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "clientMetadata": {"score": null}}]}',
    ),
    rule(
        Code.MT107,
        "control-character-in-string",
        "error",
        "A raw tab or other control character inside a string.",
        """Strict JSON requires control characters in strings to be escaped (\\t,
        \\u0001). They usually come from pasting a value from a spreadsheet. A CSV
        cell holding one (any C0 control but tab and the line breaks) is reported
        too; a CSV cannot escape it, so there it is to be removed by hand (or the
        manifest converted to JSON, which escapes it).""",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": "a\tb"}]}',
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": "a b"}]}',
        fix="safe",
    ),
    rule(
        Code.MT108,
        "invalid-utf8",
        "error",
        "Bytes that are not UTF-8, or a lone surrogate escape (\\ud800) that UTF-8 cannot hold.",
        """Manifests are UTF-8. A file saved as Latin-1 or Windows-1252 (Excel does
        this) turns accented titles into invalid bytes. Save the file as UTF-8.
        JSON also lets an escape name half of a UTF-16 pair (\\ud800 without the
        \\udc00 that should follow): the platform stores text as UTF-8, which has no
        bytes for it, and a CSV cannot carry it either. Write the character itself,
        or its escape as the full pair.""",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": "café"}]}',
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": "café"}]}',
        bad_encoding="latin-1",
    ),
    rule(
        Code.MT109,
        "byte-order-mark",
        "error",
        "The file starts with a UTF-8 byte order mark.",
        """Windows editors add a BOM; RFC 8259 forbids it in JSON and strict parsers
        reject the file. Save as UTF-8 without BOM.""",
        '\ufeff{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}',
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}',
        fix="safe",
    ),
    rule(
        Code.MT110,
        "empty-file",
        "error",
        "The file is empty or blank.",
        """An empty manifest registers nothing; usually a script failed half-way.""",
        "",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}',
    ),
    rule(
        Code.MT111,
        "nesting-too-deep",
        "error",
        "Arrays or objects nested more than 900 levels deep.",
        """No manifest needs this; the file is probably generated wrongly, and
        parsers (Python's among them) fail on it. The deep value is skipped so that
        the rest can still be checked.""",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "clientMetadata": {"a": '
        + "[" * 5000
        + "]" * 5000
        + "}}]}",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "clientMetadata": {"a": [[1]]}}]}',
    ),
    rule(
        Code.MT112,
        "invalid-escape",
        "error",
        "A backslash escape JSON does not have, such as \\q or \\x41.",
        """JSON allows only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX. Windows paths
        need doubled backslashes, but a URL never has backslashes.""",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": "C:\\data"}]}',
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg", "title": "data"}]}',
    ),
    rule(
        Code.MT113,
        "extra-data",
        "error",
        "More text after the top-level object.",
        """A manifest is exactly one JSON object. Two objects one after the other
        (JSON Lines, or two files concatenated) must be merged into one.""",
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\n{"videos": []}',
        '{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}], "videos": []}',
    ),
]

register(RULES)


FIXED_ONLY_IN_JSON = frozenset({Code.MT107})
"""Reader findings whose fix is writing the value as JSON does (an escape): a CSV written again holds them
still, so in a CSV they are not offered as fixable nor said to be fixed."""
