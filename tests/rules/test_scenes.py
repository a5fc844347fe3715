"""Scenes against the SDK that defines them, and without it (structural checks and a note)."""

from __future__ import annotations

import json
import warnings

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.kinds import SCENE_FORMATS
from manifest_tools.rules import scenes

COMPOSITE = {
    "scenes": [
        {
            "title": "drive 1",
            "scene": {"lidar": {"type": "point_cloud", "events": [{"timestamp": "soon", "uri": "s3://acme/0.pcd"}]}},
        }
    ]
}


def _sdk_formats() -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from encord.beta.scene.internal import upload

    return list(upload._FORMAT_MAPPING)


def test_scene_formats_are_the_sdks() -> None:
    assert sorted(SCENE_FORMATS) == sorted(_sdk_formats())


def test_the_sdk_checks_composite_scenes_and_no_note_is_needed() -> None:
    report = manifest_tools.lint(json.dumps(COMPOSITE))
    assert [d.code for d in report] == ["MT223"]
    assert "timestamp" in report.diagnostics[0].message
    assert report.notes == []


def test_without_the_sdk_structure_only_and_the_summary_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scenes, "scene_validator", lambda: None)
    report = manifest_tools.lint(json.dumps(COMPOSITE))
    assert report.diagnostics == []
    assert report.notes == [scenes.DEEP_CHECK_NOTE]
    result = CliRunner().invoke(main, ["lint", "-"], input=json.dumps(COMPOSITE))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"note: {scenes.DEEP_CHECK_NOTE}"
    broken = {"scenes": [{"title": "a", "scene": {"lidar": {"type": "pointcloud", "events": []}}}]}
    assert [d.code for d in manifest_tools.lint(json.dumps(broken))] == ["MT223"]


def test_self_contained_scenes_need_no_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scenes, "scene_validator", lambda: None)
    manifest = {"scenes": [{"title": "a", "scene": {"url": "s3://acme/a.mcap", "format": "mcap"}}]}
    report = manifest_tools.lint(json.dumps(manifest))
    assert report.diagnostics == [] and report.notes == []


def test_sdk_payload_of_scenes_is_valid_for_the_sdk() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from encord.orm.storage import DataUploadItems

    manifest = {
        "scenes": [{"title": "a", "scene": {"url": "s3://acme/a.mcap", "format": "mcap"}, "clientMetadata": {"k": 1}}],
        "images": [{"objectUrl": "https://acme.s3.eu-west-2.amazonaws.com/a.jpg"}],
    }
    payload = json.loads(manifest_tools.convert(json.dumps(manifest), "sdk").text)
    items = DataUploadItems.model_validate(payload)
    assert [scene.title for scene in items.scenes] == ["a"]
    assert items.scenes[0].scene == {"url": "s3://acme/a.mcap", "format": "mcap"}
    assert items.scenes[0].client_metadata == {"k": 1}


def test_a_manifest_without_scenes_never_loads_the_sdk() -> None:
    """The SDK takes most of a second to import: a pre-commit hook on images must not pay it."""
    import subprocess
    import sys

    code = (
        "import sys, manifest_tools;"
        ' manifest_tools.lint(\'{"images": [{"objectUrl": "https://b.s3.eu-west-2.amazonaws.com/a.jpg"}]}\');'
        " print('encord' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


PLAIN_URLS = ["s3://acme/drive/run.{f}", "gs://acme/run.{f}?v=1", "https://acme.r2.dev/a/run.{f}", "s3://acme/no-ext"]


@pytest.mark.parametrize("fmt", SCENE_FORMATS)
@pytest.mark.parametrize("url", PLAIN_URLS)
def test_the_sdk_accepts_every_plain_scene_file_so_lint_need_not_load_it(url: str, fmt: str) -> None:
    """Lint skips the SDK for exactly {url: str, format: known}: the SDK must find nothing in one."""
    scene = {"url": url.format(f=fmt), "format": fmt}
    assert scenes._plain_scene_file(scene)
    validate = scenes.scene_validator()
    assert validate is not None
    assert validate(scene, "/scenes/0/scene") == []


@pytest.mark.parametrize(
    "scene",
    [
        {"url": "s3://acme/a.mcap", "format": "mcap", "extra": 1},
        {"url": 1, "format": "mcap"},
        {"url": "s3://acme/a.mcap", "format": "MCAP"},
        {"content": {"url": "s3://acme/a.mcap", "format": "mcap"}},
    ],
)
def test_anything_else_is_not_a_plain_scene_file(scene: dict[str, object]) -> None:
    assert not scenes._plain_scene_file(scene)


def test_plain_scene_files_never_load_the_sdk() -> None:
    import subprocess
    import sys

    manifest = {"scenes": [{"title": "a", "scene": {"url": "s3://acme/a.mcap", "format": "mcap"}}]}
    code = f"import sys, manifest_tools; manifest_tools.lint({json.dumps(manifest)!r}); print('encord' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_sdk_check_leaves_the_scene_as_it_was() -> None:
    """The SDK's model adds ``"type": "simple"`` to the intrinsics it validates: the check must not."""
    validate = scenes.scene_validator()
    assert validate is not None
    camera = {
        "type": "camera_parameters",
        "events": [{"timestamp": 0, "width_px": 4, "height_px": 3, "intrinsics": {"fx": 1, "fy": 1, "ox": 2, "oy": 1}}],
    }
    scene = {"content": {"front": {"type": "image", "camera": "cam", "events": []}, "cam": camera}}
    before = json.loads(json.dumps(scene))
    assert validate(scene, "/scenes/0/scene") == []
    assert scene == before
