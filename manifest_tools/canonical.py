"""The canonical form every writer emits: fixed key order, camelCase metadata.

Top level: kinds in ``KINDS`` order, then the flags, then anything unknown (kept,
so that normalising never loses data). Inside an item: title, createVideo,
objectUrl or objectUrl_0..N in numeric order, the metadata block (fields in the
table's order, camelCase), clientMetadata, then unknown fields.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import itemgetter
from typing import Any, TypeVar

from manifest_tools.kinds import (
    CLIENT_METADATA,
    CREATE_VIDEO,
    FLAG_NAMES,
    KINDS,
    KINDS_BY_KEY,
    OBJECT_URL,
    SCENE,
    SCHEMA_KEY,
    TITLE,
    Kind,
    MetadataBlock,
)
from manifest_tools.model import object_url_index, run_shape

T = TypeVar("T")
_MAX_CACHED_SHAPES = 10_000
_item_orders: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
_metadata_renames: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}


def _per_shape(
    cache: dict[tuple[str, tuple[str, ...]], T],
    owner: str,
    keys: tuple[str, ...],
    compute: Callable[[tuple[str, ...]], T],
) -> T:
    """``compute(keys)``, remembered per (owner, keys) shape up to a bound."""
    shape = (owner, keys)
    found = cache.get(shape)
    if found is None:
        found = compute(keys)
        if len(cache) < _MAX_CACHED_SHAPES:
            cache[shape] = found
    return found


def _metadata_plan(block: MetadataBlock, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(source key, canonical key) pairs, in canonical order, for a block with these keys; none when
    the keys are canonical already (names, spelling and order)."""
    plan: list[tuple[str, str]] = []
    taken: set[str] = set()
    for field in block.fields:
        for name in (field.name, field.snake):
            if name is not None and name in keys and field.name not in taken:
                plan.append((name, field.name))
                taken.add(field.name)
    plan += [(key, key) for key in keys if block.field(key) is None and key not in taken]
    if [target for _, target in plan] == list(keys) and all(source == target for source, target in plan):
        return ()
    return tuple(plan)


