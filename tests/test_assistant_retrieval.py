"""Retrieval behaviour on the real library and on a library the assistant has never seen.

Questions are worded as patients word them, not copied from headings; expected documents were
labelled by reading the library (tests/data/assistant_retrieval.yaml).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from assistant.pipeline import Pipeline
from assistant.retrieval import LibraryIndex, Retriever, diversify
from assistant.triage.followup import contextual_query, needs_context
from assistant.types import Passage, Question, Turn
from ingest.indexing import ingest
from library.settings import Settings
from tests.assistant_index import PassThroughTriage, labelled_questions, real_index, real_pipeline  # noqa: F401
from tests.conftest import write_doc

pytestmark = pytest.mark.real_model

TOPICS = ("mechanism", "benefits", "risks", "process", "general")

# One or more per topic; each lists every document that answers it.
PARAPHRASED = [
    ("will I feel weird or out of my body during treatment",
     {"risks/common-side-effects", "process/what-an-iv-session-is-like", "process/what-a-spravato-session-is-like",
      "risks/spravato-boxed-warning"}),
    ("does this stuff hurt your kidneys or make you pee a lot", {"risks/bladder-and-urinary-problems"}),
    ("is this like a party drug, could I get addicted", {"risks/misuse-addiction-and-legal-status"}),
    ("can I go back to work or drive right after?",
     {"risks/driving-and-safety-after-a-session", "process/after-a-session"}),
    ("what's going on in the brain when ketamine works",
     {"mechanism/nmda-receptors-and-glutamate", "mechanism/neuroplasticity-and-bdnf"}),
    ("will it still help months later or does it wear off",
     {"benefits/how-long-the-benefits-last", "risks/long-term-unknowns"}),
    ("could ketamine help with my PTSD nightmares and flashbacks", {"benefits/ptsd"}),
    ("what if I'm breastfeeding", {"risks/pregnancy-and-breastfeeding"}),
    ("does the nasal spray cost less with insurance", {"process/cost-and-insurance"}),
    ("how many visits to the clinic will I need for the nose spray in the beginning?", {"process/how-many-sessions"}),
    ("does this assistant give medical advice", {"general/what-this-assistant-can-and-cannot-do"}),
    ("what does the word remission mean", {"benefits/response-and-remission-explained", "general/glossary"}),
]


def _docs(passages: list[Passage]) -> list[str]:
    return [p.doc_id for p in passages]


# ---------------------------------------------------------------------------------------------
# the real library


def test_paraphrased_questions_find_the_right_document_in_the_top_three(real_pipeline):
    assert {doc.split("/")[0] for _, expected in PARAPHRASED for doc in expected} == set(TOPICS)
    misses = []
    for question, expected in PARAPHRASED:
        top = _docs(real_pipeline.retrieve(Question(text=question), k=3))
        if not expected & set(top):
            misses.append(f"{question!r}: got {top}, wanted one of {sorted(expected)}")
    assert len(misses) <= 1, "\n".join(misses)


def test_labelled_questions_hit_at_three_and_mrr(real_pipeline):
    cases = labelled_questions()
    assert len(cases) >= 60
    misses, reciprocal = [], []
    for case in cases:
        docs = _docs(real_pipeline.retrieve(Question(text=case["q"]), k=10))
        rank = next((i + 1 for i, d in enumerate(docs) if d in case["expected"]), None)
        reciprocal.append(1.0 / rank if rank else 0.0)
        if rank is None or rank > 3:
            misses.append(f"{case['q']!r}: rank {rank}, top 3 {docs[:3]}")
    hit_at_3 = 1 - len(misses) / len(cases)
    mrr = sum(reciprocal) / len(cases)
    assert hit_at_3 >= 0.9, f"hit@3 {hit_at_3:.2f}; misses:\n" + "\n".join(misses)
    assert mrr >= 0.75, f"MRR {mrr:.2f}; misses:\n" + "\n".join(misses)


def test_every_result_carries_the_chunk_it_came_from(real_pipeline):
    loaded = real_pipeline.index.current()
    passages = real_pipeline.retrieve(Question(text="can ketamine damage my bladder?"))
    assert passages
    for p in passages:
        stored = loaded.chunks[loaded.position[p.chunk_id]]
        assert p.text == stored.text
        assert p.doc_id == stored.metadata["doc_id"]
        assert p.title and p.section
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)


# ---------------------------------------------------------------------------------------------
# follow-ups


SIDE_EFFECTS_TURNS = [
    Turn(role="user", content="what are the common side effects of ketamine?"),
    Turn(role="assistant", content="Dissociation, dizziness and nausea are the most common [1]."),
]


def test_a_follow_up_borrows_the_conversation(real_pipeline):
    follow_up = "how long does that last?"
    with_history = real_pipeline.retrieve(Question(text=follow_up, history=SIDE_EFFECTS_TURNS), k=3)
    without = real_pipeline.retrieve(Question(text=follow_up), k=3)
    assert any(
        p.doc_id == "risks/common-side-effects" and "how long" in p.section.lower() for p in with_history
    ), [(p.doc_id, p.section) for p in with_history]
    assert [p.chunk_id for p in with_history] != [p.chunk_id for p in without]


@pytest.mark.parametrize(
    "first, follow_up, doc_id, section_words",
    [
        ("does ketamine raise blood pressure?", "and how long does it stay up?", "risks/blood-pressure-and-heart", "how long"),
        ("what are the common side effects of ketamine?", "what about for IV ketamine?", "risks/common-side-effects", "iv ketamine"),
    ],
)
def test_follow_ups_land_on_the_section_that_answers(real_pipeline, first, follow_up, doc_id, section_words):
    history = [Turn(role="user", content=first), Turn(role="assistant", content="...")]
    top = real_pipeline.retrieve(Question(text=follow_up, history=history), k=3)
    assert any(p.doc_id == doc_id and section_words in p.section.lower() for p in top), [
        (p.doc_id, p.section) for p in top
    ]


def test_a_new_self_contained_question_is_not_dragged_back_to_the_old_topic(real_pipeline):
    question = "is it safe to breastfeed while having ketamine treatment?"
    top = real_pipeline.retrieve(Question(text=question, history=SIDE_EFFECTS_TURNS), k=3)
    assert top[0].doc_id == "risks/pregnancy-and-breastfeeding", _docs(top)


def test_a_topic_switch_keeps_most_results_on_the_new_topic(real_pipeline):
    question = "is it safe to breastfeed while having ketamine treatment?"
    top = real_pipeline.retrieve(Question(text=question, history=SIDE_EFFECTS_TURNS), k=3)
    assert Counter(_docs(top))["risks/pregnancy-and-breastfeeding"] >= 2, _docs(top)


def test_contextual_query_uses_the_latest_user_turn_only_for_follow_ups():
    history = [
        Turn(role="user", content="what is esketamine?"),
        Turn(role="assistant", content="A nasal spray [1]."),
        Turn(role="user", content="does ketamine raise blood pressure?"),
        Turn(role="assistant", content="Yes, for a while [1]."),
    ]
    borrowed = contextual_query("how long?", history)
    assert "blood pressure" in borrowed and "esketamine" not in borrowed and borrowed.endswith("how long?")
    standalone = "which ketamine side effects were reported most often in the spravato clinical trials for depression"
    assert contextual_query(standalone, history) == standalone
    assert contextual_query("how long?", []) == "how long?"


@pytest.mark.parametrize(
    "text, leans",
    [
        ("which one works faster?", True),
        ("and for PTSD?", True),
        ("how long does that last?", True),
        ("could I get hooked on it?", False),  # names its own subject: "it" is the library's
        ("does insurance cover it", False),
        ("what about the nasal spray", True),
    ],
)
def test_a_short_question_that_names_its_subject_stands_alone(text, leans):
    history = [Turn(role="user", content="what's the difference between spravato and IV ketamine?"), Turn(role="assistant", content="...")]
    assert needs_context(text, history) is leans
    assert not needs_context(text, [])


# ---------------------------------------------------------------------------------------------
# filters and diversity


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_filter_returns_only_that_topic(real_pipeline, topic):
    loaded = real_pipeline.index.current()
    for question in ("what are the risks of ketamine?", "how does ketamine work?", "what happens at a session?"):
        passages = real_pipeline.retrieve(Question(text=question), k=6, topic=topic)
        assert passages, (topic, question)
        for p in passages:
            assert p.topic == topic
            assert loaded.chunks[loaded.position[p.chunk_id]].metadata["topic"] == topic


def test_topic_filter_still_ranks_the_right_document_first(real_pipeline):
    passages = real_pipeline.retrieve(Question(text="can ketamine damage my bladder?"), k=3, topic="risks")
    assert passages[0].doc_id == "risks/bladder-and-urinary-problems"


def test_no_two_results_come_from_the_same_section(real_pipeline):
    settings = real_pipeline.settings
    assert settings.max_chunks_per_section == 1
    for case in labelled_questions():
        passages = real_pipeline.retrieve(Question(text=case["q"]))
        assert len(passages) == settings.retrieval_k
        sections = Counter((p.doc_id, p.section) for p in passages)
        assert max(sections.values()) == 1, (case["q"], sections.most_common(2))
        assert len({p.chunk_id for p in passages}) == len(passages)


def _passage(doc: str, section: str, n: int) -> Passage:
    return Passage(chunk_id=f"{doc}#{n}", doc_id=doc, title=doc, section=section, text=f"text {n}", score=1.0 / n)


def test_diversify_keeps_rank_order_and_fills_from_the_overflow_only_when_short():
    ranked = [_passage("a", "s1", 1), _passage("a", "s1", 2), _passage("b", "s1", 3), _passage("a", "s2", 4)]
    chosen = diversify(ranked, k=3, per_section=1)
    assert [p.chunk_id for p in chosen] == ["a#1", "b#3", "a#4"]
    # when the distinct sections run out, the best of the rest fill the list rather than leaving it short
    short = diversify(ranked[:2], k=2, per_section=1)
    assert [p.chunk_id for p in short] == ["a#1", "a#2"]


def test_diversify_caps_passages_per_document():
    ranked = [_passage("a", f"s{i}", i) for i in range(1, 6)] + [_passage("b", "s1", 6)]
    chosen = diversify(ranked, k=4, per_section=1, per_document=3)
    assert Counter(p.doc_id for p in chosen) == {"a": 3, "b": 1}


# ---------------------------------------------------------------------------------------------
# documents past their review date (a tiny index with the hash embedder)


@pytest.fixture
def overdue_library(tmp_path: Path, hash_embedder):
    corpus = tmp_path / "corpus"
    body = "# {title}\n\n## What does the leaflet say?\n\n{text}\n"
    write_doc(corpus, "risks/current.md", body.format(
        title="Current leaflet", text="Bladder irritation after ketamine infusions should be reported to the nurse. "
        "Frequent urination and pain when passing urine are bladder warning signs."),
        title="Current leaflet", review_due="2099-01-01")
    write_doc(corpus, "risks/overdue.md", body.format(
        title="Overdue leaflet", text="Bladder irritation after ketamine infusions is a known risk. "
        "Urination pain and bladder warning signs need a call to the nurse."),
        title="Overdue leaflet", review_due="2026-02-01")
    index = tmp_path / "index"
    settings = Settings(data_dir=tmp_path / "data", exclude_overdue=False)
    report = ingest(corpus, index, settings, hash_embedder, today=date(2026, 6, 1))
    assert report.documents == 2 and any("risks/overdue" in w for w in report.warnings)
    return corpus, index


def _search(index_dir: Path, exclude_overdue: bool, today: date, embedder) -> list[Passage]:
    settings = Settings(data_dir=index_dir.parent / "data", exclude_overdue=exclude_overdue)
    retriever = Retriever(LibraryIndex(settings, index_dir), settings, today=lambda: today)
    query = "bladder warning signs after ketamine"
    return retriever.search(query, embedder.embed([query])[0], k=6)


def test_exclude_overdue_drops_passages_of_documents_past_review_due(overdue_library, hash_embedder):
    _, index = overdue_library
    kept = _search(index, exclude_overdue=False, today=date(2026, 6, 1), embedder=hash_embedder)
    assert {p.doc_id for p in kept} == {"risks/current", "risks/overdue"}
    filtered = _search(index, exclude_overdue=True, today=date(2026, 6, 1), embedder=hash_embedder)
    assert filtered and {p.doc_id for p in filtered} == {"risks/current"}


def test_exclude_overdue_counts_from_today_not_from_ingest_day(overdue_library, hash_embedder):
    _, index = overdue_library
    before_due = _search(index, exclude_overdue=True, today=date(2026, 1, 31), embedder=hash_embedder)
    assert "risks/overdue" in {p.doc_id for p in before_due}


def test_exclude_overdue_at_ingest_leaves_the_document_out(overdue_library, hash_embedder, tmp_path):
    corpus, _ = overdue_library
    index = tmp_path / "index-excluding"
    settings = Settings(data_dir=tmp_path / "data2", exclude_overdue=True)
    report = ingest(corpus, index, settings, hash_embedder, today=date(2026, 6, 1))
    assert report.documents == 1 and [s["path"] for s in report.skipped] == ["risks/overdue.md"]
    found = _search(index, exclude_overdue=False, today=date(2026, 6, 1), embedder=hash_embedder)
    assert {p.doc_id for p in found} == {"risks/current"}


# ---------------------------------------------------------------------------------------------
# a library about something else entirely


FOREIGN = {
    "garden/tomatoes.md": ("Growing tomatoes in containers", """# Growing tomatoes in containers

