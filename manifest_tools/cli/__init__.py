"""The command line: parse options, call the library, print, exit. Nothing else lives here.

Exit codes (as ruff): 0 no error, 1 errors found (or warnings with --strict),
2 usage error, unreadable file, unwritable output or internal failure; 130 on Ctrl-C;
141, quietly, when the reader of standard output closed the pipe (as coreutils).
"""

from __future__ import annotations

import importlib
import io
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import click

from manifest_tools import __version__
from manifest_tools.report.formatters import FORMATTERS

if TYPE_CHECKING:
    from manifest_tools.config import Settings, SettingsFinder
    from manifest_tools.conversion import Loss
    from manifest_tools.discovery import Discovery
    from manifest_tools.model import Manifest
    from manifest_tools.report.report import Report, Unreadable


EXIT_CLEAN, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2


class Stop(SystemExit):
    """A command stops here with this exit code, its message already printed: raised by the shared helpers
    (a bad configuration, an unreadable input) and turned back into the code by :func:`exit_code`, so a
    command's ``run_*`` function returns its code instead of exiting (a SystemExit, for anything else)."""

    code: int


def exit_code(run: Callable[[], int]) -> int:
    """``run()``'s exit code, or the code a :class:`Stop` inside it carries."""
    try:
        return run()
    except Stop as stop:
        return stop.code


OUTPUT_FORMATS = tuple(FORMATTERS)

EXIT_CODES_HELP = (
    "Exit codes: 0 no errors (warnings allowed), 1 errors found (or warnings with --strict), 2 usage error,"
    " a path that could not be checked, unwritable output or internal failure; 130 interrupted;"
    " 141 the reader of standard output left (as in `... | head -1`)."
)


def use_color(choice: str, stream: IO[str]) -> bool:
    """--color: ``always`` / ``never`` win; ``auto`` honours NO_COLOR, then FORCE_COLOR, then asks whether
    ``stream`` is a terminal (no-color.org and force-color.org: a set, non-empty variable counts)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def color_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--color",
        type=click.Choice(("auto", "always", "never")),
        default="auto",
        show_default=True,
        help="Colour the text output (auto: on a terminal, unless NO_COLOR is set or FORCE_COLOR is).",
    )(command)


PATHS = click.argument("paths", nargs=-1, default=(".",))
"""lint's and fix's PATH...: without one, the working folder, walked with its configuration and exclusions
as any folder named (as ``ruff check`` and ``ruff format`` do)."""


def split_codes(values: Iterable[str]) -> tuple[str, ...]:
    """Repeated and comma-separated rule selectors, as written (``api.selection`` reads codes and names, and
    refuses an empty one: ``--select ''`` must not quietly run the defaults)."""
    return tuple(code.strip() for value in values for code in value.split(","))


def fail(message: str) -> None:
    """One line on stderr; secrets it quotes (a SAS, a password in an endpoint URL) are redacted."""
    from manifest_tools.cli.progress import echo
    from manifest_tools.redact import redact

    echo(f"manifest-tools: {redact(message)}", err=True)


VERBOSE = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Say on stderr which files are read and written, which path does the work (native scanner or Python),"
    " and timings.",
)


def verbose_printer(verbose: bool) -> Callable[[str], None]:
    """What a command calls for a ``-v`` line: on stderr (the report on stdout stays parseable), or nothing."""
    return _say if verbose else _silent


def _say(message: str) -> None:
    from manifest_tools.cli.progress import echo

    echo(f"manifest-tools: {message}", err=True)


def _silent(message: str) -> None:
    """Without ``-v``."""


def elapsed(since: float) -> str:
    """Milliseconds since ``since`` (a ``time.perf_counter()``), for ``-v`` lines."""
    import time

    return f"{(time.perf_counter() - since) * 1000:,.1f} ms"


EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT, as shells expect (not 1, which says "errors found")."""

