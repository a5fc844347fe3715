"""MT3xx URLs: form, encoding, placeholders, length, and which store they point at.

A maximum-size manifest has a million URLs, so one regular expression accepts
the ordinary clean URL; only URLs it rejects get the detailed (slow) analysis.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain, repeat
from operator import itemgetter
from typing import Any
from urllib.parse import quote

from manifest_tools.codes import Code, RuleCode
from manifest_tools.kinds import (
    KINDS,
    KINDS_BY_KEY,
    MAX_FILE_NAME_CHARS,
    MAX_URL_BYTES,
    OBJECT_URL,
    OBJECT_URL_PREFIX,
    Kind,
)
from manifest_tools.model import Item, Manifest, object_url_index
from manifest_tools.providers import Location, aws, azure, gcp, locate_url, split_host
from manifest_tools.providers.presigned import EXPIRY_HINTS, expiry
from manifest_tools.providers.regions import EXAMPLE_AWS_REGION
from manifest_tools.report.diagnostic import Finding, new_finding
from manifest_tools.rules.placeholders import (
    PLACEHOLDER_WORDS,
    TEMPLATE_HINTS,
    hint_pattern,
    hint_test,
    host_placeholder,
    url_placeholder,
)
from manifest_tools.rules.registry import CheckContext, register, rule

_U = "https://b.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        Code.MT301,
        "relative-url",
        "error",
        "A URL without scheme and host (a path, or a bare key).",
        """The platform fetches each object by its absolute URL; a path such as
        images/a.jpg or /data/a.jpg means nothing to it.""",
        '{"images": [{"objectUrl": "images/a.jpg"}]}',
        f'{{"images": [{{"objectUrl": "{_U}/images/a.jpg"}}]}}',
    ),
    rule(
        Code.MT302,
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
        Code.MT303,
        "insecure-http",
        "warning",
        "A plain http:// URL.",
        """Cloud integrations and direct access expect HTTPS; http URLs are refused
        by most stores' integrations and leak pre-signed tokens.""",
        '{"images": [{"objectUrl": "http://cdn.example.org/a.jpg"}]}',
        '{"images": [{"objectUrl": "https://cdn.example.org/a.jpg"}]}',
    ),
    rule(
        Code.MT304,
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
        Code.MT305,
        "url-whitespace",
        "error",
        "A URL with whitespace or a control character (C0, DEL, C1) inside it.",
        """URLs cannot contain spaces: a key with a space is written %20 (S3's
        console shows + in some places; both stand for the encoded key). No URL
        holds a line break, a tab, NUL or another control character raw either
        (RFC 3986): most come from a broken export; the fix percent-encodes them.""",
        f'{{"images": [{{"objectUrl": "{_U}/my photos/a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/my%20photos/a.jpg"}}]}}',
        fix="unsafe",
    ),
    rule(
        Code.MT306,
        "url-angle-bracket",
        "error",
        "A URL wrapped in angle brackets (<https://...>), or with a stray one before or after it.",
        """One of the platform's examples has a stray '<' before https://; the
        bracket becomes part of the URL and the object is never found.""",
        f'{{"images": [{{"objectUrl": "<{_U}/a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        fix="unsafe",
    ),
    rule(
        Code.MT307,
        "url-placeholder",
        "error",
        "A template placeholder left in a URL.",
        """Text such as <object url>, {{name}}, ${BUCKET}, cloud-path-to-your-video-1,
        file-name-01.file-extension, a '...' folder, a host without a dot
        (https://bucket/a.jpg) or a word where the region belongs
        (bucket.s3.region.amazonaws.com) comes from documentation examples and was
        meant to be replaced: such a URL resolves nowhere. A real host has a dot
        and a real region is one of the store's (AWS eu-west-2, OBS eu-de ...);
        localhost is this computer, which the platform cannot reach.""",
        '{"videos": [{"objectUrl": "https://bucket.s3.region.amazonaws.com/videos/clip-1.mp4"}]}',
        f'{{"videos": [{{"objectUrl": "{_U}/videos/clip-1.mp4"}}]}}',
    ),
    rule(
        Code.MT308,
        "invalid-percent-escape",
        "error",
        "A '%' not followed by two hex digits.",
        """Keys are percent-encoded in URLs; a literal % in a key is written %25.
        A broken escape makes the key unresolvable.""",
        f'{{"images": [{{"objectUrl": "{_U}/100%/a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/100%25/a.jpg"}}]}}',
    ),
    rule(
        Code.MT309,
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
        Code.MT310,
        "url-too-long",
        "error",
        f"A URL longer than {MAX_URL_BYTES // 1024} KB.",
        """The platform limits a URL to 16 KB.""",
        f'{{"images": [{{"objectUrl": "{_U}/{"a/" * 8200}a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT311,
        "empty-url",
        "error",
        "An empty URL.",
        """An empty objectUrl registers nothing; the item fails at upload.""",
        '{"images": [{"objectUrl": ""}]}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT312,
        "file-name-too-long",
        "error",
        f"A file name (last URL segment) longer than {MAX_FILE_NAME_CHARS} characters.",
        """The platform limits file names to 300 characters.""",
        f'{{"images": [{{"objectUrl": "{_U}/{"a" * 300}.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT313,
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
        Code.MT314,
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
        Code.MT315,
        "url-is-folder",
        "error",
        "A URL that ends in '/' or has no path: a folder or a bucket, not an object.",
        """Each URL names one object. A prefix such as .../frames/ is a folder; list
        its objects (manifest-tools generate does this).""",
        f'{{"images": [{{"objectUrl": "{_U}/frames/"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/frames/0001.jpg"}}]}}',
    ),
    rule(
        Code.MT316,
        "unencoded-character",
        "warning",
        'A URL with characters that must be percent-encoded: " { } | \\ ^ `.',
        """Browsers and SDKs encode these differently, so the URL may not resolve to
        the key. Encode them (%22 %7B %7D %7C %5C %5E %60).""",
        f'{{"images": [{{"objectUrl": "{_U}/a|b.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a%7Cb.jpg"}}]}}',
    ),
    rule(
        Code.MT317,
        "presigned-url-expired",
        "error",
        "A pre-signed URL that has already expired.",
        """A pre-signed URL (AWS X-Amz-Expires or Expires, GCS X-Goog-Expires, Azure
        SAS se=) works only until its expiry; after it the store refuses the
        download and the item fails at upload. Sign the URL again, for longer than
        the upload job takes, or register the object through a cloud integration.
        Messages never show the signature.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg?X-Amz-Date=20190101T000000Z&X-Amz-Expires=3600'
        '&X-Amz-Signature=0123abcd"}]}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT318,
        "presigned-url-expiring",
        "warning",
        "A pre-signed URL that expires within the upload's time (6 hours unless configured).",
        """An upload job can take hours, and the platform fetches each object when
        the job reaches it: a URL that expires before then fails late. The margin
        is lint --min-url-validity (or min-url-validity in [tool.manifest-tools]),
        6h by default. Sign the URL for longer. (The bad example, linted at
        2020-01-01 00:30 UTC, expires half an hour later.)""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg?X-Amz-Date=20200101T000000Z&X-Amz-Expires=3600'
        '&X-Amz-Signature=0123abcd"}]}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
    rule(
        Code.MT319,
        "url-credentials",
        "error",
        "A URL with a user name or password before its host (https://user:pw@host/...).",
        """The platform cannot use it: browsers, where the editor loads each file,
        refuse to fetch a URL with credentials in it, and a cloud integration
        matches URLs by host and key, not by a login. The password would also be
        committed with the manifest and stored with the data. Register the object
        through a cloud integration, or give a pre-signed URL. Messages never show
        the user name or the password (a token is often passed as the user name),
        only which of them the URL carries and the host it gives them to.""",
        f'{{"images": [{{"objectUrl": "https://user:secret@{_U[8:]}/a.jpg"}}]}}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
    ),
]

