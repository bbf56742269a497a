"""Helpers for tests that run `python -m bot` as a real process on a loopback port."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    """Wait until GET base/healthz answers 200; fail with the process's output if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                assert response.status == 200
                return
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                output = proc.communicate()[0] or "timed out"
                pytest.fail("the bot did not start: " + (output.decode() if isinstance(output, bytes) else output))
            time.sleep(0.2)
