"""The library entry points: ``load`` a manifest, ``lint`` it into a Report."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from manifest_tools.cloud.choices import DICOM_SERIES_BY, IMAGES_AS, URL_STYLES, DicomSeriesBy, ImagesAs, UrlStyle
from manifest_tools.codes import Code, RuleCode
from manifest_tools.collector import collector_paused
from manifest_tools.errors import ConfigError, NotRewritable, SourceError
from manifest_tools.model import Format, Manifest
from manifest_tools.readers.dispatch import can_read_again as can_read_again
from manifest_tools.readers.dispatch import detect_format as detect_format
from manifest_tools.readers.dispatch import parse as parse
from manifest_tools.readers.dispatch import parse_path as parse_path
from manifest_tools.readers.dispatch import parse_read
from manifest_tools.readers.dispatch import read_decoded as read_decoded
from manifest_tools.readers.dispatch import read_source as read_source
from manifest_tools.readers.json import read_json
from manifest_tools.readers.json_locator import JsonLocator
from manifest_tools.report.diagnostic import Diagnostic
from manifest_tools.report.report import NO_MANIFEST, Report, Unreadable
from manifest_tools.rules import engine

if TYPE_CHECKING:
    from manifest_tools.cloud.fill import FillResult
    from manifest_tools.cloud.generate import GenerateResult, Progress
    from manifest_tools.cloud.probe import ProbeOptions
    from manifest_tools.cloud.verify import VerifyStats
    from manifest_tools.conversion import Conversion, Target
    from manifest_tools.fixes import FixResult
    from manifest_tools.splitting import Limits, Part

Source = str | bytes | os.PathLike[str] | dict[str, Any]


def from_dict(data: dict[str, Any], name: str = "<dict>") -> Manifest:
    """A Manifest for an already-parsed object, read as its 2-space JSON dump (what positions refer to).

    Reading the dump, not the dict, gives a dict exactly the diagnostics of the same
    text: a non-string key becomes the string JSON makes of it, NaN is MT106, deep
    nesting MT111. A dict that has no JSON text at all is one diagnostic, never an exception.
    """
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    except RecursionError:
        return _unwritable_dict(name, Code.MT111, "the dict is nested too deeply to be written as JSON")
    except (TypeError, ValueError) as error:
        return _unwritable_dict(name, Code.MT203, f"the dict cannot be written as JSON: {error}")
    return read_json(name, text)


def _unwritable_dict(name: str, code: RuleCode, message: str) -> Manifest:
    from manifest_tools.report.diagnostic import Diagnostic, Severity

    diagnostic = Diagnostic(code, Severity.ERROR, message, name, 1, 1, "")
    return Manifest(path=name, format="json", data=None, locator=JsonLocator("{}"), reader_diagnostics=[diagnostic])


def _looks_like_text(value: str) -> bool:
    """Manifest text has a newline or starts like JSON; anything else is taken as a path."""
    return "\n" in value or value.lstrip("\ufeff \t\r").startswith(("{", "["))


def load(source: Source, *, format: Format | None = None, name: str | None = None) -> Manifest:
    """Read a manifest from a path, text, bytes or parsed dict into the shared model."""
    if isinstance(source, dict):
        return from_dict(source, name or "<dict>")
    if isinstance(source, bytes):
        return parse(name or "<bytes>", source, format)
    if isinstance(source, str) and _looks_like_text(source):
        return parse(name or "<text>", source, format)
    if isinstance(source, (str, os.PathLike)):
        return parse_path(source, format, name)
    raise SourceError(f"cannot read a manifest from {type(source).__name__}: pass a path, text, bytes or dict")


def selection(
    select: Iterable[str] = (), extend_select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> frozenset[str]:
    """The enabled rule codes for ruff-style select / extend-select / ignore lists of codes, prefixes, ``ALL``
    or rule names (``trailing-comma``), in any case; raises ConfigError for one that matches no rule."""
    from manifest_tools.selectors import resolve_all

    return engine.Selection(resolve_all(select), resolve_all(extend_select), resolve_all(ignore)).enabled()


def _lint_selectors(
    select: Iterable[str], extend_select: Iterable[str], ignore: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The resolved lists of a lint or fix, refused where the CLI refuses them: a ``select`` or
    ``extend_select`` that reaches only MT9xx rules would run nothing and pass every file."""
    from manifest_tools.selectors import resolve_all, resolve_selecting

    return resolve_selecting("select", select), resolve_selecting("extend_select", extend_select), resolve_all(ignore)


