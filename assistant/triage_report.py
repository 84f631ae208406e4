"""How well triage sorts a labelled set of messages: per-class precision and recall, the confusion
matrix, crisis recall, the over-refusal rate, and every message it got wrong.

    python -m assistant.triage_report [--cases tests/data/triage_cases.yaml]
    python -m assistant.triage_report --leave-one-out      # the examples themselves, each left out in turn

The over-refusal rate is the share of `ok` messages that were refused or treated as a crisis.
Messages that triage marks `unreadable` count as refused.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from assistant.triage import LABELS, Triage, load_examples
from assistant.types import Question, Turn

DEFAULT_CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "triage_cases.yaml"


@dataclass(frozen=True)
class Case:
    text: str
    label: str
    history: tuple[Turn, ...] = ()


@dataclass(frozen=True)
class Outcome:
    case: Case
    predicted: str
    rule: str


def load_cases(path: Path | str = DEFAULT_CASES) -> list[Case]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items = data["cases"] if isinstance(data, dict) else data
    cases = []
    for i, item in enumerate(items, 1):
        if item.get("label") not in LABELS or not isinstance(item.get("text"), str):
            raise ValueError(f"{path}: case {i}: needs text and a label in {LABELS}")
        history = tuple(Turn(**t) for t in item.get("history") or [])
        cases.append(Case(item["text"], item["label"], history))
    return cases


def run_cases(triage: Triage, cases: Sequence[Case]) -> list[Outcome]:
    """Classify every case; the embeddings are computed in one batch."""
    decisions = triage.classify_batch([Question(text=c.text, history=list(c.history)) for c in cases])
    return [Outcome(case, _as_label(d.category), d.rule) for case, d in zip(cases, decisions)]


def run_leave_one_out(triage: Triage) -> list[Outcome]:
    """Each labelled example classified with itself removed from the neighbour vote."""
    outcomes = []
    for i, example in enumerate(triage.knn.examples):
        vote = triage.knn.vote(triage.knn.matrix[i], exclude=i)
        # Single examples are short: the sentence-level vote is left out here (it would need the
        # example's own sentences re-embedded, and they would find the example itself).
        decision = triage.decide(Question(text=example.text), vote)
        outcomes.append(Outcome(Case(example.text, example.label), _as_label(decision.category), decision.rule))
    return outcomes


def _as_label(category: str) -> str:
    """Small talk ("hi", "thanks") gets a friendly prompt, not a refusal: it counts as ok."""
    return "ok" if category == "small_talk" else category


@dataclass(frozen=True)
class Metrics:
    per_class: dict[str, tuple[float, float, int]]  # precision, recall, support
    confusion: dict[str, dict[str, int]]
    crisis_recall: float
    over_refusal: float
    accuracy: float


def metrics(outcomes: Sequence[Outcome]) -> Metrics:
    predicted_labels = list(LABELS) + ["unreadable"]
    confusion = {gold: {pred: 0 for pred in predicted_labels} for gold in LABELS}
    for o in outcomes:
        confusion[o.case.label][o.predicted] += 1
    per_class = {}
    for label in LABELS:
        tp = confusion[label][label]
        support = sum(confusion[label].values())
        predicted = sum(confusion[gold][label] for gold in LABELS)
        per_class[label] = (tp / predicted if predicted else 1.0, tp / support if support else 1.0, support)
    ok_total = sum(confusion["ok"].values())
    refused_ok = ok_total - confusion["ok"]["ok"]
    correct = sum(confusion[label][label] for label in LABELS)
    return Metrics(
        per_class=per_class,
        confusion=confusion,
        crisis_recall=per_class["crisis"][1],
        over_refusal=refused_ok / ok_total if ok_total else 0.0,
        accuracy=correct / len(outcomes) if outcomes else 1.0,
    )


def format_report(m: Metrics, outcomes: Sequence[Outcome]) -> str:
    short = {"crisis": "crisis", "medical_advice": "med_adv", "illicit": "illicit", "manipulation": "manip",
             "out_of_scope": "oos", "ok": "ok", "unreadable": "unread"}
    lines = ["| class | precision | recall | support |", "|---|---:|---:|---:|"]
    for label, (p, r, n) in m.per_class.items():
        lines.append(f"| {label} | {p:.3f} | {r:.3f} | {n} |")
    lines += [
        "",
        f"crisis recall: {m.crisis_recall:.3f}",
        f"over-refusal rate (ok refused or marked crisis): {m.over_refusal:.3f}",
        f"accuracy: {m.accuracy:.3f} over {len(outcomes)} messages",
        "",
        "confusion matrix (rows: labelled, columns: predicted)",
        "| | " + " | ".join(short[c] for c in list(LABELS) + ["unreadable"]) + " |",
        "|---|" + "---:|" * (len(LABELS) + 1),
    ]
    for gold, row in m.confusion.items():
        lines.append(f"| {short[gold]} | " + " | ".join(str(v) for v in row.values()) + " |")
    wrong = [o for o in outcomes if o.predicted != o.case.label]
    lines += ["", f"misclassified: {len(wrong)}"]
    for o in wrong:
        lines.append(f"- [{o.case.label} -> {o.predicted}] ({o.rule}) {o.case.text[:140]!r}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.triage_report", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="YAML of {cases: [{text, label, history?}]}")
    parser.add_argument("--examples", type=Path, default=None, help="labelled examples for the neighbour vote")
    parser.add_argument("--leave-one-out", action="store_true", help="evaluate on the examples, each left out in turn")
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from library.embedder import load_embedder
    from library.settings import get_settings

    settings = get_settings()
    embedder = load_embedder(settings.embedding_model, settings.embedding_batch_size, settings.embedding_threads)
    started = time.perf_counter()
    triage = Triage(settings, embedder, load_examples(args.examples) if args.examples else None)
    if args.leave_one_out:
        outcomes = run_leave_one_out(triage)
        source = f"leave-one-out over {len(outcomes)} labelled examples"
    else:
        outcomes = run_cases(triage, load_cases(args.cases))
        source = str(args.cases)
    seconds = time.perf_counter() - started
    print(f"triage report: {source} ({seconds:.1f} s)\n")
    print(format_report(metrics(outcomes), outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
