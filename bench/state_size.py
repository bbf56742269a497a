"""How big a conversation's stored state is, and the preset dictionary that keeps it small.

    .venv/bin/python bench/state_size.py                 # sizes over sample walks, every form
    .venv/bin/python bench/state_size.py --cpu           # and what deflating and inflating cost
    .venv/bin/python bench/state_size.py --write FILE    # build a new dictionary from other walks

The walks run the real turn runner in this process on a temporary SQLite store: the benchmark's
walk (the flowchart, a decision record, confirm), and seeded random walks that tap any choice a
reply offers and type invented, anonymised text where a question asks for it (DSL and MASH
requests, records, corrections, the menu). Every saved state is read back as it is stored.

A dictionary is built from walks with other seeds than the ones it is measured on: the most
common states' JSON, most typical last (deflate reaches the end of a dictionary most cheaply).
A shipped dictionary is never edited (see state/state_json.py); a new one is a new file.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
from collections import Counter
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load import build_walk  # noqa: E402
from bot.turn.delivery import DeliveryNotes  # noqa: E402
from bot.turn.outbox import stored_reply  # noqa: E402
from bot.turn.runner import build_runner  # noqa: E402
from dialogs.model import Practitioner, UserInput  # noqa: E402
from state import state_json  # noqa: E402
from state.factory import open_stores  # noqa: E402

# Invented, anonymised answers for free-text questions (no names, dates or numbers of anyone).
TEXTS = [
    "Attendance and injury concerns", "Health visitor", "Children's social care", "Early help",
    "Child protection referral", "School nurse", "Concern about neglect at home", "Police",
    "Worried about bruising seen in PE", "Family support worker", "To agree a plan with the DSL",
    "Mum asked us not to tell anyone", "GP practice", "Youth offending team", "Housing officer",
    "Request advice on whether to share", "The DSL", "Not sure", "Missed health appointments",
]


class Capture:
    """A conversation store wrapper that keeps every state as it was saved."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.saved: list[dict[str, Any]] = []

    async def load(self, conversation_id: str):
        return await self.inner.load(conversation_id)

    async def save(self, conversation_id: str, state: dict[str, Any], expected_version: int) -> int:
        self.saved.append(state)
        return await self.inner.save(conversation_id, state, expected_version)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _render(replies: Any, key: str) -> list[dict[str, Any]]:
    # What the Teams channel saves for re-sending (bot/channels/bot.py _render_replies).
    return [stored_reply(r) for r in replies]


async def _delivered(runner: Any, conversation: str, outcome: Any) -> None:
    # As the channel does once the replies are posted: the next save drops them from the outbox.
    if outcome.outbox:
        await runner.notes.mark_delivered(conversation, outcome.outbox["key"])


async def walks(seeds: range, bench_walks: int = 2) -> list[dict[str, Any]]:
    """Every state saved over the benchmark's walk (bench_walks times) and one random walk a seed."""
    with tempfile.TemporaryDirectory() as tmp:
        stores = await open_stores(redis_url=None, data_dir=tmp)
        capture = Capture(stores.conversations)
        stores.conversations = capture
        runner = build_runner(stores=stores, pack_id="national-2018", notes=DeliveryNotes())
        user = Practitioner(user_id="29:size-bench", name="Bench", organisation="org-1")
        n = 0
        try:
            for walk in range(bench_walks):
                for step in build_walk():
                    n += 1
                    outcome = await runner.run_turn(f"bench-{walk}", UserInput(
                        text=step.text or "", value=step.value, user=user, activity_id=f"a{n}"), render=_render)
                    await _delivered(runner, f"bench-{walk}", outcome)
            for seed in seeds:
                rng = random.Random(seed)
                conversation = f"random-{seed}"
                text, value = "hello", None
                for _ in range(rng.randint(8, 40)):
                    n += 1
                    outcome = await runner.run_turn(conversation, UserInput(text=text, value=value, user=user,
                                                                            activity_id=f"a{n}"), render=_render)
                    await _delivered(runner, conversation, outcome)
                    last = outcome.replies[-1] if outcome.replies else None
                    choices = [c.value for c in (last.choices if last else ())]
                    if last is not None and last.input_hint is not None and (not choices or rng.random() < 0.7):
                        text, value = rng.choice(TEXTS), None
                    elif choices:
                        text, value = "", {"choice": rng.choice(choices)}
                    else:
                        text, value = "menu", None
        finally:
            await stores.close()
        return capture.saved


