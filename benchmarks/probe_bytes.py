"""What probing costs on an emulated S3 bucket: bytes read per file against its size, and files per second
against downloading each file whole and reading it with the same library, in the same run.

    python benchmarks/probe_bytes.py [--big-mb 100] [--repeat 3]

A moto server runs in this process. The files are the probe tests' media (two
video codecs, with and without fast-start, rotated, variable frame rate, WAV,
FLAC, MP3, JPEG with EXIF orientation, PNG, PDF, DICOM, NIfTI) plus two videos of
about --big-mb MB: one with its index (moov) at the end, one fast-start. Target:
at most 2 MB or 1% of a 100 MB video, whichever is larger, read per file.

On moto every ranged GET costs about as much as reading the whole object (its
server reads the stored value before slicing it: 60 ms for a range of a 100 MB
object against 3 ms for a HEAD, measured), so its files per second understate
what ranged reads save on a real store, where the bytes are what costs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.probe.media_files import make_all, video

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_EC2_METADATA_DISABLED": "true",
}
BUCKET = "bench-media"
BASE = f"https://{BUCKET}.s3.eu-west-2.amazonaws.com"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _big_videos(folder: Path, megabytes: int) -> list[str]:
    """Two 1280x720 H.264 videos of noise (incompressible), sized to about ``megabytes``."""
    frames = max(10, megabytes * 1_000_000 // 470_000)  # a 1280x720 noise frame is about 470 KB in H.264
    names = []
    for name, fast_start in (("big-index-at-end.mp4", False), ("big-faststart.mp4", True)):
        video(folder / name, frames=frames, size=(1280, 720), noise=True, fast_start=fast_start)
        names.append(name)
    return names


def _upload(client: object, folder: Path, names: list[str]) -> None:
    for name in names:
        client.put_object(Bucket=BUCKET, Key=name, Body=(folder / name).read_bytes())  # type: ignore[attr-defined]


def _probe_ranged(names: list[str], endpoint: str) -> tuple[float, dict[str, tuple[int, int, int]]]:
    """Probe each file through ranged reads: seconds, and (bytes read, requests, size) per file."""
    from manifest_tools.cloud.ranged import StoreOptions, Stores
    from manifest_tools.kinds import file_extension
    from manifest_tools.media import NotReadable, probe

    stores = Stores(StoreOptions(endpoint_url=endpoint))
    stores.backend(f"{BASE}/{names[0]}")  # build the client before the clock starts
    costs = {}
    started = time.perf_counter()
    for name in names:
        file = stores.open(f"{BASE}/{name}")
        with contextlib.suppress(NotReadable):
            probe(file, file_extension(name), file.size)
        costs[name] = (file.bytes_read, file.requests, file.size)
    return time.perf_counter() - started, costs


def _probe_downloaded(names: list[str], endpoint: str) -> float:
    """Download each file whole (get_object) and probe it from memory with the same library: seconds."""
    from manifest_tools.cloud.ranged import StoreOptions, Stores
    from manifest_tools.kinds import file_extension
    from manifest_tools.media import NotReadable, probe

    client = Stores(StoreOptions(endpoint_url=endpoint)).backend(f"{BASE}/{names[0]}").client  # type: ignore[attr-defined]
    started = time.perf_counter()
    for name in names:
        data = client.get_object(Bucket=BUCKET, Key=name)["Body"].read()
        with contextlib.suppress(NotReadable):
            probe(io.BytesIO(data), file_extension(name), len(data))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big-mb", type=int, default=100, help="Size of the two big videos (MB).")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each contender; the best is kept.")
    args = parser.parse_args()
    os.environ.update(ENVIRONMENT)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    import boto3
    from botocore.config import Config
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            names = [made.name for made in make_all(folder)] + _big_videos(folder, args.big_mb)
            client = boto3.client(
                "s3", endpoint_url=endpoint, region_name="eu-west-2", config=Config(s3={"addressing_style": "path"})
            )
            client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
            _upload(client, folder, names)
            big = names[-2:]
            small = names[:-2]
            rates = {}
            for label, group in (("small files", small), ("big videos", big)):
                timings = [
                    (_probe_ranged(group, endpoint)[0], _probe_downloaded(group, endpoint)) for _ in range(args.repeat)
                ]
                rates[label] = (len(group), min(t[0] for t in timings), min(t[1] for t in timings))
            _, costs = _probe_ranged(names, endpoint)
    finally:
        server.stop()
    print(f"{'file':<24} {'size':>13} {'read':>11} {'share':>8} {'requests':>8}  target")
    for name, (read, requests, size) in costs.items():
        target = max(2_000_000, size // 100)
        verdict = "ok" if read <= target else f"OVER ({target:,})"
        print(f"{name:<24} {size:>13,} {read:>11,} {read / size:>8.2%} {requests:>8}  {verdict}")
    total_read = sum(read for read, _, _ in costs.values())
    total_size = sum(size for _, _, size in costs.values())
    print(f"{'all files':<24} {total_size:>13,} {total_read:>11,} {total_read / total_size:>8.2%}")
    for label, (count, ranged, whole) in rates.items():
        print(
            f"{label}: files per second, ranged probe {count / ranged:,.1f}, download whole and probe"
            f" {count / whole:,.1f} (ranged is {whole / ranged:.1f}x as fast), best of {args.repeat}"
        )


if __name__ == "__main__":
    main()
