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
from library.text import Span, numbers, sentence_spans, stem, terms, words

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
# "It lasts a week. [1]" or "It lasts a week.[1]": markers written after the full stop belong to
# the sentence before them, not to the next one.
_MARKERS_AFTER_STOP = re.compile(r"([.!?][\"'”’)]*)((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)(?=\s|$)")


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
        draft = _MARKERS_AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), draft)
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
                if float(sims.max()) < self.min_semantic:
                    verdict.reasons.append(f"[{n}] does not say this (similarity {float(sims.max()):.2f})")
                    continue
                # The supporting sentence must also carry the claim's direction words: "lowers"
                # against a passage that says "raises" is close in meaning, and wrong.
                polarity = _polarity(verdict.sentence)
                support = None
                for k in np.argsort(-sims):
                    if float(sims[k]) < self.min_semantic:
                        break
                    span: Span = passage_sentences[rows[k]][1]
                    candidate = passage.text[span.start : span.end]
                    if polarity <= _polarity(candidate) and _same_order(numbers(verdict.sentence), numbers(candidate)):
                        support = span
                        break
                if support is None:
                    verdict.reasons.append(f"[{n}] says something else (direction words or the order of its figures differ)")
                    continue
                verdict.claim = Claim(passage, (support,), shown=verdict.sentence)
                break
        return verdicts


def _lexical_support(sentence: str, passage: str) -> float:
    own = set(terms(sentence))
    if not own:
        return 0.0
    return len(own & set(terms(passage))) / len(own)


# Words that set a claim's direction or certainty; a supported sentence cannot add one.
def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text)}  # stop words kept: "not" and "no" matter here


_POLARITY_WORDS = frozenset(
    _stems(
        "not no never none without cannot can't don't doesn't nothing lower lowers lowered decrease "
        "decreases reduce reduces raise raises raised increase increases higher less more fewer worse "
        "better safe unsafe harmless dangerous immediately always cure cures guaranteed permanent "
        "permanently proven approved"
    )
)


def _polarity(text: str) -> set[str]:
    found = _stems(text) & _POLARITY_WORDS
    if "right away" in text.lower():
        found.add("right away")
    return found


def _same_order(claimed: list[str], source: list[str]) -> bool:
    """Figures stated in the order the source gives them: '9% vs 41%' against '41% vs 9%' is a swap.

    Only checked when every claimed figure is in the source sentence (a claim may combine sentences).
    """
    if len(claimed) < 2 or not set(claimed) <= set(source):
        return True
    positions = [source.index(x) for x in claimed]
    return positions == sorted(positions)
