"""The LLM composer with a scripted chat model: the verifier decides what the patient sees.

Passages are written here, so every reply below can be judged by reading it against them; the real
embedder does the semantic checks, as in production.
"""

from __future__ import annotations

import re

import pytest

from assistant.compose.extractive import ExtractiveComposer
from assistant.compose.llm import LLMComposer
from assistant.compose.verify import Verifier
from assistant.pipeline import Pipeline
from assistant.types import Passage, Question
from library.settings import Settings
from tests.assistant_index import PassThroughTriage, assert_answer_object, real_index, real_pipeline  # noqa: F401
from tests.fakes import ScriptedChatModel

pytestmark = pytest.mark.real_model

PASSAGES = [
    Passage(
        chunk_id="risks/common-side-effects#a1",
        doc_id="risks/common-side-effects",
        title="Common side effects of ketamine treatment",
        section="Common side effects of ketamine treatment › What is dissociation?",
        topic="risks",
        text=(
            "Dissociation is a feeling of being disconnected from yourself, your thoughts or your surroundings. "
            "In the Spravato trials, 41% of people on Spravato had dissociation, compared with 9% on placebo. "
            "Dissociation from IV ketamine usually fades within about 1 to 2 hours."
        ),
        dense=0.62,
    ),
    Passage(
        chunk_id="risks/blood-pressure-and-heart#b2",
        doc_id="risks/blood-pressure-and-heart",
        title="Blood pressure and heart effects of ketamine",
        section="Blood pressure and heart effects of ketamine › Does ketamine raise blood pressure?",
        topic="risks",
        text=(
            "Spravato raises blood pressure for a few hours after each dose. "
            "The rise in blood pressure peaks about 40 minutes after a dose. "
            "Staff check blood pressure before each dose and again afterwards."
        ),
        dense=0.55,
    ),
    Passage(
        chunk_id="process/after-a-session#c3",
        doc_id="process/after-a-session",
        title="After a ketamine or esketamine session",
        section="After a ketamine or esketamine session › Can I drive after a session?",
        topic="process",
        text=(
            "People who use Spravato should not drive or operate machinery until the next day, after a restful sleep. "
            "Plan for someone else to take you home after every session."
        ),
        dense=0.5,
    ),
]
QUESTION = "what side effects might I notice during and after a ketamine session?"

# Paraphrases of the passages, each with the marker of the passage it comes from.
FAITHFUL = [
    "Dissociation means feeling disconnected from yourself, your thoughts or your surroundings [1].",
    "In the Spravato trials, 41% of people taking Spravato had dissociation, versus 9% on placebo [1].",
    "Spravato can raise your blood pressure for a few hours after each dose [2].",
    "Blood pressure is highest about 40 minutes after a dose [2].",
    "You should not drive until the next day, after a restful sleep [3].",
]
MARKER = re.compile(r"\s*\[(\d+)\]")


@pytest.fixture(scope="module")
def make_composer(real_embedder):
    def make(chat_model) -> LLMComposer:
        fallback = ExtractiveComposer(idf=lambda term: 1.0, sentence_vectors=real_embedder.embed, max_sentences=3)
        return LLMComposer(chat_model, Verifier(real_embedder.embed), fallback)

    return make


@pytest.fixture(scope="module")
def question_vector(real_embedder):
    return real_embedder.embed([QUESTION])[0]


def compose(make_composer, question_vector, *replies):
    model = ScriptedChatModel(*replies)
    return make_composer(model).compose(QUESTION, PASSAGES, question_vector), model


def sentences_of(text: str) -> list[tuple[str, list[int]]]:
    """Each sentence of a composed text, without markers, with the marker numbers it carries."""
    parts = re.findall(r".+?\[\d+\][.!?]?(?=\s|$)", text)
    assert "".join(parts).replace(" ", "") == text.replace(" ", ""), text
    return [(MARKER.sub("", p).strip(), [int(n) for n in MARKER.findall(p)]) for p in parts]


def assert_grounded(composition) -> None:
    """Quotes are verbatim passage text; markers run 1..n by first use and match the citations."""
    by_chunk = {p.chunk_id: p for p in PASSAGES}
    for c in composition.citations:
        assert c.quote and c.quote in by_chunk[c.chunk_id].text, c.quote
        assert c.doc_id == by_chunk[c.chunk_id].doc_id
    first_use = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", composition.text)))
    assert first_use == list(range(1, len(first_use) + 1))
    assert [c.n for c in composition.citations] == first_use


