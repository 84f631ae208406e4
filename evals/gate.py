"""The CI gate: thresholds from evals/gate.yaml, checked against a run's metrics."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from evals.metrics import lookup

GATE_FILE = Path(__file__).resolve().parent / "gate.yaml"


class GateConfigError(ValueError):
    """gate.yaml is broken."""


@dataclass(frozen=True)
class Check:
    metric: str
    bound: str  # "min" or "max"
    threshold: float
    value: float | None

    @property
    def passed(self) -> bool:
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return False
        return self.value >= self.threshold if self.bound == "min" else self.value <= self.threshold

    def describe(self) -> str:
        sign = ">=" if self.bound == "min" else "<="
        shown = "not measured" if self.value is None else f"{self.value:.4g}"
        return f"{'ok  ' if self.passed else 'FAIL'} {self.metric} = {shown} (needs {sign} {self.threshold:g})"


def load_thresholds(path: Path = GATE_FILE) -> dict[str, dict[str, float]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise GateConfigError(f"{path}: cannot read: {exc}") from exc
    thresholds = data.get("thresholds")
    if not isinstance(thresholds, dict) or not thresholds:
        raise GateConfigError(f"{path}: needs a non-empty 'thresholds' mapping")
    for metric, bounds in thresholds.items():
        if not isinstance(bounds, dict) or not set(bounds) <= {"min", "max"} or not bounds:
            raise GateConfigError(f"{path}: {metric}: give min and/or max, e.g. {{min: 0.9}}")
        for value in bounds.values():
            if not isinstance(value, (int, float)):
                raise GateConfigError(f"{path}: {metric}: thresholds must be numbers")
    return thresholds


def check(metrics: Mapping[str, Any], thresholds: Mapping[str, Mapping[str, float]]) -> list[Check]:
    checks = []
    for metric, bounds in thresholds.items():
        value = lookup(metrics, metric)
        value = float(value) if isinstance(value, (int, float)) else None
        for bound, threshold in bounds.items():
            checks.append(Check(metric, bound, float(threshold), value))
    return checks
