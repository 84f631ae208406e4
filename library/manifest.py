"""The index manifest: which Chroma collection is live, and what it holds.

The manifest is the single switch that makes an ingest atomic for readers: a new generation is
built beside the live one and the manifest is replaced in one ``os.replace`` at the very end.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, Field

MANIFEST_NAME = "manifest.json"


class DocumentEntry(BaseModel):
    doc_id: str
    path: str
    title: str
    topic: str
    content_hash: str
    chunk_ids: list[str]
    reviewed_on: date | None = None
    review_due: date | None = None


class Manifest(BaseModel):
    schema_version: int = 1
    collection: str = Field(description="The live Chroma collection of this index.")
    generation: int
    corpus_version: str = Field(description="A hash of everything indexed: answers and feedback refer to it.")
    embedding_model: str
    created_at: datetime
    documents: dict[str, DocumentEntry] = Field(default_factory=dict)

    @property
    def chunk_count(self) -> int:
        return sum(len(d.chunk_ids) for d in self.documents.values())


class IndexNotFound(RuntimeError):
    """The index folder holds no finished index."""


def manifest_path(index_dir: Path) -> Path:
    return Path(index_dir) / MANIFEST_NAME


def read_manifest(index_dir: Path) -> Manifest | None:
    path = manifest_path(index_dir)
    if not path.is_file():
        return None
    return Manifest.model_validate_json(path.read_text(encoding="utf-8"))


def require_manifest(index_dir: Path) -> Manifest:
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise IndexNotFound(
            f"{index_dir}: no index here yet. Build one with: python -m ingest --corpus corpus --index {index_dir}"
        )
    return manifest


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically: readers see the old one or the new one, never half of either."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    data = json.dumps(manifest.model_dump(mode="json"), indent=1, sort_keys=True)
    fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".manifest.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, manifest_path(index_dir))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