def lint_file(
    path: str | os.PathLike[str],
    enabled: frozenset[str],
    format: Format | None = None,
    name: str | None = None,
    *,
    count_fixes: bool = True,
) -> Report:
    """Lint a manifest file: certified by the native scanner when it can be, else parsed and checked.
    ``count_fixes``: run the fixer when a finding has a fix, for the hint (:func:`count_fixes`)."""
    shown = name or os.fspath(path)
    data = read_source(path)
    chosen = format or detect_format(shown, data)
    if chosen != "json":  # handed over as below: the bytes are not held while the rows are read
        handed = [data]
        del data
        return csv_report(parse_read(path, handed, chosen, shown), enabled, count_fixes)
    certified = _certified_report(shown, data, enabled)
    if isinstance(certified, Report):
        if count_fixes:
            _count_fixes_of_bytes(certified, shown, data, enabled)
        return certified
    read = [data]  # handed over to the parse, which frees the bytes once decoded: no second copy
    del data
    return _checked_in_python(
        _paused_check(lambda: parse_read(path, read, chosen, shown), enabled, count_fixes), certified
    )


def lint_data(
    name: str, data: bytes | str, enabled: frozenset[str], format: Format | None = None, *, count_fixes: bool = True
) -> Report:
    """Lint a manifest's bytes or text (``name`` is what diagnostics call it), as :func:`lint_file`."""
    chosen = format or detect_format(name, data)
    if chosen != "json":
        return csv_report(parse(name, data, chosen), enabled, count_fixes)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    certified = _certified_report(name, raw, enabled)
    if isinstance(certified, Report):
        if count_fixes:
            _count_fixes_of_bytes(certified, name, raw, enabled)
        return certified
    return _checked_in_python(_paused_check(lambda: parse(name, data, chosen), enabled, count_fixes), certified)


FIX_COUNT_MAX_BYTES = 16 << 20
"""Above this size, lint's hint counts the findings whose rule has a fix instead of asking the fixer:
running it (twice, with --unsafe-fixes) would make a lint of a large file with one fixable finding cost
as much as two fixes, the cliff issue 12 removed. The count may then overstate what ``fix`` does."""


def count_fixes_of(report: Report, name: str, fixed: Callable[[bool], FixResult], size: int) -> None:
    """Record in ``report`` how many fixes ``fix`` and ``fix --unsafe-fixes`` apply to ``name``: the one place
    fixability is decided is the fixer, so lint's hint runs it (``fixed(unsafe)``) rather than trusting a
    rule's "has a fix" (an unknown key is MT202 too, and only SDK spellings are renamed).

    Only a file with a finding whose rule has a fix is fixed, and ``--unsafe-fixes`` only when one such
    rule's fix is unsafe or the safe fix refuses the file: a fix acts only where lint reported.
    """
    from manifest_tools.report.report import FixCounts

    fixes = [d.fix for d in report.diagnostics if d.path == name and d.fix]
    kinds = set(fixes)
    if not kinds:
        return
    declared = FixCounts(fixes.count("safe"), len(fixes))
    if size > FIX_COUNT_MAX_BYTES:
        report.fix_counts[name] = declared
        return
    try:
        safe = fixed(False) if "safe" in kinds else None
        refused = safe is not None and safe.text is None
        unsafe = fixed(True) if "unsafe" in kinds or refused else safe
    except RecursionError:  # nested deeper than copying allows: lint has reported it (MT111)
        report.fix_counts[name] = declared
        return
    report.fix_counts[name] = FixCounts(_applied(safe), _applied(unsafe))


def _count_fixes_of_bytes(report: Report, name: str, data: bytes, enabled: frozenset[str]) -> None:
    count_fixes_of(report, name, lambda unsafe: _fix_bytes(name, data, enabled, unsafe), len(data))


def _applied(result: FixResult | None) -> int:
    """The fixes a fix applied: none when it refuses to rewrite the file."""
    return 0 if result is None or result.text is None else len(result.applied)


def _fix_bytes(name: str, data: bytes, enabled: frozenset[str], unsafe: bool) -> FixResult:
    """What ``fix`` does to a JSON manifest's bytes: with the native scanner when it certifies them, else in
    Python over the whole parsed file (as the CLI's fix and :func:`fix`)."""
    from manifest_tools.certified_fix import fix_certified
    from manifest_tools.fixes import fix_manifest

    certified = fix_certified(name, lambda: data, enabled, unsafe)
    if not isinstance(certified, str):
        return certified
    return fix_manifest(parse(name, data, "json"), enabled, unsafe=unsafe)