# ---------------------------------------------------------------------------------------------


def test_a_faithful_answer_passes_verification(make_composer, question_vector):
    composition, _ = compose(make_composer, question_vector, " ".join(FAITHFUL))
    assert composition.composer == "llm"
    assert composition.notes == []
    kept = sentences_of(composition.text)
    assert len(kept) == len(FAITHFUL)
    assert [c.doc_id for c in composition.citations] == [p.doc_id for p in PASSAGES]
    assert_grounded(composition)


@pytest.mark.parametrize("style", ["{body} [{n}].", "{body}.[{n}]", "{body}. [{n}]"])
def test_markers_after_the_full_stop_stay_with_their_sentence(make_composer, question_vector, style):
    reply = " ".join(style.format(body=MARKER.sub("", s).rstrip("."), n=MARKER.findall(s)[0]) for s in FAITHFUL)
    composition, _ = compose(make_composer, question_vector, reply)
    assert composition.composer == "llm", composition.notes
    kept = sentences_of(composition.text)
    assert len(kept) == len(FAITHFUL)
    cited = {c.n: c.chunk_id for c in composition.citations}
    for (sentence, markers), original in zip(kept, FAITHFUL):
        assert sentence.rstrip(".") == MARKER.sub("", original).rstrip(".")
        assert [cited[n] for n in markers] == [PASSAGES[int(MARKER.findall(original)[0]) - 1].chunk_id]


def test_the_prompt_holds_the_numbered_passages_and_the_question(make_composer, question_vector):
    _, model = compose(make_composer, question_vector, " ".join(FAITHFUL))
    prompt = model.last_prompt
    assert QUESTION in prompt
    positions = []
    for i, p in enumerate(PASSAGES, 1):
        m = re.search(rf"^\[{i}\][^\n]*{re.escape(p.title)}[^\n]*\n+{re.escape(p.text)}", prompt, re.M)
        assert m, f"passage [{i}] is not numbered in the prompt"
        positions.append(m.start())
    assert positions == sorted(positions)
    assert "[4]" not in prompt
    assert model.last_system.strip()


@pytest.mark.parametrize(
    "bad_sentence, why",
    [
        ("Most patients also notice a metallic taste that lasts for several days [1].", "invented"),
        ("Staff check blood pressure before each dose and again afterwards [1].", "wrong marker: only in [2]"),
        ("In the Spravato trials, 52% of people taking Spravato had dissociation [1].", "a number not in the passage"),
        ("Blood pressure peaks about 41 minutes after a dose [2].", "a number from another passage"),
        ("Dissociation from IV ketamine usually fades within about 1 to 2 hours [9].", "no passage [9]"),
        ("Dissociation from IV ketamine usually fades within about 1 to 2 hours.", "no marker at all"),
    ],
)
def test_an_unsupported_sentence_is_dropped_and_noted(make_composer, question_vector, bad_sentence, why):
    reply = " ".join(FAITHFUL[:2] + [bad_sentence] + FAITHFUL[2:4])
    composition, _ = compose(make_composer, question_vector, reply)
    assert composition.composer == "llm", (why, composition.notes)
    bad_text = MARKER.sub("", bad_sentence).rstrip(".")
    assert bad_text not in composition.text, why
    assert len(sentences_of(composition.text)) == 4, (why, composition.text)
    assert any(bad_text in note for note in composition.notes), (why, composition.notes)
    assert_grounded(composition)


def test_markers_are_renumbered_by_first_use(make_composer, question_vector):
    reply = " ".join([FAITHFUL[4], FAITHFUL[2], FAITHFUL[0], FAITHFUL[3]])  # cites [3], [2], [1], [2]
    composition, _ = compose(make_composer, question_vector, reply)
    assert composition.composer == "llm"
    assert [n for _, ns in sentences_of(composition.text) for n in ns] == [1, 2, 3, 2]
    assert [c.chunk_id for c in composition.citations] == [PASSAGES[2].chunk_id, PASSAGES[1].chunk_id, PASSAGES[0].chunk_id]
    assert_grounded(composition)


def test_a_sentence_citing_two_passages_keeps_one_that_supports_it(make_composer, question_vector):
    reply = " ".join(FAITHFUL[:2] + ["Spravato can raise your blood pressure for a few hours after each dose [1, 2]."])
    composition, _ = compose(make_composer, question_vector, reply)
    assert composition.composer == "llm"
    last, markers = sentences_of(composition.text)[-1]
    assert "blood pressure" in last
    cited = {c.n: c.chunk_id for c in composition.citations}
    assert [cited[n] for n in markers] == [PASSAGES[1].chunk_id]


