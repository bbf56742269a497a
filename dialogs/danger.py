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
    "y10": "year 10", "y11": "year 11", "kiddie": "kid",
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
    "fgmd": "fgm", "imediate": "immediate", "immediatly": "immediately", "emergancy": "emergency",
    "emergeny": "emergency", "danjer": "danger", "missng": "missing",
}

# Long danger words, for the one-letter typo fallback; real words one letter away are kept as typed.
_FUZZY_TARGETS = (
    "unconscious", "unresponsive", "breathing", "overdose", "overdosed", "threatening", "threatened",
    "suicidal", "kidnapped", "abducted", "strangling", "strangled", "bleeding", "collapsed", "poisoned",
    "trafficked", "assaulted", "assaulting", "attacking", "molesting", "ligature", "paracetamol",
    "stabbing", "machete", "seizure", "suicide", "drowning", "marriage", "responding", "tonight",
    "tomorrow", "weapon", "missing", "choking",
)
_REAL_WORDS = frozenset(
    "breaching breeding bleeping frowning browning crowning overdone kissing hissing pissing cooking "
    "choling crowded stabled staffing seizing seizures mussing messing massing musing tonights "
    "marriages carriage weapons cocking chucking rocking docking locking mocking shocking".split()
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
_AGE = re.compile(r"(\d{1,2})(?:yo|yr|yrs|yro)")
_SENTENCE = re.compile(r"[.!?;\n\r]+")
_CLAUSE = re.compile(r"[,:()\[\]\"]+|\s[-\u2013\u2014]+\s|\bbut\b|\bhowever\b|\balthough\b|\bthough\b")


def _clause_words(clause: str) -> str:
    return " ".join(_word(t) for t in _TOKEN.findall(clause))


def normalise(text: str) -> list[str]:
    """The message as sentences, each its clauses joined by ' | ' (lower case, contractions, typos)."""
    text = (text.lower().replace("\u2019", "").replace("\u2018", "").replace("'", "").replace("`", "")
            .replace("&", " and ").replace("+", " and "))
    sentences = []
    pieces = _SENTENCE_END.split(text)
    for raw, end in zip(pieces[::2], pieces[1::2] + [""]):
        clauses = [c for c in (_clause_words(part) for part in _CLAUSE.split(raw)) if c]
        if clauses:
            sentences.append(" | ".join(clauses) + (" | " + _ASKED if "?" in end else ""))
    return sentences


_SENTENCE_END = re.compile(r"([.!?;\n\r]+)")
_ASKED = "qmark"  # stands for the question mark normalising removes (a word no message has)


# ---- Cue phrases ------------------------------------------------------------------------------------

_MACROS = {
    "SELF": r"(?:himself|herself|themselves|themself|myself|yourself)",
    "WEAPON": r"(?:knife|knives|blade|blades|machete|machetes|gun|guns|firearm|firearms|pistol|handgun|"
              r"rifle|shotgun|crossbow|sword|swords|axe|hatchet|hammer|baseball bat|crowbar|screwdriver|"
              r"razor|razor blade|knuckle duster|knuckleduster|acid|weapon|weapons|taser|pepper spray|"
              r"cleaver|meat cleaver|samurai|broken bottle|bat|scissors|shank|chiv|blade|bomb|explosives?|grenade|petrol bomb)",
    "HARM": r"(?:kill|murder|stab|shoot|hurt|harm|batter|beat|smash|burn|slash|strangle|break|attack|"
            r"knife|cut|rape|bash|punch|kick|glass|torch|petrol bomb|set fire to|shank|merk|jump|rush|do (?:him|her|them|you|"
            r"someone|somebody) in|do something to (?:him|her|them|you|me)|get (?:him|her|them|you|me)|end (?:you|him|her|them))",
    "NEAR": r"(?:\w+ ){0,5}",
    "FEW": r"(?:\w+ ){0,3}",
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
        r"(?:kill|killing|hang|hanging|drown|drowning|hurt|hurting|harm|harming|cut|cutting|burn|burning|"
        r"stab|stabbing|strangle|strangling|shoot|shooting|throw|throwing) {SELF}(?! laughing)",
        r"end (?:it|it all|things|his life|her life|my life|their life|their lives|everything)",
        r"ending (?:it|it all|things|his life|her life|my life|their life)",
        r"suicide note", r"suicidal(?! thoughts| ideation| feelings| thinking)", r"threatening suicide", r"attempt(?:ing)? suicide", r"commit suicide",
        r"(?:going to|want to|wants to|will|about to|gonna|trying to|threatening to|says he will|says she will|"
        r"is going to|plans? to|planning to) (?:jump|die|hang|top (?:him|her|them)self|take (?:all )?(?:his|her|their|my) "
        r"(?:pills|tablets|meds|medication)|take an overdose|overdose)",
        r"(?:on|off) the (?:edge of the |top of the )?(?:bridge|roof|railway|railway line|railway bridge|"
        r"train tracks|tracks|line|ledge|cliff|motorway bridge|multi storey|car park roof)",
        r"on the edge of the (?:\w+ ){0,2}(?:car park|bridge|roof|building|cliff)",
        r"jump off", r"(?:has|got|with|brought|bringing|carrying) (?:a |the )?(?:rope|noose|ligature|belt round)", r"(?:ligature|noose)", r"has a rope", r"got a rope", r"with a rope",
        r"self harming(?! in the past)", r"self harm(?:ing)? (?:now|right now|in the|at the moment)",
        r"(?:wants?|wanting|want) to die", r"(?:be|is) dead by", r"(?:pills|tablets) ready",
        r"saying goodbye", r"said goodbye", r"no point (?:anymore|any more|living|in living|going on)",
        r"banging (?:his|her|their) head", r"in front of (?:a|the|the next) (?:train|car|bus|lorry|one|tram)",
        r"(?:step|jump|walk|throw (?:him|her|them)self) (?:out )?in front of",
        r"(?:cutting|burning|scratching) (?:her|his|their) (?:arms?|wrists?|legs?|skin)",
        r"cut deeper", r"(?:tied|tying|tie|tightened|put|wrapped|wrapping|has|got) (?:\w+ ){0,2}(?:round|around) "
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
        r"(?:he|she|they|child|boy|girl|someone) (?:is|are) hanging\b(?! out| around| about| up| on| off| in| with)", r"will not come down", r"wont come down", r"not coming down",
    ],
    "weapon": [
        r"(?:has|have|had|got|holding|holds|carrying|carries|carry|with|brandishing|brandishes|waving|waves|"
        r"pulled|pulls|pulling|pointing|points|armed with|brought|bringing|picked up|picks up|showed me|"
        r"shown me|got hold of|grabbed|wielding|threatening \w+ with|threatening others with|hiding|hid|"
        r"concealing|keeps|thrown|throwing|flashing|flashed|showing|showing off|came in with|turned up with) {NEAR}{WEAPON}(?! crime| awareness| amnesty| arch)",
        r"tooled up", r"{WEAPON} (?:(?:is |was |been )?(?:seen|found|spotted|hidden|kept|stashed) )?(?:in|on|under|inside) "
        r"(?:his|her|their|the|a|my) (?:\w+ )?"
        r"(?:bag|pocket|blazer|coat|jacket|waistband|sock|locker|hand|hands|belt|trousers|school|classroom|"
        r"corridor|toilets|playground|car|room|house)",
        r"{WEAPON} (?:to|against|at) (?:his|her|their|my|the|a|someones?) (?:\w+ )?"
        r"(?:throat|neck|head|face|arm|chest|stomach|back|body)",
        r"{WEAPON} (?:fight|attack|in school|on him|on her|on them)", r"\barmed\b(?! forces| services)",
        r"(?:pointing|aiming|fired|firing|shooting) (?:a |an |the )?(?:\w+ )?(?:gun|rifle|pistol|shots?)",
        r"shots? fired", r"(?:a |been a )shooting", r"shooting (?:outside|in the|at the|now|people|at)", r"(?:gun|gunshots?|shots) (?:outside|in|at)",
        r"(?:thrown|throw|throwing|threw) acid",
    ],
    "threat": [
        r"(?:going to|gonna|will|about to|threaten(?:s|ed|ing)? to|want to|wants to|is coming to|coming to|"
        r"on (?:his|her|their) way to|says? (?:he|she|they) (?:will|would|is going to|are going to)|"
        r"promised to|plans? to|planning to|waiting to|waiting outside to|waiting for \w+ to|"
        r"(?:he|she|they|i|you|we) would) {FEW}{HARM}(?! {SELF})",
        r"threats? (?:to|of) (?:kill|murder|stab|shoot|harm|hurt|violence)", r"death threats?",
        r"threat(?:s|ening|ened)? (?:against|towards) ", r"making threats", r"threatening (?:him|her|them|me|to|the|a|others|everyone|us)",
        r"(?:he|she|you|they) (?:is|are|will be) dead when", r"(?:he|she|you) is dead\b",
        r"coming for (?:you|him|her|them|us)", r"know where (?:she|he|they|you|we) lives?",
        r"(?:are|is) coming (?:round|over|tonight|to get|back tonight|after (?:him|her|them))", r"(?:you are|ur|youre) (?:so )?dead\b", r"(?:kill|stab|shoot|murder) (?:you|him|her|them|me|us|the|everyone|"
        r"somebody|someone|a|his|her|my)(?! lights| music| engine| power| the lights)",
        r"(?:dead|killed|murdered) if", r"(?:hurt|harm|kill) (?:the kids|the children|the baby|the child)",
    ],
    "violence": [
        r"(?:being|getting|been|is|are) (?:hit|hurt|beaten|beat|beaten up|battered|attacked|assaulted|kicked|"
        r"punched|slapped|stamped on|strangled|choked|shaken|dragged|thrown|jumped|bashed|smacked|whipped|"
        r"stabbed|glassed|bitten|burned|burnt|scalded|throttled|headbutted|pinned|set on|set upon|ambushed|surrounded|"
        r"mugged|robbed|rushed)",
        r"(?:is|are|am|keeps|keep|started|starting|has started|was|were|he|she|they|someone|somebody|dad|mum|"
        r"parent|man|woman|boy|girl|partner|boyfriend|stepdad|step dad|carer|older|group|gang) "
        r"(?:\w+ )?(?:hitting|beating|punching|kicking|attacking|strangling|choking|slapping|stamping|shaking|"
        r"battering|assaulting|hurting|throwing|dragging|smacking|whipping|throttling|headbutting|biting|"
        r"burning|scalding|laying into|beating up|battering)",
        r"laying into", r"(?:giving|gave|give) (?:him|her|them|the \w+) a (?:leathering|beating|hiding|kicking|battering|"
        r"good hiding|slap)", r"kicking (?:his|her|their) head in", r"throwing (?:things|stuff|objects|chairs|plates|"
        r"bottles|furniture) at", r"grabbed (?:her|him|them|a child|a girl|a boy|the child)", r"by the (?:throat|neck|hair)", r"(?:badly|seriously|really|very|quite badly) (?:hurt|injured)",
        r"(?:hurt|injured) (?:badly|seriously)", r"fight (?:has )?(?:broken|breaking) out", r"(?:being|getting) chased",
        r"chasing (?:him|her|them|a|the)", r"(?:been|being|getting|was) shot\b", r"(?:being|been) held (?:captive|hostage|prisoner)",
        r"(?:is|are|keeps|keep) following (?:her|him|them|a|the|children|kids|girls|boys) (?:home|around|everywhere)",
        r"smashing (?:the|up|things|everything|the place|the house|windows)",
        r"(?:tried|trying|tries|try) to (?:strangle|stab|kill|choke|suffocate|drown|smother|throttle|hurt|attack)", r"kicking off", r"beating up", r"beat (?:him|her|them) up",
        r"(?:a |massive |big |huge |)fight (?:going on|happening|kicking off|outside|in the|on the|at the|now)",
        r"(?:fighting|brawl|brawling) (?:outside|in the|on the|now|right now)",
        r"domestic (?:going on|happening|incident now|now|in progress|kicking off)",
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
        r"(?:being|getting|been|is|are) (?:raped|sexually assaulted|sexually abused|sexually exploited|groped|"
        r"molested|abused|touched|pimped|pimped out|forced to have sex|made to have sex|filmed|assaulted sexually|"
        r"trafficked for sex|exploited)",
        r"being (?:\w+ ){0,4}(?:touched|groped|raped|abused|molested)\b", r"(?:does|doing|did|do) (?:stuff|things|sexual things) to (?:her|him|them)",
        r"(?:makes|making|made|forcing|forces|forced) (?:her|him|them) (?:to )?do (?:sexual |sex |dirty |rude )?(?:stuff|things|acts)",
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
        r"(?:being )?blackmailed (?:for|with|over) (?:nudes|pictures|photos|images|videos)", r"sextortion", r"(?:meet|meeting|see|seeing) (?:\w+ ){0,8}for sex",
        r"(?:to |will |going to )?(?:have sex|sleep) with (?:her|him|them|men|a man|older|an adult|him tonight)",
        r"sex acts?", r"up (?:the )?(?:\w+ )?skirts?", r"pulling (?:her|his|their) clothes off",
        r"holding (?:her|him|them) down", r"in (?:the )?bed with (?:the|a) (?:child|kid|girl|boy)",
        r"forced to (?:touch|have sex|perform|strip|undress|watch)", r"(?:forcing|making) (?:a |the )?"
        r"(?:child|kid|girl|boy|her|him|them) to (?:touch|have sex|perform|strip|undress|watch)",
        r"sexual(?:ly)? (?:assault|abuse|exploitation)(?:ing)? (?:now|right now|at the moment|tonight)",
        r"(?:men|man|adults?) (?:are |is )?(?:touching|abusing|raping)",
        r"(?:rape|raped|raping) (?:now|right now|tonight|at the)",
        r"(?:being )?(?:groomed|trafficked) (?:and )?(?:is )?(?:going to meet|meeting|being moved|moved tonight)",
    ],
    "medical": [
        r"(?:had|taken|took|done|drunk|drank|smoked) (?:loads|lots|a lot|too much|so much|a load|a bunch|a handful|a whole "
        r"bottle)(?: of)? (?:ketamine|spice|xanax|pills|tablets|drugs|vodka|alcohol|mdma|ecstasy|heroin|coke|cocaine|"
        r"paracetamol|medication|pills|nitrous|gas|lean|codeine|valium|diazepam)",
        r"(?:is|are|lying|laying|collapsed|slumped|fallen) on the (?:floor|ground)(?= *$| *\|| (?:and|not|unconscious|"
        r"bleeding|shaking|fitting|unresponsive|out))",
        r"overdos(?:e|ed|ing)(?! history)", r"taken (?:a bunch of|a handful of|a box of|a strip of|a load of|loads of|load of|all|a whole|a packet|a bottle|"
        r"too many|lots of|a lot of|some|something|tablets|pills|drugs|paracetamol|her|his|their|mums?|dads?)",
        r"(?:took|swallowed|ate|eaten|drank|drunk|drinking|swallowing) (?:\w+ ){0,7}(?:pills|tablets|paracetamol|"
        r"bleach|antifreeze|battery|batteries|poison|chemicals|cleaning|detergent|methadone|medicine|meds|"
        r"medication|something|a bottle|washing|capsules|pods|vodka|drugs|ketamine|spice|xanax|ecstasy|mdma|"
        r"ibuprofen|drain|weed killer|bottle of)",
        r"(?:not|stopped|stop|struggling to|struggles to|can not|could not|barely|hardly|trouble|difficulty) "
        r"(?:breathing|breathe|breath)", r"(?:not|is not) breathing",
        r"unconscious", r"unresponsive", r"(?:not|is not|are not|stopped) (?:responding|responsive|moving|conscious)",
        r"barely conscious", r"(?:can not|could not|cant|will not|wont|not) (?:wake|be woken|waking|woken)",
        r"collapsed", r"passed out", r"out of it", r"(?:having|had|has) an? (?:\w+ )?(?:fit|seizure)", r"fitting", r"seizure", r"seizing",
        r"(?:turning|turned|gone|going|is|are|lips are|lips) blue", r"choking", r"choked",
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
        r"(?:is|are|has gone|have gone|gone|went|go|been|reported|now|still|goes) missing",
        r"missing (?:child|children|kid|toddler|baby|boy|girl|pupil|student|young person)",
        r"(?:child|children|kid|toddler|baby|boy|girl|pupil|student|person|son|daughter|\d+ year old) "
        r"(?:\w+ )?missing", r"missing (?:from|since|for)",
        r"(?:run|ran) (?:off|away)", r"absconded", r"wandered off", r"(?:went|gone|run|ran) off with",
        r"(?:can not|could not|cant|unable to|not able to) (?:find|locate|trace|get hold of)",
        r"(?:nobody|no one|noone|none of us|we do not|we dont|do not|does not|doesnt) knows? where "
        r"(?:he|she|they|the child|the kid|the boy|the girl) (?:is|are)",
        r"(?:abducted|kidnapped|kidnapping|snatched|abduction)",
        r"(?:taken|grabbed|bundled|dragged|pulled|lured|picked up|shoved|pushed|forced) (?:\w+ ){0,2}(?:by|into|in) "
        r"(?:a |an |the |some )?(?:\w+ )?(?:man|men|woman|stranger|strangers|van|car|gang|older|adult|someone|somebody|"
        r"people|vehicle|taxi)",
        r"(?:got|getting|get|gone|went|put|pushed) (?:her |him |them )?into (?:a |the )?(?:\w+ )?(?:car|van)",
        r"(?:dragging|bundling|pulling|pushing|shoving|forcing|grabbing|carrying) (?:\w+ ){0,3}(?:into|in) "
        r"(?:a |an |the |their |his |some )?(?:\w+ )?(?:car|van|vehicle|taxi|house|flat|alley|lorry)",
        r"(?:grabbed|snatched|took|taken|trying to take|tried to take|taking) (?:a|the|my) (?:\w+ )?"
        r"(?:child|children|kid|kids|baby|toddler|girl|boy|pupil)",
        r"taken (?:the |my |our )?(?:kids|children|child|baby|toddler|little one)",
        r"taken (?:\w+ ){0,2}from (?:the |her |his |their )?(?:hospital|ward|school|nursery|home|park|playground|"
        r"care|foster|unit|street|gates|car)",
        r"not (?:been )?(?:seen|heard from) since", r"not (?:home|back) (?:from|yet|since)",
        r"(?:did not|didnt|has not|hasnt|have not|not) (?:come|came|got|arrived|turned up|returned) "
        r"(?:back|home|in|to school)", r"(?:lost|lose) (?:a|the|one|our) (?:child|kid|pupil|student)",
        r"trafficked (?:to|into|from)", r"is (?:being )?trafficked", r"holding (?:her|him|them) (?:somewhere|hostage|captive)",
        r"(?:in|at) a trap house", r"done a runner", r"legged it", r"last seen (?:heading|going|at|in|near|with|getting|"
        r"walking|running)", r"missing from (?:home|care|school|the unit|the home)", r"(?:nobody|no one|noone) (?:has|have|had) (?:seen|heard from) (?:her|him|them)",
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
        r"on fire", r"(?:house|flat|building|car|school|home|room) (?:is )?(?:fire|burning|alight|ablaze)",
        r"(?:fire|smoke|flames)(?: \w+){0,4} (?:inside|trapped|upstairs|in there|kids|children|baby|child)",
        r"(?:kids|children|baby|child) (?:\w+ ){0,3}(?:fire|smoke|flames)", r"burning (?:car|house|building|flat)",
        r"smoke (?:coming|pouring|everywhere)", r"trapped", r"(?:locked|shut|kept|stuck) (?:\w+ ){0,2}in(?:side)? "
        r"(?:a |the |their |her |his |my )?(?:\w+ )?(?:room|flat|house|car|bedroom|shed|cellar|basement|boot|cupboard|"
        r"bathroom|toilet|garage|loft|attic|van|lift|cage|wardrobe|washing machine|freezer|fridge)",
        r"locked in\b", r"shut in\b", r"kept locked", r"stuck (?:in|on|under) (?:the |a )?(?:lift|water|mud|river|"
        r"railings|roof|ice|sea|canal|rubble|chimney|pipe|drain|ledge)",
        r"head stuck", r"drown(?:ing|s)?\b", r"(?:fallen|fell|fall|slipped|gone|went|jumped) (?:\w+ )?(?:in|into|"
        r"through|under) (?:the |a )?(?:river|canal|pond|pool|swimming pool|water|sea|lake|reservoir|well|ice|quarry)",
        r"(?:fallen|fell|falling|slipped) down (?:a |the )?(?:well|hole|shaft|mine|cliff|drain|manhole|quarry)",
        r"swept (?:out|away)", r"going under", r"in the water", r"(?:hot|locked) car", r"left (?:home )?(?:alone|on (?:his|her|"
        r"their) own|by (?:him|her|them)self)", r"held against (?:her|his|their) will", r"under (?:the )?rubble",
        r"carbon monoxide", r"left (?:alone |on (?:his|her|their) own )?in (?:the|a) (?:hot )?(?:car|van)", r"(?:child|kid|boy|girl|baby|toddler|someone|somebody|children|kids) (?:is |are )?in the "
        r"(?:river|canal|sea|lake|reservoir|quarry|pond|water)", r"(?:alone|on (?:his|her|their) own) in (?:a|the) "
        r"(?:car|flat|house|van)", r"(?:baby|babies|toddler|toddlers|kids|children|little ones) (?:\w+ ){0,2}(?:home )?alone\b",
        r"(?:stuck|trapped|caught) in (?:the )?(?:flood|floods|flood water|floodwater|current|rip)", r"flood water",
        r"water (?:is )?rising", r"gas leak", r"can not get out", r"could not get out", r"stuck on (?:the )?roof",
        r"(?:stuck|trapped|stranded|clinging) (?:up )?(?:on|in|under|to) (?:the |a )?(?:\w+ ){0,2}(?:roof|ledge|cliff|tree|"
        r"ice|rubble|scaffolding|crane|pylon)", r"(?:starting to |about to |going to )?(?:give|giving) way",
    ],
    "forced_marriage_abroad": [
        r"forced (?:to|into) (?:\w+ )?(?:marr|wed)\w*", r"forced marriage", r"(?:marry|married) (?:her|him|them) off",
        r"married off", r"made to (?:marry|get married)", r"(?:no choice|does not want to|doesnt want to|"
        r"does not want|not want to) (?:\w+ ){0,3}(?:marr|wed)\w*",
        r"(?:is|are) being (?:sent|taken|flown|moved|shipped) (?:\w+ ){0,2}(?:to )?{COUNTRY}",
        r"(?:marr\w*|wedding|engagement|fgm|cut|cutting|circumcis\w*) (?:(?:\w+|\|) ){0,12}(?:abroad|airport|flight|flights|"
        r"flying|flies|fly|flys|out of the country|out of the uk|leaving|travel\w*|{COUNTRY}|holidays?|summer|"
        r"half term|easter|christmas|tomorrow|tonight|next week|this week|next month|this weekend|weekend|"
        r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))",
        r"(?:taken|taking|take|sending|sent|send|flying|flown|fly|going|travelling|traveling|leaving|removed|"
        r"removing|taking) (?:her |him |them |the kids |the children )?(?:\w+ ){0,3}(?:to |for )?(?:{COUNTRY}) "
        r"(?:\w+ ){0,6}(?:marr\w*|wedding|cut|cutting|fgm|circumcis\w*|not coming back|not be coming back|"
        r"will not be coming back)",
        r"(?:abroad|airport|flight|{COUNTRY}) (?:\w+ ){0,6}(?:marr\w*|wedding|fgm|cut|cutting|ceremony|engagement|husband)",
        r"(?:is|its|it is) (?:actually|really) (?:hers|his|her own|for her)", r"her own wedding",
        r"(?:husband|wife|groom) (?:is )?(?:waiting|lined up|chosen|picked|arranged|found)",
        r"(?:found|got|chosen|picked|arranged) (?:her|him) a (?:husband|wife)",
        r"(?:remove|removed|removing|taken|taking|take) (?:\w+ ){0,3}(?:out of the country|out of the uk|from the uk|"
        r"abroad)", r"at (?:the )?(?:airport|heathrow|gatwick|stansted|luton|manchester airport|birmingham airport)",
        r"(?:taken|took) (?:her|his|their) passport", r"not be coming back", r"will not be coming back",
        r"(?:sending|send|sent) (?:her|him|them) (?:away|abroad|back)", r"(?:fgm|cut|cutting|marr\w*|wedding) (?:\w+ ){0,3}"
        r"going to happen",
        r"(?:fgm|cut|cutting|circumcision) (?:is )?(?:planned|booked|arranged)", r"(?:being|be|get|getting) cut\b",
        r"(?:wedding|marriage) is (?:arranged|planned|booked)", r"being married\b", r"(?:be|being|get|getting) circumcised",
        r"(?:will not|wont|not) (?:come|coming|be coming|be allowed|be let) back",
    ],
}