def _fixed_copy(manifest: Manifest, enabled: frozenset[str]) -> Callable[[bool], FixResult]:
    """``fixed(unsafe)`` for :func:`count_fixes_of`: the fix of a copy (a fix changes the data in place)."""
    import copy
    import dataclasses

    from manifest_tools.fixes import fix_manifest

    def fixed(unsafe: bool) -> FixResult:
        copied = dataclasses.replace(
            manifest, data=copy.deepcopy(manifest.data), duplicates=copy.deepcopy(manifest.duplicates)
        )
        return fix_manifest(copied, enabled, unsafe=unsafe)

    return fixed


NATIVE_SCANNER = "the native scanner"
"""What ``Report.checked_by`` says of a file the native scanner certified."""

NATIVE_SCANNER_CSV = "the native scanner (CSV rows)"
"""What ``Report.checked_by`` says of a CSV file whose rows the native scanner certified (Python read them)."""


def _certified_report(name: str, data: bytes, enabled: frozenset[str]) -> Report | str:
    """The report of a JSON manifest the native scanner certifies, or why the full lint must run."""
    from manifest_tools.rules.certified import lint_certified

    notes: set[str] = set()
    diagnostics = lint_certified(name, data, enabled, notes)
    if isinstance(diagnostics, str):
        return diagnostics
    return Report(diagnostics, [name], sorted(notes), checked_by={name: NATIVE_SCANNER})


def csv_report(manifest: Manifest, enabled: frozenset[str], count_fixes: bool = True) -> Report:
    """The report of a CSV manifest: the item rules run on the rows the native scanner does not certify."""
    from manifest_tools.rules.certified_csv import certify_csv

    certified = certify_csv(manifest, enabled)
    if isinstance(certified, str):
        return _checked_in_python(check(manifest, enabled, count_fixes=count_fixes), certified)
    report = check(certified, enabled, count_fixes=False)  # placeholders stand for the certified rows
    if count_fixes:
        count_fixes_of(report, manifest.path, _fixed_copy(manifest, enabled), manifest.size_bytes)
    report.checked_by[manifest.path] = NATIVE_SCANNER_CSV
    return report


def _paused_check(parsed: Callable[[], Manifest], enabled: frozenset[str], count_fixes: bool) -> Report:
    """:func:`check` of the manifest ``parsed`` gives, the cycle collector paused until the parsed tree is
    dropped: running, it walks the tree's millions of (acyclic) containers in the young collections that
    promote them and in a full one after (a tenth of a pure-Python lint's CPU). Reference counting frees
    the tree all the same."""
    with collector_paused():
        return _check(parsed(), enabled, count_fixes, owned=True)


def _checked_in_python(report: Report, why: str) -> Report:
    """Record, for ``lint -v``, that Python parsed and checked the report's file, and why."""
    report.checked_by.update(dict.fromkeys(report.files, f"Python ({why})"))
    return report


def check(manifest: Manifest, enabled: frozenset[str] | None = None, *, count_fixes: bool = True) -> Report:
    """Run the rules over a loaded Manifest (and, ``count_fixes``, the fixer on a copy: the hint's counts)."""
    return _check(manifest, enabled if enabled is not None else selection(), count_fixes, owned=False)


def _check(manifest: Manifest, codes: frozenset[str], count_fixes: bool, *, owned: bool) -> Report:
    """:func:`check`; ``owned``: no one else holds ``manifest`` (it was parsed for this lint), so its
    parsed data is dropped before findings are placed when nothing after needs it (the fix hint's copy
    does, on a file the fixer is run on): the tree and the text read again are then not held at once."""
    notes: set[str] = set()
    fixes_need_data = count_fixes and manifest.certified is None and manifest.size_bytes <= FIX_COUNT_MAX_BYTES
    drop_data = owned and not fixes_need_data
    report = Report(engine.check(manifest, codes, notes, drop_data=drop_data), [manifest.path], sorted(notes))
    if count_fixes and manifest.certified is None:
        count_fixes_of(report, manifest.path, _fixed_copy(manifest, codes), manifest.size_bytes)
    return report


