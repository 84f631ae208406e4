"""The mapping from answer objects to what the chat shows: pure, no Gradio, no server."""

from __future__ import annotations

import html
import re

import pytest
from urllib.parse import quote

from assistant.types import Answer, AnswerSentence, Citation, QuoteSpan
from library.settings import ClinicProfile
from ui import render
from ui.texts import load_texts

CLINIC = ClinicProfile(name="Calm Clinic", phone="555-0100", email="hello@calm.example", booking_url="https://calm.example/book")


@pytest.fixture(scope="module")
def ctx() -> render.RenderContext:
    return render.RenderContext(load_texts(CLINIC), CLINIC, turn="t1")


def citation(n: int, **kw) -> Citation:
    fields = dict(
        n=n,
        doc_id="risks/common",
        title="Common side effects",
        chunk_id=f"risks/common#c{n}",
        quote="Nausea is common.",
        url=None,
        section="Common side effects › During a session",
        reviewed_on="2026-01-15",
    )
    fields.update(kw)
    return Citation(**fields)


def answer(**kw) -> Answer:
    fields = dict(kind="answer", text="Nausea is common [1]. It passes quickly [2].", citations=[citation(1), citation(2, quote="It passes quickly.")])
    fields.update(kw)
    return Answer(**fields)


def test_markers_link_to_cards_of_the_same_answer(ctx):
    out = render.answer_html(answer(), ctx)
    targets = re.findall(r'class="kea-cite" href="#([^"]+)"', out)
    ids = re.findall(r'<li class="kea-card" id="([^"]+)"', out)
    assert targets == ["src-t1-1", "src-t1-2"]
    assert ids == ["src-t1-1", "src-t1-2"]


def test_marker_without_citation_stays_text(ctx):
    out = render.answer_html(answer(text="Nausea is common [1]. Unknown [7]."), ctx)
    assert "Unknown [7]." in out
    assert 'href="#src-t1-7"' not in out


def test_card_shows_title_section_reviewed_date_quote_and_link(ctx):
    c = citation(1, url="https://calm.example/side-effects")
    out = render.source_card_html(c, ctx)
    assert "Common side effects" in out
    assert "During a session" in out and "Common side effects › During" not in out  # title not repeated
    assert "Reviewed on 2026-01-15" in out
    assert "<mark>Nausea is common.</mark>" in out
    assert 'href="https://calm.example/side-effects"' in out and 'rel="noopener noreferrer"' in out


def test_card_without_url_opens_the_page_view_at_the_quote(ctx):
    c = citation(1, reviewed_on=None, quote_start=10, quote_end=27)
    out = render.source_card_html(c, ctx)
    assert f'href="library/risks/common?chunk={quote("risks/common#c1", safe="")}&amp;mark=10-27#kea-cited"' in out
    assert "Review date not recorded" in out


def test_non_web_url_is_not_linked(ctx):
    out = render.source_card_html(citation(1, url="javascript:alert(1)"), ctx)
    assert "javascript:" not in out


def test_quote_is_highlighted_within_its_paragraph_from_its_own_spans(ctx):
    chunk = "First paragraph.\n\nBefore it. Nausea is common. After it.\n\nNext paragraph."
    at = chunk.index("Nausea")
    c = citation(1, quote_start=at, quote_end=at + 17, spans=[(at, at + 17)])
    local = render.RenderContext(ctx.texts, CLINIC, "t1", {"risks/common#c1": chunk})
    out = render.source_card_html(c, local)
    assert "Before it. <mark>Nausea is common.</mark> After it." in out
    assert "First paragraph" not in out and "Next paragraph" not in out


