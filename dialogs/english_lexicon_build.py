"""Build english_lexicon.txt (beside this file) from the SCOWL British English word list.

Run by hand when the list is to be refreshed, never by the bot: `apt-get install -y wbritish`, then
`python -m dialogs.english_lexicon_build`. The identifier warning reads the built file only, so the
running bot depends on neither apt nor this script.

In SCOWL a lower-case entry is a common word and a capitalised one a proper noun (a name, a place, a
festival): both are kept, apart, so that a word on neither list is no English word at all.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from dialogs.english_lexicon import stems

SOURCE = Path("/usr/share/dict/british-english")
TARGET = Path(__file__).with_name("english_lexicon.txt")
# Words of the field that SCOWL's size-50 list lacks: typed in safeguarding notes, never names.
FIELD_WORDS = """
wellbeing handover handovers pic pics xray xrays obs sti stis hijab niqab burka burqa abaya jilbab kippah dupatta
mandem cuckooing sexting nudes selfie selfies vape vapes vaping smartphone smartwatch toileting safeguarding
neurodivergent neurodiverse meds paeds paediatric paediatrics onesie sleepover sleepovers groomer groomers
gaslighting upskirting catfish catfished catfishing livestream livestreamed meetup meetups aftercare
sextortion nai resus nitrous tutee mentee paddleboard frontline rota rotas payback epipen epipens
anaphylaxis anaphylactic centile centiles esports childminder childminders lanyard lanyards hoodie hoodies
trackies playdate playdates tiktok tiktoker tiktokers youtuber youtubers vlogger vloggers
""".split()
HEADER = """\
# English words for the identifier warning (dialogs/identifiers.py, read by dialogs/english_lexicon.py): a
# word in a person's slot ("called X", "mum X", "X said") that is not here, and on no given-name list, is
# read as a name. Lower case: common words; capitalised: proper nouns (places, festivals, some names).
# Regular -s/-es/-ed/-ing/-ly forms are derived at run time and left out here.
# Built by dialogs/english_lexicon_build.py from Debian's wbritish list (/usr/share/dict/british-english,
# SCOWL size 50, British spelling) with -ize words also spelt -ise, and a few words of the field.
# SCOWL: Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell
# these word lists, the associated scripts, the output created from the scripts, and its documentation
# for any purpose is hereby granted without fee, provided that the above copyright notice appears in
# all copies and that both that copyright notice and this permission notice appear in supporting
# documentation. Kevin Atkinson makes no representations about the suitability of this array for any
# purpose. It is provided "as is" without express or implied warranty.
"""


def build(source: Path = SOURCE) -> tuple[list[str], list[str]]:
    """The common words and the proper nouns of the source list, without derivable forms."""
    words, proper = set(FIELD_WORDS), set()
    for line in source.read_text(encoding="utf-8").splitlines():
        if not re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*", line):
            continue  # possessives ("Jane's") and contractions add nothing
        if line.islower():
            words.add(line)
            if "iz" in line:
                words.add(line.replace("iz", "is"))  # "radicalization" is "radicalisation" here
        elif line[0].isupper() and line[1:].islower():
            proper.add(line.lower())
    proper -= words
    return _underived(words), [w.capitalize() for w in _underived(proper)]


def _underived(words: set[str]) -> list[str]:
    """The words a regular ending on a kept word cannot give (shortest first, so the kept set is final)."""
    kept: set[str] = set()
    for word in sorted(words, key=lambda w: (len(w), w)):
        if not any(s in kept for s in stems(word)):
            kept.add(word)
    return sorted(kept)


def main() -> None:
    """Write english_lexicon.txt from the installed word list."""
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    words, proper = build(source)
    TARGET.write_text(HEADER + "\n".join(words + proper) + "\n", encoding="utf-8")
    print(f"{len(words)} words and {len(proper)} proper nouns written to {TARGET}")


if __name__ == "__main__":
    main()
