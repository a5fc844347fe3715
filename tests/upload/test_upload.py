"""upload: the real encord SDK against the stand-in API (standin.py) on 127.0.0.1.

The stand-in is not the platform: it implements the three endpoints the SDK calls for a
folder upload, with bodies from the SDK's models, and fails, throttles or holds jobs on
request.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import manifest_tools
from manifest_tools.cli import main
from manifest_tools.uploads.run import UploadOptions
from manifest_tools.uploads.state import UploadError
from tests.upload.conftest import StandIn
from tests.upload.standin import FOLDER

B = "https://b.s3.eu-west-2.amazonaws.com"
MANIFEST = f"""{{
  "images": [
    {{"objectUrl": "{B}/a.jpg"}},
    {{"objectUrl": "{B}/b.jpg", "title": "bee"}},
    {{"objectUrl": "{B}/c.jpg"}}
  ],
  "image_groups": [
    {{"title": "g1", "createVideo": false, "objectUrl_0": "{B}/g/1.jpg", "objectUrl_1": "{B}/g/2.jpg"}}
  ],
  "videos": [
    {{"objectUrl": "{B}/v.mp4"}}
  ],
  "skip_duplicate_urls": true
}}
"""
ORDER = [f"{B}/a.jpg", f"{B}/b.jpg", f"{B}/c.jpg", f"{B}/g/1.jpg", f"{B}/g/2.jpg", f"{B}/v.mp4"]
"""The URLs in the order the parts hold them: the file's (split keeps it), items in order."""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.json").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def args(standin: StandIn, *extra: str) -> list[str]:
    return [
        "upload",
        "m.json",
        "--folder",
        FOLDER,
        "--domain",
        standin.url,
        "--max-items",
        "2",
        "--poll-seconds",
        "1",
        *extra,
    ]


def run(standin: StandIn, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args(standin, *extra))
    return result.exit_code, result.stdout, result.stderr


