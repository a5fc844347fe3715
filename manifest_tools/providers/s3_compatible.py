"""S3-compatible stores (Wasabi, Cloudflare R2, DigitalOcean Spaces, Backblaze B2, Oracle): recognised by
their endpoint, listed with the S3 lister (reached with --endpoint-url)."""

from __future__ import annotations

import re

from manifest_tools.providers.aws import BUCKET_LABEL, S3Lister, public_url
from manifest_tools.providers.base import ListerOptions, Location, Provider, Source, bucket_location

_HOST = re.compile(
    BUCKET_LABEL + r"(?P<endpoint>s3(?:[.-][a-z0-9-]+)?\.wasabisys\.com"
    r"|[a-z0-9]+(?:\.eu|\.fedramp)?\.r2\.cloudflarestorage\.com"
    r"|[a-z0-9-]+(?:\.cdn)?\.digitaloceanspaces\.com"
    r"|s3\.[a-z0-9-]+\.backblazeb2\.com"
    r"|[a-z0-9-]+\.compat\.objectstorage\.[a-z0-9-]+\.oraclecloud\.com)$"
)
"""Stores by endpoint: a bucket label before the endpoint is virtual-hosted style, none is path style;
the endpoint decides the integration, so one bucket written both ways is one bucket and one integration."""
_ORACLE_DOMAIN = ".oraclecloud.com"
"""Oracle's other hosts (the native object storage API): path style, the endpoint is the whole host."""


def locate(host: str, path: str) -> Location | None:
    match = _HOST.match(host)
    if match is not None:
        return bucket_location("s3-compatible", host, path, match["bucket"], endpoint=match["endpoint"])
    if host.endswith(_ORACLE_DOMAIN):
        bucket, _, key = path[1:].partition("/")
        return Location("s3-compatible", host, bucket or None, key)
    return None


def integration(location: Location) -> tuple[str, ...]:
    """One integration per endpoint."""
    return ("s3-compatible", location.endpoint or location.host)


def describe(location: Location) -> str:
    return f"the S3-compatible store {location.endpoint or location.host}"


def lister(source: Source, options: ListerOptions) -> S3Lister:
    return S3Lister(source, options)


PROVIDER = Provider(
    name="s3-compatible",
    title="an S3-compatible store",
    locate=locate,
    scheme="s3",
    public_url=public_url,
    lister=lister,
    integration=integration,
    describe=describe,
)
