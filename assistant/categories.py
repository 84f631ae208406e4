"""Every outcome category of a message, declared once.

Triage decides a category; this table says what that category means everywhere else: which wins
when several apply, which answer kind it becomes, which patient message it shows, how staff see it,
how the evals count it, and whether it goes on to retrieval. ``types``, triage, the pipeline, the
UI, the staff records and the evals all read it from here, so a new category is one row here, one
template in ``prompts/messages/`` and its examples in ``assistant/triage/data/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AnswerKind = Literal["answer", "no_evidence", "refusal", "crisis"]
RefusalReason = Literal["medical_advice", "out_of_scope", "illicit", "manipulation"]


@dataclass(frozen=True)
class Category:
    name: str
    precedence: int
    """Lower wins when a message fits several categories."""
    kind: AnswerKind
    refusal_reason: RefusalReason | None
    message: str | None
    """Template in prompts/messages/ (``NAME.md.j2``); None: the answer is composed from the library."""
    staff_label: str
    eval_class: str
    """The outcome class the evals and triage report count it as."""
    retrieves: bool = False
    """Goes on to retrieval: an ordinary question, or personal advice that gets general information."""
    counts_as_crisis: bool = False
    """Counted in the staff console's crisis figures (a crisis message, not the turns after it)."""
    resources: str | None = None
    """Extra help lines shown after the crisis lines: a list field of the clinic profile."""
    detected: bool = True
    """Decided by the triage rules and classifier (False: by the guard or the conversation)."""
    otherwise: str | None = None
    """For a category that retrieves: the template shown instead of "not covered" when the library
    has nothing on it (a question about the assistant itself gets its own short description)."""


CATEGORIES: tuple[Category, ...] = (
    Category("crisis", 0, "crisis", None, "crisis", "Crisis", "crisis", counts_as_crisis=True),
    Category("self_harm", 1, "crisis", None, "crisis", "Crisis: self-harm", "crisis", counts_as_crisis=True, resources="self_harm_resources"),
    Category("eating_disorder", 2, "crisis", None, "crisis", "Crisis: eating disorder", "crisis", counts_as_crisis=True, resources="eating_disorder_resources"),
    Category("crisis_followup", 3, "crisis", None, "crisis_followup", "After a crisis message", "crisis_followup", detected=False),
    Category("manipulation", 10, "refusal", "manipulation", "refusal_manipulation", "Refused: rule-breaking attempt", "manipulation"),
    Category("illicit", 11, "refusal", "illicit", "refusal_illicit", "Refused: use outside medical care", "illicit"),
    Category("medical_advice", 12, "refusal", "medical_advice", "refusal_medical_advice", "Refused: personal medical advice", "medical_advice", retrieves=True),
    Category("out_of_scope", 13, "refusal", "out_of_scope", "refusal_out_of_scope", "Refused: off topic", "out_of_scope"),
    Category("small_talk", 20, "no_evidence", None, "small_talk", "Greeting or thanks", "ok"),
    Category("about_the_assistant", 24, "answer", None, None, "Question about the assistant", "ok", retrieves=True, otherwise="small_talk"),
    Category("empty", 21, "no_evidence", None, "empty_input", "Empty or unreadable message", "ok", detected=False),
    Category("too_long", 22, "no_evidence", None, "too_long", "Message too long", "ok", detected=False),
    Category("ok", 30, "answer", None, None, "Question", "answer", retrieves=True),
)

BY_NAME: dict[str, Category] = {c.name: c for c in CATEGORIES}
NAMES: tuple[str, ...] = tuple(c.name for c in CATEGORIES)
CRISIS_NAMES: frozenset[str] = frozenset(c.name for c in CATEGORIES if c.kind == "crisis" and c.detected)
"""The categories of a message that is itself a crisis (not the conversation after one)."""
DETECTED: tuple[str, ...] = tuple(c.name for c in sorted(CATEGORIES, key=lambda c: c.precedence) if c.detected)
"""What triage's rules and classifier can decide, in precedence order."""
REFUSALS: frozenset[str] = frozenset(c.name for c in CATEGORIES if c.kind == "refusal")


def category(name: str) -> Category:
    return BY_NAME[name]


def first_by_precedence(names: object) -> str | None:
    """The winning category among ``names`` (any iterable of category names), or None."""
    present = [BY_NAME[n] for n in names if n in BY_NAME]  # type: ignore[union-attr]
    return min(present, key=lambda c: c.precedence).name if present else None
