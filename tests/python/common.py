"""Shared helpers of the Python cross-checks: find the rhetor binary, run it, report results."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def rhetor_binary() -> str:
    """The rhetor binary: $RHETOR, else target/debug/rhetor (built by `cargo test --all-features`)."""
    path = os.environ.get("RHETOR") or str(REPO / "target" / "debug" / "rhetor")
    if not Path(path).is_file():
        sys.exit(f"rhetor binary not found at {path}: run `cargo build --all-features` or set RHETOR")
    return path


def run(args, stdin: str = "") -> str:
    """Runs rhetor with args; stdout as text. A non-zero exit status is an error."""
    done = subprocess.run(
        [rhetor_binary(), *args], input=stdin.encode(), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"rhetor {' '.join(args)} exited {done.returncode}: {done.stderr.decode()}")
    return done.stdout.decode()


def jsonl(text: str):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class Tally:
    """Counts checks and prints the verdict line; exit status 1 on any failure or no check."""

    def __init__(self, name: str):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, ok: bool, what: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}", file=sys.stderr)

    def finish(self) -> None:
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed or not self.passed else 0)