# Weak cues: harm words that may speak of danger now; alone they bring the one line reminder.
_WEAK = {
    "weapon": [r"{WEAPON}", r"shooting", r"\bstab\w*", r"\bcarrying(?= *$| *\|)", r"\bstrapped\b"],
    "threat": [r"threat\w*", r"\bdead\b", r"\bkill(?:ed|ing|s)?\b", r"murder\w*", r"\bwarn(?:ed|ing)? (?:him|her|them)"],
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
                       r"\brap(?:e|ed|ing|ist)\b", r"sexual\w*", r"groom\w*", r"\bcse\b", r"exploit\w*", r"\btouched\b",
                       r"nudes?", r"\bsex\b", r"indecent", r"\bperv\w*", r"\brapes\b", r"\bmolest\w*", r"\bgrop\w*",
                       r"\bfondl\w*", r"\btouch(?:es|ing) (?:him|her|them|me)\b"],
    "medical": [r"overdos\w*", r"unconscious", r"consciousness", r"on the floor", r"ketamine", r"spice", r"xanax",
                r"heroin", r"cocaine", r"\bmdma\b", r"ecstasy", r"\bpale\b", r"not responding", r"breath\w*", r"blood", r"bleed\w*", r"seizure", r"ambulance",
                r"poison\w*", r"collaps\w*", r"\bpills\b", r"tablets", r"swallow\w*", r"fainted", r"\bdrugs?\b"],
    "suicide_self_harm": [r"suicid\w*", r"goodbye", r"(?:it is|its) (?:happening|going to happen) tonight", r"self harm\w*", r"\bcutting\b", r"\bdie\b", r"\bdying\b", r"end it",
                          r"\bjump\b", r"\bhang\w*", r"\bcuts\b"],
    "missing_abduction": [r"\bmissing\b", r"abduct\w*", r"kidnap\w*", r"\brun away\b", r"\bran away\b",
                          r"trafficked", r"county lines", r"\bcce\b"],
    "trapped": [r"\bfire\b", r"\bsmoke\b", r"\blocked (?:in|up|inside)\b", r"\bstuck (?:in|inside|under|on the roof)\b", r"drown\w*", r"\bflood\w*"],
    "forced_marriage_abroad": [r"(?:sending|sent|taking|taken|send|take) (?:her|him|them) (?:to )?{COUNTRY}", r"\bfgm\b", r"forced marriage", r"\bmarry\b", r"\bmarried\b", r"\bwedding\b",
                               r"\bcircumcis\w*", r"\bhonour\b", r"\bbreast ironing\b"],
}

