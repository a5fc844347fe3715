"""What a target cannot carry, listed compactly.

A conversion of 500,000 items may lose 800,000 fields (metadata CSV has no column for), and
most are the same fields of item after item. Each of those is kept as a run (the kind, the
items' indices, the fields once) rather than as an object with its own pointer string: the
list costs bytes per item, not per loss, and a reporter can locate and print a run at once
(:mod:`manifest_tools.loss_lines`). Read as a sequence, it yields every loss one by one.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload


@dataclass(frozen=True, slots=True)
class Loss:
    """Something the target format cannot carry, at a JSON pointer of the source."""

    pointer: str
    message: str


FieldFound = tuple[tuple[str, str], ...]
"""(escaped pointer token, message) of each field of an item that is lost, in the item's key order."""


@dataclass(frozen=True, slots=True)
class FieldLosses:
    """The same fields (``found``) lost from each item of array ``owner`` at ``indices`` (ascending):
    the losses ``/owner/index/token`` item by item, each item's in ``found``'s order."""

    owner: str
    indices: Sequence[int]
    found: FieldFound

    def __len__(self) -> int:
        return len(self.indices) * len(self.found)

    def __iter__(self) -> Iterator[Loss]:
        owner, found = self.owner, self.found
        for index in self.indices:
            pointer = f"/{owner}/{index}/"
            for token, message in found:
                yield Loss(pointer + token, message)


Part = Loss | FieldLosses


class LossList(Sequence[Loss]):
    """Losses in order, kept as single :class:`Loss` objects and :class:`FieldLosses` runs (``parts``)."""

    __slots__ = ("_length", "parts")

    def __init__(self, losses: Iterable[Loss] = ()) -> None:
        self.parts: list[Part] = list(losses)
        self._length = len(self.parts)

    def append(self, loss: Loss) -> None:
        self.parts.append(loss)
        self._length += 1

    def extend(self, losses: Iterable[Loss]) -> None:
        if isinstance(losses, LossList):
            self.parts += losses.parts
            last = self.parts[-1] if self.parts else None
            if isinstance(last, FieldLosses) and isinstance(last.indices, array):
                # add_fields grows a list's last run in place: the two lists must not share it
                self.parts[-1] = FieldLosses(last.owner, array("q", last.indices), last.found)
            self._length += len(losses)
        else:
            for loss in losses:
                self.append(loss)

    def __iadd__(self, losses: Iterable[Loss]) -> LossList:
        self.extend(losses)
        return self

    def add_fields(self, owner: str, index: int, found: FieldFound) -> None:
        """The fields ``found`` of item ``index`` of ``owner`` (after any item before it): joins the last run
        when it lost the same fields (``found`` tuples are shared per item shape, so compared by identity)."""
        last = self.parts[-1] if self.parts else None
        if isinstance(last, FieldLosses) and last.found is found and last.owner == owner:
            indices = last.indices
            if isinstance(indices, array):
                indices.append(index)
                self._length += len(found)
                return
        self.parts.append(FieldLosses(owner, array("q", (index,)), found))
        self._length += len(found)

    def add_run(self, owner: str, indices: Sequence[int], found: FieldFound) -> None:
        """The fields ``found`` of every item at ``indices`` (a ``range`` costs nothing per item)."""
        if indices and found:
            self.parts.append(FieldLosses(owner, indices, found))
            self._length += len(indices) * len(found)

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Loss]:
        for part in self.parts:
            if isinstance(part, Loss):
                yield part
            else:
                yield from part

    @overload
    def __getitem__(self, index: int) -> Loss: ...

    @overload
    def __getitem__(self, index: slice) -> list[Loss]: ...

    def __getitem__(self, index: int | slice) -> Loss | list[Loss]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("loss index out of range")
        for part in self.parts:
            if isinstance(part, Loss):
                if index == 0:
                    return part
                index -= 1
            elif index < len(part):
                item, field = divmod(index, len(part.found))
                token, message = part.found[field]
                return Loss(f"/{part.owner}/{part.indices[item]}/{token}", message)
            else:
                index -= len(part)
        raise AssertionError("unreachable: the length counts every part")

    def __add__(self, other: Iterable[Loss]) -> list[Loss]:
        """A list, as ``list + list`` gives (a plan's losses were a list before they were runs)."""
        return [*self, *other]

    def __radd__(self, other: Iterable[Loss]) -> list[Loss]:
        return [*other, *self]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (LossList, list, tuple)):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
    """Unhashable, as a list: it changes while a plan is built."""

    def __repr__(self) -> str:
        return f"LossList({list(self)!r})"