def test_two_quoted_sentences_are_two_highlights_and_nothing_is_searched_for():
    chunk = "Nausea is common. It is brief. It passes quickly."
    spans = [(0, 17), (31, 49)]
    c = citation(1, quote=chunk[0:49], quote_start=0, quote_end=49, spans=spans)
    runs = render.quote_in_context(chunk, c)
    assert [t for t, marked in runs if marked] == ["Nausea is common.", "It passes quickly."]
    assert any(not marked and "It is brief." in t for t, marked in runs)
    # Offsets that do not fit the chunk: the quote alone, never a guess.
    assert render.quote_in_context("short", citation(1, quote="Q.", quote_start=10, quote_end=40, spans=[(10, 40)])) == [("Q.", True)]


def test_quote_in_context_clips_long_paragraphs():
    before = "word " * 300
    chunk = before + "THE QUOTE." + " tail" * 300
    at = len(before)
    runs = render.quote_in_context(chunk, citation(1, quote="THE QUOTE.", quote_start=at, quote_end=at + 10, spans=[(at, at + 10)]), limit=200)
    (b, _), (q, marked), (a, _) = runs
    assert q == "THE QUOTE." and marked
    assert b.startswith("… ") and a.endswith(" …")
    assert len(b) + len(a) < 220


def test_quote_without_its_chunk_is_shown_alone():
    assert render.quote_in_context(None, citation(1, quote="q")) == [("q", True)]


def test_library_and_user_markup_is_escaped(ctx):
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    c = citation(1, title=f"Title {evil}", section=f"S {evil}", quote=f"Quote {evil}", url='https://x.example/"><script>')
    a = answer(text=f"Text {evil} [1].", citations=[c])
    out = render.answer_html(a, ctx)
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out
    assert '"><script>' not in out
    user = render.user_html(f"hi {evil}\nsecond line")
    assert "<script" not in user and "&lt;script&gt;alert(1)&lt;/script&gt;" in user and "<br>" in user


def test_bubble_has_no_blank_lines(ctx):
    a = answer(text="Para one [1].\n\nPara two [2].\n\n- item\n- item two")
    out = render.answer_html(a, ctx)
    assert "\n" not in out
    assert "<ul><li>item</li><li>item two</li></ul>" in out


def test_markdown_subset():
    out = render.markdown_html("**Bold** and *it* and `code`\n\n1. one\n2. two\n\n## Head\nSee https://calm.example/x.")
    assert "<strong>Bold</strong>" in out and "<em>it</em>" in out and "<code>code</code>" in out
    assert "<ol><li>one</li><li>two</li></ol>" in out
    assert '<p class="kea-heading"><strong>Head</strong></p>' in out
    assert 'href="https://calm.example/x"' in out  # the full stop stays outside the link


def test_crisis_banner_shows_resources_first(ctx):
    a = Answer(kind="crisis", text="Please reach out now.")
    out = render.answer_html(a, ctx)
    assert 'class="kea-crisis" role="alert"' in out
    assert out.index("988") < out.index("Please reach out now.")
    assert "kea-sources" not in out


def test_crisis_banner_does_not_repeat_resources_already_in_text(ctx):
    text = "\n".join(f"- **{r.name}:** {r.how}" for r in CLINIC.crisis_resources) + "\n\nYou matter."
    out = render.answer_html(Answer(kind="crisis", text=text), ctx)
    assert out.count(CLINIC.crisis_resources[0].how) == 1


def test_crisis_lines_are_tap_to_call_and_text_from_the_clinic_profile(ctx):
    from assistant.messages import render as message

    answer = Answer(kind="crisis", text=message("crisis", CLINIC, extra_resources=CLINIC.self_harm_resources))
    out = render.answer_html(answer, ctx)
    assert out.count('href="tel:988"') == 1 and out.count('href="sms:988"') == 1 and out.count('href="tel:911"') == 1
    assert 'href="sms:741741?&amp;body=HOME"' in out and "Text HOME to 741741" in out
    assert out.index('href="tel:988"') < out.index("glad you reached out")  # the first thing to tap
    notice = render.notice_html(ctx.texts, CLINIC)
    assert 'href="tel:988"' in notice and 'href="tel:911"' in notice


