"""python -m evals.ask_bench: where a warm `ask` spends its time, and what each half of hybrid retrieval is worth.

    python -m evals.ask_bench [--questions N] [--index DIR] [--labelled FILE] [--out FILE]

1. Latency. A few hundred patient questions (about 40 templates, each with several wordings of the
   medicine, plus the golden questions of evals/golden/) go through one loaded pipeline with the
   extractive composer and the default triage, after a warm-up. Per stage (``timings_ms``: triage,
   embed, dense, lexical, fuse, compose, total) it reports p50 and p95, and separately the time of
   embedding the query alone. The budget: p95(total) - p95(embed) <= 50 ms, i.e. everything but the
   embedding model fits in 50 ms.
2. Retrieval quality on labelled questions (question -> documents that answer it;
   tests/data/assistant_retrieval.yaml): dense-only (Chroma nearest neighbours), BM25-only, and the
   hybrid the assistant uses (reciprocal-rank fusion, then section diversity). hit@k asks whether any
   of the first k passages comes from an expected document; MRR uses the first such passage in 10.

Prints Markdown tables and writes evals/reports/ask_bench.json. With no index at --index, one is
built from corpus/ first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LABELLED = REPO / "tests" / "data" / "assistant_retrieval.yaml"
DEFAULT_OUT = REPO / "evals" / "reports" / "ask_bench.json"
GOLDEN = REPO / "evals" / "golden"
STAGES = ("triage", "embed", "dense", "lexical", "fuse", "compose", "total")
BUDGET_MS = 50.0
KS = (1, 3, 5)
MRR_DEPTH = 10

# ----------------------------------------------------------------------------- question pool

MEDICINES = ("ketamine", "esketamine", "Spravato", "IV ketamine", "the nasal spray", "ketamine infusions")
TEMPLATES = (
    "what are the most common side effects of {m}?",
    "will {m} make me feel spaced out or disconnected?",
    "how long does the dizziness from {m} last?",
    "does {m} raise your blood pressure?",
    "can {m} damage the bladder?",
    "is {m} addictive?",
    "can I drive home after {m}?",
    "how soon does {m} start to help depression?",
    "how long do the benefits of {m} last?",
    "how many sessions of {m} will I need?",
    "is {m} approved by the FDA for depression?",
    "how does {m} work in the brain?",
    "what is the difference between {m} and regular antidepressants?",
    "does insurance pay for {m}?",
    "how much does {m} cost?",
    "what happens during a session of {m}?",
    "how long will I stay at the clinic after {m}?",
    "can I eat before {m}?",
    "is {m} safe during pregnancy?",
    "can I breastfeed while on {m}?",
    "does {m} affect memory?",
    "what is still unknown about long-term {m} use?",
    "who should not have {m}?",
    "does {m} help with PTSD?",
    "does {m} help with anxiety or OCD?",
    "can {m} help bipolar depression?",
    "does {m} reduce suicidal thoughts?",
    "is {m} better than ECT?",
    "what do expert groups say about {m}?",
    "should I have therapy alongside {m}?",
    "what questions should I ask a clinic about {m}?",
    "what screening happens before {m}?",
    "which medicines interact with {m}?",
    "can I drink alcohol the day I have {m}?",
    "what should I watch for after {m}?",
    "what does the boxed warning for {m} say?",
    "why is {m} a controlled substance?",
    "what does remission mean in studies of {m}?",
    "what are the different ways {m} can be given?",
    "what is the REMS program for {m}?",
)
OPENINGS = ("", "quick question: ", "I was wondering, ", "my doctor mentioned this. ")


def question_pool(n: int, seed: int = 7) -> list[str]:
    """``n`` distinct questions: templates x medicines x openings, and the golden set's questions."""
    rng = random.Random(seed)
    pool = [t.format(m=m) for t in TEMPLATES for m in MEDICINES]
    pool += _golden_questions()
    rng.shuffle(pool)
    out = [f"{rng.choice(OPENINGS)}{q}" for q in dict.fromkeys(pool)]
    while len(out) < n:  # more than the pool holds: vary the openings again
        out.append(f"{rng.choice(OPENINGS[1:])}{rng.choice(pool)}")
    return out[:n]


def _golden_questions() -> list[str]:
    out: list[str] = []
    for path in sorted(GOLDEN.glob("*.yaml")) if GOLDEN.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        out += [c["question"] for c in data.get("cases", []) if isinstance(c, dict) and isinstance(c.get("question"), str)]
    return out


