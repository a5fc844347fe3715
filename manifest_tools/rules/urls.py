"""MT3xx URLs: form, encoding, placeholders, length, and which store they point at.

A maximum-size manifest has a million URLs, so one regular expression accepts
the ordinary clean URL; only URLs it rejects get the detailed (slow) analysis.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

from manifest_tools.cloud.urls import Location, locate_url, split_host
from manifest_tools.kinds import MAX_FILE_NAME_CHARS, MAX_URL_BYTES
from manifest_tools.model import Manifest
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.registry import CheckContext, register, rule

_U = "https://b.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        "MT301",
        "relative-url",
        "error",
        "A URL without scheme and host (a path, or a bare key).",
        """The platform fetches each object by its absolute URL; a path such as
        images/a.jpg or /data/a.jpg means nothing to it.""",
        '{"images": [{"objectUrl": "images/a.jpg"}]}',
        f'{{"images": [{{"objectUrl": "{_U}/images/a.jpg"}}]}}',
    ),
    rule(
        "MT302",
        "unsupported-scheme",
        "error",
        "A URL whose scheme is not https (s3://, gs://, file:// ...).",
        """Object URLs are HTTPS URLs in the provider's public form:
        https://<bucket>.s3.<region>.amazonaws.com/<key>,
        https://storage.cloud.google.com/<bucket>/<key>,
        https://<account>.blob.core.windows.net/<container>/<blob>.""",
        '{"images": [{"objectUrl": "gs://my-bucket/a.jpg"}]}',
        '{"images": [{"objectUrl": "https://storage.cloud.google.com/my-bucket/a.jpg"}]}',
        fix="unsafe",
    ),
    rule(
        "MT303",
        "insecure-http",
        "warning",
        "A plain http:// URL.",
        """Cloud integrations and direct access expect HTTPS; http URLs are refused
        by most stores' integrations and leak pre-signed tokens.""",
        '{"images": [{"objectUrl": "http://cdn.example.org/a.jpg"}]}',
        '{"images": [{"objectUrl": "https://cdn.example.org/a.jpg"}]}',
    ),
    rule(
        "MT304",
        "url-surrounding-whitespace",
        "error",
        "A URL with spaces, tabs or newlines before or after it.",
        """The whitespace is part of the string, so the object is not found. It
        usually comes from copying out of a spreadsheet.""",
        f'{{"images": [{{"objectUrl": " {_U}/a.jpg\\n"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        fix="safe",
    ),
    rule(
        "MT305",
        "url-whitespace",
        "error",
        "A URL with whitespace inside it.",
        """URLs cannot contain spaces: a key with a space is written %20 (S3's
        console shows + in some places; both stand for the encoded key).""",
        f'{{"images": [{{"objectUrl": "{_U}/my photos/a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/my%20photos/a.jpg"}}]}}',
        fix="unsafe",
    ),
    rule(
        "MT306",
        "url-angle-bracket",
        "error",
        "A URL wrapped in angle brackets, such as <https://...>.",
        """One of the platform's examples has a stray '<' before https://; the
        bracket becomes part of the URL and the object is never found.""",
        f'{{"images": [{{"objectUrl": "<{_U}/a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        fix="unsafe",
    ),
    rule(
        "MT307",
        "url-placeholder",
        "error",
        "A template placeholder left in a URL.",
        """Text such as <object url>, {bucket}, cloud-path-to-your-video-1 or
        file-name-01.file-extension comes from documentation examples and was
        meant to be replaced.""",
        '{"videos": [{"objectUrl": "cloud-path-to-your-video-1"}]}',
        f'{{"videos": [{{"objectUrl": "{_U}/videos/clip-1.mp4"}}]}}',
    ),
    rule(
        "MT308",
        "invalid-percent-escape",
        "error",
        "A '%' not followed by two hex digits.",
        """Keys are percent-encoded in URLs; a literal % in a key is written %25.
        A broken escape makes the key unresolvable.""",
        f'{{"images": [{{"objectUrl": "{_U}/100%/a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/100%25/a.jpg"}}]}}',
    ),
    rule(
        "MT309",
        "non-ascii-url",
        "warning",
        "A URL with unencoded non-ASCII characters.",
        """Keys are percent-encoded in URLs (DALL%C2%B7E, not DALL·E). Some clients
        encode them on the fly, others do not, and the two forms count as two
        different URLs for skip_duplicate_urls.""",
        f'{{"images": [{{"objectUrl": "{_U}/café.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/caf%C3%A9.jpg"}}]}}',
        fix="unsafe",
    ),
    rule(
        "MT310",
        "url-too-long",
        "error",
        f"A URL longer than {MAX_URL_BYTES // 1024} KB.",
        """The platform limits a URL to 16 KB.""",
        f'{{"images": [{{"objectUrl": "{_U}/{"a/" * 8200}a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        "MT311",
        "empty-url",
        "error",
        "An empty URL.",
        """An empty objectUrl registers nothing; the item fails at upload.""",
        '{"images": [{"objectUrl": ""}]}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        "MT312",
        "file-name-too-long",
        "error",
        f"A file name (last URL segment) longer than {MAX_FILE_NAME_CHARS} characters.",
        """The platform limits file names to 300 characters.""",
        f'{{"images": [{{"objectUrl": "{_U}/{"a" * 300}.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        "MT313",
        "mixed-integrations",
        "warning",
        "URLs that need more than one cloud integration (providers or Azure accounts).",
        """One upload goes through one cloud integration, so every URL of a manifest
        should be reachable through it. Split the manifest per provider (or per
        Azure storage account).""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "https://storage.cloud.google.com/b/b.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "{_U}/b.jpg"}}]}}',
    ),
    rule(
        "MT314",
        "mixed-buckets",
        "warning",
        "URLs in more than one bucket or container (opt-in).",
        """Some teams scope each integration to one bucket; enable this rule to keep
        each manifest to one bucket.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "https://c.s3.eu-west-2.amazonaws.com/b.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}, {{"objectUrl": "{_U}/b.jpg"}}]}}',
        default=False,
    ),
    rule(
        "MT315",
        "url-is-folder",
        "error",
        "A URL that ends in '/' or has no path: a folder or a bucket, not an object.",
        """Each URL names one object. A prefix such as .../frames/ is a folder; list
        its objects (manifest-tools generate does this).""",
        f'{{"images": [{{"objectUrl": "{_U}/frames/"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/frames/0001.jpg"}}]}}',
    ),
    rule(
        "MT316",
        "unencoded-character",
        "warning",
        'A URL with characters that must be percent-encoded: " { } | \\ ^ `.',
        """Browsers and SDKs encode these differently, so the URL may not resolve to
        the key. Encode them (%22 %7B %7D %7C %5C %5E %60).""",
        f'{{"images": [{{"objectUrl": "{_U}/a|b.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a%7Cb.jpg"}}]}}',
    ),
]