def metadata_plan(block: MetadataBlock, keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(source key, canonical key) pairs, in canonical order, of a block with these keys (remembered per
    shape); none when the keys are canonical already: :func:`canonical_metadata` is those values so named."""
    return _per_shape(_metadata_renames, block.key, keys, lambda keys: _metadata_plan(block, keys))


def canonical_metadata(block: MetadataBlock, values: dict[str, Any]) -> dict[str, Any]:
    """The block with camelCase names in the table's order; unknown fields kept at the end.

    A block already in that form is returned itself, not copied (see :func:`canonical_item`).
    """
    keys = tuple(values)
    plan = _per_shape(_metadata_renames, block.key, keys, lambda keys: _metadata_plan(block, keys))
    if not plan:
        return values
    return {target: values[source] for source, target in plan}


def canonical_metadata_run(block: MetadataBlock, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``canonical_metadata`` of each block (plain dicts); a run of one shape is renamed by C-level maps."""
    shapes = set(map(tuple, blocks))
    if len(shapes) != 1:
        return [canonical_metadata(block, values) for values in blocks]
    (keys,) = shapes
    plan = _per_shape(_metadata_renames, block.key, keys, lambda keys: _metadata_plan(block, keys))
    if not plan:
        return blocks
    targets, picker = _renamer(plan)
    return list(map(dict, map(zip, repeat(targets), map(picker, blocks))))


def _item_order(kind: Kind, keys: tuple[str, ...]) -> tuple[str, ...]:
    order = [key for key in (TITLE, CREATE_VIDEO, OBJECT_URL, SCENE) if key in keys]
    numbered = sorted((n, k) for k in keys if (n := object_url_index(k)) is not None)
    order += [key for _, key in numbered]
    if kind.metadata is not None and kind.metadata.key in keys:
        order.append(kind.metadata.key)
    if CLIENT_METADATA in keys:
        order.append(CLIENT_METADATA)
    placed = set(order)
    canonical = tuple(order + [key for key in keys if key not in placed])
    return () if canonical == keys else canonical  # none: the keys are in canonical order already


def canonical_item(kind: Kind, fields: dict[str, Any]) -> dict[str, Any]:
    """An item's fields in canonical order (see the module docstring).

    Generated manifests have few distinct item shapes, so the order is worked out
    once per shape (kind and key tuple) and cached. An item already canonical is
    returned itself rather than copied (writing a manifest must not hold a second
    copy of it): callers serialise the result and never change it.
    """
    keys = tuple(fields)
    order = _per_shape(_item_orders, kind.key, keys, lambda keys: _item_order(kind, keys))
    block = kind.metadata
    metadata = fields.get(block.key) if block is not None else None
    ordered_metadata = canonical_metadata(block, metadata) if block is not None and isinstance(metadata, dict) else None
    if not order and ordered_metadata is metadata:
        return fields
    result = {key: fields[key] for key in order or keys}
    if ordered_metadata is not None:
        assert block is not None
        result[block.key] = ordered_metadata
    return result


def canonical_items(kind: Kind, values: list[Any]) -> list[Any]:
    """``canonical_item`` of every object in ``values`` (other elements kept as they are), in one loop.

    The same result as calling :func:`canonical_item` per element, for a fraction of its cost on
    half a million items: the usual item's shape (and its metadata block's) was seen before, so it
    is kept as it is, or its keys are picked in the remembered order and renamed at C speed.
    """
    return _canonical_items(kind, values, _RunShapes(kind, values))


def _canonical_items(kind: Kind, values: list[Any], shapes: _RunShapes) -> list[Any]:
    """:func:`canonical_items`, the run's shapes worked out already (``canonical_run`` asks them too)."""
    uniform = _uniform_items(kind, values, shapes)
    if uniform is not None:
        return uniform
    orders, renames = _item_orders, _metadata_renames
    block = kind.metadata
    block_key = block.key if block is not None else ""
    owner = kind.key
    result_list: list[Any] = []
    append = result_list.append
    for value in values:
        if type(value) is not dict:
            append(canonical_item(kind, value) if isinstance(value, dict) else value)
            continue
        order = orders.get((owner, tuple(value)))
        metadata = value.get(block_key) if block is not None else None
        if type(metadata) is dict:
            plan = renames.get((block_key, tuple(metadata)))
        else:
            plan = None if isinstance(metadata, dict) else ()
        if order is None or plan is None:
            append(canonical_item(kind, value))  # a shape not seen before (or a dict subclass)
            continue
        if not order and not plan:
            append(value)  # canonical already
            continue
        result = dict(zip(order, _picker(order)(value), strict=True)) if order else dict(value)
        if plan:
            targets, picker = _renamer(plan)
            result[block_key] = dict(zip(targets, picker(metadata), strict=True))
        append(result)
    return result_list


def canonical_run(kind: Kind, values: list[Any]) -> tuple[list[Any], tuple[tuple[str, str], ...]]:
    """:func:`canonical_items` of ``values``, except that a run of one shape whose metadata blocks differ
    from canonical only in names (snake_case, in the table's order) keeps its blocks as they are and
    returns the renames (source name, canonical name) for the writer to make in the encoded text, where
    they cost nothing per item; no renames otherwise."""
    shapes = _RunShapes(kind, values)
    renames = _renamed_in_place(kind, values, shapes)
    if renames is None:
        return _canonical_items(kind, values, shapes), ()
    assert shapes.items is not None  # renames are made only for a run of one shape
    order = _per_shape(_item_orders, kind.key, shapes.items, lambda keys: _item_order(kind, keys))
    if not order:
        return list(values), renames
    return list(map(dict, map(zip, repeat(order), map(_picker(order), values)))), renames


def canonical_order(kind: Kind, values: list[Any]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]] | None:
    """For a run of plain dicts of one shape whose metadata blocks, if any, are plain dicts of one shape:
    the keys in canonical order, and the metadata block's (source name, canonical name) pairs in canonical
    order (none when the blocks are canonical already, or there are none), so that a writer can take each
    item's values in that order instead of building a dict per item (:func:`canonical_item` of each item
    is those values under those names); None for any other run."""
    shapes = _RunShapes(kind, values)
    keys = shapes.items
    if keys is None:
        return None
    order = _per_shape(_item_orders, kind.key, keys, lambda keys: _item_order(kind, keys)) or keys
    block = kind.metadata
    if block is None or not shapes.has_blocks:
        return order, ()
    metadata_keys = shapes.metadata()[1]
    if metadata_keys is None:
        return None
    return order, metadata_plan(block, metadata_keys)


