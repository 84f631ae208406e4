"""Incremental, atomic indexing.

A run builds a new Chroma collection (a *generation*) beside the live one, re-using the stored
vectors of every unchanged chunk, and switches the manifest to it only at the very end. A failed
or killed run therefore leaves the previous index live and queryable; its half-built collection is
removed by the next run.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from ingest.chunking import Chunk, chunk_document
from ingest.documents import LoadResult, Problem, SourceDocument, load_corpus
from library.embedder import Embedder
from library import history
from library.manifest import DocumentEntry, Manifest, read_manifest, write_manifest
from library.sentence_vectors import build_vectors, load_vectors, save_vectors, vectors_path
from library.settings import Settings
from library.store import ChromaStore, StoredChunk
from library.text import sentences

Progress = Callable[[int, int], None]


class IngestFailed(Exception):
    """The corpus has invalid documents; nothing was written."""

    def __init__(self, problems: list[Problem], load: LoadResult | None = None):
        super().__init__(f"{len(problems)} problem(s) in the corpus")
        self.problems = problems
        self.load = load


class IngestBusy(Exception):
    """Another ingest holds the index folder."""


@dataclass
class IngestReport:
    corpus_version: str
    documents: int
    chunks: int
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    embedded: int = 0
    reused: int = 0
    sentences_embedded: int = 0
    generation: int = 0

    def as_json(self) -> dict:
        return dict(self.__dict__)


def corpus_version_of(chunks: list[Chunk]) -> str:
    digest = hashlib.sha256()
    for chunk in sorted(chunks, key=lambda c: c.id):
        digest.update(json.dumps([chunk.id, chunk.metadata()], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]


def generation_name(collection: str, generation: int) -> str:
    return f"{collection}_g{generation:06d}"


@contextmanager
def _lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".ingest.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestBusy(f"{index_dir}: another ingest is running on this index; try again when it ends") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def chunk_corpus(documents: list[SourceDocument], embedder: Embedder, settings: Settings) -> list[Chunk]:
    chunks: list[Chunk] = []
    for doc in documents:
        chunks.extend(
            chunk_document(
                doc,
                embedder.count_tokens,
                embedder.max_tokens,
                settings.chunk_tokens,
                settings.chunk_overlap_tokens,
            )
        )
    return chunks


def ingest(
    corpus_dir: Path,
    index_dir: Path,
    settings: Settings,
    embedder: Embedder,
    progress: Progress | None = None,
    today: date | None = None,
    published_by: str | None = None,
) -> IngestReport:
    """Make the index at ``index_dir`` reflect ``corpus_dir``. Raises IngestFailed on invalid documents.

    ``published_by``: who publishes (a staff account, or a name given on the command line); it
    goes into the library's history (``library/history.py``)."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    load = load_corpus(Path(corpus_dir), today=today, exclude_overdue=settings.exclude_overdue)
    if load.problems:
        raise IngestFailed(load.problems, load)
    chunks = chunk_corpus(load.documents, embedder, settings)
    version = corpus_version_of(chunks)
    with_passages = {c.doc_id for c in chunks}
    for doc in load.documents:
        if doc.doc_id not in with_passages:
            load.warnings.append(f"{doc.path}: has no text under its headings, so it gives no passages and cannot be cited")

    with _lock(index_dir):
        old = read_manifest(index_dir)
        store = ChromaStore(settings, index_dir)
        if old is not None and not history.events(index_dir):
            history.record(index_dir, old, None)  # an index from before the history began: it can be rolled back to
        _remove_abandoned(store, settings.collection, old, index_dir)
        report = _diff(load, old)
        report.corpus_version, report.chunks = version, len(chunks)
        same_model = old is not None and old.embedding_model == embedder.name
        old_live = old is not None and old.collection in store.collection_names()
        # A metadata-only edit (reviewed_by, say) leaves the chunks and the version as they were,
        # but the manifest must still record the document's new hash.
        documents_same = not (report.added or report.updated or report.removed)
        if same_model and old_live and documents_same and old.corpus_version == version and _sentence_vectors_current(index_dir, old.collection, chunks):
            report.unchanged, report.generation = len(load.documents), old.generation
            report.seconds = round(time.perf_counter() - started, 3)
            return report

        known = [_number(n) for n in _generations(store, settings.collection)] + [old.generation if old else 0]
        generation = max(known) + 1
        name = generation_name(settings.collection, generation)
        store.create(name)
        reusable = store.embeddings(old.collection, [c.id for c in chunks]) if same_model and old_live else {}
        vectors = np.zeros((len(chunks), embedder.dimension), dtype=np.float32)
        todo = [i for i, c in enumerate(chunks) if c.id not in reusable]
        for i, c in enumerate(chunks):
            if c.id in reusable:
                vectors[i] = reusable[c.id]
        batch = max(1, settings.embedding_batch_size)
        if progress:
            progress(0, len(todo))
        for start in range(0, len(todo), batch):
            idx = todo[start : start + batch]
            vectors[idx] = embedder.embed([chunks[i].embed_text for i in idx])
            if progress:
                progress(min(start + batch, len(todo)), len(todo))
        store.add(name, [StoredChunk(c.id, c.text, c.metadata()) for c in chunks], vectors)
        previous = load_vectors(vectors_path(index_dir, old.collection)) if same_model else {}
        sentence_vectors, sentence_embedded = build_vectors(
            [s for c in chunks for s in sentences(c.text)] + [c.section for c in chunks],
            embedder,
            previous,
        )
        save_vectors(vectors_path(index_dir, name), sentence_vectors, embedder.dimension)

        manifest = Manifest(
            collection=name,
            generation=generation,
            corpus_version=version,
            embedding_model=embedder.name,
            created_at=datetime.now(timezone.utc),
            documents={
                d.doc_id: DocumentEntry(
                    doc_id=d.doc_id,
                    path=d.path,
                    title=d.meta.title,
                    topic=d.meta.topic,
                    content_hash=d.content_hash,
                    chunk_ids=[c.id for c in chunks if c.doc_id == d.doc_id],
                    reviewed_on=d.meta.reviewed_on,
                    review_due=d.meta.review_due,
                )
                for d in load.documents
            },
        )
        write_manifest(index_dir, manifest)  # the switch: readers now see the new generation
        history.record(index_dir, manifest, published_by, changed=history.changes(old, manifest))
        prune(store, settings, index_dir, live=name)
        report.embedded, report.reused = len(todo), len(chunks) - len(todo)
        report.sentences_embedded = sentence_embedded
        report.generation = generation
        report.seconds = round(time.perf_counter() - started, 3)
        return report


