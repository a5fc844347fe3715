"""RangedFile reads exactly what io.BytesIO would, from every store, with few requests."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path
from typing import Any

import pytest

from manifest_tools.cloud.ranged import (
    Budget,
    BudgetExceeded,
    ObjectStat,
    RangedFile,
    ReadError,
    StoreOptions,
    Stores,
)
from manifest_tools.providers.local import FileReader
from tests.probe.conftest import ranged_http_server

DATA = random.Random(7).randbytes(300_000)


class _Memory:
    """A backend over bytes that records every range asked for."""

    def __init__(self, data: bytes) -> None:
        self.data, self.ranges = data, []  # type: ignore[var-annotated]

    def stat(self) -> ObjectStat:
        return ObjectStat(len(self.data), '"e1"')

    def read(self, start: int, length: int) -> bytes:
        self.ranges.append((start, length))
        return self.data[start : start + length]

    def first(self, length: int) -> tuple[ObjectStat, bytes]:
        return self.stat(), self.read(0, length)


def _same_as_bytesio(file: Any, data: bytes, seed: int) -> None:
    """Random seeks and reads give what the same calls on BytesIO give."""
    reference = io.BytesIO(data)
    rng = random.Random(seed)
    for _ in range(200):
        whence = rng.choice((io.SEEK_SET, io.SEEK_CUR, io.SEEK_END))
        target = rng.randrange(len(data) + 10)
        offset = target - {io.SEEK_SET: 0, io.SEEK_CUR: reference.tell(), io.SEEK_END: len(data)}[whence]
        assert file.seek(offset, whence) == reference.seek(offset, whence)
        size = rng.choice((1, 7, 4096, 70_000, 500_000))
        assert file.read(size) == reference.read(size)
        assert file.tell() == reference.tell()
    file.seek(0)
    assert file.read() == data


def test_reads_like_bytesio() -> None:
    _same_as_bytesio(RangedFile(_Memory(DATA), block_size=4096, max_read=65536), DATA, 1)
    _same_as_bytesio(RangedFile(_Memory(DATA), block_size=1000, max_read=1000, cached_blocks=3), DATA, 2)


def test_sequential_reads_grow_and_jumps_start_small() -> None:
    backend = _Memory(DATA)
    file = RangedFile(backend, block_size=1000, max_read=8000)
    for _ in range(30):
        file.read(1000)
    lengths = [length for _, length in backend.ranges]
    assert lengths[:4] == [1000, 2000, 4000, 8000]
    assert sum(lengths) < 40_000
    file.seek(-100, io.SEEK_END)
    assert file.read() == DATA[-100:]
    assert backend.ranges[-1] == (299_000, 1000)
    assert file.requests == len(backend.ranges)  # the first block comes with the stat
    assert file.bytes_read == sum(length for _, length in backend.ranges)


def test_cached_blocks_are_not_read_twice() -> None:
    backend = _Memory(DATA)
    file = RangedFile(backend, block_size=1000)
    file.seek(5000)
    file.read(10)
    file.seek(5500)
    file.read(10)
    file.seek(10)
    file.read(10)
    assert backend.ranges == [(0, 1000), (5000, 1000)]


def test_budget_stops_a_run() -> None:
    budget = Budget(max_bytes=5000)
    file = RangedFile(_Memory(DATA), block_size=1000, budget=budget)
    file.read(4000)
    assert len(file.read(4000)) < 4000  # the file reads as ending where the budget stopped it
    assert isinstance(file.error, BudgetExceeded) and "byte budget" in str(file.error)
    assert file.read(10) == b"", "nothing more is read once the budget is spent"
    with pytest.raises(BudgetExceeded, match="request budget"):
        RangedFile(_Memory(DATA), budget=Budget(max_requests=0))


def test_a_hostile_length_reads_what_is_there(tmp_path: Path) -> None:
    file = RangedFile(_Memory(DATA[:300]), block_size=1000)
    assert file.read(0x7FFFFFF0) == DATA[:300]  # no 2 GB buffer for a length field in the file


def test_local_urls_stay_in_their_folder(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "secret.txt").write_text("no")
    stores = Stores(StoreOptions(local_roots=(("https://cdn.example.org/data", str(tmp_path / "data")),)))
    with pytest.raises(ReadError, match="leaves the folder"):
        stores.open("https://cdn.example.org/data/../secret.txt")


def test_local_backend(tmp_path: Path) -> None:
    (tmp_path / "a b.bin").write_bytes(DATA)
    stores = Stores(StoreOptions(local_roots=(("https://cdn.example.org/data", str(tmp_path)),)))
    file = stores.open("https://cdn.example.org/data/a%20b.bin")
    _same_as_bytesio(file, DATA, 3)
    with pytest.raises(ReadError, match="No such file"):
        FileReader(tmp_path / "missing").stat()


def test_https_backend(tmp_path: Path) -> None:
    (tmp_path / "x.bin").write_bytes(DATA)
    with ranged_http_server(tmp_path) as base:
        _same_as_bytesio(Stores().open(f"{base}/x.bin"), DATA, 4)
        with pytest.raises(ReadError, match="404"):
            Stores().open(f"{base}/missing.bin")


def test_s3_backend(s3: Any, s3_server: Any) -> None:
    s3.create_bucket(Bucket="acme-data", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    s3.put_object(Bucket="acme-data", Key="dir/a b+c.bin", Body=DATA)
    stores = Stores(StoreOptions(endpoint_url=s3_server.endpoint))
    file = stores.open("https://acme-data.s3.eu-west-2.amazonaws.com/dir/a%20b%2Bc.bin")
    assert file.stat.etag
    _same_as_bytesio(file, DATA, 5)
    with pytest.raises(ReadError, match="no such object"):
        stores.open("https://acme-data.s3.eu-west-2.amazonaws.com/dir/missing.bin")


def test_gcs_backend(gcs: Any, gcs_server: Any) -> None:
    gcs.create_bucket("gbk").blob("dir/ü.bin").upload_from_string(DATA)
    file = Stores().open("https://storage.cloud.google.com/gbk/dir/%C3%BC.bin")
    assert file.stat.etag
    _same_as_bytesio(file, DATA, 6)
    with pytest.raises(ReadError, match="no such object"):
        Stores().open("https://storage.cloud.google.com/gbk/dir/missing.bin")


def test_azure_backend(azure: Any, azure_server: Any) -> None:
    azure.create_container("ctr").upload_blob("dir/a b.bin", DATA)
    file = Stores().open("https://devstoreaccount1.blob.core.windows.net/ctr/dir/a%20b.bin")
    assert file.stat.etag
    _same_as_bytesio(file, DATA, 7)
    with pytest.raises(ReadError, match="no such blob"):
        Stores().open("https://devstoreaccount1.blob.core.windows.net/ctr/missing.bin")
    assert os.environ["AZURE_STORAGE_CONNECTION_STRING"]


def test_a_mistyped_merge_file_is_refused(tmp_path: Path) -> None:
    from manifest_tools.cloud.probe import ProbeOptions, probe_urls
    from manifest_tools.errors import ConfigError
    from manifest_tools.kinds import IMAGES

    with pytest.raises(ConfigError, match="no such results file"):
        probe_urls({"https://cdn.example.org/a.png": IMAGES}, ProbeOptions(merge=(str(tmp_path / "typo.jsonl"),)))
