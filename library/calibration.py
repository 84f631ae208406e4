"""Every tuned constant, in one place, keyed by the embedding model.

Similarities and probabilities mean different things under different embedding models, so each
model has its own calibration file, ``library/calibration/<model>.json``, written by the commands
that fit it (``python -m assistant.triage.train``, ``python -m evals.calibrate``) from labelled data,
and read here. A model with no file gets the defaults below, which are the values fitted for the
packaged model. ``Settings.calibration`` is the one the app uses; a test may pass its own.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"


class TriageCalibration(BaseModel):
    """Thresholds on the triage classifier's probabilities (``assistant/triage/classifier.py``)."""

    crisis_alone: float = Field(0.5, description="Total crisis probability that means crisis on its own.")
    crisis_alone_explained: float = Field(
        0.8,
        description="For the classifier alone, when the message is explained otherwise (a figure of speech, a request to harm someone else's property or privacy): the crisis probability needed.",
    )
    crisis_with_weak_signal: float = Field(0.2, description="The same, when a weak crisis rule (hopelessness, means at home) also fired.")
    crisis_agreement: float = Field(0.25, description="For the classifier alone: the least crisis probability each of its two models must give.")
    refuse: dict[str, float] = Field(
        default_factory=lambda: {"manipulation": 0.6, "illicit": 0.6, "medical_advice": 0.55},
        description="Probability of a refusal class that refuses, when it is also the classifier's top class: set by python -m assistant.triage.train so that each refuses at most its budget of ordinary questions (cross-validated; FALSE_REFUSAL_BUDGET there).",
    )
    advice_general_question: float = Field(0.85, description="For a general question (no person in it), the medical-advice probability needed.")
    out_of_scope: float = Field(0.6, description="Off-topic probability that turns a question the library cannot answer into an off-topic refusal (set by training, as for refuse).")


class EvidenceCalibration(BaseModel):
    """The answerability model (``assistant/evidence.py``): a logistic regression over signals that
    are comparable across libraries, fitted on several libraries and validated on others."""

    weights: dict[str, float] = Field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.5
    fitted_on: list[str] = Field(default_factory=list)


class ConsoleCalibration(BaseModel):
    """Similarities behind the staff console's gap clusters and near-duplicate warnings
    (``ui/gaps.py``, ``ui/prepublish.py``), fitted by ``python -m evals.calibrate_console`` on
    question sets and a library nobody on the team wrote."""

    gap_similarity: float = Field(
        0.35, description="Average cosine similarity at which two groups of unanswered questions are one gap (average linkage)."
    )
    duplicate_meaning: float = Field(
        0.96, description="Cosine similarity of two passages' embeddings at which a new passage is a near-duplicate of a live one."
    )
    duplicate_text: float = Field(
        0.9, description="Share of a new passage's word 5-grams found in one live passage at which it is a near-duplicate by text."
    )
    fitted_on: list[str] = Field(default_factory=list)
    measured: dict[str, float] = Field(default_factory=dict, description="What the fit measured, fitted and held-out sets apart.")


class Calibration(BaseModel):
    model: str = ""
    triage: TriageCalibration = Field(default_factory=TriageCalibration)
    evidence: EvidenceCalibration = Field(default_factory=EvidenceCalibration)
    console: ConsoleCalibration = Field(default_factory=ConsoleCalibration)

    @classmethod
    def for_model(cls, name: str) -> "Calibration":
        return _load(str(name))

    def save(self, folder: Path = CALIBRATION_DIR) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{_file_name(self.model)}.json"
        path.write_text(json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        _load.cache_clear()
        return path


def _file_name(model: str) -> str:
    return Path(str(model)).name.replace("/", "_") or "default"


@lru_cache(maxsize=8)
def _load(name: str) -> Calibration:
    path = CALIBRATION_DIR / f"{_file_name(name)}.json"
    if path.is_file():
        return Calibration.model_validate_json(path.read_text(encoding="utf-8"))
    return Calibration(model=name)
