"""Lint maximum-size manifests of every valid form and compare with references measured in the same run.

    python benchmarks/lint_max.py [--repeat N] [--items N] [--forms NAME,NAME]

Writes (once, under benchmarks/.data) each form of benchmarks/forms.py: the same
500,000 items and about 1,000,000 URLs (about 190 MB) written in another valid
way (snake_case metadata, escaped slashes, CRLF, non-ASCII, several providers or
buckets, 1,000 mistakes, DICOM, scenes, key frames, large clientMetadata). Each
contender runs in its own process so that its peak memory is its own; the
figures printed are ratios, because absolute times differ between machines.
A form with a clean twin (``findings-100000``) is also linted by the CLI, in each
output format, next to its twin: the extra time is what printing that many
findings costs (locating, fingerprinting, sorting, formatting, writing).
Needs the ``bench`` extra (orjson, jsonschema-rs).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from _common import (
    DATA,
    compile_bytecode,
    current_rss_kib,
    import_contenders,
    parse_arguments,
    peak_mib_since,
    reference_parser,
    run,
)
from forms import FORMS, FORMS_BY_NAME, Form, manifest


def measure(mode: str, path: str) -> dict[str, float]:
    """Run one contender in this process; report seconds and peak-RSS growth in MiB.

    ``lint:FORM`` lints with the form's selection; ``lint-python:FORM`` does so without the scanner.
    """
    import gc

    import_contenders()
    baseline = current_rss_kib()  # after the imports: measure the operation, not loading a library
    reference = reference_parser(mode)
    cpu = time.process_time()
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
    elif mode.partition(":")[0] in ("lint", "lint-python"):
        import manifest_tools
        from manifest_tools import native

        variant, _, name = mode.partition(":")
        form = FORMS_BY_NAME[name]
        if variant == "lint-python":
            native._loaded, native._scanner = True, None  # as on a machine that built no native scanner
        start = time.perf_counter()
        report = manifest_tools.lint(path, select=["ALL"] if form.select_all else ())
        codes = {d.code for d in report}
        assert form.expected <= codes, f"the planted findings must be found: {sorted(form.expected - codes)}"
        assert all(d.code in form.expected for d in report.errors), [str(d) for d in report.errors[:5]]
    elif mode.startswith("cli:"):
        _, name, output_format = mode.split(":")
        start = time.perf_counter()
        _cli_lint(path, output_format, FORMS_BY_NAME[name])
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    gc.collect()
    return {"seconds": seconds, "peak_mib": peak_mib_since(baseline), "cpu_seconds": cpu_seconds}


def items_in(path: str) -> int:
    """The item count a form's file name ends with (``form-NAME-ITEMS.json``)."""
    return int(Path(path).stem.rpartition("-")[2])


def _cli_lint(path: str, output_format: str, form: Form) -> None:
    """``manifest-tools lint PATH --output-format FORMAT`` in this process, its standard output (a pipe's
    place) into a temporary file, so that the child's own standard output still carries the figures."""
    import os
    import tempfile

    from manifest_tools.cli import main

    arguments = ["lint", path, "--output-format", output_format, *(["--select", "ALL"] if form.select_all else [])]
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as printed:
        os.dup2(printed.fileno(), 1)
        try:
            main.main(arguments, standalone_mode=False)
        except SystemExit as stop:
            assert stop.code in (0, 1), f"lint exited {stop.code}"
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
        size = printed.tell()
    findings = min(form.mistakes, items_in(path))
    assert size >= 50 * findings, f"{findings:,} findings must be printed, not {size:,} bytes"


