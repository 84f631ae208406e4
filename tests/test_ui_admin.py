"""Staff library work without a browser: listing, staging an upload, publishing, rolling back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.indexing import ingest
from library.manifest import read_manifest
from tests.conftest import tree_digest
from tests.test_ui_support import library, write_small_corpus  # noqa: F401 - library is a fixture
from ui import library_admin as admin
from ui import staff_views as views

GOOD = """---
title: Old front matter title
topic: risks
status: draft
owner: nursing team
---

# Headaches after a session

Some people get a mild headache after a ketamine session. It usually fades within a day.
"""






def approved_form(**kw) -> admin.FrontMatterForm:
    fields = dict(
        title="Headaches after a session", topic="risks", status="approved", reviewed_by="Dr. Reviewer",
        reviewed_on="2026-02-01", sources="Test source, 2025\n- Another source",
    )
    fields.update(kw)
    return admin.FrontMatterForm(**fields)


def test_library_lists_every_document_with_status_and_overdue(library, settings, tmp_path):
    (library / "general" / "draft.md").write_text("---\ntitle: A draft\ntopic: general\nstatus: draft\n---\n\nText.\n")
    (library / "general" / "broken.md").write_text("no front matter here\n")
    rows = {r.path: r for r in admin.list_documents(library, read_manifest(settings.index_dir), today=date(2026, 6, 1))}
    assert rows["risks/common-side-effects.md"].overdue and rows["risks/common-side-effects.md"].chunks
    assert rows["general/draft.md"].status == "draft" and rows["general/draft.md"].chunks is None
    assert rows["general/broken.md"].status == "invalid" and "front matter" in rows["general/broken.md"].problem
    out = views.library_html(list(rows.values()))
    assert "kea-overdue" in out and "overdue" in out and "&lt;b&gt;during&lt;/b&gt;" in out


def test_broken_upload_is_reported_and_changes_nothing(library, settings, hash_embedder, tmp_path):
    before = tree_digest(library)
    upload = tmp_path / "bad.md"
    upload.write_text("# Body only\n\nText.\n")
    staged = admin.stage_upload(library, upload, "bad.md", approved_form(topic="nonsense", reviewed_on="01/02/2026", sources=""), hash_embedder, settings)
    assert not staged.ok
    text = " ".join(staged.problems)
    assert "topic must be one of" in text and "reviewed on must be a date written YYYY-MM-DD" in text
    assert "kea-error" in views.staged_html(staged) and "Nothing has been changed" in views.staged_html(staged)
    assert tree_digest(library) == before
    assert admin.publish(staged, library, settings.index_dir, settings, hash_embedder).ok is False
    assert tree_digest(library) == before


def test_unsupported_file_type_is_rejected_in_plain_words(library, settings, hash_embedder, tmp_path):
    upload = tmp_path / "notes.docx"
    upload.write_bytes(b"PK\x03\x04")
    with pytest.raises(admin.UploadRejected, match="not a file type the library takes"):
        admin.stage_upload(library, upload, "notes.docx", approved_form(), hash_embedder, settings)


def test_good_upload_previews_chunks_then_publishes(library, settings, hash_embedder, tmp_path):
    upload = tmp_path / "Headaches After.md"
    upload.write_text(GOOD)
    form, _ = admin.read_front_matter(upload)
    assert form.title == "Old front matter title" and form.extra == {"owner": "nursing team"}
    staged = admin.stage_upload(library, upload, upload.name, approved_form(extra=form.extra), hash_embedder, settings)
    assert staged.ok and staged.indexed and staged.target == "risks/headaches-after.md"
    assert staged.chunks and "mild headache" in staged.chunks[0].text
    assert not (library / staged.target).exists()  # nothing written before publishing
    calls = []
    result = admin.publish(staged, library, settings.index_dir, settings, hash_embedder, progress=lambda d, t: calls.append((d, t)))
    assert result.ok, result.message
    written = (library / "risks/headaches-after.md").read_text()
    assert "title: Headaches after a session" in written and "owner: nursing team" in written
    manifest = read_manifest(settings.index_dir)
    assert "risks/headaches-after" in manifest.documents and manifest.corpus_version == result.corpus_version
    assert calls


def test_failed_indexing_puts_the_previous_files_back(library, settings, hash_embedder, tmp_path):
    before = tree_digest(library)
    version = read_manifest(settings.index_dir).corpus_version
    upload = tmp_path / "iv.txt"
    upload.write_text("An IV session now lasts an hour.\n")
    staged = admin.stage_upload(
        library, upload, "iv.txt", approved_form(title="What an IV session is like", topic="process"), hash_embedder, settings,
        replace="process/iv-session.md",
    )
    assert staged.ok and staged.deletes == ["process/iv-session.md"]

    def exploding_ingest(*args, **kwargs):
        raise RuntimeError("disk full")

    result = admin.publish(staged, library, settings.index_dir, settings, hash_embedder, ingest_fn=exploding_ingest)
    assert not result.ok and "Nothing was published" in result.message and "disk full" in result.message
    assert tree_digest(library) == before
    assert read_manifest(settings.index_dir).corpus_version == version


def test_replacing_with_another_format_removes_the_old_file(library, settings, hash_embedder, tmp_path):
    upload = tmp_path / "iv.html"
    upload.write_text("<html><body><h1>What an IV session is like</h1><p>A session lasts about forty minutes.</p><script>x()</script></body></html>")
    staged = admin.stage_upload(
        library, upload, "iv.html", approved_form(title="What an IV session is like", topic="process"), hash_embedder, settings,
        replace="process/iv-session.md",
    )
    assert staged.ok, staged.problems
    assert all("x()" not in c.text for c in staged.chunks)
    assert admin.publish(staged, library, settings.index_dir, settings, hash_embedder).ok
    assert not (library / "process/iv-session.md").exists()
    assert (library / "process/iv-session.html").exists() and (library / "process/iv-session.meta.yaml").exists()
    assert "process/iv-session" in read_manifest(settings.index_dir).documents


def test_unreadable_front_matter_in_the_upload_is_explained(library, settings, hash_embedder, tmp_path):
    upload = tmp_path / "broken.md"
    upload.write_text("---\ntitle: [unclosed\ntopic: risks\n---\n\nBody.\n")
    staged = admin.stage_upload(library, upload, "broken.md", admin.FrontMatterForm(), hash_embedder, settings)
    assert not staged.ok
    assert staged.problems[0].startswith("The uploaded file's own front matter is not valid YAML")
    assert any("title is required" in p for p in staged.problems)


def test_review_queue_and_eval_views_escape_and_summarise(tmp_path):
    from assistant.types import Answer
    from ui.records import Records

    records = Records(tmp_path / "fb.sqlite3")
    records.log_answer("<script>x</script> does insurance pay?", Answer(kind="no_evidence", text="t"))
    records.log_answer("I want to end it", Answer(kind="crisis", text="t"))
    out = views.review_html(records.review_queue(), crisis_detail=False)
    assert "&lt;script&gt;" in out and "<script>" not in out
    assert "1 in total" in out and "Only counts are kept" in out and "end it" not in out
    assert views.eval_summary(tmp_path / "none") == (None, "")
    (tmp_path / "latest").mkdir()
    (tmp_path / "latest" / "result.json").write_text('{"pass_rate": 0.9}')
    (tmp_path / "latest" / "report.md").write_text("# Report")
    assert views.eval_summary(tmp_path / "latest") == ({"pass_rate": 0.9}, "# Report")
