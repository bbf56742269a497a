"""Recognising a child in danger in what a practitioner types: plain words, typos, no punctuation.

Pure standard library: a small normaliser (contractions, text-speak, common misspellings, one-letter
typos of the key danger words), then cue phrases for nine kinds of danger, each read in its context
(past, negated, hypothetical, a topic or a question). Two tiers:

- ``clear``: danger now or about to happen. The engine interrupts with the 999 card.
- ``possible``: harm words with no clear sign that the danger is past or not real. The engine keeps
  the dialog where it is and puts "If a child is in danger now, call 999." above its reply.

A missed alarm costs far more than a needless one line reminder, so anything that speaks of harm
and is not plainly past, negated, hypothetical or a topic is at least ``possible``. The measure is
the labelled corpus in tests/data/danger (tests/test_danger_corpus.py). Nothing here logs.

Context is read where it applies: a past relative clause ("the boy who was excluded is back at the
gate") dates the person, not the event; "since yesterday" is how long, not when; a real condition or
a doubt about a real child ("if she goes home tonight she'll take the pills", "possibly with an adult
male") keeps a cue possible, while a threshold judgement ("at risk of harm") or an imagined future
does not.
"""

from __future__ import annotations

import re
try:
    # The standard library's own regex parser (Python 3.11+), only to index each cue by how it can
    # begin (speed). Without it every cue is tried at every word: slower, the same answers.
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - another Python's internals
    sre_constants = sre_parse = None  # type: ignore[assignment]
from dataclasses import dataclass
from functools import lru_cache

from dialogs import danger_model

CATEGORIES = (
    "weapon", "threat", "violence", "sexual_assault", "medical", "suicide_self_harm",
    "missing_abduction", "trapped", "forced_marriage_abroad",
)
CLEAR, POSSIBLE, NONE = "clear", "possible", "none"


@dataclass(frozen=True)
class Assessment:
    """What a message says about danger: level clear/possible/none, its category, the words matched.

    ``category`` is one of CATEGORIES, or "" for none and for a bare alarm ("999", "emergency").
    ``span`` is the matched words of the message: for the engine's own use, never to be logged.
    """

    level: str
    category: str = ""
    span: str = ""

    @property
    def clear(self) -> bool:
        """True when the message says a child is in danger now."""
        return self.level == CLEAR

    @property
    def possible(self) -> bool:
        """True when the message may speak of danger now (the one line 999 reminder)."""
        return self.level == POSSIBLE


NO_DANGER = Assessment(NONE)

# ---- Normalising -------------------------------------------------------------------------------------

# Contractions (apostrophes already removed), text-speak and misspellings seen in hurried typing.
_WORDS = {
    "hes": "he is", "shes": "she is", "theres": "there is", "thats": "that is", "whos": "who is",
    "its": "it is", "im": "i am", "ive": "i have", "youre": "you are", "theyre": "they are",
    "theyve": "they have", "weve": "we have", "hell": "he will", "shell": "she will",
    "theyll": "they will", "hed": "he would", "theyd": "they would", "youd": "you would", "youll": "you will", "itll": "it will", "wont": "will not", "cant": "can not",
    "cannot": "can not", "dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not",
    "wasnt": "was not", "arent": "are not", "werent": "were not", "havent": "have not",
    "hasnt": "has not", "hadnt": "had not", "couldnt": "could not", "wouldnt": "would not",
    "shouldnt": "should not", "aint": "is not", "gonna": "going to", "gunna": "going to",
    "goin": "going", "wanna": "want to", "gotta": "got to", "tryna": "trying to", "tonite": "tonight",
    "2nite": "tonight", "2night": "tonight", "2day": "today", "2moro": "tomorrow", "tmrw": "tomorrow",
    "tomoz": "tomorrow", "rn": "right now", "atm": "at the moment", "u": "you", "ur": "your", "r": "are",
    "pls": "please", "wiv": "with", "wid": "with", "wiht": "with", "bf": "boyfriend", "gf": "girlfriend",
    "ket": "ketamine", "meds": "medication", "kms": "kill myself", "kys": "kill yourself", "unalive": "kill",
    "unaliving": "killing", "necked": "took", "downed": "took", "mfh": "missing from home", "awol": "missing", "plz": "please", "ppl": "people", "bc": "because", "cos": "because", "coz": "because",
    "yr": "year", "yrs": "years", "yo": "year old", "y7": "year 7", "y8": "year 8", "y9": "year 9",
    "y10": "year 10", "y11": "year 11", "kiddie": "kid", "gettin": "getting", "takin": "taking", "comin": "coming", "meetin": "meeting", "any1": "anyone", "whackin": "whacking", "smackin": "smacking", "thumpin": "thumping", "bashin": "bashing",
    "slappin": "slapping", "batterin": "battering", "stabbin": "stabbing", "chasin": "chasing", "twattin": "twatting", "msgs": "messages", "msg": "message",
    "od": "overdose", "oded": "overdosed", "odd": "overdosed", "ambo": "ambulance",
    # misspellings
    "unconcious": "unconscious", "unconsious": "unconscious", "unconcsious": "unconscious",
    "conscius": "conscious", "concious": "conscious", "breating": "breathing", "breathng": "breathing",
    "brething": "breathing", "breath": "breathe", "threatning": "threatening", "threating": "threatening",
    "thretening": "threatening", "threatend": "threatened", "kinfe": "knife", "knive": "knife",
    "nife": "knife", "knfie": "knife", "knfe": "knife", "knif": "knife", "kife": "knife", "knifw": "knife",
    "knifes": "knives", "stabed": "stabbed", "stabing": "stabbing", "sucide": "suicide",
    "suicde": "suicide", "suiside": "suicide", "sucidal": "suicidal", "kidnaped": "kidnapped",
    "kidnaping": "kidnapping", "missin": "missing", "bleading": "bleeding", "bleedin": "bleeding",
    "collasped": "collapsed", "colapsed": "collapsed", "siezure": "seizure", "seisure": "seizure",
    "strangeling": "strangling", "straggling": "strangling", "chocking": "choking",
    "overdoes": "overdose", "overdossed": "overdosed", "pils": "pills", "tabs": "tablets",
    "drownding": "drowning", "drownin": "drowning", "marrige": "marriage", "mariage": "marriage",
    "marraige": "marriage", "maried": "married", "abuseing": "abusing", "rapeing": "raping",
    "attaking": "attacking", "hiting": "hitting", "hittin": "hitting", "beatin": "beating",
    "kickin": "kicking", "punchin": "punching", "tonigt": "tonight", "tomorow": "tomorrow",
    "tommorow": "tomorrow", "tommorrow": "tomorrow", "gona": "going to", "goig": "going",
    "stoped": "stopped", "wepon": "weapon", "weopon": "weapon", "machette": "machete",
    "matchete": "machete", "razer": "razor", "poisened": "poisoned", "posioned": "poisoned",
    "unresponsiv": "unresponsive", "responing": "responding", "resonding": "responding",
    "fgmd": "fgm", "nfad": "nfa", "nfaed": "nfa", "misper": "missing person", "mispers": "missing persons", "rite": "right", "dv": "domestic violence", "batterys": "battery is", "nobodys": "nobody has", "nothings": "nothing is", "noones": "no one has", "upstrs": "upstairs", "multistory": "multi storey", "multistorey": "multi storey", "imediate": "immediate", "immediatly": "immediately", "emergancy": "emergency",
    "emergeny": "emergency", "danjer": "danger", "missng": "missing",
}

# "noone" is "no one" (a negation); typed times and places of a lost child; text-speak typed in a
# hurry ("sum1 ... is feelin up a yr7 rn").
_WORDS.update({"noone": "no one", "minits": "minutes", "minuts": "minutes", "minites": "minutes", "minite": "minute",
               "anywere": "anywhere", "anywear": "anywhere",
               "sum1": "someone", "some1": "someone", "every1": "everyone", "every1s": "everyone is", "feelin": "feeling",
               "touchin": "touching", "gropin": "groping", "laffin": "laughing", "filmin": "filming", "nd": "and", "stp": "stop"})

# Long danger words, for the one-letter typo fallback; real words one letter away are kept as typed.
_FUZZY_TARGETS = (
    "unconscious", "unresponsive", "breathing", "overdose", "overdosed", "threatening", "threatened",
    "suicidal", "kidnapped", "abducted", "strangling", "strangled", "bleeding", "collapsed", "poisoned",
    "trafficked", "assaulted", "assaulting", "attacking", "molesting", "ligature", "paracetamol",
    "stabbing", "machete", "seizure", "battering", "punching", "strangling", "hitting", "suicide", "drowning", "marriage", "responding", "tonight",
    "tomorrow", "weapon", "missing", "choking",
)
_REAL_WORDS = frozenset(
    "breaching breeding bleeping frowning browning crowning overdone kissing hissing pissing cooking "
    "bettering battening battling chitting hinting hitching sitting fitting knitting pitting witting punting munching lunching bunching hunching "
    "choling crowded stabled staffing seizing seizures mussing messing massing musing tonights "
    "marriages carriage weapons cocking chucking rocking docking locking mocking shocking strangle strangles".split()
)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


_FUZZY_INDEX: dict[str, str] = {}
for _w in _FUZZY_TARGETS:
    for _d in _deletes(_w) | {_w}:
        _FUZZY_INDEX.setdefault(_d, _w)


@lru_cache(maxsize=8192)
def _word(token: str) -> str:
    """One typed word in its canonical form (contraction, text-speak, typo fixed)."""
    mapped = _WORDS.get(token)
    if mapped is not None:
        return mapped
    age = _AGE.fullmatch(token)
    if age:
        return f"{age.group(1)} year old"  # "15yo", "14yrs": an age
    if len(token) < 6 or token in _REAL_WORDS or token in _FUZZY_INDEX and _FUZZY_INDEX[token] == token:
        return token
    # One letter missing, extra, wrong or two swapped: the key danger words typed in a hurry.
    hit = _FUZZY_INDEX.get(token)
    if hit is None:
        for d in _deletes(token):
            hit = _FUZZY_INDEX.get(d)
            if hit is not None and abs(len(hit) - len(token)) <= 1:
                break
            hit = None
    return hit or token


_TOKEN = re.compile(r"[a-z0-9]+")
_AGE = re.compile(r"(\d{1,2})(?:yo|yos|yr|yrs|yro)")
_SENTENCE = re.compile(r"[.!?;\n\r]+")
# (Double quotes are not a break: practitioners put a word in quotes to doubt it, mid-clause: her
# "boyfriend", he is "working", partner is "cuddling" her.)
_CLAUSE = re.compile(r"[,:()\[\]]+|\s[-\u2013\u2014]+\s|\bbut\b|\bhowever\b|\balthough\b|\bthough\b")


# "ill kill u": "I'll" typed without its apostrophe, before a verb of harm (not "he is ill").
_ILL = re.compile(r"(?<!is )(?<!am )(?<!are )(?<!was )(?<!feels )(?<!feel )(?<!very )(?<!so )\bill (?=(?:kill|hurt|stab|burn|"
                  r"do|get|find|smash|batter|beat|shoot|end|cut|break|slash|murder|come|send|post|knife|bash|merk|"
                  r"slit|throw|strangle|drown|torch|punch|kick|choke|bury|glass|scar|put)\b)")


def _clause_words(clause: str) -> str:
    words = " ".join(_word(t) for t in _TOKEN.findall(clause))
    return _ILL.sub("i will ", words) if "ill " in words else words


def normalise(text: str) -> list[str]:
    """The message as sentences, each its clauses joined by ' | ' (lower case, contractions, typos)."""
    text = (text.lower().replace("\u2019", "").replace("\u2018", "").replace("'", "").replace("`", "")
            .replace("&", " and ").replace("+", " and "))
    if ".." in text or "\u2026" in text:
        text = _TRAILS_ON.sub(" ", text)
    sentences = []
    pieces = _SENTENCE_END.split(text)
    for raw, end in zip(pieces[::2], pieces[1::2] + [""]):
        clauses = [c for c in (_clause_words(part) for part in _CLAUSE.split(raw)) if c]
        if clauses:
            sentences.append(" | ".join(clauses) + (" | " + _ASKED if "?" in end else ""))
    return sentences


_SENTENCE_END = re.compile(r"([.!?;\n\r]+)")
# "gone missing... to the toilets again": a pause for effect, one sentence (read apart, the first half is an alarm)
_TRAILS_ON = re.compile(r"(?:\.{2,}|\u2026)\s*(?=(?:from|to|into|off|down|out|in)\b)")
_ASKED = "qmark"  # stands for the question mark normalising removes (a word no message has)


# ---- Cue phrases ------------------------------------------------------------------------------------

_MACROS = {
    "SELF": r"(?:himself|herself|themselves|themself|myself|yourself)",
    "WEAPON": r"(?:knife|knives|blade|blades|machete|machetes|gun|guns|firearm|firearms|pistol|handgun|"
              r"rifle|shotgun|crossbow|sword|swords|axe|hatchet|hammer|baseball bat|crowbar|screwdriver|"
              r"razor|razor blade|knuckle duster|knuckleduster|acid|weapon|weapons|taser|pepper spray|"
              r"cleaver|meat cleaver|samurai|broken bottle|bat|scissors|shank|chiv|blade|bomb|explosives?|grenade|petrol bomb|"
              r"golf club|hockey stick|cricket bat|metal (?:pole|bar|pipe)|iron bar|box cutter|stanley knife|spanner|wrench|"
              r"nunchucks|catapult|bike chain)\b",  # whole words: "has a bath" holds no bat
    "HARM": r"(?:do (?:his|her|their|your|ur) (?:little |big |baby )?(?:brother|sister|mum|dad|family|nan|kids?)\b|"
            r"do (?:him|her|them|you|u)(?= if| unless| tonight| after| when| later| properly| *$| *\|)|get (?:his|her|their|your) (?:mum|dad|sister|brother|family|kids|little \w+)|break (?:his|her|their|your) (?:legs?|arms?|jaw|neck|fingers)|go after|come after|put (?:him|her|them|you|me) in (?:hospital|the ground|a box|a wheelchair)|put a bullet in|slit|drown(?! in)|scald|kill|murder|stab|shoot|hurt|harm|batter|beat|smash|burn|slash|strangle|break|attack|"
            r"knife|cut|rape|bash|punch|kick|glass|torch|petrol bomb|set fire to|shank|merk|jump|rush|do (?:him|her|them|you|"
            r"someone|somebody) in|do something to (?:him|her|them|you|me)|get (?:him|her|them|you|me)\b(?! (?:a|an|some|new|from|up|dressed|ready|home|to|into|in|out|back|off|the|his|her|their|my|"
        r"one|two|something|anything|lunch|tea|dinner|changed|sorted|settled|glasses|shoes|uniform|ice cream)\b)|end (?:you|him|her|them))\b",
    # "breathing problems", "breathing difficulties": the word names a condition, so "not" negates it
    "_NOUNED": r"(?:problems?|difficult\w*|issues?|trouble|condition|disorder)\b",
    "NEAR": r"(?:\w+ ){0,5}",
    # things one looks for at a desk or on a screen, with up to two words before them ("the upload button")
    "THING": r"(?:(?:the|a|an|my|your|our|this|that|any|his|her|their|where the|which) )?(?:\w+ ){0,2}?(?:button|buttons|file|files|form|forms|"
             r"link|links|page|pages|option|options|box|field|fields|tab|menu|icon|emails?|document|documents|attachments?|settings?|"
             r"number|numbers|details|records?|reports?|paperwork|keys?|charger|phone|laptop|password|login|log in|code|policy|"
             r"guidance|template|templates|section|words|time|anything|it|information|info|data|minutes|notes?|letter|letters|referral|"
             r"signature|register|app|website|portal|screenshot|photos?|pictures?|folder|cable|remote|book|coat|bag|shoes?|kit|"
             r"jumper|lunchbox|wallet|purse|glasses|homework|pen|pencil|ruler|calculator|address|contact details|postcode|"
             r"consent form|plan|chronology|case|file|upload|download|printer|room|venue|parking|space|slot|date|agenda|"
             r"dsl|deputy|office|reception|mash|duty (?:team|desk|worker|line)|helpline|switchboard|surgery|front door|"
             # round 22: kit left by the water ("can't find the kayak paddles")
             r"paddles?|oars?|kayaks?|canoes?|life ?jackets?|buoyancy aids?|wetsuits?|towels?|goggles|sunglasses|gloves?|hats?)\b",
    "FEW": r"(?:\w+ ){0,3}",
    # an outing a child was taken on ("took the kids on a nature walk", "took the baby swimming"): no abduction
    "OUTING": r"| (?:\w+ ){0,2}?(?:on (?:a|an|the|their|our|his|her) (?:\w+ ){0,2}?(?:walk|trip|outing|visit|tour|ride|day out|picnic|hike|"
              r"adventure|hunt)|swimming|shopping|fishing|camping|bowling|skating|for (?:a|an|lunch|tea|ice cream|walk|swim)|out for|"
              r"round the|around the)\b(?!.*\b(?:(?:not|never) (?:\w+ )?(?:back|brought|returned|come back|came back)|vanished|disappeared|missing|"
              r"can not find|could not find|lost|not answering))|"
              # a child's things ("took the kids' bikes", "the kid's football"): the apostrophe is gone by now
              r" (?:football|ball|bikes?|coats?|bags?|toys?|scooters?|shoes|books?|lunch\w*|photos?|pictures?|work|drawings?|kit|phones?)\b|"
              # round 21: helped out of a car or the pool and into a building ("took the kids out of the car and into the hall")
              r" out of (?:the )?(?:\w+ )?(?:car|cars|minibus|bus|coach|van|taxi|pool|water|rain|cold) and (?:\w+ )?(?:into|in to|in|to|onto) (?:the )?"
              r"(?:hall|house|school|building|classroom|class|playground|centre|club|nursery|changing rooms?|reception|warm|dry)\b",
    # what follows a head count: children, a place, or nothing ("19 kit bags" is no head count)
    "HEADS": r"(?= (?:\w+ )?(?:kids|children|pupils|students|boys|girls|toddlers|babies|cubs|beavers|scouts|brownies|rainbows|guides|"
             r"little ones|young people|names|year \d+s?)\b| (?:of them|on (?:the )?(?:register|list|sheet)|here|there|on|in|at|by|now|back|with|"
             r"left|still|and|but|so|counted|though|yet|present|are|is|were|was|total|in total|twice|three times|again)\b| *$| *\|)",
    # where a child not found is said to be after all ("went home early with dad", "signed out", "off sick")
    "NOT_WHERE": r"(?!.*\b(?:went home|gone home|going home|sent home|(?<!nobody )(?<!no one )(?<!not )(?<!never )(?<!nobody has )(?<!no one has )"
                 r"(?:signed (?:him |her |them )?out|collected|picked (?:him |her |them )?up)|"
                 r"on a trip|at the dentist|off sick|absent|home (?:early|ill|sick|poorly)|found (?:him|her|them)|(?:she|he|they) (?:is|are|s) fine|"
                 r"(?:he|she|they) (?:is|are|s) (?:now )?(?:asleep|sleeping|fast asleep|safe|here|back|in the (?:\w+ )?(?:corner|office|library|nurture room|"
                 r"sensory room|medical room|sick bay)|with (?:the |his |her |their )?(?:speech therapist|therapist|nurse|senco|teacher|ta|key ?worker|"
                 r"office staff|first aider))|"
                 r"with (?:mum|dad|nan|gran|grandma|grandad|their (?:mum|dad|parents)|(?:his|her) (?:mum|dad|parents|nan|gran)) (?:today|now|early|for)))",
    # places on site where a young child is looked for
    "SITE": r"(?:changing rooms?|changing area|toilets?|loos?|showers?|hall|line|group|class|classroom|cloakroom|playground|garden|"
            r"soft play|play area|pool|poolside|building|room|tent|queue|field|park|car park|cafe|shop|gate|gates|lobby|foyer)",
    # a child too young to be anywhere on their own
    "YOUNG": r"(?:reception|nursery|eyfs|preschool|pre school|toddlers?|little ones?|little (?:boy|girl|lad)s?|twins|year (?:1|2|3|4)|[1-8] years? old|"
             r"infants?|cubs|beavers|rainbows|brownies)",
    "BE": r"(?:is|are|am|was|were|has been|have been|keeps|keep|started|start)",
    "NOWISH": r"(?:now|right now|at the moment|as we speak|currently|tonight|today|this morning|this afternoon|"
              r"this evening|still)",
    "COUNTRY": r"(?:pakistan|bangladesh|india|somalia|somaliland|sudan|nigeria|gambia|the gambia|yemen|iraq|"
               r"syria|afghanistan|egypt|kenya|ethiopia|eritrea|sierra leone|guinea|mali|ghana|turkey|iran|"
               r"morocco|algeria|libya|saudi|saudi arabia|kurdistan|albania|romania|sri lanka|nepal|"
               r"abroad|overseas|back home)",
}


def _expand(pattern: str) -> str:
    for _ in range(2):
        for name, value in _MACROS.items():
            pattern = pattern.replace("{" + name + "}", value)
    return pattern


# Strong cues: the words themselves say danger is happening now or about to. Order matters where
# cues overlap: "going to kill herself" is self-harm, not a threat to someone else.
_STRONG = {
    "suicide_self_harm": [
        # round 12: a leg over a railing, climbing over the barrier of a height; walking into traffic now;
        # going home to "finish it"
        r"(?:leg|legs|foot|feet) (?:\w+ )?over (?:the )?(?:railings?|rail|barrier|parapet|edge|side|wall)\b",
        r"climb\w* (?:over|onto|on to|up on|up onto|on) (?:the )?(?:railings?|barrier|parapet|ledge)\b",
        r"on the (?:ledge|edge|railings?|parapet) of (?:the )?(?:\w+ ){0,2}(?:bridge|footbridge|roof|multi storey|car park|flyover|cliff|building)",
        r"(?:(?<=\bis )|(?<=\bam )|(?<=\bare )|(?<=\bs ))(?:walking|stepping|running|jumping) (?:out )?(?:into|in front of|under) "
        r"(?:the |a |an )?(?:traffic|road|cars?|bus|lorry|train|trains|motorway)\b",
        # round 17: a young person saying they are walking into the sea or a river (not a class on a field trip)
        r"(?:said|says|saying|told (?:me|us|staff|him|her)|texted|messaged|threatening|threatened) (?:that )?(?:she|he|they|i) "
        r"(?:is|s|am|will|is going to|going to|gonna) (?:walking|walk) (?:out )?into (?:the )?(?:sea|river|canal|lake|reservoir|waves)\b",
        r"(?:walk|walking|wade|wading) (?:out )?into (?:the )?(?:sea|river|canal|lake|reservoir|waves) and (?:not|never) (?:come|coming) (?:back|out)\b",
        r"(?:go|going|get|getting) (?:straight |right )?(?:home|back) and (?:finish|end) it\b(?! (?:off|tomorrow|later|for|before|after|first))",
        r"finish (?:it|the job|things) (?:properly )?this time|finish (?:herself|himself|themselves|myself) off",
        r"(?:kill|killing|hang|hanging|drown|drowning|hurt|hurting|harm|harming|cut|cutting|burn|burning|"
        r"stab|stabbing|strangle|strangling|shoot|shooting|throw|throwing) {SELF}(?! laughing)",
        r"end (?:it|it all|things|his life|her life|my life|their life|their lives|everything)",
        r"ending (?:it|it all|things|his life|her life|my life|their life)",
        r"suicide note", r"suicidal(?! thoughts| ideation| feelings| thinking)", r"threatening suicide", r"attempt(?:ing)? suicide", r"commit suicide",
        r"(?:going to|want to|wants to|will|about to|gonna|trying to|threatening to|says he will|says she will|"
        r"is going to|plans? to|planning to) (?:jump|die|hang|top (?:him|her|them)self|take (?:all )?(?:of )?(?:his|her|their|my) (?:\w+ )?"
        r"(?:pills|tablets|meds|medication)|take an overdose|overdose)",
        r"(?:on|off) the (?:edge of the |top of the )?(?:bridge|roof|railway|railway line|railway bridge|"
        r"train tracks|tracks|line|ledge|cliff|motorway bridge|multi storey|car park roof)",
        r"on the edge of the (?:\w+ ){0,2}(?:car park|bridge|footbridge|flyover|viaduct|overpass|roof|building|cliff|quarry|multi storey)",
        r"jump off", r"(?:has|got|with|brought|bringing|carrying) (?:a |the )?(?:rope|noose|ligature|belt round)", r"(?:ligature|noose)", r"has a rope", r"got a rope", r"with a rope",
        r"self harming(?! in the past)", r"self harm(?:ing)? (?:now|right now|in the|at the moment)",
        r"(?:wants?|wanting|want) to die", r"(?<!plant will )(?<!plants will )(?<!it will )(?<!battery will )(?<!phone will )(?:be|is) dead by", r"(?:pills|tablets) ready",
        r"saying goodbye", r"said goodbye", r"no point (?:anymore|any more|living|in living|going on)",
        r"banging (?:his|her|their) head", r"in front of (?:a|the|the next) (?:train|car|bus|lorry|one|tram)",
        r"(?:step|jump|walk|throw (?:him|her|them)self) (?:out )?in front of",
        r"(?:cutting|burning|scratching) (?:her|his|their) (?:arms?|wrists?|legs?|skin)",
        r"cut deeper", r"(?:tied|tying|tie|tightened|put|wrapped|wrapping|has|got) (?:\w+ ){0,3}(?:round|around) "
        r"(?:his|her|their|my) neck", r"wrong side of the (?:\w+ )?(?:railings?|barriers?|fence|bridge|balcony)",
        r"(?:on|off|from) the (?:\w+ )?(?:bridge|footbridge|flyover|viaduct|roof|rooftop|railway line|tracks|ledge|cliff)"
        r"(?= *$| *\|| (?:and|refusing|saying|threatening|wont|will not|crying|edge|railing))",
        r"refus(?:ing|es) to come (?:down|off|back in|away)", r"(?:rope|noose|ligature|pills|tablets) (?:is |are )?"
        r"(?:ready|set up|tied|waiting)", r"off {SELF}", r"(?:can not|could not) (?:go on|do this (?:any ?more)|cope (?:any ?more)|take (?:it|this|any) ?more)",
        r"(?:do not|does not|dont|doesnt|not) want to (?:be here|be alive|live|wake up|exist)", r"better off dead",
        r"better off without (?:me|her|him|them)", r"(?:has|have|got|made) a plan (?:to|for)", r"plan to do it", r"goodbye (?:letter|note|message|text|post|video)", r"take (?:them|it|the lot) all",
        r"(?:stockpiling|saving up|hoarding|saved up) (?:\w+ )?(?:tablets|pills|meds|medication|paracetamol)",
        r"(?:window ledge|windowsill|window sill|balcony edge|edge of the balcony|over the balcony)",
        r"climb(?:ing|ed)? (?:over|onto|on to|up) the (?:bridge|railings?|barrier|roof|balcony|edge)",
        r"(?:bridge|railway|station|platform) (?:\w+ ){0,3}(?:jump|railing|edge)", r"take (?:his|her|their|my) (?:own )?life", r"taking (?:his|her|their|my) (?:own )?life",
        r"(?:he|she|they|child|boy|girl|someone) (?:is|are) hanging\b(?! out| around| about| up| on| off| in| with| (?:her|his|their|the|a|some|washing|pictures|coats?)\b)", r"will not come down", r"wont come down", r"not coming down",
    ],
    "weapon": [
        # round 19: a tool or sharp thing grabbed and turned on a person; a loaded or real gun found on a child
        r"(?:grabbed|grabs|grabbing|picked up|picks up|snatched|snatches|smashed|got|has|holding|took|pulled) (?:a |the |his |her |some |a pair of )?(?:\w+ )?(?:chisel|screwdriver|scissors|compass|glass|broken glass|bottle|broken bottle|stanley knife|hammer|knife|blade|pen knife|penknife|craft knife|saw|file|spanner|wrench|rounders bat|bat|stick|pole|pair of scissors|fork|razor) (?:\w+ ){0,5}?(?:going for|going at|coming at|coming for|swinging (?:it |them )?at|lunging (?:at|for)|chasing|running at|going after|waving (?:it |them )?at|jabbing)\b",
        r"(?:loaded|real|live) (?:air |bb )?(?:gun|pistol|handgun|rifle|shotgun|firearm|revolver)\b",
        r"(?:found|finding|find) (?:a |an )?(?:loaded |real )?(?:air |bb )?(?:gun|pistol|handgun|rifle|shotgun|firearm|revolver) (?:\w+ ){0,3}?(?:in|on) (?:a |the |his |her )?(?:\w+ ){0,3}?(?:child|pupil|kid|boy|girl|reception|nursery|year \d+)",
        r"(?:has|have|had|got|holding|holds|carrying|carries|carry|with|brandishing|brandishes|waving|waves|"
        r"pulled|pulls|pulling|pointing|points|armed with|brought|bringing|picked up|picks up|showed me|"
        r"shown me|got hold of|grabbed|wielding|threatening \w+ with|threatening others with|hiding|hid|"
        r"concealing|keeps|thrown|throwing|flashing|flashed|showing|showing off|came in with|turned up with) {NEAR}{WEAPON}(?! crime| awareness| amnesty| arch)",
        r"(?:came|comes|coming|walked|walks|walking|burst|stormed|run|ran|running) (?:back )?(?:in|into (?:the )?\w+|out|round|over|home|up) "
        r"(?:with|carrying|holding|waving) {NEAR}{WEAPON}(?! crime| awareness| amnesty| arch)",
        r"tooled up", r"{WEAPON} (?:(?:is |was |been )?(?:seen|found|spotted|hidden|kept|stashed) )?(?:in|on|under|inside) "
        r"(?:his|her|their|the|a|my) (?:\w+ )?"
        r"(?:bag|pocket|blazer|coat|jacket|waistband|sock|locker|hand|hands|belt|trousers|school|classroom|"
        r"corridor|toilets|playground|car|room|house)",
        r"{WEAPON} (?:to|against|at) (?:his|her|their|my|the|a|someones?) (?:\w+ )?"
        r"(?:throat|neck|head|face|arm|chest|stomach|back|body)",
        r"{WEAPON} (?:fight|attack|in school|on him|on her|on them)", r"\barmed\b(?! forces| services| with)",
        r"(?:pointing|aiming|fired|firing|shooting) (?:a |an |the )?(?:\w+ )?(?:gun|rifle|pistol|shots?)",
        r"shots? fired", r"(?:a |been a )shooting", r"shooting (?:outside|in the|at the|now|people|at)", r"(?:gun|gunshots?|shots) (?:outside|in|at)",
        r"(?:thrown|throw|throwing|threw) acid",
    ],
    "threat": [
        # round 20: a debt or dealer threat to a child or a sibling with a deadline ("coming for his little sister if he
        # doesn't pay by tonight"); a named child told to watch his back at a time today
        r"(?:coming for|come for|going after|coming after|come after|go after|get|hurt|do|take|grab|snatch|visit|pay a visit to|batter|stab|"
        r"knife|shank|burn|smash) (?:his|her|their|your|the) (?:little |baby |big |younger |older |kid |twin )?(?:sister|brother|sibling|mum|"
        r"mother|family|nan|siblings|kids?|son|daughter)\b(?=.*\b(?:if|unless|or) (?:\w+ ){0,4}?(?:pay|pays|paid|settle|money|debt|owes?|hand (?:it )?over)\b)",
        r"\bpay (?:up |it |the money |what (?:he|she|they) owes? )?(?:by|before) (?:tonight|today|tomorrow|\d{1,2}|the weekend|friday|saturday|"
        r"sunday|monday|tuesday|wednesday|thursday|midnight|home time|end of (?:the )?day) (?:or|otherwise) (?:\w+ ){0,6}?(?:hurt|get|go after|coming for|"
        r"come for|do|stab|kill|batter|smash|burn|take|grab|visit|shoot)\b",
        r"(?:he|she|they|you|him|her|them|we|i) (?:will|is going to|are going to|going to|am going to|s going to) get got\b",
        r"watch (?:his|her|their|your) back (?:\w+ ){0,3}?(?:at home time|after school|tonight|today|on the way home|at pick ?up|"
        r"at the (?:gate|gates|bus stop)|when (?:he|she|they) (?:leaves?|gets? out|comes? out))\b",
        # round 19: to run the children over or drive into them, said by someone outside now
        r"(?:going to|will|gonna|threaten\w* to|says he will|says she will) (?:run (?:them|him|her|you|us|the \w+|the kids|the children|\w+) (?:all )?over|drive (?:the car |his car |her car |a car )?(?:into|at) (?:them|him|her|you|us|the)|mow (?:them|him|her|you|us|the \w+) down)\b",
        # round 18: someone outside now who says he is coming in unless the children are brought out
        r"(?:parked|waiting|sat|sitting|stood|standing|is|s) (?:\w+ )?(?:outside|at the (?:gate|door|front door|back door|school gate|window)) (?:\S+ ){0,14}?(?:if|unless|or) (?:\S+ ){0,10}?"
        r"(?:he s|he is|hes|she s|she is|they re|they are|he will|she will|they will|he ll|she ll|hell) (?:\w+ )?(?:coming|going to come|gonna come|come) (?:in|inside|in for|to get)\b",
        # round 12: a drill group going to "ride on" or "slide on" a child's estate
        r"(?:going to|will|would|about to|planning to|plan to|coming to) (?:ride|slide|roll|pull up) (?:on|up on|through|to) (?:our|his|her|their|the|my|your) (?:ends|endz|estate|block|area|road|street|bit|manor)\b",
        r"(?:riding|sliding) (?:on|up on|through) (?:our|his|her|their|my|your) (?:ends|endz|block|manor)\b",
        r"(?:will not|wont|not going to|never) live to see",
        # "he's coming in to hurt someone", "on his way to sort someone out": whoever he meets is at risk
        r"(?:is |are )?(?:coming|come|going|heading|on (?:his|her|their) way) (?:in |up |down |round |over |back |here |there |into school |to school ){0,2}"
        r"(?:\w+ ){0,2}to (?:hurt|harm|kill|stab|batter|beat up|attack|sort out|smash|do in|shoot|knife|glass|sort) "
        r"(?:someone|somebody|anyone|anybody|everyone|people|staff|the staff|teachers?|a teacher|us|you|them|him|her)\b(?! out\b)|"
        r"(?:is |are )?(?:coming|come|going|heading|on (?:his|her|their) way) (?:in |up |down |round |over |back |here |there ){0,2}(?:\w+ ){0,2}to sort (?:someone|somebody|people|them|him|her|you|us) out",
        r"(?:going to|gonna|will|about to|threaten(?:s|ed|ing)? to|want to|wants to|is coming to|coming to|"
        r"on (?:his|her|their) way to|says? (?:he|she|they) (?:will|would|is going to|are going to)|"
        r"promised to|plans? to|planning to|waiting to|waiting outside to|waiting for \w+ to|"
        r"(?:he|she|they|i|you|we) would) {FEW}{HARM}(?! {SELF})",
        r"threats? (?:to|of) (?:kill|murder|stab|shoot|harm|hurt|violence)", r"death threats?",
        # acid or bleach in the face, a face cut: a threat to maim is as grave as one to kill
        r"(?:throw|chuck|pour|spray|squirt)(?:s|ing)? (?:\w+ )?(?:acid|bleach|boiling water|ammonia|corrosive \w+) (?:on|in|at|over|into)",
        r"(?:scar|disfigure|ruin|cut up|slash|mark) (?:her|his|their|your|ur) face",
        r"threat(?:s|ening|ened)? (?:against|towards) ", r"making threats", r"threatening (?:him|her|them|me|to|the|a|others|everyone|us)",
        r"(?:he|she|you|they) (?:is|are|will be) dead when", r"(?:he|she|you) is dead\b",
        # "nobody gets them": a parent's veiled threat to the children if they lose them
        r"(?:nobody|no one|noone|no-one|neither of (?:us|you)) (?:\w+ ){0,2}(?:gets|get|will get|will have|is having|can have|"
        r"will ever see|ever sees|will see|is getting|keeps) (?:them|him|her|the (?:kids|children|baby|boys|girls)|those (?:kids|children))\b"
        r"(?= (?:\w+ ){0,6}(?:make sure|means it|mean it|i mean|promise|swear|again|you will see|watch)| *\| *(?:i will|ill|he will|she will|he means|i mean))",
        r"if (?:i|he|she) (?:can not|cannot|do not|does not|dont|cant) (?:have|get|keep) (?:them|him|her|the (?:kids|children|baby))"
        r"(?: *\| *| )(?:then )?(?:no one|nobody|noone|no-one) (?:can|will|gets|does|else)",
        r"coming for (?:you|him|her|them|us)", r"know where (?:she|he|they|you|we) lives?",
        r"(?:are|is) coming (?:round|over|tonight|to get|back tonight|after (?:him|her|them))", r"(?:you are|ur|youre) (?:so )?dead\b", r"(?:kill|stab|shoot|murder) (?:you|him|her|them|me|us|the|everyone|"
        r"somebody|someone|a|his|her|my)(?! lights| music| engine| power| the lights)",
        r"burn (?:the|your|ur|their|his|her|my|our) (?:house|flat|home|place|car|school) down", r"(?:dead|killed|murdered) if", r"(?:hurt|harm|kill) (?:the kids|the children|the baby|the child)",
        # what someone will find of the child: "you'll find her in a ditch", "she'll end up in the canal"
        r"(?:you|they|police|someone|somebody|people|(?<=\bthe )school|social services|mum|dad) (?:will|would|are going to|is going to) "
        r"(?:be )?(?:find|finding|pull|pulling|fish|fishing) (?:her|him|them|the \w+|his \w+|their \w+|you|the kids)(?: out)? "
        r"(?:\w+ ){0,2}(?:in a ditch|in a bag|in bits|in pieces|in (?:the|a) (?:river|canal|ditch|bin|box|boot)|floating|dead|"
        r"hanging|out (?:of )?the (?:river|canal))",
        r"(?:will|would|going to|gonna) end up (?:in a (?:ditch|bag|box|body bag|coffin)|in the (?:river|canal|ground)|dead)",
        # told he will be hurt at a set time ("getting smashed up at 6 unless he pays"): a deadline makes it now
        r"(?:he|she|they|you|him|her|them|lad|boy|girl|child|kid|son|daughter|brother|sister|year old) (?:is |are |will |would )?"
        r"(?:going to |gonna |about to )?(?:get|getting|be) (?:\w+ )?(?:smashed|battered|beaten|stabbed|shot|jumped|killed|knifed|"
        r"slashed|glassed|merked|shanked|rushed|hurt|kicked|bashed|cut|sliced|wet)(?: up| in)?\b"
        r"(?= (?:\w+ ){0,3}(?:at \d+|at (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b|tonight|today|after school|"
        r"later|this (?:afternoon|evening)|by (?:tonight|tomorrow|the weekend|\w+day)|tomorrow|on \w+day|at the weekend|"
        r"when (?:he|she|they) (?:leaves?|gets?|comes?)|unless|if)\b)",
    ],
    "violence": [
        # round 12: a child held down and hit or whipped by others, now
        r"(?:holding|pinning|pinned|held) (?:\w+ ){0,3}down and (?:hitting|whipping|kicking|punching|beating|hurting|stamping on|strangling|slapping|burning)\b",
        r"(?<!was )(?<!were )(?<!been )whipping (?:him|her|them|(?:a|the|this|that|my|his|our|their) (?:\w+ )?(?:kid|child|boy|girl|lad|pupil|baby|toddler|son|daughter|brother|sister))\b",
        r"(?<!was )(?<!were )(?<!been )(?:stabbing|slashing|knifing|shanking) (?:him|her|them|me|someone|somebody|(?:a|the|my|our|his|their|another) (?:\w+ )?"
        r"(?:kid|child|boy|girl|lad|man|woman|pupil|student|person|guy|bloke|teenager|lady|son|daughter))\b",
        # An attack begun on someone there: "he is going for her", "swinging a belt at kids".
        r"(?:going for|lunging at|lashing out at|swinging (?:\w+ ){0,5}at) (?:her|him|them|mum|dad|the|a|kids|children|"
        r"people|staff|pupils|me|us|everyone|anyone)\b",
        # "lads are jumping a kid": an attack in progress on a named victim
        r"(?:jumping|rushing|battering|mugging|robbing|stamping on|setting on|beating) (?:a|the|some|that|this|my|our) "
        r"(?:\w+ )?(?:kid|boy|girl|lad|child|pupil|student|year \d+|young person)",
        r"(?:being|getting|been|is|are) (?:hit|hurt|beaten|beat|beaten up|battered|attacked|assaulted|kicked|"
        r"punched|slapped|stamped on|strangled|choked|shaken|dragged|thrown|jumped|bashed|smacked|whipped|"
        r"stabbed|glassed|bitten|burned|burnt|scalded|throttled|headbutted|pinned|set on|set upon|ambushed|surrounded|"
        r"mugged|robbed|rushed)",
        # (not "was hitting": a report of what went on, read by the weak cues as possible)
        r"(?:is|are|am|keeps|keep|started|starting|has started|he|she|they|someone|somebody|dad|mum|"
        r"parent|man|woman|boy|girl|partner|boyfriend|stepdad|step dad|carer|older|group|gang) "
        r"(?!not |never |no |was |were |had |used )(?:\w+ )?(?:hitting|beating|punching|kicking|attacking|strangling|choking|slapping|stamping|shaking|"
        r"battering|assaulting|hurting|throwing|dragging|smacking|whipping|throttling|headbutting|biting|"
        r"burning|scalding|laying into|beating up|battering|whacking|thumping|walloping|clobbering|bashing|pummelling|pummeling|"
        r"bludgeoning|thrashing|lamping|booting|wellying|leathering)",
        # someone hit with an object ("whacking her with a chair leg"): whatever comes to hand is a weapon
        r"(?:whack|thump|bash|wallop|belt|clobber|lamp|thrash|batter|smack|hitt|beat|strik|hammer|lash|bludgeon|swip|slapp|punch|kick)ing "
        r"(?:her|him|them|me|us|mum|dad|the (?:kids?|child|children|baby|boy|girl|little one|toddler)|his \w+|her \w+|their \w+|"
        r"a (?:kid|child|boy|girl|pupil|student|lad)) (?:\w+ ){0,2}with (?:a|an|the|his|her|their|some|my|this|that) "
        r"(?!(?:\w+ ){0,2}(?:goals?|score|points?|try|tries|penalty|header|winner|shot|question|questions|answer|compliment|fine|bill|"
        r"detention|sanction|letter|ban|news|truth|facts|request|email|message|text|idea|offer|pillow|balloon|feather|sponge|foam)\b)",
        r"laying into", r"(?:giving|gave|give) (?:him|her|them|the \w+) a (?:leathering|beating|hiding|kicking|battering|"
        r"good hiding|slap)", r"kicking (?:his|her|their) head in", r"throwing (?:things|stuff|objects|chairs|plates|"
        r"bottles|furniture) at", r"grabbed (?:her|him|them|a child|a girl|a boy|the child)", r"by the (?:throat|neck|hair)", r"(?:badly|seriously|really|very|quite badly) (?:hurt|injured)",
        r"(?:hurt|injured) (?:badly|seriously)", r"fight (?:has )?(?:broken|breaking) out", r"(?:being|getting) chased",
        r"chasing (?:him|her|them|a|the)", r"(?:been|being|getting|was) shot\b", r"(?:being|been) held (?:captive|hostage|prisoner)",
        r"(?:is|are|keeps|keep) following (?:her|him|them|a|the|children|kids|girls|boys) (?:home|around|everywhere)",
        r"smashing (?:the|up|things|everything|the place|the house|windows)",
        r"(?:tried|trying|tries|try) to (?:strangle|stab|kill|choke|suffocate|drown|smother|throttle|hurt|attack)", r"kicking off", r"beating up", r"beat (?:him|her|them) up",
        r"(?:a |massive |big |huge |)fight (?:going on|happening|kicking off|outside|in the|on the(?! \d)|at the(?! \d)|now)",
        r"(?:fighting|brawl|brawling) (?:outside|in the|on the|now|right now)",
        r"domestic (?:going on|happening|incident now|now|in progress|kicking off)",
        r"(?:domestic|domestic violence|domestic abuse|incident|assault|attack|fight|disturbance|altercation|stabbing|shooting)(?: \w+){0,2} "
        r"(?:in progress|ongoing now|happening now|going on now)",
        r"(?:screaming|shouting) and (?:banging|crashing|smashing)", r"as we speak",
        r"(?:on the floor|on the ground) (?:being|getting)", r"not getting up",
        r"hurting (?:him|her|them|the|a|my)", r"(?:hitting|kicking) (?:her|him|them|"
        r"the (?:kids|children|child|baby|boy|girl)|mum|his|her)",
        # "dad hits her" is how a child's disclosure of ongoing abuse is written down: the reminder
        # line and the DSL, not the 999 card, unless the words say it is happening now.
        r"(?:hits|punches|kicks) (?:her|him|them|the (?:kids|children|child|baby|boy|girl)|mum|his|her)"
        r"(?=[^|]* (?:now|as we speak|tonight)\b)",
    ],
    "sexual_assault": [
        # round 20: a child driven or taken off by someone who hurt her before ("she came back bleeding last time")
        r"(?:taken|got|picked up|collected|put) (?:the |a |her |his |their )?(?:\w+ )?(?:girl|boy|child|kid|baby|toddler|daughter|son|"
        r"her|him|them)\b(?: \w+){0,3}? (?:in|into) (?:his|her|their|the|a) (?:car|van|truck|lorry|taxi)\b"
        r"(?=.*\b(?:(?:came|come|comes|coming) back|last time|before|previously) (?:\w+ ){0,4}?(?:bleeding|bruised|bruises|injured|hurt|marks|burns|"
        r"sore|limping)\b)",
        # round 20: an adult alone with a child behind a locked door (a lifeguard, coach, driver, volunteer)
        r"(?:lifeguard|coach|driver|volunteer|caretaker|teacher|tutor|instructor|leader|man|male|adult|uncle|boyfriend|stepdad|dad|"
        r"partner|member of staff|staff member|worker|helper|carer|officer|guard|attendant|porter|cleaner|manager|lodger|neighbour|he) "
        r"(?:\w+ ){0,6}?(?:has|took|taken|got|with|in|into) (?:\w+ ){0,6}?(?:child|girl|boy|kid|pupil|"
        r"year \d+|\d+ year old|under \d+s?|little one|toddler)\b(?=.*\b(?:locked (?:\w+ )?(?:the |a )?(?:door|doors|it)|(?:door|doors) (?:is |are |was )?"
        r"(?:locked|shut and locked)|locked in)\b)(?!.*\b(?:lockdown|invacuation|drill|for safety|on the motorway|(?:mum|dad|parents?|carer|another (?:adult|member of staff)|"
        r"a colleague|a second adult) (?:is |are |was |were )?(?:there|present|in there|in the room|with them))\b)",
        r"\blocked (?:\w+ )?(?:the |a )?(?:door|doors)\b(?: \w+){0,6}? with (?:a|the|one of the|his|her) (?:\w+ )?(?:child|girl|boy|kid|pupil|"
        r"year \d+|\d+ year old|little one|toddler)s? (?:still )?(?:inside|in)\b",
        r"\blocked (?:\w+ )?(?:the |a )?(?:door|doors)\b(?=.*\b(?:in there|inside|in the \w+) with (?:a|the|one of the|his|her|a little) (?:\w+ )?"
        r"(?:child|girl|boy|kid|pupil|year \d+|\d+ year old|little one|toddler)s?\b)",
        r"\blocked (?:himself|themselves|herself) in (?:\w+ ){0,4}?with (?:a|the|one of|our|his|her|a little) (?:\w+ ){0,2}(?:child|girl|boy|kid|"
        r"pupil|year \d+|\d+ year old|little one|toddler)",
        # round 12: men passing a girl round; an adult getting a child to touch him
        r"pass(?:ing|es)? (?:her|him|them|the girls?|the boys?) (?:a)?round\b",
        # a man on top of a girl who said no: a rape happening now
        r"(?:(?<=\bis )|(?<=\bare )|(?<=still ))(?:lying |laying )?on top of (?:her|him|them|the (?:girl|boy|child|kid))\b",
        r"(?:get|getting|make|making|force|forcing) (?:the |a |this |that |my |our |his |her )?"
        r"(?:\w+ ){0,2}?(?:child|children|kid|kids|girl|girls|boy|boys|pupil|pupils|him|her|them|toddler|baby|daughter|son) (?:to )?touch "
        r"(?:him|me|his (?:\w+ )?(?:willy|penis|privates|private parts|bits|dick|todger|thing|body|crotch|groin)|her (?:\w+ )?(?:privates|private parts|bits|breasts|chest|body|vagina|fanny))\b",
        # a child alone in a room with him and saying no, stop, get off: it is happening now
        r"(?:bedroom|room|upstairs|toilets?|bathroom|tent|shed|van|car|flat|house) (?:\w+ ){0,3}with (?:him|that man|a man|an adult|the man|them|"
        r"that bloke|a bloke|the bloke|an older (?:man|lad|boy)|older (?:men|lads|boys)) (?:\w+ ){0,4}(?:shouting|screaming|crying|yelling|saying|"
        r"begging|pleading|sobbing|shouts|screams|cries|says) (?:\w+ )?(?:no|stop|get off|help|leave me|let me go)\b",
        # touching that goes on, with the next time with that adult within hours: stop it happening again
        r"(?:touches|touching|gropes|groping|fondles|fondling|feels up|abuses|molests) (?:him|her|them)\b(?: \S+){0,14}? "
        r"(?:in (?:an|a half|half an|\d+|one|two|a couple of|a few) (?:hours?|hrs?|mins?|minutes)|tonight|later today|this (?:afternoon|evening)|"
        r"at (?:\d{1,2}|one|two|three|four|five|six|seven)(?: ?(?:pm|oclock|o clock|today|tonight))?(?= *$| *\|)|again tonight|starts tonight|after school today)",
        r"forc(?:ing|es) (?:himself|themselves|herself) on",
        r"(?:being|getting|been|is|are) (?:raped|sexually assaulted|sexually abused|sexually exploited|groped|"
        r"molested|abused|touched|pimped|pimped out|forced to have sex|made to have sex|filmed|assaulted sexually|"
        r"trafficked for sex|exploited)",
        r"being (?:\w+ ){0,4}(?:touched|groped|raped|abused|molested)\b", r"(?:does|doing|did|do) (?:stuff|things|sexual things) to (?:her|him|them)",
        r"(?:makes|making|made|forcing|forces|forced) (?:her|him|them|me) (?:to )?do (?:sexual |sex |dirty |rude )?(?:stuff|things|acts)",
        r"(?:upstairs|in a bedroom|in (?:a|his|the) room|in (?:a|his) car|alone) with (?:a |an |two |some )?"
        r"(?:grown |older |adult )?(?:man|men|adult|adults|stranger)\b",
        r"in the (?:toilets?|changing rooms?|showers?|bedroom|car|van|flat) with (?:a |an |two |some )?"
        r"(?:grown |older |adult )?(?:man|men|adult|adults|stranger)\b",
        r"(?:being|been) (?:given|plied with|fed) (?:alcohol|drugs|"
        r"vodka|drink)",
        r"(?:raping|molesting|sexually assaulting|sexually abusing|abusing) (?:her|him|them|the|a|my|his|this)",
        r"(?:is|are) (?:abusing|raping|molesting)",
        r"(?:touching|groping|fondling) (?:her|him|them|the (?:kids|children|child|girls?|boys?)|kids|children|"
        r"a child|girls|boys|my)",
        r"touching (?:her|him|them)(?: \w+)? (?:inappropriately|sexually|down there|private)",
        r"expos(?:ing|es) (?:himself|herself|themselves)", r"(?:man|men|adult|male|stranger) (?:is |are )?in the "
        r"(?:girls|boys|childrens|kids|pupils) (?:changing rooms?|toilets?|showers?|dorms?|bedrooms?)",
        r"(?:being )?blackmailed (?:for|with|over) (?:nudes|pictures|photos|images|videos)", r"sextortion", r"sextorted\b", r"(?:meet|meeting|see|seeing) (?:\w+ ){0,8}for sex",
        r"(?:to |will |going to )?(?:have sex|sleep) with (?:her|him|them|men|a man|older|an adult|him tonight)",
        r"sex acts?", r"up (?:the )?(?:\w+ )?skirts?", r"pulling (?:her|his|their) clothes off",
        r"holding (?:her|him|them) down", r"in (?:the )?bed with (?:the|a) (?:child|kid|girl|boy)",
        r"forced to (?:touch|have sex|perform|strip|undress|watch)", r"(?:forcing|making) (?:a |the )?"
        r"(?:child|kid|girl|boy|her|him|them) to (?:touch|have sex|perform|strip|undress|watch)",
        r"sexual(?:ly)? (?:assault|abuse|exploitation)(?:ing)? (?:now|right now|at the moment|tonight)",
        r"(?:men|man|adults?) (?:are |is )?(?:touching|abusing|raping)",
        r"(?:rape|raped|raping) (?:now|right now|tonight|at the)",
        r"(?:being )?(?:groomed|trafficked) (?:and )?(?:is )?(?:going to meet|meeting|being moved|moved tonight)",
        # an adult taking a child away tonight "to do the same as last time": a repeat of abuse, hours off
        r"(?:taking|take|takes|bringing|picking|pick|collecting|coming|come|having|getting) (?:\w+ ){0,10}?(?:tonight|today|later|"
        r"this (?:afternoon|evening)|after (?:school|training|practice|club|the lesson|the session|church|mosque)) (?:\w+ ){0,3}?"
        r"(?:to )?do (?:the same(?: thing| things| stuff)? (?:as|like) (?:last time|before|last \w+|the other (?:day|night|time))|"
        r"what (?:he|she|they) did (?:last time|before|last \w+)|it again|that again|(?:the )?same again)",
        # a child staying the night with an adult met online
        r"(?:staying|sleeping|stay|sleep|spending the night|sleeping over|staying over|stopping) (?:overnight |the night |over )?(?:with|at) "
        r"(?:a |an |the |this |some )?(?:\w+ ){0,2}(?:man|men|adult|guy|stranger|bloke|older \w+|(?:\d+|twenty|thirty) year old) "
        r"(?:\w+ ){0,2}(?:met|knows?|talks? to|talking to|chats? to|chatting to|plays? with|playing with|messages?) (?:\w+ ){0,3}?"
        r"(?:online|over the internet|(?:on|through|via|from) (?:an? )?(?:app|game|website|site|chat|gaming|the internet|roblox|fortnite|"
        r"minecraft|snapchat|snap|instagram|insta|tiktok|discord|whatsapp|telegram|omegle|kik|xbox|playstation|facebook|tinder|grindr|"
        r"youtube|twitch|dating app))\b",
    ],
    "medical": [
        # round 19: sats falling (desaturating) or a trach that will not go back in: an airway emergency now
        r"\bdesat(?:urat\w*|ting|s)\b",
        r"\bdecannulat\w*",
        r"\btrach\w* (?:\w+ ){0,3}?(?:dislodged|displaced)\b",
        r"\b(?:trach\w*|tube) (?:\w+ ){0,10}?(?:can not|could not|unable to|will not|cant|wont) (?:get|put|reinsert|re insert|go|fit)(?: (?:it|the \w+|a \w+|the new one|the spare|another))?(?: back)? ?(?:in|back)?\b",
        r"\b(?:can not|could not|unable to) (?:get|reinsert|re insert|put) (?:the |a |his |her )?(?:new |spare |replacement )?(?:trach\w*|tube)\b",
        # round 18: a blocked trachy, sats low and falling, suction not clearing it: an airway emergency now
        r"\btrach\w* (?:tube )?(?:is |has |s )?(?:blocked|come out|fallen out|out)\b",
        r"\bsats (?:are |is )?(?:in the |at |down to |now )?(?:[1-7]\d|80)s?\b(?= (?:\S+ ){0,3}?(?:dropping|falling|going down|and not|not coming up|still))",
        r"\bsuction (?:is not|isnt|not|wont|will not|can not|cant) (?:\w+ )?(?:clearing|clear|shifting|shift|working|work)\b",
        r"(?:had|taken|took|done|drunk|drank|smoked) (?:loads|lots|a lot|too much|so much|a load|a bunch|a handful|a whole "
        r"bottle)(?: of)? (?:ketamine|spice|xanax|pills|tablets|drugs|vodka|alcohol|mdma|ecstasy|heroin|coke|cocaine|"
        r"paracetamol|medication|pills|nitrous|gas|lean|codeine|valium|diazepam)",
        r"(?:is|are|lying|laying|collapsed|slumped|fallen) on the (?:floor|ground)(?= *$| *\|| (?:and|not|unconscious|"
        r"bleeding|shaking|fitting|unresponsive|out))",
        # a count of tablets taken, or a named medicine taken in quantity: an overdose in other words
        r"(?:took|taken|swallowed|necked|had|has had|eaten|ate) (?:about |around |like |over |nearly |at least )?(?:\d{2,3}|[3-9]|"
        r"three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|a whole (?:box|packet|strip|bottle)|"
        r"a full (?:box|packet|strip|bottle)) (?:of )?(?:\w+ ){0,3}(?:pills|tablets|meds|medication|medicine|capsules|"
        r"antidepressants?|painkillers?|sleeping \w+|insulin|sertraline|fluoxetine|citalopram|co-?codamol|cocodamol|"
        r"codeine|aspirin|amitriptyline|quetiapine|lithium|propranolol|paracetamol|ibuprofen|diazepam)\b"
        r"(?! (?:as prescribed|a day|daily|each day|per day|every day|twice|prescribed|over the (?:week|month|day)))",
        r"(?:antidepressants?|painkillers|sleeping (?:pills|tablets)|insulin|co-?codamol|cocodamol)\b(?= (?:\w+ ){0,4}"
        r"(?:an hour ago|ago|this morning|at lunch|on the (?:bus|way)|before (?:coming|school|the session)|just now))",
        # someone already giving CPR, or no pulse: the heart has stopped
        r"(?:doing|started|starting|giving|performing|began|begun|do|start) (?:\w+ )?(?:cpr|chest compressions|compressions)\b",
        r"(?:no|not|can not|could not|cannot|cant|unable to) (?:feel |find |get )?(?:a |any |her |his |their )?pulse\b",
        r"(?:defib|defibrillator) (?:is )?(?:on (?:him|her|them)|shocking|attached)",
        r"overdos(?:e|ed|ing)\b(?! history)", r"taken (?:a bunch of|a handful of|a box of|a strip of|a load of|loads of|load of|all|a whole|a packet|a bottle|"
        r"too many|lots of|a lot of|some|something|tablets|pills|drugs|paracetamol|her|his|their|mums?|dads?)",
        # (one or two painkillers for a headache is an ordinary dose, not an overdose)
        r"(?:took|swallowed|ate|eaten|drank|drunk|drinking|swallowing) (?!(?:all |all of )?(?:her|his|their) (?:\w+ )?(?:tablets|meds|"
        r"medication|medicine|pills|inhaler) (?:\w+ ){0,3}(?:as (?:normal|usual|prescribed)|on time)\b)"
        r"(?!(?:her |his |their |the |a |an |one |two |1 |2 |a couple of |"
        r"couple of |some |usual |prescribed ){1,2}(?:paracetamol|ibuprofen|calpol|nurofen|tablets?|pills?|inhaler|antihistamines?|"
        r"medicine|medication|meds|calpol)s?\b(?! and| with (?:some|a|loads|lots|vodka|alcohol|drink)))(?:\w+ ){0,7}(?:pills|tablets|paracetamol|antidepressants|painkillers|sertraline|fluoxetine|insulin|"
        r"bleach|antifreeze|battery|batteries|poison|chemicals|cleaning|detergent|methadone|medicine|meds|"
        r"medication|something|a bottle|washing|capsules|pods|vodka|drugs|ketamine|spice|xanax|ecstasy|mdma|"
        r"ibuprofen|drain|weed killer|bottle of)",
        r"(?:not|stopped|stop|struggling to|struggles to|can not|could not|barely|hardly|trouble|difficulty) "
        r"(?:breathing|breathe|breath)\b(?! {_NOUNED})", r"(?:not|is not) breathing\b(?! {_NOUNED})",
        r"unconscious", r"unresponsive", r"(?:not|is not|are not|stopped) (?:responding|responsive|moving|conscious)",
        r"barely conscious", r"(?:can not|could not|cant|will not|wont|not) (?:wake|be woken|waking|woken)",
        r"collapsed", r"passed out", r"out of it", r"(?:having|had|has) an? (?:\w+ )?(?:fit|seizure)", r"fitting", r"seizure", r"seizing",
        r"(?:turning|turned|gone|going|is|are|lips are|lips) blue", r"choking", r"choked",
        # round 12: lips going blue, purple or grey: not enough air now
        r"lips (?:are |is |going |gone |turning |turned |look |looking )?(?:really |very |a bit |slightly )?(?:bluish|purple|grey|gray)\b(?! (?:from|with|because|cos|after) (?:the )?(?:\w+ )?(?:squash|juice|lolly|ice lolly|sweets?|paint|felt tip|food colouring|blackcurrant|ribena|cold))",
        r"bleeding (?:heavily|badly|a lot|loads|everywhere|from|out|profusely|and)",
        r"(?:loads of|lots of|so much|a lot of|pouring with|pouring|covered in|blood) (?:blood|everywhere)",
        r"allergic reaction", r"anaphyla\w*", r"poison(?:ed|ing)", r"floppy", r"(?:been |is |got )?stabbed",
        r"button battery", r"(?:in and out of|losing|lost|drifting in and out of|slipping in and out of) consciousness",
        r"(?:will not|wont|does not|doesnt|can not|not|won t) stop(?:ped)? bleeding", r"deep (?:cut|wound|gash)s?",
        r"(?:vomiting|coughing up|throwing up) blood", r"in a (?:really )?bad way", r"unrousable", r"electrocuted",
        r"electric shock", r"(?:gone|is|went) (?:grey|gray|limp)", r"asthma attack", r"hit (?:his|her|their) head and", r"head injury",
        r"(?:needs?|need an|call an|calling an|get an) ambulance", r"not making sense",
        r"(?:cut|slit|slashed) (?:her|his|their|my) (?:wrists?|throat|arms?)", r"with needles",
        r"(?:drug|drugs|alcohol) (?:overdose|poisoning)", r"(?:drugged|spiked)",
        r"(?:burned|burnt|scalded|burns) (?:badly|all over)", r"(?:serious|bad|badly|severe) burns?",
        r"(?:run|knocked) over", r"hit by a (?:car|van|bus|lorry|train|vehicle)", r"severe (?:burns?|bleeding|allergic|asthma)",
    ],
    "missing_abduction": [
        # round 19: a young child unaccounted for now: a head count one short, not at the gate or the club with
        # nobody who saw or signed them out, nowhere to be found
        r"\b(?:we are|we re|were|we have come back|came back|we are back) (?:a child|one child|a kid|one kid|a pupil|one) short\b",
        # round 20: a young child not where they were checked for ("not in the changing rooms or with his mum"),
        # not signed out and not in the hall, gone after the toilets and the field were checked
        r"{YOUNG} (?:\w+ ){0,3}?(?:is|are|s|was|were) not (?:(?:in|at) (?:the |a |her |his |their )?(?:\w+ )?{SITE}\b(?: \w+)? (?:or|nor) (?:back )?(?:in|at|with)|"
        r"with (?:\w+ ){1,3}?(?:or|nor) (?:back )?(?:in|at) (?:the |a )?(?:\w+ )?{SITE})\b{NOT_WHERE}",
        r"\bnot (?:been )?signed out (?:and|or|n|nor) (?:is |are |s )?not (?:in|at|with)\b{NOT_WHERE}",
        r"(?:(?<=\ba )|(?<=\ban )|(?<=\bone )|(?<=\btwo )|(?<=\bthree )|(?<=\bof the )|(?<=\bof our )|(?<=\bour )|(?<=\bmy )|(?<=\d )|^|(?<=\| ))"
        r"{YOUNG} (?:\w+ ){0,4}?(?:has |have |is |are |s )?(?:gone|vanished|disappeared)\b(?! (?:home|to|out|with|back|in|into|up|down|off|for|on|round|"
        r"quiet|red|pale|blue|well|fine|through|over|past|very|really|so|a|the)\b)"
        r"(?=.*\b(?:checked|searched|looked (?:in|round|around|everywhere|all over|under)|been round|tried) (?:\w+ ){0,3}(?:toilets?|loos?|field|garden|hall|"
        r"playground|building|site|park|everywhere|changing rooms?|car park|woods|ball pit|cloakroom|classrooms?)\b){NOT_WHERE}",
        # someone who hurt the child before has her now ("dad who broke her arm last year has just picked her up")
        r"(?:dad|father|man|uncle|stepdad|boyfriend|partner|mum|mother|stepmum|brother|cousin|male|bloke) who (?:\w+ ){0,4}?"
        r"(?:broke|hurt|hit|beat|abused|raped|assaulted|attacked|injured|burned|burnt|strangled|touched|stabbed|battered) (?:her|him|them|the (?:child|girl|boy|kids?|baby)|"
        r"(?:her|his|their) (?:arm|leg|wrist|ribs|nose|jaw|face|head|skull|little \w+|sister|brother))\b(?: \w+){0,8}? "
        r"(?:has|have|is|s) (?:just |now )?(?:(?:picked|collected|taken|took|got|grabbed|snatched) (?:her|him|them)|(?:driven|drove|gone|run|ran) off|left with)\b",
        # strangers taking children: "two men took the twins out of the car" (not a trip or a walk they were taken on)
        r"(?:(?<=\btwo )|(?<=\bthree )|(?<=\bfour )|(?<=\bsome )|(?<=\bof )|(?<=\d )|(?<=\bmasked )|(?<=\bunknown )|(?<=\bstrange )|(?<=\bolder )|"
        r"(?<=\ba )|(?<=\ban ))(?:men|man|woman|women|strangers?|lads|blokes?|people|adults?|males?|females?|couple) "
        r"(?:\w+ ){0,2}?(?:took|taken|grabbed|snatched|lifted|pulled|carried|dragged|bundled|picked up|led|walked off with|ran off with) (?:\w+ ){0,2}?"
        r"(?:the |a |an |my |our |his |her |their |two |both )?(?:\w+ )?(?:twins|kids|children|child|baby|babies|toddlers?|boys?|girls?|little ones?|"
        r"\d+ year old|son|daughter|pupils?)\b(?! s\b)(?! (?:\w+ ){0,2}(?:on (?:a|an|the) |swimming|shopping|fishing|camping|for |to (?!the car|a car|a van|the van)|"
        r"out for|round|around|home|back|through|across|photos?|pictures?|register|"
        # round 21: lifted out of the car or the pool and into the hall: helped, not taken
        r"out of (?:the )?(?:\w+ )?(?:car|cars|minibus|bus|coach|van|taxi|pool|water|rain|cold) and (?:\w+ )?(?:into|in to|in|to|onto) (?:the )?"
        r"(?:hall|house|school|building|classroom|class|playground|centre|club|nursery|changing rooms?|reception|warm|dry)\b))",
        r"\b(?:head ?count|register|count|numbers?|line) (?:\w+ ){0,4}?(?:is |was |are |came back |comes |coming )?(?:one|1|a child|two|2) (?:short|down)\b(?! (?:because|as|cos|since|due|earlier|at first|but|until|till))",
        r"\b(?:reception|nursery|eyfs|preschool|pre school|toddler|toddlers|little one|twin|twins|year (?:1|2|3|4)|class \d+|1 years? old|2 years? old|3 years? old|4 years? old|5 years? old|6 years? old|7 years? old|8 years? old) (?:\w+ ){0,4}?(?:is |are |s )?(?:nowhere to be (?:found|seen)|unaccounted for|not accounted for)(?! (?:on|in) (?:the |my |our )?(?:\w+ )?(?:list|register|system|sims|form|spreadsheet|photos?|records?|database|file|paperwork))",
        r"(?:can not|could not|cannot|unable to) account for (?:one of )?(?:the |a |our )?(?:\w+ ){0,2}?(?:child|children|kids?|pupils?|boy|girl|toddlers?|baby|twins?)\b",
        r"\bnot (?:at|in) (?:the )?(?:\w+ ){0,3}?(?:gate|gates|club|care|line|class|classroom|nursery|pick ?up)\b(?=.*\b(?:nobody|no one|noone)s? (?:has |had )?(?:saw|seen|knows|signed|collected|picked))",
        # a child who got off the coach and never got back on: left behind as the coach drives off
        r"(?:never|not|did not|has not|have not) (?:got|get|come|came|climbed|been) back (?:on|onto|in|into) (?:(?:the |a )?(?:coach|bus|minibus|train|boat|ferry)|from (?:break|play|lunch|the \w+))\b|never got back on(?= *$| *\|)",
        # round 18: a group went out on the mudflats, cliffs or into woods and not all came back
        r"\bonly (?:one|two|three|four|\d+|some|half|a few) (?:of (?:them|the \w+) )?(?:has |have |had )?(?:came|come|got|made it|walked|swam) back\b",
        # round 12: a boat back without its paddler: someone in the water, unseen
        r"(?:boat|kayak|canoe|dinghy|paddleboard|paddle board) (?:has )?(?:came back|come back|washed up|was found|found|drifted back|turned up|is) (?:\w+ )?(?:empty|without (?:him|her|them))",
        r"empty (?:boat|kayak|canoe|dinghy)\b",
        # taken in breach of an order by someone who has now gone quiet: an abduction, not a contact dispute
        r"(?:against|despite|in breach of|breaching|breaking|ignoring) (?:the |a |an |her |his |their )?(?:court|no contact|non molestation|"
        r"child arrangements?|prohibited steps|protection) order\b(?=[^|]*(?: and| \|) (?:\w+ ){0,3}(?:stopped|not|is not|isnt|wont|will not) "
        r"(?:answering|answer|picking up|pick up|replying|reply|responding)\b|[^|]*(?: and| \|) (?:now )?(?:\w+ )?phone (?:is )?(?:off|switched off|dead|going to voicemail))",
        r"(?:stopped|is not|isnt|not|wont|will not) (?:answering|picking up|replying|responding)\b(?=(?: \w+){0,4} \| (?:the |a |there is a |there is )?"
        r"(?:court|no contact|non molestation|child arrangements?|prohibited steps|protection) order (?:says|states|forbids|prohibits|bans|is in place|in place|means|stops))",
        r"(?:is|are|has gone|have gone|gone|went|go|been|reported|now|still|goes) missing",
        r"missing (?:child|children|kid|toddler|baby|boy|girl|pupil|student|young person)",
        r"(?:child|children|kid|toddler|baby|boy|girl|pupil|student|person|son|daughter|\d+ year old) "
        r"(?:\w+ )?missing", r"missing (?:from|since|for)",
        r"(?:run|ran) (?:off|away)", r"absconded", r"wandered off", r"(?:went|gone|run|ran) off with",
        # a person who cannot be found, not a thing: "can't find the button to attach a file" is no alarm
        r"(?:can not|could not|cant|unable to|not able to) (?:find|locate|trace|get hold of)\b(?! {THING}| (?:where|how|what|which|when) to\b)",
        r"(?:nobody|no one|noone|none of us|we do not|we dont|do not|does not|doesnt) knows? where "
        r"(?:he|she|they|the child|the kid|the boy|the girl) (?:is|are)",
        r"(?:abducted|kidnapped|kidnapping|snatched|abduction)\b",
        r"(?:taken|grabbed|bundled|dragged|pulled|lured|picked up|shoved|pushed|forced) (?:\w+ ){0,2}(?:by|into|in) "
        r"(?:a |an |the |some )?(?:\w+ )?(?:man|men|woman|stranger|strangers|van|car|gang|older|adult|someone|somebody|"
        r"people|vehicle|taxi)",
        r"(?:got|getting|get|gone|went|put|pushed) (?:her |him |them )?into (?:a |the )?(?:\w+ )?(?:car|van)"
        r"(?! with (?:her|his|their|my|our) (?:own )?(?:foster \w+|carers?|mum|dad|parents?|nan|gran|grandparents?|family|aunt\w*|uncle|social worker|key worker|support worker))",
        r"(?:dragging|bundling|pulling|pushing|shoving|forcing|grabbing|carrying) (?:\w+ ){0,3}(?:into|in) "
        r"(?:a |an |the |their |his |some )?(?:\w+ )?(?:car|van|vehicle|taxi|house|flat|alley|lorry)",
        # "taken the baby to the gp" is an errand: a destination after it makes it no abduction
        r"(?:grabbed|snatched|took|taken|trying to take|tried to take|taking) (?:a|the|my) (?:\w+ )?"
        r"(?:child|children|kid|kids|baby|toddler|girl|boy|pupil|\d+ year old|little one|son|daughter)\b(?! (?:\w+ )?to (?!get|grab|hurt|kill)\w| out of (?:school|class|nursery|college){OUTING})",
        r"taken (?:the |my |our )?(?:kids|children|child|baby|toddler|little one)\b(?! (?:\w+ )?to (?!get|grab|hurt|kill)\w| out of (?:school|class|nursery|college){OUTING})",
        r"taken (?:\w+ ){0,2}from (?:the |her |his |their )?(?:hospital|ward|school|nursery|home|park|playground|"
        r"care|foster|unit|street|gates|car|pram|buggy|pushchair|car seat|cot|garden|front garden|trolley)",
        # a child taken off a ward behind the doctors' backs: out of care they need, and out of sight
        r"(?:taken|took|removed|removing|taking|snatched) (?:\w+ ){0,3}(?:from|out of|off) (?:the |a |her |his |their )?(?:\w+ ){0,2}"
        r"(?:hospital|ward|nicu|scbu|neonatal unit|a and e|children s ward|childrens ward|paediatric \w+)\b"
        r"(?= (?:\w+ ){0,3}without (?:anyone|anybody|staff|the (?:doctors|nurses|staff|ward|hospital)|us|permission|consent|telling|"
        r"asking|being discharged|a discharge|discharge))",
        r"(?:baby|child|toddler|kid|little one|\d+ year old) (?:has been |was |been |is being )?(?:taken|snatched|grabbed|lifted) "
        r"(?:from|out of) (?:the |her |his |their |a )?(?:pram|buggy|pushchair|car seat|cot|garden|trolley|car|bed|outside)",
        r"not (?:been )?(?:seen|heard from) since", r"not (?:home|back) (?:from|yet|since)",
        r"(?:did not|didnt|has not|hasnt|have not|not) (?:come|came|got|arrived|turned up|returned) "
        r"(?:back|home|in|to school)", r"(?:lost|lose) (?:a|the|one|our) (?:child|kid|pupil|student)",
        r"trafficked (?:to|into|from)", r"is (?:being )?trafficked", r"holding (?:her|him|them) (?:somewhere|hostage|captive)",
        r"(?:in|at) a trap house", r"done a runner", r"legged it", r"last seen (?:heading|going|at|in|near|with|getting|"
        r"walking|running|by|on the|outside|around|leaving|crossing|playing|\d+ (?:mins?|minutes|hours?) ago|"
        r"(?:at |about |around )?\d+ ?(?:am|pm|oclock)?\b)", r"missing from (?:home|care|school|the unit|the home)", r"(?:nobody|no one|noone) (?:has|have|had) (?:seen|heard from) (?:her|him|them)",
        r"(?:to|going to|coming to|wants to|trying to|about to) (?:take|snatch|grab) (?:the|her|his|my|our|their) "
        r"(?:kids|children|child|baby|son|daughter|little one)",
        r"(?:went|gone|go|been) missing (?:\w+ ){0,3}(?:\d+|few|ten|twenty|thirty|forty) (?:minutes|mins|hours?) ago", r"(?:not|never) (?:turned up|arrived|shown up|come home|came home|"
        r"returned(?! the| her| his| their| a| my| it| any| from)|been seen)",
        r"wandered (?:off|out|away)", r"(?:escaped|got out) (?:from |of )?(?:the )?(?:nursery|school|playground|garden|gate)",
        r"(?:gone|went|driven|drove|driving) off (?:in|with)", r"in a (?:car|van) with (?:a |an |two |three |some |older |"
        r"\w+ )?(?:men|man|stranger|strangers|adults?|older|lads|boys)", r"(?:unknown|strange|a strange) (?:man|men|adult|adults|woman|male|female|person|people|car|van)",
        r"(?:taken|led|lured|walked) (?:away )?(?:\w+ ){0,2}from (?:outside|the front of|in front of|near) ",
        r"(?:will not|wont|refusing to|refuses to|not going to) (?:return|bring back|give back) (?:her|him|them|the)", r"county lines (?:now|tonight|group)",
    ],
    "trapped": [
        # round 20: a child under the water who has not come up; people or tents buried by a landslide, a collapse
        # or an avalanche
        r"(?:went|gone|go|goes|going|slipped|sunk|sank|disappeared|ducked|dipped|dive|dived|dove|pulled|dragged|sucked|jumped|jump|fell|fall) "
        r"(?:\w+ )?(?:under\b|(?:in|into) (?:the |a )?(?:\w+ )?(?:river|sea|lake|pool|water|canal|quarry|reservoir|pond|deep end|waves)\b)"
        r"(?=.*\b(?:(?:not|never|yet to) (?:\w+ )?(?:come|came|coming|surfaced|resurfaced|popped|bobbed)(?: back)? up|not (?:\w+ )?(?:resurfaced|surfaced)|"
        r"(?:can not|could not) see (?:him|her|them))\b)",
        r"\b(?:pier|jetty|quay|harbour|lake|river|sea|pool|quarry|canal|reservoir|deep end|waves?|weir|lock)\b"
        r"(?=.*\b(?:not|never) (?:\w+ )?(?:resurfaced|surfaced|come back up|come up|came back up)\b)",
        r"(?:(?<=not )|(?<=never ))(?:resurfaced|surfaced|come back up|come up)\b(?=.*\b(?:water|pool|deep end|lake|river|sea|"
        r"quarry|canal|pond|reservoir|swim\w*|under)\b)",
        r"\b(?:landslides?|landslips?|mudslides?|avalanches?|rock ?falls?|cave in|caved in|collapsed?|earthquake|sinkhole|fell in|fallen in|gave way|"
        r"given way|came down|fell down)\b(?=.*\bburied\b(?! (?:treasure|each other|a time capsule|the time capsule)\b))",
        r"\bburied\b(?=.*\b(?:landslides?|landslips?|mudslides?|avalanches?|rock ?falls?|cave in|caved in|collapsed?|earthquake|sinkhole)\b)",
        r"buried (?:alive|under|beneath|in) (?:the |a )?(?:\w+ )?(?:rubble|snow|mud|debris|"
        r"earth|soil|bricks|landslide|avalanche|wall|roof|collapse)\b",
        # round 18: a fire that has reached the tent, caravan or room where children are
        r"(?:fires?|bonfire|flames?|bbq|barbecue|candle|heater|chip pan|smoke) (?:has |have |s |is )?(?:caught|reached|spread to|set fire to|got to|taken hold of|is pouring into|pouring into) "
        r"(?:the |a |their |our )?(?:\w+ )?(?:tent|caravan|room|bedroom|house|flat|shed|den|car|cot|bed|loft)\b"
        r"(?= (?:\S+ ){0,3}?(?:where|with) (?:the |our |my |her |his |two |three )?(?:kids|children|little ones|baby|babies|boys|girls|twins|toddlers?|child|younger ones|little \w+)\b)",
        # round 17: a child inside a bin, skip or boot about to be lifted, crushed, tipped or driven off
        r"(?:lad|lads|boy|boys|girl|girls|kid|kids|child|children|he|she|they|toddler|son|daughter|pupil|little one|someone|somebody|baby) "
        r"(?:\w+ ){0,4}?(?:in|inside|into|in to) (?:the |a |that |an |one of the )?(?:\w+ ){0,2}(?:skip|bin|bins|dumpster|compactor|boot|trailer|tipper|hopper|crusher)\b"
        r"(?=.*\b(?:about to|going to|gonna|is|are|s|starting to|just) (?:\w+ ){0,2}(?:lift\w*|crush\w*|compact\w*|tip|tips|tipping|empty|emptying|"
        r"drive off|driving off|pull (?:away|off)|pulling (?:away|off)|reversing|reverse|tow\w*|take it away|start|starting)\b)",
        # round 12: a boat gone over with a child in the water
        r"(?:boat|kayak|canoe|dinghy|raft) (?:has )?(?:capsized|flipped|flipped over|overturned|sunk|gone over)\b",
        r"on fire", r"(?:house|flat|building|car|school|home|room) (?:is )?(?:fire|burning|alight|ablaze)\b",
        r"(?:fire|smoke|flames)(?: \w+){0,4} (?:inside|trapped|upstairs|in there|kids|children|baby|child)",
        r"(?:kids|children|baby|child) (?:\w+ ){0,3}(?:fire|smoke|flames)", r"burning (?:car|house|building|flat)",
        r"smoke (?:coming|pouring|everywhere)", r"trapped", r"(?:locked|shut|kept|stuck) (?:\w+ ){0,4}in(?:side)? "
        r"(?:a |the |their |her |his |my )?(?:\w+ )?(?:room|flat|house|car|bedroom|shed|cellar|basement|boot|cupboard|"
        r"bathroom|toilet|garage|loft|attic|van|lift|cage|wardrobe|washing machine|freezer|fridge)",
        r"locked in\b", r"shut in\b", r"kept locked", r"stuck (?:in|on|under) (?:the |a )?(?:lift|water|mud|river|"
        r"railings|roof|ice|sea|canal|rubble|chimney|pipe|drain|ledge)",
        r"head stuck", r"(?:closed|shut|slammed|trapped|caught|crushed|jammed|stuck) (?:on|in) (?:a|the|her|his|their|my|our) "
        r"(?:\w+ )?(?:arm|arms|hand|hands|leg|legs|foot|feet|finger|fingers|head|neck)\b",
        r"(?:can not|could not|cant) (?:get|prise|pry|lift|move|pull) (?:it|him|her|them|the \w+) (?:open|out|off|free|up|loose)\b", r"drown(?:ing|s)?\b", r"(?:fallen|fell|fall|slipped|gone|went|jumped|climbed|climbing|waded|wading|wandered|crawled) (?:\w+ )?(?:in|into|"
        r"through|under) (?:the |a )?(?:river|canal|pond|pool|swimming pool|water|sea|lake|reservoir|well|ice|quarry)",
        r"(?:fallen|fell|falling|slipped) down (?:a |the )?(?:well|hole|shaft|mine|cliff|drain|manhole|quarry)",
        r"swept (?:out|away)", r"going under", r"in the water", r"(?:hot|locked) car", r"left (?:home )?(?:alone|on (?:his|her|"
        r"their) own|by (?:him|her|them)self)", r"held against (?:her|his|their) will", r"under (?:the )?rubble",
        r"carbon monoxide", r"left (?:alone |on (?:his|her|their) own )?in (?:the|a) (?:hot )?(?:car|van)", r"(?:child|kid|boy|girl|baby|toddler|someone|somebody|children|kids|little one|son|daughter|\d+ year old) (?:is |are )?in the "
        r"(?:\w+ )?(?:river|canal|sea|lake|reservoir|quarry|pond|water|pool)\b(?! (?:side|party|session|lesson))",
        r"face down\b(?! (?:on|in) (?:the |a |his |her )?(?:bed|sofa|mat|pillow|cot|grass|floor)\b)",
        r"(?:being|getting) (?:pulled|dragged|carried|swept) (?:down ?stream|under|out to sea|away)|\bdownstream\b",
        r"(?:chained|tied|handcuffed|cable tied|taped) (?:him|her|them|the \w+|a \w+) (?:up\b|to (?:a|the|his|her|their) )", r"(?:alone|on (?:his|her|their) own) in (?:a|the) "
        r"(?:car|flat|house|van)", r"(?:baby|babies|toddler|toddlers|kids|children|little ones) (?:\w+ ){0,2}(?:home )?alone\b",
        r"(?:stuck|trapped|caught) in (?:the )?(?:flood|floods|flood water|floodwater|current|rip)", r"flood water",
        r"water (?:is )?rising", r"gas leak", r"can not get out", r"could not get out", r"stuck on (?:the )?roof",
        r"(?:stuck|trapped|stranded|clinging) (?:up )?(?:on|in|under|to) (?:the |a )?(?:\w+ ){0,2}(?:roof|ledge|cliff|tree|"
        r"ice|rubble|scaffolding|crane|pylon)", r"(?:starting to |about to |going to )?(?:give|giving) way",
        # a child on or in electrical plant: one touch kills, whatever they are doing there
        r"(?<!works )(?<!work )(?<!working )(?<!worked )(?<!engineer )(?<!engineers )"
        r"(?:up|on|onto|on to|on top of|top of|climbing|climbed|climbs|scaling|scaled|inside|into|in) (?:up |onto |on )?(?:the |a |an )?"
        r"(?:\w+ )?(?:pylons?|electricity (?:tower|pylon|substation)s?|sub ?stations?|power lines?|overhead (?:power )?lines?|"
        r"live rail|electrified (?:rail|line|fence)|electric fence|transformer)\b",
    ],
    "forced_marriage_abroad": [
        # round 19: "the procedure" (or the cut, the operation) in a named country, with a day or a holiday named
        r"{COUNTRY} (?:\w+ ){0,5}?for (?:the |a |her |special |a special |this )*(?:procedure|cut|cutting|operation|op|circumcision|ceremony)\b",
        # (round 23: read from the noun, "the" behind it: a cue that opens on "the" is tried at every "the")
        r"(?:(?<=\bthe )|(?<=\ba )|(?<=\bher ))(?:special )?(?:procedure|cut|cutting|operation|circumcision) (?:\w+ ){0,3}?in {COUNTRY}",
        # the spoon trick in any wording
        r"(?:got|has|have|hidden|hid|put|with|wearing) (?:the|a) (?:metal )?spoon (?:on (?:her|him)\b|(?:in|down|under|inside) (?:her|his) (?:underwear|knickers|pants|bra|clothes|socks?|shoes?|sleeve|waistband|trousers|leggings))",
        # collected for contact and now on the road to a ferry or a plane: out of the country within hours
        r"(?:collected|picked (?:her|him|them) up|took (?:her|him|them)|taken (?:her|him|them)|has (?:her|him|them)) (?:\w+ ){0,4}?(?:for |from )?(?:contact|a visit|the visit|"
        r"(?:his|her|their) visit|a day out|the weekend)\b(?: \S+){0,6}? (?:driving|heading|going|on (?:the|their) way|en route|gone|making for|off) "
        r"(?:\w+ ){0,2}?(?:to|for) (?:the )?(?:ferry|ferries|port|airport|docks|eurotunnel|channel tunnel|tunnel|a boat|the boat|a plane|the plane|heathrow|gatwick|dover|holyhead|stansted|luton|manchester airport)\b",
        r"forced (?:to|into) (?:\w+ )?(?:marr|wed)\w*", r"forced marriage", r"(?:marry|married|marrying|marries) (?:her|him|them) off",
        r"married off", r"made to (?:marry|get married)", r"(?:no choice|does not want to|doesnt want to|"
        r"does not want|not want to) (?:\w+ ){0,3}(?:marr|wed)\w*",
        r"(?:is|are) being (?:sent|taken|flown|moved|shipped) (?:\w+ ){0,6}(?:to |in )?{COUNTRY}",
        r"(?:marr\w*|wedding|engagement|fgm|cut|cutting|circumcis\w*) (?:(?:\w+|\|) ){0,12}(?:abroad|airport|flight|flights|"
        r"flying|flies|fly|flys|out of the country|out of the uk|leaving|travel\w*|{COUNTRY}|holidays?|summer|"
        r"half term|easter|christmas|tomorrow|tonight|next week|this week|next month|this weekend|weekend|"
        r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))",
        r"(?:taken|taking|take|sending|sent|send|flying|flown|fly|going|travelling|traveling|leaving|removed|"
        r"removing|taking) (?:her |him |them |the kids |the children )?(?:\w+ ){0,3}(?:to |for )?(?:{COUNTRY}) "
        r"(?:\w+ ){0,6}(?:marr\w*|wedding|cut|cutting|fgm|circumcis\w*|not coming back|not be coming back|"
        r"will not be coming back)",
        r"(?:abroad|airport|flight|{COUNTRY}) (?:\w+ ){0,6}(?:marr\w*|wedding|fgm|cut|cutting|ceremony|engage\w*|husband|wife|bride|nikah|wed\b)",
        r"(?:is|its|it is) (?:actually|really) (?:hers|his|her own|for her)", r"her own wedding",
        r"(?:husband|wife|groom) (?:is )?(?:waiting|lined up|chosen|picked|arranged|found)",
        r"(?:found|got|chosen|picked|arranged) (?:her|him) a (?:husband|wife)",
        r"(?:remove|removed|removing|taken|taking|take) (?:\w+ ){0,3}(?:out of the country|out of the uk|from the uk|"
        r"abroad)", r"at (?:the )?(?:airport|heathrow|gatwick|stansted|luton|manchester airport|birmingham airport)"
        # round 21: the whole family at the airport for a holiday they are glad of
        r"(?! (?:\w+ ){0,3}?(?:for (?:their|a|the|our|his|her) (?:\w+ )?holiday|on (?:their |a )?holiday|for (?:a|one|two) (?:week|fortnight|few days|long weekend|break)s?)\b(?!.*\b(?:marr\w*|wedding|cut|fgm|does not want|forced)\b))",
        r"(?:taken|took) (?:her|his|their) passport", r"not be coming back", r"will not be coming back",
        r"(?:sending|send|sent) (?:her|him|them) (?:away|abroad|back)", r"(?:fgm|cut|cutting|marr\w*|wedding) (?:\w+ ){0,3}"
        r"going to happen",
        r"(?:fgm|cut|cutting|circumcision) (?:is )?(?:planned|booked|arranged)",
        r"(?:locked|kept|held|shut) (?:in|inside|at|indoors) (?:\w+ ){0,3}(?:until|till) (?:the |her |his |their )?(?:flight|wedding|plane|trip|"
        r"they (?:fly|leave|go)|we (?:fly|leave|go))", r"(?:being|be|get|getting) cut\b",
        r"(?:wedding|marriage)s? (?:is |has |has been |been |was |is being )?(?:arranged|planned|booked|set) (?:for|to|on|with)\b",
        r"(?:wedding|marriage) is (?:arranged|planned|booked)", r"being married\b", r"(?:be|being|get|getting) circumcised",
        r"(?:will not|wont|not) (?:come|coming|be coming|be allowed|be let) back",
        # removal for good: "taking the kids to syria and will not be bringing them back"
        r"(?:not|never|will not|wont) (?:be )?(?:bringing|bring) (?:her|him|them|the (?:kids|children|girls?|boys?|baby)) "
        r"back(?! (?:to|until|till|for|before|after|in|on|at|from)\b)",
        # the spoon in the underwear that sets off airport security: a child's own signal she is being taken
        r"spoons? (?:\w+ ){0,3}(?:in|into|inside|down|under) (?:her|his|their|my) (?:\w+ )?(?:knickers|pants|underwear|bra|clothes|"
        r"trousers|shorts|socks?|tights|leggings|shoes?|waistband)",
        r"(?:put|puts|putting|hid|hidden|hide|hiding|tucked|tucking|has|got|with|wearing|wear|carry|carrying|taken) (?:a |the |her |his )?"
        r"(?:metal |teaspoon |tea )?spoons? (?:\w+ ){0,3}(?:for|at|through|in|to) (?:the )?(?:airport|security|flight|scanner|metal detector)",
    ],
}

# Weak cues: harm words that may speak of danger now; alone they bring the one line reminder.
_WEAK = {
    "weapon": [r"{WEAPON}\b", r"shooting", r"\bstab(?!l)\w*", r"\bcarrying(?= *$| *\|)", r"\bstrapped\b"],
    "threat": [r"threat\w*", r"\bdead\b", r"\bkill(?:ed|ing|s)?\b", r"murder\w*", r"\bwarn(?:ed|ing)? (?:him|her|them)",
               # round 15: veiled threats ("you'll see what happens tonight", "i know where they go to school",
               # a photo of the child or the house sent): what is left unsaid is the threat
               r"\b(?:you|u|she|he|they|you all) (?:will|ll|are going to|re going to|is going to|gonna) (?:see what happens|"
               r"regret (?:it|this|that)|be sorry|pay for (?:this|it|that))\b(?! (?:when|if) (?:you|u) (?:mix|add|press|click|try|put|revise))",
               r"\b(?:watch|wait and see|just wait and see|wait to see|see) what (?:happens|i do|i will do|he will do|we will do|they will do|"
               r"he does|happens to)\b(?! (?:when|if) (?:you|u) (?:mix|add|press|click|try|put|revise))"
               r"(?! at (?:parents|the (?:meeting|match|game|show|review|panel|results|interview|audition)|results))",
               r"\b(?:just )?wait (?:till|until|til) (?:tonight|later|i see|i get|he gets|they get)\b(?! (?:\| )?(?:the|for|to) )",
               r"\b(?:a )?shame if (?:something|anything) (?:\w+ )?(?:happened|happens|was to happen|were to happen) to\b",
               r"\b(?:something|anything) (?:bad )?(?:might|could|will|may|is going to|would) (?:\w+ )?happen to (?:your|the|her|his|their|ur|them|him|her)\b",
               r"\b(?:has|have|s|ve|had) got it coming\b|\b(?:has|have|s|ve) got (?:it|something) coming to (?:her|him|them|you)\b",
               r"\bi know (?:where|what time|when) (?:you|they|she|he|the kids|the children|your kids|your children|ur kids|your son|your daughter|"
               r"the boy|the girl|the baby) (?:live|lives|go to school|goes to school|are|is|go|goes|sleep|sleeps|finish|finishes|leave|leaves|get out|come out|walk home)\b",
               r"\b(?:sent|sends|texted|posted|messaged|sending|dropped|airdropped|snapped)(?: \S+){0,6}? (?:a |an |the )?(?:photo|picture|pic|pics|"
               r"photos|snap|video|image|selfie) of (?:the |her |his |their |your |my |ur |our )?(?:kids |children |childs |child s |boys |girls |"
               r"sons |daughters )?(?:house|home|front door|door|school|school gates?|bedroom window|window|car|nursery|flat)\b",
               r"\b(?:photo|picture|pic|pics|photos|snap|video|image) of (?:the |her |his |their |your |my |ur |our )?(?:kids|children|child|son|"
               r"daughter|boy|girl|baby|little \w+)(?: \S+){0,4}? (?:outside|at the (?:school )?gates?|walking|leaving|coming out|from outside|"
               r"near (?:the )?school)\b"],
    "violence": [r"\bhit(?:s|ting)?\b", r"\bhurt(?:s|ing)?\b", r"\bbeat(?:en|ing)?\b", r"punch\w*", r"kick\w*",
                 r"slap\w*", r"assault\w*", r"attack\w*", r"violen\w*", r"domestic abuse", r"\bfight\w*",
                 # not "harm", "injuries" or "bruising" alone: threshold and concern words in every referral
                 r"(?<!significant )(?<!serious )\bharm\b(?! threshold)", r"strangl\w*", r"\bchok\w*", r"\babuse\w*",
                 r"\bscream\w*", r"(?:serious|bad|badly|head|fresh) injur\w*",
                 # a disclosure in the present simple ("dad beats her"): ongoing harm, at least possible
                 r"\bbeats (?:him|her|them|me|mum|the)\b", r"\bbatter\w*", r"\bwhip(?:s|ped|ping)? (?:him|her|them|me)\b",
                 r"\b(?:burns|burned|burnt|scalds|scalded) (?:him|her|them|me)\b", r"\bsmother\w*", r"\bthrottl\w*",
                 r"\bshak(?:es|ing|en) (?:the baby|the child|him|her|them)\b",
                 r"\bunsafe\b", r"not safe", r"terrified", r"hostage", r"being followed", r"\bshot\b",
                 r"do (?:him|her|them) in", r"going mental", r"losing it", r"blackmail\w*", r"smash\w*",
                 r"(?:scared|frightened|afraid) (?:to go home|of (?:him|her|them|dad|mum|his|her|going home|what)|"
                 r"for (?:her|his|their|my) life|he|she|they)"],
    "sexual_assault": [r"(?:comes|coming|came|creeps|creeping|gets|getting) into (?:her|his|their) (?:bed|bedroom|room)",
                       # an adult telling a child to come back tonight for "more": grooming with the next meeting set
                       r"(?:come back|come round|come over|come to (?:his|my) (?:house|flat|car)|meet (?:me|him)) (?:\w+ ){0,5}?"
                        r"(?:and )?(?:i will|ill|he will|he ll|hell|hed|he would|i would|id|we will|well|they will) (?:show|give|teach|let) (?:you|her|him|them|u) "
                        r"(?:more|something|some|what)\b",
                       r"\brap(?:e|ed|ing|ist)\b", r"sexual\w*", r"groom\w*", r"\bcse\b", r"exploit\w*", r"\btouched\b",
                       r"nudes?", r"\bsex\b", r"indecent", r"\bperv\w*", r"\brapes\b", r"\bmolest\w*", r"\bgrop\w*",
                       r"\bfondl\w*", r"\btouch(?:es|ing) (?:him|her|them|me)\b"],
    "medical": [r"overdos\w*", r"unconscious", r"consciousness", r"on the floor", r"ketamine", r"spice", r"xanax",
                r"heroin", r"cocaine", r"\bmdma\b", r"ecstasy", r"\bpale\b", r"not responding", r"breath\w*", r"blood", r"bleed\w*", r"seizure", r"ambulance",
                r"poison\w*", r"collaps\w*", r"\bpills\b", r"tablets", r"swallow\w*", r"fainted", r"\bdrugs?\b"],
    "suicide_self_harm": [r"suicid\w*", r"goodbye", r"(?:it is|its) (?:happening|going to happen) tonight", r"(?:her|his|their|my) last (?:night|day|message|goodbye)", r"self harm\w*", r"\bcutting\b", r"\bdie\b", r"\bdying\b", r"end it",
                          r"\bjump\b", r"\bhang\w*", r"\bcuts\b",
                          r"(?:will|going to|about to) (?:\w+ ){0,3}finish it(?! (?:off|tomorrow|later|for|before|after|at|in|by|on|today|first|now))\b"],
    "missing_abduction": [r"\bmissing\b", r"abduct\w*", r"kidnap\w*", r"\brun away\b", r"\bran away\b",
                          r"trafficked", r"county lines", r"\bcce\b",
                          # round 15: a young or vulnerable child loose by a road, water or railway, or bolting from staff
                          r"\b(?:walking|running|standing|wandering|toddling|playing|sitting|lying|riding|dodging) (?:\w+ ){0,3}?"
                          r"(?:(?:in|down|along|across) the middle of the road|(?:into|in) (?:the )?traffic|in the road|between (?:the )?cars|"
                          r"across (?:the )?(?:road|dual carriageway|motorway|railway|tracks|main road)|"
                          r"on the (?:railway|tracks|train tracks|motorway|dual carriageway|slip road))\b",
                          r"\b(?:got|gets|slipped|wandered|climbed|escaped|jumped|run|ran|runned|runs|running|bolted|bolts|darted|absconded|"
                          r"got away)(?: out| off| away)?(?: \S+){0,8}? (?:towards?|into|onto|near|for|across) (?:the )?(?:road|traffic|railway|"
                          r"rail line|railway line|train tracks?|tracks|motorway|dual carriageway|main road|busy road|river|canal|pond|lake|"
                          r"harbour|quay|level crossing|cars|slip road|docks?|reservoir|sea)\b",
                          r"\b(?:ran|run|runned|runs|bolted|absconded|got away|running|legged it) (?:off |away )?from (?:staff|the ta|his ta|her ta|"
                          r"(?:his |her |the )?escort|me|us|the teacher|the carers?|his carer|her carer|the driver|the minibus|the bus|the taxi)\b",
                          r"\b(?:ran|run|runned|runs|bolted|got) (?:off|away|out)(?: \S+){0,10}? (?:no|not|without) (?:\w+ )?(?:road sense|danger sense|"
                          r"danger awareness|sense of danger|awareness of danger|understand (?:danger|roads|traffic))\b",
                          r"\b(?:got|jumped|climbed|ran|runned) out of the (?:minibus|taxi|car|bus|van)(?: \S+){0,5}? (?:ran|run|runned|bolted) "
                          r"(?:off|away)\b",
                          r"\b(?:is|are|s|was|now) (?:\w+ ){0,2}?(?:in the middle of|out in|stood in|standing in) the (?:\w+ ){0,2}?"
                          r"(?:road|traffic|street|carriageway|motorway|junction|roundabout|railway|tracks)\b(?! (?:crossing|safety|lesson|sense))",
                          r"\b(?:he|she|they|child|toddler|boy|girl|one|baby|pupil) (?:is|s|are) (?:now )?(?:right )?(?:next to|beside|by|near|"
                          r"at the edge of|on the edge of) the (?:busy |main )?(?:road|railway|tracks|canal|river|motorway|dual carriageway|quayside|"
                          r"harbour|lake|sea)\b"],
    "trapped": [r"\bsmell(?:s|ing)? (?:strongly )?of gas\b", r"\bgas leak\b", r"\bcarbon monoxide\b",  # round 18: a home full of gas
                r"\bfire\b", r"\bsmoke\b", r"\blocked (?:in|up|inside)\b", r"\bstuck (?:in|inside|under|on the roof)\b", r"drown\w*", r"\bflood\w*"],
    "forced_marriage_abroad": [r"(?:sending|sent|taking|taken|send|take) (?:her|him|them) (?:to )?{COUNTRY}", r"\bfgm\b", r"forced marriage", r"\bmarry\b", r"\bmarried\b", r"\bwedding\b",
                               r"\bcircumcis\w*", r"\bhonour\b", r"\bbreast ironing\b",
                               # round 12: passports held and a move abroad announced
                               r"passports?\b(?: \S+){0,12} (?:abroad|overseas|flying|moving|{COUNTRY})\b", r"\b(?:abroad|overseas)(?: \S+){0,12} passports?\b"],
}

# Round 13: harm read as a structure, not a phrase list. A verb of violence (any form, typed
# second-language forms such as "is strike" too) with a child or person as its object, a few words
# apart at most, is at least possible; the same said as going on now ("is", "keeps", "still", "now")
# is clear. Each such line stands for many phrasings nobody wrote down, so the reminder errs wide.
_HARM_VERB = (r"(?:hit|hits|hitting|strike|strikes|striking|struck|beat|beats|beating|beaten|kick|kicks|kicking|kicked|"
              r"punch\w*|slap\w*|smack\w*|thump\w*|bash\w*|throw|throws|throwing|threw|thrown|chuck|chucks|chucking|chucked|"
              r"shake|shakes|shaking|shook|shaken|drag|drags|dragging|dragged|chok(?:e|es|ed|ing)|strangl\w*|throttl\w*|"
              r"drown|drowns|drowning|drowned|burn|burns|burning|burnt|burned|scald\w*|stab|stabs|stabbing|stabbed|"
              r"shoot|shoots|shooting|shot|batter|batters|battering|battered|whip|whips|whipping|whipped|shov(?:e|es|ed|ing)|"
              r"smother\w*|suffocat\w*|hurt|hurts|hurting|harm|harms|harming|harmed|attack|attacks|attacking|attacked|"
              r"rape|rapes|raping|raped|abuse|abuses|abusing|abused|strangle|kill|kills|killing|killed)")
_HARM_PERSON = (r"(?:(?:the|a|an|that|this|his|her|their|our|my|your|little|poor|new|older|younger|other|youngest|eldest) ){0,2}"
                r"(?:child|children|kids?|baby|babies|boy|boys|girl|girls|lad|lads|son|sons|daughters?|pupils?|yp|toddlers?|"
                r"infant|little one|\d+ year old|brother|sister|twins|him|her|them|me|us)\b(?! s\b)")
_HARM_NOW = r"(?=.*?\b(?:now|right now|still|going on|as we speak|at the moment|this minute|will not stop|wont stop)\b)"

_STRONG.setdefault("violence", []).append(
    r"\b(?:is|are|keeps|keep|still) (?:\w+ )?" + _HARM_VERB + r" " + _HARM_PERSON + _HARM_NOW)
_WEAK["violence"] += [
    _HARM_VERB + r" " + _HARM_PERSON,
    # "holding his head under the water in the river": a head or face forced down, with words between
    r"\b(?:hold\w*|held|push\w*|forc\w*|shov\w*|dunk\w*|pin\w*) (?:his|her|their|the \w+ s|the) (?:head|face) "
    r"(?:\w+ ){0,2}?(?:under|into|in|down|against)\b",
]
_WEAK["threat"] += [
    r"\bdo (?:(?:the|a|that|this|his|her|their|your|ur) )?(?:\w+ )?(?:child|kid|kids|baby|boy|girl|lad|son|daughter|"
    r"\d+ year old|little one|brother|sister) in\b",
]
_WEAK["suicide_self_harm"] += [
    r"(?:written|wrote|writing|left|leaving|finished) (?:my|his|her|their|the|some|all) (?:\w+ )?(?:letters?|notes?)\b"
    r"(?! (?:to|for) (?:the )?(?:universit\w*|school|council|college|mp|head\w*|job|jobs|interview|housing|court|judge|landlord))",
    r"\b(?:do not|dont|don t) (?:come )?(?:look|looking|search|try to find|come after)(?: for)? me\b",
    r"\b(?:i am|im|he is|she is) done with (?:everything|life|it all|all of it|living)\b",
]
_WEAK["missing_abduction"] += [
    # a child collected, picked up or driven by an adult the parents do not know
    r"\b(?:collect\w*|pick\w* (?:\w+ )?up|driv\w*|tak(?:e|es|ing|en)|meet\w*|fetch\w*)(?: \S+){0,14} "
    r"(?:parents?|mum|dad|carers?|family|foster carers?|nobody|no one|noone)"
    r" (?:know nothing|knows nothing|do not know|does not know|have no idea|has no idea|are not aware|is not aware|not told|unaware)",
    r"\badult from (?:the |his |her |their )?(?:online|gaming|discord|roblox|fortnite|esports|internet) ",
]
# Round 16: a child groped in front of others; a grave threat to throw a child through a window; "getting wet"
# (drill slang for being stabbed) said of a named child; a child at the bottom of a pool; a child collected by
# someone claiming to be family the parents say does not exist.
_STRONG["sexual_assault"] += [
    r"(?:feeling|feels|touching|touches|groping|gropes) (?:\w+ )?up (?:a|an|the|this|that|his|her|our|some|one|two) (?:\w+ ){0,2}?"
    r"(?:girls?|boys?|child|children|kids?|pupils?|students?|lad|lass|year \d+|yr\d+|toddler)\b",
]
_STRONG["threat"] += [
    r"(?:will|going to|would) (?:\w+ ){0,2}(?:put|throw|chuck|smash|launch) (?:him|her|them|you|the \w+|that \w+) "
    r"(?:through|out of|down) (?:a |the )?(?:window|wall|stairs)\b",
    r"(?:drill|say|said|saying|says|naming|named|names|threat\w*|posted|song|track)(?: \S+){0,10}? (?:he|she|they|him|you|year \d+|boy|girl|lad|kid) "
    r"(?:is |are |will |will be |going to |going to be )?(?:getting|get|gets) wet\b"
    # (wet from rain, a pool or water play is no threat)
    r"(?! (?:in the (?:rain|pool|water|puddles?|sea|river|paddling pool|splash \w+)|at (?:swimming|the (?:pool|water|beach|seaside|splash \w+))|"
    r"playing|outside|from the|with the (?:hose|water)|in water play)\b)",
]
_STRONG["trapped"] += [
    r"(?:is|are|still|lying|lies|face down|floating) (?:\w+ )?(?:at|on) the bottom(?: of the (?:deep end|pool|water|swimming pool|lake|river|canal|pond))?",
    r"(?:is|are|has gone|have gone|gone|went) under (?:the water )?(?:\w+ ){0,5}(?:not|is not|are not) (?:coming|come) (?:back )?up\b",
    r"\bkid at the bottom of the (?:pool|deep end)",
]
_STRONG["missing_abduction"] += [
    r"(?:collect\w*|pick\w* (?:\w+ ){0,2}up|took|taken|fetch\w*)(?: \S+){0,8} (?:saying|claiming|said|says|who said) (?:he|she|they) (?:was|were|is|are)"
    r" (?:her |his |their |the )?(?:uncle|aunt|aunty|auntie|cousin|grandad|grandpa|nan|nanny|grandma|dad|father|mum|brother|sister|stepdad|family friend)"
    r"(?: \S+){0,12} (?:no|not|never|died|does not have|has no|have no)\b",
]
_WEAK["forced_marriage_abroad"] += [
    r"(?:sending|sent|taking|taken|send|take|flying|fly) " + _HARM_PERSON + r" (?:\w+ ){0,2}?(?:to )?{COUNTRY}"
    r"(?: \S+){0,8} (?:(?:the|a|little|special|small) procedure|procedure done|be cut|get (?:her|them) cut|cutting|circumcis\w*|ceremony|married|marry|wedding)",
]
# Round 21: a court order or port alert needed before a flight within hours is removal about to happen;
# a young person taken (not going) to the airport or made to board; an at-risk child who left a lesson
# and is not on site now; a parent's threat to "take them out" if the children are removed; a child
# heard begging someone not to hurt their mum; an adult outside the family who will share a bed with a child.
_STRONG["forced_marriage_abroad"] += [
    r"(?:fmpo|fgmpo|(?:forced marriage|fgm|female genital mutilation) protection orders?|port alerts?|all ports? (?:alert|warning)s?|"
    r"passport (?:seizure|order)|(?:seize|seized|seizing|surrender|surrendered) (?:her|his|their) passports?|(?:her|his|their) passports? (?:seized|surrendered))"
    r"(?: \S+){0,10}? (?:tonight|today|now|right now|urgently|urgent|asap|first thing|this (?:morning|afternoon|evening)|tomorrow|"
    r"before (?:she|he|they|the (?:flight|plane))|flies|fly out|flying)\b",
    r"(?:need|needs|needed|apply|applying|get|getting|urgent|emergency|out of hours) (?:for )?(?:an? |the )?(?:urgent |emergency |out of hours )?"
    r"(?:fmpo|fgmpo|(?:forced marriage|fgm) protection order|port alert|all ports (?:alert|warning))\b",
    r"(?:been|being|is being|are being|getting|get) (?:taken|driven|dragged|bundled|forced|marched|put) (?:\w+ ){0,3}?(?:to|into|onto|on) "
    r"(?:the |a )?(?:airport|heathrow|gatwick|stansted|luton|manchester airport|birmingham airport|plane|flight)\b"
    r"(?!.*\b(?:holiday|gap year)\b(?!.*\b(?:marr\w*|wedding|cut|fgm|does not want|forced|against (?:her|his) will)\b))",
    r"(?:making|made|forcing|forced|force|make) (?:her|him|them) (?:to )?(?:get on|board|go on|fly|take|get) (?:a |the |on a |on the )?(?:flight|plane)\b"
    r"(?!.*\b(?:scared|afraid|nervous|frightened) of (?:flying|planes|heights)\b)",
]
# "i'm done, bridge at 9, don't try and stop me": a goodbye with a place or a plan, and a plea not to be stopped
_STRONG["suicide_self_harm"] += [
    r"(?:i am|im) done(?! with (?!(?:it all|everything|life|living)\b))(?: \S+){0,8}? (?:do not|dont) (?:try (?:and |to )?)?(?:stop|find|look for|come after) me\b"
    r"(?! (?:going|from|leaving|having|getting|eating|buying|doing|booking|ordering)\b)",
    r"(?:bridge|station|tracks|railway|roof|cliff|car park|multi storey|river|canal|pier|pills|rope) (?:at|tonight|later|after|then) (?:\S+ ){0,6}?"
    r"(?:do not|dont) (?:try (?:and |to )?)?(?:stop|find|look for|come after) me\b",
]
_STRONG["missing_abduction"] += [
    r"(?:(?:left|leaving) (?:the |his |her |their )?(?:\w+ )?(?:lesson|class|classroom|room|unit|session|registration|form|tutor group|group|hall|"
    r"canteen|library|base|exam|building)|(?:walked|went|ran|stormed|slipped|snuck|sneaked|wandered) (?:out|off)|(?:went|gone|go|going) (?:out )?(?:to|for) "
    r"(?:the |a |get |get a )?(?:toilets?|loos?|nurse|office|medical room|bathroom|water|drink|reception|locker|break)|"
    r"(?:is|are|s) not in (?:the |his |her |their )?(?:lesson|class|classroom|room|session))"
    # (the places a child is said to be after all are looked for only once the leaving words are found)
    r"{NOT_WHERE}(?!.*\b(?:appointment|with (?:her|his|their) (?:mum|dad|parents?|carers?|nan|gran)|at (?:the )?(?:dentist|doctors|hospital|orthodontist|"
    r"college|work experience|forest school))\b) (?:\S+ ){0,12}?(?:is|are|s) "
    r"(?:not (?:\w+ )?|nowhere )(?:on site|in (?:the )?(?:building|school|college|academy|unit))\b",
    r"(?:climbed|jumped|scaled|got over){NOT_WHERE} (?:over )?(?:the )?(?:\w+ )?(?:fence|wall|gates?)(?: \S+){0,6}? (?:left|out of|off) (?:the )?"
    r"(?:premises|site|school grounds|grounds)\b",
]
_STRONG["threat"] += [
    r"(?:will|going to|gonna|ill) take (?:them|him|her|the (?:kids|children|baby|lot)|my (?:kids|children|baby)) (?:all )?out "
    r"(?:first|before|myself|herself|himself|and (?:then )?(?:me|myself|herself|himself))\b",
    r"(?:will|going to|gonna|ill) take (?:them|him|her|the (?:kids|children|baby)) with (?:me|him|her)(?= *$| *\|| (?:first|before|and (?:me|myself|herself|himself)))",
    r"(?:if|when|once) (?:\w+ ){0,3}?(?:take|takes|remove|removes|try to take|tries to take|come for|comes for|come to take|comes to take) "
    r"(?:my|the|our|his|her|their) (?:\w+ )?(?:kids|children|baby|babies|son|daughter|boys|girls|child|twins|little ones)\b(?: \S+){0,6}? "
    r"(?:will|ill|going to|gonna) (?:take (?:them|him|her|the \w+) (?:all )?(?:out|with (?:me|him|her))|kill|end|finish|hurt|harm|do something)\b",
]
_STRONG["violence"] += [
    r"(?:shouting|screaming|crying|yelling|begging|shouts|screams|cries|sobbing|pleading|saying) (?:\w+ ){0,2}?(?:do not|stop|please|get off) "
    r"(?:\w+ ){0,1}?(?:hurt\w*|hit\w*|kill\w*|touch\w*|hitting) (?:my |his |her |our )?(?:mummy|mum|mam|mommy|mom|mama|nan|nanny|daddy|dad|sister|brother|me|her|him)\b",
    r"(?:shouting|screaming|crying|yelling|begging|shouts|screams|sobbing|pleading) (?:\w+ ){0,2}?leave (?:my |his |her |our )?(?:mummy|mum|mam|mommy|mom|mama|nan|nanny|daddy|dad|sister|brother|me|her|him) alone\b",
    r"(?:begging|pleading with|screaming at|shouting at|crying at) (?:\w+ ){0,2}?(?:not to|to stop|to not) (?:hurt|hit|kill|hurting|hitting|killing|beat|beating)\w* "
    r"(?:my |his |her |their |our )?(?:mummy|mum|mam|mommy|mom|mama|nan|nanny|daddy|dad|sister|brother|me|her|him)\b",
]
_STRONG["sexual_assault"] += [
    r"(?:coach|coachs|coaches|tutor|teacher|volunteer|leader|youth worker|instructor|mentor|older man|lodger|boyfriend|family friend|"
    r"neighbour|priest|imam|vicar|driver|host dad)\b(?: (?!never\b|not\b|no\b|wife\b|husband\b|partner\b|girlfriend\b)\S+){0,10}? (?:share|sharing|shares|sleep in|sleeping in|sleeps in) "
    r"(?:a|the|one|his|her|their|the same) (?:double )?bed\b(?!.*\b(?:parents and (?:children|kids)|with (?:their|his|her) (?:own )?(?:parents?|mum|dad|wife|husband|partner|kids|children))\b)",
    r"(?:share|sharing|shares|sleep in|sleeping in|sleeps in) (?:a|the same|one|his|her) (?:double )?bed with (?:the |a |this |that |his |her )?"
    r"(?:coach|tutor|teacher|volunteer|leader|youth worker|instructor|mentor|older man|man|lodger|family friend|neighbour|priest|imam|driver)\b",
]

# A bare alarm: the whole message is one of these (the 999 choice typed, "emergency"). A bare "help me"
# typed to the bot asks how to use it; "help me now", "help me please" stay alarms.
_ALARMS = frozenset({
    "999", "call 999", "ring 999", "dial 999", "emergency", "its an emergency", "it is an emergency",
    "this is an emergency", "sos", "danger", "in danger", "child in danger", "immediate danger",
    "urgent danger", "a child is in immediate danger", "knife", "gun", "weapon", "fire", "house fire", "overdose",
    "not breathing", "help police", "child is in immediate danger",
    "help us", "please help", "urgent help", "need help now", "help now", "help help",
})

# Generic present danger, whatever kind: "in danger now", "call the police", "999".
_GENERIC_STRONG = [
    # Said outright: "it's happening now"; a police officer's "requesting urgent assistance".
    r"(?:it is|this is|that is|is|its) (?:happening|going on) (?:now|right now|as we speak)\b", r"happening right now",
    r"(?:requesting|request|need|needs|send|sending) (?:urgent|immediate|emergency) (?:assistance|backup|back up|units?|response)",
    r"\b999\b", r"(?:immediate|imminent|grave|urgent) (?:danger|risk|harm)", r"(?:serious|real|great) danger", r"at risk (?:right now|now|tonight)",
    r"in (?:immediate |real |serious |grave |great )?danger", r"(?:call|calling|ring|ringing|phone|get|need|"
    r"needs|send|sending) (?:the |an )?(?:police|ambulance|999|fire brigade|fire service|paramedics)"
    r"(?! (?:non emergency|on 101|101)| about (?:a |the |his |her |their )?(?:stolen|theft|burglary|bike|car|phone|damage|"
    r"break in|graffiti|vandalism|parking|noise))",
    r"police (?:now|asap|urgently|right now)", r"police (?:needed|required|wanted)(?= *$| *\|| now| asap| urgently| here| at (?:the )?(?:house|home|flat|school|address|property|gates?|park))",
    # "emergency" alone or as the thing happening; "emergency strategy meeting" or "emergency contact" is not one
    r"(?:an |its an |is an |this is an |it is an |real |genuine )emergency\b(?! (?:contact|plan|services?|department|"
    r"meeting|procedure|appointment|strategy|protection|c section|number|numbers|details|placement|drill))",
    r"\bemergency(?= *$| *\|| (?:now|please|help|here|at|in|situation|going on|happening|call|urgent))",
    r"not safe (?:now|right now|here|at home|to go home|tonight)", r"unsafe (?:now|right now|tonight|at home)",
    r"help (?:me|us|her|him) (?:now|please|quick)(?! (?:\| )?(?:with (?:the|this|my|a|an|how|what|where) |fill|to fill|how (?:do|to|i|we)|where (?:do|does|should|to) |what (?:do|to) |find (?:the|a) |record|log|write|complete|understand))", r"please help",
    # help with a thing (housing, bills, a form) is support, not rescue
    r"(?:need|needs|send) help(?! (?:with|to|for|from|filling|finding|understanding|getting|applying|paying|sorting|managing|choosing|reading|writing|in (?:school|class|maths|english|lessons?))\b)",
]

def _starts(items: list, cap: int = 400) -> set[str] | None:
    """The literal beginnings (up to the end of the first word) every match of a parsed pattern has
    one of; None when a match can begin with anything (then the pattern is tried at every word)."""
    found = _starts_from(items, 0)
    if found is None or _CUT in found or "" in found or len(found) > cap:
        return None
    return {start.rstrip(_CUT) for start in found}


_CUT = "\0"  # marks a beginning known only so far (what follows it is not a fixed text)


def _starts_from(items: list, i: int) -> set[str] | None:
    if i == len(items):
        return {""}
    op, av = items[i]
    if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return _starts_from(items, i + 1)  # zero width
    if op is sre_constants.LITERAL:
        c = chr(av)
        if c == " ":
            return {" "}
        rest = _starts_from(items, i + 1)
        return {c + _CUT} if rest is None else {c + r for r in rest}
    if op is sre_constants.SUBPATTERN:
        return _then(_starts_from(list(av[3]), 0), items, i + 1)
    if op is sre_constants.BRANCH:
        found: set[str] = set()
        for alt in av[1]:
            part = _then(_starts_from(list(alt), 0), items, i + 1)
            if part is None:
                return None
            found |= part
        return found
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        once = _starts_from(list(av[2]), 0)
        if once is None or _CUT in once or "" in once:
            return None
        # After one time round, another may follow: the beginning is known only that far.
        once = {h if h.endswith((" ", _CUT)) else h + _CUT for h in once}
        if av[0] >= 1:
            return once
        skipped = _starts_from(items, i + 1)
        return None if skipped is None else once | skipped
    if op is sre_constants.IN:
        # a digit or a few letters ("[2-6]", "\d+ year old"): each is a beginning, so a cue about a child's
        # age is tried only at a number, not at every word of every message
        chars = _few_chars(av)
        if chars is not None:
            return {c + _CUT for c in chars}
    return {_CUT}  # a character class: the beginning is known only this far


def _few_chars(av: list) -> list[str] | None:
    """The characters a small class stands for ("[1-9]", "\\d"), or None for a large or negated one."""
    chars: list[str] = []
    for op, value in av:
        if op is sre_constants.LITERAL:
            chars.append(chr(value))
        elif op is sre_constants.RANGE:
            chars.extend(chr(c) for c in range(value[0], value[1] + 1))
        elif op is sre_constants.CATEGORY and value is sre_constants.CATEGORY_DIGIT:
            chars.extend("0123456789")
        else:
            return None
    return chars if len(chars) <= 10 else None


def _then(heads: set[str] | None, items: list, i: int) -> set[str] | None:
    """Beginnings of a group followed by the rest of the sequence."""
    if heads is None:
        return None
    out: set[str] = set()
    rest: set[str] | None = None
    for head in heads:
        if head.endswith((" ", _CUT)):
            out.add(head)
            continue
        if rest is None:
            rest = _starts_from(items, i)
            if rest is None:
                rest = {""}
        out.update(head + r for r in rest)
    return out  # (a group that can be empty leaves "" + the rest: handled by the caller's checks)


class _Cues:
    """Cue phrases indexed by how they begin, so each word of a message is tried only against the
    few phrases that can start there (the recogniser runs on every message: it has to stay fast)."""

    def __init__(self, groups: dict[str, list[str]], by_words: bool = False) -> None:
        # Keyed by the first two characters (or the one, for a one-letter beginning).
        self.by_char: dict[str, list[tuple[str, int]]] = {}
        self.anywhere: list[int] = []
        self.whole: re.Pattern | None = None
        self.patterns: list[tuple[re.Pattern, str]] = []
        self._by_word: dict[str, tuple] = {}
        for category, patterns in groups.items():
            for pattern in patterns:
                expanded = _expand(pattern)
                index = len(self.patterns)
                self.patterns.append((re.compile(expanded), category))
                starts = _starts(list(sre_parse.parse(expanded))) if sre_parse is not None else None
                if starts is None:
                    self.anywhere.append(index)
                else:
                    for start in starts:
                        self.by_char.setdefault(start[:2], []).append((start, index))
        # When every cue begins with a word, trying them only where a word can begin one finds the same
        # first match as one search at every character; with many beginnings (a long alternation,
        # slow to try at each character) it costs less, with few the loop over words costs more.
        beginnings = [start for starts in self.by_char.values() for start, _ in starts]
        # (by_words: a few beginnings, but each costly to try at every character: lookbehinds, long alternations)
        self.word_led = (not self.anywhere and (by_words or len(beginnings) >= 100)
                         and all(start[:1].isalnum() for start in beginnings))

    def _order(self, key: str) -> tuple:
        """The match functions and categories of the cues that can begin at this word."""
        if len(self._by_word) > 50000:
            self._by_word.clear()
        patterns = self.patterns
        return tuple((patterns[i][0].match, patterns[i][1]) for i in self._candidates(key))

    def first(self, sentence: str) -> int:
        """Where a cue first matches (past the end when none does): one regex search for a short
        sentence, the index for a long note (a search tries every phrase at every character)."""
        if len(sentence) < 240 and not self.word_led:
            if self.whole is None:
                self.whole = re.compile(r"\b(?:" + "|".join(p.pattern for p, _ in self.patterns) + ")")
            found = self.whole.search(sentence)
            return found.start() if found else len(sentence) + 1
        first = next(iter(self.find(sentence)), None)
        return first[0].start() if first else len(sentence) + 1

    def _candidates(self, key: str) -> tuple[int, ...]:
        """The cues, in order, that can begin with this word (and the character after it)."""
        by_char = self.by_char
        found = {i for start, i in by_char.get(key[:2], ()) if key.startswith(start)}
        found.update(i for start, i in by_char.get(key[0], ()) if key.startswith(start))
        return tuple(sorted(found.union(self.anywhere)))

    def find(self, sentence: str):
        """(match, category) for every cue that matches at a word of the sentence, left to right."""
        seen = self._by_word
        for word in _WORD.finditer(sentence):
            at = word.start()
            # Which cues can begin here depends only on this word and the character after it.
            key = sentence[at:word.end() + 1]
            order = seen.get(key)
            if order is None:
                order = seen[key] = self._order(key)
            for match, category in order:
                m = match(sentence, at)
                if m is not None and m.end() > at:
                    yield m, category


# Situations, not danger words: how practitioners describe a child at risk now without the words
# above (grooming and exploitation, a note left behind, a stranger, a child who cannot get away).
# Each is at least "possible": the one line reminder, never the 999 card on its own.
_SITUATIONS = {
    "sexual_assault": [
        r"clothes off", r"take (?:her|his|their|your) (?:clothes|top|pants|knickers|shirt|bra) off",
        r"hands? (?:up|down|inside|in|under) (?:her|his|their) (?:top|skirt|shirt|trousers|pants|knickers|clothes)",
        r"sleep with (?:him|her|them|men|a man)", r"(?:plying|plied) (?:her|him|them)",
        r"(?:party|parties|flat|house|hotel) (?:\w+ ){0,3}(?:older|adult|grown) (?:men|man|males|lads)",
        r"(?:men|man|males) in (?:their|his) (?:20s|30s|40s|twenties|thirties|forties)",
        r"(?:men|man) (?:keep|keeps) (?:coming|visiting|calling)", r"(?:men|man) will be (?:waiting|there)",
        r"(?:video|facetime|snapchat|webcam|live) (?:call|chat|stream)\w*", r"make (?:him|her|them) do (?:it|that|the)",
        r"(?<=\bthe )thing again", r"(?:in|at) a hotel", r"trap house",
    ],
    "medical": [
        r"frothing", r"(?:hard|difficult|impossible) to (?:wake|rouse)", r"\bsleepy\b", r"methadone",
        r"(?:got hold of|found|into) (?:\w+ ){0,2}(?:pills|tablets|meds|medication|methadone|medicine|bleach|vape)", r"slurr\w*", r"\bdrowsy\b", r"\bdiabetic\b", r"\bhypo\b", r"insulin", r"batter(?:y|ies)\b",
        r"shaking (?:and|uncontrollabl\w*|all over)", r"(?:very|really|so) confused", r"can not (?:stand|walk|talk|speak|see)",
        r"(?:high|spiking|raging) (?:temperature|fever)", r"meningitis", r"(?:smoked|vaped|took|taken|had) something",
        r"(?:swallowed|ingested|eaten|ate) (?:a |an |some |the )", r"(?:rash|swelling|lips) (?:spreading|swelling|swollen)",
    ],
    "suicide_self_harm": [
        r"(?:will not|wont) be (?:here|around|alive)", r"saving (?:them|it|pills|tablets|meds) up", r"been saving",
        r"(?:take|taking|swallow) (?:all|the lot of) (?:his|her|their|my|mums|dads|nans) (?:\w+ )?(?:pills|tablets|meds|medication|antidepressants|painkillers|paracetamol)", r"(?:letters?|notes?) (?:to|for) (?:her|his|their|my) (?:family|mum|dad|parents|friends|sister|brother)",
        r"(?:left|wrote|written|writing|leaving) (?:a |some |goodbye )?(?:note|notes|letters?)", r"multi ?storey",
        r"(?:edge|top|side) of (?:the )?(?:\w+ ){0,3}(?:car park|multi storey|bridge|roof|cliff|building|quarry|platform)",
        r"walk (?:into|in front of) (?:the )?(?:sea|river|canal|traffic|road|train)", r"tonight is the night",
        r"better off (?:without|dead)", r"giving (?:away )?(?:her|his|their) (?:things|stuff|belongings) away",
        r"(?:sorry|goodbye|bye) mum", r"(?:never|not) (?:see|seeing) (?:me|us|them|you) again",
    ],
    "missing_abduction": [
        r"(?:gone|went|left|walked) off with", r"(?:man|men|woman|adult|male|lad|someone) (?:none of us|nobody|no one|we do not) know",
        r"(?:into|in) (?:a|the|an) (?:\w+ ){0,2}(?:van|car|taxi|vehicle)", r"(?:picking|pick|collecting|collect) (?:her|him|them) up",
        r"(?:met|meeting|talking to|chatting to) (?:\w+ ){0,3}(?:online|on snapchat|on instagram|on tiktok|on discord|on whatsapp|in a game|on an app)",
        r"(?:take|taking) (?:her|him|them) away", r"(?:not|never) (?:been )?collected", r"(?:unknown|strange|unmarked) (?:car|van|vehicle|man|men)",
        r"collected by (?:a |an |someone|somebody|the wrong)", r"not on (?:her|his|their|the) (?:\w+ )?list",
        r"(?:can not|could not|cant) (?:reach|contact|get through to) (?:mum|dad|the parents?|her parents|his parents|anyone)",
        r"(?<=\bthe )reg\b", r"\b(?:disappeared|vanished)\b", r"\bnot answering\b", r"staff (?:are )?searching",
        r"(?:turned up|came|arrived|showed up) (?:\w+ ){0,4}and (?:has )?(?:took|taken|grabbed|snatched)", r"(?:going|gone|went) to meet (?:him|her|them|a man|someone)", r"(?:left|walked out of|run out of|ran out of) (?:school|the building|the house|class)(?! (?:at|for) (?:the end|home time))",
    ],
    "threat": [
        r"(?:slash|cut|mark|stripe|chop|burn) (?:her|his|their|my|your) face", r"pay for (?:it|this|that)",
        r"make sure (?:the kids|they|she|he|you|we) (?:pay|suffer|regret|get hurt)",
        r"(?:get|send|bring) (?:his|her|their|my) (?:cousin|cousins|brother|brothers|mates|friends|boys|gang|uncle)",
        r"come back (?:and|to|for|tonight|later)", r"(?:wait|waiting) (?:for|outside|at)",
    ],
    "trapped": [
        r"hiding (?:in|under|behind) (?:the|a|her|his|their) (?:wardrobe|cupboard|bathroom|toilet|loft|shed|bed|garden)",
        r"barricad\w*", r"(?:can not|could not) get (?:out|in|away)", r"(?:water|tide) (?:coming in|rising|up to)",
        r"cut off by the tide", r"(?:can not|could not|cant) get (?:down|off|up)", r"\blocks? (?:her|him|them) (?:in|up)\b",
        r"(?:lid|door) (?:has )?(?:shut|closed|locked) on", r"climbed (?:into|in) (?:a|an|the) (?:\w+ )?(?:freezer|fridge|chest|box|drain|well)",
        r"\bwobbl\w*", r"\bscaffold\w*", r"(?:will not|wont|does not|not) let (?:her|him|them|me) (?:leave|go|out|home)",
    ],
    "forced_marriage_abroad": [
        r"(?:make|making) her (?:clean|pure|a woman)", r"(?:cutting|circumcision) (?:ceremony|party)",
        r"(?:tickets?|flights?) (?:\w+ ){0,2}(?:booked|bought|for)", r"(?:engaged|promised|betrothed) to",
        r"(?:take|taking|taken) (?:her|him|them) (?:out of school|back home) (?:to|for)", r"never coming back",
        r"(?:making|forcing|make|force) (?:me|her|him|them) (?:to )?go\b", r"for a marriage", r"\bengagement\b",
        r"wedding (?:is )?(?:already )?(?:booked|arranged|planned)", r"\bwhen (?:they|we) land\b",
    ],
}
# Situations as practitioners in England write them now (police and social-care shorthand, online
# contact, a disclosure in the present, lay medical words, a plan and its means, removal abroad).
# Read only as "possible": each one gets the reminder line, the 999 card needs a clear cue.
_SITUATIONS_NOW = {
    "missing_abduction": [
        r"missing person", r"not where (?:she|he|they) (?:said|told|was supposed|were supposed|should)",
        r"whereabouts (?:unknown|not known)", r"no (?:sign|trace) of (?:her|him|them)",
        r"phone (?:is |has been )?(?:off|switched off|turned off|dead|going (?:straight )?to voicemail)",
        r"(?:phone )?location (?:shows|says|puts|is showing)", r"(?:travelling|going|gone|went|on (?:her|his|their) way) to "
        r"(?:\w+ ){0,2}to meet", r"(?:meet|meeting|see|seeing) (?:someone|somebody|a man|a guy|a boy|an adult|a stranger|"
        r"people|a friend) (?:\w+ ){0,3}(?:from|off) (?:a game|online|the internet|snapchat|instagram|tiktok|an app|discord)",
        r"(?:man|men|lads|guys|adults|strangers|woman|adult|someone|somebody|person|people|car|van) (?:she|he|they|we|mum|dad|nobody|no one) "
        r"(?:does not|do not|did not|doesnt|dont|didnt|never) (?:know|recognise)",
        r"(?:collected|took|taken|picked up) (?:\w+ ){0,2}(?:from|at|outside) (?:the )?(?:gate|gates|school|nursery|park|club)",
        r"cuckoo\w*", r"sent (?:out|off)? ?(?:of town|out of town|to sell|to deal|to another town|country)",
        r"(?:debt|owes) (?:\w+ ){0,3}(?:dealers?|olders|gang|them)", r"\bolders\b", r"trap (?:house|line)",
        r"(?:has not|have not|not|never) (?:come|got|gone|returned|been) (?:back )?(?:to|home to) (?:the )?(?:placement|"
        r"home|unit|foster)",
    ],
    "sexual_assault": [
        r"makes? (?:me|her|him|them) (?:do|go|touch|watch|suck|take|send|sleep|have|get|sit|lie|stay)\b",
        r"at it again", r"passed (?:around|round)", r"(?:sleep|sleeping|slept) with (?:his|her|their|older|the)",
        r"(?:gets?|getting|climbs?|climbing|comes?|coming) (?:into|in) (?:bed|the bath|the shower|the bathroom) with",
        r"(?:comes?|coming|keeps coming|walks?) (?:in|into) (?:her|his|their|my|the) (?:room|bedroom|bed|bathroom|shower)",
        r"(?:send|sending|sends|sent|asking for|asks for|asked for|wants|wanting) (?:\w+ ){0,3}(?:pictures|pics|photos|"
        r"images|videos|selfies)", r"pay (?:it |that )?off (?:the|a|his|her|their) debt", r"(?:pay|paying) (?:\w+ ){0,2}debt",
        r"(?:boyfriend|bf|man|guy|bloke|male|he|friend)\W* (?:is|who is|aged|of) (?:in his )?(?:1[89]|[2-6]\d)s?\b",
        r"(?:1[89]|[2-6]\d) year old (?:man|guy|bloke|male|boyfriend|lad)", r"(?:much )?older (?:men|man|males|boyfriend|"
        r"guy|guys|lads|bloke)", r"\bhotels?\b", r"touch(?:es|ing)? (?:me|her|him|them)\b", r"private parts",
        r"(?:livestream|live stream|streaming|on camera|webcam)\w*", r"child on (?:his|her) lap",
    ],
    "threat": [
        r"price on (?:his|her|their) head", r"(?:finish|finishing) (?:him|her|them|you) off", r"(?:get|getting) (?:torched|petrol bombed|firebombed|burnt down|burned down|shanked|"
        r"stabbed|merked|done|jumped|battered|shot|rushed|smashed|beaten|bashed|knifed|slashed|glassed|kicked|killed|sliced)", r"(?:posted|post|message|messages|texts?|texted) (?:\w+ ){0,6}"
        r"(?:get|kill|stab|hurt|batter|jump|rush)\b", r"(?:out|looking) for (?:him|her|them)",
    ],
    "medical": [
        r"(?:fell|fallen|falling|dropped|came) (?:down|off|out of|from) (?:the |a )?(?:stairs|window|balcony|bunk|"
        r"roof|height|wall|changing table|bed)", r"(?:not|is not|isnt|stopped) (?:crying|feeding|moving)",
        r"(?:gasping|wheezing|rasping)", r"(?:lips|face|skin) (?:\w+ ){0,3}(?:colour|color|grey|gray|blue|purple)",
        r"(?:not|isnt|is not) (?:with it|making sense|answering me|talking)", r"(?:being|been) sick",
        r"inhaler (?:is not|isnt|not) (?:working|helping)", r"(?:took|taken|had) (?:a load|loads|lots|a lot) of",
    ],
    "suicide_self_harm": [
        r"(?:giving|given|gave|give) (?:away )?(?:all )?(?:her|his|their|my) (?:things|stuff|belongings|possessions|games|"
        r"clothes|pets?)", r"(?:is|be|will be) the end\b", r"(?:got|has|have|had) it (?:all )?planned",
        r"(?:how|when|where) (?:he|she|they|i) (?:is|are|am|was|were) going to do it",
        r"going to do it (?:tonight|today|tomorrow|later|this weekend|soon|now)",
        r"(?:station|platform|tracks|railway|bridge|cliff|roof|car park) (?:\w+ ){0,8}(?:step|jump|stepping|jumping)\b",
        r"(?:sorry for everything|sorry for being)", r"(?:how many|how much) (?:pills|tablets|paracetamol)",
        r"(?:researching|searching|googling|looked up|looking up) (?:\w+ ){0,3}(?:how to|ways to|pills|overdose)",
        r"locked (?:himself|herself|themselves) in", r"(?:razor|blade|blades)",
    ],
    "trapped": [
        r"lock(?:s|ing|ed)? (?:her|him|them|the kids|the children|me) (?:in|up|out)\b", r"\bthrough the ice\b",
        r"(?:windows? (?:up|shut|closed))", r"(?:still|trapped|stuck) (?:inside|in there|in the (?:house|flat|building))",
        r"(?:over|above) (?:his|her|their) head", r"(?:can not|could not|cant) (?:get (?:him|her|them) out|swim)",
        r"(?:shut|kept) in (?:her|his|their) room",
    ],
    "forced_marriage_abroad": [
        r"(?:taken|taking|driven|driving|going|going to the|heading|on (?:the|their|her|his) way) (?:to )?(?:the )?airport", r"one way (?:tickets?|flights?)",
        r"(?:passport|passports) (?:\w+ ){0,3}(?:taken|hidden|locked|kept)", r"(?:take|took|taken|taking|hidden|hid|kept|keeping) "
        r"(?:\w+ ){0,4}passports?", r"(?:going|go|sent|sending|taken|moving|living) back (?:home|to \w+) (?:for good|to live|"
        r"permanently)", r"for good", r"\bnikah\b", r"(?:ceremony|rishta|henna|mehndi)\b",
        r"(?:sent|sending|send|sends) (?:her |him |them )?(?:back )?to live (?:with|in) (?:relatives|family|her|his|their|an?|\w+)",
        r"(?:flying|fly|flies|going|travelling|traveling|leaving|tickets?|flights?|booked) (?:out )?(?:\w+ ){0,3}one way\b|no return (?:tickets?|flights?|date)|"
        r"(?:with|and) no return\b|\bspoons? (?:in|into|inside|down) (?:her|his|their)\b",
        r"(?:not|never|wont|will not) (?:be )?(?:coming|come) back",
    ],
}
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:windows?|(?:back |front |fire |side |garden )?doors?|gates?) (?:is |was |are |were |left |been left )?(?:open|wide open)", r"unknown (?:address|location|flat|house)",
    r"not in (?:his|her|their) (?:room|bed|bedroom)", r"(?:bed|room) (?:was not|wasnt|not|has not been|hasnt been) slept in",
    r"(?:getting|get|got|gets) (?:in|into) (?:\w+ )?cars? with", r"(?:staying|stayed|stays|sleeping|sleeps) (?:at|with|over "
    r"at) (?:an? )?(?:unknown|adults?|older|men|man|strangers?|\w+ (?:men|man|adults?))", r"with (?:adults|older (?:men|males|lads))",
    r"(?:not|isnt|is not) back\b", r"(?:was|is|were) (?:due|supposed to be) (?:back|home|in)",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:filming|filmed|films|recording|photographing) (?:her|him|them)", r"(?:messaging|messages|texting|dming|snapchatting) "
    r"(?:her|him|them)", r"(?:not to |never |do not |dont )tell (?:anyone|anybody|her mum|his mum|her parents|his parents|"
    r"nobody|no one)", r"(?:our|a|their) (?:little )?secret", r"lifts? (?:off|from|with) (?:a|an|some|older) (?:man|men|adult|guy|lads?)",
    r"(?:in|into) the (?:shower|bath|changing rooms?)", r"(?:vapes|weed|alcohol|drink|drugs|gifts|money|phones?) "
    r"(?:\w+ ){0,4}(?:older|men|man|guys|lads|adults)|(?:older|men|man|guys|lads|adults) (?:\w+ ){0,2}(?:giving|buying|gave) "
    r"(?:her|him|them)",
]
_SITUATIONS_NOW["threat"] += [
    r"coming (?:to|round to|round|for|over to) (?:the|his|her|their|our|my) (?:house|flat|home|school|address|door)",
    r"(?:owes?|owed|owing) (?:\w+ ){0,3}(?:money|debt|them|dealers?)", r"(?:put|posted|shared|leaked) (?:her|his|their) "
    r"(?:address|location)", r"(?:said|say|says) (?:they are|he is|she is|theyre) coming", r"going to use (?:it|them|that)",
    r"(?:take|taking) the (?:kids|children|baby) and (?:hurt|harm|kill)",
    # "if I lose them nobody gets them": a parent's veiled threat to the children
    r"(?:nobody|no one|noone|no-one) (?:else )?(?:\w+ )?(?:gets|get|will get|will have|is having|can have|will ever see|ever sees|"
    r"will see|is getting|keeps|can keep) (?:them|the (?:kids|children|baby|boys|girls)|those (?:kids|children))\b",
    r"(?:got|has got|have got|has|have) nothing (?:left )?to lose", r"(?:make|making) sure of it",
    r"(?:wo not|will not|wont) be (?:around|here|alive|breathing) (?:for )?(?:long|much longer|by|when|after)",
]
_SITUATIONS_NOW["medical"] += [
    r"throat (?:is )?(?:closing|swelling|swollen|tight)", r"\bstung\b", r"overheating", r"grunting", r"(?:sweating|sweaty) "
    r"(?:and|a lot|loads)", r"\bparacetamol\b", r"washing (?:tablet|pod|capsule)s?", r"(?:can not|cant|could not) (?:breathe|swallow)",
]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"(?:better|happier) (?:off )?without (?:her|him|them|me)", r"(?:want|wants|wanting) it (?:all )?to (?:be over|end|stop)",
    r"(?:got|has|have|had|with) (?:a |the |his |her )?(?:belt|rope|cord|scarf|lead|charger cable) ",
]
_SITUATIONS_NOW["trapped"] += [
    r"\bflames?\b", r"lift (?:is |has )?(?:stuck|broken down|stopped)", r"(?:children|kids|child|baby|people|someone) "
    r"(?:\w+ )?(?:inside|trapped)\b", r"stuck with (?:\w+ )?(?:children|kids|people|a child)", r"panick\w*",
    r"(?:keys|key) (?:are |is )?(?:inside|locked in)",
]
_SITUATIONS_NOW["forced_marriage_abroad"] += [
    r"(?:can not|cant|could not|not allowed to|is not allowed to|too scared to|afraid to) (?:say no|refuse)\b",
    r"(?:man|men|husband|someone) (?:\w+ ){0,2}(?:twice|three times|double) (?:her|his) age",
    r"(?:making|forcing|force|make|made|pushing) (?:her|him|them) (?:to )?(?:get )?(?:engaged|married|marry|wed)",
    r"(?:has|have|had|given) no (?:say|choice)", r"(?:leaving|leave|taken out of|taking her out of) school to (?:be married|marry|get married)",
]
_PLATFORM = (r"(?:roblox|fortnite|minecraft|snapchat|snap|instagram|insta|tiktok|discord|whatsapp|telegram|omegle|kik|"
             r"an app|a game|online|the internet|xbox|playstation|facebook|a dating app|tinder|grindr|youtube|twitch)")
_SITUATIONS_NOW["missing_abduction"] += [
    r"\bcircling\b", r"(?:hanging|waiting|lurking|sat|parked) (?:\w+ )?(?:around|outside|near|by) (?:the )?(?:\w+ )?(?:school|gates?|"
    r"nursery|park|playground|toilets|changing rooms?|play area|pool)", r"(?:tried|trying|tries) to (?:get|lure|entice|make|persuade|talk) (?:\w+ ){0,4}(?:to get|"
    r"into|in|to go|to come)\b", r"(?:against|breach of|breaching) (?:the |a )?(?:court|contact) order",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:man|men|adult|guy|stranger|someone|person|lad|bloke|boy) (?:she|he|they) (?:met|knows?|talks? to|chats? to|plays "
    r"with) (?:\w+ )?(?:on|online|through|from|via)", r"(?:met|meet|talking to|chatting to|knows?) (?:\w+ ){0,3}(?:on|from|via) " + _PLATFORM,
    r"wants? to meet (?:her|him|them|up)", r"asking (?:her|him|them) to (?:come|meet|send|go|visit|stay)",
    r"(?:messaging|texting|contacting|dming) (?:a|the) (?:\w+ ){0,3}(?:girl|boy|child|pupil|student)",
    r"(?:late at night|in the middle of the night)", r"(?:do|does|doing) (?:it|that|what (?:he|she|they) did) (?:again|before|to (?:her|him))",
    r"(?:come|go|stay|sleep|sleeping) (?:round |over |back )?(?:to|at) (?:his|their) (?:house|flat|place|car|room)",
    r"(?:taking|take|takes|bringing|driving|drive|drives|having) (?:her|him|them) (?:back |round |over )?(?:to|round to|back to|over to) "
    r"(?:his|their|the mans|a mans) (?:\w+ )?(?:house|flat|place|car|room|home|caravan|hotel)",
    r"(?:do|doing|does) (?:the same(?: thing| things| stuff)? (?:as|like)|what (?:he|she|they) did) (?:last time|before|last \w+|"
    r"the other (?:day|night|time))",
    r"(?:on (?:his|her|their) way|gone|going|heading|travelling|getting the (?:train|bus)) (?:there |over )?(?:now )?to (?:meet|see|stay with) "
    r"(?:a |an |the |this |some )?(?:\w+ ){0,2}(?:man|men|adult|guy|stranger|bloke|someone|person|lad|older)",
]
_SITUATIONS_NOW["threat"] += [
    r"(?:will not|wont|never|not) see (?:the kids|the children|them|her|him|you|the baby) (?:alive )?again", r"\balive again\b",
    r"know(?:s)? where (?:\w+ ){0,4}(?:lives?|goes to school|works|is|stays)",
]
_SITUATIONS_NOW["medical"] += [
    r"(?:wrong way|wrong angle|sticking out)", r"gone (?:quiet|floppy|limp|pale|grey|gray|white|cold|blue)",
    r"(?:sniffing|huffing) (?:gas|glue|aerosols?|lighter fluid)",
]
_SITUATIONS_NOW["suicide_self_harm"] += [r"(?:my|her|his|their) last (?:day|night|message|goodbye)", r"how to (?:tie|make) a"]
_SITUATIONS_NOW["trapped"] += [r"(?:frozen|icy) (?:canal|pond|lake|river|reservoir|water)", r"(?:has |have )?(?:gone|fallen|fell) in\b"]
_SITUATIONS_NOW["forced_marriage_abroad"] += [
    r"(?:sent|sending|send|go|going|taken|moved|moving) back to (?:live (?:in|with) )?(?:\w+ ){0,2}{COUNTRY}",
    r"bags (?:are )?(?:packed|being packed)",
]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:moved|being moved|taken|passed) (?:about|around)\b", r"(?:drug|deal|county|phone) line", r"(?:running|run|working|works|"
    r"holding) (?:a |the |for a |for the )line\b",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:she|he|they) (?:is|are) only (?:\d|1[0-5])\b", r"at (?:his|their) (?:flat|house|place)", r"(?:trying|try|tries|tried) it on",
    r"(?:hand|hands) (?:down|up|in|inside) (?:her|his|their) (?:pants|knickers|top|skirt|shorts|trousers|clothes)",
]
_SITUATIONS_NOW["suicide_self_harm"] += [r"\bbye (?:everyone|all|guys|world|mum|everybody|forever)\b"]
_SITUATIONS_NOW["missing_abduction"] += [
    # a message from the child himself ("they've got me"), and where he was last
    r"(?:texted|messaged|snapped|rang|called|said|text|message) (?:\w+ ){0,3}(?:they|someone|somebody|he|she|a man|men) (?:have |has )?got (?:me|us)\b",
    r"(?:was|were) last (?:at|in|near|on|with|heard from|spotted|seen)\b"]
_SITUATIONS_NOW["trapped"] += [
    r"(?:up|on top of|top of|climbing|climbed|scaling) (?:up )?(?:the |a |an )?(?:\w+ )?(?:crane|scaffold\w*|mast|tower|chimney|"
    r"cliffs?|quarry|roof|rooftop|bridge|viaduct|railway|tracks|pylon|telegraph pole|electricity pole|lamp ?post)\b(?! (?:frame|climbing|wall|lesson|session|club|centre))"]
_SITUATIONS_NOW["trapped"] += [r"\bwedged\b", r"(?:head|arm|leg|foot|hand|finger) (?:is |got |has got )?(?:stuck|trapped|caught)"]
_SITUATIONS_NOW["missing_abduction"] += [
    r"\b(?:adult|older|grown) (?:males?|men|man|lads|guys|blokes)\b", r"refus(?:ing|es) to (?:leave|come home|come back|go home)",
    r"\bgone again\b", r"disappear\w*", r"(?:new|expensive) (?:trainers|clothes|phones?|designer)|unexplained (?:cash|money|gifts)",
    r"not at (?:the )?(?:pick ?up|meeting point|collection)",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"alone with (?:him|her|them|a |an |the |his |her )", r"(?:taking|took|take|takes) (?:pictures|photos|videos|pics) of (?:her|him|them)",
    r"giving (?:her|him|them) (?:\w+ )?(?:drugs|alcohol|vodka|weed|vapes|money|gifts|lifts)",
]
_SITUATIONS_NOW["threat"] += [r"sort (?:him|her|them|you|everyone|everybody|them all|you all|the (?:teacher|head|headteacher|kid|boy|girl|lad|staff)) out"]
_SITUATIONS_NOW["medical"] += [
    r"pupils (?:are )?(?:tiny|pinpoint|huge|massive|dilated)", r"\bvomit\w*", r"taking something", r"stopped (?:eating|drinking)",
]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"(?:not|never|wont|will not) (?:have to|need to) (?:worry|deal) (?:about|with) (?:me|him|her|them)", r"\bafter tonight\b",
    r"disappear (?:forever|for good)",
]
# Single words and short phrases that, in a sentence not plainly past, negated or a topic, mark a
# child's situation as worth the reminder line: the long tail of how danger is described.
_SITUATIONS_NOW["medical"] += [
    r"allerg\w*", r"swell(?:ing|s)? up|swollen|swelling", r"inject(?:ed|ing)", r"coughing", r"catch (?:his|her|their|my) breath",
    r"lying (?:in|on) the (?:road|street|pavement|floor|ground|grass)", r"bulging", r"soft spot|fontanelle",
    r"(?:will not|wont|can not|cant|not) stop (?:crying|screaming|shaking|coughing|vomiting|being sick)", r"\brash\b",
    r"(?:broken|snapped) (?:arm|leg|bone|neck|back)", r"concuss\w*", r"been drinking", r"inhal\w*",
]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"point (?:in|of) (?:living|life|going on|being here)", r"gone by (?:the )?(?:morning|tomorrow|tonight|monday|the weekend)",
    r"\brip me\b", r"(?:last|final) (?:post|message|goodbye|words)",
]
_SITUATIONS_NOW["trapped"] += [
    r"(?:climb|get|crawl|swim) (?:back )?out\b", r"(?:can not|cant|could not) reach (?:him|her|them)", r"cut off\b",
    r"(?:sea|tide|water) (?:is )?coming in", r"chimney", r"(?:water )?tank\b",
    r"(?:child|kid|boy|girl|toddler|baby|he|she|they|kids|children|someone) (?:is |are |has |have |got |has got )?"
    r"(?:become )?(?:stuck|trapped|wedged|caught)\b",
]
_SITUATIONS_NOW["forced_marriage_abroad"] += [
    r"(?:be|become|being|to be) (?:a|his|the) (?:wife|bride|husband)", r"(?:will not|wont|not) be (?:back|coming back) "
    r"(?:in|after|at|to) (?:september|school|the new term|college)",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"\b(?:1[89]|[2-6]\d) year old\b(?! (?:mum|mother|dad|father|parent|parents|carer|nan|grandparent|woman))",
    r"(?:relationship|going out|seeing|dating) (?:with )?(?:a |an )?(?:older|adult|grown)", r"pregnant by",
    r"(?:give|giving|gives|buying|buys|bought|gave) (?:her|him|them) (?:\w+ )?(?:presents|gifts|money|phones?|clothes|cash)",
    r"(?:get|gets|getting|got) (?:in|into) (?:his|their|the mans|a mans|an adults) car",
]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:got off|left|went|walked off|drove off|driven off) (?:\w+ ){0,2}with (?:a|an|some|two|three) (?:man|men|adults?|strangers?|older)",
    r"(?:did not|didnt|not|never|has not|hasnt|have not|havent) (?:get|got|gotten|come|came) off? (?:the )?(?:\w+ ){0,2}"
    r"(?:bus|minibus|coach|train|tram)\b", r"not on the (?:\w+ ){0,2}(?:bus|minibus|coach|train|tram)\b",
    # the bus came and the child was not on it
    r"(?:bus|minibus|coach|train|tram)\b[^|]* (?:is not|isnt|was not|wasnt|were not|are not|not) on (?:it|there|board)\b",
    # a child taken out of hospital before being seen or discharged
    r"(?:(?:walked|walking|taken|took|taking|left|leaving|gone|went|run|ran|removed) (?:\w+ ){0,2}(?:out of|from|off)|left|leaving) (?:the |a )?(?:\w+ )?"
    r"(?:hospital|ward|a and e|nicu|scbu|emergency department|childrens ward|special care)\b(?= (?:\w+ ){0,5}(?:before|without))",
]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:gone|missing|out|away) since\b", r"(?:in|to) (?:another|a different) (?:town|city|area|county)",
    r"(?:not|did not|didnt|has not|hasnt|have not|havent|never) (?:\w+ ){0,2}(?:turn(?:ed)? up|arrived?|come back|return(?:ed)?|"
    r"show(?:n|ed)? up|got home|get home)", r"\b(?:bundled|snatched)\b", r"back of (?:a|the|his|their) (?:car|van)",
    r"(?:no one|nobody) (?:\w+ ){0,2}(?:is )?answering",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:puts?|putting) (?:his|their|her) hands? (?:on|up|down|in|inside)", r"(?:get|take|taking|dragging|pulling|getting) "
    r"(?:her|him) (?:upstairs|into (?:a|the) (?:bedroom|room|toilets?))", r"(?:drunk|wasted|out of it) at a (?:house )?party",
]
_SITUATIONS_NOW["threat"] += [
    r"(?:no one|nobody|never) (?:will )?(?:find|finds|see|sees) (?:the kids|the children|them|her|him) ?(?:again)?",
    r"watch (?:his|her|their|your) back",
]
_SITUATIONS_NOW["medical"] += [r"e ?cig|vape (?:liquid|refill|juice|oil)|refill", r"drank (?:some|it|the)", r"\bburn\b|blister\w*"]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"(?:wont|will not) need (?:to|it|them|her|his)\b", r"last time (?:\w+ ){0,3}(?:speak|see|talk|hear)",
]
_SITUATIONS_NOW["trapped"] += [r"(?:and|is|are|got|now|still) stuck\b", r"crawled (?:into|in|under)"]
_SITUATIONS_NOW["forced_marriage_abroad"] += [r"taken out of school", r"(?:to get|getting|get|to be|will be|be) engaged"]
_SITUATIONS_NOW["sexual_assault"] += [r"(?:sneaks?|sneaking|creeps?|creeping) (?:in|into) (?:her|his|their) (?:bed|bedroom|room)"]
_SITUATIONS_NOW["suicide_self_harm"] += [r"(?:nobody|no one) (?:will|would) (?:miss|care|notice)"]
_SITUATIONS_NOW["forced_marriage_abroad"] += [r"(?:her|his) (?:future |new |intended )?(?:husband|fiance|fiancee|groom|bride)\b"]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:asking|asks|asked|inviting|invites|invited) (?:her|him|them) (?:to come |to go )?(?:in|into|round|over|back|up) (?:to )?(?:his|their|the) (?:house|flat|car|room|place)"]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:is not|isnt|not) in (?:the|her|his|their) (?:house|home|flat|room|bed|garden|class|classroom|school|building|playground|"
    r"park|hall|toilets|line|group|tent|pool|shop|queue|garden)",
    r"never made it (?:to|home|back)", r"get (?:his|her|my|the|their) (?:kid|kids|child|children|son|daughter|baby) back",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:wants?|going) to do to (?:her|him|them)", r"makes? (?:the|his|her) (?:kids|children|girls|boys|child) (?:do|go|sleep|touch|watch|get)",
    r"(?:sleep|sleeps|sleeping) in (?:his|their) bed|in (?:his|their|the) bed with",
]
_SITUATIONS_NOW["threat"] += [
    r"outside (?:her|his|their) (?:house|home|flat|door|school)", r"keeps (?:turning up|coming round|coming to|following|"
    r"waiting|messaging|calling|texting|ringing)", r"(?:found out|been told|told|knows?) where (?:\w+ ){0,3}(?:is|are|lives?|stays?)",
    r"\brefuge\b", r"whatever it takes", r"(?:legs?|arms?|jaw|neck|fingers) broken",
]
_SITUATIONS_NOW["suicide_self_harm"] += [r"say sorry to|(?:list|letters?) (?:of|for|to) (?:people|everyone)"]
_SITUATIONS_NOW["trapped"] += [r"(?:car|van|vehicle) (?:is )?(?:in|into) the (?:river|canal|sea|lake|water|reservoir|pond)"]
_SITUATIONS_NOW["forced_marriage_abroad"] += [
    r"(?:sending|send|sent|taking|take) (?:her|his|their) (?:daughter|son|child|children|kids|girls?|boys?) (?:\w+ ){0,4}{COUNTRY}",
    r"westerni[sz]ed", r"(?:shame|shaming|dishonour\w*) (?:on )?(?:the|her|his|their) family",
]
_SITUATIONS_NOW["threat"] += [
    r"\bor (?:else|(?:his|her|their|your) (?:family|mum|mom|dad|sister|brother|little \w+) (?:will|gets?)|(?:they|he|she) will)\b",
    r"(?:has|have|made|forced|told) to (?:rob|sell|carry|hold|deliver|move|run|steal) ",
]
_SITUATIONS_NOW["medical"] += [r"can not (?:move|feel) (?:her|his|their) ", r"(?:up|in) (?:his|her|their) (?:nose|ear|throat)"]
_SITUATIONS_NOW["missing_abduction"] += [
    # round 4: a child not where they should be, told without "missing"
    r"(?:not|is not|isnt|was not|wasnt|never) (?:here|there|in the line|in line|at the gate|at the door|out) (?:at|for|when|by)\b",
    r"(?:never|not|did not|didnt|has not|hasnt) (?:got|get|made it|arrived?|turned up|turn up|shown up|show up) (?:to|at) "
    r"(?:school|swimming|training|practice|club|football|class|college|nursery|the \w+|his \w+|her \w+|their \w+)",
    r"(?:dropped (?:\w+ )?off|left (?:home|the house|for \w+)?) (?:\w+ ){0,2}(?:\d+|two|three|four|five|six|a few|several) (?:hours?|hrs?) ago",
    r"not brought (?:to|in)\b",
    r"(?:picked up|collected|took|taken|removed|fetched) (?:\w+ ){0,7}without (?:any |the |mums |dads |our |her |his )?"
    r"(?:permission|consent|agreement|knowledge|asking|telling|(?:anyone|anybody|staff|the \w+|us) (?:knowing|noticing|seeing|agreeing))",
    r"(?:left|gone|went|climbed|run|ran|got|slipped|escaped|jumped) (?:out )?(?:through|via|out of|over) (?:the |a |his |her |their )?"
    r"(?:\w+ )?(?:window|back door|back gate|fence|wall|skylight)",
    r"(?:left|gone|went|run|ran|got|slipped|escaped) (?:out )?(?:through|via|out of) the(?= fire (?:exit|door))",
    r"(?:she|he|they|we|mum|dad|nobody|no one) (?:does not|do not|did not|barely|hardly|has never|have never|never) (?:\w+ )?"
    r"(?:know|knows|recognise|recognises|met) (?:him|her|them|the man|the woman|who)\b", r"not at (?:the |their |her |his )?(?:address|home|house)", r"left (?:in the night|overnight|"
    r"without telling)", r"(?:bags|belongings) (?:gone|packed)|\bwith bags\b",
    r"(?:walked|left|went|ran|drove) (?:off |out |away )?with (?:both|the|all|his|her|their) (?:\w+ )?(?:kids|children|child|boys|girls|baby|"
    r"twins|triplets|toddler|toddlers|little ones|son|daughter|sons|daughters|siblings|brothers|sisters)",
    r"(?:could not|can not|couldnt|cant|unable to|did not|didnt) stop (?:him|her|them)(?= *$| *\|| (?:from|taking|leaving|going))",
    r"not allowed (?:to have|to take|near|contact|to see)|(?:he is|she is|they are) not allowed\b",
]
_SITUATIONS_NOW["sexual_assault"] += [r"(?:year old|child|kid|girl|boy|her|him) in bed\b|in bed with", r"(?:cuddling|cuddles|kissing|kisses|kissed) (?:the|her|him|them|a) ", r"\bin (?:her|his|the|their) bed\b"]
_SITUATIONS_NOW["threat"] += [
    r"breach(?:ed|ing)? (?:his|her|their|the) (?:bail|order|injunction|non molestation|restraining)", r"(?:is|are) at "
    r"(?:mums|her|the|their|his|our) (?:address|house|home|door|flat)", r"\bperpetrator\b", r"regret it|will suffer",
    r"pull(?:ing)? up on|\bbeef\b",
]
_SITUATIONS_NOW["medical"] += [
    r"(?:full |whole |entire )(?:packet|box|bottle|strip|blister|pack) of", r"sertraline|fluoxetine|citalopram|"
    r"antidepressants?|sleeping (?:pills|tablets)|co codamol|codeine|tramadol|amitriptyline|propranolol|ibuprofen",
    r"(?:heart|pulse) (?:is )?(?:racing|pounding)", r"breathing (?:really |very )?(?:fast|fast|slow|funny|strange|noisy)",
]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"(?:date|day|time) (?:picked|set|chosen)|picked a (?:date|day)", r"(?:written|wrote|writing) (?:her|his|their|the) (?:notes?|letters?|will)",
    r"going to the (?:\w+ )?(?:bridge|flyover|viaduct|cliffs?|railway|tracks|multi storey|car park roof)",
]
_WEAK["violence"] += [
    r"(?:grab|grabs|grabbed|grabbing|drag|drags|dragged|dragging|swing|swings|swinging|swung|yank|yanks|yanked|yanking|pull|pulls|"
    r"pulled|pulling) (?:\w+ ){0,3}by the (?:arm|arms|leg|legs|ankles?|wrists?|ear|ears|hood|collar|neck|throat|hair)",
    r"(?:throw|throws|throwing|threw|push|pushes|pushing|shove|shoves|slam|slams|slamming|slammed) (?:him|her|them|the \w+|a \w+) "
    r"(?:onto|into|on to|against|across|down|off|at)\b", r"get off (?:me|him|her)\b",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"inappropriate (?:with|towards|to) (?:her|him|them|the|a|our|one)", r"(?:being |been |is )?sold (?:\w+ )?to (?:men|man|adults|older)|\bpimp\w*",
    r"(?:taken|took|taking|led|got|brought|has) (?:a|an|the|one of (?:our|the)) (?:\w+ ){0,2}(?:into|in to|in) (?:the |a |his )?(?:\w+ ){0,2}"
    r"(?:shed|cupboard|store ?room|toilets?|changing rooms?|van|tent|office|bedroom|dorm)\b",
    r"(?:adult|man|men|coach|teacher|stranger|grown man) (?:\w+ ){0,4}in (?:the |a )?(?:\w+ ){0,3}(?:cupboard|shed|store ?room|toilets?|"
    r"changing rooms?|van|tent|dorm) with (?:a|the|one of (?:our|the)) ",
]
_WEAK["violence"] += [r"squar(?:ing|ed|es) up\b|fists? (?:up|raised|clenched)\b|(?:raised|raising) (?:his|her|their) (?:fist|hand)s? (?:to|at)\b"]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"(?:carved|carving|scratched|scratching|cut|cutting|burnt|burned|burning|etched) (?:\w+ ){0,4}(?:into|in|on) (?:her|his|their|my) "
    r"(?:arms?|wrists?|legs?|skin|stomach|thighs?|hands?)\b"]
_SITUATIONS_NOW["trapped"] += [r"(?:on|onto|out on) the (?:frozen )?(?:\w+ )?(?:ice|pond|lake|reservoir|canal)\b(?=[^|]* (?:crack|break|gave|giving))|"
                               r"\bice (?:is |has )?(?:cracking|cracked|breaking|broken|giving way)\b"]
_STRONG["threat"] += [r"(?:can not|cant|will not|wont|could not) have (?:them|her|him|the kids|the children|the baby|the boys|the girls),? "
                      r"(?:then )?(?:nobody|no one)(?: else)? (?:can|will|gets?|is going to)"]
_SITUATIONS_NOW["threat"] += [
    r"(?:his|her|their|your|the) (?:little |baby |big |younger |older )?(?:brother|sister|mum|mom|dad|family|kids|baby|nan) "
    r"(?:gets|will get|is going to get|get|would get) (?:it|hurt|done|done in|shot|stabbed|burnt|taken)\b",
    r"(?:if|when) (?:she|he|they|you) (?:talks?|speaks?|tells?|goes?|grasses?|snitch\w*) (?:to )?(?:the )?(?:police|feds|teachers?|anyone|social)"]
_SITUATIONS_NOW["forced_marriage_abroad"] += [r"to have (?:the|a|her) (?:procedure|cut|operation|ceremony)\b"]
_SITUATIONS_NOW["threat"] += [r"(?:deal with|sort out|see to|teach) (?:her|him|them|you)\b(?! (?:about|on|how)\b)",
                              r"ends? it for (?:all of )?(?:them|us|everyone|the (?:family|kids|children|lot))"]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"(?:take|taking|swallow|swallowing|down|downing|neck) (?:everything|all|the lot|all of it|whatever) (?:\w+ ){0,2}(?:in|from|out of) "
    r"(?:the|her|his|my|mums|dads) (?:\w+ )?(?:cupboard|cabinet|drawer|box|bathroom|kitchen)"]
_WEAK["weapon"] += [r"\bcarrying (?:tonight|today|now|at the moment|on (?:him|her)|again|for protection)\b"]
_SITUATIONS_NOW["trapped"] += [r"(?:can not|could not|is not allowed to|not allowed to|are not letting (?:her|him|them)) (?:leave|go home|get away|get out)\b"]
_SITUATIONS_NOW["trapped"] += [r"burst (?:its |the )?banks?|river has burst|(?:river|water) (?:has )?(?:burst|flooded|risen)"]
_SITUATIONS_NOW["missing_abduction"] += [r"(?:being )?kept (?:at|in) (?:a|an|the|some) (?:\w+ )?(?:house|flat|address|room)"]
_SITUATIONS_NOW["threat"] += [r"drag (?:him|her|them) (?:out|away|off|home)", r"(?:he is|she is|they are) outside\b"]
_SITUATIONS_NOW["medical"] += [r"\bboiling\b|scald\w*"]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"(?:gone|went|headed|heading|walked|run|ran) (?:off )?to the (?:\w+ )?(?:bridge|flyover|viaduct|cliffs?|railway|tracks|"
    r"multi storey|car park roof|river|canal|sea|beach|quarry)", r"(?<=\bthe )drop\b",
]
_SITUATIONS_NOW["trapped"] += [r"\bjammed\b|\bsauna\b|door (?:has |is )?(?:jammed|stuck|wont open|will not open)"]
_SITUATIONS_NOW["sexual_assault"] += [
    r"telling (?:her|him|them) to (?:undress|strip|take|send|touch|show|meet|come|keep|lie|delete)", r"\bundress\w*|\bstrip(?:ping)?\b",
    r"(?:pays|paying|paid) (?:her|him|them) to\b", r"(?:sit|sits|sitting) on (?:his|their|the mans) (?:knee|lap)",
    r"dropped off by (?:different|older|various|unknown) (?:men|cars|adults|people)|at all hours",
]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:he is|she is|they are) gone\b(?! (?:to|for|home|out|back|in|very|really|quiet|quite|a bit|all|so|silent|pale|off)\b)", r"gate (?:is |was |has been |left )?(?:open|left open)",
    r"approached by (?:a|an|two|some) (?:\w+ )?(?:man|men|stranger|strangers|adult|adults|woman)",
    r"offer(?:ing|ed|s) (?:\w+ )?(?:sweets|money|a lift|lifts|gifts|cigarettes|vapes)", r"followed (?:to|home|her|him|them)",
]
_SITUATIONS_NOW["threat"] += [r"come back with (?:his|her|their) (?:boys|mates|gang|friends|brothers|cousins)"]
_SITUATIONS_NOW["forced_marriage_abroad"] += [
    r"(?:going|go|taken|taking|travel\w*|fly\w*) to {COUNTRY} (?:\w+ ){0,3}(?:for|to have) (?:a|an|the|her) (?:\w+ )?"
    r"(?:celebration|ceremony|initiation|special|procedure|party)", r"(?:sister|sisters|cousin|cousins|mum) had at (?:the same|her) age",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:who|he) is (?:1[89]|[2-6]\d)\b", r"seeing (?:a|an) (?:\w+ ){0,2}(?:man|driver|adult|teacher|older|guy)",
    r"(?:secret|special|tickling|tickle) games?", r"expos(?:ed|ing|es) (?:him|her|them)sel(?:f|ves)",
    r"following (?:a |the )?(?:group of )?(?:girls|boys|children|kids|her|him|them)\b",
]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"see you (?:on the other side|in (?:heaven|the next life|another life))",
    r"going to do it (?:\w+ ){0,4}(?:tonight|asleep|when no one|when nobody|alone)",
]
_SITUATIONS_NOW["trapped"] += [
    r"mine ?shaft|\bshaft\b", r"(?:fallen|fell|falling) down (?:a|the) (?:\w+ )?(?:well|hole|shaft|mineshaft|drain|manhole|"
    r"quarry|cliff|ravine|gorge)",
]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:been )?gone (?:for )?(?:\d+|two|three|four|five|six|several|many|a few) (?:hours?|hrs?|days?|nights?)|gone (?:all night|for hours|for days)",
    r"location (?:was |is )?last", r"(?:gap|hole) in the (?:fence|hedge|railings)",
    r"(?:not|never) (?:brought|returned|given) (?:the |her |his |their )?(?:kids|children|child|baby|son|daughter) back",
    r"blocked (?:her|him|them|mum|dad)", r"after contact\b",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"boyfriend (?:at|from|in) (?:college|uni|university|work|sixth form)", r"(?:picks|picked|collects) (?:her|him|them) up",
]
_SITUATIONS_NOW["medical"] += [r"\bgushing\b|pouring (?:out|with blood)", r"(?:really|very|so) deep\b"]
# Round 3: the situations practitioners describe without a danger word, each read as possible.
_SITUATIONS_NOW["sexual_assault"] += [
    r"\b(?:willy|willies|penis|privates|private parts|front bottom|down below|winky|genitals|vagina)\b",
    r"(?:puts?|putting) (?:his|their|her) (?:\w+ )?(?:in|on|inside|into) (?:my|her|his|their) (?:mouth|bottom|bum|pants|knickers)",
    r"hands? (?:down|up|in|inside|under) (?:\w+ ){0,2}(?:pants|knickers|top|skirt|shorts|trousers|clothes|nappy|pyjamas|underwear)",
    r"(?:got|has|have|with|keeping|kept) (?:a |the )?(?:\w+ )?(?:child|kid|girl|boy|toddler|baby) (?:\w+ ){0,3}(?:in|into|inside) "
    r"(?:a |the |his |their )?(?:\w+ )?(?:there|cubicles?|toilets?|car|van|flat|room|bedroom|tent|shed|house) with (?:him|them)",
    r"forced (?:himself|themselves) on",
]
_VIOLENCE_NOW = [
    r"forc(?:ed|ing|es) (?:his|her|their) way (?:in|into)", r"(?:shouting|screaming|crying|calling|yelling|begging) (?:for )?help", r"(?:texted|messaged|rang|called|asked|asking) (?:me|us) for help",
    # lay words for a beating: "knocking seven bells out of her", "booting", "started on the boy"
    r"knock(?:ing|s)? (?:\w+ ){0,2}(?:bells|hell|lumps|crap|shit|stuffing) out of", r"\b(?:booting|thumping|thumped|lamping|lamped|"
    r"belting|walloping|clobbering|wellying|leathering|twatting|decking|decked|shoving|shoved|pummelling|knocked (?:her|him|them) "
    r"(?:out|down|over|about|around))\b", r"started on (?:her|him|them|the|his|mum|dad|a)\b",
    r"(?:pushed|shoved|threw|thrown|throwing|pushing|shoving) (?:her|him|them|the \w+|a \w+) (?:down|over|into|off|out of|against|across)",
    r"standing over (?:her|him|them)", r"(?:up )?against the wall by (?:her|his|their) (?:neck|throat|hair)",
    r"(?:has|got|had|pinning|pinned) (?:her|him|them) (?:up )?against", r"(?:throwing|throws|chucking|flinging) (?:her|him|them|the \w+) "
    r"(?:around|about)", r"(?:rough(?:ing)?|roughed) (?:her|him|them) up", r"ganging up on",
    r"sounds? of (?:a )?(?:struggle|fighting|screaming|banging|smashing|someone being)", r"struggl(?:e|ing) (?:inside|upstairs|next door)",
]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:run|ran|running|absconded|gone|went) (?:away )?from (?:the |her |his |their )?(?:childrens home|home|placement|care|unit|"
    r"foster \w+|residential|school|hospital|ward)", r"with (?:a |the )?(?:group|gang|load|bunch|car ?load) of (?:older )?(?:men|lads|males|adults|boys)",
    r"taken (?:off|out of|from) the (?:ward|unit|hospital|nursery|playground)", r"(?:no one|nobody|noone) (?:\w+ )?knows where",
    r"(?:has |have |just |is |are )?gone from (?:the |her |his |their |our )?\w+",
    r"(?:searched|looked|checked|searching|looking) (?:everywhere|all over|the whole|high and low)",
    r"(?:can not|cant|could not) see (?:her|him|them) (?:anywhere|on the|in the)",
]
_SITUATIONS_NOW["medical"] += [
    r"(?:gone|going|turned|turning|is|looks) (?:a )?(?:funny|strange|weird|odd|horrible|bad|dusky|mottled) colou?r",
    r"(?:took|taken|had|swallowed|drank) too many\b", r"(?:burnt|burned|scalded) (?:her|his|their|him|them)(?:self|selves)?\b",
    r"\bmottled\b|\blimp\b|\bgurgl\w*",
]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"done with (?:life|living|everything|it all|this world)", r"(?:tied|tying|tie|hung|hanging) (?:\w+ ){0,3}(?:to|from|round|around|"
    r"off) (?:the |a |his |her )?(?:\w+ )?(?:bannister|banister|banisters|door|doorframe|bed|tree|hook|pipe|rail|beam|wardrobe)",
    r"(?:never|not) (?:want to )?wake up", r"(?:go|going) to sleep (?:and|forever)",
]
_SITUATIONS_NOW["sexual_assault"] += [r"private (?:bits|parts|area)|\bshows? (?:her|him|them) (?:his|their) (?:\w+ )?(?:bits|thing|willy|privates)"]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:taking|take|took|takes) turns (?:with|on)", r"(?:men|adults|older (?:men|lads|males)) (?:\w+ ){0,4}(?:with|and) (?:a|the|one) "
    r"(?:young |little |\d+ year old )?(?:girl|boy|child|kid)\b",
]
_SITUATIONS_NOW["medical"] += [
    r"\b(?:morphine|oxycodone|fentanyl|opioids?|opiates?|benzos?|edibles|gabapentin|pregabalin|diazepam|valium|zopiclone)\b",
    r"(?:drunk|drank|swallowed|eaten|ate) (?:it|them|some|the lot|the bottle|a bottle|half)\b", r"(?:burnt|burned|scalded) (?:by|with|on)\b",
    r"skin (?:is )?(?:peeling|coming off|blistering|bubbling)", r"\bhot (?:drink|water|tea|coffee|oil|kettle|bath|pan)\b",
]
_VIOLENCE_NOW += [r"head ?lock|choke ?hold|strangle ?hold|(?:will not|wont) let (?:go|(?:her|him|them) go)\b",
                  r"(?:officers|police|units) (?:attending|en route|on scene|on their way)"]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"tell (?:everyone|everybody|my mum|mum|my dad|my family|them all|them) (?:that )?(?:i am|i|im) (?:sorry|love)", r"\blove you all\b",
    r"(?:bought|got|buying|ordered|ordering) (?:a |some )?(?:rope|noose|ligature|razors?|blades|helium)",
    r"(?:picked|chosen|chose|set) (?:tonight|today|tomorrow|the weekend|friday|saturday|sunday|a time|the night|the day)",
    r"until (?:she|he|they|i) (?:dies|die|is dead|are dead|am dead)",
]
_SITUATIONS_NOW["forced_marriage_abroad"] += [
    r"(?:lady|woman|women|elder|elders|auntie|aunty|aunties) who (?:does|do|cuts|will do|is going to do) (?:the )?(?:girls|it|them)|"
    r"\bcutter\b|\bsunna\b|\bkhitan\b|\bbondo\b|\btahoor\b|\btahur\b|\bgudniin\b",
    r"(?:got|found|chosen|picked|arranged|have|has) (?:a |the )?(?:man|husband|wife|match|rishta) (?:for|lined up for) (?:you|her|him|me)\b",
]
_SITUATIONS_NOW["missing_abduction"] += [
    r"location (?:unknown|not known)",
    # taken by a relative, not to somewhere named ("taken by her uncle and he's not answering")
    r"(?:taken|took|grabbed|picked up|collected|snatched) (?:\w+ ){0,2}by (?:her|his|their) (?:\w+ )?(?:uncle|aunt|auntie|aunty|"
    r"cousin|grandad|grandfather|grandma|grandmother|nan|dad|father|mum|mother|stepdad|step dad|stepmum|step mum|brother|"
    r"sister|relatives?|family|partner|ex)\b(?! (?:\w+ )?(?:to|for) (?!get|grab|hurt|kill)\w)",
    r"(?:crying|screaming|sobbing|in tears|upset|hysterical|distressed|scared) (?:\w+ ){0,2}(?:when|as) (?:she|he|they) "
    r"(?:went|left|was taken|were taken|got in|was put|were put|drove off)\b",
]
# Understated: what a practitioner sees or hears of a child in distress now, with no danger word.
_VIOLENCE_NOW += [
    r"something(?: is)? (?:really |very |seriously |not )?(?:wrong|not right)\b", r"loud (?:bangs?|banging|crashing|thuds?)|\bbanging\b",
    r"(?:crying|screaming|shouting|calling) (?:for (?:her|his|their) (?:mum|dad|mummy|daddy|nan)|out)\b|\bsobbing\b|\bhysterical\b",
    r"\b(?:terrified|petrified)\b|(?:looked|looks|looking|is|seems|was) (?:really |very |so )?(?:frightened|scared|terrified)",
    r"hiding (?:under|in|behind|from)\b", r"going (?:mad|mental|crazy|nuts|berserk) at\b", r"black eye|split lip|bust lip",
]
_SITUATIONS_NOW["threat"] += [
    r"(?:finish|finishing) (?:the job|what (?:he|she|they) started)", r"(?:will not|wont|never) (?:see|make it to) (?:christmas|(?:her|his|their) "
    r"birthday|the morning|tomorrow|next week|the weekend|another)", r"make sure (?:no one|nobody|you|she|he|they|no one ever) (?:gets?|sees?|has|finds?)",
    r"(?:will|going to|they will|he will) be waiting", r"know (?:which|what) (?:school|house|street|bus|address)",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:happens|it happens) (?:every time|whenever|each time)|every time (?:she|he|they) (?:stays?|goes?|visits?|is (?:left|alone))",
    r"(?:dropped|dropping|drop) (?:her |him |them )?(?:off )?(?:there|at (?:his|her|their|the mans))", r"rude (?:pictures|photos|videos|messages|stuff)",
    r"wants? (?:her|him|them) to (?:come|go) with (?:him|her|them)", r"behind the (?:sports hall|bike sheds?|shed|shops|building|block|bins)",
]
_VIOLENCE_NOW += [r"hammering (?:on|at)\b"]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:touching|groping|fondling) (?:the |a |that |this )?(?:\w+ ){0,2}(?:kids?|children|child|girls?|boys?|pupils?|toddler|baby)\b",
    r"(?:no|without) (?:clothes|pants|knickers|nappy)(?: on)?\b|\bnaked\b",
    r"(?:puts?|putting|sticks?|sticking) (?:his|their) (?:fingers?|hands?|thing|tongue) (?:in|inside|into|on|down) (?:her|him|me|them)\b",
    r"following (?:a |the )?(?:\w+ ){0,2}(?:girls?|boys?|children|child|kids?)\b",
    r"(?:man|men|adult|male|bloke) (?:\w+ ){0,6}(?:into|in) the (?:\w+ )?(?:toilets|changing rooms?|cubicles?)",
]
_WEAK["weapon"] += [r"something (?:\w+ ){0,2}(?:wrapped|hidden|tucked|stuffed) (?:in|under|down)\b", r"(?:sharp|metal) (?:object|thing)"]
_SITUATIONS_NOW["trapped"] += [
    r"(?:kids|children|baby|babies|toddlers?|child|little ones|they) (?:have been |has been |were |are |was |been )?left (?:alone |on (?:their|his|her) own )?"
    r"(?:in|at) (?:the|a|their|his|her) (?:\w+ )?(?:flat|house|home|car|room|van)"]
_SITUATIONS_NOW["trapped"] += [r"under (?:the )?ice\b|\bslid (?:under|into|in)\b"]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:stop|stopping) (?:him|her|them) (?:from )?taking (?:her|him|them|the)\b", r"(?:has not|hasnt|not|have not|havent) come (?:back )?out\b",
]
_SITUATIONS_NOW["sexual_assault"] += [
    r"(?:gone|went|taken|got) (?:in|into) (?:a|the) (?:flat|house|car|van|room|hotel|bedroom|tent|garage) with (?:the |two |three |some |a |an )?"
    r"(?:\w+ )?(?:men|man|adults?|older|lads|strangers?)\b",
]
_SITUATIONS_NOW["trapped"] += [r"(?:lid|door) (?:has |is |got )?(?:shut|closed|slammed|locked)(?: on| behind)?\b"]
_SITUATIONS_NOW["forced_marriage_abroad"] += [r"too (?:english|british|western|westernised|white|modern)\b"]
_SITUATIONS_NOW["medical"] += [r"first (?:ever )?(?:fit|seizure)", r"(?:keeps?|keep) stopping"]
_SITUATIONS_NOW["suicide_self_harm"] += [
    r"(?:not|never) (?:going to )?(?:be )?a (?:problem|burden) (?:for|to) (?:anyone|anybody|everyone|you|them)", r"\bafter today\b",
    r"(?:by|at|near|out of|through) (?:the |an |a )?(?:open )?window (?:on|of) the (?:\d+(?:st|nd|rd|th)|top|\w+) floor|(?:\d+(?:st|nd|rd|th)|top) floor window",
]
_SITUATIONS_NOW["missing_abduction"] += [
    r"walked (?:out|off|away) (?:of (?:the )?\w+ )?with (?:a|the) (?:baby|child|kid|toddler|little one)", r"(?:baby|child|kid|toddler) that (?:is not|isnt) (?:hers|his|theirs)",
    r"no contact (?:from|with) (?:the )?(?:family|mum|dad|parents)", r"(?:house|flat|home) (?:looks|is|seems) (?:empty|abandoned|deserted)",
]
_SITUATIONS_NOW["trapped"] += [
    r"(?:alone|on (?:his|her|their) own) on (?:the|a) (?:balcony|roof|ledge|window ?sill)", r"climbing (?:the|over|on|onto|up) (?:the )?(?:railings|balcony|window|fence|ledge|roof)",
    # a small child high up on the rail or the ledge: a fall is seconds away
    r"(?:climb\w*|standing|stood|sat|sitting|hanging|leaning) (?:\w+ )?(?:on|onto|over|up) (?:the )?(?:balcony |window |roof )?(?:rails?|railings|ledge|edge|parapet)\b",
    r"(?:got|gone|climbed|crawled) out (?:onto|on to|on) (?:the |a )?(?:balcony|roof|window ledge|ledge)",
]
_SITUATIONS_NOW["medical"] += [r"(?:has not|hasnt|not|have not) (?:had|drunk|eaten) (?:any )?(?:water|food|anything|a drink) (?:for|since)"]
_SITUATIONS_NOW["medical"] += [r"nose ?bleed", r"(?:not|will not|wont|is not) stopping\b", r"\bdizzy\b|\bfaint(?:ed|ing)?\b|light ?headed"]
_SITUATIONS_NOW["missing_abduction"] += [
    r"(?:has not|have not|had not|not|nobody has|no one has) (?:seen|heard from|heard) (?:her|him|them|the (?:child|kids|children|boy|girl)) "
    r"(?:since|for)\b", r"(?:supposed|meant|due) to be (?:with|at|in)\b",
    r"wandering (?:on (?:her|his|their) own|alone|around|about|the streets|in the road|by|near|along)",
    r"(?:by|on|near|along|in|across) the (?:dual carriageway|motorway|hard shoulder|slip road|railway line|train tracks|main road)",
]
_SITUATIONS_NOW["forced_marriage_abroad"] += [
    r"(?:being )?(?:made|forced) to (?:get on|board|go on|go with)", r"(?:go|going|goes|travel\w*|fly\w*|flies) (?:out )?(?:back )?to {COUNTRY}",
    r"\bpurif\w*|\bcleans(?:e|ed|ing)\b",
    # a long stay or a "tradition" in a country where cutting or marriage is practised
    r"{COUNTRY} (?:\w+ ){0,8}(?:tradition\w*|initiation|ceremony|special (?:day|party|ceremony)|becoming a woman|for (?:two|three|four|"
    r"five|six|several|a few|\d+) months|extended (?:holiday|visit|trip|stay)|for good|long holiday)",
    r"(?:tradition\w*|initiation|ceremony|becoming a woman|extended (?:holiday|visit|trip|stay)) (?:\w+ ){0,6}{COUNTRY}",
]
_SITUATIONS_NOW["trapped"] += [
    r"(?:is|are|now|still|gone|fallen|fell|slipped) in(?:to)? the (?:river|canal|sea|lake|reservoir|quarry|pond|water)\b"
    r"(?! (?:cadets|scouts|polo|side|front|view))",
    r"(?:gone|went|fallen|fell|slipped|climbed|got) (?:through|over|under) (?:the )?(?:railings|fence|ice|barrier|gap|wall)",
]
_SITUATIONS_NOW["threat"] += [
    r"\b(?:ride|riding|rode|slide|sliding|slid) on (?:him|her|them|you|us|the)\b",
    r"(?:will not|wont) (?:survive|make it) (?:the night|till|until|to|through)",
]
_SITUATIONS_NOW["forced_marriage_abroad"] += [
    r"(?:sending|sent|taking|taken|send|take|flying|flown|fly) (?:\w+ ){0,3}(?:to )?{COUNTRY}",
    r"(?:made|make|making|be made) (?:her |them )?(?:clean|pure|a woman)",
    r"(?:her|his|their) turn (?:next|now|this (?:summer|year)|at (?:eid|the wedding)|to (?:marry|be married|get married|be cut|go|"
    r"be sent|be engaged))|(?:it is|its) (?:her|his|their) turn\b",
]
for _category, _patterns in _SITUATIONS_NOW.items():
    _SITUATIONS[_category] = _SITUATIONS[_category] + _patterns
for _category, _patterns in _SITUATIONS.items():
    _WEAK[_category] = _WEAK[_category] + _patterns
_WEAK["violence"] += _VIOLENCE_NOW

# Round 10: a threat as people relay it names the outcome, not a verb of harm ("he'd be dead by the
# weekend", "he'll snap the kid's neck", "you'll not see morning", "he'll put him in the canal"). Said
# by anyone, in any tense, to or about a child: the child lives with the one who said it.
_THREAT_SUBJECT = (r"(?:he|she|they|you|u|ur|your|youre|i|we|him|her|them|kid|kids|child|baby|boy|girl|lad|son|daughter|"
                   r"brother|sister|one|mum|dad|year old)")
_THREAT_OUTCOME = (
    r"(?:be (?:dead\b(?! (?:chuffed|tired|jealous|good|funny|proud|happy|pleased|excited|nervous|bored|easy|lucky|keen|"
    r"impressed|worried|upset|busy|on|right|serious|set|embarrassed|annoyed|cute|posh|late|slow|quick|hard|nice)\b)|"
    r"in (?:a )?(?:body bag|box|coffin|grave)|six feet under|in the (?:ground|canal|river|ditch|sea))|"
    r"end up (?:dead|six feet under|in (?:a|the) (?:\w+ )?(?:canal|river|ditch|ground|grave|body bag|box|bag|coffin))|"
    r"(?:snap|break|wring|twist|crack) (?:\w+ ){0,2}(?:neck|necks|skull)|"
    r"(?:not|never) (?:going to |gonna )?(?:see|live to see|make it to|live till|live until) (?:the )?(?:morning|tomorrow|tmrw|"
    r"tonight|the weekend|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next week|christmas|"
    r"(?:his|her|their|your|ur) (?:\w+ )?birthday|another day|daylight)|"
    r"(?:not|never) wake up(?= (?:\w+ ){0,3}(?:if|unless|when|again|tomorrow|in the morning)\b| *$| *\|)|"
    r"put (?:him|her|them|you|u|it|the \w+) (?:in|into|under) (?:the|a) (?:canal|river|ground|grave|ditch|sea|lake|boot|bin|box|"
    r"body bag|coffin)(?! (?:studies|study|group|team|class|set|club|project|walk|trip|boat|side|path|room|centre|museum)\b)|"
    r"bury (?:him|her|them|you|u|it|the \w+)|finish (?:him|her|them|you|u|the \w+|(?:the|that|this|our|your|his|her) (?:\d+ year old|little one|little \w+|young \w+)) off(?! (?:a|an)\b)(?! with (?:a |the |some )?(?:cool|warm|stretch|song|story|game|quiz|lap|run|pudding|dessert))|end (?:him|her|them|you|u)\b|"
    r"choke (?:him|her|them|you|u|the \w+)(?: out)?|smash (?:his|her|their|your|ur) (?:head|face|skull) in|break every bone|"
    r"throw (?:him|her|them|you|u|the \w+) (?:off|out of|down|over) )")
_STRONG["threat"] += [
    _THREAT_SUBJECT + r" (?:will|would|is going to|are going to|going to|gonna|am going to)(?: \w+)? " + _THREAT_OUTCOME,
    r"\b(?:ill|youll|theyll|shell) (?:\w+ )?" + _THREAT_OUTCOME,
    _THREAT_SUBJECT + r" (?:are |is )?(?:not|never) (?:going to|gonna) (?:see|live to see|make it to) (?:the )?(?:morning|tomorrow|"
    r"tonight|the weekend|next week)",
]
# An offender barred from children with a child now, a disclosure with the abuser collecting, an adult
# in a toilet with a crying child: the words of a sexual risk happening today, read as possible.
_WEAK["sexual_assault"] += [
    r"(?:sex offenders?|sex offenders register|rso|registered offender|on licence|on license|child (?:sex )?offences|"
    r"(?:no|not allowed|banned from|barred from) (?:\w+ ){0,2}contact with (?:kids|children|under 18s|minors|girls|boys))\b"
    r"(?: \S+){0,12} (?:picked up|picking up|picks up|collected|collecting|collects|taking|took|having|has|babysitting|looking after|"
    r"sleepover|sleep over|stay over|staying|alone with|living with|moved in|with (?:the|a|his|her) (?:\w+ )?(?:girl|boy|child|kid|"
    r"daughter|son|\d+ year old))\b",
    r"(?:secret|special|rude|naughty|funny|private|tickly) (?:touching|touches|touch|cuddles|games?|tickles)\b",
    r"(?:man|adult|grown man|grown up|bloke|guy|male|stranger|older (?:man|lad|boy))\b(?: \S+){0,8} (?:toilets?|loo|cubicle|"
    r"changing rooms?|bathroom)\b(?=.*\b(?:crying|screaming|scream|screamed|cried|upset|locked|distressed)\b)",
    r"(?:followed|took|taken|dragged|pulled|led|carried) (?:a |the |this |that )?(?:\w+ )?(?:girl|boy|child|kid|toddler|year old)"
    r" (?:\w+ ){0,3}in(?:to)? the (?:toilets?|loo|cubicle|changing rooms?|bathroom)",
]
# Opioid signs: pinned pupils and slow breathing mean an overdose is stopping a child breathing.
_WEAK["medical"] += [
    r"pinned pupils|pupils (?:are |were |look )?(?:pinned|pin ?point|pinpoint|tiny)|gouching|\bgouch",
    r"breathing (?:is |s )?(?:really |very |so |too |quite |dead |super )?(?:slow|shallow|slowed|funny|weird|strange)\b"
    r"(?! (?:exercises?|techniques?|practice))",
    r"(?:hardly|barely) breathing|lips (?:are |going |gone |turning |turned )?(?:blue|grey|purple)",
]
# A head held under water, a headbutt or stamp just now: an assault happening, whoever the victim.
_STRONG["violence"] += [
    r"(?:holding|pushing|forcing|dunking|shoving|keeping) (?:her|him|them|the \w+|his \w+|her \w+|their \w+|a \w+)(?: s)?"
    r"(?: head| face| heads| faces)? (?:under|into|in) (?:the )?(?:\w+ )?(?:water|bath|sink|pool|toilet|bucket|pillow|cushion|mattress)",
    r"\bjust (?:\w+ )?(?:headbutted|nutted|stamped on|kneed|punched|kicked|hit|attacked|strangled|choked|slapped|glassed|bit|"
    r"bitten|battered|thrown|threw|pushed|shoved|shook|smacked|whacked|thumped|booted|elbowed) (?:his|her|their|the|a|my|our|this|"
    r"that) (?:\w+ )?(?:son|daughter|kid|kids|child|children|boy|boys|girl|girls|baby|toddler|brother|sister|pupil|student|lad|"
    r"year old|little one|partner|mum|wife|girlfriend|head|face)\b",
]
_WEAK["violence"] += [
    r"(?:held|pushed|forced|dunked|shoved|kept) (?:her|him|them|the \w+|his \w+|her \w+|their \w+|a \w+)(?: s)?"
    r"(?: head| face)? (?:under|into) (?:the )?(?:\w+ )?(?:water|bath|sink|pool|toilet|bucket)",
    r"headbutt(?:s|ed|ing)?\b(?! (?:the |a )?(?:ball|net|wall|door|fence|post))|stamped on (?:his|her|their|the|a) (?:\w+ )?(?:head|face)",
]
# A child in care getting into a car with older men; a child taken off a ward against medical advice.
_WEAK["missing_abduction"] += [
    r"(?:in|into) (?:a|the|their|his|some|an) (?:\w+ )?(?:car|van|taxi) with (?:\w+ ){0,2}(?:older|unknown|adult|grown|strange|random)"
    r"\w* (?:men|man|males?|lads|boys|guys|blokes)\b",
    r"against (?:medical|doctors?|clinical|hospital) advice",
]
# A young child shut in alone while the adult is held: nobody will come.
_WEAK["trapped"] += [
    r"(?:baby|toddler|infant|little one|[1-9] year old|newborn) (?:is |was |s )?"
    r"(?:(?!playing\b|plays\b|played\b|sitting\b|sat\b|reading\b|happily\b|quietly\b|eating\b|walking\b|walked\b)\w+ ){0,4}(?:on (?:his|her|their) own|"
    r"by (?:himself|herself|themselves)|home alone|alone)\b",
    r"(?:arrested|custody|detained|detainee|in a cell|remanded|sectioned)\b(?: \S+){0,14} (?:nobody|no one|noone) (?:is |s )?"
    r"(?:there|home|at home|in|with (?:him|her|them)|has (?:got )?a key)\b",
]

# Round 14: a child or person in a danger state, in any wording. Each structure stands for the many
# ways a teacher, carer, officer or second-language speaker types the same scene; read as possible.
_STATE_PERSON = (r"(?:child|children|kids?|baby|babies|boy|boys|girl|girls|lad|son|daughter|toddlers?|infant|little one|"
                 r"little ones|\d+ year old|\d+ yo|brother|sister|twins|pupil|student|someone|somebody|people|family|him|her|them)")
_WEAK["trapped"] += [
    # a child in a burning room, house, flat or car, whichever comes first in the sentence
    _STATE_PERSON + r"\b(?: \S+){0,10}? (?:is |are |s |was )?(?:on fire|in flames|alight|ablaze|full of smoke|burning)\b",
    r"(?:on fire|in flames|alight|ablaze|full of smoke|smoke (?:coming|pouring|everywhere))(?: \S+){0,10}? "
    + _STATE_PERSON + r"\b(?= (?:\w+ ){0,3}(?:in|inside|in there|upstairs|still|trapped|has not|have not|not come|can not))",
    # a child on a railway, a roof or a road now
    r"\b(?:is|are|s|now|still) (?:\w+ )?(?:on|in|near|by|along|walking (?:in|on|along|down)) the (?:middle of the )?"
    r"(?:railway|railway line|train tracks|tracks|line|roof|motorway|dual carriageway|bypass|main road|road)\b"
    r"(?! (?:safety|crossing patrol|works|trip|project|show|map)\b)",
]
_WEAK["missing_abduction"] += [
    # a child led or carried off, saying the adult is not their parent or a stranger
    r"(?:you are|you|she is|he is|that is|is|s|are) not my (?:real )?(?:mum|mummy|mam|mom|mommy|mother|dad|daddy|father|"
    r"parents?|nan|nana|grandma|grandad)\b",
    r"(?:shouting|screaming|yelling|crying|saying|says|said|shouts|screams|shouted|screamed) (?:\w+ ){0,2}(?:i )?(?:do not|dont) "
    r"know (?:you|him|her|them)\b",
    r"(?:leading|taking|carrying|pulling|dragging|walking|led|took|carried|pulled|walked)(?: \S+){0,10} (?:a |is a |s a )?stranger\b",
    # a young child who cannot be found, minutes ago or near a road or water
    r"(?:can not|could not|not) (?:find|found|locate|see) (?:him|them|her(?! (?:\w+ ){0,2}(?:kit|bag|coat|phone|books?|keys|"
    r"shoes|lunch|uniform|jumper|homework|file|form|purse|card|pass|glasses|tablet|laptop|charger|inhaler|medication|meds)\b)|(?:my|our|the|a|his|their) (?:\w+ )?(?:child|kid|son|"
    r"daughter|boy|girl|baby|toddler|little one|\d+ year old|brother|sister|twins|children|kids))\b(?=.*\b(?:(?:\d+|a few|ten|five|"
    r"two|twenty|fifteen|a couple of|one) (?:minutes?|mins?|seconds?|secs?) ago|a minute ago|roads?|river|canal|water|pond|lake|"
    r"sea|beach|railway|(?:gate|door) (?:is |was |s |were )?(?:left )?open)\b)",
    r"\blost (?:the|my|our|a|his|her|their) (?:little one|baby|toddler|child|kid|son|daughter|boy|girl|\d+ year old)\b"
    r"(?=.*\b(?:ago|now|beach|park|water|road|river|shop|shopping|centre|crowd|fair)\b)",
]
_WEAK["violence"] += [
    # a child thrown, swung or dragged around, about or against a room
    r"\b(?:throw|throws|throwing|threw|thrown|fling\w*|flung|swing\w*|swung|toss\w*|chuck\w*|hurl\w*|drag\w*|kick\w*|push\w*|"
    r"shov\w*|bounc\w*|slam\w*|bang\w*) " + _HARM_PERSON.replace("youngest|eldest", "youngest|eldest|small|tiny|young|wee")
    + r" (?:\w+ ){0,2}(?:around|about|across|against|into|off|round) (?:the|a|his|her|their) (?:\w+ )?(?:room|kitchen|wall|"
    r"walls|floor|sofa|garden|hall|house|flat|car|stairs|changing room|bedroom|door|cot|bed|table|lounge|landing)\b",
]
_WEAK["threat"] += [
    # "he will end the lot of them", "sort the social worker out", "do the whole family in": a threat relayed
    r"\b(?:will|would|is going to|are going to|going to|gonna) (?:end|finish|sort|do)(?: out| in)? (?:the (?:whole )?lot of "
    r"(?:them|us|you|u)|(?:all|every one|each one|every last one) of (?:them|us|you|u)|(?:them|us|you) all|the (?:whole )?"
    r"(?:family|lot|house|household)|(?:the|that|this|her|his|their|your|ur|my) (?:social worker|social|teacher|worker|police|"
    r"copper|cop|nurse|head|headteacher|staff|kids?|children|baby|child|girl|boy|mum|dad|wife|partner|ex)\b)"
    r"(?! (?:off|work|paperwork|form|report|file|project|homework|up)\b)",
]
_WEAK["suicide_self_harm"] += [
    # a condition the young person cannot control, then "finish it", "end it", "do it": suicide risk
    r"\bif (?!(?:\w+ ){0,3}(?:give|gives|let|lets|help|helps|pay|pays|finish|finishes|(?:have|get|find|got) (?:the |some |a )?"
    r"(?:time|chance|minute|moment))\b)(?:\w+ ){1,8}?"
    r"(?:i am|i will|ill|i|she will|he will|she is|he is|they will|she would|he would|i would) (?:going to |gonna |just )?"
    r"(?:finish it|end it|end it all|finish it all|end things|end my life|do it(?= *\|? *(?:i mean it|for real|this time|tonight|"
    r"properly)))\b(?! (?:after|before|by|later|for|off|first|then|on|in|tomorrow|today|this week|next)\b)",
]
# Self-harm happening now, whatever the child's face shows: laughing or smiling is not a joke.
_SELF_NOW = re.compile(r"\b(?:is|are|keeps?|still|now) (?:\w+ )?(?:cutting|burning|scratching|hitting|bashing|hurting|harming|"
                       r"stabbing|choking|strangling|banging|punching|scalding) (?:her|his|their|him|them)(?:self|selves)?\b")

_WORD_START = re.compile(r"\b\w")
_WORD = re.compile(r"\b\w+")
# A child snatched off a bus or out of a car: taken now, whoever by.
_STRONG["missing_abduction"].append(
    r"(?:grabbed|snatched|bundled|dragged|pulled) (?:the|her|his|their|my|our|a|two|both) (?:\w+ )?(?:kids|children|child|girls?|"
    r"boys?|baby|babies|son|daughter|twins|toddler|little one)s? (?:off|from|out of|into)\b")
# A doubt whether a child is breathing is the emergency itself: "i don't think she's breathing".
_STRONG["medical"].append(
    r"(?:not sure|do not think|does not think|can not tell|could not tell|can not see|can not hear|do not know|unsure|no idea) "
    r"(?:if |whether |that )?(?:she|he|they|the baby|baby|the child|the boy|the girl|it|the toddler) (?:is|are) (?:still |even )?breathing\b")
# Round 22: a child's phone or tracker putting her somewhere else while she should be in lesson; a child
# gone from an activity on or by water (a life jacket or shoes left on the bank); an injured child being
# taken off the ward before anyone can protect her; a child held down by others with a flame, a blade or
# a liquid at them; an adult trying to get children into a car with a lure.
_STRONG["missing_abduction"] += [
    r"(?:phones?|location|tracker|tracking|tracked|find my (?:iphone|phone|friends)|snap ?maps?|life ?360|pinging|pinged|gps|airtag)\b"
    r"(?!.*\b(?:at home|off sick|sick today|appointment|dentist|doctors|mum knows|dad knows|with permission|work experience|school trip|"
    r"policy|rules?|lockers?|switched off|turned off|confiscated|safety|lesson on|talk on|session on|assembly|how to)\b)"
    r"(?: \S+){0,16}? (?:(?:should|meant to|supposed to|ought to) be (?:in|at)\b(?: \S+){0,3}? (?:lessons?|class|school|maths|english|science|registration|"
    r"period|college|form|unit|building|pe|tutor|site|academy)|(?:was|is|were|been) (?:marked|registered|signed) (?:in|present))\b",
    r"(?:(?:registered|marked|signed) (?:present|in)|on the register)\b(?: \S+){0,14}? (?:phones?|location|tracker|tracking|find my \w+|snap ?maps?|life ?360|airtag)\b"
    r"(?: \S+){0,8}? (?:\d+ miles|miles away|another (?:town|city|county)|\w+ count(?:y|ies) (?:over|away)|"
    r"at (?:a|an) (?:\w+ )?(?:hotel|house|flat|station|services|car park|address|truck stop|lorry park|motorway|airport))\b",
    # (a child is named first: "my sunglasses vanished at the beach" is no alarm): gone, with a life jacket or
    # shoes left on the bank, or gone from a session on the water
    r"(?:child|kid|boy|girl|pupil|lad|son|daughter|toddler|cub|scout|student|little one|one of (?:the|our) \w+|year \d+|\d+ year old)s? (?:\w+ ){0,6}?"
    r"(?:has |have |is |are |s |just )?(?:vanished|disappeared|gone missing|missing|gone|not seen|nowhere to be seen|not come back|not back)\b"
    r"(?! (?:for|to|swimming|paddling|in|into|out|off|back|home|up|down|with|through|over|round|across|and|lessons?|club|register|kit|gala|"
    r"canoeing|kayaking|sailing|rafting|fishing|crabbing|rock pooling)\b)"
    r"(?:(?: \S+){0,12}? (?:life ?jackets?|buoyancy (?:aid|vest)s?|wetsuits?|shoes|trainers|clothes|towel|coat|helmet|paddle|canoe|kayak|board) (?:\S+ ){0,4}?"
    r"(?:on|by|at|near|in) (?:the )?(?:bank|banks|shore|beach|jetty|pier|water|river|lake|sand|towpath|rocks|riverbank|weir|canal)\b|"
    r" (?:\S+ ){0,5}?(?:from|on|at|by|near|off|in) (?:the )?(?:\w+ ){0,3}?"
    r"(?:canoeing|kayaking|sailing|paddleboarding|paddle boarding|swimming|rafting|coasteering|gorge walking|river|lake|canal|beach|lido|pool|sea|"
    r"reservoir|quarry|water|jetty|pier|boat|weir|harbour|seafront|riverside|riverbank|towpath)\b"
    r"(?! (?:lessons?|club|register|kit|gala|teams?|list|rota|photos?|certificate|badge|session last)\b))",
    r"(?:lost|can not find|cannot find) (?:a|one|the|our|my|two) (?:\w+ ){0,2}?(?:child|kid|boy|girl|pupil|\d+ year old|year \d+|toddler|cub|scout|son|daughter)s?\b"
    r"(?: \S+){0,6}? (?:at|on|in|by|near) (?:the )?(?:\w+ ){0,2}?(?:lido|pool|beach|river|lake|canal|sea|seafront|quarry|reservoir|harbour|weir|water)\b"
    r"(?! (?:lessons?|club|register|kit|gala|teams?|list|rota|photos?|certificate|badge)\b)",
    r"(?:(?:can not find|cannot find|lost|no sign of) (?:him|her|them|(?:a|one|the|our|my|two) (?:\w+ ){0,2}?(?:child|kid|boy|girl|pupil|\d+ year old|year \d+|"
    r"toddler|son|daughter)s?)|not in the line)\b(?: \S+){0,8}? (?:tide (?:is )?coming in|under the water|in the water|current took)\b",
    r"(?:man|men|bloke|guy|adult|driver|stranger|someone|somebody|woman|older (?:man|lads?|boys?))\b"
    r"(?=.*\b(?:sweets|vodka|alcohol|booze|drinks?|weed|vapes?|cigarettes|fags|money|cash|pupp(?:y|ies)|kittens?|lifts?|keeps|circling|pulling up|pulled up|parked|"
    r"coax|lure|entice|back seat|cider|beer|lager|cans|"
    r"sent (?:him|her)|gifts?|stranger|do not know)\b)(?: \S+){0,16}? (?:(?:offering|offers|promising|telling|trying to (?:get|make|persuade|talk)|asking|"
    r"persuading|pestering|begging|bribing|waving|calling|beckoning|shouting)(?: \S+){0,16}? (?:get|getting|go|come|climb|jump|hop) (?:in|into|with him|with her|with them)\b|"
    r"trying to (?:get|pull|drag|push|coax|lure|entice) (?:\S+ ){1,4}?(?:in|into) (?:his|the|a|her|their) (?:\w+ )?(?:car|van|motor|vehicle|back seat|front seat|boot)\b|"
    r"offering (?:the |them |those )?(?:\w+ ){0,3}?lifts? (?:and|with|for) (?:\w+ )?(?:weed|drugs|vapes?|alcohol|vodka|booze|money|cash|sweets|cigarettes|fags|phones))",
]
# a fire with children still inside now
_STRONG["trapped"] += [
    r"fire(?! (?:drill|alarms?|safety|doors?|exits?|practice|marshals?|blanket|extinguishers?|pit|place|work|works|station|service visit|evacuation practice|"
    r"assembly point|pit)\b)(?: \S+){0,8}? (?:children|kids|child|baby|babies|boy|girl|toddlers?|family|people)\b(?: \S+){0,4}? (?:are|is|s) still "
    r"(?:in|inside|upstairs|in there|trapped)\b(?! (?:assembly|class|lessons?|the hall|bed|the classroom|registration|school)\b)",
]
_STRONG["violence"] += [
    r"(?:ward|unit|hospital|a and e|ae|admitted|brought in|nicu|scbu|picu|cubicle|paediatrics?)\b(?: \S+){0,8}? "
    r"(?:injur\w*|bruis\w*|fractures?|broken (?:arm|leg|ribs?|bones?)|burns|scalds?|scald marks|head injury|bleed on the brain|nai)\b"
    r"(?!.*\b(?:discharged|medically fit|fit for discharge|doctors? (?:are |is )?(?:happy|agreed|say|said)|allowed to|cleared)\b)(?: \S+){0,20}? "
    r"(?:taking|carrying|removing|walking out|walks out|snatching|discharging|trying to (?:take|discharge|remove|carry|leave|grab|walk)|"
    r"grabbed (?:her|him|the \w+) and (?:is |s )?(?:heading|walking|running|leaving|going)|heading (?:for|to) the (?:exit|door|car park|lift)|"
    r"leaving with|packing up|taken out of)\b",
    r"(?:injur\w*|bruis\w*|fractures?|broken (?:arm|leg|ribs?|bones?)|burns|scalds?|scald marks|head injury|bleed on the brain|nai)\b"
    r"(?!.*\b(?:discharged|medically fit|fit for discharge|doctors? (?:are |is )?(?:happy|agreed|say|said)|allowed to|cleared)\b)(?: \S+){0,20}? "
    r"(?:take|taking|carry|carrying|remove|removing|walking out|walk out|snatch\w*|discharging|trying to (?:take|discharge|remove|carry|leave|grab|walk)|"
    r"grabbed (?:her|him|the \w+) and (?:is |s )?(?:heading|walking|running|leaving|going)|heading (?:for|to) the (?:exit|door|car park|lift)|"
    r"leaving with|packing up|taken out of|grabbing (?:her|him)|leaving the (?:ward|unit|hospital))\b(?=.*\b(?:ward|unit|hospital|a and e|ae|admitted|brought in|nurse|doctors?|paediatric\w*|cubicle|bay|discharge|exit|"
    r"nicu|scbu|picu|clinic|now|right now|against (?:medical |clinical )?advice)\b)",
    r"(?:walking|walks|taking|carrying|running|heading) (?:off|out of|away from) (?:the )?(?:\w+ )?(?:ward|unit|hospital|a and e|ae|nicu|scbu|picu|cubicle|bay) "
    r"with (?:the |a |her |his )?(?:\w+ ){0,2}?(?:baby|infant|toddler|child|boy|girl|newborn)\b(?: \S+){0,8}? (?:injur\w*|bruis\w*|fractures?|burns|scalds?|bleed)",
    r"(?:take|taking|carry|carrying|remove|removing|walking out with|grabbing|snatching|discharging) (?:\S+ ){0,4}?(?:off|from|out of) (?:the )?"
    r"(?:ward|unit|hospital|a and e|ae|nicu|scbu|picu|cubicle|bay)\b(?: \S+){0,12}? (?:injur\w*|bruis\w*|fractures?|burns|marks) (?:are |is )?(?:not|never|un) ?explained\b",
    r"(?:removing|taking|carrying|grabbing|snatching|walking out with|(?:trying|about|going) to (?:take|remove|carry|grab|discharge)) (?:the |a |our |this |that |her |his )?"
    r"(?:\w+ ){0,2}?(?:baby|infant|toddler|child|boy|girl|him|her|newborn)\b(?: \S+){0,6}? (?:with|who has) (?:the |a |an )?(?:unexplained|suspicious|serious|"
    r"non accidental|nai|odd|unusual) (?:\w+ )?(?:injur\w*|bruis\w*|fractures?|burns|marks)\b(?!.*\b(?:discharged|medically fit|fit for discharge|allowed to|cleared)\b)",
    # a child heard screaming for help now, with sounds of blows
    r"(?:child|kid|boy|girl|baby|toddler|little one|son|daughter)s? (?:is |are |s )?(?:screaming|shouting|crying|yelling) (?:out )?for help\b"
    r"(?=.*\b(?:thuds?|bangs?|banging|smash\w*|crash\w*|hitting|slaps?|screams|now|right now)\b)",
    r"(?:(?:holding|held|hold|pinned|pinning|pin|pinning) (?:(?:a|the|this|that|one|two|some|our|my|his|her|their) (?:\w+ ){0,2}?(?:boy|girl|kid|child|lad|pupil|"
    r"year \d+|student|son|daughter|little one|smaller \w+|younger \w+)s?|him|her|them|me)\b (?:\S+ ){0,3}?(?:down|on the|to the|against|under)|"
    r"(?:being|been) (?:held|pinned) (?:face )?(?:down|on|to|against|under)|"
    r"(?:got|have|has|had) (?:a |an |the |him |her |them |this |that |one |two |my |our )(?:\w+ ){0,2}?(?:held|pinned) (?:face )?(?:down|on|to|against|under)|"
    r"(?:holding|held|pinning|pinned) (?:his|her|their) arms|(?:sitting|kneeling|sat|knelt) on (?:\S+ ){0,3}?(?:boy|girl|kid|child|him|her|pupil|lad|year \d+))\b"
    r"(?: \S+){0,14}? (?:lighter|lit \w+|cigarettes?|fag|knife|blade|scissors|compass|burning|burn|pouring|bleach|acid|lighter fluid|razor|flame|firework)\b",
]
# Round 23: a threat to hurt a child later today told in idiom ("teach him a lesson he won't forget
# when he gets in", "she'll get what's coming tonight"): the idiom with a time or a homecoming beside it.
_KID = (r"(?:him|her|them|(?:(?:the|that|this|our|my|his|her|their|little|poor) )?(?:\w+ )?(?:boy|girl|lad|lass|kid|kids|child|children|baby|"
        r"little one|son|daughter|toddler|youngest|eldest|boys|girls|twins))")
_IDIOM_HARM = (r"(?:(?:teach|teaching|learn) " + _KID + r" (?:(?:a )?(?:\w+ )?lesson(?! (?:in|on|about|of|for|with|at)\b)|a thing or two|some (?:respect|manners))|"
               # (a child named: "teach lily a lesson she won't forget")
               r"(?:teach|teaching) \w+ a (?:\w+ )?lesson (?:he|she|they) (?:will not|would not|will never|is not going to|are not going to) forget|"
               r"(?:learn|learns) (?:a|his|her|their) (?:\w+ )?lesson(?! (?:in|on|about|of|for|with|at)\b)|"
               r"learn (?:his|her|their) lesson the hard way|"
               r"(?:sort|sorting) " + _KID + r" out(?! (?:a|an|the|his|her|their|with|for|some)\b)|"
               r"(?:get|gets|getting|got) what(?:s| is| s) coming|(?:has|have|got|s) (?:got )?it coming|(?:is|are|s|will be|your|you are) (?:in )?for it\b|"
               r"(?:leather|wallop|lamp|clobber|thrash|belt|skelp) " + _KID + r"|"
               r"(?:is|are|s) (?:really |so |gonna |going to )?(?:going to )?get it\b|get what (?:he|she|they) deserves?|"
               r"(?:give|giving|gives|get|gets|getting) (?:\w+ ){0,2}?(?:a (?:good |proper |right )?(?:hiding(?! (?:place|spot)s?\b)|leathering|belting|thrashing|walloping|battering|kicking|beating|smacking|hammering)|what for|the (?:beating|hiding) of (?:his|her|their) li(?:fe|ves))|"
               r"(?:she|he|they|you) (?:s|has|have|is|are) had it\b(?! (?:with|up|in|for|done|out|back|on|off|before|all)\b)|"
               r"(?:had|d) better (?:hide|run|watch out)\b(?! (?:the|your|his|her|their|it|them|those|these|that|this|a|an)\b)|make " + _KID + r" sorry|"
               r"knock (?:some )?sense into|wish (?:he|she|they) (?:was|were|had) never (?:been )?born|show " + _KID + r" who is boss|"
               r"put " + _KID + r" in (?:his|her|their) place|make " + _KID + r" (?:regret|pay)|(?:gets?|get) (?:leathered|battered|a belt|the belt|a slap)|"
               r"gets? (?:his|her) hands on)")
_LATER = (r"(?:(?:when|once|as soon as|the minute|the moment|till|until|before) (?:\w+ ){0,2}?(?:gets?|comes?|is|are|picks|walks|finds) "
          r"(?:\w+ )?(?:in|home|back|through|out|up)\b|tonight|later (?:on|today|tonight)|this (?:evening|afternoon)|after school|at home time|at pick up)")
_STRONG["threat"] += [
    _IDIOM_HARM + r"(?: \S+){0,12}? " + _LATER,
    # (told the other way round only after a homecoming: "when he gets in he's going to teach the boy a lesson")
    r"(?:when|once|as soon as|the minute|the moment|till|until) (?:\w+ ){0,2}?(?:gets?|comes?|is|are|walks) (?:\w+ )?(?:in|home|back|through)\b"
    r"(?: \S+){0,12}? " + _IDIOM_HARM,
]
# An adult filming, photographing or touching children in a changing room or toilets now; an adult's
# hand inside a child's nappy, underwear or clothes now (never a nappy bag, a pocket, the child's own hand).
_CHANGING = r"(?:changing (?:rooms?|village|areas?|cubicles?|block)|toilets?|toilet cubicles?|cubicles?|loos?|showers?|bathrooms?)"
_ADULT = (r"(?:man|men|bloke|guy|adult|male|stranger|someones?|somebodys?|dad|father|coach|volunteer|visitor|uncle|lad|teenager|leader|"
          r"helper|lodger|babysitter|neighbour|carer|boyfriend|stepdad|step dad|teen|teens|older boy|older lad|older teen|"
          r"parent|grandad|instructor|lifeguard)")
_STRONG["sexual_assault"] += [
    r"(?:filming|recording|photographing|videoing|taking (?:photos|pictures|videos?|pics|snaps) of) (?:the |some |little |other )?(?:\w+ )?"
    r"(?:children|kids|girls|boys|little ones|pupils|toddlers|child|kid|girl|boy)s? (?:\S+ ){0,2}?(?:getting (?:changed|undressed|dressed)|changing|undressing|"
    r"in the showers?|showering|naked|with no clothes)\b",
    # (one pattern after the adult word: each is tried only where an adult is named)
    _ADULT + r" (?=.*?(?:chang|toilet|cubicle|loo|shower|bathroom))(?:(?:\S+ ){0,6}?(?:filming|recording|photographing|videoing|taking (?:photos|pictures|videos?|pics|snaps) of|touching|groping)"
    r"(?: \S+){0,3}? (?:children|kids|child|kid|girls?|boys?|little ones|pupils|year \d+s?|\d+ year olds?|toddlers?|under \d+s)\b"
    r"(?: \S+){0,8}? (?:in|into|at|under|over|inside) (?:the |a )?(?:\w+ ){0,2}?" + _CHANGING + r"\b|"
    r"(?:\S+ ){0,6}?(?:filming|recording|photographing|videoing|taking (?:photos|pictures|videos?|pics|snaps)|touching|groping|"
    r"pointing (?:a |his |her |the )?(?:phone|camera|go ?pro)|holding (?:a |his |her |the )?(?:phone|camera) (?:over|under|up))\b"
    r"(?: \S+){0,10}? (?:in|into|at|under|over|inside) (?:the |a )?(?:\w+ ){0,2}?" + _CHANGING + r"\b"
    r"(?=.*\b(?:children|kids|child|kid|girls?|boys?|little ones|pupils|year \d+s?|\d+ year old|toddlers?|under \d+s|them)\b)|"
    r"(?:\S+ ){0,5}?(?:in|into|at|inside) (?:the |a )?(?:\w+ ){0,2}?" + _CHANGING + r"\b(?: \S+){0,8}? "
    r"(?:filming|recording|photographing|videoing|taking (?:photos|pictures|videos?|pics)|touching|groping|pointing (?:it|a phone|his phone|a camera))\b"
    r"(?=.*\b(?:children|kids|child|kid|girls?|boys?|little ones|pupils|year \d+s?|\d+ year old|toddlers?|them|under \d+s)\b)|"
    r"(?:is |s )?(?:\S+ ){0,2}?in (?:the |a )?(?:\w+ ){0,2}?(?:cubicle|toilet cubicle|changing cubicle|toilets?|loos?|shower) with (?:a|the|one|our|this) (?:\w+ )?"
    r"(?:child|kid|boy|girl|toddler|pupil)\b|"
    # an adult gone into the toilets after or with someone else's child, and not come out
    r"(?:\S+ ){0,3}?(?:(?:went|gone|has gone|followed|is|s|are) )?(?:in|into|inside) (?:the |a )?(?:\w+ ){0,2}?" + _CHANGING + r"(?: \S+){0,4}? (?:after|with|behind) "
    r"(?:a|an|the|one|two|our|this|some) (?:\w+ ){0,2}?(?:child|kid|boy|girl|toddler|pupil|year \d+|\d+ year old)s?\b"
    r"(?=.*\b(?:not come out|not came out|not coming out|will not come out|still in there|locked|crying|screaming|will not open|not opened|not out)\b))",
    _CHANGING + r"\b(?: \S+){0,8}? " + _ADULT + r"\b(?: \S+){0,4}? "
    r"(?:filming|recording|photographing|videoing|taking (?:photos|pictures|videos?|pics)|touching|groping)\b"
    r"(?=.*\b(?:children|kids|child|kid|girls?|boys?|little ones|pupils|year \d+s?|\d+ year old|toddlers?|them)\b)",
    # a phone or camera held under or over a cubicle door or partition; an adult shut in a cubicle with a child
    r"(?:phones?|cameras?|go ?pros?) (?:\S+ ){0,2}?(?:under|over|through|above) (?:the |a )?(?:\w+ ){0,2}?(?:cubicle|toilet|changing room|changing|shower) ?(?:doors?|partitions?|walls?|curtains?|gaps?)?\b"
    r"(?=.*\b(?:children|kids|child|kid|girls?|boys?|little ones|pupils|year \d+s?|\d+ year old|toddlers?)\b)",
    r"(?<!own )(?:hands?|fingers) (?:is |are |s )?(?:down|inside|in|up|under|into) (?:the |her |his |their |a |an )?(?:\w+ ){0,3}?"
    r"(?:nappy|nappies|knickers|pants|underwear|trousers|shorts|skirt|dress|top|pyjamas?|pjs|leggings|vest|nightie|nightdress|bottoms|"
    r"tights|swimsuit|costume|clothes|onesie|babygro|shirt|school shirt|blouse|coat|jumper|hoodie|t shirt|jeans|blanket|duvet|covers)\b(?! (?:bag|box|bin|cream|caddy|wipes|drawer|pocket|pockets)\b)"
    r"(?!.*\b(?<!not )(?:own|changing|change|changed|cream|rash|wipes?|pocket|keys|phone|temperature|tuck\w*|check(?:ing)? (?:her|his|the) (?:nappy|temperature))\b)",
]
# A child unaccounted for after a head count, register, drill or trip count, with rooms checked; a
# child lost outdoors (woods, beach, park, festival) with staff searching now.
_HEADS = (r"(?:child|kid|boy|girl|pupil|student|toddler|baby|little one|one of (?:the|our) \w+|year \d+|\d+ year old|reception \w+|"
          r"nursery \w+|cub|scout|brownie|one)s?")
_COUNTED = (r"(?:checked|searched|drill|evacuat\w*|register|registers|head ?counts?|roll call|fire alarm|alarm|lockdown|trip|coach|counts?|counted|"
            r"looked|line up|lined up|assembly point|visit|outing|lines?|muster point)")
_NOT_THERE = (r"(?:is |s |was |are |still )?(?:missing|not there|not here|not with us|not at (?:the )?(?:assembly|muster|meeting) point|not at (?:the )?line|"
              r"not in (?:the |her |his |their )?line|not on the (?:line|register|coach|bus|list)|not lined up|did not line up)\b"
              # (not a child known to be off sick, at the dentist or signed out)
              r"(?!.*\b(?:rang in|phoned in|called in|absent|off sick|poorly|ill today|dentist|doctors|appointment|signed out|holiday|turned up|found)\b)")
_SEARCHED = r"(?:checked|searched|looked|search|searching|looking|can not find|cannot find|nowhere)"
_NOT_COUNTED = r"(?! (?:\S+ ){0,3}?(?:dinner|lunch|meal|menu|milk|fruit|payment|photo|permission|consent) (?:list|register|count|numbers?)\b)"
# a child hanging by the neck or out of a window now (never hanging round with friends)
_STRONG["suicide_self_harm"] += [
    r"(?:(?<=is )|(?<=are )|(?<= s )|(?<=been )|(?<=still )|(?<=found him )|(?<=found her )|(?<=found them ))hanging (?:from|by|off|in|on) (?:\S+ ){0,6}?(?:cord|rope|belt|scarf|ligature|neck|banister|bannister|"
    r"bunk|bunk bed|door|tree|beam|loft|hook|wardrobe|rail|shoelace|lead|cable|bedsheet|sheet)s?\b",
]
_STRONG["trapped"] += [
    r"(?:(?<=is )|(?<=are )|(?<= s )|(?<=been )|(?<=still ))hanging (?:out of|out|from|off) (?:the |a |an |his |her |their )?(?:\w+ ){0,2}?(?:window|balcony|ledge|roof|bridge)s?\b",
]
_STRONG["missing_abduction"] += [
    # (one pattern after the child word: unaccounted for after a count; not there after a drill, rooms searched;
    # wandered off or lost outdoors with a search going on)
    _HEADS + r" (?=(?:\S+ ){0,7}?(?:unaccounted|not|did|missing|wandered|gone|got|lost|vanished|disappeared|run|ran)\b)"
    r"(?:(?:\S+ ){0,4}?(?:is |are |s |still |has been |remains? )*(?:unaccounted|not accounted)(?: for)?\b" + _NOT_COUNTED
    + r"(?=.*\b" + _COUNTED + r"\b)|"
    r"(?:\S+ ){0,3}?" + _NOT_THERE
    + r"(?=.*\b(?:drill|evacuat\w*|fire alarm|alarm|lockdown|register|head ?count|roll call|line up|lined up|count|counted|assembly point|muster point)\b)"
    r"(?=.*\b" + _SEARCHED + r"\b)|"
    r"(?:\S+ ){0,5}?(?:has |have |is |are |s )?(?:wandered off|gone off|got lost|is lost|are lost|lost|vanished|disappeared|gone missing|run off|ran off|gone)"
    r"(?: \S+){0,6}? (?:in|at|on|round|around|near|into) (?:the )?(?:\w+ ){0,2}?(?:woods?|woodland|forest|beach|park|festival|fair|funfair|moors?|hills?|"
    r"trail|fields?|zoo|farm|maze|campsite|common|heath|fells?|mountains?|seafront|promenade|crowds?|wildlife park|theme park|nature reserve|carnival|parade|fairground|fireworks|concert|stadium|market|shopping centre|hillside|mountainside|clifftop|cliffs?|coastal path|moorland|riverbank)\b"
    r"(?=.*\b(?:searching|looking|hunting|combing|shouting|calling|search|out looking|no sign|can not find|cannot find)\b))",
    _COUNTED + r"\b(?: \S+){0,12}? " + _HEADS + r" (?:\S+ ){0,4}?(?:is |are |s |still |has been |remains? )*(?:unaccounted for|not accounted for)\b" + _NOT_COUNTED,
    r"(?:can not account for|cannot account for|could not account for) (?:\S+ ){0,3}?" + _HEADS + r"\b" + _NOT_COUNTED,
    # a child named ("mia is unaccounted for after the evacuation"): read from "unaccounted"
    r"(?:(?<=\bis )|(?<=\bs )|(?<=\bstill )|(?<=\bremains )|(?<=\bis still ))(?:unaccounted|not accounted) for\b"
    r"(?=.*\b(?:drill|evacuat\w*|fire alarm|alarm|lockdown|register|head ?count|roll call|line up|lined up|assembly point|muster point)\b)"
    r"(?!.*\b(?:rang in|phoned in|called in|absent|off sick|poorly|ill today|dentist|doctors|appointment|signed out|holiday|turned up|found|"
    r"keys?|laptops?|ipads?|money|equipment|kit|books?|forms?)\b)",
    r"(?:drill|evacuat\w*|fire alarm|lockdown|head ?count|roll call|assembly point|muster point)\b"
    r"(?: (?!(?:keys?|laptops?|ipads?|money|equipment|kit|books?|forms?|registers?|radios?|phones?|bags?|coats?)\b)\S+){0,8}? (?:is|s|are) (?:still )?"
    r"(?:unaccounted|not accounted) for\b"
    r"(?!.*\b(?:rang in|phoned in|called in|absent|off sick|poorly|ill today|dentist|doctors|appointment|signed out|holiday|turned up|found|"
    r"keys?|laptops?|ipads?|money|equipment|kit|books?|forms?)\b)",
    # a head count one short with rooms searched ("head count after the evacuation is one short, been through every classroom")
    r"(?:head ?count|roll call|count|numbers)(?: \S+){0,8}? (?:is |are |s |came up |comes up |still )?(?<!no )(?:one|two|three|a child|a pupil|\d) short\b"
    r"(?=.*\b(?:searched|checked|been through|looked|looking|searching|can not find|cannot find)\b)"
    r"(?!.*\b(?:rang in|phoned in|called in|absent|off sick|poorly|ill today|dentist|doctors|appointment|signed out|holiday|turned up|found|"
    r"team|squad|side|players|fine|all good|all there|all accounted)\b)",
    # "after the lockdown drill there's a year 2 missing, classrooms and toilets checked"
    r"(?:drill|evacuat\w*|fire alarm|alarm|lockdown|register|head ?count|roll call|line up|lined up|count|counted|assembly point|muster point)\b"
    r"(?: \S+){0,10}? " + _HEADS + r" (?:\S+ ){0,3}?" + _NOT_THERE + r"(?=.*\b" + _SEARCHED + r"\b)",
    r"(?:we are|were|we have been|still|are) missing (?:a|one|two|three|\d+) (?:\w+ ){0,2}?" + _HEADS + r"\b" + _NOT_COUNTED + r"(?=.*\b" + _COUNTED + r"\b)",
    r"(?:lost|can not find|cannot find|could not find|lost sight of|no sign of) (?:(?:a|an|one|the|our|my|two|\w+s) )?(?:\w+ ){0,2}?" + _HEADS + r"\b"
    r"(?: \S+){0,8}? (?:in|at|on|round|around|near) (?:the )?(?:\w+ ){0,2}?(?:woods?|woodland|forest|beach|park|festival|fair|funfair|moors?|hills?|"
    r"trail|fields?|zoo|farm|maze|campsite|common|heath|fells?|mountains?|seafront|promenade|crowds?|wildlife park|theme park|nature reserve|carnival|parade|fairground|fireworks|concert|stadium|market|shopping centre|hillside|mountainside|clifftop|cliffs?|coastal path|moorland|riverbank)\b"
    r"(?=.*\b(?:searching|looking|hunting|combing|shouting|calling|search|out looking|no sign|can not find|cannot find)\b)",
]
_STRONG_CUES = _Cues({**_STRONG, "": _GENERIC_STRONG})
_WEAK_CUES = _Cues(_WEAK)


def _top_level(pattern: str) -> list[str]:
    """A pattern's top-level alternatives ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    parts, depth, start, escaped = [], 0, 0, False
    for i, c in enumerate(pattern):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return parts + [pattern[start:]]

# ---- Context --------------------------------------------------------------------------------------

# Idioms that use danger words for something harmless ("killing it in maths", "dying to go").
_IDIOMS = re.compile(
    # round 20: heading off ("gonna shoot off now"), an event that went off with a bang, fire kit to be checked
    r"shoot(?:ing)? off(?= *$| *\|| (?:now|early|home|at|to|for|in|quick|quickly|sharpish|after|before|soon|first|then|and|asap|straight)\b)|"
    r"(?:went|gone|go|goes|going) off (?:with a (?:bang|swing)|without a hitch)|"
    # (round 23: not "after the fire drill one child is missing": a drill is where a child was lost)
    r"fire (?:extinguishers?|alarms?(?! (?:is |are |s |has |have )?(?:\w+ )?(?:going|sounding|ringing|went|gone|goes|blaring))(?!(?: \S+){1,12}? (?:missing|not there|unaccounted|not accounted|not at|not in (?:the )?line|not lined up|not on the (?:line|register)|did not line up|(?:one|two|three|a child|a pupil|\d) short)\b)|blankets?|drills?(?!(?: \S+){1,12}? (?:missing|not there|unaccounted|not accounted|not at|not in (?:the )?line|not lined up|not on the (?:line|register)|did not line up|(?:one|two|three|a child|a pupil|\d) short)\b)|marshals?|"
    r"wardens?|evacuation(?!(?: \S+){1,12}? (?:missing|not there|unaccounted|not accounted|not at|not in (?:the )?line|not lined up|not on the (?:line|register)|did not line up|(?:one|two|three|a child|a pupil|\d) short)\b)|procedures?|risk assessments?|practice|tests?|testing|log|logbook|assembly point|certificates?|officer|engine|"
    r"inspection|regs|regulations)\b|"
    # round 19: on fire with a class, shoot me, kill whoever parked there, a laptop strangled by updates,
    # can't breathe after a long evening, a car run over
    r"(?:(?:^|(?<=\| ))|\b(?:i|we|they|you|i am|we are|they are|was|were) )on fire (?:today |this (?:morning|afternoon|week|term) )?(?:with (?:the |my |our |this |these )?(?:year \d+s?|y\d+s?|class|group|set|kids|lot|marking|reports|planning|work|data|admin|emails|paperwork)|in (?:the )?(?:quiz|revision|lesson|exam|mocks?|test|homework))\b|"
    r"(?:^|(?<=\| ))(?:just |honestly |someone |somebody |please |oh )?shoot me(?: now)?(?= *$| *\|| (?:now|please|already))|"
    r"kill (?:whoever|whichever|the (?:person|idiot|numpty|one|muppet|joker|driver|genius|culprit)) (?:who |that )?(?:\w+ ){0,2}?(?:parked|took|left|nicked|stole|moved|ate|borrowed|broke|jammed|keeps|has|used|booked)\b|"
    r"(?:laptop|computer|pc|inbox|budget|wifi|network|server|phone|system|diary|calendar|timetable|printer|funding|creativity|bandwidth|email) (?:\w+ ){0,3}?(?:strangled|throttled|choked|suffocated)\b|"
    r"(?:strangled|choked|suffocated) by (?:the )?(?:updates|cuts|paperwork|bureaucracy|emails|reply alls|red tape|admin|budget|meetings|marking|data)\b|"
    r"(?:^|(?<=\| ))(?:i )?(?:literally |honestly |actually )?can not breathe(?= \| (?:that|this|what|those|these|the) (?:\w+ ){0,3}(?:evening|meeting|inset|day|lesson|training|marking|reports?|deadline|session|week|was|were|is)\b)|"
    r"\bi (?:literally |honestly )?can not breathe after (?:running|walking|climbing|that|the|those|laughing)\b|"
    r"(?:(?<=\bmy )|(?<=\bthe )|(?<=\bhis )|(?<=\bher )|(?<=\bour ))(?:car|bike|phone|bag|bin|scooter|laptop|wing mirror|lunchbox|football|ball) (?:\w+ )?(?:got|was|has been|been|is) run over\b|"
    r"(?:picked up|grabbed|got|took|used) (?:the |a |his |her )?(?:hammer|screwdriver|chisel|spanner|wrench|saw|drill|stanley knife|mallet|file) (?:\w+ ){0,3}?(?:got on with|to (?:fix|build|make|finish|mend|put up)|carried on|went back to|cracked on)\b|"
    r"(?:picked up|grabbed|got|took|used|has|with) (?:the |a |her |his |some )?(?:pair of )?scissors (?:\w+ ){0,4}?(?:to cut|cutting|cut out|to trim|to snip)\b|"
    r"missing in action|(?:has been|been|was|is) found (?:safe |safe and well )?(?:as we speak|right now|just now)|"
    # round 18: a violent verb whose object is a thing (bunting, an inspection, a note) or the writer's own
    # stress; the network 'on fire'; routine insulin; a starting pistol; beaters and shoots on an estate
    r"hang (?:up )?(?:\S+ ){0,3}?(?:bunting|decorations?|displays?|art ?work|pictures?|posters?|banners?|flags?|curtains|washing|"
    r"lights|paintings?|coats?|signs?|streamers|paper chains|baubles|photos?|certificates?|wallpaper)\b|"
    r"smash (?:this|that|the|our|their|it at the|it in the) (?:\w+ ){0,2}?(?:ofsted|inspection|inspectors?|exams?|tests?|interview|targets?|"
    r"league|final|match|game|record|presentation|audit|deadline|sats|mocks|assessment|bake off|quiz)\b|"
    r"kill (?:the|that|this|my) (?:last |first |previous |old |whole |second )?(?:notes?|drafts?|emails?|messages?|requests?|forms?|"
    r"entry|entries|meeting|lights?|music|engine|tab|app|process|thread|chat|power|heating|noise|idea|conversation|pages?|slides?|files?|"
    r"sentence|paragraph|line|bit|wording|questions?)\b|"
    r"(?:ofsted|inspection|inspectors|deadline|data drop|sats|exams|marking|reports|paperwork|observation|audit|workload|parents evening|stress) "
    r"(?:\S+ ){0,12}?(?:i m|im|i am|we re|we are|were|i will|we will) (?:all |literally |actually |honestly )?(?:going to|gonna) die\b|"
    r"(?:i m|im|i am|we re|we are|were) (?:all |literally |actually |honestly )?(?:going to|gonna) die (?:of|from) (?:stress|embarrassment|shame|boredom|laughing)\b|"
    r"on fire (?:\S+ ){0,3}?(?:today|this morning|this afternoon|all day|again)?(?= (?:\S+ ){0,6}?(?:network|wifi|server|servers|internet|emails?|inbox|printer|"
    r"laptops?|helpdesk|tickets|system is down|gone down|went down|is down|parents (?:ringing|calling|asking|emailing)))|"
    r"(?:server|servers|network|phones?|phone lines|inbox|wifi|system|helpdesk|switchboard|it|i t) (?:\w+ ){0,2}on fire(?= (?:\S+ ){0,8}?"
    r"(?:network|wifi|server|internet|emails?|calls|parents|load|loading|down|crashed|tickets))|"
    r"(?:shot|dose|jab|injection|pen) of (?:his|her|their|the) (?:usual )?insulin|insulin(?= (?:\S+ ){0,8}?(?:as usual|as normal|every day|daily|routine|bm \d))|"
    r"(?:as usual|as normal|usual|routine|daily) (?:\S+ ){0,3}insulin|"
    r"starting (?:pistol|gun)s?\b(?:(?: \S+){0,10}? (?:locked|kept) in (?:the |a )?(?:\w+ ){0,2}(?:office|cupboard|safe|cabinet|store|room|shed))?|"
    r"(?:gun|pistol) in question (?:\S+ ){0,3}starting (?:pistol|gun)|"
    r"\bbeaters?\b(?:(?: \S+){0,6}? shoot\b)?|(?:(?<=\blocal )|(?<=\bthe )|(?<=\ba )|(?<=pheasant )|(?<=grouse )|(?<=\bgame )|(?<=\bclay ))shoots? (?:at|on|this|next|every) (?:weekends?|\w+day|season)|shooting season|"  # round 16: an adult or a stapler, never a child
    # round 17: the 999 service as a lesson; 'on fire' as doing well or busy; sixth formers skiving;
    # tired enough to collapse; an abuser dead; armies of model soldiers
    r"(?:about|on|of|from|for) (?:the )?(?:999|emergency) (?:service|services|system|call handlers?|operators?|control room)\b|"
    r"(?:about|on) (?:the )?emergency services and (?:calling |ringing |phoning )?999|"
    r"on fire (?:in (?:the )?(?:first|second) half|this (?:term|season|week|year)|today|tonight|this morning|this afternoon)(?= (?:\S+ ){0,6}"
    r"(?:hat trick|hattrick|scored|scoring|goals?|tries|wickets|runs|points|marks|admissions|referrals|calls|beds|patients|emails|tests?)\b)|"
    r"on fire (?:\S+ ){0,5}(?:hat trick|hattrick|scored|scoring|goals?)\b|"
    r"(?:year (?:1[0-3]|ten|eleven|twelve|thirteen)s?|sixth formers?|(?:upper|lower) sixth) (?:\w+ ){0,3}(?:gone|go|went) missing(?: from (?:the )?\w+(?: \w+)?)?"
    r"(?= (?:\w+ )?(?:\| )?(?:probably|prob|most likely|no doubt|bet|i bet|must be|i reckon|typical)\b)|"
    r"(?:home|bed|sofa|couch) to collapse|collapse (?:on|onto|into|in front of) (?:the |my |a )?(?:sofa|couch|bed|telly|tv)|could collapse(?= (?:\w+ ){0,3}(?:bed|sofa|shift|day|week)\b)|"
    r"(?:he|she|they) (?:is|are|has been|have been) dead (?:now|for (?:years|ages|\w+ years))\b(?= (?:\S+ ){0,10}(?:talk|therapy|counsell\w*|grave|funeral|asked))|"
    r"(?:armies|army|soldiers|knights|figures|figurines|miniatures|models|warhammer|lego \w+|action figures?) (?:\w+ ){0,2}with (?:\w+ )?(?:swords|guns|axes|spears|shields|bows|tanks|knives)|"
    # round 15: hyperbole about the speaker for a trivial slip, sayings, a danger word negated, a school's plan
    r"(?:kill|murder|slaughter)(?:s|ing)? (?:me|us) (?:for (?:being late|losing|forgetting|missing|breaking|cancelling|changing|leaving (?:my|the|her|his|our) \w+|"
    r"eating|spilling|not (?:doing|bringing|tidying|ringing|calling|texting|replying))|if (?:i|we) (?:forget|lose|am late|are late|miss|break)\b)|"
    r"beat(?:ing|s|en)? (?:\w+ ){0,2}at (?:chess|fifa|football|cards|scrabble|monopoly|pool|darts|tennis|ping pong|table tennis|badminton|"
    r"games?|the game|the quiz|maths|running|racing|\w+ball|uno|connect four|draughts|mario kart)\b|"
    r"(?:head|arm|hand|leg|foot) stuck in (?:a|her|his|the|their) (?:jumper|top|t shirt|tshirt|hoodie|sleeve|coat|dress)|"
    r"kill(?:s|ing)? two birds|shot to (?:pieces|bits)|(?:nerves|confidence|printer|laptop|phone|battery|wifi|internet|signal|connection|knees?|back|voice|concentration|"
    r"focus|defence|defense|brakes|tyres|memory|patience) (?:is|are|was|were|s) (?:totally |completely |absolutely |well )?shot\b|"
    r"(?:can not|cannot|could not) breathe (?:for|from|with) laugh\w*|not breathing (?:heav\w*|fast|hard|loud\w*)|"
    r"(?<!still )(?<!is )(?<!s )(?<!are )not (?:missing|lost)(?: after all)?\b(?= *$| *\||,? (?:she|he|they|was|were|after|just|only|but))|"
    r"(?:school|staff|senco|nursery|college|we|team|teachers?|academy|dsl|setting) (?:\w+ ){0,3}?(?:has|have|ve|s|had|made|put|agreed|drew up|wrote|got) "
    r"(?:got |put |in place |together )?(?:a |an )?(?:\w+ )?plan for|"
    # round 14: a machine that chokes, a kettle put out of its misery, people shot or killed in a video game
    r"(?:wifi|wi fi|internet|printer|photocopier|copier|system|laptop|computer|server|network|connection|broadband|engine|drain|"
    r"sink|hoover|website|app|email|scanner|shredder|pipes?) (?:\w+ ){0,3}?(?:is |s |keeps |was |kept )?chok\w*|"
    r"out of (?:its|it is|it s|their|his|her|my|your) misery|"
    # ending a relationship, a roof garden, a toy or a bag thrown about (not at anyone)
    r"(?:end|ending|finish|finishing) (?:it|things) with (?:her|his|my|their|the|your) (?:boyfriend|girlfriend|partner|bf|gf|fiance|"
    r"fiancee|husband|wife|fella|ex)\b|on the roof (?:garden|terrace)|"
    # everyday sayings: fighting fit or a cold, hitting the gym, a surprise party thrown, food stabbed at,
    # a horse groomed, cutting down on sugar, a coat hung up, the edge of a seat, a bath bomb, stuck on a question
    r"fighting (?:fit|a cold|a bug|off (?:a|the) (?:\w+ )?(?:cold|bug|infection|virus)|the flu|an infection)|"
    r"(?:hits?|hitting) the (?:gym|books|hay|road|shops|sack)|smashing (?:leg day|arm day|it|the gym|the test|the exam|(?:his|her|their) pb)|"
    r"threw (?:him|her|them) a (?:\w+ )?party|stabbing at (?:her|his|their|the) (?:\w+ )?(?:food|dinner|lunch|jelly|plate|peas|cake|salad)|"
    r"grooming (?:the|a|her|his|their) (?:horse|pony|dog|cat|pets?|hair)|cut(?:ting)? down on|"
    r"hanging (?:her|his|their|the) (?:coat|bag|washing|pictures?|clothes|work|display|pe kit)s?|edge of (?:his|her|their|my|your) seat|"
    r"collaps(?:ing|ed) (?:in|with) laughter|(?:bomb|bath bomb|photo ?bomb)(?:s|ed|ing)?(?= shelter| fizz|$| in (?:the|her|his) bath)|bomb shelter|"
    r"stuck (?:on|with) (?:question|a question|the question|(?:his|her|their) (?:homework|maths|spellings)|the (?:form|crossword|homework))|"
    # a parent taking their own children home at the end of the day
    r"(?:mum|mummy|dad|daddy|parents?|mother|father|nan|grandma|grandad|carer) (?:is |are |s |has )?(?:taking|took|taken|"
    r"collecting|collected|carrying|carried|leading|led) (?:the|her|his|their) (?:\w+ )?(?:children|kids|baby|child|twins|"
    r"little ones?|boys?|girls?|son|daughter)(?: \S+){0,6}? (?:to go home|home for (?:tea|lunch|dinner|a nap|bed)|at home time|at pick up)\b|"
    r"throw\w* (?:his|her|their|the|a|my|your) (?:\w+ )?(?:teddy|toys?|ball|bag|pen|pencils?|food|dinner|rattle|dummy|cup|shoes?|coat|"
    r"books?|paper|stuff|things|tantrum|strop|wobbly|paddy)\b(?! (?:\w+ ){0,3}at (?:her|him|them|the|his|a|my|me|us|staff|people))|"
    r"(?:shoot\w*|shot|kill\w*|snip\w*|murder\w*) (?:\w+ ){0,3}?(?:online|in (?:the|a) game|in game|on (?:the )?(?:xbox|playstation|ps\d|game|"
    r"console|pc|switch))\b|(?:call of duty|cod|fortnite|gta|warzone|apex|valorant|halo|battlefield)(?: \S+){0,10}? "
    r"(?:shoot\w*|kill\w*|snip\w*) (?:people|players|zombies|everyone|each other|them|the other)\b|"
    # round 12: an inbox or a brass section "on fire", revision "attacked", choked up with feeling,
    # not breathing hard after running, children on a bridge for a walk
    r"(?:inbox|emails?|phone|notifications|section|brass|strings|orchestra|choir|band|cast|singers|drummers?|drums) (?:\w+ ){0,2}?(?:is|are|was|were|been) (?:absolutely |totally |so |really |just )?on fire\b(?! (?:and|with) (?:\w+ )?(?:child|children|kids|baby|boy|girl))|"
    r"attack\w* (?:their|his|her|the|my|our|your) (?:\w+ )?(?:revision|coursework|homework|exams?|essays?|reading|work|maths|to do list|list|backlog|marking|project)\b|"
    r"chok\w* up\b(?! (?:on|with) (?:a|the|his|her|food|sweets?|\w+ (?:sweet|grape|toy|coin|battery)))|"
    r"not breathing (?:hard|heavily|fast|quickly|too hard|too fast)\b|on fire with (?:orders|calls|emails|messages|texts|requests|bookings|customers|questions|queries|notifications|complaints|enquiries|applications|likes)\b|"
    r"on the (?:roof|shed roof|garage roof)(?: of (?:the |a )?\w+)? (?:getting|to get|fetching|to fetch|retrieving|to retrieve) (?:his|her|their|the|a|our) (?:ball|frisbee|kite|shuttlecock|football)\b|whip\w* (?:up )?(?:the |some )?(?:cream|eggs?|egg whites|butter|meringue)\b|"
    r"on the (?:bridge|footbridge) (?:\w+ ){0,4}for (?:the |a |our )?(?:nature walk|walk|trip|school trip|visit|photos?|a photo)\b|"
    # office talk: "shoot you an email", a team "on fire" in a match or a lesson
    r"shoot(?:ing)? (?:you |u |me |him |her |them |us |it )?(?:over |across |back |through )?(?:a |an |the |my |our |some )?(?:quick |short )?"
    r"(?:email|e mail|message|msg|text|note|line|dm|invite|link|copy|minutes|notes|details|form|reply|update)s?\b|"
    r"(?:team|teams|class|squad|side|lads|boys|girls|year \d+|form|group|set|choir|band|pupils|students|players|they|we|you|kids|children) "
    r"(?:were|was|are|is|have been|has been|been) (?:absolutely |totally |so |really |just )?on fire (?:today|tonight|this (?:\w+)|"
    r"in (?:the |their |our |that )?(?:match|game|quiz|test|lesson|maths|english|spelling|challenge|final|tournament|second half|first half|"
    r"race|competition|rehearsal|show|concert|bee)|at (?:the )?(?:match|game|quiz|netball|football|rugby|hockey|cricket|maths|sports day))\b|"
    # a device or a thing "dying" or being "killed": no person in it
    r"(?:battery|batterys|phone|phones|laptop|laptops|charge|charger|signal|ipad|ipads|tablet|tablets|computer|computers|"
    r"printer|printers|car|cars|plant|plants|wifi|internet|pen|pens|torch|remote|headphones|airpods|kindle|screen) "
    r"(?:is |are |has |has been )?(?:about to die|going to die|dying|dead|died|on its last legs)|"
    r"(?:kill|killing|murder|murdering|strangle|strangling|throttle|throttling|stab|stabbing|shoot|shooting|smash|smashing|"
    r"batter|battering|punch|punching|kick|kicking|hit|hitting|drown|drowning|bin|burn|burning|torch) "
    r"(?:this|that|the|my|our|these|those|his|her|their) (?:\w+ )?(?:printer|printers|photocopier|copier|laminator|"
    r"laptop|computer|pc|ipad|tablet|phone|wifi|internet|system|software|app|website|portal|spreadsheet|form|forms|email|"
    r"emails|report|reports|paperwork|kettle|microwave|toaster|coffee machine|vending machine|car|traffic|machine|"
    r"smartboard|whiteboard|projector|timetable|rota|server|database|inbox|marking|admin)s?\b|"
    r"panic attacks?|out of breathe?\b|"
    # sayings: "overdosed on sugar", "dead in the water", "kidnapped my mug", "shot down by the head", "burning hot"
    r"overdos\w* on (?:sugar|sweets|chocolate|caffeine|coffee|screen time|tv|telly|gaming|youtube|netflix|fun|christmas|pizza)|"
    r"dead in the water|(?:kidnapped|abducted) (?:my|our|the|his|her|their|someones) (?:\w+ )?(?:stapler|pen|pens|mug|mugs|chair|"
    r"lunch|seat|parking space|charger|ruler|calculator|pencil|pencils|biscuits|sandwich|ball|hat|scissors|glue|laptop|remote|milk)\b|"
    r"(?:trapped|stuck|kept) (?:indoors|inside|in (?:the |a |our )?(?:\w+ )?(?:hall|classroom|classrooms|class|school|house|building|"
    r"staffroom|office|library|canteen|dining hall|gym)) (?:\w+ ){0,3}(?:because of|due to|cos of|with|by) the "
    r"(?:rain|weather|snow|storm|wind|traffic|roadworks)|wet play|"
    r"shot down (?:by|in|at) (?:the |our |my )?(?:governors|head|headteacher|board|council|committee|team|parents|boss|manager|senco|slt|"
    r"meeting|trust|ofsted|flames)|shot (?:my|his|her|the|that|our|this) (?:idea|plan|proposal|suggestion) down|"
    r"(?:burning|boiling|baking|roasting) hot\b|"
    # harmless objects and small hurts: "stabbed by a thorn", "bleeding from a paper cut"
    r"(?:stabbed|cut|pricked|scratched|stung|spiked) (?:\w+ ){0,2}(?:by|with|on) (?:a |an |the )?(?:\w+ )?(?:thorns?|pins?|needle|pencil|"
    r"compass|splinter|cactus|rose|paper|stick|bramble|brambles|nettles?|staple|twig|fork)\b|paper cuts?|"
    r"bleeding from (?:a |an |the |his |her )?(?:small |tiny |little )?(?:paper cut|graze|scratch|scrape|lip|gum|gums|tooth|nose|knee|finger)\b|"
    # threats of a complaint, not of harm
    r"threat\w* (?:to )?(?:complain|report|sue|go to (?:the )?(?:press|papers|ofsted|council|governors|head|mp|local paper)|"
    r"take (?:it|us|this|the school) (?:further|to)|make a complaint|"
    r"call ofsted|write to|post (?:it )?on (?:facebook|social media)|take legal|legal action)\b|"
    r"chok(?:ed|es|ing) (?:in|at|during|under) (?:the )?(?:final|semi final|match|game|exam|test|"
    r"interview|race|penalty|penalties|shootout|pressure|audition|big moment)|in hot water (?:with|over|for|at)\b|"
    # play acting: "pretended to shoot his mate with a banana"
    r"pretend(?:ed|ing|s)? (?:to )?(?:\w+ )?(?:shoot|shot|stab|stabbed|kill|killed|hit|punch|kick|strangle|die|dead|be dead|fight|murder|"
    r"cut|chop|hang|drown|kidnap)\w*|"
    # a child's own medicine taken as prescribed; swamped by work
    r"(?:took|taken|takes|taking|take|had|has|have|given|gave) (?:her|his|their|my|the) (?:normal|usual|regular|prescribed|daily|morning|"
    r"evening|night time|bedtime|adhd|asthma|epilepsy) (?:meds|medication|medicine|tablets|pills|dose|inhaler|antibiotics)|"
    r"(?:her|his|their) (?:usual|normal|regular|prescribed) (?:meds|medication|medicine|tablets|dose)|"
    r"(?:drown|drowns|drowned|drowning) in (?:referrals|work|paperwork|cases|emails|forms|marking|admin|homework|reports|meetings)|"
    r"(?:forced marriage|fgm|missing(?: children| persons?| from home| from care)?|exploitation|cse|cce|county lines|knife crime|"
    r"self harm|suicide|abduction|kidnap|overdoses?|sexual assault|sexual abuse|domestic abuse|domestic violence|gang|"
    r"drowning|anaphylaxis|allergy|epilepsy|seizures?|weapons?|trafficking|modern slavery|honour based abuse|violence) "
    r"(?:\w+ )?(?:unit|team|service|helpline|hotline|coordinator|lead|champion|officer|worker|nurse|clinic|panel|protection orders?(?! (?:\S+ ){0,10}?(?:tonight|today|now|urgently|asap|first thing|tomorrow)\b)|"
    r"charity|hub|network|pathway|tracker|register|data|figures|statistics|stats|rates?|numbers|audit|plan|protocol|toolkit|"
    r"screening|tool|checklist|prevention|reduction|awareness|claims?|allegations?|referrals?|disclosures?|"
    r"investigations?|enquir(?:y|ies)|case|cases|strategy|procedures?)\b|"
    r"finger ?guns?|(?:pretend|imaginary|invisible|finger|toy|cardboard|lego|paper|foam) (?:guns?|knife|knives|swords?|pistols?|rifles?|bombs?)|"
    r"(?:head|heads|boss|manager|headteacher|head teacher|senco|ofsted|the office|my team) (?:will|would|is going to|going to) "
    r"(?:murder|kill) me|"
    r"(?:play|playing|game of|wink) murder|murder in the dark|murder mystery|"
    r"killing (?:it|themselves laughing|ourselves laughing|myself laughing)|(?:is|are) killing me|"
    r"dying (?:to|for|of)|die of (?:boredom|embarrassment|shame|laughter)|kill (?:the |for )(?:lights|music|a )|"
    r"(?:play|pretend|play fighting|playfighting|water) fight\w*|fight(?:ing|s)? over|(?:row|rows|argument|arguments|squabble|squabbles|falling out) (?:over|about)|burning out|burnt out|burned out|"
    r"cutting out|cut out|cut and paste|(?:getting|got|get|been|being) (?:battered|hammered|thrashed|smashed|destroyed|slaughtered|murdered|killed) (?:\w+ )?(?:at|in|by) (?:football|rugby|netball|cricket|hockey|basketball|the match|the game|fifa|chess|the league|the cup|the quiz|\d+ (?:nil|goals?|points?|runs?|wickets?|\d+)\b)|hide and seek(?: (?:\w+ ){0,6}hiding (?:in|under|behind|from))?|(?:puppy|dog|dogs|cat|kitten|hamster|rabbit|guinea pig|toddler|toddlers|teething \w+) (?:\w+ )?(?:keeps |is |are |has been )?(?:biting|scratching|nipping)|scared of (?:the dark|dogs?|spiders?|heights|clowns|the dentist|needles|injections|thunder|water|swimming|exams?|failing|bees|wasps|the hoover)|screaming with (?:excitement|laughter|joy|delight)|(?:trapped|stuck|kept) (?:indoors|inside) (?:because|due|all|with|for|by the)|stir crazy|hit by a ball|hit the roof|smash(?:ed|ing)? it|"
    r"shooting (?:games?|star|hoops|for)|shot out of|stuck in traffic|locked out|fire drill(?!(?: \S+){1,12}? (?:missing|not there|unaccounted|not accounted|not at|not in (?:the )?line|not lined up|not on the (?:line|register)|did not line up|(?:one|two|three|a child|a pupil|\d) short)\b)|fire alarm test|"
    r"great fire|firefighter|fire (?:exit|door|safety|brigade visit|station)|cops and robbers|"
    r"(?:hamster|hamsters|guinea pig|rabbit|tortoise|cat|dog|puppy|kitten|budgie|pet|class pet|fish|snake|"
    r"wallet|purse|keys?|charger|ipad|laptop|trainers?|football|homework|coat|bag|phone|book|kit|lunch|money|jumper|shoe|shoes|reading book|pe kit|lunchbox|"
    r"glasses|keys|lesson|lessons|school|class|episodes?|link|form|field|page|pages|data|information|"
    r"signature|paperwork|register|deadline|the bus|out|button|buttons|option|options|icon|tab|attachment|attachments|file|files|"
    r"document|documents|setting|settings|feature|section|box|template|report|records?|notes?|letter|photos?|pictures?|"
    r"details|minutes|signatures?) (?:has |have |is |are |gone |went )*missing|"
    r"missing (?:the|a(?! (?:\w+ )?(?:child|pupil|toddler|boy|girl|kid|baby)\b)|an|his|her|their|my|our|your|this(?! (?:morning|afternoon|evening|lunchtime))|that|it|me|us|\w+s (?:mum|dad|lesson|class))\b|missing (?:a lot|lots|loads|too much|some|most|half|days|homework|lessons?|school|class|the bus|out|episodes?|link|information|data|field|pages?|"
    r"deadlines?|appointments?|sessions?|meals?|breakfast|lunch|her (?:mum|dad|friends?)|his (?:mum|dad|friends?)|"
    r"home|them|you|him|her)|cutting (?:pictures|paper|hair|shapes|it fine|corners)|hurt (?:feelings|her feelings|his feelings)|"
    r"(?:cousins|sisters|brothers|aunties|aunts|uncles|friends|neighbours|family|a family) (?:wedding|engagement)|"
    r"(?:trapped|stuck) in (?:a |the |this |another |back to back |endless |more )?(?:meetings?|lessons?|traffic|queues?|loop|training|inset|parents evening|assembly|cover|interviews?|marking|admin|emails|the office)\b|"
    r"kill time|killer|drowning in (?:homework|coursework|revision|exams|bills|stuff|paperwork|work|marking|emails|admin|reports|forms|it|debt|data)|"
    r"(?:glue|staple|nail|paint|spray|heat|water|nerf|toy|bubble|label|hot glue) guns?|"
    r"(?:mum|dad|mums|dads|sister|brother|aunt|auntie|aunty|uncle|cousin|nan|grandma|grandad|teacher|parents|friend) "
    r"(?:is |are )?(?:getting married|marrying|engaged)|kill(?:ed|ing)? it\b|trapped in (?:a|the|this|another) (?:meeting|lesson|traffic|queue|loop)|fit ?bit|fitting (?:in|into|out|together|room)|(?:cheeks|ears|face|eyes|skin) (?:are |is )?burning|on fire (?:in|at) (?:netball|football|rugby|maths|english|pe|class|lessons?|training|the match|the game)|on fire this (?:term|season|week)|drown\w* (?:her|his|their|my|our) sorrows|(?:could not|can not) wake (?:him|her|them) (?:for a (?:minute|moment|bit|while|second)|at first)|locked in (?:a|an) (?:battle|argument|dispute|row|fight|debate|struggle)|breathe in (?:the|this) (?:heat|hot \w+)|murder (?:that|the|this|a) (?:song|tune|curry|pizza|kebab|pint|burger|dance)|throwing (?:snowballs|a ball|balls|the ball|paper|water|a party|a tantrum|a strop|up)|(?:will|would|going to) die (?:if|of|when|before)|chok\w* back (?:the |her |his |my |their )?(?:tears|sobs)|fighting back tears|knife and fork|knives and forks|(?:mum|dad|nan|nana|gran|granny|grandma|grandad|grandpa|i|we|parents?|carer|foster carer|uncle|auntie|aunty|aunt|the taxi|school) (?:is |are |am )?(?:going to|will|gonna|on (?:his|her|their) way to) (?:come and |go and )?(?:get|pick up|collect) (?:him|her|them|me)(?= *$| *\|| from\b)|(?:is |are |am )?(?:going to|will|gonna) (?:pick|collect) (?:him|her|them) up(?= *$| *\|| at \d| from\b)|kill(?:ing)? (?:this|that|the|my|these) (?:\w+ )?(?:report|form|email|meeting|paperwork|job|spreadsheet|essay|presentation|lesson|marking|printer|laptop|computer|deadline|week|cold|bug|virus)s?\b|if it is the last thing i do|confiscated (?:\w+ ){0,2}(?:knives|knife|weapons?|blades?)|butter knife|plastic knife|cutlery|(?:police|officer|army|soldier|security|guard|firearms)s? (?:\w+ ){0,4}(?:carries|carry|has|with|uses) (?:a )?(?:taser|gun|firearm|baton|pepper spray)|run away from (?:the|a|an) (?:spider|spiders|dog|bee|bees|wasp|wasps|mouse|noise|dentist|monster|clowns?|ghost)|missing (?:one|two|three|four|five|\d+|some|several|a few|all)\b(?! (?:\w+ )?(?:children|kids|pupils|students|boys|girls|child|year old|years old|yo|of (?:the|our) (?:children|kids|pupils)))|shaking (?:with|like|all over from) (?:nerves|excitement|cold|laughter|fear|anticipation)|shaking (?:her|his|their) head|shaking hands|run off (?:her|his|their|my|our) feet|(?:gun|rifle|shotgun|firearm|knife|knives) (?:\w+ ){0,2}for (?:work|his job|her job|farming|the farm|shooting clays|clay shooting|fishing|cooking)|(?:licensed|licence|license) (?:\w+ ){0,2}(?:gun|rifle|shotgun|firearm)|(?:gun|shotgun|firearm|rifle) licen[cs]e|alone (?:\w+ ){0,3}(?:for (?:\d+|ten|five|twenty|fifteen|a few|half an hour) (?:minutes|mins)|until (?:mum|dad|\w+) (?:gets|comes))|locked in (?:\w+ ){0,3}(?:until|till|for the (?:day|session|term))(?! (?:the |her |his |their )?(?:flight|wedding|plane|trip|they (?:fly|leave|go)|we (?:fly|leave|go)))|hanging (?:around|about|out|on)(?! (?:outside |near |by )?(?:the )?(?:\w+ )?(?:school|gates?|nursery|park|playground|toilets|changing rooms?|play area|pool)\b)(?! (?:of )?(?:the |a |an |his |her |their )?(?:\w+ ){0,2}?(?:window|balcony|ledge|roof|bridge)s?\b)|missing (?:from )?education|(?:heating|printers?|photocopiers?|copiers?|laminators?|laptop|computer|toaster|phone|team|class|"
    r"weather|room|classroom|hall) (?:(?:is|are|was) (?:\w+ )?)?on fire(?! (?:and|with) (?:\w+ )?(?:child|children|kids|baby|boy|girl)| in the)|hit (?:the|a) (?:ball|target|wall|deadline|button)|(?:hit|hits|hitting|whack\w*|smash\w*|kick\w*|thump\w*|bash\w*|belt\w*|strik\w*|wallop\w*|punch\w*) (?:the|a|his|her|their|some) (?:\w+ )?(?:balls?|shuttlecocks?|shuttles?|targets?|punch ?bags?|punchbags?|pads|keys|keyboard|drums?|pinatas?|piñatas?|tyres?|moles?)\b(?: (?:\w+ ){0,3}with (?:a|an|the|his|her|their) (?:\w+ )?(?:bat|racket|racquet|stick|club|mallet|hammer))?|knife arch|fire alarms?(?! (?:is |are )?(?:going|ringing|sounding)\b)(?!(?: \S+){1,12}? (?:missing|not there|unaccounted|not accounted|not at|not in (?:the )?line|not lined up|not on the (?:line|register)|did not line up|(?:one|two|three|a child|a pupil|\d) short)\b)|dead (?:tired|easy|good|keen|boring|set|serious|right|on time|lucky|posh|nice|funny|proud|excited|chuffed)|blew up at|hit it off|stabbed in the back|break (?:the |some |this |that )?(?:bad |sad |good )?news|"
    # food and drink "murdered", a class "on fire" in a test, children missing education (a register term)
    r"(?:murder|murdering|kill|killing|kill for|destroy|demolish) (?:a|an|some|that|the|this|my|another) (?:\w+ )?(?:coffee|tea|cuppa|brew|pint|"
    r"beer|wine|drink|curry|pizza|kebab|sandwich|butty|burger|chippy|takeaway|biscuit|cake|fry up|breakfast|lunch|dinner|chocolate)s?\b|"
    r"on fire (?:in|at|during|with|on|for) (?:the |their |his |her |this |that |our |today s )?(?:\w+ ){0,2}(?:tests?|match|game|lessons?|quiz|"
    r"exams?|mocks?|class|pitch|court|stage|tournament|performance|spelling|maths|netball|football|race|competition|sats|phonics|assembly|"
    r"challenge|heat|debate|spelling bee|bee|sports day|concert|rehearsal)\b(?! (?:hall|room|building|block|area|studio|corridor))|"
    r"missing (?:children|child|pupils|kids|young people) (?:from|out of) education|"
    r"emergency (?:contact|plan|services?|department|meeting|c section)|"
    # a visit by someone whose job it is, or family: "the man from the council is coming round tonight"
    # round 13: swamped with work, records not children, pets and prey, games, accidents on a tin can
    r"seizure (?:log|chart|diary|record)|absence seizures?\b|"
    r"drown\w* in (?:\w+ ){0,2}?(?:reviews|paperwork|work|emails|marking|referrals|admin|cases|forms|reports|ehcps?|meetings|deadlines|it|data|requests)\b|"
    r"(?:gone|go|goes|went|going) missing (?:from|off|on|in) (?:the |our |his |her )?(?:register|system|list|database|spreadsheet|shared drive|drive|file|records?|roll|portal|sims|cpoms|arbor)\b|"
    r"\b(?:file|files|folder|form|forms|record|records|email|report|letter|paperwork|register) (?:\w+ ){0,2}?(?:has |have |had )?gone missing|"
    r"\b(?:cat|cats|dog|dogs|kitten|puppy|fox|foxes) (?:\w+ ){0,3}(?:murder|kill)\w* (?:\w+ ){0,3}?(?:pigeons?|birds?|mice|mouse|rats?|rabbits?|chickens?|hens?|squirrels?|frogs?|spiders?|flies|fish)\b|"
    r"(?:with|using) (?:a|an|the|my|his|her) (?:\w+ )?(?:grenade|rocket|rpg) launcher|nuked (?:the|a|their|our) (?:whole )?(?:lobby|server|map|squad|team)|"
    r"thrown (?:in )?(?:at )?the deep end|thrown under the bus|"
    r"going for a (?:\w+ ){0,2}?(?:wedding|holiday|meal|walk|drive|run|swim|visit|break|trip|party|funeral|coffee|drink|day out|sleepover|check ?up|haircut)\b|"
    r"cut (?:him|her|them|my|your)sel(?:f|ves) (?:\w+ )?on (?:a|an|the|some|broken) (?:\w+ ){0,2}?(?:tin|can|glass|fence|nail|lid|paper|edge|plate|mug|bottle|wire|thorn|brambles?|stone|rock)s?\b|"
    r"(?:tutor|teacher|council|social worker|health visitor|nurse|midwife|gp|doctor|plumber|engineer|electrician|officer|worker|"
    r"nan|nana|grandma|grandad|granny|auntie|aunty|(?:man|woman|lady|someone|people|person) from the \w+) (?:is|are) coming "
    r"(?:round|over|tonight|back tonight)(?! (?:\w+ ){0,4}(?:to (?:get|hurt|kill|sort|batter|stab|do (?:him|her|them)\b)|with))"
)

# Round 21: staffroom hyperbole. Staff "trapped" in a room for a timetabled day; a machine, a battery or
# nerves that are "shot"; a boss or colleague who "will kill me" over paperwork (never over money, coming
# home or telling anyone: those are how real threats are made); a class "on fire" with its work; a den or
# a deal that "collapsed" (not a roof, a wall or a bouncy castle, which can bury children); a child who
# went off with her own parent, unless the sentence says that parent should not have her.
_IDIOMS = re.compile(_IDIOMS.pattern + "|" + (
    r"(?:(?:i am|we are|i will be|we will be|i have been|we have been|am|are|(?:^|(?<=\| ))were) (?:\w+ )?|(?:^|(?<=\| )))(?:trapped|stuck) (?:in|at|on) (?:\w+ ){0,6}?(?:all (?:day|morning|afternoon|evening|week|weekend|lunch)|"
    r"every (?:day|\w+day)|for (?:the )?(?:whole|entire|rest of the) (?:day|morning|afternoon|week))\b|"
    r"(?:trapped|stuck) in (?:back to back |endless )?(?:\w+ )?(?:meetings?|training|inset|exams?|marking|reports|reviews|cover|traffic|a meeting)\b|"
    r"(?:been|got|was|were|be|is|s) shot down (?:again|over|for|in flames|by (?:the )?(?:head|governors|slt|board|council|manager|boss|committee|panel|trust))\b|"
    r"shot down (?:my|his|her|our|their|the) (?:\w+ )?(?:idea|plan|proposal|suggestion|bid|request|application)s?\b|"
    r"(?:printer|photocopier|copier|projector|scanner|laminator|minibus|laptop|computer|pc|battery|batteries|nerves|back|knees?|brakes|clutch|gearbox|voice|concentration|"
    r"patience|focus|brain|memory|wifi|tyres?|engine|screen|boiler|hoover|hip|shoulder|boots|shoes|trainers)s? (?:\w+ ){0,3}?(?:(?:is|are|s|has been|have been|been|was|were) )?"
    r"(?:completely |totally |well and truly |well |absolutely |just |properly )?shot\b(?! (?:at|by|in the|dead|him|her|them))|"
    r"(?:kill|murder|strangle|throttle) (?:me|us|him|her|them|the \w+|my \w+|our \w+|the next (?:person|one)) (?:if|unless|when|who|that) (?:\S+ ){0,10}?(?:logged|log|receipts?|paperwork|records?|checklist|up to date|replies all|reply all|replying all|stapler|mug|"
    r"forms?|reports?|minutes|expenses|invoices?|timesheets?|spreadsheets?|registers?|marking|data|emails?|rota|agenda|figures|budget|accounts|"
    r"submitted|sign off|signed off|filed|boiler|printer|photocopier|deadline|coffee|biscuits|milk|kettle|dishwasher|cpoms|purchase orders?|orders?|"
    r"books|coursework|letters|provision map|attendance|server|delivery|deliveries|parcel|newsletter|website|tracker|planning)\b"
    r"(?!.*\b(?:money|cash|pay|paid|owe|owes|debt|package|drugs|sell|grass|snitch|tell|told|police|feds)\b)|"
    # a manager, an office or an inspector who "will kill me": how staff speak of a telling off
    r"(?:boss|manager|managers|head|heads|headteacher|head teacher|deputy|deputy head|head of (?:year|department|school|house)|hod|senco|dsl|bursar|"
    r"business manager|finance(?: team)?|exams officer|office|office manager|sergeant|sarge|inspector|governors|chair|treasurer|clerk|ofsted|trust|"
    r"ceo|slt|matron|ward manager|consultant|team leader|supervisor|practice manager|line manager|line managers|hr)(?: \w+)? "
    r"(?:will|would|is going to|going to|s going to) (?:actually |literally |honestly |properly )?(?:kill|murder|strangle|throttle|skin) (?:me|us)\b"
    r"(?!.*\b(?:money|cash|pay|paid|owe|owes|debt|package|drugs|sell|grass|snitch|tell|tells|told|anyone|police|feds)\b)|"
    # a thing, not a person: "kill this laptop", "set fire to this pile of marking", "batter this essay into shape"
    r"(?:kill|murder|strangle|throttle|batter|smash|set fire to|burn|stab|shoot|torch|drown) (?:this|that|these|those) (?:\w+ ){0,2}?"
    r"(?:laptop|computer|pc|printer|photocopier|scanner|projector|essay|marking|report|spreadsheet|form|email|inbox|timetable|paperwork|pile|stack|"
    r"file|folder|document|pdf|website|system|server|app|software|data|budget|plan|planning|policy|laminator|kettle|coffee machine|machine|phone)s?\b|"
    r"(?:kill|swat|squash|murder) (?:that|the|this|a) (?:\w+ )?(?:wasp|fly|spider|bee|mosquito|slug|ant|moth|fruit fly)s?\b|"
    # a debate set on fire, a mock that was a bloodbath, exams smashed, a budget bleeding us dry
    r"set (?:the|a|this|that) (?:debate|stage|world|dancefloor|dance floor|internet|pitch|competition|quiz|league) on fire\b|"
    r"(?:was|is|its|it is|were) (?:a |an |an absolute |a total |a complete |an utter )?bloodbath\b|"
    r"smashed (?:his|her|their|my|our|the) (?:\w+ )?(?:exams?|tests?|mocks?|sats|gcses|a levels|targets?|interview|audition|pb|record)\b|"
    r"bleeding (?:us|me|them|the school|the trust|everyone) dry\b|"
    r"(?:was|were|is|are) (?:absolutely |really |totally |just |literally )?on fire (?:with|in|at|during) (?:their |the |his |her |my |our |this |todays )?(?:\w+ )?"
    r"(?:recitation|reading|spelling|singing|performance|concert|maths|tests?|quiz|answers|work|writing|lessons?|match|game|debate|assembly|rehearsal|"
    r"presentation|phonics|times tables|football|netball|practice|training|homework|nativity|play|show|panto|carol service|sports day|competition|"
    r"tournament|race|gala|exams?|mocks)s?\b|"
    r"(?:sandcastle|den|jenga|jenga tower|lego tower|tower of blocks|block tower|cake|souffle|sponge|deal|plan|talks|negotiations|scheme|project|"
    r"idea|market|argument|display|pile|stack|fundraiser|bid|sale|sponsorship|partnership|merger|company|business|league|season)s? (?:\w+ ){0,5}?(?:has |had |just )?collapsed\b(?! (?:on|onto|with|trapping))"
    r"(?!.*\b(?:buried|trapped|under (?:it|them|there)|on top of|crushed|stuck|pinned|inside|can not get out|hurt|injured)\b)|"
    r"(?:went|gone|go|goes|going) off with (?:her|his|their) (?:own )?(?:mum|mums|dad|dads|mam|mom|parents?|nan|gran|grandma|grandad|family|carers?|"
    r"foster (?:mum|dad|carer)s?|childminder)\b(?!.*\b(?:without|not allowed|no contact|order|injunction|banned|should not|not supposed|"
    r"do not know where|no idea where|can not find|not answering|not back|missing)\b)"))

# Round 22: a scare already over ("thought she was missing but she was in the gift shop the whole time");
# pupils who "go missing" to the toilets; staff trapped or stuck in a meeting, a course or traffic, or till
# a time; a safety talk or visit booked with the fire service; a statistic behind a campaign ("drowning
# is a leading cause of..."); screaming blue murder; a place or team "on fire" with work (never with
# smoke, flames or anyone inside: a ward can burn); scissors for the craft table; a supervised paddle.
# (never when the child is still not back, or was with someone all along)
_NOT_GONE = (r"(?!.*\b(?:not (?:come )?back|not returned|can not find|cannot find|not been seen|no one has seen|nobody has seen|not on site|"
             r"off site|searched|still missing)\b)")
_IDIOMS = re.compile(_IDIOMS.pattern + "|" + (
    r"(?:(?:thought|believed|feared|scare|panic|assumed) (?:\S+ ){0,10}?(?:missing|lost|gone|vanished|disappeared|"
    r"run off|ran off|wandered off|absconded)|could not find|lost sight of|could not see)\b(?: \S+){0,10}? (?:was|were|had been|been) (?:\S+ ){0,6}?"
    r"(?:the whole time|all along|the entire time|the full time)\b(?!.*\b(?:with (?:him|a man|an adult|them|that|older|a stranger)|not (?:come )?back|still)\b)|"
    r"(?:gone|go|goes|going|went|disappear\w*|vanish\w*) missing (?:again )?(?:\S+ ){0,4}?(?:to|into|in) (?:the )?(?:toilets?|loos?|bathrooms?|vending machines?|"
    r"canteen|tuck shop|lunch|water fountain|library|lockers?|field|sports hall)\b(?=.*\b(?:lol|haha\w*|again|typical|as usual|every)\b)" + _NOT_GONE + r"|"
    r"(?:disappear\w*|vanish\w*|wander\w*) (?:off )?(?:to|into) (?:the )?(?:toilets?|loos?|bathrooms?|vending machines?|canteen|tuck shop|water fountain|lockers?)\b"
    r"(?=.*\b(?:lol|haha\w*|again|typical|as usual|every)\b)" + _NOT_GONE + r"|"
    r"(?:trapped|stuck) (?:in|on|at) (?:a |an |the |my |our |this |that |another |yet another |back to back |endless )?(?:\w+ ){0,2}?"
    r"(?:meetings?|training|course|inset|conference|webinar|calls?|reviews?|panel|briefing|cpd|supervision|interviews?|marking|traffic|queues?)\b|"
    r"(?:i am|we are|i will be|we will be|i have been|we have been|(?:the )?(?:dsl|head|senco|manager|sw|social worker|team) (?:is|are|will be)) (?:\w+ )?(?:trapped|stuck) "
    r"(?:in|on|at) (?:\w+ ){1,5}?(?:till|until|to) (?:\d+|half \w+|late|lunch|home time|the end)\b|"
    r"(?:fire|water|road|beach|online|knife|pool|home fire|bonfire) (?:safety|awareness) (?:visit|talk|session|check|day|week|assembly|workshop|lesson|demo\w*)s? "
    r"(?:from|by|with) (?:the |a )?(?:\w+ ){0,2}?(?:fire service|fire brigade|police|rnli|lifeguards?|firefighters?|fire officers?)"
    r"(?: (?:at|in|to) (?:the |our )?(?:\w+ ){0,2}?(?:school|nursery|centre|academy|college|club|primary|hall|unit))?\b|"
    r"(?:fire service|fire brigade|firefighters|fire officers?|rnli|lifeguards?) (?:are |is )?(?:coming|visiting|doing|giving|running|booked|due)(?: in)?(?: \S+){0,6}? "
    r"(?:fire|water|road|beach|home fire|bonfire)? ?(?:safety|awareness) (?:visit|talk|session|check|day|week|assembly|workshop|lesson|demo\w*)s?\b|"
    r"(?:drowning|choking|suicide|fires?|house fires|burns|scalds?|falls|poisoning|road (?:accidents?|traffic collisions)|knife crime|sepsis|meningitis|sids|cot death) "
    r"(?:at home |in the home |in homes |in (?:the )?(?:uk|england) |from (?:windows|heights|balconies|stairs) )?"
    r"(?:(?:is|are|remains?) (?:still )?(?:one of )?(?:the |a )?(?:leading|biggest|main|major|common|commonest|most common|frequent|significant|top|"
    r"second|third|number one) (?:\w+ ){0,2}?(?:causes?|killers?|reasons?|injur\w*|accidents?|deaths?|admissions?)|"
    r"kills? (?:more|most|thousands of|hundreds of|dozens of|a few|several|many|around \d+|about \d+|over \d+|\d+) (?:\w+ ){0,2}?"
    r"(?:children|kids|teenagers|young \w+|people|babies|toddlers|under \w+))\b|"
    r"(?:scream\w*|yell\w*|cry\w*|crie\w*|shout\w*|howl\w*|squeal\w*) blue murder\b|"
    r"(?:gone|went|going|go|are|is) (?:in|into) (?:the )?(?:sea|pool|river|lake|water) for (?:a |their |his |her )?(?:paddle|swim|dip|splash|play|lesson)\b"
    r"(?!.*\b(?:not come back|not back|can not see|cannot see|missing|gone under|struggling|not come up)\b)|"
    r"(?:staff|lifeguards?|adults?|teachers?|instructors?|coaches?|parents?|leaders?) (?:are |is )?in the (?:water|pool|sea) with (?:them|him|her|the \w+)\b|"
    r"with (?:the |some |their |his |her |safety |craft )?scissors (?:for|to use at|to use in) (?:the |a )?(?:craft|crafts|art|cutting out|collage|display|activity|"
    r"paper chains|card making|d ?t)\w*\b|"
    r"(?:a and e|ae|reception|front desk|ward|phones?|duty team|team|desk|office|inbox|switchboard|waiting room|department|clinic|triage|surgery|mash|front door)s? "
    r"(?:is |are |s |has been |have been |was |been )?(?:absolutely |totally |literally |properly )?on fire\b"
    r"(?=.*\b(?:waiting|queues?|busy|full|referrals|calls|backlog|cleared|rammed|heaving|patients|cases|emails|waits?|\d+ (?:in|waiting))\b)"
    r"(?!.*\b(?:smoke|flames|evacuat\w*|alarms?|trapped|burning|firefighters|fire brigade|fire engines?|999|inside|can not get out|get out|spreading|help|"
    r"kids|children|child|baby|babies|pupils|toddlers)\b)"))

# Round 23: hanging round, about or out with friends (never hanging out of a window, nor round a neck);
# shooting hoops, pool, goals, photos or a video; food, drink and tasks someone could "murder" or "kill";
# the name of a service, a police notice or a panel ("missing-from-care return interview", "child
# abduction warning notices"); a person or a group on fire with, at or in what they do (never with
# smoke, flames or anyone inside: a child can be on fire).
_IDIOMS = re.compile(_IDIOMS.pattern + "|" + (
    r"(?:hang|hangs|hanging|hung) (?:(?:round|around|about)(?! (?:his|her|their|the|its|a|my) (?:neck|throat))"
    r"(?! (?:outside |near |by )?(?:the )?(?:\w+ )?(?:school|gates?|nursery|park|playground|toilets|changing rooms?|play area|pool)\b)|"
    r"out(?! (?:of|the|a|from|over|off|his|her|their|on)\b))\b|"
    r"(?:shoot(?:s|ing)?|shot) (?:some |a few |a couple of |the |a |an |his |her |their )?(?:hoops|baskets|pool|goals?|penalties|the breeze|videos?|films?|footage|"
    r"photos|pictures|pics|scenes?|(?:\w+ )?(?:video|film|scene|advert|vlog|tiktok|reel|documentary|short|photos|footage))\b|"
    r"(?:photo|video|film|fashion|music video) ?shoots?\b|shooting (?:practice|drills?|session|hoops)\b|"
    r"(?:murder|kill|destroy|demolish|massacre|slaughter|annihilate|devour)(?: for)? (?:a |an |the |that |this |those |these |some |my |our |another |"
    r"a few |a whole |a cold |a hot |a nice |a big |a proper )?(?:\w+ )?(?:tea|coffee|cuppa|brew|pint|pints|beer|beers|wine|gin|drink|roll|butty|buttie|"
    r"sarnie|sandwich|pizza|kebab|burger|curry|chippy|chips|cake|cakes|cupcakes?|buffet|biscuits?|chocolate|doughnuts?|donuts?|fry up|breakfast|"
    r"lunch|dinner|takeaway|roast|sausage rolls?|pasty|pie|ice cream|nandos|maccies|mcdonalds|crisps|snacks?|cup of \w+|glass of \w+|bottle of \w+|"
    r"plate of \w+|report|essay|exams?|tests?|workout|marking|paperwork|inbox|emails|quiz|presentation|coursework|deadline|revision|mocks)\b|"
    r"(?:missing (?:from (?:home|care|education|school)|persons?|children|person s)|(?:children )?missing (?:from )?education|"
    r"child (?:abduction|sexual exploitation|criminal exploitation|trafficking)|abduction|runaway and missing|forced marriage|"
    r"honour based (?:abuse|violence)|exploitation|sextortion|knife crime|county lines|cse|cce|fgm) "
    r"(?:coordinator|co ordinator|(?:return (?:home )?)?interviews?|warning notices?|cawns?|team|unit|panel|lead|leads|officer|worker|"
    r"service|services|protocol|notices?|hub|strategy|pathway|project|champion|navigator|forum|toolkit|mapping)s?\b|"
    # (the readings of "on fire" as praise are one pattern: it is tried at every "on")
    r"(?:(?<!set )(?<!set him )(?<!set her )(?<!set them )(?<!self )(?<!selves )(?<!set it )"
    r"on fire (?:with|at|in|on) (?:the |her |his |their |my |our |your |these |this |those |that )?(?:\w+ ){0,2}?"
    r"(?:maths|english|science|spelling|spellings|reading|writing|revision|coursework|homework|referrals?|paperwork|football|netball|rugby|cricket|"
    r"hockey|tennis|basketball|sport|sports day|training|rehearsals?|practice|learning journeys|work|marking|assessments?|exams?|gcses?|tests?|"
    r"lessons?|phonics|times tables|art|music|drama|pitch|court|singing|goals|shots|quiz|class|studies|projects?|essays?|reports?|caseload|"
    r"cases|plans|audits?|targets|attendance|behaviour|results|grades|games|match|matches|season|league|dance|dancing|gymnastics|swimming|"
    r"running|athletics|chess|debating|baking|cooking|designs?|drawing|drawings|piano|guitar|recorder|violin|maths|numeracy|literacy|handwriting|"
    r"sums|fractions|vocab|vocabulary|french|spanish|german|history|geography|re|pe|computing|coding|goal|cup|\w+ball|spelling bee|mocks|sats)\b"
    r"(?!.*\b(?:smoke|flames|burning|alight|evacuat\w*|trapped|firefighters|fire brigade|fire engines?|999|inside|can not get out|spreading|"
    r"caught|clothes|hoodie|hair|screaming|still|upstairs|in there|in it|kids?|child|children|baby|babies|people|family)\b)|"
    r"(?:(?<=is )|(?<=are )|(?<= s )|(?<=was )|(?<=were )|(?<=am )|(?<=been )|(?<= re )|(?<=absolutely )|(?<=totally )|(?<=literally )|(?<=properly )|"
    r"(?<=really )|(?<=so )|(?<=just ))on fire (?:this|these|lately|recently|today)\b(?: (?:term|week|season|half term|year|month|morning|afternoon))?"
    r"(?=.*\b(?:with|at|in) (?:\w+ )?(?:maths|english|science|spelling|reading|writing|revision|coursework|homework|referrals?|paperwork|football|"
    r"netball|rugby|sport|training|work|marking|lessons?|phonics|class|goals|singing|drama|music|art)\b)"
    r"(?!.*\b(?:smoke|flames|burning|alight|evacuat\w*|trapped|firefighters|fire brigade|fire engines?|999|inside|can not get out|spreading|caught)\b)|"
    # on fire with, at or in anything that is not a place, a time or people ("on fire with the new curriculum",
    # "on fire in goal"); "on fire at the minute" said of a person ("the school is on fire at the moment" stays an alarm)
    r"(?<!set )(?<!set him )(?<!set her )(?<!set them )(?<!self )(?<!selves )(?<!set it )"
    r"on fire with (?!(?:the |a |an |his |her |their |our |my |your |this |that |some |two |three |all the |\d+ )?(?:\w+ )?"
    r"(?:kitchen|garden|house|home|flat|flats|bedroom|room|rooms|living room|lounge|hall|building|car|cars|van|garage|shed|loft|bathroom|caravan|tent|"
    r"street|road|motorway|park|field|woods|playground|school|nursery|classroom|block|stairs|upstairs|downstairs|back|front|cot|bed|corridor|"
    r"estate|hospital|ward|centre|hotel|tower|minute|moment|min|mo|second|sec|time|same time|middle|top|bottom|end|side|corner|window|"
    r"children|kids|child|people|babies|baby|pupils|family|families|residents|someone|somebody|toddlers?|boys|girls|students|him|them|us|me|"
    r"petrol|fuel|oil|gas|fat|chip pan|pan|hob|cooker|oven|chimney|roof|wires?|kitchen roll|rubbish|bins?)\b)"
    r"(?!.*\b(?:smoke|flames|burning|alight|evacuat\w*|trapped|firefighters|fire brigade|fire engines?|999|inside|can not get out|spreading|"
    r"caught|clothes|hoodie|hair|dress|trousers|jumper|screaming|help|burns?|burnt|lighter|matches|still|upstairs|in there|in it|"
    r"kids?|child|children|baby|babies|toddlers?|people|cubs|pupils|family)\b)|"
    r"(?:(?<=he is )|(?<=she is )|(?<=they are )|(?<=you are )|(?<=we are )|(?<=i am )|(?<=he s )|(?<=she s )|(?<=he was )|(?<=she was )|"
    r"(?<=they were )|(?<=you were )|(?<=we were )|(?<=i was ))on fire "
    r"(?:at the (?:moment|minute)|mate|lol|this (?:term|week|season|half term|year)|lately|recently)\b"
    r"(?!.*\b(?:smoke|flames|burning|alight|evacuat\w*|trapped|firefighters|fire brigade|fire engines?|999|inside|can not get out|spreading|"
    r"caught|clothes|hoodie|hair|dress|trousers|jumper|screaming|help|burns?|burnt)\b))|"
    r"(?:shoot|shoots|shooting|shot) (?:some |a few |a couple of )?(?:free throws|threes|three pointers|jump shots|layups)\b|"
    r"(?:(?:i|we|id|i would|we would) (?:could |would |can )?|(?<!he )(?<!she )(?<!they )(?<!dad )(?<!mum )(?<!who )could )(?:murder|kill) (?:for )?"
    r"(?:a|an|some|another|the lot)\b(?! (?:\w+ )?(?:child|kid|baby|boy|girl|toddler|teenager|pupil|person|man|woman)\b)|"
    r"(?:murder|kill|destroy|slaughter|batter|hammer|thrash|smash|annihilate|massacre) (?:them|us|him|her|year \d+s?|the \w+s?|\w+) (?:at|in) (?:the )?"
    r"(?:netball|football|rounders|hockey|rugby|cricket|dodgeball|quiz|match|game|final|tournament|sports day|tug of war|chess|basketball|cup|league|"
    r"\w+ball|the \w+ round|fifa|mario kart|scrabble)\b|"
    r"(?:murder|kill|destroy|slaughter|smash|annihilate|massacre) (?:the |my |our |this |that |their |his |her )?(?:\w+ )?(?:competition|opposition|rivals|"
    r"karaoke|song|solo|audition|interview|prep|full english|breakfast|lunch|assessment|mocks|exam|test|essay|presentation)\b|"
    r"sort (?:him|her|them) out (?:a|an|with a|with an|some|his|her|their) (?:\w+ ){0,2}?(?:lift|place|ticket|kit|uniform|lunch|tea|dinner|room|bed|pass|"
    r"appointment|bus pass|phone|charger|money|costume|outfit|haircut|present|card|coat|shoes)s?\b|"
    r"hiding (?:place|spot)s?\b|"
    r"dead on (?:my|our|his|her|their|your) feet\b|"
    # "going to sort her reading folder out": a thing of hers put in order
    r"sort (?:her|his|their) (?!out\b|face\b|head\b)\w+(?: \w+){0,2}? out\b|"
    # a hand in the nappy bag for the wipes, down the back of the sofa for the remote
    r"hands? (?:\w+ ){0,2}?(?:in|into|inside|down) (?:the |her |his |a )?(?:\w+ )?(?:nappy|changing|kit|wash|lunch|school|gym|pe|swim|sports|tool) "
    r"(?:bag|box|basket|bin|drawer|caddy|tray)s?\b|hands? down the back of the (?:sofa|couch|settee|radiator|chair|bed|cupboard|wardrobe|drawer)s?\b"))

# Round 24: a haircut, a fringe, a cake or a phone line "cut" (never a child cut); goodbye said at the
# gate or the door; a class taught what to do in an emergency or how to dial 999 (a lesson, not a call).
_IDIOMS = re.compile(_IDIOMS.pattern + "|" + (
    r"(?:hair|fringe|haircut|nails|cake|grass|lawn|hedge|ribbon)(?: \w+){0,3}? (?:cut|cuts|cutting|trimmed)\b|"
    r"(?:cut|cuts|cutting|trim|trimmed|trimming) (?:her|his|their|my|the|a|your) (?:\w+ )?(?:hair|fringe|nails|cake|grass|lawn|hedge|ribbon|fringes)\b|"
    r"(?:phone|phones|line|power|electric|electricity|gas|water|wifi|internet|money|benefits|funding|signal)(?: \w+){0,3}? cut (?:off|short)\b|"
    r"(?:said|say|says|saying) (?:goodbye|bye|bye bye) (?:to (?:us|me|everyone|her mum|his mum|mum|dad|her friends|his friends) )?(?:at|by|outside) "
    r"the (?:\w+ )?(?:gate|gates|door|classroom|office|bus|car|station|end|fence)s?\b|"
    r"(?:teach|teaches|teaching|taught|talk|talks|talked|talking|told|tell|telling|showed|showing|show|learnt|learned|learning|learn|explained|"
    r"explaining|practised|practising|practiced|covered|covering|discussed|discussing|spoke|speaking) (?:\w+ ){0,5}?(?:about |on )?"
    # (the words after stay in the lesson: never across "and her sleeve caught fire" or "but now")
    r"(?:what to do|how to|when to|who to|emergencies|first aid|cpr)\b(?: (?!(?:now|right now|but|her|his|their|caught|is|s|are|has|have|was|\|)\b)\S+){0,10} "
    r"(?:emergency|emergencies|999|ambulance|first aid|operator)\b|"
    r"(?:teach|teaches|teaching|taught|talk|talks|talked|talking|told|tell|telling|showed|showing|learnt|learned|learning|discussed|discussing|covered) "
    r"(?:\w+ ){0,5}?(?:about |on )(?:emergencies|first aid|calling (?:an ambulance|999|the police)|ringing 999|dialling 999)"
    r"(?: and (?:\w+ ){0,3}?(?:an ambulance|999|the police|for help))?\b|"
    # someone else's wedding: the reception, the cake, a guest's hair or outfit for it
    r"wedding (?:reception|cake|photographer|favours|disco|guests?|buffet|venue|rehearsal)s?\b|"
    r"(?:wedding|marriage) of (?:her|his|their|a|my) (?:\w+ )?(?:cousin|aunty|auntie|aunt|uncle|sister|brother|friend|neighbour)s?\b|"
    r"(?:hair|haircut|nails|suit|dress|outfit|shoes|fringe)(?: \w+){0,5}? for the wedding\b|"
    # her own cutting as a baby or a girl, told as her history
    r"(?:was|were|been|got) (?:\w+ )?(?:cut|circumcised|done) as a (?:baby|child|girl|little girl|young girl|toddler)\b|"
    # a trip, a ride or a party a child may not go on or to: a rule, not a child who cannot go on living or is kept in
    r"(?:can not|cannot|could not|not allowed to|will not be able to) go on (?:the |a |her |his |their |this |that )?(?:\w+ )?(?:trip|visit|residential|holiday|"
    r"ride|rides|course|outing|coach|bus|train|computer|ipad|phone|tablet|xbox|field trip|camp|swings?|slide|bouncy castle)s?\b|"
    r"(?:does not|do not|will not|would not|did not) let (?:her|him|them|me) go (?:to|on) (?:the |a |her |his |their )?(?:\w+ )?(?:party|parties|disco|"
    r"sleepover|cinema|park|shops|trip|prom|concert|match|club|festival|fair|town)\b|"
    r"fire (?:service|brigade|officers?|fighters?|safety officers?) (?:\w+ ){0,3}?(?:teaching|teach|talk|talked|talking|visit|visited|visiting|showed|showing|assembly)\b"
    r"(?: (?!(?:but|now|and|\|)\b)\S+){0,8}|"
    # a photo of a child's medicine sent so staff give the right dose; laps a coach makes a child run
    r"(?:photo|picture|pic) of (?:her|his|the|their) (?:\w+ )?(?:pills|tablets|medicine|medication|prescription)(?: \S+){0,8}? (?:dose|dosage|inhaler|nurse|lunch)\b|"
    r"make (?:him|her|them) do (?:extra |more |another )?(?:laps|lengths|press ups|push ups|homework|lines|sit ups|drills|revision|chores)\b|"
    r"scared (?:she|he|they|i) (?:will|might|is going to) be late\b"))

# Round 25: stuck in a binge or a meeting; strangling or murdering whoever left the milk out; a person
# "on fire" (doing brilliantly) in any tense.
_IDIOMS = re.compile(_IDIOMS.pattern + "|" + (
    r"(?:trapped|stuck) in (?:a |an |the |this |another |back to back )?(?:\w+ ){0,2}?(?:binge|marathon|group chat|rabbit hole|meetings?|queue|"
    r"traffic|loop|box set|boxset|series|time warp|cycle)\b|"
    r"(?:strangle|murder|throttle|kill|swing for|batter) (?:whoever|whichever|the (?:next )?(?:person|people|one|idiot|numpty|muppet|joker|culprit)s? "
    r"(?:who|that)) (?:\w+ ){0,3}?(?:left|leaves|used|uses|took|takes|parked|parks|keeps|booked|books|ate|eats|drank|moved|forgot|nicked|stole|"
    r"finished|broke|borrowed|jammed|put|moves|touches|touched|steals|nicks|breaks|forgets|drinks|asks|sends|emails|schedules|changes|changed)\b|"
    r"(?:was|were|been|is|are|s|re) (?:absolutely |totally |so |really |just )?on fire (?:today |yesterday |tonight |this (?:morning|afternoon|week|term) |"
    r"last (?:night|week|term) )?(?=(?:\| )?(?:\S+ ){0,4}?(?:brilliant|amazing|great|fantastic|superb|excellent|loved|session|lesson|quiz|referrals)\b)|"
    # a child who cannot be got off a screen, not off a roof or a ledge
    r"(?:binge|marathon|box ?set|series|xbox|ipad|phone|tablet|screens?|console|playstation|fortnite|gaming|telly)(?: \S+){0,3}? (?:\| )?"
    r"can not get (?:him|her|them|the kids) off(?: it| them)?(?= *$| *\|)|"
    r"can not get (?:him|her|them|the kids) off (?:the |his |her |their )?(?:xbox|ipad|phone|tablet|screens?|console|playstation|fortnite|telly|laptop|computer)\b"))

_IDIOM_CUES = _Cues({"idiom": _top_level(_IDIOMS.pattern)})

# Explicit signs that it is in the past.
_PAST = re.compile(
    r"\b(?:disclosed (?:\w+ )?at (?:age )?\d{1,2}\b|(?:was|were) supported through (?:the )?(?:nrm|court|trial|criminal|police)|in (?:her |his |their |my )?(?:own )?childhood|(?:at )?(?:her|the) antenatal booking)\b|"
    r"^(?:what happened|outcome|background|history)\b|^(?:at|aged) (?:age )?\d{1,2} (?=(?:he|she|they|i) (?:was|were|had|got)\b)|\b(?:(?<!minutes )(?<!mins )(?<!min )(?<!minute )(?<!hour )(?<!hours )(?<!hr )(?<!hrs )(?<!secs )(?<!seconds )ago|last (?:week|month|year|term|season|academic year|summer|spring|autumn|winter|christmas|easter|weekend|half term|"
    # ("last year's fire": the apostrophe is gone by now)
    r"time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|previously|previous|"
    r"(?:was|were) admitted|(?:was|were) forced to marry|"
    r"in the past|used to|(?:was|were|been) (?:treated|checked over|assessed)|(?:went|was|were|had|took|got|ran|beat|hit|cut|left|\w+ed) (?:\w+ ){0,6}in year \d+(?= *$| *\|| (?:and|when|but|before|after|at|so))|"
    r"(?:took|had|was|were|got|did|tried|attempted|went|ran) (?:\w+ ){0,5}(?:at 1[3-7]|aged \d{1,2}|at (?:the )?age (?:of )?\d{1,2})\b(?! (?:oclock|tonight|today|this))|"
    r"before (?:she|he|they|i) (?:joined|came|moved|started|arrived)|"
    r"(?:at|in|from) (?:her|his|their|my|the) (?:old|previous|last|former) (?:school|placement|foster \w+|home|address|college|childrens home|children s home|nursery)|before (?:joining|coming to)(?! (?:the |this |her |his |my |our )?(?:session|meeting|lesson|appointment|group|club|office|clinic|class)\b)|hospitali[sz]ed|"
    r"when (?:he|she|they|i) (?:lived|was living|were living|stayed|was staying|was with|were with)|when (?:the|her|his|their|my|our) (?:kids|children|boys|girls|twins|baby|child|eldest|youngest) (?:was|were) (?:little|younger|small|babies|a baby|toddlers|tiny|at primary|\d+)\b|historic\w*|history of|years back|back in (?:(?:19|20)\d\d|the day|year \d+|primary|nursery|reception|the summer|the spring|january|february|march|april|june|july|august|september|october|november|december)|when (?:she|he|they|i) (?:was|were) "
    r"(?:little|younger|young|a teenager|a teen|a kid|a girl|a boy|small|a baby|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|at primary|in year \d+)|as (?:a child|children|a baby|a toddler|a boy|a girl|a teenager|a teen|a kid|a youngster)|"
    r"as (?:babies|toddlers|infants|little ones|young children|small children|a small child|a young child|a little (?:boy|girl|one))|last (?:january|february|march|april|may|june|july|august|september|october|november|december)|a while (?:back|ago)|ages ago|some time (?:back|ago)|"
    r"at the time|at birth|in (?:19|20)\d\d|(?<!sats are )(?<!sats )(?<!sats is )in the (?:1\d00s|\d0s|(?:19|20)\d0s)|in (?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)|earlier this (?:year|term|month)|"
    r"before they separated|before (?:he|she) (?:left|moved)|after the (?:fire|incident|attack)(?! drill| alarm| evacuation| evac)|"
    r"(?:was|were) (?:reported|referred|dealt with|sorted)|"
    r"(?:is|was|were) now \d+|criminal record|convictions?|before (?:the |her |his |their )?(?:kids|children|child|baby|babies|twins|she|he|they|\w+) (?:was|were) born|(?:was|were|got) (?:hit|knocked|run over|bitten|burnt|burned|scalded|injured|hurt|hospitalised) (?:\w+ ){0,5}in (?:reception|nursery|year (?:\d+|one|two|three))(?= *$| *\|| (?:and|when|but|so))|offences|previous for|(?:was|were|got|been) (?:permanently |fixed term )?excluded|"
    r"(?:tried|attempted) to (?:\w+ ){1,4}(?:at|aged|when (?:she|he|they) (?:was|were)) \d{1,2}\b|"
    # round 15: a parent or carer telling of their own childhood ("mum says she was kidnapped by her dad at 6")
    r"(?:mum|dad|mother|father|carer|parent|grandma|grandad|nan|stepdad|stepmum) (?:said|says|told (?:us|me|them)|disclosed|shared) "
    r"(?:that )?(?:she|he) was \w+ (?:\w+ ){0,6}(?:at|aged) \d{1,2}\b(?! (?:oclock|tonight|today|this|pm|am))|"
    # round 12: an event followed up, or dated by a season or a baby's age ("the overdose from the spring")
    r"follow(?:ed|ing)? up on|from (?:the )?(?:spring|summer|autumn|winter|half term|new year|christmas|easter)(?: holidays| break)?\b(?! (?:camp|club|fair|scheme|school|term|show|party|trip|fete))|"
    r"at (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen) (?:weeks|months|days)(?: old)?\b|"
    r"(?:was|were|got|been) (?:arrested|charged|cautioned|sentenced|convicted|prosecuted)|record for|known to(?! be\b)|"
    # a concern dated by its year, episodes counted ("twice over the summer"), "that time", "when he went missing"
    r"from (?:19|20)\d\d|back in (?:the )?(?:spring|summer|autumn|winter|new year|\w+ term)|"
    # ("counted 14 three times": a head count checked again, not episodes over time)
    r"(?:twice|(?:three|four|five|several|a few|a couple of|\d+) times)(?<!\d twice)(?<!\d three times)(?<!\d four times)(?<!them twice)(?<!them three times) (?:over|in|during|last|before|at)\b|"
    r"(?<!by )(?<!at )(?<!this )(?<!same )that (?:one )?time|the (?:one )?time (?:when|that|he|she|they|i|we)\b|"
    r"when (?:he|she|they) (?:went(?! *$| *\|| with| off with| in the| in *$| in *\|)|ran|took|tried|cut|overdosed|first|did)\b|now aged|(?:tried|attempted) to (?:\w+ ){0,5}in year \d+|went to prison|in prison|convicted|(?:two|three|four|five|six|several|"
    r"\d+) (?:years|months|weeks) ago)\b"
)
_PAST_TIME = re.compile(
    r"\b(?:when younger|as a (?:child|kid|youngster)(?= *\||.*\bnow as an adult\b)|now as an adult|in (?:19|20)\d\d|(?:in )?(?:year \d+|reception|nursery) \| (?:19|20)\d\d(?= *\|| *$)|(?:\d+|two|three|four|five|six|several|a few|many) (?:years|months|weeks|summers|winters) ago|"
    r"last (?:year|month|term)|back in year \d+|(?:years|months|ages|many years|a few years|some years) back|in (?:primary|infants|juniors)(?: school)?(?= *$| *\|)|from (?:19|20)\d\d|(?<!be )(?<!come )(?<!coming )(?<!go )(?<!going )back in (?:the )?(?:spring|summer|autumn|winter|january|"
    r"february|march|april|june|july|august|september|october|november|december)|when (?:she|he|they) (?:was|were) (?:in year \d+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|little|younger|small|a baby))\b"
)
# Recent or a season: over, unless the child is still missing ("didn't come home last night") or the
# words speak of a journey or wedding ahead ("being married off in the summer").
_RECENT = re.compile(
    r"\b(?:over (?:the )?(?:half term|holidays?|summer|christmas|easter|break)|at the (?:start|beginning|end) of (?:the |last )?(?:term|half term|holidays|year)|at new year|on (?:boxing day|new years? day|new years? eve|christmas day|christmas eve|bonfire night|halloween)|during (?:the )?(?:holidays?|half term|"
    r"summer)|in the (?:holidays|summer|spring|autumn|winter|easter holidays|christmas holidays|summer holidays)|"
    r"yesterday|(?<!my )(?<!her )(?<!his )(?<!their )(?<!our )(?<!your )(?<!the )last night|over the weekend|this weekend just gone|the other day|earlier (?:today|this "
    r"week|on)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: night| morning| evening| afternoon)?"
    r"(?! (?:coming|next))|recently)\b"
)
# A season or a holiday dates a missing episode to the past ("went missing over the summer"); only
# last night or this morning can still be going on.
_SEASON = re.compile(r"\b(?:over|during|in|at) (?:the )?(?:\w+ )?(?:holidays?|half term|summer|christmas|easter|spring|autumn|"
                     r"winter|lockdown)\b(?! (?:coming|next|ahead))")
# "since last night" is how long a child has been missing, not a sign that it is over.
_SINCE = re.compile(r"\bsince (?:last \w+|yesterday|\w+day)\b")
# Signs that it ended: nobody is in danger now.
_RESOLVED = re.compile(
    r"\b(?:refugee status|(?:granted|got|have|has) (?:leave to remain|asylum)|fled (?:from )?(?:a |an |the )?(?:\w+ ){0,3}?(?:situation|marriage|country|war|regime|abroad)|stopped on (?:its|it s|it is|their) own|stopped after (?:about |around )?(?:a|one|two|\d+|a few|thirty|ninety) (?:minutes?|mins?|seconds|secs)|normal (?:one|seizure|episode) for (?:him|her|them)|back to (?:normal|her usual self|his usual self|baseline)|no (?:need for|need of) (?:an )?ambulance|no rescue (?:meds?|medication) (?:needed|given|required)|doing (?:well|ok|okay|better|fine)|(?:is|are|now|and) recovering\b(?! from (?:an? )?(?:overdose|od)\b)|recovering (?:well|at home|nicely)|reunited|safety plan (?:is |now )?in place|engag\w* (?:well )?with (?:camhs|services|the gp|support|counselling|her worker|his worker|early help)|kept in overnight|now (?:back )?home\b(?! alone| on (?:her|his) own)|(?:fmpo|fgmpo|forced marriage protection order|protection order|court order) (?:is |now )?in place|(?:closing|closed|close) (?:our |the |my |this )?(?:log|case|file|referral|episode)\b|(?:now |is |are )?in (?:long term|permanent) foster care|now in foster care|stable placement|thriving|spent (?:a|the|one|two|three|four|\w+) nights? in hospital|no harm(?: done| came to)?(?! (?:to|will|would|in))|no sign (?:of )?(?:any )?(?:injur\w*|harm|distress)|checked (?:over )?by (?:the )?(?:first aider|lifeguard|nurse|paramedics?|doctor|gp)|(?:lifeguard|first aider|nurse) checked|(?:(?:seizures|epilepsy|asthma|diabetes|fits) (?:is |are )?(?:well )?(?:controlled|managed)|(?:well )?controlled (?:by|with|on) (?:medication|tablets|meds|inhalers?))(?!.*\b(?:now|right now|at the moment|not stop|not stopping|having one|started|turning blue)\b)|(?:is|are|been|now) settled|settled (?:with|in|now)|nightmares|counselling|"
    r"(?:been|is|are) back (?:since|home|now|safe|at school)|"
    # round 15: came straight down, got straight out, came round straight away
    r"(?:came|come|climbed|got) (?:straight |right )(?:back )?(?:down|out|up|back)|"
    # round 20: "went under and came up laughing"
    r"(?:came|come|popped|bobbed) (?:straight |right )?(?:back )?up (?:fine|laughing|smiling|ok|okay|straight away|giggling|grinning|spluttering)|(?:came|climbed|got) down (?:straight away|when asked|at once)|"
    r"came (?:round|to) (?:straight away|quickly|after a (?:minute|few seconds|second))|sat up (?:after|straight away)|"
    # round 14: adopted or with guardians since; a fight dealt with by exclusions and a restorative meeting
    r"adopted since|since (?:being )?adopted|(?:now|been|was|were) adopted|adoptive (?:family|parents|mum|dad|home|placement)|"
    r"special guardians?|restorative (?:\w+ )?(?:held|done|completed|took place|had)|exclusions? (?:given|issued|applied|made)|"
    r"(?:finished|closed|completed) (?:their|the|its) (?:enquiries|investigation)|"
    # (not "taken out of hospital without anyone knowing": a child removed from care is not over)
    r"out of hospital(?! (?:\w+ ){0,3}(?:without|against))|(?<!without being )(?<!before being )(?<!before he was )(?<!before she was )(?<!not been )(?<!not )discharged(?! (?:\w+ ){0,4}(?:without|against))|home from hospital|(?:is|are|was|were) (?:fine|safe|ok|okay|alright|home safe|well) now|now (?:safe|fine|ok|okay)|"
    r"(?:picked up|found|collected|returned|brought back|brought home) by (?:the )?police|"
    r"no (?:repeats?|recurrence|further (?:incidents?|issues|concerns)) since|not (?:been )?repeated since|"
    r"(?:is|are) now (?:an? )?(?:adult|adults|grown up|grown woman|grown man)|all grown up|"
    r"(?<!not )(?<!no )(?<!never )(?:returned (?:safe|home|safely)|came back(?! (?:in|into|with|out|round|armed|carrying|holding|empty|without|to (?:get|find|finish))| (?:\w+ ){0,4}(?:with|armed|carrying|holding|waiting|shouting|looking for))|"
    r"(?<!will )(?<!to )(?<!would )(?<!going to )(?<!never )(?<!not )(?<!no )come back(?! (?:in|into|with|out|round|and|for)| (?:\w+ ){0,4}(?:with|armed|carrying|holding|waiting|shouting|looking for))|back home safe|"
    # "found with a belt round her neck" is how it was discovered, not that it is over
    r"(?<!bike )(?<!bikes )(?<!bicycle )(?<!scooter )(?<!phone )(?<!bag )(?<!coat )(?<!shoe )(?<!shoes )(?<!trainers )(?<!jacket )(?<!blazer )(?<!rucksack )(?<!backpack )(?:was|were|been) found(?! (?:with|hanging|unconscious|unresponsive|collapsed|not|in a|bleeding|on the|lying|slumped|in the (?:canal|river|water|pool|sea|lake|pond|bath|woods|snow)\b)| (?:\S+ ){0,5}and (?:is |are )?(?:not|unconscious|unresponsive|blue|bleeding)\b)|got out(?! (?:onto|on to|on|into|in to) )(?! without\b)(?! and (?:is|s|he is|she is|has|ran|run|runs|legged|bolted)\b)(?! (?:of )?(?:the )?(?:minibus|taxi|car|bus|van)\b)(?! (?:of |through |of the |through the |the )?(?:(?:back|front|side|garden|school|main|nursery|holiday|hotel|static) )?(?:nursery|school|playground|garden|gates?|unit|class|door|window|fence|house|flat|car|caravan|tent|chalet|apartment|hotel|room|cabin|lodge)\b)|recovered)|resuscitated|apologised|no (?:lasting |serious |major |real |obvious |visible |other )?(?:injur\w*|damage|marks)|as (?:the |it )?(?:label|box|packet|leaflet|instructions|pharmacist|doctor|gp|nurse|bottle) (?:says|said|recommends|recommended|told|advises|states)|(?<!like )(?<!like the )(?:the )?(?:packet|box|label|leaflet|bottle) says|(?<!do )(?<!please )not hurt|nobody (?:was )?hurt|no one (?:was )?hurt|"
    r"(?:is|was|were) (?:fine|ok|okay|unhurt|unharmed)\b(?! for now| at the moment| so far| for the moment| (?:this|earlier|yesterday|last|before|until|till|an hour|a minute|a few|at (?:breakfast|lunch|\d)|when)\b)|all (?:good|fine|ok|okay) now|as (?:labelled|prescribed|directed|advised on the (?:box|packet))|(?:was|were|has been|have been|is now|got) closed\b|"
    r"no further action|\bnfa\b|no (?:further|more|other|new) (?:incidents?|concerns?|issues|episodes|reports)\b|(?:is|are|been|now) stable|stable (?:on|since|now)|"
    r"(?:both|all|were|was|been) (?:\w+ )?(?:spoken to|sanctioned|separated)|first aid given|plasters? on|patched up|"
    r"found (?:\w+ ){0,5}(?:after|within) (?:\d+|ten|five|twenty|fifteen|a few|a couple of) (?:mins?|minutes|seconds)|(?:all |are |were |now )?friends again|made up (?:now|since|after)|sorted (?:it|things|everything)|(?:was|were|been|got) sorted|"
    r"(?:has|have|had) been (?:home|back) (?:and|since|safe|for|ever)|(?:is|are) under (?:the )?(?:camhs|crisis|gp|\w+ team)|"
    r"(?:came|come|got|turned up|was found|were found|came home|came back|reappeared|walked in) (?:\w+ ){0,2}(?:the )?(?:same|next|following) "
    r"(?:morning|day|night|evening|afternoon)|(?:it|that|this) (?:has|is) (?:passed|over)\b|(?:it|that|this) (?:has )?(?:passed|over) now\b|she is fine|he is fine|they are fine|much better|healing|healed|"
    r"(?:is|are) now (?:under|with (?:camhs|the gp|a counsellor|foster carers|her nan|his nan)|seeing|getting support|receiving|on medication|back at school)|"
    r"(?:agreed|authorised|approved) (?:the )?(?:absence|trip|holiday|leave)|(?<!not )will be back (?:on|in|for|by|at)|"
    r"back on the \d+|looking forward|(?:is|are) (?:back )?home (?:now|safe)|"
    r"returned (?:the )?(?:next|same|following) (?:morning|day|night|evening)|\brhi\b|return (?:home )?interview|"
    r"(?:located|found) safe|"
    # round 17: a poisoning with a full recovery and locks fitted; a plan or training had since
    r"(?:made a |a )?full recovery|fully recovered|(?:cabinet |cupboard |safety )?(?:locks|catches|safety catches|gates?) (?:\w+ )?(?:fitted|installed|put on)|"
    r"(?:has|have) had (?:\w+ ){0,5}(?:plan|plans|training|inhalers?|epipens?|medication|support) (?:\w+ ){0,3}since|"
    r"all safe|everyone (?:is )?safe|"
    # round 18: a summary that lists what was done and how it ended
    r"nothing (?:further )?since|no repeats?\b(?! of)|(?:case|referral|investigation|matter|file|enquiry) (?:\S+ ){0,3}(?:is|was|now|has been|got) closed|"
    r"(?:gave|given|issued) (?:him|her|them|dad|mum) (?:a )?(?:warning|caution)|(?:was|were|been|got|is|it) confiscated|(?<!and )(?<!has )(?<!have )(?<!had )(?<!dad )(?<!mum )confiscated\b(?! (?:her|his|their|the) (?:phones?|passports?))|(?:fmu|police|social care|the lado) (?:were |was )?involved|"
    r"(?:we|school|police|they) acted|(?:is|s|are|re) back (?:in|at) (?:school|college|class) and (?:safe|settled|fine|doing well)|"
    r"account (?:was |has been )?(?:taken down|removed|deleted)|(?:had|has|got|getting) support|"
    r"(?:is|are) (?:safe|settled) here|divorced|no concerns?|(?<!not )accounted for|(?:police|they|we|school) dealt with it|(?:has |have |had )?been dealt with|(?:parents?|mum|dad|carers?|family|school|staff|police|they|we) (?:are |is )?(?:aware and )?(?:dealing|dealt) with it|minor (?:bruis\w*|scratch\w*|cuts?|grazes?|injur\w*|marks?|swelling)|(?:cancelled|called off) the (?:trip|flights?|holiday|wedding|travel)|(?:is|are) (?:so |really |very )?excited|no travel|not travelling|no plans? to travel)\b"
)
# Said in jest by the one typing: never an alarm. Round 15: someone in the scene laughing, smiling or
# filming while a person is hurt is cruelty, not a joke, so those words are not here.
_JOKE = re.compile(r"\b(?:sibling (?:squabble|squabbling|argument|arguing|row|spat|banter|bickering)|(?:normal|typical|usual) (?:sibling |brother and sister |family )?(?:arguing|argument|squabbl\w*|bickering)|false alarm|(?<!not )(?<!no )joking|jokingly|joked|jokes|winked|tongue in cheek|in jest|jk|laughed it off|laughing it off|laughs it off|(?:was|is|it is|its|were|as) (?:(?!not |no |never |nt )\w+ ){0,2}(?:a )?joke\b(?! (?:any ?more|now))|just a joke|(?:obviously|clearly|only|just) (?:a )?(?:joke|joking|kidding|messing|banter)|lol|haha\w*|(?<!like )a toy|toy gun|"
                   r"water pistol|nerf gun|(?<!not )(?<!no )(?<!never )banter)\b")
# Now or about to happen: outweighs a past word elsewhere in the sentence.
_SOON = re.compile(
    r"\b(?:(?:has|have|had) just|(?:is|are) just (?=(?:driven|gone|left|taken|run|ran|walked|grabbed|snatched|pulled|dragged|locked|got|took|come|came|put)\b)|just now|after (?:school|tea|dinner|college|work)|when (?:he|she|they|dad|mum) "
    r"(?:gets?|comes?) (?:home|back)|home time|pick up time|later (?:today|tonight|on)|in (?:\d+|a few|ten|five|twenty|an?) "
    r"(?:mins?|minutes|hours?|hrs?)|now|right now|at the moment|as we speak|currently|tonight|today|this (?:morning|afternoon|evening|"
    r"week|weekend)|still|again|tomorrow|next (?:week|month|weekend|few days)|about to|(?<!was )(?<!were )going to|will|"
    r"planning|planned|booked|arranged|arranging|organised|(?<!safety )(?<!care )(?<!support )(?<!action )(?<!health )plans?|"
    r"on (?:his|her|their) way|"
    r"keeps|wants? to (?:meet|see|take|come|pick)|(?:is|are) (?:booked|arranged|planned|set|happening|going ahead)|"
    r"(?:\d+|two|three|four|a few|few|couple of) (?:days|weeks|nights) (?:away|time)|(?:at|for|after|before) eid|(?:her|his|their) turn|"
    r"(?:wedding|marriage|engagement|nikah|ceremony|flights?|trip|party) is\b|(?:is|are) (?:meeting|seeing) (?:him|her|them|up)|"
    r"(?:is|are|am) (?:being|taking|sending|flying|going|getting|coming))\b"
)
_STILL = re.compile(r"\b(?:right now|as we speak|still|again|tonight|at the moment)\b")
# round 18: "has been found as we speak", "in counselling right now and calm": the ending is what is now
_SELF_OBJECT = re.compile(r"\b(?:kill|hurt|harm|end) (?:him|her|them|my|your) ?sel(?:f|ves)\b|\bend (?:his|her|their) (?:own )?life\b")
_ENDED_NOW = re.compile(r"\b(?:found|found safe|safe|counselling|calm|settled|home|fine|okay|ok|stable|discharged|asleep) "
                        r"(?:right now|as we speak|at the moment|just now)\b")
# Plainly happening now: outweighs a question or a topic word ("what do i do he has a knife right now").
_URGENT = re.compile(r"\b(?:now|right now|as we speak|at the moment|tonight|this minute|quick|quickly|asap|"
                     r"urgent|urgently|help)\b")
# A topic rather than an event.
_TOPIC = re.compile(
    r"\b(?:audits?|risk assessments?|(?:conversation|chat|discussion|talk)s? (?:with (?:her|his|their|the|a) (?:counsellor|nurse|therapist|worker|key ?worker|social worker|tutor|gp|doctor|mentor)|about)|cpd|inset|recognising|recognizing|spotting the signs|articles? about|(?:the )?rise (?:in|of)|governors|governing body|risk period|guidance|first aid(?! (?:room|box|kit|bag|station|cupboard|area|hut|tent|post|point|bed))|refresher|tabletop|table top|exercise|role play|roleplay|simulation|drill|"
    # ("teach him a lesson he won't forget" is a threat, not a class)
    r"assembly|assemblies|training|(?<!learn a )(?<!learns a )(?<!him a )(?<!her a )(?<!them a )(?<!boy a )(?<!girl a )(?<!lad a )(?<!kid a )"
    r"lesson(?! (?:he|she|they) (?:will not|would not|will never|never|is not going to) forget)|lessons|pshe|rshe|workshop|workshops|session|sessions|course|"
    r"courses|poster|posters|(?<!danger )(?<!road )awareness(?! of danger)|policy|policies|procedure(?! done)|procedures|protocol|project|topics?|themes?(?! park| night| tune| song| tunes| songs)|"
    r"(?:is|are|was) about (?:a|an|the|how|what|someone|some)(?= \w+ (?:who|that|which|being|forced|called|from|in))|curriculum|citizenship|newsletter|film|movie|a play|the play(?! (?:specialist|therapist|worker|workers|leader|leaders|team|room|scheme|centre|center|assistant))|school play|(?<!on )(?<!at the )scene|rehears\w*|reading(?! room| corner| area| nook)|studying|learning about|novel|"
    r"book|(?<!his )(?<!her )(?<!their )(?<!my )(?<!your )(?<!snap )(?<!snapchat )(?<!insta )(?<!instagram )story|(?:in (?:a|the)|video|computer|online|playing|plays|play|played|xbox|playstation|ps4|ps5|console|fifa) games?|"
    r"on the (?:xbox|playstation|ps4|ps5|console)|fortnite|prevention|campaign|leaflets?|rules (?:on|about|for|around)|(?:info|information|advice|resources|materials|stats|figures) (?:on|about|around|for)|looking for (?:\w+ )?(?:leaflets?|stats|statistics|data|info|information|resources|materials|advice|figures|guidance)|(?:for|in) (?:a|our|the) (?:funding )?bid|flowchart|(?:does|do|will|would|should) (?:this|it|that|they|you|the \w+) cover|video about|documentary|talk about|"
    r"in the (?:photo|picture|photograph|video|drawing|painting|film)|(?:in|on) the (?:news|papers|paper|headlines)|annual reports?|(?:child |children |infant )?deaths (?:from|by|due to|through|involving)|survivors?|talk (?:from|by|on)|care plan|health ?care plan|plan says|protocol says|bullying week|awareness week|(?:safety|wellbeing|anti bullying|online safety|e safety|safeguarding|mental health|pshe|rshe) week|covers|covering|covered|practice review|serious case review|briefing|"
    r"(?:talk|talks|session|sessions|lesson|lessons|assembly|assemblies|evening|webinars?|training|workshops?|course|briefing|meetings?|huddles?|twilights?|agenda|"
    r"presentation|seminar|conference) (?:\w+ ){0,5}?(?:is |are |was |will be |s |it is |its )?"
    r"(?:all )?(?:about|on|covering|covers|looking at|includes|including)\b(?! (?:the |his |her |their |my |a )?(?:way|phone|floor|bed|road|bus|train|premises|site|"
    r"grounds|ward|roof|line|call|zoom|teams|\d+\w*|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|today|tomorrow|"
    r"tiktok|snapchat|snap|instagram|insta|youtube|facebook|whatsapp|discord|live|stream|camera|cctv|top of|edge|\w+ day)\b)|"
    r"(?:online safety|e safety|parents?|parent|information|awareness|staff|twilight|safeguarding) (?:evening|event|night|session|briefing|workshop)\b|what (?:\w+ ){0,2}(?:should|need to|to|can) (?:look|watch) (?:out )?for\b|(?:signs|things) to (?:look|watch) (?:out )?for\b|"
    r"presentation|speaker|webinars?|agenda(?: items?)?|minutes of|(?:evening|event|coffee morning|drop in|information night|open night) (?:\w+ ){0,4}(?:about|on)\b|input (?:on|from|about)|case study|module|e learning|elearning|quiz|statistics|research|"
    # an interest or a picture, not a thing in the hand
    r"obsessed with|fascinated (?:by|with)|interest(?:ed)? in|drawings?|(?:draws|drew|drawing|drawn) (?:\w+ )?pictures?|"
    r"drill music|lyrics|stories|homework|assignment|summary (?:of|on)|"
    r"(?:talk|talks|speak|speaks|teach|teaches|teaching|educate|educating|present|presenting) (?:to (?:\w+ ){1,3})?(?:about|on)\b|"
    r"(?:year \d+|class|school|nativity|christmas|end of year|summer|leavers) (?:\w+ )?(?:play|show|production|performance)\b|"
    # school work and data about a harm: a play, a text, a set piece, figures for a report
    r"drama|devis\w+|debat\w*|(?:debate|debating|club|society|the|a) motion\b|motion (?:is|was|for|that|this house)|this house (?:would|believes)|a piece (?:about|on)|poem|poetry|essay|script|showcase|production|coursework|macbeth|shakespeare|"
    r"(?:year \d+|gcse|a level|ks\d) (?:\w+ )?(?:english|drama|history|art|music|media|film|literature|theatre|dance|re|pshe)\b|"
    r"english (?:lesson|class|text|set|group|teacher|department|literature)|data|figures (?:on|about|for)|special category|"
    r"(?:for|in|of) (?:the|a|our|my) (?:\w+ ){0,2}report\b|handbook|wording|how (?:does|do|is|are) (?:the|a|an|our|this)\b)\b"
)
# A question about what to do, not a report of what is happening.
_QUESTION = re.compile(
    # (asked at the start of a clause: "the lady who does the girls" is no question)
    r"(?<!\w )is (?:\w+ ){1,8}(?:a police matter|a crime|a criminal offence|an offence|illegal|against the law|a civil matter|a family court matter)\b|"
    r"\b(?:qmark|(?<!\w )(?:where|how|when|who|which) (?:do|does|should|would|can|could|must) (?:i|we|you|they|staff|the|a|our|this)\b|"
    r"should (?:it|this|that) be|(?<!\w )should (?:we|staff|you|i|the school|schools|teachers|someone) (?:\w+ )?(?:ring|call|phone|dial|contact|report|refer|record|log)\b|"
    r"(?<!\w )(?:could|can|would|is|does|do|will|should|must) (?:\w+ ){1,3}ever\b|"
    r"(?:does|do|would|will) (?:that|this|it) (?:need|require|mean|have to|go|get)\b|"
    r"(?<!\w )(?:does|do|would|will|should|could|can|is) (?:a|an|the|this|that|it) (?:\w+ ){0,6}?(?:counts? as|need|needs|require|requires|warrant|mean)\b|what (?:would|makes|made) (?:it|this|that)|how do (?:i|we|you) know|how do (?:i|we|you)|what do (?:i|we|you) do|what should (?:i|we)|what counts|(?:would|does|do|should) (?:\w+ )?counts? as|what is (?:a|an|the)|"
    r"whats the|is it ok|is it okay|can i (?:share|talk|tell|refer|speak|record)|do i need|when should|"
    r"should i|asked (?:about|if|whether|for permission)|who do i|who should i|would (?:i|it|that|this|a|an)|could (?:i|there|it|this|that)|what does|whats(?! coming)|can we|is (?:\w+ ){1,3}a "
    r"safeguarding|does (?:it|that|this) count|what about|(?<!see )(?<!watch )what happens|how should|"
    # "could a child be trapped in a forced marriage at 18 and would...": a question of process
    r"(?<!\w )(?:could|can|would|should|does|do|will|is|are) (?:a|an|any) (?:\w+ ){0,2}(?:child|children|young person|young people|pupil|student|girl|boy|teenager|teen|person|baby|parent|family)\b (?:\w+ ){0,3}(?:be|get|still|count|have|need)\b|"
    r"(?:can|could) (?:you|someone|anyone|somebody) (?:point|send|direct|signpost|share|give|find) (?:me|us)|point (?:me|us) (?:at|to|towards)|"
    # round 23: "which agency leads on child abduction warning notices": who does what, not a child now
    r"(?<!\w )(?:who|which (?:agency|team|service|department|officer|person|professional|organisation|force|one)) (?:\w+ ){0,2}?"
    r"(?:leads?|is (?:the )?lead|deals?|handles?|is responsible|takes? the lead|issues?|coordinates?|co ordinates?|organises?|runs?|arranges?)"
    r"(?: (?:on|with|for))?\b)\b"
)
# A made-up case: "what if a child...", "suppose...", "in the event of...".
_IMAGINED = re.compile(
    r"^(?:so |ok |okay )?(?:say|lets say|let us say|say for (?:example|instance|argument\w*)|for (?:example|instance)) (?:a|an|one|someone|somebody|"
    r"a \w+|the|we|you|i|there|if|that|hypothetically)\b|\bwhat if\b|\bif (?:a|an|any|one|someone|somebody|there (?:is|was|were)|i|we|you|my|our|your)\b|"
    r"(?<!\w )should (?:a|an|any|one|someone|somebody|there be) \w+|\bsuppose\b|\bsupposing\b|\bhypothetical\w*|\bin case\b|\bin the event\b|\bscenario\b|\bimagine\b|\bworst case\b|\bin (?:a|the|any) (?:situation|case|scenario) (?:where|when|like)\b|"
    r"\bshould (?:she|he|they|you|i|we|it) (?:ever|need|want|wish)\b|\bif (?:she|he|they|it) ever\b|\bone day\b|\bin (?:the )?future\b|\bif nothing changes\b|\bwould (?:it|that|this) (?:be|count)\b|"
    # "assume there's a fight at the gate", "in theory could neglect be an emergency": a case made up to ask about
    r"(?:^|(?<=\| ))(?:so |ok |okay |and |but )?(?:assume|assuming|presume|presuming|pretend|pretending|picture this|lets assume|let us assume)\b(?! (?:the worst|nothing)\b)|"
    # ("in theory he is in his room but he's gone" is a doubt about now, not a made-up case)
    r"\b(?:in theory|theoretically|in principle|hypothetically|generally speaking|as a general rule|in general)\b"
    r"(?= (?:(?:\w+ ){0,2}(?:could|can|would|should|does|do|will|what|when|if|is it|is that|are)\b))"
)
_IF = re.compile(r"\b(?:if|unless|when a)\b")
_CONDITION = re.compile(r"\b(?:if|unless) (?:she|he|they|you|i|we|mum|dad) (?:goes|go|sees|see|comes|come|leaves|leave|tells|tell|"
                        r"reports|report|turns up|turn up|shows up|show up|does|do|is|are|gets|get|speaks|speak|talks|talk)\b[^|]*")
# The words of a threshold or a concern in general, not of a child's situation now.
_THRESHOLD = re.compile(r"\b(?:(?:at|of|more|further|increased?|increasing|significant) risk|risk (?:of|to|from)|vulnerable to|"
                        r"concerns? (?:about|around|of)|in (?:the )?future|ever)\b")
# Uncertain or a threshold judgement ("at risk of fgm"): no more than possible, even for a strong cue.
_MODAL = re.compile(r"\b(?:might|may|could|possibly|potentially|perhaps|maybe|worried|worry|afraid|risk of|"
                    r"(?:feels?|felt|feeling) like|sometimes|often|usually|occasionally|tends to)\b")
# A judgement that there is no danger, however far before the words it governs: "nothing suggests
# the children are in danger".
_DOUBT = re.compile(
    r"\b(?:nothing (?:to )?(?:suggests?|indicates?)|no (?:evidence|signs?|indication|suggestion|reason to (?:think|believe|"
    r"suspect))(?: of| that)?|(?:do|does|did) not (?:believe|think|appear|seem)|(?:nobody|no one) (?:thinks|believes))\b")
_NEGATORS = re.compile(
    r"\b(?:not|no|never|nobody|none|without|denies|denied|deny|nor|neither|nothing)\b|no one\b"
)
# "will not stop hitting her", "can not get out": a negative that makes it worse, not better.
_NEGATIVE_DANGER = re.compile(
    r"\b(?:not|never|no) (?:see(?: the| any)?(?: point)?|want to (?:live|be alive|be here|wake up)|feel safe|coping)\b|"
    # round 15: "no road sense", "no danger awareness": a child who cannot keep safe near a road
    r"\bno (?:\w+ )?(?:road sense|danger awareness|danger sense|sense of danger|awareness of danger|understanding of danger)\b|"
    r"\b(?:not|never) (?:stop\w*|let\w*|leave|leaving|put \w+ down|come down|coming down|wake|waking|get out|"
    r"allowed out|answering|answer|safe|responding)\b|no (?:food|water|way out|heating|adult|one (?:is )?"
    r"(?:there|home|with (?:him|her|them))|lifeguard|staff|teacher|one (?:here|around|near))\b|"
    r"\b(?:not|no|never) (?:come|came|coming|comes) (?:back|home)\b|\bno find\b|\b(?:can|could|does|do|did) not (?:find|reach|consent|understand|"
    r"get (?:back )?in|swim|say no)\b|\bnot working\b|"
    # "i am not joking", "this is not a drill": said to be taken seriously
    r"\b(?:not|no) (?:joking|kidding|messing|a joke|a drill|joke|drill)\b|\b(?:no one|nobody) (?:will|can|is going to|could)\b(?: (?:stop|help|find|save)\b|$)"
)


# "dad with no PR has snatched the baby": a right or permission someone lacks, not a negated event.
# Taking a child without it is what makes it an abduction.
_LACKS = re.compile(
    r"\b(?:with|has|have|had|having|hold|holds|there is|is|got) (?:no|not got|not any) (?:\w+ )?(?:pr|parental responsibility|"
    r"contact|rights?|permission|consent|legal \w+|court order|order|authority|access|say|warning|reason)\b|"
    r"\bwithout (?:any |a )?(?:pr|parental responsibility|permission|consent|asking|warning|telling (?:anyone|anybody|us|staff)|"
    r"a word|authority|reason|(?:anyone|anybody|staff|the \w+|us) (?:knowing|noticing|seeing|agreeing))\b|\bno (?:pr|parental responsibility)\b|\bwith no \w+")


class _Sentence:
    """One sentence and what its context words say, each worked out once, when first asked."""

    __slots__ = ("text", "_cache", "_idioms")

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[str, object] = {}
        self._idioms: list[tuple[int, int]] | None = None

    def has(self, name: str, phrases: "_Cues") -> bool:
        """True when one of the phrases occurs anywhere in the sentence."""
        return self.first(name, phrases) <= len(self.text)

    def first(self, name: str, phrases: "_Cues") -> int:
        """Where the phrases first occur in the sentence (past the end when they do not)."""
        at = self._cache.get(name)
        if at is None:
            at = self._cache[name] = phrases.first(self.text)
        return int(at)  # type: ignore[call-overload]

    def idiom(self, m: re.Match) -> bool:
        """True when the cue sits inside a harmless idiom ("killing it", "his coat has gone missing")."""
        if self._idioms is None:
            self._idioms = [(i.start(), i.end()) for i, _ in _IDIOM_CUES.find(self.text)]
        return any(start <= m.end() and m.start() <= end for start, end in self._idioms)

    def topic(self, clause: str) -> bool:
        """True when the cue's clause, or the sentence's opening one, names a topic (training, an
        assembly) rather than an event: "touches him after training, training is tonight" is an event."""
        first = self.text.split(" | ", 1)[0]
        for text in (first, clause):
            if _TOPIC_CUES.first(text) > len(text):
                continue
            # "after training", "from a game": where or when it happens, not what is talked about.
            if any(not _AT_PLACE.search(text[:t.start()]) for t in _TOPIC.finditer(text)):
                return True
        return False

    def past(self, category: str, at: int = -1) -> bool:
        """True when the sentence says it happened in the past, or that it is over."""
        # "the boy who was excluded is back at the gate": the past of who someone is, not of the event,
        # unless the cue itself sits in that clause ("the lad who was stabbed last year").
        if at >= 0 and (" who " in self.text or " that " in self.text):
            for rel in _RELATIVE.finditer(self.text):
                if not rel.start() <= at < rel.end():
                    text = self.text[:rel.start()] + self.text[rel.end():]
                    text = _SINCE.sub(" ", text) if "since" in text else text
                    if _PAST_CUES.first(text) <= len(text):
                        break
                    return category not in _STILL_HAPPENING and self._recent()
        if at >= 0 and _BACKGROUND.search(self.text):
            # "has taken the kids without permission | he has a history of violence": who he is, not when
            # it happened; his past makes the taking more dangerous, not over.
            text = self.text
            for bg in reversed(list(_BACKGROUND.finditer(self.text))):
                # the record's own words ("a knife conviction", "history of violence") stay dated
                if not bg.start() - 15 <= at <= _BG_OBJECT.match(self.text, bg.end()).end():
                    text = text[:bg.start()] + text[bg.end():]
            text = _SINCE.sub(" ", text) if "since" in text else text
            if _PAST_CUES.first(text) <= len(text):
                return True
            return category not in _STILL_HAPPENING and self._recent()
        hit = self._cache.get("past")
        if hit is None:
            text = _SINCE.sub(" ", self.text) if "since" in self.text else self.text
            hit = self._cache["past"] = _PAST_CUES.first(text) <= len(text)
        # A child who went missing last night is still missing: only other events are over.
        if not hit and category == "missing_abduction":
            hit = self._cache.get("season")
            if hit is None:
                hit = self._cache["season"] = _SEASON.search(self.text) is not None
        return bool(hit) or category not in _STILL_HAPPENING and self._recent()

    def past_time(self, at: int) -> bool:
        """True when the sentence names a past date ("in 2023", "last year") outside someone's background."""
        text = self.text
        if " who " in text or " that " in text:
            # round 20: "her uncle who abused her last year has just driven off with her": the date is his past
            for rel in reversed(list(_RELATIVE.finditer(text))):
                if not rel.start() <= at < rel.end():
                    text = text[:rel.start()] + text[rel.end():]
        if _BACKGROUND.search(text):
            for bg in reversed(list(_BACKGROUND.finditer(text))):
                if not bg.start() - 15 <= at <= _BG_OBJECT.match(text, bg.end()).end():
                    text = text[:bg.start()] + text[bg.end():]
        return _PAST_TIME.search(text) is not None

    def _recent(self) -> bool:
        """True when the sentence names a recent time ("yesterday"), not counting how long ("since yesterday")."""
        hit = self._cache.get("recent_not_since")
        if hit is None:
            text = _SINCE.sub(" ", self.text) if "since" in self.text else self.text
            # "if she goes to college on monday": the day of a condition still to come, not of the event
            text = _CONDITION.sub(" ", text) if "if " in text or "unless " in text else text
            hit = self._cache["recent_not_since"] = _RECENT_CUES.first(text) <= len(text)
        return bool(hit)


# Who someone is (their record), not when the event happened.
_BACKGROUND = re.compile(r"\b(?:history of|criminal record|record for|known to (?:police|the police|social care|(?:childrens )?services|us|(?:the )?mash|(?:the )?yot|(?:the )?(?:exploitation|cse|cce|missing) (?:team|panel|hub))|"
                         r"convictions?|convicted|previous for|previous convictions|went to prison|been in prison|been inside|"
                         r"served time|on licence|on bail|"
                         # a sister married off or cut before: what the family does, which makes this trip more dangerous
                         r"(?:older |big |elder |eldest |oldest |younger )?(?:sisters?|brothers?|cousins?|siblings?) (?:\w+ ){0,2}"
                         r"(?:was|were|got|had been|has been|have been|had) (?:\w+ )?(?:married|made to marry|forced to marry|"
                         r"forced into (?:a )?marriage|engaged|cut|circumcised|sent|left|taken)\b[^|]*)\b")
_BG_OBJECT = re.compile(r"(?: (?!and\b|but\b|who\b|is\b|are\b|has\b|was\b|left\b|walked\b|went\b|ran\b|slipped\b|snuck\b|sneaked\b|absconded\b|\|)\S+){0,3}")
# A relative clause on what someone was or did ("who was excluded", "that got arrested"), ending
# where the sentence's own verb begins.
_RELATIVE = re.compile(r" (?:who|that) (?:was|were|had|got|has been|have been|used to be|abused|beat|hit|hurt|attacked|assaulted|raped|stabbed|"
                       r"threatened|battered|strangled|broke|burned|burnt|injured|touched) (?:\w+ ){0,4}?\w+"
                       r"(?= (?:is|are|has|have|keeps|says|said|just|now|still|came|comes|turned up|showed up|walked|arrived|is back)\b)")
_AT_PLACE = re.compile(r"\b(?:after|before|during|from|at|out of|leaving|left|(?:left|leaving|set off|went|gone|going|heading|"
                       r"walked|dropped (?:\w+ )?off|coming|came|come|arrived|arriving|on (?:the|his|her|their) way) (?:for|to)|"
                       r"on (?:the way|her way|his way) (?:to|from)|(?:he|she|they) (?:has|have|is|are)(?: got)?(?: (?:at|off to|going to))?|"
                       # where an adult was met ("a man he met on fortnite"): a place, not the topic of the message
                       r"(?:met|meet|meets|meeting|talking to|talks to|talked to|chatting to|chatting with|chats to|chatted to|"
                       r"messaging|messaged|plays with|playing with|played with|added|groomed|contacted|found) (?:\w+ ){0,3}?(?:on|from|via|through|over)|"
                       # where advice was given ("a spoon in her knickers like we told them in assembly")
                       r"(?:like|as) (?:(?:we|you|they|i|staff|teachers?|school|the school) (?:\w+ ){1,3}?(?:in|at|during|on|from))?) "
                       r"(?:the |a |an |his |her |their |my |our )?$|"
                       # "walking into traffic after this lesson": when it will happen, not what is taught
                       r"\b(?:after|before|until|till|straight after|right after) (?:this|that|the next|next) $")
# Round 21: "he's been stabbed before, which is why...": a harm done before, given as the reason for
# something now (not "been hit before and he's back now": there "and" goes on to what is happening).
# Read only of the cue it holds: "he's been trafficked before" does not date "is not on site" beside it.
_BEEN_BEFORE = re.compile(r"\bbeen (?:\w+ ){1,3}?before(?= *$| *\|| (?:which|so|that|this|it|but|when|by|as|too|though|twice)\b)")
# The sentence-wide context phrases, indexed like the cues (a long note is read in one pass each).
_STILL_HAPPENING = frozenset({"missing_abduction", "forced_marriage_abroad"})
_PAST_CUES, _RECENT_CUES, _RESOLVED_CUES, _JOKE_CUES, _TOPIC_CUES, _IF_CUES = (
    _Cues({"": [regex.pattern]}) for regex in (_PAST, _RECENT, _RESOLVED, _JOKE, _TOPIC, _IF))
# Round 20: read word by word, the same first match in less time than one search over the sentence
# (measured on the corpus: 4.9 against 6.3 and 5.0 against 10.2 microseconds a message).
_QUESTION_CUES, _IMAGINED_CUES = (_Cues({"": [regex.pattern]}, by_words=True) for regex in (_QUESTION, _IMAGINED))


def _clause_at(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The clause holding a match (without the match), and the words of that clause before it."""
    left = sentence.rfind("|", 0, start) + 1
    right = sentence.find("|", end)
    right = right if right >= 0 else len(sentence)
    return sentence[left:start] + " " + sentence[end:right], sentence[left:start]


# "and" followed by a new subject starts another statement with its own tense: "she had a seizure
# last term and mum now has a care plan" is over, whatever "now" says of the care plan.
_NEW_SUBJECT = re.compile(
    # round 18: "a drowning years back so we run sessions now": what was done since is a new statement
    r" so (?=(?:we|staff|school|the school) (?:now )?(?:run|teach|do|have|keep|check|hold|walk|make|train)\b)|"
    r" and (?=now |since |has since |is now |are now |is under |are under |has been |have been |is back |are back )| and (?:then )?(?:now )?(?=(?:he|she|they|we|i|you|it|mum|dad|mother|father|nan|parents?|staff|police|school|"
    r"(?:his|her|their|the|my|our) \w+) )")


_IF_AFTER = re.compile(r" (?:\w+ ){0,2}(?:if|in case|should) (?:a|an|the|she|he|they|it|there|any|you|we|i|staff|someone|somebody)\b")


def _conjunct(clause: str, at: int) -> str:
    """The part of a clause, between "and"s that start a new statement, that holds position at."""
    start, end = 0, len(clause)
    for m in _NEW_SUBJECT.finditer(clause):
        if m.start() < at:
            start = m.end()
        else:
            end = m.start()
            break
    return clause[start:end]


_TOPIC_OF = re.compile(r"\b(?:policy|policies|training|course|cpd|inset|webinar|workshop|talk|assembly|article|leaflets?|stats|statistics|"
                       r"figures|summary|guidance|info|information|rules|procedure|drama|play|scene|novel|film|book|report|awareness|"
                       r"update|sheet|poster|lesson|week|evening|session|video|pack|guide|flowchart|handbook|lead)s? (?:\w+ ){0,3}?(?:on|about|of|"
                       r"re|regarding|for|is about|where)\b|\b(?:covers?|covering|covered|includes?|including) (?:\w+ ){0,4}$")
_TOPIC_AFTER = re.compile(r"\w* (?:\w+ )?(?:policy|policies|procedures?|training|audit|risk assessments?|stats|statistics|figures|"
                          r"awareness|leaflets?|module|course|act|legislation)\b")
# (the desk work of a practitioner, "reviewing", "writing", "updating", is not something happening to a child)
_GOING_ON = re.compile(r"\b(?:is|are|am|s|keeps|has just|have just|just) (?!about\b)(?:\w+ )?(?!(?:writing|reviewing|updating|reading|"
                       r"looking|planning|doing|preparing|drafting|putting|running|delivering|organising|working|revising|"
                       r"checking|rewriting)\b)\w+ing\b")
# "he's just driven off with her": what has just happened, however far back the sentence reaches
_JUST_DONE = re.compile(r"\b(?:is|are|has|have|s) just $")
# "stepdad has taken the girl in his car": a taking that has just happened, whatever past another statement names
_TAKEN_NOW = re.compile(r"(?:^|\| )(?:\w+ ){0,3}?(?:has|have|s) (?:just |now )?$")
_TAKING = re.compile(r"(?:taken|got|picked|driven|gone|grabbed|snatched|put|pulled|dragged|bundled|lured)\b")
_IF_BEFORE = re.compile(r"\b(?:if|unless|when|once) (?:\w+ ){0,5}$")
# Round 15: laughter read as jest only where words were said ("he said he'd kill his brother, both
# laughing"); laughing or filming while someone is hurt, raped or pushed in the water is no joke.
_LAUGH = re.compile(r"\b(?:laughing|laughs|laughed|smiling|grinning|giggling)\b")
_SAID = re.compile(r"\b(?:said|says|saying|say|told|tells|telling|shouted|shouting|joked|texted|messaged)\b")


# A jest that is someone else's ("his mates think it's a joke", "shut him in the freezer as a joke",
# "making jokes while they kick him"): a prank done to a person, which does not make their harm a joke.
_OTHERS_JEST = re.compile(r"\b(?:think|thinks|thought|reckon|reckons|making|make|makes|as a|for a|treating it as|treat it as|"
                          r"(?:they|he|she|the boys|the lads|his mates|her mates|them) (?:say|says|saying))(?: \w+){0,2} *$")


def _others_jest(text: str) -> bool:
    """True when every jest word in the sentence is what others think or do, not the speaker's own."""
    return all(j.group(0).startswith("as ") or _OTHERS_JEST.search(text, 0, j.start()) for j in _JOKE.finditer(text))


# The one threatening is at the door or keeps on: laughing while doing so is menace, not jest.
_THREAT_NOW = re.compile(r"\b(?:outside|at the (?:door|window|gate|school)|on (?:his|her|the) way|keeps (?:smiling|laughing|grinning))\b")


def _said_in_jest(sent: _Sentence, category: str) -> bool:
    """True when a threat or a thing said is said laughing, so the laughter is the speaker's own jest."""
    text = sent.text
    if not ("laugh" in text or "smil" in text or "grin" in text or "giggl" in text):
        return False  # (most sentences: a cheap look before the regex)
    if not _LAUGH.search(text) or not (category == "threat" or _SAID.search(text)):
        return False
    # "outside laughing, shouting he'll stab her when she comes out": a threat made now is no jest
    return not _URGENT.search(sent.text) and not _THREAT_NOW.search(sent.text)
_HEAD_DOWN = re.compile(r"\b(?:head|face) ")
# Round 16: a time close at hand, or a child described in a state now: a lesson, video or session named
# beside it is where or how it is happening, not a topic being talked about.
_WHEN = re.compile(r"\b(?:now|right now|today|tonight|tomorrow|day after tomorrow|(?:at )?home time|after school|this (?:morning|afternoon|evening|weekend)|"
                   r"at \d{1,2}(?: ?(?:am|pm|oclock|30|15|45))?|on the \d{1,2}(?:st|nd|rd|th)?|in (?:an|one|two|three|\d+) (?:hours?|minutes|mins|days)|"
                   r"(?:leaving|flying|fly|leave|flight) (?:on|at|tomorrow|tonight|this|in|friday|saturday|sunday|monday|tuesday|wednesday|thursday))\b")
_SCENE_NOW = re.compile(r"\b(?:a|the|one|this|that|some|his|her|our) (?:\w+ ){0,2}(?:child|kid|boy|girl|pupil|baby|toddler|lad|year \d+|student) "
                        r"(?:is|are) (?:at|under|in|on|face|not|still|stuck|lying|floating|being)\b|"
                        # round 22: where a child should be right now ("and she should be in lesson") is no lesson topic
                        r"\b(?:she|he|they) (?:is |are |s )?(?:should|meant to|supposed to) be in (?:\w+ )?(?:lessons?|class)\b|"
                        # round 22: gone from a session on or by the water ("vanished from canoeing") is a child's state now
                        r"\b(?:child|kid|boy|girl|pupil|lad|year \d+|cub|scout|student|one)s? (?:from (?:the )?(?:\w+ ){0,3})?(?:is|are|has|have) "
                        r"(?:just )?(?:vanished|disappeared|gone missing|missing|gone|not come back|not back)\b"
                        r"(?=.*\b(?:life ?jackets?|buoyancy|canoe\w*|kayak\w*|sail\w*|paddleboard\w*|swim\w*|river|lake|canal|beach|lido|pool|sea|water|shore|bank|jetty|tide)\b)")
# Round 23: a search going on now, an adult filming or touching children, a hand inside a child's clothes:
# the lesson, drill or play area named is where it happens, not what is talked about. (Read only when one of
# its words is there: most sentences have none.)
_SCENE_NOW_23 = re.compile(r"\b(?:(?:every|all|each) (?:the )?(?:\w+ )?(?:rooms?|classrooms?|toilets?|areas?|cupboards?) (?:\w+ )?(?:checked|searched)|"
                        r"(?:rooms?|classrooms?|toilets?|cupboards?|building|site|grounds|field|playground|hall)(?: and \w+)? (?:all |both |have been |been |were |are )?(?:checked|searched)|"
                        r"(?:searching|looking|hunting|combing) (?:now|everywhere|for (?:him|her|them) now)|(?:all|staff|we are|were|everyone|leaders) (?:are )?(?:all )?out (?:searching|looking))\b|"
                        r"\b(?:man|men|bloke|adult|male|stranger|someone|somebody|guy) (?:is |are )?(?:filming|recording|touching|photographing|groping) "
                        r"(?:the |some |little )?(?:children|kids|girls|boys|little ones|toddlers|pupils)\b|"
                        r"\b(?:his|her|their) (?:hands?|fingers) (?:is |are )?(?:down|inside|up|under|in) (?:her|his|their|the \w+s|a \w+s) (?:\w+ )?"
                        r"(?:nappy|knickers|pants|underwear|trousers|shorts|skirt|dress|top|pyjamas?|leggings|vest|nightie|bottoms|tights|swimsuit|costume|clothes)\b")
# "didn't see anyone being hit": a witness saying it did not happen
_NOT_SEEN = re.compile(r"\b(?:did not|never|could not) (?:see|hear|witness|notice) (?:anyone|anybody|any one|someone|any child|any kids)? *$")
# An adult's own wedding ("she's 28 and very happy"): not a child married off, unless a child's age is said too
_ADULT_AGE = re.compile(r"\b(?:she|he|they) (?:is|are) (?:now )?(?:1[89]|[2-9]\d)\b(?! (?:weeks|months|days|minutes|mins|hours))")
_GLAD = re.compile(r"\b(?:happy|delighted|excited|love match|(?:her|his|their) (?:own )?choice|thrilled|invited)\b")
# Round 20: a wedding that is a relative's ("sounded like a cousin's", "her aunty's engagement party"), with no
# journey named: worth the line, not the card.
_KIN = r"(?:cousin|aunty|auntie|aunt|uncle|brother|sister|family friend|neighbour|nan|gran|grandad|grandma)s"
_THEIR_WEDDING = re.compile(r"\b" + _KIN + r" (?:wedding|engagement|nikah|mehndi|party|do)\b|"
                            r"\b(?:like|was|is|it is|its|for|at) (?:her |his |their |a |an |my )?(?:older |big |eldest |elder |\w+ )?" + _KIN
                            + r"\b(?! (?:are|were|have|had|say|said|will|want|wants)\b)|"
                            r"(?:^|\| )(?:her|his|their|a|an|my) (?:older |big |eldest |elder )?" + _KIN + r"(?= *$| *\|)")
_WEDDING = re.compile(r"\b(?:wedding|engagement|engaged|nikah|mehndi)\b")
# Round 21: a relative who got married, the child a guest ("her cousin got married abroad and she went"),
# unless the sentence also says the child is to be married or is made to go
_KIN_MARRIED = re.compile(r"\b(?:her|his|their|my|a) (?:older |big |eldest |elder )?(?:cousin|aunty|auntie|aunt|uncle|brother|sister|family friend|"
                          r"neighbour|nan|gran|grandad|grandma)s? (?:\w+ )?(?:got|was|were|has got|have got) (?:just )?married\b(?! off)"
                          r"(?!.*\b(?:forced|made to|no choice|does not want|passport|not coming back|not back|her own|his own|(?:her|his|their) turn|next|(?:she|he|they) (?:is|are|will be|s) "
                          r"(?:being |getting |to be )?(?:married|wed|engaged|promised))\b)")
_AWAY = re.compile(_expand(r"\b(?:{COUNTRY}|airport|flights?|flying|fly|plane|passport|out of the country|not coming back|"
                           r"her own|his own|to (?:her|him)|married off|forced|made to|promised|no choice|does not want|cut|cutting|fgm|circumcis\w*)\b"))
_MINOR_AGE = re.compile(r"\b(?:is|aged|age|only|just|turned|of) (?:only |just )?(?:[1-9]|1[0-7])\b|\b(?:[1-9]|1[0-7]) (?:year|years) old\b|\byear \d+\b")
# A note kept for history ("no current concern, recording for history only"): a 999 card would be wrong,
# the one-line reminder stays.
_HISTORY = re.compile(r"\b(?:for (?:the )?(?:record|history|file)|recording for (?:the )?(?:history|record)|for history only|"
                      r"historical (?:disclosure|concern|record|note)|no current (?:concerns?|risk|worries))\b")


_PRONOUN = re.compile(r"\b(?:him|her|them|he|she|they|his|their|year \d+|\d+ year old|\d+ years old)\b")


def _scene_now(text: str) -> bool:
    """True when the sentence says what is happening to a child, or where, right now."""
    return _SCENE_NOW.search(text) is not None or (
        ("check" in text or "search" in text or "look" in text or "hunt" in text or "comb" in text or "film" in text
         or "record" in text or "touch" in text or "photo" in text or "grop" in text or "hand" in text or "finger" in text)
        and _SCENE_NOW_23.search(text) is not None)


def _happening(text: str, cue: str = "") -> bool:
    """True when the sentence says a child's state now, or a close time for harm done to someone (a
    topic word then names the setting): "a drill video says he's getting wet this weekend"."""
    return _scene_now(text) or (_PRONOUN.search(cue) is not None and _WHEN.search(text) is not None)


def _level(sent: _Sentence, m: re.Match, strong: bool, category: str = "") -> str:
    """The tier of one cue in its sentence: a strong cue is clear unless its context says otherwise."""
    clause, before = _clause_at(sent.text, m.start(), m.end())
    before_words = " ".join(before.rsplit(" and ", 1)[-1].split()[-4:])
    if (_NEGATORS.search(_NEGATIVE_DANGER.sub(" ", _LACKS.sub(" ", before_words))) or _DOUBT.search(before)
            or _NOT_SEEN.search(before)
            or (sent.has("joke", _JOKE_CUES) and (_JOKE_CUES.first(clause) <= len(clause) or not _URGENT.search(clause))
                and (category == "threat" or not _others_jest(sent.text))
                or _said_in_jest(sent, category))
            # laughing while hurting a child is cruelty, not a joke
            and not (category == "violence" and not _JOKE.search(_LAUGH.sub(" ", sent.text))
                     and (_HEAD_DOWN.search(m.group(0)) or _URGENT.search(sent.text) or _STILL.search(sent.text)))
            # a child hurting herself now, laughing or smiling as she does it, is not joking
            and not (category in ("violence", "suicide_self_harm") and _SELF_NOW.search(sent.text))):
        # (a joke told in another clause does not cancel "he has a knife in his bag right now")
        return NONE
    if "before" in sent.text and not _URGENT.search(clause) and any(
            b.start() <= m.start() < b.end() for b in _BEEN_BEFORE.finditer(sent.text)):
        return NONE  # "she's been missing before, so we're careful at home time": the harm is the reason, not the news
    if category == "weapon" and _NEGATORS.search(_NEGATIVE_DANGER.sub(" ", m.group(0))):
        return NONE  # "he has not got a knife"
    if category == "threat" and _NEVER_WOULD.search(m.group(0)):
        return NONE  # "says she would never hurt him" (but "he won't live to see the morning" is a threat)
    still = _STILL.search(_ENDED_NOW.sub(" ", clause)) is not None
    if category == "missing_abduction" and _FOUND.search(sent.text) and not still:
        return NONE  # "the missing boy turned up safe": found, so no longer missing
    agreed = category == "missing_abduction" and _AGREED.search(sent.text) is not None
    if not category and _NOT_OPINION.search(before):
        return NONE  # "i wouldn't say it's an emergency": a judgement that there is no alarm
    # (a cheap look for a negative before the regex: most cues have none before them)
    denied = ("not " in before or "never " in before or "no" in before) and _NOT_SAID.search(before) is not None
    if denied and _MISHEARD.search(sent.text):
        return NONE  # "never said she wanted to hurt herself, the teacher misheard": a report put right
    # "going to shoot up the school on monday": the cue's own words can say it is still to come.
    soon = (_SOON.search(_conjunct(clause, len(before))) is not None or _SOON.search(m.group(0)) is not None
            or before.endswith(" just ") and _JUST_DONE.search(before) is not None
            # "stepdad has taken the girl in his car and she came back bruised last time": the past is another statement's
            or category == "missing_abduction" and _TAKEN_NOW.search(before) is not None and _TAKING.match(m.group(0)) is not None
            and _PAST_CUES.first(conj := _conjunct(clause, len(before))) > len(conj))
    imagined = sent.first("imagined", _IMAGINED_CUES) < m.start()
    # "if she leaves he'll kill her", "if i see you again ill slit your throat": a threat to kill or maim
    # with its condition first is as grave as one without (the condition is in the hands of the child).
    held = category in ("threat", "weapon") and _conditional_threat(sent, m)
    if imagined and not soon and not held:
        return NONE
    if (not soon and sent.past(category, m.start()) and not _moved_on(sent.text, m.start())
            and not (category == "trapped" and _held_away(sent.text))
            # "married off over the holidays and can't leave": the marriage is past, being held there is now
            and not (category == "forced_marriage_abroad" and _HELD_THERE.search(sent.text))
            # "saying he was grandad, and grandad died years ago": the past dates the death that gives the lie away
            and not (category == "missing_abduction" and m.group(0).endswith(" died")
                     and _PAST_CUES.first(sent.text[:m.end()]) > m.end())):
        if (category == "medical" and _SWALLOWED.search(m.group(0)) and _AFTER_EFFECTS.search(sent.text, m.end())
                and not _PAST_TIME.search(sent.text) and not _PAST.search(sent.text)):
            return POSSIBLE  # tablets taken last night and sick or drowsy now: an overdose harms a day later
        return NONE
    if (sent.past_time(m.start()) and not _URGENT.search(clause) and not _moved_on(sent.text, m.start())
            and not (category == "forced_marriage_abroad" and _HELD_THERE.search(sent.text))
            and not (category == "missing_abduction" and m.group(0).endswith(" died")
                     and _PAST_TIME.search(sent.text, 0, m.end()) is None)):
        return NONE  # "he got stabbed in 2023 and still has nightmares"
    # An ending told in another clause ("mum's given consent for counselling") does not end what this
    # clause says is happening now or next ("he's going to take his life on the way home").
    if (sent.has("resolved", _RESOLVED_CUES) and not still and not _STILL.search(m.group(0))
            # "she'll kill herself the moment she's discharged": the discharge is when it will happen
            and not (soon and _ON_RELEASE.search(sent.text))
            and not (soon and _RESOLVED_CUES.first(conj := _conjunct(clause, len(before))) > len(conj))
            # "threatened to drown the twins, he's home now": the one who threatened is home, nothing is over
            # "he'll be back at 3 to sort the teacher out and kill her": a promised return is part of the threat
            # ("threatening to kill himself, in counselling now and calm" is about himself: that ending holds)
            and not (category == "threat" and not _SELF_OBJECT.search(sent.text) and all("home" in r.group(0) or "counselling" in r.group(0) or "will be back" in r.group(0)
                                                  # "if the police come back he'll finish them": a condition, not a return
                                                  or _IF_BEFORE.search(sent.text, 0, r.start())
                                                  for r in _RESOLVED.finditer(sent.text)))
            # "came back off his face, pupils pinned": what is seen of the child now is not over
            and not _NOT_OVER.search(m.group(0))
            # "came back from a night out, snoring and we can't wake him": what is seen now is not over
            and not (category == "medical" and _SIGNS_NOW.search(sent.text))
            and _ended(sent.text, _conjunct(clause, len(before)))):
        return NONE  # it is over ("she is safe now", "discharged"), unless something goes on still
    level = CLEAR if strong else POSSIBLE
    urgent = _URGENT.search(clause) is not None
    unreal = not urgent and (imagined or (sent.topic(clause) and not _happening(sent.text, m.group(0))) or sent.has("question", _QUESTION_CUES)
                             # "call 999 if a seizure lasts five minutes": an instruction, not an alarm
                             or not category and _IF_AFTER.match(sent.text, m.end()) is not None)
    if held and level == CLEAR and not sent.topic(clause) and not _MODAL.search(before_words):
        return CLEAR
    if (not category and not urgent and sent.has("question", _QUESTION_CUES)
            and _IF_AFTER.match(sent.text, m.end()) is not None):
        # "should we ring 999 if we only suspect...": a question of policy; any harm it names is read on its own
        return NONE
    if unreal or _MODAL.search(before_words) or sent.first("if", _IF_CUES) < m.start():
        # "if she leaves he will kill her", "if she goes home tonight she will take the pills", "possibly
        # with an adult male": a real condition or a doubt about a real child is still worth the line.
        # Not a threshold judgement ("at risk of harm") nor a future imagined anywhere in the sentence.
        kept = held or not unreal and (category == "threat" or not (
            _THRESHOLD.search(clause) or sent.has("imagined", _IMAGINED_CUES) or sent.has("topic_any", _TOPIC_CUES) and not _happening(sent.text, m.group(0))))
        level = POSSIBLE if level == CLEAR or kept else NONE
        if (level == POSSIBLE and not held and category and not urgent and not _GOING_ON.search(sent.text)
                and (_TOPIC_OF.search(" ".join(before.split()[-6:])) or _TOPIC_AFTER.match(sent.text, m.end()))):
            # "a talk on sextortion", "the policy on forced marriage", "missing children policy": the harm
            # is what a talk or a document is about, and nothing is said to be happening to anyone
            level = NONE
    if level == CLEAR and category == "violence" and _PLAY.search(sent.text) and not _NOT_PLAY.search(sent.text):
        level = POSSIBLE  # "hitting his brother with a pillow, they are playing": a game, still worth the line
    if level == CLEAR and category == "weapon" and _PRETEND.search(sent.text) and not _NOT_PLAY.search(sent.text):
        level = POSSIBLE  # "role playing a sword fight in the home corner": pretend, still worth the line
    if level != NONE and category == "weapon" and not urgent and _COOKING.search(sent.text):
        # "a dab hand with a bread knife in food tech": a knife in a cooking lesson, unless turned on someone
        return POSSIBLE if _TURNED_ON.search(sent.text) else NONE
    if (level == CLEAR and category == "forced_marriage_abroad" and _WEDDING.search(m.group(0))
            and _THEIR_WEDDING.search(sent.text) and not _AWAY.search(sent.text)
            or level == CLEAR and category == "forced_marriage_abroad" and _KIN_MARRIED.search(sent.text)):
        level = POSSIBLE  # "an engagement party in the summer, sounded like a cousin's": someone else's wedding
    if category == "forced_marriage_abroad" and _ADULT_AGE.search(sent.text) and not _MINOR_AGE.search(sent.text):
        # an adult's own wedding, glad of it, is no alarm; otherwise still worth the line
        if _GLAD.search(sent.text):
            return NONE
        level = POSSIBLE if level == CLEAR else level
    if level == CLEAR and not urgent and _HABITUAL.search(clause):
        level = POSSIBLE  # "left alone a lot": neglect over time is for the DSL, not a 999 call now
    if level == CLEAR and agreed and not _URGENT.search(sent.text):
        level = POSSIBLE  # "dad drove off with the kids for his weekend contact as agreed"
    if level == CLEAR and not urgent and denied:
        level = POSSIBLE  # "he never said he would stab anyone": a denial of words, worth the line, not the card
    if level == CLEAR and not category and _HOW_TO.search(before):
        # "when to call 999" is how a policy is written; "not sure whether to call 999" may still be
        # someone in the middle of it, so the one-line reminder stays.
        level = POSSIBLE
    return level


# Signs seen now, and a car with older men: never ended by "came back" or "discharged" said beside them.
_NOT_OVER = re.compile(r"only (?:one|two|three|four|\d+|some|half|a few) |one short|two short|one down|account for|accounted for|unaccounted|nowhere to be|pinned|pupils|(?:slow|shallow|hardly|barely) breathing|breathing (?:\w+ )?(?:slow|shallow)|lips|gouch|against (?:medical|doctors?|clinical|hospital) advice|car with|taxi with")
_SIGNS_NOW = re.compile(r"\b(?:can not|could not|will not|unable to) (?:wake|rouse)\b|snoring|gurgl\w*|lips (?:\w+ )?(?:blue|bluish|grey|purple)")
# Leaving hospital or custody as the moment something will be done, not as a sign it is over.
_ON_RELEASE = re.compile(r"\b(?:the (?:moment|minute|second|day|instant)|as soon as|soon as|once|when|whenever) (?:she|he|they|i|we) "
                         r"(?:is|are|am|gets?|s) (?:discharged|released|let out|out of (?:hospital|here|the ward|custody|the unit)|home from (?:hospital|the ward))\b")
# Round 17: an ending counts only when it is about the danger itself and in the past. Words that put
# the danger now or at a set moment to come ("just now", "live", "about to", "the second") outweigh it.
_NOW_TIED = re.compile(r"\b(?:just now|right now|as we speak|about to|live (?:on|stream\w*|video)|(?:is|are|was|were|went|going|gone) live|"
                       r"on (?:a|an|her|his|their) (?:\w+ )?live|streaming|the (?:second|minute|moment|instant) (?:she|he|they|it)|as soon as)\b")
# ...and an ending named as where the speaker is ("a girl in counselling") or as a later event the harm
# waits on ("the second he's discharged", "when she gets home from hospital").
_ENDING_AS_PLACE = re.compile(r"\b(?:in|at|from|after|during|outside|into|to|of|leaving|left) (?:the |a |an |her |his |their |my |our )?(?:\w+ )?$")
_PLACE_ENDINGS = frozenset({"counselling", "rhi", "return interview", "return home interview", "nightmares"})
_ENDING_LATER = re.compile(r"\b(?:the (?:moment|minute|second|day|instant)|as soon as|soon as|once|when|whenever|until|till|before) (?:\w+ ){0,3}$")
# "found safe just now", "discharged right now": the ending itself is what is happening now
_NOW_AFTER = re.compile(r"(?: (?!\|)\w+){0,2}? (?:just now|right now|as we speak|now)\b")
# "police rang just now": when the news came, not when the danger is
_REPORTED_NOW = re.compile(r"\b(?:(?:just now|right now) (?:\w+ )?(?:heard|rang|called|phoned|told|texted|emailed|messaged|confirmed|informed|let)|"
                           r"(?:heard|rang|called|phoned|told|texted|emailed|messaged|confirmed|informed)(?: \w+)? (?:just now|right now))\b")


def _ended(text: str, conj: str) -> bool:
    """True when an ending the sentence reads ("discharged", "found", "counselling") is about the danger
    being over, not the setting, a moment still to come, or beside words that say the danger is now."""
    now = _NOW_TIED.search(_REPORTED_NOW.sub(" ", conj)) is not None
    for r in _RESOLVED.finditer(text):
        head = text[max(0, r.start() - 40):r.start()]
        if _ENDING_LATER.search(head):
            continue
        # the setting of the danger itself ("a girl in counselling said..."); said in another clause
        # ("but he's in counselling now") it is the support in place
        if r.group(0) in _PLACE_ENDINGS and r.group(0) in conj and _ENDING_AS_PLACE.search(head):
            continue
        if _NOW_AFTER.match(text, r.end()):
            return True
        if now:
            continue
        return True
    return False


# Cooking: a knife in a food lesson or in the kitchen being used on food.
_COOKING = re.compile(r"\b(?:food tech\w*|cookery|cooking|baking|home ec\w*|(?:chopping|slicing|dicing|peeling|cutting up) (?:\w+ ){0,2}"
                      r"(?:onions?|veg\w*|carrots?|tomatoes|bread|fruit|apples?|potatoes|the cake|cake|meat|chicken|herbs)|"
                      r"(?:bread|vegetable|veg|chefs?|chef s|paring|butter|cake|carving) knife\b(?: \S+){0,6}? (?:in|at|for|during) (?:the )?(?:kitchen|lesson|class))\b")
_TURNED_ON = re.compile(r"\b(?:threat\w*|wav\w*|point\w*|stab\w*|slash\w*|chas\w*|attack\w*|hurt\w*|swung|swing\w*|lunge\w*|"
                        r"held (?:it )?(?:to|at|against)|holding (?:it )?(?:to|at|against)|cut (?:him|her|them|me|his|her)|at (?:his|her|their) (?:throat|neck|face))")
# Children at play: a pillow, a foam sword, a wet towel (round 15: not laughter or 'for a laugh', which
# the ones hurting someone can share).
_PLAY = re.compile(r"\b(?:(?:they|we|he|she|the (?:boys|girls|kids|children|twins)) (?:are|is|were|was) (?:just |only )?(?:playing|messing|"
                   r"mucking|having fun)|for fun|game of (?:tag|tig|it|chase|pirates|cops and robbers|stuck in the mud)|playground game|pillow fight|play fight\w*|playfight\w*|pillows?|foam|"
                   r"nerf|water pistol|wet towels?|inflatable|balloons?|play(?:ing)? (?:pirates|fighting|wrestling|tig|tag|a game)|acting out|role play\w*|home corner|superhero\w*|pretend\w*)\b")
# Make-believe in the early years: a pretend sword, a superhero fight in the home corner.
_PRETEND = re.compile(r"\b(?:acting out|role play\w*|home corner|superhero\w*|pretend\w*|dressing up|dress up|foam|nerf|toy|cardboard)\b")
# A game that is not one: "it's not banter", "he's crying".
_NOT_PLAY = re.compile(r"\b(?:not (?:banter|a game|playing|messing|a joke|for fun|funny)|crying|screaming|sobbing|begging|pinned)\b")
# Arrested or in custody: the adult is held, so the young child left behind is alone still.
_ARRESTED = re.compile(r"\b(?:arrested|custody|detained|detainee|in a cell|remanded|sectioned)\b")


def _held_away(text: str) -> bool:
    """True when the only past in the sentence is an adult's arrest, which leaves a child alone now."""
    pasts = [p.group(0) for p in _PAST.finditer(text)]
    return bool(pasts) and all(_ARRESTED.search(p) for p in pasts) and not _PAST_TIME.search(_ARRESTED.sub(" ", text))


# Something swallowed, and how a child is after it (an overdose harms hours after it was taken).
_SWALLOWED = re.compile(r"\b(?:took|taken|swallowed|necked|ate|eaten|had|drank|drunk)\b|overdos")
_AFTER_EFFECTS = re.compile(r"\b(?:feels?|feeling|is|is being|keeps being|has been|keeps) (?:\w+ )?(?:sick|being sick|vomiting|"
                            r"throwing up|drowsy|sleepy|dizzy|confused|yellow|unwell|poorly|not right|tummy ache|stomach ache|"
                            r"in pain|shaking|out of it)\b|\b(?:vomiting|throwing up|being sick)\b")
# A threat to kill or maim said as a promise ("he'll", "going to"), with a condition before it.
_GRAVE_THREAT = re.compile(
    r"\b(?:will|going to|gonna)(?: \w+){0,3} (?:kill|murder|slit|stab|shoot|knife|shank|strangle|drown|torch|set fire|burn|"
    r"break (?:his|her|their|your|ur) (?:legs?|arms?|neck|jaw)|throw (?:\w+ )?(?:acid|bleach)|chuck (?:\w+ )?(?:acid|bleach)|"
    r"(?:scar|disfigure|slash|cut up) (?:his|her|their|your|ur) face|"
    # round 14: "end the lot of them", "finish every last one of us": a threat to a whole household
    r"(?:end|finish|sort|do)(?: out| in)? (?:the (?:whole )?lot of|all of|every last one of|every one of|each one of|them all|"
    r"us all|the whole family)|"
    # round 16: "I'll put him through the window"
    r"(?:put|throw|chuck|smash|launch) (?:him|her|them|you|the \w+|that \w+) (?:through|out of|down) (?:a |the )?(?:window|wall|stairs))")
# A made-up condition, not one a real family lives under ("if a parent ever threatened...").
_MADE_UP = re.compile(r"\b(?:what if|suppose|supposing|hypothetical\w*|ever|in case|scenario|imagine|if (?:a|an|any|someone|somebody|one)|"
                      r"one day|some day|someday|in (?:the )?future|(?:is|would|does) (?:that|this|it) (?:a|an|count|be|mean))\b")


def _conditional_threat(sent: _Sentence, m: re.Match) -> bool:
    """True when a grave threat follows a real condition ("if she goes to college he'll throw acid")."""
    if sent.first("if", _IF_CUES) > len(sent.text) or _MADE_UP.search(sent.text) or sent.has("question", _QUESTION_CUES):
        return False
    window = sent.text[max(0, m.start() - 40):m.end() + 40]
    return _GRAVE_THREAT.search(window) is not None


# Round 20: a child driven off or collected as agreed ("for his weekend contact as agreed"): worth the line only.
_AGREED = re.compile(r"\b(?:as (?:agreed|arranged|planned|usual|normal|per (?:the )?(?:plan|order|arrangement))|"
                     r"for (?:his|her|their|the) (?:\w+ )?contact|(?:usual|normal|agreed|planned|weekend|supervised) (?:\w+ )?contact)\b")
# Round 21: a young person held abroad now ("can't leave", "won't let her come home", her passport taken).
_HELD_THERE = re.compile(r"\b(?:can not|could not|is not allowed to|not allowed to|are not letting (?:her|him|them)|will not let (?:her|him|them)|"
                         r"not letting (?:her|him|them)) (?:leave|come (?:back|home)|get (?:back|home|out)|go (?:back|home)|return)\b|"
                         r"\b(?:stuck|trapped|held|kept) (?:over |out )?(?:there|abroad)\b|\b(?:have|has|they) (?:taken|took|kept|hidden|hid|got) (?:her|his|their) passports?\b|"
                         r"\b(?:they|family|parents|husband|in laws) (?:have|has|keep|are keeping|still have) (?:got )?(?:her|his|their) passports?\b|"
                         r"\b(?:locked|locking|lock|keeping|kept) (?:me|her|him|them) (?:in|inside|indoors|up)\b|\bnot allowed (?:out|to go out)\b|"
                         + _expand(r"\b(?:stuck|trapped|held|kept) (?:in|at) {COUNTRY}\b"))
# A missing child found: ends a missing episode only ("got home safe but he is outside with a knife" is not over).
_FOUND = re.compile(r"(?<!not )(?<!never )(?<!yet )\b(?:turned up|home|back|back in|in|returned|arrived|reappeared|walked in) "
                    r"(?:safe|safely|fine|ok|okay|unharmed|unhurt|safe and well|safe and sound)\b")
# Round 20: a denial at the head of the clause governs what it says was said ("never said she wanted to
# hurt herself, the teacher misheard"); with a correction beside it nothing was said at all.
# ("never told anyone he wanted to die" says he did: only a denial of the words themselves, and only of a wish,
# a plan or a past act, never of something going on: "didn't say her stepdad is hurting her")
_NOT_SAID = re.compile(r"\b(?:never|not|nobody|no one) (?:ever |actually |once |really )?(?:said|say|says|claimed|claim|suggested|suggest|"
                       r"implied|imply|alleged|allege|threatened)\b(?= (?:\w+ ){0,6}?(?:wanted|wants|want|would|was going|were going|will|had|"
                       r"planned|tried|was|were)\b)(?: \w+){0,8} *$")
_MISHEARD = re.compile(r"\b(?:misheard|mis heard|misunderstood|misunderstanding|misread|misinterpreted|mixed up|got (?:it|that|this) wrong|"
                       r"wrong end of the stick|heard wrong|heard it wrong|made a mistake|was mistaken|were mistaken|crossed wires|"
                       r"(?:he|she|they) said (?:a|an) \w+(?: not)?)\b")
# A judgement that it is not an emergency, or a rule about when to ring ("when to call 999").
_NOT_OPINION = re.compile(r"\b(?:not|never) (?:really |honestly |personally )?(?:say|think|believe|feel|see|consider|reckon|describe|"
                          r"call|class|count|treat|regard)\b(?: \w+){0,6} *$")
_HOW_TO = re.compile(r"\b(?:when|whether|how|why|at what point) (?:to|(?:we|you|staff|they|i|teachers|someone) (?:should|would|can|must|"
                     r"need to|ought to|have to))(?: (?:ring|call|dial|phone|use))? *$")
# Something that keeps happening over weeks, not something happening now.
_HABITUAL = re.compile(r"\b(?:a lot|lots|often|regularly|frequently|all the time|most (?:days|nights|evenings|weekends)|"
                       r"every (?:day|night|evening|weekend)|at weekends|usually|many times|a few times|on a regular basis|at a time|"
                       r"going on (?:all|for)|for (?:weeks|months|years)|all (?:term|year)|again and again|repeatedly|routinely|"
                       r"times a (?:week|month))\b")


_NEVER_WOULD = re.compile(r"\b(?:would|will|could|is|was) (?:not|never) (?:ever )?(?:hurt|harm|hit|touch|kill|lay a finger)")
_NOW = re.compile(r"\b(?:now|right now|today|tonight|at the moment|as we speak|this (?:morning|afternoon|evening))\b")


def _moved_on(text: str, at: int) -> bool:
    """True when the sentence turns from the past to now before the cue: "the risk was low at the
    time but now he is at the gates with a knife" speaks of now."""
    ends = [p.end() for regex in (_PAST, _PAST_TIME, _RECENT) for p in regex.finditer(text, 0, at)]
    if not ends or any(regex.search(text, at) for regex in (_PAST, _PAST_TIME)):
        return False
    return _NOW.search(text, max(ends), at) is not None


_TWO_NUMBERS = re.compile(r"\d\D+\d")  # a head count needs two numbers
_FILLER = frozenset({"now", "please", "pls", "quick", "quickly", "asap", "right", "urgent", "urgently", "a", "an"})


# Round 20: a head count one to three short of the number there should be ("register says 28, we've got
# 27"): a young child unaccounted for now, said without "missing". Not when the gap is explained.
_COUNT = re.compile(_expand(
    r"\b(?:register|list|head ?count|count|numbers?|sheet|should (?:be|have)|supposed to (?:be|have)|meant to (?:be|have)|"
    r"set (?:off|out) with|started (?:\w+ ){0,2}?with|left with|came with|brought|there were|there should be|we had|i had) "
    r"(?:\w+ ){0,2}?(\d{1,3})\b{HEADS}(?: (?!\d)\S+){0,9}? (?:(?:we|i) (?:only |now |still )?(?:have got|have|got|count|counted|can (?:only )?(?:see|find|count))|"
    r"got|counted|count|can only (?:see|find|count)|only|there are|there is|now|are|is) (?:got |only )?(\d{1,3})\b{HEADS}"))
_COUNT_NOT = re.compile(_expand(r"\b(?:counted|count|head ?count|we have|i have|only|there are|(?:i|we) can (?:only )?see)(?: \S+){0,4}? "
                                r"(\d{1,3}) (?:not|instead of) (\d{1,3})\b{HEADS}"))
# ...and the other way round: "we've got 11 and there should be 12"
_COUNT_BACK = re.compile(_expand(r"\b(?:(?:we|i) (?:only )?(?:have got|have|got|count|counted|can (?:only )?(?:see|find))|counted) (\d{1,3})\b{HEADS}(?: \S+){0,6}? "
                                 r"(?:there should be|should be|supposed to be|meant to be|(?:register|list|sheet|head ?count) (?:says|has|shows))(?: \w+)? (\d{1,3})\b{HEADS}"))
_COUNT_EXPLAINED = re.compile(r"\b(?:(?:the other|the missing|the last) (?:one|two|three|child|kid|pupil|boy|girl)s? (?:is|are|s|was|were)|"
                              r"(?:one|two|three) (?:of them )?(?:is|are|s|was|went|has gone|had gone) (?:in|at|with|off|on|to|home|back)|because|cos|"
                              r"in (?:each|every)|each|per|test|quiz|score|scored|marks|points|spelling|answers|questions|as (?:one|two|he|she|they)|since|due to|off sick|absent|signed out|went home|gone home|"
                              r"collected|picked up|accounted for|appointment|dentist|not in today|off today|poorly|ill|all here|all back|"
                              r"all present|all safe|all good|all fine)\b")


def _count_short(text: str) -> re.Match | None:
    """The words of a head count that comes up one to three short, with no reason given, or None."""
    for m in (*_COUNT.finditer(text), *_COUNT_NOT.finditer(text), *_COUNT_BACK.finditer(text)):
        should, have = (int(m.group(1)), int(m.group(2))) if m.re is _COUNT else (int(m.group(2)), int(m.group(1)))
        if 0 < should - have <= 3 and not _COUNT_EXPLAINED.search(text):
            return m
    return None


def _bare(sentences: list[str]) -> str:
    """The alarm a message is nothing but ("999!!", "emergency please"), or ""."""
    if sum(map(len, sentences)) > 200:
        return ""  # (no bare alarm is this long: a cheap way past the word list for every note)
    words = [w for w in " ".join(sentences).replace("|", " ").split() if w not in _FILLER]
    joined = " ".join(words)
    return joined if joined in _ALARMS or (words != ["help"] and set(words) <= {"999", "help", "sos"} and bool(words)) else ""


def is_bare_alarm(text: str) -> bool:
    """True when the whole message is an alarm ("999", "emergency"): there is nothing else to keep."""
    return bool(_bare(normalise(text[:200])))


# A run-off already over: brought back or found within minutes.
_FOUND = re.compile(_FOUND.pattern + r"|\b(?:was|were|got|been) (?:brought|taken|returned) back (?:by|within|after|in)\b|"
                    r"\b(?:mum|dad|staff|we|security|police|they|i) found (?:him|her|them) (?:straight away|within|after|quickly|in \d+)\b|"
    r"\b(?:is|s|are) back in (?:lesson|class|the classroom|school)\b")
# Round 24: five dangers told in words the cue rules read only as "possible", each read as a whole so
# that a past clause beside it ("her sister was done last year") does not hide what is still to come.
# A child about to be taken abroad for marriage or cutting: a trip with a near day, and a marriage, a
# cutting or the child's fear of not coming back (never an FGM lesson, a haircut, a relative's wedding).
_R24_TRAVEL = re.compile(_expand(
    r"\b(?:planes?|flights?|fly|flying|flies|tickets?|holidays?|passports?|airport|trip|abroad|taking (?:her|him|them|me)|"
    r"taken (?:to|back|abroad|home)|take (?:her|him|them|me) (?:to|back|home|abroad)|sent (?:back|abroad|home|to)|"
    r"send (?:her|him|them|me) (?:back|abroad|home|to)|going back|back home|go home to|leave for|leaving for|flying in|"
    r"coming (?:over|round|to stay)|the lady is coming|pack for|leave on|leaving on|out there|over there|{COUNTRY})\b"))
_R24_DAY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)")
_R24_NEAR = re.compile(
    r"\b(?:tomorrow|tonight|today|this (?:week|weekend|summer|month|half term|" + _R24_DAY + r")|next (?:week|month|weekend|few days|"
    + _R24_DAY + r")|" + _R24_DAY + r"|at the weekend|over (?:christmas|easter|the summer|the holidays|half term|eid)|"
    r"(?:at|in|during) (?:the )?(?:half term|summer holidays|school holidays|holidays|easter holidays)|"
    r"in (?:\d+|two|three|a few|a couple of) (?:days|weeks)|(?:\d+|two|three|a few) (?:days|weeks) time|in the morning|"
    r"(?:is|are|been|s) (?:all )?booked)\b")
_R24_MARRY = re.compile(
    r"\b(?:get married|getting married|to marry|marry|marrying|married (?:off|to)|be married|being married|arranged marriage|"
    r"(?:her|his|my) (?:own )?(?:wedding|nikah|marriage|engagement)|nikah|(?:be|get|getting|being) engaged|engaged to|"
    r"(?:meet|meeting|see|marry) (?:her|his|my) (?:future )?(?:husband|wife|fiance|fiancee|groom)|wedding (?:is )?(?:already )?(?:planned|arranged)|"
    r"(?:they|family|parents|dad|mum) (?:have |has )?arranged (?:it|(?:her|his) (?:marriage|wedding))|for the wedding|planning (?:her|his) wedding|"
    r"promised to|wedding (?:dress|outfit|clothes|jewellery)|found (?:her|him) a (?:husband|wife))\b")
_R24_CUT = re.compile(
    r"\b(?:(?:to )?be cut|being cut|get cut|getting cut|(?:she|her|they|girls?|sisters?) (?:is |are |will )?(?:going to |to )?(?:be|get|getting|being) done|"
    r"do the cutting|the cutting|cutting (?:her|them|girls)|for cutting|to cut (?:her|them|both|the girls)|circumcis\w+|(?:special |the )ceremony|"
    r"sunna|sunnah|khatna|khitan|tahara|made clean|make (?:her|them) clean|become a (?:proper |real )?woman|(?:her|the) cut|fgm|(?:it is|now) (?:her|their) turn)\b")
_R24_FEAR = re.compile(
    r"\b(?:never (?:be )?coming back|not coming back|never come (?:back|home)|(?:will not|never|not) be (?:allowed|let|able to come) (?:back|home)|"
    r"what (?:happens|will happen|would happen) if (?:i|she|he|we) (?:do not|does not|refuse|refuses to|will not) (?:get|go)|if (?:i|she|he) (?:get|gets|go|goes) on (?:that|the) "
    r"(?:plane|flight)|(?:will not|never) see (?:us|you|me|her friends) again|if they make (?:her|me) (?:get|go) on)\b")
_R24_NOT_FM = re.compile(
    r"\b(?:training|lessons?|assembly|awareness|session|pshe|rshe|course|policy|guidance|leaflet|webinar|workshop|curriculum|signs|"
    r"hair|haircut|fringe|cake|cut off|no (?:ceremony|wedding|cutting|marriage)|"
    r"just a holiday|only a holiday|cancelled|called off|(?:cousin|aunty|auntie|aunt|uncle|sister|brother)s? (?:is |are )?getting married|"
    r"(?:cousin|aunty|auntie|aunt|uncle|sister|brother|friend)s? (?:wedding|nikah|engagement)|"
    r"wedding of (?:her|his|their) |risk of|route|no concerns?|funeral|what is the|how do (?:i|we))\b")
_R24_GUEST = re.compile(r"\b(?:bridesmaid|page boy|flower girl|excited|looking forward)\b")
_R24_NOT_THREAT = re.compile(r"\b(?:training|lessons?|assembly|course|film|movie|book|story|novel|play|video|game|policy|scenario|role ?play)\b")
# A threat made now on a condition: if or unless we don't, he will break in, take the child by force or hurt her.
_R24_FORCE = (
    r"(?:put (?:the |her |his |their |your |my )?(?:front |back )?(?:doors?|windows?|glass) (?:in|through)|"
    r"(?:kick|smash|boot|bash) (?:the |her |his |their |your |my )?(?:front |back )?(?:doors?|windows?|glass) (?:in|down|through)|"
    r"take (?:him|her|them|the (?:\w+ )?(?:kids|children|boy|girl|baby|child|lad)) by force|"
    r"(?:come|coming|storm|barge|burst) (?:in|through)(?: \w+)? and (?:take|grab|drag|snatch) (?:him|her|them|the \w+)|"
    r"drag (?:her|him|them|the \w+) (?:out|away|off)|smash (?:her|his|their|your) (?:face|head)|"
    r"(?:break|smash) (?:the |her |his |their |your |my )?(?:front |back )?(?:doors?|windows?|glass)\b|(?:kick|boot|smash|put) (?:it|that door) (?:in|down)\b|"
    r"(?:hurt|batter|kill|stab|knife|shoot) (?:someone|somebody|her|him|them|the kids|the children|the baby|you|us|everyone)\b|"
    r"burn (?:the|her|your|their) (?:house|flat|place) down|make sure (?:nobody|no one) (?:else )?(?:can|will|does|(?:can )?(?:has|have|gets?) (?:her|him|them))\b)")
_R24_THREAT = re.compile(
    r"\b(?:(?:if|unless) \S+(?: \S+){0,16}? (?:(?:he|she|they|i) (?:will|is going to|are going to|am going to|s going to)|ill) (?:\w+ ){0,4}?" + _R24_FORCE +
    r"|(?:he|she|they|i) (?:will|is going to|are going to|am going to) (?:\w+ ){0,3}?" + _R24_FORCE + r"(?: \S+){0,3}? (?:if|unless)\b"
    r"|or (?:else )?(?:he|she|they) (?:is|are|will be|will) (?:coming|come) (?:in|round) (?:to |and )(?:get|take|grab|drag) (?:her|him|them))")
# A child gone from a vehicle or a stop on a journey, where she is now unknown.
_R24_OFF = re.compile(
    r"\b(?:got|get|gets|jumped|hopped|walked|ran|run|slipped|climbed|stepped|wandered|left|bolted)(?: \S+){0,6}? "
    r"(?:minibus|coach|bus|train|tram|taxi|van|ferry|services|service station|station|stop|lights|traffic lights|port|platform|petrol station)\b|"
    r"\bstopped (?:\S+ ){0,3}?(?:toilets|services|loo|break|lunch|petrol)\b")
_R24_UNKNOWN = re.compile(
    r"\b(?:no idea where|(?:do not|does not|did not) know where|(?:nobody|no one) knows where|(?:can not|cannot|could not) find (?:him|her|them)|"
    r"lost sight of|not been seen since|(?:no one|nobody) can find|no sign of (?:him|her|them)|whereabouts (?:are |is )?unknown|one (?:child|kid|pupil) down)\b")
# An adult drawing young children to him now with a pet, sweets, a game or a lift.
_R24_LURE = re.compile(
    r"\b(?:man|men|woman|bloke|guy|stranger|someone|somebody|lady|person|adult|male|driver|teenager|teen|lad|lads|older boys?)\b(?: \S+){0,10}? (?<!was )(?<!were )"
    r"(?:trying to (?:get|lure|tempt|coax|entice)|asking|telling|calling|waving|beckoning|offering|inviting|encouraging|luring|tempting|coaxing|enticing|"
    r"(?:will|is going to|keeps offering to) show|showing)\b"
    r"(?=(?: \S+){0,14}? (?:kids|children|little ones|(?:year|yr) \d+s?|reception|infants|girls|boys|pupils|child|kid|toddlers?)\b)"
    r"(?=(?: \S+){0,16}? (?:pupp(?:y|ies)|dogs?|kittens?|rabbits?|bunny|pets?|sweets|sweeties|chocolate|lollies|ice creams?|toys?|game|games|lift|money)\b)")
_R24_NOT_LURE = re.compile(r"\b(?:teacher|staff|therapy|farm|class pet|school (?:dog|rabbit|cat|pet)|lollipop|mum|dad|parent|ice cream van|fair|fete|"
                           r"stall|event|party|raffle)\b")
# A young person's photo of emptied pills with a sorry or a goodbye.
_R24_PILLS = re.compile(
    r"\b(?:photos?|pictures?|pics?|snap|snapchatted|videos?|images?|selfie|posted)\b(?: \S+){0,8}? "
    r"(?:(?:empty|emptied|all the|whole) (?:\w+ )?(?:pill|pills|tablet|tablets|blister|packet|packets|box|boxes|bottle|bottles|strip|strips|pack|packs)|pills|tablets)\b")
_R24_BYE = re.compile(r"\b(?:sorry|goodbye|bye|loves? (?:you|us|everyone|them)|do not tell|forgive|for everything)\b")
_R24_NOT_PILLS = re.compile(r"\b(?:prescription|first aid|calpol|medical cabinet|handed in|for school|to school)\b")
# Adults collecting a child tonight and the child afraid of what they will make her do.
_R24_PICKUP = re.compile(
    r"(?:\b(?:meet|meeting) (?:the |some |these |those )?(?:older )?(?:lads|men|guys)\b|\b(?:men|man|guys|guy|lads|boyfriend|they|older \w+)\b(?: \S+){0,4}? (?:are |is |will be |will |s |re )?"
    r"(?:picking (?:her|him|me) up|pick (?:her|him|me) up|collecting (?:her|him|me)|getting (?:her|him|me)|come for (?:her|him|me)|coming for (?:her|him|me)))"
    r"(?=.*\b(?:tonight|later|after school|this evening|at \d+|midnight)\b)"
)
_R24_AFRAID = re.compile(r"\b(?:scared|terrified|frightened|afraid|petrified|(?:does not|do not) want to go|make (?:her|him|me) (?:do|go))\b")
_R24_NOT_PICKUP = re.compile(r"\b(?:training|laps|practice|gala|match|homework|late)\b")


# A family trip with an ordinary reason and no word of marriage, cutting, fear or force: no reminder.
_R24_PLAIN_TRIP = re.compile(r"\b(?:to see (?:grandma|grandad|gran|nan|nana|family|relatives|cousins|her family|his family|grandparents)|funeral|"
                             r"holiday request|homework|work for|all back|fortnight|for (?:two|three|four|a|one) (?:weeks?|months?)|lands at|celebrations)\b")
_R24_TRIP_WORRY = re.compile(r"marr|wed|cut|fgm|tradition|custom|initiat|girls|daughters|circum|ceremon|husband|wife|engag|nikah|scared|afraid|worr|forc|passport|not coming|"
                             r"will not|never|one way|help|cry|upset|made to|make her|taken|sent|stay|school|leave school|return|\bno\b|not")


_R24_FM_TOPIC = re.compile(r"\b(?:training|lesson|lessons|pshe|rshe|assembly|awareness|webinar|workshop|curriculum|course)\b")
_R24_SOMEONE = re.compile(r"\b(?:she|he|her|him|his|girl|girls|boy|boys|pupil|pupils|student|students|child|children|yp|kids?|daughter|son|sister|year \d+|"
                          r"\d+ ?(?:yo|year old)|they|family|mum|dad|parents?|told|says|said|disclosed)\b")


_R24_NEAR_WORDS = frozenset("tomorrow tonight today monday tuesday wednesday thursday friday saturday sunday weekend week month summer "
                            "christmas easter eid holidays term days weeks morning booked".split())
_R24_FM_WORDS = frozenset("married marry marrying marriage wedding engaged engagement nikah husband wife fiance fiancee groom arranged "
                          "promised found cut cutting done circumcised circumcision ceremony sunna sunnah khatna khitan tahara clean woman "
                          "fgm turn back home on again circumcise weddings cuts".split())
_R24_LURE_WORDS = frozenset("puppy puppies dog dogs kitten kittens rabbit rabbits bunny pet pets sweets sweeties chocolate lollies ice toy "
                            "toys game games lift money".split())
_R24_WHERE_WORDS = frozenset("where find sight seen sign whereabouts down".split())
_R24_ACTOR_WORDS = frozenset("man men woman bloke guy stranger someone somebody lady person adult male driver teenager teen lad lads older".split())
_R24_PILL_WORDS = frozenset("pill pills tablet tablets blister packet packets pack packs box boxes bottle bottles".split())
_R24_FEAR_WORDS = frozenset("scared terrified frightened afraid petrified want make".split())


def _ahead_or_luring(text: str, words: set[str]) -> str:
    """The category of a danger read from the whole sentence, or "": a child about to be flown abroad
    to be married or cut, a threat on a condition, a child gone from a vehicle, an adult luring
    children, a photo of emptied pills, men picking a child up tonight."""
    # (each class is tried only when a word it needs is there: this runs on every sentence)
    found = ""
    if (not words.isdisjoint(_R24_NEAR_WORDS) and not words.isdisjoint(_R24_FM_WORDS)
            and _R24_NEAR.search(text) and _R24_TRAVEL.search(text)
            and (_R24_CUT.search(text) or _R24_FEAR.search(text) or _R24_MARRY.search(text) and not _R24_GUEST.search(text))
            and not _R24_NOT_FM.search(text) and not (_ADULT_AGE.search(text) and not _MINOR_AGE.search(text))):
        found = "forced_marriage_abroad"
    elif (("if" in words or "unless" in words or "or" in words) and ("will" in words or "going" in words or "ill" in words)
            and _R24_THREAT.search(text) and not _R24_NOT_THREAT.search(text) and _JOKE_CUES.first(text) > len(text)):
        found = "threat"
    elif (not words.isdisjoint(_R24_WHERE_WORDS)
            and _R24_UNKNOWN.search(text) and _R24_OFF.search(text) and not _FOUND.search(text)):
        found = "missing_abduction"
    elif (not words.isdisjoint(_R24_LURE_WORDS) and not words.isdisjoint(_R24_ACTOR_WORDS)
            and _R24_LURE.search(text) and not _R24_NOT_LURE.search(text) and not _PAST.search(text)):
        found = "missing_abduction"
    elif not words.isdisjoint(_R24_PILL_WORDS) and _R24_PILLS.search(text) and _R24_BYE.search(text) and not _R24_NOT_PILLS.search(text):
        found = "suicide_self_harm"
    elif (not words.isdisjoint(_R24_FEAR_WORDS)
            and _R24_PICKUP.search(text) and _R24_AFRAID.search(text) and not _R24_NOT_PICKUP.search(text)):
        found = "sexual_assault"
    if found and (_MADE_UP.search(text) or _PAST.search(text) and not _R24_NEAR.search(text)):
        return ""
    return found


# Round 25: three dangers told in words the cue rules let a past clause hide, read as a whole.
# An emergency now after a past clause ("came back from the cutting and is bleeding heavily"); not
# once it has stopped, she is fine now or has recovered.
_R25_NOW = re.compile(
    r"\b(?:is|s|are|has been|keeps) (?:now |still )?(?:bleeding (?:heavily|a lot|badly|loads|everywhere|through|lots|really)|"
    r"not breathing|fitting(?! (?:in|into|out|together|well))|having (?:a )?(?:fit|seizure)|unconscious|floppy|turning blue|going blue)\b|"
    r"\b(?:will not|can not|cannot|could not) (?:wake|be woken|rouse|wake (?:him|her) up)\b|\bnow (?:he|she|they) (?:will not|can not) wake\b|"
    r"\b(?:is|s) bleeding\b(?=.*\b(?:fever|temperature|burning up|will not stop|not stopping|hot)\b)")
_R25_NOW_OVER = re.compile(
    r"\b(?:stopped|stops|fine now|is fine|s fine|recovered|better now|is ok|s ok|okay now|checked (?:her|him|them) over|no concerns|"
    r"last (?:week|term|year|month)|years ago|plan|nurse saw|gp saw|hospital (?:checked|discharged)|came round|woke up|"
    r"for a (?:minute|moment|bit|second|few)|at first|up late|graze|first aid given|plaster|nosebleed|photo|filter)\b")
_R25_NOW_WORDS = frozenset("bleeding breathing fitting fit seizure unconscious floppy blue wake woken rouse".split())
# A threat against the child's brother, sister, mum or family if he does not do as told now.
_R25_FAMILY = re.compile(
    r"\b(?:will|well|ill|theyll|hell|gonna|going to) (?:\w+ )?(?:get|hurt|do|go after|come for|come after|burn|stab|kill|batter|smash|shank|jump|touch|rape)\b "
    r"(?:\w+ )?(?:your|his|her|their|ur|yo) "
    r"(?:little |baby |big |older |younger |lil |kid |wee )?(?:sister|brother|sis|bro|mum|mam|mom|mother|nan|nana|gran|family|siblings?|dad|baby)s?\b"
    # (not "do his sister's hair", "get his mum to ground him": a chore or an errand, not harm)
    r"(?!s? (?:hair|nails|room|bedroom|hotels|homework|makeup|make up|bike|toys?|xbox|phone|tea|dinner|washing|spot|place|turn|lunch|car|shoes|"
    r"clothes|reading|party|to|on the phone|involved|round)\b)")
_R25_IF = re.compile(r"\b(?:if|unless|or (?:else|we|they|he|ill|well)|or)\b")
_R25_FAMILY_WORDS = frozenset("sister brother sis bro mum mam mom mother nan nana gran family sibling siblings dad baby sisters brothers mums mams moms dads nans grans families babys sibs".split())
_R25_WILL_WORDS = frozenset("will well ill theyll hell gonna going".split())
_R25_IF_WORDS = frozenset("if unless or".split())
# A baby or young child not where they should be, and an adult gone too.
_R25_EMPTY = re.compile(
    r"\b(?:not in (?:her|his|the|their|its) (?:cot|bed|buggy|pram|car seat|moses basket|crib|pushchair|bouncer|room)|"
    r"(?:cot|car seat|buggy|pram|crib|moses basket|pushchair|bed)s? (?:is |s |was )?empty|(?:is|s|was|are) not in it|"
    r"(?:was not|were not|is not|s not|not) in (?:the|her|his) (?:moses basket|cot|pram|car seat))\b")
_R25_ADULT_GONE = re.compile(
    r"\b(?:boyfriend|partner|ex|dad|father|lodger|man|uncle|stepdad|childminder|nanny|friend|bloke|guy|he|she|they|husband|car)s?\b(?: \S+){0,9}? "
    r"(?:has |have |is |s |are )?(?:gone|disappeared|vanished|left|missing|driven off|drove off|taken off)\b")
_R25_EMPTY_OK = re.compile(
    r"\b(?:because|as planned|planned|agreed|arranged|to work|to the park|to the shop|(?:is|s|are) (?:\w+ )?with (?:him|her|mum|dad|nan|gran|grandad|grandma)|"
    r"is with|has (?:him|her|the baby)|in bed with|at (?:nursery|nans|grans)|wedding|today so|found (?:him|her|them))\b")
_R25_EMPTY_WORDS = frozenset("cot bed buggy pram seat basket crib pushchair bouncer room it empty".split())
_R25_GONE_WORDS = frozenset("gone disappeared vanished left missing off".split())


def _now_after_past(text: str, words: set[str]) -> str:
    """The category of a danger read from the whole sentence, or "": an emergency now after a past
    clause, a threat to a child's family on a condition, a baby gone from her cot with an adult."""
    # (each class is tried only when words it needs are there: this runs on every sentence)
    if (not words.isdisjoint(_R25_NOW_WORDS) and _R25_NOW.search(text) and not _R25_NOW_OVER.search(text)
            and _IF_CUES.first(text) > len(text) and _IMAGINED_CUES.first(text) > len(text) and not _MADE_UP.search(text)):
        return "medical"
    if (not words.isdisjoint(_R25_FAMILY_WORDS) and not words.isdisjoint(_R25_IF_WORDS) and not words.isdisjoint(_R25_WILL_WORDS)
            and _R25_FAMILY.search(text) and _R25_IF.search(text)
            and not _R24_NOT_THREAT.search(text) and _JOKE_CUES.first(text) > len(text) and not _PAST.search(text)):
        return "threat"
    if (not words.isdisjoint(_R25_EMPTY_WORDS) and not words.isdisjoint(_R25_GONE_WORDS)
            and _R25_EMPTY.search(text) and _R25_ADULT_GONE.search(text)
            and not _R25_EMPTY_OK.search(text)):
        return "missing_abduction"
    return ""


# Round 25: a cue that reads as danger, in a message that says the episode is over (found, back, home
# safe, "did not happen", "got her back", "not a worry now"), is a film or book's subject, or names a
# service ("missing from care protocol", "Border Force safeguarding team").
_R25_OVER = re.compile(
    r"\b(?:found (?:him|her|them) (?:safe|asleep|playing|hiding|feeding|at (?:a |her |his |their )?(?:friends?|mates?|nans?|grans?|dads?|mums?|aunts?|"
    r"aunties?|cousins?)s?|in the (?:garden|library|playground|kitchen|shop|park))|found (?:hiding|asleep|playing|safe|under the (?:stairs|bed|table))|"
    r"turned out (?:he|she|they) (?:was|were)|(?:is|s|are) (?:now )?(?:home )?safe (?:now|and well)|"
    r"(?<!not )(?<!never )(?:got|brought) (?:her|him|them) (?:back|home)|(?:did not|never) happen|no (?:travel|trips?|holidays?|flights?) (?:is |are )?(?:planned|booked)|"
    r"not a worry|nothing to worry|fine now|sorted now|all clear now|(?:is|s) (?:asleep|sleeping) now|back home now|protection order (?:still )?in place)\b")
_R25_GOOD_NOW = re.compile(r"\b(?:but now|again now|now (?:she|he|they) (?:is|s|are) (?:gone|missing|saying|not)|still missing|not (?:been )?found|has gone again|gone again)\b")
_R25_ABOUT = re.compile(r"\b(?:film|movie|book|programme|documentary|story|show|play|episode|cartoon|drama|novel|podcast|song)s?\b(?: \S+){0,6}? about\b")
_R25_SERVICE = re.compile(r"\b(?:border force|mfh|protocol|coordinator|multi agency|strategy meeting|return home interviews?|safeguarding team)\b")
_R25_SOMEONE = re.compile(r"\b(?:she|he|her|him|his|they|them|child|girl|boy|baby|pupil|student|son|daughter|kid|kids|yp|toddler|year \d+)\b")


def _cue_over(sentence: str, joined: str, cue: re.Match) -> bool:
    """True when the message says the danger this cue names is over, a story's subject or a service's name."""
    if "about" in sentence:
        about = _R25_ABOUT.search(sentence)
        if about and about.end() <= cue.start() and " | " not in sentence[about.end():cue.start()]:
            return True
    if ("team" in sentence or "protocol" in sentence or "border" in sentence or "mfh" in sentence or "coordinator" in sentence
            or "agency" in sentence or "strategy" in sentence or "return home" in sentence) and _R25_SERVICE.search(sentence) and not _R25_SOMEONE.search(sentence):
        return True
    return _episode_over(joined)


@lru_cache(maxsize=64)
def _said_over(joined: str) -> bool:
    """True when the whole message says an episode is over (found, brought back, "did not happen") and
    not that it has started again ("but now", "gone again")."""
    j = joined
    if not ("found" in j or "turned out" in j or "safe" in j or "got " in j or "brought" in j or "happen" in j or "planned" in j
            or "booked" in j or "worry" in j or "fine now" in j or "sorted now" in j or "clear now" in j or "asleep now" in j
            or "sleeping now" in j or "home now" in j or "protection order" in j):
        return False  # (a cheap look first, each word one _R25_OVER needs: this runs on every message with a cue)
    return _R25_OVER.search(joined) is not None and _R25_GOOD_NOW.search(joined) is None


def _episode_over(joined: str) -> bool:
    """True when the message says the episode is over and no emergency is happening now."""
    return _said_over(joined) and not _R25_NOW.search(joined)


def _sentence_danger(sentence: str, words: set[str], joined: str) -> str:
    """The category of a danger the whole sentence says (beyond the cue rules), or "". A trip abroad
    the message says is over ("she was taken abroad ... the FGM did not happen") is not still to come."""
    found = _ahead_or_luring(sentence, words)
    if found and _said_over(joined):
        found = ""
    return found or _now_after_past(sentence, words)


def assess(text: str) -> Assessment:
    """How far a typed message says a child is in danger now (clear, possible or none), and of what."""
    sentences = normalise(text[:4000])
    if not sentences:
        return NO_DANGER
    bare = _bare(sentences)
    if bare:
        return Assessment(CLEAR, "", bare)
    best = NO_DANGER
    joined = " ".join(sentences)
    # a note for the record that also says past or over; "for the record, he's outside with a machete" is now
    history = ("record" in joined or "histor" in joined or "current" in joined) and _HISTORY.search(joined) is not None and (
        _PAST_CUES.first(joined) <= len(joined) or _RESOLVED_CUES.first(joined) <= len(joined))
    for text_ in sentences:
        sent = _Sentence(text_)
        cues = _STRONG_CUES.find(text_)
        if _TWO_NUMBERS.search(text_):
            counted = _count_short(text_)
            if counted is not None:
                cues = [(counted, "missing_abduction"), *cues]
        for m, category in cues:
            if sent.idiom(m):
                continue
            level = _level(sent, m, strong=True, category=category)
            if level == CLEAR and history and not _URGENT.search(text_):
                level = POSSIBLE
            if level == CLEAR and _cue_over(text_, joined, m):
                continue  # over, a story's subject or a service's name: no reminder either
            if level == CLEAR:
                return NO_DANGER if _practice(sentences) else Assessment(CLEAR, category, m.group(0))
            if level == POSSIBLE and best.level == NONE:
                best = Assessment(POSSIBLE, category, m.group(0))
        words = set(text_.split())
        found = _sentence_danger(text_, words, joined)
        if found:
            return NO_DANGER if _practice(sentences) else Assessment(CLEAR, found, "")
        if best.level == NONE:
            for m, category in _WEAK_CUES.find(text_):
                if (not sent.idiom(m) and _level(sent, m, strong=False, category=category) == POSSIBLE
                        and not _cue_over(text_, joined, m)):
                    best = Assessment(POSSIBLE, category, m.group(0))
                    break
    if best.level == NONE:
        # No cue the rules read as danger, but it reads like the corpus's danger lines: the one line
        # reminder. A sentence with a plain "not" or "no" ("little boy no come back", "she can't get
        # out") asks more of the model; one that says past, over, a topic or imagined, never.
        score = danger_model.score(text)
        if score >= danger_model.THRESHOLD:
            threshold = _model_threshold(sentences)
            if threshold is not None and score >= threshold and not _practice(sentences):
                return Assessment(POSSIBLE, "", "")
    if (best.category == "forced_marriage_abroad" and (_R24_PLAIN_TRIP.search(joined) and not _R24_TRIP_WORRY.search(joined)
                                                       or _R24_FM_TOPIC.search(joined) and not _R24_SOMEONE.search(joined))):
        return NO_DANGER  # a family trip for a funeral, a forced marriage lesson: nobody said to be at risk
    return NO_DANGER if best.level != NONE and _practice(sentences) else best


def _practice(sentences: list[str]) -> bool:
    """True when the message opens as a practice, training or exam case and does not say it is real."""
    return _PRACTICE.match(sentences[0]) is not None and _REAL.search(" ".join(sentences)) is None


# Round 23: a message that opens as a practice, training or exam case ("practice question -", "scenario:",
# "case study", "quiz question 4", "for our inset role play:") is made up, unless it says it is real.
_PRACTICE = re.compile(r"(?:(?:\w+ ){0,3}?(?:practice|training|exam|quiz|mock|sample|revision|test|inset|cpd|course|module|supervision|"
                       r"role ?play|teaching|discussion|tabletop|table top) (?:question|questions|q|scenario|scenarios|case|cases|exercise|quiz|"
                       r"vignette|example|task|case study|activity)s?(?: \d+| [a-z])?|(?:for (?:our|the|a|my) )?(?:\w+ )?role ?play|"
                       r"scenario(?: \d+)?|case study(?: \d+)?|vignette(?: \d+)?|quiz question(?: \d+)?|exam question(?: \d+)?|q ?\d+|question \d+)"
                       r"(?= *\||(?: \w+){0,3} *\|| *$| (?:a|an|the|one|your|child|pupil|girl|boy|young|parent|you|if|what|say|imagine|suppose)\b)")
_REAL = re.compile(r"\b(?:not (?:a |an )?(?:practice|drill|scenario|exercise|test|training|role ?play|hypothetical|made up|quiz)|"
                   r"(?:this|it) is (?:real|actually happening|happening now)|for real|real life|real child|right now|as we speak)\b")


def _settled(sentence: str) -> bool:
    """True when the sentence says what it speaks of is past, over, negated, imagined or a topic.

    The learned model reads words, not tense: where a sentence says its subject is not happening
    now, only the cue rules may raise it."""
    return _negated(sentence) or _framed(sentence)


def _negated(sentence: str) -> bool:
    """True when the sentence holds a "not" or "no" that is not one that makes things worse."""
    return _NEGATORS.search(_NEGATIVE_DANGER.sub(" ", _LACKS.sub(" ", sentence))) is not None


def _framed(sentence: str) -> bool:
    """True when the sentence says it is past, over, a topic, a condition, a joke or imagined."""
    if any(cues.first(sentence) <= len(sentence) for cues in (_PAST_CUES, _IF_CUES, _JOKE_CUES, _IMAGINED_CUES)):
        return True
    if _RESOLVED_CUES.first(sentence) <= len(sentence) and _ended(sentence, sentence):
        return True
    # "swimming lesson and a child is at the bottom": the lesson is where it happens
    return _TOPIC_CUES.first(sentence) <= len(sentence) and not _scene_now(sentence)


def _model_threshold(sentences: list[str]) -> float | None:
    """How sure the learned model must be to raise the message, or None when it may not."""
    if any(_framed(s) for s in sentences):
        return None
    return danger_model.NEGATED_THRESHOLD if any(_negated(s) for s in sentences) else danger_model.THRESHOLD
