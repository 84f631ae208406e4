"""Triage patterns: the deterministic first layer of safety triage.

Holds the text views the patterns read (``fold``, ``canonical`` with its leetspeak, stretching,
censoring and misspelling repairs for crisis words), the regex vocabulary (who, intent, act,
medicines, treatments, doses, conditions, symptoms), the ``Rule``/``PatternHit`` machinery, every
category's rule list, and ``pattern_hits`` with the sentence window that context rules look at.
Also the label set and its precedence, shared by the rest of triage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

LABELS: tuple[str, ...] = ("crisis", "medical_advice", "illicit", "manipulation", "out_of_scope", "ok")
PRECEDENCE: tuple[str, ...] = ("crisis", "manipulation", "illicit", "medical_advice", "out_of_scope", "ok")


# ============================================================================ text views


def fold(text: str) -> str:
    """Lower-case, accents removed, curly quotes straightened: the view most patterns read."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00b4", "'")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


# Crisis words that people misspell, stretch, censor or write in leetspeak. Only tokens that come
# close to one of these are rewritten, so numbers such as "50mg" are never touched.
_CRISIS_WORDS = (
    "suicide", "suicidal", "suicidally", "myself", "yourself", "himself", "herself", "themselves",
    "themself", "overdose", "overdosed", "overdosing", "unalive", "unaliving", "goodbye", "goodbyes",
    "kill", "killing", "die", "dying", "dead", "pills", "commit", "hopeless", "anymore", "wanna",
)
_FUZZY_MIN_LEN = 6  # shorter words ("die", "kill") are only matched through leetspeak/stretching/censoring
_NOT_CRISIS_WORDS = frozenset(
    {"subside", "subsided", "subsides", "overdone", "overdue", "comment", "comet", "commits", "combat",
     "kills", "dies", "diet", "dyed", "dying", "mystery", "anyone", "anyhow", "wanda", "hopeful"}
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"})
_TOKEN = re.compile(r"[\w@$*|]+(?:!+[\w@$*|]+)*")


def canonical(folded: str) -> str:
    """``folded`` with near-miss spellings of crisis words replaced by the words themselves."""
    return _TOKEN.sub(lambda m: _canonical_token(m.group(0)), folded)


@lru_cache(maxsize=8192)
def _canonical_token(token: str) -> str:
    if token in _CRISIS_WORDS or token in _NOT_CRISIS_WORDS or token.isdigit() or len(token) < 3:
        return token
    if not any(ch.isalpha() for ch in token):
        return token
    candidates = {token}
    if sum(ch.isalpha() for ch in token) >= len(token) / 2:
        candidates.add(token.translate(_LEET))
    for cand in list(candidates):
        candidates.add(re.sub(r"(.)\1{2,}", r"\1", cand))
        candidates.add(re.sub(r"(.)\1{2,}", r"\1\1", cand))
    for cand in candidates:
        if cand in _CRISIS_WORDS:
            return cand
    if "*" in token:
        pattern = re.compile("".join("[a-z]{0,2}" if ch == "*" else re.escape(ch) for ch in token.translate(_LEET)))
        for word in _CRISIS_WORDS:
            if pattern.fullmatch(word):
                return word
        return token
    for cand in candidates:
        if len(cand) < _FUZZY_MIN_LEN - 1 or cand in _NOT_CRISIS_WORDS or not cand.isalpha():
            continue
        for word in _CRISIS_WORDS:
            if len(word) < _FUZZY_MIN_LEN or abs(len(word) - len(cand)) > 2 or cand[0] != word[0]:
                continue
            budget = 2 if len(word) >= 7 and cand[:2] == word[:2] else 1
            if _edit_distance(cand, word, budget) <= budget:
                return word
    return token


def _edit_distance(a: str, b: str, cap: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions cost 1), stopping early above ``cap``."""
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > cap:
            return cap + 1
        prev2, prev = prev, cur
    return prev[-1]


# ============================================================================ patterns


def _alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# Who is speaking about whom.
_RELATION = _alt(
    "brother", "sister", "son", "daughter", "mom", "mum", "mother", "dad", "father", "husband", "wife",
    "partner", "boyfriend", "girlfriend", "bf", "gf", "fiance", "fiancee", "friend", "bestie", "roommate",
    "kid", "child", "teen", "teenager", "cousin", "uncle", "aunt", "niece", "nephew", "grandma", "grandpa",
    "grandmother", "grandfather", "spouse", "coworker", "colleague", "neighbou?r", "patient", "client",
    "classmate", "ex", "stepson", "stepdaughter", "sibling", "loved one", "student", "buddy", "mate",
)
_FIRST = r"(?:\bi\b|\bi'?m\b|\bim\b|\bi'?ve\b|\bive\b|\bi'?ll\b|\bi'?d\b|\bimma\b|\bima\b)"
_THIRD = rf"(?:\b(?:he|she|they|he'?s|she'?s|they'?re|hes|shes)\b|\bmy (?:\w+ )?{_RELATION}s?\b|\b(?:a|our) {_RELATION}\b|\bsomeone (?:i|we) (?:know|love|care about)\b)"
_WHO = rf"(?:{_FIRST}|{_THIRD})"
_SELF = r"(?:my ?self|him ?self|her ?self)"
_ANY_SELF = r"(?:my ?self|him ?self|her ?self|them ?sel(?:f|ves)|your ?self)"
_POSS = r"(?:my|his|her|their)"
# Words that make "I ... suicidal" a report about reading or asking, not about oneself.
_GAP = r"(?:(?!read|heard|hear|wonder|curious|know|learn|saw|seen|study|studies|research|ask|asking|question|that|if|whether|about|how|why|what|ketamine|it|its|helps?)\w+\s+)"
_WINDOW = r"[^.?!\n]"

_MEDS = _alt(
    r"sertraline", "zoloft", "fluoxetine", "prozac", "escitalopram", "lexapro", "citalopram", "celexa",
    "paroxetine", "paxil", "fluvoxamine", "venlafaxine", "effexor", "desvenlafaxine", "pristiq",
    "duloxetine", "cymbalta", "bupropion", "wellbutrin", "mirtazapine", "remeron", "trazodone",
    "vortioxetine", "trintellix", "vilazodone", "viibryd", "amitriptyline", "nortriptyline",
    "imipramine", "clomipramine", "phenelzine", "nardil", "tranylcypromine", "parnate", "selegiline",
    "emsam", "lithium", "lamotrigine", "lamictal", "valproate", "depakote", "divalproex", "carbamazepine",
    "tegretol", "oxcarbazepine", "quetiapine", "seroquel", "aripiprazole", "abilify", "olanzapine",
    "zyprexa", "risperidone", "risperdal", "lurasidone", "latuda", "cariprazine", "vraylar",
    "brexpiprazole", "rexulti", "clozapine", "haloperidol", "ziprasidone", "caplyta", "alprazolam",
    "xanax", "clonazepam", "klonopin", "lorazepam", "ativan", "diazepam", "valium", "temazepam",
    "benzodiazepines?", "benzos?", "zolpidem", "ambien", "gabapentin", "neurontin", "pregabalin",
    "lyrica", "buspirone", "buspar", "hydroxyzine", "propranolol", "clonidine", "prazosin", "adderall",
    "amphetamines?", "vyvanse", "ritalin", "methylphenidate", "concerta", "modafinil", "naltrexone",
    "vivitrol", "buprenorphine", "suboxone", "methadone", "oxycodone", "hydrocodone", "tramadol",
    "morphine", "opioids?", "percocet", "lisinopril", "amlodipine", "losartan", "metoprolol", "atenolol",
    "levothyroxine", "synthroid", "metformin", "insulin", "ozempic", "semaglutide", "wegovy",
    "mounjaro", "warfarin", "eliquis", "xarelto", "topiramate", "topamax", "auvelity", "zofran",
    "ondansetron", "tylenol", "ibuprofen", "advil", "st john'?s wort", "ssris?", "snris?", "maois?",
    "antidepressants?", "antipsychotics?", "mood stabili[sz]ers?", "stimulants?", "birth control",
    "the pill", "sleeping pills?", "sleep meds", "blood pressure (?:meds|medications?|pills)",
    "thyroid (?:meds|medication)", "meds", "medications?", "medicines?", "prescriptions?", "pills",
)
_TREATMENT = _alt(
    "ketamine", "spravato", "esketamine", "infusions?", "sessions?", "treatments?", "the spray",
    "nasal spray", "troches?", "lozenges?", "boosters?", "tms", "ect", "therapy",
)
_DOSE = r"(?:doses?|dosages?|dosing|mg|milligrams?|mg/kg|ml|sprays?|devices?|boosters?)"
_CONDITION = _alt(
    "bipolar", r"schizo\w*", r"psychos[ie]s", "psychotic", "high blood pressure", "hypertension",
    r"heart (?:condition|disease|problems?|issues?|failure|attack|murmur)", "atrial fibrillation", "afib",
    r"arrhythmi\w*", "stroke", "aneurysm", "glaucoma", "seizures?", r"epilep\w*", r"liver\b", r"kidneys?",
    "bladder", "asthma", "copd", "sleep apnea", r"diabet\w*", "thyroid", "cancer", r"addict\w*",
    "alcohol(?:ism| abuse| use disorder)", r"substance (?:use|abuse)", r"drug (?:use|abuse|problem)",
    "eating disorder", "anorexia", "bulimia", "adhd", "ocd", "autism", "dementia", "brain injury", "tbi",
    "concussion", "migraines?", "chronic pain", "fibromyalgia", r"\d{2} (?:years? old|yo)\b", r"\d{2}-year-old",
    r"obes\w*", "overweight", "panic disorder", "a history of", r"pacemaker", r"lupus", r"hepatitis",
)
_SYMPTOM = _alt(
    r"dizz\w*", r"nause\w*", r"vomit\w*", "threw up", r"throw(?:ing)? up", r"headaches?", r"migraines?",
    r"pain\w*", r"burn(?:s|ing)?", r"blood\b", r"bleed\w*", "heart (?:rate|racing|pounding|was racing|beat)",
    r"palpitations?", r"chest", "blood pressure", r"\bbp\b", r"numb\w*", r"tingl\w*", r"hallucinat\w*",
    "seeing things", "hearing (?:things|voices)", r"confus\w*", "insomnia", "can'?t sleep", r"nightmares?",
    "rash", r"itch\w*", r"\bpee\w*", r"urin\w*", "bladder", "vision", r"blurr\w*", r"shak\w*",
    r"tremors?", r"seizures?", r"faint\w*", "passed out", "memory", r"dissociat\w*", "detached",
    r"paranoi\w*", r"panic\w*", "manic", "mania", "racing thoughts", r"sweat\w*", "fever", r"swell\w*",
    r"sick\b", "woozy", "drowsy", "foggy", "floaty", r"spac\w* out", "spacey", "out of it", "groggy", r"hung ?over",
    r"fatigue\w*", "exhausted", "weird", "not myself", "disconnected", "unreal", r"depress\w* (?:is|got|has gotten) worse", r"worse\b",
)


@dataclass(frozen=True)
class Rule:
    """One pattern: it fires when ``pattern`` matches, and, if given, when the sentence around the
    match also contains ``context`` and does not contain ``unless``."""

    category: str
    name: str
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    view: str = "canon"  # canon (crisis spellings repaired), folded, or raw (scripts that fold badly)


Alternatives = str | list[str]


def _rule(category: str, name: str, pattern: Alternatives, context: Alternatives | None = None, unless: Alternatives | None = None, view: str = "canon") -> Rule:
    """A rule; each regex may be written as a list of alternatives, one per line."""

    def compile_(alternatives: Alternatives | None) -> re.Pattern[str] | None:
        if not alternatives:
            return None
        return re.compile(alternatives if isinstance(alternatives, str) else "|".join(alternatives), re.IGNORECASE)

    return Rule(category, name, compile_(pattern), compile_(context), compile_(unless), view)


_DEATH_ACT = (
    r"(?:die|be dead|dead|not (?:be )?(?:alive|here|exist|living)|stop (?:existing|living|breathing)|"
    r"disappear (?:forever|for good|permanently)|be gone (?:forever|for good)|cease to exist|"
    rf"end (?:it all|it|things|everything|{_POSS} (?:own )?life)|take {_POSS} (?:own )?life|"
    rf"(?:kil{{1,2}}|kll) {_SELF}|unalive(?: {_SELF})?|go to sleep (?:and|&) (?:never|not) wake up|sleep forever|"
    rf"never wake up|not wake up|overdose|od\b|jump off\b|hang {_SELF})"
)
_INTENT = (
    r"(?:want(?:s|ed)? to|wanna|wish(?:es|ed)? (?:to|i could)|would like to|'?d like to|long(?:ing)? to|"
    r"need(?:s)? to|am ready to|'?m ready to|ready to|going to|gonna|gunna|will|'ll|plan(?:s|ned|ning)? to|"
    r"about to|decided to|tr(?:y|ies|ied|ying) to|attempt(?:s|ed|ing)? to|thinking (?:about|of)|"
    r"thought (?:about|of)|talk(?:s|ed|ing)? about|prefer to|would rather|'?d rather|rather)"
)

CRISIS_RULES: list[Rule] = [
    _rule("crisis", "kill_self", rf"\b(?:(?:kil{{1,2}}|kll)(?:ing|ed|s)?|unaliv(?:e|es|ed|ing)|off(?:ing)?|hang(?:ing|ed|s)?|shoot(?:ing)?|drown(?:ing)?|poison(?:ing)?|suffocat\w*|stab(?:bing)?|end(?:ing)?)\s+{_SELF}\b"),
    _rule("crisis", "harm_self", rf"\b(?:hurt(?:ing|s)?|harm(?:ing|ed|s)?|cut(?:ting|s)?|burn(?:ing|ed|t|s)?|scratch(?:ing|ed)?|punish(?:ing|ed)?|starv(?:e|ing|ed)|bang(?:ing)? {_POSS} head|mutilat\w*)\s+{_SELF}\b",
          unless=r"\baccident\w*|\bshav\w*|\bcooking\b|\bgym\b|\bworking out\b"),
    _rule("crisis", "harm_themselves_specific", rf"\b(?:kill|unaliv|hurt|harm|cut|hang|end)\w*\s+{_ANY_SELF}", context=rf"{_THIRD}|\btold me to\b|\bsaid to\b"),
    _rule("crisis", "self_harm_personal", r"\bself[- ]?(?:harm\w*|injur\w*|mutilat\w*)|\bcutting (?:again|myself|herself|himself)\b|\brelapsed? on (?:self[- ]?harm|cutting)\b|\bbeen cutting\b",
          context=rf"{_FIRST}|\bmy\b|{_THIRD}|\burges?\b|\brelapse"),
    _rule("crisis", "suicidal_first_person", [
        rf"{_FIRST}\s+{_GAP}{{0,3}}suicidal\b",
        rf"\bmy (?:own )?(?:suicidal|suicide)\b",
        rf"\bsuicidal (?:thoughts|ideation|feelings|urges) (?:all week|tonight|lately|again|every day|right now|rn|today|these days|this week|are back|came back|keep)",
    ]),
    _rule("crisis", "suicidal_third_person", rf"{_THIRD}\s+{_GAP}{{0,3}}suicidal\b"),
    _rule("crisis", "suicidal_progressive", rf"(?:^|[.!?\n]\s*)(?:(?:and|but|so|just|also|honestly|lately|recently|still|ngl|tbh)\s+)*(?:been|having|feeling|getting|keep having|keep getting|struggling with|dealing with)\s+(?:\w+\s+){{0,3}}?(?:suicidal|suicide|thoughts? (?:of|about) (?:dying|death|suicide))"),
    _rule("crisis", "suicide_act", rf"{_WHO}\s+(?:\w+\s+){{0,4}}?(?:attempt(?:s|ed|ing)?|tr(?:y|ies|ied|ying)|commit(?:s|ted|ting)?|contemplat\w+|consider(?:s|ed|ing)?|think(?:s|ing)? (?:about|of)|thought (?:about|of)|talk(?:s|ed|ing)? about|plan(?:s|ned|ning)?|going to|gonna|wanna|want(?:s|ed)? to)\s+(?:to\s+)?(?:commit\s+)?suicide\b"),
    _rule("crisis", "attempt_history", rf"\b(?:i|he|she|they)\s+(?:\w+\s+)?attempted\b(?!\s+to\s+(?!kill|end|die|take))|\bsuicide attempts?\b", context=rf"{_FIRST}|\bmy\b|{_THIRD}"),
    _rule("crisis", "suicide_then_personal", r"\bsuicid\w*|\bdying\b|\bdeath\b|\bself[- ]?harm",
          context=r"\b(?:mine (?:are|is|have been|keep|get)|me too|i have them|i get them|i'?ve had them|i have those|like me)\b"),
    _rule("crisis", "intent_to_die", rf"{_WHO}\s+(?:\w+\s+){{0,3}}?{_INTENT}\s+(?:just\s+|simply\s+|finally\s+|really\s+|go\s+and\s+)?{_DEATH_ACT}",
          unless=[
        r"\b(?:scared|afraid|worried|fear|terrified|nervous|anxious|panic\w*)\b[^.?!\n]*\b(?:going to|gonna|will) die\b",
        r"\b(?:going to|gonna|will) die (?:from|of|during|because|in the)\b",
        r"\b(?:felt|feel|feeling|thought) like i (?:was|am|'m) (?:going to die|dying)\b",
        r"\bdying to\b",
    ]),
    _rule("crisis", "desire_to_die", rf"\b(?:want(?:s|ed)?|wanna|wish(?:es|ed)?|long(?:ing)?|ready)\s+(?:to\s+)?(?:just\s+|simply\s+|finally\s+)?{_DEATH_ACT}"),
    _rule("crisis", "wish_dead", r"\bwish(?:ed)? (?:that )?(?:i|he|she) (?:was|were|had|could|would|'?d) (?:just )?(?:dead|gone|never (?:been )?born|not (?:been )?born|not (?:here|alive)|die|disappear|not wake up|never wake up)"),
    _rule("crisis", "not_want_to_live", r"\b(?:do ?n'?t|do not|does ?n'?t|does not|no longer|never) (?:really )?wants? to (?:live|be alive|exist|wake up|go on|keep going|keep living|continue living|be here any ?more|be here any longer|be around any ?more|be here$|be here[.!,]|be here (?:now|tomorrow|today|tonight))\b"),
    _rule("crisis", "end_it_all", [
        rf"\b(?:end(?:ing)?|finish(?:ing)?) it all\b",
        rf"\bend(?:ing)? {_POSS} (?:own )?life\b",
        rf"\btak(?:e|ing) {_POSS} (?:own )?life\b",
        rf"\bend(?:ing)? (?:things|everything)\b(?! (?:with|between|off|on|at|for))",
        rf"\bend(?:ing)? it\b(?=\s*(?:$|[.!?,]|tonight|today|now|soon|for good|forever|this (?:week|weekend|time)|once and for all))",
    ]),
    _rule("crisis", "no_reason_to_live", [
        r"\b(?:can'?t|cannot|don'?t|do not|couldn'?t|never) (?:see|find|think of|have) (?:a|any|one) (?:single )?(?:reason|point|purpose) (?:to|for|in) (?:live|living|go on|going on|keep going|stay|staying|be alive|being alive|life|carry on)\b",
        r"\b(?:no|nothing|zero|not (?:a|one|any)|what'?s the|whats the|what is the) (?:single )?(?:reason|point|purpose)\s+(?:left\s+)?(?:in |to |for |of )?(?:liv(?:e|ing)|life|go(?:ing)? on|keep(?:ing)? going|be(?:ing)? alive|stay(?:ing)? alive|exist(?:ing)?|wake up|waking up|trying any ?more|it all|any of (?:this|it)|anything any ?more)\b",
        r"\bnothing (?:left )?to live for\b",
        r"\b(?:life|living|my life|it all|being alive|existing)\s+(?:is|'?s)?\s*(?:n'?t|not|no longer|never)\s+(?:really\s+)?worth\b",
        r"\bnot worth living\b",
    ]),
    _rule("crisis", "thoughts_of_dying", [
        # Personal, ongoing thoughts of death: "I keep thinking about dying", "thoughts of death all the time".
        r"\b(?:i|i'?ve|i'?m|im|been|keep|always|constantly|can'?t stop)\b[^.?!\n]{0,30}\b(?:think|thinking|thought|thoughts|dream|dreaming|fantasi[sz]ing)\s+(?:about|of)\s+(?:dying|death|being dead|not being (?:here|alive|around)|not waking up|ending (?:it|my life|things))\b",
        r"\b(?:think|thinking|thoughts)\s+(?:about|of)\s+(?:dying|death|being dead|not waking up)\s+(?:all the time|constantly|every day|a lot|more and more|non ?stop)\b",
    ]),
    _rule("crisis", "make_it_stop", [
        r"\b(?:want|need|wish)\w*\s+(?:it|it all|everything|the pain|this|all of (?:it|this)|my life)\s+to\s+(?:stop|end|be over)\s+(?:for good|forever|permanently|once and for all)\b",
        r"\b(?:want|need|wish)\w*\s+(?:it all|everything|my life|all of (?:it|this))\s+to\s+(?:stop|end|be over)\b",
        r"\bstop\b[^.?!\n]{0,15}[.,!]?\s*permanently\b",
    ]),
    _rule("crisis", "no_way_out", [
        r"\b(?:no|do ?n'?t see (?:a|any)|can'?t see (?:a|any)|can'?t find (?:a|any)|there'?s no)\s+(?:other\s+)?(?:way out|future for me|light at the end|escape from this)\b",
        r"\bonly way out\b",
    ]),
    _rule("crisis", "passive_ideation", [
        r"\b(?:wouldn'?t|would not|won'?t|don'?t|do not|wouldn'?t even) (?:mind|care)\b[^.?!\n]{0,40}\b(?:dying|die|died|dead|not wak\w+|wake up|hit by|gone|existing|living|crash\w*)\b",
        r"\b(?:dying|die|died|dead|hit by a \w+|not waking up)\b[^.?!\n]{0,40}\b(?:wouldn'?t mind|don'?t care|would be (?:a )?relief|be a relief|be fine|be okay|be ok)\b",
        r"\b(?:stop(?:ped)?|cease[ds]?|quit) (?:existing|to exist|being alive)\b",
        r"\bfade away\b",
        r"\b(?:if|when) i (?:die|was dead|were dead|was gone|were gone|disappear\w*)\b[^.?!\n]{0,30}\b(?:better|relief|care|notice|miss|fine|easier)\b",
    ]),
    _rule("crisis", "not_safe", [
        rf"\b(?:can'?t|cannot|not be able to|unable to|don'?t know if i can|don'?t think i can|might not be able to|struggl\w+ to|hard to) (?:keep|stay) (?:myself |him ?self |her ?self )?safe\b",
        rf"\b(?:not|don'?t feel|no longer) safe (?:from|with|around) {_SELF}\b",
        rf"\bsafe from {_SELF}\b",
    ]),
    _rule("crisis", "crisis_line", [
        r"\b988\b",
        r"\bcrisis (?:line|hotline|text line|lifeline|number|team)\b",
        r"\bsuicide (?:hotline|line|lifeline|prevention (?:line|number|hotline))\b",
        r"\blifeline\b",
        r"\bsamaritans\b",
    ], context=_FIRST + r"|\bme\b|\bmy\b"),
    _rule("crisis", "at_the_edge", [
        rf"{_FIRST}\s+(?:\w+\s+){{0,2}}(?:sitting|standing|stood|sat|parked|waiting|on my way|going|headed|driving|walking|up) (?:on|at|to|near|by) (?:the |a |this )?(?:edge|bridge|ledge|roof|rooftop|tracks|train tracks|railway|cliff|overpass|top of)\b",
        rf"\b(?:research(?:ing|ed)?|look(?:ing|ed) (?:up|into)|search(?:ing|ed)(?: for)?|googl(?:ing|ed)|read(?:ing)? about|found|pick(?:ed|ing)|chose|decided on)\s+(?:\w+\s+){{0,2}}(?:methods?|ways)\b\s*(?=[.!?]|$|to (?:do it|die|end it|go))",
    ]),
    _rule("crisis", "last_contact", [
        r"\b(?:the )?last time (?:i'?ll|i will|i'?m going to|i'?m gonna|you'?ll|anyone will)(?: ever)? (?:write|talk|message|post|hear from me|see me|be here|reach out)\b",
        r"\byou (?:won'?t|will not) (?:hear from|see) me (?:again|anymore|any more)\b",
    ]),
    _rule("crisis", "self_neglect_on_purpose", r"\b(?:hurt|cut|burn|starv|stopp?ed (?:eating|taking)|not eating|skipp?(?:ed|ing) (?:my )?meals|took|skipped my meds|not taking my meds)\w*\b[^.?!\n]{0,40}\bon purpose\b"),
    _rule("crisis", "cannot_go_on", [
        r"\bcan'?t (?:go on|keep going|keep living|carry on|live like this|do (?:this|it|life) any ?more|(?:take|stand|handle|bear) (?:it|this|life|living|the pain)(?: any ?more| any longer))\b",
        r"\bcan ?not (?:go on|keep going|do this any ?more)\b",
    ]),
    _rule("crisis", "done_with_life", [
        r"\b(?:i'?m|im|i am|i feel|i'?ve been|am)\s+(?:\w+\s+)?(?:done|finished|through) with (?:life|living|everything|it all|this (?:life|world)|being alive|existing)\b",
        r"\btired of (?:living|being alive|life|existing|waking up|being here)\b",
    ]),
    _rule("crisis", "burden", r"\b(?:i'?m|im|i am|feel like|being|i'?ve become|i became)\s+(?:just\s+|such\s+|only\s+|a\s+)*(?:a )?burden\b", unless=r"\b(?:do ?n'?t|not) want to be a burden\b"),
    _rule("crisis", "better_off_without", [
        r"\bbetter (?:off )?without (?:me|him|her)\b",
        r"\b(?:better off|happier|relieved|easier|fine)\s+(?:\w+\s+)?(?:without (?:me|him|her)\b|if (?:i|he|she) (?:was|were|wasn'?t|weren'?t|died|disappeared|was gone|were gone))",
        r"\bbetter off dead\b",
        r"\b(?:better|happier|relieved) if (?:i|he|she) (?:was|were|wasn'?t|weren'?t|died|disappeared)\b",
    ]),
    _rule("crisis", "nobody_would_miss", r"\b(?:no ?one|nobody|not a single person)\s+(?:would|will|'?d|'?ll)?\s*(?:even\s+)?(?:miss|notice|care|mourn)\b(?:[^.?!\n]{0,25}\b(?:gone|die|dead|if i|about me))?", context=r"\b(?:gone|die|dead|if i|me|i)\b"),
    _rule("crisis", "took_many_pills", rf"\b(?:took|taken|swallowed|downed|popped|ate)\b(?:\s+\S+){{0,3}}?\s+(?:all|every|everything|whole|entire|bunch|handful|handfuls|lots?|loads|too many|way too many|\d{{2,}}|twenty|thirty|forty|fifty|hundred)\b(?:\s+\S+){{0,5}}?\s+(?:{_MEDS}|troches|lozenges|doses|tablets|tabs)\b"),
    _rule("crisis", "would_it_kill_me", r"\b(?:would|will|could|can|might|does|do)\s+(?:that|it|this|they|ketamine|these|those|\w+)\s+(?:\w+\s+)?kill (?:me|myself)\b|\b(?:enough|amount|dose|how much|how many)\b[^.?!\n]{0,40}\bto kill (?:me|myself)\b"),
    _rule("crisis", "large_ingestion", [
        rf"\b(?:take|taking|swallow\w*|pop(?:ping)?|down(?:ing)?)\s+(?:like\s+|about\s+|maybe\s+)?(?:\d{{2,}}|twenty|thirty|forty|fifty|hundred|a whole bottle|the whole bottle|an entire bottle|a handful|handfuls)\s+(?:of\s+)?(?:my\s+|the\s+|these\s+|those\s+|his\s+|her\s+)?(?:\w+\s+)?(?:{_MEDS}|troches|lozenges|doses|tablets|tabs)\b",
        rf"\b(?:take|taking|swallow\w*|use|using)\s+(?:them all|it all|all (?:of )?(?:them|it|my|the)|everything|every (?:one|pill))\b[^.?!\n]{{0,40}}\b(?:at once|together|at the same time|in one go|tonight)\b",
    ],
          unless=r"\b(?:party|rave|festival|club|fun|high)\b"),
    _rule("crisis", "took_overdose", rf"\boverdos(?:ed|ing)\b|\bod'?(?:d|ing)\b|\btook an overdose\b", context=rf"{_FIRST}|{_THIRD}|\bjust\b"),
    _rule("crisis", "intend_overdose", rf"{_WHO}\s+(?:\w+\s+){{0,3}}?(?:going to|gonna|plan(?:s|ning)? to|want(?:s)? to|wanna|thinking (?:about|of)|about to|will|'ll|tr(?:y|ying|ied) to)\s+(?:overdose|od\b|take (?:them|it|everything|all (?:of )?(?:them|it|my|the))\b(?: all)?(?: at once)?)"),
    _rule("crisis", "stockpiling", [
        rf"\b(?:stockpil\w*|hoard\w*|sav(?:e|ed|ing) up|been (?:saving|collecting|keeping|stashing))\b(?:\s+\S+){{0,4}}?\s+(?:{_MEDS}|doses|troches|lozenges|ketamine|sprays?)\b",
        rf"\bhow many (?:of )?(?:my |the |these )?{_MEDS} (?:it )?(?:would|will|does it) take\b",
    ]),
    _rule("crisis", "lethal_amount", [
        r"\b(?:lethal|fatal|deadly|killing)\s+(?:dose|amount|quantity|level)\b",
        r"\bhow (?:much|many)\b[^.?!\n]{0,50}\b(?:to|would|will|could|does it take to|it takes to|until|before)\s+(?:kill|die|be lethal|be fatal|overdose|od\b|stop (?:my|your|the|a) heart|not wake up|never wake up)\b",
        r"\bhow (?:much|many)\b[^.?!\n]{0,40}\bis (?:lethal|fatal|deadly|too much to survive)\b",
        r"\b(?:knock|put) (?:me|myself) (?:out|down|to sleep) (?:for good|forever|permanently)\b",
        r"\benough\b[^.?!\n]{0,20}\bto (?:never wake up|not wake up|die|kill me|end it|stop my heart)\b",
        r"\b(?:which|what) (?:\w+ )?(?:medicines?|medications?|pills|meds|drugs)\b[^.?!\n]{0,30}\b(?:are |is )?(?:deadly|lethal|fatal|(?:dangerous|deadly) in (?:large|high|big) (?:amounts|doses))\b",
    ]),
    _rule("crisis", "not_wake_up", [
        r"\b(?:want|wanna|wish|hope|enough|rather|prefer|fine|okay|ok|happy|glad)\b[^.?!\n]{0,30}\b(?:never|not|don'?t|didn'?t|won'?t) (?:ever )?wake (?:back )?up\b",
        r"\b(?:never|not|don'?t|didn'?t|won'?t) wake (?:back )?up\b[^.?!\n]{0,30}\b(?:fine|okay|ok|good|better|relief|happy|glad|wouldn'?t mind|don'?t care|whatever)\b",
    ]),
    _rule("crisis", "goodbye", [
        r"\b(?:this is|it'?s|here'?s|consider this|this will be|this'?ll be) (?:my |our )?(?:final |last |real |official )?(?:goodbye|farewell)\b",
        r"\b(?:this (?:is|will be|'?ll be)|it'?s) (?:my|our) (?:last|final) (?:message|goodbye|words|post|note|letter)\b",
        r"\bmy (?:last|final) (?:goodbye|words)\b",
        r"\b(?:goodbye|bye|farewell) (?:everyone|everybody|world|forever|for good|for the last time|cruel world|to (?:everyone|everybody|you all|all of you|the world|this world|life))\b",
        r"\b(?:goodbye|farewell|suicide) (?:text|message|letter|note|email|video|call|post|voicemail)\b",
    ]),
    _rule("crisis", "say_goodbye", r"\b(?:want(?:ed)? to|need(?:ed)? to|wanna|going to|gonna|just|here to|writing to|came to|time to|trying to|like to) say (?:my )?(?:goodbyes?|bye|farewell)\b(?! to (?:depression|anxiety|ptsd|pain|my (?:depression|anxiety|ptsd|pain|old self|meds|medications?)))"),
    _rule("crisis", "goodbye_then_unreachable", r"\b(?:sa(?:id|ys|ying)|sent) (?:me )?(?:(?:his|her|their|a|my) )?(?:goodbyes?|bye)\b",
          context=r"\b(?:not (?:answering|picking up|responding|replying)|isn'?t (?:answering|picking up|responding)|won'?t (?:answer|pick up|respond)|can'?t (?:reach|find|get hold of)|hasn'?t (?:answered|responded|replied)|no answer|phone (?:is )?off)\b"),
    _rule("crisis", "final_arrangements", [
        r"\b(?:wrote|written|writing|left|leaving|recorded|recording)\s+(?:\w+\s+){0,2}(?:notes?|letters?|messages?|videos?) (?:to|for) (?:my (?:kids|children|family|wife|husband|partner|parents|mom|dad|son|daughter|friends|loved ones|sister|brother)|everyone|everybody|each of them)\b",
        r"\bgiv(?:e|ing|en) away (?:all )?(?:of )?(?:my|his|her|their) (?:stuff|things|belongings|possessions|pets?|dogs?|cats?|guitar|collection|clothes|books|money|savings)\b",
        r"\bgiv(?:e|ing|en)\s+(?:all\s+)?(?:of\s+)?(?:my|his|her|their)\s+(?:\w+\s+)?(?:stuff|things|belongings|possessions|pets?|dogs?|cats?|clothes|books|money|savings)\s+away\b",
        r"\b(?:put(?:ting)?|get(?:ting)?|got) (?:all )?(?:my|his|her|their) affairs in order\b",
        r"\bby the time (?:you|anyone|someone|they|people|my \w+) (?:read|reads|see|sees|get|gets|find|finds) this\b",
    ]),
    _rule("crisis", "wont_be_around", [
        r"\b(?:won'?t|will not|wont|not going to|not gonna)\s+(?:be )?(?:around|here|alive)\s+(?:much longer|any ?more|any longer|for (?:much )?longer|for long|after (?:today|tonight|this)|by (?:then|tomorrow|the time))\b",
        r"\b(?:won'?t|will not|wont) (?:need|be needing) (?:any ?more|more|another) (?:appointments?|sessions?|infusions?|treatments?|help)\b[^.?!\n]{0,20}\b(?:after (?:today|tonight|this)|ever)\b",
        r"\b(?:don'?t|do not) think i'?ll (?:make it|be (?:around|here|alive))\b",
        r"\b(?:don'?t|do not|no longer) (?:plan|expect|intend|see myself) (?:on |to )?(?:be(?:ing)? )?(?:here|around|alive)\b",
        r"\b(?:won'?t|will not|wont) (?:be needing|need) (?:anything|it|them|any of (?:it|this|my (?:\w+ )?stuff))\b(?:[^.?!\n]{0,20}\b(?:soon|much longer|any ?more|after|where i'?m going))?",
        r"\b(?:writ\w*|mak\w*|updat\w*|finish\w*) (?:a|my) will\b[^.?!\n]{0,30}\b(?:quick\w*|tonight|today|soon|before|just in case|asap)\b",
    ]),
    _rule("crisis", "method", [
        rf"\bjump(?:ing|ed)? (?:off|from|in front of) (?:a |the |my |this )?(?:bridge|building|roof|rooftop|balcony|cliff|train|bus|car|truck|overpass|window|ledge|parking garage)\b",
        rf"\bnoose\b",
        rf"\bslit (?:{_POSS}) wrists?\b",
        rf"\b(?:gun|pistol|rifle) (?:to|in) (?:{_POSS}) (?:head|mouth)\b",
        rf"\b(?:bought|buy|got|get|have|tied|tying|made) (?:a )?rope\b",
        rf"\bdriv(?:e|ing) (?:my car )?(?:off (?:the road|a bridge|a cliff)|into (?:a tree|a wall|oncoming traffic))\b",
    ]),
    _rule("crisis", "ideation_thoughts", rf"{_WHO}\s+{_GAP}{{0,4}}(?:thoughts?|thinking|think|dream(?:s|ing)?|fantasi[sz]\w*|obsess\w*|urges?|visions?|images?|imagin(?:e|ing)|pictur(?:e|ing)|planning|research(?:ing|ed)?|look(?:ing|ed) up|search(?:ing|ed)(?: for)?|google(?:d)?) (?:about |of |on |for )?(?:ways to die|how to (?:die|kill {_SELF}|end it)|dying|death|being dead|suicide|killing {_SELF}|ending (?:it|it all|{_POSS} life|things)|not (?:being here|existing|waking up)|hurting {_SELF}|self[- ]?harm\w*|{_POSS} (?:own )?(?:death|funeral)|disappearing)"),
    _rule("crisis", "own_funeral", r"\b(?:my|his|her) own (?:funeral|death|grave)\b|\bplann?(?:ing|ed)? (?:my|his|her) (?:own )?funeral\b"),
    _rule("crisis", "vague_plan", r"\b(?:plan\w*|figur\w* out|decid\w*|work\w* out|research\w*|thinking about|think about) (?:how|when|where) (?:i'?ll |i will |i'?m going to |i am going to |to )?(?:do it|go through with it|end it)\b|\bgo(?:ing)? through with it\b"),
    _rule("crisis", "ways_to_die", rf"\b(?:ways|how) to (?:die|kill {_SELF}|end {_POSS} life|commit suicide)\b|\bpainless (?:way|death|suicide)\b"),
    _rule("crisis", "slang", [
        r"\b(?:kms|kys|ctb|unaliv\w*|sewer ?slide\w*|self[- ]?delet\w*|commit sudoku|s\*+icide)\b",
        r"\bcheck(?:ing)? out (?:for good|permanently|early|of (?:this )?life)\b",
        r"\bpermanent (?:solution|sleep|exit|way out)\b",
        r"\bplan(?:ning|ned)? (?:my|an) (?:exit|way out)\b",
        r"\b(?:ready|want|wanna|going|gonna|time) to (?:\w+ ){1,2}(?:for good|forever|permanently)\b(?<!leave for good)(?<!move for good)",
    ]),
    # Spanish, French, Portuguese, German, Italian: common ways of saying it, any subject, any framing.
    _rule("crisis", "non_english", "|".join([
        r"\b(?:me )?quiero morir(?:me)?\b", r"\bquisiera morir(?:me)?\b", r"\bganas de morir\b", r"\bme quiero matar\b",
        r"\bmatarme\b", r"\bme voy a matar\b", r"\bsuicid(?:arme|arse|arte|io|ios|a|as)\b", r"\bquitarme la vida\b",
        r"\bquitarse la vida\b", r"\bacabar con (?:mi|su) vida\b", r"\bno quiero (?:seguir )?vivi(?:r|endo)\b",
        r"\bya no (?:puedo|aguanto) mas\b", r"\bhacerme dano\b", r"\bcortarme\b", r"\bme corto\b",
        r"\bme tome (?:todas )?(?:las|mis) pastillas\b", r"\bsobredosis\b", r"\bdespedirme\b",
        r"\bno vale la pena vivir\b", r"\b(?:cansad[oa]|hart[oa]) de (?:vivir|la vida|existir)\b", r"\bacabar con todo\b",
        r"\b(?:sin|no (?:le )?(?:veo|tiene)) sentido (?:a |en )?(?:la vida|vivir|seguir)\b", r"\bquiero desaparecer\b", r"\bno quiero despertar\b", r"\bmejor (?:estarian|estaria) sin mi\b", r"\bdesaparecer para siempre\b",
        r"\bje veux mourir\b", r"\benvie de mourir\b", r"\bme tuer\b", r"\bme suicider\b", r"\bse suicider\b",
        r"\bsuicidaire\b", r"\bmettre fin a (?:mes|ses) jours\b", r"\bmettre fin a (?:ma|sa) vie\b",
        r"\ben finir avec la vie\b", r"\bj'?en ai marre de vivre\b", r"\bplus envie de vivre\b",
        r"\bne veux plus vivre\b", r"\bme faire du mal\b", r"\bme scarifier\b", r"\bme mutiler\b",
        r"\bj'?ai pris tou(?:s|tes) (?:mes|les) (?:medicaments|pilules|comprimes|cachets)\b", r"\bsurdose\b",
        r"\bdire adieu\b", r"\bje n'?en peux plus\b", r"\b(?:veux|vais|voudrais|envie d'?|pense a) en finir\b",
        r"\b(?:marre|fatigue|fatiguee) de (?:la vie|vivre)\b", r"\bplus (?:aucune )?(?:raison|envie) de vivre\b", r"\bne plus me reveiller\b",
        r"\bquero morrer\b", r"\bvontade de morrer\b", r"\bme matar\b", r"\bmatar-me\b", r"\bsuicidar\b",
        r"\bsuicidio\b", r"\btirar (?:a )?minha (?:propria )?vida\b", r"\bacabar com (?:a )?minha vida\b",
        r"\bnao quero mais viver\b", r"\bnao quero viver\b", r"\bme machucar\b", r"\bme cortar\b",
        r"\bme cortando\b", r"\btomei todos os (?:meus )?(?:remedios|comprimidos)\b", r"\bme despedir\b",
        r"\bnao aguento mais\b", r"\bsumir para sempre\b", r"\b(?:cansad[oa]) de viver\b", r"\bacabar com tudo\b",
        r"\bsentido (?:em|de|na) (?:viver|vida|continuar)\b", r"\bnao quero (?:mais )?acordar\b",
        r"\bich (?:will|mochte|moechte) sterben\b", r"\b(?:will|mochte) nicht mehr leben\b", r"\bumbringen\b",
        r"\bumzubringen\b", r"\bselbstmord\w*\b", r"\bsuizid\w*\b", r"\bdas leben nehmen\b", r"\bmich (?:selbst )?verletzen\b",
        r"\britze mich\b", r"\bmich ritzen\b", r"\balle (?:meine )?tabletten (?:genommen|geschluckt)\b",
        r"\buberdosis\b", r"\bich kann nicht mehr\b", r"\blebensmude\b", r"\bware lieber tot\b",
        r"\b(?:keine lust|keinen sinn|keine kraft) mehr (?:zu leben|im leben)\b", r"\bkeinen sinn mehr\b", r"\ballem ein ende (?:setzen|machen)\b",
        r"\bnicht mehr aufwachen\b", r"\bmich verabschieden\b",
        r"\bvoglio morire\b", r"\buccidermi\b", r"\btogliermi la vita\b", r"\bsuicid(?:armi|arsi)\b",
        r"\bfarla finita\b", r"\bnon voglio (?:piu )?vivere\b", r"\bnon ce la faccio piu\b", r"\bstanc[oa] di vivere\b",
        # death words in these languages: an English-language library cannot judge the context, so be safe
        r"\b(?:morir(?:me|se)?|muerte|muert[oa]|mourir|morrer|morte|sterben|morire)\b",
    ]), view="folded"),
    # Scripts where folding accents would change the words: matched on the unfolded text.
    _rule("crisis", "non_latin", "|".join([
        "想死", "自杀", "自殺", "不想活", "轻生", "輕生", "死にたい", "消えたい", "죽고 싶", "자살",
        "хочу умереть", "покончить с собой", "суицид", "убить себя", "не хочу жить", "انتحار", "أريد أن أموت",
        "اريد ان اموت", "आत्महत्या", "मरना चाहत", "intihar", "olmek istiyorum", "ölmek istiyorum",
        "zelfmoord", "chce umrzec", "chcę umrzeć", "samoboj", "samobój", "tự tử", "muốn chết",
        "magpakamatay", "bunuh diri",
    ]), view="raw"),
]

# Negated mentions are removed before the crisis rules read the text: "I'm not suicidal".
_NEGATED_SUICIDAL = re.compile(
    r"\b(?:not|never|no longer|isn'?t|wasn'?t|am not|i'?m not|im not|not feeling|do ?n'?t feel|no)\s+(?:(?:been|feeling|felt|having|had|currently|actively|really|ever|any|at all)\s+){0,2}(?:suicidal|suicide)(?:\s+(?:thoughts|ideation|feelings|urges))?\b",
    re.IGNORECASE,
)

_PERSONAL_ASK = r"(?:\b(?:should|can|could|would|do|may|will|shall|must|might) i\b|\bi (?:should|can|could|need|want|would like|plan|am planning|'?m planning)\b|\bme\b|\bmy\b|\bmyself\b)"

ADVICE_RULES: list[Rule] = [
    _rule("medical_advice", "personal_dose", "|".join([
        rf"\b(?:how much|how many (?:mg|milligrams?|sprays|devices|ml|units|pills|troches|lozenges|infusions|sessions|treatments|boosters)|what (?:dose|dosage|amount|strength|mg|level)|which (?:dose|dosage|strength|amount)|what kind of dose)\b{_WINDOW}{{0,60}}?\b(?:should|can|could|would|do|will|must|need|shall)\s+(?:i|me)\b",
        rf"\b(?:should|can|could|would|do|will|must|need|shall) i\b{_WINDOW}{{0,40}}\b(?:take|get|use|have|start|receive|be (?:getting|on|given|taking)|ask for|need|go up|go down)\b{_WINDOW}{{0,30}}\b(?:{_DOSE}|more|less|higher|lower)\b",
        rf"\b(?:{_DOSE}|amount)\b{_WINDOW}{{0,40}}\b(?:for me|for my|in my case|for someone like me|given my|i need|i should|should i|would i need|do i need)\b",
        rf"\bmy (?:\w+ )?(?:dose|doses|dosage|dosing)\b",
        rf"\bmy (?:\w+ )?(?:booster|infusion|treatment|dosing|spray|session|ketamine|spravato) (?:schedule|plan|frequency|interval|course)\b",
        rf"\b(?:higher|lower|bigger|smaller|stronger|weaker|increased?|decreased?|reduced?|double|half|extra)\s+(?:the\s+)?(?:dose|dosage|mg|booster)\b",
        rf"\b(?:\d+(?:\.\d+)?\s?(?:mg|milligrams?|mg/kg|ml))\b{_WINDOW}{{0,40}}\b(?:for me|too (?:much|strong|high|low)|enough for|safe for me|right for me|better for me|should i|would i|is that ok)",
        rf"\b(?:should i|i should|do i need to|i need to)\s+(?:\w+\s+){{0,3}}?(?:try|do|get|start|choose|pick|go (?:with|for)|switch|stop|quit|give up|keep going|carry on|continue|keep|skip|double|take|have|use|ask for|increase|decrease|lower|raise)\b{_WINDOW}{{0,40}}\b(?:{_TREATMENT}|{_DOSE}|{_MEDS}|fourth|third|another|more|less)\b",
        rf"\b(?:in my (?:situation|shoes|case|position)|if you were me|what would you do)\b",
        rf"\bhow (?:much|many)\b(?:\s+\w+){{0,3}}?\s+(?:should|can|could|do|must|may) i (?:take|use|have|get|do)\b",
    ]), context=None, view="folded"),
    _rule("medical_advice", "asks_for_a_recommendation", rf"\b(?:recommend|suggest|advise|prescribe)\w*\b{_WINDOW}{{0,40}}\b(?:for me|for someone like me|me\b)",
          context=rf"{_DOSE}|{_TREATMENT}|{_MEDS}|\bdose\b|\bketamine\b", view="folded"),
    _rule("medical_advice", "weight_for_dose", r"\b(?:i'?m|im|i am|i weigh|weigh)\s+(?:about\s+|around\s+)?(?:\d+\s?(?:lbs?|pounds|kg|kilos)|\d'\s?\d+)", context=rf"\b(?:dose|dosage|how much|mg|what about)\b", view="folded"),
    _rule("medical_advice", "am_i_a_candidate", "|".join([
        r"\b(?:am i|would i be|i'?m|im|i am|i might be|would i make)\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:candidate|eligible|suitable|qualified|a fit|good fit|right fit)\b",
        r"\b(?:do|would|will|could|can|might) i (?:still )?(?:qualify|be eligible|be a (?:\w+ )?candidate|be accepted|be approved|get approved|be allowed)\b",
        r"\bam i (?:still )?(?:allowed|able|ok|okay|safe|fine|eligible|too old|too young) (?:to )?(?:get|have|do|take|start|continue|receive|try|for)\b",
        rf"\b(?:is|would|will|could)\s+(?:ketamine|spravato|esketamine|it|this|ketamine therapy|this treatment|treatment|an infusion|infusions|the spray)\s+(?:\w+\s+)?(?:be\s+)?(?:right|good|safe|appropriate|suitable|ok|okay|an option|a good (?:idea|option|choice|fit)|worth it|effective|likely to work|going to work|gonna work|work|help|dangerous|risky)\s+(?:for|with)\s+(?:me|my|someone like me)\b",
        r"\b(?:will|would|could|can|does|do you think|is)\s+(?:ketamine|spravato|esketamine|it|this|the treatment|treatment|an infusion|infusions)\s+(?:\w+\s+)?(?:work|help|be safe|hurt|harm|cure|fix)\s+(?:for\s+)?(?:me\b|my)",
        r"\b(?:right|safe|good|ok|okay|suitable|appropriate|dangerous|risky|too (?:much|strong|high|low|little|weak|many|few|old|young)|enough|better|best|worse|an option|a fit|a good fit|allowed)\s+(?:\w+\s+)?for (?:me\b|someone like me|my (?:case|situation|condition|body|age|weight))",
        r"\b(?:rule|rules) me out\b|\bdisqualif\w* me\b|\bbe a good fit for me\b",
        r"\b(?:can|could|may|should) i still (?:do|get|have|try|start|receive|continue|go ahead with|take|use|be treated)\b",
        r"\b(?:would|will|could|might) i (?:benefit|respond|do better|be better off|get better|improve)\b",
        r"\b(?:make|made|making) (?:mine|my \w+(?: \w+)?|me) (?:worse|better)\b",
        r"\bbetween my (?:infusions|sessions|doses|treatments|boosters|sprays)\b|\bhow often should i (?:get|have|do|take|come|book)\b",
        r"\b(?:does|do|could|would|might) (?:that|this|it) mean (?:that )?i (?:have|am|'m|need|should|qualify)\b",
        r"\b(?:do|could|might) i (?:have|qualify as|count as) (?!to\b)(?:\w+ ){0,3}(?:depression|ptsd|anxiety|bipolar|trd|treatment[- ]resistant)",
        r"\b(?:i'?m|im|i am) (?:only |just |almost |nearly |over |under )?\d{1,2}\b(?! ?(?:mg|kg|lbs?|pounds|minutes|mins?|hours|hrs|days|weeks|months|%|'|\d))[^.?!\n]{0,60}\b(?:can|could|am i|eligible|allowed|too (?:old|young)|sign me up|get (?:ketamine|spravato|infusions|treatment))\b",
    ]), view="folded"),
    _rule("medical_advice", "condition_eligibility", rf"(?:\bi have\b|\bi'?ve got\b|\bi'?ve had\b|\bi had\b|\bi was diagnosed\b|\bi'?m diagnosed\b|\bi suffer\b|\bi'?m\b|\bim\b|\bi am\b|\bwith my\b|\bgiven my\b|\bif i have\b|\bsince i have\b|\bmy history of\b|\bmy\b)\s+(?:[\w,'-]+\s+){{0,6}}?{_CONDITION}",
          context=r"\b(?:can i|could i|should i|am i|is it safe|safe for me|for me|rule me out|disqualif\w*|eligible|candidate|qualify|still (?:get|have|do|try)|allowed|ok for me|okay for me|fit|worse|risky|dangerous|a problem|an issue|interfere|affect|trigger|safely|ketamine|spravato|infusions?)\b", view="folded"),
    _rule("medical_advice", "own_medicines", "|".join([
        rf"\bmy\s+(?:\w+\s+){{0,3}}?{_MEDS}\b",
        r"\bi (?:drink|smoke|vape|use drugs|get drunk)\b(?:\s+\w+){0,4}?\s+(?:every ?day|daily|a lot|heavily|most (?:days|nights)|regularly|every night|weekly|on weekends)\b",
        r"(?:\bi\b|\bi'?m\b|\bim\b)\s+(?:\w+\s+){0,2}?(?:smoke|smoking|drink|drinking|vape|vaping|use|using|take|taking|microdose|microdosing)\s+(?:\w+\s+){0,2}?(?:weed|cannabis|marijuana|thc|cbd|edibles|gummies|alcohol|wines?|beers?|drinks|shots|joints?|kratom|nicotine|psilocybin|mushrooms)\b",
        rf"(?:\bi\b|\bi'?m\b|\bim\b|\bi am\b|\bi'?ve been\b|\bive been\b)\s+(?:\w+\s+){{0,2}}?(?:on|taking|take|took|prescribed|using|use|started|starting|stopped|quit|switched to|just started|been on)\s+(?:\w+\s+){{0,3}}?{_MEDS}\b",
    ]), context=[
        r"\b(?:take|taking|stop|stopping|quit|skip|continue|keep|mix|combine|interact\w*|interfer\w*|affect|safe|ok|okay|fine|allowed|switch|change|lower|raise|increase|decrease|reduce|taper|wean|come off|go off|double|halve|before|after|while|during|with|and|problem|issue|cancel|effective|work|any|ketamine|spravato|can i|should i|is it)\b",
        r"\?",
    ], unless=r"\b(?:insurance|cover|covered|cost|price|pay|copay|pharmacy|refill|list|bring)\b", view="folded"),
    _rule("medical_advice", "stop_or_change_medicine", rf"{_PERSONAL_ASK}{_WINDOW}{{0,40}}\b(?:stop|stopping|quit|quitting|skip|skipping|taper|tapering|wean|weaning|come off|coming off|go off|going off|get off|lower|lowering|reduce|reducing|increase|increasing|double|halve|split|switch|switching|change|changing|pause|hold)\b{_WINDOW}{{0,30}}\b{_MEDS}\b", view="folded"),
    _rule("medical_advice", "own_pregnancy", "|".join([
        r"\b(?:i'?m|im|i am|i might be|i may be|i could be|i think i'?m|i just found out i'?m|found out i'?m|we'?re|we are|my (?:wife|partner|girlfriend) is|i got|i became|i'?m trying to|we'?re trying to|planning to|if i (?:get|got|become|am|were|was))\s+(?:\w+\s+){0,2}?(?:pregnant|breast ?feeding|nursing|expecting|trying to conceive|conceive|ttc|pumping)\b",
        r"\b(?:can|could|should|may|do) i\s+(?:still\s+)?(?:breast ?feed|nurse|pump|get pregnant|try to conceive|conceive)\b",
        r"\bmy (?:pregnancy|baby|newborn|infant|breast ?milk|milk supply|unborn)\b",
    ]), view="folded"),
    _rule("medical_advice", "own_symptoms", [
        rf"(?:\bi'?ve\b|\bive\b|\bi have\b|\bi had\b|\bi get\b|\bi got\b|\bi'?m\b|\bim\b|\bi am\b|\bi feel\b|\bi felt\b|\bi was\b|\bi keep\b|\bi noticed\b|\bi'?ve been\b|\bmy\b|\bsince my\b|\bafter my\b)\s+(?:\w+\s+){{0,6}}?{_SYMPTOM}",
        rf"{_SYMPTOM}{_WINDOW}{{0,40}}\b(?:after|since|during|from|with|before) my\b",
        rf"\bwhen i (?:pee|urinate|stand up|wake up|lie down)\b",
    ],
          context=None, view="folded"),
    _rule("medical_advice", "home_use", rf"\b(?:at home|at-home|home use|from home|take (?:it|ketamine|spravato|the spray|the nasal spray|the device|some|a dose|doses|troches|lozenges) (?:back )?home|(?:home|take-home) (?:kit|supply|dose|doses|treatment|version|prescription)|instead of coming in|without coming (?:in|to the clinic))\b",
          context=rf"(?:{_PERSONAL_ASK})[^.?!\n]*\b(?:use|do|take|have|get|self-administer|administer|give myself|ketamine|spravato|spray|troches?|lozenges?|rdt|doses?|treatment|infusions?)\b", view="folded"),
]

# "Is this normal?" after a description of one's own symptoms is a request to read them.
_SYMPTOM_CONCERN = re.compile(
    r"\b(?:normal|should i (?:be )?(?:worr|concern|go|call|see|do|stop|take)\w*|is (?:this|that|it) (?:a side effect|normal|ok|okay|serious|bad|dangerous|from|because|related|caused|expected|common|safe)|"
    r"what (?:does|do|could) (?:this|that|it) mean|why (?:am i|do i|is my|did i)|worr\w*|concern\w*|scared|something wrong|what should i (?:do|take)|should i be|from the (?:ketamine|spravato|infusion|treatment|spray)|"
    r"caused by|a side effect|too (?:high|low|much|strong)|dangerous for me|a problem|reaction|what can i (?:do|take)|"
    r"is (?:this|that|it) (?:the|from|due to|because of) (?:ketamine|spravato|esketamine|infusion|treatment|spray|medication|meds|dose))\b|\?",
    re.IGNORECASE,
)

_ROLE = r"(?:doctor|physician|psychiatrist|prescriber|nurse|pharmacist|clinician|dealer|medical professional|dr\.?|unfiltered|uncensored|jailbroken|unrestricted|different ai|regular chatgpt|chatgpt|ai with no|expert who|\w+gpt)\b"
_KET = r"(?:ketamine|ket\b|special k|vitamin k|\bk\b|esketamine|spravato|troches|lozenges|nasal spray|the spray)"
_NOT_TREATMENT = r"(?!\s+(?:treatment|therapy|infusions?|clinics?|sessions?|care|providers?|prescribed|near me|legally))"

ILLICIT_RULES: list[Rule] = [
    _rule("illicit", "without_prescription", [
        rf"\b(?:without|no|w/o|skip(?:ping)? the|without needing|without getting|without seeing|no need for) (?:a |an |any )?(?:prescription|script|rx|doctor|psychiatrist|evaluation|screening|prescriber)\b",
        rf"\bwithout (?:going to|visiting|seeing|a visit to) (?:a |the |any )?(?:clinic|doctor|psychiatrist|prescriber)\b",
    ],
          context=rf"{_KET}|\b(?:buy|get|order|obtain|ship|sell|source|purchase)\w*\b", view="folded"),
    _rule("illicit", "buy_it", [
        rf"\b(?:buy|buying|bought|purchase|purchasing|order|ordering|score|scoring|cop|copping)\s+(?:\w+\s+){{0,2}}?{_KET}{_NOT_TREATMENT}",
        rf"\b(?:get|getting|find|buy|buying|score|cop|order|source|pick up)\b{_WINDOW}{{0,15}}\b(?:ket|special k|vitamin k|kitty|k powder|ketamine powder|ketamine crystals)\b",
        rf"\b(?:dark|deep) ?web\b",
        rf"\bdarknet\b",
    ], context=_KET, view="folded"),
    _rule("illicit", "buy_online", rf"\b(?:buy|purchase|order|score|cop)\w*\b{_WINDOW}{{0,40}}\b(?:online|on the internet|from a website)\b", context=_KET, view="folded"),
    _rule("illicit", "buy_outside_care", rf"\b(?:buy|purchase|order|score|cop|find|source|obtain|acquire|get|sells?|selling|ship\w*)\b{_WINDOW}{{0,40}}\b(?:on the (?:street|dark ?web)|dark ?web|darknet|from a (?:dealer|friend|vet|horse vet)|dealers?|plug|street|from (?:mexico|india|china|overseas|abroad|canada)|overseas|in bulk|telegram|reddit|a vet\b|vet clinic|horse vet|veterinar\w*)\b",
          context=rf"{_KET}|\b(?:it|some|this stuff)\b", view="folded"),
    _rule("illicit", "where_to_buy", [
        rf"\b(?:where|who)\b{_WINDOW}{{0,25}}\b(?:buy|score|order|cop|purchase|sells?|ships?)\b{_WINDOW}{{0,20}}{_KET}{_NOT_TREATMENT}",
        rf"\b(?:where|who)\b{_WINDOW}{{0,25}}\b(?:get|find)\b{_WINDOW}{{0,6}}(?:k|ket|special k)\b",
        rf"\b(?:plug|dealer)\b{_WINDOW}{{0,30}}{_KET}",
        rf"{_KET}{_WINDOW}{{0,30}}\b(?:plug|dealer)\b",
        rf"\bstreet (?:price|ketamine|k)\b",
        rf"\bvet (?:ketamine|k)\b",
        rf"\bketamine from (?:a |the )?(?:vets?|horse|dealers?|india|mexico|china)\b",
    ], view="folded"),
    _rule("illicit", "recreational_use", rf"\b(?:recreational(?:ly)?|for fun|to party|(?:at|to|for) (?:a |the |this )?(?:party|rave|festival|club|night out|concert|gig)|fun (?:dose|amount|night|time)|get(?:ting)? high|stronger high|get(?:ting)? (?:messed|f\w*ed) up|tripp?(?:ing)? balls|good trip|k-?hole|bumps? of|a bump|snort\w*|sniff(?:ing)? (?:k|ket|ketamine|it|a line)|(?:lines?|rails?) of (?:k|ket|ketamine|coke)|party (?:with|on) (?:k|ket|ketamine))\b",
          context=[
        rf"{_PERSONAL_ASK}",
        rf"\b(?:i|we|us|our)\b",
        rf"\bhow (?:do|can|would|to|much|many)\b",
        rf"\bbest way\b",
        rf"\btips\b",
        rf"\bwhat'?s a (?:good|fun|nice|decent|safe)\b",
        rf"\bwhat drugs\b",
        rf"\bgoes (?:well|good)\b",
        rf"\bis it (?:safe|ok|okay|dangerous)\b",
    ], unless=r"\b(?:what is|what'?s) a k-?hole\b(?![^.?!\n]*\b(?:how|get|reach)\b)|\bdoes it happen\b", view="folded"),
    _rule("illicit", "evade_drug_test", [
        r"\b(?:avoid|not|without) (?:testing|showing up|coming up|popping) positive\b",
        r"\bavoid (?:a |the )?(?:drug test|detection)\b",
        r"\b(?:pass|beat|fool|cheat|evade|get around|hide|mask|flush|clean|detox)\w*\b[^.?!\n]{0,60}\b(?:drug (?:test|screen)|urine (?:test|screen)|\bua\b|hair (?:follicle )?test|tox(?:icology)? screen|piss test|(?:work|employer'?s?|probation|court|court ordered|parole) (?:drug )?(?:test|screen))",
        r"\b(?:get|flush|clear)\w* (?:it|ket|ketamine|k) out of my system\b",
        r"\b(?:so|that)\s+(?:that\s+)?(?:it|ket|ketamine|k)\s+(?:won'?t|doesn'?t|does not|will not|wouldn'?t)\s+(?:show up|appear|be detected|come up)\b",
        r"\b(?:make sure|ensure|so)\b[^.?!\n]{0,40}\b(?:won'?t|doesn'?t|does not|will not|isn'?t|wouldn'?t) (?:show up|appear|be detected|come up|test positive)\b",
    ],
          context=r"\b(?:ketamine|ket|k|drug|test|screen|used|using)\b", view="folded"),
    _rule("illicit", "divert_prescription", [
        rf"\b(?:sell|selling|sold|resell|trade|trading|lend|sneak|smuggle)\b{_WINDOW}{{0,40}}\b(?:prescription|script|troches?|lozenges?|spray|devices?|doses?|ketamine|spravato|vials?)\b",
        rf"\b(?:give|giving|share|sharing|split|splitting)\b{_WINDOW}{{0,30}}\b(?:my|some of my|leftover|extra|spare|unused)\b{_WINDOW}{{0,20}}\b(?:prescription|script|troches?|lozenges?|spray|devices?|doses?|ketamine|spravato|vials?)\b{_WINDOW}{{0,30}}\b(?:to|with)\b",
        rf"\b(?:give|let)\s+(?:him|her|them|my \w+|a friend)\s+(?:some|one|a few|try)\b",
        rf"\b(?:use|using|take|taking|try|trying)\b{_WINDOW}{{0,10}}\b(?:my (?:wife|husband|partner|friend|brother|sister|mom|dad|roommate)'?s|someone else'?s|another person'?s)\b{_WINDOW}{{0,20}}\b(?:prescription|troches?|lozenges?|spray|ketamine|doses?)\b",
        rf"\b(?:keep|save|stash)\b{_WINDOW}{{0,30}}\b(?:spray|troches?|lozenges?|doses?|ketamine|devices?)\b{_WINDOW}{{0,40}}\b(?:later|for fun|party|weekend|friends)\b",
        rf"\bmore (?:troches|lozenges|doses|ketamine|refills) than (?:my|the) prescription\b",
        rf"\b(?:two|2|multiple|several|different)\s+(?:different\s+)?(?:clinics|doctors|prescribers|telehealth(?: \w+)?|providers|pharmacies|psychiatrists)\b{_WINDOW}{{0,60}}\b(?:at the same time|so i (?:have|get|can get) more|more|extra|double|twice)\b",
        rf"\b(?:let|can|could|may|should)\s+(?:my|a)\s+(?:\w+\s+)?(?:use|try|have|take|borrow)\s+(?:some of\s+)?my\s+(?:\w+\s+)?(?:prescription|troches?|lozenges?|spray|ketamine|doses?|spravato|devices?)\b",
        rf"\b(?:pays?|paid|paying) me\b",
        rf"\bfor (?:cash|money)\b",
        rf"\bhow much (?:should|can|could|do) i (?:charge|sell|ask)\b",
        rf"\b(?:sneak|smuggle|steal|pocket)\w*\b{_WINDOW}{{0,30}}\b(?:spravato|ketamine|devices?|spray|vials?|troches|lozenges|doses?)\b",
        rf"\b(?:go|going|went) to (?:two|multiple|several) (?:clinics|doctors|prescribers)\b",
        rf"\bdoctor shopping\b",
    ], view="folded"),
    _rule("illicit", "game_the_evaluation", [
        r"\b(?:fake|faking|forge|forged|alter|make up|lie about|lying about|exaggerate|pretend (?:to have|i have))\b[^.?!\n]{0,40}\b(?:prescription|script|symptoms?|diagnosis|depression|ptsd|anxiety|history)\b",
        r"\b(?:what|which) (?:should|do|can) i (?:say|tell|fake|claim)\b[^.?!\n]{0,60}\b(?:prescribe|approve|qualify|get (?:ketamine|spravato|a prescription))\w*",
        r"\b(?:trick|fool|con)\w*\b[^.?!\n]{0,40}\b(?:prescrib\w*|doctor|clinic|psychiatrist)\b",
        r"\bfake (?:script|prescription)\b",
        r"\b(?:symptoms?|diagnosis|story)\b[^.?!\n]{0,20}\b(?:fake|make up|exaggerate|lie about|claim)\b",
        r"\b(?:excuse|story|lie|say|tell|reason)\w*\b[^.?!\n]{0,40}\bto get (?:my|the|a) (?:doctor|psychiatrist|prescriber|clinic|nurse|np)\b[^.?!\n]{0,15}\bto (?:write|prescribe|give|approve|increase|up)\b",
    ], view="folded"),
    _rule("illicit", "make_or_convert", [
        rf"\b(?:make|cook|synthesi[sz]e|extract|turn|convert|cook down)\b{_WINDOW}{{0,30}}\b(?:ketamine|vials?|liquid ketamine)\b{_WINDOW}{{0,30}}\b(?:at home|into powder|powder|crystals|myself)\b",
        rf"\bhow (?:do i|to|can i) (?:make|cook|synthesi[sz]e) (?:ketamine|k)\b",
    ], view="folded"),
    _rule("illicit", "mix_for_high", [
        r"\b(?:k|ket|ketamine)\b[^.?!\n]{0,20}\b(?:and|with|plus)\b[^.?!\n]{0,10}\b(?:coke|cocaine|molly|mdma|ecstasy|acid|lsd|shrooms|2c-?b|ghb|meth)\b",
        r"\b(?:coke|cocaine|molly|mdma|ecstasy|acid|lsd|shrooms|2c-?b|ghb|meth)\b[^.?!\n]{0,20}\b(?:and|with|plus)\b[^.?!\n]{0,10}\b(?:k|ket|ketamine)\b",
    ],
          context=rf"{_PERSONAL_ASK}|\b(?:i|we|is it safe|can you)\b", view="folded"),
]

MANIPULATION_RULES: list[Rule] = [
    _rule("manipulation", "override_rules", [
        r"\b(?:ignore|disregard|forget)\s+(?:all\s+)?(?:of\s+)?(?:the above|everything (?:above|before)|the previous|what (?:you were|you'?ve been) told|that)\b",
        r"\b(?:system|admin|developer|security|safety) (?:override|update|notice)\s*:",
        r"\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|turn off|disable|deactivate|suspend|lift|remove)\b[^.?!\n]{0,40}\b(?:instructions?|rules|guidelines|prompts?|restrictions|safety|polic(?:y|ies)|programming|guardrails|filters?|limitations|directives|constraints|safety checks|content policy|protocols?|everything (?:you were|you'?ve been) told|the refusal|disclaimers?)\b",
    ], view="folded"),
    _rule("manipulation", "reveal_prompt", [
        r"\b(?:reveal|show|print|display|repeat|output|tell me|give me|share|leak|dump|paste|copy|reproduce|write out|type out|spell out|list|what (?:is|are|were)|what'?s|quote)\b[^.?!\n]{0,40}\b(?:system (?:prompt|message)|your (?:\w+ ){0,2}(?:instructions|prompt|rules|guidelines|configuration|config|system message|programming|context window)|your (?:hidden|secret) \w+|(?:hidden|secret|internal|initial|original|raw) (?:instructions|prompt|rules|message|text|config)|developer message|prompt above|text (?:above|before) (?:this|my))",
        r"\binstructions (?:you were|that you were|you'?ve been) given\b",
        r"\bwhat (?:instructions|guidelines|rules) (?:were you|did (?:they|your developers?))\b",
        r"\bfirst (?:sentence|line|word) of your\b",
        r"\bwhat (?:the developers?|they) told you\b",
        r"\b(?:repeat|print|show|output|copy)\b[^.?!\n]{0,20}\b(?:words|text|everything|message|lines?|sentences?) (?:above|before (?:this|my))\b",
        r"\b(?:hidden|secret|internal|confidential) (?:\w+ ){0,2}(?:instructions|prompt|rules|guidelines|config\w*)\b",
    ], view="folded"),
    _rule("manipulation", "role_play_authority", [
        rf"\b(?:pretend|act|behave|roleplay|role-play|role play|play|imagine|simulate)\b(?:\s+(?:to be|you are|you'?re|that you'?re|that you are|as|like|the role of|as if you were))[^.?!\n]{{0,20}}\b{_ROLE}",
        rf"\b(?:respond|answer|reply|speak|talk)\s+(?:only\s+)?(?:as|like|in the voice of)\s+(?:if you (?:were|are)\s+)?(?:a |an |my )?{_ROLE}",
        rf"\b(?:game|scenario|story) where you(?:'re| are)\s+(?:a |an |my )?{_ROLE}",
        rf"\bsimulate a conversation between\b",
        rf"\b(?:you are|you'?re) now\b",
        rf"\b(?:you are|you'?re) (?:a |an |my )?{_ROLE}\s*(?:now|from now on|today|for (?:this|the rest))\b",
        rf"^\W*(?:you are|you'?re) (?:a |an |my )(?:\w+ )?{_ROLE}",
        rf"\bfrom now on,? you\b",
        rf"\bstay in character\b",
        rf"\bmake-believe\b",
    ], view="folded"),
    _rule("manipulation", "jailbreak_terms", [
        r"\b(?:jailbr[eo]\w*|dan mode|developer mode|dev mode|god mode|do anything now|no restrictions|without (?:any )?restrictions|unfiltered|uncensored|unrestricted|prompt injection|sudo mode|admin mode|debug mode|maintenance mode|no limits|no content policy|no guidelines|without (?:any )?guidelines|no rules|without (?:any )?(?:safety )?warnings|without (?:any )?disclaimers|have no rules|had no guidelines)\b",
        r"\byou are dan\b",
    ], view="folded"),
    _rule("manipulation", "hypothetical_no_rules", [
        r"\b(?:hypothetical\w*|imagine|pretend|suppose|let'?s say|what if)\b[^.?!\n]{0,40}\b(?:rules|restrictions|guidelines|limits|polic(?:y|ies)|filters|guardrails)\b[^.?!\n]{0,30}\b(?:didn'?t|did not|don'?t|do not|weren'?t|no longer|never|wouldn'?t) (?:exist|apply|matter|count)\b",
        r"\b(?:activate|enable|unlock|enter|switch (?:on|to|into)|turn on)\b[^.?!\n]{0,30}\b(?:mode|override|access)\b",
        r"\b(?:special|secret|hidden|admin|developer|debug|unrestricted|expert|god|sudo) (?:mode|access|override)\b",
    ], view="folded"),
    _rule("manipulation", "embedded_instructions", [
        r"<\s*/?\s*(?:system|instructions?|prompt|admin|user|assistant)\s*>",
        r"\[\s*/?\s*(?:system|inst|admin)\s*\]",
        r"#{2,}\s*(?:system|instruction)",
        r"\b(?:new|updated|override|real|actual|hidden|secret) (?:instructions?|polic(?:y|ies)|guidelines?|rules?)\s*[:,]",
        r"\bnote to (?:the )?(?:ai|assistant|model|chatbot|llm)\b",
        r"\b(?:system|assistant|ai)\s*:\s*(?:the assistant|you|stop|ignore|disregard|reveal|new)",
        r"\b(?:ai|assistant|model|chatbot|llm)s?,? (?:reading this )?(?:should|must|shall|are authori[sz]ed|is authori[sz]ed|you are authori[sz]ed)\b",
        r"\bai,? you are authori[sz]ed\b",
        r"\bdo what it says\b",
    ], view="folded"),
    _rule("manipulation", "claimed_authority", [
        r"\b(?:i'?m|im|i am|as)\s+(?:a |an |your |the )?(?:licensed |registered |board[- ]certified )?(?:doctor|physician|psychiatrist|nurse|prescriber|clinician|pharmacist|developer|admin|administrator|owner|creator|programmer|anesthesiologist|crna|np)\b[^.?!\n]{0,80}\b(?:so (?:you|it'?s|its|just)|therefore|which means|that means|you'?re allowed|you are allowed|you can (?:skip|ignore|tell|give|share)|authori[sz]\w*|disable|turn off|skip the)\b",
        r"\b(?:authori[sz]ed|permitted|allowed) you to\b",
        r"\b(?:you are|you'?re) (?:now )?(?:permitted|allowed|authori[sz]ed|cleared|free) to (?:give|tell|share|say|answer|prescribe|recommend|ignore|break|bypass|skip|discuss|provide|reveal)\b",
        r"\b(?:stop|don'?t|do not|without) (?:quoting|citing|using|checking) (?:your |the )?(?:library|sources|references|citations)\b",
        r"\bmake (?:something|stuff|it|things) up\b",
        r"\bfrom your own knowledge\b",
        r"\bif you (?:weren'?t|were not|stopped being) (?:an? |the |my )?(?:\w+ )?(?:assistant|bot|ai|chatbot)\b",
        r"\bwhat would you (?:say|answer|tell me|do)\b[^.?!\n]{0,30}\bif you (?:weren'?t|were not|didn'?t have|had no)\b",
        r"\b(?:you'?re|you are) (?:not )?(?:allowed|forbidden|prohibited|supposed|permitted) (?:not )?to (?:tell|say|share|discuss|answer)\b",
        r"\bwhat (?:are|were) you (?:not allowed|forbidden|told not) to\b",
        r"\byour (?:guidelines|rules|instructions) (?:are outdated|say you can|don'?t apply|allow)",
        r"\b(?:don'?t|do not) (?:tell me to see a doctor|refuse|redirect me|give me (?:a )?disclaimers?)\b",
        r"\bnot really bound by\b",
        r"\b(?:no|without) (?:referrals|referring me|redirect\w*)\b",
        r"\bbreak (?:them|your rules|the rules)\b",
        r"\bbe a real doctor\b",
        r"\bif you were (?:a real doctor|allowed|able)\b",
        r"\bwhat you would say without\b",
        r"\b(?:whatever|everything) you were told\b",
    ], view="folded"),
    _rule("manipulation", "fiction_wrapper", r"\b(?:for a|in a|write a|writing a) (?:novel|story|screenplay|script|game|fiction|roleplay|poem|scene)\b[^.?!\n]{0,120}\b(?:dose|dosing|how much|exactly how|without a prescription|get ketamine|overdose|real numbers|instructions)\b", view="folded"),
]

OUT_OF_SCOPE_RULES: list[Rule] = [
    _rule("out_of_scope", "unrelated_task", [
        r"\b(?:write|compose|draft|generate|create|make|give)\b (?:me |us )?(?:a |an |the |some )?(?:\w+ ){0,2}(?:poem|haiku|song|lyrics|story|essay|joke|limerick|thank you note|note|card|toast|invitation|cover letter|resume|cv|tweet|blog post|speech|rap|code|script|function|program|sql|regex|website|app|recipe|business plan|ad copy|slogan|itinerary|workout plan|meal plan|grocery list|logo|birthday)\b",
        r"\b(?:python|javascript|java|c\+\+|sql|html|css|excel formula|spreadsheet|debug|compile|docker|kubernetes|iphone|android|windows \d+|laptop)\b",
        r"\b(?:weather|forecast|temperature|stocks?|bitcoin|crypto\w*|ethereum|lottery|super bowl|world cup|nfl|nba|lakers|recipe|homework|math problem|square root|capital of|population of|horoscope|tarot|flight|mortgage|taxes|chess|cricket)\b",
        r"\btranslate\b",
        r"\btell me a joke\b",
        r"\bpodcasts?\b",
        r"\bplan (?:my|a|the|our) (?:wedding|party|trip|vacation|holiday|event|budget|week|meals)\b",
    ],
          unless=r"\b(?:ketamine|spravato|esketamine|infusions?|sessions?|treatments?|therap\w+|depress\w*|ptsd|anxiety|clinic|appointment|dose|medication|doctor|psychiatr\w*|side effects?|mental health|suicid\w*|drug test|prescri\w*)\b", view="folded"),
]

ALL_RULES: list[Rule] = CRISIS_RULES + MANIPULATION_RULES + ILLICIT_RULES + ADVICE_RULES + OUT_OF_SCOPE_RULES


@dataclass(frozen=True)
class PatternHit:
    category: str
    rule: str
    excerpt: str


def pattern_hits(text: str, categories: Iterable[str] = LABELS) -> list[PatternHit]:
    """Every rule of ``categories`` that fires on ``text``, in precedence order."""
    wanted = set(categories)
    folded = fold(text)
    views = {"raw": text.casefold(), "folded": folded, "canon": canonical(_NEGATED_SUICIDAL.sub(" ", folded))}
    hits: list[PatternHit] = []
    for rule in ALL_RULES:
        if rule.category not in wanted:
            continue
        view = views[rule.view]
        for m in rule.pattern.finditer(view):
            sentence = _sentence_around(view, m.start(), m.end())
            if rule.context is not None and not rule.context.search(sentence):
                continue
            if rule.unless is not None and rule.unless.search(sentence):
                continue
            if rule.name == "own_symptoms" and not _SYMPTOM_CONCERN.search(view):
                continue
            hits.append(PatternHit(rule.category, rule.name, m.group(0).strip()[:80]))
            break
    return sorted(hits, key=lambda h: PRECEDENCE.index(h.category))


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or two, for short ones) around a match: context rules look only there."""
    left = max(text.rfind(ch, 0, start) for ch in ".?!\n")
    right_candidates = [i for i in (text.find(ch, end) for ch in ".?!\n") if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    # A question often follows its statement: "I'm on lithium. Can I get spravato?"
    nxt = [i for i in (text.find(ch, right + 1) for ch in ".?!\n") if i != -1]
    following = min(nxt) if nxt else len(text)
    right = following if following - right < 120 else right
    return text[left + 1 : right + 1]
