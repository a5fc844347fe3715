"""manifest-tools: lint, fix, convert and split Encord cloud-registration manifests.

Library use::

    import manifest_tools

    report = manifest_tools.lint("uploads/batch-07.json")
    report.raise_for_errors()

The names below are imported lazily so that ``manifest-tools --version`` (and a
pre-commit hook on a clean file) starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "CannotVerify",
    "ConfigError",
    "Diagnostic",
    "Item",
    "Manifest",
    "ManifestErrors",
    "ManifestToolsError",
    "Position",
    "Report",
    "Severity",
    "SourceError",
    "__version__",
    "convert",
    "fix",
    "from_dataframe",
    "generate",
    "lint",
    "lint_files",
    "load",
    "plan_upload",
    "probe",
    "split",
    "to_dataframe",
    "upload",
    "upload_report",
    "url_validity",
    "verify",
]

_LAZY = {
    "lint": "manifest_tools.api",
    "lint_files": "manifest_tools.api",
    "load": "manifest_tools.api",
    "fix": "manifest_tools.api",
    "convert": "manifest_tools.api",
    "split": "manifest_tools.api",
    "generate": "manifest_tools.api",
    "verify": "manifest_tools.api",
    "url_validity": "manifest_tools.rules.urls",
    "upload_report": "manifest_tools.uploads.results",
    "plan_upload": "manifest_tools.uploads.plan",
    "upload": "manifest_tools.uploads.run",
    "probe": "manifest_tools.api",
    "to_dataframe": "manifest_tools.frames",
    "from_dataframe": "manifest_tools.frames",
    "Manifest": "manifest_tools.model",
    "Item": "manifest_tools.model",
    "Position": "manifest_tools.model",
    "Report": "manifest_tools.report.report",
    "Diagnostic": "manifest_tools.report.diagnostic",
    "Severity": "manifest_tools.report.diagnostic",
    "ManifestToolsError": "manifest_tools.errors",
    "ManifestErrors": "manifest_tools.errors",
    "SourceError": "manifest_tools.errors",
    "CannotVerify": "manifest_tools.errors",
    "ConfigError": "manifest_tools.errors",
}

if TYPE_CHECKING:
    from manifest_tools.api import convert, fix, generate, lint, lint_files, load, probe, split, verify
    from manifest_tools.errors import CannotVerify, ConfigError, ManifestErrors, ManifestToolsError, SourceError
    from manifest_tools.frames import from_dataframe, to_dataframe
    from manifest_tools.model import Item, Manifest, Position
    from manifest_tools.report.diagnostic import Diagnostic, Severity
    from manifest_tools.report.report import Report
    from manifest_tools.rules.urls import url_validity
    from manifest_tools.uploads.plan import plan_upload
    from manifest_tools.uploads.results import upload_report
    from manifest_tools.uploads.run import upload


def __dir__() -> list[str]:
    """The public API, for ``dir()``, ``help()`` and editors (the names load lazily)."""
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'manifest_tools' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