_PLAIN_URL = re.compile(
    r"https://[a-z0-9][a-z0-9.\-]*(?::[0-9]+)?/"
    r"[A-Za-z0-9._~!$&'()*+,;=:@/\-]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~!$&'()*+,;=:@/\-]*)*"
    r"(?:\?[A-Za-z0-9._~!$&'()*+,;=:@/?\-]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~!$&'()*+,;=:@/?\-]*)*)?"
)
_PLACEHOLDER_TEXT = re.compile(
    r"cloud-path-to|file-name-\d|\.file-extension|/path/to/|your-bucket|access-point-arn|object[ _-]?(?:url|name)>",
    re.IGNORECASE,
)
_TEMPLATE = re.compile(r"<[^<>]*>|\{[^{}]*\}|\$\{")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WHITESPACE = re.compile(r"\s")
_UNENCODED = re.compile(r'["{}|\\^`]')
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


PLACEHOLDER_HINTS = (
    "cloud-path-to",
    "file-name-",
    ".file-extension",
    "/path/to/",
    "your-bucket",
    "access-point-arn",
    "url>",
    "name>",
)
"""Every match of _PLACEHOLDER_TEXT contains one of these (lower case): a substring pre-filter
for it, here and in the native scanner."""


def _maybe_placeholder(url: str) -> bool:
    """A C-speed pre-filter for the placeholder regex."""
    lowered = url.lower()
    return any(hint in lowered for hint in PLACEHOLDER_HINTS)


