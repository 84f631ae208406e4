"""Fit answerability on some libraries, validate it on others the fit never saw.

    python -m evals.calibrate                 # fit on FIT, validate on VALIDATE, save the calibration
    python -m evals.calibrate --no-save       # only report

Each library is indexed (``data/calibration/<name>``), and each of its labelled questions retrieved
without triage; the signals of ``assistant/evidence.py`` are computed for what was retrieved. A
question counts as answerable when it is covered and a right document is among the best three
passages (a covered question whose answer retrieval missed is left out of the fit: answering it
from the wrong passages is not what we want to learn), and as unanswerable when it is not covered.

The fit is a logistic regression with each library weighted equally, so a big library does not
decide the decision for a small one. The threshold is the one with the best mean, over the fit
libraries, of each library's balanced accuracy (covered answered, uncovered abstained). The weights, bias
and threshold go to the embedding model's calibration file (``library/calibration/``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from evals.foreign import FIT, VALIDATE, LibraryCase, build, medquad_available

EVALS_DIR = Path(__file__).resolve().parent


def own_library(work: Path) -> tuple[Path, list[LibraryCase]]:
    """The clinic's own corpus with the golden set's answerable and uncovered questions (tuned on)."""
    import yaml

    from evals.cases import load_cases

    cases = []
    for c in load_cases():
        if c.history:
            continue
        if c.category == "answer" and c.expected_docs:
            cases.append(LibraryCase(c.id, c.question, True, list(c.expected_docs)))
        elif c.category == "no_evidence":
            cases.append(LibraryCase(c.id, c.question, False))
    paraphrases = yaml.safe_load((EVALS_DIR.parent / "tests" / "data" / "assistant_retrieval.yaml").read_text(encoding="utf-8"))
    for i, q in enumerate(paraphrases.get("questions", []), 1):
        cases.append(LibraryCase(f"paraphrase-{i}", q["q"], True, list(q["expected"])))
    return EVALS_DIR.parent / "corpus", cases


class _PassThrough:
    def classify(self, question, vector=None):
        from assistant.triage.normalise import normalise
        from assistant.types import TriageDecision

        return TriageDecision(category="ok", rule="calibration", clean_text=normalise(question.text, 2000).text)


def collect(name: str, settings: Any, embedder: Any, work: Path) -> list[dict[str, Any]]:
    """Signals and labels of one library's questions."""
    from assistant.pipeline import Pipeline
    from ingest.indexing import ingest

    if name == "own":
        corpus, cases = own_library(work)
    else:
        library = build(name, work / name.replace("/", "_"))
        corpus, cases = library.corpus, library.cases
    index = Path(settings.data_dir) / "calibration" / name.replace("/", "_")
    ingest(corpus, index, settings, embedder)
    pipeline = Pipeline.load(settings, index, embedder=embedder, triage=_PassThrough())
    rows = []
    for case in cases:
        text = case.question
        vector = embedder.embed([text])[0]
        passages = pipeline.retriever.search(text, vector)
        features = pipeline.evidence.features(text, passages, vector)
        retrieved = [p.doc_id for p in passages[:3]]
        label = 0 if not case.covered else (1 if set(retrieved) & set(case.docs) else None)
        rows.append({"library": name, "id": case.id, "question": text, "covered": case.covered, "label": label, "features": features})
    return rows


def fit(rows: list[dict[str, Any]], features: tuple[str, ...]) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    usable = [r for r in rows if r["label"] is not None]
    x = np.array([[r["features"][f] for f in features] for r in usable])
    y = np.array([r["label"] for r in usable])
    libraries = sorted({r["library"] for r in usable})
    weights = np.zeros(len(usable))
    for lib in libraries:  # each library, and each class within it, weighs the same
        for label in (0, 1):
            idx = [i for i, r in enumerate(usable) if r["library"] == lib and r["label"] == label]
            if idx:
                weights[idx] = 1.0 / (len(idx) * len(libraries) * 2)
    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit(x, y, sample_weight=weights * len(usable))
    return model.coef_[0], float(model.intercept_[0])


