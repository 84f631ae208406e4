"""Safety triage: normalise once, then rules and a learned classifier, combined recall first.

    normalise.py   every view of a message, built once
    rules/         the deterministic detectors, one file per category
    classifier.py  the semantic classifier, learned from data/ (trained by train.py)
    followup.py    the one follow-up detector, shared with retrieval
    stage.py       the stage: combines them into a TriageDecision
"""

from __future__ import annotations

from assistant.categories import category
from assistant.triage.stage import SecondOpinion, Triage, is_general_question
from assistant.types import TriageDecision

__all__ = ["SecondOpinion", "Triage", "is_general_question", "message_name"]


def message_name(decision: TriageDecision) -> str | None:
    """The template in prompts/messages/ that answers a decision, or None when it is composed."""
    return category(decision.category).message
