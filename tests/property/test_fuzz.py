"""Mutated manifests through the library and the CLI: diagnostics or a clear refusal, never a crash.

The budget is fixed for CI (``MANIFEST_TOOLS_FUZZ_EXAMPLES``, default 300 library inputs and a
third as many CLI runs, a few seconds); raise it for a longer campaign, and change
``MANIFEST_TOOLS_FUZZ_SEED`` for other inputs. See ``fuzzing.py``.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

from .fuzzing import campaign, mutated, seeds

EXAMPLES = int(os.environ.get("MANIFEST_TOOLS_FUZZ_EXAMPLES", "300"))
SEED = int(os.environ.get("MANIFEST_TOOLS_FUZZ_SEED", "0"))
CLI_EXIT_CODES = (0, 1, 2)


def test_library_never_raises_on_mutated_manifests(tmp_path: Path) -> None:
    run = campaign(EXAMPLES, SEED, tmp_path)
    assert run.tried == EXAMPLES
    assert not run.failures, f"{len(run.failures)} of {run.tried} inputs failed (seed {SEED}):\n" + "\n\n".join(
        str(f) for f in run.failures[:5]
    )


def test_cli_never_crashes_on_mutated_manifests(tmp_path: Path) -> None:
    """Exit 0, 1 or 2 only, and no "internal error": the CLI turns an escaped exception into exit 2
    with that message, which CliRunner alone would not show as a failure."""
    rng = random.Random(SEED)
    corpus = seeds()
    runner = CliRunner()
    problems = []
    for index in range(max(1, EXAMPLES // 3)):
        fmt, data = mutated(rng, corpus)
        source = tmp_path / f"in-{index}.{fmt}"
        source.write_bytes(data)
        for args in (
            ["lint", str(source)],
            ["fix", "--diff", str(source)],
            ["convert", str(source), "--to", "sdk", "-o", str(tmp_path / "out.json")],
            ["convert", str(source), "--to", "csv", "-o", str(tmp_path / "out.csv")],
        ):
            result = runner.invoke(main, args)
            crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
            if crashed or result.exit_code not in CLI_EXIT_CODES or "internal error" in result.output:
                problems.append(
                    f"{args[0]} of input {index} ({data[:200]!r}): exit {result.exit_code}\n{result.output}"
                )
    assert not problems, "\n".join(problems[:5])


def test_the_cli_check_fails_on_an_injected_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: a lint that raises is seen, though the CLI exits 2."""
    from manifest_tools import api

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected")

    monkeypatch.setattr(api, "lint_file", crash)
    source = tmp_path / "m.json"
    source.write_text("{}")
    result = CliRunner().invoke(main, ["lint", str(source)])
    assert result.exit_code in CLI_EXIT_CODES and "internal error" in result.output