def probabilities(rows: list[dict[str, Any]], coef: np.ndarray, bias: float, features: tuple[str, ...]) -> np.ndarray:
    x = np.array([[r["features"][f] for f in features] for r in rows])
    return 1.0 / (1.0 + np.exp(-(x @ coef + bias)))


def rates(rows: list[dict[str, Any]], p: np.ndarray, threshold: float) -> dict[str, float]:
    covered = [i for i, r in enumerate(rows) if r["covered"]]
    retrievable = [i for i, r in enumerate(rows) if r["label"] == 1]
    uncovered = [i for i, r in enumerate(rows) if not r["covered"]]
    return {
        "covered_answered": float(np.mean(p[covered] >= threshold)) if covered else float("nan"),
        "retrievable_answered": float(np.mean(p[retrievable] >= threshold)) if retrievable else float("nan"),
        "uncovered_abstained": float(np.mean(p[uncovered] < threshold)) if uncovered else float("nan"),
        "covered": len(covered),
        "uncovered": len(uncovered),
    }


def choose_threshold(rows: list[dict[str, Any]], p: np.ndarray) -> float:
    """The threshold with the best mean, over the fit libraries, of each library's balanced accuracy
    (covered questions answered, uncovered ones abstained, weighed alike)."""
    libraries = sorted({r["library"] for r in rows})
    best, best_t = -1.0, 0.5
    for t in np.linspace(0.05, 0.95, 91):
        scores = []
        for lib in libraries:
            idx = [i for i, r in enumerate(rows) if r["library"] == lib]
            r = rates([rows[i] for i in idx], p[idx], t)
            parts = [v for v in (r["retrievable_answered"], r["uncovered_abstained"]) if not np.isnan(v)]
            scores.append(float(np.mean(parts)))
        if np.mean(scores) > best:
            best, best_t = float(np.mean(scores)), float(t)
    return best_t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--work", type=Path, default=Path("data") / "calibration-libraries")
    parser.add_argument("--dump", type=Path, default=None, help="write every row (features, labels) as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from assistant.evidence import FEATURES
    from library.calibration import Calibration, EvidenceCalibration
    from library.embedder import load_embedder
    from library.settings import Settings

    settings = Settings()
    embedder = load_embedder(settings.embedding_model, settings.embedding_batch_size, settings.ingest_threads)
    names = [n for n in (*FIT, *VALIDATE) if not n.startswith("medquad/") or medquad_available()]
    rows: list[dict[str, Any]] = []
    for name in names:
        started = time.perf_counter()
        got = collect(name, settings, embedder, args.work)
        rows += got
        print(f"{name}: {len(got)} questions ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if args.dump:
        args.dump.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    fit_rows = [r for r in rows if r["library"] in FIT]
    coef, bias = fit(fit_rows, FEATURES)
    p_fit = probabilities(fit_rows, coef, bias, FEATURES)
    threshold = choose_threshold(fit_rows, p_fit)
    p_all = probabilities(rows, coef, bias, FEATURES)
    print("weights: " + ", ".join(f"{f} {w:+.3f}" for f, w in zip(FEATURES, coef)) + f", bias {bias:+.3f}, threshold {threshold:.2f}")
    print(f"\n{'library':16} {'kind':9} {'covered':>7} {'answered':>9} {'retrievable answered':>21} {'uncovered':>9} {'abstained':>9}")
    for name in names:
        idx = [i for i, r in enumerate(rows) if r["library"] == name]
        r = rates([rows[i] for i in idx], p_all[idx], threshold)
        kind = "fit" if name in FIT else "VALIDATE"
        print(f"{name:16} {kind:9} {r['covered']:7d} {r['covered_answered']:9.3f} {r['retrievable_answered']:21.3f} {r['uncovered']:9d} {r['uncovered_abstained']:9.3f}")
    if not args.no_save:
        calibration = Calibration.for_model(settings.embedding_model).model_copy(deep=True)
        calibration.model = settings.embedding_model
        calibration.evidence = EvidenceCalibration(
            weights={f: round(float(w), 4) for f, w in zip(FEATURES, coef)},
            bias=round(bias, 4),
            threshold=round(threshold, 3),
            fitted_on=[n for n in names if n in FIT],
        )
        print(f"\nsaved {calibration.save()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
