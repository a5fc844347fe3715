"""List objects under a prefix in S3 (and OBS and other S3-compatible stores), GCS, Azure or a folder.

Each lister yields keys in the store's listing order (lexicographic for the
cloud stores, depth-first sorted for a folder: either way every folder's keys
are contiguous, which grouping relies on) and builds each key's public URL in
the provider's documented form, never from the endpoint the client talked to
(an emulator hands out 127.0.0.1). SDKs are imported here only; a missing one,
and every SDK error, becomes a SourceError with a sentence a user can act on.
Credentials come from each SDK's usual chain and are never printed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from manifest_tools.cloud import urls
from manifest_tools.cloud.prefetch import parallel_subtrees, prefetched
from manifest_tools.cloud.sources import Source
from manifest_tools.errors import SourceError

PAGE_SIZE = 1000
PARALLEL_LISTINGS = 8


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int


class Lister(Protocol):
    def objects(self) -> Iterator[ObjectInfo]: ...

    def url(self, key: str) -> str: ...


class FolderLister(Protocol):
    def folder(self, prefix: str) -> Iterator[ObjectInfo]: ...


@dataclass(frozen=True, slots=True)
class ListerOptions:
    """How to reach the store and how to write its URLs."""

    region: str | None = None
    endpoint_url: str | None = None
    url_style: str = "virtual"
    url_base: str | None = None
    page_size: int = PAGE_SIZE


def _missing(extra: str, error: ImportError) -> SourceError:
    return SourceError(
        f"this source needs the {extra} extra: pip install 'manifest-tools[{extra}]' ({error.name} is missing)"
    )


_LOCATION_SOURCES = {"aws": "s3", "otc": "obs", "s3-compatible": "s3", "gcp": "gcs", "azure": "azure"}
"""Which lister (and so which client) serves each provider that ``urls.locate_url`` recognises."""


def location_lister(location: urls.Location, region: str | None, endpoint_url: str | None) -> Lister:
    """The lister of the store (bucket or container) a located URL points at."""
    name = _LOCATION_SOURCES[location.provider]
    region = region or location.region or ("eu-de" if name == "obs" else None)
    source = Source(name, location.bucket or "", "", location.account)
    return make_lister(source, ListerOptions(region=region, endpoint_url=endpoint_url))


def make_lister(source: Source, options: ListerOptions) -> Lister:
    if source.provider in ("s3", "obs"):
        return S3Lister(source, options)
    if source.provider == "gcs":
        return GcsLister(source, options)
    if source.provider == "azure":
        return AzureLister(source, options)
    return LocalLister(source, options)


class S3Lister:
    """boto3 ``list_objects_v2`` pages; OBS is reached through its S3 API."""

    def __init__(self, source: Source, options: ListerOptions) -> None:
        try:
            import boto3
            import botocore.session
            from botocore.config import Config
        except ImportError as error:
            raise _missing("s3", error) from None
        self.source, self.options = source, options
        endpoint = options.endpoint_url
        if source.provider == "obs":
            if not options.region:
                raise SourceError("obs:// needs --region (for example eu-de)")
            endpoint = endpoint or f"https://obs.{options.region}.otc.t-systems.com"
        config = Config(
            retries={"mode": "standard", "max_attempts": 5},
            s3={"addressing_style": "path" if endpoint else "auto"},
            # OBS and other S3-compatible stores reject boto3's newer default checksum headers.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        # Listings never use LastModified; parsing it with dateutil took half the client's time.
        session = botocore.session.get_session()
        session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
        self.client = boto3.Session(botocore_session=session).client(
            "s3", endpoint_url=endpoint, region_name=options.region, config=config
        )
        self.region = options.region

    def objects(self) -> Iterator[ObjectInfo]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            if self.source.provider == "s3" and not self.region:
                found = self.client.get_bucket_location(Bucket=self.source.bucket).get("LocationConstraint")
                self.region = found or "us-east-1"
            segments = self._plan(self.source.prefix, levels=3)
            for page in parallel_subtrees(segments, self._segment_pages):
                yield from page
        except (ClientError, BotoCoreError) as error:
            raise SourceError(f"{self.source.describe()}: {s3_reason(error)}") from None

    def _plan(self, prefix: str, levels: int) -> list[list[ObjectInfo] | str]:
        """The listing as ordered segments: a folder's direct objects, or a prefix to list whole.

        Sub-prefixes found by /-delimited listings are listed in parallel later (as
        rclone does); a level is expanded only while it fits in one page, so the plan
        stays small whatever the bucket holds.
        """
        response = self.client.list_objects_v2(
            Bucket=self.source.bucket, Prefix=prefix, Delimiter="/", MaxKeys=self.options.page_size
        )
        if response.get("IsTruncated"):
            return [prefix]
        files = [ObjectInfo(e["Key"], int(e.get("Size", 0))) for e in response.get("Contents", ())]
        subs = [entry["Prefix"] for entry in response.get("CommonPrefixes", ())]
        segments: list[list[ObjectInfo] | str] = [files] if files else []
        for sub in subs:
            if levels > 1 and len(subs) < PARALLEL_LISTINGS:
                segments += self._plan(sub, levels - 1)
            else:
                segments.append(sub)
        return segments

    def _segment_pages(self, segment: list[ObjectInfo] | str) -> Iterator[list[ObjectInfo]]:
        if not isinstance(segment, str):
            yield segment
            return
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.source.bucket, Prefix=segment, PaginationConfig={"PageSize": self.options.page_size}
        )
        for page in pages:
            yield [ObjectInfo(e["Key"], int(e.get("Size", 0))) for e in page.get("Contents", ())]

    def folder(self, prefix: str) -> Iterator[ObjectInfo]:
        """The objects directly in ``prefix`` (one level, with a / delimiter)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.source.bucket,
                Prefix=prefix,
                Delimiter="/",
                PaginationConfig={"PageSize": self.options.page_size},
            )
            for page in pages:
                for entry in page.get("Contents", ()):
                    yield ObjectInfo(entry["Key"], int(entry.get("Size", 0)))
        except (ClientError, BotoCoreError) as error:
            raise SourceError(f"{self.source.provider}://{self.source.bucket}/{prefix}: {s3_reason(error)}") from None

    def url(self, key: str) -> str:
        if self.options.url_base:
            return urls.base_url(self.options.url_base, key)
        if self.source.provider == "obs":
            return urls.obs_url(self.source.bucket, key, self.options.region or "")
        return urls.s3_url(self.source.bucket, key, self.region, style=self.options.url_style)


