"""The commands that write manifests: ``fix``, ``convert`` and ``split``."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

import click

from manifest_tools.atomic import same_file
from manifest_tools.cli import (
    EXIT_CLEAN,
    EXIT_FAILURE,
    EXIT_FINDINGS,
    PATHS,
    STDIN_FILENAME,
    STDOUT_NAMES,
    VERBOSE,
    SelectedFileSettings,
    Stop,
    config_options,
    elapsed,
    enabled_rules,
    exit_code,
    fail,
    find_manifests,
    fix_command,
    input_name,
    load_rewritable,
    main,
    not_found,
    print_losses,
    print_report,
    refuse_stdin_filename,
    selection_options,
    stdin_paths,
    verbose_printer,
)
from manifest_tools.cli.progress import CountingWriter, Progress, echo, echo_output, file_size, on_terminal
from manifest_tools.wording import plural

if TYPE_CHECKING:
    from pathlib import Path

    from manifest_tools.config import SettingsFinder
    from manifest_tools.conversion import Conversion, SourceCommand
    from manifest_tools.fixes import FixResult
    from manifest_tools.model import Format, Manifest
    from manifest_tools.report.diagnostic import Diagnostic
    from manifest_tools.report.report import Report
    from manifest_tools.splitting import LimitNames, Limits, Part


@main.command()
@PATHS
@selection_options
@config_options
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change what is registered.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the changes; write nothing.")
@click.option("--check", is_flag=True, help="Exit 1 if any file would change; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print remaining diagnostics only, no summary.")
@STDIN_FILENAME
@VERBOSE
def fix(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: str | None,
    isolated: bool,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool,
    respect_gitignore: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    check: bool,
    quiet: bool,
    stdin_filename: str | None,
    verbose: bool,
) -> None:
    """Normalise manifests and apply safe fixes (- reads standard input and writes the result to standard output;
    without a path, the current folder, as `fix .`, or with --stdin-filename standard input)."""
    paths = stdin_paths(paths, stdin_filename)  # a Stop (exit 2) when it names nothing
    sys.exit(run_fix(FixSettings(**locals())))  # every parameter is a field of the same name


@dataclass(frozen=True)
class FixSettings(SelectedFileSettings):
    """What ``fix`` was asked to do, as its options say it (the configuration files are read later)."""

    unsafe_fixes: bool = False
    show_diff: bool = False
    check: bool = False
    quiet: bool = False
    stdin_filename: str | None = None
    """What standard input is called, its format and its configuration (per-file-ignores), as for lint."""
    verbose: bool = False

    @property
    def writes_nothing(self) -> bool:
        """--diff and --check only say what would change."""
        return self.show_diff or self.check


@dataclass
class _FixTally:
    """What a fix run has done so far: what remains to report, files changed, fixes applied, and whether a
    file left unwritten has errors."""

    remaining: Report
    changed_files: int = 0
    fixes: int = 0
    blocked_errors: bool = False
    unwritten: int = 0
    """Files fixed in memory that could not be written back (said on stderr): the run exits 2."""


def run_fix(options: FixSettings) -> int:
    """Fix the manifests ``options`` name, print what remains, and return the exit code (0, 1 or 2)."""
    return exit_code(lambda: _fix(options))


def _fix(options: FixSettings) -> int:
    from manifest_tools.report.report import Report

    say, started = verbose_printer(options.verbose), time.perf_counter()
    finder, found = find_manifests(options, options.stdin_filename)
    tally = _FixTally(Report(unreadable=not_found(found)))
    files = found.files
    say(f"found {plural(len(files), 'file')} to fix in {elapsed(started)}")
    sizes = [file_size(path) for path in files]
    with Progress("fix", sum(sizes), "bytes") as bar:
        for path, size, before in zip(files, sizes, accumulate(sizes, initial=0), strict=False):  # before: bytes done
            bar.update(before, label=f"fix {path}")
            step = _file_steps(bar, path, before, size)
            _fix_one(path, build_file_rules(options, finder, path), options, tally, say, step)
            bar.update(before + size, label=f"fix {path}")  # the file done: the bar ends at 100%, not at a step
    if "-" in options.paths and "-" not in files and not options.writes_nothing:
        echo(sys.stdin.buffer.read(), nl=False)  # a filter's input skipped (--force-exclude): through unchanged,
        # as a refused one goes (ruff format does the same): an editor's buffer or `> out.json` is not emptied
    _print_fix_summary(options, tally)
    say(f"done in {elapsed(started)}")
    if tally.remaining.unreadable or tally.unwritten:
        return EXIT_FAILURE
    if options.writes_nothing:
        # would change, or errors stay (it prints them): 1, as every command exits on the errors it shows
        return EXIT_FINDINGS if tally.changed_files or tally.blocked_errors or tally.remaining.errors else EXIT_CLEAN
    return EXIT_FINDINGS if tally.remaining.errors else EXIT_CLEAN


def build_file_rules(options: FixSettings, finder: SettingsFinder, path: str) -> frozenset[str]:
    """A file's rules: its nearest configuration's selection, less its per-file-ignores (as lint)."""
    from pathlib import Path

    from manifest_tools.discovery import ignored_codes

    if path == "-" and options.stdin_filename is not None:
        path = options.stdin_filename  # as lint: standard input's configuration is its name's
    own = finder.for_path(Path(path if path != "-" else "."))
    chosen = options.select, options.extend_select, options.ignore
    return enabled_rules(*chosen, own, ignored_codes(path, own))[0]


_FIX_STEPS = {"fixing": 0.4, "writing": 0.6, "checking": 0.6, "writing the diff": 0.6, "checking what remains": 0.7}
"""How far into one file each step starts, as a share of its bytes: about where a big file's time goes
(reading and parsing the most), so that the bar moves, and its time left holds, within one big file too."""


def _file_steps(bar: Progress, path: str, before: int, size: int) -> Callable[[str], None]:
    """Tell the bar which step of ``path`` is under way (the bytes done move to the step's share)."""

    def step(name: str) -> None:
        bar.update(before + int(size * _FIX_STEPS[name]), label=f"fix {path}: {name}")

    return step


def _fix_one(
    path: str,
    enabled: frozenset[str],
    options: FixSettings,
    tally: _FixTally,
    say: Callable[[str], None],
    step: Callable[[str], None] = lambda name: None,
) -> None:
    """Read, fix and (unless --diff or --check) write one file, saying what was done; what remains goes
    into ``tally``; ``step`` is told each step as it starts (the progress bar)."""
    from manifest_tools import api
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.report.report import Unreadable

    began, shown = time.perf_counter(), input_name(path, options.stdin_filename)  # "-": as lint names it
    say(f"reading {'standard input' if path == '-' else path}")
    try:
        source = _FixSource.read(path, shown)
        before = None  # only unsafe fixes bring findings (a lint more of the input: not for every run)
        if options.unsafe_fixes:
            before = _codes(api.lint_data(shown, source.data, enabled, source.format, count_fixes=False))
        step("fixing")  # the full fix reads the file again (a SourceError if it went meanwhile)
        result, how = source.fix(enabled, options.unsafe_fixes, keep_bytes=options.writes_nothing)
    except ManifestToolsError as error:
        fail(str(error))
        tally.remaining.unreadable.append(Unreadable.of(shown, error))
        return
    say(f"{source.name}: read and fixed {how} in {elapsed(began)}: {plural(len(result.applied), 'fix', 'fixes')}")
    if result.text is None:
        assert source.manifest is not None  # only the full fix refuses
        _keep_blocked(path, shown, source.data, source.manifest, result, enabled, tally, options)
        return
    changed = not source.reads_as(result.text)
    step(
        "checking" if options.check else "writing the diff" if options.show_diff else "writing"
    )  # --check writes nothing
    if path == "-" and not options.writes_nothing:  # a filter: the fixed manifest, and nothing else, on stdout
        _to_stdout(result.text)
        _list_fixes(shown, result, options)  # on stderr, as for a file
    elif changed and not _show_or_write(path, shown, source, result.text, result, options, tally, say):
        # not written: what remains is what the file holds as it stands, unfixed (the bytes held, when
        # the path cannot be read again: a FIFO would wait for a writer, a pipe give nothing)
        if source.rereadable:
            tally.remaining.extend(api.lint_file(path, enabled, source.format, source.name, count_fixes=False))
        else:
            tally.remaining.extend(api.lint_data(source.name, source.data, enabled, source.format, count_fixes=False))
        return
    if source.format == "csv" and not options.writes_nothing and (changed or path == "-"):
        _note_fixed_formulas(shown, result.text)  # what was written (MT219's trim can make one)
    tally.fixes += len(result.applied)  # counted once applied: written, shown, or a filter's output
    tally.changed_files += changed
    step("checking what remains")
    known = result.remaining  # what lint reports of the input, and so of the text, no fix having changed its data
    if known is not None and (not known.findings or not options.writes_nothing):  # --diff and --check report
        # the input as it stands: known when lint finds nothing in it (else at the input's positions: linted)
        said = "lint found nothing in the input and no fix applied: nothing remains"
        if known.findings:
            said = "no fix applied: what lint found in the input is placed in the text"
        say(f"{source.name}: {said} (not linted again)")
        source.release()
        remains = _known_report(source.name, known.diagnostics(result.text), known.notes)
        _say_new_findings(shown, before, remains)
        tally.remaining.extend(remains)
        return
    # What remains, at positions in the file as it now is on disk: the rewritten text, or with
    # --diff and --check (which write nothing) the file as it stands. Lint's own path: a fixed
    # file is canonical JSON, which the native scanner certifies without parsing it.
    kept: bytes | str
    if options.writes_nothing or (path != "-" and not source.rereadable):  # the bytes as given (standard
        kept = source.data  # input's too: fix keeps them; a pipe's, left unchanged, as it was read)
        if before is not None and changed:  # what the output would hold, for the line on new findings
            _say_new_findings(shown, before, api.lint_data(shown, result.text, enabled, source.format), "would have")
    elif path == "-":
        kept = result.text
    else:  # the file on disk is the fixed text: lint reads it back, holding neither the text nor the tree
        del result
        source.release()
        count = not options.unsafe_fixes
        remains = api.lint_file(path, enabled, source.format, source.name, count_fixes=count)
        _say_new_findings(shown, before, remains)
        tally.remaining.extend(remains)
        return
    remains = api.lint_data(source.name, kept, enabled, source.format, count_fixes=not options.unsafe_fixes)
    if path == "-":
        _say_new_findings(shown, before, remains)
    tally.remaining.extend(remains)


def _note_fixed_formulas(shown: str, text: str) -> None:
    """The fixed CSV's formula notes, at their lines in it (parsed again only when a cell may be one)."""
    from manifest_tools import api
    from manifest_tools.writers.csv import may_hold_formula

    if may_hold_formula(text):
        _note_formulas(shown, api.parse(shown, text, "csv"))


def _known_report(name: str, diagnostics: list[Diagnostic], notes: list[str]) -> Report:
    """What lint reports of a fixed text the native scanner certifies, known without linting it
    (``lint_file``'s report of it but for fingerprints, which fix prints none of; a test compares the two)."""
    from manifest_tools.api import NATIVE_SCANNER
    from manifest_tools.report.report import Report

    return Report(diagnostics, [name], list(notes), checked_by={name: NATIVE_SCANNER})


def _codes(report: Report) -> Counter[str]:
    return Counter(str(diagnostic.code) for diagnostic in report.diagnostics)


def _say_new_findings(shown: str, before: Counter[str] | None, after: Report, has: str = "has") -> None:
    """One line when the fixed text has findings the input had not (an unsafe fix that rewrote gs:// to
    https brings a cloud or bucket that differs from the others': MT313, MT314): fixes must not add silently."""
    new = _codes(after) - before if before is not None else Counter[str]()
    if new:
        listed = ", ".join(f"{code} ({count})" if count > 1 else code for code, count in sorted(new.items()))
        echo(f"{shown}: the fixed text {has} {plural(new.total(), 'finding')} the input had not: {listed}", err=True)


@dataclass
class _FixSource:
    """One input of ``fix``: its bytes, and (once the full fix has read it) its text and parsed manifest."""

    path: str
    name: str
    """What diagnostics call the file: its path, or standard input's name (``<stdin>``, or --stdin-filename)."""
    data: bytes
    """The bytes as read; released (b"") while the native scanner's fix holds them, unless kept."""
    format: Format
    decoded: str | None = None
    manifest: Manifest | None = None
    size: int = 0
    """How many bytes were read."""
    rereadable: bool = True
    """Whether the file can be read again (a regular file): else, as for standard input, its bytes are kept."""
    newline: str = "\n"
    """The file's line ending, which the fixed text keeps."""

    @classmethod
    def read(cls, path: str, name: str) -> _FixSource:
        from manifest_tools import api
        from manifest_tools.fixes import line_ending

        # Standard input as bytes, as lint, convert and split read it: a text stream may translate line ends
        # (CliRunner's does, and Windows' console), and the fix keeps CRLF only when it sees it.
        data = sys.stdin.buffer.read() if path == "-" else api.read_source(path)
        format, newline = api.detect_format(name, data), line_ending(data)
        return cls(
            path,
            name,
            data,
            format,
            size=len(data),
            newline=newline,
            rereadable=path != "-" and api.can_read_again(path),
        )

    def release(self) -> None:
        """Let go of the bytes and the parsed manifest (the file is rewritten: what remains is read back)."""
        self.data, self.decoded, self.manifest = b"", None, None

    def reads_as(self, text: str) -> bool:
        """Whether ``text`` is what was read, byte for byte (encoded a slice at a time: no second copy): an
        ASCII text of another size is not; else it is compared with the bytes when they are kept, or with the
        file read again a slice at a time (as cheap as a digest of the bytes when read, which it spares)."""
        import io

        if text.isascii() and len(text) != self.size:  # isascii costs nothing: a str knows it
            return False
        step = 1 << 20
        pieces = (text[at : at + step].encode("utf-8", "surrogatepass") for at in range(0, len(text), step))
        try:
            with io.BytesIO(self.data) if len(self.data) == self.size else open(self.path, "rb") as given:
                return all(given.read(len(piece)) == piece for piece in pieces) and not given.read(1)
        except OSError:  # gone or unreadable since: written anew (and the write says what is wrong)
            return False

    @property
    def original(self) -> str:
        """The text as read (invalid UTF-8 replaced, as the reader reads it); after a fix that did not keep
        the bytes, empty (only --diff and standard input read it, and they keep them)."""
        if self.decoded is None:
            from manifest_tools.readers.text import decode_utf8

            self.decoded = decode_utf8(self.data).text
        return self.decoded

    def fix(self, enabled: frozenset[str], unsafe: bool, keep_bytes: bool) -> tuple[FixResult, str]:
        """The fix and how it was made: with the native scanner (only doubtful items parsed) when it
        certifies the file, else in Python over the whole parsed file. Unless ``keep_bytes``, the
        scanner's fix is the bytes' only holder, which frees them before it joins the fixed text (a file that
        cannot be read again keeps them, as standard input does)."""
        from manifest_tools import api
        from manifest_tools.certified_fix import fix_certified
        from manifest_tools.fixes import FixResult, fix_manifest, with_line_ending
        from manifest_tools.readers.text import decode_utf8

        keep_bytes = keep_bytes or not self.rereadable
        why = ""
        if self.format == "json":
            given = [self.data]
            if not keep_bytes:
                self.data = b""
            certified = fix_certified(self.name, given.pop, enabled, unsafe, ask_lint=True)
            if isinstance(certified, FixResult):
                return with_line_ending(certified, self.newline), "with the native scanner"
            why = certified
            if not keep_bytes:  # the scanner's copy is gone with its certificate: read the file again
                self.data = api.read_source(self.path)
        decoded = decode_utf8(self.data) if self.decoded is None else self.decoded  # with where bytes were bad
        self.decoded = decoded if isinstance(decoded, str) else decoded.text
        self.manifest = api.parse(self.name, decoded, self.format)
        del decoded
        if not keep_bytes:  # nothing reads the text as it was (no diff, no standard input or pipe)
            self.data, self.decoded = b"", None
        if self.format == "csv":
            from manifest_tools.certified_csv_fix import fix_certified_csv

            rows = fix_certified_csv(self.manifest, enabled, unsafe, self.newline)
            if isinstance(rows, FixResult):
                return rows, "with the native scanner (CSV rows)"
            why = rows
        return fix_manifest(self.manifest, enabled, unsafe=unsafe, newline=self.newline), f"in Python ({why})"


def _keep_blocked(
    path: str,
    shown: str,
    given: bytes,
    manifest: Manifest,
    result: FixResult,
    enabled: frozenset[str],
    tally: _FixTally,
    options: FixSettings,
) -> None:
    """A file that must be fixed by hand first: say why, and report what lint reports of it; standard input
    (``given``, its bytes) goes through to standard output as it came."""
    from manifest_tools import api

    report = api.check(manifest, enabled, count_fixes=not options.unsafe_fixes)  # what lint reports
    waiting = [d for d in report.diagnostics if d.fix == "safe" or (d.fix is not None and options.unsafe_fixes)]
    verb = "waits" if len(waiting) == 1 else "wait"
    wait = f"; the {plural(len(waiting), 'other fix', 'other fixes')} {verb} until then" if waiting else ""
    echo(f"{shown}: not rewritten: {result.refusal}{wait}", err=True)
    tally.blocked_errors = tally.blocked_errors or bool(report.errors)
    tally.remaining.extend(report)
    if path == "-" and not options.writes_nothing:
        echo(given, nl=False)


def _to_stdout(text: str) -> None:
    """``fix -``'s manifest (or ``--diff``'s patch) on standard output as UTF-8 bytes: a text stream may translate
    its line ends (on Windows LF to CRLF, and CRLF to CR CR LF), where a file is written with the ends the fix chose."""
    echo_output(text, nl=False)


def _show_or_write(
    path: str,
    shown: str,
    source: _FixSource,
    fixed: str,
    result: FixResult,
    options: FixSettings,
    tally: _FixTally,
    say: Callable[[str], None],
) -> bool:
    """A changed file's diff (--diff), a line (--check) or its rewrite, then each fix applied; False when
    it could not be written (said, and counted in ``tally.unwritten``)."""

    from manifest_tools.atomic import atomic_text_file
    from manifest_tools.errors import OutputError

    if options.show_diff:
        _to_stdout(_patch(source.original, fixed, shown))  # a CRLF file's lines keep their CR, as git apply wants
    elif options.check:
        echo(f"Would fix {shown} ({plural(len(result.applied), 'fix', 'fixes')}, canonical form)", err=True)
    elif not source.rereadable:  # a write would go nowhere (a pipe) or behind a link the user did not name
        # (ruff format writes through /dev/stdin to the file behind it: a stream is not a file the user named)
        once = "not rewritten: it can be read only once (a pipe, FIFO or /dev/stdin)"
        fail(f"{shown}: {once}; `fix -` writes the fixed manifest to standard output, and --diff shows the changes")
        tally.unwritten += 1
        return False
    else:
        try:
            with atomic_text_file(path) as out:  # through a symlink to its target; the link stays
                for at in range(0, len(fixed), _WRITE_CHARS):  # a slice at a time: no encoded copy of it all
                    out.write(fixed[at : at + _WRITE_CHARS])
            say(f"wrote {path}")
        except OutputError as error:
            fail(str(error))
            tally.unwritten += 1  # read and checked, so not "could not be checked": its findings are reported
            return False
    _list_fixes(shown, result, options)
    return True


def _list_fixes(shown: str, result: FixResult, options: FixSettings) -> None:
    """Each fix applied (or with --diff and --check, that would be), on stderr, in the order applied."""
    from manifest_tools.redact import for_message, for_path

    done = "would be fixed" if options.writes_nothing else "fixed"
    starts = [before for _, before in result.passes]  # where each pass after the first begins in ``applied``
    for number, applied in enumerate(result.applied):
        later = sum(number >= start for start in starts)  # a later pass reads the text the one before wrote
        when = f" in pass {later + 1}" if later else ""
        line = f"{for_path(shown)}: {applied.code} {done}{when} at {applied.pointer or '/'}: {applied.description}"
        echo(for_message(line), err=True)


_WRITE_CHARS = 1 << 20
"""Characters written at a time: the file object encodes what it is given, so a slice, not the text."""


def _patch(original: str, fixed: str, path: str) -> str:
    """A unified diff ``git apply`` and ``patch -p1`` accept, headed as ``git diff`` heads it (``--- a/path``,
    ``+++ b/path``, a tab after a name with a space); a last line without its newline is marked as ``diff -u``
    marks it (difflib alone would glue the next line of the patch onto it)."""
    import difflib
    from itertools import islice

    name = _patch_name(path)
    tab = "\t" if " " in name else ""  # as git writes it: patch readers take a name with a space up to a tab
    hunks = difflib.unified_diff(_lines(original), _lines(fixed))
    lines = []
    for line in islice(hunks, 2, None):  # difflib's own header names no file: ours is below
        lines.append(line)
        if not line.endswith("\n"):
            lines.append("\n\\ No newline at end of file\n")
    if not lines:
        return ""
    if not name.isprintable():  # a newline would end the header (and start a line a CI log obeys)
        return f"--- {_git_quoted('a/' + name)}\n+++ {_git_quoted('b/' + name)}\n" + "".join(lines)
    return f"--- a/{name}{tab}\n+++ b/{name}{tab}\n" + "".join(lines)


_C_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def _git_quoted(name: str) -> str:
    """``name`` in double quotes as ``git diff`` quotes a name it cannot write raw (``quote_c_style``): C escapes,
    and each byte of a character that is not printable (a control, a bidi override, a byte that is not UTF-8)
    in octal; ``git apply`` and GNU ``patch`` read it back to the very bytes."""
    from manifest_tools.redact import name_bytes

    quoted = []
    for char in name:
        if char in _C_ESCAPES:
            quoted.append(_C_ESCAPES[char])
        elif char.isprintable():
            quoted.append(char)
        else:
            quoted.append("".join(f"\\{byte:03o}" for byte in name_bytes(char)))
    return '"' + "".join(quoted) + '"'


def _lines(text: str) -> list[str]:
    """Lines as patch tools count them, ended by LF only: ``str.splitlines`` also ends a line at U+2028 and
    other characters a JSON string may hold, and a patch cut there does not apply."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _patch_name(path: str) -> str:
    """The name a patch gives a file, as ``git diff`` (and ``--no-index``) gives it: forward slashes, no
    ``./``, relative to the working directory when under it, else without its leading slash."""
    import os
    import posixpath

    if os.path.isabs(path) and not os.path.relpath(path).startswith(os.pardir):
        path = os.path.relpath(path)
    return posixpath.normpath(path.replace(os.sep, "/")).lstrip("/")


def _only_what_the_run_left(remaining: Report) -> None:
    """The fixable hint of a fix run counts only what ``--unsafe-fixes`` would add: this run applies (or with
    --check and --diff would apply) the rest, and its last line counts them. A run with --unsafe-fixes
    counts nothing (its lint runs no fixer): it never suggests the option it was given."""
    from manifest_tools.report.report import FixCounts

    for name, counts in remaining.fix_counts.items():
        remaining.fix_counts[name] = FixCounts(0, max(0, counts.unsafe - counts.safe))


def _print_fix_summary(options: FixSettings, tally: _FixTally) -> None:
    """What remains, and (unless -q) the count of files and fixes; on stderr when the fixed manifest or the
    diff went to standard output (so that ``fix --diff > change.patch`` holds a patch and nothing else, and
    ``fix - other.json > out.json`` the manifest: black's choice for ``black - other.py``)."""
    to_stdout = "-" in options.paths or options.show_diff
    _only_what_the_run_left(tally.remaining)
    print_report(
        tally.remaining,
        options.quiet,
        err=to_stdout,
        fix_command=fix_command(options, options.stdin_filename, tally.remaining),
        unsafe_fix_command=fix_command(options, options.stdin_filename, tally.remaining, unsafe=True),
    )
    if options.quiet or not tally.remaining.files:  # "Nothing was checked ..." said it: no count of 0 files
        return
    if options.writes_nothing:
        message = (
            f"Would change {plural(tally.changed_files, 'file')} to canonical form;"
            f" {plural(tally.fixes, 'fix', 'fixes')} would be applied."
        )
    else:
        unwritten = f"; {plural(tally.unwritten, 'file')} not rewritten" if tally.unwritten else ""
        message = (
            f"Changed {plural(tally.changed_files, 'file')} to canonical form;"
            f" {plural(tally.fixes, 'fix', 'fixes')} applied{unwritten}."
        )
    echo(message, err=to_stdout)


@main.command()
@click.argument("source")
@click.option("-o", "--output", required=True, help="The file to write (- or /dev/stdout for standard output).")
@click.option(
    "--to", "target", type=click.Choice(("json", "csv", "sdk")), help="Target format (default: from -o's extension)."
)
@click.option("--drop-unsupported", is_flag=True, help="Drop what the target cannot carry (each is still reported).")
@STDIN_FILENAME
@VERBOSE
def convert(
    source: str, output: str, target: str | None, drop_unsupported: bool, stdin_filename: str | None, verbose: bool
) -> None:
    """Convert a manifest between JSON, multi-header CSV and the Encord SDK's DataUploadItems payload
    (SOURCE - reads standard input)."""
    refuse_stdin_filename(source, stdin_filename)
    sys.exit(run_convert(ConvertSettings(**locals())))  # every parameter is a field of the same name


@dataclass(frozen=True)
class ConvertSettings:
    """What ``convert`` was asked to do, as its options say it."""

    source: str
    output: str
    target: str | None = None
    drop_unsupported: bool = False
    stdin_filename: str | None = None
    verbose: bool = False


def run_convert(options: ConvertSettings) -> int:
    """Convert as ``options`` say, print what was dropped, and return the exit code (0, 1 or 2)."""
    return exit_code(lambda: _convert(options))


def _convert(options: ConvertSettings) -> int:
    import shlex

    from manifest_tools.atomic import output_target
    from manifest_tools.conversion import ConversionRefused
    from manifest_tools.conversion import convert as convert_manifest
    from manifest_tools.errors import OutputError
    from manifest_tools.readers.dispatch import can_read_again
    from manifest_tools.readers.json_locator import JsonLocator

    source, output = options.source, options.output
    if output not in STDOUT_NAMES:  # a folder is said first: no --to makes it writable
        try:
            output_target(output)
        except OutputError as error:
            fail(str(error))
            return EXIT_FAILURE
    chosen = options.target or (
        "csv" if output.lower().endswith(".csv") else "json" if output.lower().endswith(".json") else None
    )
    if chosen is None:
        why = (
            "to write to standard output"
            if output in STDOUT_NAMES
            else "as the output name does not end in .json or .csv"
        )
        fail(f"--to json, csv or sdk is needed {why}")
        return EXIT_FAILURE
    named = output.lower().rsplit(".", 1)[-1] if output.lower().endswith((".json", ".csv")) else None
    if named is not None and {named, chosen} in ({"json", "csv"}, {"csv", "sdk"}):
        fail(f"{output}: --to {chosen} would write {'CSV' if chosen == 'csv' else 'JSON'} into a .{named} file")
        return EXIT_FAILURE
    to_stdout = output in STDOUT_NAMES
    if not to_stdout and source != "-" and same_file(source, output):
        fail(f"{output} is the input file: to rewrite a file in place, run manifest-tools fix {shlex.quote(output)}")
        return EXIT_FAILURE
    say, shown = verbose_printer(options.verbose), input_name(source, options.stdin_filename)
    manifest = _read(source, "converted", options.stdin_filename, say, err=to_stdout)  # stdout: the manifest's
    command = _source_command(source, options.stdin_filename, manifest.format)
    read_from = source if source != "-" and can_read_again(source) else None  # else positions from the text
    try:
        began = time.perf_counter()
        result = convert_manifest(manifest, chosen, drop_unsupported=options.drop_unsupported)  # type: ignore[arg-type]
        say(f"{shown}: conversion to {chosen} planned in {elapsed(began)}")
    except ConversionRefused as refused:
        print_losses(shown, manifest, (refused.losses, ""), path=read_from)
        fail(refused.naming("--drop-unsupported", command))
        return EXIT_FINDINGS
    print_losses(shown, manifest, (result.dropped, "dropped"), (result.notes, "note"), path=read_from)
    if isinstance(manifest.locator, JsonLocator):
        manifest.locator.release()  # a file's size, which writing does not need (a file can be read again)
    began = time.perf_counter()
    _write_conversion(result, output, to_stdout)
    say(f"wrote {'standard output' if to_stdout else output} in {elapsed(began)}")
    if not to_stdout:
        dropped = f"; {plural(len(result.dropped), 'thing')} dropped" if result.dropped else ""
        echo(f"Wrote {output} ({chosen}){dropped}.", err=True)
    _say_lint_errors(manifest, shown, command("lint", ""))
    return EXIT_CLEAN


def _source_command(source: str, stdin_filename: str | None, format: Format) -> SourceCommand:
    """How to run a command on what ``convert`` read, as a user can run it as shown: on the file it names
    (quoted if need be), or, standard input naming no file, piped in again (split needs a name for its parts:
    --stdin-filename's, else one of the format read)."""
    import shlex

    from manifest_tools.conversion import path_command

    if source != "-":
        return path_command(source)

    def piped(verb: str, options: str) -> str:
        name = stdin_filename or (f"manifest.{format}" if verb == "split" else None)
        named = f" --stdin-filename {shlex.quote(name)}" if name else ""
        return f"pipe it to manifest-tools {verb}{named}{options} -"

    return piped


def _say_lint_errors(manifest: Manifest, shown: str, command: str) -> None:
    """One line when a CSV source has lint errors (a placeholder URL, a repeated URL): a conversion
    carries them over silently. Only for CSV: it holds at most 10,000 rows, so lint costs milliseconds;
    a JSON source may hold 500,000 items, where lint would cost as much as the conversion."""
    if manifest.format != "csv":
        return
    from manifest_tools.api import csv_report
    from manifest_tools.report.diagnostic import Severity
    from manifest_tools.rules.engine import Selection

    # as lint finds them: the item rules only on the rows the native scanner does not certify (the rules
    # on every row in Python cost as much as the rest of a 1,000,000-row conversion)
    report = csv_report(manifest, Selection().enabled(), count_fixes=False)
    errors = sum(d.severity is Severity.ERROR for d in report.diagnostics)
    if errors:
        remain = "remains" if errors == 1 else "remain"
        echo(f"{shown}: {plural(errors, 'lint error')} {remain} ({command})", err=True)


def _write_conversion(result: Conversion, output: str, to_stdout: bool) -> None:
    """The converted manifest into ``output`` (atomically) or onto standard output, with a bar of bytes
    written; not while the manifest itself goes to the terminal: the bar would be drawn into it."""
    from manifest_tools.atomic import atomic_text_file

    with Progress(
        f"convert: writing {output}", unit="bytes", enabled=not (to_stdout and on_terminal(sys.stdout))
    ) as bar:
        if to_stdout:
            stdout = _StdoutBytes()
            result.write_to(CountingWriter(stdout, bar) if bar.enabled else stdout)  # type: ignore[arg-type]
            stdout.flush()
        else:
            with atomic_text_file(output) as out:
                result.write_to(CountingWriter(out, bar) if bar.enabled else out)  # type: ignore[arg-type]


class _StdoutBytes:
    """Standard output written as ``atomic_text_file`` writes a file (UTF-8, ``\\n`` kept as it is), over its
    bytes: ``-o -`` writes what ``-o FILE`` writes, byte for byte, where ``sys.stdout`` would translate line ends
    (on Windows LF to CRLF, and a CSV's CRLF to CR CR LF) and encode as the locale says."""

    def __init__(self) -> None:
        sys.stdout.flush()  # what went before, in order
        self.out = sys.stdout.buffer

    def write(self, text: str) -> int:
        self.out.write(text.encode("utf-8"))  # strict, as the file's encoder
        return len(text)

    def flush(self) -> None:
        self.out.flush()


@main.command()
@click.argument("source")
@click.option("--max-items", type=int, help="At most this many items per part.")
@click.option("--max-urls", type=int, help="At most this many URLs (CSV: rows) per part.")
@click.option("--max-bytes", type=int, help="At most this many bytes per part.")
@click.option(
    "--preset", type=click.Choice(("platform", "recommended")), help="Platform limits or recommended batch sizes."
)
@click.option(
    "--output-dir", help="Where to write the parts (default: beside the source); made, with its parents, if missing."
)
@click.option("--replace", is_flag=True, help="Remove the parts of an earlier split of the same stem first.")
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@STDIN_FILENAME
@VERBOSE
def split(
    source: str,
    max_items: int | None,
    max_urls: int | None,
    max_bytes: int | None,
    preset: str | None,
    output_dir: str | None,
    replace: bool,
    dry_run: bool,
    stdin_filename: str | None,
    verbose: bool,
) -> None:
    """Split a manifest into stem.part-0001.json (or .csv), ... each within the limits; groups are never cut
    (SOURCE - reads standard input; --stdin-filename names the parts)."""
    refuse_stdin_filename(source, stdin_filename)
    sys.exit(run_split(SplitSettings(**locals())))  # every parameter is a field of the same name


@dataclass(frozen=True)
class SplitSettings:
    """What ``split`` was asked to do, as its options say it."""

    source: str
    max_items: int | None = None
    max_urls: int | None = None
    max_bytes: int | None = None
    preset: str | None = None
    output_dir: str | None = None
    replace: bool = False
    dry_run: bool = False
    stdin_filename: str | None = None
    verbose: bool = False


def run_split(options: SplitSettings) -> int:
    """Plan (and unless --dry-run, write) the parts ``options`` ask for, print the plan, return the exit code."""
    return exit_code(lambda: _split(options))


def _split(options: SplitSettings) -> int:
    from manifest_tools.errors import ConfigError
    from manifest_tools.splitting import Limits, SplitError, SplitRefused, plan

    source = options.source
    try:  # before reading: the library's check, naming the options
        Limits(options.max_items, options.max_urls, options.max_bytes).check(
            _split_options(), preset=options.preset is not None
        )
    except ConfigError as error:
        fail(str(error))
        return EXIT_FAILURE
    if source == "-" and options.stdin_filename is None and not options.dry_run:
        fail(
            "splitting standard input: name the parts with --stdin-filename, which sets their format too"
            " (e.g. --stdin-filename data/m.json, or data/m.csv for a CSV)"
        )
        return EXIT_FAILURE
    say, shown = verbose_printer(options.verbose), input_name(source, options.stdin_filename)
    given = sys.stdin.buffer.read() if source == "-" else None  # its line ending is the parts'
    manifest = _read(source, "split", options.stdin_filename, say, given=given)
    limits = build_limits(options, manifest)
    newline = _line_ending(source, given)
    try:
        began = time.perf_counter()
        parts = plan(manifest, limits, newline=newline)
        say(f"{shown}: {plural(len(parts), 'part')} planned in {elapsed(began)}")
    except SplitRefused as refused:
        print_losses(shown, manifest, (refused.losses, ""))
        fail(f"{shown}: {refused}")
        return EXIT_FINDINGS
    except SplitError as error:
        fail(f"{shown}: {error.naming(_split_options())}")
        return EXIT_FINDINGS
    written = [] if options.dry_run else _write_parts(manifest, parts, options, say, newline)
    if written and manifest.format == "csv":
        _note_formulas(shown, manifest)
    for part in parts:  # the plan is printed once it is done (or with --dry-run), never before a refusal
        echo(part.describe())
    if options.dry_run:
        echo(f"{plural(len(parts), 'part')} planned; nothing written (--dry-run).")
    else:
        echo("\n".join([f"Wrote {plural(len(written), 'part')}:", *(f"  {path}" for path in written)]))
    return EXIT_CLEAN


def _split_options() -> LimitNames:
    from manifest_tools.splitting import LimitNames

    return LimitNames(
        {"max_items": "--max-items", "max_urls": "--max-urls", "max_bytes": "--max-bytes"}, "--preset", keyword=False
    )


def _note_formulas(shown: str, manifest: Manifest) -> None:
    """A note, at its line and column, for each cell of the CSV written that starts like a spreadsheet formula
    (as ``convert`` and ``generate`` note theirs): it is written as it is."""
    from manifest_tools.writers.csv import formula_notes

    print_losses(shown, manifest, (formula_notes(manifest.data or {}), "note"))


def build_limits(options: SplitSettings, manifest: Manifest) -> Limits:
    """The limits the options give, with a --preset's for the manifest's format under them."""
    from manifest_tools.splitting import PRESETS, Limits

    limits = Limits(options.max_items, options.max_urls, options.max_bytes)
    return limits.merged(PRESETS[options.preset][manifest.format]) if options.preset else limits


def _line_ending(source: str, given: bytes | None) -> str:
    """The source's line ending (as its first line ends), which its parts keep: they are pieces of that file."""
    from manifest_tools.fixes import line_ending

    if given is not None:
        return line_ending(given[:_HEAD])
    try:
        with open(source, "rb") as file:
            return line_ending(file.read(_HEAD))
    except OSError:  # gone since it was read: the parts end lines as canonical files do
        return "\n"


_HEAD = 1 << 16
"""Bytes read to find the line ending: a first line (a CSV's headings, a JSON file's ``{``) is shorter."""


def _write_parts(
    manifest: Manifest, parts: list[Part], options: SplitSettings, say: Callable[[str], None], newline: str = "\n"
) -> list[Path]:
    """Write the parts with a bar of items written; an earlier split's parts (without --replace) stop the run."""
    from manifest_tools.api import part_suffix
    from manifest_tools.splitting import PartsExist, write_parts

    began = time.perf_counter()
    try:
        with Progress("split", sum(len(part.items) for part in parts), "items") as bar:
            written = write_parts(
                manifest,
                parts,
                suffix=part_suffix(manifest),
                output_dir=options.output_dir,
                replace=options.replace,
                progress=bar.update if bar.enabled else None,
                newline=newline,
            )
    except PartsExist as error:
        fail(f"{error.naming('--replace', '--output-dir')}; nothing was written")
        raise Stop(EXIT_FAILURE) from None
    say(f"wrote {plural(len(written), 'part')} in {elapsed(began)}")
    return written


def _read(
    source: str,
    verb: str,
    stdin_filename: str | None,
    say: Callable[[str], None],
    *,
    err: bool = False,
    given: bytes | None = None,
) -> Manifest:
    """``load_rewritable`` with ``-v`` lines and, past a second, a line saying that reading goes on."""
    shown = input_name(source, stdin_filename)
    began = time.perf_counter()
    say(f"reading {'standard input' if source == '-' else source}")
    with Progress(f"reading {shown}", unit=""):
        manifest = load_rewritable(source, verb, stdin_filename, err=err, given=given)
    say(f"{shown}: read and parsed in Python in {elapsed(began)}")
    return manifest
