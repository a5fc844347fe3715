"""A small mutation fuzzer for manifests: seeds, mutations, and the checks every input must pass.

Used by ``test_fuzz.py`` with a fixed budget, and runnable alone for a longer campaign::

    MANIFEST_TOOLS_FUZZ_EXAMPLES=20000 python -m pytest tests/property/test_fuzz.py
    python tests/property/fuzzing.py 20000 [seed]      # prints what it found, input by input

Every mutation is deterministic given the seed, so a failure names the seed and
index that reproduce it.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import manifest_tools
from manifest_tools.errors import ManifestToolsError
from manifest_tools.rules.catalogue import all_rules

ROOT = Path(__file__).resolve().parents[2]
URL = "https://b.s3.eu-west-2.amazonaws.com"
SLOW_SECONDS = 2.0
"""No input of a few KB may take longer than this (generous: the CI machine is shared and slow)."""


def seeds() -> list[tuple[str, bytes]]:
    """(format, bytes) of every bundled fixture and every rule's bad and good example."""
    found: list[tuple[str, bytes]] = []
    for path in sorted((ROOT / "fixtures").glob("*/*")):
        if path.suffix in (".json", ".csv"):
            found.append((path.suffix[1:], path.read_bytes()))
    for rule in all_rules().values():
        found.append((rule.example_format, rule.bad.encode(rule.bad_encoding, "surrogatepass")))
        found.append((rule.example_format, rule.good.encode("utf-8", "surrogatepass")))
    return found


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.randrange(1, 64))


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _flip_byte(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]


_TOKENS = [
    b",", b"}", b"]", b"{", b"[", b'"', b"'", b"\\", b":", b"\n", b"\r", b"\r\n", b"//", b"/*", b"NaN",
    b"-Infinity", b"1e400", b"-1e999", b"9" * 5000, b"0.0000e-99999", b"\\ud83c\\udfac", b"\\ud800", b"\\udc00",
    b"\\u12", b"\\x41", b"\\q", b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", "\ufeff".encode(), b"\t", b"True",
    b"frames-per-second", b"objectUrl_99999999999999999999999", b'"objectUrl_0": ', b"http://", b"%", b"%zz",
    b"ObjectUrl,Image group title,Create video\n", b"ObjectUrl\n", b";", b"=HYPERLINK(1)", b"..", b"<region>",
]  # fmt: skip


def _insert_token(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(_TOKENS) + data[at:]


def _delete_span(rng: random.Random, data: bytes) -> bytes:
    start, end = _span(rng, data)
    return data[:start] + data[end:]


def _duplicate_span(rng: random.Random, data: bytes) -> bytes:
    start, end = _span(rng, data)
    return data[:end] + data[start:end] * rng.randrange(1, 50) + data[end:]


def _duplicate_key(rng: random.Random, data: bytes) -> bytes:
    """Repeat one ``"key": value,`` member right after itself."""
    starts = [i for i in range(len(data)) if data[i : i + 1] == b'"']
    if not starts:
        return data
    start = rng.choice(starts)
    end = data.find(b",", start)
    return data if end < 0 else data[: end + 1] + data[start : end + 1] + data[end + 1 :]


def _huge_number(rng: random.Random, data: bytes) -> bytes:
    number = rng.choice([b"1e400", b"-1e400", b"9" * rng.choice([310, 4301, 6000]), b"1" + b"0" * 400 + b".5"])
    digits = [i for i in range(len(data)) if data[i : i + 1].isdigit()]
    if not digits:
        return _insert_token(rng, data)
    at = rng.choice(digits)
    return data[:at] + number + data[at + 1 :]


def _deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([100, 950, 3000, 20_000])
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
    at = rng.randrange(len(data) + 1)
    inner = opener * depth + (closer * depth if rng.random() < 0.7 else b"")
    return data[:at] + inner + data[at:]


def _invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice([b"\xff", b"\xc3", b"\xe9t\xe9", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"]) + data[at:]


def _nul(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"\x00" * rng.choice([1, 1, 50]) + data[at:]


def _re_encode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be", "latin-1"]), "replace")


def _binary(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)] + rng.randbytes(rng.randrange(1, 3000))


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    _truncate, _flip_byte, _insert_token, _insert_token, _delete_span, _duplicate_span, _duplicate_key,
    _huge_number, _deep_nesting, _invalid_utf8, _nul, _re_encode, _binary,
]  # fmt: skip


def mutated(rng: random.Random, corpus: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """One seed with one to four mutations; the format is kept (the name decides how it is read)."""
    fmt, data = rng.choice(corpus)
    for _ in range(rng.randrange(1, 5)):
        data = rng.choice(MUTATIONS)(rng, data)
    return fmt, data


@dataclass(frozen=True)
class Failure:
    index: int
    fmt: str
    data: bytes
    what: str

    def __str__(self) -> str:
        shown = self.data[:300] + (b"..." if len(self.data) > 300 else b"")
        return f"input {self.index} ({self.fmt}, {len(self.data)} bytes): {self.what}\n  {shown!r}"


def library_problem(fmt: str, data: bytes, scratch: Path) -> tuple[str | None, float]:
    """Lint, fix and convert ``data`` (fix and convert read it from a file in ``scratch``): the
    first exception (other than a deliberate ManifestToolsError) or a step slower than
    SLOW_SECONDS, described (None if all went well), and the slowest step's time."""
    name = f"fuzz.{fmt}"
    path = scratch / name
    path.write_bytes(data)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("lint", lambda: manifest_tools.lint(data, name=name)),
        ("lint ALL", lambda: manifest_tools.lint(data, name=name, select=["ALL"])),
        ("fix", lambda: manifest_tools.fix(path, unsafe=True)),
        *[(f"convert {to}", _converter(path, to)) for to in ("json", "csv", "sdk")],
    ]
    slowest = 0.0
    for label, step in steps:
        started = time.perf_counter()
        try:
            step()
        except ManifestToolsError:
            pass
        except Exception:  # any other exception is what the fuzzer looks for
            return f"{label}: {traceback.format_exc(limit=-3)}", slowest
        elapsed = time.perf_counter() - started
        slowest = max(slowest, elapsed)
        if elapsed > SLOW_SECONDS:
            return f"{label}: took {elapsed:.1f} s", slowest
    return None, slowest


def _converter(path: Path, to: str) -> Callable[[], object]:
    def run() -> object:
        conversion = manifest_tools.convert(path, to)  # type: ignore[arg-type]
        return conversion.text

    return run


@dataclass
class Campaign:
    """What a run tried and found."""

    tried: int = 0
    failures: list[Failure] = field(default_factory=list)
    slowest: float = 0.0
    slowest_input: bytes = b""


def campaign(examples: int, seed: int, scratch: Path) -> Campaign:
    """Fuzz the library with ``examples`` inputs (written to files in ``scratch`` one at a time)."""
    rng = random.Random(seed)
    corpus = seeds()
    result = Campaign()
    for index in range(examples):
        fmt, data = mutated(rng, corpus)
        problem, slowest = library_problem(fmt, data, scratch)
        result.tried += 1
        if problem is not None:
            result.failures.append(Failure(index, fmt, data, problem))
        if slowest > result.slowest:
            result.slowest, result.slowest_input = slowest, data
    return result


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as folder:
        run = campaign(count, int(sys.argv[2]) if len(sys.argv) > 2 else 0, Path(folder))
    for failure in run.failures:
        print(failure, "\n")
    print("slowest input:", run.slowest_input[:300])
    print(json.dumps({"inputs": run.tried, "failures": len(run.failures), "slowest_seconds": round(run.slowest, 3)}))
