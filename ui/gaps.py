"""Where the library falls short, grouped: unanswered and thumbs-down questions clustered by meaning.

No Gradio here. The console lists the clusters (count, examples, how each was answered) and offers
"draft a document for this", which fills the upload form with a title and the cluster's questions.

Clustering is average linkage over the questions' embeddings: two groups join while the mean cosine
similarity between their questions is at least ``ConsoleCalibration.gap_similarity``, a constant
fitted on question sets the team did not write (``python -m evals.calibrate_console``). The work is
bounded: at most ``MAX_QUESTIONS`` of the most recent questions are clustered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from library.similarity import average_linkage

MAX_QUESTIONS = 600
MAX_EXAMPLES = 8


@dataclass(frozen=True)
class GapQuestion:
    text: str
    source: str
    """``not covered``, ``off topic`` or ``thumbs down``."""
    created_at: str


@dataclass
class GapCluster:
    questions: list[GapQuestion]
    central: str
    """The question nearest the cluster's centre: its suggested title."""
    sources: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def last_seen(self) -> str:
        return max(q.created_at for q in self.questions)

    def examples(self, limit: int = MAX_EXAMPLES) -> list[str]:
        """Distinct question texts, the central one first, newest after."""
        seen: dict[str, None] = {self.central: None}
        for q in sorted(self.questions, key=lambda q: q.created_at, reverse=True):
            seen.setdefault(q.text, None)
        return list(seen)[:limit]

    def draft_title(self) -> str:
        title = " ".join(self.central.split()).strip(" ?.!")[:120]
        return title[:1].upper() + title[1:] if title else "New document"

    def draft_body(self) -> str:
        """A Markdown skeleton: one section per distinct question, to be written from sources."""
        sections = "".join(f"## {q.strip()}\n\n(Answer in plain words, from the sources listed.)\n\n" for q in self.examples())
        return f"# {self.draft_title()}\n\n{sections}".rstrip() + "\n"


def cluster(questions: Sequence[GapQuestion], embed: Callable[[list[str]], np.ndarray], threshold: float) -> list[GapCluster]:
    """Clusters, largest first (then most recent). Identical texts (ignoring case and spaces) are embedded once."""
    questions = sorted(questions, key=lambda q: q.created_at, reverse=True)[:MAX_QUESTIONS]
    if not questions:
        return []
    keys = [" ".join(q.text.casefold().split()) for q in questions]
    distinct = list(dict.fromkeys(keys))
    vectors = np.asarray(embed(distinct), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1, norms)
    where = {k: i for i, k in enumerate(distinct)}
    out = []
    for group in average_linkage(vectors, threshold):
        chosen = set(group)
        qs = [q for q, k in zip(questions, keys) if where[k] in chosen]
        centre = vectors[group].mean(axis=0)
        best = group[int(np.argmax(vectors[group] @ centre))]
        central = next(q.text for q, k in zip(questions, keys) if where[k] == best)
        out.append(GapCluster(qs, central, dict(Counter(q.source for q in qs))))
    return sorted(out, key=lambda c: (c.count, c.last_seen), reverse=True)
