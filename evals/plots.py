"""The report's figures, drawn with matplotlib's Agg backend into PNG bytes."""

from __future__ import annotations

import io
import math
from typing import Any, Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def confusion_matrix(matrix: Mapping[str, Mapping[str, int]], title: str = "Expected vs actual outcome") -> bytes:
    labels = [label for label in matrix if sum(matrix[label].values()) or any(row[label] for row in matrix.values())]
    data = [[matrix[e][p] for p in labels] for e in labels]
    fig, ax = plt.subplots(figsize=(7.2, 6.0))
    image = ax.imshow(data, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=40, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("actual outcome")
    ax.set_ylabel("expected outcome")
    ax.set_title(title)
    peak = max((v for row in data for v in row), default=0) or 1
    for i, row in enumerate(data):
        for j, value in enumerate(row):
            if value:
                colour = "white" if value > peak / 2 else ("#b00020" if i != j else "black")
                ax.text(j, i, str(value), ha="center", va="center", color=colour, fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return _png(fig)


def scores_per_group(
    groups: Mapping[str, Mapping[str, float]], series: Sequence[str], title: str, xlabel: str
) -> bytes:
    names = list(groups)
    fig, ax = plt.subplots(figsize=(8.0, 4.2))
    width = 0.8 / max(1, len(series))
    for k, key in enumerate(series):
        values = [groups[n].get(key) for n in names]
        values = [0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values]
        bars = ax.bar([i + (k - (len(series) - 1) / 2) * width for i in range(len(names))], values, width, label=key)
        for bar, value in zip(bars, values):
            ax.text(bar.get_x() + bar.get_width() / 2, value + 0.01, f"{value:.2f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(names)), [f"{n}\n(n={groups[n].get('cases', '?')})" for n in names])
    ax.set_ylim(0, 1.12)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(series), fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def latency_histogram(values: Sequence[float], p50: float, p95: float, title: str = "Ask latency") -> bytes:
    fig, ax = plt.subplots(figsize=(8.0, 3.8))
    data = [v for v in values if v is not None]
    ax.hist(data, bins=min(40, max(5, len(data) // 4)), color="#4c78a8", alpha=0.85)
    for value, label, style in ((p50, "p50", "--"), (p95, "p95", ":")):
        if value is not None and not math.isnan(value):
            ax.axvline(value, color="#e45756", linestyle=style, label=f"{label} {value:.0f} ms")
    ax.set_xlabel("milliseconds per question (wall clock)")
    ax.set_ylabel("questions")
    ax.set_title(title)
    ax.legend()
    return _png(fig)
