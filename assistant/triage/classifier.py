"""The semantic classifier: a second, independent view of every message, learned from thousands of
labelled examples (``assistant/triage/data/*.jsonl``) rather than written as rules.

Two linear models, averaged, so that neither decides alone:

- over the message's sentence embedding (the same packaged model as the library): meaning, in any
  wording;
- over hashed word and character n-grams: spelling, slang and typos that the embedding blurs.

Both are multinomial logistic regressions, trained by ``python -m assistant.triage.train`` and
shipped as small ``.npz`` files in ``assistant/triage/model/``, keyed by the embedding model and by
a hash of the training data. With no shipped model for the embedder in use (a test's fake
embedder), or a stale one, the classifier is trained in memory at start-up instead (seconds).

A long message is read in windows (``normalise.windows``); the crisis score is the highest over
its windows, so risk anywhere in a long story is not diluted by the rest of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from assistant.categories import CRISIS_NAMES
from library.embedder import Embedder

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
MODEL_DIR = HERE / "model"

CLASSES: tuple[str, ...] = ("ok", "crisis", "medical_advice", "illicit", "manipulation", "out_of_scope", "small_talk")
"""What the main models tell apart. Self-harm and eating disorders are crisis here (one class, so
that its probability is not split three ways); which of them a crisis is about is a second model's
question (``CONCERNS``), asked only of crisis messages."""
CONCERNS: tuple[str, ...] = tuple(sorted(CRISIS_NAMES, key=lambda n: ("crisis", "self_harm", "eating_disorder").index(n)))
LABELS: tuple[str, ...] = (*CLASSES, *[c for c in CONCERNS if c not in CLASSES])
"""Every label a training example may carry."""
NGRAM_FEATURES = 2**18


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    subtype: str = ""
    source: str = ""


class ExamplesError(ValueError):
    """A training-data file is broken; the message says where."""


def load_examples(folder: Path = DATA_DIR) -> list[Example]:
    """Every labelled example under ``folder`` (``*.jsonl``: one ``{text, label, subtype?, source?}`` per line)."""
    out: list[Example] = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ExamplesError(f"{path}:{n}: not valid JSON: {exc.msg}") from exc
            text, label = item.get("text"), item.get("label")
            if not isinstance(text, str) or not text.strip():
                raise ExamplesError(f"{path}:{n}: text: needs a non-empty message")
            if label not in LABELS:
                raise ExamplesError(f"{path}:{n}: label: {label!r} is not one of {', '.join(LABELS)}")
            out.append(Example(text.strip(), label, str(item.get("subtype") or ""), str(item.get("source") or path.stem)))
    return out


def data_hash(examples: Sequence[Example]) -> str:
    h = hashlib.sha256()
    for e in examples:
        h.update(f"{e.label}\0{e.text}\1".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


# ============================================================================ features


def _hasher():
    from sklearn.feature_extraction.text import HashingVectorizer

    return (
        HashingVectorizer(n_features=NGRAM_FEATURES, analyzer="word", ngram_range=(1, 2), alternate_sign=False, norm=None, lowercase=True),
        HashingVectorizer(n_features=NGRAM_FEATURES, analyzer="char_wb", ngram_range=(3, 5), alternate_sign=False, norm=None, lowercase=True),
    )


def ngram_features(texts: Sequence[str]):
    """Sparse word (1-2) and character (3-5) n-gram counts, hashed into one space, l2-normalised."""
    from sklearn.preprocessing import normalize

    words, chars = _hasher()
    matrix = words.transform(texts) + chars.transform(texts)
    matrix.data = np.log1p(matrix.data)
    return normalize(matrix)


# ============================================================================ models


@dataclass
class LinearModel:
    """softmax(x · Wᵀ + b) over ``classes``. ``columns``: for a sparse model, the feature index of
    each column of W (features never seen in training have weight 0 and are not stored)."""

    classes: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    columns: np.ndarray | None = None

    def probabilities(self, x) -> np.ndarray:
        if self.columns is not None:
            logits = self._sparse_logits(x)
        else:
            logits = np.asarray(x, dtype=np.float32) @ self.weights.T.astype(np.float32) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def _sparse_logits(self, x) -> np.ndarray:
        """x (CSR rows) against the stored columns: only the message's own few features are looked up."""
        columns = self.columns
        weights = self.weights.astype(np.float32)
        out = np.tile(self.bias.astype(np.float32), (x.shape[0], 1))
        for row in range(x.shape[0]):
            lo, hi = x.indptr[row], x.indptr[row + 1]
            index, value = x.indices[lo:hi], x.data[lo:hi]
            at = np.searchsorted(columns, index)
            at = np.minimum(at, len(columns) - 1)
            known = columns[at] == index
            if known.any():
                out[row] += weights[:, at[known]] @ value[known].astype(np.float32)
        return out