# ----------------------------------------------------------------------------- retrieval metrics


def hit_at(ranked: dict[str, list[str]], qrels: dict[str, set[str]], k: int) -> float:
    return sum(1 for q, docs in ranked.items() if qrels[q] & set(docs[:k])) / len(ranked)


def mean_reciprocal_rank(ranked: dict[str, list[str]], qrels: dict[str, set[str]], depth: int = MRR_DEPTH) -> float:
    total = 0.0
    for q, docs in ranked.items():
        rank = next((i + 1 for i, d in enumerate(docs[:depth]) if d in qrels[q]), None)
        total += 1.0 / rank if rank else 0.0
    return total / len(ranked)


def retrieval_quality(pipeline, cases: list[dict]) -> dict[str, dict[str, float]]:
    """hit@1/3/5 and MRR of dense-only, BM25-only and hybrid retrieval; rankings are of passages' documents."""
    from assistant.types import Question
    from library.text import terms

    loaded = pipeline.index.current()
    collection = loaded.manifest.collection
    doc_of = lambda i: str(loaded.chunks[i].metadata.get("doc_id", ""))  # noqa: E731
    qrels = {c["q"]: set(c["expected"]) for c in cases}
    rankers: dict[str, Callable[[str], list[str]]] = {
        "dense only": lambda q: [
            doc_of(loaded.position[cid])
            for cid, _ in pipeline.index.store.query(collection, pipeline.embedder.embed([q])[0], MRR_DEPTH)
            if cid in loaded.position
        ],
        "BM25 only": lambda q: [
            doc_of(i) for i, _ in sorted(loaded.bm25.scores(terms(q)).items(), key=lambda kv: -kv[1])[:MRR_DEPTH]
        ],
        "hybrid (RRF + diversity)": lambda q: [p.doc_id for p in pipeline.retrieve(Question(text=q), k=MRR_DEPTH)],
    }
    out: dict[str, dict[str, float]] = {}
    for name, rank in rankers.items():
        ranked = {q: rank(q) for q in qrels}
        out[name] = {f"hit@{k}": hit_at(ranked, qrels, k) for k in KS}
        out[name]["MRR"] = mean_reciprocal_rank(ranked, qrels)
        out[name]["misses@5"] = [q for q, docs in ranked.items() if not qrels[q] & set(docs[:5])]
    return out


def answer_outcomes(pipeline, cases: list[dict]) -> dict[str, Any]:
    """How the full `ask` treats the labelled (all answerable) questions."""
    from assistant.types import Question

    kinds: dict[str, int] = {}
    cited_expected = 0
    unanswered: list[str] = []
    for c in cases:
        answer = pipeline.ask(Question(text=c["q"]))
        kinds[answer.kind] = kinds.get(answer.kind, 0) + 1
        if answer.kind == "answer" and {x.doc_id for x in answer.citations} & set(c["expected"]):
            cited_expected += 1
        if answer.kind != "answer":
            unanswered.append(f"{answer.kind}: {c['q']}")
    return {"kinds": kinds, "answered_citing_expected": cited_expected / len(cases), "not_answered": unanswered}


# ----------------------------------------------------------------------------- latency


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in 0..100."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency(pipeline, questions: list[str], warm_up: int = 8) -> dict[str, Any]:
    from assistant.types import Question

    for q in questions[:warm_up]:
        pipeline.ask(Question(text=q))
    per_stage: dict[str, list[float]] = {}
    kinds: dict[str, int] = {}
    beyond: list[float] = []  # per question: everything but the query embedding
    for q in questions:
        answer = pipeline.ask(Question(text=q))
        kinds[answer.kind] = kinds.get(answer.kind, 0) + 1
        for stage, ms in answer.timings_ms.items():
            per_stage.setdefault(stage, []).append(ms)
        beyond.append(answer.timings_ms["total"] - answer.timings_ms.get("embed", 0.0))
    embed_alone = []
    for q in questions:
        t = time.perf_counter()
        pipeline.embedder.embed([q])
        embed_alone.append((time.perf_counter() - t) * 1000)
    per_stage["query embedding alone"] = embed_alone
    stages = {
        name: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95), "mean": statistics.fmean(v)}
        for name, v in per_stage.items()
    }
    beyond_embed = stages["total"]["p95"] - stages.get("embed", {"p95": 0.0})["p95"]
    return {
        "questions": len(questions),
        "kinds": kinds,
        "stages": stages,
        "p95_total_minus_p95_embed": beyond_embed,
        "p95_of_total_minus_embed_per_question": percentile(beyond, 95),
    }


