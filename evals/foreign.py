"""Libraries the assistant was not written for, and the questions they answer (or do not).

Two kinds:

- **web** (``evals/libraries/<name>/``): clinic web pages as they are pasted from a browser (plain
  text and HTML with page furniture, no Markdown), written by someone who never saw this project,
  with labelled questions in patients' words: ``{qid, question, covered, docs, key_facts}``, key
  facts being phrases copied from the answering page.
- **medquad** (``../shared/datasets/medquad-dev``, NIH consumer-health answers): a library of whole
  *focuses* (every answer about a condition) drawn from one NIH source; covered questions are those
  whose answer is in it, uncovered ones ask about focuses left out (gold and same-focus documents
  all absent). Key facts are the rarest words of the gold answer's first answering sentence.

``python -m evals`` runs them as suites (see ``evals/__main__.py``); the calibration of
answerability is fitted on some (``FIT``) and validated on the others (``VALIDATE``), which the fit
never saw.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from library.text import sentences, terms

EVALS_DIR = Path(__file__).resolve().parent
LIBRARIES_DIR = EVALS_DIR / "libraries"
MEDQUAD_DIR = EVALS_DIR.parent.parent / "shared" / "datasets" / "medquad-dev"

FIT = ("own", "web_tms", "medquad/GARD", "medquad/NIDDK")
"""Libraries the answerability calibration may be fitted on."""
VALIDATE = ("web_ketamine", "medquad/NHLBI", "medquad/CDC")
"""Libraries it is validated on and never fitted on."""


@dataclass
class LibraryCase:
    id: str
    question: str
    covered: bool
    docs: list[str] = field(default_factory=list)
    key_facts: list[str] = field(default_factory=list)
    literal_facts: bool = True
    """Key facts are phrases to find (web) rather than regexes."""
    history: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Library:
    name: str
    corpus: Path
    cases: list[LibraryCase]


# ============================================================================ building


def web_library(name: str, work: Path) -> Library:
    """A web-style library copied into ``work/corpus`` (ingest reads it there, as a clinic would)."""
    source = LIBRARIES_DIR / name
    corpus = work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    shutil.copytree(source / "docs", corpus)
    cases = []
    for line in (source / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line)
            cases.append(LibraryCase(q["qid"], q["question"], bool(q["covered"]), list(q["docs"]), list(q["key_facts"]), True, q.get("history") or []))
    return Library(name, corpus, cases)


def medquad_available() -> bool:
    return (MEDQUAD_DIR / "docs.jsonl").is_file() and (MEDQUAD_DIR / "questions.jsonl").is_file()


def medquad_library(source: str, work: Path, focuses: int = 40, uncovered: int = 40, seed: int = 11) -> Library:
    """``focuses`` whole focuses of one NIH source as Markdown documents, their questions as
    covered cases, and questions about ``uncovered`` other focuses of the same source."""
    docs = {d["doc_id"]: d for d in _jsonl(MEDQUAD_DIR / "docs.jsonl")}
    questions = [q for q in _jsonl(MEDQUAD_DIR / "questions.jsonl") if q["source"] == source]
    by_focus: dict[str, list[dict]] = {}
    for q in questions:
        by_focus.setdefault(q["focus"], []).append(q)
    names = sorted(by_focus)
    rng = random.Random(seed)
    rng.shuffle(names)
    inside, outside = names[:focuses], names[focuses : focuses + uncovered]
    corpus = work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    in_library: set[str] = set()
    for focus in inside:
        for q in by_focus[focus]:
            for doc_id in {q["doc_id"], *q.get("equivalent_doc_ids", [])}:
                if doc_id in docs and doc_id not in in_library:
                    _write_medquad_doc(corpus, docs[doc_id])
                    in_library.add(doc_id)
    idf = _idf([docs[d]["text"] for d in in_library])
    cases = []
    for focus in inside:
        for q in by_focus[focus]:
            gold = [d for d in {q["doc_id"], *q.get("equivalent_doc_ids", [])} if d in in_library]
            cases.append(LibraryCase(q["qid"], q["question"], True, gold, medquad_key_facts(docs[q["doc_id"]]["text"], q["question"], idf), False))
    for focus in outside:
        q = rng.choice(by_focus[focus])
        cases.append(LibraryCase(q["qid"], q["question"], False))
    return Library(f"medquad/{source}", corpus, cases)


def _write_medquad_doc(corpus: Path, doc: dict) -> None:
    title = doc["title"].replace('"', "'")
    body = doc["text"].strip()
    front = (
        "---\n"
        f'title: "{title}"\n'
        "topic: general\n"
        "status: approved\n"
        'reviewed_by: "NIH (MedQuAD, Ben Abacha and Demner-Fushman 2019, CC BY 4.0)"\n'
        "reviewed_on: 2019-01-01\n"
        "sources:\n"
        f'  - "{doc["source_url"]}"\n'
        f'id: "{doc["doc_id"]}"\n'
        f'url: "{doc["source_url"]}"\n'
        "---\n\n"
    )
    (corpus / f"{doc['doc_id']}.md").write_text(front + body + "\n", encoding="utf-8")


def medquad_key_facts(answer: str, question: str, idf: dict[str, float], most: int = 4) -> list[str]:
    """The rarest words of the answer's first sentence that answers (not the question repeated):
    words a reply that gives the NIH answer's point will contain."""
    asked = set(terms(question))
    for sentence in sentences(answer):
        if sentence.rstrip().endswith("?"):
            continue
        words = [t for t in dict.fromkeys(terms(sentence)) if t not in asked and len(t) > 3 and not t.isdigit()]
        if len(words) >= 2:
            ranked = sorted(words, key=lambda t: -idf.get(t, 0.0))
            return [rf"\b{re.escape(t)}" for t in ranked[:most]]
    return []


