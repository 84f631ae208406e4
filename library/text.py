"""Plain-text helpers shared by the chunker, retrieval and the composers.

Sentence boundaries are found, not guessed: a span API returns character offsets, so whatever
is cut from a text can always be mapped back to it exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "st", "no", "fig", "approx",
    "u.s", "al", "inc", "jr", "sr", "mg", "kg", "min", "hr", "hrs", "ca", "cf", "ed", "eds", "vol",
}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+|$)")
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,3}[.)])\s+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` as offsets into ``text``, whitespace trimmed.

    Paragraph breaks and list items always end a sentence; so do ``.``, ``!`` and ``?`` followed
    by white space, except after a known abbreviation, an initial, or inside a number.
    """
    end = len(text) if end is None else end
    spans: list[Span] = []
    for block_start, block_end in _blocks(text, start, end):
        cursor = block_start
        for m in _SENTENCE_END.finditer(text, block_start, block_end):
            if _is_abbreviation(text, block_start, m.start()):
                continue
            _push(spans, text, cursor, m.end())
            cursor = m.end()
        _push(spans, text, cursor, block_end)
    return spans


def sentences(text: str) -> list[str]:
    return [s.of(text) for s in sentence_spans(text)]


def _blocks(text: str, start: int, end: int):
    """Paragraphs and list items: hard sentence boundaries."""
    pos = start
    for m in re.finditer(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d{1,3}[.)])\s)", text[start:end]):
        yield pos, start + m.start()
        pos = start + m.end()
    yield pos, end


def _push(spans: list[Span], text: str, a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    m = _LIST_ITEM.match(text, a, b)
    if m:
        a = m.end()
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a and any(ch.isalnum() for ch in text[a:b]):
        spans.append(Span(a, b))


def _is_abbreviation(text: str, block_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > block_start and not text[word_start - 1].isspace() and text[word_start - 1] not in "(\"'“":
        word_start -= 1
    word = text[word_start:dot].lower()
    if word in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():  # an initial: "J. Smith"
        return True
    if dot + 1 < len(text) and text[dot + 1].isdigit():  # "0.5"
        return True
    nxt = text[dot + 1 : dot + 3].lstrip()
    return bool(nxt) and nxt[0].islower()  # "e.g. most", "approx. half"


_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves also may might much many get got us let
    tell know want like really please thanks thank hi hello can't cannot don't doesn't didn't won't
    wouldn't shouldn't isn't aren't wasn't i'm i've i'll i'd it's what's that's there's how's who's
    let's you're you've we're they're""".split()
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'infusions' with 'infusion', 'lasts' with 'last'."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("edly", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)] + keep
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return base
    return word


def terms(text: str) -> list[str]:
    """Content terms for lexical matching: lower-cased, stop words removed, lightly stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%)?")


def numbers(text: str) -> list[str]:
    """Every number in a text, normalised ('1,000' -> '1000', '41 %' -> '41%')."""
    return [n.replace(",", "").replace(" ", "") for n in _NUMBER.findall(text)]
