"""A library document's own page: reassembled exactly from its chunks, the quoted passage marked and
reachable, every piece of text inert; and served by the app behind the links a card shows."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from library.settings import ClinicProfile
from library.store import StoredChunk
from ui import document_page as page
from ui.render import page_link
from ui.texts import load_texts

TEXTS = load_texts(ClinicProfile())
DOC = (
    "Ketamine can cause nausea. Dizziness is common too.\n\n"
    "- Feeling detached\n- Raised blood pressure\n\n"
    "Most effects fade within two hours. See https://evil.example/x for more."
)


def chunk(i: int, start: int, end: int, section: str = "Side effects") -> StoredChunk:
    meta = {"doc_id": "risks/side", "title": "Side effects", "section": section, "char_start": start, "char_end": end,
            "reviewed_on": "2026-01-15", "review_due": "2027-01-15", "sources": '["FDA label for Spravato, 2019"]'}
    return StoredChunk(id=f"risks/side#c{i}", text=DOC[start:end], metadata=meta)


def chunks_overlapping() -> list[StoredChunk]:
    return [chunk(2, 40, 110), chunk(1, 0, 60), chunk(3, 100, len(DOC))]  # out of order, overlapping


def test_overlapping_chunks_reassemble_into_the_exact_text():
    pieces = page.reassemble(chunks_overlapping())
    assert len(pieces) == 1 and pieces[0].text == DOC


def test_the_quoted_passage_is_marked_once_and_is_the_scroll_target():
    c = chunk(1, 0, 60)
    a = DOC.index("Dizziness")
    html = page.document_page_html(chunks_overlapping(), TEXTS, ClinicProfile(), c.id, [(a, a + len("Dizziness is common too."))])
    assert html.count('id="kea-cited"') == 1
    assert re.search(r'<mark id="kea-cited"[^>]*>Dizziness is common too\.</mark>', html)
    assert "Reviewed on 2026-01-15" in html and "FDA label for Spravato, 2019" in html
    assert TEXTS["page.cited_note"] in html


def test_a_mark_over_a_list_keeps_the_list_and_never_spans_blocks():
    start = DOC.index("Feeling")
    end = DOC.index("pressure") + len("pressure")
    base = chunk(2, 40, 110)
    html = page.document_page_html(chunks_overlapping(), TEXTS, ClinicProfile(), base.id, [(start - 40, end - 40)])
    assert "<li><mark" in html and "<ul>" in html  # still a list, each item marked
    for block in re.findall(r"<(?:li|p)>(.*?)</(?:li|p)>", html):
        assert block.count("<mark") == block.count("</mark>")


def test_library_text_stays_inert_and_links_in_it_are_not_live():
    evil = StoredChunk(id="x#c1", text="<script>alert(1)</script> [click](https://evil.example)", metadata={"doc_id": "x", "title": "<b>T</b>", "char_start": 0})
    html = page.document_page_html([evil], TEXTS, ClinicProfile(), None, [])
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<b>T</b>" not in html
    assert 'href="https://evil.example' not in html


def test_marks_from_the_address_are_bounded_and_bad_ones_ignored():
    assert page.parse_marks("5-9,abc,9-5,1-2") == [(5, 9), (1, 2)]
    assert len(page.parse_marks(",".join(f"{i}-{i + 1}" for i in range(500)))) == page.MAX_MARKS
    assert page.parse_marks(None) == []
    assert not page.valid_doc_id("../etc/passwd") and page.valid_doc_id("risks/side-effects")


def test_every_page_offers_the_crisis_lines_as_tap_links():
    html = page.document_page_html(chunks_overlapping(), TEXTS, ClinicProfile(), None, [])
    assert 'href="tel:988"' in html and 'href="sms:988"' in html and 'href="tel:911"' in html


@pytest.fixture(scope="module")
def app_and_pipeline(tmp_path_factory):
    import assistant.pipeline as pipeline_module
    from assistant.pipeline import Pipeline
    from ingest.indexing import ingest
    from library.settings import Settings
    from tests.fakes import HashEmbedder
    from tests.test_ui_support import KeywordTriage, fallback_render, write_small_corpus
    from ui import create_app

    root = tmp_path_factory.mktemp("doc-page")
    settings = Settings(data_dir=root / "data", corpus_dir=root / "corpus")
    embedder = HashEmbedder()
    write_small_corpus(settings.corpus_dir)
    ingest(settings.corpus_dir, settings.index_dir, settings, embedder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline_module, "render", fallback_render(pipeline_module.render))
        pipeline = Pipeline.load(settings, embedder=embedder, triage=KeywordTriage())
        yield create_app(settings, pipeline), pipeline


def test_the_app_serves_the_page_a_card_links_to(app_and_pipeline):
    app, pipeline = app_and_pipeline
    client = TestClient(app)
    chunks = pipeline.document_chunks("process/iv-session")
    assert chunks
    target = next(c for c in chunks if "forty minutes" in c.text)
    a = target.text.index("An IV ketamine session")
    link = page_link("process/iv-session", target.id, [(a, a + len("An IV ketamine session lasts about forty minutes."))])
    response = client.get("/" + link.split("#")[0])
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    assert re.search(r'<mark id="kea-cited"[^>]*>An IV ketamine session lasts about forty minutes\.</mark>', response.text)
    assert 'href="../../"' in response.text  # back to the chat from /library/process/iv-session
    assert response.headers.get("x-content-type-options") == "nosniff"


def test_an_unknown_or_malformed_document_is_a_plain_404(app_and_pipeline):
    client = TestClient(app_and_pipeline[0])
    for path in ("/library/not/a/doc", "/library/..%2F..%2Fetc", "/library/" + "a" * 500):
        response = client.get(path)
        assert response.status_code == 404 and TEXTS["page.not_found"] in response.text