EXIT_BROKEN_PIPE = 141
"""The reader of our output left (``... | head -1``): no message, and the status a shell shows for coreutils
and git in the same place (128 + SIGPIPE), so ``set -o pipefail`` treats us as it treats them. Not 0: the
command did not finish (a ``fix`` may have rewritten some files and not others); not 2: nothing went wrong
that a message could help with. Python ignores SIGPIPE, so the status is set here rather than by the signal
(restoring the signal's default would also kill us on a closed network socket)."""

STDOUT_NAMES = ("-", "/dev/stdout")
"""Output names that mean standard output: written to directly, never replaced by a file."""


COMMAND_MODULES = {
    "lint": "lint",
    "fix": "rewrite",
    "convert": "rewrite",
    "split": "rewrite",
    "rules": "catalogue",
    "schema": "catalogue",
    "generate": "cloud",
    "verify": "cloud",
    "probe": "probe",
    "upload": "upload",
    "plan": "upload",
    "upload-report": "upload",
}
"""The module (under manifest_tools.cli) whose import registers each command on ``main``: a run imports only
its own command's (the cloud, probe and rewrite commands' modules cost a lint's start 30 ms); help and
completion import them all (tests/cli/test_lazy_commands.py holds this table to the commands)."""


class _Commands(click.Group):
    """Every command's last line of defence: Ctrl-C exits 130, and an output that cannot be written
    (standard output on a full device included) is one line and exit 2, never a traceback.

    Commands are registered when their module is imported, on first use (``COMMAND_MODULES``)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"manifest_tools.cli.{module}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module in sorted(set(COMMAND_MODULES.values())):
            importlib.import_module(f"manifest_tools.cli.{module}")
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> object:
        from manifest_tools.errors import OutputError
        from manifest_tools.readers import json as json_reader

        _whole_writes()
        try:
            try:
                json_reader.FREEZE_AFTER_PARSE = True  # this process is ours: see readers/json.py
                return super().invoke(ctx)
            finally:
                json_reader.FREEZE_AFTER_PARSE = False
                sys.stdout.flush()
        except KeyboardInterrupt:
            fail("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except OutputError as error:
            fail(str(error))
            sys.exit(EXIT_FAILURE)
        except BrokenPipeError:
            if not _writes_to_a_pipe():
                raise  # not our output's reader leaving (a socket of a library): report it below
            _abandon_stdout()  # `manifest-tools fix --diff big.json | head -1`: the reader has what it wanted
            sys.exit(EXIT_BROKEN_PIPE)
        except OSError as error:  # writing standard output (a full device)
            from manifest_tools.atomic import reason

            _abandon_stdout()
            fail(f"{error.filename or '<stdout>'}: {reason(error)}")
            sys.exit(EXIT_FAILURE)


class _WholeWrites(io.RawIOBase):
    """A pipe's end that writes all it is given or raises: a write that meets a closed pipe part-way returns
    the count written, and ``io.BufferedWriter`` drops the rest of a large write without a word, so that
    ``fix --diff big.json | head -1`` went on to exit 1 where a small write raised BrokenPipeError (141)."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return False

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):  # the write after a partial one raises BrokenPipeError
            done += os.write(self._fd, view[done:])
        return done

    def close(self) -> None:  # the descriptor is the process's: the interpreter's own stream closes it
        self.flush()


def _whole_writes() -> None:
    """Standard output and error, when pipes, written through :class:`_WholeWrites`."""
    import stat

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            fd = stream.fileno()
            if not (stat.S_ISFIFO(os.fstat(fd).st_mode) or stat.S_ISSOCK(os.fstat(fd).st_mode)):
                continue
            stream.flush()
        except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation included: a test's capture
            continue
        if isinstance(getattr(stream, "buffer", None), io.BufferedWriter) and isinstance(
            stream.buffer.raw, _WholeWrites
        ):
            continue  # done already (main run twice in one process)
        whole = io.TextIOWrapper(
            io.BufferedWriter(_WholeWrites(fd)),
            encoding=stream.encoding,
            errors=stream.errors,
            line_buffering=stream.line_buffering,
            write_through=getattr(stream, "write_through", False),
        )
        setattr(sys, name, whole)


