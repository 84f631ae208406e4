"""Shared pieces for the assistant tests: one real-corpus index per session, a pass-through triage.

Fixtures defined here are imported by the test modules that need them (pytest registers an imported
fixture once per importing module), so the expensive build is memoised at module level: the real
corpus is embedded at most once per test session, however many modules use it.

To keep repeated local runs fast, a finished index is also kept in pytest's cache folder (when the
cache plugin is on); a later session copies it to its own temporary folder and lets ingest bring it
up to date incrementally, which re-embeds only what changed. CI, starting clean, builds from scratch.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
import yaml

from assistant.types import Question, TriageDecision
from library.settings import Settings
from tests.conftest import CORPUS, REPO

LABELLED_QUESTIONS = REPO / "tests" / "data" / "assistant_retrieval.yaml"
_built: dict[str, object] = {}


class PassThroughTriage:
    """Lets every message through as an ordinary question: for tests where safety triage is not the subject."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def classify(self, question: Question, vector=None) -> TriageDecision:
        self.seen.append(question.text)
        return TriageDecision(category="ok", rule="test", clean_text=question.text)


def labelled_questions() -> list[dict]:
    return yaml.safe_load(LABELLED_QUESTIONS.read_text(encoding="utf-8"))["questions"]


def real_corpus_index(tmp_path_factory: pytest.TempPathFactory, config: pytest.Config, embedder) -> Path:
    """An index of corpus/ built with the real embedder; the same folder for the whole session."""
    if "real" in _built:
        return _built["real"]
    from ingest.indexing import ingest

    index_dir = tmp_path_factory.mktemp("real-index") / "index"
    cache = _cache_folder(config)
    snapshot = _latest_snapshot(cache) if cache else None
    if snapshot is not None:
        try:
            shutil.copytree(snapshot, index_dir)
        except OSError:  # a concurrent session replaced it mid-copy: build from scratch
            shutil.rmtree(index_dir, ignore_errors=True)
    settings = Settings(data_dir=index_dir.parent / "data")
    ingest(CORPUS, index_dir, settings, embedder)
    if cache is not None:
        _store_snapshot(cache, index_dir)
    _built["real"] = index_dir
    return index_dir


def _cache_folder(config: pytest.Config) -> Path | None:
    cache = getattr(config, "cache", None)
    if cache is None or os.environ.get("ASSISTANT_TEST_NO_INDEX_CACHE"):
        return None
    try:
        return Path(cache.mkdir("assistant-real-index"))
    except OSError:
        return None


def _latest_snapshot(cache: Path) -> Path | None:
    snapshots = sorted(
        (p for p in cache.glob("snapshot-*") if (p / "manifest.json").is_file()),
        key=lambda p: p.stat().st_mtime,
    )
    return snapshots[-1] if snapshots else None


def _store_snapshot(cache: Path, index_dir: Path) -> None:
    """Publish a copy under a fresh name (readers never see half a copy), then drop older ones."""
    staging = cache / f".staging-{uuid.uuid4().hex}"
    try:
        shutil.copytree(index_dir, staging, ignore=shutil.ignore_patterns(".ingest.lock"))
        final = cache / f"snapshot-{uuid.uuid4().hex}"
        os.rename(staging, final)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        return
    for old in cache.glob("snapshot-*"):
        if old != final:
            shutil.rmtree(old, ignore_errors=True)


@pytest.fixture(scope="session")
def real_index(tmp_path_factory, request, real_embedder) -> Path:
    return real_corpus_index(tmp_path_factory, request.config, real_embedder)


@pytest.fixture(scope="session")
def real_pipeline(real_index, real_embedder, tmp_path_factory):
    """The extractive pipeline over the real library, with triage out of the way."""
    if "pipeline" not in _built:
        from assistant.pipeline import Pipeline

        settings = Settings(data_dir=tmp_path_factory.mktemp("pipeline-data"))
        _built["pipeline"] = Pipeline.load(settings, real_index, embedder=real_embedder, triage=PassThroughTriage())
    return _built["pipeline"]


# ---------------------------------------------------------------------------------------------
# the answer object of CONTRACT §3, checked from its JSON form

KINDS = {"answer", "no_evidence", "refusal", "crisis"}
REFUSAL_REASONS = {None, "medical_advice", "out_of_scope", "illicit", "manipulation"}
CITATION_KEYS = {"n": int, "doc_id": str, "title": str, "chunk_id": str, "quote": str}
MARKER = re.compile(r"\[(\d+)\]")


def assert_answer_object(obj: dict) -> None:
    """Every key and type the contract promises; markers and citations agree."""
    for key in ("id", "kind", "refusal_reason", "text", "citations", "timings_ms"):
        assert key in obj, f"missing {key!r} in {obj}"
    assert obj["kind"] in KINDS
    assert obj["refusal_reason"] in REFUSAL_REASONS
    if obj["kind"] == "refusal":
        assert obj["refusal_reason"] is not None
    else:
        assert obj["refusal_reason"] is None
    assert isinstance(obj["text"], str) and obj["text"].strip()
    assert isinstance(obj["citations"], list)
    for c in obj["citations"]:
        for key, kind in CITATION_KEYS.items():
            assert isinstance(c.get(key), kind) and (kind is int or c[key]), f"citation {key!r}: {c}"
        assert "url" in c and (c["url"] is None or isinstance(c["url"], str))
    assert isinstance(obj["timings_ms"], dict) and isinstance(obj["timings_ms"].get("total"), float)
    assert [c["n"] for c in obj["citations"]] == list(range(1, len(obj["citations"]) + 1))
    assert {int(m) for m in MARKER.findall(obj["text"])} == {c["n"] for c in obj["citations"]}
    if obj["kind"] == "answer":
        assert obj["citations"], "an answer needs at least one citation"
    if obj["kind"] == "no_evidence":
        assert obj["citations"] == []