# ----------------------------------------------------------------------------- wiring


def load_pipeline(index_dir: Path | None):
    from assistant.pipeline import Pipeline
    from library.embedder import load_embedder
    from library.manifest import read_manifest
    from library.settings import Settings

    settings = Settings()
    index_dir = Path(index_dir or settings.index_dir)
    embedder = load_embedder(settings.embedding_model, settings.embedding_batch_size, settings.embedding_threads)
    if read_manifest(index_dir) is None:
        from ingest.indexing import ingest

        print(f"no index at {index_dir}: building one from {settings.corpus_dir} ...", file=sys.stderr)
        ingest(Path(settings.corpus_dir), index_dir, settings, embedder)
    triage_note = "default triage"
    try:
        pipeline = Pipeline.load(settings, index_dir, embedder=embedder)
    except Exception as exc:  # the triage is optional for a latency benchmark; say so in the report
        from assistant.types import TriageDecision

        class _PassThrough:
            def classify(self, question, vector=None):
                return TriageDecision(category="ok", rule="bench", clean_text=question.text)

        triage_note = f"pass-through triage (default triage failed to load: {exc.__class__.__name__}: {exc})"
        print(f"warning: {triage_note}", file=sys.stderr)
        pipeline = Pipeline.load(settings, index_dir, embedder=embedder, triage=_PassThrough())
    if getattr(pipeline.composer, "name", "") != "extractive":
        print("note: an LLM is configured; this benchmark measures the extractive composer", file=sys.stderr)
        pipeline.composer = pipeline.fallback
    return pipeline, index_dir, triage_note


def markdown(result: dict[str, Any]) -> str:
    lat = result["latency"]
    lines = [
        f"### Warm `ask` latency, {lat['questions']} questions (ms)",
        "",
        "| stage | n | p50 | p95 | mean |",
        "|---|---:|---:|---:|---:|",
    ]
    names = [s for s in STAGES if s in lat["stages"]] + [s for s in lat["stages"] if s not in STAGES]
    for name in names:
        s = lat["stages"][name]
        lines.append(f"| {name} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['mean']:.1f} |")
    verdict = "within" if lat["p95_total_minus_p95_embed"] <= BUDGET_MS else "OVER"
    lines += [
        "",
        f"p95(total) - p95(embed) = **{lat['p95_total_minus_p95_embed']:.1f} ms** "
        f"({verdict} the {BUDGET_MS:.0f} ms budget); per question, p95(total - embed) = "
        f"{lat['p95_of_total_minus_embed_per_question']:.1f} ms. Outcomes: {lat['kinds']}",
        "",
        f"### Retrieval quality, {result['labelled_questions']} labelled questions",
        "",
        "| method | hit@1 | hit@3 | hit@5 | MRR |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, q in result["retrieval"].items():
        lines.append(f"| {name} | {q['hit@1']:.3f} | {q['hit@3']:.3f} | {q['hit@5']:.3f} | {q['MRR']:.3f} |")
    outcomes = result["answers"]
    lines += [
        "",
        f"Full `ask` on the labelled questions: {outcomes['kinds']}; answered citing an expected document: "
        f"{outcomes['answered_citing_expected']:.3f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.ask_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=300, help="how many questions to time (default 300)")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: the settings' index_dir)")
    parser.add_argument("--labelled", type=Path, default=DEFAULT_LABELLED, help="labelled retrieval questions (YAML)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON report path")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

    pipeline, index_dir, triage_note = load_pipeline(args.index)
    cases = yaml.safe_load(args.labelled.read_text(encoding="utf-8"))["questions"]
    result: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": os.getloadavg(),  # latency on a shared machine depends on it
        },
        "index": str(index_dir),
        "corpus_version": pipeline.index.current().manifest.corpus_version,
        "composer": "extractive",
        "triage": triage_note,
        "settings": {k: getattr(pipeline.settings, k) for k in ("retrieval_k", "candidate_k", "max_chunks_per_section")},
        "budget_ms": BUDGET_MS,
        "latency": latency(pipeline, question_pool(args.questions)),
        "labelled_questions": len(cases),
        "retrieval": retrieval_quality(pipeline, cases),
        "answers": answer_outcomes(pipeline, cases),
    }
    print(markdown(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
