"""A Report: the diagnostics of one run, with counts, as easy for a program as for a person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from manifest_tools.errors import ManifestErrors
from manifest_tools.report.diagnostic import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A path that could not be checked, and why: machine-readable reports name both, not just a count."""

    path: str
    """The path as given; empty when the failure is the run's rather than one file's (the across-files check)."""
    reason: str
    """Why, as the run said it on stderr, without the leading ``path: `` the report names separately."""

    @classmethod
    def of(cls, path: str, error: BaseException | str) -> Unreadable:
        text = str(error)
        return cls(path, text.removeprefix(f"{path}: ") if path else text)


NO_MANIFEST = "no manifest (*.json, *.csv) found there"
"""Why a folder given to the library was not checked."""
NO_MANIFEST_OR_EXCLUDED = f"{NO_MANIFEST}, or every one is excluded"
"""Why a folder given on the command line was not checked (the CLI's exclusions may have emptied it)."""


@dataclass(slots=True)
class Report:
    """Diagnostics of every file checked, sorted by file and position."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Sentences about the run rather than the files (checks that could not run, and why)."""
    unreadable: list[Unreadable] = field(default_factory=list)
    """Paths that could not be checked at all: a run with any is never reported as passing."""
    checked_by: dict[str, str] = field(default_factory=dict)
    blocked: dict[str, bool] = field(default_factory=dict)
    """Files ``fix`` would refuse to rewrite; True when ``--unsafe-fixes`` would repair what blocks it."""
    """How each file was checked: by the native scanner, or by Python and why (``lint -v``)."""

    def __repr__(self) -> str:
        """Short: the counts, not every diagnostic."""
        counts = [(len(set(self.files)), "file"), (len(self.errors), "error"), (len(self.warnings), "warning")]
        if self.unreadable:
            counts.append((len(self.unreadable), "unreadable path"))
        return "Report(" + ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts) + ")"

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def __len__(self) -> int:
        return len(self.diagnostics)

    def extend(self, other: Report) -> None:
        self.diagnostics.extend(other.diagnostics)
        self.files.extend(other.files)
        self.unreadable.extend(other.unreadable)
        self.checked_by.update(other.checked_by)
        self.blocked.update(other.blocked)
        self.notes.extend(note for note in other.notes if note not in self.notes)

    def merge(self, diagnostics: list[Diagnostic]) -> None:
        """Add diagnostics about files already in the report, keeping the files' order and each file's
        diagnostics in position order."""
        order = {path: index for index, path in enumerate(dict.fromkeys(self.files))}
        self.diagnostics += diagnostics
        self.diagnostics.sort(key=lambda d: (order.get(d.path, len(order)), d.line, d.column, d.code))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when no diagnostic is an error (warnings allowed)."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def by_file(self) -> dict[str, list[Diagnostic]]:
        """Each file checked (clean ones too, in the order checked) with its diagnostics, in report order."""
        grouped: dict[str, list[Diagnostic]] = {path: [] for path in self.files}
        for d in self.diagnostics:
            grouped.setdefault(d.path, []).append(d)
        return grouped

    def by_code(self) -> Counter[str]:
        return Counter(d.code for d in self.diagnostics)

    def fixable(self) -> int:
        """The findings ``fix`` would repair: safe fixes in files it would rewrite."""
        return sum(1 for d in self.diagnostics if d.fix == "safe" and d.path not in self.blocked)

    def fixable_unsafe(self) -> int:
        """The further findings ``fix --unsafe-fixes`` would repair, in the files it would then rewrite."""
        return sum(
            1
            for d in self.diagnostics
            if (d.fix == "unsafe" and d.path not in self.blocked) or (d.fix and self.blocked.get(d.path))
        )

    def raise_for_errors(self, *, show: int = 10) -> None:
        """Raise :class:`ManifestErrors` listing the first errors, if there are any."""
        errors = self.errors
        if errors:
            raise ManifestErrors(errors, show=show)
