"""A progress bar on stderr for long work: on a terminal only, after about a second, cleared when done.

One bar for every command (lint, fix, convert, split, probe, generate):
``[######----] 1,200/4,000 items, 3,100/s, 1 s left``. It is drawn only when
stderr is a terminal and ``TERM`` is not ``dumb`` (Emacs' shell and some CI
consoles say ``dumb`` and print a carriage return as ``^M``: rich does the same
check), so piped and CI output never change, and only once the work has taken
:data:`DELAY_ENV` seconds (1 s by default), so a small run never flickers. A
drawing thread redraws it a few times a second, so a single long step (reading
one 500 MB manifest) still shows that the command is alive; a line printed
while it is up goes through :func:`echo`, which clears the bar first.

Why our own small class: ``click.progressbar`` prints its label once even when
stderr is not a terminal (piped output would change), has no delay (every
small run would flicker) and shows no rate; ``tqdm`` has all three but is not a
core dependency (only the encord extra brings it) and the core install stays
light. The library never draws: commands pass it a callback (``progress=``)
and the CLI turns the counts into this bar.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from types import TracebackType
from typing import IO

import click

DELAY_ENV = "MANIFEST_TOOLS_PROGRESS_DELAY"
"""Seconds of work before the bar appears (default 1; the tests set 0)."""

REDRAW_SECONDS = 0.2
"""How often the drawing thread refreshes the bar."""

BAR_WIDTH = 24

_lock = threading.Lock()
_active: list[Progress] = []
"""The bar on screen, if any: :func:`echo` clears it before printing."""


def on_terminal(stream: IO[str]) -> bool:
    """Whether a bar may be drawn on ``stream``: a terminal that understands a carriage return."""
    try:
        return stream.isatty() and os.environ.get("TERM", "") != "dumb"
    except (ValueError, AttributeError):  # closed, or not a real stream
        return False


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV, "1")))
    except ValueError:
        return 1.0


class Progress:
    """Counts of one long piece of work, drawn as a bar while it lasts (see the module docstring).

    ``update`` and ``advance`` only store numbers (cheap enough to call per item); drawing happens in a
    thread and, once the delay has passed, in ``update`` itself at most every :data:`REDRAW_SECONDS`.
    """

    def __init__(
        self,
        label: str,
        total: int | None = None,
        unit: str = "items",
        *,
        stream: IO[str] | None = None,
        enabled: bool = True,
    ) -> None:
        """``enabled=False`` when the work itself writes to the terminal (``convert -o -`` on a terminal)."""
        self.label, self.total, self.unit = label, total, unit
        self.done = 0
        self.extra = ""
        self.stream = stream or sys.stderr
        self.enabled = enabled and on_terminal(self.stream)
        self.started = time.monotonic()
        self.shown_after = self.started + _delay()
        self._last_draw = 0.0
        self._width = 0  # of what is on screen: cleared with as many spaces
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        return self.start()

    def start(self) -> Progress:
        """Start drawing (after the delay) until :meth:`close`; ``with Progress(...)`` does both."""
        if self.enabled and self._thread is None:
            with _lock:
                _active.append(self)
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def update(self, done: int, total: int | None = None, extra: str = "", label: str | None = None) -> None:
        """Set the counts (``total`` and ``label`` when they change; ``extra`` is appended, e.g. bytes read)."""
        self.done, self.extra = done, extra
        if total is not None:
            self.total = total
        relabelled = label is not None and label != self.label
        if label is not None:
            self.label = label
        finished = bool(self.total) and self.done >= (self.total or 0)
        if self.enabled and (relabelled or finished or time.monotonic() - self._last_draw >= REDRAW_SECONDS):
            self._draw()  # a new label (the next file) at once: the old one would name a file already done;
            # and the end at once: the last frame before the bar is blanked said 0.5/0.7 MB

    def advance(self, count: int = 1) -> None:
        self.update(self.done + count)

    def close(self) -> None:
        """Stop drawing and clear the line (nothing is left behind on the terminal)."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
        with _lock:
            self._clear()
            if self in _active:
                _active.remove(self)

    def _run(self) -> None:
        if self._stop.wait(max(0.0, self.shown_after - time.monotonic())):
            return
        while True:
            self._draw()
            if self._stop.wait(REDRAW_SECONDS):
                return

    def _draw(self) -> None:
        now = time.monotonic()
        if now < self.shown_after or not self.enabled:
            return
        with _lock:
            if self._stop.is_set() and self._thread is None:
                return
            columns = shutil.get_terminal_size((80, 24)).columns
            line = self.text(now - self.started)[: max(10, columns - 1)]  # a wrapped line cannot be redrawn
            padding = " " * max(0, self._width - len(line))
            try:
                self.stream.write("\r" + line + padding)
                self.stream.flush()
            except (OSError, ValueError):  # the terminal went away: stop drawing, the work goes on
                self.enabled = False
                self._stop.set()
                return
            self._width = len(line)
            self._last_draw = now

    def _clear(self) -> None:
        """Blank the bar's line (the caller holds the lock)."""
        if self._width:
            try:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
            self._width = 0

    def text(self, seconds: float, width: int = BAR_WIDTH) -> str:
        """``label [#####-----] 120/400 files, 3.2 MB read, 40/s, 7 s left`` (no bar or time left without
        a total, no rate before anything is done)."""
        parts = [self.label] if self.label else []
        rate = self.done / seconds if seconds > 0 else 0.0
        if not self.unit:  # a step without counts: only the time it has taken
            return " ".join(parts) + self.extra + (f", {_duration(seconds)}" if seconds >= 1 else "")
        if self.total:
            share = min(1.0, self.done / self.total)
            filled = round(share * width)
            parts.append(f"[{'#' * filled}{'-' * (width - filled)}] {self._amount(self.done, self.total)}")
        else:
            parts.append(self._amount(self.done, None))
        text = " ".join(parts) + self.extra
        if self.done and rate > 0:
            text += f", {self._rate(rate)}"
            if self.total and self.done < self.total:
                text += f", {_duration((self.total - self.done) / rate)} left"
        elif seconds >= 1:
            text += f", {_duration(seconds)}"
        return text

    def _amount(self, done: int, total: int | None) -> str:
        if self.unit == "bytes":  # in the total's unit: "120/710 KB" (a 710 KB file was "0.0 MB" throughout)
            scale, name = _byte_unit(total or done)
            return f"{done / scale:,.1f}/{total / scale:,.1f} {name}" if total else f"{done / scale:,.1f} {name}"
        return f"{done:,}/{total:,} {self.unit}" if total else f"{done:,} {self.unit}"

    def _rate(self, rate: float) -> str:
        if self.unit != "bytes":
            return f"{rate:,.0f}/s"
        scale, name = _byte_unit(rate)
        return f"{rate / scale:,.1f} {name}/s"


