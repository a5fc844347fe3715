"""Lint a maximum-size manifest and compare with references measured in the same run.

    python benchmarks/lint_max.py [--repeat N] [--items N]

Writes (once) a manifest at the platform's limits: 500,000 items and 1,000,000
URLs (images with metadata, videos with metadata, image groups), about 190 MB.
Each contender runs in its own process so that its peak memory is its own; the
figures printed are ratios, because absolute times differ between machines.
Needs the ``bench`` extra (orjson, jsonschema-rs).
"""

from __future__ import annotations

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
    reference_parser,
    run,
)


def measure(mode: str, path: str) -> dict[str, float]:
    """Run one contender in this process; report seconds and peak-RSS growth in MiB."""
    import gc

    import_contenders()
    baseline = current_rss_kib()  # after the imports: measure the operation, not loading a library
    reference = reference_parser(mode)
    if reference is not None:
        start = time.perf_counter()
        reference(path)
    elif mode == "jsonschema-rs":
        import jsonschema_rs
        import orjson

        from manifest_tools.schema import manifest_schema

        validator = jsonschema_rs.validator_for(manifest_schema())
        start = time.perf_counter()
        valid = validator.is_valid(orjson.loads(Path(path).read_bytes()))
        assert valid, "the benchmark manifest must be valid"
    elif mode in ("lint", "lint-default", "lint-python", "lint-mistake"):
        import manifest_tools
        from manifest_tools import native

        if mode == "lint-python":
            native._loaded, native._scanner = True, None  # as on a machine that built no native scanner
        start = time.perf_counter()
        report = manifest_tools.lint(path, select=() if mode == "lint-default" else ["ALL"])
        assert not report.errors, [str(d) for d in report.errors[:5]]
        if mode == "lint-mistake":
            assert "MT303" in {d.code for d in report}, "the planted mistake must be found"
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


def _with_one_mistake(path: Path) -> Path:
    """A copy of the manifest with one plain-http URL half-way through (written once)."""
    copy = path.with_name(path.stem + "-mistake.json")
    if not copy.exists():
        data = path.read_bytes()
        at = data.index(b'"objectUrl": "https://', len(data) // 2)
        copy.write_bytes(data[:at] + b'"objectUrl": "http://' + data[at + len(b'"objectUrl": "https://') :])
    return copy


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
    mistake = _with_one_mistake(path)
    modes = ("orjson", "json", "jsonschema-rs", "lint", "lint-default", "lint-mistake", "lint-python")
    results = {mode: run(__file__, mode, mistake if mode == "lint-mistake" else path, args.repeat) for mode in modes}
    print_results(results)
    print("ratios (lower is better); 'lint' runs every rule, opt-in ones included (3 warnings on this file),")
    print("'lint-default' the default rules. Both are certified by the native scanner. 'lint-mistake' is")
    print("'lint' on a copy with one http:// URL: the scanner certifies all items but that one, which Python checks;")
    print("'lint-python' is 'lint' without the native scanner (a machine with no C compiler):")
    ratios = [
        ("time / jsonschema-rs (orjson.loads + validate)", "seconds", "jsonschema-rs", "  (target <= 1.0x)"),
        ("time / orjson.loads", "seconds", "orjson", ""),
        ("time / json.loads", "seconds", "json", ""),
        ("peak memory / json.loads peak memory", "peak_mib", "json", "  (target <= 1.0x)"),
    ]
    for variant in ("lint", "lint-default", "lint-mistake", "lint-python"):
        for label, measure_name, reference, target in ratios:
            ratio = results[variant][measure_name] / results[reference][measure_name]
            shown = target if variant in ("lint", "lint-default") else ""
            print(f"  {variant + ' ' + label:<60} {ratio:5.2f}x{shown}")


if __name__ == "__main__":
    main()
