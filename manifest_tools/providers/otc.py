"""Open Telekom Cloud OBS: its host form, its public URL and ``obs://`` sources, listed through its S3 API."""

from __future__ import annotations

import re

from manifest_tools.errors import SourceError
from manifest_tools.providers.aws import BUCKET_LABEL, S3Lister, s3_scheme_source
from manifest_tools.providers.base import (
    ListerOptions,
    Location,
    Provider,
    Source,
    base_url,
    bucket_location,
    encode_key,
)
from manifest_tools.providers.regions import EXAMPLE_OBS_REGION, OBS_REGIONS

_HOST = re.compile(BUCKET_LABEL + r"obs\.(?P<region>[^.]+)\.otc\.t-systems\.com$")


def locate(host: str, path: str) -> Location | None:
    match = _HOST.match(host)
    if match is None:
        return None
    return bucket_location("otc", host, path, match["bucket"], region=match["region"])


def endpoint(region: str) -> str:
    """The S3 API endpoint of a region."""
    return f"https://obs.{region}.otc.t-systems.com"


def obs_url(bucket: str, key: str, region: str) -> str:
    """Open Telekom Cloud OBS object URL."""
    return f"https://{bucket}.obs.{region}.otc.t-systems.com/{encode_key(key)}"


def public_url(
    bucket: str, key: str, *, region: str | None = None, account: str | None = None, style: str = "virtual"
) -> str:
    return obs_url(bucket, key, region or "")


def parse_source(text: str) -> Source | None:
    return s3_scheme_source(text, "obs", "otc")


class ObsLister(S3Lister):
    """The S3 lister at the region's OBS endpoint, writing OBS URLs."""

    finds_region = False

    def default_endpoint(self) -> str | None:
        if not self.options.region:
            raise SourceError("obs:// needs --region (for example eu-de)")
        return endpoint(self.options.region)

    def url(self, key: str) -> str:
        if self.options.url_base:
            return base_url(self.options.url_base, key)
        return obs_url(self.source.bucket, key, self.options.region or "")


def lister(source: Source, options: ListerOptions) -> ObsLister:
    return ObsLister(source, options)


PROVIDER = Provider(
    name="otc",
    title="Open Telekom Cloud OBS",
    locate=locate,
    scheme="obs",
    parse_source=parse_source,
    public_url=public_url,
    lister=lister,
    regions=OBS_REGIONS,
    example_region=EXAMPLE_OBS_REGION,
)