def build(states: list[dict[str, Any]], size: int = 16384) -> bytes:
    """A dictionary of the given size: the replies states keep for re-sending (the pack's questions,
    rules and outcomes as stored), rarest first, then a quarter of whole states without them."""
    replies: Counter[bytes] = Counter()
    rest: Counter[bytes] = Counter()
    for state in states:
        for entry in state.get("outbox") or ():
            for activity in entry.get("activities") or ():
                replies[state_json.encode(activity)] += 1
        rest[state_json.encode({k: v for k, v in state.items() if k != "outbox"})] += 1
    typical = sorted(rest, key=lambda body: len(zlib.compress(body, 1)))
    tail = b"".join(typical[:: max(1, len(typical) // 8)])[-(size // 4):]
    head = b"".join(body for body, _ in sorted(replies.items(), key=lambda item: item[1]))
    return head[-(size - len(tail)):] + tail


def report(states: list[dict[str, Any]]) -> None:
    """Median and largest size of the states: JSON, zlib alone, and deflated against the dictionary."""
    from cryptography.fernet import Fernet, MultiFernet

    ring = MultiFernet([Fernet(Fernet.generate_key())])
    forms = {
        "JSON": [len(state_json.encode(s)) for s in states],
        "zlib alone (level 1)": [len(zlib.compress(state_json.encode(s), 1)) for s in states],
        f"with dictionary {state_json.CURRENT}": [len(state_json.pack(s)) for s in states],
        "the same, encrypted (SHARESAFE_RECORD_KEYS)": [len(state_json.pack({"enc:z1": ring.encrypt(
            state_json.deflate(state_json.encode(s))).decode("ascii")})) for s in states],
    }
    print(f"{len(states)} saved states")
    print("| form | median bytes | 90th percentile | largest | share under 1 KB |")
    print("|---|---|---|---|---|")
    for name, sizes in forms.items():
        sizes.sort()
        under = sum(1 for s in sizes if s < 1024) / len(sizes)
        print(f"| {name} | {statistics.median(sizes):.0f} | {sizes[int(len(sizes) * 0.9)]} | {sizes[-1]} | {under:.1%} |")


def cpu(states: list[dict[str, Any]], n: int = 400) -> None:
    """Cost of storing and reading a state, cache-cold as in a busy worker (4 MB streamed between
    calls): the dictionary pack/unpack against the plain zlib Redis used before (level 1, 8 KB)."""
    bodies = [state_json.encode(s) for s in states]
    packed = [state_json.deflate(b) for b in bodies]
    old = []
    for body in bodies:
        packer = zlib.compressobj(1, zlib.DEFLATED, 13)
        old.append(packer.compress(body) + packer.flush())
    junk = bytearray(8 << 20)

    def cold(fn: Any, items: list[bytes]) -> float:
        times = []
        for i in range(n):
            item = items[i % len(items)]
            bytes(junk[: 4 << 20])
            start = time.perf_counter()
            fn(item)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1e6

    def old_deflate(body: bytes) -> bytes:
        packer = zlib.compressobj(1, zlib.DEFLATED, 13)
        return packer.compress(body) + packer.flush()

    print("| step (median, cache-cold) | plain zlib, before | with the dictionary |")
    print("|---|---|---|")
    print(f"| deflate a state | {cold(old_deflate, bodies):.1f} us | {cold(state_json.deflate, bodies):.1f} us |")
    print(f"| inflate a state | {cold(zlib.decompress, old):.1f} us | {cold(state_json.inflate, packed):.1f} us |")


def main(argv: list[str] | None = None) -> int:
    """Measure state sizes, or write a new dictionary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="build a dictionary from seeds 1000-1199 and write it here")
    parser.add_argument("--cpu", action="store_true", help="also time deflating and inflating, cache-cold")
    args = parser.parse_args(argv)
    if args.write:
        args.write.write_bytes(build(asyncio.run(walks(range(1000, 1200)))))
        print(f"wrote {args.write} ({args.write.stat().st_size} bytes, Adler-32 {zlib.adler32(args.write.read_bytes())})")
        return 0
    states = asyncio.run(walks(range(1, 61)))
    report(states)
    if args.cpu:
        cpu(states)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