def _sentence_vectors_current(index_dir: Path, collection: str, chunks: list[Chunk]) -> bool:
    """Whether the live generation's sentence vectors are keyed as this version keys them (an index
    built by an older version may key them differently: it must be rebuilt, not kept)."""
    from library.sentence_vectors import sentence_key

    stored = load_vectors(vectors_path(index_dir, collection))
    wanted = [s for c in chunks[:50] for s in sentences(c.text)][:200]
    return not wanted or sum(sentence_key(s) in stored for s in wanted) >= 0.9 * len(wanted)


def prune(store: ChromaStore, settings: Settings, index_dir: Path, live: str) -> None:
    """Keep the live generation and the last ``keep_generations`` published ones (for rollback);
    remove the rest with their sentence vectors and manifest copies, and compact the store."""
    keep = set(history.published(index_dir)[-max(1, settings.keep_generations) :]) | {live}
    removed = False
    for other in _generations(store, settings.collection):
        if other not in keep:
            store.drop(other)
            vectors_path(index_dir, other).unlink(missing_ok=True)
            history.manifest_copy(index_dir, other).unlink(missing_ok=True)
            removed = True
    if removed:
        store.compact()


def _number(name: str) -> int:
    try:
        return int(name.rsplit("_g", 1)[1])
    except (IndexError, ValueError):
        return 0


def _generations(store: ChromaStore, collection: str) -> list[str]:
    prefix = f"{collection}_g"
    return [n for n in store.collection_names() if n.startswith(prefix)]


def _remove_abandoned(store: ChromaStore, collection: str, old: Manifest | None, store_dir: Path) -> None:
    """Collections that never went live are leftovers of a run that died before its switch."""
    went_live = set(history.published(store_dir)) | ({old.collection} if old else set())
    for name in _generations(store, collection):
        if name not in went_live:
            store.drop(name)
            vectors_path(store_dir, name).unlink(missing_ok=True)


def _diff(load: LoadResult, old: Manifest | None) -> IngestReport:
    report = IngestReport(corpus_version="", documents=len(load.documents), chunks=0)
    report.skipped = [{"path": s.path, "reason": s.reason} for s in load.skipped]
    report.warnings = list(load.warnings)
    before = old.documents if old else {}
    now = {d.doc_id: d for d in load.documents}
    for doc_id, doc in now.items():
        if doc_id not in before:
            report.added += 1
        elif before[doc_id].content_hash != doc.content_hash:
            report.updated += 1
        else:
            report.unchanged += 1
    report.removed = sum(1 for doc_id in before if doc_id not in now)
    return report


# ------------------------------------------------------------------------------------------------
# The publish history (CONTRACT §6), for the CLI and the staff console alike.


def published_generations(index_dir: Path, settings: Settings) -> list[history.Generation]:
    """Every generation that can still be made live again, newest first (the live one marked)."""
    index_dir = Path(index_dir)
    if read_manifest(index_dir) is None:
        return []
    return history.generations(index_dir, set(ChromaStore(settings, index_dir).collection_names()))


def roll_back(index_dir: Path, settings: Settings, corpus_version: str, by: str | None = None) -> Manifest:
    """Make an earlier generation live again, under the ingest lock. Raises ``history.UnknownVersion``
    or ``IngestBusy``; the corpus folder is not touched (the next ingest publishes it again)."""
    index_dir = Path(index_dir)
    available = set(ChromaStore(settings, index_dir).collection_names())
    with _lock(index_dir):
        return history.rollback(index_dir, corpus_version, available, by=by)
