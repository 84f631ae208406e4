"""Safety triage: the stage every message passes before retrieval.

Two layers, both deterministic and both explained in the decision they produce:

1. **Patterns** over a normalised view of the text (accents folded, leetspeak, stretched letters,
   censoring and common misspellings of a few crisis words mapped to their plain form). They
   describe linguistic structure rather than listing messages: *who* (I, my brother, she) ×
   *intent* (want to, going to, keep thinking about) × *act* (die, end it, take my life), or
   *personal framing* (should I, my dose, I'm on...) × *medical decision* (dose, stopping a medicine,
   eligibility, own symptoms).
2. **Nearest neighbours** over labelled example messages (``prompts/triage_examples.yaml``, data that
   staff extend), embedded with the same model as the library. The closest examples vote.

Precedence: crisis > manipulation > illicit > medical_advice > out_of_scope > ok. Crisis wins from
either layer, with a deliberately low bar for the neighbour vote: when in doubt, it is a crisis.
An optional second opinion (any callable, e.g. an LLM wrapped elsewhere) may add a refusal or a
crisis, and can never remove a crisis.

The patterns live in ``assistant.triage_patterns`` and the labelled examples and neighbour vote in
``assistant.triage_knn``; this module holds the stage itself (``Triage``), its precedence logic and
the names other modules import.
"""

from __future__ import annotations

import logging
import re
from typing import Callable, Sequence

import numpy as np

from assistant.guard import guard
from assistant.triage_knn import (
    EXAMPLES_PATH,
    ExamplesError,
    KnnParams,
    KnnVote,
    LabelledExample,
    NearestExamples,
    load_examples,
)
from assistant.triage_patterns import (
    _DOSE,
    _MEDS,
    _PERSONAL_ASK,
    _TREATMENT,
    LABELS,
    PRECEDENCE,
    PatternHit,
    Rule,
    canonical,
    fold,
    pattern_hits,
)
from assistant.types import Question, TriageDecision, Turn
from library.embedder import Embedder
from library.settings import Settings

__all__ = [
    "EXAMPLES_PATH",
    "LABELS",
    "PRECEDENCE",
    "ExamplesError",
    "KnnParams",
    "KnnVote",
    "LabelledExample",
    "NearestExamples",
    "PatternHit",
    "Rule",
    "SecondOpinion",
    "Triage",
    "canonical",
    "fold",
    "load_examples",
    "message_name",
    "pattern_hits",
]

log = logging.getLogger(__name__)

SecondOpinion = Callable[[str], "str | None"]
"""Takes the cleaned message, returns a category (one of LABELS) or None for no opinion."""


# ============================================================================ the stage


_SHORT_REPLY_WORDS = 8
_ELLIPTICAL = re.compile(r"^\s*(?:and|but|so|also|ok so|okay so|then|what about|how about|same|even)\b|\b(?:for me|in my case|what about me|and me|those|these|that one|which one|which of)\b", re.IGNORECASE)
_ADVICE_TOPIC = re.compile(rf"{_DOSE}|{_TREATMENT}|{_MEDS}|\bdose\b", re.IGNORECASE)


