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


@dataclass(frozen=True, slots=True)
class FixCounts:
    """How many fixes ``fix`` and ``fix --unsafe-fixes`` apply to one file: the fixer's own outcome
    (``api`` runs it), so that lint's hint agrees with what ``fix`` then does."""

    safe: int
    unsafe: int
    """All the fixes ``--unsafe-fixes`` applies, the safe ones among them."""


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
    """How each file was checked: by the native scanner, or by Python and why (``lint -v``)."""
    fix_counts: dict[str, FixCounts] = field(default_factory=dict)
    """Per file with a finding a fix repairs: how many fixes ``fix`` would apply (none when it refuses)."""

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
        self.fix_counts.update(other.fix_counts)
        self.notes.extend(note for note in other.notes if note not in self.notes)

    def merge(self, diagnostics: list[Diagnostic]) -> None:
        """Add diagnostics about files already in the report, keeping the files' order and each file's
        diagnostics in position order."""
        if not diagnostics:  # the common case (no URL repeated across files): 100,000 findings need no new sort
            return
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
        """The fixes ``fix`` would apply (what its last line would count)."""
        return sum(counts.safe for counts in self.fix_counts.values())

    def fixable_unsafe(self) -> int:
        """The further fixes ``fix --unsafe-fixes`` would apply."""
        return sum(max(0, counts.unsafe - counts.safe) for counts in self.fix_counts.values())

    def raise_for_errors(self, *, show: int = 10) -> None:
        """Raise :class:`ManifestErrors` listing the first errors, if there are any."""
        errors = self.errors
        if errors:
            raise ManifestErrors(errors, show=show)
