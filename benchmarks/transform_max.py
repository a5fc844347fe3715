"""Split and convert the maximum-size manifest; compare with json/orjson measured in the same run.

    python benchmarks/transform_max.py [--repeat N] [--items N]

split: into 5 parts (100,000 items each at full size), streamed to disk. convert: JSON to
multi-header CSV, dropping what CSV cannot carry (the metadata). Targets: time at
most 3x orjson.loads, peak memory at most json.loads'. Needs the bench extra.
"""

from __future__ import annotations

import gc
import tempfile
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
    import_contenders()
    baseline = current_rss_kib()  # after the imports: measure the operation, not loading a library
    with tempfile.TemporaryDirectory(dir=Path(path).parent) as out:
        reference = reference_parser(mode)
        if reference is not None:
            start = time.perf_counter()
            reference(path)
        elif mode == "split":
            import manifest_tools
            from manifest_tools.splitting import Limits

            start = time.perf_counter()
            items = int(Path(path).stem.split("-")[-1])  # max-500000.json
            parts = manifest_tools.split(path, Limits(max_items=-(-items // 5)), output_dir=out)
            assert len(parts) == 5
        elif mode == "convert":
            import manifest_tools
            from manifest_tools.atomic import atomic_text_file

            start = time.perf_counter()
            result = manifest_tools.convert(path, "csv", drop_unsupported=True)
            with atomic_text_file(Path(out) / "max.csv") as csv_file:
                result.write_to(csv_file)
        else:
            raise SystemExit(f"unknown mode {mode}")
        seconds = time.perf_counter() - start
    gc.collect()
    return {"seconds": seconds, "peak_mib": peak_mib_since(baseline)}


def main() -> None:
    args = parse_arguments(__doc__ or "", measure)
    if args is None:
        return
    path = max_manifest(args.items)
    results = {mode: run(__file__, mode, path, args.repeat) for mode in ("orjson", "json", "split", "convert")}
    print_results(results)
    print("ratios (lower is better):")
    for mode in ("split", "convert"):
        time_ratio = results[mode]["seconds"] / results["orjson"]["seconds"]
        memory_ratio = results[mode]["peak_mib"] / results["json"]["peak_mib"]
        print(
            f"  {mode} time / orjson.loads {time_ratio:5.2f}x (target <= 3x)   "
            f"peak memory / json.loads {memory_ratio:5.2f}x (target <= 1x)"
        )


if __name__ == "__main__":
    main()
