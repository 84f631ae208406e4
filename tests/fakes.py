"""Real fake classes for fast tests: a deterministic embedder (and, for the LLM path, a scripted chat model)."""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from library.text import terms, words


class HashEmbedder:
    """Bag of stemmed words hashed into a fixed-size unit vector: deterministic and instant.

    Texts sharing content words get similar vectors, so retrieval tests mean something.
    """

    def __init__(self, dimension: int = 256, max_tokens: int = 256, name: str = "hash-embedder"):
        self.dimension = dimension
        self.max_tokens = max_tokens
        self.name = name
        self.calls: list[int] = []  # batch sizes, so tests can assert what was (not) embedded

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text) or ["empty"]:
                h = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dimension] += 1.0 if (h >> 63) == 0 else -1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out

    def count_tokens(self, text: str) -> int:
        return len(words(text)) + text.count(",") + text.count(".")

    @property
    def embedded(self) -> int:
        return sum(self.calls)
