"""Feedback and answer records: redaction, crisis counts only, the review queue."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from assistant.types import Answer, Citation
from ui.records import Records
from library.redact import redact


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