def test_a_clinic_line_abroad_dials_its_own_number_and_a_bad_number_is_refused_by_name():
    from pydantic import ValidationError

    from library.settings import CrisisResource

    r = CrisisResource(name="Samaritans", how="Call 116 123", call="116 123")
    assert 'href="tel:116123"' in render.actions_html(r, load_texts(CLINIC))
    assert 'href="tel:+33145394000"' in render.actions_html(CrisisResource(name="x", how="y", call="+33 1 45 39 40 00"), load_texts(CLINIC))
    with pytest.raises(ValidationError, match=r"(?s)call.*not a phone number"):
        CrisisResource(name="x", how="y", call="javascript:alert(1)")


def test_crisis_appears_in_one_frame(ctx):
    assert len(render.stream_frames(Answer(kind="crisis", text="One. Two. Three."), ctx)) == 1


def test_refusal_says_why_and_how_to_reach_the_clinic(ctx):
    a = Answer(kind="refusal", refusal_reason="medical_advice", text="Please ask your clinician.")
    out = render.answer_html(a, ctx)
    assert "kea-reason-medical_advice" in out
    assert "I can&#x27;t answer that here" in out and out.count("clinician") == 1  # the message says why, once
    assert "Call 555-0100" in out and "Email hello@calm.example" in out and 'href="https://calm.example/book"' in out


def test_refusal_contact_is_not_repeated_when_the_text_has_it(ctx):
    a = Answer(kind="refusal", refusal_reason="medical_advice", text="Please call Calm Clinic at 555-0100.")
    assert "kea-contact" not in render.answer_html(a, ctx)


def test_refusal_with_general_information_keeps_cards(ctx):
    a = Answer(kind="refusal", refusal_reason="medical_advice", text="Ask your clinician.\n\nNausea is common [1].", citations=[citation(1)])
    out = render.answer_html(a, ctx)
    assert "kea-card" in out and 'href="#src-t1-1"' in out


def test_a_refusal_without_a_reason_still_gets_its_banner_and_the_clinic_contact(ctx):
    out = html.unescape(render.answer_html(Answer(kind="refusal", text="No."), ctx))
    assert "I can't answer that here" in out and "Call 555-0100" in out


def test_no_evidence_says_so(ctx):
    out = render.answer_html(Answer(kind="no_evidence", text="The library doesn't cover that."), ctx)
    assert "Not covered by the library" in out and "kea-noevidence" in out


def test_a_greeting_reply_is_not_labelled_not_covered(ctx):
    from assistant.types import TriageDecision

    greeting = Answer(kind="no_evidence", text="What would you like to know?", triage=TriageDecision(category="small_talk", rule="small_talk"))
    out = render.answer_html(greeting, ctx)
    assert "What would you like to know?" in out and "kea-noevidence" not in out


def structured(*parts: tuple[str, int, str]) -> Answer:
    sentences = [AnswerSentence(text=t, citations=[n] if n else [], role=role, spans=[QuoteSpan(n=n, chunk_id=f"risks/common#c{n}", start=0, end=len(t))] if n else []) for t, n, role in parts]
    return answer(text="(not read when sentences are there)", sentences=sentences)


def test_the_bubble_is_rendered_from_the_answers_sentences(ctx):
    a = structured(("Side effects include:", 1, "claim"), ("nausea", 1, "list_item"), ("dizziness", 1, "list_item"), ("It passes quickly.", 2, "claim"))
    out = render.answer_html(a, ctx)
    assert "(not read" not in out
    assert re.search(r"<p>Side effects include <a[^>]*>\[1\]</a>:</p><ul><li>nausea <a[^>]*>\[1\]</a></li><li>dizziness", out)
    assert re.search(r"<p>It passes quickly <a[^>]*>\[2\]</a>\.</p>", out)


