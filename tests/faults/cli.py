"""Helpers for the fault suite: `python -m bot` as a real process, and records to file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from state.records_chain import new_chain_key

ROOT = Path(__file__).resolve().parents[2]


def bot_env(**extra: str) -> dict[str, str]:
    """The environment for `python -m bot` in a test: nothing inherited that names a deployment."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHARESAFE_", "APP_", "REDIS_")) and k not in ("HOST", "PORT")}
    env.update({"PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **extra})
    return env


def run_cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot <args>` to completion and return what it printed."""
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def a_record(n: int, **extra: Any) -> dict[str, Any]:
    """A decision record as the bot files one (no free text needed to test the chain)."""
    return {"practitioner": {"user_id": f"29:user-{n % 2}", "name": "Test Practitioner", "organisation": "school-a"},
            "decision": "share", "outcome": "outcome_share", "pack": {"id": "national-2018", "version": "1"},
            "answers": [{"node": "clear_purpose", "answer": "yes"}], **extra}


__all__ = ["a_record", "bot_env", "new_chain_key", "run_cli"]
