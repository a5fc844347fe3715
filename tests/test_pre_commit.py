"""The pre-commit hooks, run by the real pre-commit in a scratch git repository."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
URL = "https://acme.s3.eu-west-2.amazonaws.com"


def _selected(path: str) -> bool:
    hook = HOOKS["manifest-lint"]
    extension_ok = path.lower().rsplit(".", 1)[-1] in hook["types_or"]
    return extension_ok and re.search(hook["files"], path) is not None


@pytest.mark.parametrize(
    "path",
    [
        "batch-07.manifest.json",
        "uploads/encord_manifest.csv",
        "manifests/batch-07.json",
        "data/manifest/frames.csv",
        "Manifest.JSON",
        "a/b/manifests/c/d.json",
    ],
)
def test_hooks_select_manifests(path: str) -> None:
    assert _selected(path)


@pytest.mark.parametrize(
    "path",
    [
        "package.json",
        "tsconfig.json",
        ".vscode/settings.json",
        "data/table.csv",
        "manifest.yaml",
        "manifests.md",
        "src/manifest_tools/api.py",
    ],
)
def test_hooks_leave_other_files_alone(path: str) -> None:
    assert not _selected(path)


def test_both_hooks_share_their_settings() -> None:
    lint, fix = HOOKS["manifest-lint"], HOOKS["manifest-fix"]
    assert lint["files"] == fix["files"] and lint["types_or"] == fix["types_or"] == ["json", "csv"]
    assert lint["language"] == fix["language"] == "python" and lint["require_serial"] and fix["require_serial"]


def test_the_fix_hooks_description_says_each_way_it_fails(tmp_path: Path) -> None:
    """The hook fails (exit 1) on a file it changed and on one it left alone whose errors it cannot fix; a
    description naming only the first tells a user a refused commit had nothing to do with them."""
    from click.testing import CliRunner

    from manifest_tools.cli import main

    path = tmp_path / "m.manifest.json"
    broken = f'{{\n  "images": [\n    {{"objectUrl": "{URL}/a.txt"}}\n  ]\n}}\n'  # canonical, MT402 unfixable
    path.write_text(broken)
    done = CliRunner().invoke(main, [*HOOKS["manifest-fix"]["entry"].split()[1:], str(path)])
    assert (done.exit_code, path.read_text()) == (1, broken), done.output
    description = HOOKS["manifest-fix"]["description"]
    assert "when it changed a file" in description and "errors" in description and "cannot fix" in description


def test_hooks_declare_the_pre_commit_version_that_knows_types_or() -> None:
    """pre-commit before 2.9.0 (its changelog: "Add `types_or`") would ignore types_or and run on every file."""
    from pre_commit.clientlib import load_manifest

    for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml")):  # pre-commit's own validation
        if hook.get("types_or"):
            minimum = tuple(int(part) for part in hook["minimum_pre_commit_version"].split("."))
            assert minimum >= (2, 9, 0), hook["id"]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


def test_real_pre_commit_refuses_broken_manifests_and_fixes_fixable_ones(tmp_path: Path) -> None:
    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    repo = tmp_path / "project"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PRE_COMMIT_COLOR": "never"}
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "test@example.invalid")
    _git(repo, "config", "user.name", "test")
    hooks = "  hooks:\n  - id: manifest-lint\n  - id: manifest-fix\n"
    (repo / ".pre-commit-config.yaml").write_text(f"repos:\n- repo: {ROOT}\n  rev: {revision.stdout.strip()}\n{hooks}")
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True, capture_output=True)

    def commit(name: str, text: str) -> subprocess.CompletedProcess[str]:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
        _git(repo, "add", "-A")
        return subprocess.run(["git", "commit", "-qm", name], cwd=repo, env=env, capture_output=True, text=True)

    broken = commit("uploads/batch.manifest.json", '{"images": [{"objectUrl": "cloud-path-to-your-image-1"}]}\n')
    assert broken.returncode != 0
    assert "uploads/batch.manifest.json:1:27: MT307" in broken.stdout + broken.stderr

    fixable = '{"images": [{"objectUrl": "' + URL + '/a.jpg", "title": " a.jpg"},]}\n'
    refused = commit("uploads/batch.manifest.json", fixable)
    assert refused.returncode != 0, "the trailing comma is an error and fix rewrites the file"
    fixed = (repo / "uploads" / "batch.manifest.json").read_text()
    assert fixed == '{\n  "images": [\n    {"title": "a.jpg", "objectUrl": "' + URL + '/a.jpg"}\n  ]\n}\n'
    _git(repo, "add", "-A")
    accepted = subprocess.run(["git", "commit", "-qm", "fixed"], cwd=repo, env=env, capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    other = commit("package.json", '{"name": "not a manifest", "version": "1.0.0"}\n')
    assert other.returncode == 0, "files that are not manifests are not checked"
