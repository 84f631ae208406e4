"""The assistant, wired: message → guard and triage → retrieval → composition → Answer.

Models and the index load once per process (``Pipeline.load``); the CLI's ``--jsonl`` mode, the
app and the evals all share one loaded pipeline. Outcomes are values (``Answer.kind``), never
exceptions: whatever the message, ``ask`` returns an Answer.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.compose import Composer
from assistant.compose.extractive import ExtractiveComposer
from assistant.evidence import Evidence, EvidenceCheck
from assistant.messages import render
from assistant.language import DOSE_FIGURE
from assistant.retrieval import LibraryIndex, Retriever, SentenceVectors, TermVectors
from assistant.triage.followup import contextual_query, last_user_text, needs_context, refers_back
from assistant.categories import category
from assistant.triage import Triage
from assistant.triage.rules.vocabulary import MEDICINE_WORDS
from assistant.types import Answer, AnswerSentence, Passage, Question, Suggestion, TriageDecision, Turn
from library.embedder import Embedder, load_embedder
from library.redact import without_identifiers, words_of
from library.settings import Settings
from library.store import StoredChunk
from library.text import terms

log = logging.getLogger(__name__)

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
    _known_words: tuple[str, frozenset[str]] | None = field(default=None, init=False, repr=False)

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
        evidence = EvidenceCheck(
            settings.calibration.evidence,
            idf=lambda t: index.current().bm25.idf_of(t),
            known=lambda t: t in index.current().bm25.idf,
            sentence_vectors=sentence_vectors.of,
            background=index.background,
            term_vectors=TermVectors(embedder.embed).of,
        )
        return cls(settings, embedder, index, retriever, triage, composer, extractive, evidence)

    # ------------------------------------------------------------------------------------------
    def ask(self, question: Question) -> Answer:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        try:
            answer = self._ask(clean_question(question), timings)
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
        row = category(decision.category)
        if not row.retrieves:  # crisis, a refusal, or a friendly prompt: a message, not a lookup
            return Answer(
                kind=row.kind,
                refusal_reason=row.refusal_reason,
                text=self._message(row, decision),
                triage=decision,
                corpus_version=version,
            )

        # What the patient asks about, without names or contact details, which are never the subject.
        text = without_identifiers(text[-self.settings.max_question_chars :]) or text
        passages, vector, evidence = self._retrieve(question, text, timings, known=message_vector)
        evidence = evidence or self.evidence(text, passages, vector)
        personal = decision.category == "medical_advice"
        composition = None
        if evidence.sufficient:
            t = time.perf_counter()
            # A refusal of personal advice quotes no dose figure, so none can be read as the person's own.
            avoid = DOSE_FIGURE.search if personal else None
            composition = self.composer.compose(text, passages, vector, avoid=avoid)
            if composition is None and self.composer is not self.fallback:
                composition = self.fallback.compose(text, passages, vector, avoid=avoid)
            timings["compose"] = (time.perf_counter() - t) * 1000
        found = {"citations": composition.citations, "sentences": composition.sentences, "composer": composition.composer} if composition else {}

        if personal:
            intro = render("refusal_medical_advice", clinic, has_general_info=composition is not None)
            body = f"{intro}\n\n{composition.text}" if composition else intro
            if composition:
                found["sentences"] = [AnswerSentence(text=intro, role="framing"), *composition.sentences]
            return Answer(kind="refusal", refusal_reason="medical_advice", text=body, triage=decision, corpus_version=version, **found)
        if composition is None and row.otherwise:
            return Answer(kind="no_evidence", text=render(row.otherwise, clinic), triage=decision, corpus_version=version)
        if composition is None and decision.scores.get("out_of_scope", 0.0) >= self.settings.calibration.triage.out_of_scope:
            # Looks off topic, and the library has nothing on it either.
            return Answer(
                kind="refusal",
                refusal_reason="out_of_scope",
                text=render("refusal_out_of_scope", clinic),
                triage=decision.model_copy(update={"category": "out_of_scope", "rule": "out_of_scope.classifier+no_evidence"}),
                corpus_version=version,
            )
        if composition is None:
            suggestions = _suggestions(passages)
            return Answer(
                kind="no_evidence",
                text=render("no_evidence", clinic, suggestions=[s.title for s in suggestions]),
                suggestions=suggestions,
                triage=decision,
                corpus_version=version,
                notes=[f"evidence: {evidence.reason} (p={evidence.probability})"],
            )
        return Answer(kind="answer", text=composition.text, triage=decision, corpus_version=version, notes=composition.notes, **found)

    def _message(self, row, decision: TriageDecision) -> str:
        """The patient message of a category that is answered without the library."""
        clinic = self.settings.clinic
        extra = list(getattr(clinic, row.resources)) if row.resources else []
        return render(row.message, clinic, max_chars=self.settings.max_question_chars, extra_resources=extra)

    # ------------------------------------------------------------------------------------------
    # The read API for ui/ and evals/: they see the live library through these, never the index.

    def corpus_version(self) -> str:
        return self.index.current().manifest.corpus_version

    def documents(self) -> list[str]:
        """The doc ids of the live library."""
        return list(self.index.current().manifest.documents)

    def chunk(self, chunk_id: str) -> StoredChunk | None:
        """One indexed chunk (its ``text`` and ``metadata``), or None when it is not in the live library."""
        loaded = self.index.current()
        i = loaded.position.get(chunk_id)
        return loaded.chunks[i] if i is not None else None

    def chunks(self) -> list[StoredChunk]:
        return list(self.index.current().chunks)

    def nearest_passages(self, texts: list[str], k: int = 5) -> list[list[tuple[StoredChunk, float]]]:
        """For each text, the live library's ``k`` passages nearest in meaning, as (chunk, cosine), best first."""
        loaded = self.index.current()
        vectors = self.embedder.embed(list(texts)) if texts else []
        out = []
        for vector in vectors:
            hits = self.index.store.query(loaded.manifest.collection, vector, k)
            out.append([(loaded.chunks[loaded.position[i]], score) for i, score in hits if i in loaded.position])
        return out

    def document_chunks(self, doc_id: str) -> list[StoredChunk] | None:
        """A live document's chunks in reading order, or None when the library has no such document."""
        loaded = self.index.current()
        entry = loaded.manifest.documents.get(doc_id)
        if entry is None:
            return None
        found = [loaded.chunks[loaded.position[c]] for c in entry.chunk_ids if c in loaded.position]
        return sorted(found, key=lambda c: int(c.metadata.get("char_start") or 0))

    def known_words(self) -> frozenset[str]:
        """Words that are not names of people here: the live library's and the medicines triage
        knows, and the clinic's name. Redaction keeps a capitalised one ("Spravato", "Zoloft") when it
        stores a question."""
        loaded = self.index.current()
        version = loaded.manifest.corpus_version
        if self._known_words is None or self._known_words[0] != version:
            texts = [f"{c.metadata.get('title', '')} {c.metadata.get('section', '')} {c.text}" for c in loaded.chunks]
            texts.append(self.settings.clinic.name)  # "Stillwater Ketamine Clinic has been amazing"
            words = words_of(texts)
            self._known_words = (version, words | MEDICINE_WORDS)
        return self._known_words[1]

    def bm25_ranking(self, text: str, k: int = 10) -> list[str]:
        """Doc ids by plain BM25 over the chunks: the lexical baseline the evals compare with."""
        loaded = self.index.current()
        ranked = sorted(loaded.bm25.scores(terms(text)).items(), key=lambda kv: -kv[1])
        return list(dict.fromkeys(str(loaded.chunks[i].metadata.get("doc_id", "")) for i, _ in ranked))[:k]

    # ------------------------------------------------------------------------------------------
    def retrieve(self, question: Question, k: int | None = None, topic: str | None = None) -> list[Passage]:
        """Raw retrieval, no triage (CONTRACT §4)."""
        question = clean_question(question)
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
        A message that leans on the question before it ("which one works faster?") is searched with
        it; one that only says "it" ("how long has it been approved?") is searched both alone and
        with the question before it, and the reading the library answers better wins: "it" is the
        library's subject unless the previous turn clearly set another.
        """
        history = question.history
        if needs_context(text, history):
            query = contextual_query(text, history)
            vector = self._embed(query, timings)
            return self.retriever.search(query, vector, k=k, topic=topic, focus=text, timings=timings), vector, None
        vector = known if known is not None and text == question.text else self._embed(text, timings)
        alone = self.retriever.search(text, vector, k=k, topic=topic, timings=timings)
        if not (history and refers_back(text)):
            return alone, vector, None
        query = f"{last_user_text(history)}\n{text}"
        with_context = self.retriever.search(query, self._embed(query, timings), k=k, topic=topic, focus=text, timings=timings)
        verdict_alone = self.evidence(text, alone, vector)
        verdict_context = self.evidence(text, with_context, vector)
        if verdict_context.probability > verdict_alone.probability + 0.1:
            return with_context, vector, verdict_context
        return alone, vector, verdict_alone

    def _embed(self, text: str, timings: dict[str, float]) -> np.ndarray:
        t = time.perf_counter()
        vector = self.embedder.embed([text])[0]
        timings["embed"] = timings.get("embed", 0.0) + (time.perf_counter() - t) * 1000
        return vector


def clean_question(question: Question) -> Question:
    """The question with its text and history cleaned by the input guard before anything reads
    them: lone surrogates, control and invisible characters gone, length bounded."""
    from assistant.guard import HARD_CAP_CHARS, guard

    def clean(text: str) -> str:
        return guard(text, HARD_CAP_CHARS).text

    history = [Turn(role=t.role, content=clean(t.content)[-4000:]) for t in question.history[-MAX_HISTORY_TURNS:]]
    return question.model_copy(update={"text": clean(question.text), "history": history})


MAX_HISTORY_TURNS = 12
"""Earlier turns read with a message, at most (each at most 4,000 characters): a bound on the work."""


def _suggestions(passages: list[Passage], limit: int = 2) -> list[Suggestion]:
    found: dict[str, Suggestion] = {}
    for p in passages:
        if p.dense >= 0.3 and p.title not in {s.title for s in found.values()}:
            found.setdefault(p.doc_id, Suggestion(doc_id=p.doc_id, title=p.title, url=p.url))
    return list(found.values())[:limit]
