"""Imports point one way: facts and model at the bottom, then report, readers, rules and writers, the
verbs, the library API, and the CLI on top; rule families never import one another.

Every ``import`` counts, at module level or inside a function (a function-level import is still a
dependency, only a later one), and so do imports under ``TYPE_CHECKING``. Where a dependency cannot
be turned around yet, ``ALLOWED`` says why.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "manifest_tools"

LAYERS: tuple[tuple[str, ...], ...] = (
    # facts and model: what everything else reads
    (
        "kinds",
        "codes",
        "wording",
        "model",
        "errors",
        "redact",
        "parts",
        "atomic",
        "canonical",
        "collector",
        "_scan",
        "__version__",
        "providers",
        "report.diagnostic",
        "report.rule_docs",
        "losses",
    ),
    ("report",),  # Report and its formats: know diagnostics, not the rules that made them
    ("readers", "native", "media", "config", "discovery"),  # bytes in
    ("rules", "writers", "selectors"),  # judgements, and bytes out; rule selectors, names resolved
    (
        "conversion",
        "loss_lines",
        "fixes",
        "certified_fix",
        "fix_remaining",
        "certified_csv_fix",
        "splitting",
        "schema",
        "cloud",
    ),  # the verbs
    ("api",),
    ("uploads", "frames"),  # built on the library API
    ("__init__",),  # the package's lazy public names
    ("cli",),
)
"""Module prefixes (below ``manifest_tools``), lowest layer first; a module may import its own layer or lower."""

ALLOWED: dict[tuple[str, str], str] = {}
"""(importer prefix, imported prefix) -> why the upward import stays for now."""

FAMILY_HELPERS = ("registry", "shared", "placeholders", "engine")
"""What a rule family may import from rules/: the registry, the shared helpers and the engine."""

FAMILY_ALLOWED: dict[tuple[str, str], str] = {}
"""(family, other family) -> why the import stays for now."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


def imported_modules(path: Path) -> Iterator[str]:
    """Every manifest_tools module ``path`` imports (below the package), wherever the import stands."""
    package = module_name(path).split(".")[:-1] if path.name != "__init__.py" else module_name(path).split(".")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("manifest_tools."):
                    yield alias.name.removeprefix("manifest_tools.")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([node.module] if node.module else [])])
            elif node.module == "manifest_tools" or (node.module or "").startswith("manifest_tools."):
                base = (node.module or "").removeprefix("manifest_tools").removeprefix(".")
            else:
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}" if base else alias.name
                yield submodule if _is_module(submodule) or alias.name == "__version__" else (base or "__init__")


def _is_module(name: str) -> bool:
    target = PACKAGE.joinpath(*name.split("."))
    return target.with_suffix(".py").exists() or target.is_dir() or name == "_scan"


def _prefix(module: str, prefixes: list[str]) -> str | None:
    matches = [p for p in prefixes if module == p or module.startswith(p + ".")]
    return max(matches, key=len) if matches else None


def layer_of(module: str) -> int:
    prefixes = [p for layer in LAYERS for p in layer]
    prefix = _prefix(module, prefixes)
    if prefix is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return next(i for i, layer in enumerate(LAYERS) if prefix in layer)


def upward(edges: list[tuple[str, str]]) -> list[str]:
    """The imports in ``edges`` (importer, imported) that point up and are not allowed."""
    wrong = []
    for importer, imported in edges:
        if layer_of(imported) <= layer_of(importer):
            continue
        allowed = [pair for pair in ALLOWED if _prefix(importer, [pair[0]]) and _prefix(imported, [pair[1]])]
        if not allowed:
            wrong.append(f"{importer} -> {imported}")
    return wrong


def package_edges() -> list[tuple[str, str]]:
    return [
        (module_name(path), imported) for path in sorted(PACKAGE.rglob("*.py")) for imported in imported_modules(path)
    ]


def test_every_module_has_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        layer_of(module_name(path))


def test_no_module_imports_upward() -> None:
    assert upward(package_edges()) == []


def test_the_allow_list_is_still_needed() -> None:
    """An allowance nothing uses any more is removed, so that the list shrinks as layers are fixed."""
    edges = package_edges()
    unused = [
        pair
        for pair in ALLOWED
        if not any(_prefix(a, [pair[0]]) and _prefix(b, [pair[1]]) and layer_of(b) > layer_of(a) for a, b in edges)
    ]
    assert unused == []


def readme_layers(readme: str) -> list[tuple[str, ...]]:
    """The layer block of the README's Architecture section: a label, then the layer's prefixes."""
    section = readme.split("## Architecture", 1)[1]
    block = section.split("```", 2)[1]
    return [tuple(line[18:].split()) for line in block.strip("\n").splitlines()]


def test_the_readme_shows_the_layers() -> None:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    assert readme_layers(readme) == list(LAYERS)


def test_report_knows_nothing_of_rules() -> None:
    assert [(a, b) for a, b in package_edges() if a.startswith("report") and b.startswith("rules")] == []


def test_an_upward_import_is_caught() -> None:
    """The check can fail: a function-level import of the CLI from a rule, and report importing rules."""
    source = "def f():\n    from manifest_tools.cli import main\n    from manifest_tools import api\n"
    path = PACKAGE / "rules" / "_probe_of_layers.py"
    path.write_text(source, encoding="utf-8")
    try:
        found = upward([("rules._probe_of_layers", m) for m in imported_modules(path)])
    finally:
        path.unlink()
    assert found == ["rules._probe_of_layers -> cli", "rules._probe_of_layers -> api"]
    assert upward([("report.sarif", "rules.catalogue")]) == ["report.sarif -> rules.catalogue"]


def _families() -> dict[str, Path]:
    """Rule modules that declare rules (a ``RULES`` list), by name."""
    found = {}
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declares = any(
            isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "RULES" for t in node.targets)
            for node in tree.body
        )
        if declares and path.stem != "registry":
            found[path.stem] = path
    return found


def test_rule_families_do_not_import_each_other() -> None:
    families = _families()
    wrong = []
    for name, path in families.items():
        for imported in imported_modules(path):
            other = imported.removeprefix("rules.")
            if imported.startswith("rules.") and other in families and (name, other) not in FAMILY_ALLOWED:
                wrong.append(f"rules.{name} -> {imported}")
    assert wrong == []
    assert not set(FAMILY_HELPERS) & set(families)
