"""Two-person clinical review: an editor's change waits, unpublished, until a different medical
reviewer approves it; the approval is written into the document and published all or nothing."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from ingest.indexing import ingest
from library.manifest import read_manifest
from tests.conftest import tree_digest
from tests.test_ui_support import library, write_small_corpus  # noqa: F401 - library is a fixture
from ui import clinical_review as review
from ui import library_admin as admin

DOC = """---
title: Headaches after a session
topic: risks
status: approved
reviewed_by: Someone Else
reviewed_on: 2025-01-01
sources:
  - Test source, 2025
---

# Headaches after a session

Some people get a mild headache after a ketamine session. It usually fades within a day.
"""
TODAY = date(2026, 12, 2)




def staged_upload(settings, embedder, tmp_path, replace=None, text=DOC):
    upload = tmp_path / "headaches.md"
    upload.write_text(text, encoding="utf-8")
    form, _ = admin.read_front_matter(upload)
    return admin.stage_upload(settings.corpus_dir, upload, upload.name, form, embedder, settings, replace=replace, today=TODAY)


def test_an_editors_upload_waits_for_review_and_changes_nothing_live(library, settings, hash_embedder, tmp_path):
    before = tree_digest(library), read_manifest(settings.index_dir).corpus_version
    change = review.submit(staged_upload(settings, hash_embedder, tmp_path), "erin", settings, now=datetime(2026, 12, 2, 9, tzinfo=timezone.utc))
    assert (tree_digest(library), read_manifest(settings.index_dir).corpus_version) == before
    (listed,) = review.pending(settings)
    assert listed == change and listed.editor == "erin" and listed.title == "Headaches after a session"
    assert listed.target == "risks/headaches.md" and not listed.replaces


@pytest.mark.parametrize(
    ("who", "role", "why"),
    [("erin", "reviewer", "a different medical reviewer"), ("ed", "editor", "Only a medical reviewer"), ("nobody", None, "Only a medical reviewer")],
)
def test_only_a_different_medical_reviewer_may_approve(library, settings, hash_embedder, tmp_path, who, role, why):
    change = review.submit(staged_upload(settings, hash_embedder, tmp_path), "erin", settings)
    before = tree_digest(library)
    with pytest.raises(review.ReviewRefused, match=why):
        review.approve(settings, change.id, who, role, library, settings.index_dir, hash_embedder, today=TODAY)
    assert tree_digest(library) == before and review.pending(settings) == [change]


def test_approval_writes_who_and_when_into_the_document_and_publishes_it(library, settings, hash_embedder, tmp_path):
    change = review.submit(staged_upload(settings, hash_embedder, tmp_path), "erin", settings)
    result = review.approve(settings, change.id, "dr.rao", "reviewer", library, settings.index_dir, hash_embedder, today=TODAY)
    assert result.ok, result.message
    assert result.message.startswith("Approved by dr.rao on 2026-12-02.")
    text = (library / "risks/headaches.md").read_text(encoding="utf-8")
    assert "status: approved" in text and "reviewed_by: dr.rao" in text and "reviewed_on: '2026-12-02'" in text
    assert "Someone Else" not in text  # the editor's own claim of a review does not survive
    manifest = read_manifest(settings.index_dir)
    assert any(entry.path == "risks/headaches.md" for entry in manifest.documents.values())
    assert review.pending(settings) == []


def test_a_revision_of_a_live_document_leaves_the_approved_version_live_until_approved(library, settings, hash_embedder, tmp_path):
    first = review.submit(staged_upload(settings, hash_embedder, tmp_path), "erin", settings)
    assert review.approve(settings, first.id, "dr.rao", "reviewer", library, settings.index_dir, hash_embedder, today=TODAY).ok
    live = (library / "risks/headaches.md").read_bytes()
    revised = DOC.replace("It usually fades within a day.", "It usually fades within a few hours.")
    second = review.submit(staged_upload(settings, hash_embedder, tmp_path, replace="risks/headaches.md", text=revised), "erin", settings)
    assert second.replaces and (library / "risks/headaches.md").read_bytes() == live
    review.discard(settings, second.id)
    assert review.pending(settings) == [] and (library / "risks/headaches.md").read_bytes() == live


def test_a_change_that_no_longer_passes_is_not_approved(library, settings, hash_embedder, tmp_path):
    change = review.submit(staged_upload(settings, hash_embedder, tmp_path), "erin", settings)
    # Meanwhile another document takes the same id: the pending change now collides with it.
    (library / "risks" / "clash.md").write_text(DOC.replace("title: Headaches", "id: risks/headaches\ntitle: Headaches"), encoding="utf-8")
    before = tree_digest(library)
    result = review.approve(settings, change.id, "dr.rao", "reviewer", library, settings.index_dir, hash_embedder, today=TODAY)
    assert not result.ok and "no longer passes" in result.message
    assert tree_digest(library) == before and len(review.pending(settings)) == 1


def test_unknown_or_malformed_change_ids_are_refused_in_words(settings):
    for bad in ("", "../../etc", "20261202T090000-zzzzzzzz"):
        with pytest.raises(review.ReviewRefused):
            review.find(settings, bad)
    assert review.upload_refusal(None, "draft") and review.upload_refusal("editor", "approved") is None
