"""Recognise which store an object URL points at (spec section 3), without any SDK.

Used by the linter (which provider, bucket and integration a URL needs) and,
later, by the generators and the verifier (building and listing URLs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

_AWS_VIRTUAL = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.\-]*)\.s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$")
_AWS_PATH = re.compile(r"^s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$")
_MRAP = re.compile(
    r"^https://arn:aws:s3::(?P<account>\d+):accesspoint/(?P<alias>[^/]+?)\.mrap\.s3-accesspoint\.amazonaws\.com/(?P<key>.*)$"
)
_AZURE = re.compile(r"^(?P<account>[a-z0-9]+)\.blob\.core\.windows\.net$")
_OTC = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.\-]*)\.obs\.(?P<region>[a-z0-9-]+)\.otc\.t-systems\.com$")
_GCP_HOSTS = ("storage.cloud.google.com", "storage.googleapis.com")
_S3_COMPATIBLE_SUFFIXES = (".wasabisys.com", ".oraclecloud.com", ".digitaloceanspaces.com", ".backblazeb2.com")

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

    @property
    def integration(self) -> tuple[str, ...]:
        """Locations with different values need different cloud integrations."""
        if self.provider == "azure":
            return ("azure", self.account or "")
        if self.provider == "s3-compatible":
            return ("s3-compatible", self.host)
        return (self.provider,)

    @property
    def describe(self) -> str:
        name = PROVIDER_NAMES[self.provider]
        if self.provider == "azure":
            return f"{name} account {self.account}"
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
    match = _AWS_VIRTUAL.match(host)
    if match:
        return Location("aws", host, match["bucket"], path[1:], region=match["region"])
    match = _AWS_PATH.match(host)
    if match:
        bucket, _, key = path[1:].partition("/")
        return Location("aws", host, bucket or None, key, region=match["region"])
    if host in _GCP_HOSTS:
        bucket, _, key = path[1:].partition("/")
        return Location("gcp", host, bucket or None, key)
    match = _AZURE.match(host)
    if match:
        container, _, blob = path[1:].partition("/")
        return Location("azure", host, container or None, blob, account=match["account"])
    match = _OTC.match(host)
    if match:
        return Location("otc", host, match["bucket"], path[1:], region=match["region"])
    if host.endswith(_S3_COMPATIBLE_SUFFIXES):
        bucket, _, key = path[1:].partition("/")
        return Location("s3-compatible", host, bucket or None, key)
    return Location("direct", host)


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
