"""Run the rule catalogue over a manifest and turn findings into diagnostics."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from operator import attrgetter

from manifest_tools.codes import Code, RuleCode
from manifest_tools.kinds import KINDS_BY_KEY
from manifest_tools.model import Item, Manifest, split_pointer
from manifest_tools.redact import for_message
from manifest_tools.report.diagnostic import Diagnostic, Finding, FixApplicability, Severity, new_diagnostic
from manifest_tools.report.paths import repository_path
from manifest_tools.rules import catalogue
from manifest_tools.rules.registry import CheckContext, Checker, Rule
from manifest_tools.rules.structure import sdk_payload_keys
from manifest_tools.rules.syntax import FIXED_ONLY_IN_JSON


@dataclass(frozen=True, slots=True)
class Selection:
    """Which rules run: ruff's select / extend-select / ignore, by code or prefix."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def enabled(self) -> frozenset[str]:
        rules = catalogue.all_rules()
        if self.select:
            chosen = {code for code in rules if _matches(code, self.select)}
        else:
            chosen = {code for code, rule in rules.items() if rule.default}
        chosen |= {code for code in rules if _matches(code, self.extend_select)}
        return frozenset(code for code in chosen if not _matches(code, self.ignore))


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(p == "ALL" or code.startswith(p) for p in patterns)


def check(
    manifest: Manifest, enabled: frozenset[str], notes: set[str] | None = None, *, drop_data: bool = False
) -> list[Diagnostic]:
    """Every enabled diagnostic for ``manifest``, reader ones first, sorted by position; the checkers'
    notes about the run go into ``notes``. ``drop_data``: see :func:`locate_findings`."""
    return located(manifest, enabled, find(manifest, enabled, notes), drop_data=drop_data)


def located(
    manifest: Manifest, enabled: frozenset[str], findings: list[Finding], *, drop_data: bool = False
) -> list[Diagnostic]:
    """The enabled reader diagnostics and ``findings`` (:func:`find`'s) as diagnostics, sorted by position:
    ``fix`` locates its input's findings so in the text it wrote (``manifest`` with that text's locator)."""
    rules = catalogue.all_rules()
    diagnostics = [
        with_rule(d, rules[d.code], manifest.format) for d in manifest.reader_diagnostics if d.code in enabled
    ]
    diagnostics += locate_findings(manifest, findings, drop_data=drop_data)
    diagnostics.sort(key=_PLACE)
    return diagnostics


def find(manifest: Manifest, enabled: frozenset[str], notes: set[str] | None = None) -> list[Finding]:
    """The enabled checkers' findings for ``manifest``, not yet located (a crashed checker's MT000 among
    them); their notes about the run go into ``notes``."""
    rules = catalogue.all_rules()
    context = CheckContext(enabled, notes if notes is not None else set())
    findings: list[Finding] = []
    crashes: list[Finding] = []  # reported whatever the selection, even about a value the reader guessed
    with manifest.sharing_urls():  # the URL, file-type and repeated-URL rules read one list of the URLs
        for checker in catalogue.all_checkers():
            found: list[Finding] = []  # a list, filtered in one pass: 100,000 findings through a generator: 0.05 s
            try:
                found.extend(checker(manifest, context))
                findings += _enabled(found, enabled, rules)
            except Exception as error:  # one crashed family must not cost the file its whole report
                findings += [f for f in found if f.code in enabled]  # what it found before it crashed
                crashes.append(internal_error(checker, error))
    findings = [f for f in findings if f.pointer not in manifest.invalid_pointers]
    if sdk_payload_keys(manifest.data):  # not a manifest: its one finding says so (the README's promise)
        findings = [f for f in findings if f.code == Code.MT220]
    return findings + crashes


_PLACE = attrgetter("path", "line", "column", "code")
"""``Diagnostic.sort_key`` at C speed (100,000 findings sort in a few milliseconds)."""


