"""Triage rules: the deterministic detectors, one file per category.

A rule describes linguistic structure rather than listing messages: *who* (I, my brother, she) ×
*intent* (want to, going to, keep thinking about) × *act* (die, end it, take my life), or *personal
framing* (should I, my dose, I'm on...) × *medical decision*. Each rule gives a ``Signal`` with a
strength: a strong signal decides on its own; weak ones (hopelessness, exhaustion, a death wish
said in passing) need another weak signal, or the classifier's agreement.

Every pattern is bounded (no nested unbounded repetition), so a rule's work is linear in the length
of the message; the stage runs them on messages of any accepted length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Literal

from assistant.triage.normalise import Normalised

Strength = Literal["strong", "weak", "history"]
"""strong decides alone; weak needs another weak signal or the classifier; history (a sign said of
long ago) only adds to the classifier."""
Alternatives = str | list[str]


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
    strength: Strength = "strong"
    requires: re.Pattern[str] | None = None  # must also match somewhere in the whole message


@dataclass(frozen=True)
class Signal:
    category: str
    rule: str
    strength: Strength
    excerpt: str


def rule(
    category: str,
    name: str,
    pattern: Alternatives,
    context: Alternatives | None = None,
    unless: Alternatives | None = None,
    view: str = "canon",
    strength: Strength = "strong",
    requires: Alternatives | None = None,
) -> Rule:
    """A rule; each regex may be written as a list of alternatives, one per line."""

    def compile_(alternatives: Alternatives | None) -> re.Pattern[str] | None:
        if not alternatives:
            return None
        return re.compile(alternatives if isinstance(alternatives, str) else "|".join(alternatives), re.IGNORECASE)

    return Rule(category, name, compile_(pattern), compile_(context), compile_(unless), view, strength, compile_(requires))


def _all_rules() -> list[Rule]:
    from assistant.triage.rules import crisis, eating_disorder, figurative, illicit, manipulation, medical_advice, out_of_scope, self_harm

    return [
        *crisis.RULES,
        *self_harm.RULES,
        *eating_disorder.RULES,
        *manipulation.RULES,
        *illicit.RULES,
        *medical_advice.RULES,
        *out_of_scope.RULES,
        *figurative.RULES,
    ]


_RULES: list[Rule] | None = None


def all_rules() -> list[Rule]:
    global _RULES
    if _RULES is None:
        _RULES = _all_rules()
    return _RULES


# Two frames that change what a risk statement means, whatever the rule. They apply to crisis rules.
LONG_AGO = re.compile(
    r"\b(?:\d+|many|several|a few|two|three|four|five|six|ten|fifteen|twenty|thirty)\+?\s+(?:years?|decades?)\s+ago\b|\bdecades? ago\b|"
    r"\b(?:when|while) i was (?:a |in )?(?:\d+|young|younger|little|kid|child|teen(?:ager)?|(?:high )?school|college|uni)\b|\bas a (?:teen(?:ager)?|kid|child|student|young \w+)\b|"
    r"\bin (?:high school|college|my (?:teens|twenties|20s|youth))\b|\blong (?:over|ago|behind me|in the past)\b|\bback in (?:\d{4}|high school|college|the day|the \d0s)\b|"
    r"\bthat was (?:\d+|many|years|decades|a long time)\b|\bin the (?:\d0s|nineties|eighties)\b|\bbefore i was \d+\b",
    re.IGNORECASE,
)
"""Long past: a crisis signal said of a time long ago is history, not current risk (it stays a weak signal)."""
_STILL_NOW = re.compile(r"\b(?:now|again|still|lately|recently|these days|tonight|today|this (?:week|month|morning|year)|right now|currently|last (?:night|week)|anymore|any more)\b", re.IGNORECASE)
_RECOVERED = re.compile(r"\b(?:long |all )?(?:over|fine|better|well|okay|ok|good|stable|recovered|behind me|past (?:it|that)|doing (?:well|great|fine|ok|okay))\s+(?:now|these days|for years|since)\b", re.IGNORECASE)
HYPOTHETICAL = re.compile(
    r"\b(?:if|when|whenever|in case) (?:someone|somebody|a person|people|a patient|patients|a client|clients|a friend|a loved one|anyone|a family member|a student|a child|a teen|your \w+)\b|"
    r"\bhow (?:do|can|should|would) (?:i|you|we|staff|clinicians?|the clinic|nurses?|doctors?|one) (?:help|support|respond|react|handle|talk to)\b|\b(?:training|workshop|presentation|course|class|essay|paper|research)\b",
    re.IGNORECASE,
)
"""A hypothetical or educational frame about other people: "what does the clinic do if a patient..."."""
_SPEAKER = re.compile(r"\b(?:i|i'?m|im|i'?ve|ive|me|my|myself)\b", re.IGNORECASE)


LONG_MESSAGE = 6_000
"""Above this many characters a message is read in a bounded way (``_bounded_views``)."""
SCAN_BUDGET = 14_000
"""Characters of a long message the crisis rules read: its beginning, its end, and the pieces with
risk words in them, densest first. (The classifier reads its windows, chosen the same way.)"""
_PIECE = re.compile(r"[^.?!\n]{1,400}[.?!\n]*")
_CUE = re.compile(
    r"\b(?:die|dying|dead|death|kill\w*|suicid\w*|alive|live|living|life|end|gone|hurt|harm|cut\w*|burn\w*|pills?|overdos\w*|od|"
    r"goodbye|bye|rope|gun|bridge|roof|jump|hopeless|point|burden|tired|exhausted|done|starv\w*|eat\w*|purg\w*|vomit\w*|throw\w* up|"
    r"weigh\w*|thin|skinny|blade|razor|bleed\w*|scar\w*|wake up|disappear|anymore|forever|plan|note|enough|myself|unaliv\w*|kms|sh|"
    r"lethal|fatal|stash|saved|sav(?:e|ing) up|morir|mourir|sterben|matar)\b"
)


def signals(message: Normalised, categories: Iterable[str] | None = None) -> list[Signal]:
    """Every rule of ``categories`` (all when None) that fires on the message, strong ones first.

    The work is bounded: on a message longer than LONG_MESSAGE the crisis rules read at most
    SCAN_BUDGET characters of it (``_bounded_views``), and the other rules read only its last
    part, the part a reply would answer (a message that long is not answered, only checked)."""
    wanted = set(categories) if categories is not None else None
    full = {"raw": message.text.casefold(), "folded": message.folded, "canon": message.canon}
    crisis_views, other_views = _bounded_views(full) if len(message.text) > LONG_MESSAGE else (full, full)
    found: list[Signal] = []
    for r in all_rules():
        if wanted is not None and r.category not in wanted:
            continue
        views = crisis_views if r.category in _FRAMED else other_views
        hit = first_match(r, views[r.view])
        if hit is None:
            continue
        excerpt, sentence = hit
        strength = r.strength
        if r.category in _FRAMED:
            if HYPOTHETICAL.search(sentence) and not _SPEAKER.search(_own_sentence(views[r.view], excerpt)):
                continue  # about people in general, not about anyone in particular
            if LONG_AGO.search(sentence) and not _STILL_NOW.search(_RECOVERED.sub(" ", sentence)):
                strength = "history"
        found.append(Signal(r.category, r.name, strength, excerpt))
    return sorted(found, key=lambda s: ("strong", "weak", "history").index(s.strength))


_FRAMED = frozenset({"crisis", "self_harm", "eating_disorder"})


def _own_sentence(view: str, excerpt: str) -> str:
    """The sentence the excerpt is in, and only it ("...if someone takes 30, cause i did")."""
    at = view.find(excerpt)
    if at < 0:
        return excerpt
    left = max(view.rfind(ch, 0, at) for ch in ".?!\n") + 1
    ends = [i for i in (view.find(ch, at + len(excerpt)) for ch in ".?!\n") if i != -1]
    return view[left : min(ends) if ends else len(view)]


def _bounded_views(full: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The views the crisis rules read (head, tail and the risk-densest pieces) and the views the
    other rules read (the tail). The views split into the same pieces: folding keeps punctuation."""
    pieces = {name: _PIECE.findall(view) for name, view in full.items()}
    folded = pieces["folded"]
    if any(len(p) != len(folded) for p in pieces.values()):
        pieces = {name: pieces["folded"] for name in full}  # a view that split differently reads the folded one
    order = _chosen_pieces(folded)
    crisis = {name: "\n".join(ps[i] for i in order) for name, ps in pieces.items()}
    tail = {name: view[-3000:] for name, view in full.items()}
    return crisis, tail