def test_a_refusals_own_words_are_framing_before_the_cited_sentences(ctx):
    a = structured(("Only a clinician who knows you can answer that.\n\nHere is some general information:", 0, "framing"), ("Nausea is common.", 1, "claim"))
    out = render.answer_html(a, ctx)
    assert out.index("Only a clinician") < out.index("Nausea is common")


def test_stream_frames_grow_sentence_by_sentence_and_end_complete(ctx):
    a = structured(("One is here.", 1, "claim"), ("Two is here.", 2, "claim"), ("Three is here.", 1, "claim"))
    frames = render.stream_frames(a, ctx)
    assert len(frames) == 3
    assert "Two" not in frames[0] and "Three" not in frames[1]
    assert "kea-sources" not in frames[0] and "kea-streaming" in frames[0]
    assert frames[-1] == render.answer_html(a, ctx)


def test_a_message_without_sentences_appears_in_one_go(ctx):
    assert len(render.stream_frames(answer(kind="no_evidence", text="Not covered. Call us.", citations=[]), ctx)) == 1


def test_notice_names_education_and_emergency_numbers():
    texts = load_texts(CLINIC)
    out = render.notice_html(texts, CLINIC)
    assert "not medical advice" in out and "988" in out and "911" in out


def test_a_web_address_in_a_library_sentence_is_text_not_a_link(ctx):
    a = structured(("See https://evil.example/take-more for details.", 1, "claim"), ("Or [this page](https://evil.example/x).", 1, "list_item"))
    out = render.answer_html(a, ctx)
    assert "evil.example" in out and 'href="https://evil.example' not in out


def test_the_clinics_own_framing_keeps_its_links(ctx):
    a = structured(("Book at [our site](https://riverside.example/book).", 0, "framing"), ("Nausea is common.", 1, "claim"))
    assert 'href="https://riverside.example/book"' in render.answer_html(a, ctx)


def test_a_card_never_ends_in_an_empty_highlight(ctx):
    chunk = "Nausea is common. \n\nNext."
    c = citation(1, spans=[(0, 17), (17, 19)])
    out = render.source_card_html(c, render.RenderContext(ctx.texts, CLINIC, "t1", {c.chunk_id: chunk}))
    assert not re.search(r"<mark>\s*</mark>", out) and "<mark>Nausea is common.</mark>" in out


def test_an_off_topic_refusal_says_why_once(ctx):
    from assistant.messages import render as message

    out = render.answer_html(Answer(kind="refusal", refusal_reason="out_of_scope", text=message("refusal_out_of_scope", CLINIC)), ctx)
    assert out.count("only answer questions about ketamine") == 1 and "only answers questions" not in out


def test_the_ui_uses_no_symbol_a_plain_system_font_lacks():
    """No emoji: a clinic's kiosk or a patient's old phone may have no emoji font (they render as boxes)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in [*root.joinpath("ui").rglob("*.py"), *root.joinpath("ui", "static").rglob("*"), *root.joinpath("prompts").rglob("*")]:
        if path.is_file():
            for ch in path.read_text(encoding="utf-8"):
                assert not (0x2600 <= ord(ch) <= 0x27BF or 0x1F000 <= ord(ch) <= 0x1FAFF), f"{path.name} uses {ch!r}"


def test_not_covered_answers_link_the_pages_they_suggest(ctx):
    from assistant.messages import render as message
    from assistant.types import Suggestion

    suggestions = [Suggestion(doc_id="process/iv-session", title="What an IV session is like"), Suggestion(doc_id="x", title="Costs", url="https://calm.example/costs")]
    text = message("no_evidence", CLINIC, suggestions=[s.title for s in suggestions])
    out = render.answer_html(Answer(kind="no_evidence", text=text, suggestions=suggestions), ctx)
    assert '<a href="library/process/iv-session" target="_blank"' in out and ">What an IV session is like</a></li>" in out
    assert '<a href="https://calm.example/costs"' in out
