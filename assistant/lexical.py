"""BM25 over the library's chunks, in memory: the lexical half of hybrid retrieval."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Sequence

from library.text import terms


class BM25:
    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._lengths: list[int] = []
        for i, text in enumerate(texts):
            counts = Counter(terms(text))
            self._lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                self._postings[term].append((i, tf))
        self.n = len(self._lengths)
        self._avg = (sum(self._lengths) / self.n) if self.n else 0.0
        self.idf = {
            t: math.log(1 + (self.n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self._postings.items()
        }

    def scores(self, query_terms: Sequence[str], allowed: set[int] | None = None) -> dict[int, float]:
        """BM25 score per chunk index, for chunks sharing at least one term with the query."""
        out: dict[int, float] = defaultdict(float)
        for term, weight in Counter(query_terms).items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i, tf in self._postings[term]:
                if allowed is not None and i not in allowed:
                    continue
                norm = tf + self.k1 * (1 - self.b + self.b * self._lengths[i] / (self._avg or 1))
                out[i] += weight * idf * tf * (self.k1 + 1) / norm
        return out

    def idf_of(self, term: str) -> float:
        """Inverse document frequency; unseen terms get the rarest possible weight."""
        return self.idf.get(term, math.log(1 + (self.n + 0.5) / 0.5))
