"""Checks every sentence a chat model wrote against the passage it cites.

A sentence survives only when it cites an existing passage that supports it: most of its content
words appear in the passage (lexical support), its meaning is close to one of the passage's
sentences (embedding support), and every number it states appears in the passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from assistant.compose.citations import Claim
from assistant.types import Passage
from library.text import Span, numbers, sentence_spans, terms

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")


@dataclass
class Verdict:
    sentence: str  # without markers
    cited: list[int]  # 1-based passage numbers as written by the model
    claim: Claim | None = None  # set when supported
    reasons: list[str] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        return self.claim is not None


def split_markers(sentence: str) -> tuple[str, list[int]]:
    cited = [int(n) for group in _MARKERS.findall(sentence) for n in re.split(r"\s*,\s*", group)]
    clean = _MARKERS.sub("", sentence).strip()
    clean = re.sub(r"\s+([.!?,;:])", r"\1", clean)
    return clean, list(dict.fromkeys(cited))


class Verifier:
    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray],
        min_lexical: float = 0.5,
        min_semantic: float = 0.55,
    ):
        self.embed = embed
        self.min_lexical = min_lexical
        self.min_semantic = min_semantic

    def verify(self, draft: str, passages: list[Passage]) -> list[Verdict]:
        sentences = [s.of(draft) for s in sentence_spans(draft)]
        verdicts = [Verdict(*split_markers(s)) for s in sentences]
        verdicts = [v for v in verdicts if v.sentence]
        spans = {i: sentence_spans(p.text) for i, p in enumerate(passages)}
        texts = [v.sentence for v in verdicts]
        passage_sentences = [(i, sp) for i, sps in spans.items() for sp in sps]
        vectors = self.embed(texts + [passages[i].text[sp.start : sp.end] for i, sp in passage_sentences])
        own, theirs = vectors[: len(texts)], vectors[len(texts) :]
        for row, verdict in enumerate(verdicts):
            if not verdict.cited:
                verdict.reasons.append("cites no passage")
                continue
            for n in verdict.cited:
                if not 1 <= n <= len(passages):
                    verdict.reasons.append(f"cites [{n}], which does not exist")
                    continue
                passage = passages[n - 1]
                missing = [x for x in numbers(verdict.sentence) if x not in set(numbers(passage.text))]
                if missing:
                    verdict.reasons.append(f"[{n}] does not contain the number(s) {', '.join(missing)}")
                    continue
                lexical = _lexical_support(verdict.sentence, f"{passage.section}\n{passage.text}")
                if lexical < self.min_lexical:
                    verdict.reasons.append(f"[{n}] shares too few of its words ({lexical:.2f})")
                    continue
                rows = [k for k, (i, _) in enumerate(passage_sentences) if i == n - 1]
                if not rows:
                    verdict.reasons.append(f"[{n}] has no sentences")
                    continue
                sims = theirs[rows] @ own[row]
                best = int(np.argmax(sims))
                if float(sims[best]) < self.min_semantic:
                    verdict.reasons.append(f"[{n}] does not say this (similarity {float(sims[best]):.2f})")
                    continue
                span: Span = passage_sentences[rows[best]][1]
                verdict.claim = Claim(verdict.sentence, passage, (span,))
                break
        return verdicts


def _lexical_support(sentence: str, passage: str) -> float:
    own = set(terms(sentence))
    if not own:
        return 0.0
    return len(own & set(terms(passage))) / len(own)
