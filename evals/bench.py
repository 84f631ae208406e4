"""python -m evals.bench: how fast and how good, next to a plain LangChain pipeline on the same data.

    python -m evals.bench [--questions N] [--corpus corpus] [--out evals/reports/bench.json]

Two sides, each in its own process so that peak memory is its own:

- project: ``ingest`` into a fresh temporary index (chunks per second), the same ingest again
  (no-op seconds), then the loaded pipeline's warm ``ask`` and ``retrieve`` latency and hit@5;
- langchain: the Markdown bodies split by ``RecursiveCharacterTextSplitter(chunk_size=1000,
  chunk_overlap=100)``, embedded with the same packaged model into a separate Chroma collection,
  and plain similarity search for the top k passages. A plain pipeline has no incremental mode:
  its "re-ingest" rebuilds everything, and that is what it is timed doing.

Both sides answer the same single-turn answerable questions of the golden set. hit@5 here is
passage-level: does any of the 5 passages returned come from an expected document (the evals'
retrieval metrics rank documents from 10 passages, so their numbers differ slightly).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from evals import metrics as m

K = 5
EVALS_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = EVALS_DIR / "reports" / "bench.json"


def questions(limit: int | None) -> list[dict[str, Any]]:
    from evals.cases import load_cases

    chosen = [
        {"id": c.id, "text": c.question, "expected_docs": c.expected_docs, "topic": c.topic}
        for c in load_cases()
        if c.category == "answer" and c.expected_docs and not c.history
    ]
    return chosen[:limit] if limit else chosen


def corpus_chars(corpus: Path) -> int:
    """Characters of the documents' bodies: the same work for both sides, however they chunk it."""
    from ingest.documents import load_corpus

    return sum(len(d.text) - d.body_start for d in load_corpus(corpus).documents)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - started) * 1000


def _quality(qs: list[dict[str, Any]], ranked: dict[str, list[str]]) -> dict[str, float]:
    qrels = {q["id"]: q["expected_docs"] for q in qs}
    return {"hit@5": m.hit_at_k(qrels, ranked, K), "mrr@5": m.mrr(qrels, ranked, K)}


# ============================================================================ the project


def run_project(corpus: Path, qs: list[dict[str, Any]]) -> dict[str, Any]:
    from assistant.pipeline import Pipeline
    from assistant.types import Question
    from ingest.indexing import ingest
    from library.embedder import load_embedder
    from library.settings import Settings

    with tempfile.TemporaryDirectory(prefix="bench-project-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        embedder, load_ms = _timed(lambda: load_embedder(settings.embedding_model, settings.embedding_batch_size,
                                                         settings.embedding_threads))
        embedder.warm_up()  # network load is not ingest work
        index_dir = Path(tmp) / "index"
        first, _ = _timed(lambda: ingest(corpus, index_dir, settings, embedder))
        again, _ = _timed(lambda: ingest(corpus, index_dir, settings, embedder))
        pipeline, pipeline_ms = _timed(lambda: Pipeline.load(settings, index_dir, embedder=embedder))
        for q in qs[:3]:  # warm: caches, lazy imports, first-call allocations
            pipeline.ask(Question(text=q["text"]))
            pipeline.retrieve(Question(text=q["text"]), k=K)
        ask_ms, retrieve_ms, ranked, kinds = [], [], {}, {}
        for q in qs:
            answer, ms = _timed(lambda: pipeline.ask(Question(text=q["text"])))
            ask_ms.append(ms)
            kinds[answer.kind] = kinds.get(answer.kind, 0) + 1
            passages, ms = _timed(lambda: pipeline.retrieve(Question(text=q["text"]), k=K))
            retrieve_ms.append(ms)
            ranked[q["id"]] = [p.doc_id for p in passages]
        return {
            "side": "project",
            "documents": first.documents,
            "chunks": first.chunks,
            "sentences_embedded": first.sentences_embedded,
            "ingest_seconds": first.seconds,
            "ingest_chunks_per_s": first.chunks / first.seconds if first.seconds else None,
            "ingest_kchars_per_s": corpus_chars(corpus) / 1000 / first.seconds if first.seconds else None,
            "ingest_texts_embedded_per_s": (first.embedded + first.sentences_embedded) / first.seconds if first.seconds else None,
            "reingest_seconds": again.seconds,
            "reingest_embedded": again.embedded,
            "model_load_ms": load_ms,
            "pipeline_load_ms": pipeline_ms,
            "ask_ms": m.latency_summary(ask_ms),
            "retrieve_ms": m.latency_summary(retrieve_ms),
            "answer_kinds": kinds,
            **_quality(qs, ranked),
            "peak_rss_mb": peak_rss_mb(),
        }


# ============================================================================ plain LangChain


