"""pandas tables of manifests: one row per URL, so a user can build a manifest from a table.

Columns: ``kind`` (the manifest key: images, videos, image_groups, ...), ``title``
(single-file items), ``group_title``, ``position`` and ``create_video``
(image groups, image sequences and DICOM series), and ``url``. pandas is an
optional extra (``pip install 'manifest-tools[pandas]'``) and imported only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manifest_tools.conversion import ConversionRefused, group_title_loss
from manifest_tools.errors import ManifestToolsError
from manifest_tools.kinds import CREATE_VIDEO, KINDS_BY_KEY, OBJECT_URL, TITLE
from manifest_tools.losses import Loss
from manifest_tools.model import Manifest, join_pointer, object_url_index

if TYPE_CHECKING:
    import pandas

    from manifest_tools.api import Source

COLUMNS = ("kind", "title", "group_title", "position", "create_video", "url")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ManifestToolsError("this needs pandas: pip install 'manifest-tools[pandas]'") from None
    return pandas


def to_dataframe(manifest: Manifest | Source, *, drop_unsupported: bool = False) -> pandas.DataFrame:
    """One row per URL, in manifest order. Raises ConversionRefused, as ``convert`` does, when the manifest
    holds what the columns cannot carry (metadata blocks, clientMetadata, flags, scenes, groups whose rows
    would join another's), unless ``drop_unsupported``. A path, text, bytes or dict is read as ``convert``
    reads it (SourceError, NotRewritable)."""
    pd = _pandas()
    if not isinstance(manifest, Manifest):
        from manifest_tools.api import load, require_rewritable

        manifest = require_rewritable(load(manifest))
    losses = table_losses(manifest)
    if losses and not drop_unsupported:
        raise ConversionRefused("table", losses, carrier="a table", reported=False)
    left_out = {loss.pointer for loss in losses}  # items (scenes, groups rows would merge); fields are deeper
    rows = []
    for item in manifest.items():
        if item.pointer in left_out:
            continue
        multi = item.kind.multi_file
        for position, (_, url) in enumerate(item.url_fields()):
            rows.append(
                {
                    "kind": item.kind.key,
                    "title": None if multi else item.fields.get(TITLE),
                    "group_title": item.fields.get(TITLE) if multi else None,
                    "position": position if multi else None,
                    "create_video": item.fields.get(CREATE_VIDEO) if item.kind.create_video else None,
                    "url": url,
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))


_CARRIED = frozenset({TITLE, CREATE_VIDEO})
"""The fields besides the URLs that the columns carry (title or group_title, create_video)."""


def table_losses(manifest: Manifest) -> list[Loss]:
    """What the table of ``manifest`` would not hold: top-level keys other than kinds (flags, $schema),
    items with no URL field (scenes, whose files are inside their scene object), groups whose rows would
    join another's (untitled, or titled as one before: as in a CSV), and fields of an item that no column
    carries."""
    data = manifest.data or {}
    losses = [
        Loss(join_pointer(key), f"a table has no column for {key}" if key not in KINDS_BY_KEY else "not an array")
        for key, values in data.items()
        if key not in KINDS_BY_KEY or not isinstance(values, list)
    ]
    for kind, values in manifest.arrays():
        titles: set[str] = set()
        for index, value in enumerate(values):
            pointer = f"/{kind.key}/{index}"
            if not isinstance(value, dict) or kind.scene:
                losses.append(Loss(pointer, f"a table has a row per URL, and this {kind.label} has no URL field"))
                continue
            if kind.multi_file and (merged := group_title_loss(kind, value.get(TITLE), titles, "a table")):
                losses.append(Loss(pointer, merged))
                continue
            for name in value:
                if name not in _CARRIED and object_url_index(name) is None and name != OBJECT_URL:
                    losses.append(Loss(f"{pointer}{join_pointer(name)}", f"a table has no column for {name}"))
    return losses


def _present(value: Any) -> bool:
    return value is not None and value == value  # NaN is the only value not equal to itself


def from_dataframe(frame: pandas.DataFrame, name: str = "<dataframe>", *, drop_unsupported: bool = False) -> Manifest:
    """A Manifest from a table with at least ``kind`` and ``url``; multi-file rows join by group_title, in
    the order of their position (else of the rows). Raises ConversionRefused for a column no manifest field
    is made from and for a multi-file row with no group_title (None, or NaN: the empty cell of a CSV file
    pandas read), unless ``drop_unsupported``."""
    from manifest_tools.api import from_dict

    missing = {"kind", "url"} - set(frame.columns)
    if missing:
        raise ManifestToolsError(f"the table needs the columns {', '.join(sorted(missing))}")
    losses = [
        Loss(str(column), "no manifest field is made from this column")
        for column in frame.columns
        if column not in COLUMNS
    ]
    records = frame.to_dict("records")
    untitled = set()
    for row_number, row in enumerate(records):
        kind = KINDS_BY_KEY.get(str(row["kind"]))
        if kind is None:
            raise ManifestToolsError(f"row {row_number}: unknown kind {row['kind']!r} (use {', '.join(KINDS_BY_KEY)})")
        if kind.multi_file and not _present(row.get("group_title")):  # NaN is a CSV file's empty cell
            losses.append(Loss(f"row {row_number}", str(group_title_loss(kind, None, set(), "a table"))))
            untitled.add(row_number)
    if losses and not drop_unsupported:
        raise ConversionRefused("manifest", losses, carrier="a manifest", source="table", reported=False)
    data: dict[str, list[dict[str, Any]]] = {}
    groups: dict[tuple[str, Any], list[tuple[Any, int, str]]] = {}
    group_create: dict[tuple[str, Any], Any] = {}
    for row_number, row in enumerate(records):
        if row_number in untitled:
            continue
        kind = KINDS_BY_KEY[str(row["kind"])]
        if not kind.multi_file:
            item: dict[str, Any] = {OBJECT_URL: row["url"]}
            if _present(row.get("title")):
                item[TITLE] = row["title"]
            data.setdefault(kind.key, []).append(item)
            continue
        key = (kind.key, row.get("group_title"))
        if key not in groups:
            groups[key] = []
            data.setdefault(kind.key, []).append({})
        position = row.get("position")
        groups[key].append((position if _present(position) else row_number, row_number, row["url"]))
        if _present(row.get("create_video")):
            group_create.setdefault(key, bool(row["create_video"]))
    for (kind_key, title), frames in groups.items():
        item = next(i for i in data[kind_key] if not i)
        if _present(title):
            item[TITLE] = title
        if KINDS_BY_KEY[kind_key].create_video:
            item[CREATE_VIDEO] = group_create.get((kind_key, title), False)
        for position, (_, _, url) in enumerate(sorted(frames)):
            item[f"{OBJECT_URL}_{position}"] = url
    return from_dict(dict(data), name)
