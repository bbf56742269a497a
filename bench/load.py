"""Load harness: drive running bots over HTTP exactly as Teams does, and compare them.

    python bench/load.py                      # the docs/performance.md table (about 4 minutes)
    python bench/load.py --scenarios 10 --trials 1 --seconds 5 --targets sharesafe-redis,baseline

Each virtual practitioner walks the national-2018 flowchart to an outcome and files a decision
record (25 turns: "hello", the menu, nine answers, "record", twelve record fields, "confirm"), then
starts again in a new conversation, with no think time (a closed loop of N concurrent
conversations). Every turn is a real Bot Framework message activity (channelId msteams, typed text
or an Adaptive Card submit) POSTed to /api/messages; serviceUrl points at this harness's own fake
Bot Connector on 127.0.0.1, which receives the replies. A turn's latency runs from the POST to the
arrival of its last reply at the fake connector; a turn with no reply (or an HTTP error, or the
wrong reply) is an error. Replies are matched to their turn by replyToId.

Targets (each started here as its own processes, on loopback ports):
    baseline           bench/baseline: botbuilder-dialogs waterfalls, MemoryStorage, stock CloudAdapter
    sharesafe-sqlite   python -m bot serve, embedded SQLite store
    sharesafe-redis    python -m bot serve, Redis (appendonly, appendfsync always: durable records)
    sharesafe-agents-sqlite, sharesafe-agents-redis
                       the same two on the Microsoft 365 Agents SDK (SHARESAFE_SDK=agents); not in
                       the default run
    sharesafe-redis-3w three `python -m bot serve` workers on one Redis; consecutive turns of a
                       conversation go to different workers; some activities are delivered twice at
                       once to two workers (a Teams retry: must be answered once), and some questions
                       get a "why" tap at the same moment as the answer (two turns at once: both must
                       be answered, in an order the dialog could have taken)
    sharesafe-sqlite-2w, sharesafe-redis-2w
                       two workers (one per core here) on one SQLite file (WAL) or one Redis, with
                       the same duplicate deliveries and simultaneous taps as -3w
    NAME@TREE          the same target run from another checkout (--tree TREE=PATH), for a
                       before/after comparison in one run

Every reply is checked against what the dialog must say next (the pure engine, run here, gives
the expected question for every turn), so a skipped or repeated question is an error. At the end
the ShareSafe stores are checked: `python -m bot records verify` must pass and the number of
records must equal the number of distinct references the practitioners were given.

Only 127.0.0.1 is ever contacted. Every run is bounded (seconds per run, turn timeout, trials).

BENCH_PRELOAD=<file.py> runs that file in each ShareSafe worker before it starts (profiling hooks;
bench/stock_connector.py puts back the SDK's per-turn clients for a before/after comparison).
Results and how to read them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dialogs import engine  # noqa: E402  (the expected replies come from the pure engine)
from dialogs.model import EffectResult, Practitioner, Reply, UserInput  # noqa: E402
from dialogs.pack import load_builtin  # noqa: E402

HOST = "127.0.0.1"  # the only address this harness talks to
BOT_ID = "28:sharesafe-bench-bot"
TENANT = "tenant-bench"
MARKER_CHARS = 30
REFERENCE = re.compile(r"ISR-\d{4}-\d{6}")

ANSWERS = ["yes", "no", "no", "yes", "yes", "not_asked", "yes", "risk_of_harm", "yes"]
RECORD_FORM: list[tuple[str, str]] = [
    ("text", "Attendance and injury concerns"), ("choice", "both"), ("text", "MASH social worker"),
    ("text", "Children's social care"), ("text", "Child protection referral"), ("choice", "mash_form"),
    ("choice", "no_risk"), ("choice", "yes"), ("choice", "no"), ("choice", "significant_harm"),
    ("choice", "public_task"), ("choice", "yes"),
]

ALL_TARGETS = ["baseline", "sharesafe-sqlite", "sharesafe-redis", "sharesafe-redis-3w", "sharesafe-sqlite-2w",
               "sharesafe-redis-2w"]
# The same bot on the Agents SDK (bot/channels/agents/), run when named: --targets sharesafe-agents-redis,...
AGENTS_TARGETS = ["sharesafe-agents-sqlite", "sharesafe-agents-redis"]


# ---- The walk and what each turn must answer ---------------------------------------------------


def _norm(text: str) -> str:
    return " ".join((text or "").replace("*", "").split())


def _marker(replies: list[Reply]) -> str:
    """What the last reply of a turn must contain (the start of its text)."""
    # A record reference differs from run to run: the marker stops before it.
    return _norm(replies[-1].text).split("ISR-")[0].strip()[:MARKER_CHARS] if replies else ""


def _context(reply: Reply) -> dict[str, str]:
    """The context an Adaptive Card sends back with a button (as bot/channels/teams/cards.py renders it)."""
    if reply.kind in ("question", "why") and reply.node:
        return {"node": reply.node}
    field_name = reply.data.get("field") if reply.data else None
    return {"field": str(field_name)} if field_name else {}


@dataclass
class Step:
    """One turn of the walk: what is sent and what the reply must say."""

    text: str | None
    value: dict[str, Any] | None
    marker: str
    # For a question step: the "why" tap sent at the same moment, and the two valid outcomes
    # (why answered first, or the answer first) as (why marker, answer marker).
    why_value: dict[str, Any] | None = None
    why_orders: tuple[tuple[str, str], tuple[str, str]] | None = None
    files_record: bool = False
    replies: int = 1  # how many replies ShareSafe sends for this turn


def build_walk() -> list[Step]:
    """The 25 turns, with the expected reply of each, from the pure engine (ShareSafe's reference)."""
    pack = load_builtin("national-2018")
    user = Practitioner(user_id="29:bench", name="Bench")
    state: dict[str, Any] | None = None
    last: Reply | None = None
    steps: list[Step] = []
    n = 0

    def run(st: dict[str, Any] | None, text: str | None, value: dict[str, Any] | None):
        nonlocal n
        n += 1
        result = engine.step(pack, st, UserInput(text=text or "", value=value, user=user, activity_id=f"w{n}"))
        session, replies = result.session, list(result.replies)
        for effect in result.effects:
            session, more = engine.apply(pack, session, EffectResult(effect, ok=True,
                                                                     data={"reference": "ISR-2000-000001"}))
            replies.extend(more)
        return session.to_dict(), replies, list(result.effects)

    inputs: list[tuple[str | None, dict[str, Any] | None]] = [("hello", None), (None, {"choice": "share"})]
    inputs += [(None, {"choice": a}) for a in ANSWERS]
    inputs += [(None, {"choice": "record"})]
    inputs += [(None, {"choice": "__text__", "text": v}) if k == "text" else (None, {"choice": v}) for k, v in RECORD_FORM]
    inputs += [(None, {"choice": "confirm"})]
    for text, value in inputs:
        if value is not None and last is not None:
            value = {**value, **_context(last)}
        step = Step(text, value, "")
        if last is not None and last.kind == "question" and value and value.get("choice") != "why":
            why = {"choice": "why", **_context(last)}
            # why first, then the answer
            s1, r_why1, _ = run(state, None, why)
            s1b, r_ans1, _ = run(s1, None, value)
            # the answer first, then why (sent from the same, now older, card)
            s2, r_ans2, _ = run(state, None, value)
            s2b, r_why2, _ = run(s2, None, why)
            if s1b["node"] == s2b["node"] and _marker(r_ans1) == _marker(r_ans2):
                step.why_value = why
                step.why_orders = ((_marker(r_why1), _marker(r_ans1)), (_marker(r_why2), _marker(r_ans2)))
        state, replies, effects = run(state, text, value)
        step.marker = _marker(replies)
        step.files_record = any(e.kind == "file_record" for e in effects)
        step.replies = len(replies)
        steps.append(step)
        last = replies[-1]
    assert steps[-1].files_record, "the walk must end by filing a record"
    return steps


# ---- The fake Bot Connector ------------------------------------------------------------------------


class FakeConnector:
    """Receives the bots' replies on 127.0.0.1 and files them by the activity they answer."""

    def __init__(self) -> None:
        self.replies: dict[str, list[tuple[float, bytes]]] = {}
        self.unmatched = 0
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://{HOST}:{port}/"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        arrived = time.perf_counter()
        path = request.path
        if request.method == "POST" and "/activities/" in path:
            reply_to = unquote(path.rsplit("/activities/", 1)[1])
            self.replies.setdefault(reply_to, []).append((arrived, body))
        else:
            self.unmatched += 1
        return web.json_response({"id": f"r{len(self.replies)}"})


def reply_text(body: bytes) -> str:
    """Every piece of text in a reply activity (plain text, Adaptive Card text blocks, hero cards)."""
    try:
        activity = json.loads(body)
    except ValueError:
        return ""
    found: list[str] = [activity.get("text") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "subtitle"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(activity.get("attachments") or [])
    return _norm(" ".join(found))


# ---- Bot processes ---------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process so far, in ms (from /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / CLOCK_TICKS


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process, in MB."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


class Process:
    """A child process on a loopback port (a bot worker or redis-server)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path, port: int,
                 cwd: Path = ROOT) -> None:
        self.name, self.argv, self.env, self.log, self.port, self.cwd = name, argv, env, log, port, cwd
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it (output to its log file)."""
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)

    @property
    def pid(self) -> int:
        """Its process id."""
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        """True while it runs."""
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s; only this process, by its id."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def wait_http(url: str, proc: Process, timeout: float = 30.0) -> None:
    """Wait until GET url answers 200."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if not proc.alive():
                raise RuntimeError(f"{proc.name} exited; see {proc.log}")
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=1)) as resp:
                    if resp.status == 200:
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{proc.name} did not become ready; see {proc.log}")


def wait_redis(port: int, proc: Process, timeout: float = 10.0) -> None:
    """Wait until redis-server answers PING on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"redis-server exited; see {proc.log}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("redis-server did not answer PING")


@dataclass
class Target:
    """One bot under test: its worker processes and how to reach them."""

    name: str
    workers: list[Process]
    env: dict[str, str] = field(default_factory=dict)
    chaos: bool = False
    sharesafe: bool = True
    tree: Path = ROOT
    references: set[str] = field(default_factory=set)
    walks_filed: int = 0

    @property
    def urls(self) -> list[str]:
        """The workers' /api/messages URLs."""
        return [f"http://{HOST}:{w.port}/api/messages" for w in self.workers]


# ---- Load --------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    """What one run of one target at one concurrency measured."""

    target: str
    conversations: int
    trial: int
    turns: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)
    cpu_ms: float = 0.0
    redis_cpu_ms: float = 0.0
    harness_cpu_ms: float = 0.0
    peak_rss_mb: float = 0.0
    records_filed: int = 0
    duplicates: int = 0
    concurrent_pairs: int = 0
    by_step: dict[int, list[float]] = field(default_factory=dict)

    def error(self, kind: str, example: str) -> None:
        """Count an error (and keep a few examples, never more than 10)."""
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.error_examples) < 10:
            self.error_examples.append(f"{kind}: {example}")

    @property
    def turns_per_second(self) -> float:
        """Answered turns per second of wall time."""
        return self.turns / self.seconds if self.seconds else 0.0