# A bare alarm: the whole message is one of these (the 999 choice typed, "emergency", "help me").
_ALARMS = frozenset({
    "999", "call 999", "ring 999", "dial 999", "emergency", "its an emergency", "it is an emergency",
    "this is an emergency", "sos", "danger", "in danger", "child in danger", "immediate danger",
    "urgent danger", "a child is in immediate danger", "knife", "gun", "weapon", "fire", "house fire", "overdose",
    "not breathing", "help police", "child is in immediate danger", "help me",
    "help us", "please help", "urgent help", "need help now", "help now", "help help",
})

# Generic present danger, whatever kind: "in danger now", "call the police", "999".
_GENERIC_STRONG = [
    r"\b999\b", r"(?:immediate|imminent|grave|urgent) (?:danger|risk|harm)", r"(?:serious|real|great) danger", r"at risk (?:right now|now|tonight)",
    r"in (?:immediate |real |serious |grave |great )?danger", r"(?:call|calling|ring|ringing|phone|get|need|"
    r"needs|send|sending) (?:the |an )?(?:police|ambulance|999|fire brigade|fire service|paramedics)",
    r"police (?:now|asap|urgently|right now)",
    # "emergency" alone or as the thing happening; "emergency strategy meeting" or "emergency contact" is not one
    r"(?:an |its an |is an |this is an |it is an |real |genuine )emergency\b(?! (?:contact|plan|services?|department|"
    r"meeting|procedure|appointment|strategy|protection|c section|number|numbers|details|placement|drill))",
    r"\bemergency(?= *$| *\|| (?:now|please|help|here|at|in|situation|going on|happening|call|urgent))",
    r"not safe (?:now|right now|here|at home|to go home|tonight)", r"unsafe (?:now|right now|tonight|at home)",
    r"help (?:me|us|her|him) (?:now|please|quick)", r"please help", r"(?:need|needs|send) help",
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
    return {_CUT}  # a character class: the beginning is known only this far


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

    def __init__(self, groups: dict[str, list[str]]) -> None:
        # Keyed by the first two characters (or the one, for a one-letter beginning).
        self.by_char: dict[str, list[tuple[str, int]]] = {}
        self.anywhere: list[int] = []
        self.whole: re.Pattern | None = None
        self.patterns: list[tuple[re.Pattern, str]] = []
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

    def first(self, sentence: str) -> int:
        """Where a cue first matches (past the end when none does): one regex search for a short
        sentence, the index for a long note (a search tries every phrase at every character)."""
        if len(sentence) < 240:
            if self.whole is None:
                self.whole = re.compile(r"\b(?:" + "|".join(p.pattern for p, _ in self.patterns) + ")")
            found = self.whole.search(sentence)
            return found.start() if found else len(sentence) + 1
        first = next(iter(self.find(sentence)), None)
        return first[0].start() if first else len(sentence) + 1

    def find(self, sentence: str):
        """(match, category) for every cue that matches at a word of the sentence, left to right."""
        anywhere = self.anywhere
        for word in _WORD_START.finditer(sentence):
            at = word.start()
            by_char = self.by_char
            candidates = {i for start, i in by_char.get(sentence[at:at + 2], ()) if sentence.startswith(start, at)}
            one = by_char.get(sentence[at])
            if one:
                candidates.update(i for start, i in one if sentence.startswith(start, at))
            for index in sorted(candidates.union(anywhere)) if anywhere else sorted(candidates):
                regex, category = self.patterns[index]
                m = regex.match(sentence, at)
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
        r"the thing again", r"(?:in|at) a hotel", r"trap house",
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
        r"(?:edge|top|side) of (?:the )?(?:\w+ ){0,3}(?:car park|bridge|roof|cliff|building|quarry|platform)",
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
        r"\bthe reg\b", r"\b(?:disappeared|vanished)\b", r"\bnot answering\b", r"staff (?:are )?searching",
        r"(?:turned up|came|arrived) (?:\w+ ){0,4}and took", r"(?:going|gone|went) to meet (?:him|her|them|a man|someone)", r"(?:left|walked out of|run out of|ran out of) (?:school|the building|the house|class)(?! (?:at|for) (?:the end|home time))",
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
        r"(?:lid|door) (?:has )?(?:shut|closed|locked) on", r"climbed (?:into|in) (?:a|the) (?:\w+ )?(?:freezer|fridge|chest|box|drain|well)",
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
for _category, _patterns in _SITUATIONS.items():
    _WEAK[_category] = _WEAK[_category] + _patterns

_WORD_START = re.compile(r"\b\w")
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
    r"(?:battery|phone|laptop|charge|charger|signal) (?:is )?(?:about to die|dying|dead|died)|"
    r"(?:head|boss|manager|headteacher|head teacher|senco|ofsted|the office|my team) (?:will|would|is going to|going to) "
    r"(?:murder|kill) me|"
    r"(?:play|playing|game of|wink) murder|murder in the dark|murder mystery|"
    r"killing (?:it|themselves laughing|ourselves laughing|myself laughing)|(?:is|are) killing me|"
    r"dying (?:to|for|of)|die of (?:boredom|embarrassment|shame|laughter)|kill (?:the |for )(?:lights|music|a )|"
    r"(?:play|pretend|play fighting|playfighting|water) fight\w*|fighting over|burning out|burnt out|burned out|"
    r"cutting out|cut out|cut and paste|hit by a ball|hit the roof|smash(?:ed|ing)? it|"
    r"shooting (?:games?|star|hoops|for)|shot out of|stuck in traffic|locked out|fire drill|fire alarm test|"
    r"great fire|firefighter|fire (?:exit|door|safety|brigade visit|station)|cops and robbers|"
    r"(?:homework|coat|bag|phone|book|kit|lunch|money|jumper|shoe|shoes|reading book|pe kit|lunchbox|"
    r"glasses|keys|lesson|lessons|school|class|episodes?|link|form|field|page|pages|data|information|"
    r"signature|paperwork|register|deadline|the bus|out) (?:has |have |is |are |gone |went )*missing|"
    r"missing (?:the|a|an|his|her|their|my|our|your|this|that|it|me|us|\w+s (?:mum|dad|lesson|class))\b|missing (?:a lot|lots|loads|too much|some|most|half|days|homework|lessons?|school|class|the bus|out|episodes?|link|information|data|field|pages?|"
    r"deadlines?|appointments?|sessions?|meals?|breakfast|lunch|her (?:mum|dad|friends?)|his (?:mum|dad|friends?)|"
    r"home|them|you|him|her)|cutting (?:pictures|paper|hair|shapes|it fine|corners)|hurt (?:feelings|her feelings|his feelings)|"
    r"(?:cousins|sisters|brothers|aunties|aunts|uncles|friends|neighbours|family|a family) wedding|"
    r"kill time|killer|drowning in (?:paperwork|work|marking|emails|admin|reports|forms|it|debt|data)|"
    r"(?:glue|staple|nail|paint|spray|heat|water|nerf|toy|bubble|label|hot glue) guns?|"
    r"(?:mum|dad|mums|dads|sister|brother|aunt|auntie|aunty|uncle|cousin|nan|grandma|grandad|teacher|parents|friend) "
    r"(?:is |are )?(?:getting married|marrying|engaged)|kill(?:ed|ing)? it\b|trapped in (?:a|the|this|another) (?:meeting|lesson|traffic|queue|loop)|hanging (?:around|about|out|on)|missing (?:from )?education|(?:heating|printer|laptop|computer|toaster|phone|team|class|"
    r"weather|room|classroom|hall) (?:is|are|was) (?:\w+ )?on fire|hit (?:the|a) (?:ball|target|wall|deadline|button)|knife arch|fire alarms?|dead (?:tired|easy|good|keen|boring)|blew up at|hit it off|stabbed in the back|"
    r"emergency (?:contact|plan|services?|department|meeting|c section)"
)

