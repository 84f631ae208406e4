"""Write a run's result.json, report.md and report.html (with its plots) into one folder."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any, Mapping, Sequence

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from evals import plots
from evals.gate import Check
from evals.metrics import OUTCOME_LABELS, lookup

TEMPLATES = Path(__file__).resolve().parent / "templates"

from evals.metric_table import METRICS  # noqa: E402

# (label, dotted metric path, format: "rate" | "ms" | "int"), from the one table of metrics
SUMMARY: tuple[tuple[str, str, str], ...] = tuple((m.label, m.path, m.format) for m in METRICS)
LOWER_IS_BETTER = {m.path for m in METRICS if not m.higher_is_better and not m.latency}


def fmt(value: Any, kind: str = "rate") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "ms":
        return f"{value:.0f} ms"
    if kind == "int":
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{value:.3f}"


def write_report(
    out_dir: Path,
    result: Mapping[str, Any],
    comparison: Mapping[str, Any] | None = None,
    gate_checks: Sequence[Check] | None = None,
) -> dict[str, Path]:
    """Write result.json, report.md, report.html and the PNG plots; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    metrics, records = result["metrics"], result["records"]
    images = _plots(metrics, records)
    files: dict[str, Path] = {}
    for name, png in images.items():
        path = out_dir / f"{name}.png"
        path.write_bytes(png)
        files[name] = path
    view = _view(result, comparison, gate_checks)
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, autoescape=False)
    md = env.get_template("report.md.j2").render(**view, plots={k: f"{k}.png" for k in images})
    files["md"] = out_dir / "report.md"
    files["md"].write_text(md, encoding="utf-8")
    env.autoescape = True
    html = env.get_template("report.html.j2").render(
        **view, images={k: base64.b64encode(v).decode("ascii") for k, v in images.items()}
    )
    files["html"] = out_dir / "report.html"
    files["html"].write_text(html, encoding="utf-8")
    files["json"] = out_dir / "result.json"
    payload = dict(result)
    if comparison is not None:
        payload["comparison"] = comparison
    if gate_checks is not None:
        payload["gate"] = _gate_view(gate_checks)
    files["json"].write_text(json.dumps(_jsonable(payload), indent=1, ensure_ascii=False), encoding="utf-8")
    return files


def _plots(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> dict[str, bytes]:
    ask = metrics["latency_ms"]["ask"]
    return {
        "confusion": plots.confusion_matrix(metrics["confusion_matrix"]),
        "topics": plots.scores_per_group(
            metrics["per_topic"], ["hit@5", "key_fact_coverage", "answered", "pass_rate"],
            "Answerable questions by topic", "topic"),
        "categories": plots.scores_per_group(
            metrics["per_category"], ["outcome_accuracy", "pass_rate"], "Cases by category", "category"),
        "latency": plots.latency_histogram([r["latency_ms"] for r in records], ask["p50"], ask["p95"]),
    }


def _view(result: Mapping[str, Any], comparison: Mapping[str, Any] | None, gate_checks: Sequence[Check] | None) -> dict[str, Any]:
    metrics, records = result["metrics"], result["records"]
    base = None
    if comparison:
        base = comparison.get("baseline_metrics")
    summary = []
    for label, path, kind in SUMMARY:
        value = lookup(metrics, path)
        if value is None:
            continue
        before = lookup(base, path) if base else None
        if base and comparison and not comparison.get("same_cases", True):
            value_now = lookup(comparison["current_metrics"], path)  # like with like: the shared cases
        else:
            value_now = value
        delta, css = "", ""
        if isinstance(before, (int, float)) and isinstance(value, (int, float)) and not (
            math.isnan(before) or math.isnan(value)
        ):
            diff = (value_now if isinstance(value_now, (int, float)) else value) - before
            delta = ("+" if diff > 0 else "") + (f"{diff:.0f} ms" if kind == "ms" else f"{diff:.3f}")
            better = diff < 0 if (path in LOWER_IS_BETTER or kind == "ms") else diff > 0
            css = "" if abs(diff) < 1e-9 else ("ok" if better else "bad")
        summary.append({"label": label, "value": fmt(value, kind), "baseline": fmt(before, kind) if base else "–",
                        "delta": delta, "css": css})

    def table(rows: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, dict[str, str]]]:
        return [(name, {k: fmt(v) for k, v in row.items()}) for name, row in rows.items()]

    matrix = metrics["confusion_matrix"]
    labels = [l for l in OUTCOME_LABELS if l in matrix] + [l for l in matrix if l not in OUTCOME_LABELS]
    matrix_rows = [{"label": e, "cells": [str(matrix[e][p]) for p in labels], "diag": i} for i, e in enumerate(labels)]
    if comparison:
        comparison = dict(comparison)
        for key in ("improved", "regressed"):
            comparison[key] = [
                {**r, "baseline_s": _fmt_metric(r["metric"], r["baseline"]), "current_s": _fmt_metric(r["metric"], r["current"])}
                for r in comparison[key]
            ]
    failing = [
        {**r, "text_excerpt": _excerpt(r.get("text") or "")}
        for r in records if not r["passed"]
    ]
    latency = metrics["latency_ms"]
    return {
        "meta": result["meta"],
        "gate": {"passed": all(c.passed for c in gate_checks), "checks": _gate_view(gate_checks)} if gate_checks is not None else None,
        "summary": summary,
        "comparison": comparison,
        "per_category": table(metrics["per_category"]),
        "per_topic": table(metrics["per_topic"]),
        "per_tag": table(metrics.get("per_tag", {})),
        "labels": labels,
        "matrix_rows": matrix_rows,
        "per_class": table(metrics["per_class"]),
        "triage_per_class": table(metrics["triage_per_class"]),
        "latency": [(name, {k: (fmt(v, "int") if k == "n" else f"{v:.0f}" if isinstance(v, (int, float)) and not math.isnan(v) else "–")
                           for k, v in latency[name].items()}) for name in ("ask", "retrieve")],
        "stages": [(k, f"{v:.1f}") for k, v in latency["stages_p50"].items() if isinstance(v, (int, float)) and not math.isnan(v)],
        "failing": failing,
    }


def _gate_view(checks: Sequence[Check]) -> list[dict[str, Any]]:
    return [
        {"metric": c.metric, "value": "not measured" if c.value is None else f"{c.value:.4g}",
         "sign": ">=" if c.bound == "min" else "<=", "threshold": c.threshold, "passed": c.passed}
        for c in checks
    ]


def _fmt_metric(path: str, value: Any) -> str:
    return fmt(value, "ms" if path.startswith("latency") else "rate")


def _excerpt(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _jsonable(value: Any) -> Any:
    """NaN is not JSON: write it as null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
