"""The default, extractive composer on the real library: quotes the library, cites every sentence.

The checks re-read answers independently of the composer: sentences are found by their trailing
markers, quotes are looked up in the stored chunks, and sentence similarity uses the embedder.
"""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pytest

from assistant.pipeline import Pipeline
from assistant.types import Answer, Question, Turn
from library.settings import ClinicProfile, Settings
from tests.assistant_index import PassThroughTriage, assert_answer_object, real_index, real_pipeline  # noqa: F401

pytestmark = pytest.mark.real_model

# Plainly covered by the library, one or more per topic.
COVERED = [
    "what are the common side effects of ketamine?",
    "how long does an IV ketamine infusion take?",
    "does ketamine raise blood pressure?",
    "can I drive home after a Spravato session?",
    "is ketamine FDA-approved for depression?",
    "what is the Spravato REMS?",
    "does insurance cover Spravato?",
    "can ketamine cause bladder problems?",
    "how does ketamine work in the brain?",
    "what does remission mean?",
    "can ketamine help with PTSD?",
]

UNCOVERED = [
    "Can ketamine cure migraines in dogs?",
    "What's a good lasagna recipe?",
    "How do I fix a flat tyre on my bicycle?",
    "Who won the football world cup in 2018?",
    "What is the capital of Australia?",
]

# A sentence of an answer: everything up to its marker, then any closing punctuation.
UNIT = re.compile(r"(?P<body>.+?) \[(?P<n>\d+)\](?P<end>[.!?\"'”’)\]]*)(?:\s+|$)", re.S)
CLINIC = ClinicProfile(name="Riverside Ketamine Clinic", phone="(555) 010-4477", email="care@riverside.example")


def answer_units(text: str) -> list[tuple[str, int]]:
    """(sentence without its marker, marker number) for each sentence; the whole text must be made of them."""
    units, pos = [], 0
    for m in UNIT.finditer(text):
        assert m.start() == pos, f"text not covered by marked sentences at {pos}: {text[pos:m.start()]!r}"
        units.append((m.group("body") + m.group("end"), int(m.group("n"))))
        pos = m.end()
    assert pos == len(text), f"unmarked text at the end: {text[pos:]!r}"
    return units


@pytest.fixture(scope="module")
def covered_answers(real_pipeline) -> dict[str, Answer]:
    return {q: real_pipeline.ask(Question(text=q)) for q in COVERED}


@pytest.fixture(scope="module")
def clinic_pipeline(real_index, real_embedder, tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("clinic"), clinic=CLINIC)
    return Pipeline.load(settings, real_index, embedder=real_embedder, triage=PassThroughTriage())


def test_covered_questions_are_answered_extractively(covered_answers):
    not_answered = {q: a.kind for q, a in covered_answers.items() if a.kind != "answer"}
    assert not not_answered, not_answered
    for answer in covered_answers.values():
        assert answer.composer == "extractive"
        assert_answer_object(answer.contract_json())


def test_every_quote_is_an_exact_substring_of_the_cited_chunk(real_pipeline, covered_answers):
    loaded = real_pipeline.index.current()
    for question, answer in covered_answers.items():
        for c in answer.citations:
            assert c.chunk_id in loaded.position, (question, c.chunk_id)
            chunk = loaded.chunks[loaded.position[c.chunk_id]]
            assert c.quote.strip() and c.quote in chunk.text, (question, c.quote)
            assert c.doc_id == chunk.metadata["doc_id"] and c.title == chunk.metadata["title"]


def test_every_sentence_is_marked_and_quoted_from_its_citation(covered_answers):
    for question, answer in covered_answers.items():
        by_n = {c.n: c for c in answer.citations}
        for sentence, n in answer_units(answer.text):
            assert n in by_n, (question, sentence, n)
            assert sentence in by_n[n].quote, f"{question!r}: {sentence!r} is not in citation [{n}]"


