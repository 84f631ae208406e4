"""Fit the staff console's similarity constants on data the team did not write, and validate apart.

    python -m evals.calibrate_console              # fit, validate, save to library/calibration/
    python -m evals.calibrate_console --no-save    # only report

**Gap clusters** (``ConsoleCalibration.gap_similarity``). Unanswered questions that one new document
would answer should fall into one cluster. The score is pairwise F1: of the question pairs put
together, how many belong together, and of those that belong together, how many were put together.
Fitted on the web-page libraries' patient questions (``evals/libraries/web_*``: together when their
first answering document is the same), which are phrased as patients phrase them. Reported, never
fitted on: MedQuAD dev questions (together when about the same condition, its ``focus``; templated,
so another style) and the frozen patient-wording set (``evals/frozen/patient_wording.jsonl``).

**Near-duplicate passages** (``duplicate_meaning``, ``duplicate_text``). A passage that is a live
one lightly edited (a sentence dropped, a word or a number changed) must be flagged; a different
passage of the same library, however close in topic, must not. MedQuAD answers (first ~150 words) give
both: each answer's nearest *other* answer (not one of its ``equivalent_doc_ids``, not the same text)
is a negative; the answer edited is a positive. Each threshold is the lowest that flags at most
``FALSE_FLAG_BUDGET`` of the negatives of the fit sources (GARD, NIDDK); recall and false flags are
then reported on the held-out sources (NHLBI, CDC).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

EVALS_DIR = Path(__file__).resolve().parent
MEDQUAD = EVALS_DIR.parent.parent / "shared" / "datasets" / "medquad-dev"
FIT_SOURCES = ("GARD", "NIDDK")
HELD_OUT_SOURCES = ("NHLBI", "CDC")
FALSE_FLAG_BUDGET = 0.01
GRID = np.round(np.arange(0.30, 0.905, 0.025), 3)
PASSAGE_WORDS = 150
SEED = 7


def pairwise_f1(groups: list[list[int]], labels: list[str]) -> float:
    """F1 over pairs: a pair is predicted together when it shares a group, truly when it shares a label."""
    predicted = {i: g for g, members in enumerate(groups) for i in members}
    tp = fp = fn = 0
    n = len(labels)
    for i in range(n):
        for j in range(i + 1, n):
            same_true, same_pred = labels[i] == labels[j], predicted[i] == predicted[j]
            tp += same_true and same_pred
            fp += same_pred and not same_true
            fn += same_true and not same_pred
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def web_questions() -> list[tuple[str, str]]:
    out = []
    for path in sorted((EVALS_DIR / "libraries").glob("web_*/questions.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("covered") and row.get("docs"):
                out.append((row["question"], f"{path.parent.name}/{row['docs'][0]}"))
    return out


def medquad_questions(focuses: int = 120, per_focus: int = 6) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (MEDQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    by_focus: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_focus[r["focus"]].append(r["question"])
    rng = random.Random(SEED)
    chosen = rng.sample(sorted(f for f, qs in by_focus.items() if len(qs) >= 2), focuses)
    return [(q, f) for f in chosen for q in by_focus[f][:per_focus]]


def patient_wording_questions() -> list[tuple[str, str]]:
    """The frozen patient-wording set (written blind, from a topic list): validation only, never fitted on."""
    out = []
    for line in (EVALS_DIR / "frozen" / "patient_wording.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("covered") and row.get("docs"):
            out.append((row["question"], row["docs"][0]))
    return out


def fit_gaps(embed) -> tuple[float, dict[str, float]]:
    """The threshold with the best pairwise F1 on the web-page libraries' patient questions (patients'
    own phrasing, as gap questions are). Reported, never fitted on: MedQuAD (templated questions,
    another style) and the frozen patient-wording set."""
    from library.similarity import average_linkage

    def f1(rows, vectors, t):
        return pairwise_f1(average_linkage(vectors, float(t)), [lab for _, lab in rows])

    fit = web_questions()
    fit_vectors = embed([q for q, _ in fit])
    curve = {float(t): f1(fit, fit_vectors, t) for t in GRID}
    best = max(curve, key=lambda t: (round(curve[t], 3), -t))
    figures = {"gap_pairwise_f1_fit_web_libraries": round(curve[best], 3), "gap_fit_questions": len(fit)}
    for name, rows in (("medquad", medquad_questions()), ("frozen_patient_wording", patient_wording_questions())):
        figures[f"gap_pairwise_f1_heldout_{name}"] = round(f1(rows, embed([q for q, _ in rows]), best), 3)
        figures[f"gap_heldout_questions_{name}"] = len(rows)
    return best, figures


def _passage(text: str) -> str:
    return " ".join(text.split()[:PASSAGE_WORDS])


def _edit(text: str, rng: random.Random) -> str:
    """The passage lightly edited, as a revised copy of a page would be."""
    from library.text import sentence_spans

    sentences = [span.of(text) for span in sentence_spans(text)]
    if len(sentences) >= 3:
        sentences.pop(rng.randrange(1, len(sentences)))
    edited = " ".join(sentences)
    edited = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), edited, count=1)
    words = edited.split()
    if len(words) > 10:
        words[rng.randrange(len(words))] = rng.choice(["often", "usually", "also", "may"])
    return " ".join(words)


def shingle_containment(new: str, old: str) -> float:
    from library.similarity import containment

    return containment(new, old)


def duplicate_pairs(embed, sources: tuple[str, ...], limit: int, rng: random.Random):
    """(negative meaning, negative text, positive meaning, positive text) similarities."""
    docs = [json.loads(line) for line in (MEDQUAD / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    questions = {json.loads(line)["doc_id"]: json.loads(line) for line in (MEDQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()}
    pool = [d for d in docs if d["doc_id"].split("-")[0] in sources and len(d["text"].split()) >= 40]
    pool = rng.sample(pool, min(limit, len(pool)))
    texts = [_passage(d["text"]) for d in pool]
    vectors = embed(texts)
    sim = vectors @ vectors.T
    np.fill_diagonal(sim, -1)
    neg_m, neg_t = [], []
    for i, d in enumerate(pool):
        same = set(questions.get(d["doc_id"], {}).get("equivalent_doc_ids") or [])
        order = np.argsort(-sim[i])
        j = next(int(j) for j in order if pool[j]["doc_id"] not in same and texts[j] != texts[i])
        neg_m.append(float(sim[i, j]))
        neg_t.append(shingle_containment(texts[i], texts[j]))
    edited = [_edit(t, rng) for t in texts]
    ev = embed(edited)
    pos_m = [float(x) for x in np.sum(ev * vectors, axis=1)]
    pos_t = [shingle_containment(e, t) for e, t in zip(edited, texts)]
    return np.array(neg_m), np.array(neg_t), np.array(pos_m), np.array(pos_t)


def lowest_within_budget(negatives: np.ndarray, grid: np.ndarray) -> float:
    for t in grid:
        if np.mean(negatives >= t) <= FALSE_FLAG_BUDGET:
            return float(t)
    return float(grid[-1])


def fit_duplicates(embed) -> tuple[float, float, dict[str, float]]:
    rng = random.Random(SEED)
    nm, nt, pm, pt = duplicate_pairs(embed, FIT_SOURCES, 1500, rng)
    meaning = lowest_within_budget(nm, np.round(np.arange(0.80, 0.995, 0.005), 3))
    text = lowest_within_budget(nt, np.round(np.arange(0.30, 0.96, 0.05), 2))
    hm, ht, hpm, hpt = duplicate_pairs(embed, HELD_OUT_SOURCES, 800, rng)

    def flagged(m, t):
        return (m >= meaning) | (t >= text)

    return meaning, text, {
        "duplicate_recall_fit": round(float(np.mean(flagged(pm, pt))), 3),
        "duplicate_false_flags_fit": round(float(np.mean(flagged(nm, nt))), 3),
        "duplicate_recall_heldout": round(float(np.mean(flagged(hpm, hpt))), 3),
        "duplicate_false_flags_heldout": round(float(np.mean(flagged(hm, ht))), 3),
        "duplicate_heldout_passages": len(hm),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate_console", description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-save", action="store_true", help="only report")
    args = parser.parse_args(argv)
    if not (MEDQUAD / "docs.jsonl").is_file():
        print(f"error: {MEDQUAD} is missing (see its README)", file=sys.stderr)
        return 2
    from library.calibration import Calibration
    from library.embedder import load_embedder
    from library.settings import Settings

    settings = Settings()
    embedder = load_embedder(settings.embedding_model, threads=2)

    def embed(texts):
        return np.asarray(embedder.embed(list(texts)), dtype=np.float32)

    gap, gap_figures = fit_gaps(embed)
    print(json.dumps({"gap_similarity": gap, **gap_figures}), flush=True)
    meaning, text, dup_figures = fit_duplicates(embed)
    measured = {**gap_figures, **dup_figures}
    print(json.dumps({"gap_similarity": gap, "duplicate_meaning": meaning, "duplicate_text": text, "measured": measured}, indent=2))
    if not args.no_save:
        calibration = Calibration.for_model(settings.embedding_model).model_copy(deep=True)
        calibration.model = calibration.model or settings.embedding_model
        calibration.console = calibration.console.model_copy(
            update={
                "gap_similarity": gap, "duplicate_meaning": meaning, "duplicate_text": text, "measured": measured,
                "fitted_on": ["evals/libraries/web_* questions (gaps)", f"MedQuAD dev {'+'.join(FIT_SOURCES)} answers (duplicates)"],
            }
        )
        print(f"saved {calibration.save()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