def _writes_to_a_pipe() -> bool:
    """Whether standard output or standard error is a pipe (or socket) whose reader can leave."""
    import stat

    for stream in (sys.stdout, sys.stderr):
        try:
            mode = os.fstat(stream.fileno()).st_mode
        except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation included: a test's capture
            continue
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            return True
    return False


def _abandon_stdout() -> None:
    """Point standard output at /dev/null so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation included
        pass  # not a real file (a test's capture): nothing will flush it at exit


def version_text() -> str:
    """The version, and whether lint runs the native scanner (a slow lint is worth explaining)."""
    from manifest_tools import native

    if os.environ.get("MANIFEST_TOOLS_NO_NATIVE", "") not in ("", "0"):
        scanner = "switched off by MANIFEST_TOOLS_NO_NATIVE"
    elif native.scanner() is not None:
        scanner = "built"
    else:
        scanner = "not built: lint runs in pure Python"
    return f"manifest-tools {__version__} (native scanner: {scanner})"


def _print_version(context: click.Context, _parameter: click.Parameter, value: bool) -> None:
    if value and not context.resilient_parsing:
        click.echo(version_text())
        context.exit()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and whether the native scanner is built, and exit.",
)
def main() -> None:
    """Lint, fix, convert and split Encord cloud-registration manifests (JSON and CSV)."""


def selection_options(command: Callable[..., None]) -> Callable[..., None]:
    """--select / --extend-select / --ignore, shared by the commands that run rules."""
    for option in reversed(
        [
            click.option(
                "--select",
                multiple=True,
                help="Rule codes, prefixes or names instead of the defaults (MT1,duplicate-url; ALL).",
            ),
            click.option("--extend-select", multiple=True, help="Rule codes, prefixes or names to add (opt-in rules)."),
            click.option("--ignore", multiple=True, help="Rule codes, prefixes or names to skip."),
        ]
    ):
        command = option(command)
    return command


def enabled_rules(
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    settings: Settings | None = None,
    extra_ignore: tuple[str, ...] = (),
) -> tuple[frozenset[str], Settings]:
    """The enabled rules from the config file (the working folder's unless ``settings`` is given) and the
    options (options win), less ``extra_ignore`` (a file's per-file-ignores); exits 2 on bad settings."""
    from manifest_tools import api
    from manifest_tools.config import load_settings
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.selectors import resolve_configured, resolve_selecting

    try:
        for option, given in (("--select", select), ("--extend-select", extend_select)):
            resolve_selecting(option, split_codes(given))
        settings = settings or load_settings()
        for pattern, codes in settings.per_file_ignores:  # a misspelt name is refused whichever files match
            resolve_configured(settings, pattern, codes)
        resolve_configured(settings, "select", settings.select)  # refused even when --select replaces it
        enabled = api.selection(
            split_codes(select) or resolve_configured(settings, "select", settings.select),
            resolve_configured(settings, "extend-select", settings.extend_select) + split_codes(extend_select),
            resolve_configured(settings, "ignore", settings.ignore)
            + resolve_configured(settings, "per-file-ignores", extra_ignore)
            + split_codes(ignore),
        )
    except ManifestToolsError as error:
        fail(str(error))
        raise Stop(EXIT_FAILURE) from None
    return enabled, settings


class ConfigPath(click.Path):
    """click's existing-file check, except for a path that may not be looked at: click's ``os.stat`` fails there
    too and said "does not exist" under a usage block; the read of the file says "permission denied" in one line."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            os.stat(value)
        except PermissionError:
            return value  # read_settings says "PATH: cannot read: permission denied" and exits 2
        except (OSError, TypeError, ValueError):
            pass
        return super().convert(value, param, ctx)


def config_options(command: Callable[..., None]) -> Callable[..., None]:
    """--config / --isolated and the file-selection options, shared by the commands that walk folders."""
    for option in reversed(
        [
            click.option(
                "--config",
                "config_file",
                type=ConfigPath(exists=True, dir_okay=False),
                help="Read [tool.manifest-tools] from this pyproject.toml only (default: the nearest one above each"
                " file).",
            ),
            click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
            click.option(
                "--exclude", multiple=True, help="Gitignore-style patterns to skip, instead of the configured ones."
            ),
            click.option("--extend-exclude", multiple=True, help="Gitignore-style patterns to skip as well."),
            click.option("--force-exclude", is_flag=True, help="Apply the exclusions to files named explicitly too."),
            click.option(
                "--respect-gitignore/--no-respect-gitignore",
                default=True,
                help="Skip what .gitignore files ignore in a folder walk (default: on).",
            ),
        ]
    ):
        command = option(command)
    return command


def build_finder(
    config_file: str | None, isolated: bool, exclude: tuple[str, ...], extend_exclude: tuple[str, ...]
) -> SettingsFinder:
    """Where each file's settings come from, with --exclude / --extend-exclude on top; exits 2 on a bad config,
    and on --config with --isolated (as ruff: the usage line says ``[--config PATH | --isolated]``, and one of
    them was ignored without a word)."""
    from pathlib import Path

    from manifest_tools.config import SettingsFinder
    from manifest_tools.errors import ManifestToolsError

    if config_file is not None and isolated:
        fail(f"--config {config_file} and --isolated exclude each other: --isolated reads no configuration file")
        raise Stop(EXIT_FAILURE)
    overrides: dict[str, tuple[str, ...]] = {"exclude": exclude} if exclude else {}
    try:
        config = Path(config_file) if config_file else None
        return SettingsFinder(config, isolated=isolated, overrides=overrides, extend_exclude=extend_exclude)
    except ManifestToolsError as error:
        fail(str(error))
        raise Stop(EXIT_FAILURE) from None


@dataclass(frozen=True)
class FileSettings:
    """Which manifests a command reads and which configuration applies to them: lint, fix and verify share
    these options (``config_options``), so they share this base of their settings objects."""

    paths: tuple[str, ...]
    config_file: str | None = None
    isolated: bool = False
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    respect_gitignore: bool = True


@dataclass(frozen=True)
class SelectedFileSettings(FileSettings):
    """:class:`FileSettings` and the rule selection options (``selection_options``) of lint and fix."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def fix_command(
    options: SelectedFileSettings,
    stdin_filename: str | None = None,
    report: Report | None = None,
    *,
    unsafe: bool = False,
) -> tuple[str, str, str]:
    """``manifest-tools fix`` on what a lint run checked, with the rules it ran, as a user can run it: the
    paths it can run on again (:func:`_fixable_paths`; ``unsafe``: with ``--unsafe-fixes``) and the options
    that choose files and rules, shell-quoted (see ``TextStyle.fix_command``). Past a few paths, "on the same
    paths" stands for them."""
    from manifest_tools.redact import shell_word

    words: list[str] = []
    for option, values in (
        ("--select", options.select),
        ("--extend-select", options.extend_select),
        ("--ignore", options.ignore),
        ("--exclude", options.exclude),
        ("--extend-exclude", options.extend_exclude),
    ):
        words += [word for value in values for word in (option, value)]
    words += ["--config", options.config_file] if options.config_file is not None else []
    words += ["--isolated"] * options.isolated + ["--force-exclude"] * options.force_exclude
    words += [] if options.respect_gitignore else ["--no-respect-gitignore"]
    words += ["--stdin-filename", stdin_filename] if stdin_filename is not None and "-" in options.paths else []
    named = _fixable_paths(options.paths, report, unsafe) if report is not None else list(options.paths)
    many = len(named) > _PATHS_SHOWN
    paths = [] if many or named == ["."] else named or ["FILE"]  # fix alone walks the current folder; FILE:
    # none can be named again (a pipe), and fix alone would walk the current folder instead
    paths = ["--", *paths] if any(path.startswith("-") and path != "-" for path in paths) else paths  # not options
    given = " ".join(shell_word(word) for word in [*words, *paths])
    return "manifest-tools fix", f" {given}" if given else "", " on the same paths" if many else ""


def _fixable_paths(paths: Iterable[str], report: Report, unsafe: bool = False) -> list[str]:
    """The paths given that ``fix`` (``unsafe``: ``fix --unsafe-fixes``) can be run on again: standard input
    (read again from the same source), a regular file that it can fix, a folder that holds one. Not a file with
    nothing it would apply (one it refuses to rewrite, such as a CSV whose rows must be fixed by hand, or,
    without --unsafe-fixes, a file whose top-level key repeats), a pipe (``lint <(...)``'s /dev/fd/63 is gone
    once read) nor a path that could not be checked (an empty folder: fix exits 2)."""
    from manifest_tools.readers.dispatch import can_read_again

    failed = {unreadable.path for unreadable in report.unreadable}
    fixable = [
        os.path.realpath(name)
        for name, counts in report.fix_counts.items()
        if (counts.unsafe if unsafe else counts.safe)
    ]

    def named_again(path: str) -> bool:
        if path == "-":
            return True
        if path in failed:
            return False
        if can_read_again(path):  # a regular file, not a pipe or /dev/stdin: fix writes it back
            return os.path.realpath(path) in fixable
        real = os.path.realpath(path).rstrip(os.sep) + os.sep
        return os.path.isdir(path) and any(name.startswith(real) for name in fixable)

    named: dict[str, str] = {}  # one name per file or folder (the first given): lint read it once
    for path in paths:
        if named_again(path):
            named.setdefault(path if path == "-" else os.path.realpath(path), path)
    return list(named.values())


_PATHS_SHOWN = 4
"""Paths a fix command names (pre-commit passes every changed file: the line would run on for screens)."""


def not_found(found: Discovery) -> list[Unreadable]:
    """What a folder walk could not read and the given paths under which no manifest was found, as the report's
    unreadable entries (what :func:`discover_manifests` said of each on stderr)."""
    from manifest_tools.report.report import NO_MANIFEST_OR_EXCLUDED, Unreadable

    return [*found.unreadable, *(Unreadable(path, NO_MANIFEST_OR_EXCLUDED) for path in found.empty)]


def find_manifests(options: FileSettings, stdin_filename: str | None = None) -> tuple[SettingsFinder, Discovery]:
    """The configuration finder and the manifests ``options`` name (see :func:`discover_manifests`)."""
    finder = build_finder(options.config_file, options.isolated, options.exclude, options.extend_exclude)
    found = discover_manifests(
        options.paths,
        finder,
        respect_gitignore=options.respect_gitignore,
        force_exclude=options.force_exclude,
        stdin_filename=stdin_filename,
    )
    return finder, found


def discover_manifests(
    paths: Iterable[str],
    finder: SettingsFinder,
    *,
    respect_gitignore: bool,
    force_exclude: bool,
    stdin_filename: str | None = None,
) -> Discovery:
    """The manifests under ``paths`` (lint, fix and verify read the same ones); each folder or file the walk could
    not read, and each given path under which none is found, is said on stderr (the caller exits 2 once the
    rest is done); exits 2 on a bad configuration."""
    from pathlib import Path

    from manifest_tools.discovery import discover
    from manifest_tools.errors import ManifestToolsError
    from manifest_tools.report.report import NO_MANIFEST_OR_EXCLUDED

    try:
        finder.for_folder(Path.cwd())  # the working folder's configuration is read even when no file is found
        found = discover(
            paths,
            finder,
            respect_gitignore=respect_gitignore,
            force_exclude=force_exclude,
            stdin_filename=stdin_filename,
        )
    except ManifestToolsError as error:
        fail(str(error))
        raise Stop(EXIT_FAILURE) from None
    from manifest_tools.redact import for_path

    for unreadable in found.unreadable:
        fail(f"{for_path(unreadable.path)}: {unreadable.reason}")
    for given in found.empty:
        fail(f"{for_path(given)}: {NO_MANIFEST_OR_EXCLUDED}")
    return found


def refuse_report_over_inputs(output_file: str | None, files: Iterable[str]) -> None:
    """Stop (exit 2) before any work when ``-o FILE`` names one of the manifests being read: the report
    would replace the manifest (the same check ``convert`` and ``split`` make)."""
    from manifest_tools.atomic import same_file

    if output_file is None or output_file in STDOUT_NAMES:
        return
    for path in files:
        if path != "-" and same_file(path, output_file):
            same = "" if path == output_file else f" (the same file as {path})"  # a link, or ./ before it
            fail(f"-o {output_file}{same} is one of the manifests being checked: the report would replace it")
            raise Stop(EXIT_FAILURE)


def chosen_output_format(option: str | None, settings: Settings) -> str:
    """--output-format, else the configured ``output-format``, else ``github`` in GitHub Actions, else ``text``;
    exits 2 on a configured name no formatter has."""
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    chosen = option or settings.output_format or ("github" if in_actions else "text")
    if chosen not in FORMATTERS:
        configured = not option and settings.output_format and settings.source is not None
        where = f"{settings.source}: " if configured else ""  # a configured one: named in its file, as others are
        table = " in [tool.manifest-tools]" if configured else ""
        fail(f"{where}unknown output-format {chosen!r}{table} (choose from {', '.join(FORMATTERS)})")
        raise Stop(EXIT_FAILURE) from None
    return chosen


def write_report(
    report: Report,
    output_format: str,
    output_file: str | None,
    color: str,
    *,
    quiet: bool = False,
    statistics: bool = False,
    strict: str = "",
    fix_command: tuple[str, str, str] = ("manifest-tools fix", "", ""),
    unsafe_fix_command: tuple[str, str, str] | None = None,
) -> None:
    """The report on standard output, or into ``-o FILE`` (replaced atomically; coloured only with --color always);
    ``strict``: what makes warnings fail, for the summary (see ``TextStyle.strict``); ``fix_command`` and
    ``unsafe_fix_command``: what fixes them (see ``TextStyle.fix_command``)."""
    from manifest_tools.atomic import write_atomic
    from manifest_tools.cli.progress import echo_output
    from manifest_tools.report.formatters import TextStyle, render, render_chunks

    to_file = output_file is not None and output_file not in STDOUT_NAMES
    painted = color == "always" if to_file else use_color(color, sys.stdout)
    style = TextStyle(
        color=output_format == "text" and painted,
        quiet=quiet,
        statistics=statistics,
        strict=strict,
        fix_command=fix_command,
        unsafe_fix_command=unsafe_fix_command,
    )
    if output_file is not None and to_file:
        write_atomic(output_file, f"{render(report, output_format, style)}\n")
        return
    printed = False
    for chunk in render_chunks(report, output_format, style):  # 100 MB of SARIF is never one string
        if chunk:
            echo_output(chunk, nl=False, color=style.color)
            printed = True
    if printed:
        echo_output("", color=style.color)


OUTPUT_FILE = click.option(
    "-o", "--output-file", help="Write the diagnostics to this file (replaced atomically) instead of standard output."
)


STDIN_FILENAME = click.option(
    "--stdin-filename",
    help="The name (and so the format) of the manifest read from standard input ('-', or no path at all).",
)


def stdin_paths(paths: tuple[str, ...], stdin_filename: str | None) -> tuple[str, ...]:
    """The paths a command reads, as ruff reads them: ``--stdin-filename`` without a path means standard input
    (``lint --stdin-filename x.json < m.json`` walked the current folder and never read the pipe). Named
    beside paths that leave ``-`` out, it names nothing: refused (ruff ignores the paths with a warning, and a
    CI line that names its files must not pass on what it piped in)."""
    if stdin_filename is None or "-" in paths:
        return paths
    from click.core import ParameterSource

    if click.get_current_context().get_parameter_source("paths") is ParameterSource.DEFAULT:
        return ("-",)
    fail(f"--stdin-filename names standard input, which is read from -: add - to the paths ({' '.join(paths)})")
    raise Stop(EXIT_FAILURE)


def refuse_stdin_filename(source: str, stdin_filename: str | None) -> None:
    """``convert`` and ``split`` of a file with ``--stdin-filename``: the name would be ignored without a word."""
    if stdin_filename is not None and source != "-":
        fail(f"--stdin-filename names standard input, read from -: give - as the source, not {source}")
        raise Stop(EXIT_FAILURE)


def input_name(source: str, stdin_filename: str | None) -> str:
    """What messages call the input: ``-`` is named by --stdin-filename, else ``<stdin>``."""
    return (stdin_filename or "<stdin>") if source == "-" else source


def load_rewritable(
    source: str, verb: str, stdin_filename: str | None = None, *, err: bool = False, given: bytes | None = None
) -> Manifest:
    """Read a manifest (``-``: standard input, or its bytes ``given`` when read already) to write it out in another
    shape; exit 2 if unreadable, 1 if reading needed a guess (its problems on stderr when ``err``: the manifest
    was to go to stdout)."""
    from manifest_tools import api
    from manifest_tools.errors import ManifestToolsError, NotRewritable
    from manifest_tools.report.report import Report

    shown = input_name(source, stdin_filename)
    try:
        if source == "-":
            data = sys.stdin.buffer.read() if given is None else given
            return api.require_rewritable(api.parse(shown, data))
        return api.require_rewritable(api.parse_path(source))
    except NotRewritable as refused:
        print_report(Report(refused.errors, [shown]), quiet=True, err=err)
        fail(f"{shown}: not {verb}: fix these problems first")
        raise Stop(EXIT_FINDINGS) from None
    except ManifestToolsError as error:
        fail(str(error))
        raise Stop(EXIT_FAILURE) from None


def print_losses(source: str, manifest: Manifest, *lists: tuple[Iterable[Loss], str], path: str | None = None) -> None:
    """One line per thing a target cannot carry, at its line and column in the source, for each list of
    (losses, label) in turn (``path``: the file it was read from, if any: read again, a piece at a time,
    to find them)."""
    from manifest_tools.cli.progress import echo
    from manifest_tools.loss_lines import loss_lines

    for lines in loss_lines(source, manifest, *lists, path=path):
        echo("\n".join(lines), err=True)


def print_report(
    report: Report,
    quiet: bool,
    *,
    err: bool = False,
    fix_command: tuple[str, str, str] | None = None,
    unsafe_fix_command: tuple[str, str, str] | None = None,
) -> None:
    from manifest_tools.cli.progress import echo
    from manifest_tools.report.formatters import FIX_COMMAND, FORMATTERS, TextStyle

    color = use_color("auto", sys.stderr if err else sys.stdout)
    style = TextStyle(
        color=color, quiet=quiet, fix_command=fix_command or FIX_COMMAND, unsafe_fix_command=unsafe_fix_command
    )
    output = FORMATTERS["text"](report, style)
    if output:
        echo(output, err=err)


def split_lowercase(values: Iterable[str]) -> list[str]:
    return [v.strip().lower() for value in values for v in value.split(",") if v.strip()]