def _idf(texts: Sequence[str]) -> dict[str, float]:
    import math

    df: dict[str, int] = {}
    for text in texts:
        for t in set(terms(text)):
            df[t] = df.get(t, 0) + 1
    n = max(1, len(texts))
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ============================================================================ scoring


def score(case: LibraryCase, answer: dict[str, Any], chunks: dict[str, dict[str, str]], first_retrieved: str | None) -> dict[str, Any]:
    """One case's record: what happened, against what the case expects."""
    kind = answer.get("kind")
    citations = answer.get("citations") or []
    cited = {c.get("doc_id") for c in citations}
    text = answer.get("text") or ""
    verbatim = all(c.get("quote") and c.get("quote") in chunks.get(c.get("chunk_id"), {}).get("text", "") for c in citations)
    record: dict[str, Any] = {
        "id": case.id, "question": case.question, "covered": case.covered, "kind": kind,
        "refusal_reason": answer.get("refusal_reason"), "cited": sorted(d for d in cited if d), "gold": case.docs,
        "verbatim": verbatim, "first_retrieved": first_retrieved, "text": text[:600],
    }
    if case.covered:
        record["answered"] = kind == "answer"
        record["gold_cited"] = bool(cited & set(case.docs))
        record["first_retrieved_right"] = first_retrieved in set(case.docs)
        sentences_shown = [s.get("text", "") for s in answer.get("sentences") or []] or [text]
        record["key_facts"] = _facts(case, text)
        record["key_facts_first_two"] = _facts(case, " ".join(sentences_shown[:2]))
    else:
        record["abstained"] = kind in ("no_evidence", "refusal") and not citations
    return record


def _facts(case: LibraryCase, text: str) -> float | None:
    if not case.key_facts:
        return None
    flat = " ".join(text.split()).casefold()
    found = 0
    for fact in case.key_facts:
        if case.literal_facts:
            found += " ".join(fact.split()).casefold() in flat
        else:
            found += bool(re.search(fact, flat, re.IGNORECASE))
    return found / len(case.key_facts)


def summary(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    covered = [r for r in records if r["covered"]]
    uncovered = [r for r in records if not r["covered"]]

    def mean(values):
        values = [v for v in values if v is not None]
        return round(sum(values) / len(values), 4) if values else None

    return {
        "covered": len(covered),
        "uncovered": len(uncovered),
        "answered": mean(r["answered"] for r in covered),
        "gold_cited": mean(r["gold_cited"] for r in covered),
        "key_facts": mean(r["key_facts"] for r in covered if r["answered"]),
        "key_facts_all": mean(r["key_facts"] for r in covered),
        "key_facts_first_two": mean(r["key_facts_first_two"] for r in covered if r["answered"]),
        "abstained": mean(r["abstained"] for r in uncovered),
        "verbatim": mean(r["verbatim"] for r in records),
        "first_retrieved_right": mean(r["first_retrieved_right"] for r in covered),
    }


# ============================================================================ running


def build(name: str, work: Path, medquad_focuses: int = 40, medquad_uncovered: int = 40) -> Library:
    """The library called ``name`` (``web_*`` or ``medquad/SOURCE``), written under ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    if name.startswith("medquad/"):
        return medquad_library(name.split("/", 1)[1], work, medquad_focuses, medquad_uncovered)
    return web_library(name, work)


def run_library(library: Library, settings: Any, embedder: Any, index_dir: Path, progress: Any = None, triage: Any = None) -> dict[str, Any]:
    """Ingest the library (incrementally) and ask every question; records and a summary."""
    from assistant.pipeline import Pipeline
    from assistant.types import Question, Turn
    from ingest.indexing import ingest

    report = ingest(library.corpus, index_dir, settings, embedder)
    pipeline = Pipeline.load(settings, index_dir, embedder=embedder, triage=triage)
    chunks = {c.id: {"text": c.text, "doc_id": str(c.metadata.get("doc_id", ""))} for c in pipeline.chunks()}
    records = []
    for i, case in enumerate(library.cases, 1):
        question = Question(id=case.id, text=case.question, history=[Turn(**t) for t in case.history])
        answer = pipeline.ask(question).contract_json()
        first = pipeline.retrieve(question, k=1)
        records.append(score(case, answer, chunks, first[0].doc_id if first else None))
        if progress:
            progress(i, len(library.cases))
    return {"library": library.name, "documents": report.documents, "chunks": report.chunks, "summary": summary(records), "records": records}