class Triage:
    """Decides, for every message, whether it goes on to retrieval or gets a safe response."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        examples: Sequence[LabelledExample] | None = None,
        second_opinion: SecondOpinion | None = None,
        params: KnnParams = KnnParams(),
    ):
        self.settings = settings
        self.embedder = embedder
        self.knn = NearestExamples(embedder, load_examples() if examples is None else examples, params)
        self.params = params
        self.second_opinion = second_opinion

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder, second_opinion: SecondOpinion | None = None) -> "Triage":
        """Triage with the packaged labelled examples (prompts/triage_examples.yaml)."""
        return cls(settings, embedder, load_examples(), second_opinion)

    def classify_batch(self, questions: Sequence[Question]) -> list[TriageDecision]:
        """Classify many messages with one batched embedding call (evaluation, --jsonl)."""
        texts = [guard(q.text, self.settings.max_question_chars).text for q in questions]
        parts = [_sentences_for_crisis(t) if t and self.params.sentence_level else [] for t in texts]
        flat: list[str] = []
        for text, sentence_parts in zip(texts, parts):
            if text:
                flat += [text, *sentence_parts]
        vectors = iter(self.embedder.embed(flat) if flat else [])
        decisions = []
        for question, text, sentence_parts in zip(questions, texts, parts):
            if not text:
                decisions.append(self.decide(question, None))
                continue
            vote = self.knn.vote(next(vectors))
            sentence_votes = [self.knn.vote(next(vectors)) for _ in sentence_parts]
            decisions.append(self.decide(question, vote, sentence_votes))
        return decisions

    def classify(self, question: Question, vector: np.ndarray | None = None) -> TriageDecision:
        """The triage decision for one message. ``vector``: its embedding, when already computed
        (the pipeline shares it with retrieval); otherwise it is computed here. A message of two
        or more sentences costs one more, batched, embedding call for its sentences."""
        text = guard(question.text, self.settings.max_question_chars).text
        if not text:
            return self.decide(question, None)
        if vector is None:
            vector = self.embedder.embed([text])[0]
        # The sentences of a longer message are embedded apart from the whole: batched together,
        # every short sentence would be padded to the length of the long message.
        parts = _sentences_for_crisis(text) if self.params.sentence_level else []
        part_vectors = self.embedder.embed(parts) if parts else []
        return self.decide(question, self.knn.vote(vector), [self.knn.vote(v) for v in part_vectors])

    def decide(self, question: Question, vote: KnnVote | None, sentence_votes: Sequence[KnnVote] = ()) -> TriageDecision:
        """The decision given the neighbour vote for the message (None: no text) and, for longer
        messages, for each of its sentences. Separate from ``classify`` so that evaluation can
        vote with an example left out."""
        checked = guard(question.text, self.settings.max_question_chars)
        text = checked.text
        crisis_hits = pattern_hits(text, ["crisis"]) if text else []
        if crisis_hits:
            return self._decision("crisis", f"crisis.pattern:{crisis_hits[0].rule}", 1.0, [f"matched: {crisis_hits[0].excerpt}"], text)
        if checked.problem in ("empty", "unreadable") or vote is None:
            if self._after_crisis(question.history):
                return self._decision("crisis", "crisis.followup", 1.0, [], text)
            return self._decision("unreadable", f"guard:{checked.problem or 'empty'}", 1.0, [], text)

        after_crisis = self._after_crisis(question.history)
        small_talk = len(text.split()) <= 6 and bool(_SMALL_TALK.search(fold(text)))
        if (not small_talk or after_crisis) and vote.is_crisis(self.params, relax=0.08 if after_crisis else 0.0):
            score = max(vote.best.get("crisis", 0.0), vote.shares.get("crisis", 0.0))
            return self._decision("crisis", "crisis.knn", score, vote.describe(), text)
        for part in sentence_votes:
            if part.best.get("crisis", 0.0) >= self.params.sentence_single or (
                part.shares.get("crisis", 0.0) >= self.params.sentence_share
                and part.best.get("crisis", 0.0) >= self.params.sentence_similarity
            ):
                score = max(part.best.get("crisis", 0.0), part.shares.get("crisis", 0.0))
                return self._decision("crisis", "crisis.knn_sentence", score, part.describe(), text)
        if after_crisis and len(text.split()) <= _SHORT_REPLY_WORDS:
            return self._decision("crisis", "crisis.followup", 1.0, vote.describe(), text)
        if checked.problem == "too_long":
            return self._decision("unreadable", "guard:too_long", 1.0, [], text)
        if _ONLY_SMALL_TALK.match(text):  # "hi", "thanks!": not a question the library could fail to cover
            return self._decision("small_talk", "small_talk", 1.0, [], text)

        decision = self._refusal_or_ok(text, vote, question.history)
        return self._ask_second_opinion(decision)

    # ------------------------------------------------------------------ helpers

    def _refusal_or_ok(self, text: str, vote: KnnVote, history: Sequence[Turn]) -> TriageDecision:
        hits = pattern_hits(text, PRECEDENCE[1:-1])
        if not hits and _is_elliptical_follow_up(text, history):
            # "and for me?", "which of those should I be on?": read with the question before it
            previous = fold(_last_user_text(history))
            hits = [PatternHit(h.category, f"{h.rule}+history", h.excerpt) for h in pattern_hits(f"{previous} {text}", ["medical_advice"])]
            if not hits and _ADVICE_TOPIC.search(previous) and re.search(_PERSONAL_ASK, fold(text)):
                hits = [PatternHit("medical_advice", "personal_follow_up", text[:80])]
        knn_label = vote.refusal(self.params)
        candidates: dict[str, tuple[str, float, list[str]]] = {}
        for hit in hits:
            candidates.setdefault(hit.category, (f"{hit.category}.pattern:{hit.rule}", 1.0, [f"matched: {hit.excerpt}"] + vote.describe()))
        if knn_label in ("medical_advice", "illicit") and _is_general_question(text):
            knn_label = None  # a general question is answered, whatever it resembles; patterns still apply
        # Patterns are precise; a neighbour vote outranks them only when it is clear.
        if knn_label and knn_label not in candidates and (not candidates or vote.share >= self.params.override_share):
            candidates[knn_label] = (f"{knn_label}.knn", vote.share, vote.describe())
        if not candidates and _far_from_domain(text, vote, self.params, _last_user_text(history)):
            candidates["out_of_scope"] = ("out_of_scope.far_from_domain", 1.0 - vote.in_domain_similarity(), vote.describe())
        for category in PRECEDENCE[1:-1]:
            if category in candidates:
                rule, score, examples = candidates[category]
                return self._decision(category, rule, score, examples, text)
        return self._decision("ok", "ok.knn" if vote.label == "ok" else f"ok.default(knn:{vote.label})", vote.share, vote.describe(), text)

    def _after_crisis(self, history: Sequence[Turn]) -> bool:
        """Did the conversation just touch a crisis? Then short replies stay in crisis care."""
        if not history:
            return False
        recent_users = [t.content for t in history if t.role == "user"][-2:]
        if any(pattern_hits(guard(t, self.settings.max_question_chars).text, ["crisis"]) for t in recent_users):
            return True
        last_assistant = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        return any(
            (r.name and r.name in last_assistant) or (r.how and r.how in last_assistant)
            for r in self.settings.clinic.crisis_resources
        )

    def _ask_second_opinion(self, decision: TriageDecision) -> TriageDecision:
        if self.second_opinion is None or decision.category == "crisis":
            return decision
        try:
            opinion = self.second_opinion(decision.clean_text)
        except Exception:  # noqa: BLE001 - an optional helper failing must never break triage
            log.warning("triage second opinion failed; keeping the deterministic decision", exc_info=True)
            return decision
        if opinion == "crisis":
            return decision.model_copy(update={"category": "crisis", "rule": f"crisis.second_opinion(was {decision.rule})"})
        if opinion in PRECEDENCE[1:-1] and decision.category == "ok":
            return decision.model_copy(update={"category": opinion, "rule": f"{opinion}.second_opinion(was {decision.rule})"})
        return decision

    @staticmethod
    def _decision(category: str, rule: str, score: float, examples: list[str], text: str) -> TriageDecision:
        return TriageDecision(category=category, rule=rule, score=round(float(min(max(score, 0.0), 1.0)), 4), examples=examples, clean_text=text)


_DOMAIN_WORDS = re.compile(
    r"\b(?:ketamin\w*|ketamina|cetamina|esketamin\w*|spravato|ketalar|infusions?|treatments?|therap\w*|depress\w*|ptsd|trauma\w*|anxi\w*|ocd|bipolar|mental|mood|suicid\w*|self.?harm|clinic\w*|appointments?|sessions?|doses?|dosage|dosing|mg|medications?|medicines?|meds|pills?|prescri\w*|doctors?|psychiatr\w*|nurses?|side effects?|nmda|glutamate|bdnf|brain|neuro\w*|dissociat\w*|k-?hole|rems|ect|tms|ssris?|antidepressant\w*|insurance|pregnan\w*|breastfeed\w*|drugs?|overdos\w*|addict\w*|die|dying|death|dead|hurt|pain|sleep|feel\w*|nause\w*|blood|bladder|stud(?:y|ies)|research|trials?|evidence|safe\w*|risk\w*|health|symptoms?|spray|nasal|iv|phases?|maintenance|induction|boosters?|protocol|intake|referral|consult\w*|providers?|medicare|medicaid|patients?|library|sources?|citations?|references?|google|answers?|off-label|fda|label|scales?|scores?|oximeter|monitor\w*|live|living|alive|life|any ?more|hopeless|worthless|alone|lonely|kill\w*|tired|sad|scared|afraid|cry\w*|go on|give up)\b",
    re.IGNORECASE,
)
# A message that is nothing but a greeting, thanks or a short acknowledgement.
_ONLY_SMALL_TALK = re.compile(
    r"^\W*(?:(?:hi|hello|hey|thanks|thank you|thank you so much|thanks a lot|many thanks|thx|ty|ok|okay|cool|"
    r"great|got it|bye|goodbye|good (?:morning|afternoon|evening))(?:\s+(?:there|again|so much|a lot))?\W*)+$",
    re.IGNORECASE,
)
_SMALL_TALK = re.compile(r"^\W*(?:hi|hello|hey|thanks|thank you|thx|ty|ok|okay|yes|no|yeah|yep|nope|bye|goodbye|cool|great|got it|sure|please|good (?:morning|afternoon|evening))\b", re.IGNORECASE)


_GENERAL_FORM = re.compile(r"^\W*(?:what|what'?s|whats|how (?:does|do|is|are|long|often|many|much|fast|soon|quickly)|why|is|are|does|do|can|could|will|would|which|who|when|has|have|should (?:people|patients|someone))\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i'?m|im|i'?ve|ive|i'?d|i'?ll|me|my|mine|myself|we|we'?re|our|us)\b", re.IGNORECASE)


def _is_general_question(text: str) -> bool:
    """A question about the subject in general: a question form, and nobody in it but the subject."""
    folded = fold(text)
    return bool(_GENERAL_FORM.search(folded)) and not _FIRST_PERSON.search(folded)


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n+|,\s+(?:but|and|because|so|cause|cuz|though)\s+", re.IGNORECASE)
_MAX_SENTENCES = 12


def _sentences_for_crisis(text: str) -> list[str]:
    """The parts of a longer message worth a crisis vote of their own: a crisis mixed into an
    ordinary question is diluted in the embedding of the whole message."""
    parts = [p.strip() for p in _SENTENCE_SPLIT.split(text[:4000]) if len(p.split()) >= 3]
    if len(parts) < 2:
        return []
    if len(parts) > _MAX_SENTENCES:
        parts = parts[: _MAX_SENTENCES // 2] + parts[-_MAX_SENTENCES // 2 :]
    return parts


_DEFINITION = re.compile(r"\b(?:mean|means|meaning|stand for|stands for|definition|acronym|abbreviation)\b", re.IGNORECASE)


def _far_from_domain(text: str, vote: KnnVote, params: KnnParams, previous: str = "") -> bool:
    """Nothing in the message (or, for a follow-up, in the question before it) touches the clinic's
    subject, an off-topic example is nearer than any in-scope one, and none of those is near.
    Conservative on purpose: an off-topic question let through only finds no evidence, while a
    patient's question wrongly called off-topic goes unanswered."""
    folded = fold(f"{previous}\n{text}")
    if _DOMAIN_WORDS.search(folded) or _SMALL_TALK.search(fold(text)) or _DEFINITION.search(fold(text)):
        return False
    if vote.best.get("out_of_scope", 0.0) < vote.in_domain_similarity() + params.domain_margin:
        return False
    if vote.label == "crisis" or vote.shares.get("crisis", 0.0) >= 0.34:
        return False  # distress rarely uses the clinic's vocabulary: never call it off-topic
    return vote.in_domain_similarity() < params.domain_similarity


def _last_user_text(history: Sequence[Turn]) -> str:
    return next((t.content for t in reversed(history) if t.role == "user"), "")


def _is_elliptical_follow_up(text: str, history: Sequence[Turn]) -> bool:
    return bool(history) and len(text.split()) <= 12 and bool(_ELLIPTICAL.search(text)) and bool(_last_user_text(history))


def message_name(decision: TriageDecision) -> str | None:
    """The template in prompts/messages/ that answers a decision that does not go on to retrieval."""
    if decision.category == "crisis":
        return "crisis"
    if decision.category == "unreadable":
        return "too_long" if decision.rule == "guard:too_long" else "empty_input"
    if decision.category == "small_talk":
        return "small_talk"
    if decision.category in ("medical_advice", "illicit", "manipulation", "out_of_scope"):
        return f"refusal_{decision.category}"
    return None
