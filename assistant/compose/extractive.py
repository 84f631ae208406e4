"""The default composer: no LLM, no network. It quotes the library.

It picks the sentences of the retrieved passages that best answer the question (weighted term
overlap with the question, scaled by how relevant their passage is), drops near-duplicates, and
orders them as the library does, each with its citation marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from assistant.compose import Composition
from assistant.compose.citations import Claim, assemble
from assistant.types import Passage
from library.text import Span, numbers, sentence_spans, terms, words

# Sentences about the page itself ("This guide explains...", "The page on X has more") are signposts
# for a reader of the whole page, not answers.
_ABOUT_THE_PAGE = re.compile(r"\b(?:this|the|that) (?:guide|page|document|article|section)\b|\bthe page on\b", re.I)
_REFERRING = ("this ", "that ", "these ", "those ", "it ", "they ", "also ", "however", "but ")


@dataclass
class _Candidate:
    passage_rank: int
    passage: Passage
    span: Span
    text: str
    terms: frozenset[str]
    score: float = 0.0
    similarity: float = 0.0
    vector: np.ndarray | None = None


class ExtractiveComposer:
    name = "extractive"

    def __init__(
        self,
        idf: Callable[[str], float],
        sentence_vectors: Callable[[list[str]], np.ndarray],
        max_sentences: int = 5,
        min_sentences: int = 3,
        min_similarity: float = 0.35,
    ):
        self.idf = idf
        self.sentence_vectors = sentence_vectors
        self.max_sentences = max_sentences
        self.min_sentences = min_sentences
        self.min_similarity = min_similarity

    def compose(self, question: str, passages: list[Passage], vector: np.ndarray) -> Composition | None:
        chosen = self.select(question, passages, vector)
        if not chosen:
            return None
        # Best first, within the sentence budget (a quoted list counts each of its items), then
        # shown in the library's own order.
        kept: list[tuple[_Candidate, Claim]] = []
        used = 0
        # A list introduced by one of the best three sentences is usually the answer itself
        # ("The boxed warning lists five risks:"): give it its room first.
        leads = [c for c in chosen[:3] if c.text.rstrip().endswith(":")]
        for c in leads + [c for c in chosen if c not in leads]:
            claim = self._claim(c)
            if claim is None or any(_within(claim, k) for _, k in kept):
                continue
            units = _units(claim)
            if used + units > self.max_sentences:
                continue
            kept = [(kc, k) for kc, k in kept if not _within(k, claim)]
            kept.append((c, claim))
            used = sum(_units(k) for _, k in kept)
        if not kept:
            return None
        kept.sort(key=lambda pair: (pair[0].passage_rank, pair[0].span.start))
        claims = [claim for _, claim in kept]
        text, citations = assemble(claims)
        return Composition(text=text, citations=citations, composer=self.name)

    def _claim(self, c: _Candidate) -> Claim | None:
        """A sentence that introduces a list ("...lists five risks:") brings its list along."""
        if not c.text.rstrip().endswith(":"):
            return Claim(c.text, c.passage, (c.span,))
        items = _list_after(c.passage.text, c.span)
        if not items:
            return None  # a lead-in without what it leads into says nothing
        end = items[-1].end
        return Claim(c.passage.text[c.span.start : end], c.passage, (Span(c.span.start, end),))

    def select(self, question: str, passages: list[Passage], vector: np.ndarray) -> list[_Candidate]:
        q_terms = set(terms(question))
        q_weight = sum(self.idf(t) for t in q_terms) or 1.0
        candidates: list[_Candidate] = []
        headings = self.sentence_vectors([p.section for p in passages]) @ vector if passages else []
        for rank, passage in enumerate(passages):
            heading = float(headings[rank])
            spans = [
                sp for sp in sentence_spans(passage.text)
                if not sp.of(passage.text).rstrip().endswith("?")
                and len(words(sp.of(passage.text))) >= 5
                and not _ABOUT_THE_PAGE.search(sp.of(passage.text))
            ]
            if not spans:
                continue
            sentence_vectors = self.sentence_vectors([f"{passage.section}\n{sp.of(passage.text)}" for sp in spans])
            similarity = sentence_vectors @ vector
            for position, (span, sim, sv) in enumerate(zip(spans, similarity, sentence_vectors)):
                text = span.of(passage.text)
                s_terms = frozenset(terms(text))
                overlap = sum(self.idf(t) for t in q_terms & s_terms) / q_weight
                # The sentence's own meaning leads; its section's match with the question and the
                # question's rarer words break ties between sentences that say similar things.
                score = (
                    0.5 * float(sim)
                    + 0.25 * max(passage.dense, 0.0) / (1.0 + 0.05 * rank)
                    + 0.25 * heading  # does the section set out to answer this?
                    + 0.2 * overlap
                )
                if position == 0:
                    score *= 1.08  # a section's first sentence usually states its point
                if text.lower().startswith(_REFERRING):
                    score *= 0.75  # leans on a sentence the patient will not see
                candidates.append(_Candidate(rank, passage, span, text, s_terms, score, float(sim), sv))
        if not candidates:
            return []
        candidates.sort(key=lambda c: -c.score)
        best = candidates[0].score
        if candidates[0].similarity < self.min_similarity:
            return []  # nothing in these passages is about the question
        chosen: list[_Candidate] = []
        for c in candidates:
            if len(chosen) >= self.max_sentences:
                break
            margin = 0.12 if len(chosen) >= self.min_sentences else 0.22
            if c.score < best - margin:
                break
            if any(_repeats(c, other) for other in chosen):
                continue
            chosen.append(c)
        return chosen


def _repeats(a: _Candidate, b: _Candidate) -> bool:
    """Says the same thing: most words shared, or (for sentences sharing a number) much the same meaning."""
    if a.terms and b.terms and len(a.terms & b.terms) / len(a.terms | b.terms) >= 0.6:
        return True
    if a.vector is None or b.vector is None:
        return False
    closeness = float(a.vector @ b.vector)
    shares_number = bool(set(numbers(a.text)) & set(numbers(b.text)))
    return closeness >= 0.9 or (shares_number and closeness >= 0.7)


def _units(claim: Claim) -> int:
    """Sentences a claim shows: one, or a lead-in and each item of its list."""
    return sum(1 for line in claim.sentence.split("\n") if line.strip())


def _within(a: Claim, b: Claim) -> bool:
    """``a`` quotes nothing that ``b`` does not already quote."""
    return (
        a.passage.chunk_id == b.passage.chunk_id
        and b.spans[0].start <= a.spans[0].start
        and a.spans[0].end <= b.spans[0].end
    )


_LIST_MARK = re.compile(r"\n[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")


def _list_after(text: str, lead_in: Span, most: int = 8) -> list[Span]:
    """The list items that directly follow a lead-in sentence, as sentence spans."""
    items: list[Span] = []
    for span in sentence_spans(text, lead_in.end):
        gap = text[(items[-1].end if items else lead_in.end) : span.start]
        if not _LIST_MARK.search(gap) or len(items) >= most:
            break
        items.append(span)
    return items