PLAIN_URL_PREFIX = "https://"
PLAIN_HOST_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.-"
"""A plain host: these characters, not starting with '.' or '-', then an optional port (no '@': a URL with
credentials before its host is never plain, so MT319 always sees it)."""
PLAIN_PATH_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~!$&'()*+,;=:@/-"
"""A plain path: these characters and %XX escapes; the query may add '?'. The native scanner is handed
these sets (rules/certified.py), so its URL grammar is this one."""


def _chars(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


_PATH, _QUERY = _chars(PLAIN_PATH_CHARS), _chars(PLAIN_PATH_CHARS + "?")
_PLAIN_URL = re.compile(
    re.escape(PLAIN_URL_PREFIX)
    + _chars(PLAIN_HOST_CHARS.replace(".", "").replace("-", ""))
    + _chars(PLAIN_HOST_CHARS)
    + r"*(?::[0-9]+)?/"
    + rf"{_PATH}*(?:%[0-9A-Fa-f]{{2}}{_PATH}*)*"
    + rf"(?:\?{_QUERY}*(?:%[0-9A-Fa-f]{{2}}{_QUERY}*)*)?"
)
URL_HINTS = tuple(
    hint
    for hint in (*PLACEHOLDER_WORDS, *TEMPLATE_HINTS, "/...", *EXPIRY_HINTS)
    if _PLAIN_URL.fullmatch(f"https://h/{hint}")
)
"""Every URL that _PLAIN_URL accepts and that :func:`url_placeholder` or the expiry check can flag
contains one of these (lower case): a substring pre-filter, here and in the native scanner (hosts
are checked separately). Hints with characters _PLAIN_URL refuses (<, {, >, non-ASCII) are left
out: such URLs never reach the fast path."""
_HOLDS_HINT = hint_test(URL_HINTS)
"""Whether a lower-case text (a chunk's joined URLs) holds one of URL_HINTS."""
FLAGGED_SCHEMES: dict[str, tuple[RuleCode, str]] = {"http": (Code.MT303, "the URL uses http: use https")}
"""Schemes a URL is flagged for and then checked as an https URL (the one source of MT303's test). The
native scanner is handed them (rules/certified.py): an item whose only defect is such a scheme, the rest
of the URL plain, stays certified and the scanner records the finding (:func:`scanner_findings`)."""
DEFAULT_MIN_URL_VALIDITY = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class UrlValidity:
    """When lint runs and how long a pre-signed URL must still work (MT317, MT318)."""

    min_validity: timedelta = DEFAULT_MIN_URL_VALIDITY
    now: datetime | None = None
    """None: the clock at lint time (tests fix it)."""


_DEFAULT_VALIDITY = UrlValidity()
_VALIDITY: ContextVar[UrlValidity] = ContextVar("url_validity", default=_DEFAULT_VALIDITY)


@contextmanager
def url_validity(min_validity: timedelta | None = None, now: datetime | None = None) -> Iterator[None]:
    """Lint inside this block with another pre-signed URL margin or a fixed clock.

    A context setting (like :mod:`decimal`'s) rather than one more argument through every lint call.
    """
    current = _VALIDITY.get()
    token = _VALIDITY.set(
        UrlValidity(current.min_validity if min_validity is None else min_validity, current.now if now is None else now)
    )
    try:
        yield
    finally:
        _VALIDITY.reset(token)


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
UNWRITABLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
"""What no URL holds raw (RFC 3986): whitespace, C0 and C1 controls and DEL; MT305 reports it and its fix
percent-encodes it (fixes.py), so the two agree. The plain grammar the scanner is handed
(:data:`PLAIN_PATH_CHARS`) has none of these, so a URL with one is always judged here."""
_WHITESPACE = UNWRITABLE
WIDE_WHITESPACE = "\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""The whitespace beyond C1 that :data:`UNWRITABLE` (``\\s``) matches: MT305's, not MT309's (a test holds the two
sets apart and together covering every non-ASCII character but the surrogates)."""
ENCODABLE = re.compile(f"[^\x00-\x9f\ud800-\udfff{WIDE_WHITESPACE}]")
"""The non-ASCII characters MT309 reports and its fix percent-encodes: not a C1 control nor whitespace (MT305's),
nor a lone surrogate (MT108's: no UTF-8 bytes to encode). A U+FFFD the reader put for bytes that were not UTF-8 is
MT108's too: :func:`_analyse` leaves out a URL's U+FFFD when the reader replaced one there
(:meth:`Manifest.holds_replaced`); a U+FFFD written in the file is MT309's."""
_CHARACTER_NAMES = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a carriage return"}
_UNENCODED = re.compile(r'["{}|\\^`]')
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def check_urls(manifest: Manifest, context: CheckContext) -> Iterable[Finding]:
    """The scanner's findings (a list: 100,000 of them are taken at C speed), then the URLs' rules'."""
    return chain(scanner_findings(manifest), _checked_urls(manifest, context))


def _checked_urls(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    want_mix = context.wants(Code.MT313)
    want_buckets = context.wants(Code.MT314)
    want_locations = want_mix or want_buckets
    firsts: dict[str, tuple[tuple[int, int, int], str, str]] = {}
    """The first passing URL of each (host, first path segment): (place in the file, URL, pointer)."""
    ranks = kind_ranks(manifest) if want_locations else {}
    hosts: dict[str, str | None] = {}
    validity = _VALIDITY.get()
    now = validity.now or datetime.now(UTC)
    clean: set[str] = set()
    """Locations (keys of ``firsts``) of a URL that took the fast path: their text holds no hint and their
    host is no placeholder, so a later URL there is searched for hints only from near the location's end."""
    for urls, triples in manifest.url_chunks(_CHUNK):
        parts = [(0, len(urls))]  # a chunk that is not all plain is tested again in parts of _LOOP_URLS
        chunk: Sequence[tuple[Item, str, Any]] | None = None
        known_odd: set[int] = set()  # the places of URLs found to be no plain URL: straight to the loop
        while parts:
            start, end = parts.pop()
            whole = end - start == len(urls)
            odd_one = end == start + 1 and start in known_odd
            values = None if odd_one else urls if whole else urls[start:end]
            joined = None if values is None else _joined(values)  # read again by the scans for odd URLs
            locations = None if values is None or joined is None else _plain_locations(values, hosts, joined)
            if locations is None:
                chunk = triples() if chunk is None else chunk
                if end - start > _LOOP_URLS:
                    odd = _odd_places(urls, start, end, _NOT_HTTPS, joined)  # first the cheap scan: no https://
                    others = _others_if_plain(urls, start, end, odd, hosts)
                    if others is None:
                        odd = _odd_places(urls, start, end, _NOT_PLAIN, joined)
                        others = _others_if_plain(urls, start, end, odd, hosts)
                    known_odd.update(odd or ())
                    if others is None:
                        parts += reversed(_parts(urls, start, end, odd))
                        continue
                    places, locations = others  # all but the odd URLs plain: those go one by one
                    parts += [(place, place + 1) for place in reversed(odd or ())]
                    clean.update(locations)
                    if want_locations:
                        for key, position in locations.items():
                            item, name, url = chunk[places[position]]
                            _record_first(firsts, ranks, key, item, name, url)
                    continue
                part = chunk if end - start == len(urls) else [chunk[place] for place in range(start, end)]
                # looked up by place: a slice of the triples would make the whole chunk's list for one mistake
                yield from _check_one_by_one(
                    part, manifest.holds_replaced, firsts, ranks, clean, hosts, want_locations, now, validity
                )
                continue
            clean.update(locations)
            if want_locations:  # each location's first URL in the part may be the file's first (kinds' order)
                chunk = triples() if chunk is None else chunk
                for key, position in locations.items():
                    item, name, url = chunk[start + position]
                    _record_first(firsts, ranks, key, item, name, url)
    if want_locations:
        yield from _mixed_locations(manifest, firsts, ranks, want_mix, want_buckets)


def scanner_findings(manifest: Manifest) -> list[Finding]:
    """The findings the native scanner decided in items it certified (a flagged scheme in an otherwise plain
    URL), located by the scanner in a JSON file, so the item is never parsed."""
    certificate = manifest.certified
    if certificate is None or not certificate.findings:
        return []
    flagged = tuple(FLAGGED_SCHEMES.values())  # in the order of ScannerTables.flagged_schemes
    located = manifest.format == "json"  # a CSV's certificate is of its rows written as JSON: not the file's
    certified = {KINDS.index(columns.kind): columns.certified for columns in certificate.columns}
    return [
        new_finding(*flagged[scheme], pointer, False, place if located else None)  # Finding(code, message, ...)
        for scheme, kind, index, pointer, place, _ in certificate.findings
        if certified[kind][index]  # else left to the Python rules after the scan ($encord): they report it
    ]


_CHUNK = 4096
_PART_URLS = 64
_LOOP_URLS = 8
"""A chunk that is not all plain is tested again in parts of _PART_URLS URLs, a part that is not in parts of
this many, and only those that are not go through the loop one by one: 1,000 mistakes spread through a file
cost about 1,000 small parts, not every chunk (two levels, not halving: each level reads its text again;
a mistake costs eight tests of 8 URLs and eight URLs one by one, not 64)."""
_PLAIN_URLS = re.compile(f"(?:{_PLAIN_URL.pattern}\n)*{_PLAIN_URL.pattern}")
_STR = {str}
_PLAIN_RESTS = re.compile(
    rf"(?:\n{_PATH}*(?:%[0-9A-Fa-f]{{2}}{_PATH}*)*(?:\?{_QUERY}*(?:%[0-9A-Fa-f]{{2}}{_QUERY}*)*)?)*"
)
"""Lines of what follows a plain URL's location (whose every character is a path's): the rest of a plain URL."""
_NOT_PLAIN = re.compile(f"\n(?!(?:{_PLAIN_URL.pattern})(?:\n|\\Z))")
"""The line break before each URL that is no plain one, in text that puts a newline before each."""
_NOT_HTTPS = re.compile("\n(?!https://)")
"""The line break before each URL that does not start as a plain one does (an ``http://`` URL, say)."""
_PREFIX_LINE = "\n" + PLAIN_URL_PREFIX
"""What starts every plain URL's line in text that puts a newline before each."""
_LOCATIONS = re.compile(r"\n(https://[^/\n]*/[^/\n]*)")
"""Each plain URL's location (:func:`_location_key`), in text that puts a newline before each."""


def _parts(urls: list[Any], start: int, end: int, odd: list[int] | None) -> list[tuple[int, int]]:
    """The parts, in order, to test again of URLs ``start:end`` that are not all plain: when some are no
    plain URL string (``odd``, :func:`_odd_places`: an ``http://`` one, say), each of those alone and the
    runs between them; else parts of _PART_URLS, or of _LOOP_URLS for a part that size or smaller."""
    if odd:
        parts: list[tuple[int, int]] = []
        at = start
        for place in odd:
            if at < place:
                parts.append((at, place))
            parts.append((place, place + 1))
            at = place + 1
        if at < end:
            parts.append((at, end))
        return parts
    step = _PART_URLS if end - start > _PART_URLS else _LOOP_URLS
    return [(at, min(at + step, end)) for at in range(start, end, step)]


def _others_if_plain(
    urls: list[Any], start: int, end: int, odd: list[int] | None, hosts: dict[str, str | None]
) -> tuple[_PlacesBut, dict[str, int]] | None:
    """When URLs ``start:end`` but the ``odd`` ones are all plain (:func:`_plain_locations`): their places
    and each location's first place among them; else None. Then 1,000 mistakes spread through a file cost
    a test of each chunk's others and the mistakes one by one, not a test of each run between them. The
    others are taken as the slices between the odd ones (C speed), not a Python step per URL."""
    if not odd:
        return None
    others: list[Any] = []
    at = start
    for place in odd:
        others += urls[at:place]
        at = place + 1
    others += urls[at:end]
    locations = _plain_locations(others, hosts) if others else {}
    return None if locations is None else (_PlacesBut(start, odd), locations)


class _PlacesBut:
    """The places from ``start`` but the ``odd`` ones (in order), by position: ``places[2]`` is the third
    place that is not odd, found by a bisection of the odd ones (a few are asked, each location's first)."""

    __slots__ = ("_gaps", "_start")

    def __init__(self, start: int, odd: list[int]) -> None:
        self._start = start
        self._gaps = [place - start - before for before, place in enumerate(odd)]
        """How many places that are not odd come before each odd one."""

    def __getitem__(self, position: int) -> int:
        return self._start + position + bisect_right(self._gaps, position)


def _odd_places(
    urls: list[Any], start: int, end: int, odd: re.Pattern[str], joined: str | None = None
) -> list[int] | None:
    """The places, in order, of URLs ``start:end`` that are no plain URL (each line break ``odd`` finds in
    their joined text, one C-speed scan: :data:`_NOT_PLAIN`, or the cheaper :data:`_NOT_HTTPS` that finds
    only some); None when that cannot tell (a URL that is no string, or holds a line break). ``joined``:
    their :func:`_joined` text, when the caller has it."""
    if joined is None:
        joined = _joined(urls[start:end])
        if joined is None:
            return None
    found: list[int] = []
    place, line = start, 0
    for match in odd.finditer(joined):
        place += joined.count("\n", line, match.start())
        line = match.start()
        found.append(place)
    return found


def _joined(urls: list[Any]) -> str | None:
    """The URLs each after a line break, the text the chunk tests scan; None when one is no string (a C-speed
    test of their types) or holds a line break (it would pass as two plain URLs)."""
    if set(map(type, urls)) != _STR:
        return None
    joined = "\n" + "\n".join(urls)
    return joined if joined.count("\n") == len(urls) else None


def _plain_locations(urls: list[Any], hosts: dict[str, str | None], joined: str | None = None) -> dict[str, int] | None:
    """When every URL of a chunk would pass the one-by-one loop's fast path without a finding (a plain
    string, no hint, not a folder, a short name, a host without a problem): each location's first place in
    the chunk, in order; else None.

    Tested on the URLs joined by newlines (``joined``, :func:`_joined`'s text, when the caller has it) with
    a few C-speed scans, not a Python step per URL; a chunk in one location is told by one count.
    """
    if joined is None:
        joined = _joined(urls)
        if joined is None:
            return None
    if (
        joined.count(_PREFIX_LINE) != len(urls)  # one that is not https:// (a mistake), told at once
        or "/\n" in joined
        or joined.endswith("/")
        or max(map(len, urls)) > MAX_FILE_NAME_CHARS
    ):
        return None
    first = _LOCATIONS.match(joined)
    if first is not None and "?" not in first[1] and joined.count(f"\n{first[1]}/") == len(urls):  # one location
        if not _plain_in_one_location(joined, first[1]):
            return None
        locations = {first[1]: 0}
    else:
        if _PLAIN_URLS.fullmatch(joined, 1) is None or _HOLDS_HINT(joined.lower()):
            return None
        keys = _LOCATIONS.findall(joined)
        last_to_first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))  # the first wins
        locations = dict(sorted(last_to_first.items(), key=itemgetter(1)))
    for position in locations.values():  # a host is a location's prefix: the first URL of each is looked up
        if _host_problem(urls[position], hosts) is not None:
            return None
    return locations


def _plain_in_one_location(joined: str, location: str) -> bool:
    """Whether every URL of ``joined`` (each after a newline, each ``location/`` and more) is a plain URL
    with no hint: the location is tested once, and only the rest of each URL (with the location's last
    characters, where a hint may start) is scanned, about half the text."""
    head = location + "/"  # holds no '?': no query starts in it
    if _PLAIN_URL.fullmatch(head) is None or _HOLDS_HINT(head.lower()):
        return False
    tail = head[-_HINT_OVERLAP - 1 :]  # path characters, as the whole location is plain
    rests = joined.replace(f"\n{head}", f"\n{tail}")
    return _PLAIN_RESTS.fullmatch(rests) is not None and not _HOLDS_HINT(rests.lower())


def _check_one_by_one(
    chunk: Sequence[tuple[Item, str, Any]],
    replaced: Callable[[str], bool],
    firsts: dict[str, tuple[tuple[int, int, int], str, str]],
    ranks: dict[Kind, int],
    clean: set[str],
    hosts: dict[str, str | None],
    want_locations: bool,
    now: datetime,
    validity: UrlValidity,
) -> Iterator[Finding]:
    """Every finding of a chunk that is not all plain, URL by URL."""
    plain = _PLAIN_URL.fullmatch
    hint = hint_pattern(URL_HINTS).search
    for item, name, url in chunk:
        if type(url) is not str:
            continue
        host_end = url.find("/", 8)  # _location_key, inline
        segment_end = url.find("/", host_end + 1) if host_end > 0 else -1
        key = url if segment_end < 0 else url[:segment_end]
        known = key in clean
        start = len(key) - _HINT_OVERLAP if known else 0
        suspect = hint((url[start:] if start > 0 else url).lower()) is not None
        if not suspect and plain(url) is not None and url[-1] != "/" and (known or _host_problem(url, hosts) is None):
            if len(url) > MAX_FILE_NAME_CHARS:
                yield from _check_lengths(url, f"{item.pointer}/{name}")
            if not known:
                clean.add(key)
            if want_locations:
                _record_first(firsts, ranks, key, item, name, url)
            continue
        pointer = f"{item.pointer}/{name}"  # built only here: most URLs need none
        findings = list(_analyse(url, pointer, hosts, replaced(pointer)))
        if suspect:
            findings.extend(_check_expiry(url, pointer, now, validity.min_validity))
        if findings:
            yield from findings
            continue
        if want_locations:
            _record_first(firsts, ranks, key, item, name, url)


def _record_first(
    firsts: dict[str, tuple[tuple[int, int, int], str, str]],
    ranks: dict[Kind, int],
    key: str,
    item: Item,
    name: str,
    url: str,
) -> None:
    """Keep ``url`` as its location's first passing URL when it comes earlier in the file than the one kept
    (the rules walk the kinds in the table's order, the file may hold them in another, and a chunk's URLs
    that are not plain are checked after its plain ones)."""
    kept = firsts.get(key)
    if kept is not None and kept[0][0] == ranks.get(item.kind, _KIND_ORDER[item.kind]) and kept[0][1] < item.position:
        return  # an earlier item of this kind is kept
    place = _place(ranks, item, name)
    if kept is None or place < kept[0]:
        firsts[key] = (place, url, f"{item.pointer}/{name}")


_KIND_ORDER = {kind: order for order, kind in enumerate(KINDS)}


def kind_ranks(manifest: Manifest) -> dict[Kind, int]:
    """Each kind's place in the file (the readers keep CSV kinds, and the rules walk them, in the table's
    order): a JSON file's key order (the scanner's array offsets for a certified file), a CSV's line of
    the kind's first row."""
    data = manifest.data or {}
    if manifest.format == "csv":
        span = manifest.locator.span
        return {k: span(f"/{k.key}/0")[0].line for k in KINDS if isinstance(data.get(k.key), list) and data[k.key]}
    if manifest.certified is not None:
        return {columns.kind: columns.array_start for columns in manifest.certified.columns}
    return {KINDS_BY_KEY[key]: rank for rank, key in enumerate(data) if key in KINDS_BY_KEY}


_HINT_OVERLAP = max(map(len, URL_HINTS)) - 1
"""How far into a clean location a hint that ends after it can start."""


def _place(ranks: dict[Kind, int], item: Item, name: str) -> tuple[int, int, int]:
    """Where a URL stands in the file (its kind's place, item, file number)."""
    return ranks.get(item.kind, _KIND_ORDER[item.kind]), item.position, object_url_index(name) or 0


def _mixed_locations(
    manifest: Manifest,
    firsts: dict[str, tuple[tuple[int, int, int], str, str]],
    ranks: dict[Kind, int],
    want_mix: bool,
    want_buckets: bool,
) -> Iterator[Finding]:
    """MT313 and MT314 at the first URL of each further integration or bucket, in the file's order.

    URLs of items the native scanner certified come from its certificate: the first of each location
    in each kind, which is every URL the rules could name.
    """
    if manifest.certified is not None:
        for kind, index, ordinal, url in manifest.certified.origins:
            place = (ranks.get(kind, _KIND_ORDER[kind]), index, ordinal)
            key = _location_key(url)
            if key not in firsts or place < firsts[key][0]:
                name = f"{OBJECT_URL_PREFIX}{ordinal}" if kind.multi_file else OBJECT_URL
                firsts[key] = (place, url, f"/{kind.key}/{index}/{name}")
    integrations: dict[tuple[str, ...], tuple[Location, str]] = {}
    buckets: dict[tuple[str, str | None], tuple[Location, str]] = {}
    for _, url, pointer in sorted(firsts.values()):
        location = locate_url(url)
        if want_mix and location.integration not in integrations:
            integrations[location.integration] = (location, pointer)
        if want_buckets and location.provider != "direct":
            buckets.setdefault((location.provider, location.bucket), (location, pointer))
    if len(integrations) > 1:
        (first, _), *others = integrations.values()
        for location, pointer in others:
            yield Finding(
                Code.MT313,
                f"this URL is on {location.describe} but earlier URLs are on {first.describe}:"
                " one upload uses one cloud integration; split the manifest",
                pointer,
            )
    if len(buckets) > 1:
        (first, _), *others = buckets.values()
        for location, pointer in others:
            here, there = repr(location.bucket), repr(first.bucket)
            if location.bucket == first.bucket:  # one name in two stores: say which stores
                here, there = f"{here} on {location.describe}", f"{there} on {first.describe}"
            yield Finding(
                Code.MT314,
                f"this URL is in bucket {here} but earlier URLs are in {there}: keep one bucket per manifest",
                pointer,
            )


def _check_expiry(url: str, pointer: str, now: datetime, margin: timedelta) -> Iterator[Finding]:
    """MT317/MT318: the messages say when, never the URL (its signature is a secret)."""
    expires = expiry(url)
    if expires is None:
        return
    when = expires.strftime("%Y-%m-%d %H:%M UTC")
    if expires <= now:
        yield Finding(
            Code.MT317,
            f"the pre-signed URL expired at {when}, {_duration(now - expires)} ago: sign it again for longer than"
            " the upload job takes, or register the object through a cloud integration",
            pointer,
        )
    elif expires - now < margin:
        yield Finding(
            Code.MT318,
            f"the pre-signed URL expires at {when}, in {_duration(expires - now)}: an upload job can take hours;"
            f" sign it again so that it works for at least {_duration(margin)} from now",
            pointer,
        )


def _duration(span: timedelta) -> str:
    """A span as people say it: 3 days, 2 h 5 min, 40 min."""
    minutes = int(span.total_seconds() // 60)
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60)} days"
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def _host_problem(url: str, cache: dict[str, str | None]) -> str | None:
    """:func:`host_placeholder`, once per host."""
    host_end = url.find("/", 8)
    key = url if host_end < 0 else url[:host_end]
    try:
        return cache[key]
    except KeyError:
        found = cache[key] = host_placeholder(url)
        return found