def lint_across_files(
    paths: Iterable[str], enabled: frozenset[str] | Callable[[str], frozenset[str]]
) -> list[Diagnostic]:
    """URLs repeated across manifest files linted together (MT604 for the parts of one split, MT606
    for any files), reported in every file involved; ``paths`` in the order they were linted.
    ``enabled`` may differ per file (``per-file-ignores``, nested configs): each file gets what it enables."""
    from manifest_tools.rules.across import check_across_files

    per_file = enabled if callable(enabled) else (lambda _path: enabled)
    linted = [p for p in paths if p != "-"]
    union = frozenset[str]().union(*map(per_file, linted))
    found = check_across_files(linted, union, lambda path: parse_path(path))
    return [d for d in found if d.code in per_file(d.path)]


def lint_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    select: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    exclude: Iterable[str] | None = None,
    extend_exclude: Iterable[str] = (),
    per_file_ignores: Mapping[str, Iterable[str]] | None = None,
    respect_gitignore: bool = True,
    force_exclude: bool = False,
    config: str | os.PathLike[str] | None = None,
    isolated: bool = False,
) -> Report:
    """Lint manifest files (folders are walked) as one run, as ``manifest-tools lint`` does: each file with the
    settings of its nearest ``[tool.manifest-tools]`` (``config``: that file's for all; ``isolated``: none),
    then the URLs repeated across them. The keywords mean what the options of the same names mean and win over
    the configuration. A path that cannot be checked (missing, unreadable, a folder without manifests) is in
    ``report.unreadable``, as the CLI reports it, and the rest is still checked."""
    from manifest_tools.config import SettingsFinder
    from manifest_tools.discovery import discover, ignored_codes
    from manifest_tools.selectors import resolve_configured

    if config is not None and isolated:
        raise ConfigError(f"config={os.fspath(config)!r} and isolated=True exclude each other: isolated reads none")
    overrides: dict[str, Any] = {}
    if per_file_ignores is not None:
        overrides["per_file_ignores"] = tuple((p, tuple(codes)) for p, codes in per_file_ignores.items())
    if exclude is not None:
        overrides["exclude"] = tuple(exclude)
    finder = SettingsFinder(
        Path(config) if config is not None else None,
        isolated=isolated,
        overrides=overrides,
        extend_exclude=tuple(extend_exclude),
    )
    finder.for_folder(Path.cwd())  # a bad configuration is refused even when no file is found (as the CLI)
    found = discover(
        (os.fspath(p) for p in paths), finder, respect_gitignore=respect_gitignore, force_exclude=force_exclude
    )
    chosen = _lint_selectors(select, extend_select, ignore)

    def enabled_for(path: str) -> frozenset[str]:
        own = finder.for_path(Path(path))
        return selection(
            chosen[0] or resolve_configured(own, "select", own.select),
            resolve_configured(own, "extend-select", own.extend_select) + chosen[1],
            resolve_configured(own, "ignore", own.ignore)
            + resolve_configured(own, "per-file-ignores", ignored_codes(path, own))
            + chosen[2],
        )

    report = lint_each(found.files, enabled_for, watcher=_Recording())
    report.unreadable[:0] = [*found.unreadable, *(Unreadable(path, NO_MANIFEST) for path in found.empty)]
    return report


class LintWatcher(Protocol):
    """What :func:`lint_each` tells its caller as it goes: the CLI draws its progress bar and ``-v`` lines
    from these calls and records a failed file instead of stopping (:class:`Unwatched` is the library's)."""

    def file_started(self, path: str) -> None:
        """Before ``path`` (``-``: standard input) is read."""

    def file_checked(self, name: str, report: Report) -> None:
        """``name`` (what diagnostics call the file) was read and checked into ``report``."""

    def file_failed(self, path: str, error: Exception) -> None:
        """``path`` could not be read or checked; unless this raises, the run goes on with it unreadable."""

    def file_finished(self, path: str) -> None:
        """After ``path``, checked or failed."""

    def across_started(self) -> None:
        """Before the URLs repeated across the files are looked for."""

    def across_failed(self, error: Exception) -> None:
        """The across-files check failed; unless this raises, the run is reported with it unreadable."""

    def across_finished(self, linted: int) -> None:
        """After the across-files check over ``linted`` files."""


