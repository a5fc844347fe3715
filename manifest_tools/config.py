"""Settings from ``[tool.manifest-tools]`` in the nearest pyproject.toml (options win)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from manifest_tools.errors import ConfigError

_LIST_KEYS = ("select", "extend-select", "ignore")
_KNOWN_KEYS = frozenset((*_LIST_KEYS, "strict", "output-format", "min-url-validity"))
_DURATION = re.compile(r"(\d+)\s*([smhd])")
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
    source: Path | None = None


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(start: Path | None = None) -> Settings:
    """Read ``[tool.manifest-tools]`` from the nearest pyproject.toml, if any."""
    path = find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Settings()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read [tool.manifest-tools]: {error}") from error
    table = document.get("tool", {}).get("manifest-tools")
    if table is None:
        return Settings()
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.manifest-tools] must be a table")
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {', '.join(unknown)} in [tool.manifest-tools]"
            f" (known: {', '.join(sorted(_KNOWN_KEYS))})"
        )
    return Settings(
        select=_codes(table, "select", path),
        extend_select=_codes(table, "extend-select", path),
        ignore=_codes(table, "ignore", path),
        strict=_bool(table, "strict", path),
        output_format=_string(table, "output-format", path),
        min_url_validity=_duration(table, "min-url-validity", path),
        source=path,
    )


def _codes(table: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{path}: {key} must be a list of rule codes such as ["MT1", "MT602"]')
    return tuple(v.strip().upper() for v in value)


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
    """``90m``, ``6h``, ``2d``, ``1h30m`` or plain seconds as a span; ValueError with what to write otherwise."""
    cleaned = text.strip().lower()
    if cleaned.isdigit():
        seconds = int(cleaned)
    else:
        parts = _DURATION.findall(cleaned)
        if not parts or _DURATION.sub("", cleaned).strip():
            raise ValueError(f"{text!r} is not a duration: write a number and a unit, such as 90m, 6h or 2d")
        seconds = sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts)
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
