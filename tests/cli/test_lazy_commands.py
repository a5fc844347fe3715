"""A run imports only its own command's module, and the table that says which module registers each command
(``COMMAND_MODULES``) names every command, each at its home."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

from manifest_tools.cli import COMMAND_MODULES, main

FIXTURE = Path(__file__).parents[2] / "fixtures" / "valid" / "all-kinds.json"


def test_the_table_names_every_command_at_the_module_that_registers_it() -> None:
    names = main.list_commands(click.Context(main))
    assert sorted(names) == sorted(COMMAND_MODULES)
    for name in names:
        command = main.commands[name]
        assert command.callback is not None
        assert command.callback.__module__ == f"manifest_tools.cli.{COMMAND_MODULES[name]}", name


def test_lint_imports_neither_the_other_commands_nor_the_network() -> None:
    """What a JSON lint does not use is not imported at its start (each costs milliseconds of every run)."""
    script = (
        "import json, sys\n"
        "from manifest_tools.cli import main\n"
        f"try:\n    main.main(['lint', '--quiet', {str(FIXTURE)!r}])\n"
        "except SystemExit as stop:\n    assert stop.code == 0, stop.code\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "manifest_tools.cli.lint" in modules
    unwanted = {f"manifest_tools.cli.{m}" for m in ("cloud", "probe", "rewrite", "upload")}
    elsewhere = {"urllib.request", "http.client", "difflib", "manifest_tools.readers.csv", "manifest_tools.media"}
    assert not (modules & (unwanted | elsewhere))
