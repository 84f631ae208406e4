"""Hybrid retrieval: dense (Chroma) and lexical (BM25), fused by reciprocal rank, then diversified.

The index is read through its manifest; when an ingest switches the manifest to a new generation,
the next query reloads it, so a running app picks up a re-indexed library without a restart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from assistant.lexical import BM25
from assistant.types import Passage
from library.manifest import Manifest, manifest_path, require_manifest
from library.sentence_vectors import load_vectors, sentence_key, vectors_path
from library.settings import Settings
from library.store import ChromaStore, StoredChunk
from library.text import sentences as sentences_of
from library.text import terms

if TYPE_CHECKING:
    from assistant.evidence import Background

RRF_K = 60


@dataclass
class LoadedIndex:
    manifest: Manifest
    chunks: list[StoredChunk]
    position: dict[str, int]
    bm25: BM25
    stamp: float
    sentence_vectors: dict[str, np.ndarray]
    background: object | None = None


class LibraryIndex:
    """The live index generation: chunk texts and metadata in memory, vectors in Chroma."""

    def __init__(self, settings: Settings, index_dir: Path | None = None):
        self.settings = settings
        self.index_dir = Path(index_dir or settings.index_dir)
        require_manifest(self.index_dir)  # before opening Chroma, which would create the folder
        self.store = ChromaStore(settings, self.index_dir)
        self._lock = threading.Lock()
        self._loaded: LoadedIndex | None = None
        self.current()

    def background(self) -> "Background":
        """How the library looks from inside (``assistant/evidence.py``), computed once per generation."""
        from assistant.evidence import library_background

        loaded = self.current()
        if loaded.background is None:
            sentences, headings = [], []
            for chunk in loaded.chunks:
                doc = str(chunk.metadata.get("doc_id", ""))
                for s in sentences_of(chunk.text):
                    vector = loaded.sentence_vectors.get(sentence_key(s))
                    if vector is not None and len(s.split()) >= 5:
                        sentences.append((doc, vector))
                heading = loaded.sentence_vectors.get(sentence_key(str(chunk.metadata.get("section", ""))))
                if heading is not None:
                    headings.append((doc, heading))
            loaded.background = library_background(sentences, headings)
        return loaded.background

    def current(self) -> LoadedIndex:
        """The live generation, reloaded when the manifest has been switched since the last look."""
        path = manifest_path(self.index_dir)
        stamp = path.stat().st_mtime if path.exists() else 0.0
        loaded = self._loaded
        if loaded is not None and loaded.stamp == stamp:
            return loaded
        with self._lock:
            if self._loaded is None or self._loaded.stamp != stamp:
                manifest = require_manifest(self.index_dir)
                chunks = sorted(self.store.all_chunks(manifest.collection), key=lambda c: c.id)
                self._loaded = LoadedIndex(
                    manifest=manifest,
                    chunks=chunks,
                    position={c.id: i for i, c in enumerate(chunks)},
                    bm25=BM25([f"{c.metadata.get('section', '')}\n{c.text}" for c in chunks]),
                    stamp=stamp,
                    sentence_vectors=load_vectors(vectors_path(self.index_dir, manifest.collection)),
                )
            return self._loaded


class TermVectors:
    """Vectors of single words, embedded on first use and kept (a library's vocabulary is bounded)."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray], most: int = 200_000):
        self.embed = embed
        self.most = most
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def of(self, words: list[str]) -> np.ndarray:
        missing = [w for w in dict.fromkeys(words) if w not in self._cache]
        if missing:
            vectors = self.embed(missing)
            with self._lock:
                if len(self._cache) + len(missing) > self.most:
                    self._cache.clear()
                self._cache.update(zip(missing, vectors))
        return np.stack([self._cache[w] for w in words]) if words else np.zeros((0, 1), dtype=np.float32)


class SentenceVectors:
    """Vectors of library sentences (each read with its section path), precomputed by ingest; embedded on demand when missing."""

    def __init__(self, index: LibraryIndex, embed: Callable[[list[str]], np.ndarray]):
        self.index = index
        self.embed = embed

    def of(self, sentences: list[str]) -> np.ndarray:
        cache = self.index.current().sentence_vectors
        keys = [sentence_key(s) for s in sentences]
        missing = [i for i, k in enumerate(keys) if k not in cache]
        if missing:
            for i, vector in zip(missing, self.embed([sentences[i] for i in missing])):
                cache[keys[i]] = vector
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([cache[k] for k in keys])


class Retriever:
    def __init__(
        self,
        index: LibraryIndex,
        settings: Settings,
        today: Callable[[], date] = date.today,
        sentence_vectors: SentenceVectors | None = None,
    ):
        self.index = index
        self.settings = settings
        self.today = today
        self.sentence_vectors = sentence_vectors
        self._headings: tuple[int, np.ndarray] | None = None

    def _heading_matrix(self, loaded: LoadedIndex) -> np.ndarray | None:
        """One vector per chunk: its section path ('Title › Section') on its own."""
        if self.sentence_vectors is None:
            return None
        key = id(loaded)
        if self._headings is None or self._headings[0] != key:
            self._headings = (key, self.sentence_vectors.of([str(c.metadata.get("section", "")) for c in loaded.chunks]))
        return self._headings[1]

    def search(
        self,
        query: str,
        vector: np.ndarray,
        k: int | None = None,
        topic: str | None = None,
        focus: str | None = None,
        timings: dict[str, float] | None = None,
    ) -> list[Passage]:
        """Best passages for ``query`` (``vector`` is its embedding), best first, at most ``k``.

        ``focus`` is the newest message of a follow-up: its terms count double in BM25.
        """
        import time

        k = k or self.settings.retrieval_k
        loaded = self.index.current()
        allowed = self._allowed(loaded, topic)
        t0 = time.perf_counter()
        where = {"topic": topic} if topic else None
        dense = self.index.store.query(loaded.manifest.collection, vector, self.settings.candidate_k, where)
        dense = [(cid, s) for cid, s in dense if cid in loaded.position and (allowed is None or loaded.position[cid] in allowed)]
        t1 = time.perf_counter()
        query_terms = terms(query) + (terms(focus) if focus else [])
        lexical = loaded.bm25.scores(query_terms, allowed)
        lexical_ranked = sorted(lexical.items(), key=lambda kv: -kv[1])[: self.settings.candidate_k]
        t2 = time.perf_counter()

        fused: dict[int, float] = {}
        dense_score: dict[int, float] = {}
        for rank, (cid, sim) in enumerate(dense):
            i = loaded.position[cid]
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
            dense_score[i] = sim
        top_lex = lexical_ranked[0][1] if lexical_ranked else 1.0
        for rank, (i, _) in enumerate(lexical_ranked):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        # Headings are written to say what a section answers: a third, cheap ranking.
        headings = self._heading_matrix(loaded)
        if headings is not None and len(headings):
            sims = headings @ vector
            order = [i for i in np.argsort(-sims) if allowed is None or i in allowed][: self.settings.candidate_k]
            for rank, i in enumerate(order):
                fused[int(i)] = fused.get(int(i), 0.0) + self.settings.heading_weight / (RRF_K + rank + 1)
        missing = [i for i in fused if i not in dense_score]
        if missing:  # lexical-only hits still need a dense score for evidence checks
            for i, sim in zip(missing, self._cosines(loaded, missing, vector)):
                dense_score[i] = sim
        order = sorted(fused, key=lambda i: (-fused[i], -dense_score.get(i, 0.0)))
        passages = [
            _passage(loaded.chunks[i], fused[i], dense_score.get(i, 0.0), lexical.get(i, 0.0) / top_lex if top_lex else 0.0)
            for i in order
        ]
        result = diversify(passages, k, self.settings.max_chunks_per_section)
        if timings is not None:
            timings["dense"] = (t1 - t0) * 1000
            timings["lexical"] = (t2 - t1) * 1000
            timings["fuse"] = (time.perf_counter() - t2) * 1000
        return result

    def _allowed(self, loaded: LoadedIndex, topic: str | None) -> set[int] | None:
        if not topic and not self.settings.exclude_overdue:
            return None
        today = self.today().isoformat()
        return {
            i
            for i, c in enumerate(loaded.chunks)
            if (not topic or c.metadata.get("topic") == topic)
            and not (self.settings.exclude_overdue and c.metadata.get("review_due") and c.metadata["review_due"] < today)
        }

    def _cosines(self, loaded: LoadedIndex, idx: list[int], vector: np.ndarray) -> list[float]:
        ids = [loaded.chunks[i].id for i in idx]
        stored = self.index.store.embeddings(loaded.manifest.collection, ids)
        return [float(np.dot(stored[cid], vector)) if cid in stored else 0.0 for cid in ids]


def diversify(passages: list[Passage], k: int, per_section: int, per_document: int = 5) -> list[Passage]:
    """Keep the ranking, but let no single section or document crowd out the rest."""
    chosen: list[Passage] = []
    sections: dict[str, int] = {}
    documents: dict[str, int] = {}
    overflow: list[Passage] = []
    for p in passages:
        key = f"{p.doc_id}|{p.section}"
        if sections.get(key, 0) >= per_section or documents.get(p.doc_id, 0) >= per_document:
            overflow.append(p)
            continue
        chosen.append(p)
        sections[key] = sections.get(key, 0) + 1
        documents[p.doc_id] = documents.get(p.doc_id, 0) + 1
        if len(chosen) == k:
            return chosen
    return chosen + overflow[: k - len(chosen)]


def _passage(chunk: StoredChunk, fused: float, dense: float, lexical: float) -> Passage:
    m = chunk.metadata
    return Passage(
        chunk_id=chunk.id,
        doc_id=str(m.get("doc_id", "")),
        title=str(m.get("title", "")),
        section=str(m.get("section", "")),
        topic=str(m.get("topic", "")),
        text=chunk.text,
        url=m.get("url"),
        reviewed_on=m.get("reviewed_on"),
        char_start=m.get("char_start"),
        char_end=m.get("char_end"),
        score=fused,
        dense=dense,
        lexical=lexical,
    )
