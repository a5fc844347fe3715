"""Shared by the benchmarks: the maximum-size manifest, and measuring one contender per process."""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
from collections.abc import Callable
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


def current_rss_kib() -> float:
    """Resident memory now. Not ru_maxrss: Linux keeps that across exec, so a child would
    start with its parent's peak."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024


def max_manifest(items: int) -> Path:
    """The benchmark manifest for ``items`` items, written once and kept under benchmarks/.data."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"max-{items}.json"
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        generate(path, items)
    size = path.stat().st_size / 1024 / 1024
    print(f"manifest: {path} ({size:.0f} MiB, {items:,} items, {2 * items:,} URLs)")
    with path.open("rb") as warm:  # warm the page cache in small reads, keeping this process small
        while warm.read(1 << 20):
            pass
    return path


@functools.cache
def compile_bytecode() -> None:
    """Write the package's bytecode once, as ``pip install`` does: with PYTHONDONTWRITEBYTECODE set (as on
    some CI machines) every measured process would otherwise compile each module it imports lazily, inside
    the timed region, which is 0.1-0.2 s of CPU that no installed copy pays."""
    import compileall

    import manifest_tools

    compileall.compile_dir(Path(manifest_tools.__file__).parent, quiet=1)


def run(script: str, mode: str, path: Path, repeat: int, *extra: str) -> dict[str, float]:
    """Best of ``repeat`` runs of ``script --measure mode path [extra...]``, each in a fresh process."""
    compile_bytecode()
    results = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, script, "--measure", mode, str(path), *extra], capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            raise SystemExit(f"{mode} failed:\n{out.stderr}")
        results.append(json.loads(out.stdout))
    best = {"seconds": min(r["seconds"] for r in results), "peak_mib": min(r["peak_mib"] for r in results)}
    if all("cpu_seconds" in r for r in results):  # CPU time (all threads): steadier than seconds on a busy machine
        best["cpu_seconds"] = min(r["cpu_seconds"] for r in results)
    return best


def print_results(results: dict[str, dict[str, float]]) -> None:
    for mode, r in results.items():
        print(f"  {mode:<14} {r['seconds']:7.2f} s   peak +{r['peak_mib']:7.0f} MiB")


def peak_mib_since(baseline_kib: float) -> float:
    """Peak resident memory growth since ``baseline_kib``, from VmHWM: unlike ru_maxrss, it belongs
    to this address space and so does not carry over the parent's peak across exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return (int(line.split()[1]) - baseline_kib) / 1024
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline_kib) / 1024


def reference_parser(mode: str) -> Callable[[str], object] | None:
    """The parsers every benchmark is compared with ("orjson": orjson.loads, "json": json.loads), else None."""
    if mode == "orjson":
        import orjson

        return lambda path: orjson.loads(Path(path).read_bytes())
    if mode == "json":
        return lambda path: json.loads(Path(path).read_bytes())
    return None


def import_contenders() -> None:
    """Load every contender's library before the memory baseline, so imports are not counted."""
    import jsonschema_rs  # noqa: F401
    import orjson  # noqa: F401

    import manifest_tools.api
    import manifest_tools.conversion
    import manifest_tools.native
    import manifest_tools.rules.catalogue
    import manifest_tools.rules.certified
    import manifest_tools.splitting

    manifest_tools.rules.catalogue.all_rules()
    manifest_tools.native.scanner()


def parse_arguments(doc: str, measure: Callable[..., dict[str, float]]) -> argparse.Namespace | None:
    """The benchmarks' options; in a ``--measure MODE PATH`` child, run ``measure``, print it and return None."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--items", type=int, default=500_000)
    parser.add_argument("--forms", default="", help="comma-separated form names (lint_max.py)")
    parser.add_argument("--no-python", action="store_true", help="skip the pure-Python lint (lint_max.py)")
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return None
    return args
