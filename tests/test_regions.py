"""The region data and the URL forms built on it, against references this project did not write."""

from __future__ import annotations

import json

import pytest
from botocore.loaders import Loader

import manifest_tools
from manifest_tools.providers import locate_url, unknown_region
from manifest_tools.providers.aws import s3_url
from manifest_tools.providers.regions import AWS_REGIONS, EXAMPLE_AWS_REGION, EXAMPLE_OBS_REGION, OBS_REGIONS


def test_aws_regions_are_botocores() -> None:
    """Every region of every partition of botocore's endpoint data, and nothing else."""
    partitions = Loader().load_data("endpoints")["partitions"]
    assert {region for partition in partitions for region in partition["regions"]} == AWS_REGIONS


def test_the_examples_are_real_regions() -> None:
    assert EXAMPLE_AWS_REGION in AWS_REGIONS
    assert EXAMPLE_OBS_REGION in OBS_REGIONS


@pytest.mark.parametrize("region", sorted(AWS_REGIONS))
def test_every_region_in_every_built_form_is_recognised(region: str) -> None:
    for url in (s3_url("bkt", "a.jpg", region), s3_url("bkt", "a.jpg", region, style="path")):
        location = locate_url(url)
        assert (location.provider, location.bucket, location.region) == ("aws", "bkt", region)
        assert not unknown_region(location)


@pytest.mark.parametrize(
    "host",
    [
        "bkt.s3.eu-west-2.amazonaws.com/{key}",
        "s3.eu-west-2.amazonaws.com/bkt/{key}",
        "bkt.s3-eu-west-2.amazonaws.com/{key}",
        "bkt.s3.amazonaws.com/{key}",
        "s3.amazonaws.com/bkt/{key}",
        "s3-external-1.amazonaws.com/bkt/{key}",
    ],
)
def test_one_bucket_in_any_form_is_one_bucket(host: str) -> None:
    location = locate_url("https://" + host.format(key="d/a.jpg"))
    assert (location.provider, location.bucket, location.key, location.integration) == (
        "aws",
        "bkt",
        "d/a.jpg",
        ("aws",),
    )


@pytest.mark.parametrize("scheme_url", ["s3://my_image.jpg", "s3://bkt/d/a b.jpg", "gs://bkt/d/a.jpg", "gs://bkt",
                                        "abfss://c@acct.dfs.core.windows.net/d/a.jpg", "az://c/a.jpg"])  # fmt: skip
def test_scheme_messages_suggest_only_real_urls(scheme_url: str) -> None:
    """MT302 suggests a URL only when it is whole: that URL lints clean; otherwise it says what is missing."""
    report = manifest_tools.lint(json.dumps({"images": [{"objectUrl": scheme_url}]}).encode(), format="json")
    (message,) = [d.message for d in report if d.code == "MT302"]
    assert "<" not in message
    suggested = [word.rstrip(",.)") for word in message.split() if word.startswith("https://")]
    for url in suggested:
        assert list(manifest_tools.lint(json.dumps({"images": [{"objectUrl": url}]}).encode(), format="json")) == []
    assert suggested or "names no object" in message or "does not name the storage account" in message