def run_langchain(corpus: Path, qs: list[dict[str, Any]]) -> dict[str, Any]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.documents import load_corpus
    from library.embedder import load_embedder
    from library.settings import Settings
    from library.store import ChromaStore, StoredChunk

    with tempfile.TemporaryDirectory(prefix="bench-langchain-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        embedder, load_ms = _timed(lambda: load_embedder(settings.embedding_model, settings.embedding_batch_size,
                                                         settings.embedding_threads))
        embedder.warm_up()
        store = ChromaStore(settings, Path(tmp) / "index")
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)

        def build(name: str) -> int:
            docs = load_corpus(corpus).documents
            chunks = [
                StoredChunk(f"{d.doc_id}#{i}", piece, {"doc_id": d.doc_id})
                for d in docs
                for i, piece in enumerate(splitter.split_text(d.text[d.body_start:]))
            ]
            store.drop(name)
            store.create(name)
            vectors = embedder.embed([c.text for c in chunks])
            store.add(name, chunks, vectors)
            return len(chunks)

        n_chunks, ingest_ms = _timed(lambda: build("langchain_baseline"))
        _, reingest_ms = _timed(lambda: build("langchain_baseline"))

        def search(text: str) -> list[str]:
            vector = embedder.embed([text])[0]
            return [cid.split("#", 1)[0] for cid, _ in store.query("langchain_baseline", vector, K)]

        for q in qs[:3]:
            search(q["text"])
        retrieve_ms, ranked = [], {}
        for q in qs:
            docs, ms = _timed(lambda: search(q["text"]))
            retrieve_ms.append(ms)
            ranked[q["id"]] = docs
        return {
            "side": "langchain",
            "documents": len(load_corpus(corpus).documents),
            "chunks": n_chunks,
            "ingest_seconds": ingest_ms / 1000,
            "ingest_chunks_per_s": n_chunks / (ingest_ms / 1000),
            "ingest_kchars_per_s": corpus_chars(corpus) / 1000 / (ingest_ms / 1000),
            "ingest_texts_embedded_per_s": n_chunks / (ingest_ms / 1000),
            "reingest_seconds": reingest_ms / 1000,
            "model_load_ms": load_ms,
            "retrieve_ms": m.latency_summary(retrieve_ms),
            **_quality(qs, ranked),
            "peak_rss_mb": peak_rss_mb(),
        }


# ============================================================================ the comparison


ROWS: tuple[tuple[str, str, str], ...] = (
    # label, key path, "higher" or "lower" is better
    ("documents", "documents", ""),
    ("chunks", "chunks", ""),
    ("sentences embedded at ingest", "sentences_embedded", ""),
    ("ingest throughput (chunks/s)", "ingest_chunks_per_s", "higher"),
    ("ingest throughput (corpus kchars/s)", "ingest_kchars_per_s", "higher"),
    ("texts embedded per second (chunks+sentences)", "ingest_texts_embedded_per_s", "higher"),
    ("ingest seconds (fresh)", "ingest_seconds", "lower"),
    ("re-ingest seconds (unchanged corpus)", "reingest_seconds", "lower"),
    ("warm ask p50 (ms)", "ask_ms.p50", "lower"),
    ("warm ask p95 (ms)", "ask_ms.p95", "lower"),
    ("warm retrieve p50 (ms)", "retrieve_ms.p50", "lower"),
    ("warm retrieve p95 (ms)", "retrieve_ms.p95", "lower"),
    ("hit@5 (passage-level)", "hit@5", "higher"),
    ("MRR@5", "mrr@5", "higher"),
    ("peak memory (MB RSS)", "peak_rss_mb", "lower"),
)


def table(project: dict[str, Any], langchain: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    rows = []
    lines = [f"{'':46} {'project':>12} {'langchain':>12} {'ratio':>8}", "-" * 82]
    for label, path, better in ROWS:
        a, b = m.lookup(project, path), m.lookup(langchain, path)
        ratio = a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None
        rows.append({"metric": label, "key": path, "project": a, "langchain": b, "ratio": ratio, "better": better})
        lines.append(f"{label:46} {_num(a):>12} {_num(b):>12} {_num(ratio, 2) + 'x' if ratio is not None else '–':>8}")
    lines.append("ratio = project / langchain.")
    return "\n".join(lines), rows


def _num(value: Any, digits: int | None = None) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    if digits is None:
        digits = 3 if abs(value) < 10 else 1
    return f"{value:.{digits}f}"


def _side(name: str, corpus: Path, limit: int | None) -> dict[str, Any]:
    """Run one side in a child process and read its JSON line."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    cmd = [sys.executable, "-m", "evals.bench", "--side", name, "--corpus", str(corpus)]
    if limit:
        cmd += ["--questions", str(limit)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise RuntimeError(f"the {name} side failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=None, help="use the first N answerable questions (default: all)")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--side", choices=["project", "langchain"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    qs = questions(args.questions)
    if args.side:
        run = run_project if args.side == "project" else run_langchain
        print(json.dumps(run(args.corpus, qs)))
        return 0

    print(f"benchmarking on {len(qs)} questions, corpus {args.corpus} (each side in its own process) ...", file=sys.stderr)
    project = _side("project", args.corpus, args.questions)
    langchain = _side("langchain", args.corpus, args.questions)
    text, rows = table(project, langchain)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "questions": len(qs), "k": K, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "project": project, "langchain": langchain, "rows": rows,
    }, indent=1), encoding="utf-8")
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