def state(workdir: Path) -> dict[str, Any]:
    return json.loads((workdir / "m.upload-state.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def statuses(workdir: Path) -> list[str]:
    return [part["status"] for part in state(workdir)["parts"]]


def sent_urls(standin: StandIn) -> list[str]:
    return [url for start in standin.log()["starts"] for url in start["urls"]]


def line_of(url: str) -> int:
    return next(number for number, line in enumerate(MANIFEST.splitlines(), 1) if f'"{url}"' in line)


def test_all_parts_succeed(workdir: Path, standin: StandIn, ssh_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(standin)
    assert code == 0, err
    assert out.strip() == "All checks passed (1 file)."
    starts = standin.log()["starts"]
    assert [s["file_name"] for s in starts] == ["m.part-0001.json", "m.part-0002.json", "m.part-0003.json"]
    assert all(s["ignore_errors"] is True for s in starts)
    assert sent_urls(standin) == ORDER  # every URL once, groups whole, in order
    assert statuses(workdir) == ["done", "done", "done"]
    assert ssh_key.splitlines()[1] not in out + err
    monkeypatch.delenv("ENCORD_SSH_KEY")
    code, out, err = run(standin)  # done: reported again, nothing sent, no key needed
    assert code == 0 and "part 3: done in an earlier run" in err
    assert len(standin.log()["starts"]) == 3


def test_failed_items_at_their_lines_and_the_retry_manifest(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    standin.control(fail_urls=[f"{B}/g/2.jpg", f"{B}/b.jpg"])
    code, out, err = run(standin, "--retry-out", "retry.json", "--output-format", "json")
    assert code == 1, err
    found = [(d["code"], d["line"]) for d in json.loads(out)["diagnostics"]]
    assert found == [("MT911", line_of(f"{B}/b.jpg")), ("MT911", line_of(f"{B}/g/1.jpg"))]
    original = json.loads(MANIFEST)
    assert json.loads((workdir / "retry.json").read_text(encoding="utf-8")) == {
        "images": [original["images"][1]],
        "image_groups": original["image_groups"],
        "skip_duplicate_urls": True,
    }
    assert manifest_tools.lint("retry.json").diagnostics == []


def test_lint_errors_stop_before_anything_is_sent(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    (workdir / "m.json").write_text(MANIFEST.replace('"bee"}', '"bee"},'), encoding="utf-8")
    code, out, err = run(standin)
    assert code == 1
    assert "MT1" in out and "not uploaded" in err
    assert standin.log()["starts"] == [] and not (workdir / "m.upload-state.json").exists()


def test_missing_credentials_exit_2_without_a_traceback(
    workdir: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENCORD_SSH_KEY", raising=False)
    monkeypatch.delenv("ENCORD_SSH_KEY_FILE", raising=False)
    code, _, err = run(standin)
    assert code == 2
    assert "ENCORD_SSH_KEY" in err and "Traceback" not in err
    assert standin.log()["starts"] == []


def test_missing_credentials_write_nothing(workdir: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts folder and the state file were written before the key was looked for, and the message said
    to run the same command again, which could not help until the key is set."""
    monkeypatch.delenv("ENCORD_SSH_KEY", raising=False)
    monkeypatch.delenv("ENCORD_SSH_KEY_FILE", raising=False)
    code, _, err = run(standin)
    assert code == 2 and "ENCORD_SSH_KEY" in err
    assert "run the same command again" not in err
    assert sorted(path.name for path in workdir.iterdir()) == ["m.json"]


@pytest.mark.parametrize(
    ("option", "value", "what"),
    [("--folder", "not-a-uuid", "storage folder"), ("--integration", "1111", "integration")],
)
def test_a_folder_or_integration_that_is_not_a_uuid_is_refused_first(
    workdir: Path, standin: StandIn, ssh_key: str, option: str, value: str, what: str
) -> None:
    """--folder not-a-uuid was not checked: the parts and state file were written, and a second run with
    another --folder failed on the state file ("this upload goes to folder ...") rather than on the bad id."""
    extra = [] if option == "--folder" else [option, value]
    command = args(standin, *extra)
    if option == "--folder":
        command[command.index(FOLDER)] = value
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"manifest-tools: the {what} {value!r} is not a UUID")
    assert len(result.stderr.splitlines()) == 1
    assert sorted(path.name for path in workdir.iterdir()) == ["m.json"]
    assert standin.log()["starts"] == []
    folder, integration = (value, None) if option == "--folder" else (FOLDER, value)
    with pytest.raises(manifest_tools.ConfigError, match=f"^the {what} {value!r} is not a UUID"):
        manifest_tools.upload("m.json", folder, UploadOptions(integration=integration))


def test_a_refused_start_exits_2_keeps_the_state_and_resumes(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    standin.control(faults={"start": [500]})
    code, _, err = run(standin)
    assert code == 2
    assert "part 1: the platform refused to start its job" in err and "run the same command again" in err
    assert statuses(workdir) == ["planned", "planned", "planned"]  # refused: surely not sent
    code, _, err = run(standin)
    assert code == 0, err
    assert standin.log()["refused_starts"] == 1
    assert sent_urls(standin) == ORDER


def test_throttled_polls_are_retried_by_the_sdk(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    standin.control(faults={"poll": [429, 429]})
    code, _, err = run(standin)
    assert code == 0, err
    log = standin.log()
    first_job = log["starts"][0]["job"]
    assert log["polls"].count(first_job) == 3  # two answered 429 (Retry-After: 1), then the state
    assert sent_urls(standin) == ORDER


def test_throttling_beyond_the_retries_exits_and_resumes_polling(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    standin.control(faults={"poll": [429, 429, 429]})
    options = UploadOptions(domain=standin.url, poll_seconds=1, max_retries=1)
    with pytest.raises(UploadError, match=r"part 1: polling job .* failed: RateLimitExceededError"):
        manifest_tools.upload("m.json", FOLDER, options)
    saved = state(workdir)["parts"][0]
    assert (saved["status"], saved["job"]) == ("running", standin.log()["starts"][0]["job"])
    result = manifest_tools.upload("m.json", FOLDER, UploadOptions(domain=standin.url, poll_seconds=1))
    assert result.sent == [] and result.outcome.report.diagnostics == []
    assert standin.log()["starts"][0]["job"] == saved["job"] and len(standin.log()["starts"]) == 1


def _cli(standin: StandIn, key: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ENCORD_SSH_KEY": key}
    command = [sys.executable, "-m", "manifest_tools.cli", *args(standin, *extra)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(
    process: subprocess.Popen[bytes], workdir: Path, wanted: list[str], also: Callable[[], bool] = lambda: True
) -> None:
    """SIGKILL the upload (by its PID) as soon as the state file shows ``wanted`` (and ``also`` holds)."""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            path = workdir / "m.upload-state.json"
            if path.exists() and statuses(workdir) == wanted and also():
                break
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()
        assert statuses(workdir) == wanted
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=10)


def test_killed_while_a_job_runs_resumes_without_sending_twice(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    standin.control(hold=[2])  # the second part's job stays PENDING
    _kill_when(_cli(standin, ssh_key), workdir, ["done", "running", "planned"])
    held_job = state(workdir)["parts"][1]["job"]
    standin.control(hold=[])
    code, _, err = run(standin)
    assert code == 0, err
    log = standin.log()
    assert [start["job"] for start in log["starts"]][1] == held_job
    assert sent_urls(standin) == ORDER  # each part sent once, across both runs
    assert statuses(workdir) == ["done", "done", "done"]


def test_killed_while_starting_a_job_asks_before_sending_again(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    standin.control(slow_start=[2])  # the second start request is received but not answered

    # The state says "starting" before the request leaves: kill only once the stand-in has it (on a
    # loaded machine the kill could otherwise come first, and nothing would have been sent).
    def received() -> bool:
        return len(standin.log()["starts"]) == 2

    _kill_when(_cli(standin, ssh_key), workdir, ["done", "starting", "planned"], received)
    code, _, err = run(standin)
    assert code == 2
    assert "part 2: the run stopped while starting its job, so it may have been sent" in err
    assert len(standin.log()["starts"]) == 2
    code, _, err = run(standin, "--resend-unconfirmed")
    assert code == 0, err
    assert [start["file_name"] for start in standin.log()["starts"]] == [
        "m.part-0001.json",
        "m.part-0002.json",
        "m.part-0002.json",  # sent again only because the user said so
        "m.part-0003.json",
    ]


def test_a_changed_manifest_does_not_resume_an_old_state(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    standin.control(faults={"start": [500]})
    assert run(standin)[0] == 2
    (workdir / "m.json").write_text(MANIFEST.replace("c.jpg", "d.jpg"), encoding="utf-8")
    code, _, err = run(standin)
    assert code == 2
    assert "the manifest changed since this upload started" in err
    assert standin.log()["starts"] == []


def test_the_lint_before_the_upload_takes_lints_rule_selection(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    incomplete = f'{{"images": [{{"objectUrl": "{B}/a.jpg", "imageMetadata": {{"mimeType": "image/jpeg"}}}}]}}\n'
    (workdir / "m.json").write_text(incomplete, encoding="utf-8")
    code, out, _ = run(standin)
    assert code == 1 and "MT501" in out
    code, _, err = run(standin, "--ignore", "MT501")
    assert code == 0, err
    assert sent_urls(standin) == [f"{B}/a.jpg"]


def test_an_unreadable_state_file_stops_with_a_sentence(workdir: Path, standin: StandIn, ssh_key: str) -> None:
    (workdir / "m.upload-state.json").write_text('{"parts": 3}', encoding="utf-8")
    code, _, err = run(standin)
    assert code == 2
    assert "m.upload-state.json: not a readable upload state" in err and "Traceback" not in err
    assert standin.log()["starts"] == []
