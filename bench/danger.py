"""Benchmark of the danger recogniser (dialogs/danger.py): the cost of reading one typed message.

    .venv/bin/python bench/danger.py            # tune corpus messages, plus long run-on notes

Target: under 0.2 ms a message on the machine that runs the bot (a benchmark, not a timed test).
The word cache is cleared before each "cold" pass, so it also pays for the first sight of a word.
Figures are CPU time of this process (time.process_time), so other work on a shared machine does
not inflate them; the slowest single message is wall-clock time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dialogs import danger  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "danger" / "tune.tsv"


def messages() -> list[str]:
    """Every text of the tune corpus, and a few long notes as a DSL request might hold."""
    texts = [line.split("\t", 2)[2] for line in CORPUS.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    long_note = " ".join(texts[400:440])  # a run-on note of forty ordinary lines
    return texts + [long_note, long_note[:2000], "yes", "no", "1"]


def main() -> None:
    """Time assess() over the corpus: mean and worst per message, best of five passes."""
    texts = messages()
    passes = []
    worst = 0.0
    for _ in range(5):
        danger._word.cache_clear()
        start = time.process_time()
        for text in texts:
            t0 = time.perf_counter()
            danger.assess(text)
            worst = max(worst, time.perf_counter() - t0)
        passes.append((time.process_time() - start) / len(texts))
    warm = []
    for _ in range(5):
        start = time.process_time()
        for text in texts:
            danger.assess(text)
        warm.append((time.process_time() - start) / len(texts))
    print(f"messages: {len(texts)}")
    print(f"mean per message, cold word cache: {min(passes) * 1000:.4f} ms (median pass {statistics.median(passes) * 1000:.4f} ms)")
    print(f"mean per message, warm word cache: {min(warm) * 1000:.4f} ms")
    note = texts[-4]  # the 2,000 character note
    best = min(_cpu(note) for _ in range(5))
    print(f"a 2,000 character note: {best * 1000:.3f} ms")
    print(f"slowest single message (wall clock, any pass): {worst * 1000:.3f} ms")


def _cpu(text: str) -> float:
    start = time.process_time()
    for _ in range(20):
        danger.assess(text)
    return (time.process_time() - start) / 20


if __name__ == "__main__":
    main()
