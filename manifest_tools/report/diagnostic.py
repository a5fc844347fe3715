"""Diagnostics: what every check produces, located in the file and in the item tree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # an annotation only: the CLI's start-up (--version, a clean pre-commit run) skips codes.py
    from manifest_tools.codes import RuleCode

FixApplicability = Literal["safe", "unsafe"]


class Severity(StrEnum):
    """How bad a finding is: errors fail a run, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: a code, a message and the JSON pointer it is about.

    ``key=True`` points at the member's key rather than its value (unknown or
    misspelt fields). The engine turns findings into :class:`Diagnostic` s.
    """

    code: RuleCode
    message: str
    pointer: str
    key: bool = False
    place: tuple[int, int, int, int] | None = None
    """(line, column, end line, end column) of the value, when the native scanner found the finding and
    located it itself: the engine takes it instead of asking the locator."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A located finding: rule code, severity, message, file, 1-based line and column."""

    code: RuleCode
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    pointer: str
    fix: FixApplicability | None = None
    end_line: int | None = None
    end_column: int | None = None
    fingerprint: str = ""
    """Stable across reordering: the rule, the file, the item's first URL and the field within the item."""
    name: str = ""
    """The rule's name (``trailing-comma``), filled where the diagnostic is made (``rules/engine.py``);
    its documentation is :func:`~manifest_tools.report.rule_docs.help_command` of the code."""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)
