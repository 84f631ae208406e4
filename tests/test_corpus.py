"""The clinic's starting library: valid, sourced, balanced across topics, and readable."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest.documents import TOPICS, load_corpus
from ingest.readability import flesch_kincaid_grade, prose
from tests.conftest import CORPUS

READING_GRADE_CEILING = 12.0  # generous: the target is grade 8-9; medical names push it up


@pytest.fixture(scope="module")
def library():
    return load_corpus(CORPUS)


def test_every_document_validates(library):
    assert library.problems == [], "\n".join(str(p) for p in library.problems)


def test_there_are_at_least_25_approved_documents(library):
    approved = [d for d in library.documents if d.meta.status == "approved"]
    assert len(approved) >= 25


def test_every_approved_document_lists_a_source(library):
    for doc in library.documents:
        assert [s for s in doc.meta.sources if s.strip()], doc.path


def test_each_topic_has_at_least_four_documents(library):
    counts = Counter(d.meta.topic for d in library.documents)
    for topic in TOPICS:
        assert counts[topic] >= 4, counts


def test_reading_grade_is_reported_and_under_the_ceiling(library, capsys):
    grades = {d.doc_id: flesch_kincaid_grade(prose(d.text[d.body_start :])) for d in library.documents}
    with capsys.disabled():
        print("\nreading grade (Flesch-Kincaid) per document:")
        for doc_id, grade in sorted(grades.items(), key=lambda kv: -kv[1]):
            print(f"  {grade:5.1f}  {doc_id}")
    too_hard = {k: round(v, 1) for k, v in grades.items() if v > READING_GRADE_CEILING}
    assert not too_hard


def test_headings_are_unique_within_a_document(library):
    from ingest.chunking import sections

    for doc in library.documents:
        labels = [s.path for s in sections(doc)]
        duplicates = [label for label, n in Counter(labels).items() if n > 1]
        assert not duplicates, (doc.path, duplicates)


def test_reading_grade_tells_plain_from_dense_text():
    plain = "Ketamine is a medicine. Doctors use it for pain. Some clinics use it for depression."
    dense = (
        "Pharmacological antagonism of N-methyl-D-aspartate receptors precipitates downstream "
        "neurotrophic signalling cascades, hypothetically facilitating synaptogenesis."
    )
    assert flesch_kincaid_grade(plain) < 6 < flesch_kincaid_grade(dense)


def test_staff_guide_exists():
    guide = (CORPUS / "README.md").read_text(encoding="utf-8")
    for field in ("reviewed_by", "reviewed_on", "review_due", "sources", "status", "python -m ingest"):
        assert field in guide
