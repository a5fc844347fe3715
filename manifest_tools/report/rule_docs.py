"""The rule catalogue as formats describe it (SARIF lists every rule), without importing the rules.

Report sits below the rules: diagnostics carry their rule's name and link, and the
rules layer publishes the whole catalogue here when it loads (``rules/catalogue.py``),
as a function, so that nothing is built unless a format asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from manifest_tools.report.diagnostic import FixApplicability, Severity


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """What a report format says about one rule."""

    code: str
    name: str
    severity: Severity
    enabled: bool
    """On by default (opt-in rules are not)."""
    fix: FixApplicability | None
    family: str
    summary: str
    explanation: str
    help_text: str
    """The rule's page, as ``manifest-tools rules CODE`` prints it."""
    help_markdown: str


def help_command(code: str) -> str:
    """How a user reads rule ``code``'s documentation: offline, from the installed package. The rules have
    no published page, so no format links one (a repository path means nothing to a PyPI install, and
    SARIF's helpUri must be an absolute URI: it is left out; SARIF carries the page as ``help`` instead)."""
    return f"manifest-tools rules {code}"


_provider: Callable[[], list[RuleDoc]] | None = None


def publish(provider: Callable[[], list[RuleDoc]]) -> None:
    """Called by the rules layer once its catalogue is complete."""
    global _provider
    _provider = provider


def published() -> list[RuleDoc]:
    """Every rule in code order; empty when no rule was loaded (then no diagnostic exists either)."""
    return _provider() if _provider is not None else []
