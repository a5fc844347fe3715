"""Diagnostics: what every check produces, located in the file and in the item tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeVar

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


_Frozen = TypeVar("_Frozen")


def fast_constructor(cls: type[_Frozen]) -> Callable[..., _Frozen]:
    """``cls(*values)``, every field given in order, for a frozen dataclass with slots, about three times as fast.

    A frozen dataclass sets each field through ``object.__setattr__``; this sets them on a mutable twin of
    the same slots and then makes the object a ``cls`` (``__class__`` assignment, which Python allows between
    classes of the same layout): equal, hashable and frozen as ``cls(*values)`` is. For the loops that make
    one object per finding: 100,000 Findings and Diagnostics cost 0.2-0.3 s less.
    """
    names = [field.name for field in fields(cls)]  # type: ignore[arg-type]
    twin: Any = dataclass(slots=True)(
        type(f"_Mutable{cls.__name__}", (), {"__annotations__": dict.fromkeys(names, "Any")})
    )
    assert twin.__slots__ == cls.__slots__, "the twin must have the layout of the class"  # type: ignore[attr-defined]

    def make(*values: Any) -> _Frozen:
        made = twin(*values)
        made.__class__ = cls
        return made  # type: ignore[no-any-return]

    return make


new_finding = fast_constructor(Finding)
"""``Finding(code, message, pointer, key, place)``, faster (:func:`fast_constructor`)."""
new_diagnostic = fast_constructor(Diagnostic)
"""``Diagnostic(...)`` with every field in order, faster (:func:`fast_constructor`)."""