def check_urls(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    integrations: dict[tuple[str, ...], tuple[Location, str]] = {}
    buckets: dict[tuple[str, str | None], tuple[Location, str]] = {}
    want_mix = context.wants("MT313")
    want_buckets = context.wants("MT314")
    locations: dict[str, Location] = {}
    plain = _PLAIN_URL.fullmatch
    for item, name, url in manifest.urls():
        if type(url) is not str:
            continue
        if (
            plain(url) is not None
            and url[-1] != "/"
            and not (_maybe_placeholder(url) and _PLACEHOLDER_TEXT.search(url))
        ):
            if len(url) > MAX_FILE_NAME_CHARS:
                yield from _check_lengths(url, f"{item.pointer}/{name}")
        else:
            findings = list(_analyse(url, f"{item.pointer}/{name}"))
            if findings:
                yield from findings
                continue
        if want_mix or want_buckets:
            location = _location_of(url, locations)
            if want_mix and location.integration not in integrations:
                integrations[location.integration] = (location, f"{item.pointer}/{name}")
            if want_buckets and location.provider != "direct":
                buckets.setdefault((location.provider, location.bucket), (location, f"{item.pointer}/{name}"))
    if len(integrations) > 1:
        (first, _), *others = integrations.values()
        for location, pointer in others:
            yield Finding(
                "MT313",
                f"this URL is on {location.describe} but earlier URLs are on {first.describe}:"
                " one upload uses one cloud integration; split the manifest",
                pointer,
            )
    if len(buckets) > 1:
        (first, _), *others = buckets.values()
        for location, pointer in others:
            yield Finding(
                "MT314",
                f"this URL is in bucket {location.bucket!r} but earlier URLs are in {first.bucket!r}",
                pointer,
            )


def _location_of(url: str, cache: dict[str, Location]) -> Location:
    """Provider, bucket and integration depend only on the host and first path segment: cache by them."""
    host_end = url.find("/", 8)
    segment_end = url.find("/", host_end + 1) if host_end > 0 else -1
    key = url if segment_end < 0 else url[:segment_end]
    found = cache.get(key)
    if found is None:
        found = cache[key] = locate_url(url)
    return found


def _check_lengths(url: str, pointer: str) -> Iterator[Finding]:
    size = len(url.encode("utf-8", "surrogatepass"))
    if size > MAX_URL_BYTES:
        yield Finding("MT310", f"the URL is {size:,} bytes long; the limit is {MAX_URL_BYTES:,}", pointer)
    parts = split_host(url)
    path = (parts[1] if parts else url).split("?", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if len(name) > MAX_FILE_NAME_CHARS:
        yield Finding(
            "MT312", f"the file name is {len(name)} characters long; the limit is {MAX_FILE_NAME_CHARS}", pointer
        )


def _analyse(url: str, pointer: str) -> Iterator[Finding]:
    """Every problem of a URL that the fast path did not accept."""
    if not url.strip():
        yield Finding("MT311", "the URL is empty" if not url else "the URL is only whitespace", pointer)
        return
    stripped = url.strip()
    if stripped != url:
        yield Finding("MT304", f"the URL has whitespace around it: {url!r}", pointer)
    inner = stripped.strip("<>")
    if inner != stripped and "://" in inner and not _is_placeholder(inner):
        shown = stripped[:60] + ("..." if len(stripped) > 60 else "")
        yield Finding("MT306", f'the URL is wrapped in angle brackets: "{shown}"', pointer)
        stripped = inner
    elif _is_placeholder(stripped):
        yield Finding("MT307", f"the URL is a template placeholder, not a real URL: {stripped!r}", pointer)
        return
    if _WHITESPACE.search(stripped):
        yield Finding("MT305", "the URL contains whitespace: encode spaces as %20", pointer)
    scheme = _SCHEME.match(stripped)
    if scheme is None or "://" not in stripped:
        yield Finding(
            "MT301",
            f"{stripped!r} is not an absolute URL: object URLs look like https://<bucket>.s3.<region>"
            ".amazonaws.com/<key>",
            pointer,
        )
        return
    name = scheme.group(1).lower()
    if name == "http":
        yield Finding("MT303", "the URL uses http: use https", pointer)
    elif name != "https":
        yield Finding("MT302", _scheme_message(name, stripped), pointer)
        return
    parts = split_host(stripped)
    if parts is None or not parts[0]:
        yield Finding("MT301", "the URL has no host", pointer)
        return
    if _BAD_PERCENT.search(stripped):
        yield Finding("MT308", "'%' not followed by two hex digits: write a literal % as %25", pointer)
    if not stripped.isascii():
        bad = next(c for c in stripped if not c.isascii())
        yield Finding("MT309", f"unencoded non-ASCII character {bad!r}: percent-encode the key", pointer)
    unencoded = _UNENCODED.search(stripped)
    if unencoded:
        yield Finding("MT316", f"the character {unencoded.group()!r} must be percent-encoded", pointer)
    path = parts[1].split("?", 1)[0].split("#", 1)[0]
    if path.endswith("/") or path in ("", "/"):
        yield Finding("MT315", "the URL names a folder or bucket, not an object (no file name)", pointer)
    yield from _check_lengths(stripped, pointer)


def names_no_file(url: str) -> bool:
    """True for URLs that cannot name a file at all: blank, placeholders, folders, bare hosts."""
    stripped = url.strip().strip("<>")
    if not stripped or _is_placeholder(url.strip()):
        return True
    parts = split_host(stripped)
    if parts is None:
        return False
    path = parts[1].split("?", 1)[0].split("#", 1)[0]
    return path in ("", "/") or path.endswith("/")


def _is_placeholder(url: str) -> bool:
    return bool(_TEMPLATE.search(url) or _PLACEHOLDER_TEXT.search(url))


def _scheme_message(scheme: str, url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else ""
    bucket, _, key = _WHITESPACE.sub(lambda m: quote(m.group()), rest).partition("/")
    if scheme == "gs":
        return f"gs:// is not an object URL: write https://storage.cloud.google.com/{bucket}/{key}"
    if scheme == "s3":
        return f"s3:// is not an object URL: write https://{bucket}.s3.<region>.amazonaws.com/{key}"
    if scheme in ("az", "abfs", "abfss", "wasb", "wasbs"):
        return f"{scheme}:// is not an object URL: write https://<account>.blob.core.windows.net/<container>/<blob>"
    return f"{scheme}:// URLs cannot be registered: object URLs are https"


register(RULES, [check_urls])
