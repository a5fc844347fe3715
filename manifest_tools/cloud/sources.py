"""Parse a SOURCE of ``generate``: which store, bucket (or container) and prefix to list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from manifest_tools.errors import SourceError

_AZURE_HTTPS = re.compile(
    r"^https://(?P<account>[a-z0-9]+)\.blob\.core\.windows\.net/(?P<container>[^/]+)/?(?P<prefix>.*)$"
)


@dataclass(frozen=True, slots=True)
class Source:
    """What to list. ``provider`` is s3, obs, gcs, azure or local."""

    provider: str
    bucket: str
    prefix: str = ""
    account: str | None = None

    def describe(self) -> str:
        """The source as the user writes it: s3://, obs://, gs://, az:// or the folder."""
        if self.provider == "local":
            return self.bucket
        scheme = {"gcs": "gs", "azure": "az"}.get(self.provider, self.provider)
        where = f"{self.account}/{self.bucket}" if self.account else self.bucket
        return f"{scheme}://{where}/{self.prefix}"


def parse_source(text: str) -> Source:
    """``s3://b/p``, ``obs://b/p``, ``gs://b/p``, ``az://account/container/p``,
    ``https://account.blob.core.windows.net/container/p`` or a local folder."""
    for scheme, provider in (("s3://", "s3"), ("obs://", "obs"), ("gs://", "gcs")):
        if text.startswith(scheme):
            bucket, _, prefix = text[len(scheme) :].partition("/")
            if not bucket:
                raise SourceError(f"{text}: no bucket after {scheme}")
            return Source(provider, bucket, prefix)
    if text.startswith("az://"):
        account, _, rest = text[5:].partition("/")
        container, _, prefix = rest.partition("/")
        if not account or not container:
            raise SourceError(f"{text}: write az://ACCOUNT/CONTAINER/PREFIX")
        return Source("azure", container, prefix, account)
    match = _AZURE_HTTPS.match(text)
    if match:
        return Source("azure", match["container"], match["prefix"], match["account"])
    if "://" in text:
        raise SourceError(
            f"{text}: unsupported source (use s3://, obs://, gs://, az://, an Azure https:// URL or a folder)"
        )
    path = Path(text)
    if not path.is_dir():
        raise SourceError(f"{text}: no such folder")
    return Source("local", str(path))
