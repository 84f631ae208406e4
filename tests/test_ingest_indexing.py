"""Incremental, atomic indexing over the real Chroma, with the deterministic HashEmbedder for speed."""

from __future__ import annotations

import fcntl
import json
import shutil
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest

from library.sentence_vectors import vectors_path

from ingest.indexing import IngestBusy, IngestFailed, ingest
from library.manifest import read_manifest
from library.settings import Settings
from library.store import ChromaStore, StoredChunk
from tests.conftest import REPO, run_ingest, write_doc
from tests.fakes import HashEmbedder

NAUSEA_EDITED = "Ginger tea and peppermint sweets help some people with mild nausea after a session."

DOCS = {
    "risks/nausea.md": (
        "Nausea after treatment",
        "# Nausea after treatment\n\n"
        "## How common is nausea?\n\nNausea is a common side effect of a ketamine infusion. "
        "Nausea usually fades within an hour.\n\n"
        "## What helps with nausea?\n\nThe care team can give a medicine for nausea before the infusion. "
        "Eating a light meal some hours before helps many people.\n\n"
        "## When to call about vomiting\n\nCall the clinic if vomiting lasts into the next day. "
        "Vomiting that will not stop needs a clinician.\n",
    ),
    "process/driving.md": (
        "Getting home after a session",
        "# Getting home after a session\n\n"
        "## Driving\n\nDo not drive a car until the next day after a session. "
        "Reaction time is slower for hours after ketamine.\n\n"
        "## Rides\n\nAsk a friend to drive you home, or take a taxi. "
        "The clinic can help plan a ride.\n",
    ),
    "mechanism/glutamate.md": (
        "Glutamate and NMDA receptors",
        "# Glutamate and NMDA receptors\n\n"
        "## What is glutamate?\n\nGlutamate is a messenger chemical in the brain. "
        "Glutamate passes signals between nerve cells at synapses.\n\n"
        "## How ketamine acts on receptors\n\nKetamine blocks NMDA receptors for a short time. "
        "Blocking NMDA receptors sets off a burst of glutamate signalling.\n",
    ),
}


def write_corpus(folder: Path, docs: dict[str, tuple[str, str]] = DOCS) -> Path:
    for rel, (title, body) in docs.items():
        write_doc(folder, rel, body, title=title)
    return folder


def edit(folder: Path, rel: str, old: str, new: str) -> None:
    path = folder / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


