"""Item positions from the parsed objects' closing braces (``JsonLocator.seed_parsed``) against positions read.

Without the native scanner, the locator takes the top level's arrays of objects from the parsed value: each
item ends at the brace whose place in the text is the item's place among the objects as they closed. Every
span must be the one the locator finds by reading the text element by element, and the text it covers must
start with (stdlib) the value at the pointer: layouts, nesting, escapes, empty arrays and objects, braces
inside strings (the brace order then says nothing and the locator reads instead), elements that are not
objects.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from manifest_tools.model import Position, escape_pointer_token
from manifest_tools.readers import json as json_reader
from manifest_tools.readers import json_locator
from manifest_tools.readers.json_locator import JsonLocator
from manifest_tools.readers.text import BOM

U = "https://b.s3.eu-west-2.amazonaws.com"
NESTED = {"imageMetadata": {"mimeType": "image/jpeg", "fileSize": 1}, "clientMetadata": {"a": [{"b": {}}, [1, {}]]}}
ITEMS = [
    {"objectUrl": f"{U}/a.jpg", "title": "a"},
    {"objectUrl": f"{U}/b.jpg", **NESTED},
    {},
    {"objectUrl": f"{U}/c.jpg", "title": 'caf\u00e9 \u2603 [x] \\ "q" /'},
    {"objectUrl": f"{U}/d.jpg", "clientMetadata": {"k": [], "l": {}}},
]


def _manifest(items: list[Any]) -> dict[str, Any]:
    return {"skip_duplicate_urls": True, "images": items, "videos": [], "image_groups": items[::-1]}


LAYOUTS = [
    lambda v: json.dumps(v),
    lambda v: json.dumps(v, indent=2),
    lambda v: json.dumps(v, indent="\t", ensure_ascii=False).replace("\n", "\r\n"),
    lambda v: json.dumps(v, separators=(",", ":")).replace("/", "\\/"),
    lambda v: BOM + json.dumps(v, indent=1),
]


def _pointers(value: dict[str, Any]) -> list[str]:
    pointers = []
    for key, items in value.items():
        if isinstance(items, list):
            for index, item in enumerate(items):
                pointers.append(f"/{key}/{index}")
                if isinstance(item, dict):
                    pointers.extend(f"/{key}/{index}/{escape_pointer_token(name)}" for name in item)
            pointers.append(f"/{key}/{len(items)}")  # absent: the array's own span
    return pointers


def _seeded(text: str, forget: bool = False) -> JsonLocator:
    """A locator seeded with the text's parse; ``forget``: which it then drops (``forget_parsed``), the parse
    edited after (as a fix would) and dropped, so that only what the locator kept of it can place items."""
    value, closings = json_reader._parse_counted(text, 1 if text.startswith(BOM) else 0)
    locator = JsonLocator(text)
    locator.seed_parsed(value, closings)
    if forget:
        locator.forget_parsed()
        if isinstance(value, dict):
            for member in value.values():
                if isinstance(member, list):
                    member.reverse()
        del value, closings
    return locator


def _covered(text: str, span: tuple[Position, Position]) -> str:
    """The text between two positions (1-based lines, columns in characters)."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    first, last = (starts[p.line - 1] + p.column - 1 for p in span)
    return text[first:last]


_DECODER = json.JSONDecoder()


def _agree(text: str, forget: bool = False) -> None:
    value = json.loads(text.removeprefix(BOM))
    seeded, read = _seeded(text, forget), JsonLocator(text)
    for pointer in _pointers(value):
        span = seeded.span(pointer)
        assert span == read.span(pointer), pointer
        target: Any = value
        for token in pointer.split("/")[1:]:
            if isinstance(target, list):
                if int(token) >= len(target):
                    break
                target = target[int(token)]
            else:
                target = target[token.replace("~1", "/").replace("~0", "~")]
        assert _DECODER.raw_decode(_covered(text, span))[0] == target, pointer  # an item's span runs to the next


