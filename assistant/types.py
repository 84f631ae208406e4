"""The typed values that flow one way through the assistant:

    Question ──triage──▶ TriageDecision ──retrieval──▶ [Passage] ──composition──▶ Answer
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.categories import NAMES, AnswerKind, RefusalReason

TriageCategory = Literal[NAMES]  # type: ignore[valid-type]  # the rows of assistant/categories.py


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Question(BaseModel):
    """One patient message, with the conversation so far (oldest first)."""

    id: Any = None
    text: str
    history: list[Turn] = Field(default_factory=list)


class TriageDecision(BaseModel):
    """What triage decided about a message, and why: explainable, never an exception."""

    category: TriageCategory
    rule: str = Field(description="Which rule or classifier decided, e.g. 'crisis.pattern:kill_myself'.")
    score: float = Field(default=1.0, description="Confidence of the deciding signal, 0..1.")
    examples: list[str] = Field(default_factory=list, description="Nearest labelled examples, when used.")
    clean_text: str = Field(default="", description="The message after the input guard.")
    scores: dict[str, float] = Field(default_factory=dict, description="The triage classifier's probabilities, per class.")



class Passage(BaseModel):
    """A retrieved chunk of the library with its scores."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    topic: str = ""
    text: str
    url: str | None = None
    reviewed_on: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    score: float = Field(default=0.0, description="Fused retrieval score (higher is better).")
    dense: float = Field(default=0.0, description="Cosine similarity of the query to the chunk.")
    lexical: float = Field(default=0.0, description="BM25 score, normalised to 0..1 within the query.")


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    chunk_id: str
    quote: str = Field(description="The exact passage of the indexed chunk that the claim rests on.")
    url: str | None = None
    section: str = ""
    reviewed_on: str | None = None
    quote_start: int | None = Field(default=None, description="Where the quote starts in the chunk's text.")
    quote_end: int | None = Field(default=None, description="Where it ends: chunk_text[quote_start:quote_end] == quote.")
    spans: list[tuple[int, int]] = Field(
        default_factory=list, description="The exact character spans, in the chunk's text, of every sentence quoted from it."
    )


class QuoteSpan(BaseModel):
    n: int = Field(description="The citation number.")
    chunk_id: str
    start: int = Field(description="Offset in the chunk's text.")
    end: int


class Suggestion(BaseModel):
    """A library page offered when the question itself is not covered."""

    doc_id: str
    title: str
    url: str | None = None


class AnswerSentence(BaseModel):
    """One sentence of the answer as shown, with the citations and exact spans it rests on."""

    text: str = Field(description="The sentence as shown, without its citation marker.")
    citations: list[int] = Field(default_factory=list)
    spans: list[QuoteSpan] = Field(default_factory=list)
    role: Literal["claim", "framing", "list_item"] = Field(
        default="claim", description="claim: quotes the library; list_item: one item of a quoted list; framing: the assistant's own words (a refusal's opening)."
    )


class Answer(BaseModel):
    """The answer object of CONTRACT §3, plus a few extra, additive fields."""

    id: Any = None
    kind: AnswerKind
    refusal_reason: RefusalReason | None = None
    text: str
    citations: list[Citation] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    composer: str | None = Field(default=None, description="'extractive', 'llm', or None when nothing was composed.")
    corpus_version: str | None = None
    triage: TriageDecision | None = None
    notes: list[str] = Field(default_factory=list, description="How the answer was made: verifier drops, fallbacks.")
    sentences: list[AnswerSentence] = Field(
        default_factory=list, description="The cited sentences of the answer, in order, each with its citations and spans."
    )
    error: str | None = Field(default=None, description="Why a line of a --jsonl batch could not be read as a question.")
    suggestions: list[Suggestion] = Field(
        default_factory=list, description="Library pages a 'not covered' answer offers instead, as its text names them."
    )

    def contract_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
