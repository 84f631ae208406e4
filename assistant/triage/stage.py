"""The triage stage: every message passes here before retrieval.

Two independent layers read the normalised message, and their views are combined recall first:

1. **Rules** (``rules/``), one detector per warning sign, each giving a strong or a weak signal.
2. **The classifier** (``classifier.py``), learned from thousands of labelled examples.

Crisis (any of ``categories.CRISIS_NAMES``) when: a strong crisis rule fires; or two different weak
ones; or the classifier's crisis probability reaches ``crisis_alone``; or a weak rule fires and the
classifier reaches the lower ``crisis_with_weak_signal``. So no single miss decides: a new wording
that no rule knows can still be caught by the classifier, and a classifier blind spot by a rule.

Otherwise the refusal categories, by precedence (``categories.py``): rules first, and the
classifier when its top class is a refusal with a clear probability. A general question (a question
form with nobody in it) is not refused as personal advice on the classifier's word alone.

After a crisis, "ok" or "thanks" gets a short, warm reply that repeats the resources
(``crisis_followup``); any other message is triaged as usual. An optional second opinion (any
callable, e.g. an LLM wrapped elsewhere) may add a refusal or a crisis, and never remove a crisis.
"""

from __future__ import annotations

import logging
import re
from typing import Callable, Sequence

import numpy as np

from assistant.categories import CRISIS_NAMES, DETECTED, REFUSALS, first_by_precedence
from assistant.triage.classifier import RiskClassifier, Scores
from assistant.triage.followup import after_crisis, is_about_the_assistant, is_acknowledgement, is_reply_to_help, last_user_text, needs_context
from assistant.triage.normalise import Normalised, fold, normalise
from assistant.triage.rules import Signal, signals
from assistant.types import Question, TriageDecision, Turn
from library.calibration import TriageCalibration
from library.embedder import Embedder
from library.settings import Settings

log = logging.getLogger(__name__)

SecondOpinion = Callable[[str], "str | None"]
"""Takes the cleaned message, returns a category name or None for no opinion."""

_GENERAL_FORM = re.compile(
    r"^\W*(?:what|what'?s|whats|how (?:does|do|is|are|long|often|many|much|fast|soon|quickly)|why|is|are|does|do|can|could|will|would|which|who|when|where|has|have|should (?:people|patients|someone))\b",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\b(?:i|i'?m|im|i'?ve|ive|i'?d|i'?ll|me|my|mine|myself|we|we'?re|our|us|he|she|his|her|him|they'?re)\b",
    re.IGNORECASE,
)
_ADVICE_TOPIC = re.compile(r"\b(?:dose|doses|dosing|dosage|mg|ketamine|spravato|esketamine|infusions?|sessions?|treatments?|medications?|medicines?|meds|pills?)\b", re.IGNORECASE)
_PERSONAL_ASK = re.compile(r"\b(?:should|can|could|would|do|may|will|must) i\b|\bme\b|\bmy\b|\bfor me\b", re.IGNORECASE)


def is_general_question(text: str) -> bool:
    """A question about the subject in general: a question form, and no person in it."""
    folded = fold(text)
    return bool(_GENERAL_FORM.search(folded)) and not _PERSON.search(folded)


