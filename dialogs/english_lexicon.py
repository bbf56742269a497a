"""A real English lexicon for the identifier warning: is a word an everyday English word, or a proper noun?

The words are SCOWL's (Debian's wbritish list), built into english_lexicon.txt beside this module by
english_lexicon_build.py; the running bot reads only that file. Regular -s, -es, -ed, -ing and -ly
forms are derived here, so the file holds the forms the source lists and the build cannot derive.
"""

from __future__ import annotations

from pathlib import Path

_PATH = Path(__file__).with_name("english_lexicon.txt")


def _load() -> tuple[frozenset[str], frozenset[str]]:
    words, proper = set(), set()
    if _PATH.exists():  # (absent only while the build script writes it for the first time)
        for line in _PATH.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            if line[0].isupper():
                proper.add(line.lower())
            else:
                words.add(line)
    return frozenset(words), frozenset(proper)


WORDS, PROPER = _load()


def stems(low: str) -> list[str]:
    """The base forms a regular -s, -es, -ies, -ed, -ing or -ly ending may have come from."""
    out = []
    n = len(low)
    if n > 3 and low.endswith("s") and not low.endswith("ss"):
        out.append(low[:-1])
        if low.endswith("ies"):
            out.append(low[:-3] + "y")
        elif low.endswith("es") and low[:-2].endswith(("s", "x", "z", "ch", "sh", "o")):
            out.append(low[:-2])
    if n > 4 and low.endswith("ed"):
        base = low[:-2]
        if low.endswith("ied"):
            out.append(low[:-3] + "y")
        elif not base.endswith("e"):
            out.append(base)  # "messaged" from "message" is the next one
            out.append(base + "e")
            if len(base) > 2 and base[-1] == base[-2]:
                out.append(base[:-1])  # "stopped"
    if n > 5 and low.endswith("ing"):
        base = low[:-3]
        out += [base, base + "e"]
        if len(base) > 2 and base[-1] == base[-2]:
            out.append(base[:-1])
    if n > 4 and low.endswith("ly"):
        out.append(low[:-2])
        if low.endswith("ily"):
            out.append(low[:-3] + "y")
    for ending in ("isation", "ization", "ised", "ized", "ising", "izing", "ises", "izes", "ise", "ize"):
        if low.endswith(ending) and n - len(ending) >= 5:
            out.append(low[:-len(ending)])  # "radicalisation", "sexualised": not in the source list
            break
    return [s for s in out if len(s) > 2]


def is_english(low: str) -> bool:
    """True when a lower-case word, or the word a regular ending was added to, is an English word."""
    return low in WORDS or any(s in WORDS for s in stems(low))


def is_proper(low: str) -> bool:
    """True when a lower-case word is a proper noun the lexicon holds (a place, a name, a festival)."""
    return low in PROPER or any(s in PROPER for s in stems(low))
