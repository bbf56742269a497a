"""`python -m bot` as a user runs it: real processes, real stdin and stdout, a real port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dialogs.pack import load_builtin
from tests.processes import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
PACK = load_builtin("national-2018")


def run_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHARESAFE_", "APP_", "REDIS_"))}
    env.update({"SHARESAFE_DATA_DIR": str(tmp_path / "data"), "SHARESAFE_ENV": "development", **extra})
    return env


def test_chat_json_through_a_real_process_walks_to_an_outcome(tmp_path):
    lines = ["hello", '{"choice": "share"}', "yes", "no", "no", "no", "rules", "999", "resume", "back", "y", "1", "nonsense"]
    done = subprocess.run([sys.executable, "-m", "bot", "chat", "--json", "--user", "u-cli"], cwd=ROOT,
                          input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60,
                          env=run_env(tmp_path))
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert all({"text", "choices", "node", "outcome", "rules", "effects"} <= set(r) for r in replies)
    kinds = [r["kind"] for r in replies]
    assert kinds[:2] == ["welcome", "question"] and "rules" in kinds and "danger" in kinds
    by_kind = {r["kind"]: r for r in replies}
    assert "999" in by_kind["danger"]["text"]
    assert [n for n in by_kind["rules"]["rules"]] == [1, 2, 3, 4, 5, 6, 7]
    # no legal duty, no worry about harm, and "no" to "enables a person to be identified?" -> share
    # anonymised; "back" and "y" walk it again
    outcomes = [r for r in replies if r["kind"] == "outcome"]
    assert outcomes and outcomes[0]["outcome"] == "outcome_share_anonymised" and 7 in outcomes[0]["rules"]
    # "y" then "1" answered the next two questions; unknown text re-asks the open one with its choices
    assert [r["node"] for r in replies[-4:]] == ["identifies_individual", "is_confidential", "has_consent",
                                                "has_consent"]
    assert "didn't understand" in replies[-1]["title"]
    assert [c["value"] for c in replies[-1]["choices"]][:3] == ["given", "refused", "withdrawn"]


def test_python_m_bot_with_port_serves_and_answers_bad_requests_with_400(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--port", str(port)], cwd=ROOT, env=run_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, proc)
        bad = urllib.request.Request(base + "/api/messages", data=b"{not json", method="POST",
                                     headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(bad, timeout=5)
        assert caught.value.code == 400
        body = caught.value.read().decode()
        assert "Traceback" not in body and len(body) < 300
        with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # still serving
            assert response.status == 200
        assert (tmp_path / "data").is_dir()  # the embedded store, created on first run
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    log = proc.stdout.read().decode()
    assert "Traceback" not in log


@pytest.mark.parametrize("argv", [["packs", "--help"], ["packs", "check", "--help"], ["packs", "diagram", "-h"]])
def test_packs_help_prints_the_usage_and_succeeds(argv):
    done = subprocess.run([sys.executable, "-m", "bot", *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "python -m bot packs check" in done.stdout and "python -m bot packs diagram" in done.stdout


def test_a_combined_packs_diagram_is_printed_not_written_into_the_repository():
    before = sorted(p.name for p in (ROOT / "dialogs" / "packs").iterdir())
    done = subprocess.run([sys.executable, "-m", "bot", "packs", "diagram", "sandwell+schools"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("%% sandwell+schools") and "flowchart TD" in done.stdout
    assert sorted(p.name for p in (ROOT / "dialogs" / "packs").iterdir()) == before