def activity(service_url: str, conversation: str, user: str, activity_id: str,
             text: str | None, value: dict[str, Any] | None) -> bytes:
    """A Teams message activity, as the Bot Connector service POSTs it."""
    body: dict[str, Any] = {
        "type": "message", "id": activity_id,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "serviceUrl": service_url, "channelId": "msteams",
        "from": {"id": user, "name": "Bench Practitioner", "aadObjectId": "aad-" + user},
        "recipient": {"id": BOT_ID, "name": "ShareSafe"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-GB",
    }
    if text is not None:
        body["text"] = text
    if value is not None:
        body["value"] = value
    return json.dumps(body).encode()


class Load:
    """N concurrent conversations against one target for a bounded time."""

    def __init__(self, target: Target, walk: list[Step], connector: FakeConnector, session: aiohttp.ClientSession,
                 result: RunResult, *, seconds: float, turn_timeout: float, seed: int, tag: str) -> None:
        self.t, self.walk, self.connector, self.session, self.r = target, walk, connector, session, result
        self.seconds, self.turn_timeout = seconds, turn_timeout
        self.rng = random.Random(seed)
        self.tag = tag
        self.ids = 0
        self.window_start = 0.0

    def _id(self) -> str:
        self.ids += 1
        return f"{self.tag}-{self.ids}"

    async def _post(self, url: str, body: bytes) -> tuple[float, int]:
        started = time.perf_counter()
        try:
            async with self.session.post(url, data=body, headers={"Content-Type": "application/json"},
                                         timeout=aiohttp.ClientTimeout(total=self.turn_timeout)) as resp:
                await resp.read()
                return started, resp.status
        except asyncio.TimeoutError:
            return started, -1
        except aiohttp.ClientError:
            return started, -2

    def _replies(self, activity_id: str) -> list[tuple[float, bytes]]:
        return self.connector.replies.pop(activity_id, [])

    def _latency(self, started: float, replies: list[tuple[float, bytes]], step: int = -1) -> None:
        if started < self.window_start:
            return  # still ramping up: not measured
        ms = (max(t for t, _ in replies) - started) * 1000.0
        self.r.latencies_ms.append(ms)
        self.r.by_step.setdefault(step, []).append(ms)
        self.r.turns += 1

    def _check(self, replies: list[tuple[float, bytes]], marker: str, where: str) -> str | None:
        text = " ".join(reply_text(b) for _, b in replies)
        if marker not in text:
            self.r.error("wrong_reply", f"{where}: expected {marker!r}, got {text[:80]!r}")
            return None
        return text

    async def _turn(self, urls: list[str], conv: str, user: str, step: Step, where: str, k: int = -1) -> bool:
        """One turn (sometimes delivered twice at once to two workers); False on any error."""
        activity_id = self._id()
        body = activity(self.connector.url, conv, user, activity_id, step.text, step.value)
        duplicate = self.t.chaos and (step.files_record or self.rng.random() < 0.1)
        if duplicate and len(urls) > 1:
            self.r.duplicates += 1
            (s1, st1), (s2, st2) = await asyncio.gather(self._post(urls[0], body), self._post(urls[1], body))
            started = min(s1, s2)
            statuses = (st1, st2)
        else:
            started, st = await self._post(urls[0], body)
            statuses = (st,)
        replies = self._replies(activity_id)
        if any(s < 200 or s >= 300 for s in statuses):
            self.r.error("http", f"{where}: status {statuses}")
            return False
        if not replies:
            self.r.error("no_reply", where)
            return False
        if self.t.sharesafe and len(replies) != step.replies:
            # e.g. an activity delivered twice and answered twice
            self.r.error("reply_count", f"{where}: {len(replies)} replies, expected {step.replies}")
            return False
        text = self._check(replies, step.marker, where)
        if text is None:
            return False
        self._latency(started, replies, k)
        if step.files_record:
            found = REFERENCE.findall(text)
            if len(set(found)) != 1:
                self.r.error("record", f"{where}: references {found}")
                return False
            if found[0] in self.t.references:
                self.r.error("record_twice", f"{where}: {found[0]} given to two walks")
                return False
            self.t.references.add(found[0])
            self.r.records_filed += 1
        return True

    async def _pair(self, urls: list[str], conv: str, user: str, step: Step, where: str) -> bool:
        """The answer and a "why" tap at the same moment, to two workers: both answered, in a valid order."""
        assert step.why_value is not None and step.why_orders is not None
        self.r.concurrent_pairs += 1
        a_id, w_id = self._id(), self._id()
        a_body = activity(self.connector.url, conv, user, a_id, step.text, step.value)
        w_body = activity(self.connector.url, conv, user, w_id, None, step.why_value)
        (sa, sta), (sw, stw) = await asyncio.gather(self._post(urls[0], a_body), self._post(urls[-1], w_body))
        a_replies, w_replies = self._replies(a_id), self._replies(w_id)
        if any(s < 200 or s >= 300 for s in (sta, stw)):
            self.r.error("http", f"{where}: status {(sta, stw)}")
            return False
        if not a_replies or not w_replies:
            self.r.error("no_reply", f"{where} (concurrent pair)")
            return False
        a_text = " ".join(reply_text(b) for _, b in a_replies)
        w_text = " ".join(reply_text(b) for _, b in w_replies)
        if not any(w in w_text and a in a_text for w, a in step.why_orders):
            self.r.error("race", f"{where}: answer {a_text[:50]!r} why {w_text[:50]!r}")
            return False
        self._latency(sa, a_replies)
        self._latency(sw, w_replies)
        return True

    async def _user(self, index: int, deadline: float, start_at: float) -> None:
        await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
        walk_no = 0
        workers = self.t.urls
        while time.perf_counter() < deadline:
            walk_no += 1
            conv = f"a:{self.tag}-{index}-{walk_no}"
            user = f"29:{self.tag}-u{index}"
            for k, step in enumerate(self.walk):
                if time.perf_counter() >= deadline:
                    return
                # Consecutive turns of one conversation go to different workers.
                first = (index + walk_no + k) % len(workers)
                urls = workers[first:] + workers[:first]
                where = f"{conv} turn {k}"
                if (self.t.chaos and len(workers) > 1 and step.why_value is not None
                        and self.rng.random() < 0.2):
                    ok = await self._pair(urls, conv, user, step, where)
                else:
                    ok = await self._turn(urls, conv, user, step, where, k)
                if not ok:
                    break  # the conversation is off script; start a new one
            else:
                self.t.walks_filed += 1

    async def run(self, conversations: int, redis: Process | None) -> None:
        """Run the closed loop for the configured seconds; fill in the result."""
        pids = [w.pid for w in self.t.workers]
        started = time.perf_counter()
        # Conversations start spread over a ramp (as people do), not in lock-step: otherwise all N
        # would file their records at the same instant, every walk. Only turns that start after the
        # ramp are measured, and CPU is read from the end of the ramp.
        ramp = min(1.0, self.seconds / 4) if conversations > 1 else 0.0
        self.window_start = started + ramp
        deadline = started + ramp + self.seconds
        snapshot: dict[str, float] = {}

        async def read_counters() -> None:
            await asyncio.sleep(ramp)
            snapshot.update(cpu=sum(cpu_ms(p) for p in pids), redis=cpu_ms(redis.pid) if redis else 0.0,
                            harness=time.process_time(), at=time.perf_counter())

        await asyncio.gather(read_counters(), *(self._user(i, deadline, started + ramp * i / conversations)
                                                for i in range(conversations)))
        self.r.seconds = time.perf_counter() - snapshot["at"]
        self.r.cpu_ms = sum(cpu_ms(p) for p in pids) - snapshot["cpu"]
        self.r.redis_cpu_ms = (cpu_ms(redis.pid) - snapshot["redis"]) if redis else 0.0
        self.r.harness_cpu_ms = (time.process_time() - snapshot["harness"]) * 1000.0
        self.r.peak_rss_mb = max(peak_rss_mb(p) for p in pids)
        for w in self.t.workers:
            if not w.alive():
                self.r.error("worker_died", w.name)
        self.connector.replies.clear()


# ---- Orchestration ------------------------------------------------------------------------------------


def bot_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment of a bot worker: development mode (no Bot Framework auth), quiet logs."""
    dropped = ("REDIS_URL", "APP_ID", "APP_PASSWORD", "APP_TYPE", "APP_TENANTID", "SHARESAFE_DATA_DIR",
               "SHARESAFE_ALLOWED_TENANTS", "SHARESAFE_RATE_PER_MINUTE", "SHARESAFE_RATE_BURST", "SHARESAFE_SDK")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"SHARESAFE_ENV": "development", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
                "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def make_targets(names: list[str], work: Path, redis_url: str | None, trees: dict[str, Path] | None = None,
                 preloads: dict[str, str] | None = None) -> list[Target]:
    """Build (not start) the targets named; `name@tree` runs the bot from another checkout (--tree)."""
    py = sys.executable
    targets = []
    for full_name in names:
        name, _, tree_name = full_name.partition("@")
        tree = ROOT
        if tree_name:
            if tree_name not in (trees or {}):
                raise SystemExit(f"{full_name}: no --tree {tree_name}=PATH given")
            tree = trees[tree_name]
        sdk = {"SHARESAFE_SDK": "agents"} if name in AGENTS_TARGETS else {}
        store_kind = name.replace("-agents", "")
        if name == "baseline":
            port = free_port()
            targets.append(Target(name, [Process(name, [py, "-m", "bench.baseline", "--port", str(port)],
                                                 bot_env({}), work / f"{name}.log", port)], sharesafe=False))
            continue
        if store_kind in ("sharesafe-sqlite", "sharesafe-sqlite-2w"):
            env = bot_env({"SHARESAFE_DATA_DIR": str(work / f"{full_name}-data"), **sdk})
        elif store_kind in ("sharesafe-redis", "sharesafe-redis-2w", "sharesafe-redis-3w"):
            if redis_url is None:
                raise SystemExit(f"{name} needs redis-server (not found on PATH)")
            # A database of its own per target, so each one's store check counts only its records.
            db = {"sharesafe-redis": 1, "sharesafe-redis-3w": 2, "sharesafe-agents-redis": 3, "sharesafe-redis-2w": 4}[name]
            db += 5 * sorted({"", *(trees or {})}).index(tree_name)
            env = bot_env({"REDIS_URL": f"{redis_url}/{db}", **sdk})
        else:
            raise SystemExit(f"unknown target {name!r}; choose from {', '.join(ALL_TARGETS + AGENTS_TARGETS)}")
        env["PYTHONPATH"] = str(tree)
        count = LABELS[name][2]  # the worker count the results table shows
        workers = []
        for i in range(count):
            port = free_port()
            argv = [py, "-m", "bot", "serve", "--port", str(port)]
            preload = (preloads or {}).get(tree_name) or os.environ.get("BENCH_PRELOAD")
            if preload:  # a profiling hook: python code run before the bot
                argv = [py, "-c", f"exec(open({preload!r}).read()); import sys; "
                        f"from bot.cli.main import main; sys.exit(main(['serve', '--port', '{port}']))"]
            workers.append(Process(f"{full_name}#{i}", argv, env, work / f"{full_name}-{i}.log", port, cwd=tree))
        targets.append(Target(full_name, workers, env=env, chaos=count > 1, tree=tree))
    return targets


def store_check(target: Target) -> dict[str, Any]:
    """`python -m bot records verify` and the record count, against the target's store."""
    env = dict(target.env)
    verify = subprocess.run([sys.executable, "-m", "bot", "records", "verify"], env=env, cwd=target.tree,
                            capture_output=True, text=True, timeout=120)
    # "OK: N records checked; the chain is intact." (export needs an administrator; verify does not)
    found = re.search(r"(\d+) records? checked", verify.stdout + verify.stderr)
    return {"verify_ok": verify.returncode == 0, "verify_output": (verify.stdout + verify.stderr).strip()[-300:],
            "records_in_store": int(found.group(1)) if found else -1,
            "references_given": len(target.references), "walks_filed": target.walks_filed}


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def summarise(results: list[RunResult]) -> dict[str, Any]:
    """Pool the trials of one target and scenario."""
    lat = [x for r in results for x in r.latencies_ms]
    turns = sum(r.turns for r in results)
    rates = [r.turns_per_second for r in results]
    errors: dict[str, int] = {}
    for r in results:
        for k, v in r.errors.items():
            errors[k] = errors.get(k, 0) + v
    return {
        "turns_per_s": statistics.median(rates) if rates else 0.0,
        "turns_per_s_trials": [round(x, 1) for x in rates],
        "p50": pct(lat, 50), "p95": pct(lat, 95), "p99": pct(lat, 99), "max": max(lat) if lat else float("nan"),
        "turns": turns, "errors": sum(errors.values()), "error_kinds": errors,
        "cpu_ms_per_turn": sum(r.cpu_ms for r in results) / turns if turns else float("nan"),
        "redis_cpu_ms_per_turn": sum(r.redis_cpu_ms for r in results) / turns if turns else float("nan"),
        "harness_cpu_ms_per_turn": sum(r.harness_cpu_ms for r in results) / turns if turns else float("nan"),
        "peak_rss_mb": max(r.peak_rss_mb for r in results),
        "records_filed": sum(r.records_filed for r in results),
        "duplicates": sum(r.duplicates for r in results),
        "concurrent_pairs": sum(r.concurrent_pairs for r in results),
        "examples": [e for r in results for e in r.error_examples][:5],
        "p95_by_turn": {k: round(pct([x for r in results for x in r.by_step.get(k, [])], 95), 1)
                        for k in sorted({k for r in results for k in r.by_step})},
        "max_by_turn": {k: round(max(x for r in results for x in r.by_step.get(k, [0])), 1)
                        for k in sorted({k for r in results for k in r.by_step})},
    }


LABELS = {
    "baseline": ("Bot Framework samples baseline", "memory", 1),
    "sharesafe-sqlite": ("ShareSafe", "embedded (SQLite)", 1),
    "sharesafe-redis": ("ShareSafe", "Redis", 1),
    "sharesafe-redis-3w": ("ShareSafe", "Redis", 3),
    "sharesafe-sqlite-2w": ("ShareSafe", "embedded (SQLite)", 2),
    "sharesafe-redis-2w": ("ShareSafe", "Redis", 2),
    "sharesafe-agents-sqlite": ("ShareSafe on the Agents SDK", "embedded (SQLite)", 1),
    "sharesafe-agents-redis": ("ShareSafe on the Agents SDK", "Redis", 1),
}


def table(summary: dict[tuple[str, int], dict[str, Any]], targets: list[str], scenarios: list[int]) -> str:
    """The results as a Markdown table, with the ratio to the baseline."""
    lines = ["| bot | store | workers | conversations | turns/s | x baseline | p50 ms | p95 ms | p99 ms | max ms "
             "| errors | bot CPU ms/turn | Redis CPU ms/turn | harness CPU ms/turn | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in scenarios:
        base = summary.get(("baseline", c))
        for name in targets:
            s = summary.get((name, c))
            if s is None:
                continue
            plain, _, tree = name.partition("@")
            bot, store, workers = LABELS[plain]
            bot += f" ({tree})" if tree else ""
            redis_cpu = f"{s['redis_cpu_ms_per_turn']:.2f}" if "redis" in name else ""
            ratio = "" if name == "baseline" or not base or not base["turns_per_s"] else \
                f"{s['turns_per_s'] / base['turns_per_s']:.1f}x"
            lines.append(f"| {bot} | {store} | {workers} | {c} | {s['turns_per_s']:.0f} | {ratio} | {s['p50']:.1f} "
                         f"| {s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | {s['errors']} "
                         f"| {s['cpu_ms_per_turn']:.2f} | {redis_cpu} | {s['harness_cpu_ms_per_turn']:.2f} "
                         f"| {s['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    targets_named = [t.strip() for t in args.targets.split(",") if t.strip()]
    scenarios = [int(x) for x in args.scenarios.split(",")]
    if max(scenarios) > 1000 or args.seconds > 120 or args.trials > 10:
        raise SystemExit("keep runs bounded: at most 1000 conversations, 120 s a run, 10 trials")
    walk = build_walk()
    work = Path(tempfile.mkdtemp(prefix="sharesafe-bench-"))
    redis_proc: Process | None = None
    redis_url = None
    needs_redis = any(t.replace("-agents", "").startswith("sharesafe-redis") for t in targets_named)
    if needs_redis:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server not found (apt-get install redis-server)")
        port = free_port()
        (work / "redis").mkdir()
        redis_proc = Process("redis-server", [binary, "--port", str(port), "--bind", HOST, "--dir", str(work / "redis"),
                                              "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                                              "--daemonize", "no"], dict(os.environ), work / "redis.log", port)
        redis_proc.start()
        wait_redis(port, redis_proc)
        redis_url = f"redis://{HOST}:{port}"
    trees = {name: Path(path).resolve() for name, _, path in (spec.partition("=") for spec in args.tree)}
    preloads = {name: str(Path(path).resolve()) for name, _, path in (spec.partition("=") for spec in args.preload)}
    targets = make_targets(targets_named, work, redis_url, trees, preloads)
    connector = FakeConnector()
    await connector.start()
    results: dict[tuple[str, int], list[RunResult]] = {}
    print(f"work dir {work}; {len(walk)} turns a walk; scenarios {scenarios}; {args.trials} trials of "
          f"{args.seconds:g} s; targets {targets_named}", flush=True)
    try:
        for target in targets:
            for w in target.workers:
                w.start()
        for target in targets:
            for w in target.workers:
                await wait_http(f"http://{HOST}:{w.port}/healthz", w)
        connector_limit = aiohttp.TCPConnector(limit=0, limit_per_host=0)
        async with aiohttp.ClientSession(connector=connector_limit) as session:
            # Warm up every worker (imports, first connections, script loading): one walk each, unmeasured.
            for target in targets:
                warm = RunResult(target.name, 1, -1)
                load = Load(target, walk, connector, session, warm, seconds=0.5, turn_timeout=args.turn_timeout,
                            seed=0, tag=f"warm-{target.name}")
                await load.run(len(target.workers), redis_proc)
                if warm.errors:
                    print(f"warm-up errors on {target.name}: {warm.error_examples}", flush=True)
            for trial in range(args.trials):
                for c in scenarios:
                    order = targets if trial % 2 == 0 else list(reversed(targets))
                    for target in order:
                        r = RunResult(target.name, c, trial)
                        load = Load(target, walk, connector, session, r, seconds=args.seconds,
                                    turn_timeout=args.turn_timeout, seed=trial * 1000 + c,
                                    tag=f"t{trial}-c{c}-{target.name}")
                        await load.run(c, redis_proc)
                        results.setdefault((target.name, c), []).append(r)
                        print(f"trial {trial + 1} {target.name:20s} {c:4d} conv: {r.turns_per_second:7.1f} turns/s "
                              f"p99 {pct(r.latencies_ms, 99):7.1f} ms  errors {sum(r.errors.values())} "
                              f"{r.error_examples[:2] if r.errors else ''}", flush=True)
                        await asyncio.sleep(0.5)
        summary = {key: summarise(rs) for key, rs in results.items()}
        checks = {}
        for target in targets:
            if target.sharesafe:
                checks[target.name] = store_check(target)
        print()
        print(table(summary, targets_named, scenarios))
        print()
        for c in scenarios:
            base = results.get(("baseline", c))
            if not base:
                continue
            for name in targets_named:
                if name == "baseline" or (name, c) not in results:
                    continue
                ratios = [a.turns_per_second / b.turns_per_second for a, b in zip(results[(name, c)], base)
                          if b.turns_per_second]
                if ratios:
                    print(f"ratio {name} / baseline at {c} conversations: median {statistics.median(ratios):.1f}x "
                          f"(trials {', '.join(f'{x:.1f}' for x in ratios)})")
        for name, check in checks.items():
            ok = check["verify_ok"] and check["records_in_store"] == check["references_given"]
            print(f"store check {name}: chain verifies={check['verify_ok']} records in store={check['records_in_store']} "
                  f"references given={check['references_given']} -> {'OK' if ok else 'MISMATCH'}")
        total_errors = sum(s["errors"] for s in summary.values())
        for key, s in summary.items():
            if s["errors"]:
                print(f"errors {key}: {s['error_kinds']} e.g. {s['examples']}")
            if s["duplicates"] or s["concurrent_pairs"]:
                print(f"{key[0]} at {key[1]}: {s['duplicates']} activities delivered twice at once, "
                      f"{s['concurrent_pairs']} answer+why pairs sent at once")
        if args.json:
            out = {"args": vars(args), "summary": {f"{k[0]}@{k[1]}": v for k, v in summary.items()},
                   "store_checks": checks, "table": table(summary, targets_named, scenarios)}
            Path(args.json).write_text(json.dumps(out, indent=1, default=str))
        bad_store = any(not c["verify_ok"] or c["records_in_store"] != c["references_given"] for c in checks.values())
        return 1 if total_errors or bad_store else 0
    finally:
        await connector.stop()
        for target in targets:
            for w in target.workers:
                w.stop()
        if redis_proc is not None:
            redis_proc.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(prog="python bench/load.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--targets", default=",".join(ALL_TARGETS),
                   help=f"comma-separated, from {ALL_TARGETS + AGENTS_TARGETS}")
    p.add_argument("--scenarios", default="1,10,100", help="concurrent conversations, comma-separated")
    p.add_argument("--trials", type=int, default=3, help="trials (targets alternate within each)")
    p.add_argument("--seconds", type=float, default=5.0, help="length of each run")
    p.add_argument("--turn-timeout", type=float, default=15.0, help="a turn with no reply by then is an error")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--tree", action="append", default=[], metavar="NAME=PATH",
                   help="another checkout of the bot; target `sharesafe-sqlite@NAME` runs it (before/after)")
    p.add_argument("--preload", action="append", default=[], metavar="NAME=FILE",
                   help="run FILE in the workers of the targets @NAME before the bot starts (as BENCH_PRELOAD)")
    p.add_argument("--keep", action="store_true", help="keep the work dir (logs, stores)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
