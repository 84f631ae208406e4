"""The default composer: no LLM, no network. It quotes the library, passage first.

1. **The anchor.** Of the retrieved passages, the one whose sentences best answer the question
   (by meaning, the question's rarer words, and how well its section heading matches) is the
   answer's anchor.
2. **The opening sentence** is the anchor's best sentence that stands on its own: not one that
   leans on the sentence before it ("Other side effects...", "In that study..."). When the question
   asks how long, how many, how often or how common, the opening sentence holds a figure.
3. **The rest of the anchor** that answers as well follows, in the library's order.
4. **Only what the anchor lacks** comes from other passages: a key word of the question it never
   mentions, or the other part of a two-part question ("how long does it take and does it hurt?").

Only whole sentences are quoted (a heading or a fragment never is); a sentence that introduces a
list ("The most common side effects are:") brings its items. Every quote is a verbatim span of its
chunk, and every sentence carries its marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from assistant.compose import Composition
from assistant.compose.citations import Claim, assemble
from assistant.language import ABOUT_THE_PAGE, LEANS_ON_CONTEXT, NUMBER_WORDS, PARTS_OF_A_QUESTION, QUANTITY_QUESTION, QUESTION_WORDS
from assistant.types import Passage
from library.text import Span, numbers, sentence_spans, terms, words

_WHOLE = re.compile(r"[.!?:][\"'”’)\]]*$")
_LIST_MARK = re.compile(r"\n[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")


@dataclass
class _Candidate:
    rank: int
    passage: Passage
    span: Span
    text: str
    terms: frozenset[str]
    score: float
    similarity: float
    vector: np.ndarray

    @property
    def standalone(self) -> bool:
        """Makes sense as an answer's first sentence: it does not lean on the sentence before it. (A
        sentence that introduces a list stands: its list comes with it.)"""
        return not LEANS_ON_CONTEXT.match(self.text.lstrip("\"'“("))

    @property
    def has_figure(self) -> bool:
        return bool(numbers(self.text) or NUMBER_WORDS.search(self.text))


class ExtractiveComposer:
    name = "extractive"

    def __init__(
        self,
        idf: Callable[[str], float],
        sentence_vectors: Callable[[list[str]], np.ndarray],
        max_sentences: int = 6,
        min_similarity: float = 0.35,
        from_anchor: int = 3,
    ):
        self.idf = idf
        self.sentence_vectors = sentence_vectors
        self.max_sentences = max_sentences
        self.min_similarity = min_similarity
        self.from_anchor = from_anchor

    # ------------------------------------------------------------------ the answer
    def compose(
        self, question: str, passages: list[Passage], vector: np.ndarray, avoid: Callable[[str], bool] | None = None
    ) -> Composition | None:
        """``avoid``: sentences that must not be quoted (a refusal of personal advice leaves out dose figures)."""
        candidates = [c for c in self.candidates(question, passages, vector) if not (avoid and avoid(c.text))]
        if not candidates or max(c.similarity for c in candidates) < self.min_similarity:
            return None
        chosen = self.choose(question, candidates)
        if not chosen:
            return None
        claims: list[Claim] = []
        used = 0
        for c in chosen:
            claim = self._claim(c)
            if claim is None or any(_within(claim, k) for k in claims):
                continue
            if used + len(claim.spans) > self.max_sentences and claims:
                continue
            claims.append(claim)
            used += len(claim.spans)
        if not claims:
            return None
        text, citations, sentences = assemble(claims)
        return Composition(text=text, citations=citations, composer=self.name, sentences=sentences)

    def choose(self, question: str, candidates: list[_Candidate]) -> list[_Candidate]:
        """The opening sentence first, then the rest of its paragraph, then what only other passages add."""
        best = max(c.score for c in candidates)
        wants_figure = bool(QUANTITY_QUESTION.search(question))
        opener = self._opener(candidates, best, wants_figure)
        if opener is None:
            return []
        anchor = opener.passage.chunk_id
        chosen = [opener]
        # The paragraph the opening sentence belongs to, in the library's order: a passage explains
        # itself better than its best sentences picked apart.
        paragraph = [c for c in candidates if c.passage.chunk_id == anchor and _paragraph(c) == _paragraph(opener) and c.span.start > opener.span.start]
        for c in sorted(paragraph, key=lambda c: c.span.start):
            if len(chosen) >= self.from_anchor:
                break
            if c.score >= best - 0.35 and not any(_repeats(c, k) for k in chosen):
                chosen.append(c)
        # The anchor's other best sentences, when its paragraph was short.
        rest = [c for c in candidates if c.passage.chunk_id == anchor and c not in chosen and c.score >= best - 0.12]
        for c in sorted(rest, key=lambda c: -c.score):
            if len(chosen) >= self.from_anchor:
                break
            if not any(_repeats(c, k) for k in chosen):
                chosen.append(c)
        chosen = [opener] + sorted(chosen[1:], key=lambda c: c.span.start)
        if wants_figure and not any(c.has_figure for c in chosen):
            figures = [c for c in candidates if c.has_figure and c.standalone and c.score >= best - 0.15 and c not in chosen]
            if figures:
                chosen.append(max(figures, key=lambda c: c.score))
        # What the anchor lacks: a key word of the question, or a part of a two-part question.
        others = [c for c in candidates if c.passage.chunk_id != anchor and c.standalone and c.score >= best - 0.2]
        for c in self._fill_gaps(question, chosen, others):
            if len(chosen) >= self.max_sentences:
                break
            if not any(_repeats(c, k) for k in chosen):
                chosen.append(c)
        return chosen

    def _opener(self, candidates: list[_Candidate], best: float, wants_figure: bool) -> _Candidate | None:
        """The first sentence of the answer: the best one that stands on its own, preferring the
        first such sentence of the best paragraph (its point), and one with a figure when asked."""
        ranked = sorted(candidates, key=lambda c: -c.score)
        top = ranked[0]
        if wants_figure:
            near = [c for c in ranked if c.standalone and c.has_figure and c.score >= best - 0.1]
            if near:
                return near[0]
        own_paragraph = [c for c in candidates if c.passage.chunk_id == top.passage.chunk_id and _paragraph(c) == _paragraph(top) and c.standalone]
        lead = min(own_paragraph, key=lambda c: c.span.start, default=None)
        if lead is not None and lead.score >= best - 0.1:
            return lead
        return next((c for c in ranked if c.standalone), None)

    def _fill_gaps(self, question: str, chosen: list[_Candidate], others: list[_Candidate]) -> list[_Candidate]:
        covered = set().union(*(c.terms for c in chosen))
        key = [t for t in dict.fromkeys(terms(question)) if t not in QUESTION_WORDS]
        missing = [t for t in key if t not in covered and self.idf(t) > 1.0]
        added: list[_Candidate] = []
        if missing:
            def gain(c: _Candidate) -> float:
                return sum(self.idf(t) for t in missing if t in c.terms)

            for c in sorted((c for c in others if gain(c) > 0), key=lambda c: (-gain(c), -c.score))[:2]:
                added.append(c)
                missing = [t for t in missing if t not in c.terms]
                if not missing:
                    break
        parts = [p for p in PARTS_OF_A_QUESTION.split(question) if len(words(p)) >= 3]
        if len(parts) >= 2:
            vectors = self.sentence_vectors(parts)
            pool = chosen + added
            for part_vector in vectors:
                answered = max(float(c.vector @ part_vector) for c in pool)
                options = sorted(others, key=lambda c: -float(c.vector @ part_vector))
                if options and float(options[0].vector @ part_vector) > answered + 0.05 and options[0] not in added:
                    added.append(options[0])
        return added

    # ------------------------------------------------------------------ candidate sentences
    def candidates(self, question: str, passages: list[Passage], vector: np.ndarray) -> list[_Candidate]:
        q_terms = set(terms(question))
        q_weight = sum(self.idf(t) for t in q_terms) or 1.0
        headings = self.sentence_vectors([p.section for p in passages]) @ vector if passages else []
        out: list[_Candidate] = []
        for rank, passage in enumerate(passages):
            spans = [sp for sp in sentence_spans(passage.text) if _quotable(sp.of(passage.text), passage.text, sp)]
            if not spans:
                continue
            vectors = self.sentence_vectors([sp.of(passage.text) for sp in spans])
            similarity = vectors @ vector
            for position, (span, sim, sv) in enumerate(zip(spans, similarity, vectors)):
                text = span.of(passage.text)
                s_terms = frozenset(terms(text))
                overlap = sum(self.idf(t) for t in q_terms & s_terms) / q_weight
                score = (
                    0.5 * float(sim)
                    + 0.25 * max(passage.dense, 0.0) / (1.0 + 0.05 * rank)
                    + 0.25 * float(headings[rank])
                    + 0.2 * overlap
                )
                if position == 0 or "\n\n" in passage.text[max(0, span.start - 3) : span.start]:
                    score *= 1.08  # a paragraph's first sentence usually states its point
                out.append(_Candidate(rank, passage, span, text, s_terms, score, float(sim), sv))
        return out

    def _claim(self, c: _Candidate) -> Claim | None:
        """A sentence that introduces a list ("...are:") brings its list along."""
        if not c.text.rstrip().endswith(":"):
            return Claim(c.passage, (c.span,))
        items = _list_after(c.passage.text, c.span)
        if not items:
            return None  # a lead-in without what it leads into says nothing
        return Claim(c.passage, (c.span, *items), listed=True)


def _paragraph(c: _Candidate) -> int:
    """Which paragraph of its passage a sentence is in (a list belongs to the paragraph before it)."""
    text = c.passage.text
    return len(re.findall(r"\n\s*\n(?!\s*(?:[-*+]|\d{1,3}[.)])\s)", text[: c.span.start]))


def _quotable(sentence: str, text: str, span: Span) -> bool:
    """A whole sentence: it ends like one, has a few words, is not a question, a heading or a
    signpost about the page. (A list's items are quoted only with the sentence that leads into them.)"""
    stripped = sentence.strip()
    if not _WHOLE.search(stripped) or stripped.endswith("?"):
        return False
    if len(words(stripped)) < 5 or ABOUT_THE_PAGE.search(stripped):
        return False
    first = stripped.lstrip("\"'“(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    line_start = text.rfind("\n", 0, span.start) + 1
    return not text[line_start : span.start].lstrip().startswith("#")


def _repeats(a: _Candidate, b: _Candidate) -> bool:
    """Says the same thing: most words shared, or (for sentences sharing a number) much the same meaning."""
    if a.terms and b.terms and len(a.terms & b.terms) / len(a.terms | b.terms) >= 0.6:
        return True
    closeness = float(a.vector @ b.vector)
    shares_number = bool(set(numbers(a.text)) & set(numbers(b.text)))
    return closeness >= 0.9 or (shares_number and closeness >= 0.7)


def _within(a: Claim, b: Claim) -> bool:
    """``a`` quotes nothing that ``b`` does not already quote."""
    return a.passage.chunk_id == b.passage.chunk_id and all(
        any(o.start <= s.start and s.end <= o.end for o in b.spans) for s in a.spans
    )


def _list_after(text: str, lead_in: Span, most: int = 8) -> list[Span]:
    """The list items that directly follow a lead-in sentence, as sentence spans."""
    items: list[Span] = []
    for span in sentence_spans(text, lead_in.end):
        gap = text[(items[-1].end if items else lead_in.end) : span.start]
        if not _LIST_MARK.search(gap) or len(items) >= most:
            break
        items.append(span)
    return items
