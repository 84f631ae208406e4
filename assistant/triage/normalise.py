"""Normalisation, done once per message: every later step of triage reads these views.

- ``text``: the guarded message (control and invisible characters removed, NFKC), up to
  ``guard.HARD_CAP_CHARS`` characters: all of any message the app accepts is read.
- ``folded``: lower-case, accents removed, curly quotes straightened.
- ``canon``: ``folded`` with near-miss spellings of crisis words repaired (leetspeak, stretched
  letters, censoring, common misspellings) and negated mentions ("I'm not suicidal") removed.
- ``windows``: the message cut into overlapping pieces of a few sentences, short enough for the
  embedding model to read whole (it reads about 200 words), for the classifier.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.guard import GuardProblem, guard
from library.text import sentence_spans


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


# Negated mentions are removed before the crisis rules read the text: "I'm not suicidal".
_NEGATED_SUICIDAL = re.compile(
    r"\b(?:not|never|no longer|isn'?t|wasn'?t|am not|i'?m not|im not|not feeling|do ?n'?t feel|no)\s+(?:(?:been|feeling|felt|having|had|currently|actively|really|ever|any|at all)\s+){0,2}(?:suicidal|suicide)(?:\s+(?:thoughts|ideation|feelings|urges))?\b",
    re.IGNORECASE,
)


WINDOW_WORDS = 60
"""Words per classifier window: well inside what the embedding model reads (about 200 words)."""
MAX_WINDOWS = 48
"""Windows the classifier reads at most; beyond that, the windows with risk words come first."""

# Words that make a window worth reading first when a message is too long to read every window.
_RISK_CUE = re.compile(
    r"\b(?:die|dying|dead|death|kill|suicid\w*|alive|live|living|life|end|gone|hurt|harm|cut|burn|pills?|overdos\w*|od|"
    r"goodbye|bye|rope|gun|bridge|jump|hopeless|point|burden|tired|exhausted|done|starv\w*|eat\w*|purg\w*|vomit\w*|"
    r"throw up|weigh\w*|thin|skinny|fat|blade|razor|bleed\w*|scar\w*|wake up|disappear|anymore|forever|plan|note)\b"
)


@dataclass(frozen=True)
class Normalised:
    text: str
    folded: str
    canon: str
    problem: GuardProblem | None = None
    original_chars: int = 0
    windows: tuple[str, ...] = field(default=())

    @property
    def words(self) -> int:
        return len(self.text.split())


def normalise(raw: object, max_chars: int) -> Normalised:
    """Every view of one message. Never raises; the work is linear in the (capped) length."""
    checked = guard(raw, max_chars)
    folded = fold(checked.text)
    canon = canonical(_NEGATED_SUICIDAL.sub(" ", folded))
    return Normalised(checked.text, folded, canon, checked.problem, checked.original_chars, tuple(windows(checked.text)))


def windows(text: str, size: int = WINDOW_WORDS, most: int = MAX_WINDOWS) -> list[str]:
    """Overlapping pieces of whole sentences, about ``size`` words each; the whole text when short.

    A long story's risk may sit in one sentence in its middle: each window is read on its own, so
    the rest of the story cannot dilute it. At most ``most`` windows: the first and the last, and
    those with risk words before the others.
    """
    if len(text.split()) <= size:
        return [text] if text.strip() else []
    spans = sentence_spans(text)
    pieces: list[str] = []
    first = 0
    while first < len(spans):
        last, count = first, len(spans[first].of(text).split())
        while last + 1 < len(spans) and count + len(spans[last + 1].of(text).split()) <= size:
            last += 1
            count += len(spans[last].of(text).split())
        piece = text[spans[first].start : spans[last].end]
        pieces.extend(_split_words(piece, size))
        if last + 1 >= len(spans):
            break
        first = last if last > first else last + 1  # one sentence of overlap
    if len(pieces) <= most:
        return pieces
    keep = {0, len(pieces) - 1}
    for i, piece in enumerate(pieces):
        if len(keep) >= most:
            break
        if _RISK_CUE.search(fold(piece)):
            keep.add(i)
    for i in range(len(pieces)):
        if len(keep) >= most:
            break
        keep.add(i)
    return [pieces[i] for i in sorted(keep)]


def _split_words(piece: str, size: int) -> list[str]:
    """A single sentence longer than a window (a story with no full stops) in word windows, overlapping."""
    words = piece.split()
    if len(words) <= size:
        return [piece]
    step = max(1, size - size // 4)
    return [" ".join(words[i : i + size]) for i in range(0, max(1, len(words) - size // 4), step)]
