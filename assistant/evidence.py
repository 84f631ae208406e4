"""Evidence sufficiency: do the retrieved passages cover the question, or is it `no_evidence`?

Two signals, with thresholds in settings calibrated on labelled answerable and uncovered questions
(the golden set in evals/):

- ``top_dense``: how close the best passage is in meaning;
- ``coverage``: the share (IDF-weighted) of the question's informative words that the best passages
  contain. A question about "migraines" is close in meaning to passages about ketamine's uses, but no
  passage says "migraine": that is a question the library cannot answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from assistant.types import Passage
from library.settings import Settings
from library.text import terms

# Words that frame a question rather than name its subject: they do not count toward coverage.
QUESTION_WORDS = frozenset(
    terms(
        "difference different differ happen happens happening mean means meaning need needs long much many "
        "take takes taking thing things kind kinds type types way ways work works working afterwards afterward "
        "before after start starting normal common usually typical explain tell know okay ok possible chance "
        "someone people person anyone feel feeling expect actually really basically literally honestly exactly "
        "specifically general generally regular normally typically true real heard hear read reading saw seen "
        "say says said friend stuff sort whole full completely ever even just still already get gets got "
        "getting make makes made use used using give giving given"
    )
)


@dataclass
class Evidence:
    """Whether the retrieved passages cover the question, and the signals behind the call."""

    sufficient: bool
    top_dense: float
    coverage: float
    reason: str = ""


class EvidenceCheck:
    def __init__(self, settings: Settings, idf: Callable[[str], float], best: int = 3):
        self.settings = settings
        self.idf = idf
        self.best = best

    def __call__(self, question: str, passages: list[Passage]) -> Evidence:
        s = self.settings
        if not passages:
            return Evidence(False, 0.0, 0.0, "nothing retrieved")
        top = max(p.dense for p in passages)
        coverage = self.coverage(question, passages[: self.best])
        if top >= s.min_evidence_score and coverage >= s.min_term_coverage:
            return Evidence(True, top, coverage, "the best passages match the question and its key words")
        if top >= s.strong_evidence_score and coverage >= s.min_term_coverage_strong:
            return Evidence(True, top, coverage, "a very close match in meaning")
        return Evidence(False, top, coverage, "the library does not seem to cover the question's key words")

    def coverage(self, question: str, passages: list[Passage]) -> float:
        q_terms = set(terms(question)) - QUESTION_WORDS
        if not q_terms:
            return 1.0
        found: set[str] = set()
        for p in passages:
            found |= set(terms(f"{p.section}\n{p.text}"))
        total = sum(self.idf(t) for t in q_terms)
        return sum(self.idf(t) for t in q_terms & found) / total if total else 0.0
