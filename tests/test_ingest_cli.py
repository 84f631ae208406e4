"""`python -m ingest` as CONTRACT §2 describes it, run as a real subprocess on a folder it has never seen."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from library.manifest import read_manifest
from library.settings import Settings
from library.store import ChromaStore
from tests.conftest import REPO, run_ingest, run_module, write_doc

pytestmark = pytest.mark.real_model  # the CLI always loads the packaged model

CONTRACT_TYPES = {
    "corpus_version": str,
    "documents": int,
    "chunks": int,
    "added": int,
    "updated": int,
    "removed": int,
    "unchanged": int,
    "skipped": list,
    "warnings": list,
    "seconds": float,
}
PROBLEM_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<field>[^:\n]+): (?P<message>.+)$")

FOREIGN = {
    "guides/first-visit.md": dict(
        title="Your first visit",
        topic="process",
        id="visit-guide",
        url="https://clinic.example/first-visit",
        audience="new patients",
        body="# Your first visit\n\nThis guide walks you through a first appointment.\n\n"
        "## Before you arrive\n\nEat a light breakfast at least four hours before. Bring a list of your medicines.\n\n"
        "### Paperwork\n\nYou fill in a consent form and a health questionnaire at the front desk. "
        "The forms take about twenty minutes.\n\n"
        "## On the day\n\nA nurse checks your blood pressure and heart rate. Then the session begins.\n",
    ),
    "faq/pain-relief.md": dict(
        title="Ketamine and pain relief",
        topic="general",
        reviewed_on="2019-06-01",
        review_due="2020-06-01",
        body="Ketamine was first used as an anaesthetic for surgery.\n\n"
        "1. Low doses can ease some kinds of long-lasting pain.\n"
        "2. Pain clinics use it under close watch.\n\n"
        "This library focuses on depression care, not pain care.\n",
    ),
    "science/brain-chemistry.md": dict(
        title="Brain chemistry",
        topic="mechanism",
        body="## What *glutamate* does ##\n\nGlutamate carries signals between nerve cells. "
        "Glutamate is the most common signalling chemical in the brain.\n\n"
        "#### A deeper detail\n\nSynapses grow new connections in the days after a dose.\n",
    ),
}




def write_foreign(folder: Path) -> Path:
    for rel, fields in FOREIGN.items():
        fields = dict(fields)
        write_doc(folder, rel, fields.pop("body"), **fields)
    (folder / "README.md").write_text("# About this folder\n\nNotes for staff.\n", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not a library document")
    write_doc(folder, "drafts/idea.md", "An idea for later.\n", status="draft")
    return folder


def files_of(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def foreign(tmp_path_factory) -> tuple[Path, Path, dict]:
    """A foreign corpus, indexed once by the CLI into an index folder that already exists, empty."""
    root = tmp_path_factory.mktemp("foreign")
    corpus, index = write_foreign(root / "corpus"), root / "index"
    index.mkdir()
    done = run_ingest(corpus, index, "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout  # one JSON object, nothing else on stdout
    return corpus, index, json.loads(lines[0])


def test_json_report_matches_the_contract(foreign):
    corpus, index, report = foreign
    assert set(CONTRACT_TYPES) <= set(report)
    for key, kind in CONTRACT_TYPES.items():
        assert type(report[key]) is kind, (key, report[key])  # noqa: E721  (bool is not an int here)
    assert all(type(s) is dict and set(s) == {"path", "reason"} for s in report["skipped"])
    assert all(type(s["path"]) is str and type(s["reason"]) is str and s["reason"] for s in report["skipped"])
    assert all(type(w) is str for w in report["warnings"])
    assert report["seconds"] >= 0

    manifest = read_manifest(index)
    assert (report["documents"], report["added"], report["updated"], report["removed"], report["unchanged"]) == (3, 3, 0, 0, 0)
    assert report["chunks"] == manifest.chunk_count > 3
    assert report["corpus_version"] == manifest.corpus_version
    assert {s["path"] for s in report["skipped"]} == {"README.md", "notes.docx", "drafts/idea.md"}
    [warning] = report["warnings"]
    assert "faq/pain-relief.md" in warning


def test_foreign_documents_are_indexed_with_their_own_headings(foreign, real_embedder, tmp_path: Path):
    corpus, index, _ = foreign
    manifest = read_manifest(index)
    assert set(manifest.documents) == {"visit-guide", "faq/pain-relief", "science/brain-chemistry"}
    store = ChromaStore(Settings(data_dir=tmp_path), index)
    chunks = list(store.all_chunks(manifest.collection))
    assert store.count(manifest.collection) == len(chunks) == manifest.chunk_count
    sections = {c.metadata["section"] for c in chunks}
    assert {
        "Your first visit",
        "Your first visit › Before you arrive",
        "Your first visit › Before you arrive › Paperwork",
        "Your first visit › On the day",
        "Ketamine and pain relief",
        "Brain chemistry › What glutamate does",
        "Brain chemistry › What glutamate does › A deeper detail",
    } == sections
    for chunk in chunks:
        source = (corpus / chunk.metadata["path"]).read_text(encoding="utf-8")
        assert source[chunk.metadata["char_start"] : chunk.metadata["char_end"]] == chunk.text
    by_id = {c.id: c for c in chunks}
    for question, doc_id in [
        ("What forms do I fill in at the front desk?", "visit-guide"),
        ("Is ketamine used for chronic pain?", "faq/pain-relief"),
        ("What does glutamate do in the brain?", "science/brain-chemistry"),
    ]:
        [vector] = real_embedder.embed([question])
        best, _ = store.query(manifest.collection, vector, 1)[0]
        assert by_id[best].metadata["doc_id"] == doc_id, question


def test_second_run_over_the_same_folder_changes_nothing(foreign, tmp_path: Path):
    corpus, index, first = foreign
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    manifest_before = (copy / "manifest.json").read_bytes()
    done = run_ingest(corpus, copy, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["unchanged"], report["added"], report["updated"], report["removed"]) == (3, 0, 0, 0)
    assert (report["corpus_version"], report["chunks"]) == (first["corpus_version"], first["chunks"])
    assert report.get("embedded", 0) == 0
    assert (copy / "manifest.json").read_bytes() == manifest_before


def test_broken_corpus_exits_1_lists_every_problem_and_leaves_the_index_untouched(foreign, tmp_path: Path):
    source_corpus, source_index, _ = foreign
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(source_corpus, corpus)
    shutil.copytree(source_index, index)
    before = files_of(index)
    # one real edit, which must not reach the index either
    visit = corpus / "guides/first-visit.md"
    visit.write_text(visit.read_text(encoding="utf-8").replace("twenty minutes", "half an hour"), encoding="utf-8")
    bad_topic = write_doc(corpus, "faq/dosing.md", "How much ketamine?\n", topic="dosing")
    bad_date = write_doc(corpus, "guides/aftercare.md", "Rest at home.\n", reviewed_on="21/11/2026")
    no_front = corpus / "science/notes.md"
    no_front.write_text("# Notes\n\nNo front matter at all.\n", encoding="utf-8")

    done = run_ingest(corpus, index, "--json")
    assert done.returncode == 1
    problems = [PROBLEM_LINE.match(line) for line in done.stderr.splitlines()]
    got = {(m["path"], int(m["line"]), m["field"]) for m in problems if m}

    def line_of(path: Path, prefix: str) -> int:
        return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(prefix))

    assert got == {
        ("faq/dosing.md", line_of(bad_topic, "topic:"), "topic"),
        ("guides/aftercare.md", line_of(bad_date, "reviewed_on:"), "reviewed_on"),
        ("science/notes.md", 1, "front matter"),
    }
    assert files_of(index) == before

    missing = tmp_path / "no-index-yet"
    done = run_ingest(corpus, missing)
    assert done.returncode == 1 and "faq/dosing.md" in done.stderr
    assert not missing.exists()


# ------------------------------------------------------------------------------ CONTRACT §6: history


def run_history(index: Path, *extra: str):
    return run_module("ingest", "--index", str(index), *extra)


def test_history_lists_published_versions_and_rollback_switches_back(foreign, tmp_path: Path):
    corpus_src, index_src, first = foreign
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpus_src, corpus)
    shutil.copytree(index_src, index)
    write_doc(corpus, "faq/parking.md", "Parking is free in the lot behind the clinic.\n", title="Parking")
    done = run_ingest(corpus, index, "--json", "--by", "editor-anna")
    assert done.returncode == 0, done.stderr
    second = json.loads(done.stdout)
    assert second["corpus_version"] != first["corpus_version"]

    listed = run_history(index, "--history", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [r["corpus_version"] for r in rows] == [second["corpus_version"], first["corpus_version"]]  # newest first
    assert set(rows[0]) == {"corpus_version", "published_at", "published_by", "documents", "chunks", "live"}
    assert (rows[0]["live"], rows[1]["live"]) == (True, False)
    assert rows[0]["published_by"] == "editor-anna"
    assert (rows[0]["documents"], rows[1]["documents"]) == (4, 3)

    unknown = run_history(index, "--rollback", "0000000000000000")
    assert unknown.returncode == 1 and "0000000000000000" in unknown.stderr
    assert read_manifest(index).corpus_version == second["corpus_version"]  # nothing changed

    back = run_history(index, "--rollback", first["corpus_version"], "--by", "admin-sam")
    assert back.returncode == 0, back.stderr
    manifest = read_manifest(index)
    assert manifest.corpus_version == first["corpus_version"] and set(manifest.documents) == set(first_docs(index_src))
    store = ChromaStore(Settings(data_dir=tmp_path), index)
    assert store.count(manifest.collection) == manifest.chunk_count
    rows = json.loads(run_history(index, "--history", "--json").stdout)
    assert [r["live"] for r in rows if r["corpus_version"] == first["corpus_version"]] == [True]
    assert sum(r["live"] for r in rows) == 1


def first_docs(index: Path) -> set[str]:
    return set(read_manifest(index).documents)
