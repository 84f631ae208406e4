"""Feedback and answer records: redaction, crisis counts only, the review queue."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from assistant.types import Answer, Citation
from ui.records import WITHHELD, Records
from library.redact import for_storage, redact


@pytest.mark.parametrize(
    "text, gone",
    [
        ("write to ana.lopez+ket@example.co.uk please", ["ana.lopez", "example.co.uk"]),
        ("call me on (555) 123-4567 or +44 7700 900123", ["123-4567", "7700 900123"]),
        ("my number is 5551234567", ["5551234567"]),
        ("I was born 03/04/1985", ["03/04/1985"]),
        ("DOB: 1985-04-03", ["1985-04-03"]),
        ("born on March 3rd, 1985", ["March 3rd, 1985"]),
        ("born 3 March 1985", ["3 March 1985"]),
        ("I was born in 1985 and wonder", ["1985"]),
        ("Hi, my name is Ana Lopez and I have a question", ["Ana", "Lopez"]),
        ("my name is ana, is ketamine safe", ["ana"]),
        ("I'm Ana. Is it safe?", ["Ana"]),
        ("I am Tom Baker, what does it do", ["Tom", "Baker"]),
        ("This is Maria. Does it hurt?", ["Maria"]),
    ],
)
def test_redaction_removes_identifying_details(text, gone):
    out = redact(text)
    for item in gone:
        assert item not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "I'm worried about side effects",
        "I am pregnant, is ketamine safe?",
        "I'm Not sure what ketamine does",
        "this is scary, what happens in a session?",
        "Is 988 free to call?",
        "Is 0.5 mg/kg over 40 minutes usual in 2019 studies?",
        "How many of 6 sessions?",
    ],
)
def test_redaction_keeps_ordinary_questions(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, gone",
    [
        ("my husband Tomasz drives me", ["Tomasz"]),
        ("my sister beatriz asked", ["beatriz"]),  # a lower-case word that is no English word
        ("My son Will is coming", ["Will"]),  # capitalised after a relation: a name even if a word
        ("my neighbor, Mr. abernathy, drives", ["abernathy"]),
        ("nguyen thi hoa, DOB 4/2/61. can i eat before?", ["nguyen", "hoa"]),
        ("Name: Will Smith", ["Will", "Smith"]),
    ],
)
def test_names_after_a_relation_or_before_a_birth_date_go(text, gone):
    out = redact(text)
    for item in gone:
        assert item not in out, out


@pytest.mark.parametrize(
    "text",
    [
        "my husband sits with me, is that ok?",  # an inflected English word after a relation
        "My doctor mentioned going up.",
        "Dr. Google says it is dangerous",
        "my PHQ-9 went from 21 to 9",
        "my pain is 9/10 after",
        "My DOB is on file already",
    ],
)
def test_ordinary_words_after_a_relation_stay(text):
    assert redact(text) == text


def test_storage_withholds_a_text_when_a_name_may_remain():
    # A capitalised word mid-sentence that no known vocabulary has, or a first word that is no
    # English word: unsure, so nothing is stored.
    assert for_storage("hey! this is me. Zainab had her infusion yesterday").text is None
    assert for_storage("can I bring Kowalczyk to the session?").text is None
    # A word the library uses is no name; a sentence's first English word is not either.
    assert for_storage("Honestly, is Spravato like ketamine?", known={"spravato"}).text == "Honestly, is Spravato like ketamine?"
    assert for_storage("Honestly, is Spravato like ketamine?").text is None


def test_a_redactor_that_fails_keeps_nothing(tmp_path, monkeypatch):
    import ui.records as records_module

    def broken(text, known=()):
        raise RuntimeError("boom")

    monkeypatch.setattr(records_module, "for_storage", broken)
    records = Records(tmp_path / "fb.sqlite3")
    answer_id = records.log_answer("my name is Ana", _answer())
    with sqlite3.connect(tmp_path / "fb.sqlite3") as db:
        assert db.execute("SELECT question FROM answers WHERE answer_id = ?", (answer_id,)).fetchone()[0] is None


def _answer(kind="answer", **kw) -> Answer:
    citations = [Citation(n=1, doc_id="risks/a", title="A", chunk_id="risks/a#1", quote="q")] if kind == "answer" else []
    return Answer(kind=kind, text="t", citations=citations, corpus_version="v1", **kw)


def test_feedback_is_stored_redacted_with_question_kind_citations_and_version(tmp_path):
    records = Records(tmp_path / "fb.sqlite3")
    answer_id = records.log_answer("My name is Ana, ana@x.example, 555-123-4567: what is ketamine?", _answer())
    assert records.add_feedback(answer_id, "down", "I'm Ana, call 555 987 6543")
    (row,) = records.feedback()
    assert row.rating == "down" and row.kind == "answer" and row.corpus_version == "v1"
    assert row.citations == [{"n": 1, "doc_id": "risks/a", "chunk_id": "risks/a#1", "title": "A"}]
    stored = row.question + " " + row.reason
    for secret in ("Ana", "ana@x.example", "555-123-4567", "987 6543"):
        assert secret not in stored
    raw = (tmp_path / "fb.sqlite3").read_bytes()
    assert b"ana@x.example" not in raw


def test_identifiable_text_kept_only_when_the_clinic_allows(tmp_path):
    records = Records(tmp_path / "fb.sqlite3", keep_identifiable_text=True)
    answer_id = records.log_answer("My name is Ana", _answer())
    records.add_feedback(answer_id, "up")
    assert records.feedback()[0].question == "My name is Ana"


def test_latest_rating_wins_and_reason_can_follow(tmp_path):
    records = Records(tmp_path / "fb.sqlite3")
    answer_id = records.log_answer("q", _answer())
    records.add_feedback(answer_id, "up")
    records.add_feedback(answer_id, "down")
    assert records.set_reason(answer_id, "missing dosing info for 555-123-4567")
    (row,) = records.feedback()
    assert row.rating == "down" and "[phone]" in row.reason
    records.remove_feedback(answer_id)
    assert records.feedback() == []


def test_a_reason_given_with_one_thumb_is_withdrawn_by_the_other_and_every_comment_reaches_staff(tmp_path):
    records = Records(tmp_path / "fb.sqlite3")
    first = records.log_answer("q1", _answer())
    records.add_feedback(first, "down", "the answer left out nausea")
    records.add_feedback(first, "down")  # the same thumb again: the reason stays
    assert records.feedback()[0].reason == "the answer left out nausea"
    records.add_feedback(first, "up")  # changed their mind: the complaint is withdrawn, not hidden
    (row,) = records.feedback()
    assert row.rating == "up" and row.reason is None
    assert records.review_queue().thumbs_down == []
    second = records.log_answer("q2", _answer())
    records.add_feedback(second, "up", "clear, but add the price")
    assert [f.reason for f in records.review_queue().thumbs_down] == ["clear, but add the price"]


def test_feedback_on_unknown_answer_is_refused(tmp_path):
    records = Records(tmp_path / "fb.sqlite3")
    assert records.add_feedback("nope", "up") is False
    with pytest.raises(ValueError):
        records.add_feedback("nope", "sideways")


def test_crisis_events_are_counts_only(tmp_path):
    path = tmp_path / "fb.sqlite3"
    records = Records(path)
    records.log_answer("I want to end my life, I'm Ana", _answer("crisis"))
    queue = records.review_queue()
    assert queue.crisis_total == 1 and queue.crisis_messages == []
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT question FROM answers").fetchall() == [(None,)]


def test_crisis_detail_when_turned_on_is_still_redacted(tmp_path):
    records = Records(tmp_path / "fb.sqlite3", crisis_event_detail=True)
    records.log_answer("I'm Ana and I want to end my life", _answer("crisis"))
    (when, text), = records.review_queue().crisis_messages
    assert "Ana" not in text and "[name]" in text


def test_review_queue_groups_gaps_and_lists_thumbs_down(tmp_path):
    clock = lambda: datetime(2026, 5, 1, 12, tzinfo=timezone.utc)  # noqa: E731
    records = Records(tmp_path / "fb.sqlite3", clock=clock)
    for _ in range(2):
        records.log_answer("Does insurance cover it?", _answer("no_evidence"))
    records.log_answer("What dose should I take?", _answer("refusal", refusal_reason="medical_advice"))
    liked = records.log_answer("What is ketamine?", _answer())
    records.add_feedback(liked, "down", "too short")
    queue = records.review_queue()
    assert [(g.question, g.count) for g in queue.gaps][0] == ("Does insurance cover it?", 2)
    assert {g.refusal_reason for g in queue.gaps} == {None, "medical_advice"}
    assert [f.reason for f in queue.thumbs_down] == ["too short"]
    assert queue.crisis_by_day == []


def test_withheld_questions_still_count_as_gaps(tmp_path):
    records = Records(tmp_path / "fb.sqlite3")
    records.log_answer("Can Kowalczyk drive me home after?", _answer("no_evidence"))
    records.log_answer("Does insurance cover it?", _answer("no_evidence"))
    gaps = {g.question: g.count for g in records.review_queue().gaps}
    assert gaps == {"Does insurance cover it?": 1, WITHHELD: 1}


def test_old_records_are_deleted_after_the_retention_period(tmp_path):
    now = [datetime(2026, 1, 1, tzinfo=timezone.utc)]
    records = Records(tmp_path / "fb.sqlite3", clock=lambda: now[0], keep_days=30)
    old = records.log_answer("What is ketamine?", _answer())
    records.add_feedback(old, "down")
    now[0] = datetime(2026, 1, 20, tzinfo=timezone.utc)
    recent = records.log_answer("Is it safe?", _answer())
    now[0] = datetime(2026, 2, 5, tzinfo=timezone.utc)
    assert records.purge() == 2  # the old answer and its feedback
    with sqlite3.connect(tmp_path / "fb.sqlite3") as db:
        assert [r[0] for r in db.execute("SELECT answer_id FROM answers")] == [recent]


def test_the_records_file_is_readable_by_its_owner_only(tmp_path):
    Records(tmp_path / "fb.sqlite3")
    assert (tmp_path / "fb.sqlite3").stat().st_mode & 0o077 == 0


def test_the_questions_log_filters_by_date_outcome_and_document_and_exports_safe_csv(tmp_path):
    import csv
    import io

    now = [datetime(2026, 11, 28, 9, tzinfo=timezone.utc)]
    records = Records(tmp_path / "fb.sqlite3", clock=lambda: now[0])
    cited = Answer(kind="answer", text="t", corpus_version="v1", citations=[Citation(n=1, doc_id="risks/a", title="A", chunk_id="risks/a#1", quote="q")])
    first = records.log_answer("what are the side effects", cited)
    now[0] = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)
    records.log_answer("=HYPERLINK(\"http://evil.example\") how much does it cost", Answer(kind="no_evidence", text="t"))
    records.log_answer("should I take more", Answer(kind="refusal", refusal_reason="medical_advice", text="t"))
    records.log_answer("i want to die", Answer(kind="crisis", text="t"))
    records.add_feedback(first, "down", "it left out nausea")

    everything = records.questions()
    assert [r.outcome for r in everything] == ["crisis", "refusal:medical_advice", "no_evidence", "answer"]
    assert everything[0].question.startswith("(crisis: counted, not kept)")
    assert [r.question for r in records.questions(until="2026-11-29")] == ["what are the side effects"]
    assert [r.outcome for r in records.questions(since="2026-11-29", outcome="refusal:medical_advice")] == ["refusal:medical_advice"]
    (only,) = records.questions(doc_id="risks/a")
    assert only.rating == "down" and only.reason == "it left out nausea"
    with pytest.raises(ValueError, match="since: 'last week' is not a date"):
        records.questions(since="last week")
    with pytest.raises(ValueError, match="outcome must be one of"):
        records.questions(outcome="everything")

    table = list(csv.reader(io.StringIO(Records.questions_csv(everything))))
    assert table[0][:4] == ["when", "channel", "question", "outcome"] and len(table) == 5
    assert all(not row[2].startswith("=") for row in table[1:])  # no formula runs in a spreadsheet
    assert dict(Records.per_day(everything)) == {"2026-11-28": {"answer": 1}, "2026-11-30": {"no_evidence": 1, "refusal:medical_advice": 1, "crisis": 1}}
