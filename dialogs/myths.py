"""Matching a typed question to a pack's myth-busting answers: keywords, word forms and typos.

Pure standard library (difflib), no model: the same question always gets the same answer, and a
policy officer can see why from the pack's keywords.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Iterable, Sequence

from dialogs.inputs import normalise
from dialogs.pack import Myth

# Words that say nothing about which myth a question is about: they don't count towards coverage.
FILLER = frozenset(
    "a an the i me my we our us you your to of is are am be been do does did can could should would will "
    "it its this that these those in on at for from with about if or and any anyone what how when who "
    "why there have has had so just really ever".split()
)
# Fuzzy matching only for words this long: shorter ones are too easily another word ("need", "feed").
FUZZY_MIN = 5
FUZZY_RATIO = 0.8


def stem(word: str) -> str:
    """A crude word form: 'sharing', 'shared', 'shares' and 'share' all give 'shar'."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=4096)
def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stems of a keyword phrase's words (a pack's keywords are few: worked out once each)."""
    return tuple(stem(w) for w in phrase.split())


def _swapped(a: str, b: str) -> bool:
    """True when b is a with two neighbouring letters swapped ('gdrp' / 'gdpr')."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def same_word(typed: str, keyword: str) -> bool:
    """True when a typed word (stemmed) is the keyword word (stemmed), a word form of it, or a typo of it."""
    if typed == keyword:
        return True
    if min(len(typed), len(keyword)) >= 4 and _swapped(typed, keyword):
        return True
    if min(len(typed), len(keyword)) < FUZZY_MIN:
        return False
    m = difflib.SequenceMatcher(None, typed, keyword)
    # The quick ratios are upper bounds of ratio(): most pairs are ruled out without computing it.
    return m.real_quick_ratio() >= FUZZY_RATIO and m.quick_ratio() >= FUZZY_RATIO and m.ratio() >= FUZZY_RATIO


def _found(phrase: str, stems: Sequence[str]) -> set[str] | None:
    """The typed words that make up a keyword phrase (every word of it must appear), or None."""
    used: set[str] = set()
    for keyword in phrase_stems(phrase):
        matched = {s for s in stems if same_word(s, keyword)}
        if not matched:
            return None
        used |= matched
    return used


def best_match(myths: Iterable[Myth], text: str) -> Myth | None:
    """The myth that answers a typed question, if one matches well enough.

    A myth matches when at least two of its keywords appear (or its only one). Among those, the
    one whose keywords cover most of the question's words wins, then the one with more keywords
    found, then the one listed first. A myth that `needs` a word the question lacks (a MASH answer
    for a question that never says MASH) is marked down below any match.
    """
    words = normalise(text).split()
    if len(set(words)) < 2:
        return None
    stems = [stem(w) for w in words]
    content = {s for w, s in zip(words, stems) if w not in FILLER}
    best, best_key = None, None
    for index, myth in enumerate(myths):
        hits: set[tuple[str, ...]] = set()
        covered: set[str] = set()
        for keyword in myth.keywords:
            used = _found(keyword, stems)
            if used is not None:
                hits.add(phrase_stems(keyword))
                covered |= used
        distinct = {phrase_stems(k) for k in myth.keywords}
        if len(hits) < min(2, len(distinct)):
            continue
        missing = sum(1 for need in myth.needs if _found(need, stems) is None)
        score = len(covered & content) / max(1, len(content)) - missing
        if score <= 0:
            continue
        key = (score, len(hits), -index)
        if best_key is None or key > best_key:
            best, best_key = myth, key
    return best
