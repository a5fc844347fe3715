"""Recognise which store an object URL points at (spec section 3), without any SDK.

Used by the linter (which provider, bucket and integration a URL needs) and,
later, by the generators and the verifier (building and listing URLs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from manifest_tools.cloud.regions import AWS_LEGACY_REGION_NAMES, AWS_REGIONS, OBS_REGIONS

_BUCKET_LABEL = r"(?:(?P<bucket>[a-z0-9][a-z0-9._-]*)\.)?"
"""A virtual-hosted bucket before a store's endpoint; absent in path style (the bucket is the first segment)."""
_AWS_HOST = re.compile(
    _BUCKET_LABEL
    + r"s3(?:-fips|-accelerate|-website)?(?:\.dualstack)?(?:[.-](?P<region>[^.]+))?\.amazonaws\.com(?:\.cn)?$"
)
"""Every S3 endpoint form: s3, s3.<region>, legacy s3-<region> and s3-external-1, dualstack, FIPS,
transfer acceleration and website endpoints, China; the region word is any label, so that a
placeholder there (region, <region>) is still recognised as AWS and then found not to be a region."""
_MRAP = re.compile(
    r"^https://arn:aws:s3::(?P<account>\d+):accesspoint/(?P<alias>[^/]+?)\.mrap\.s3-accesspoint\.amazonaws\.com/(?P<key>.*)$"
)
_AZURE = re.compile(r"^(?P<account>[a-z0-9]+)\.blob\.core\.windows\.net$")
_OTC = re.compile(_BUCKET_LABEL + r"obs\.(?P<region>[^.]+)\.otc\.t-systems\.com$")
_GCP = re.compile(_BUCKET_LABEL + r"storage\.(?:googleapis\.com|cloud\.google\.com)$")
"""storage.cloud.google.com (documented), storage.googleapis.com (in real use), and the virtual-hosted
<bucket>.storage.googleapis.com: all one integration."""
_S3_COMPATIBLE = re.compile(
    _BUCKET_LABEL + r"(?P<endpoint>s3(?:[.-][a-z0-9-]+)?\.wasabisys\.com"
    r"|[a-z0-9]+(?:\.eu|\.fedramp)?\.r2\.cloudflarestorage\.com"
    r"|[a-z0-9-]+(?:\.cdn)?\.digitaloceanspaces\.com"
    r"|s3\.[a-z0-9-]+\.backblazeb2\.com"
    r"|[a-z0-9-]+\.compat\.objectstorage\.[a-z0-9-]+\.oraclecloud\.com)$"
)
"""S3-compatible stores by endpoint (Wasabi, Cloudflare R2 by account, DigitalOcean Spaces, Backblaze B2,
Oracle): a bucket label before the endpoint is virtual-hosted style, none is path style; the endpoint
decides the integration, so one bucket written both ways is one bucket and one integration."""

PROVIDER_NAMES: dict[str, str] = {
    "aws": "AWS S3",
    "gcp": "Google Cloud Storage",
    "azure": "Azure Blob Storage",
    "otc": "Open Telekom Cloud OBS",
    "s3-compatible": "an S3-compatible store",
    "direct": "direct HTTPS access",
}


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
        if self.provider == "azure":
            return ("azure", self.account or "")
        if self.provider == "s3-compatible":
            return ("s3-compatible", self.endpoint or self.host)
        return (self.provider,)

    @property
    def describe(self) -> str:
        name = PROVIDER_NAMES[self.provider]
        if self.provider == "azure":
            return f"{name} account {self.account}"
        if self.provider == "s3-compatible":
            return f"the S3-compatible store {self.endpoint or self.host}"
        return name


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


def is_access_point_arn(url: str) -> bool:
    """A Multi-Region Access Point URL, whose ARN stands where a host would (no dots in it)."""
    return _MRAP.match(url) is not None


