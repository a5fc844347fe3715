"""MT223-MT225 scenes: point-cloud and multi-sensor scenes (spec section 8).

A scene item carries a ``scene`` object instead of object URLs: a self-contained
scene file ``{"url", "format"}``, or a composite scene of streams, optionally
wrapped as ``{"content", "worldConvention", "cameraConvention"}``. The complete
model is the SDK's ``InputScene`` (pydantic, in the internal module
``encord.beta.scene.internal.upload``; tested with ``encord`` 0.1.211). When
the SDK is installed (``pip install 'manifest-tools[encord]'``) every composite
scene is validated with it and each pydantic error is mapped back to a JSON
pointer, so to a line and column; without it the checks here are structural,
and the run's summary says so.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from manifest_tools.codes import Code
from manifest_tools.kinds import SCENE, SCENE_CONTENT, SCENE_FORMATS, SCENE_URI_KEYS, SCENES, file_extension
from manifest_tools.model import Manifest, join_pointer
from manifest_tools.report.diagnostic import Finding
from manifest_tools.rules.placeholders import url_placeholder
from manifest_tools.rules.registry import CheckContext, register, rule

_S3 = "s3://acme-drives/2024-05-01"

RULES = [
    rule(
        Code.MT223,
        "scene-invalid",
        "error",
        "A scene object that does not match the SDK's scene model.",
        """A scene is either a scene file {"url": ..., "format": ...} or a composite
        of streams (point clouds, images, camera parameters, frames of reference,
        time series), optionally wrapped as {"content": ..., "worldConvention":
        ...}. With the encord package installed, composite scenes are validated
        against the SDK's own InputScene model; without it, only their structure
        is checked.""",
        '{"scenes": [{"title": "drive 1", "scene": {"lidar": {"type": "pointcloud", "events": []}}}]}',
        f'{{"scenes": [{{"title": "drive 1", "scene": {{"lidar": {{"type": "point_cloud", "events":'
        f' [{{"timestamp": 0, "uri": "{_S3}/0.pcd"}}]}}}}}}]}}',
    ),
    rule(
        Code.MT224,
        "scene-format",
        "error",
        "A scene file format the platform does not read, or one its URL's extension contradicts.",
        f"""Self-contained scenes are one of {", ".join(SCENE_FORMATS)} files; the
        format names how the file is read, so a .ply file declared as pcd fails.""",
        f'{{"scenes": [{{"title": "drive 1", "scene": {{"url": "{_S3}/run.ply", "format": "pcd"}}}}]}}',
        f'{{"scenes": [{{"title": "drive 1", "scene": {{"url": "{_S3}/run.ply", "format": "ply"}}}}]}}',
    ),
    rule(
        Code.MT225,
        "scene-uri",
        "error",
        "A URI inside a scene that is not an absolute s3://, gs:// or https:// URL.",
        """Scene files and stream events are read from cloud storage through the
        integration: s3://bucket/key, gs://bucket/key or https:// URLs (R2 and
        other S3-compatible stores). A relative path or another scheme is never
        found.""",
        '{"scenes": [{"title": "drive 1", "scene": {"url": "drives/run.mcap", "format": "mcap"}}]}',
        f'{{"scenes": [{{"title": "drive 1", "scene": {{"url": "{_S3}/run.mcap", "format": "mcap"}}}}]}}',
    ),
]

STREAM_TYPES = frozenset({"point_cloud", "image", "camera_parameters", "camera", "frame_of_reference", "time_series"})
"""Stream types of a composite scene (the SDK's InputEntityType, with its alias "camera")."""
_SCENE_URI = re.compile(r"(?:s3|gs)://[^/\s]+/\S+|https://[^/\s]+\.[^/\s]+/\S+")
DEEP_CHECK_NOTE = (
    "composite scenes were checked for structure only: pip install 'manifest-tools[encord]' to check them"
    " against the SDK's own scene model"
)


def check_scenes(manifest: Manifest, context: CheckContext) -> Iterator[Finding]:
    if not isinstance((manifest.data or {}).get(SCENES.key), list):
        return  # no scenes: the SDK (a second's import) is never loaded
    for item in manifest.items():
        scene = item.fields.get(SCENE)
        if not item.kind.scene or not isinstance(scene, dict):
            continue  # a missing or mistyped scene is a structure finding (MT205, MT203)
        pointer = f"{item.pointer}/{SCENE}"
        findings = [*_uri_findings(scene, pointer), *_content_findings(scene, pointer)]
        yield from findings
        if _plain_scene_file(scene):
            continue  # fully checked above: the SDK (a second's import) is loaded only for what it adds
        validate = scene_validator()
        if validate is None:
            if not _self_contained(_content(scene)):
                context.notes.add(DEEP_CHECK_NOTE)
            continue
        reported = {finding.pointer for finding in findings}
        yield from (f for f in validate(scene, pointer) if f.pointer not in reported)


def _content(scene: dict[str, Any]) -> Any:
    """The scene's content, inside the optional configuration wrapper."""
    return scene.get(SCENE_CONTENT, scene) if isinstance(scene.get(SCENE_CONTENT), (dict, str)) else scene


def _plain_scene_file(scene: dict[str, Any]) -> bool:
    """True for exactly {"url": str, "format": a known format}: the SDK's model accepts every such scene.

    The checks above already report everything wrong with one (URI, format, extension),
    so loading the SDK for it would only cost time; tests/rules pins the SDK's agreement.
    """
    return len(scene) == 2 and isinstance(scene.get("url"), str) and scene.get("format") in SCENE_FORMATS


def _self_contained(content: Any) -> bool:
    """True for a scene file: a URL string, or {"url", "format"} (as the SDK tells them apart)."""
    return isinstance(content, str) or (isinstance(content, dict) and "url" in content and "format" in content)


def _content_findings(scene: dict[str, Any], pointer: str) -> Iterator[Finding]:
    content = _content(scene)
    if content is not scene:
        pointer += "/" + SCENE_CONTENT
    if isinstance(content, str):
        problem = _uri_problem(content)
        if problem is not None:
            yield Finding(Code.MT225, problem, pointer)
        elif file_extension(content.split("?", 1)[0]) not in SCENE_FORMATS:
            yield Finding(Code.MT224, f"a scene file must be one of {', '.join(SCENE_FORMATS)}", pointer)
        return
    if _self_contained(content):
        yield from _format_findings(content, pointer)
        return
    if not content:
        yield Finding(Code.MT223, "the scene is empty: give a scene file {url, format} or its streams", pointer)
        return
    for name, stream in content.items():
        where = f"{pointer}/{join_pointer(name)[1:]}"
        if not isinstance(stream, dict):
            yield Finding(Code.MT223, f"stream {name!r} must be an object with a type and its events", where)
        elif not isinstance(kind := stream.get("type"), str) or kind not in STREAM_TYPES:
            shown = ", ".join(sorted(STREAM_TYPES - {"camera"}))
            found = (
                f"type {kind!r}" if isinstance(kind, str) else "no type" if kind is None else "a type that is no string"
            )
            yield Finding(Code.MT223, f"stream {name!r} has {found}: use one of {shown}", where)
        elif "events" in stream and not isinstance(stream["events"], list):
            yield Finding(Code.MT223, f"the events of stream {name!r} must be an array", f"{where}/events")


def _format_findings(content: dict[str, Any], pointer: str) -> Iterator[Finding]:
    declared, url = content.get("format"), content.get("url")
    if not isinstance(url, str):
        yield Finding(Code.MT223, "the scene file's url must be a string: s3://bucket/key.mcap ...", f"{pointer}/url")
    if declared not in SCENE_FORMATS:
        yield Finding(
            Code.MT224,
            f"scene format {declared!r} is not one the platform reads: use one of {', '.join(SCENE_FORMATS)}",
            f"{pointer}/format",
        )
        return
    if isinstance(url, str):
        extension = file_extension(url.split("?", 1)[0].rsplit("/", 1)[-1])
        if extension in SCENE_FORMATS and extension != declared:
            yield Finding(
                Code.MT224,
                f"the file is a .{extension} but the format says {declared!r}: make them agree",
                f"{pointer}/format",
            )


def _uri_findings(value: Any, pointer: str) -> Iterator[Finding]:
    """Every file location in the scene, at any depth (scene files, stream events, time series)."""
    if isinstance(value, dict):
        for key, child in value.items():
            where = f"{pointer}/{join_pointer(key)[1:]}"
            if key in SCENE_URI_KEYS and isinstance(child, str):
                problem = _uri_problem(child)
                if problem is not None:
                    yield Finding(Code.MT225, problem, where)
            else:
                yield from _uri_findings(child, where)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _uri_findings(child, f"{pointer}/{index}")


def _uri_problem(uri: str) -> str | None:
    """What is wrong with a file location in a scene, or None."""
    placeholder = url_placeholder(uri)
    if placeholder is not None:
        return placeholder
    return None if _SCENE_URI.fullmatch(uri) else _uri_message(uri)


def _uri_message(uri: str) -> str:
    if uri != uri.strip() or any(c.isspace() for c in uri):
        return f"{uri!r} contains whitespace: encode spaces as %20 and remove the rest"
    if "://" not in uri:
        return f"{uri!r} is not an absolute URL: write s3://bucket/key, gs://bucket/key or an https:// URL"
    scheme = uri.split("://", 1)[0]
    if scheme.lower() in ("s3", "gs", "https"):
        return f"{uri!r} names no object: write {scheme}://bucket/key"
    return f"{scheme}:// is not read in scenes: write s3://bucket/key, gs://bucket/key or an https:// URL"


SceneValidator = Callable[[dict[str, Any], str], list[Finding]]


@functools.cache
def scene_validator() -> SceneValidator | None:
    """The SDK's InputScene as a checker, or None when the SDK (or that internal module) is missing."""
    try:
        with warnings.catch_warnings():  # the SDK's models warn about pydantic deprecations on import
            warnings.simplefilter("ignore")
            import pydantic
            from encord.beta.scene.internal.upload import InputScene
    except Exception:  # not installed, or an SDK whose internal layout moved: structural checks only
        return None

    def validate(scene: dict[str, Any], pointer: str) -> list[Finding]:
        try:
            InputScene.model_validate(_copied(scene))
        except pydantic.ValidationError as error:
            return [_sdk_finding(scene, pointer, detail) for detail in error.errors(include_url=False)]
        except (ValueError, TypeError, RecursionError) as error:  # a validator that raised outside pydantic
            return [Finding(Code.MT223, f"the SDK's scene model refused the scene: {error}", pointer)]
        return []

    return validate


def _copied(value: Any) -> Any:
    """A copy of a parsed JSON value, containers and all: the SDK's model writes into the dicts it
    validates (it adds ``"type": "simple"`` to a camera's ``intrinsics``), and a check must leave the
    manifest it checks as it was, or a fix or convert that checks before it writes writes the model's
    additions. Faster than ``copy.deepcopy``, which a JSON tree does not need (no cycles, no sharing)."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _sdk_finding(scene: dict[str, Any], pointer: str, detail: Any) -> Finding:
    """A pydantic error as a finding at the deepest part of the scene its location names.

    Locations mix the scene's own keys with the model's union tags ('raw', 'streams',
    'point_cloud'): walking the data, a step that is not a key or index of the value
    at hand is a tag and is skipped.
    """
    value: Any = scene
    tokens: list[str] = []
    for step in detail["loc"]:
        if isinstance(value, dict) and isinstance(step, str) and step in value:
            value = value[step]
            tokens.append(step)
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
            tokens.append(str(step))
    message = str(detail["msg"]).removeprefix("Value error, ")
    names = [step for step in detail["loc"] if isinstance(step, str)]
    if detail["type"] == "missing" and names:
        message = f'"{names[-1]}" is missing'
    elif tokens and not tokens[-1].isdigit():
        message = f'"{tokens[-1]}": {message}'
    return Finding(Code.MT223, f"scene: {message}", pointer + (join_pointer(*tokens) if tokens else ""))


register(RULES, [check_scenes])
