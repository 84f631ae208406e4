"""Every metric the evals report, declared once: the report, the baseline comparison and the gate
all read this table, so a new metric is one row here (and its computation in ``metrics.py``).

A path is dotted into ``result.json``'s ``metrics``; suites on other libraries and the frozen sets
add their own paths (``suites.<name>.<metric>``), listed here too so they are compared and gated
like the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    path: str
    label: str
    format: str = "rate"  # rate | ms | int
    higher_is_better: bool = True
    tolerance: float = 0.005
    """The smallest change the comparison reports."""
    latency: bool = False


METRICS: tuple[Metric, ...] = (
    Metric("pass_rate", "Cases passing"),
    Metric("retrieval.hit@1", "Retrieval hit@1"),
    Metric("retrieval.hit@3", "Retrieval hit@3"),
    Metric("retrieval.hit@5", "Retrieval hit@5"),
    Metric("retrieval.hit@10", "Retrieval hit@10"),
    Metric("retrieval.mrr@10", "Retrieval MRR@10"),
    Metric("citation_validity", "Citation validity (answers)", tolerance=0.0001),
    Metric("citation_validity_per_citation", "Citation validity (citations)", tolerance=0.0001),
    Metric("support", "Support (sentences backed by cited passage)"),
    Metric("key_fact_coverage", "Key-fact coverage (answerable)"),
    Metric("key_facts_first_two", "Key facts in the first two sentences (answerable)"),
    Metric("crisis_recall", "Crisis recall", tolerance=0.0001),
    Metric("crisis_resources_first", "Crisis resources first", tolerance=0.0001),
    Metric("over_refusal_rate", "Over-refusal rate (answerable)", higher_is_better=False),
    Metric("over_refusal_rate_traps", "Over-refusal rate (traps)", higher_is_better=False),
    Metric("abstention.no_evidence_recall", "Abstention: no-evidence questions abstained"),
    Metric("abstention.answerable_not_abstained", "Abstention: answerable questions not abstained"),
    Metric("abstention.answerable_answered", "Answerable questions answered"),
    Metric("must_not_violations", "Forbidden-pattern violations", format="int", higher_is_better=False, tolerance=0.5),
    Metric("latency_ms.ask.p50", "Ask latency p50", format="ms", higher_is_better=False, latency=True),
    Metric("latency_ms.ask.p95", "Ask latency p95", format="ms", higher_is_better=False, latency=True),
    Metric("latency_ms.retrieve.p50", "Retrieve latency p50", format="ms", higher_is_better=False, latency=True),
    Metric("latency_ms.retrieve.p95", "Retrieve latency p95", format="ms", higher_is_better=False, latency=True),
    Metric("judge.relevance", "LLM judge: relevance", tolerance=0.05),
    Metric("judge.faithfulness", "LLM judge: faithfulness", tolerance=0.05),
)

SUITE_METRICS: tuple[Metric, ...] = (
    Metric("answered", "covered questions answered"),
    Metric("gold_cited", "a right document cited"),
    Metric("key_facts_all", "key facts (all covered questions)"),
    Metric("key_facts", "key facts (answered questions)"),
    Metric("key_facts_first_two", "key facts in the first two sentences"),
    Metric("abstained", "uncovered questions abstained"),
    Metric("verbatim", "quotes verbatim", tolerance=0.0001),
    Metric("first_retrieved_right", "first passage from a right document"),
    Metric("mrr@10", "retrieval MRR@10"),
    Metric("bm25_mrr@10", "BM25 MRR@10 (same run)"),
    Metric("langchain_first_right", "plain LangChain: first passage from a right document (same run)"),
    Metric("crisis_recall", "crisis recall", tolerance=0.0001),
    Metric("false_crisis", "false crisis on ok", higher_is_better=False),
    Metric("false_crisis_strict", "false crisis on ordinary, homonyms, education", higher_is_better=False),
    Metric("general_refused", "ok refused", higher_is_better=False),
    Metric("advice_refused", "personal advice refused as advice"),
)
"""Per-suite metrics: ``suites.<suite>.<metric>``."""

BY_PATH: dict[str, Metric] = {m.path: m for m in METRICS}


def metric_for(path: str) -> Metric | None:
    """The row for a path, including ``suites.<name>.<metric>`` paths."""
    if path in BY_PATH:
        return BY_PATH[path]
    if path.startswith("suites."):
        name = path.rsplit(".", 1)[-1]
        return next((m for m in SUITE_METRICS if m.path == name), None)
    return None
