"""The interface every provider module fills in, and the small types the providers share.

A provider is one module (``aws.py``, ``gcp.py`` ...) that ends with a
:class:`Provider`: how to recognise its URLs, how to build the public URL of a
key, which ``generate`` source it parses, how to list a bucket (all of it, or
one folder: how ``verify`` stats), and how to read any byte range of one object
(how ``probe`` reads headers). Nothing here imports an SDK: each lister imports
its SDK when it is built, and a missing one becomes a SourceError that names the
extra to install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote, unquote

from manifest_tools.errors import ManifestToolsError, SourceError

PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Retry:
    """How often a lister tries a request that a store throttled or failed, and how long it waits.

    None keeps each store's own value: S3 (and OBS, S3-compatible) 5 attempts with botocore's
    back-off (not configurable); GCS retries until a deadline, waiting 1 s, then doubling; Azure 4
    attempts, waiting 15 s, then 3**n more. ``backoff`` is the first wait in seconds (GCS doubles it,
    Azure keeps it, in whole seconds: its SDK's unit); tests shorten both.
    """

    attempts: int | None = None
    backoff: float | None = None


DEFAULT_RETRY = Retry()
"""What ``ListerOptions`` uses unless given one (read when the options are made)."""


def _default_retry() -> Retry:
    return DEFAULT_RETRY


@dataclass(frozen=True, slots=True)
class ListerOptions:
    """How to reach the store and how to write its URLs."""

    region: str | None = None
    endpoint_url: str | None = None
    url_style: str = "virtual"
    url_base: str | None = None
    page_size: int = PAGE_SIZE
    retry: Retry = field(default_factory=_default_retry)


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int


class ReadError(ManifestToolsError):
    """An object could not be read (missing, refused, or the connection failed).

    ``retryable``: the store throttled or failed for a moment; the same read may succeed later.
    ``missing``: the store says there is no such object.
    """

    def __init__(self, message: str, *, retryable: bool = False, missing: bool = False) -> None:
        super().__init__(message)
        self.retryable, self.missing = retryable, missing


RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses that say "later", not "no"."""


@dataclass(frozen=True, slots=True)
class ObjectStat:
    """What identifies one version of an object: its size and, where the store has one, its ETag."""

    size: int
    etag: str | None = None


class RangeReader(Protocol):
    """One object in one store: its stat and any byte range of it (raising ReadError)."""

    def stat(self) -> ObjectStat: ...

    def read(self, start: int, length: int) -> bytes: ...

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        """The stat and the first ``length`` bytes, in one request where the store's answer carries both."""
        ...


def stat_then_read(reader: RangeReader, length: int) -> tuple[ObjectStat, bytes]:
    """``first`` for stores whose ranged answer does not say the object's size: two requests."""
    stat = reader.stat()
    return stat, reader.read(0, min(length, stat.size)) if stat.size else b""


def total_of(content_range: str | None) -> int | None:
    """The object size of a ``Content-Range: bytes A-B/TOTAL`` answer."""
    total = (content_range or "").rpartition("/")[2]
    return int(total) if total.isdigit() else None


class Lister(Protocol):
    """A client of one bucket (or container, or folder): what ``generate``, ``verify`` and ``probe`` ask of it."""

    def objects(self) -> Iterator[ObjectInfo]:
        """Every object under the source's prefix, in listing order (each folder's keys contiguous)."""
        ...

    def folder(self, prefix: str) -> Iterator[ObjectInfo]:
        """The objects directly in ``prefix`` (one level): how ``verify`` stats a folder's objects at once."""
        ...

    def url(self, key: str) -> str:
        """The public URL of ``key`` (or its --url-base URL)."""
        ...

    def reader(self, key: str) -> RangeReader:
        """Byte ranges of the object ``key``, through this lister's client (no request yet)."""
        ...


@dataclass(frozen=True, slots=True)
class Location:
    """Where an object lives: provider, bucket (or container), key, and what identifies the integration."""

    provider: str
    host: str
    bucket: str | None = None
    key: str | None = None
    region: str | None = None
    account: str | None = None
    endpoint: str | None = None
    """An S3-compatible store's endpoint host (the host without a virtual-hosted bucket)."""

    @property
    def integration(self) -> tuple[str, ...]:
        """Locations with different values need different cloud integrations."""
        return provider_named(self.provider).integration(self)

    @property
    def describe(self) -> str:
        provider = provider_named(self.provider)
        return provider.title if provider.describe is None else provider.describe(self)


@dataclass(frozen=True, slots=True)
class Source:
    """What ``generate`` lists: a provider's bucket (or container) and prefix, or a folder (``local``)."""

    provider: str
    bucket: str
    prefix: str = ""
    account: str | None = None

    def describe(self) -> str:
        """The source as the user writes it: s3://, obs://, gs://, az:// or the folder."""
        scheme = provider_named(self.provider).scheme
        if not scheme:
            return self.bucket
        where = f"{self.account}/{self.bucket}" if self.account else self.bucket
        return f"{scheme}://{where}/{self.prefix}"


class PublicUrl(Protocol):
    """A provider's public URL of ``key`` (percent-encoded) in ``bucket``, in its documented form."""

    def __call__(
        self, bucket: str, key: str, *, region: str | None = None, account: str | None = None, style: str = "virtual"
    ) -> str: ...


def _by_provider(location: Location) -> tuple[str, ...]:
    return (location.provider,)


@dataclass(frozen=True, slots=True)
class Provider:
    """One store: the facts and functions that ``generate``, ``verify``, the URL rules and the fixes use."""

    name: str
    """The one name of the store, in ``Location.provider`` and ``Source.provider``."""
    title: str
    """What messages call it (AWS S3, Google Cloud Storage ...)."""
    locate: Callable[[str, str], Location | None]
    """A Location when an https URL's lower-case host (and its path) are this store's, else None."""
    scheme: str = ""
    """The scheme of its ``generate`` sources (s3, gs ...); empty when it has none."""
    parse_source: Callable[[str], Source | None] | None = None
    """A Source when the text is one of this store's sources, else None (SourceError when malformed)."""
    public_url: PublicUrl | None = None
    lister: Callable[[Source, ListerOptions], Lister] | None = None
    """Lists a Source, stats a folder, reads an object's byte ranges (imports the SDK; SourceError without it)."""
    url_reader: Callable[[str, float], RangeReader] | None = None
    """Reads byte ranges of an object by its URL (with a timeout in seconds), for a store without a lister:
    direct access, and any URL that names no bucket and key."""
    locate_whole: Callable[[str], Location | None] | None = None
    """For URLs whose host part is not a host name (an AWS access point ARN): tried before any host is read."""
    integration: Callable[[Location], tuple[str, ...]] = _by_provider
    describe: Callable[[Location], str] | None = None
    """What messages call a location of this store, when not just ``title``."""
    regions: frozenset[str] | None = None
    """The store's region names, when its host names carry one."""
    example_region: str | None = None


def provider_named(name: str) -> Provider:
    """The provider of that name (the registry imports every provider module)."""
    from manifest_tools.providers.registry import BY_NAME

    return BY_NAME[name]


def missing_extra(extra: str, error: ImportError) -> SourceError:
    """The error when a lister's SDK is not installed."""
    return SourceError(
        f"this source needs the {extra} extra: pip install 'manifest-tools[{extra}]' ({error.name} is missing)"
    )


def split_host(url: str) -> tuple[str, str] | None:
    """(lower-case host, rest starting at the path) of an absolute http(s) URL, else None."""
    scheme_end = url.find("://")
    if scheme_end < 0:
        return None
    start = scheme_end + 3
    end = len(url)
    for char in "/?#":
        found = url.find(char, start)
        if 0 <= found < end:
            end = found
    host = url[start:end]
    at = host.rfind("@")
    if at >= 0:
        host = host[at + 1 :]
    colon = host.rfind(":")
    if colon >= 0 and host[colon + 1 :].isdigit():
        host = host[:colon]
    return host.lower(), url[end:]


def file_name(url: str) -> str:
    """The last path segment of a URL, percent-decoded, without query or fragment."""
    parts = split_host(url)
    path = parts[1] if parts else url
    path = path.split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1]
    return unquote(name) if "%" in name else name


