"""The hot loops make Findings and Diagnostics with ``fast_constructor``: what it makes must be what the class
makes (equal, same hash, frozen, a dataclass ``replace`` takes, the same repr), or a report would differ."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable

import pytest

from manifest_tools.report.diagnostic import Diagnostic, Finding, Severity, new_diagnostic, new_finding

VALUES = [
    (
        Diagnostic,
        new_diagnostic,
        ("MT303", Severity.WARNING, "m", "a.json", 1, 2, "/images/0/objectUrl", None, 1, 9, "", "n"),
    ),
    (Finding, new_finding, ("MT303", "the URL uses http", "/images/0/objectUrl", False, (1, 2, 1, 9))),
]


@pytest.mark.parametrize(("cls", "make", "values"), VALUES, ids=["Diagnostic", "Finding"])
def test_fast_made_objects_are_the_class_objects(
    cls: Callable[..., Diagnostic | Finding], make: Callable[..., Diagnostic | Finding], values: tuple[object, ...]
) -> None:
    made, expected = make(*values), cls(*values)
    assert type(made) is cls and made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.pointer = "/other"  # type: ignore[misc]
    assert dataclasses.replace(made, pointer="/x") == dataclasses.replace(expected, pointer="/x")
    assert [getattr(made, f.name) for f in dataclasses.fields(cls)] == list(values)