def locate_url(url: str) -> Location:
    """Recognise the provider of an ``https://`` object URL (anything else is direct access)."""
    mrap = _MRAP.match(url)
    if mrap:
        return Location("aws", "s3-accesspoint", mrap["alias"], mrap["key"], account=mrap["account"])
    parts = split_host(url)
    if parts is None:
        return Location("direct", "")
    host, rest = parts
    path = rest.split("?", 1)[0].split("#", 1)[0]
    query = rest.lower()
    if "x-amz-signature=" in query or ("sig=" in query and "sv=" in query):
        return Location("direct", host)
    match = _AWS_HOST.match(host)
    if match:
        return _bucket_location("aws", host, path, match, region=match["region"])
    match = _GCP.match(host)
    if match:
        return _bucket_location("gcp", host, path, match)
    match = _AZURE.match(host)
    if match:
        container, _, blob = path[1:].partition("/")
        return Location("azure", host, container or None, blob, account=match["account"])
    match = _OTC.match(host)
    if match:
        return _bucket_location("otc", host, path, match, region=match["region"])
    match = _S3_COMPATIBLE.match(host)
    if match:
        return _bucket_location("s3-compatible", host, path, match, endpoint=match["endpoint"])
    if host.endswith(".oraclecloud.com"):
        bucket, _, key = path[1:].partition("/")
        return Location("s3-compatible", host, bucket or None, key)
    return Location("direct", host)


def _bucket_location(
    provider: str, host: str, path: str, match: re.Match[str], *, region: str | None = None, endpoint: str | None = None
) -> Location:
    """Virtual-hosted (the bucket in the host) or path style (the bucket is the first path segment)."""
    if match["bucket"]:
        return Location(provider, host, match["bucket"], path[1:], region=region, endpoint=endpoint)
    bucket, _, key = path[1:].partition("/")
    return Location(provider, host, bucket or None, key, region=region, endpoint=endpoint)


_KNOWN_REGIONS: dict[str, frozenset[str]] = {"aws": AWS_REGIONS | AWS_LEGACY_REGION_NAMES, "otc": OBS_REGIONS}


def unknown_region(location: Location) -> bool:
    """True when a word stands where the store's region belongs (``s3.region.``, ``s3.<region>.``)."""
    known = _KNOWN_REGIONS.get(location.provider)
    return known is not None and location.region is not None and location.region not in known


def file_name(url: str) -> str:
    """The last path segment of a URL, percent-decoded, without query or fragment."""
    parts = split_host(url)
    path = parts[1] if parts else url
    path = path.split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1]
    return unquote(name) if "%" in name else name


# -- building public object URLs (spec section 3) -------------------------------------------

_KEY_SAFE = "/-_.~!$&'()*,;=:@"
"""Characters left as they are in a key; everything else (space, +, %, #, ?, non-ASCII) is percent-encoded."""


def encode_key(key: str) -> str:
    """Percent-encode an object key for a URL, the same way for every provider: ``a b+c`` -> ``a%20b%2Bc``."""
    from urllib.parse import quote

    try:  # a folder's file name that is not UTF-8 is decoded with surrogates: give its bytes back
        raw = key.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # any other lone surrogate (a JSON escape): keep it, encoded as is
        raw = key.encode("utf-8", "surrogatepass")
    return quote(raw, safe=_KEY_SAFE)


def s3_url(bucket: str, key: str, region: str | None, *, style: str = "virtual") -> str:
    """AWS S3 object URL, virtual-hosted (``bucket.s3.region.amazonaws.com``) or path style."""
    host = f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"
    if style == "path" or "." in bucket:  # dotted bucket names break virtual-hosted TLS
        return f"https://{host}/{bucket}/{encode_key(key)}"
    return f"https://{bucket}.{host}/{encode_key(key)}"


def obs_url(bucket: str, key: str, region: str) -> str:
    """Open Telekom Cloud OBS object URL."""
    return f"https://{bucket}.obs.{region}.otc.t-systems.com/{encode_key(key)}"


def gcs_url(bucket: str, key: str) -> str:
    """Google Cloud Storage object URL in the documented form (not gs://)."""
    return f"https://storage.cloud.google.com/{bucket}/{encode_key(key)}"


def azure_url(account: str, container: str, blob: str) -> str:
    """Azure Blob Storage URL."""
    return f"https://{account}.blob.core.windows.net/{container}/{encode_key(blob)}"


def base_url(base: str, key: str) -> str:
    """A direct-access URL: ``base`` (https://cdn.example.org/data) joined with the encoded key."""
    return base.rstrip("/") + "/" + encode_key(key)


def url_key(location: Location) -> str | None:
    """The decoded object key of a located URL (None for direct access)."""
    from urllib.parse import unquote

    if location.key is None:
        return None
    return unquote(location.key.split("?", 1)[0].split("#", 1)[0])
