"""Rule selectors as users write them (``--select``, ``--ignore``, the config's lists, per-file-ignores): a code,
a prefix, ``ALL`` or a rule's name, in any case, made into the code or prefix the engine matches.

One home for what a selector may be, so the command line, the configuration and the library accept the same
spellings and refuse the same mistakes: a selector that matches no rule would select nothing, silently (an
``--ignore trailing-coma`` that ignores nothing), so it is an error that names the nearest code or name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from manifest_tools.codes import CODES
from manifest_tools.errors import ConfigError

if TYPE_CHECKING:
    from manifest_tools.config import Settings

ALL = "ALL"


def resolve(selector: str, *, for_lint: bool = False) -> str:
    """The code or prefix ``selector`` means (``mt1`` is ``MT1``, ``trailing-comma`` is ``MT102``); raises
    :class:`ConfigError` saying ``unknown rule or prefix ...: did you mean ...?`` for one that matches no rule
    (``for_lint``: a selector choosing rules for lint, never offered an MT9 prefix, see :func:`unknown_message`)."""
    text = selector.strip()
    upper = text.upper()
    if not text:
        raise ConfigError("an empty rule selector: give a code, a prefix, ALL or a rule name")
    if upper == ALL or any(code.startswith(upper) for code in CODES):
        return upper
    from manifest_tools.rules.catalogue import all_rules  # names live with the rules: only a name pays the import

    named = next((rule.code for rule in all_rules().values() if rule.name == text.lower()), None)
    if named is not None:
        return named
    raise ConfigError(unknown_message(text, for_lint=for_lint))


def resolve_all(selectors: Iterable[str]) -> tuple[str, ...]:
    """:func:`resolve` for each, in order."""
    return tuple(resolve(selector) for selector in selectors)


REMOTE_FAMILY = "MT9"
"""The rules ``verify``, ``upload`` and ``probe`` run against the stored files and the platform, never lint."""
REMOTE_ONLY = "MT9xx rules are run by `manifest-tools verify` and `upload`, not by lint"


def refuse_remote_only(option: str, selectors: Iterable[str]) -> None:
    """Raise :class:`ConfigError` for a resolved selector that reaches only MT9xx rules (``MT9``, ``MT901``):
    lint runs none of them, so it would select nothing and report every file clean."""
    for selector in selectors:
        if selector != ALL and selector.startswith(REMOTE_FAMILY):
            raise ConfigError(f"{option} {selector}: {REMOTE_ONLY}")


def resolve_selecting(option: str, selectors: Iterable[str]) -> tuple[str, ...]:
    """:func:`resolve_all` of a list choosing the rules lint runs (``select``, ``extend-select``), refused as
    :func:`refuse_remote_only` refuses; a selector matching no rule is never offered an MT9 prefix, which would
    be refused next."""
    resolved = tuple(resolve(selector, for_lint=True) for selector in selectors)
    refuse_remote_only(option, resolved)
    return resolved


def resolve_configured(settings: Settings, key: str, selectors: Iterable[str]) -> tuple[str, ...]:
    """:func:`resolve_all` for a list from ``settings``: the configuration reads codes and prefixes itself but
    cannot see the rules' names, so a misspelt name is refused here, naming the file and key that hold it;
    a ``select`` or ``extend-select`` that reaches only MT9xx rules is refused as the option is
    (:func:`refuse_remote_only`): ``select = ["MT9"]`` turned lint off and passed every file."""
    where = f"{settings.source}: " if settings.source is not None else ""
    selecting = key in SELECTING_KEYS
    try:
        resolved = tuple(resolve(selector, for_lint=selecting) for selector in selectors)
    except ConfigError as error:
        raise ConfigError(f"{where}{key}: {error}") from None
    if selecting:
        refuse_remote_only(f"{where}{key}", resolved)
    return resolved


SELECTING_KEYS = ("select", "extend-select")
"""The configuration's lists that choose rules to run (``ignore`` and per-file-ignores may name MT9xx rules)."""


def unknown_message(selector: str, *, for_lint: bool = False) -> str:
    """What to say of a selector that matches no rule, the nearest code or name offered (as ``rules`` does);
    ``for_lint`` (a selector choosing rules for lint): an MT9 prefix is not offered but said to be refused."""
    from manifest_tools.rules.docs import nearest_rule

    upper = selector.upper()
    stem = upper.rstrip("X")  # MT99x: a pattern as the families are headed (MT6xx), its digits the prefix
    if stem.startswith("MT") and stem[2:].isdigit():  # a code or pattern: its family, not a look-alike of another
        longest = len(stem) if stem != upper else len(upper) - 1  # a code that matched nothing: a shorter prefix
        prefix = next((stem[:n] for n in range(longest, 2, -1) if any(c.startswith(stem[:n]) for c in CODES)), None)
        family = f" (the {prefix.ljust(5, 'x')} rules)" if prefix is not None and len(prefix) < 5 else ""
        hint = f"did you mean {prefix}{family}? " if prefix is not None else ""
        if for_lint and prefix is not None and prefix.startswith(REMOTE_FAMILY):
            hint = f"no rule has that code, and {REMOTE_ONLY}; "
    else:
        nearest = nearest_rule(selector)
        hint = f"did you mean {nearest}? " if nearest else ""
    return f"unknown rule or prefix {selector!r}: {hint}`manifest-tools rules` lists them all"
