"""Triage nearest neighbours: the labelled examples and the weighted k-NN vote over them.

Holds the labelled examples file (``prompts/triage_examples.yaml``) and its loader, the vote's
parameters (``KnnParams``), the vote itself (``KnnVote``) and ``NearestExamples``, which embeds the
examples once (cached in memory by content) and votes for a message's embedding.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import yaml

from assistant.triage_patterns import LABELS
from library.embedder import Embedder

EXAMPLES_PATH = Path(__file__).resolve().parent.parent / "prompts" / "triage_examples.yaml"


# ============================================================================ labelled examples


class ExamplesError(ValueError):
    """The labelled examples file is broken; the message says where."""


@dataclass(frozen=True)
class LabelledExample:
    text: str
    label: str


def load_examples(path: Path | str = EXAMPLES_PATH) -> list[LabelledExample]:
    """Read ``{examples: [{text, label}, ...]}`` (or a bare list), validating every entry."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExamplesError(f"{path}: cannot read labelled examples: {exc}") from exc
    items = data.get("examples", data.get("cases")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ExamplesError(f"{path}: expected a list under 'examples'")
    out: list[LabelledExample] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise ExamplesError(f"{path}: example {i}: needs a non-empty 'text'")
        if item.get("label") not in LABELS:
            raise ExamplesError(f"{path}: example {i}: label {item.get('label')!r} is not one of {', '.join(LABELS)}")
        out.append(LabelledExample(text=item["text"].strip(), label=item["label"]))
    return out


# ============================================================================ nearest neighbours


@dataclass(frozen=True)
class KnnParams:
    """The neighbour vote. Chosen with leave-one-out over the examples and with messages held out
    from them (python -m assistant.triage_report [--leave-one-out])."""

    k: int = 7
    min_similarity: float = 0.30  # neighbours below this do not vote
    power: float = 4.0  # vote weight = similarity ** power: close examples count far more
    crisis_single: float = 0.72  # one crisis example this close is enough
    crisis_share: float = 0.30  # ...or this share of the vote, with
    crisis_vote_similarity: float = 0.50  # ...the closest crisis example at least this close
    crisis_majority: float = 0.50  # ...or a majority of the vote for crisis, even from far away:
    crisis_majority_similarity: float = 0.36  # new ways of saying it land near crisis examples first
    # Each sentence of a longer message also gets a crisis vote (a crisis mixed into an ordinary
    # question is diluted in the whole), with a stricter bar: one sentence of a story ("my sleep
    # is terrible") resembles crisis examples more than the whole story does.
    sentence_level: bool = True
    sentence_single: float = 0.80  # a very close crisis example,
    sentence_share: float = 0.60  # ...or this share of the vote, with
    sentence_similarity: float = 0.56  # ...the closest crisis example at least this close
    refuse_share: float = 0.55  # a refusal class needs this share of the vote
    refuse_similarity: float = 0.62  # ...and an example of it this close
    refuse_margin: float = 0.03  # ...closer than the closest ordinary question by this much
    override_share: float = 0.80  # a vote this clear may outrank a pattern of a lower class
    domain_similarity: float = 0.36  # below this to every in-scope example, with no domain word,
    domain_margin: float = -0.05  # ...and an off-topic example about as near (this much less at most)


@dataclass(frozen=True)
class KnnVote:
    label: str
    share: float
    shares: dict[str, float]
    best: dict[str, float]  # closest example similarity per label
    neighbours: list[tuple[str, float, str]] = field(default_factory=list)  # (label, similarity, text)

    def is_crisis(self, p: KnnParams, relax: float = 0.0) -> bool:
        """Crisis by the vote: a close crisis example, a good share of close ones, or a majority
        of the vote even from further away (new ways of saying it land near crisis examples)."""
        best = self.best.get("crisis", 0.0)
        share = self.shares.get("crisis", 0.0)
        if best >= p.crisis_single - relax:
            return True
        if share >= p.crisis_share - relax and best >= p.crisis_vote_similarity - relax:
            return True
        return share >= p.crisis_majority - relax and best >= p.crisis_majority_similarity - relax

    def refusal(self, p: KnnParams) -> str | None:
        if self.label in ("ok", "crisis"):
            return None
        best = self.best.get(self.label, 0.0)
        if self.share >= p.refuse_share and best >= p.refuse_similarity and best - self.best.get("ok", 0.0) >= p.refuse_margin:
            return self.label
        return None

    def in_domain_similarity(self) -> float:
        """How close the message comes to an example about the clinic's subject (ok, medical advice
        or illicit use: the classes defined by topic rather than by intent)."""
        return max((self.best.get(label, 0.0) for label in ("ok", "medical_advice", "illicit")), default=0.0)

    def describe(self, n: int = 3) -> list[str]:
        return [f"{label} {sim:.2f}: {text}" for label, sim, text in self.neighbours[:n]]


_EMBEDDING_CACHE: dict[tuple[str, str, str], np.ndarray] = {}


class NearestExamples:
    """Labelled examples embedded once (cached by content in memory) and a weighted k-NN vote."""

    def __init__(self, embedder: Embedder, examples: Sequence[LabelledExample], params: KnnParams = KnnParams()):
        self.examples = list(examples)
        self.params = params
        self.labels = np.array([e.label for e in self.examples])
        key = (getattr(embedder, "name", type(embedder).__name__), str(getattr(embedder, "dimension", "")), _content_hash(self.examples))
        if key not in _EMBEDDING_CACHE:
            _EMBEDDING_CACHE[key] = np.asarray(embedder.embed([e.text for e in self.examples]), dtype=np.float32)
        self.matrix = _EMBEDDING_CACHE[key]

    def vote(self, vector: np.ndarray, exclude: int | None = None) -> KnnVote:
        sims = self.matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
        if exclude is not None:
            sims = sims.copy()
            sims[exclude] = -1.0
        return self._vote(sims)

    def _vote(self, sims: np.ndarray) -> KnnVote:
        p = self.params
        order = np.argsort(-sims)[: p.k]
        weights: dict[str, float] = {}
        for i in order:
            if sims[i] >= p.min_similarity:
                weights[self.labels[i]] = weights.get(self.labels[i], 0.0) + float(sims[i]) ** p.power
        total = sum(weights.values())
        shares = {label: w / total for label, w in weights.items()} if total else {}
        label = max(shares, key=shares.get) if shares else "ok"
        best = {label: float(sims[self.labels == label].max()) for label in set(self.labels)}
        neighbours = [(str(self.labels[i]), float(sims[i]), self.examples[i].text) for i in order]
        return KnnVote(label=label, share=shares.get(label, 0.0), shares=shares, best=best, neighbours=neighbours)


def _content_hash(examples: Sequence[LabelledExample]) -> str:
    h = hashlib.sha256()
    for e in examples:
        h.update(e.label.encode())
        h.update(b"\x00")
        h.update(e.text.encode("utf-8", "surrogatepass"))
        h.update(b"\x01")
    return h.hexdigest()
