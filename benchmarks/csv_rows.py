"""Reading and linting the CSV shape at 250,000, 500,000 and 1,000,000 rows: is the cost linear in rows?

    python benchmarks/csv_rows.py [--repeat N] [--rows 250000,500000,1000000] [--shapes csv,csv_quoted]

Writes the transform benchmark's CSV shapes (images and videos one row each, 11-row image groups;
``csv_quoted`` with every title quoted, as spreadsheet exports write them) at each size into a
temporary folder of its own (not the shared .data), and measures ``pandas.read_csv``, reading into
the model and a full lint, each in a fresh process (as transform_max.py does), printing seconds, CPU
seconds (all threads; steadier than seconds when other jobs share the machine), microseconds per row
and peak memory, and the ratios to pandas of the same run.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import run
from _shapes import SHAPES, csv_rows

HERE = Path(__file__).parent
MODES = ("pandas", "read", "lint")


def _items_for(rows: int) -> int:
    """The item count whose CSV shape has ``rows`` data rows (2 rows per item on average)."""
    items = rows // 2
    while csv_rows(items) < rows:
        items += 1
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rows", default="250000,500000,1000000")
    parser.add_argument("--shapes", default="csv,csv_quoted")
    args = parser.parse_args()
    script = str(HERE / "transform_max.py")  # its --measure runs one mode in a fresh process
    print(f"best of {args.repeat} runs, each in a fresh process")
    print()
    print(
        "| shape | rows | MiB | operation | seconds | us per row | x pandas | CPU seconds | CPU us per row"
        " | CPU x pandas | peak MiB | x pandas' memory |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for shape in args.shapes.split(","):
            for rows in (int(r) for r in args.rows.split(",")):
                _measure(script, shape, rows, Path(folder), args.repeat)


def _measure(script: str, shape: str, rows: int, folder: Path, repeat: int) -> None:
    """Write the shape at ``rows`` rows, print its table rows, and delete it."""
    items = _items_for(rows)
    path = folder / f"{shape}-{items}.csv"
    SHAPES[shape][1](path, items)
    results = {mode: run(script, mode, path, repeat, str(items)) for mode in MODES}
    pandas = results["pandas"]
    for mode, result in results.items():
        cells = [
            shape,
            f"{csv_rows(items):,}",
            f"{path.stat().st_size / 2**20:.0f}",
            mode,
            f"{result['seconds']:.2f}",
            f"{result['seconds'] / csv_rows(items) * 1e6:.2f}",
            f"{result['seconds'] / pandas['seconds']:.2f}",
            f"{result['cpu_seconds']:.2f}",
            f"{result['cpu_seconds'] / csv_rows(items) * 1e6:.2f}",
            f"{result['cpu_seconds'] / pandas['cpu_seconds']:.2f}",
            f"{result['peak_mib']:.0f}",
            f"{result['peak_mib'] / pandas['peak_mib']:.2f}",
        ]
        print("| " + " | ".join(cells) + " |", flush=True)
    path.unlink()


if __name__ == "__main__":
    main()
