"""The identifier detector measured on a labelled corpus of what practitioners type into DSL and
MASH requests: recall per kind, overall, and false alarms on anonymised (clean) notes.

tune.tsv was written by the detector's author before the detector; every holdout*.tsv by another
engineer, unseen while the detector was written (some were blind sets, measured once and then tuned
on). Figures are printed for each file (run with -s): per kind, the lines caught and the clean lines
wrongly flagged as that kind.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from dialogs import english_lexicon, identifiers

DATA = Path(__file__).parent / "data" / "identifiers"
# The tuning half, and every held-out file (holdout*.tsv) written so far, each reported on its own.
FILES = ("tune.tsv", *sorted(p.name for p in DATA.glob("holdout*.tsv")))
# Blind sets (blind*.tsv): written by someone who never saw the detector, reported here and never
# tuned on, so their figures are the honest ones; they are not held to the thresholds (a blind set
# that is tuned on stops being blind: it is then renamed holdout*.tsv and joins the checked corpus).
# They are read only when SHARESAFE_IDENTIFIERS_BLIND=1 (.ci/run sets it): whoever tunes the detector
# runs without it and so never sees them.
BLIND = (tuple(sorted(p.name for p in DATA.glob("blind*.tsv")))
         if os.environ.get("SHARESAFE_IDENTIFIERS_BLIND") == "1" else ())

# The same thresholds as the danger corpus (issue 12). A missed identifier reaches people who
# should not know who the child is (golden rule 3), so 99% of identifying lines must be caught, and
# 95% of every kind, so that no one kind (dates, say) can slip through behind the others. A warning
# on a clean note costs the practitioner a tap, but as needless warnings grow they learn to tap
# "Send anyway" without reading, and then it protects nobody: false alarms stay under 3%.
MIN_RECALL = 0.99
MIN_RECALL_PER_KIND = 0.95
MAX_FALSE_ALARMS = 0.03


def _load(name: str) -> list[tuple[str, tuple[str, ...], str]]:
    rows = []
    path = DATA / name
    if not path.exists():
        return rows
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, kinds, text = line.split("\t", 2)
        assert label in ("identifying", "clean"), f"{name}:{number}: label {label!r}"
        kind_list = tuple(k.strip() for k in kinds.split(",")) if label == "identifying" else ()
        assert all(k in identifiers.KINDS for k in kind_list), f"{name}:{number}: kinds {kinds!r}"
        rows.append((label, kind_list, text))
    return rows


def _measure(rows) -> dict:
    """Caught identifying lines (overall and per kind) and clean lines with any finding."""
    found = Counter()
    total = Counter()
    same_kind = Counter()
    clean = alarms = 0
    alarm_kinds = Counter()
    for label, kinds, text in rows:
        findings = identifiers.find(text)
        if label == "clean":
            clean += 1
            alarms += bool(findings)
            alarm_kinds.update({f.kind for f in findings})
            continue
        total["all"] += 1
        found["all"] += bool(findings)
        got = {f.kind for f in findings}
        for kind in kinds:
            total[kind] += 1
            found[kind] += bool(findings)
            same_kind[kind] += kind in got
    return {"found": found, "total": total, "same_kind": same_kind, "clean": clean, "alarms": alarms,
            "alarm_kinds": alarm_kinds}


def _report(name: str, m: dict) -> str:
    lines = [f"{name}: {m['found']['all']}/{m['total']['all']} identifying lines caught "
             f"({m['found']['all'] / max(m['total']['all'], 1):.1%}); false alarms {m['alarms']}/{m['clean']} "
             f"clean lines ({m['alarms'] / max(m['clean'], 1):.1%})"]
    for kind in identifiers.KINDS:
        if m["total"][kind]:
            lines.append(f"  {kind:9} caught {m['found'][kind]}/{m['total'][kind]} "
                         f"({m['found'][kind] / m['total'][kind]:.0%}), named as {kind} {m['same_kind'][kind]}; "
                         f"false alarms {m['alarm_kinds'][kind]}/{m['clean']} clean lines")
    return "\n".join(lines)


def test_the_tuning_corpus_is_big_enough_and_well_formed():
    rows = _load("tune.tsv")
    kinds = Counter(k for label, ks, _ in rows if label == "identifying" for k in ks)
    assert sum(1 for r in rows if r[0] == "identifying") >= 150
    assert sum(1 for r in rows if r[0] == "clean") >= 150
    assert all(kinds[k] >= 12 for k in identifiers.KINDS), kinds


@pytest.mark.parametrize("name", FILES + BLIND)
def test_figures_for_each_corpus_are_printed(name, capsys):
    rows = _load(name)
    # A held-out or blind file with no lines would count as measured while measuring nothing.
    assert rows, f"{name} holds no labelled lines: write them, or remove the file"
    m = _measure(rows)
    with capsys.disabled():
        print("\n" + _report(name, m))
    assert m["total"]["all"] and m["clean"]


def _checked_rows():
    return [r for name in FILES for r in _load(name)]


def test_recall_and_false_alarms_over_the_whole_corpus():
    rows = _checked_rows()
    m = _measure(rows)
    recall = m["found"]["all"] / m["total"]["all"]
    false_alarms = m["alarms"] / m["clean"]
    missed = [text for label, _, text in rows if label == "identifying" and not identifiers.find(text)]
    flagged = [text for label, _, text in rows if label == "clean" and identifiers.find(text)]
    assert recall >= MIN_RECALL, f"recall {recall:.1%}; missed e.g. {missed[:5]}"
    assert false_alarms < MAX_FALSE_ALARMS, f"false alarms {false_alarms:.1%}; e.g. {flagged[:5]}"


@pytest.mark.parametrize("kind", identifiers.KINDS)
def test_recall_for_every_kind_over_the_whole_corpus(kind):
    rows = [r for r in _checked_rows() if kind in r[1]]
    assert rows, f"no identifying line of kind {kind} in the checked corpus"
    missed = [text for _, _, text in rows if not identifiers.find(text)]
    recall = 1 - len(missed) / len(rows)
    assert recall >= MIN_RECALL_PER_KIND, f"{kind}: recall {recall:.1%}; missed e.g. {missed[:5]}"


@pytest.mark.parametrize("text,kind,span", [
    ("child Jane Smith DOB 01/02/2015 disclosed", "name", "Jane Smith"),
    # A day and month with no year dates an event about the child. "Meeting on 3 Dec" was once
    # listed as everyday; it is flagged now: a meeting in a DSL or MASH note is about this child (a
    # strategy meeting, an ICPC), and independent labellers mark such dates as identifying. The
    # warning costs a tap; a date that lets the reader find the child costs far more.
    ("meeting on 3 Dec, 14:00", "date", "3 Dec"),
    ("Mum rang on 28 Feb, upset", "date", "28 Feb"),
    ("disclosed on Tuesday 17th to her tutor", "date", "Tuesday 17th"),
    ("Re: the Hendersons - three children", "name", "Hendersons"),
    ("young person R. Castellano, 15, staying with an adult", "name", "R. Castellano"),
    ("The flat is 4B Fennimore House, Cobden Street", "address", "4B Fennimore House, Cobden Street"),
    ("child Jane Smith DOB 01/02/2015 disclosed", "dob", "01/02/2015"),
    ("NHS 943 476 5919 missed checks", "nhs", "943 476 5919"),
    ("UPN A123456789012 absent", "upn", "A123456789012"),
    ("moved to BD7 1DP", "postcode", "BD7 1DP"),
    ("mum on 07700 900123", "phone", "07700 900123"),
    # Names as people type them: lower case, nicknames, and the words around them that say a person.
    ("mum is called shanice, she rang reception", "name", "shanice"),
    ("nanna pat says shes not coping", "name", "pat"),
    ("uncle shaz keeps giving the lads lifts", "name", "shaz"),
    ("the wrights next door hear the crying", "name", "wrights"),
    ("The O'Driscoll boy in 11R has stopped speaking", "name", "O'Driscoll"),
    ("abdi's mother said she can't stop him", "name", "abdi"),
    ("siobhán in yr 10 told the counsellor", "name", "siobhán"),
    ("little oliver-james says his uncle hurts him", "name", "oliver-james"),
    ("jordan (the boy, age 11) delivers packages", "name", "jordan"),
    ("'Ruby' is the child's name I think", "name", "Ruby"),
    ("NHS number: 8599 528 904 - toddler with bite marks", "nhs", "8599 528 904"),
    ("Lives in the B11 4RD area with grandparents", "postcode", "B11 4RD"),
    ("sleeping in the stairwell of Kingsley House, Park Street", "address", "Kingsley House, Park Street"),
    # An everyday given name is a name when a surname or what a person does follows it.
    ("grace mcleod said her mam hits her", "name", "grace mcleod"),
    ("summer and her brother jack were left alone", "name", "summer"),
    ("little ruby w said mummy sleeps all day", "name", "ruby w"),
    ("poppy r in reception is always hungry", "name", "poppy r"),
    ("the o'sullivan-grant twins both had bruises", "name", "o'sullivan-grant"),
    ("yp semhar says the man makes the girls clean", "name", "semhar"),
    # Dates of birth as they are spoken, and year first; a one-word street with a house number.
    ("date of birth twenty second of january 2014, pregnant", "dob", "twenty second of january 2014"),
    ("dob fourth of march two thousand and sixteen", "dob", "fourth of march two thousand and sixteen"),
    ("D.O.B. 2014/12/05 disclosure of FGM", "dob", "2014/12/05"),
    ("the boarded up house at 88 Kingsway", "address", "88 Kingsway"),
    # A full name no list holds, said after a person word; faith titles; a saint's or double surname
    # before "family"; a title, an initial and a lower-case surname; a date of birth as two ordinals.
    ("Father is Dimitrios Papadopoulos, he has a conviction", "name", "Dimitrios Papadopoulos"),
    ("staying with Ifeoma Chukwu, a family friend", "name", "Ifeoma Chukwu"),
    ("Rev Dlamini at the church says Thandiwe is sleeping there", "name", "Rev Dlamini"),
    ("Rev Dlamini at the church says Thandiwe is sleeping there", "name", "Thandiwe"),
    ("imam qureshi rang school this morning", "name", "imam qureshi"),
    ("St John-Smythe family declined the early help offer", "name", "St John-Smythe"),
    ("ms d. adeyemi (aunt) has been caring for the twins", "name", "ms d. adeyemi"),
    ("ruby born on the 2nd of the 2nd 2020 is not talking", "dob", "2nd of the 2nd 2020"),
    # Names no list holds and no cue word marks: two words that are not English joined by "and" as
    # the subject; "the girl is X"; a surname with its particle; a full name opening a sentence before
    # what a person does; an initial and a lower-case double surname; a name after "surname is".
    ("tinashe and rutendo have been kept home", "name", "tinashe and rutendo"),
    ("the girl is bisola. she's 14", "name", "bisola"),
    ("the van der merwe boy asks for food", "name", "van der merwe"),
    ("Giorgos Christodoulou lives at 77 Green Lanes", "name", "Giorgos Christodoulou"),
    ("Giorgos Christodoulou lives at 77 Green Lanes", "address", "77 Green Lanes"),
    ("j. okonkwo-bright (yr 9) has no coat", "name", "j. okonkwo-bright"),
    ("pupil's surname is McAllister, dad in prison", "name", "McAllister"),
    # Names set off from the sentence: a short form and the full name in brackets; two names between
    # commas after a people word; what a child calls a parent in the family's language, before the
    # surname; someone to ring; a name no list holds opening a sentence before what a person does.
    ("deji (adedeji) keeps falling asleep in lessons", "name", "deji (adedeji)"),
    ("concerned for two brothers, Obinna and Chidubem, after dad's arrest", "name", "Obinna and Chidubem"),
    ("Bunica Popescu does not speak English, the girl interprets", "name", "Popescu"),
    ("Abba Rahman (dad) refused to let the nurse see the baby", "name", "Rahman"),
    ("please ring Funmi on 07700 900417, the neighbour", "name", "Funmi"),
    ("Zbyszek keeps asking staff if he can stay late", "name", "Zbyszek"),
    # Capitals, letters beyond Latin-1, an everyday-word name before the day it happened; an NHS
    # number in any grouping with a valid check digit.
    ("CONCERN RE KWABENA OSEI, YR 8, SAYS HE IS HUNGRY", "name", "KWABENA OSEI"),
    ("Ionuț Bălănescu upn K309251746112 arrived last month", "name", "Ionuț Bălănescu"),
    ("jade monday 14th said she was scared to go home", "name", "jade"),
    ("her hospital band says 1398 4916 59, admitted overnight", "nhs", "1398 4916 59"),
    # Names met in passing: in capitals inside an ordinary note, before a bracket that says who the
    # person is, after talking with or seeing someone, opening a clause after a dash or a colon, and an
    # initial with a lower-case surname before the class.
    ("MOHAMMED has told his tutor he sleeps on the sofa", "name", "MOHAMMED"),
    ("IKECHUKWU and ADAEZE OBI both late again", "name", "ADAEZE OBI"),
    ("DANIELLA has told her friend her stepdad comes into her room", "name", "DANIELLA"),
    ("Bongani (Zimbabwean girl, year 11) says her aunt keeps her home", "name", "Bongani"),
    ("Olamide Coker (yp, 15) missing since last night", "name", "Olamide Coker"),
    ("met with Dariusz this morning, he has a black eye", "name", "Dariusz"),
    ("spoke to kwesi today, he was sleeping in the park", "name", "kwesi"),
    ("PCSO - Andrius Kazlauskas was found in the park", "name", "Andrius Kazlauskas"),
    ("m jones in 4B has bruises on his arms again", "name", "m jones"),
    # A surname that is also a place noun stays a name when what follows says a person.
    ("Amelia Rose Ward has a burn on her hand", "name", "Amelia Rose Ward"),
    ("Kayden Smith class teacher reported the bruises", "name", "Kayden Smith"),
    # Shapes that once slipped past: a weekday before a day and month in figures; a room in a hostel on
    # a street; a house number before a street word no list held; an email typed loose; a surname no
    # list holds before "children"; a name set off by tildes; a birthday typed "bday".
    ("the last time anyone saw him was Thurs 10/4 at the bus station", "date", "Thurs 10/4"),
    ("mum says she is at Room 3, Hollybush Hostel, Gower Street", "address", "Room 3, Hollybush Hostel, Gower Street"),
    ("social worker saw her at 19 Old Mill Yard behind the station", "address", "19 Old Mill Yard"),
    ("she says she is sleeping at 27 Foundry Bridge with a friend", "address", "27 Foundry Bridge"),
    ("dad emailed from bigdave1977 @ example.com saying", "email", "bigdave1977 @ example.com"),
    ("his email is jay.bee99 at gmail dot com if you need it", "email", "jay.bee99 at gmail dot com"),
    ("the ekwueme children have been left with a neighbour", "name", "ekwueme"),
    ("yr 4 girl ~ grace oduya ~ says she is not allowed to eat", "name", "grace oduya"),
    ("bday 5.10.16, disclosed today that her step brother hurts her", "dob", "5.10.16"),
    ("Our pupil, Maksymilian, says he is scared of his stepdad", "name", "Maksymilian"),
    ("teen girl (Jasmin K) seen in a car with older men", "name", "Jasmin K"),
    ("Ref Kacey-Leigh B, reception, mum not collecting on time", "name", "Kacey-Leigh"),
    # Round 9: a flat number before a house number and a one-word street; "number" before a lower-case
    # street; a flat in a lettered block of an estate, on to the road; a particle surname before a
    # household without "the"; an adult's name after someone's kin word; a lower-case or saint's surname
    # before a household; a lower-case full name (shown whole); a date a few words after "born"; a day of
    # the month said alone for an event.
    ("mum has moved to Flat 12, 4 Broadway, over the bookies", "address", "Flat 12, 4 Broadway"),
    ("she lives in flat 4, 12 eastway with mum", "address", "flat 4, 12 eastway"),
    ("he stays at number 14 albert st with his nan", "address", "14 albert st"),
    ("Flat 22, Block D, Ashgrove Estate, Mercer Street, no heating", "address",
     "Flat 22, Block D, Ashgrove Estate, Mercer Street"),
    ("concern for de Souza children, no coats all winter", "name", "de Souza"),
    ("the de la Cruz sisters have not been collected again", "name", "de la Cruz"),
    ("his stepdad kieron hit him with a belt last night", "name", "kieron"),
    ("okonkwo children not in school since monday", "name", "okonkwo"),
    ("concerns about the st. john-baptiste kids and dad's temper", "name", "st. john-baptiste"),
    ("worried about kayla-mae jones, she has lost weight", "name", "kayla-mae jones"),
    ("her baby (born 3 weeks ago, 02/11/2026) has not been seen", "dob", "02/11/2026"),
    ("she said that on the 14th her uncle is taking her to Bangladesh", "date", "14th"),
    # Whose record a number is; a first name and a surname's initial before a bracket or a verb.
    ("Zuberi's NHS no 943 476 5919, no jabs since birth", "name", "Zuberi"),
    ("Tyrique M. says he is scared to go home", "name", "Tyrique M."),
    # Round 11: a name read by its slot whatever its case or community, when it is no English word: after
    # a title, a kin or role word (with a bracket), "re"; before what only a person does; before a
    # person's home; as a household; in a note typed in capitals. Dotted phone digits; a day and month
    # in figures after what happened; "the Crescent" after a house number.
    ("rang mrs adebayo-cole twice, phone off", "name", "mrs adebayo-cole"),
    ("her partner (dritan) drives her to school", "name", "dritan"),
    ("baby boy Okafor was discharged with no follow up", "name", "Okafor"),
    ("pls cc the YOT worker re Lerato", "name", "Lerato"),
    ("okonkwo-bright disclosed that he is hit at home", "name", "okonkwo-bright"),
    ("ayomide's new address is not known to us", "name", "ayomide"),
    ("think it is the mcgillivrays again, same car outside", "name", "mcgillivrays"),
    ("the nwosu family have gone abroad", "name", "nwosu"),
    ("MS NWACHUKWU DID NOT ATTEND THE MEETING", "name", "MS NWACHUKWU"),
    ("mum's mobile 07700.900.461 goes to voicemail", "phone", "07700.900.461"),
    ("the incident was 14/3 in the car park", "date", "14/3"),
    ("they moved from 14 the Crescent last month", "address", "14 the Crescent"),
    # Round 12: a postcode run together after "postcode ... as"; a date of birth in American order, or
    # mistyped, or named after the date; a bare day/month after "seen" or "on the"; surnames on a
    # register; stacked initials; an everyday-word name doing something with the children.
    ("mum gave her postcode as ls116ar on the phone", "postcode", "ls116ar"),
    ("DoB 11/30/2012, family arrived from texas", "dob", "11/30/2012"),
    ("dob 31/02/2016 as typed on the referral", "dob", "31/02/2016"),
    ("19/07/2013 is his dob according to mum", "dob", "19/07/2013"),
    ("the us school sent a note dated 04/28/2024", "date", "04/28/2024"),
    ("lst seen 22/6 near the station", "date", "22/6"),
    ("on the 7/9 she came in with a black eye", "date", "7/9"),
    ("Register: Okafor late, Begum absent, Szymanski x2 late", "name", "Szymanski"),
    ("kaczmarek absent unauthorised for the third week", "name", "kaczmarek"),
    ("j.p. o'connor was seen at the park with older lads", "name", "j.p. o'connor"),
    ("Amber and the kids went to her mum's", "name", "Amber"),
])
def test_a_finding_names_the_words_that_identify(text, kind, span):
    assert any(f.kind == kind and f.text == span for f in identifiers.find(text))


@pytest.mark.parametrize("word,english", [
    ("exclusions", True), ("messaged", True), ("radicalisation", True), ("safeguarding", True),
    ("okonkwo", False), ("mcallisters", False), ("thandiwe", False), ("nwachukwu", False),
])
def test_the_lexicon_tells_english_words_from_names(word, english):
    # The slot readings trust this: a name taken for a word is missed, a word taken for a name is a false alarm.
    assert english_lexicon.is_english(word) is english


def test_at_in_capitals_beside_a_loosely_typed_email_is_read_not_raised():
    # "SAFE AT HOME. NHS" once looked like a mailbox to one reading and not to the next, and find() raised:
    # the practitioner would have had an error instead of the warning.
    findings = identifiers.find("SHE DOES NOT FEEL SAFE AT HOME. NHS 966 749 8263. mum emails from jay.bee99 at "
                                "gmail dot com")
    assert [(f.kind, f.text) for f in findings] == [("nhs", "966 749 8263"), ("email", "jay.bee99 at gmail dot com")]


def test_nhs_check_digit():
    assert identifiers.nhs_check_digit_ok("9434765919")
    assert not identifiers.nhs_check_digit_ok("9434765918")


@pytest.mark.parametrize("text", [
    "she says her dad will kill her if he finds out", "mum may move the children next month",
    "Will she be safe at home?", "concerns may increase over May half term", "youth club at St Mary's",
    "Year 7 boy, Looked After, placement breaking down", "meeting on Thursday, 14:00", "aged 14 in Y10 2nd time",
    "The family are from Jordan and arrived as refugees", "he supports Chelsea", "the social are involved again",
    "Year 10 May mocks", "absent in November and December", "the flat is damp", "an X-ray showed a fracture",
    "Child Protection Plan since September 2023", "called the police at 08:45", "scored 3 out of 10",
    # Given names that are also words, faiths, brands and countries, used as such.
    "Family are refugees from Jordan, arrived last year", "Rose-tinted view from mum about her partner",
    "Christian faith family, church youth leader raised it", "father is Muslim, mother is Christian",
    "Sky and Netflix on but no food in the fridge", "Hope is what the girl said she had lost",
    "Frank and open conversation with the teen", "Will is the word she used", "a long-term placement",
    "mum is called in every week about his behaviour", "little one is always hungry", "dad will hit her",
    "nanna picks them up most days", "the dog is called Biscuit", "the older boys next door are dealing",
    "the lads again, hanging around the shop", "caller, 15, says she is on the bridge",
    "talk to mum first, she'd tell him", "the caretaker's son is getting married", "primary school, st anne's",
    # A sentence about the word a name is also; titles; where a family is from; things after a role.
    "Jordan is where the family came from originally", "Grace is a value our school promotes",
    "Joy was not the word, she looked frightened", "Amazing Grace is the song the child keeps singing",
    "we read Matilda in class and she got upset", "Year 10 pupil, Pakistani heritage", "summer fete was cancelled",
    "child support is not paid", "yp also says he is not sleeping", "3 Gateway sessions attended this term",
    # Laws named after people; a country before a trip; services, jobs and apps after "is" or "said".
    "convictions for violence according to the Clare's Law disclosure", "Sarah's Law check came back clear",
    "The Jordan trip was cancelled; relatives in Amman", "she is Key Stage 2 and reading below age",
    "they were with Sure Start until it closed", "mum was Lance Corporal before she left the army",
    "she said Miss told her it was ok to tell", "he said TikTok was where the video was posted",
    "she has a Dr appointment on Monday", "she is Russell Group bound, very able",
    # Everyday words in the slots a name no list holds takes; a name before a place noun; a season
    # opening a sentence; charities named after people.
    "tea and toast is all they get", "the girl is fine. she was upset earlier", "the baby is floppy and blue",
    "the deaf boy is shaking", "Green Lanes is where the older boys sell from", "a. foster care b. kinship care",
    "Rose Garden play area is where the older boys hang around", "Summer was hard for the children",
    "the Lucy Faithfull Foundation might help dad", "the Jack Petchey award went to her class",
    # A feeling said to be hard to see; stories, rhymes and famous people; a season before the school
    # year; a service to call; a word in brackets after a role; a shouted note with no name.
    "Hope is difficult to see in him at the moment", "Harry Potter club at lunchtime is where she feels safe",
    "Hansel and Gretel came up in circle time", "he watches Andrew Tate videos and repeats them",
    "over the Summer holidays he was left alone", "call Childline on 0800 1111 if you are worried",
    "the mum (drunk) says the baby is fine", "Midwife says baby is feeding well",
    "MUM SAYS SHE CANNOT COPE AND HAS ASKED FOR HELP", "hope tuesday goes better, she was upset on monday",
    # Places, classes, rooms and groups named after people, trees or virtues; inquiries and trials named
    # after people; a story character; a measure; services typed in capitals; a saint's hospital.
    "the Princess Alexandra Hospital discharged her", "kept in on the Mary Seacole ward overnight",
    "in Hazel class he refuses to take his jumper off", "Willow Ward staff rang about her cannula",
    "the Peace and Love youth group have seen the bruises", "the Daniel Pelka review says to look past parents",
    "the Lucy Letby trial upset her", "says her nan is like Miss Hannigan from Annie",
    "baby dropped from 3.5 kg to 3.1 kg since discharge", "BMI went from 14.2 to 13.1 over the term",
    "UPDATE has been shared with the DSL", "MARAC has agreed to take the case", "St Thomas' said there was no follow up",
    "strategy meeting held, child to stay with nan for now", "male seen with firearm near the school gates",
    # Classes, houses and homes named after trees, the noun before, after or missing; characters listed
    # together; schools named after kings; "may" the verb after a number; version numbers; markdown bold.
    "she is in Oak class and her brother is in Willow", "Heather house at the school has raised attendance",
    "The Willows children's home staff say he went missing", "Holly Lodge Pupil Referral Unit has a place",
    "Willow and Hazel classes went to the farm", "she moved from Sycamore to Hazel this term",
    "the child talks about Peppa Pig and Elsa all the time", "King George's Academy attendance officer rang",
    "King Edward VI School has excluded him", "the sibling group of 4 may need to be separated",
    "tool v12.10.24 flagged the family as high need", "- **Accurate** - information should be accurate",
    "the wraparound kids are collected at 6", "the party was at 2 Sisters Bakery", "she sat 3/10 on the scale",
    "the girl (Eastern European) speaks little English", "they've told her she is safe now",
    # Round 9: a song or show title; classes named after a list of trees, and a class from it; a
    # character from a film; landmarks; a sports team; a practice model; a virtue someone showed; where a
    # young person is from; counts and floors that are no address or date.
    "the assembly song is Hope in the Dark and he walked out", "the classes are called Birch, Cedar and Alder, "
    "the boy is in Cedar", "she draws Anna from Frozen on every page", "he keeps talking about Max from Paw Patrol",
    "the children visited Big Ben and the Shard", "he plays for the Lions under 10s and misses training",
    "she is in the Panthers netball team", "we use the Signs of Safety model with the family",
    "Mercy was shown by the magistrate at the hearing", "The girl is Romanian, 14, begging at the station",
    "flat 2, 3 bedrooms and very damp", "the family next door heard screaming on the 2nd floor",
    "on the 5th attempt he managed it", "Foster family have been told about the contact",
    "if you call my mum i'm going to end it", "he was upset that his brother broke his xbox",
    "the school's address is on the letterhead", "Vitamin D. (low) was found at the clinic",
    # Round 11: a road with no door is shared by hundreds of homes; fractions, scores and "24/7"; English
    # words, roles, topics, compounds, festivals and places in a person's slot; a verb typed loosely.
    "she lives off Station Road somewhere, no number", "they are somewhere on Church Lane, we think",
    "3/4 of the class were off with flu", "the team won 2/1 on saturday", "she is on her phone 24/7",
    "version 3.4.1 of the app was installed", "the girl is known as quiet in class",
    "care leaver says she is scared to go home", "online safety evening about sextortion",
    "nan is struggling with the grandkids", "step dad smackd her", "concerns about radicalisation online",
    "we talked about Christmas and Ukraine", "camhs said they would ring back", "mum tearfull said she cant cope",
    # Round 12: subjects and registers in English; codes like a postcode's start; clinicians' "2/7 ago";
    # a virtue in an idiom; conditions named after doctors; a threat quoted word for word; lines and
    # hospitals named after people.
    "maths absent again, cover teacher found", "everyone late because of the bus strike", "staff absent today",
    "he was in the m1 traffic", "mum has 5g now", "she had covid19 in march", "seen 2/7 ago by the GP",
    "on the 2/3 split rota", "Patience has worn thin at the gate", "Hope is fading that she will return",
    "query Munchausen's by proxy", "he has Asperger's", "she has Tourette's", "admitted with Kawasaki disease",
    'dad said he would "sort" it himself', "they met on the Elizabeth line", "taken to Queen Elizabeth Hospital",
    "baby was transferred to St Thomas' overnight",
])
def test_everyday_words_ages_and_times_are_not_identifiers(text):
    assert identifiers.find(text) == []
