"""Imports every rule family once, so that the registry is complete."""

from __future__ import annotations

from manifest_tools.rules.registry import CHECKERS, RULES, Checker, Rule, check_catalogue

_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        from manifest_tools.rules import (  # noqa: F401  (imported for registration)
            across,
            csv,
            duplicates,
            files,
            internal,
            limits,
            metadata,
            probe,
            scenes,
            structure,
            syntax,
            titles,
            upload,
            urls,
            verify,
        )

        check_catalogue(RULES)
        _loaded = True
        from manifest_tools.report.rule_docs import publish
        from manifest_tools.rules.docs import rule_docs

        publish(rule_docs)


def all_rules() -> dict[str, Rule]:
    _load()
    return RULES


def all_checkers() -> list[Checker]:
    _load()
    return CHECKERS
