"""Compare a run with a saved baseline: which metrics moved, which cases started or stopped passing.

When the two runs cover different cases (a gate run against a full baseline, or a golden set that
grew), both sides are re-scored on the cases they share, so every delta compares like with like.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from evals.metric_table import METRICS
from evals.metrics import aggregate, lookup

# (dotted metric path, higher is better?, smallest change worth reporting), from the one table
TRACKED: tuple[tuple[str, bool, float], ...] = tuple((m.path, m.higher_is_better, m.tolerance) for m in METRICS if not m.latency)
LATENCY: tuple[str, ...] = tuple(m.path for m in METRICS if m.latency)
LATENCY_RELATIVE = 0.25  # latency is noisy: only a change of 25% and 20 ms counts
LATENCY_ABSOLUTE_MS = 20.0


def compare(current: Mapping[str, Any], baseline: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` and ``baseline`` are run results: ``{"metrics": ..., "records": [...]}``."""
    cur_records = {r["id"]: r for r in current["records"]}
    base_records = {r["id"]: r for r in baseline.get("records", [])}
    common = [i for i in cur_records if i in base_records]
    same_cases = set(cur_records) == set(base_records)
    if same_cases:
        cur_metrics, base_metrics = current["metrics"], baseline["metrics"]
    else:
        cur_metrics = aggregate([cur_records[i] for i in common]) if common else {}
        base_metrics = aggregate([base_records[i] for i in common]) if common else {}

    improved: list[dict[str, Any]] = []
    regressed: list[dict[str, Any]] = []
    unchanged: list[dict[str, Any]] = []
    for path, higher_better, tolerance in TRACKED:
        row = _delta(path, lookup(cur_metrics, path), lookup(base_metrics, path))
        if row is None:
            continue
        if abs(row["delta"]) < tolerance:
            unchanged.append(row)
        elif (row["delta"] > 0) == higher_better:
            improved.append(row)
        else:
            regressed.append(row)
    for path in LATENCY:
        row = _delta(path, lookup(cur_metrics, path), lookup(base_metrics, path))
        if row is None:
            continue
        big = abs(row["delta"]) >= LATENCY_ABSOLUTE_MS and abs(row["delta"]) >= LATENCY_RELATIVE * abs(row["baseline"] or 1)
        (regressed if big and row["delta"] > 0 else improved if big else unchanged).append(row)
    for label, pr in (lookup(cur_metrics, "per_class") or {}).items():
        for stat in ("precision", "recall"):
            path = f"per_class.{label}.{stat}"
            row = _delta(path, pr.get(stat), lookup(base_metrics, path))
            if row is None or abs(row["delta"]) < 0.005:
                continue
            (improved if row["delta"] > 0 else regressed).append(row)

    newly_failing = [_case_change(cur_records[i], base_records[i]) for i in common
                     if base_records[i]["passed"] and not cur_records[i]["passed"]]
    newly_passing = [_case_change(cur_records[i], base_records[i]) for i in common
                     if not base_records[i]["passed"] and cur_records[i]["passed"]]
    changed_outcome = [_case_change(cur_records[i], base_records[i]) for i in common
                       if cur_records[i]["outcome"] != base_records[i]["outcome"]]
    return {
        "baseline_meta": baseline.get("meta", {}),
        "baseline_metrics": base_metrics,
        "current_metrics": cur_metrics,
        "same_cases": same_cases,
        "common_cases": len(common),
        "new_cases": [i for i in cur_records if i not in base_records],
        "missing_cases": [i for i in base_records if i not in cur_records],
        "improved": improved,
        "regressed": regressed,
        "unchanged": unchanged,
        "newly_failing": newly_failing,
        "newly_passing": newly_passing,
        "changed_outcome": changed_outcome,
    }


def _delta(path: str, current: Any, baseline: Any) -> dict[str, Any] | None:
    if not isinstance(current, (int, float)) or not isinstance(baseline, (int, float)):
        return None
    if math.isnan(current) or math.isnan(baseline):
        return None
    return {"metric": path, "baseline": baseline, "current": current, "delta": current - baseline}


def _case_change(cur: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": cur["id"],
        "category": cur["category"],
        "baseline_outcome": base["outcome"],
        "current_outcome": cur["outcome"],
        "failures": cur["failures"],
        "baseline_failures": base.get("failures", []),
    }


def slim(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Records for a baseline file: everything metrics need, without long texts and quotes."""
    out = []
    for r in records:
        r = dict(r)
        r["text"] = (r.get("text") or "")[:300]
        r["citations"] = [{k: c.get(k) for k in ("n", "doc_id", "chunk_id")} for c in r.get("citations", [])]
        if r.get("support"):
            r["support"] = {**r["support"], "unsupported": [
                {k: s.get(k) for k in ("sentence", "share", "missing_numbers")} for s in r["support"]["unsupported"]
            ]}
        out.append(r)
    return out
