"""Child processes of the tests (gunicorn, nginx): started with their output in a log, and
stopped when the test's ExitStack closes, whatever happened."""

from __future__ import annotations

import socket
import subprocess
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start(stack: ExitStack, command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    """A child process stopped (TERM, then KILL) when the stack closes, whatever happened."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    stack.callback(stop)
    return process


def free_port() -> int:
    """A port nothing listens on now (bound to 0, then released) for a child to listen on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