class RecordingEmbedder(HashEmbedder):
    """A HashEmbedder that remembers every text it embedded."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return super().embed(texts)


class DyingEmbedder(HashEmbedder):
    """Embeds ``survive`` batches, then raises: a crash in the middle of embedding."""

    def __init__(self, survive: int, **kwargs):
        super().__init__(**kwargs)
        self.survive = survive

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if len(self.calls) >= self.survive:
            raise RuntimeError("the embedding process died")
        return super().embed(texts)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def index_dir(settings: Settings) -> Path:
    return Path(settings.index_dir)


def live_chunks(settings: Settings, index_dir: Path) -> dict[str, StoredChunk]:
    manifest = read_manifest(index_dir)
    return {c.id: c for c in ChromaStore(settings, index_dir).all_chunks(manifest.collection)}


def search(settings: Settings, index_dir: Path, question: str, k: int = 3, embedder=None) -> list[StoredChunk]:
    """Query the live collection the way a reader would: manifest first, then Chroma."""
    manifest = read_manifest(index_dir)
    store = ChromaStore(settings, index_dir)
    vector = (embedder or HashEmbedder()).embed([question])[0]
    chunks = {c.id: c for c in store.all_chunks(manifest.collection)}
    return [chunks[chunk_id] for chunk_id, _ in store.query(manifest.collection, vector, k)]


def snapshot(settings: Settings, index_dir: Path):
    store = ChromaStore(settings, index_dir)
    chunks = {cid: (c.text, c.metadata) for cid, c in live_chunks(settings, index_dir).items()}
    return (index_dir / "manifest.json").read_bytes(), sorted(store.collection_names()), chunks


def manifest_ids(index_dir: Path) -> dict[str, list[str]]:
    return {doc_id: entry.chunk_ids for doc_id, entry in read_manifest(index_dir).documents.items()}


# ---------------------------------------------------------------------------------------------


def test_first_run_adds_everything(corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder):
    report = ingest(corpus, index_dir, settings, hash_embedder)
    assert (report.documents, report.added, report.updated, report.removed, report.unchanged) == (3, 3, 0, 0, 0)
    manifest = read_manifest(index_dir)
    assert set(manifest.documents) == {"risks/nausea", "process/driving", "mechanism/glutamate"}
    assert manifest.corpus_version == report.corpus_version
    assert manifest.embedding_model == hash_embedder.name
    stored = live_chunks(settings, index_dir)
    assert report.chunks == manifest.chunk_count == len(stored) >= 7
    assert set(stored) == {cid for ids in manifest_ids(index_dir).values() for cid in ids}
    # the store keeps each passage's exact text, with the offsets that locate it in its document
    for chunk in stored.values():
        entry = manifest.documents[chunk.metadata["doc_id"]]
        source = (corpus / entry.path).read_text(encoding="utf-8")
        assert source[chunk.metadata["char_start"] : chunk.metadata["char_end"]] == chunk.text
        assert chunk.metadata["title"] == entry.title and chunk.metadata["section"].startswith(entry.title)
    assert search(settings, index_dir, "vomiting that will not stop")[0].metadata["doc_id"] == "risks/nausea"
    assert search(settings, index_dir, "taxi ride home")[0].metadata["doc_id"] == "process/driving"


def test_second_run_over_an_unchanged_corpus_embeds_nothing(
    corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder
):
    first = ingest(corpus, index_dir, settings, hash_embedder)
    embedded = hash_embedder.embedded
    manifest_before = (index_dir / "manifest.json").read_bytes()
    (corpus / "risks/nausea.md").touch()  # a newer mtime is not a change
    second = ingest(corpus, index_dir, settings, hash_embedder)
    assert hash_embedder.embedded == embedded
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, 3)
    assert (second.documents, second.chunks, second.corpus_version) == (first.documents, first.chunks, first.corpus_version)
    assert (index_dir / "manifest.json").read_bytes() == manifest_before


def test_editing_one_paragraph_reembeds_only_its_chunks(corpus: Path, index_dir: Path, settings: Settings):
    ingest(corpus, index_dir, settings, HashEmbedder())
    before = manifest_ids(index_dir)
    edit(corpus, "risks/nausea.md", "Eating a light meal some hours before helps many people.", NAUSEA_EDITED)

    embedder = RecordingEmbedder()
    report = ingest(corpus, index_dir, settings, embedder)
    after = manifest_ids(index_dir)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 0, 2)
    assert after["process/driving"] == before["process/driving"]
    assert after["mechanism/glutamate"] == before["mechanism/glutamate"]
    new_ids = set(after["risks/nausea"]) - set(before["risks/nausea"])
    assert 1 <= len(new_ids) < len(after["risks/nausea"])  # the untouched sections keep their chunks
    assert report.embedded == len(new_ids)
    stored = live_chunks(settings, index_dir)
    nausea_text = (corpus / "risks/nausea.md").read_text(encoding="utf-8")
    embedded_chunks = [t for t in embedder.texts if t in {f"{stored[i].metadata['section']}\n{stored[i].text}" for i in new_ids}]
    assert len(embedded_chunks) == len(new_ids)
    # whatever else was embedded (sentence vectors, say) comes from the edited document only
    for text in embedder.texts:  # chunks, sentences on their own, and section labels
        assert text in embedded_chunks or text in nausea_text or text.startswith("Nausea after treatment"), text
    hit = search(settings, index_dir, "ginger tea peppermint sweets")[0]
    assert hit.metadata["doc_id"] == "risks/nausea" and NAUSEA_EDITED in hit.text
    assert not any("light meal" in c.text for c in stored.values())


def test_deleted_document_disappears_from_manifest_and_store(
    corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder
):
    ingest(corpus, index_dir, settings, hash_embedder)
    assert search(settings, index_dir, "taxi ride home")[0].metadata["doc_id"] == "process/driving"
    embedded = hash_embedder.embedded
    (corpus / "process/driving.md").unlink()
    report = ingest(corpus, index_dir, settings, hash_embedder)
    assert (report.documents, report.removed, report.unchanged, report.added, report.updated) == (2, 1, 2, 0, 0)
    assert hash_embedder.embedded == embedded  # nothing new to embed
    assert "process/driving" not in read_manifest(index_dir).documents
    stored = live_chunks(settings, index_dir)
    assert stored and all(c.metadata["doc_id"] != "process/driving" for c in stored.values())
    assert all(c.metadata["doc_id"] != "process/driving" for c in search(settings, index_dir, "taxi ride home", k=10))


def test_removing_every_document_leaves_an_empty_index(corpus: Path, index_dir: Path, settings: Settings):
    ingest(corpus, index_dir, settings, HashEmbedder())
    for rel in DOCS:
        (corpus / rel).unlink()
    write_doc(corpus, "drafts/wip.md", "Work in progress.\n", status="draft")
    report = ingest(corpus, index_dir, settings, HashEmbedder())
    assert (report.documents, report.chunks, report.removed) == (0, 0, 3)
    assert report.skipped == [{"path": "drafts/wip.md", "reason": "status is draft"}]
    assert read_manifest(index_dir).documents == {}
    assert live_chunks(settings, index_dir) == {}
    assert search(settings, index_dir, "nausea") == []


def test_broken_document_fails_and_leaves_the_index_exactly_as_before(
    corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder
):
    ingest(corpus, index_dir, settings, hash_embedder)
    before = snapshot(settings, index_dir)
    embedded = hash_embedder.embedded
    edit(corpus, "risks/nausea.md", "Eating a light meal some hours before helps many people.", NAUSEA_EDITED)
    write_doc(corpus, "risks/broken.md", "Text.\n", topic="danger")
    (corpus / "process/empty.md").write_text("", encoding="utf-8")

    with pytest.raises(IngestFailed) as failed:
        ingest(corpus, index_dir, settings, hash_embedder)
    assert {(p.path, p.field) for p in failed.value.problems} == {("risks/broken.md", "topic"), ("process/empty.md", "file")}
    assert hash_embedder.embedded == embedded
    assert snapshot(settings, index_dir) == before
    hit = search(settings, index_dir, "light meal hours before")[0]
    assert "light meal" in hit.text and NAUSEA_EDITED not in hit.text


def test_corpus_version_changes_exactly_when_content_changes(
    corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder
):
    def version() -> str:
        report = ingest(corpus, index_dir, settings, hash_embedder)
        assert report.corpus_version == read_manifest(index_dir).corpus_version
        return report.corpus_version

    original = version()
    assert version() == original
    (corpus / "process/driving.md").write_bytes((corpus / "process/driving.md").read_bytes())  # rewritten, same bytes
    (corpus / "README.md").write_text("Guide for staff.\n", encoding="utf-8")
    write_doc(corpus, "drafts/new.md", "Not yet reviewed.\n", status="draft")
    assert version() == original  # nothing indexed changed

    edit(corpus, "process/driving.md", "take a taxi", "take a cab")
    changed = version()
    assert changed != original
    edit(corpus, "process/driving.md", "take a cab", "take a taxi")
    assert version() == original  # a function of the content, not of history

    edit(corpus, "mechanism/glutamate.md", "title: Glutamate and NMDA receptors", "title: Glutamate and the NMDA receptor")
    assert version() not in {original, changed}


def test_metadata_only_edit_is_recorded_once(corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder):
    ingest(corpus, index_dir, settings, hash_embedder)
    edit(corpus, "process/driving.md", "reviewed_by: Dr. Test Reviewer", "reviewed_by: Dr. Jest Reviewer")
    embedded = hash_embedder.embedded
    first = ingest(corpus, index_dir, settings, hash_embedder)
    assert (first.updated, first.unchanged, first.added, first.removed) == (1, 2, 0, 0)
    assert hash_embedder.embedded == embedded  # the passages did not change
    second = ingest(corpus, index_dir, settings, hash_embedder)
    assert (second.updated, second.unchanged) == (0, 3)


def test_crash_while_embedding_keeps_the_old_index_and_the_next_run_cleans_up(
    corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder
):
    ingest(corpus, index_dir, settings, hash_embedder)
    before = snapshot(settings, index_dir)
    live = read_manifest(index_dir).collection
    edit(corpus, "risks/nausea.md", "Eating a light meal some hours before helps many people.", NAUSEA_EDITED)
    for i in range(6):
        write_doc(corpus, f"extra/doc-{i}.md", f"# Extra {i}\n\nExtra document {i} about infusion chairs. It is new.\n")

    small_batches = settings.model_copy(update={"embedding_batch_size": 2})
    with pytest.raises(RuntimeError, match="died"):
        ingest(corpus, index_dir, small_batches, DyingEmbedder(survive=2))

    manifest_bytes, names, chunks = snapshot(settings, index_dir)
    assert (manifest_bytes, chunks) == (before[0], before[2])
    abandoned = set(names) - set(before[1])
    assert len(abandoned) == 1  # the half-built generation is still there ...
    hit = search(settings, index_dir, "light meal hours before")[0]  # ... but readers use the old one
    assert "light meal" in hit.text

    report = ingest(corpus, index_dir, small_batches, hash_embedder)
    manifest = read_manifest(index_dir)
    assert manifest.collection != live and manifest.generation == report.generation
    assert (report.added, report.updated, report.unchanged) == (6, 1, 2)
    store = ChromaStore(settings, index_dir)
    assert set(store.collection_names()) == {live, manifest.collection}  # the previous one is kept for readers
    assert store.count(manifest.collection) == manifest.chunk_count == report.chunks
    assert NAUSEA_EDITED in search(settings, index_dir, "ginger tea peppermint sweets")[0].text


def test_only_the_last_published_generations_are_kept_for_rollback(corpus: Path, index_dir: Path, settings: Settings):
    settings = settings.model_copy(update={"keep_generations": 2})
    names = []
    for i in range(4):
        write_doc(corpus, f"extra/doc-{i}.md", f"# Extra {i}\n\nExtra document number {i}.\n")
        ingest(corpus, index_dir, settings, HashEmbedder())
        names.append(read_manifest(index_dir).collection)
    assert len(set(names)) == 4
    assert set(ChromaStore(settings, index_dir).collection_names()) == set(names[-2:])
    assert not vectors_path(index_dir, names[0]).exists()


def test_changing_the_embedding_model_reembeds_everything(corpus: Path, index_dir: Path, settings: Settings):
    ingest(corpus, index_dir, settings, HashEmbedder())
    ids_before = manifest_ids(index_dir)
    other = RecordingEmbedder(name="another-model", dimension=128)
    report = ingest(corpus, index_dir, settings, other)
    assert report.embedded == report.chunks and report.reused == 0
    stored = live_chunks(settings, index_dir)
    assert {f"{c.metadata['section']}\n{c.text}" for c in stored.values()} <= set(other.texts)
    manifest = read_manifest(index_dir)
    assert manifest.embedding_model == "another-model"
    assert manifest_ids(index_dir) == ids_before  # same passages, new vectors
    hit = search(settings, index_dir, "taxi ride home", embedder=HashEmbedder(dimension=128))[0]
    assert hit.metadata["doc_id"] == "process/driving"
    again = RecordingEmbedder(name="another-model", dimension=128)
    ingest(corpus, index_dir, settings, again)
    assert again.texts == []


def test_a_lost_live_collection_is_rebuilt(corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder):
    ingest(corpus, index_dir, settings, hash_embedder)
    manifest = read_manifest(index_dir)
    ChromaStore(settings, index_dir).drop(manifest.collection)  # e.g. the chroma folder was reset
    report = ingest(corpus, index_dir, settings, hash_embedder)
    assert report.embedded == report.chunks == manifest.chunk_count
    assert search(settings, index_dir, "taxi ride home")[0].metadata["doc_id"] == "process/driving"


def test_a_second_ingest_on_the_same_index_is_refused(
    corpus: Path, index_dir: Path, settings: Settings, hash_embedder: HashEmbedder
):
    ingest(corpus, index_dir, settings, hash_embedder)
    before = snapshot(settings, index_dir)
    edit(corpus, "process/driving.md", "take a taxi", "take a cab")
    with open(index_dir / ".ingest.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(IngestBusy):
            ingest(corpus, index_dir, settings, hash_embedder)
    assert snapshot(settings, index_dir) == before


# ---------------------------------------------------------------------------------------------
# across processes, with the real model (the CLI always uses it)


def run_cli(corpus: Path, index_dir: Path) -> dict:
    done = run_ingest(corpus, index_dir, "--json", timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.real_model
def test_index_persists_across_processes(tmp_path: Path, settings: Settings, real_embedder):
    corpus = write_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    built = ingest(corpus, index_dir, settings, real_embedder)

    # another process sees this one's index and has nothing to do
    report = run_cli(corpus, index_dir)
    assert (report["unchanged"], report["added"], report["corpus_version"]) == (3, 0, built.corpus_version)

    # another process changes the index; this one reads the result
    shutil.rmtree(corpus / "mechanism")
    report = run_cli(corpus, index_dir)
    assert (report["removed"], report["documents"]) == (1, 2)
    manifest = read_manifest(index_dir)
    assert manifest.corpus_version == report["corpus_version"] != built.corpus_version
    assert set(manifest.documents) == {"risks/nausea", "process/driving"}
    store = ChromaStore(settings, index_dir)
    assert store.count(manifest.collection) == manifest.chunk_count == report["chunks"]
    [question] = real_embedder.embed(["Can I drive myself home after my treatment?"])
    hits = store.query(manifest.collection, question, 3)
    chunks = {c.id: c for c in store.all_chunks(manifest.collection)}
    assert chunks[hits[0][0]].metadata["doc_id"] == "process/driving"
    assert all(c.metadata["doc_id"] != "mechanism/glutamate" for c in chunks.values())


def test_sentence_vectors_keyed_by_an_older_version_are_rebuilt(corpus: Path, index_dir: Path, settings: Settings):
    from library.sentence_vectors import load_vectors, save_vectors

    ingest(corpus, index_dir, settings, HashEmbedder())
    live = read_manifest(index_dir).collection
    good = load_vectors(vectors_path(index_dir, live))
    stale = {f"old{k[3:]}": v for k, v in good.items()}  # the same vectors under keys this version never asks for
    save_vectors(vectors_path(index_dir, live), stale, next(iter(good.values())).shape[0])
    report = ingest(corpus, index_dir, settings, HashEmbedder())
    assert report.generation == 2 and report.sentences_embedded > 0  # documents unchanged, vectors rebuilt
    assert set(load_vectors(vectors_path(index_dir, read_manifest(index_dir).collection))) >= set(good)