class Triage:
    """Decides, for every message, whether it goes on to retrieval or gets a safe response."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        classifier: RiskClassifier | None = None,
        calibration: TriageCalibration | None = None,
        second_opinion: SecondOpinion | None = None,
    ):
        self.settings = settings
        self.embedder = embedder
        self.classifier = classifier or RiskClassifier.for_embedder(embedder)
        self.calibration = calibration or settings.calibration.triage
        self.second_opinion = second_opinion

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder, second_opinion: SecondOpinion | None = None) -> "Triage":
        return cls(settings, embedder, second_opinion=second_opinion)

    # ------------------------------------------------------------------ entry points
    def classify(self, question: Question, vector: np.ndarray | None = None) -> TriageDecision:
        """The decision for one message. ``vector``: the embedding of ``question.text`` when the
        caller already has it (the pipeline shares it with retrieval)."""
        message = normalise(question.text, self.settings.max_question_chars)
        return self.decide(question, message, self._scores(message, vector))

    def classify_batch(self, questions: Sequence[Question]) -> list[TriageDecision]:
        """Many messages with one batched embedding call (evaluation, --jsonl)."""
        messages = [normalise(q.text, self.settings.max_question_chars) for q in questions]
        flat = [w for m in messages for w in m.windows]
        vectors = self.embedder.embed(flat) if flat else np.zeros((0, 1), dtype=np.float32)
        decisions, at = [], 0
        for question, message in zip(questions, messages):
            n = len(message.windows)
            scores = self.classifier.score(message.windows, vectors[at : at + n]) if n else None
            at += n
            decisions.append(self.decide(question, message, scores))
        return decisions

    def _scores(self, message: Normalised, vector: np.ndarray | None) -> Scores | None:
        windows = message.windows
        if not windows:
            return None
        # The first window is the whole message when it is short: its embedding is the one given.
        if vector is not None and windows[0] == message.text:
            rest = self.embedder.embed(list(windows[1:])) if len(windows) > 1 else np.zeros((0, len(vector)), dtype=np.float32)
            vectors = np.vstack([np.asarray(vector, dtype=np.float32).reshape(1, -1), rest]) if len(rest) else np.asarray(vector, dtype=np.float32).reshape(1, -1)
        else:
            vectors = self.embedder.embed(list(windows))
        return self.classifier.score(windows, vectors)

    # ------------------------------------------------------------------ the decision
    def decide(self, question: Question, message: Normalised, scores: Scores | None) -> TriageDecision:
        text = message.text
        if not text or scores is None or message.problem in ("empty", "unreadable"):
            return _decision("empty", f"guard:{message.problem or 'empty'}", 1.0, text)
        found = signals(message)
        history = question.history
        followed_crisis = after_crisis(history, self.settings.clinic.crisis_resources)
        crisis = self._crisis(found, scores)
        if crisis is not None:
            # Right after a crisis answer, a short reply that only the classifier finds risky is a
            # reply to the help given: it gets the warm follow-up, with the resources again.
            if followed_crisis and crisis.rule.endswith(".classifier") and len(text.split()) <= 14:
                return _decision("crisis_followup", "followup:after_crisis(classifier)", crisis.score, text, scores=scores)
            return crisis.model_copy(update={"clean_text": text})
        if followed_crisis and (is_acknowledgement(text) or is_reply_to_help(text)):
            return _decision("crisis_followup", "followup:after_crisis", 1.0, text, scores=scores)
        if message.problem == "too_long":
            return _decision("too_long", "guard:too_long", 1.0, text, scores=scores)
        if is_acknowledgement(text):
            return _decision("small_talk", "small_talk", 1.0, text, scores=scores)
        if is_about_the_assistant(text):
            # Answered from the library's own page about the assistant when it has one.
            return _decision("about_the_assistant", "about_the_assistant", 1.0, text, scores=scores)
        return self._ask_second_opinion(self._refusal_or_ok(text, found, scores, history))

    def _crisis(self, found: list[Signal], scores: Scores) -> TriageDecision | None:
        cal = self.calibration
        crisis_signals = [s for s in found if s.category in CRISIS_NAMES]
        strong = [s for s in crisis_signals if s.strength == "strong"]
        weak = [s for s in crisis_signals if s.strength == "weak"]
        history = [s for s in crisis_signals if s.strength == "history"]
        described = [f"{s.category}.{s.rule}: {s.excerpt}" for s in crisis_signals]
        if strong:
            name = first_by_precedence(s.category for s in strong)
            first = next(s for s in strong if s.category == name)
            return _decision(name, f"{name}.rule:{first.rule}", 1.0, "", described, scores)
        if len({s.rule for s in weak}) >= 2:
            name = first_by_precedence(s.category for s in weak)
            return _decision(name, "crisis.weak_signals:" + "+".join(sorted({s.rule for s in weak})), 1.0, "", described, scores)
        explained = any(s.category == "figure_of_speech" or (s.category, s.rule) == ("out_of_scope", "harm_to_others") for s in found)
        alone = cal.crisis_alone_explained if explained and not (weak or history) else cal.crisis_alone
        if scores.crisis >= alone and scores.crisis_agreement >= cal.crisis_agreement:
            return _decision(scores.crisis_class, f"{scores.crisis_class}.classifier", scores.crisis, "", [f"window: {scores.crisis_window}"], scores)
        if (weak or history) and scores.crisis >= cal.crisis_with_weak_signal:
            first = (weak or history)[0]
            name = first_by_precedence([first.category, scores.crisis_class])
            return _decision(name, f"{name}.weak_signal+classifier:{first.rule}", scores.crisis, "", described, scores)
        return None

    def _refusal_or_ok(self, text: str, found: list[Signal], scores: Scores, history: Sequence[Turn]) -> TriageDecision:
        cal = self.calibration
        candidates: dict[str, tuple[str, float, list[str]]] = {}
        for s in found:
            if s.category in REFUSALS:
                candidates.setdefault(s.category, (f"{s.category}.rule:{s.rule}", 1.0, [f"matched: {s.excerpt}"]))
        if "medical_advice" not in candidates and needs_context(text, history):
            # "and for me?", "which of those should I be on?": read with the question before it
            previous = last_user_text(history)
            earlier = signals(normalise(f"{previous}\n{text}", self.settings.max_question_chars), ["medical_advice"])
            if earlier or (_ADVICE_TOPIC.search(previous) and _PERSONAL_ASK.search(fold(text))):
                candidates["medical_advice"] = ("medical_advice.rule:personal_follow_up", 1.0, [f"with: {previous[:80]}"])
        top, p = scores.top()
        if top in cal.refuse and p >= cal.refuse[top] and top not in candidates:
            general = top == "medical_advice" and is_general_question(text) and p < cal.advice_general_question
            if not general:
                candidates[top] = (f"{top}.classifier", p, [])
        name = first_by_precedence(candidates)
        if name is not None:
            rule, score, notes = candidates[name]
            return _decision(name, rule, score, text, notes, scores)
        return _decision("ok", "ok", scores.probabilities.get("ok", 0.0), text, scores=scores)

    def _ask_second_opinion(self, decision: TriageDecision) -> TriageDecision:
        if self.second_opinion is None or decision.category in CRISIS_NAMES:
            return decision
        try:
            opinion = self.second_opinion(decision.clean_text)
        except Exception:  # noqa: BLE001 - an optional helper failing must never break triage
            log.warning("triage second opinion failed; keeping the deterministic decision", exc_info=True)
            return decision
        if opinion in CRISIS_NAMES:
            return decision.model_copy(update={"category": opinion, "rule": f"{opinion}.second_opinion(was {decision.rule})"})
        if opinion in DETECTED and opinion in REFUSALS and decision.category == "ok":
            return decision.model_copy(update={"category": opinion, "rule": f"{opinion}.second_opinion(was {decision.rule})"})
        return decision


def _decision(
    category: str,
    rule: str,
    score: float,
    text: str,
    notes: list[str] | None = None,
    scores: Scores | None = None,
) -> TriageDecision:
    return TriageDecision(
        category=category,
        rule=rule,
        score=round(float(min(max(score, 0.0), 1.0)), 4),
        examples=list(notes or []),
        clean_text=text,
        scores={k: round(v, 4) for k, v in scores.probabilities.items()} | {"crisis_total": round(scores.crisis, 4)} if scores else {},
    )
