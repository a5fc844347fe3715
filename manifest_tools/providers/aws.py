"""AWS S3: its host forms, its public URL, ``s3://`` sources, and the boto3 lister that OBS and the
S3-compatible stores share (they speak the S3 API).

The lister yields keys in listing order (lexicographic: every folder's keys are
contiguous, which grouping relies on) and builds each key's public URL in the
provider's documented form, never from the endpoint the client talked to (an
emulator hands out 127.0.0.1). boto3 is imported when a lister is built; a
missing SDK, and every SDK error, becomes a SourceError with a sentence a user
can act on. Credentials come from the SDK's usual chain and are never printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from manifest_tools.errors import SourceError
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
    total_of,
)
from manifest_tools.providers.prefetch import parallel_subtrees
from manifest_tools.providers.regions import AWS_LEGACY_REGION_NAMES, AWS_REGIONS, EXAMPLE_AWS_REGION

BUCKET_LABEL = r"(?:(?P<bucket>[a-z0-9][a-z0-9._-]*)\.)?"
"""A virtual-hosted bucket before a store's endpoint; absent in path style (the bucket is the first segment)."""
_HOST = re.compile(
    BUCKET_LABEL
    + r"s3(?:-fips|-accelerate|-website)?(?:\.dualstack)?(?:[.-](?P<region>[^.]+))?\.amazonaws\.com(?:\.cn)?$"
)
"""Every S3 endpoint form: s3, s3.<region>, legacy s3-<region> and s3-external-1, dualstack, FIPS,
transfer acceleration and website endpoints, China; the region word is any label, so that a
placeholder there (region, <region>) is still recognised as AWS and then found not to be a region."""
_MRAP = re.compile(
    r"^https://arn:aws:s3::(?P<account>\d+):accesspoint/(?P<alias>[^/]+?)\.mrap\.s3-accesspoint\.amazonaws\.com/(?P<key>.*)$"
)
PARALLEL_LISTINGS = 8


def locate(host: str, path: str) -> Location | None:
    match = _HOST.match(host)
    if match is None:
        return None
    return bucket_location("aws", host, path, match["bucket"], region=match["region"])


def locate_access_point(url: str) -> Location | None:
    """A Multi-Region Access Point URL, whose ARN stands where a host would."""
    mrap = _MRAP.match(url)
    if mrap is None:
        return None
    return Location("aws", "s3-accesspoint", mrap["alias"], mrap["key"], account=mrap["account"])


def is_access_point_arn(url: str) -> bool:
    """A Multi-Region Access Point URL, whose ARN stands where a host would (no dots in it)."""
    return _MRAP.match(url) is not None


def virtual_host(bucket: str, region: str | None = None) -> str:
    """The virtual-hosted host of a bucket: ``bucket.s3.region.amazonaws.com`` (``bucket.s3.amazonaws.com``)."""
    return f"{bucket}.{_endpoint(region)}"


def _endpoint(region: str | None) -> str:
    return f"s3.{region}.amazonaws.com" if region else "s3.amazonaws.com"


def s3_url(bucket: str, key: str, region: str | None, *, style: str = "virtual") -> str:
    """AWS S3 object URL, virtual-hosted (``bucket.s3.region.amazonaws.com``) or path style."""
    if style == "path" or "." in bucket:  # dotted bucket names break virtual-hosted TLS
        return f"https://{_endpoint(region)}/{bucket}/{encode_key(key)}"
    return f"https://{virtual_host(bucket, region)}/{encode_key(key)}"


EXAMPLE_URL = s3_url("my-bucket", "images/a.jpg", EXAMPLE_AWS_REGION)
"""The object URL that messages show as an example."""


def public_url(
    bucket: str, key: str, *, region: str | None = None, account: str | None = None, style: str = "virtual"
) -> str:
    return s3_url(bucket, key, region, style=style)


def parse_source(text: str) -> Source | None:
    return s3_scheme_source(text, "s3", "aws")