def _chosen_pieces(pieces: list[str]) -> list[int]:
    """Indexes of the pieces to read, in order: the first and last few, then the risk-densest."""
    chosen: set[int] = set()
    used = 0

    def take(i: int) -> bool:
        nonlocal used
        if i in chosen or used + len(pieces[i]) > SCAN_BUDGET:
            return False
        chosen.add(i)
        used += len(pieces[i])
        return True

    edge = 0
    for i in range(len(pieces)):  # about 3,000 characters from each end
        if edge > 3000:
            break
        if take(i):
            edge += len(pieces[i])
    edge = 0
    for i in range(len(pieces) - 1, -1, -1):
        if edge > 3000:
            break
        if take(i):
            edge += len(pieces[i])
    dense = sorted((i for i in range(len(pieces)) if i not in chosen), key=lambda i: -len(_CUE.findall(pieces[i])))
    for i in dense:
        if not _CUE.search(pieces[i]):
            break
        take(i)
    return sorted(chosen)


def first_match(r: Rule, view: str) -> tuple[str, str] | None:
    """The excerpt of the first match of ``r`` whose sentence passes its context checks, and that sentence."""
    if r.requires is not None and not r.requires.search(view):
        return None
    for m in r.pattern.finditer(view):
        sentence = sentence_around(view, m.start(), m.end())
        if r.context is not None and not r.context.search(sentence):
            continue
        if r.unless is not None and r.unless.search(sentence):
            continue
        return m.group(0).strip()[:80], sentence
    return None


_BOUNDARY = re.compile(r"[.?!\n]")


def sentence_around(text: str, start: int, end: int, reach: int = 600) -> str:
    """The sentence (or two, for short ones) around a match: context rules look only there.

    Looks at most ``reach`` characters either side, so a long message without full stops costs
    no more than a short one.
    """
    lo = max(0, start - reach)
    left = max((m.start() for m in _BOUNDARY.finditer(text, lo, start)), default=lo - 1)
    right_match = _BOUNDARY.search(text, end, min(len(text), end + reach))
    right = right_match.start() if right_match else min(len(text), end + reach)
    # A question often follows its statement: "I'm on lithium. Can I get spravato?"
    following = _BOUNDARY.search(text, right + 1, min(len(text), right + 121))
    if following is not None:
        right = following.start()
    elif len(text) - right <= 120:
        right = len(text)
    return text[left + 1 : right + 1]
