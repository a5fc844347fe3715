"""The local folder answers the whole provider interface as a bucket does: one folder level, as S3
lists it with a / delimiter (moto is the reference), and byte ranges of a file inside the folder only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from manifest_tools.providers import ListerOptions, ObjectStat, ReadError, Source, make_lister

TREE = {"a/x.jpg": b"12", "a/y.png": b"345", "a/xy/z.jpg": b"6", "a/sub/deep/w.jpg": b"", "b.jpg": b"7890"}
PREFIXES = ["", "a/", "a/x", "a/sub/", "a/sub/deep/", "missing/", "b"]


def _folder(tmp_path: Path) -> Path:
    for key, body in TREE.items():
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_bytes(body)
    return tmp_path


def test_one_folder_level_is_what_s3_lists(tmp_path: Path, s3: Any, s3_server: Any) -> None:
    s3.create_bucket(Bucket="bkt", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    for key, body in TREE.items():
        s3.put_object(Bucket="bkt", Key=key, Body=body)
    bucket = make_lister(Source("aws", "bkt"), ListerOptions(region="eu-west-2", endpoint_url=s3_server.endpoint))
    folder = make_lister(Source("local", str(_folder(tmp_path))), ListerOptions(url_base="https://cdn.example.org"))
    for prefix in PREFIXES:
        assert list(folder.folder(prefix)) == list(bucket.folder(prefix)), prefix


def test_a_file_is_read_in_ranges_and_never_outside_the_folder(tmp_path: Path) -> None:
    lister = make_lister(
        Source("local", str(_folder(tmp_path / "data"))), ListerOptions(url_base="https://cdn.example.org")
    )
    (tmp_path / "secret.txt").write_text("no")
    reader = lister.reader("b.jpg")
    assert reader.first(2) == (ObjectStat(4), b"78")
    assert reader.read(1, 2) == b"89"
    with pytest.raises(ReadError, match="leaves the folder"):
        lister.reader("../secret.txt")
    with pytest.raises(ReadError, match="No such file") as missing:
        lister.reader("a/none.jpg").stat()
    assert missing.value.missing
