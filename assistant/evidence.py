"""Answerability: do the retrieved passages answer the question, or is it ``no_evidence``?

One decision for any library, calibrated across several (``python -m evals.calibrate``) and
validated on libraries the fit never saw. It reads signals that survive paraphrase and mean the same
in a 5-document and a 5,000-document library:

- ``sentence_rel``, ``dense_rel``, ``heading_rel``: how close the best sentence, the best passage
  and the best section heading come to the question, *relative to the library's own background*:
  how close one of its sentences comes to another of its documents (``Background``). A question
  that only shares the library's subject scores like that background; one it answers, above it;
- ``coverage``: the share (IDF-weighted) of the question's key words found in the best passages,
  as the word or, for a word the library never uses, as a close meaning ("hooked" in "addiction");
- ``unknown``: the share of the question's key words that the whole library never uses ("tinnitus"
  asked of a library that never says it);
- ``title_coverage``: the share of its key words in the best passage's title and headings: is the
  question's subject what the page is about, or only mentioned on it?
- ``margin``: how far the best passage stands out from the best one of any other document.

A logistic regression over these gives the probability that the question is answered by what was
retrieved; its weights and threshold live in the calibration file of the embedding model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from assistant.language import QUESTION_WORDS
from assistant.types import Passage
from library.calibration import EvidenceCalibration
from library.text import terms

FEATURES: tuple[str, ...] = ("sentence_rel", "heading_rel", "dense_rel", "coverage", "unknown", "title_coverage", "margin")
"""The signals the decision reads (the others in ``features`` are reported, for the calibration)."""

DEFAULT = EvidenceCalibration(
    weights={"sentence_rel": 1.0, "heading_rel": 0.3, "dense_rel": 0.5, "coverage": 2.0, "unknown": -2.0, "title_coverage": 0.5, "margin": 1.0},
    bias=-0.5,
    threshold=0.5,
)
"""Used when the embedding model has no fitted calibration (a test's fake embedder)."""


@dataclass
class Evidence:
    """Whether the retrieved passages answer the question, and the signals behind the call."""

    sufficient: bool
    probability: float
    features: dict[str, float] = field(default_factory=dict)
    reason: str = ""

    @property
    def top_dense(self) -> float:
        return self.features.get("dense", 0.0)

    @property
    def coverage(self) -> float:
        return self.features.get("coverage", 0.0)


@dataclass
class Background:
    """What this library looks like from inside: how close one of its sentences (or section
    headings) comes to the best sentence of *another* of its documents. A question that only shares
    the library's subject ("does ketamine help migraines?" asked of a ketamine library) scores like
    that; one the library answers scores above it. Measured the same way in any library, so a
    5-document and a 5,000-document library, on one subject or many, are judged alike."""

    cross: tuple[float, float] = (0.6, 0.15)
    heading: tuple[float, float] = (0.7, 0.1)

    @staticmethod
    def relative(value: float, stats: tuple[float, float]) -> float:
        return (value - stats[0]) / max(stats[1], 1e-3)


def library_background(
    sentences: Sequence[tuple[str, np.ndarray]], headings: Sequence[tuple[str, np.ndarray]], probes: int = 300, most: int = 20_000, seed: int = 0
) -> Background:
    """``sentences`` and ``headings``: (doc_id, vector) pairs of the library. Bounded work: at most
    ``probes`` probes against at most ``most`` sentences."""
    if len({d for d, _ in sentences}) < 2:
        return Background()
    rng = np.random.default_rng(seed)
    pool = [sentences[i] for i in rng.choice(len(sentences), min(most, len(sentences)), replace=False)]
    docs = np.array([d for d, _ in pool])
    matrix = np.stack([v for _, v in pool]).astype(np.float32)

    def stats(items: Sequence[tuple[str, np.ndarray]]) -> tuple[float, float]:
        chosen = [items[i] for i in rng.choice(len(items), min(probes, len(items)), replace=False)]
        best = []
        for doc, vector in chosen:
            sims = matrix @ vector
            sims[docs == doc] = -1.0
            best.append(float(sims.max()))
        return float(np.mean(best)), float(max(np.std(best), 1e-3))

    return Background(cross=stats(sentences), heading=stats(headings) if headings else Background().heading)


class EvidenceCheck:
    def __init__(
        self,
        calibration: EvidenceCalibration | None,
        idf: Callable[[str], float],
        known: Callable[[str], bool],
        sentence_vectors: Callable[[list[str]], np.ndarray],
        background: Callable[[], Background],
        term_vectors: Callable[[list[str]], np.ndarray] | None = None,
        best: int = 3,
    ):
        self.calibration = calibration if calibration is not None and calibration.weights else DEFAULT
        self.idf = idf
        self.known = known
        self.sentence_vectors = sentence_vectors
        self.background = background
        self.term_vectors = term_vectors
        self.best = best

    def __call__(self, question: str, passages: Sequence[Passage], vector: np.ndarray | None = None) -> Evidence:
        if not passages:
            return Evidence(False, 0.0, {}, "nothing retrieved")
        features = self.features(question, passages, vector)
        cal = self.calibration
        logit = cal.bias + sum(cal.weights.get(name, 0.0) * features.get(name, 0.0) for name in FEATURES)
        probability = 1.0 / (1.0 + math.exp(-max(min(logit, 30.0), -30.0)))
        sufficient = probability >= cal.threshold
        reason = "the best passages answer the question" if sufficient else "the library does not seem to cover the question"
        return Evidence(sufficient, round(probability, 4), features, reason)

    # ------------------------------------------------------------------ the signals
    def features(self, question: str, passages: Sequence[Passage], vector: np.ndarray | None) -> dict[str, float]:
        top = list(passages[: self.best])
        dense = max(p.dense for p in passages)
        out = {
            "dense": dense,
            "coverage": self.coverage(question, top),
            "unknown": self.unknown(question),
            "title_coverage": max(self.exact_coverage(question, [p.section]) for p in top),
            "margin": _margin(passages),
        }
        background = self.background()
        if vector is None:
            sentence, heading = dense, 0.0
        else:
            sentences = [s for p in top for s in _sentences(p.text)]
            sentence = float((self.sentence_vectors(sentences) @ vector).max()) if sentences else dense
            heading = float((self.sentence_vectors([p.section for p in top]) @ vector).max())
        out.update(
            sentence=sentence,
            heading=heading,
            sentence_rel=Background.relative(sentence, background.cross),
            dense_rel=Background.relative(dense, background.cross),
            heading_rel=Background.relative(heading, background.heading),
        )
        return {k: round(float(v), 4) for k, v in out.items()}

    def key_terms(self, question: str) -> list[str]:
        return list(dict.fromkeys(t for t in terms(question) if t not in QUESTION_WORDS))

    def coverage(self, question: str, passages: Sequence[Passage]) -> float:
        """IDF-weighted share of the question's key words in the passages: exactly, or (for a word
        the library never uses) by a close meaning among the passages' words."""
        q_terms = self.key_terms(question)
        if not q_terms:
            return 1.0
        found: set[str] = set()
        for p in passages:
            found |= set(terms(f"{p.section}\n{p.text}"))
        weights = {t: self.idf(t) for t in q_terms}
        total = sum(weights.values()) or 1.0
        score = sum(weights[t] for t in q_terms if t in found)
        missing = [t for t in q_terms if t not in found and not self.known(t)]
        if missing and self.term_vectors is not None and found:
            candidates = sorted(found)
            near = self.term_vectors(missing) @ self.term_vectors(candidates).T
            for t, best in zip(missing, near.max(axis=1)):
                score += weights[t] * float(np.clip((best - 0.5) / 0.3, 0.0, 1.0))
        return score / total

    def exact_coverage(self, question: str, texts: Sequence[str]) -> float:
        """IDF-weighted share of the question's key words found, as words, in ``texts``."""
        q_terms = self.key_terms(question)
        if not q_terms:
            return 1.0
        found: set[str] = set()
        for text in texts:
            found |= set(terms(text))
        weights = {t: self.idf(t) for t in q_terms}
        return sum(w for t, w in weights.items() if t in found) / (sum(weights.values()) or 1.0)

    def unknown(self, question: str) -> float:
        """IDF-weighted share of the question's key words that the library never uses."""
        q_terms = self.key_terms(question)
        if not q_terms:
            return 0.0
        weights = {t: self.idf(t) for t in q_terms}
        total = sum(weights.values()) or 1.0
        return sum(w for t, w in weights.items() if not self.known(t)) / total


def _margin(passages: Sequence[Passage]) -> float:
    """How far the best passage stands out from the best passage of any other document."""
    best = passages[0]
    others = [p.dense for p in passages[1:] if p.doc_id != best.doc_id]
    return best.dense - max(others) if others else 0.0


def _sentences(text: str) -> list[str]:
    from library.text import sentence_spans

    return [s.of(text) for s in sentence_spans(text)]
