"""Per-kind facts are asked of the kinds table, not decided by which kind an item is.

``kind is IMAGE_GROUPS`` written to mean "items carry createVideo" is a second home for that fact:
the day another kind carries it, every such test is wrong. This test finds comparisons of a kind with
a named kind (``is``, ``in``, ``==``, and ``kind.key == "videos"``) outside ``kinds.py``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from manifest_tools import kinds

PACKAGE = Path(__file__).parents[2] / "manifest_tools"
KIND_NAMES = frozenset(name for name, value in vars(kinds).items() if isinstance(value, kinds.Kind))
KIND_KEYS = frozenset(kind.key for kind in kinds.KINDS)

ALLOWED: dict[tuple[str, str], str] = {
    ("readers/csv.py", "IMAGE_GROUPS"): "a blank group title is MT709 for image groups, MT713 for DICOM series",
    ("writers/sdk.py", "DICOM_SERIES"): "the SDK's shape of a group's files (dicomFiles with titles, or images)",
    ("rules/structure.py", "NIFTI"): "the message for a metadata block in a NIfTI item",
    ("rules/files.py", "VIDEOS"): "the hint that a CSV header of ObjectUrl alone means videos",
    ("media.py", "VIDEOS"): "the FFmpeg reader decides between the two kinds it reads: video, or audio",
    ("media.py", "AUDIO"): "the FFmpeg reader decides between the two kinds it reads: video, or audio",
}
"""(module, kind constant) -> why that comparison stays."""


def _named(node: ast.expr) -> Iterator[str]:
    """The kind constants (or kind keys compared with ``.key``) that ``node`` names."""
    if isinstance(node, ast.Name) and node.id in KIND_NAMES:
        yield node.id
    elif isinstance(node, ast.Attribute) and node.attr == "key":
        yield from _named(node.value)
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _named(element)


def identity_tests(source: str) -> Iterator[str]:
    """Every kind a comparison in ``source`` tests for by name."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for operand in operands:
            yield from _named(operand)
        keyed = any(isinstance(o, ast.Attribute) and o.attr == "key" for o in operands)
        for operand in operands:
            if keyed and isinstance(operand, ast.Constant) and operand.value in KIND_KEYS:
                yield kinds.KINDS_BY_KEY[operand.value].key.upper()


def found() -> set[tuple[str, str]]:
    return {
        (path.relative_to(PACKAGE).as_posix(), name)
        for path in PACKAGE.rglob("*.py")
        if path.name != "kinds.py"
        for name in identity_tests(path.read_text(encoding="utf-8"))
    }


def test_no_module_tells_kinds_apart_by_name() -> None:
    assert found() - set(ALLOWED) == set()


def test_the_allow_list_is_still_needed() -> None:
    assert set(ALLOWED) - found() == set()


def test_the_scan_finds_identity_tests() -> None:
    source = (
        "if kind is IMAGE_GROUPS: pass\n"
        "if item.kind in (IMAGES, VIDEOS): pass\n"
        'if kind.key == "pdfs": pass\n'
        "if kind == DICOM_SERIES.key: pass\n"
        "if kind.create_video: pass\n"
    )
    assert sorted(identity_tests(source)) == ["DICOM_SERIES", "IMAGES", "IMAGE_GROUPS", "PDFS", "VIDEOS"]
