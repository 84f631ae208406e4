"""Similarity helpers over text and vectors, shared by the staff console and its calibration.

- ``average_linkage``: groups of unit vectors, merged while their mean cosine is at least a threshold.
- ``containment``: the share of one text's word 5-grams found in another (near-duplicates by text).
"""

from __future__ import annotations

import re

import numpy as np

_WORD = re.compile(r"\w+")


def average_linkage(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Groups of row indices: merge the two most similar groups while their mean cosine ≥ threshold.

    ``vectors`` are unit rows. O(n²) memory and O(n²) per merge at worst; n is bounded by the caller.
    """
    n = len(vectors)
    if n == 0:
        return []
    sim = np.asarray(vectors, dtype=np.float64) @ np.asarray(vectors, dtype=np.float64).T
    np.fill_diagonal(sim, -np.inf)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members: list[list[int]] = [[i] for i in range(n)]
    while alive.sum() > 1:
        flat = int(np.argmax(sim))
        a, b = divmod(flat, n)
        if sim[a, b] < threshold:
            break
        # Lance-Williams update for average linkage: the merged group's mean similarity to every other.
        merged = (sizes[a] * sim[a] + sizes[b] * sim[b]) / (sizes[a] + sizes[b])
        merged[~alive] = -np.inf
        sim[a, :] = merged
        sim[:, a] = merged
        sim[a, a] = -np.inf
        sizes[a] += sizes[b]
        alive[b] = False
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        members[a] += members[b]
        members[b] = []
    return [m for i, m in enumerate(members) if alive[i]]


def shingles(text: str, n: int = 5) -> set[int]:
    words = _WORD.findall(text.casefold())
    return {hash(tuple(words[i : i + n])) for i in range(max(0, len(words) - n + 1))}


def containment(new: str, old: str, n: int = 5) -> float:
    """The share of ``new``'s word n-grams that are also in ``old``."""
    a = shingles(new, n)
    return len(a & shingles(old, n)) / len(a) if a else 0.0