def _enabled(findings: list[Finding], enabled: frozenset[str], rules: dict[str, Rule]) -> list[Finding]:
    """The findings whose rule is enabled; a finding with a code no rule has raises (reported as MT000)
    instead of being dropped with the disabled ones."""
    kept = [finding for finding in findings if finding.code in enabled]
    if len(kept) < len(findings):
        unknown = next((finding.code for finding in findings if finding.code not in rules), None)
        if unknown is not None:
            raise ValueError(f"a finding has the unknown code {unknown!r}")
    return kept


INTERNAL_ERROR = Code.MT000


def internal_error(checker: Checker, error: Exception) -> Finding:
    """The MT000 finding for a checker that raised, naming the rules it checks."""
    family = getattr(sys.modules.get(checker.__module__), "RULES", [])
    codes = sorted(rule.code for rule in family if isinstance(rule, Rule))
    rules = f"{codes[0]}..{codes[-1]}" if len(codes) > 1 else (codes[0] if codes else checker.__module__)
    message = f"internal error in {rules} ({type(error).__name__}: {error}); please report it"
    return Finding(INTERNAL_ERROR, message, "")


_FINGERPRINTS: ContextVar[bool] = ContextVar("fingerprints", default=True)


@contextmanager
def fingerprints(wanted: bool) -> Iterator[None]:
    """Lint inside this block with fingerprints (the default) or without them (``Diagnostic.fingerprint``
    empty): the CLI leaves them out for an output that prints none, which spares each finding a hash and
    its item's first URL. A context setting, as :func:`manifest_tools.rules.urls.url_validity`."""
    token = _FINGERPRINTS.set(wanted)
    try:
        yield
    finally:
        _FINGERPRINTS.reset(token)


FirstUrls = dict[tuple[str, int], str | None]
"""Each item's first URL, by (kind key, index), once looked up."""


def locate_findings(manifest: Manifest, findings: list[Finding], *, drop_data: bool = False) -> list[Diagnostic]:
    """Diagnostics for findings about ``manifest``: line and column found, severity from the catalogue.

    Per finding only what differs is computed: each rule's facts and each message's printable form are
    looked up once (100,000 findings of one rule share them), and a finding the scanner located is not
    asked of the locator.

    ``drop_data`` (a caller that owns ``manifest`` and needs no more of its data): the fingerprints (which
    read items' first URLs) are made first, then the parsed data is dropped (``manifest.data`` becomes None)
    before the locator reads the text again, so that the tree and the text are not held at once."""
    rules = catalogue.all_rules()
    span = manifest.locator.span
    certificate = manifest.certified
    hashed = _FINGERPRINTS.get()
    first_urls: FirstUrls = certificate.first_urls() if certificate is not None and hashed else {}
    hash_of = _fingerprinter(manifest, first_urls, repository_path(manifest.path)) if hashed else None
    if drop_data and findings:
        hashes = [hash_of(f.code, f.pointer) for f in findings] if hash_of is not None else [""] * len(findings)
        made = iter(hashes)
        hash_of = lambda _code, _pointer: next(made)  # noqa: E731  (the loop below asks once per finding, in order)
        first_urls.clear()
        _drop_data(manifest)
    path = manifest.path
    facts: dict[str, tuple[Severity, FixApplicability | None, str]] = {}
    messages: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    append = diagnostics.append
    for finding in findings:
        code, pointer, place = finding.code, finding.pointer, finding.place
        if place is not None:  # the scanner located it
            line, column, end_line, end_column = place
        else:
            start, end = span(pointer, key=finding.key)
            line, column, end_line, end_column = start.line, start.column, end.line, end.column
        rule = facts.get(code)
        if rule is None:
            found = rules[code]
            rule = facts[code] = (found.severity, found.fix, found.name)
        message = messages.get(finding.message)
        if message is None:
            message = messages[finding.message] = printable(finding.message)
        append(
            new_diagnostic(  # Diagnostic(...), faster
                code,
                rule[0],
                message,
                path,
                line,
                column,
                pointer,
                rule[1],
                end_line,
                end_column,
                "" if hash_of is None else hash_of(code, pointer),
                rule[2],
            )
        )
    return diagnostics