class Unwatched:
    """A library caller's :class:`LintWatcher`: hears nothing, and a file that fails raises its error."""

    def file_started(self, path: str) -> None:
        pass

    def file_checked(self, name: str, report: Report) -> None:
        pass

    def file_failed(self, path: str, error: Exception) -> None:
        raise error

    def file_finished(self, path: str) -> None:
        pass

    def across_started(self) -> None:
        pass

    def across_failed(self, error: Exception) -> None:
        raise error

    def across_finished(self, linted: int) -> None:
        pass


class _Recording(Unwatched):
    """:func:`lint_files`' watcher: a file that cannot be read is recorded unreadable and the run goes on (as
    the CLI's); a defect still raises."""

    def file_failed(self, path: str, error: Exception) -> None:
        from manifest_tools.errors import ManifestToolsError

        if not isinstance(error, ManifestToolsError):
            raise error

    def across_failed(self, error: Exception) -> None:
        pass


def lint_each(
    files: Iterable[str],
    enabled_for: Callable[[str], frozenset[str]],
    *,
    format: Format | None = None,
    stdin_filename: str | None = None,
    watcher: LintWatcher | None = None,
) -> Report:
    """Lint found manifest files as one run (the one loop of ``lint_files`` and ``manifest-tools lint``):
    each file with the rules ``enabled_for`` it, then the URLs repeated across them. ``-`` is standard
    input, called ``stdin_filename`` (else ``<stdin>``); ``watcher`` hears of each step."""
    from manifest_tools.errors import ManifestToolsError

    watcher = watcher or Unwatched()
    report = Report()
    linted: list[str] = []
    for path in files:
        watcher.file_started(path)
        try:
            if path == "-":
                name = stdin_filename or "<stdin>"
                one = lint_data(name, _read_stdin(), enabled_for(path), format)
            else:
                name = path
                one = lint_file(path, enabled_for(path), format)
                linted.append(path)
            report.extend(one)
            watcher.file_checked(name, one)
        except Exception as error:  # ManifestToolsError, or a defect the CLI reports as an internal error
            watcher.file_failed(path, error)
            report.unreadable.append(Unreadable.of(path, error))
        watcher.file_finished(path)
    watcher.across_started()
    try:
        report.merge(lint_across_files(linted, enabled_for))
    except ManifestToolsError as error:
        watcher.across_failed(error)
        report.unreadable.append(Unreadable.of("", error))
    watcher.across_finished(len(linted))
    return report


def _read_stdin() -> bytes:
    import sys

    return sys.stdin.buffer.read()


def lint(
    source: Source,
    *,
    select: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    format: Format | None = None,
    name: str | None = None,
) -> Report:
    """Lint one manifest (path, text, bytes or parsed dict) and return its Report."""
    enabled = engine.Selection(*_lint_selectors(select, extend_select, ignore)).enabled()
    if isinstance(source, bytes):
        return lint_data(name or "<bytes>", source, enabled, format)
    if isinstance(source, str) and _looks_like_text(source):
        return lint_data(name or "<text>", source, enabled, format)
    if isinstance(source, (str, os.PathLike)):
        return lint_file(source, enabled, format, name)
    return check(load(source, format=format, name=name), enabled)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files as given; folders walked for ``*.json`` and ``*.csv``, skipping the default exclusions and what
    .gitignore files ignore (see :mod:`manifest_tools.discovery` for the configurable walk)."""
    from manifest_tools.discovery import discover

    yield from discover(paths).files


def fix(source: Source, *, unsafe: bool = False, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> FixResult:
    """The fixed, canonical text of a manifest (``text`` is None when it must not be rewritten), its lines
    ended as the source's first line is (CRLF in, CRLF out)."""
    from manifest_tools.fixes import fix_manifest, with_line_ending

    enabled = engine.Selection(*_lint_selectors(select, (), ignore)).enabled()
    newline = _line_ending(source)
    certified = _fix_certified(source, enabled, unsafe)
    if certified is not None:
        return with_line_ending(certified, newline)
    manifest = load(source)
    if manifest.format == "csv":
        from manifest_tools.certified_csv_fix import fix_certified_csv

        rows = fix_certified_csv(manifest, enabled, unsafe, newline)
        if not isinstance(rows, str):
            return rows
    return fix_manifest(manifest, enabled, unsafe=unsafe, newline=newline)


def _line_ending(source: Source) -> str:
    """The line ending of ``source``'s text, which its fix keeps (a dict's dump ends lines with LF)."""
    from manifest_tools.fixes import line_ending

    if isinstance(source, (bytes, str)) and (not isinstance(source, str) or _looks_like_text(source)):
        return line_ending(source)
    if isinstance(source, (str, os.PathLike)):
        return _file_line_ending(source)
    return "\n"


