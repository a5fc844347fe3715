"""Facts written once: a list of file extensions lives in kinds.py and nowhere else in the package.

A copy elsewhere (a set of extensions in a rule, a list in a docstring or in the schema's prose) drifts
the day a kind gains an extension; whatever needs the list reads it from the kinds table.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from manifest_tools.kinds import KINDS, MIME_TYPES

PACKAGE = Path(__file__).parents[2] / "manifest_tools"
HOME = PACKAGE / "kinds.py"
EXTENSIONS = frozenset(MIME_TYPES).union(*(kind.extensions for kind in KINDS))
PROSE_WORDS = EXTENSIONS - {"json", "csv", "md", "xml", "html", "txt"}
"""In prose, words that are extensions and nothing else (json or html may well be written for the format)."""
_WORD = re.compile(r"(?<![\w/-])\.?([a-z0-9]+(?:\.gz)?)(?![\w-])")
SEVERAL = 3

ALLOWED: dict[tuple[str, str], str] = {
    ("media.py", "_DEMUXER_MIME_TYPES"): "FFmpeg's demuxer names (mov,mp4,m4a,...), not a list of our extensions",
    ("media.py", "Probed"): "a docstring quoting an FFmpeg demuxer name (mov,mp4,m4a,3gp,3g2,mj2)",
}
"""(module, assigned name) -> why a list there is not a copy of the table."""


def _literal_lists(tree: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
    """(line, owner, extension-like strings) of every collection literal and string with several; the owner is
    the name assigned, else the enclosing class or function, else ''."""
    owners: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            name = ",".join(t.id for t in targets if isinstance(t, ast.Name))
            for inner in ast.walk(node):
                owners.setdefault(id(inner), name)
    for node in ast.walk(tree):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            for inner in ast.walk(node):
                owners.setdefault(id(inner), node.name)
    for node in ast.walk(tree):
        strings: list[str] = []
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            strings = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            found = [s for s in strings if s.lower().lstrip(".") in EXTENSIONS]
        elif isinstance(node, ast.Dict):
            strings = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            found = [s for s in strings if s.lower().lstrip(".") in EXTENSIONS]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found = sorted({word for word in _WORD.findall(node.value) if word in PROSE_WORDS})
        else:
            continue
        if len(found) >= SEVERAL:
            yield node.lineno, owners.get(id(node), ""), found


def _copies() -> list[str]:
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == HOME:
            continue
        name = path.relative_to(PACKAGE).as_posix()
        for line, owner, found in _literal_lists(ast.parse(path.read_text(encoding="utf-8"))):
            if (name, owner) not in ALLOWED:
                copies.append(f"{name}:{line} {owner or '(expression)'}: {', '.join(found)}")
    return copies


def test_extension_lists_live_only_in_the_kinds_table() -> None:
    assert _copies() == []


def test_the_scan_finds_a_list_a_module_would_write() -> None:
    """The check can fail: a set, a dict and a sentence listing extensions are all found."""
    source = 'A = {"mp4", "mov", "webm"}\nB = {"tif": 1, "tiff": 2, "png": 3}\nC = "videos (mp4, mov, webm, mkv)"\n'
    assert [(line, owner) for line, owner, _ in _literal_lists(ast.parse(source))] == [
        (1, "A"),
        (2, "B"),
        (3, "C"),
    ]
    assert list(_literal_lists(ast.parse('D = ("mp4", "title")\nE = "an .mp4 file"\n'))) == []
