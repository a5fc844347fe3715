"""Lint a maximum-size manifest and compare with references measured in the same run.

    python benchmarks/lint_max.py [--repeat N] [--items N]

Writes (once) a manifest at the platform's limits: 500,000 items and 1,000,000
URLs (images with metadata, videos with metadata, image groups), about 190 MB.
Each contender runs in its own process so that its peak memory is its own; the
figures printed are ratios, because absolute times differ between machines.
Needs the ``bench`` extra (orjson, jsonschema-rs).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from _common import (
    current_rss_kib,
    import_contenders,
    max_manifest,
    parse_arguments,
    peak_mib_since,
    print_results,
    run,
)


def measure(mode: str, path: str) -> dict[str, float]:
    """Run one contender in this process; report seconds and peak-RSS growth in MiB."""
    import gc

    import_contenders()
    baseline = current_rss_kib()  # after the imports: measure the operation, not loading a library
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
    return {"seconds": seconds, "peak_mib": peak_mib_since(baseline)}


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
    args = parse_arguments(__doc__ or "", measure)
    if args is None:
        return
    path = max_manifest(args.items)
    startup = _startup_seconds()
    print(
        f"startup: manifest-tools --version {startup['cli'] * 1000:.0f} ms, python -c pass"
        f" {startup['python'] * 1000:.0f} ms (target: under 150 ms)"
    )
    modes = ("orjson", "json", "jsonschema-rs", "lint", "lint-default")
    results = {mode: run(__file__, mode, path, args.repeat) for mode in modes}
    print_results(results)
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
