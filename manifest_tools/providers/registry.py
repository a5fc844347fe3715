"""The providers in the order they are tried, and what callers ask of them all.

``locate_url`` tries each provider's host patterns (direct access last),
``parse_source`` each provider's sources (a folder last), ``make_lister`` builds
the lister of a Source, ``location_lister`` the lister of a located URL's
bucket, and ``object_reader`` reads a URL's byte ranges through its store's
lister (or by the URL itself). Adding a provider is adding its module and one
line here.
"""

from __future__ import annotations

from collections.abc import Callable

from manifest_tools.errors import SourceError
from manifest_tools.providers import aws, azure, direct, gcp, local, otc, s3_compatible
from manifest_tools.providers.base import (
    Lister,
    ListerOptions,
    Location,
    Provider,
    RangeReader,
    Source,
    split_host,
    url_key,
)

PROVIDERS: tuple[Provider, ...] = (
    aws.PROVIDER,
    gcp.PROVIDER,
    azure.PROVIDER,
    otc.PROVIDER,
    s3_compatible.PROVIDER,
    local.PROVIDER,
    direct.PROVIDER,
)
"""Recognition order: the first provider whose pattern matches a host owns it; direct access takes the rest."""
BY_NAME: dict[str, Provider] = {provider.name: provider for provider in PROVIDERS}
_WHOLE = tuple(provider.locate_whole for provider in PROVIDERS if provider.locate_whole is not None)
_SOURCES = tuple(provider.parse_source for provider in PROVIDERS if provider.parse_source is not None)


def locate_url(url: str) -> Location:
    """Recognise the provider of an ``https://`` object URL (anything else is direct access).

    A pre-signed URL (an AWS signature, an Azure SAS) is direct access whatever its host: the
    signature, not an integration, grants the read.
    """
    for locate_whole in _WHOLE:
        found = locate_whole(url)
        if found is not None:
            return found
    parts = split_host(url)
    if parts is None:
        return Location("direct", "")
    host, rest = parts
    path = rest.split("?", 1)[0].split("#", 1)[0]
    query = rest.lower()
    if "x-amz-signature=" in query or ("sig=" in query and "sv=" in query):
        return Location("direct", host)
    for provider in PROVIDERS:
        location = provider.locate(host, path)
        if location is not None:
            return location
    return Location("direct", host)


def unknown_region(location: Location) -> bool:
    """True when a word stands where the store's region belongs (``s3.region.``, ``s3.<region>.``)."""
    known = BY_NAME[location.provider].regions
    return known is not None and location.region is not None and location.region not in known


def parse_source(text: str) -> Source:
    """``s3://b/p``, ``obs://b/p``, ``gs://b/p``, ``az://account/container/p``,
    ``https://account.blob.core.windows.net/container/p`` or a local folder."""
    for parse in _SOURCES:
        source = parse(text)
        if source is not None:
            return source
    raise SourceError(
        f"{text}: unsupported source (use s3://, obs://, gs://, az://, an Azure https:// URL or a folder)"
    )


def make_lister(source: Source, options: ListerOptions) -> Lister:
    """The lister of a source (its SDK is imported now: SourceError when it is missing)."""
    build = BY_NAME[source.provider].lister
    if build is None:
        raise SourceError(f"{source.describe()}: {BY_NAME[source.provider].title} cannot be listed")
    return build(source, options)


def location_lister(location: Location, region: str | None, endpoint_url: str | None) -> Lister:
    """The lister of the store (bucket or container) a located URL points at."""
    source = Source(location.provider, location.bucket or "", "", location.account)
    return make_lister(source, ListerOptions(region=region or location.region, endpoint_url=endpoint_url))


def object_reader(
    url: str,
    lister_of: Callable[[Location], Lister],
    timeout: float,
    local_roots: tuple[tuple[str, str], ...] = (),
) -> RangeReader:
    """Byte ranges of the object at ``url``: from a folder when it serves the URL (``local_roots``, the
    (URL base, folder) pairs of ``--local BASE=DIR``), through its store's lister (``lister_of`` builds
    or reuses one per store) when the URL names a bucket and key, else by the URL (direct access)."""
    served = local.served_path(url, local_roots)
    if served is not None:
        return local.FileReader(served)
    location = locate_url(url)
    key = url_key(location)
    provider = BY_NAME[location.provider]
    if provider.lister is not None and location.bucket is not None and key is not None:
        return lister_of(location).reader(key)
    by_url = provider.url_reader or BY_NAME["direct"].url_reader
    if by_url is None:
        raise SourceError(f"{url}: no reader for {location.describe}")
    return by_url(url, timeout)
