"""Region names of the stores whose host names carry one (data, kept in this one place).

A word where a region belongs (``bucket.s3.region.amazonaws.com``) is a
template left unfilled: the URL resolves nowhere. These lists tell a real region
from such a word. ``tests/test_regions.py`` keeps the AWS list equal to
botocore's own endpoint data (every partition), so a new region is one line here.
"""

from __future__ import annotations

AWS_REGIONS = frozenset(
    {
        # aws
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        # aws-cn
        "cn-north-1",
        "cn-northwest-1",
        # aws-us-gov
        "us-gov-east-1",
        "us-gov-west-1",
        # aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc
        "us-iso-east-1",
        "us-iso-west-1",
        "us-isob-east-1",
        "us-isob-west-1",
        "eu-isoe-west-1",
        "us-isof-east-1",
        "us-isof-south-1",
        "eusc-de-east-1",
    }
)
"""Every AWS region (botocore's endpoints.json, all partitions)."""

AWS_LEGACY_REGION_NAMES = frozenset({"external-1"})
"""Region words of old S3 host names that are not regions themselves (s3-external-1 is us-east-1)."""

OBS_REGIONS = frozenset({"eu-de", "eu-nl", "eu-ch2"})
"""Open Telekom Cloud regions (Germany, Netherlands, Switzerland)."""

EXAMPLE_AWS_REGION = "eu-west-2"
EXAMPLE_OBS_REGION = "eu-de"
