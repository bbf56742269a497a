"""`python -m bot phrases check FILE`: how the danger recogniser reads a partnership's own phrasings.

    python -m bot phrases check FILE     one line a message: the label, then the message
    python -m bot phrases train [DIR] [--out FILE]   learn the danger model again from DIR's tune.tsv and holdout*.tsv

FILE is plain text, one message a line, or a corpus in the danger corpus format
(`label<TAB>category<TAB>text`, label `danger` or `ordinary`; see tests/data/danger). Each line is
printed with what the recogniser makes of it: clear (the 999 card), possible (the one line 999
reminder) or none, and the kind of danger. For a corpus the recall of each category and the false
alarm rate follow. Nothing is sent anywhere; the file is only read.

`train` learns dialogs/danger_model.json (dialogs/danger_model.py) from the tuning and held-out
files only: blind*.tsv are never read, so their figures stay honest. Run it after adding lines.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence, TextIO

from bot.cli import tool_parser
from dialogs import danger_model  # standard library only

# dialogs.danger is imported in the functions that read lines, not here: this module is imported to
# build the whole command line, and loading the danger reader cost every `python -m bot ...` command.

CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "danger"
DANGER_LABELS = ("danger", "ordinary")
ORDINARY_CATEGORIES = ("answer", "form_field", "past", "topic", "negation", "hypothetical", "command", "other")


@dataclass(frozen=True)
class Line:
    """One corpus line: `danger` or `ordinary`, its category, the message."""

    label: str
    category: str
    text: str


def read_corpus(path: Path) -> list[Line]:
    """The labelled lines of a danger corpus file (comments and blank lines skipped)."""
    return list(parse_corpus(path.read_text(encoding="utf-8").splitlines(), path.name))


def parse_corpus(lines: Iterable[str], name: str = "corpus") -> Iterable[Line]:
    """Labelled lines from `label<TAB>category<TAB>text` rows; ValueError naming the row if one is wrong."""
    from dialogs import danger

    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t", 2)
        if len(parts) != 3 or not parts[2].strip():
            raise ValueError(f"{name}:{number}: expected label<TAB>category<TAB>text")
        label, category, text = parts
        allowed = danger.CATEGORIES if label == "danger" else ORDINARY_CATEGORIES if label == "ordinary" else ()
        if category not in allowed:
            raise ValueError(f"{name}:{number}: label {label!r} with category {category!r} is not in the format")
        yield Line(label, category, text)


@dataclass
class Figures:
    """Recall per danger category and alarm rates on ordinary messages."""

    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    ordinary: int = 0
    clear_alarms: int = 0
    possible: int = 0
    missed: list[Line] = field(default_factory=list)
    false_alarms: list[Line] = field(default_factory=list)

    def add(self, line: Line, level: str) -> None:
        """Count one corpus line with the level the recogniser gave it."""
        from dialogs import danger

        if line.label == "danger":
            self.total[line.category] = self.total.get(line.category, 0) + 1
            if level != danger.NONE:
                self.found[line.category] = self.found.get(line.category, 0) + 1
            else:
                self.missed.append(line)
        else:
            self.ordinary += 1
            if level == danger.CLEAR:
                self.clear_alarms += 1
                self.false_alarms.append(line)
            elif level == danger.POSSIBLE:
                self.possible += 1

    def recall(self, category: str | None = None) -> float:
        """Share of danger lines read as clear or possible (one category, or all)."""
        cats = [category] if category else list(self.total)
        total = sum(self.total.get(c, 0) for c in cats)
        return sum(self.found.get(c, 0) for c in cats) / total if total else 1.0

    def false_alarm_rate(self) -> float:
        """Share of ordinary lines read as clear danger (the 999 card for nothing)."""
        return self.clear_alarms / self.ordinary if self.ordinary else 0.0


def measure(lines: Iterable[Line]) -> Figures:
    """Run the recogniser over corpus lines."""
    from dialogs import danger

    figures = Figures()
    for line in lines:
        figures.add(line, danger.assess(line.text).level)
    return figures


def table(columns: Sequence[tuple[str, Figures]]) -> str:
    """The figures side by side: recall per category, overall, false alarms and reminders."""
    from dialogs import danger

    def cell(found: int, total: int) -> str:
        return f"{found}/{total} {100 * found / total:5.1f}%" if total else "-"

    head = f"{'':24}" + "".join(f"{name:>20}" for name, _ in columns)
    rows = [head]
    for cat in danger.CATEGORIES:
        rows.append(f"{cat:24}" + "".join(f"{cell(f.found.get(cat, 0), f.total.get(cat, 0)):>20}" for _, f in columns))
    rows.append(f"{'recall (overall)':24}" + "".join(
        f"{cell(sum(f.found.values()), sum(f.total.values())):>20}" for _, f in columns))
    rows.append(f"{'clear false alarms':24}" + "".join(f"{cell(f.clear_alarms, f.ordinary):>20}" for _, f in columns))
    rows.append(f"{'possible on ordinary':24}" + "".join(f"{cell(f.possible, f.ordinary):>20}" for _, f in columns))
    return "\n".join(rows)


def check(path: Path, out: TextIO) -> int:
    """Print each line of FILE with its label; for a corpus file, the figures too."""
    from dialogs import danger

    raw = path.read_text(encoding="utf-8").splitlines()
    rows = [r for r in raw if r.strip() and not r.startswith("#")]
    is_corpus = bool(rows) and all(r.split("\t", 1)[0] in DANGER_LABELS and r.count("\t") >= 2 for r in rows)
    if is_corpus:
        lines = list(parse_corpus(raw, path.name))
    else:
        lines = [Line("", "", r.strip()) for r in rows]
    figures = Figures()
    for line in lines:
        found = danger.assess(line.text)
        kind = f"{found.level} {found.category}".strip()
        expected = f"[{line.label} {line.category}]" if line.label else ""
        # The longest label ("possible forced_marriage_abroad") is 31 characters: always a gap after it.
        out.write(f"{kind:31} {expected:32}{line.text}\n" if is_corpus else f"{kind:31} {line.text}\n")
        if is_corpus:
            figures.add(line, found.level)
    if is_corpus:
        out.write("\n" + table([(path.name, figures)]) + "\n")
    return 0


def training_files(corpus_dir: Path) -> list[Path]:
    """What the model learns from: tune.tsv and every holdout*.tsv, never a blind set."""
    return [corpus_dir / "tune.tsv", *sorted(corpus_dir.glob("holdout*.tsv"))]


def train(corpus_dir: Path, out: TextIO, model_path: Path = danger_model.MODEL_PATH) -> int:
    """Learn the danger model from the corpus and write it beside the recogniser."""
    files = training_files(corpus_dir)
    lines = [line for path in files for line in read_corpus(path)]
    weights, bias = danger_model.learn((line.label == "danger", line.text) for line in lines)
    kept = danger_model.save(weights, bias, danger_model.corpus_hash(files), model_path)
    out.write(f"Learned from {len(lines)} lines in {len(files)} files; {kept} weights written to {model_path}.\n")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `phrases` subcommand with `check` and `train`, each answering --help."""
    commands = tool_parser(sub, "phrases", help="show how typed messages are read for danger",
                           description=__doc__ or "", dest="phrases_command")
    check_cmd = commands.add_parser(
        "check", help="print how the recogniser reads each line of FILE",
        description="Print each line of FILE with what the danger recogniser makes of it (clear, possible or "
                    "none, and the kind); for a labelled corpus, recall and false alarms too. Only reads the file.")
    check_cmd.add_argument("file", metavar="FILE", help="one message a line, or label<TAB>category<TAB>text rows")
    train_cmd = commands.add_parser(
        "train", help="learn the danger model again from the tuning and held-out files",
        description="Learn the danger model from DIR's tune.tsv and holdout*.tsv (never a blind set).")
    train_cmd.add_argument("corpus_dir", nargs="?", metavar="DIR", type=Path, default=CORPUS_DIR,
                           help="the corpus folder (default: tests/data/danger)")
    train_cmd.add_argument("--out", type=Path, default=danger_model.MODEL_PATH,
                           help="where to write the model (default: dialogs/danger_model.json, which the bot reads)")


def command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """`phrases check` or `phrases train` as parsed."""
    out = out or sys.stdout
    where = args.corpus_dir if args.phrases_command == "train" else Path(args.file)
    try:
        if args.phrases_command == "train":
            return train(args.corpus_dir, out, args.out)
        return check(where, out)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        sys.stderr.write(f"{where}: {exc}\n")
        return 1


def main(argv: Sequence[str], out: TextIO | None = None) -> int:
    """Entry point for `python -m bot phrases ...` (argv without the 'phrases' word)."""
    from bot.cli.main import main as bot_main

    return bot_main(["phrases", *argv], out)
