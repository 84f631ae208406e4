"""Train the triage classifier and calibrate its crisis thresholds.

    python -m assistant.triage.train            # train, report 5-fold cross-validation, save the model
    python -m assistant.triage.train --check    # exit 1 if the shipped model is older than its data

Data: the labelled examples in ``assistant/triage/data/`` (written for this, from the class
definitions only), plus, when ``../shared/datasets/medquad-dev`` is there, a sample of its NIH
consumer-health questions as ordinary questions (``--medquad``), so that any health library's
questions read as ordinary. The frozen sets in ``evals/frozen/`` and the public sets in
``evals/public/`` are never read here.

Thresholds are chosen on cross-validated probabilities (each example scored by a model that never
saw it), recall first: ``crisis_alone`` is the highest threshold at which the classifier alone still
finds ``--recall`` of the crisis examples, and ``crisis_with_weak_signal`` the one for
``--recall-with-weak``. They go to the embedding model's calibration file (``library/calibration/``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from assistant.categories import CRISIS_NAMES
from assistant.triage.classifier import (
    CLASSES,
    DATA_DIR,
    DENSE_C,
    MODEL_DIR,
    NGRAM_C,
    Example,
    _expand,
    _read,
    data_hash,
    embedder_key,
    fit_linear,
    load_examples,
    main_class,
    ngram_features,
    save,
    train,
)
from library.calibration import Calibration

REPO = Path(__file__).resolve().parent.parent.parent
MEDQUAD_QUESTIONS = REPO.parent / "shared" / "datasets" / "medquad-dev" / "questions.jsonl"


def medquad_examples(n: int, seed: int = 5) -> list[Example]:
    """``n`` NIH consumer-health questions (MedQuAD dev, CC BY 4.0) as ordinary questions."""
    if n <= 0 or not MEDQUAD_QUESTIONS.is_file():
        return []
    rows = [json.loads(line) for line in MEDQUAD_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(seed).shuffle(rows)
    return [Example(r["question"].replace(" ?", "?"), "ok", "medquad", "medquad-dev") for r in rows[:n]]


def cross_validated(vectors: np.ndarray, texts: list[str], labels: list[str], folds: int = 5, seed: int = 13) -> np.ndarray:
    """Out-of-fold class probabilities (n, len(CLASSES)) of the two models, averaged."""
    y = np.array([main_class(label) for label in labels])
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(y), dtype=int)
    for label in set(y):  # stratified
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        fold_of[idx] = np.arange(len(idx)) % folds
    grams = ngram_features(texts)
    out = np.zeros((len(y), len(CLASSES)), dtype=np.float32)
    for f in range(folds):
        train_idx, test_idx = np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)
        dense = fit_linear(vectors[train_idx], y[train_idx], DENSE_C, sparse=False)
        ngram = fit_linear(grams[train_idx], y[train_idx], NGRAM_C, sparse=True)
        out[test_idx] = (_expand(dense, dense.probabilities(vectors[test_idx])) + _expand(ngram, ngram.probabilities(grams[test_idx]))) / 2
    return out


def threshold_for_recall(scores: np.ndarray, recall: float) -> float:
    """The highest threshold at which at least ``recall`` of ``scores`` are at or above it."""
    if not len(scores):
        return 0.5
    ordered = np.sort(scores)[::-1]
    k = max(1, int(np.ceil(recall * len(ordered))))
    return float(ordered[k - 1])


REFUSAL_CLASSES = ("medical_advice", "illicit", "manipulation", "out_of_scope")
FALSE_REFUSAL_BUDGET = {"medical_advice": 0.01, "illicit": 0.002, "manipulation": 0.002, "out_of_scope": 0.02}
"""The share of ordinary questions (cross-validated) each refusal may wrongly catch, by what that
costs the patient: a personal-advice refusal still carries the library's general, cited answer; an
off-topic refusal is only given when the library has no answer anyway; illicit and manipulation
refusals give no answer at all, so they get the smallest budget."""


def refusal_threshold(probs: np.ndarray, labels: list[str], name: str, max_false: float) -> tuple[float, float, float]:
    """The lowest probability of refusal class ``name`` (when it is the classifier's top class) at
    which at most ``max_false`` of the ordinary questions would be refused as ``name``, from
    out-of-fold scores. Returns (threshold, recall of the class, false refusals on ok)."""
    col = CLASSES.index(name)
    top = probs.argmax(axis=1) == col
    p = probs[:, col]
    y = np.array(labels)
    ok, mine = y == "ok", y == name
    for t in np.round(np.arange(0.30, 0.91, 0.01), 2):
        false = float((top & ok & (p >= t)).sum() / max(1, ok.sum()))
        if false <= max_false:
            return float(t), float((top & mine & (p >= t)).sum() / max(1, mine.sum())), false
    return 0.9, float((top & mine & (p >= 0.9)).sum() / max(1, mine.sum())), float((top & ok & (p >= 0.9)).sum() / max(1, ok.sum()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.triage.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the shipped model matches the data")
    parser.add_argument("--recall", type=float, default=0.90, help="cross-validated crisis recall of the classifier alone")
    parser.add_argument("--recall-with-weak", type=float, default=0.98, help="the same, with a weak crisis rule")
    parser.add_argument(
        "--max-false-refusal", type=float, default=None, help="one share of ordinary questions for every refusal class (default: FALSE_REFUSAL_BUDGET)"
    )
    parser.add_argument("--medquad", type=int, default=1500, help="MedQuAD dev questions to add as ordinary (0: none)")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from library.embedder import load_embedder
    from library.settings import Settings

    settings = Settings()
    examples = load_examples(DATA_DIR)
    version = data_hash(examples)
    embedder = load_embedder(settings.embedding_model, settings.embedding_batch_size, settings.ingest_threads)
    path = MODEL_DIR / f"{embedder_key(embedder)}.npz"
    if args.check:
        ok = _read(path, version) is not None
        print(f"{path}: {'up to date' if ok else 'missing or older than assistant/triage/data (run python -m assistant.triage.train)'}")
        return 0 if ok else 1

    extra = medquad_examples(args.medquad)
    everything = examples + extra
    print(f"{len(examples)} examples + {len(extra)} MedQuAD dev questions: "
          + ", ".join(f"{k} {v}" for k, v in sorted(Counter(e.label for e in everything).items())))
    started = time.perf_counter()
    texts = [e.text for e in everything]
    labels = [e.label for e in everything]
    vectors = embedder.embed(texts)
    print(f"embedded in {time.perf_counter() - started:.1f} s")
    probs = cross_validated(vectors, texts, labels)
    main_labels = [main_class(label) for label in labels]
    predicted = [CLASSES[i] for i in probs.argmax(axis=1)]
    crisis_score = probs[:, CLASSES.index("crisis")]
    is_crisis = np.array([label in CRISIS_NAMES for label in labels])
    ok = np.array(main_labels) == "ok"

    print("\n5-fold cross-validation (each example scored by a model that never saw it):")
    print(f"{'class':16} {'precision':>9} {'recall':>7} {'n':>5}")
    for c in CLASSES:
        tp = sum(p == c and t == c for p, t in zip(predicted, main_labels))
        n_pred, n_true = predicted.count(c), main_labels.count(c)
        print(f"{c:16} {tp / n_pred if n_pred else float('nan'):9.3f} {tp / n_true if n_true else float('nan'):7.3f} {n_true:5d}")

    alone = threshold_for_recall(crisis_score[is_crisis], args.recall)
    with_weak = threshold_for_recall(crisis_score[is_crisis], args.recall_with_weak)
    print("\ncrisis threshold | crisis recall | false crisis on ok | on other classes")
    for t in sorted({0.2, 0.3, 0.4, 0.5, 0.6, 0.7, round(alone, 3), round(with_weak, 3)}):
        print(f"{t:16.3f} | {(crisis_score[is_crisis] >= t).mean():13.3f} | {(crisis_score[ok] >= t).mean():18.3f} | {(crisis_score[~is_crisis & ~ok] >= t).mean():.3f}")

    budget = {name: args.max_false_refusal if args.max_false_refusal is not None else FALSE_REFUSAL_BUDGET[name] for name in REFUSAL_CLASSES}
    refuse = {name: refusal_threshold(probs, main_labels, name, budget[name]) for name in REFUSAL_CLASSES}
    print("\nrefusal thresholds (each refuses at most its budget of ordinary questions):")
    print(f"{'class':16} {'budget':>7} {'threshold':>9} {'recall':>7} {'false on ok':>11}")
    for name, (t, recall, false) in refuse.items():
        print(f"{name:16} {budget[name]:7.3f} {t:9.2f} {recall:7.3f} {false:11.4f}")

    if args.no_save:
        return 0
    model = train(embedder, everything, vectors)
    model.version = version
    save(model, path)
    calibration = Calibration.for_model(settings.embedding_model).model_copy(deep=True)
    calibration.model = settings.embedding_model
    calibration.triage.crisis_alone = round(alone, 4)
    calibration.triage.crisis_with_weak_signal = round(min(with_weak, alone), 4)
    calibration.triage.refuse = {name: refuse[name][0] for name in REFUSAL_CLASSES if name != "out_of_scope"}
    calibration.triage.out_of_scope = refuse["out_of_scope"][0]
    written = calibration.save()
    print(f"\nsaved {path} ({path.stat().st_size // 1024} KB) and {written}")
    print(f"crisis_alone = {calibration.triage.crisis_alone}, crisis_with_weak_signal = {calibration.triage.crisis_with_weak_signal}")
    print(f"refuse = {calibration.triage.refuse}, out_of_scope = {calibration.triage.out_of_scope}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
