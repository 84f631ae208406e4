"""Suites beside the golden set, each reported apart, with what kind of figure it gives:

- ``triage:<set>``: the triage sets of ``assistant/triage/report.py``. **frozen** and **public**
  sets were never tuned on; **tuned** ones were.
- ``patient_wording``: the frozen patient-wording set (``evals/frozen/patient_wording.jsonl``),
  written from the topic list by someone who never read the library, on the clinic's own library.
- ``library:<name>``: a library the assistant was not written for (``evals/foreign.py``): the
  web-style clinic pages, and MedQuAD when ``../shared/datasets`` is there. Each says whether the
  answerability calibration was fitted on it (``fit``) or never saw it (``validate``), and runs the
  retrieval baselines of the same run: plain BM25 (MRR@10) and a plain LangChain pipeline (first
  passage from a right document).

Every suite returns ``{"kind": ..., metrics...}``; the metric names are rows of
``metric_table.SUITE_METRICS``, so the report, the comparison and the gate read them like the rest.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable

from evals import foreign
from evals import metrics as m

EVALS_DIR = Path(__file__).resolve().parent
PATIENT_WORDING = EVALS_DIR / "frozen" / "patient_wording.jsonl"

FAST_LIBRARIES = ("web_ketamine", "medquad/CDC")
"""Foreign libraries in the CI gate's fast subset (small, and never fitted on)."""


def triage_suites(pipeline: Any, names: list[str] | None = None) -> dict[str, dict[str, Any]]:
    from assistant.triage.report import figures, run, sets

    out = {}
    for name, (kind, cases) in sets(names).items():
        started = time.perf_counter()
        f = figures(run(pipeline.triage, cases))
        out[f"triage:{name}"] = {"kind": kind, **f.as_dict(), "seconds": round(time.perf_counter() - started, 1)}
    return out


def patient_wording(pipeline: Any) -> dict[str, Any]:
    """The frozen patient-wording set, through the whole pipeline on the clinic's own library."""
    cases = []
    for line in PATIENT_WORDING.read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line)
            cases.append(foreign.LibraryCase(q["id"], q["question"], q["covered"], q["docs"], q["key_facts"], False, q.get("history") or []))
    records = _ask_all(pipeline, cases)
    return {"kind": "frozen", **foreign.summary(records), "records": records}


def library_suite(name: str, settings: Any, embedder: Any, work: Path, medquad_focuses: int = 40) -> dict[str, Any]:
    """A foreign library: build, index, ask, and the retrieval baselines of the same run."""
    from assistant.pipeline import Pipeline
    from ingest.indexing import ingest

    library = foreign.build(name, work / "corpus-src" / name.replace("/", "_"), medquad_focuses=medquad_focuses)
    index_dir = work / "index" / name.replace("/", "_")
    report = ingest(library.corpus, index_dir, settings, embedder)
    pipeline = Pipeline.load(settings, index_dir, embedder=embedder)
    records = _ask_all(pipeline, library.cases)
    covered = [c for c in library.cases if c.covered and c.docs]
    qrels = {c.id: c.docs for c in covered}
    from assistant.types import Question

    ours = {c.id: m.dedupe(p.doc_id for p in pipeline.retrieve(Question(text=c.question), k=10)) for c in covered}
    bm25 = {c.id: pipeline.bm25_ranking(c.question, k=10) for c in covered}
    result = {
        "kind": "fit" if name in foreign.FIT else "validate",
        "documents": report.documents,
        "chunks": report.chunks,
        **foreign.summary(records),
        "mrr@10": round(m.mrr(qrels, ours, 10), 4),
        "bm25_mrr@10": round(m.mrr(qrels, bm25, 10), 4),
        "records": records,
    }
    if name.startswith("web_"):
        result["langchain_first_right"] = round(langchain_first_right(library, covered, embedder, work / "langchain" / name), 4)
    return result


def _ask_all(pipeline: Any, cases: list[foreign.LibraryCase]) -> list[dict[str, Any]]:
    from assistant.types import Question, Turn

    chunks = {c.id: {"text": c.text, "doc_id": str(c.metadata.get("doc_id", ""))} for c in pipeline.chunks()}
    records = []
    for case in cases:
        question = Question(id=case.id, text=case.question, history=[Turn(**t) for t in case.history])
        answer = pipeline.ask(question).contract_json()
        first = pipeline.retrieve(question, k=1)
        records.append(foreign.score(case, answer, chunks, first[0].doc_id if first else None))
    return records


def langchain_first_right(library: foreign.Library, covered: list, embedder: Any, persist: Path) -> float:
    """A plain LangChain pipeline on the same library (as ``evals/bench.py`` builds it): the
    documents' text as ingest reads it, split by RecursiveCharacterTextSplitter(1000, 100), the same
    model, a Chroma collection of its own, top 1."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.documents import load_corpus
    from library.settings import Settings
    from library.store import ChromaStore, StoredChunk

    store = ChromaStore(Settings(data_dir=persist), persist)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
    chunks = [
        StoredChunk(f"{d.doc_id}#{i}", piece, {"doc_id": d.doc_id})
        for d in load_corpus(library.corpus).documents
        for i, piece in enumerate(splitter.split_text(d.text[d.body_start :]))
    ]
    store.drop("langchain_baseline")
    store.create("langchain_baseline")
    store.add("langchain_baseline", chunks, embedder.embed([c.text for c in chunks]))
    right = 0
    for c in covered:
        hits = store.query("langchain_baseline", embedder.embed([c.question])[0], 1)
        right += bool(hits) and hits[0][0].split("#", 1)[0] in set(c.docs)
    return right / max(1, len(covered))


def all_suites(pipeline: Any, settings: Any, embedder: Any, work: Path, fast: bool, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Every suite (the fast subset with ``fast``): triage sets, patient wording, foreign libraries."""
    out: dict[str, Any] = {}
    say = progress or (lambda _: None)
    say("triage sets")
    out.update(triage_suites(pipeline, None if not fast else [
        "frozen/crisis", "frozen/ok", "frozen/medical_advice", "frozen/other", "frozen/replacements", "public/sst", "public/xstest",
    ]))
    say("patient wording (frozen)")
    out["patient_wording"] = patient_wording(pipeline)
    names = [n for n in (FAST_LIBRARIES if fast else (*foreign.VALIDATE, *foreign.FIT)) if n != "own"]
    for name in names:
        if name.startswith("medquad/") and not foreign.medquad_available():
            out[f"library:{name}"] = {"kind": "skipped", "reason": f"{foreign.MEDQUAD_DIR} is not there"}
            continue
        say(f"library {name}")
        out[f"library:{name}"] = library_suite(name, settings, embedder, work, medquad_focuses=20 if fast else 40)
    return out