def _location_key(url: str) -> str:
    """Provider, bucket and integration depend only on the host and first path segment: the URL up to them."""
    host_end = url.find("/", 8)
    segment_end = url.find("/", host_end + 1) if host_end > 0 else -1
    return url if segment_end < 0 else url[:segment_end]


def _check_lengths(url: str, pointer: str) -> Iterator[Finding]:
    size = len(url.encode("utf-8", "surrogatepass"))
    if size > MAX_URL_BYTES:
        yield Finding(Code.MT310, f"the URL is {size:,} bytes long; the limit is {MAX_URL_BYTES:,}", pointer)
    parts = split_host(url)
    path = (parts[1] if parts else url).split("?", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if len(name) > MAX_FILE_NAME_CHARS:
        yield Finding(
            Code.MT312, f"the file name is {len(name):,} characters long; the limit is {MAX_FILE_NAME_CHARS:,}", pointer
        )


def _angle_brackets(url: str) -> str:
    """What MT306 says: which bracket is there (one stray '<' is the documentation's typo, not a wrapping)."""
    shown = url[:60] + ("..." if len(url) > 60 else "")
    if url.startswith("<") and url.endswith(">"):
        return f'the URL is wrapped in angle brackets: "{shown}": remove them'
    stray = "a stray '<' before" if url.startswith("<") else "a stray '>' after"
    return f'{stray} the URL, with no closing bracket: "{shown}": remove it'


def _analyse(url: str, pointer: str, hosts: dict[str, str | None], replaced: bool = False) -> Iterator[Finding]:
    """Every problem of a URL that the fast path did not accept; ``replaced``: the reader put U+FFFD in it
    for bytes that were not UTF-8 (MT108 reports them), so its U+FFFDs are not MT309's."""
    if not url.strip():
        yield Finding(Code.MT311, "the URL is empty" if not url else "the URL is only whitespace", pointer)
        return
    stripped = url.strip()
    if stripped != url:
        yield Finding(Code.MT304, f"the URL has whitespace around it: {url!r}", pointer)
    inner = stripped.strip("<>")
    text_placeholder = url_placeholder(stripped)
    if inner != stripped and "://" in inner and url_placeholder(inner) is None:
        yield Finding(Code.MT306, _angle_brackets(stripped), pointer)
        stripped = inner
    elif text_placeholder is not None:
        yield Finding(Code.MT307, text_placeholder, pointer)
        return
    unwritable = UNWRITABLE.search(stripped)
    if unwritable:
        yield Finding(Code.MT305, _unwritable_message(unwritable.group()), pointer)
    scheme = _SCHEME.match(stripped)
    if scheme is None or "://" not in stripped:
        yield Finding(
            Code.MT301,
            f"{stripped!r} is not an absolute URL: object URLs are https URLs with the store's host and the"
            f" object's key, such as {aws.EXAMPLE_URL}",
            pointer,
        )
        return
    name = scheme.group(1).lower()
    flagged = FLAGGED_SCHEMES.get(name)
    if flagged is not None:
        yield Finding(*flagged, pointer)
    elif name != "https":
        yield Finding(Code.MT302, _scheme_message(name, stripped), pointer)
        return
    parts = split_host(stripped)
    if parts is None or not parts[0]:
        yield Finding(Code.MT301, "the URL has no host", pointer)
        return
    credentials = _credentials(stripped)
    if credentials is not None:
        yield Finding(Code.MT319, credentials, pointer)
    host_problem = _host_problem(stripped, hosts)
    if host_problem is not None:
        yield Finding(Code.MT307, host_problem, pointer)
        return
    if _BAD_PERCENT.search(stripped):
        yield Finding(Code.MT308, "'%' not followed by two hex digits: write a literal % as %25", pointer)
    bad = None if stripped.isascii() else next(filter(ENCODABLE.match, stripped), None)
    if bad == "\ufffd" and replaced:
        bad = next(filter(ENCODABLE.match, stripped.replace(bad, "")), None)
    if bad is not None:
        yield Finding(Code.MT309, f"unencoded non-ASCII character {bad!r}: percent-encode the key", pointer)
    unencoded = _UNENCODED.search(stripped)
    if unencoded:
        yield Finding(Code.MT316, f"the character {unencoded.group()!r} must be percent-encoded", pointer)
    path = parts[1].split("?", 1)[0].split("#", 1)[0]
    if path.endswith("/") or path in ("", "/"):
        yield Finding(Code.MT315, "the URL names a folder or bucket, not an object (no file name)", pointer)
    yield from _check_lengths(stripped, pointer)


def _credentials(url: str) -> str | None:
    """MT319's message when the URL's authority (between :// and the path, query or fragment) holds a user
    name, a password or both; None otherwise. Neither part is quoted (a token is often passed as the user
    name: ``https://<token>@host``, ``oauth2:<token>@host``): only what they are, and the host they are for."""
    start = url.find("://") + 3
    end = min((found for found in map(url.find, "/?#", repeat(start)) if found >= 0), default=len(url))
    user_info, at, host = url[start:end].rpartition("@")
    if not at:
        return None
    user, colon, _ = user_info.partition(":")
    parts = [part for part, present in (("a user name", user), ("a password", colon)) if present]
    said = " and ".join(parts) or "an empty user name"
    return (
        f"the URL carries credentials ({said}) for {host or 'its host'}: browsers refuse to load it and the"
        " credentials would be stored with the data; use a cloud integration or a pre-signed URL"
    )


def _unwritable_message(character: str) -> str:
    """MT305's message: which character, and its percent-encoding (what the fix writes)."""
    name = _CHARACTER_NAMES.get(character)
    if name is None:
        control = character < "\x20" or "\x7f" <= character <= "\x9f"
        kind = "control character" if control else "whitespace character"
        name = f"the {kind} {character!r}"
    elif character != " ":
        name = f"{name} ({character!r})"
    return f"the URL contains {name}: no URL holds it as it is; percent-encode it as {quote(character)}"


def url_codes(url: str) -> set[str]:
    """The codes lint reports for one URL string (the fixes of URLs act only where one is reported)."""
    return {finding.code for finding in _analyse(url, "", {})}


def _scheme_message(scheme: str, url: str) -> str:
    """A real https form to write instead, or what is missing for one."""
    rest = url.split("://", 1)[1] if "://" in url else ""
    bucket, _, key = _WHITESPACE.sub(lambda m: quote(m.group()), rest).partition("/")
    if scheme in ("gs", "s3") and (not bucket or not key.strip("/")):
        return (
            f"{scheme}:// is not an object URL, and {url!r} names no object: the bucket ({bucket or 'missing'})"
            " must be followed by the object's key; then write the https form of bucket and key"
        )
    if scheme == "gs":
        return f"gs:// is not an object URL: write {gcp.https_form(f'{bucket}/{key}')}"
    if scheme == "s3":
        return (
            f"s3:// is not an object URL: write https://{aws.virtual_host(bucket)}/{key}, or better with the"
            f" bucket's region (https://{aws.virtual_host(bucket, EXAMPLE_AWS_REGION)}/{key} for a bucket in"
            f" {EXAMPLE_AWS_REGION})"
        )
    if scheme in ("az", "abfs", "abfss", "wasb", "wasbs"):
        container, at, account = bucket.partition("@")
        if at and account.split(".", 1)[0] and key:
            return (
                f"{scheme}:// is not an object URL: write"
                f" https://{azure.account_host(account.split('.', 1)[0])}/{container}/{key}"
            )
        return (
            f"{scheme}:// is not an object URL, and this one does not name the storage account: write the"
            f" blob's https URL, the account's host (its name followed by .{azure.ACCOUNT_HOST_SUFFIX}) then"
            f" /{bucket}/{key}"
        )
    return f"{scheme}:// URLs cannot be registered: object URLs are https"


register(RULES, [check_urls])