def s3_reason(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code", "")
        if code == "NoSuchBucket":
            return "the bucket does not exist"
        if code in ("AccessDenied", "403"):
            return "access denied (check the credentials and the bucket policy)"
        message = response.get("Error", {}).get("Message", "")
        return f"{code} {message}".strip() or str(error)
    return str(error)


class GcsLister:
    """google-cloud-storage ``list_blobs`` pages (STORAGE_EMULATOR_HOST is honoured, anonymously)."""

    def __init__(self, source: Source, options: ListerOptions) -> None:
        try:
            from google.cloud import storage
        except ImportError as error:
            raise _missing("gcs", error) from None
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

    def objects(self) -> Iterator[ObjectInfo]:
        from google.api_core import exceptions

        try:
            blobs = self.client.list_blobs(
                self.source.bucket, prefix=self.source.prefix or None, page_size=self.options.page_size
            )
            for page in prefetched(list(page) for page in blobs.pages):
                for blob in page:
                    yield ObjectInfo(blob.name, int(blob.size or 0))
        except exceptions.NotFound:
            raise SourceError(f"{self.source.describe()}: the bucket does not exist") from None
        except exceptions.GoogleAPIError as error:
            raise SourceError(f"{self.source.describe()}: {error}") from None

    def folder(self, prefix: str) -> Iterator[ObjectInfo]:
        """The objects directly in ``prefix`` (one level, with a / delimiter)."""
        from google.api_core import exceptions

        try:
            blobs = self.client.list_blobs(
                self.source.bucket, prefix=prefix or None, delimiter="/", page_size=self.options.page_size
            )
            for blob in blobs:
                yield ObjectInfo(blob.name, int(blob.size or 0))
        except exceptions.NotFound:
            raise SourceError(f"gs://{self.source.bucket}: the bucket does not exist") from None
        except exceptions.GoogleAPIError as error:
            raise SourceError(f"gs://{self.source.bucket}/{prefix}: {error}") from None

    def url(self, key: str) -> str:
        if self.options.url_base:
            return urls.base_url(self.options.url_base, key)
        return urls.gcs_url(self.source.bucket, key)


def azure_container(account: str, container: str) -> Any:
    """A ContainerClient from the usual credentials: connection string, account key, SAS, then Entra ID."""
    try:
        from azure.storage.blob import BlobServiceClient
    except ImportError as error:
        raise _missing("azure", error) from None
    connection = os.environ.get("AZURE_STORAGE_CONNECTION_STRING")
    if connection:
        return BlobServiceClient.from_connection_string(connection).get_container_client(container)
    account_url = f"https://{account}.blob.core.windows.net"
    credential: Any = None
    if os.environ.get("AZURE_STORAGE_KEY"):
        credential = {"account_name": account, "account_key": os.environ["AZURE_STORAGE_KEY"]}
    elif os.environ.get("AZURE_STORAGE_SAS_TOKEN"):
        credential = os.environ["AZURE_STORAGE_SAS_TOKEN"]
    else:
        try:
            from azure.identity import DefaultAzureCredential

            credential = DefaultAzureCredential()
        except ImportError:
            credential = None  # a public container
    return BlobServiceClient(account_url, credential=credential).get_container_client(container)


class AzureLister:
    """azure-storage-blob ``list_blobs`` pages."""

    def __init__(self, source: Source, options: ListerOptions) -> None:
        self.source, self.options = source, options
        self.container = azure_container(source.account or "", source.bucket)

    def objects(self) -> Iterator[ObjectInfo]:
        from azure.core.exceptions import AzureError, ResourceNotFoundError

        try:
            pages = self.container.list_blobs(
                name_starts_with=self.source.prefix or None, results_per_page=self.options.page_size
            ).by_page()
            for page in prefetched(list(page) for page in pages):
                for blob in page:
                    yield ObjectInfo(blob.name, int(blob.size or 0))
        except ResourceNotFoundError:
            raise SourceError(f"{self.source.describe()}: the container does not exist") from None
        except AzureError as error:
            raise SourceError(f"{self.source.describe()}: {error}") from None

    def folder(self, prefix: str) -> Iterator[ObjectInfo]:
        """The blobs directly in ``prefix`` (one level, with a / delimiter)."""
        from azure.core.exceptions import AzureError, ResourceNotFoundError

        try:
            for entry in self.container.walk_blobs(name_starts_with=prefix or None, delimiter="/"):
                if not entry.name.endswith("/"):  # BlobPrefix entries are the sub-folders
                    yield ObjectInfo(entry.name, int(getattr(entry, "size", 0) or 0))
        except ResourceNotFoundError:
            raise SourceError(f"{self.source.describe()}: the container does not exist") from None
        except AzureError as error:
            raise SourceError(f"{self.source.describe()}: {error}") from None

    def url(self, key: str) -> str:
        if self.options.url_base:
            return urls.base_url(self.options.url_base, key)
        return urls.azure_url(self.source.account or "", self.source.bucket, key)


class LocalLister:
    """A folder, for direct-access hosting (--url-base) and for tests."""

    def __init__(self, source: Source, options: ListerOptions) -> None:
        if not options.url_base:
            raise SourceError("a local folder needs --url-base (where the files are served, https://...)")
        self.root, self.options = Path(source.bucket), options

    def objects(self) -> Iterator[ObjectInfo]:
        for folder, folders, files in os.walk(self.root):
            folders.sort()
            relative = Path(folder).relative_to(self.root).as_posix()
            for name in sorted(files):
                key = name if relative == "." else f"{relative}/{name}"
                yield ObjectInfo(key, (Path(folder) / name).stat().st_size)

    def url(self, key: str) -> str:
        return urls.base_url(self.options.url_base or "", key)