def _file_line_ending(path: str | os.PathLike[str]) -> str:
    """The line ending of a file's first line, read up to it a MiB at a time (not the whole file, which
    the fix reads next); LF when it cannot be read (that read then says why)."""
    from manifest_tools.fixes import line_ending

    last = b""  # a CR that ended the block before: the next block's first byte says whether LF follows
    try:
        with open(path, "rb") as file:
            while block := file.read(1 << 20):
                block = last + block
                end = min((at for at in (block.find(b"\n"), block.find(b"\r")) if at >= 0), default=-1)
                if end >= 0 and (end + 1 < len(block) or block[end] == ord("\n")):
                    return line_ending(block[: end + 2])
                last = block[-1:] if end >= 0 else b""
    except OSError:
        pass
    return line_ending(last)  # LF, or a CR that ends the file


def _fix_certified(source: Source, enabled: frozenset[str], unsafe: bool) -> FixResult | None:
    """What :func:`fix` gives, when ``source`` is a JSON file or bytes the native scanner certifies
    (only its doubtful items are parsed); None when the whole file must be parsed."""
    from manifest_tools.certified_fix import fix_certified

    read: Callable[[], bytes]
    if isinstance(source, bytes):
        name, given = "<bytes>", source
        read = lambda: given  # noqa: E731
    elif isinstance(source, os.PathLike) or (isinstance(source, str) and not _looks_like_text(source)):
        name, path = os.fspath(source), source
        read = lambda: read_source(path)  # noqa: E731
    else:
        return None
    if not name.lower().endswith(".json") and detect_format(name, read()[:64]) != "json":
        return None
    result = fix_certified(name, read, enabled, unsafe)
    return result if not isinstance(result, str) else None


def require_rewritable(manifest: Manifest) -> Manifest:
    """``manifest``, or NotRewritable listing why writing it in another shape would turn a guess into data.

    The one guard of convert and split, for the CLI and the library alike.
    """
    from manifest_tools.fixes import blocking_diagnostics

    blocking = blocking_diagnostics(manifest, unsafe=False)
    if blocking:
        raise NotRewritable(blocking)
    return manifest


def require_verifiable(manifest: Manifest) -> Manifest:
    """``manifest``, or NotRewritable (as :func:`require_rewritable`) when ``verify`` would check less than the
    file lists: a shape that hides items (``conversion.shape_losses``: an unknown or misspelt key, a kind that
    is not an array, an element that is not an object; what split refuses, and convert to CSV), an item with
    no URL, or a URL that is not a string (convert to CSV refuses both). Its errors are lint's findings
    there: "All checks passed" would vouch for URLs never read.
    """
    from manifest_tools.conversion import shape_losses

    require_rewritable(manifest)
    hidden = {loss.pointer for loss in shape_losses(manifest.data or {})}
    hidden.update(f"{item.pointer}/{name}" for item, name, url in manifest.urls() if not isinstance(url, str))
    hidden.update(item.pointer for item in manifest.items() if not item.kind.scene and not item.url_count())
    if hidden:
        errors = check(manifest, count_fixes=False).errors
        raise NotRewritable([d for d in errors if d.pointer in hidden] or errors)
    return manifest


def convert(source: Source, to: Target, *, drop_unsupported: bool = False) -> Conversion:
    """Convert a manifest to ``"json"``, ``"csv"`` or ``"sdk"``; raises ConversionRefused rather than lose data,
    NotRewritable when reading it needed a guess, ConfigError for another target."""
    from manifest_tools.conversion import convert as run

    return run(require_rewritable(load(source)), to, drop_unsupported=drop_unsupported)


def split(
    source: str | os.PathLike[str],
    limits: Limits,
    *,
    output_dir: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
) -> list[Part]:
    """Plan (and unless ``dry_run``, write) parts of a manifest file within ``limits``.

    Refuses as the CLI does: ConfigError (no limit, or one below 1: :meth:`Limits.check`, the CLI's
    check too), NotRewritable, SplitRefused (what parts cannot hold),
    SplitError (an item larger than a part), PartsExist (an earlier split's parts,
    unless ``replace``), OutputError (the parts cannot be written; none appears).
    """
    from manifest_tools.splitting import plan, write_parts

    manifest = require_rewritable(parse_path(source))
    newline = _file_line_ending(source)  # the parts keep it, as the CLI's do
    parts = plan(manifest, limits, newline=newline)
    if not dry_run:
        suffix = part_suffix(manifest)
        written = write_parts(manifest, parts, suffix=suffix, output_dir=output_dir, replace=replace, newline=newline)
        for part, path in zip(parts, written, strict=True):  # the real size, not the plan's estimate (or 0)
            part.bytes = path.stat().st_size
    return parts