@pytest.mark.parametrize("brace_chunk_bits", [None, 4], ids=["chunks", "tiny-chunks"])
@pytest.mark.parametrize("forget", [False, True], ids=["parsed", "parse-forgotten"])
@pytest.mark.parametrize("layout", range(len(LAYOUTS)))
@pytest.mark.parametrize(
    "items",
    [ITEMS, [], ITEMS[:1], ITEMS[1:2] * 4, [*ITEMS, "not an object"], [{"t": "a } brace"}, *ITEMS]],
)
def test_seeded_spans_are_the_spans_read(
    layout: int, items: list[Any], forget: bool, brace_chunk_bits: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closing braces are counted a chunk at a time: with 16-character chunks too (many per item),
    a brace found from its chunk's count is the one the reading finds."""
    if brace_chunk_bits is not None:
        monkeypatch.setattr("manifest_tools.readers.json_locator._BRACE_CHUNK_BITS", brace_chunk_bits)
    _agree(LAYOUTS[layout](_manifest(items)), forget)


@pytest.mark.parametrize("forget", [False, True], ids=["parsed", "parse-forgotten"])
def test_the_arrays_are_seeded_whole_without_reading_an_element(monkeypatch: pytest.MonkeyPatch, forget: bool) -> None:
    """Else the test above compares the reading with itself: the top level's members are read (their
    scalars through the C decoder), the ten items of its two arrays never are (also once the locator
    dropped the parse: what it kept of it places the items)."""
    text = json.dumps(_manifest(ITEMS), indent=2)
    read = []
    scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

    def counted(text: str, offset: int) -> tuple[object, int]:
        read.append(text[offset])
        return scan(text, offset)  # type: ignore[no-any-return]

    monkeypatch.setattr("manifest_tools.readers.json_locator._SCAN_VALUE", counted)
    seeded = _seeded(text, forget).span("/image_groups/4")
    seeded_reads, read[:] = read.count("{"), []
    assert seeded == JsonLocator(text).span("/image_groups/4")
    assert (seeded_reads, read.count("{")) == (0, 2 * len(ITEMS))


def test_a_brace_inside_a_string_turns_the_seeding_off() -> None:
    text = json.dumps(_manifest([{"t": "}"}, *ITEMS]))
    locator = _seeded(text)
    locator.span("/images/1")
    assert locator._closing_count < 0


JSON_VALUES = st.recursive(
    st.none() | st.integers() | st.text(alphabet='ab{}[]"\\/:, \n\u00e9', max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet="ab{}", max_size=2), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(st.text(alphabet="ab/", max_size=3), JSON_VALUES, max_size=4), max_size=6),
    st.sampled_from(range(len(LAYOUTS))),
    st.booleans(),
)
def test_seeded_spans_of_generated_items_are_the_spans_read(
    items: list[dict[str, Any]], layout: int, forget: bool
) -> None:
    _agree(LAYOUTS[layout](_manifest(items)), forget)


def test_positions_are_the_texts_after_the_parsed_data_is_edited(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seeded offsets came from the manifest's data as it was when first asked: a caller who merged a
    misspelt array into the right one (as the MT601/MT202 fixes do) then got a position inside the other."""
    monkeypatch.setattr(json_reader, "strict_json", lambda *_: False)  # the path without the scanner
    text = '{"videos": [\n{"objectUrl": "https://a/1.mp4"},\n{"objectUrl": "https://a/2.mp4"}\n],\n'
    text += '"vidoes": [\n{"objectUrl": "https://a/3.mp4"}\n]}\n'
    edited = json_reader.read_json("m.json", text)
    edited.data["videos"].extend(edited.data.pop("vidoes"))
    fresh = JsonLocator(text)
    for pointer in ("/videos/0", "/videos/1", "/videos/2", "/vidoes/0"):
        assert edited.locator.locate(pointer) == fresh.locate(pointer), pointer


@pytest.mark.parametrize("after", [0, 3, 4, 6, 100], ids=lambda after: f"after-{after}")
def test_an_arrays_places_are_found_from_any_start(after: int) -> None:
    """The forgetting locator looks for each array's first object past the array before it: a start past
    the object (or past every object) still finds it, from the beginning."""
    closings: list[dict[str, Any]] = []

    def kept(obj: dict[str, Any]) -> dict[str, Any]:
        closings.append(obj)
        return obj

    value = json.loads('{"a": [{"x": {}}, {"x": {}}, {"x": {}}], "b": [{"y": 1}, {"y": 2}]}', object_hook=kept)
    assert list(json_locator._places(value["b"], closings, after) or ()) == [6, 7]
    assert list(json_locator._places(value["a"], closings, after) or ()) == [1, 3, 5]
