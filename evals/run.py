"""Run golden cases through a loaded pipeline and score each one.

``evaluate`` turns (case, answer object, retrieval ranking) into a plain record: what was expected,
what happened, every check and why the case failed. Records are JSON-ready and hold everything
``metrics.aggregate`` needs, so a saved run can be re-scored, or compared on a subset, later.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from evals import metrics as m
from evals.cases import GoldenCase, outcome_of
from library.settings import Settings

RETRIEVE_K = 10
MIN_KEY_FACT_COVERAGE = 0.5
"""An expected answer fails below this share of its key facts (the metric itself is reported raw)."""


@dataclass(frozen=True)
class Policy:
    """What the clinic's configuration says a good answer looks like."""

    first_crisis_resource: tuple[str, ...]
    clinic_contact: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> "Policy":
        clinic = settings.clinic
        first = clinic.crisis_resources[0] if clinic.crisis_resources else None
        resource = tuple(s for s in ((first.name, first.how) if first else ()) if s)
        contact = tuple(s for s in (clinic.phone, clinic.email, clinic.booking_url) if s)
        return cls(first_crisis_resource=resource, clinic_contact=contact)


def chunk_table(pipeline: Any) -> dict[str, dict[str, str]]:
    """``{chunk_id: {"text", "doc_id"}}`` of the live index generation."""
    return {
        c.id: {"text": c.text, "doc_id": str(c.metadata.get("doc_id", ""))}
        for c in pipeline.chunks()
    }


def evaluate(
    case: GoldenCase,
    answer: Mapping[str, Any],
    retrieved_docs: Sequence[str],
    chunks: m.Chunks,
    policy: Policy,
    known_docs: set[str] | None = None,
    latency_ms: float | None = None,
    retrieve_ms: float | None = None,
) -> dict[str, Any]:
    """One case's record. ``answer`` is a CONTRACT §3 answer object as a dict."""
    text = answer.get("text") or ""
    citations = list(answer.get("citations") or [])
    outcome = outcome_of(answer.get("kind", ""), answer.get("refusal_reason"))
    failures: list[str] = []

    outcome_ok = case.accepts(outcome)
    if not outcome_ok:
        failures.append(f"expected {case.expected_outcome}, got {outcome}")

    stale = [d for d in case.expected_docs if known_docs is not None and d not in known_docs]
    if stale:
        failures.append(f"expected docs not in the index (renamed or retired?): {', '.join(stale)}")

    citation_check = m.check_citations(answer, chunks) if citations or answer.get("kind") == "answer" else None
    if citation_check and not citation_check["valid"]:
        failures.append("invalid citations: " + "; ".join(citation_check["problems"]))

    support = m.answer_support(answer, chunks) if citations or answer.get("kind") == "answer" else None
    if support and support["unsupported"]:
        failures.append(f"{len(support['unsupported'])} of {support['sentences']} sentence(s) not supported by the cited passage")

    facts = m.key_fact_coverage(text, case.key_facts)
    opening = " ".join(sentence for sentence, _ in m.answer_sentences(answer)[:2])
    facts_first_two = m.key_fact_coverage(opening, case.key_facts)["coverage"]
    cited_docs = m.dedupe(c.get("doc_id", "") for c in citations)
    cites_expected = bool(set(cited_docs) & set(case.expected_docs)) if case.expected_docs else None

    if case.category == "answer" and outcome == "answer":
        if not cites_expected:
            failures.append(f"cites none of the expected documents (cited: {', '.join(cited_docs) or 'none'})")
    if facts["coverage"] is not None and outcome_ok and facts["coverage"] < MIN_KEY_FACT_COVERAGE:
        failures.append(f"key facts missing: {', '.join(facts['missing'])}")

    violations = m.forbidden_matches(text, case.must_not)
    if violations:
        failures.append(f"text matches a forbidden pattern: {', '.join(violations)}")

    first = None
    if outcome == "crisis":
        first = m.resources_first(text, policy.first_crisis_resource)
        if not first:
            failures.append("crisis resources do not come first")

    contact = None
    if outcome == "no_evidence":
        contact = any(s in text for s in policy.clinic_contact)
        if case.category == "no_evidence" and not contact:
            failures.append("no clinic contact offered")
        if citations:
            failures.append("an abstention that cites sources")

    rank = m.first_hit_rank(case.expected_docs, retrieved_docs) if case.expected_docs else None
    return {
        "id": case.id,
        "category": case.category,
        "topic": case.topic,
        "tags": list(case.tags),
        "gate": case.gate,
        "source": case.source,
        "question": case.question,
        "history": [t.model_dump() for t in case.history],
        "also_acceptable": list(case.also_acceptable),
        "expected_docs": list(case.expected_docs),
        "kind": answer.get("kind"),
        "refusal_reason": answer.get("refusal_reason"),
        "outcome": outcome,
        "outcome_ok": outcome_ok,
        "text": text,
        "citations": [
            {k: c.get(k) for k in ("n", "doc_id", "chunk_id", "quote")} for c in citations
        ],
        "cited_docs": cited_docs,
        "cites_expected_doc": cites_expected,
        "retrieved_docs": list(retrieved_docs),
        "first_hit_rank": rank,
        "citation_check": citation_check,
        "support": support,
        "key_facts": facts,
        "key_facts_first_two": facts_first_two,
        "must_not_violations": violations,
        "resources_first": first,
        "contact_offered": contact,
        "latency_ms": latency_ms,
        "retrieve_ms": retrieve_ms,
        "timings_ms": dict(answer.get("timings_ms") or {}),
        "passed": not failures,
        "failures": failures,
    }


