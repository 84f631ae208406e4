"""Chroma, wrapped: the only module that imports chromadb.

Embedded (``PersistentClient`` under the index folder) by default; a Chroma server (``chroma run``)
when ``chroma_host`` is set. Everything else in the project speaks in ``StoredChunk``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from library.settings import Settings


@dataclass
class StoredChunk:
    """One indexed passage: its id, its exact text, and flat metadata."""

    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


class ChromaStore:
    def __init__(self, settings: Settings, index_dir: Path | None = None):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if settings.chroma_host:
            self._client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, ssl=settings.chroma_ssl, settings=chroma_settings
            )
            self.location = f"chroma server {settings.chroma_host}:{settings.chroma_port}"
            self.folder = None
        else:
            folder = Path(index_dir or settings.index_dir) / "chroma"
            folder.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
            self.location = str(folder)
            self.folder = folder
        self._max_batch = max(1, int(self._client.get_max_batch_size()))

    # collections -------------------------------------------------------------------------------
    def collection_names(self) -> list[str]:
        return [c if isinstance(c, str) else c.name for c in self._client.list_collections()]

    def create(self, name: str) -> None:
        self._client.create_collection(name=name, metadata={"hnsw:space": "cosine"})

    def drop(self, name: str) -> None:
        if name in self.collection_names():
            self._client.delete_collection(name=name)

    def compact(self) -> None:
        """Give back the disk of removed collections: segment folders no collection uses any more,
        and the SQLite file's free pages (embedded store only; a server manages its own disk)."""
        if self.folder is None:
            return
        import shutil
        import sqlite3

        db = self.folder / "chroma.sqlite3"
        if not db.is_file():
            return
        try:
            with sqlite3.connect(db) as conn:
                used = {row[0] for row in conn.execute("SELECT id FROM segments")}
            for child in self.folder.iterdir():
                if child.is_dir() and _is_uuid(child.name) and child.name not in used:
                    shutil.rmtree(child, ignore_errors=True)
            conn = sqlite3.connect(db)
            try:
                conn.execute("VACUUM")
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # compaction is housekeeping: never a reason for an ingest to fail

    def count(self, name: str) -> int:
        return self._client.get_collection(name=name).count()

    # writing -----------------------------------------------------------------------------------
    def add(self, name: str, chunks: Sequence[StoredChunk], embeddings: np.ndarray) -> None:
        collection = self._client.get_collection(name=name)
        for start in range(0, len(chunks), self._max_batch):
            batch = chunks[start : start + self._max_batch]
            collection.add(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[_flat(c.metadata) for c in batch],
                embeddings=np.asarray(embeddings[start : start + len(batch)], dtype=np.float32),
            )

    # reading -----------------------------------------------------------------------------------
    def embeddings(self, name: str, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by chunk id, for re-use without re-embedding."""
        if not ids:
            return {}
        collection = self._client.get_collection(name=name)
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), self._max_batch):
            got = collection.get(ids=list(ids[start : start + self._max_batch]), include=["embeddings"])
            for chunk_id, vector in zip(got["ids"], got["embeddings"]):
                out[chunk_id] = np.asarray(vector, dtype=np.float32)
        return out

    def all_chunks(self, name: str) -> Iterator[StoredChunk]:
        collection = self._client.get_collection(name=name)
        total = collection.count()
        for offset in range(0, total, self._max_batch):
            got = collection.get(include=["documents", "metadatas"], limit=self._max_batch, offset=offset)
            for chunk_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                yield StoredChunk(id=chunk_id, text=text or "", metadata=dict(meta or {}))

    def query(
        self, name: str, vector: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity), best first."""
        collection = self._client.get_collection(name=name)
        k = min(k, collection.count())
        if k <= 0:
            return []
        got = collection.query(
            query_embeddings=np.asarray([vector], dtype=np.float32), n_results=k, where=where or None, include=["distances"]
        )
        return [(chunk_id, 1.0 - float(dist)) for chunk_id, dist in zip(got["ids"][0], got["distances"][0])]


def _is_uuid(name: str) -> bool:
    import uuid

    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True


def _flat(meta: dict[str, Any]) -> dict[str, Any]:
    """Chroma metadata holds scalars only; None values are dropped."""
    return {k: v for k, v in meta.items() if v is not None and isinstance(v, (str, int, float, bool))}
