"""MT9xx verify: what `manifest-tools verify` finds by listing the stores a manifest points at.

No checker here: lint never reaches the network. ``cloud/verify.py`` reports these.
"""

from __future__ import annotations

from manifest_tools.codes import Code
from manifest_tools.rules.registry import register, rule

_U = "https://acme.s3.eu-west-2.amazonaws.com"

RULES = [
    rule(
        Code.MT901,
        "object-missing",
        "error",
        "The URL points at no object (found by `manifest-tools verify`).",
        """The upload would fail for this item, hours in. Check the key's spelling and
        encoding (a space is %20; S3 console URLs write it as +), or regenerate the
        manifest from the bucket with manifest-tools generate.""",
        f'{{"images": [{{"objectUrl": "{_U}/photos/cat-0001.jpeg"}}]}}  (the bucket holds photos/cat-0001.jpg)',
        f'{{"images": [{{"objectUrl": "{_U}/photos/cat-0001.jpg"}}]}}',
        literal_bad=False,
    ),
    rule(
        Code.MT902,
        "size-mismatch",
        "error",
        "The object's size differs from the item's metadata fileSize.",
        """The platform trusts metadata blocks; a wrong fileSize means the block was
        copied from another file, and its other values are likely wrong too.""",
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "imageMetadata": {{"mimeType": "image/jpeg", "fileSize": 1000, "width": 1, "height": 1}}}}]}}  (a.jpg has 52,341 bytes)',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg", "imageMetadata": {{"mimeType": "image/jpeg", "fileSize": 52341, "width": 1, "height": 1}}}}]}}',
        literal_bad=False,
    ),
    rule(
        Code.MT903,
        "store-unreachable",
        "error",
        "The bucket, container or server of the URL could not be read.",
        """The bucket does not exist, the credentials may not list it, or the server
        did not answer. The URLs behind it were not checked.""",
        '{"images": [{"objectUrl": "https://no-such-bucket.s3.eu-west-2.amazonaws.com/a.jpg"}]}',
        f'{{"images": [{{"objectUrl": "{_U}/a.jpg"}}]}}',
        literal_bad=False,
    ),
    rule(
        Code.MT904,
        "not-verified",
        "warning",
        "A URL that verify did not check (over the HEAD request budget).",
        """Direct-access URLs are checked one request each, so their number is
        bounded (--max-head); raise the bound to check them all.""",
        '{"images": [ ... 5,000 direct-access URLs ... ]}',
        '{"images": [ ... at most --max-head direct-access URLs ... ]}',
        literal_bad=False,
    ),
]


register(RULES)