class _RunShapes:
    """A run's item shape (``model.run_shape``) and its metadata blocks' shape, each worked out once when first
    asked: ``canonical_run`` and ``canonical_items`` both ask (a tuple of keys per item each time)."""

    def __init__(self, kind: Kind, values: list[Any]) -> None:
        self.values = values
        self.block = kind.metadata
        self.items = run_shape(values)
        self._metadata: list[Any] | None = None
        self._metadata_keys: tuple[str, ...] | None = None

    @property
    def has_blocks(self) -> bool:
        """Whether the run is of one shape that holds its kind's metadata block."""
        return self.block is not None and self.items is not None and self.block.key in self.items

    def metadata(self) -> tuple[list[Any], tuple[str, ...] | None]:
        """The run's metadata blocks and their one shape (None when they are not plain dicts of one shape)."""
        assert self.block is not None
        if self._metadata is None:
            self._metadata = list(map(itemgetter(self.block.key), self.values))
            self._metadata_keys = run_shape(self._metadata)
        return self._metadata, self._metadata_keys


def _renamed_in_place(kind: Kind, values: list[Any], shapes: _RunShapes) -> tuple[tuple[str, str], ...] | None:
    """The renames of :func:`canonical_run`, or None when the run is not of that kind."""
    block = kind.metadata
    if block is None or not shapes.has_blocks:
        return None
    keys = shapes.metadata()[1]
    if keys is None:
        return None
    plan = _per_shape(_metadata_renames, block.key, keys, lambda keys: _metadata_plan(block, keys))
    if not plan or tuple(source for source, _ in plan) != keys:  # not only names: reordered, or canonical
        return None
    return tuple((source, target) for source, target in plan if source != target)


def _uniform_items(kind: Kind, values: list[Any], shapes: _RunShapes) -> list[Any] | None:
    """:func:`canonical_items` of a run of plain dicts of one shape (and, if any, one metadata shape), or
    None for any other run: the usual chunk of a generated manifest is reordered with no Python step per
    item but the metadata block's assignment."""
    keys = shapes.items
    if keys is None:
        return None
    order = _per_shape(_item_orders, kind.key, keys, lambda keys: _item_order(kind, keys))
    block = kind.metadata
    plan: tuple[tuple[str, str], ...] = ()
    metadata: list[Any] = []
    if block is not None and shapes.has_blocks:
        metadata, metadata_keys = shapes.metadata()
        if metadata_keys is None:
            return None
        plan = _per_shape(_metadata_renames, block.key, metadata_keys, lambda keys: _metadata_plan(block, keys))
    if not order and not plan:
        return list(values)  # canonical already: the items themselves
    result = list(map(dict, map(zip, repeat(order), map(_picker(order), values)))) if order else list(map(dict, values))
    if plan:
        assert block is not None
        targets, picker = _renamer(plan)
        key = block.key
        for item, renamed in zip(result, map(dict, map(zip, repeat(targets), map(picker, metadata))), strict=True):
            item[key] = renamed
    return result


def _picker(keys: tuple[str, ...]) -> Any:
    """``itemgetter(*keys)`` (always a tuple: keys has two or more), remembered per key tuple."""
    picker = _pickers.get(keys)
    if picker is None:
        picker = itemgetter(*keys) if len(keys) > 1 else lambda mapping: (mapping[keys[0]],)
        if len(_pickers) < _MAX_CACHED_SHAPES:
            _pickers[keys] = picker
    return picker


def _renamer(plan: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], Any]:
    """The canonical names of a metadata plan, and a picker of the source values in that order (remembered)."""
    found = _renamers.get(plan)
    if found is None:
        found = tuple(target for _, target in plan), _picker(tuple(source for source, _ in plan))
        if len(_renamers) < _MAX_CACHED_SHAPES:
            _renamers[plan] = found
    return found


_renamers: dict[tuple[tuple[str, str], ...], tuple[tuple[str, ...], Any]] = {}


_pickers: dict[tuple[str, ...], Any] = {}
"""itemgetter of each cached item order (orders have at least two keys: one key is always canonical)."""


def canonical_top_level(data: dict[str, Any]) -> dict[str, Any]:
    """The manifest's top-level keys in canonical order, each kind's array as it is (items not reordered)."""
    result: dict[str, Any] = {SCHEMA_KEY: data[SCHEMA_KEY]} if SCHEMA_KEY in data else {}
    for kind in KINDS:
        if kind.key in data:
            result[kind.key] = data[kind.key]
    for flag in FLAG_NAMES:
        if flag in data:
            result[flag] = data[flag]
    for key, value in data.items():
        if key not in KINDS_BY_KEY:
            result.setdefault(key, value)
    return result


def canonical_manifest(data: dict[str, Any]) -> dict[str, Any]:
    """The whole manifest in canonical order; non-object items are kept as they are."""
    return {
        key: canonical_items(KINDS_BY_KEY[key], value) if key in KINDS_BY_KEY and isinstance(value, list) else value
        for key, value in canonical_top_level(data).items()
    }
