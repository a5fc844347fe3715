"""Each command's click parameters and its settings object name the same things.

The click functions build their settings with ``Settings(**locals())``, which mypy cannot check: an option
added to one and not the other would fail only when that command runs. This test finds it at once.
"""

from __future__ import annotations

import dataclasses

import pytest

from manifest_tools.cli import main
from manifest_tools.cli.cloud import GenerateSettings, VerifySettings
from manifest_tools.cli.lint import LintSettings
from manifest_tools.cli.rewrite import ConvertSettings, FixSettings, SplitSettings

SETTINGS = {
    "lint": LintSettings,
    "fix": FixSettings,
    "convert": ConvertSettings,
    "split": SplitSettings,
    "generate": GenerateSettings,
    "verify": VerifySettings,
}


@pytest.mark.parametrize(("name", "settings"), SETTINGS.items())
def test_every_parameter_is_a_field_and_back(name: str, settings: type) -> None:
    from manifest_tools.cli.probe import probe_options

    command = main.commands[name]
    parameters = {parameter.name for parameter in command.params}
    fields = {field.name for field in dataclasses.fields(settings)}
    if name == "verify":  # the probe options --metadata uses travel together, as ``probing``
        probing = {parameter.name for parameter in probe_options(lambda: None).__click_params__}
        parameters = (parameters - probing) | {"probing"}
    assert parameters == fields
