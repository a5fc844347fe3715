"""Fingerprints are what CI dashboards key alerts on: a faster computation must give the same values.

The pinned values are those the fingerprint code gave before session 7 made it one pass per finding
(and the formula the README documents, for one of them): the escaped, the short and the empty
pointers, an item that does not exist, a kind that is none, a multi-file item."""

from __future__ import annotations

import hashlib

import pytest

from manifest_tools import api
from manifest_tools.report.paths import repository_path
from manifest_tools.rules.engine import fingerprint

TEXT = (
    b'{"images": [{"objectUrl": " https://b.s3.amazonaws.com/a.jpg ", "title": "x"}], "image_groups":'
    b' [{"title": "g", "objectUrl_0": "https://b.s3.amazonaws.com/g/1.jpg"}], "videos": 3}'
)
PINNED = [
    ("MT303", "/images/0/objectUrl", "ea97a04c62b186fa9c0662c8ac81160c"),
    ("MT101", "", "19b28cd05882a5c8715681bfb7b76b9b"),
    ("MT101", "/videos", "9780189fbcb23caa561fac54f80b4b5d"),
    ("MT303", "/image_groups/0/objectUrl_0", "299cb5b8877dea6c18b7396915b1c126"),
    ("MT303", "/images/0/a~1b/c", "77fe49d84ec5baa41a758d8ab025dd5f"),
    ("MT303", "/images/0", "f35e1690f91c9c3e5f35ae3241556e18"),
    ("MT303", "/images/9/objectUrl", "12ee85856093bda941d6c500a937986e"),
    ("MT303", "/x/0/y/z", "3e6619a6cc199b05273c1921602917dd"),
    ("MT303", "/a~0b", "cb70d841ec617f101dc4ddbc4d9c4c84"),
]


@pytest.mark.parametrize(("code", "pointer", "expected"), PINNED)
def test_fingerprints_keep_their_values(code: str, pointer: str, expected: str) -> None:
    manifest = api.load(TEXT, format="json", name="dir/m.json")
    assert fingerprint(manifest, code, pointer) == expected  # type: ignore[arg-type]


def test_a_fingerprint_is_the_documented_hash() -> None:
    """sha256 of ``code|file|kind first-URL field``, the first 32 hex digits."""
    manifest = api.load(TEXT, format="json", name="dir/m.json")
    subject = f"MT303|{repository_path('dir/m.json')}|images https://b.s3.amazonaws.com/a.jpg objectUrl"
    assert fingerprint(manifest, "MT303", "/images/0/objectUrl") == hashlib.sha256(subject.encode()).hexdigest()[:32]  # type: ignore[arg-type]
