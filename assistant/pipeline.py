"""The assistant, wired: message → guard and triage → retrieval → composition → Answer.

Models and the index load once per process (``Pipeline.load``); the CLI's ``--jsonl`` mode, the
app and the evals all share one loaded pipeline. Outcomes are values (``Answer.kind``), never
exceptions: whatever the message, ``ask`` returns an Answer.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.compose import Composer
from assistant.compose.extractive import ExtractiveComposer
from assistant.evidence import Evidence, EvidenceCheck
from assistant.messages import render
from assistant.retrieval import LibraryIndex, Retriever, SentenceVectors, contextual_query
from assistant.triage import Triage, message_name
from assistant.types import Answer, Passage, Question, TriageDecision
from library.embedder import Embedder, load_embedder
from library.redact import without_identifiers
from library.settings import Settings
from library.text import terms

log = logging.getLogger(__name__)

REFUSALS = {"medical_advice", "illicit", "manipulation", "out_of_scope"}


@dataclass
class Pipeline:
    settings: Settings
    embedder: Embedder
    index: LibraryIndex
    retriever: Retriever
    triage: Triage  # or anything with .classify(question, vector=None) -> TriageDecision
    composer: Composer
    fallback: ExtractiveComposer
    evidence: EvidenceCheck

    @classmethod
    def load(
        cls,
        settings: Settings,
        index_dir: Path | None = None,
        embedder: Embedder | None = None,
        chat_model: object | None = None,
        triage: object | None = None,
    ) -> "Pipeline":
        embedder = embedder or load_embedder(settings.embedding_model, settings.embedding_batch_size, settings.embedding_threads)
        index = LibraryIndex(settings, index_dir)
        sentence_vectors = SentenceVectors(index, embedder.embed)
        retriever = Retriever(index, settings, sentence_vectors=sentence_vectors)
        extractive = ExtractiveComposer(
            idf=lambda t: index.current().bm25.idf_of(t),
            sentence_vectors=sentence_vectors.of,
            max_sentences=settings.max_answer_sentences,
            min_similarity=settings.min_sentence_similarity,
        )
        composer: Composer = extractive
        if chat_model is not None or settings.llm.provider:
            from assistant.compose.llm import LLMComposer

            composer = LLMComposer.from_settings(settings, embedder, extractive, chat_model=chat_model)
        if triage is None:
            triage = Triage.from_settings(settings, embedder)
        evidence = EvidenceCheck(settings, idf=lambda t: index.current().bm25.idf_of(t))
        return cls(settings, embedder, index, retriever, triage, composer, extractive, evidence)

    # ------------------------------------------------------------------------------------------
    def ask(self, question: Question) -> Answer:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        try:
            answer = self._ask(question, timings)
        except Exception:  # a bug must never reach a patient as a stack trace
            log.exception("ask failed")
            answer = Answer(kind="no_evidence", text=render("error", self.settings.clinic))
        answer.id = question.id
        answer.timings_ms = {k: round(v, 2) for k, v in timings.items()}
        answer.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 2)
        return answer

    def _ask(self, question: Question, timings: dict[str, float]) -> Answer:
        clinic = self.settings.clinic
        # One embedding of the message serves both triage and, for a standalone question, retrieval.
        t = time.perf_counter()
        message_vector = self.embedder.embed([question.text])[0] if question.text.strip() else None
        timings["embed"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        decision: TriageDecision = self.triage.classify(question, vector=message_vector)
        timings["triage"] = (time.perf_counter() - t) * 1000
        version = self.index.current().manifest.corpus_version
        text = decision.clean_text
        if decision.category == "crisis":
            return Answer(kind="crisis", text=render("crisis", clinic), triage=decision, corpus_version=version)
        if decision.category in ("unreadable", "small_talk"):  # nothing to look up: a friendly prompt
            text = render(message_name(decision), clinic, max_chars=self.settings.max_question_chars)
            return Answer(kind="no_evidence", text=text, triage=decision, corpus_version=version)
        if decision.category in ("illicit", "manipulation", "out_of_scope"):
            return Answer(
                kind="refusal",
                refusal_reason=decision.category,
                text=render(f"refusal_{decision.category}", clinic),
                triage=decision,
                corpus_version=version,
            )

        # What the patient asks about, without names or contact details, which are never the subject.
        text = without_identifiers(text[-self.settings.max_question_chars :]) or text
        passages, vector, evidence = self._retrieve(question, text, timings, known=message_vector)
        evidence = evidence or self.evidence(text, passages)
        composition = None
        if evidence.sufficient:
            t = time.perf_counter()
            composition = self.composer.compose(text, passages, vector)
            if composition is None and self.composer is not self.fallback:
                composition = self.fallback.compose(text, passages, vector)
            timings["compose"] = (time.perf_counter() - t) * 1000

        if decision.category == "medical_advice":
            intro = render("refusal_medical_advice", clinic, has_general_info=composition is not None)
            body = f"{intro}\n\n{composition.text}" if composition else intro
            return Answer(
                kind="refusal",
                refusal_reason="medical_advice",
                text=body,
                citations=composition.citations if composition else [],
                composer=composition.composer if composition else None,
                triage=decision,
                corpus_version=version,
            )
        if composition is None:
            suggestions = _suggestions(passages)
            return Answer(
                kind="no_evidence",
                text=render("no_evidence", clinic, suggestions=suggestions),
                triage=decision,
                corpus_version=version,
            )
        return Answer(
            kind="answer",
            text=composition.text,
            citations=composition.citations,
            composer=composition.composer,
            triage=decision,
            corpus_version=version,
            notes=composition.notes,
        )

    # ------------------------------------------------------------------------------------------
    def retrieve(self, question: Question, k: int | None = None, topic: str | None = None) -> list[Passage]:
        """Raw retrieval, no triage (CONTRACT §4)."""
        known = self.embedder.embed([question.text])[0] if question.history and question.text.strip() else None
        passages, _, _ = self._retrieve(question, question.text, {}, k=k, topic=topic, known=known)
        return passages

    def _retrieve(
        self,
        question: Question,
        text: str,
        timings: dict[str, float],
        k: int | None = None,
        topic: str | None = None,
        known: np.ndarray | None = None,
    ) -> tuple[list[Passage], np.ndarray, Evidence | None]:
        """Passages, the query vector, and the evidence verdict when it was already needed here.

        ``known``: the embedding of ``question.text``, re-used when the query is that text.
        """
        query = contextual_query(text, question.history)
        if query != text and known is not None and len(terms(text)) >= 3:
            # Looks like a follow-up, but may be a new question that happens to say "it":
            # when the message alone finds its answer, the conversation is not needed.
            alone = self.retriever.search(text, known, k=k, topic=topic, timings=timings)
            verdict = self.evidence(text, alone)
            if verdict.sufficient:
                return alone, known, verdict
        if known is not None and query == question.text:
            vector = known
        else:
            t = time.perf_counter()
            vector = self.embedder.embed([query])[0]
            timings["embed"] = timings.get("embed", 0.0) + (time.perf_counter() - t) * 1000
        focus = text if query != text else None
        passages = self.retriever.search(query, vector, k=k, topic=topic, focus=focus, timings=timings)
        return passages, vector, None


def _suggestions(passages: list[Passage], limit: int = 2) -> list[str]:
    titles: list[str] = []
    for p in passages:
        if p.dense >= 0.3 and p.title not in titles:
            titles.append(p.title)
    return titles[:limit]