def main_class(label: str) -> str:
    return "crisis" if label in CRISIS_NAMES else label


def fit_linear(x, labels: Sequence[str], c: float, sparse: bool, classes: Sequence[str] = CLASSES) -> LinearModel:
    """A multinomial logistic regression (scikit-learn), stored as plain arrays."""
    from sklearn.linear_model import LogisticRegression

    present = [c_ for c_ in classes if c_ in set(labels)]
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, list(labels))
    order = [list(model.classes_).index(c_) for c_ in present]
    weights, bias = model.coef_[order], model.intercept_[order]
    if len(present) == 2 and model.coef_.shape[0] == 1:  # binary: scikit-learn keeps one row
        weights = np.vstack([-model.coef_[0], model.coef_[0]]) / 2
        bias = np.array([-model.intercept_[0], model.intercept_[0]]) / 2
    columns = None
    if sparse:
        columns = np.flatnonzero(np.abs(weights).sum(axis=0) > 0)
        weights = weights[:, columns]
    return LinearModel(tuple(present), weights.astype(np.float16 if sparse else np.float32), bias.astype(np.float32), columns)


@dataclass
class Scores:
    """The classifier's view of one message."""

    probabilities: dict[str, float]
    """Per class, for the whole message (the average of both models)."""
    crisis: float
    """The highest total crisis probability over the message's windows."""
    crisis_class: str
    """The crisis class with the most weight in that window."""
    crisis_window: str = ""
    crisis_agreement: float = 0.0
    """The lower of the two models' crisis probabilities in that window: both must see risk for
    the classifier to decide alone (each model has its own blind spots: the embedding one reads
    "drowning in unpaid bills" as risk, the n-gram one is fooled by a single word)."""

    def top(self) -> tuple[str, float]:
        label = max(self.probabilities, key=self.probabilities.get)
        return label, self.probabilities[label]


