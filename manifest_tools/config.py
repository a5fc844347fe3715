"""Settings from ``[tool.manifest-tools]`` in the nearest pyproject.toml (options win)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from manifest_tools.errors import ConfigError

_LIST_KEYS = ("select", "extend-select", "ignore")
_KNOWN_KEYS = frozenset((*_LIST_KEYS, "strict", "output-format"))


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run is configured with; the CLI fills it from the config file and options."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    output_format: str | None = None
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