def part_suffix(manifest: Manifest) -> str:
    """Parts keep the source's format."""
    return ".csv" if manifest.format == "csv" else ".json"


def generate(
    source: str,
    output: str | os.PathLike[str],
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
    url_style: UrlStyle = "virtual",
    url_base: str | None = None,
    page_size: int | None = None,
    images_as: ImagesAs = "single",
    dicom_series_by: DicomSeriesBy = "folder",
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    kinds: Iterable[str] = (),
    max_frames: int | None = None,
    progress: Progress | None = None,
    on_skipped: Callable[[str, str], None] | None = None,
    drop_unsupported: bool = False,
    metadata: bool = False,
    concurrency: int = 8,
) -> GenerateResult:
    """List a bucket prefix (s3://, obs://, gs://, az://, a folder) into a manifest file, split at the limits.

    How to reach the store and write its URLs: ``region``, ``endpoint_url`` (an S3-compatible
    store's API), ``url_style`` (S3: ``virtual`` or ``path``), ``url_base`` (write URL-BASE/key:
    an absolute https URL without a query; required for a local folder), ``page_size``.
    What to register: ``images_as`` (``single``, or each folder as one image ``groups`` or
    ``sequences``), ``dicom_series_by``, ``include`` / ``exclude`` (gitignore-style patterns over
    the keys below the prefix, as the ``exclude`` setting), ``kinds`` (only these kinds),
    ``max_frames`` (frames per image sequence). ``progress`` is called with the counts as the
    listing goes; ``on_skipped(key, why)`` with each object left out. ``drop_unsupported``: a CSV
    output leaves out what CSV cannot carry instead of refusing. ``metadata``: fill every metadata
    block from the files' headers, as ``probe`` does (JSON; the probe extra), reading
    ``concurrency`` files at once.

    Refuses as the CLI does, before listing anything: ConfigError for an output that is not
    .json or .csv, a bad ``url_base``, an unknown kind or choice; SourceError for a source that
    cannot be listed.
    """
    from manifest_tools.cloud.classify import GroupingOptions
    from manifest_tools.cloud.generate import check_choice, check_generate_options
    from manifest_tools.cloud.generate import generate as run
    from manifest_tools.kinds import MAX_SEQUENCE_FRAMES
    from manifest_tools.providers.base import PAGE_SIZE, ListerOptions

    kinds = tuple(kinds)
    check_generate_options(output, url_base, kinds)
    check_choice("url_style", url_style, URL_STYLES)
    check_choice("images_as", images_as, IMAGES_AS)
    check_choice("dicom_series_by", dicom_series_by, DICOM_SERIES_BY)
    _at_least(1, concurrency=concurrency, page_size=page_size, max_frames=max_frames)
    if metadata:
        if os.fspath(output).lower().endswith(".csv"):
            raise ConfigError("generate --metadata writes JSON: CSV manifests cannot hold metadata blocks")
        from manifest_tools.media import require_probe_libraries

        require_probe_libraries()  # before listing: a missing extra must not leave a half-done manifest
    listing = ListerOptions(region, endpoint_url, url_style, url_base, page_size or PAGE_SIZE)
    grouping = GroupingOptions(
        images_as=images_as,
        dicom_series_by=dicom_series_by,
        include=tuple(include),
        exclude=tuple(exclude),
        kinds=frozenset(kinds),
        max_frames=max_frames or MAX_SEQUENCE_FRAMES,
    )
    result = run(
        source,
        output,
        lister_options=listing,
        grouping=grouping,
        progress=progress,
        on_skipped=on_skipped,
        drop_unsupported=drop_unsupported,
    )
    if metadata:
        result.filled = _fill_generated(source, result.parts, region, endpoint_url, url_base, concurrency)
    return result


def _at_least(minimum: int, **values: int | None) -> None:
    """ConfigError for a count below ``minimum`` (the CLI's IntRange, for library callers)."""
    for name, value in values.items():
        if value is not None and value < minimum:
            raise ConfigError(f"{name} must be at least {minimum}, not {value}")


