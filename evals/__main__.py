"""python -m evals: run the golden set, write the report, compare with the baseline, check the gate.

    python -m evals                          # full golden set on data/eval-index (built from corpus/)
    python -m evals --gate                   # the fast subset, checked against evals/gate.yaml
    python -m evals --index DIR              # an existing index instead
    python -m evals --save-baseline          # make this run the new evals/baseline.json
    python -m evals --judge                  # add LLM-judge scores (needs a configured chat model)

Exit status: 0 when the run completed (and, with --gate, every threshold held); 1 when a gate
threshold failed or the corpus is invalid; 2 for a usage problem (bad case file, no chat model for
--judge, missing index).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

EVALS_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = EVALS_DIR / "reports" / "latest"
DEFAULT_BASELINE = EVALS_DIR / "baseline.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description="Evaluate the assistant on the golden set.")
    parser.add_argument("--index", type=Path, default=None,
                        help="index folder to evaluate (default: DATA_DIR/eval-index, built from the corpus)")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus to build the default index from (default: corpus/)")
    parser.add_argument("--cases", type=Path, nargs="+", default=None, help="case files or folders (default: evals/golden/)")
    parser.add_argument("--gate", action="store_true", help="run the gate subset and check evals/gate.yaml")
    parser.add_argument("--gate-file", type=Path, default=None, help="thresholds file (default: evals/gate.yaml)")
    parser.add_argument("--only", nargs="+", default=None, help="only cases whose id matches (regex) or category equals")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default: evals/reports/latest)")
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE, help="baseline to compare with")
    parser.add_argument("--save-baseline", action="store_true", help="save this run as the baseline")
    parser.add_argument("--judge", action="store_true", help="also grade answers with the configured chat model")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.add_argument("--no-suites", action="store_true",
                        help="only the golden set: skip the triage sets, the frozen patient-wording set and the foreign libraries")
    args = parser.parse_args(argv)

    from evals.cases import CasesError, load_cases, select

    try:
        cases = select(load_cases(args.cases), gate_only=args.gate, only=args.only)
    except CasesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print("error: no cases selected", file=sys.stderr)
        return 2

    from library.settings import Settings

    settings = Settings()
    if args.judge and not settings.llm.provider:
        from evals.judge import JudgeUnavailable, load_judge

        try:  # fail before the index is built, not after
            load_judge(settings)
        except JudgeUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    started = time.perf_counter()
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        pipeline, index_dir = _pipeline(settings, args.index, args.corpus)
    except _Stop as stop:
        print(stop.message, file=sys.stderr)
        return stop.code

    judge = None
    if args.judge:
        from evals.judge import JudgeUnavailable, load_judge

        try:
            judge = load_judge(settings, pipeline)
        except JudgeUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    from evals.metrics import aggregate
    from evals.run import run_cases

    records = run_cases(pipeline, cases, settings, progress=None if args.quiet else _progress, judge=judge)
    if not args.quiet:
        print(file=sys.stderr)
    result: dict[str, Any] = {
        "meta": {
            "started": stamp,
            "seconds": round(time.perf_counter() - started, 1),
            "cases": len(records),
            "subset": "gate" if args.gate else ("only: " + " ".join(args.only) if args.only else ""),
            "index": str(index_dir),
            "corpus_version": pipeline.corpus_version(),
            "documents": len(pipeline.documents()),
            "chunks": len(pipeline.chunks()),
            "embedding_model": settings.embedding_model,
            "composer": getattr(pipeline.composer, "name", type(pipeline.composer).__name__),
            "judge": bool(judge),
        },
        "metrics": aggregate(records),
        "records": records,
    }
    if not args.no_suites:
        from evals.suites import all_suites

        suites = all_suites(
            pipeline, settings, pipeline.embedder, Path(settings.data_dir) / "eval-suites", fast=args.gate,
            progress=None if args.quiet else (lambda name: print(f"suite: {name}", file=sys.stderr)),
        )
        result["metrics"]["suites"] = {name: {k: v for k, v in s.items() if k != "records"} for name, s in suites.items()}
        result["suite_records"] = {name: s.get("records", []) for name, s in suites.items()}

    from evals.compare import compare, slim
    from evals.gate import GATE_FILE, GateConfigError, check, load_thresholds
    from evals.report import write_report

    comparison = None
    if args.baseline and args.baseline.is_file() and not args.save_baseline:
        comparison = compare(result, json.loads(args.baseline.read_text(encoding="utf-8")))
    checks = None
    if args.gate:
        try:
            checks = check(result["metrics"], load_thresholds(args.gate_file or GATE_FILE))
        except GateConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    files = write_report(args.out, result, comparison, checks)
    if args.save_baseline:
        args.baseline.parent.mkdir(parents=True, exist_ok=True)
        args.baseline.write_text(baseline_json(result["meta"], result["metrics"], slim(records)), encoding="utf-8")
        print(f"baseline saved: {args.baseline}")

    print(summary_text(result, comparison, checks))
    print(f"\nreport: {files['md']}\n        {files['html']}\n        {files['json']}")
    if checks is not None and not all(c.passed for c in checks):
        return 1
    return 0


def baseline_json(meta: dict[str, Any], metrics: dict[str, Any], records: list[dict[str, Any]]) -> str:
    """Metrics indented, one case per line: a reviewable diff when the baseline is updated."""
    from evals.report import _jsonable

    head = json.dumps(_jsonable({"meta": meta, "metrics": metrics}), indent=1, ensure_ascii=False)[:-2]
    lines = ",\n".join(json.dumps(_jsonable(r), ensure_ascii=False) for r in records)
    return f'{head},\n "records": [\n{lines}\n ]\n}}\n'


class _Stop(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.message, self.code = message, code


def _pipeline(settings: Any, index: Path | None, corpus: Path | None) -> tuple[Any, Path]:
    """Load the pipeline on ``index``, or on the eval index built (incrementally) from the corpus."""
    from library.embedder import ModelNotFound, load_embedder
    from library.manifest import IndexNotFound

    try:
        embedder = load_embedder(settings.embedding_model, settings.embedding_batch_size, settings.embedding_threads)
    except ModelNotFound as exc:
        raise _Stop(f"error: {exc}", 2) from exc
    if index is None:
        from ingest.indexing import IngestBusy, IngestFailed

        from evals.run import build_index

        index = Path(settings.data_dir) / "eval-index"
        corpus = corpus or Path(settings.corpus_dir)
        print(f"indexing {corpus} into {index} ...", file=sys.stderr)
        try:
            report = build_index(settings, corpus, index, embedder)
        except IngestFailed as exc:
            lines = "\n".join(str(p) for p in exc.problems)
            raise _Stop(f"{lines}\nerror: the corpus has {len(exc.problems)} problem(s); fix them and run again", 1) from exc
        except IngestBusy as exc:
            raise _Stop(f"error: {exc}", 2) from exc
        print(f"  {report.documents} documents, {report.chunks} chunks, {report.embedded} embedded, "
              f"{report.seconds:.1f} s", file=sys.stderr)

    from assistant.pipeline import Pipeline

    try:
        return Pipeline.load(settings, index, embedder=embedder), index
    except IndexNotFound as exc:
        raise _Stop(f"error: {exc}", 2) from exc


def _progress(i: int, total: int, record: dict[str, Any]) -> None:
    mark = "." if record["passed"] else "F"
    sys.stderr.write(mark if i % 60 else mark + f" {i}/{total}\n")
    sys.stderr.flush()


def summary_text(result: dict[str, Any], comparison: dict[str, Any] | None, checks: list[Any] | None) -> str:
    """The console summary: every headline metric, what moved, and each failing case in one line."""
    from evals.report import SUMMARY, fmt
    from evals.metrics import lookup

    metrics, meta = result["metrics"], result["meta"]
    lines = [f"\n{meta['cases']} cases{' (' + meta['subset'] + ')' if meta['subset'] else ''} · corpus {meta['corpus_version']}"
             f" · composer {meta['composer']} · {meta['seconds']:.0f} s", ""]
    for label, path, kind in SUMMARY:
        value = lookup(metrics, path)
        if value is not None:
            lines.append(f"  {label:<48} {fmt(value, kind)}")
    lines.append("")
    lines.append("  " + "  ".join(f"{name}: {row['pass_rate']:.2f}" for name, row in metrics["per_category"].items()))
    lines.extend(suite_lines(metrics.get("suites") or {}))
    if comparison:
        lines.append("")
        lines.append(f"vs baseline {comparison['baseline_meta'].get('started', '?')}"
                     f"{'' if comparison['same_cases'] else ' (on ' + str(comparison['common_cases']) + ' shared cases)'}:")
        for title, key in (("better", "improved"), ("worse", "regressed")):
            rows = comparison[key]
            lines.append(f"  {title}: " + (", ".join(
                f"{r['metric']} {_short(r['baseline'], r['metric'])} → {_short(r['current'], r['metric'])}" for r in rows) or "nothing"))
        lines.append(f"  started failing: {', '.join(c['id'] for c in comparison['newly_failing']) or 'none'}")
        lines.append(f"  started passing: {', '.join(c['id'] for c in comparison['newly_passing']) or 'none'}")
    failing = [r for r in result["records"] if not r["passed"]]
    lines.append("")
    lines.append(f"failing cases: {len(failing)} of {len(result['records'])}")
    for r in failing:
        lines.append(f"  FAIL {r['id']} [{r['category']} → {r['outcome']}] {r['failures'][0]}")
    if checks is not None:
        lines.append("")
        lines.append("gate: " + ("PASSED" if all(c.passed for c in checks) else "FAILED"))
        lines.extend("  " + c.describe() for c in checks)
    return "\n".join(lines)


def suite_lines(suites: dict[str, Any]) -> list[str]:
    """One line per suite, its kind first: frozen and public sets and validation libraries were
    never tuned on; tuned sets and fit libraries were."""
    from evals.metric_table import SUITE_METRICS

    if not suites:
        return []
    lines = ["", "suites (kind: frozen/public/validate = never tuned on; tuned/fit = tuned on):"]
    for name, values in suites.items():
        if values.get("kind") == "skipped":
            lines.append(f"  {name} [skipped: {values.get('reason')}]")
            continue
        shown = [f"{m.path} {values[m.path]:.3f}" for m in SUITE_METRICS if isinstance(values.get(m.path), (int, float))]
        lines.append(f"  {name} [{values.get('kind')}]: " + ", ".join(shown))
    return lines


def _short(value: float, metric: str) -> str:
    return f"{value:.0f}ms" if metric.startswith("latency") else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