class RiskClassifier:
    def __init__(self, dense: LinearModel, ngram: LinearModel, concern: LinearModel, version: str):
        self.dense = dense
        self.ngram = ngram
        self.concern = concern  # over the dense features: crisis, self-harm or eating disorder
        self.version = version

    # ------------------------------------------------------------------ loading
    @classmethod
    def for_embedder(cls, embedder: Embedder, folder: Path = DATA_DIR, model_dir: Path = MODEL_DIR) -> "RiskClassifier":
        """The shipped model for this embedder when it matches the training data; else trained now."""
        examples = load_examples(folder)
        version = data_hash(examples)
        name = embedder_key(embedder)
        key = (name, version)
        with _LOCK:
            if key in _CACHE:
                return _CACHE[key]
            shipped = _read(model_dir / f"{name}.npz", version)
            if shipped is None:
                if name == embedder_key_for_real_model():
                    log.warning("triage classifier for %s is missing or older than its data: training in memory; run python -m assistant.triage.train", name)
                shipped = train(embedder, examples)
            _CACHE[key] = shipped
            return shipped

    # ------------------------------------------------------------------ scoring
    def score(self, windows: Sequence[str], vectors: np.ndarray) -> Scores:
        """Scores of one message from its windows (the first is the whole message, or its start)."""
        if not windows:
            return Scores({c: 0.0 for c in CLASSES}, 0.0, "crisis")
        dense, ngram = self.model_probabilities(windows, vectors)
        probs = (dense + ngram) / 2
        per_window = probs[:, CLASSES.index("crisis")]
        best = int(np.argmax(per_window))
        agreement = float(min(dense[best, CLASSES.index("crisis")], ngram[best, CLASSES.index("crisis")]))
        concern = _expand(self.concern, self.concern.probabilities(np.asarray(vectors)[best : best + 1]), CONCERNS)[0]
        crisis_class = CONCERNS[int(np.argmax(concern))]
        whole = probs[0]
        return Scores(
            {c: float(whole[i]) for i, c in enumerate(CLASSES)},
            float(per_window[best]),
            crisis_class,
            windows[best][:200],
            agreement,
        )

    def probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """(len(texts), len(CLASSES)): the two models' average."""
        dense, ngram = self.model_probabilities(texts, vectors)
        return (dense + ngram) / 2

    def model_probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each model's (len(texts), len(CLASSES)) probabilities."""
        dense = _expand(self.dense, self.dense.probabilities(np.asarray(vectors)))
        ngram = _expand(self.ngram, self.ngram.probabilities(ngram_features(texts)))
        return dense, ngram


def _expand(model: LinearModel, probs: np.ndarray, classes: Sequence[str] = CLASSES) -> np.ndarray:
    out = np.zeros((probs.shape[0], len(classes)), dtype=np.float32)
    for j, c in enumerate(model.classes):
        out[:, list(classes).index(c)] = probs[:, j]
    return out


# ============================================================================ training and storage

DENSE_C = 4.0
NGRAM_C = 8.0

_CACHE: dict[tuple[str, str], RiskClassifier] = {}
_LOCK = threading.Lock()


def embedder_key(embedder: Embedder) -> str:
    return str(getattr(embedder, "name", type(embedder).__name__)).replace("/", "_")


def embedder_key_for_real_model() -> str:
    from library.settings import Settings

    return Settings.model_fields["embedding_model"].default


def train(embedder: Embedder, examples: Sequence[Example], vectors: np.ndarray | None = None) -> RiskClassifier:
    texts = [e.text for e in examples]
    labels = [main_class(e.label) for e in examples]
    vectors = embedder.embed(texts) if vectors is None else vectors
    dense = fit_linear(vectors, labels, DENSE_C, sparse=False)
    ngram = fit_linear(ngram_features(texts), labels, NGRAM_C, sparse=True)
    crisis = [i for i, e in enumerate(examples) if e.label in CONCERNS]
    concern = fit_linear(vectors[crisis], [examples[i].label for i in crisis], DENSE_C, sparse=False, classes=CONCERNS)
    return RiskClassifier(dense, ngram, concern, data_hash(examples))


def save(model: RiskClassifier, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        version=np.array(model.version),
        classes=np.array(CLASSES),
        dense_classes=np.array(model.dense.classes),
        dense_w=model.dense.weights,
        dense_b=model.dense.bias,
        ngram_classes=np.array(model.ngram.classes),
        ngram_w=model.ngram.weights,
        ngram_b=model.ngram.bias,
        ngram_columns=model.ngram.columns.astype(np.int32),
        concern_classes=np.array(model.concern.classes),
        concern_w=model.concern.weights,
        concern_b=model.concern.bias,
    )


def _read(path: Path, version: str) -> RiskClassifier | None:
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if str(data["version"]) != version:
            return None
        dense = LinearModel(tuple(str(c) for c in data["dense_classes"]), data["dense_w"], data["dense_b"])
        ngram = LinearModel(tuple(str(c) for c in data["ngram_classes"]), data["ngram_w"], data["ngram_b"], data["ngram_columns"].astype(np.int64))
        concern = LinearModel(tuple(str(c) for c in data["concern_classes"]), data["concern_w"], data["concern_b"])
    return RiskClassifier(dense, ngram, concern, version)