def _fill_generated(
    source: str, parts: list[Path], region: str | None, endpoint_url: str | None, url_base: str | None, concurrency: int
) -> list[FillResult]:
    """Probe what ``generate`` wrote and fill its metadata blocks; a folder listed with ``url_base``
    is read from the folder, not through the URLs it was given."""
    from manifest_tools.cloud.fill import fill_files
    from manifest_tools.cloud.probe import ProbeOptions
    from manifest_tools.cloud.ranged import StoreOptions
    from manifest_tools.providers import parse_source

    parsed = parse_source(source)
    roots = ((url_base, parsed.bucket),) if parsed.provider == "local" and url_base else ()
    stores = StoreOptions(region, endpoint_url, roots)
    return fill_files(parts, ProbeOptions(stores=stores, concurrency=concurrency))


def verify(
    source: Source,
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
    max_head: int = 1000,
    metadata: bool | ProbeOptions = False,
    format: Format | None = None,
    name: str | None = None,
    on_stats: Callable[[VerifyStats], None] | None = None,
) -> Report:
    """Check that every URL of a manifest exists (and matches its fileSize); a Report of MT9xx diagnostics.

    ``region`` is for S3 buckets whose URLs do not name one, ``endpoint_url`` an S3-compatible
    store's API; direct-access URLs get at most ``max_head`` HEAD requests (the rest are MT904).
    ``metadata`` (True, or a ``cloud.probe.ProbeOptions``) also compares metadata blocks with the
    files' headers (the probe extra). ``format`` and ``name`` are as for :func:`load`;
    ``on_stats`` gets what was done (URLs, folders listed, requests), which the CLI prints.

    Refuses as the CLI does: SourceError for an unreadable manifest, NotRewritable (as convert and split)
    for one that is no manifest (``null``, ``[]``: MT201), was read only by guessing, or hides items or
    URLs (:func:`require_verifiable`), whose URLs checked would pass a file the platform refuses,
    CannotVerify (a SourceError)
    when the provider's extra is missing or there are no credentials, ConfigError for a negative
    ``max_head``.
    """
    from manifest_tools.cloud.verify import VerifyOptions
    from manifest_tools.cloud.verify import verify as run

    _at_least(0, max_head=max_head)
    probing: ProbeOptions | None = None
    if metadata is True:
        probing = _probe_options({"region": region, "endpoint_url": endpoint_url})
    elif metadata is not False:
        probing = metadata
    manifest = require_verifiable(load(source, format=format, name=name))
    stats = run(manifest, VerifyOptions(region=region, endpoint_url=endpoint_url, max_head=max_head, metadata=probing))
    if on_stats is not None:
        on_stats(stats)
    diagnostics = engine.locate_findings(manifest, stats.findings)
    diagnostics.sort(key=lambda d: d.sort_key())
    return Report(diagnostics, [manifest.path])


def probe(
    source: Source, output: str | os.PathLike[str] | None = None, *, overwrite: bool = False, **options: Any
) -> FillResult:
    """Fill a manifest's missing metadata blocks from its files' headers (ranged reads); write ``output`` if given.

    ``overwrite`` also replaces values the headers contradict. Keyword options: ``region``,
    ``endpoint_url``, ``local_roots`` (``(url_base, folder)`` pairs), and the fields of
    ``cloud.probe.ProbeOptions`` (``concurrency``, ``max_requests``, ``max_bytes``, ``cache``,
    ``shard``, ``merge``). The result holds the canonical JSON text and a Report of the findings.
    """
    from manifest_tools.atomic import write_atomic
    from manifest_tools.cloud.fill import fill_manifest

    result = fill_manifest(load(source), _probe_options(options), overwrite=overwrite)
    if output is not None:
        write_atomic(output, result.text)
    return result


def _probe_options(options: dict[str, Any]) -> ProbeOptions:
    from manifest_tools.cloud.probe import ProbeOptions
    from manifest_tools.cloud.ranged import StoreOptions

    store_keys = {"region", "endpoint_url", "local_roots"}
    stores = StoreOptions(
        region=options.get("region"),
        endpoint_url=options.get("endpoint_url"),
        local_roots=tuple(tuple(pair) for pair in options.get("local_roots", ())),
    )
    return ProbeOptions(stores=stores, **{k: v for k, v in options.items() if k not in store_keys})
