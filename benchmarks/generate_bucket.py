"""generate from an emulated S3 bucket of 10,000 and 100,000 keys, against ``rclone lsf -R`` in the same run.

    python benchmarks/generate_bucket.py [--sizes 10000,100000] [--repeat N]

A moto server runs in this process (seeded through its backend, which is much
faster than PUT requests); ``manifest-tools generate`` and rclone (Debian package
``rclone``) each list it from their own process. Prints throughput ratios (target:
generate at least as fast as rclone) and generate's peak memory for each size
(target: flat as the bucket grows).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import current_rss_kib, peak_mib_since

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def _seed(bucket: str, count: int) -> None:
    from moto.backends import get_backend
    from moto.core import DEFAULT_ACCOUNT_ID

    backend = get_backend("s3")[DEFAULT_ACCOUNT_ID]["global"]
    backend.create_bucket(bucket, "eu-west-2")
    for i in range(count):
        backend.put_object(bucket, f"runs/{i // 1000:04d}/frame-{i:07d}.jpg", b"x")


def measure(endpoint: str, bucket: str) -> dict[str, float]:
    """Run generate in this process; report seconds and peak memory growth."""
    import manifest_tools
    from manifest_tools.cloud import generate as _  # noqa: F401  (imported before the baseline)

    baseline = current_rss_kib()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        result = manifest_tools.generate(
            f"s3://{bucket}", Path(folder) / "m.json", endpoint_url=endpoint, region="eu-west-2"
        )
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mib": peak_mib_since(baseline), "objects": result.counts.listed}


def _generate(endpoint: str, bucket: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", endpoint, bucket],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **ENVIRONMENT},
    )
    return dict(json.loads(out.stdout))


def _rclone(endpoint: str, bucket: str) -> tuple[float, int]:
    options = f"provider=Other,endpoint='{endpoint}',access_key_id=testing,secret_access_key=testing,region=eu-west-2"
    remote = f":s3,{options}:{bucket}"
    # rclone's AWS SDK refuses a custom CA bundle with its own transport; the endpoint is plain-HTTP loopback.
    environment = {k: v for k, v in os.environ.items() if k != "AWS_CA_BUNDLE"}
    start = time.perf_counter()
    out = subprocess.run(
        ["rclone", "lsf", "-R", "--files-only", remote], capture_output=True, text=True, check=True, env=environment
    )
    return time.perf_counter() - start, len(out.stdout.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--measure", nargs=2, metavar=("ENDPOINT", "BUCKET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    if shutil.which("rclone") is None:
        raise SystemExit("rclone is not installed: apt-get install rclone")
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    peaks = {}
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            bucket = f"bench-{size}"
            _seed(bucket, size)
            ours = min((_generate(endpoint, bucket) for _ in range(args.repeat)), key=lambda r: r["seconds"])
            theirs = min(_rclone(endpoint, bucket) for _ in range(args.repeat))
            assert ours["objects"] == theirs[1] == size, (ours, theirs)
            peaks[size] = ours["peak_mib"]
            print(
                f"{size:>8,} keys: generate {size / ours['seconds']:8,.0f} objects/s ({ours['seconds']:.1f} s, peak"
                f" +{ours['peak_mib']:.0f} MiB); rclone lsf -R {size / theirs[0]:8,.0f} objects/s ({theirs[0]:.1f} s);"
                f" generate / rclone throughput {theirs[0] / ours['seconds']:.2f}x (target >= 1.0x)"
            )
    finally:
        server.stop()
    sizes = sorted(peaks)
    if len(sizes) > 1:
        print(
            f"peak memory {sizes[-1]:,} keys / {sizes[0]:,} keys: {peaks[sizes[-1]] / max(peaks[sizes[0]], 0.1):.2f}x"
            " (flat is about 1x)"
        )


if __name__ == "__main__":
    main()
