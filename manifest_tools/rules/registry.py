"""The rule catalogue: one :class:`Rule` per code, and the checkers that emit them.

A checker walks the manifest once for a whole family of rules (a per-rule walk
would mean tens of passes over a million URLs); each rule's documentation lives
beside its family's checker, yamllint style, and is what ``rules CODE`` prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from manifest_tools.codes import CODES, RuleCode, known_code
from manifest_tools.model import Format, Manifest
from manifest_tools.report.diagnostic import Finding, FixApplicability, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity and documentation (with a bad and a good example)."""

    code: RuleCode
    name: str
    severity: Severity
    summary: str
    explanation: str
    bad: str
    good: str
    fix: FixApplicability | None = None
    default: bool = True
    example_format: Format = "json"
    bad_encoding: str = "utf-8"
    literal_bad: bool = True
    """False when the bad example is abbreviated (limits need files too big to print)."""
    across_files: bool = False
    """True for rules that judge the files of one run together; their examples show several files."""

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:3]]


FAMILIES: dict[str, str] = {
    "MT0": "internal",
    "MT1": "JSON syntax",
    "MT2": "structure",
    "MT3": "URLs",
    "MT4": "file types",
    "MT5": "metadata",
    "MT6": "duplicates",
    "MT7": "CSV",
    "MT8": "limits",
    "MT9": "verify, upload and plan (not run by lint)",
}


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a checker may ask about the run (which codes are enabled), and where it leaves notes:
    sentences about the run itself, such as checks that could not run, for the summary."""

    enabled: frozenset[str]
    notes: set[str] = field(default_factory=set)

    def wants(self, *codes: RuleCode) -> bool:
        """Whether any of ``codes`` is enabled; an unknown code raises (a misspelt one would skip a check)."""
        unknown = [code for code in codes if code not in CODES]
        if unknown:
            raise ValueError(f"unknown rule code {', '.join(unknown)} (every code is a constant of codes.Code)")
        return any(code in self.enabled for code in codes)


Checker = Callable[[Manifest, CheckContext], Iterable[Finding]]

RULES: dict[str, Rule] = {}
CHECKERS: list[Checker] = []


def check_catalogue(rules: dict[str, Rule]) -> None:
    """Every code has exactly one rule and every rule a code (``register`` refuses a second rule per code):
    raises at import, so that a code added to one side only never ships."""
    without_rule = sorted(CODES - set(rules))
    without_code = sorted(set(rules) - CODES)
    if without_rule or without_code:
        raise RuntimeError(
            f"the rule catalogue and codes.Code disagree: no rule for {without_rule or 'none'},"
            f" not in codes.Code: {without_code or 'none'}"
        )


def register(rules: Iterable[Rule], checkers: Iterable[Checker] = ()) -> None:
    """Add a family's rules and checkers to the catalogue (each code exactly once)."""
    for rule in rules:
        if rule.code in RULES:
            raise ValueError(f"rule {rule.code} registered twice")
        RULES[rule.code] = rule
    CHECKERS.extend(checkers)


def rule(
    code: RuleCode,
    name: str,
    severity: str,
    summary: str,
    explanation: str,
    bad: str,
    good: str,
    *,
    fix: FixApplicability | None = None,
    default: bool = True,
    example_format: Format = "json",
    bad_encoding: str = "utf-8",
    literal_bad: bool = True,
    across_files: bool = False,
) -> Rule:
    """Shorthand used by the family modules to declare a rule."""
    return Rule(
        code=known_code(code),  # raises ValueError at import for a code codes.Code does not list
        name=name,
        severity=Severity(severity),
        summary=summary,
        explanation=" ".join(explanation.split()),
        bad=bad.strip("\n"),
        good=good.strip("\n"),
        fix=fix,
        default=default,
        example_format=example_format,
        bad_encoding=bad_encoding,
        literal_bad=literal_bad and not across_files,
        across_files=across_files,
    )
