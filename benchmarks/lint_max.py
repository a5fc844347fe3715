"""Lint a maximum-size manifest and compare with references measured in the same run.

    python benchmarks/lint_max.py [--repeat N] [--items N]

Writes (once) a manifest at the platform's limits: 500,000 items and 1,000,000
URLs (images with metadata, videos with metadata, image groups), about 190 MB.
Each contender runs in its own process so that its peak memory is its own; the
figures printed are ratios, because absolute times differ between machines.
Needs the ``bench`` extra (orjson, jsonschema-rs).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).parent / ".data"
URL = "https://acme-data.s3.eu-west-2.amazonaws.com"


def generate(path: Path, items: int) -> None:
    """Write the manifest: 70% images, 20% videos, 10% image groups of 11 frames (2 URLs per item)."""
    images, videos = items * 7 // 10, items * 2 // 10
    groups = items - images - videos
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n  "skip_duplicate_urls": true,\n  "images": [\n')
        for i in range(images):
            meta = {"mimeType": "image/jpeg", "fileSize": 100_000 + i, "width": 1920, "height": 1080}
            item = {
                "objectUrl": f"{URL}/images/batch-{i // 1000:04d}/img-{i:07d}.jpg",
                "title": f"img-{i:07d}.jpg",
                "imageMetadata": meta,
                "clientMetadata": {"site": "A", "camera": i % 7},
            }
            out.write("    " + json.dumps(item) + (",\n" if i < images - 1 else "\n"))
        out.write('  ],\n  "videos": [\n')
        for i in range(videos):
            meta = {
                "fps": 25,
                "duration": 60.5,
                "width": 1920,
                "height": 1080,
                "fileSize": 10_000_000 + i,
                "mimeType": "video/mp4",
            }
            item = {"objectUrl": f"{URL}/videos/clip-{i:07d}.mp4", "title": f"clip-{i:07d}.mp4", "videoMetadata": meta}
            out.write("    " + json.dumps(item) + (",\n" if i < videos - 1 else "\n"))
        out.write('  ],\n  "image_groups": [\n')
        frames = (2 * items - images - videos) // groups
        for g in range(groups):
            group = {"title": f"group-{g:07d}", "createVideo": g % 2 == 0}
            group.update({f"objectUrl_{f}": f"{URL}/groups/{g:07d}/frame-{f:03d}.jpg" for f in range(frames)})
            out.write("    " + json.dumps(group) + (",\n" if g < groups - 1 else "\n"))
        out.write("  ]\n}\n")


def _current_rss_kib() -> float:
    """Resident memory now. Not ru_maxrss: Linux keeps that across exec, so a child would
    start with its parent's peak."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024


def measure(mode: str, path: str) -> dict[str, float]:
    """Run one contender in this process; report seconds and peak-RSS growth in MiB."""
    import gc

    baseline = _current_rss_kib()
    if mode == "orjson":
        import orjson

        start = time.perf_counter()
        orjson.loads(Path(path).read_bytes())
    elif mode == "json":
        start = time.perf_counter()
        json.loads(Path(path).read_bytes())
    elif mode == "jsonschema-rs":
        import jsonschema_rs
        import orjson

        from manifest_tools.schema import manifest_schema

        validator = jsonschema_rs.validator_for(manifest_schema())
        start = time.perf_counter()
        valid = validator.is_valid(orjson.loads(Path(path).read_bytes()))
        assert valid, "the benchmark manifest must be valid"
    elif mode in ("lint", "lint-default"):
        import manifest_tools

        start = time.perf_counter()
        report = manifest_tools.lint(path, select=["ALL"] if mode == "lint" else ())
        assert not report.errors, [str(d) for d in report.errors[:5]]
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - start
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mib": (peak - baseline) / 1024}


def run(mode: str, path: Path, repeat: int) -> dict[str, float]:
    results = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--measure", mode, str(path)], capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            raise SystemExit(f"{mode} failed:\n{out.stderr}")
        results.append(json.loads(out.stdout))
    return {"seconds": min(r["seconds"] for r in results), "peak_mib": min(r["peak_mib"] for r in results)}


def _startup_seconds(runs: int = 7) -> dict[str, float]:
    """Best-of-N wall time of the CLI's --version and of a bare interpreter, in one run."""

    def best(command: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        return min(times)

    cli = [
        sys.executable,
        "-c",
        "import sys; from manifest_tools.cli import main; sys.argv[1:] = ['--version']; main()",
    ]
    return {"cli": best(cli), "python": best([sys.executable, "-c", "pass"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--items", type=int, default=500_000)
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    DATA.mkdir(exist_ok=True)
    path = DATA / f"max-{args.items}.json"
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        generate(path, args.items)
    size = path.stat().st_size / 1024 / 1024
    print(f"manifest: {path} ({size:.0f} MiB, {args.items:,} items, {2 * args.items:,} URLs)")
    startup = _startup_seconds()
    print(
        f"startup: manifest-tools --version {startup['cli'] * 1000:.0f} ms, python -c pass"
        f" {startup['python'] * 1000:.0f} ms (target: under 150 ms)"
    )
    with path.open("rb") as warm:  # warm the page cache in small reads, keeping this process small
        while warm.read(1 << 20):
            pass
    modes = ("orjson", "json", "jsonschema-rs", "lint", "lint-default")
    results = {mode: run(mode, path, args.repeat) for mode in modes}
    for mode, r in results.items():
        print(f"  {mode:<14} {r['seconds']:7.2f} s   peak +{r['peak_mib']:7.0f} MiB")
    print("ratios (lower is better); 'lint' runs every rule, opt-in ones included (3 warnings on this file),")
    print("'lint-default' the default rules (no finding, so no position is ever computed):")
    ratios = [
        ("time / jsonschema-rs (orjson.loads + validate)", "seconds", "jsonschema-rs", "  (target <= 1.0x)"),
        ("time / orjson.loads", "seconds", "orjson", ""),
        ("time / json.loads", "seconds", "json", ""),
        ("peak memory / json.loads peak memory", "peak_mib", "json", "  (target <= 1.0x)"),
    ]
    for variant in ("lint", "lint-default"):
        for label, measure_name, reference, target in ratios:
            ratio = results[variant][measure_name] / results[reference][measure_name]
            print(f"  {variant + ' ' + label:<60} {ratio:5.2f}x{target}")


if __name__ == "__main__":
    main()