## Choosing a pot

Tomato plants need a container that holds at least twenty litres of compost. Dark plastic pots warm the roots quickly in spring. Drainage holes stop the roots from rotting.

## Watering and feeding

Water container tomatoes every morning in hot weather, soaking the compost until water runs from the drainage holes. Irregular watering causes the fruit to split and causes blossom end rot. Once the first flowers appear, feed the plants weekly with a high-potash liquid fertiliser.
"""),
    "animals/chickens.md": ("Keeping backyard chickens", """# Keeping backyard chickens

## Housing

A coop needs about one square metre of floor for every three hens, with a perch for roosting at night. Close the coop door at dusk, because foxes hunt in the evening.

## Cold weather

Hens cope well with cold but suffer in damp draughts. Add deep straw bedding in winter and check that the drinking water has not frozen each morning. Egg laying slows down when the days get short.
"""),
    "bikes/chain-care.md": ("Looking after a bicycle chain", """# Looking after a bicycle chain

## Cleaning and oiling

A dry chain squeaks with every turn of the pedals and wears out the gears. Wipe the chain with a rag, then put one drop of chain lubricant on each link. Wipe off the excess so that dirt does not stick to it.

## When to replace it

Chains stretch as they wear. A chain checker tool shows when a chain has stretched too far. Replacing a worn chain early saves the cassette and chainrings.
"""),
    "kitchen/tea.md": ("Brewing loose-leaf tea", """# Brewing loose-leaf tea

