"""Google Cloud Storage: its host forms, its public URL, ``gs://`` sources, and the google-cloud-storage lister."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from manifest_tools.errors import SourceError
from manifest_tools.providers.aws import BUCKET_LABEL
from manifest_tools.providers.base import (
    ListerOptions,
    Location,
    ObjectInfo,
    ObjectStat,
    Provider,
    ReadError,
    Source,
    base_url,
    bucket_location,
    encode_key,
    missing_extra,
    stat_then_read,
)
from manifest_tools.providers.prefetch import prefetched

_HOST = re.compile(BUCKET_LABEL + r"storage\.(?:googleapis\.com|cloud\.google\.com)$")
"""storage.cloud.google.com (documented), storage.googleapis.com (in real use), and the virtual-hosted
<bucket>.storage.googleapis.com: all one integration."""
_PUBLIC = "https://storage.cloud.google.com/"
"""The documented public form: this, then bucket/key."""


def locate(host: str, path: str) -> Location | None:
    match = _HOST.match(host)
    if match is None:
        return None
    return bucket_location("gcp", host, path, match["bucket"])


def https_form(path: str) -> str:
    """The public URL of ``bucket/key`` as written (not encoded again): what ``gs://bucket/key`` stands for."""
    return _PUBLIC + path


def gcs_url(bucket: str, key: str) -> str:
    """Google Cloud Storage object URL in the documented form (not gs://)."""
    return https_form(f"{bucket}/{encode_key(key)}")


def public_url(
    bucket: str, key: str, *, region: str | None = None, account: str | None = None, style: str = "virtual"
) -> str:
    return gcs_url(bucket, key)


def parse_source(text: str) -> Source | None:
    if not text.startswith("gs://"):
        return None
    bucket, _, prefix = text[5:].partition("/")
    if not bucket:
        raise SourceError(f"{text}: no bucket after gs://")
    return Source("gcp", bucket, prefix)


class GcsLister:
    """google-cloud-storage ``list_blobs`` pages (STORAGE_EMULATOR_HOST is honoured, anonymously)."""

    def __init__(self, source: Source, options: ListerOptions) -> None:
        try:
            from google.cloud import storage
        except ImportError as error:
            raise missing_extra("gcs", error) from None
        self.source, self.options = source, options
        if os.environ.get("STORAGE_EMULATOR_HOST"):
            from google.auth.credentials import AnonymousCredentials

            self.client = storage.Client(project="emulator", credentials=AnonymousCredentials())  # type: ignore[no-untyped-call]
        else:
            self.client = storage.Client()
        # Newer clients fetch bucket metadata (for routing headers) in daemon threads that outlive the
        # call and retry in the background: a library call must not leave threads in its host process,
        # and listing needs none of it. The client skips the cache when it is unset.
        if hasattr(self.client, "_bucket_metadata_cache"):
            self.client._bucket_metadata_cache = None
        self.retry: dict[str, Any] = {}
        if options.retry.backoff is not None:  # the client retries until a deadline; only its waits are set
            from google.cloud.storage.retry import DEFAULT_RETRY

            self.retry["retry"] = DEFAULT_RETRY.with_delay(initial=options.retry.backoff)

    def objects(self) -> Iterator[ObjectInfo]:
        from google.api_core import exceptions

        try:
            blobs = self.client.list_blobs(
                self.source.bucket, prefix=self.source.prefix or None, page_size=self.options.page_size, **self.retry
            )
            for page in prefetched(list(page) for page in blobs.pages):
                for blob in page:
                    yield ObjectInfo(blob.name, int(blob.size or 0))
        except exceptions.NotFound:
            raise SourceError(f"{self.source.describe()}: the bucket does not exist") from None
        except exceptions.GoogleAPIError as error:
            raise SourceError(f"{self.source.describe()}: {error}") from None

    def folder(self, prefix: str) -> Iterator[ObjectInfo]:
        """The objects directly in ``prefix`` (one level, with a / delimiter): what ``verify`` stats."""
        from google.api_core import exceptions

        try:
            blobs = self.client.list_blobs(
                self.source.bucket,
                prefix=prefix or None,
                delimiter="/",
                page_size=self.options.page_size,
                **self.retry,
            )
            for blob in blobs:
                yield ObjectInfo(blob.name, int(blob.size or 0))
        except exceptions.NotFound:
            raise SourceError(f"gs://{self.source.bucket}: the bucket does not exist") from None
        except exceptions.GoogleAPIError as error:
            raise SourceError(f"gs://{self.source.bucket}/{prefix}: {error}") from None

    def url(self, key: str) -> str:
        if self.options.url_base:
            return base_url(self.options.url_base, key)
        return gcs_url(self.source.bucket, key)

    def reader(self, key: str) -> GcsReader:
        return GcsReader(self.client.bucket(self.source.bucket), key)


class GcsReader:
    """A GCS object (google-cloud-storage ``get_blob`` / ``download_as_bytes(start, end)``)."""

    def __init__(self, bucket: Any, key: str) -> None:
        self.bucket, self.key = bucket, key
        self.blob: Any = None

    def stat(self) -> ObjectStat:
        from google.api_core import exceptions

        try:
            self.blob = self.bucket.get_blob(self.key)
        except exceptions.GoogleAPIError as error:
            raise ReadError(str(error)) from None
        if self.blob is None:
            raise ReadError("no such object", missing=True)
        return ObjectStat(int(self.blob.size or 0), self.blob.etag)

    def read(self, start: int, length: int) -> bytes:
        from google.api_core import exceptions

        blob = self.blob or self.bucket.blob(self.key)
        try:
            return bytes(blob.download_as_bytes(start=start, end=start + length - 1, checksum=None))
        except exceptions.GoogleAPIError as error:
            raise ReadError(str(error)) from None

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        return stat_then_read(self, length)  # a ranged download does not tell the object's size


def lister(source: Source, options: ListerOptions) -> GcsLister:
    return GcsLister(source, options)


PROVIDER = Provider(
    name="gcp",
    title="Google Cloud Storage",
    locate=locate,
    scheme="gs",
    parse_source=parse_source,
    public_url=public_url,
    lister=lister,
)