def bucket_location(
    provider: str, host: str, path: str, bucket: str | None, *, region: str | None = None, endpoint: str | None = None
) -> Location:
    """Virtual-hosted (``bucket`` from the host) or path style (the bucket is the first path segment)."""
    if bucket:
        return Location(provider, host, bucket, path[1:], region=region, endpoint=endpoint)
    bucket, _, key = path[1:].partition("/")
    return Location(provider, host, bucket or None, key, region=region, endpoint=endpoint)


def url_key(location: Location) -> str | None:
    """The decoded object key of a located URL (None for direct access)."""
    if location.key is None:
        return None
    return unquote(location.key.split("?", 1)[0].split("#", 1)[0])


# -- building public object URLs (spec section 3) -------------------------------------------

_KEY_SAFE = "/-_.~!$&'()*,;=:@"
"""Characters left as they are in a key; everything else (space, +, %, #, ?, non-ASCII) is percent-encoded."""


def encode_key(key: str) -> str:
    """Percent-encode an object key for a URL, the same way for every provider: ``a b+c`` -> ``a%20b%2Bc``."""
    try:  # a folder's file name that is not UTF-8 is decoded with surrogates: give its bytes back
        raw = key.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # any other lone surrogate (a JSON escape): keep it, encoded as is
        raw = key.encode("utf-8", "surrogatepass")
    return quote(raw, safe=_KEY_SAFE)


def base_url(base: str, key: str) -> str:
    """A direct-access URL: ``base`` (https://cdn.example.org/data) joined with the encoded key."""
    return base.rstrip("/") + "/" + encode_key(key)