@pytest.mark.parametrize(
    "reply, note_word",
    [
        pytest.param(
            "Ketamine was first found in deep-sea sponges in 1850 [1]. It cures every illness within a minute [2]. "
            "Most clinics serve pizza after each session [3].",
            "supported",
            id="wholly-unsupported",
        ),
        pytest.param("NO_ANSWER", "no answer", id="no-answer"),
        pytest.param("   ", "no answer", id="empty"),
        pytest.param(ConnectionError("connection refused"), "ConnectionError", id="model-raises"),
    ],
)
def test_falls_back_to_the_extractive_answer(make_composer, question_vector, reply, note_word):
    composition, _ = compose(make_composer, question_vector, reply)
    assert composition is not None and composition.composer == "extractive"
    assert any(note_word.lower() in note.lower() for note in composition.notes), composition.notes
    assert any("extractive" in note for note in composition.notes)
    by_chunk = {c.n: c for c in composition.citations}
    for sentence, markers in sentences_of(composition.text):
        assert len(markers) == 1 and sentence.rstrip(".") in by_chunk[markers[0]].quote
    assert_grounded(composition)


def test_a_real_langchain_fake_model_works_too(make_composer, question_vector):
    from langchain_core.language_models import FakeListChatModel

    composer = make_composer(FakeListChatModel(responses=[" ".join(FAITHFUL)]))
    composition = composer.compose(QUESTION, PASSAGES, question_vector)
    assert composition.composer == "llm" and len(composition.citations) == 3


# ---------------------------------------------------------------------------------------------
# wired into the pipeline, over the real library


def _copying_reply(prompt: str) -> str:
    """A model that copies the first sentence of passages [1] and [2] of its prompt, with their markers."""
    blocks = re.findall(r"^\[(\d+)\] [^\n]*\n(.+?)(?=\n\s*\n)", prompt, re.M | re.S)
    assert len(blocks) >= 2, prompt
    out = []
    for number, text in blocks[:2]:
        first = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))[0]
        out.append(first[:-1] + f" [{number}].")
    return " ".join(out)


@pytest.fixture(scope="module")
def llm_pipeline(real_index, real_embedder, tmp_path_factory):
    def load(model):
        settings = Settings(data_dir=tmp_path_factory.mktemp("llm"))
        return Pipeline.load(settings, real_index, embedder=real_embedder, chat_model=model, triage=PassThroughTriage())

    return load


def test_the_pipeline_answers_with_the_llm_composer(llm_pipeline, real_pipeline):
    model = ScriptedChatModel(_copying_reply)
    pipeline = llm_pipeline(model)
    question = Question(text="can ketamine cause bladder problems?")
    answer = pipeline.ask(question)
    assert answer.kind == "answer" and answer.composer == "llm", (answer.text, answer.notes)
    assert_answer_object(answer.contract_json())
    loaded = pipeline.index.current()
    for c in answer.citations:
        assert c.quote in loaded.chunks[loaded.position[c.chunk_id]].text
    prompt = model.last_prompt
    assert question.text in prompt
    for i, p in enumerate(real_pipeline.retrieve(question), 1):
        assert f"[{i}]" in prompt and p.text.strip() in prompt


def test_the_pipeline_survives_a_failing_model(llm_pipeline):
    pipeline = llm_pipeline(ScriptedChatModel(TimeoutError("model timed out")))
    answer = pipeline.ask(Question(text="can ketamine cause bladder problems?"))
    assert answer.kind == "answer" and answer.composer == "extractive"
    assert any("TimeoutError" in note for note in answer.notes)
    assert_answer_object(answer.contract_json())


@pytest.mark.parametrize(
    "contradiction",
    [
        "Spravato lowers blood pressure for a few hours after each dose [2].",
        "People who use Spravato can drive right away after a session [3].",
        "In the Spravato trials, 9% of people on Spravato had dissociation, compared with 41% on placebo [1].",
    ],
)
def test_a_sentence_that_contradicts_its_passage_is_dropped(make_composer, question_vector, contradiction):
    composition, _ = compose(make_composer, question_vector, " ".join(FAITHFUL[:2] + [contradiction] + FAITHFUL[2:4]))
    assert MARKER.sub("", contradiction).rstrip(".") not in composition.text
