"""Every write path on a real file system: missing folders, full devices, symlinks, FIFOs, devices, umask.

Tests run as root, so read-only permissions do not bite: a full disk is a file
size limit (EFBIG) or /dev/full, an unwritable folder is a file where a folder
is expected. Each failure must be one line ``manifest-tools: PATH: reason``,
exit 2, and nothing left behind.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from manifest_tools.cli import main

URL = "https://b.s3.eu-west-2.amazonaws.com"
MANIFEST = (
    '{"images": [' + ", ".join(f'{{"objectUrl": "{URL}/i{i}.jpg", "title": "i{i}.jpg"}}' for i in range(40)) + "]}\n"
)
MESSY = '{"images": [{"objectUrl": "' + URL + '/a.jpg", "title": " a.jpg"},]}\n'


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.json").write_text(MANIFEST)
    return tmp_path


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def cli(*args: str, stdout: int | None = None, limit_bytes: int | None = None) -> subprocess.CompletedProcess[str]:
    """The real console script in a child process: what a shell sees (tracebacks, exit codes, file limits)."""

    def limit() -> None:
        if limit_bytes is not None:  # writes past the limit fail with EFBIG, as on a full disk
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=limit,
    )


def one_failure_line(err: str, expected: str) -> None:
    assert "Traceback" not in err, err
    assert err.strip().splitlines() == [expected]


def test_missing_output_folder_is_one_line_and_exit_two(workdir: Path) -> None:
    for args, shown in [
        (("convert", "m.json", "-o", "nope/x.csv", "--drop-unsupported"), "nope/x.csv"),
        # split --output-dir makes its folder (tests/split/test_split_writes.py)
        (("generate", str(workdir), "-o", "nope/g.json", "--url-base", "https://cdn.example.org"), "nope/g.json"),
    ]:
        code, _, err = run(*args)
        assert code == 2, (args, err)
        assert err.strip().splitlines()[-1].startswith(f"manifest-tools: {shown}: folder does not exist"), err
    assert sorted(p.name for p in workdir.iterdir()) == ["m.json"]


def test_a_file_where_a_folder_is_expected(workdir: Path) -> None:
    code, _, err = run("convert", "m.json", "-o", "m.json/x.csv")
    assert code == 2
    one_failure_line(err, "manifest-tools: m.json/x.csv: a folder in the path is a file")


def test_a_full_disk_leaves_nothing_behind(workdir: Path) -> None:
    media = workdir / "media"
    media.mkdir()
    for number in range(20):
        (media / f"frame{number}.jpg").write_bytes(b"x")
    for args in (
        ("convert", "m.json", "-o", "out.json"),
        ("split", "m.json", "--max-items", "10"),
        ("generate", "media", "-o", "g.json", "--url-base", "https://cdn.example.org"),
    ):
        done = cli(*args, limit_bytes=200)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines()[-1].endswith("file too large for the file system"), done.stderr
        assert sorted(p.name for p in workdir.iterdir()) == ["m.json", "media"], args
        assert len(list(media.iterdir())) == 20
    (workdir / "fix.json").write_text(MESSY)
    done = cli("fix", "fix.json", limit_bytes=40)
    assert done.returncode == 2 and "manifest-tools: fix.json: file too large" in done.stderr, done.stderr
    assert (workdir / "fix.json").read_text() == MESSY
    assert sorted(p.name for p in workdir.iterdir()) == ["fix.json", "m.json", "media"]


@pytest.mark.parametrize(
    "args",
    [
        ("lint", "m.json"),
        ("convert", "m.json", "-o", "-", "--to", "json"),
        ("fix", "-"),
        ("split", "m.json", "--max-items", "9", "--dry-run"),
    ],
)
def test_standard_output_on_a_full_device(workdir: Path, args: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full, open("m.json") as manifest:
        done = subprocess.run(
            [sys.executable, "-m", "manifest_tools.cli", *args],
            stdin=manifest,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2, done.stderr
    one_failure_line(done.stderr, "manifest-tools: <stdout>: no space left on the device")


def test_dev_stdout_is_written_to_not_replaced(workdir: Path) -> None:
    done = cli("convert", "m.json", "-o", "/dev/stdout", "--to", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ObjectUrl,Image title\n")


def test_devices_and_fifos_are_refused(workdir: Path) -> None:
    # A private copy of /dev/null's node: old code replaced the device itself (as root, never test on the real one).
    os.mknod(workdir / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mkfifo(workdir / "pipe.json")
    (workdir / "to-null").symlink_to(workdir / "null")
    for target in ("null", "to-null", "pipe.json", str(workdir)):
        code, _, err = run("convert", "m.json", "-o", target, "--to", "json")
        assert code == 2, err
        assert "not a regular file" in err or "is a folder" in err, err
    assert stat.S_ISCHR(os.stat(workdir / "null").st_mode), "the device node survives"
    assert stat.S_ISFIFO(os.stat(workdir / "pipe.json").st_mode)


@pytest.mark.parametrize("output", ["/dev/stderr", "/dev/fd/1", "/dev/fd/2"])
def test_a_pipe_named_by_dev_fd_is_refused_as_a_fifo_is(workdir: Path, output: str) -> None:
    """``-o /dev/stderr`` on a pipe said "folder does not exist" (the /proc link names ``pipe:[N]``, no path)."""
    done = subprocess.run(
        [sys.executable, "-m", "manifest_tools.cli", "lint", "m.json", "-q", "-o", output],
        capture_output=True,  # both are pipes
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, ""), done
    assert (
        done.stderr
        == f"manifest-tools: {output}: is not a regular file (a FIFO, device or socket); write to a regular file\n"
    )


def test_output_through_a_symlink_writes_its_target(workdir: Path) -> None:
    (workdir / "real").mkdir()
    (workdir / "real" / "out.json").write_text("old")
    (workdir / "link.json").symlink_to(workdir / "real" / "out.json")
    code, _, err = run("convert", "m.json", "-o", "link.json")
    assert code == 0, err
    assert (workdir / "link.json").is_symlink()
    assert (workdir / "real" / "out.json").read_text().startswith('{\n  "images": [')
    (workdir / "dangling.json").symlink_to(workdir / "real" / "new.json")
    assert run("convert", "m.json", "-o", "dangling.json")[0] == 0
    assert (workdir / "dangling.json").is_symlink() and (workdir / "real" / "new.json").is_file()


def test_fix_of_a_symlinked_manifest_fixes_the_target_and_keeps_the_link(workdir: Path) -> None:
    (workdir / "store").mkdir()
    real = workdir / "store" / "m.json"
    real.write_text(MESSY)
    (workdir / "link.json").symlink_to(real)
    code, _, err = run("fix", "link.json")
    assert code == 0, err
    assert (workdir / "link.json").is_symlink()
    assert '"title": "a.jpg"' in real.read_text()
    assert sorted(p.name for p in (workdir / "store").iterdir()) == ["m.json"]


def test_new_files_follow_the_umask(workdir: Path, umask_027: None) -> None:
    assert run("convert", "m.json", "-o", "out.csv", "--to", "csv")[0] == 0
    assert run("split", "m.json", "--max-items", "30")[0] == 0
    media = workdir / "media"
    media.mkdir()
    (media / "a.jpg").write_bytes(b"x")
    assert run("generate", str(media), "-o", "g.json", "--url-base", "https://cdn.example.org")[0] == 0
    for name in ("out.csv", "m.part-0001.json", "m.part-0002.json", "g.json"):
        assert stat.S_IMODE((workdir / name).stat().st_mode) == 0o640, name


def test_ctrl_c_exits_130(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from manifest_tools import api

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "lint_file", interrupted)
    code, _, err = run("lint", "m.json")
    assert code == 130 and err.strip() == "manifest-tools: interrupted"


def _wait_until_blocked(pid: int) -> None:
    """Wait until the process sleeps in the kernel (opening the FIFO), not still importing: on a loaded
    machine a fixed pause could end first. Without /proc (not Linux), a pause of 1.5 s."""
    import time

    wchan = Path(f"/proc/{pid}/wchan")
    if not wchan.exists():
        time.sleep(1.5)
        return
    deadline = time.monotonic() + 60  # wait_for_partner (Linux 5.x, 6.x), fifo_open or pipe_wait before
    while time.monotonic() < deadline and not any(w in wchan.read_text() for w in ("partner", "fifo", "pipe")):
        time.sleep(0.05)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sigint_in_a_real_process_exits_130(workdir: Path) -> None:
    os.mkfifo(workdir / "wait.json")  # lint blocks reading it until the signal comes
    child = subprocess.Popen(
        [sys.executable, "-m", "manifest_tools.cli", "lint", "wait.json"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,  # as in a terminal's foreground: a shell's background job inherits it ignored
    )
    try:
        _wait_until_blocked(child.pid)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130 and "Traceback" not in err, err


def test_lint_of_a_folder_skips_fifos(workdir: Path) -> None:
    folder = workdir / "uploads"
    folder.mkdir()
    (folder / "a.json").write_text(MANIFEST)
    os.mkfifo(folder / "b.json")
    done = cli("lint", "uploads")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "All checks passed (1 file)."


def test_secrets_in_error_lines_are_redacted(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("AWS_ACCESS_KEY_ID", "x"), ("AWS_SECRET_ACCESS_KEY", "y"), ("AWS_MAX_ATTEMPTS", "1")):
        monkeypatch.setenv(name, value)
    endpoint = "http://user:PASSWORD@127.0.0.1:1"  # nothing listens: the SDK's error quotes the endpoint
    code, _, err = run("generate", "s3://bucket/prefix", "-o", "x.json", "--endpoint-url", endpoint, "--region", "eu-1")
    assert code == 2 and "Could not connect" in err and "PASSWORD" not in err, err
    code, _, err = run("generate", "ftp://user:PASSWORD@host/x?sv=1&sig=SECRETSIG", "-o", "x.json")
    assert code == 2 and "unsupported source" in err, err
    assert "PASSWORD" not in err and "SECRETSIG" not in err, err