def s3_scheme_source(text: str, scheme: str, provider: str) -> Source | None:
    """``scheme://bucket/prefix`` as a Source of ``provider``; None for any other text."""
    if not text.startswith(f"{scheme}://"):
        return None
    bucket, _, prefix = text[len(scheme) + 3 :].partition("/")
    if not bucket:
        raise SourceError(f"{text}: no bucket after {scheme}://")
    return Source(provider, bucket, prefix)


def lister(source: Source, options: ListerOptions) -> S3Lister:
    return S3Lister(source, options)


class S3Lister:
    """boto3 ``list_objects_v2`` pages; OBS and the S3-compatible stores are reached through the same API."""

    finds_region = True
    """Ask the bucket for its region when none is given (AWS answers; OBS needs one to be reached at all)."""

    def __init__(self, source: Source, options: ListerOptions) -> None:
        try:
            import boto3
            import botocore.session
            from botocore.config import Config
        except ImportError as error:
            raise missing_extra("s3", error) from None
        self.source, self.options = source, options
        endpoint = options.endpoint_url or self.default_endpoint()
        config = Config(
            retries={"mode": "standard", "max_attempts": options.retry.attempts or 5},
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

    def default_endpoint(self) -> str | None:
        """The endpoint without --endpoint-url: None lets boto3 choose AWS's."""
        return None

    def objects(self) -> Iterator[ObjectInfo]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            if self.finds_region and not self.region:
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
        """The objects directly in ``prefix`` (one level, with a / delimiter): what ``verify`` stats."""
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
            where = Source(self.source.provider, self.source.bucket, prefix).describe()
            raise SourceError(f"{where}: {s3_reason(error)}") from None

    def url(self, key: str) -> str:
        if self.options.url_base:
            return base_url(self.options.url_base, key)
        return s3_url(self.source.bucket, key, self.region, style=self.options.url_style)

    def reader(self, key: str) -> S3Reader:
        return S3Reader(self.client, self.source.bucket, key)


class S3Reader:
    """An object in S3, OBS or another S3-compatible store (boto3 ``head_object`` / ``get_object(Range=...)``)."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        self.client, self.bucket, self.key = client, bucket, key

    def stat(self) -> ObjectStat:
        head = _s3_call(self.client.head_object, Bucket=self.bucket, Key=self.key)
        return ObjectStat(int(head["ContentLength"]), head.get("ETag"))

    def read(self, start: int, length: int) -> bytes:
        ranged = f"bytes={start}-{start + length - 1}"
        response = _s3_call(self.client.get_object, Bucket=self.bucket, Key=self.key, Range=ranged)
        return bytes(response["Body"].read())

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        try:
            ranged = f"bytes=0-{length - 1}"
            response = _s3_call(self.client.get_object, Bucket=self.bucket, Key=self.key, Range=ranged)
        except ReadError:
            return stat_then_read(self, length)  # an empty object has no range (InvalidRange), or a real error
        total = total_of(response.get("ContentRange")) or int(response.get("ContentLength", 0))
        return ObjectStat(total, response.get("ETag")), bytes(response["Body"].read())


_RETRYABLE_S3_CODES = frozenset({"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "503", "500"})


def _s3_call(method: Callable[..., Any], **arguments: Any) -> Any:
    """Call a boto3 method; its errors become a ReadError with the store's own short reason."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return method(**arguments)
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        missing = code in ("404", "NoSuchKey")
        message = "no such object" if missing else s3_reason(error)
        raise ReadError(message, retryable=code in _RETRYABLE_S3_CODES, missing=missing) from None
    except BotoCoreError as error:
        raise ReadError(str(error), retryable=True) from None


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


PROVIDER = Provider(
    name="aws",
    title="AWS S3",
    locate=locate,
    locate_whole=locate_access_point,
    scheme="s3",
    parse_source=parse_source,
    public_url=public_url,
    lister=lister,
    regions=AWS_REGIONS | AWS_LEGACY_REGION_NAMES,
    example_region=EXAMPLE_AWS_REGION,
)