def _byte_unit(amount: float) -> tuple[float, str]:
    """KB below a megabyte, else MB: a small amount in MB reads 0.0."""
    return (1e3, "KB") if amount < 1e6 else (1e6, "MB")


class CountingWriter:
    """A text stream that passes writes on to ``out`` and counts their characters on ``bar`` (bytes, for
    the ASCII that manifests mostly are): a writer's progress without a hook in the library."""

    def __init__(self, out: IO[str], bar: Progress) -> None:
        self.out, self.bar = out, bar

    def write(self, text: str) -> int:
        written = self.out.write(text)
        self.bar.advance(len(text))
        return written

    def flush(self) -> None:
        self.out.flush()


def file_size(path: str) -> int:
    """A file's size, a bar's total (0 for standard input or what cannot be read: its error comes later)."""
    try:
        return os.stat(path).st_size if path != "-" else 0
    except OSError:
        return 0


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:,.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:,.0f} min"
    return f"{seconds / 3600:,.1f} h"


def echo(message: str | bytes = "", *, err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """``click.echo``, with the bar on screen (if any) cleared first so that the line is not mixed into it;
    the bar comes back at its next redraw."""
    if not _active:
        click.echo(message, err=err, nl=nl, color=color)
        return
    with _lock:
        for bar in _active:
            bar._clear()
        click.echo(message, err=err, nl=nl, color=color)


def echo_output(text: str, *, nl: bool = True, color: bool = False) -> None:
    """What a command writes as its output (a manifest, a diff, a report, a schema) on standard output as the
    UTF-8 bytes ``-o FILE`` writes (``atomic_text_file``): a text stream may translate line ends (on Windows
    LF to CRLF, and a CRLF manifest's to CR CR LF) and encode as the locale says (cp1252 cannot write a
    non-ASCII title). ``color``: painted text for a terminal, which click writes (and on Windows converts)."""
    if color:
        echo(text, nl=nl, color=True)
    else:
        echo(text.encode("utf-8", "surrogatepass"), nl=False)  # not text + "\n": a copy of 100 MB of SARIF
        if nl:
            echo(b"\n", nl=False)