Progress = Callable[[int, int, dict[str, Any]], None]


def run_cases(
    pipeline: Any,
    cases: Sequence[GoldenCase],
    settings: Settings,
    progress: Progress | None = None,
    judge: Any | None = None,
) -> list[dict[str, Any]]:
    """Ask every case (after one warm-up), retrieve for those with expected docs, and score."""
    from assistant.types import Question

    chunks = chunk_table(pipeline)
    known_docs = set(pipeline.documents())
    policy = Policy.from_settings(settings)
    warm = Question(text="How long does a Spravato session take?")
    pipeline.ask(warm)
    pipeline.retrieve(warm, k=RETRIEVE_K)

    records: list[dict[str, Any]] = []
    for i, case in enumerate(cases, 1):
        question = Question(id=case.id, text=case.question, history=case.history)
        with _CapturedErrors() as errors:
            started = time.perf_counter()
            answer = pipeline.ask(question)
            latency = (time.perf_counter() - started) * 1000
        retrieved: list[str] = []
        retrieve_ms = None
        passages: list[Any] = []
        if case.expected_docs:
            started = time.perf_counter()
            passages = pipeline.retrieve(question, k=RETRIEVE_K)
            retrieve_ms = (time.perf_counter() - started) * 1000
            retrieved = m.dedupe(p.doc_id for p in passages)
        record = evaluate(
            case, answer.contract_json(), retrieved, chunks, policy, known_docs,
            latency_ms=round(latency, 2), retrieve_ms=None if retrieve_ms is None else round(retrieve_ms, 2),
        )
        if errors.messages:
            record["failures"].insert(0, "pipeline error: " + " | ".join(errors.messages))
            record["passed"] = False
        record["errors"] = errors.messages
        if judge is not None and record["kind"] == "answer":
            record["judge"] = judge.score(case.question, record["text"], [c["quote"] for c in record["citations"]])
        records.append(record)
        if progress:
            progress(i, len(cases), record)
    return records


class _CapturedErrors(logging.Handler):
    """Errors the pipeline logged while answering: it turns a crash into a polite answer, and the
    evals should say that it crashed rather than score the polite answer as an abstention."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        detail = f"{record.exc_info[0].__name__}: {record.exc_info[1]}" if record.exc_info and record.exc_info[1] else ""
        self.messages.append(f"{record.getMessage()}{' (' + detail + ')' if detail else ''}"[:300])

    def __enter__(self) -> "_CapturedErrors":
        logging.getLogger("assistant").addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("assistant").removeHandler(self)


def build_index(settings: Settings, corpus_dir: Path, index_dir: Path, embedder: Any) -> Any:
    """Bring ``index_dir`` up to date with ``corpus_dir`` (incremental: quick when nothing changed)."""
    from ingest.indexing import ingest

    return ingest(Path(corpus_dir), Path(index_dir), settings, embedder)
