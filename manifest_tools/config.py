"""Settings from ``[tool.manifest-tools]`` in the nearest pyproject.toml (options win)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from manifest_tools.codes import CODES
from manifest_tools.errors import ConfigError

_LIST_KEYS = ("select", "extend-select", "ignore")
_PATTERN_KEYS = ("exclude", "extend-exclude")
_KNOWN_KEYS = frozenset(
    (*_LIST_KEYS, *_PATTERN_KEYS, "per-file-ignores", "strict", "output-format", "min-url-validity")
)
DEFAULT_EXCLUDE = (
    ".*",
    "node_modules/",
    "__pycache__/",
    "venv/",
    "package.json",
    "package-lock.json",
    "tsconfig*.json",
)
"""What a folder walk skips unless ``exclude`` replaces it: hidden entries, installed packages, and the JSON files
every JavaScript repository has (a repository's ``lint .`` must not report them as broken manifests)."""
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run is configured with; the CLI fills it from the config file and options."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    output_format: str | None = None
    min_url_validity: timedelta | None = None
    """How long a pre-signed URL must still work (MT318); None: the rule's default."""
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    """Gitignore-style patterns, relative to :attr:`root`, of what folder walks skip."""
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(pattern, rule codes or prefixes) pairs: diagnostics of those rules are dropped in matching files."""
    source: Path | None = None

    @property
    def root(self) -> Path:
        """The folder patterns are relative to: the config file's, else the working folder."""
        return self.source.parent if self.source is not None else Path.cwd().resolve()


def _table(path: Path) -> dict[str, Any] | None:
    """The ``[tool.manifest-tools]`` table of a pyproject.toml, None when it has none."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:  # in the words a manifest's read uses, not "[Errno 13] Permission denied: '...'"
        from manifest_tools.atomic import reason

        raise ConfigError(f"{path}: cannot read: {reason(error)}") from error
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read [tool.manifest-tools]: {error}") from error
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        return None
    table = tool.get("manifest-tools")
    if table is None and (misspelt := _close_match(tool, ("manifest-tools",))):
        raise ConfigError(f"{path}: [tool.{misspelt}] is not read: did you mean [tool.manifest-tools]?")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.manifest-tools] must be a table")
    return table


def _close_match(names: Iterable[str], known: Iterable[str]) -> str:
    """The first of ``names`` close to one of ``known`` (``manifest_tools``, ``extend_select``), "" if none:
    a misspelt name would otherwise be read as no setting at all, without a word. Only names of about the
    known names' length are compared, so a pyproject with other tools' tables (ruff, mypy) costs no import."""
    spellings = list(known)
    lengths = {len(spelling) for spelling in spellings}
    candidates = [name for name in names if any(abs(len(name) - length) <= 3 for length in lengths)]
    if not candidates:
        return ""
    import difflib

    return next((name for name in candidates if difflib.get_close_matches(name, spellings, n=1, cutoff=0.8)), "")


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start`` that has a ``[tool.manifest-tools]`` table (as ruff)."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if os.path.isfile(candidate) and _table(candidate) is not None:  # False in a folder that may not be entered
            return candidate
    return None


def load_settings(start: Path | None = None) -> Settings:
    """Read ``[tool.manifest-tools]`` from the nearest pyproject.toml that has one, if any."""
    path = find_config((start or Path.cwd()).resolve())
    return Settings() if path is None else read_settings(path)


def read_settings(path: Path) -> Settings:
    """The settings of one pyproject.toml (``--config PATH``); a file without the table is an error, as a
    misspelt table name (``[tool.manifest-tool]``) would otherwise be read silently as no settings."""
    path = path.resolve()
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.manifest-tools] table")
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        import difflib

        matches = {
            name: match[0]
            for name in unknown
            if (match := difflib.get_close_matches(name.replace("_", "-"), _KNOWN_KEYS, n=1, cutoff=0.6))
        }
        if len(unknown) == 1:
            hint = f": did you mean {matches[unknown[0]]}?" if matches else ""
        else:
            hint = f": did you mean {', '.join(f'{m} for {n}' for n, m in matches.items())}?" if matches else ""
        raise ConfigError(
            f"{path}: unknown setting {', '.join(unknown)} in [tool.manifest-tools]{hint}"
            f" (known: {', '.join(sorted(_KNOWN_KEYS))})"
        )
    return Settings(
        select=_codes(table, "select", path),
        extend_select=_codes(table, "extend-select", path),
        ignore=_codes(table, "ignore", path),
        strict=_bool(table, "strict", path),
        output_format=_string(table, "output-format", path),
        min_url_validity=_duration(table, "min-url-validity", path),
        exclude=_patterns(table, "exclude", path) if "exclude" in table else DEFAULT_EXCLUDE,
        extend_exclude=_patterns(table, "extend-exclude", path),
        per_file_ignores=_per_file_ignores(table, path),
        source=path,
    )


class SettingsFinder:
    """The settings that govern each path: ``--config`` for all, defaults when isolated, else the nearest
    config file above the path's folder (cached per folder, as a walk asks for every file)."""

    def __init__(
        self,
        config: Path | None = None,
        *,
        isolated: bool = False,
        overrides: Mapping[str, Any] | None = None,
        extend_exclude: tuple[str, ...] = (),
    ) -> None:
        """``overrides`` (Settings fields, e.g. ``exclude`` from ``--exclude``) replace every file's settings;
        ``extend_exclude`` (``--extend-exclude``) adds to each file's own."""
        self._fixed = Settings() if isolated else read_settings(config) if config is not None else None
        self._overrides = dict(overrides or {})
        self._extend_exclude = extend_exclude
        self._by_folder: dict[Path, Settings] = {}

    def for_folder(self, folder: Path) -> Settings:
        folder = folder.resolve()
        if folder not in self._by_folder:
            found = self._fixed if self._fixed is not None else load_settings(folder)
            found = replace(found, **self._overrides)
            self._by_folder[folder] = replace(found, extend_exclude=found.extend_exclude + self._extend_exclude)
        return self._by_folder[folder]

    def for_path(self, path: Path) -> Settings:
        """The settings of a file's folder (of a folder's own); ``os.path.isdir``, not ``Path.is_dir``, which raises
        PermissionError in a folder that may not be entered: the read of the file says so, in the user's words."""
        return self.for_folder(path if os.path.isdir(path) else path.parent)


def _patterns(table: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f'{path}: {key} must be a list of gitignore-style patterns such as ["build/", "**/*.tmp.json"]'
        )
    return tuple(value)


def _per_file_ignores(table: dict[str, Any], path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    value = table.get("per-file-ignores", {})
    if not isinstance(value, dict) or not all(isinstance(codes, list) for codes in value.values()):
        raise ConfigError(f'{path}: per-file-ignores must be a table such as {{"legacy/*.csv" = ["MT212"]}}')
    return tuple((pattern, _codes(value, pattern, path)) for pattern in value)


def _codes(table: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{path}: {key} must be a list of rule codes, prefixes or names: ["MT1", "duplicate-url"]')
    return tuple(_selector(v) for v in value)


def _selector(value: str) -> str:
    """A code or prefix, upper-cased; anything else (a rule's name, a mistake) as written: the names live with
    the rules, above this module, and ``selectors.resolve_configured`` reads it as the command line reads
    an option, refusing a mistake in the same words, naming this file and key."""
    text = value.strip()
    upper = text.upper()
    if text and (upper == "ALL" or any(known.startswith(upper) for known in CODES)):
        return upper
    return text


def _bool(table: dict[str, Any], key: str, path: Path) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: {key} must be true or false")
    return value


def _string(table: dict[str, Any], key: str, path: Path) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{path}: {key} must be a string")
    return value


_MAX_DURATION_SECONDS = 3_650 * 86_400
"""Ten years: longer spans are typos (and would overflow a timedelta)."""


def parse_duration(text: str) -> timedelta:
    """``90m``, ``6h``, ``2d``, ``1h30m``, ``1.5h`` as a span (to the second); ValueError with what to write
    otherwise.

    A bare number is refused: read as seconds, ``min-url-validity = 5`` would mean five seconds where the
    user most likely meant hours.
    """
    cleaned = text.strip().lower()
    parts = _DURATION.findall(cleaned)
    if not parts or _DURATION.sub("", cleaned).strip():
        raise ValueError(f"{text!r} is not a duration: write a number and a unit, such as 90m, 6h or 2d")
    seconds = round(sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts))
    if seconds > _MAX_DURATION_SECONDS:
        raise ValueError(f"{text!r} is longer than any upload: write at most {_MAX_DURATION_SECONDS // 86_400:,}d")
    return timedelta(seconds=seconds)


def _duration(table: dict[str, Any], key: str, path: Path) -> timedelta | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ConfigError(f'{path}: {key} must be a duration such as "6h" or "90m"')
    try:
        return parse_duration(str(value))
    except ValueError as error:
        raise ConfigError(f"{path}: {key}: {error}") from error