## Water temperature

Green tea tastes bitter when it is brewed with boiling water. Let the kettle cool to about eighty degrees before pouring it over green leaves. Black tea can take water straight off the boil.

## Steeping time

Steep black tea for three to five minutes and green tea for two to three minutes. Longer steeping releases more tannins and makes the cup harsher.
"""),
}

FOREIGN_QUERIES = [
    ("how often should I water tomato plants that are in pots?", "garden/tomatoes"),
    ("why are my tomatoes cracking open", "garden/tomatoes"),
    ("how do I keep my hens comfortable when it's freezing outside", "animals/chickens"),
    ("how much room does each chicken need in the henhouse", "animals/chickens"),
    ("my bike makes a squeaking noise when I pedal", "bikes/chain-care"),
    ("how can I tell if I need a new chain for my bicycle?", "bikes/chain-care"),
    ("why does my green tea taste so bitter", "kitchen/tea"),
    ("how many minutes should I let black tea brew", "kitchen/tea"),
]


@pytest.fixture(scope="module")
def foreign_pipeline(tmp_path_factory, real_embedder):
    root = tmp_path_factory.mktemp("foreign")
    corpus = root / "corpus"
    for rel, (title, body) in FOREIGN.items():
        write_doc(corpus, rel, body, title=title, topic="general")
    settings = Settings(data_dir=root / "data")
    report = ingest(corpus, root / "index", settings, real_embedder)
    assert report.documents == len(FOREIGN)
    return Pipeline.load(settings, root / "index", embedder=real_embedder, triage=PassThroughTriage())


@pytest.mark.parametrize("query, doc_id", FOREIGN_QUERIES)
def test_retrieval_works_on_a_library_it_has_never_seen(foreign_pipeline, query, doc_id):
    passages = foreign_pipeline.retrieve(Question(text=query), k=3)
    assert passages[0].doc_id == doc_id, [(p.doc_id, p.section, round(p.score, 4)) for p in passages]


def test_answers_on_a_foreign_library_cite_it(foreign_pipeline):
    answer = foreign_pipeline.ask(Question(text="why does my green tea taste so bitter"))
    assert answer.kind == "answer", answer.text
    assert answer.citations[0].doc_id == "kitchen/tea"
    assert "boiling" in answer.text.lower()
