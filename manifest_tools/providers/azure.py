"""Azure Blob Storage: its account host, its public URL, ``az://`` and https sources, and the
azure-storage-blob lister."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from manifest_tools.errors import SourceError
from manifest_tools.providers.base import (
    ListerOptions,
    Location,
    ObjectInfo,
    ObjectStat,
    Provider,
    ReadError,
    Retry,
    Source,
    base_url,
    encode_key,
    missing_extra,
    stat_then_read,
    total_of,
)
from manifest_tools.providers.prefetch import prefetched

ACCOUNT_HOST_SUFFIX = "blob.core.windows.net"
"""An account's host is its name, a dot, and this."""
_HOST = re.compile(r"^(?P<account>[a-z0-9]+)\.blob\.core\.windows\.net$")
_HTTPS_SOURCE = re.compile(
    r"^https://(?P<account>[a-z0-9]+)\.blob\.core\.windows\.net/(?P<container>[^/]+)/?(?P<prefix>.*)$"
)


def locate(host: str, path: str) -> Location | None:
    match = _HOST.match(host)
    if match is None:
        return None
    container, _, blob = path[1:].partition("/")
    return Location("azure", host, container or None, blob, account=match["account"])


def account_host(account: str) -> str:
    """``account.blob.core.windows.net``."""
    return f"{account}.{ACCOUNT_HOST_SUFFIX}"


def azure_url(account: str, container: str, blob: str) -> str:
    """Azure Blob Storage URL."""
    return f"https://{account_host(account)}/{container}/{encode_key(blob)}"


def public_url(
    bucket: str, key: str, *, region: str | None = None, account: str | None = None, style: str = "virtual"
) -> str:
    return azure_url(account or "", bucket, key)


def parse_source(text: str) -> Source | None:
    """``az://account/container/prefix`` or ``https://account.blob.core.windows.net/container/prefix``."""
    if text.startswith("az://"):
        account, _, rest = text[5:].partition("/")
        container, _, prefix = rest.partition("/")
        if not account or not container:
            raise SourceError(f"{text}: write az://ACCOUNT/CONTAINER/PREFIX")
        return Source("azure", container, prefix, account)
    match = _HTTPS_SOURCE.match(text)
    if match:
        return Source("azure", match["container"], match["prefix"], match["account"])
    return None


def integration(location: Location) -> tuple[str, ...]:
    """One integration per storage account."""
    return ("azure", location.account or "")


def describe(location: Location) -> str:
    return f"Azure Blob Storage account {location.account}"


def azure_container(account: str, container: str, retry: Retry | None = None) -> Any:
    """A ContainerClient from the usual credentials: connection string, account key, SAS, then Entra ID."""
    retry = retry or Retry()
    try:
        from azure.storage.blob import BlobServiceClient, LinearRetry
    except ImportError as error:
        raise missing_extra("azure", error) from None
    settings: dict[str, Any] = {}
    if retry.attempts is not None:
        settings["retry_total"] = retry.attempts - 1
    if retry.backoff is not None:  # the SDK's own waits start at 15 s and grow by 3**n
        settings["retry_policy"] = LinearRetry(
            backoff=round(retry.backoff),
            random_jitter_range=round(retry.backoff / 2),
            retry_total=settings.get("retry_total", 3),
        )
    connection = os.environ.get("AZURE_STORAGE_CONNECTION_STRING")
    if connection:
        client = BlobServiceClient.from_connection_string(connection, **settings)
        return client.get_container_client(container)
    account_url = f"https://{account_host(account)}"
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
    return BlobServiceClient(account_url, credential=credential, **settings).get_container_client(container)


class AzureLister:
    """azure-storage-blob ``list_blobs`` pages."""

    def __init__(self, source: Source, options: ListerOptions) -> None:
        self.source, self.options = source, options
        self.container = azure_container(source.account or "", source.bucket, options.retry)

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
        """The blobs directly in ``prefix`` (one level, with a / delimiter): what ``verify`` stats."""
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
            return base_url(self.options.url_base, key)
        return azure_url(self.source.account or "", self.source.bucket, key)

    def reader(self, key: str) -> AzureReader:
        return AzureReader(self.container.get_blob_client(key))


class AzureReader:
    """An Azure blob (azure-storage-blob ``get_blob_properties`` / ``download_blob(offset, length)``)."""

    def __init__(self, blob: Any) -> None:
        self.blob = blob

    def stat(self) -> ObjectStat:
        from azure.core.exceptions import AzureError, ResourceNotFoundError

        try:
            properties = self.blob.get_blob_properties()
        except ResourceNotFoundError:
            raise ReadError("no such blob", missing=True) from None
        except AzureError as error:
            raise ReadError(str(error).splitlines()[0]) from None
        return ObjectStat(int(properties.size), properties.etag)

    def read(self, start: int, length: int) -> bytes:
        from azure.core.exceptions import AzureError

        try:
            return bytes(self.blob.download_blob(offset=start, length=length).readall())
        except AzureError as error:
            raise ReadError(str(error).splitlines()[0]) from None

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        from azure.core.exceptions import AzureError

        try:
            download = self.blob.download_blob(offset=0, length=length)
            data = bytes(download.readall())
        except AzureError:
            return stat_then_read(self, length)  # an empty blob has no range, or a real error
        properties = download.properties
        total = total_of(properties.content_range) or int(properties.size)
        return ObjectStat(total, properties.etag), data


def lister(source: Source, options: ListerOptions) -> AzureLister:
    return AzureLister(source, options)


PROVIDER = Provider(
    name="azure",
    title="Azure Blob Storage",
    locate=locate,
    scheme="az",
    parse_source=parse_source,
    public_url=public_url,
    lister=lister,
    integration=integration,
    describe=describe,
)