def test_markers_are_numbered_by_first_use(covered_answers):
    for question, answer in covered_answers.items():
        first_use = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", answer.text)))
        assert first_use == list(range(1, len(first_use) + 1)), (question, answer.text)
        assert [c.n for c in answer.citations] == first_use
        assert len({c.chunk_id for c in answer.citations}) == len(answer.citations), "one citation per chunk"


def test_answers_have_one_to_max_sentences(real_pipeline, covered_answers):
    limit = real_pipeline.settings.max_answer_sentences
    for question, answer in covered_answers.items():
        assert 1 <= len(answer_units(answer.text)) <= limit, (question, answer.text)


def test_max_answer_sentences_is_honoured(real_index, real_embedder, tmp_path):
    settings = Settings(data_dir=tmp_path, max_answer_sentences=2)
    pipeline = Pipeline.load(settings, real_index, embedder=real_embedder, triage=PassThroughTriage())
    for question in COVERED[:6]:
        answer = pipeline.ask(Question(text=question))
        assert answer.kind == "answer"
        assert 1 <= len(answer_units(answer.text)) <= 2, answer.text


def test_no_near_duplicate_sentences(real_embedder, covered_answers):
    for question, answer in covered_answers.items():
        sentences = [s for s, _ in answer_units(answer.text)]
        words = [set(re.findall(r"[a-z0-9]+", s.lower())) for s in sentences]
        vectors = real_embedder.embed(sentences)
        for i, j in combinations(range(len(sentences)), 2):
            overlap = len(words[i] & words[j]) / len(words[i] | words[j])
            cosine = float(np.dot(vectors[i], vectors[j]))
            assert overlap < 0.75 and cosine < 0.92, f"{question!r}: {sentences[i]!r} ~ {sentences[j]!r}"


def test_answers_cite_a_document_about_the_question(covered_answers):
    expected = {
        "does ketamine raise blood pressure?": "risks/blood-pressure-and-heart",
        "what is the Spravato REMS?": "process/spravato-rems",
        "does insurance cover Spravato?": "process/cost-and-insurance",
        "can ketamine cause bladder problems?": "risks/bladder-and-urinary-problems",
        "can ketamine help with PTSD?": "benefits/ptsd",
    }
    for question, doc_id in expected.items():
        assert doc_id in {c.doc_id for c in covered_answers[question].citations}, (question, covered_answers[question].text)


def test_the_same_question_gets_the_same_answer(real_pipeline):
    question = Question(text="does insurance cover Spravato?")
    first, second = real_pipeline.ask(question), real_pipeline.ask(question)
    assert first.text == second.text and first.citations == second.citations


def test_a_follow_up_is_answered_from_the_conversation(real_pipeline):
    history = [
        Turn(role="user", content="what are the common side effects of ketamine?"),
        Turn(role="assistant", content="Dissociation, dizziness and nausea are common [1]."),
    ]
    answer = real_pipeline.ask(Question(text="how long does that last?", history=history))
    assert answer.kind == "answer", answer.text
    assert "risks/common-side-effects" in {c.doc_id for c in answer.citations}
    assert re.search(r"\b(hours?|minutes?)\b", answer.text), answer.text


@pytest.mark.parametrize("question", UNCOVERED)
def test_uncovered_questions_abstain_and_offer_the_clinic(clinic_pipeline, question):
    answer = clinic_pipeline.ask(Question(text=question))
    assert answer.kind == "no_evidence", answer.text
    assert answer.citations == [] and answer.composer is None
    assert not re.search(r"\[\d+\]", answer.text)
    assert CLINIC.phone in answer.text and CLINIC.name in answer.text and CLINIC.email in answer.text
    assert_answer_object(answer.contract_json())


def test_the_clinic_contact_is_whatever_the_clinic_configured(real_pipeline):
    answer = real_pipeline.ask(Question(text="What's a good lasagna recipe?"))
    assert answer.kind == "no_evidence"
    assert real_pipeline.settings.clinic.phone in answer.text
    assert CLINIC.phone not in answer.text