_IDIOM_CUES = _Cues({"idiom": _top_level(_IDIOMS.pattern)})

# Explicit signs that it is in the past.
_PAST = re.compile(
    r"\b(?:(?<!minutes )(?<!mins )(?<!min )(?<!minute )(?<!hour )(?<!hours )(?<!hr )(?<!hrs )(?<!secs )(?<!seconds )ago|last (?:week|month|year|term|season|academic year|summer|spring|autumn|winter|christmas|easter|weekend|half term|"
    r"time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|previously|previous|"
    r"(?:was|were) admitted|(?:was|were) forced to marry|"
    r"in the past|used to|historic\w*|history of|years back|back in (?:(?:19|20)\d\d|the day|year \d+|primary|nursery|reception|the summer|the spring|january|february|march|april|june|july|august|september|october|november|december)|when (?:she|he|they|i) (?:was|were) "
    r"(?:little|younger|small|a baby|\d+|at primary|in year \d+)|as (?:a child|children|a baby|a toddler)|"
    r"at the time|at birth|in (?:19|20)\d\d|in (?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)|earlier this (?:year|term|month)|"
    r"before they separated|before (?:he|she) (?:left|moved)|after the (?:fire|incident|attack)(?! drill| alarm)|"
    r"(?:was|were) (?:reported|referred|dealt with|sorted)|"
    r"(?:is|was|were) now \d+|criminal record|convictions? (?:for|of)|offences|previous for|(?:was|were|got|been) (?:permanently |fixed term )?excluded|"
    r"(?:tried|attempted) to (?:\w+ ){1,4}(?:at|aged|when (?:she|he|they) (?:was|were)) \d{1,2}\b|"
    r"(?:was|were|got|been) (?:arrested|charged|cautioned|sentenced|convicted|prosecuted)|record for|known to|now aged|(?:tried|attempted) to (?:\w+ ){0,5}in year \d+|went to prison|in prison|convicted|(?:two|three|four|five|six|several|"
    r"\d+) (?:years|months|weeks) ago)\b"
)
_PAST_TIME = re.compile(
    r"\b(?:in (?:19|20)\d\d|(?:\d+|two|three|four|five|six|several|a few|many) (?:years|months|weeks|summers|winters) ago|"
    r"last (?:year|month|term)|back in year \d+|when (?:she|he|they) (?:was|were) (?:in year \d+|\d+|little|younger|small|a baby))\b"
)
# Recent or a season: over, unless the child is still missing ("didn't come home last night") or the
# words speak of a journey or wedding ahead ("being married off in the summer").
_RECENT = re.compile(
    r"\b(?:over (?:the )?(?:half term|holidays?|summer|christmas|easter|break)|during (?:the )?(?:holidays?|half term|"
    r"summer)|in the (?:holidays|summer|spring|autumn|winter|easter holidays|christmas holidays|summer holidays)|"
    r"yesterday|last night|over the weekend|this weekend just gone|the other day|earlier (?:today|this "
    r"week|on)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: night| morning| evening| afternoon)?"
    r"(?! (?:coming|next))|recently)\b"
)
# "since last night" is how long a child has been missing, not a sign that it is over.
_SINCE = re.compile(r"\bsince (?:last \w+|yesterday|\w+day)\b")
# Signs that it ended: nobody is in danger now.
_RESOLVED = re.compile(
    r"\b(?:doing (?:well|ok|okay|better|fine)|(?:is|are|been|now) settled|settled (?:with|in|now)|nightmares|counselling|"
    r"(?:been|is|are) back (?:since|home|now|safe|at school)|"
    r"out of hospital|discharged|home from hospital|(?:is|are|was|were) (?:fine|safe|ok|okay|alright|home safe|well) now|now (?:safe|fine|ok|okay)|"
    r"(?<!not )(?:returned (?:safe|home|safely)|came back|come back|back home safe|was found|were found|"
    r"been found|got out|recovered)|resuscitated|apologised|no injur\w*|not hurt|nobody (?:was )?hurt|no one (?:was )?hurt|"
    r"(?:is|was) (?:fine|ok|okay)\b|she is fine|he is fine|they are fine|much better|healing|healed|"
    r"(?:is|are) now (?:under|with (?:camhs|the gp|a counsellor|foster carers|her nan|his nan)|seeing|getting support|receiving|on medication|back at school)|"
    r"all safe|everyone (?:is )?safe|(?:is|are) (?:safe|settled) here|divorced|no concerns?|accounted for|(?:is|are) (?:so |really |very )?excited|no travel|not travelling|no plans? to travel)\b"
)
# Said in jest: never an alarm, whatever else is said.
_JOKE = re.compile(r"\b(?:false alarm|joking|was a joke|just a joke|laughing|lol|haha\w*|a toy|toy gun|"
                   r"water pistol|nerf gun|banter)\b")
