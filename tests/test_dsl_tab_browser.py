"""The DSL tab in a real browser: `python -m bot` on a loopback port with a seeded store of 200
records and 20 requests, driven in Debian's headless chromium by playwright-core
(tests/browser/tab_check.mjs), signed in as Oakfield's DSL, a practitioner and another
organisation's DSL. axe-core, read from node_modules and injected into the page, must find no
serious or critical problem in any theme or width; screenshots go to /tmp/tab_shots.

Needs node, /usr/bin/chromium and `npm ci --prefix tests/browser` (or SHARESAFE_NODE_MODULES naming a
node_modules folder holding playwright-core and axe-core); skipped with the reason otherwise.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import pytest

from state.factory import open_stores
from tests.browser import seed
from tests.processes import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
BROWSER_DIR = ROOT / "tests" / "browser"
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/tab_shots")
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
THEMES = ("default", "dark", "contrast")
NOW = datetime.now(timezone.utc)
RECORDS, REQUESTS = seed.plan(NOW, 200, 20)


def _node_modules() -> Path | None:
    for candidate in (os.environ.get("SHARESAFE_NODE_MODULES"), BROWSER_DIR / "node_modules"):
        if candidate and (Path(candidate) / "playwright-core").is_dir() and (Path(candidate) / "axe-core").is_dir():
            return Path(candidate)
    return None


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    if _node_modules() is None:
        return "playwright-core and axe-core are not installed: run `npm ci --prefix tests/browser`"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("tab")
    directory = seed.write_directory(tmp / "directory.yaml")

    async def fill() -> None:
        stores = await open_stores(redis_url=None, data_dir=str(tmp / "data"))
        try:
            await seed.seed(stores, RECORDS, REQUESTS)
        finally:
            await stores.close()

    asyncio.run(fill())
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHARESAFE_", "APP_", "REDIS_", "LOG_")) and k not in ("HOST", "PORT")}
    env.update({"PYTHONPATH": str(ROOT), "SHARESAFE_DATA_DIR": str(tmp / "data"), "SHARESAFE_DIRECTORY": str(directory),
                "HOME": str(tmp)})
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def drive(base: str, user: str, shots: list[dict[str, Any]], **options: Any) -> list[dict[str, Any]]:
    """Run tests/browser/tab_check.mjs; the page as each shot saw it."""
    job = {"base": base, "user": user, "shots": shots, "chromium": CHROMIUM, **options}
    env = {**os.environ, "NODE_PATH": str(_node_modules()), "NO_PROXY": "127.0.0.1"}
    script = BROWSER_DIR / "tab_check.mjs"
    if _node_modules() != BROWSER_DIR / "node_modules":
        # ESM resolves packages beside the script: run a copy placed next to the node_modules given.
        script = Path(shutil.copy(script, _node_modules().parent / "tab_check.mjs"))
    done = subprocess.run(["node", str(script), json.dumps(job)], capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)["runs"]


def _shot(width: str, theme: str, **extra: Any) -> dict[str, Any]:
    w, h = WIDTHS[width]
    return {"name": f"{width}-{theme}", "theme": theme, "width": w, "height": h, **extra}


def test_the_dsl_sees_the_right_counts_in_every_theme_and_width_with_no_serious_accessibility_problem(server) -> None:
    shots = [_shot(w, t) for w in WIDTHS for t in THEMES]
    shots += [_shot("desktop", "default", scrollTo="#charts-title", name="charts-desktop-default"),
              _shot("phone", "dark", scrollTo="#charts-title", name="charts-phone-dark")]
    runs = drive(server, seed.DSL[0], shots, axe=True, keyboard=True, outDir=str(SHOTS))
    mine = [r for r in RECORDS if r.organisation == seed.ORG]
    open_requests = [q for q in REQUESTS if q.organisation == seed.ORG and q.kind == "dsl" and q.status != "resolved"]
    handoffs = [q for q in REQUESTS if q.organisation == seed.ORG and q.kind == "mash"]
    shares = sum(1 for r in mine if r.decision == "share")
    for run in runs:
        assert run["shown"] and run["errors"] == [], run["name"]
        assert run["external"] == [], "the tab reached beyond this server"
        assert len(run["requests"]) == len(open_requests) and run["handoffs"] == len(handoffs)
        assert "Overdue" in run["requests"][0]  # what needs someone is at the top
        assert run["totals"].startswith(f"{len(mine)} records: {shares} share")
        assert len(run["charts"]) == 3 and all(c.startswith(f"{len(mine)} records over") for c in run["charts"])
        assert run["theme"] == run["name"].rsplit("-", 1)[-1]
        bad = [v for v in run["axe"] if v["impact"] in ("serious", "critical")]
        assert bad == [], (run["name"], bad)
        # By keyboard alone: Tab to the first request, Enter opens it, Escape returns to the list.
        assert run["dialogTitle"].startswith("Ask my DSL ESC-") and run["dialogFocus"] == "detail-close"
        assert run["focusAfterClose"] == "Open request " + run["dialogTitle"].rsplit(" ", 1)[-1]
        assert not [v for v in run["keyboardAxe"] if v["impact"] in ("serious", "critical")]
    assert len(list(SHOTS.glob("*.png"))) >= len(shots)


def test_a_practitioner_is_refused_and_sees_no_data(server) -> None:
    (run,) = drive(server, seed.PRACTITIONER[0], [_shot("phone", "default", name="refused-practitioner")],
                   axe=True, outDir=str(SHOTS))
    assert not run["shown"] and "Only your organisation's DSLs" in run["status"]
    assert run["requests"] == [] and not [v for v in run["axe"] if v["impact"] in ("serious", "critical")]


def test_another_organisations_dsl_sees_only_their_own_empty_organisation(server) -> None:
    (run,) = drive(server, "29:dsl-n", [_shot("desktop", "dark", name="other-organisation-dsl")], outDir=str(SHOTS))
    assert run["shown"] and run["requests"] == [] and run["handoffs"] == 0
    assert run["totals"].startswith("0 records")