def _drop_data(manifest: Manifest) -> None:
    """Drop ``manifest``'s parsed data, and the locator's hold on it (its positions kept)."""
    manifest.data = None
    forget = getattr(manifest.locator, "forget_parsed", None)  # a JSON file's locator holds the parsed value
    if forget is not None:
        forget()


def fingerprint(
    manifest: Manifest, code: RuleCode, pointer: str, first_urls: FirstUrls | None = None, where: str | None = None
) -> str:
    """A hash that survives reordering (the item is named by its first URL, not its index) and a change of
    working folder (the file is named from its repository's root, as SARIF and GitLab name it).

    ``first_urls`` caches each item's first URL across calls: finding it walks the item's
    URLs, and one group of 20,000 frames can have 20,000 findings. ``where`` is the file's
    :func:`repository_path`, when the caller has it already.
    """
    where = repository_path(manifest.path) if where is None else where
    return _fingerprinter(manifest, {} if first_urls is None else first_urls, where)(code, pointer)


def _fingerprinter(manifest: Manifest, first_urls: FirstUrls, where: str) -> Callable[[str, str], str]:
    """:func:`fingerprint` of a (code, pointer) in ``manifest``, with what repeats made once: each rule's
    ``code|file|`` prefix, and the name lookups (the hash is most of a finding's cost in json and sarif)."""
    sha256 = hashlib.sha256
    prefixes: dict[str, str] = {}

    def hash_of(code: str, pointer: str) -> str:
        prefix = prefixes.get(code)
        if prefix is None:
            prefix = prefixes[code] = f"{code}|{where}|"
        if pointer and "~" not in pointer:  # no escape: the rest of the pointer is its text after the index
            tokens = pointer[1:].split("/", 2)
            rest = tokens[2] if len(tokens) > 2 else ""
        else:
            tokens = split_pointer(pointer)
            rest = "/".join(tokens[2:])
        subject = pointer
        if len(tokens) >= 2 and tokens[0] in KINDS_BY_KEY and tokens[1].isdigit():
            item = (tokens[0], int(tokens[1]))
            url = first_urls[item] if item in first_urls else _first_url(manifest, *item, first_urls)
            if url is not None:
                subject = f"{tokens[0]} {url.strip()} {rest}"
        return sha256((prefix + subject).encode("utf-8", "surrogatepass")).hexdigest()[:32]

    return hash_of


def _first_url(manifest: Manifest, key: str, index: int, cache: FirstUrls) -> str | None:
    if (key, index) not in cache:
        kind = KINDS_BY_KEY[key]
        fields = manifest.item_fields(kind, index)
        urls = Item(kind, index, fields).url_fields() if fields is not None else []
        cache[key, index] = urls[0][1] if urls and isinstance(urls[0][1], str) else None
    return cache[key, index]


def _digest(*parts: str) -> str:
    """A short stable hash of the parts (lone surrogates included, as JSON allows them)."""
    return hashlib.sha256("|".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def with_rule(diagnostic: Diagnostic, rule: Rule, format: str = "json") -> Diagnostic:
    """A reader's diagnostic as the report shows it: the rule's severity, fix (none for a fix only JSON can
    write, in a CSV), name and link, printable message; a reader that gave no end underlines the one
    character at the start (never an empty range)."""
    fixed_here = format != "csv" or diagnostic.code not in FIXED_ONLY_IN_JSON
    return replace(
        diagnostic,
        severity=rule.severity,
        fix=rule.fix if fixed_here else None,
        message=printable(diagnostic.message),
        end_line=diagnostic.line if diagnostic.end_line is None else diagnostic.end_line,
        end_column=diagnostic.column + 1 if diagnostic.end_column is None else diagnostic.end_column,
        fingerprint=_digest(diagnostic.code, repository_path(diagnostic.path), diagnostic.pointer, diagnostic.message),
        name=rule.name,
    )


def printable(message: str) -> str:
    """Messages quote user data: secrets are redacted, long values shortened, and lone surrogates
    (legal JSON escapes that no terminal or file can encode) written as escapes."""
    return for_message(message)