# Now or about to happen: outweighs a past word elsewhere in the sentence.
_SOON = re.compile(
    r"\b(?:(?:has|have|had) just|just now|after (?:school|tea|dinner|college|work)|when (?:he|she|they|dad|mum) "
    r"(?:gets?|comes?) (?:home|back)|home time|pick up time|later (?:today|tonight|on)|in (?:\d+|a few|ten|five|twenty|an?) "
    r"(?:mins?|minutes|hours?|hrs?)|now|right now|at the moment|as we speak|currently|tonight|today|this (?:morning|afternoon|evening|"
    r"week|weekend)|still|again|tomorrow|next (?:week|month|weekend|few days)|about to|going to|will|"
    r"planning|planned|booked|arranged|arranging|organised|plans?|on (?:his|her|their) way|"
    r"(?:is|are|am) (?:being|taking|sending|flying|going|getting|coming))\b"
)
_STILL = re.compile(r"\b(?:right now|as we speak|still|again|tonight|at the moment)\b")
# Plainly happening now: outweighs a question or a topic word ("what do i do he has a knife right now").
_URGENT = re.compile(r"\b(?:now|right now|as we speak|at the moment|tonight|this minute|quick|quickly|asap|"
                     r"urgent|urgently|help)\b")
# A topic rather than an event.
_TOPIC = re.compile(
    r"\b(?:guidance|first aid|refresher|tabletop|table top|exercise|role play|roleplay|simulation|drill|"
    r"assembly|assemblies|training|lesson|lessons|pshe|rshe|workshop|workshops|session|sessions|course|"
    r"courses|poster|posters|awareness|policy|policies|procedure|procedures|protocol|project|topic|"
    r"curriculum|film|movie|a play|the play|school play|(?<!on )(?<!at the )scene|rehears\w*|reading|studying|learning about|novel|"
    r"book|story|game|games|fortnite|prevention|campaign|leaflet|video about|documentary|talk about|"
    r"bullying week|awareness week|case study|module|e learning|elearning|quiz|statistics|research)\b"
)
# A question about what to do, not a report of what is happening.
_QUESTION = re.compile(
    r"\b(?:qmark|should (?:it|this|that) be|what (?:would|makes|made) (?:it|this|that)|how do (?:i|we|you) know|how do (?:i|we|you)|what do (?:i|we|you) do|what should (?:i|we)|what counts|what is (?:a|an|the)|"
    r"whats the|is it ok|is it okay|can i (?:share|talk|tell|refer|speak|record)|do i need|when should|"
    r"should i|who do i|who should i|would (?:i|it|that|this|a|an)|could (?:i|there|it|this|that)|what does|whats|can we|is (?:\w+ ){1,3}a "
    r"safeguarding|does (?:it|that|this) count|what about|what happens|how should)\b"
)
# A made-up case: "what if a child...", "suppose...", "in the event of...".
_IMAGINED = re.compile(
    r"\bwhat if\b|\bif (?:a|an|any|one|someone|somebody|there (?:is|was|were)|i|we|you|my|our|your)\b|"
    r"\bsuppose\b|\bsupposing\b|\bhypothetical\w*|\bin case\b|\bin the event\b|\bscenario\b|\bimagine\b|"
    r"\bone day\b|\bin (?:the )?future\b|\bif nothing changes\b|\bwould (?:it|that|this) (?:be|count)\b"
)
_IF = re.compile(r"\b(?:if|unless|when a)\b")
# Uncertain or a threshold judgement ("at risk of fgm"): no more than possible, even for a strong cue.
_MODAL = re.compile(r"\b(?:might|may|could|possibly|potentially|perhaps|maybe|worried|worry|afraid|risk of)\b")
_NEGATORS = re.compile(
    r"\b(?:not|no|never|nobody|none|without|denies|denied|deny|nor|neither|nothing)\b|no one\b"
)
# "will not stop hitting her", "can not get out": a negative that makes it worse, not better.
_NEGATIVE_DANGER = re.compile(
    r"\b(?:not|never) (?:stop\w*|let\w*|leave|leaving|put \w+ down|come down|coming down|wake|waking|get out|"
    r"allowed out|answering|answer|safe|responding)\b|no (?:food|water|way out|heating|adult|one (?:is )?"
    r"(?:there|home|with (?:him|her|them)))\b"
)


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

    def past(self, category: str) -> bool:
        """True when the sentence says it happened in the past, or that it is over."""
        hit = self._cache.get("past")
        if hit is None:
            text = _SINCE.sub(" ", self.text) if "since" in self.text else self.text
            hit = self._cache["past"] = _PAST_CUES.first(text) <= len(text)
        # A child who went missing last night is still missing: only other events are over.
        return bool(hit) or category not in _STILL_HAPPENING and self.has("recent", _RECENT_CUES)