def _startup_seconds(runs: int = 7) -> dict[str, float]:
    """Best-of-N wall time of the CLI's --version and of a bare interpreter, in one run."""

    def best(command: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        return min(times)

    compile_bytecode()
    cli = [
        sys.executable,
        "-c",
        "import sys; from manifest_tools.cli import main; sys.argv[1:] = ['--version']; main()",
    ]
    return {"cli": best(cli), "python": best([sys.executable, "-c", "pass"])}


def _warm(path: Path) -> None:
    """Read the file once in small reads (page cache), keeping this process small."""
    with path.open("rb") as warm:
        while warm.read(1 << 20):
            pass


PYTHON_FORMS = ("camel-default", "camel-all", "snake", "escaped-slashes", "mistakes-1000")
"""Forms also linted without the native scanner (what a user without a compiler gets)."""


def main() -> None:
    args = parse_arguments(__doc__ or "", measure)
    if args is None:
        return
    chosen = [FORMS_BY_NAME[name] for name in args.forms.split(",")] if args.forms else list(FORMS)
    startup = _startup_seconds()
    print(
        f"startup: manifest-tools --version {startup['cli'] * 1000:.0f} ms, python -c pass"
        f" {startup['python'] * 1000:.0f} ms (target: under 150 ms)"
    )
    print(f"{args.items:,} items per form; ratios, lower is better (targets: time <= 1.0x jsonschema-rs and")
    print("<= 1.5x with findings, memory <= 1.0x json.loads); jsonschema-rs = orjson.loads + validate")
    header = f"{'form':<16} {'MiB':>4} {'lint s':>7} {'/ jsonschema-rs':>15} {'/ orjson':>9} {'mem / json':>11}"
    print(header)
    rows = []
    for form in chosen:
        path = manifest(form, args.items, DATA)
        _warm(path)
        modes = ["orjson", "json", "jsonschema-rs", f"lint:{form.name}"]
        if form.name in PYTHON_FORMS and not args.no_python:
            modes.append(f"lint-python:{form.name}")
        results = {mode.partition(":")[0]: run(__file__, mode, path, args.repeat) for mode in modes}
        lint, reference = results["lint"], results["jsonschema-rs"]
        row = (
            form.name,
            path.stat().st_size / 1024 / 1024,
            lint["seconds"],
            lint["seconds"] / reference["seconds"],
            lint["seconds"] / results["orjson"]["seconds"],
            lint["peak_mib"] / results["json"]["peak_mib"],
        )
        rows.append((form, row))
        print(f"{row[0]:<16} {row[1]:4.0f} {row[2]:7.2f} {row[3]:14.2f}x {row[4]:8.2f}x {row[5]:10.2f}x", flush=True)
        if "lint-python" in results:
            python = results["lint-python"]
            print(
                f"{'  no compiler':<16} {'':>4} {python['seconds']:7.2f}"
                f" {python['seconds'] / reference['seconds']:14.2f}x"
                f" {python['seconds'] / results['orjson']['seconds']:8.2f}x"
                f" {python['peak_mib'] / results['json']['peak_mib']:10.2f}x"
                f"   CPU {python['cpu_seconds']:.2f} s = {python['cpu_seconds'] / reference['cpu_seconds']:.2f}x"
                " jsonschema-rs's",
                flush=True,
            )
    findings = [form for form in chosen if form.clean_twin]
    if findings:
        _print_findings_cost(findings, args.items, args.repeat)
    print()
    print("| form | lint / (orjson + jsonschema-rs) | lint / orjson.loads | peak memory / json.loads' |")
    print("|---|---|---|---|")
    for form, row in rows:
        print(f"| {form.description} | {row[3]:.2f}x | {row[4]:.2f}x | {row[5]:.2f}x |")


CLI_FORMATS = ("text", "json", "sarif")


def _print_findings_cost(forms: list[Form], items: int, repeat: int) -> None:
    """Each form with findings against its clean twin, through the CLI in each output format."""
    print()
    print("findings: the CLI's lint of the form with findings less its clean twin's (goal: 100,000 findings <= 1 s)")
    print(
        f"{'form':<16} {'format':<6} {'clean s':>8} {'with s':>8} {'extra s':>8} {'us/finding':>11}"
        f" {'extra CPU s':>12} {'CPU us/finding':>15}"
    )
    for form in forms:
        path, twin = manifest(form, items, DATA), manifest(FORMS_BY_NAME[form.clean_twin], items, DATA)
        count = min(form.mistakes, items)
        for output_format in CLI_FORMATS:
            _warm(twin)
            clean = run(__file__, f"cli:{form.clean_twin}:{output_format}", twin, repeat)
            _warm(path)
            found = run(__file__, f"cli:{form.name}:{output_format}", path, repeat)
            extra = found["seconds"] - clean["seconds"]
            extra_cpu = found["cpu_seconds"] - clean["cpu_seconds"]  # steadier than wall time on a busy machine
            figures = (
                f"{clean['seconds']:8.2f} {found['seconds']:8.2f} {extra:8.2f} {extra / count * 1e6:11.1f}"
                f" {extra_cpu:12.2f} {extra_cpu / count * 1e6:15.1f}"
            )
            print(f"{form.name:<16} {output_format:<6} {figures}", flush=True)


if __name__ == "__main__":
    main()
