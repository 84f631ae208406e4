"""Sentence vectors of the live index, stored beside it, so answers can pick sentences by meaning.

The extractive composer and the LLM verifier compare a question (or a drafted sentence) with each
sentence of the retrieved passages. Embedding those sentences per question would cost more than the
whole rest of an answer, so ingest embeds every sentence once, re-using vectors of sentences it has
seen before, and writes them next to the generation they belong to.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterable

import numpy as np

from library.embedder import Embedder


def sentence_key(sentence: str) -> str:
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:20]


def vectors_path(index_dir: Path, collection: str) -> Path:
    return Path(index_dir) / f"sentences.{collection}.npz"


def load_vectors(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    with np.load(path, allow_pickle=False) as data:
        keys, vectors = data["keys"], data["vectors"]
        return {str(k): vectors[i] for i, k in enumerate(keys)}


def build_vectors(
    sentences: Iterable[str], embedder: Embedder, previous: dict[str, np.ndarray], batch: int = 64
) -> tuple[dict[str, np.ndarray], int]:
    """Vectors for every sentence; returns them and how many had to be embedded."""
    wanted: dict[str, str] = {}
    for s in sentences:
        wanted.setdefault(sentence_key(s), s)
    out = {k: previous[k] for k in wanted if k in previous}
    todo = [k for k in wanted if k not in out]
    for start in range(0, len(todo), batch):
        keys = todo[start : start + batch]
        for key, vector in zip(keys, embedder.embed([wanted[k] for k in keys])):
            out[key] = vector
    return out, len(todo)


def save_vectors(path: Path, vectors: dict[str, np.ndarray], dimension: int) -> None:
    keys = np.array(sorted(vectors), dtype="U20")
    matrix = np.stack([vectors[k] for k in keys]) if len(keys) else np.zeros((0, dimension), dtype=np.float32)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sentences.", suffix=".npz")
    os.close(fd)
    try:
        np.savez(tmp, keys=keys, vectors=matrix.astype(np.float32))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