# The sentence-wide context phrases, indexed like the cues (a long note is read in one pass each).
_STILL_HAPPENING = frozenset({"missing_abduction", "forced_marriage_abroad"})
_PAST_CUES, _RECENT_CUES, _RESOLVED_CUES, _JOKE_CUES, _TOPIC_CUES, _QUESTION_CUES, _IMAGINED_CUES, _IF_CUES = (
    _Cues({"": [regex.pattern]}) for regex in (_PAST, _RECENT, _RESOLVED, _JOKE, _TOPIC, _QUESTION, _IMAGINED, _IF))


def _clause_at(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The clause holding a match (without the match), and the words of that clause before it."""
    left = sentence.rfind("|", 0, start) + 1
    right = sentence.find("|", end)
    right = right if right >= 0 else len(sentence)
    return sentence[left:start] + " " + sentence[end:right], sentence[left:start]


def _level(sent: _Sentence, m: re.Match, strong: bool, category: str = "") -> str:
    """The tier of one cue in its sentence: a strong cue is clear unless its context says otherwise."""
    clause, before = _clause_at(sent.text, m.start(), m.end())
    before_words = " ".join(before.split()[-4:])
    if _NEGATORS.search(_NEGATIVE_DANGER.sub(" ", before_words)) or sent.has("joke", _JOKE_CUES):
        return NONE
    if category == "weapon" and _NEGATORS.search(_NEGATIVE_DANGER.sub(" ", m.group(0))):
        return NONE  # "he has not got a knife"
    soon = _SOON.search(clause) is not None
    imagined = sent.first("imagined", _IMAGINED_CUES) < m.start()
    if imagined and not soon:
        return NONE
    if not soon and sent.past(category):
        return NONE
    if _PAST_TIME.search(sent.text) and not _URGENT.search(clause):
        return NONE  # "he got stabbed in 2023 and still has nightmares"
    if sent.has("resolved", _RESOLVED_CUES) and not _STILL.search(clause):
        return NONE  # it is over ("she is safe now", "discharged"), unless something goes on still
    level = CLEAR if strong else POSSIBLE
    urgent = _URGENT.search(clause) is not None
    if (not urgent and (imagined or sent.has("topic", _TOPIC_CUES) or sent.has("question", _QUESTION_CUES))
            or _MODAL.search(before_words) or sent.first("if", _IF_CUES) < m.start()):
        level = POSSIBLE if level == CLEAR else NONE
    return level


_FILLER = frozenset({"now", "please", "pls", "quick", "quickly", "asap", "right", "urgent", "urgently", "a", "an"})


def _bare(sentences: list[str]) -> str:
    """The alarm a message is nothing but ("999!!", "emergency please"), or ""."""
    words = [w for w in " ".join(sentences).replace("|", " ").split() if w not in _FILLER]
    joined = " ".join(words)
    return joined if joined in _ALARMS or (words != ["help"] and set(words) <= {"999", "help", "sos"} and bool(words)) else ""


def is_bare_alarm(text: str) -> bool:
    """True when the whole message is an alarm ("999", "emergency"): there is nothing else to keep."""
    return bool(_bare(normalise(text[:200])))


def assess(text: str) -> Assessment:
    """How far a typed message says a child is in danger now (clear, possible or none), and of what."""
    sentences = normalise(text[:4000])
    if not sentences:
        return NO_DANGER
    bare = _bare(sentences)
    if bare:
        return Assessment(CLEAR, "", bare)
    best = NO_DANGER
    for text_ in sentences:
        sent = _Sentence(text_)
        for m, category in _STRONG_CUES.find(text_):
            if sent.idiom(m):
                continue
            level = _level(sent, m, strong=True, category=category)
            if level == CLEAR:
                return Assessment(CLEAR, category, m.group(0))
            if level == POSSIBLE and best.level == NONE:
                best = Assessment(POSSIBLE, category, m.group(0))
        if best.level == NONE:
            for m, category in _WEAK_CUES.find(text_):
                if not sent.idiom(m) and _level(sent, m, strong=False, category=category) == POSSIBLE:
                    best = Assessment(POSSIBLE, category, m.group(0))
                    break
    return best
