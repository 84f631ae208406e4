"""End to end in headless Chromium: the patient chat and the staff console, on a small real index.

Chromium comes from the project's own scripts/install-browser.sh (Debian's package); Playwright
drives it through ``executable_path``. Screenshots of the chat land in screenshots/ (gitignored).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

import assistant.pipeline as pipeline_module
from tests.conftest import tree_digest
from tests.test_ui_support import STAFF, KeywordTriage, fallback_render, serve, write_small_corpus

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_model,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: run scripts/install-browser.sh as root"),
]




@pytest.fixture(scope="module")
def site(tmp_path_factory, real_embedder):
    from assistant.pipeline import Pipeline
    from ingest.indexing import ingest
    from library.settings import Settings
    from ui import create_app

    root = tmp_path_factory.mktemp("ui-browser")
    # The embed example is opened from a file: page; only the origins listed may frame the chat.
    settings = Settings(
        data_dir=root / "data", corpus_dir=root / "corpus", staff_username=STAFF[0], staff_password=STAFF[1], embed_origins=["file:"]
    )
    write_small_corpus(settings.corpus_dir)
    ingest(settings.corpus_dir, settings.index_dir, settings, real_embedder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline_module, "render", fallback_render(pipeline_module.render))
        pipeline = Pipeline.load(settings, embedder=real_embedder, triage=KeywordTriage())
        app = create_app(settings, pipeline)
        with serve(app) as url:
            yield url, settings, app


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def ask(page, question: str, selector: str = ".kea-answer:not(.kea-thinking):not(.kea-streaming)"):
    before = page.locator(selector).count()
    box = page.locator("#kea-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[selector, before], timeout=30_000
    )
    return page.locator(selector).nth(before)


def open_chat(page, url: str):
    page.goto(url + "/")
    page.wait_for_selector("#kea-chat")


def test_answer_shows_cited_source_cards(site, page, browser):
    url, _, _ = site
    open_chat(page, url)
    assert "not medical advice" in page.locator(".kea-notice").inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "desktop-start.png"))
    bubble = ask(page, "What are the most common side effects of ketamine?")
    assert "kea-kind-answer" in bubble.get_attribute("class")
    cards = bubble.locator(".kea-card")
    assert cards.count() >= 1
    first = cards.first
    assert "Reviewed on 2026-01-15" in first.inner_text()
    assert first.locator("mark").first.inner_text().strip()
    marker = bubble.locator("a.kea-cite").first
    target = marker.get_attribute("href").lstrip("#")
    assert page.locator(f"#{target}").count() == 1
    marker.focus()
    page.keyboard.press("Enter")  # keyboard access: the marker takes you to its card
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=target)
    time.sleep(0.6)
    page.screenshot(path=str(SHOTS / "desktop-answer.png"))

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    open_chat(phone, url)
    phone.screenshot(path=str(SHOTS / "phone-start.png"))
    ask(phone, "How long does an IV session last?")
    time.sleep(0.6)
    phone.screenshot(path=str(SHOTS / "phone-answer.png"))
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
    phone.context.close()


def test_crisis_message_shows_the_banner_first(site, page, browser):
    url, _, _ = site
    open_chat(page, url)
    bubble = ask(page, "i want to kill myself tonight")
    banner = bubble.locator(".kea-crisis[role=alert]")
    assert banner.count() == 1
    lines = [line for line in banner.inner_text().splitlines() if line.strip()]
    assert "988" in lines[1]  # right under the banner's heading, before any other word
    page.screenshot(path=str(SHOTS / "desktop-crisis.png"))
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    open_chat(phone, url)
    phone_bubble = ask(phone, "i want to kill myself tonight")
    time.sleep(1.2)  # after the chat's own autoscroll has run
    phone.screenshot(path=str(SHOTS / "phone-crisis.png"))
    # On a small screen the resources at the top of the message, not its end, are what is in view.
    first_resource = phone_bubble.locator(".kea-crisis li").first.bounding_box()
    assert first_resource is not None and 0 <= first_resource["y"] <= 844 - first_resource["height"], first_resource
    phone.context.close()


def test_markup_in_questions_and_documents_is_inert(site, page):
    url, _, _ = site
    open_chat(page, url)
    evil = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\"> <b>vivid</b> hallucinations during the infusion?"
    bubble = ask(page, evil)
    user = page.locator(".kea-user").last
    assert "<script>window.pwned=1</script>" in user.inner_text()
    assert "<b>vivid</b>" in user.inner_text()
    cards = bubble.locator(".kea-card")
    assert cards.count() >= 1, bubble.inner_html()
    shown = bubble.inner_text()
    assert "<img src=x" in shown or "<u>during</u>" in shown or "<b>during</b>" in shown
    assert page.locator("#kea-chat img[src=x], #kea-chat script, #kea-chat b, #kea-chat u").count() == 0
    assert page.evaluate("window.pwned === undefined && window.pwnedDoc === undefined")


def give_feedback(page, reason: str):
    page.locator("#kea-chat button[aria-label='Dislike']").last.click()
    page.wait_for_selector("#kea-feedback-text textarea", state="visible")
    page.locator("#kea-feedback-text textarea").fill(reason)
    page.locator("#kea-feedback-send").click()
    page.wait_for_selector("#kea-feedback-text textarea", state="hidden")


def feedback_rows(db_path: Path, expected: int) -> list[tuple]:
    deadline = time.time() + 10
    rows: list[tuple] = []
    while time.time() < deadline:
        with sqlite3.connect(db_path) as db:
            rows = db.execute(
                "SELECT rating, reason, question, kind, citations, corpus_version FROM feedback ORDER BY created_at"
            ).fetchall()
        if len(rows) >= expected and all(r[1] for r in rows):
            break
        time.sleep(0.2)
    return rows


def test_feedback_is_stored_redacted(site, page):
    url, settings, _ = site
    open_chat(page, url)
    ask(page, "What are the most common side effects of ketamine?")
    give_feedback(page, "I'm Sarah, born 03/04/1985, sarah.j@example.com: it didn't say how long it lasts")
    ask(page, "My name is Sarah Jones, sarah.j@example.com, 555-123-4567. Does insurance pay for it?")
    give_feedback(page, "call me on 555 987 6543")
    rows = [r for r in feedback_rows(settings.feedback_db, 2) if "side effects" in (r[2] or "") or "insurance" in (r[2] or "")]
    assert len(rows) == 2, rows
    (rating, reason, question, kind, citations, version), second = rows
    assert rating == "down" and kind == "answer" and version and "chunk_id" in citations
    assert question == "What are the most common side effects of ketamine?"
    assert second[0] == "down" and second[5]
    stored = " ".join(str(v) for row in rows for v in row)
    for secret in ("Sarah", "Jones", "sarah.j@example.com", "555-123-4567", "987 6543", "03/04/1985"):
        assert secret not in stored, stored
    assert "[name]" in stored and "[email]" in stored and "[phone]" in stored and "[date]" in stored


def staff_login(page, url: str, who: tuple[str, str] = STAFF):
    page.goto(url + "/staff/")
    page.wait_for_selector("input[type=password]")
    page.locator("input[type=text], input:not([type])").first.fill(who[0])
    page.locator("input[type=password]").fill(who[1])
    page.locator("input[type=password]").press("Enter")
    page.wait_for_selector("#kea-library table")


def staff_page(browser, url, who):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(60_000)
    staff_login(page, url, who)
    return page


def upload_and_check(page, doc, title: str, shows: str):
    """As an editor: upload ``doc``, wait for its front matter to fill the form, check it, and wait for ``shows``."""
    page.get_by_role("tab", name="Add or replace a document").click()
    page.locator("#kea-upload input[type=file]").set_input_files(str(doc))
    page.wait_for_function(
        "(t) => { const f = document.querySelector('#kea-f-title textarea, #kea-f-title input'); return f && f.value === t; }", arg=title
    )
    page.locator("#kea-check").click()
    page.wait_for_selector(shows)


def test_staff_path_requires_login(site, page):
    url, _, _ = site
    page.goto(url + "/staff/")
    page.wait_for_selector("input[type=password]")
    assert page.locator("#kea-library").count() == 0
    page.locator("input[type=text], input:not([type])").first.fill(STAFF[0])
    page.locator("input[type=password]").fill("wrong password")
    page.locator("input[type=password]").press("Enter")
    page.wait_for_timeout(1500)
    assert page.locator("#kea-library").count() == 0
    staff_login(page, url)
    table = page.locator("#kea-library").inner_text()
    assert "Common side effects" in table and "overdue" in table
    assert page.locator("#kea-library tr.kea-overdue").count() == 1


def test_broken_upload_shows_its_error_and_changes_nothing(site, page, tmp_path):
    url, settings, _ = site
    before = tree_digest(settings.corpus_dir)
    manifest_before = (settings.index_dir / "manifest.json").read_bytes()
    staff_login(page, url)
    page.get_by_role("tab", name="Add or replace a document").click()
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\ntopic: risks\n---\n\nBody <script>window.pwnedStaff=1</script>\n")
    page.locator("#kea-upload input[type=file]").set_input_files(str(broken))
    page.wait_for_timeout(1500)
    page.locator("#kea-check").click()
    error = page.locator("#kea-preview .kea-error")
    error.wait_for()
    text = error.inner_text()
    assert "cannot be published" in text and "Nothing has been changed" in text and "not valid YAML" in text and "title is required" in text
    assert page.locator("#kea-publish").is_disabled()
    page.screenshot(path=str(SHOTS / "staff-broken-upload.png"), full_page=True)
    assert tree_digest(settings.corpus_dir) == before
    assert (settings.index_dir / "manifest.json").read_bytes() == manifest_before
    assert page.evaluate("window.pwnedStaff === undefined")


def test_embed_example_page_shows_the_chat(site, page):
    url, _, _ = site
    page.goto((REPO / "examples" / "embed.html").as_uri() + f"?app={url}/")
    frame = page.frame_locator("iframe.assistant-frame")
    frame.locator("#kea-chat").wait_for()
    assert "not medical advice" in frame.locator(".kea-notice").inner_text()


# ------------------------------------------------------------------------------------------------
# The patient's experience on a phone, by keyboard, in a frame, and for assistive technology

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SERIOUS = ("serious", "critical")


def phone_page(browser, **extra):
    context = browser.new_context(**PHONE, **extra)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def axe_problems(page, context: str = "") -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context or None)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def duplicate_ids(page) -> list[str]:
    return page.evaluate(
        "() => { const c = {}; document.querySelectorAll('[id]').forEach(e => c[e.id] = (c[e.id] || 0) + 1);"
        " return Object.keys(c).filter(k => k && c[k] > 1); }"
    )


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 40) <= page.viewport_size["height"]


def test_crisis_lines_are_tap_to_call_and_text_on_a_phone(site, browser):
    url, _, _ = site
    phone = phone_page(browser)
    open_chat(phone, url)
    notice = phone.locator(".kea-notice")
    assert notice.locator('a[href="tel:988"]').is_visible() and notice.locator('a[href="sms:988"]').is_visible()
    assert notice.locator('a[href="tel:911"]').is_visible()
    bubble = ask(phone, "i want to kill myself tonight")
    call = bubble.locator('.kea-crisis a[href="tel:988"]')
    assert call.count() == 1 and bubble.locator('.kea-crisis a[href="sms:988"]').count() == 1
    time.sleep(0.8)
    assert in_view(phone, call), "the first tap-to-call link is what a person in crisis sees"
    box = call.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24  # WCAG 2.2 target size
    phone.screenshot(path=str(SHOTS / "phone-crisis-tap.png"))
    ask(phone, "How long does an IV session last?")  # the conversation goes on, the help lines stay marked
    assert phone.evaluate("document.documentElement.classList.contains('kea-after-crisis')")
    assert in_view(phone, notice.locator('a[href="tel:988"]'))
    phone.context.close()


def test_a_phone_shows_the_start_of_a_long_answer_and_the_chat_fills_the_screen(site, browser):
    url, _, _ = site
    phone = phone_page(browser)
    open_chat(phone, url)
    chat = phone.locator("#kea-chat")
    assert chat.bounding_box()["height"] >= 0.45 * 844, chat.bounding_box()
    assert phone.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 2"), "the page itself does not scroll"
    for question in ("What are the most common side effects of ketamine?", "What is an IV session like and how do I get home?"):
        bubble = ask(phone, question)
        time.sleep(1.0)
        top = bubble.bounding_box()["y"]
        pane = chat.bounding_box()
        assert pane["y"] - 2 <= top <= pane["y"] + 60, (top, pane)  # the answer's first line, not its source cards
    assert not phone.locator("#kea-chat button[aria-label='Clear']").is_visible()  # no clear icon over the bubbles
    phone.screenshot(path=str(SHOTS / "phone-long-answer.png"))
    phone.context.close()


def test_feedback_opens_without_pushing_the_question_box_away(site, browser):
    url, _, _ = site
    phone = phone_page(browser)
    open_chat(phone, url)
    ask(phone, "What are the most common side effects of ketamine?")
    phone.locator("#kea-chat button[aria-label='Dislike']").last.click()
    reason = phone.locator("#kea-feedback-text textarea")
    reason.wait_for(state="visible")
    time.sleep(0.5)
    assert in_view(phone, reason) and in_view(phone, phone.locator("#kea-question textarea"))
    assert phone.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 2")
    assert duplicate_ids(phone) == []
    phone.screenshot(path=str(SHOTS / "phone-feedback.png"))
    phone.context.close()


def test_every_control_shows_keyboard_focus_and_starters_look_like_buttons(site, page):
    url, _, _ = site
    open_chat(page, url)
    starter = page.locator("#kea-chat .examples button.example").first
    style = starter.evaluate("b => { const s = getComputedStyle(b); return [s.borderTopWidth, s.borderTopStyle, s.cursor]; }")
    assert style[1] != "none" and float(style[0].rstrip("px")) >= 1 and style[2] == "pointer", style
    page.keyboard.press("Tab")
    box = page.locator("#kea-question textarea")
    box.focus()
    outline = box.evaluate("t => { const s = getComputedStyle(t); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert outline[0] != "none" and outline[1] >= 2, outline
    # By keyboard alone: type, send with Enter, reach the answer's first source link with Tab.
    box.fill("How long does an IV session last?")
    box.press("Enter")
    page.wait_for_selector(".kea-kind-answer:not(.kea-streaming)")
    assert page.locator("[role=log][aria-live=polite]").count() == 1  # answers are announced


def test_a_source_without_a_web_page_opens_the_page_view_at_the_quoted_passage(site, page):
    url, _, _ = site
    open_chat(page, url)
    bubble = ask(page, "How long does an IV ketamine session last?")
    link = bubble.locator(".kea-card-link a").first
    assert link.count() == 1
    href = link.get_attribute("href")
    assert href.startswith("library/process/iv-session?chunk=") and "#kea-cited" in href, href
    with page.context.expect_page() as opened:
        link.click()
    doc = opened.value
    doc.wait_for_load_state()
    cited = doc.locator("mark#kea-cited")
    assert cited.count() == 1 and "forty minutes" in doc.locator("mark").all_inner_texts()[0] + " ".join(doc.locator("mark").all_inner_texts())
    time.sleep(0.4)
    assert in_view(doc, cited)
    assert "Review date not recorded" in doc.inner_text("body") or "Reviewed on" in doc.inner_text("body")
    doc.screenshot(path=str(SHOTS / "desktop-page-view.png"))
    assert axe_problems(doc) == []
    doc.locator(".kea-page-back a").click()
    doc.wait_for_selector("#kea-chat")  # back to the chat


def test_axe_finds_no_serious_problem_on_the_chat_an_answer_a_crisis_and_a_refusal(site, page, browser):
    url, _, _ = site
    open_chat(page, url)
    problems = {"start": axe_problems(page)}
    ask(page, "What are the most common side effects of ketamine?")
    problems["answer"] = axe_problems(page)
    ask(page, "i want to kill myself tonight")
    problems["crisis"] = axe_problems(page)
    ask(page, "what's the weather tomorrow")
    problems["refusal"] = axe_problems(page)
    phone = phone_page(browser)
    open_chat(phone, url)
    ask(phone, "What are the most common side effects of ketamine?")
    problems["phone answer"] = axe_problems(phone)
    phone.context.close()
    assert all(not v for v in problems.values()), problems


def test_axe_finds_no_serious_problem_on_the_staff_console(site, page):
    url, _, _ = site
    staff_login(page, url)
    assert axe_problems(page) == []


def test_the_embedded_chat_fits_its_frame_without_nested_scrolling_or_a_second_title(site, page):
    url, _, _ = site
    page.goto((REPO / "examples" / "embed.html").as_uri() + f"?app={url}/?embed=1")
    frame = page.frame_locator("iframe.assistant-frame")
    frame.locator("#kea-chat").wait_for()
    time.sleep(0.8)
    inner = page.frames[1]
    assert inner.evaluate("document.documentElement.classList.contains('kea-embed')")
    assert not frame.locator(".kea-header").is_visible()  # the host page has its own title
    assert frame.locator('.kea-notice a[href="tel:988"]').is_visible()  # the crisis line stays
    assert inner.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 2"), "no scrollbar inside the frame"
    page.screenshot(path=str(SHOTS / "embed.png"))


REVIEWED_DOC = """---
title: Headaches after a session
topic: risks
status: approved
sources:
  - Test source, 2025
---

# Headaches after a session

Some people get a mild headache after a ketamine session. It usually fades within a day.
"""


def test_an_editor_uploads_and_only_a_different_reviewer_approves_it(site, browser, tmp_path):
    from ui import accounts

    url, settings, _ = site
    editor, reviewer = ("erin", "violet-harbour-lantern-7"), ("dr.rao", "quiet-meadow-compass-42")
    accounts.add(settings, editor[0], "editor", editor[1])
    accounts.add(settings, reviewer[0], "reviewer", reviewer[1])
    doc = tmp_path / "headaches-after-a-session.md"
    doc.write_text(REVIEWED_DOC, encoding="utf-8")
    before = tree_digest(settings.corpus_dir)

    page = staff_page(browser, url, editor)
    upload_and_check(page, doc, "Headaches after a session", "#kea-preview .kea-ok")
    page.locator("#kea-publish").click()
    page.wait_for_function("() => document.querySelector('#kea-publish-status').innerText.includes('Sent for medical review')")
    assert page.locator("#kea-preview .kea-ok").count() == 0  # the stale "ready" preview is gone
    assert tree_digest(settings.corpus_dir) == before  # nothing is live yet
    page.get_by_role("tab", name="Medical review").click()
    page.wait_for_selector("#kea-change-view pre.kea-diff")
    page.locator("#kea-approve").click()
    page.wait_for_function("() => document.querySelector('#kea-approve-status').innerText.includes('Only a medical reviewer')")
    page.screenshot(path=str(SHOTS / "staff-review-refused-own-change.png"))
    assert tree_digest(settings.corpus_dir) == before
    page.context.close()

    page = staff_page(browser, url, reviewer)
    page.get_by_role("tab", name="Medical review").click()
    page.wait_for_selector("#kea-change-view pre.kea-diff")
    assert "sent by erin" in page.locator("#kea-change-view").inner_text()
    page.locator("#kea-approve").click()
    page.wait_for_function("() => document.querySelector('#kea-approve-status').innerText.includes('Approved by dr.rao')", timeout=120_000)
    page.screenshot(path=str(SHOTS / "staff-review-approved.png"))
    published = (settings.corpus_dir / "risks" / "headaches-after-a-session.md").read_text(encoding="utf-8")
    assert "status: approved" in published and "reviewed_by: dr.rao" in published
    page.context.close()


def test_staff_filter_the_questions_log_and_export_it(site, page):
    from datetime import date

    url, _, _ = site
    open_chat(page, url)
    ask(page, "How long does an IV session last?")
    staff_login(page, url)
    page.get_by_role("tab", name="Questions").click()
    table = page.locator("#kea-questions")
    page.wait_for_function("() => document.querySelector('#kea-questions').innerText.includes('How long does an IV session last?')")
    page.locator("#kea-q-since textarea, #kea-q-since input").first.fill("yesterday")
    page.locator("#kea-q-apply").click()
    page.wait_for_function("() => document.querySelector('#kea-questions').innerText.includes('is not a date')")
    page.locator("#kea-q-since textarea, #kea-q-since input").first.fill(date.today().isoformat())
    page.locator("#kea-q-apply").click()
    page.wait_for_function("() => document.querySelector('#kea-questions').innerText.includes('By day')")
    assert "answered" in table.inner_text()
    link = page.locator("#kea-q-csv a").first
    link.wait_for()
    csv_text = page.request.get(link.get_attribute("href")).text()
    assert csv_text.startswith("when,channel,question,outcome") and "How long does an IV session last?" in csv_text
    page.screenshot(path=str(SHOTS / "staff-questions-log.png"), full_page=True)


FEES_DOC = """---
title: Paying for treatment
topic: process
status: draft
sources:
  - Test source, 2025
---

# Paying for treatment

Many insurance plans do not pay for ketamine infusions. The front desk explains the fees before a first visit.
"""


def test_publish_with_its_checks_then_roll_back_from_the_history(site, browser, tmp_path):
    from library.manifest import read_manifest
    from ui import accounts

    url, settings, _ = site
    editor, reviewer = ("ed.fees", "amber-river-window-31"), ("dr.fees", "silver-forest-anchor-58")
    accounts.add(settings, editor[0], "editor", editor[1])
    accounts.add(settings, reviewer[0], "reviewer", reviewer[1])
    doc = tmp_path / "paying-for-treatment.md"
    doc.write_text(FEES_DOC, encoding="utf-8")

    page = staff_page(browser, url, editor)
    upload_and_check(page, doc, "Paying for treatment", "#kea-preview .kea-checks")
    checks = page.locator("#kea-preview .kea-checks").inner_text()
    assert "Near-duplicates" in checks and "Reading grade" in checks and "Held-content checks passed" in checks
    # The checks sit above the button that sends the document on.
    assert page.locator("#kea-preview").bounding_box()["y"] < page.locator("#kea-publish").bounding_box()["y"]
    page.screenshot(path=str(SHOTS / "staff-checks-before-publishing.png"), full_page=True)
    page.locator("#kea-publish").click()
    page.wait_for_function("() => document.querySelector('#kea-publish-status').innerText.includes('Sent for medical review')")
    page.context.close()

    before = read_manifest(settings.index_dir).corpus_version
    page = staff_page(browser, url, reviewer)
    page.get_by_role("tab", name="Medical review").click()
    page.wait_for_function("() => document.querySelector('#kea-change-view').innerText.includes('Paying for treatment')")
    page.wait_for_selector("#kea-change-view .kea-checks")
    page.locator("#kea-approve").click()
    page.wait_for_function("() => document.querySelector('#kea-approve-status').innerText.includes('Approved by dr.fees')", timeout=120_000)
    after = read_manifest(settings.index_dir).corpus_version
    assert after != before

    page.get_by_role("tab", name="History").click()
    page.wait_for_function("() => document.querySelector('#kea-history').innerText.includes('added: process/paying-for-treatment.md')")
    history = page.locator("#kea-history").inner_text()
    assert "dr.fees" in history
    page.locator("#kea-rollback").click()
    page.wait_for_function("() => document.querySelector('#kea-history-status').innerText.includes('Rolled back')")
    page.wait_for_function("() => document.querySelector('#kea-history').innerText.includes('rollback')")
    page.screenshot(path=str(SHOTS / "staff-history-rolled-back.png"), full_page=True)
    assert read_manifest(settings.index_dir).corpus_version == before
    page.context.close()


def test_a_gap_cluster_becomes_a_prefilled_draft(site, page):
    url, _, _ = site
    open_chat(page, url)
    for question in ("Will my insurance pay for the infusions?", "Does insurance pay for infusions?"):
        answer = ask(page, question)
        assert "kea-crisis" not in (answer.get_attribute("class") or "")
    staff_login(page, url)
    page.get_by_role("tab", name="Gaps").click()
    page.locator("#kea-gaps-refresh").click()
    page.wait_for_function("() => document.querySelector('#kea-gaps').innerText.includes('insurance pay for')")
    page.wait_for_function("() => { const g = document.querySelector('#kea-gap-choice input'); return g && g.value.includes('insurance'); }")
    page.screenshot(path=str(SHOTS / "staff-gaps.png"), full_page=True)
    page.locator("#kea-gap-draft").click()
    page.wait_for_function(
        "() => { const b = document.querySelector('#kea-f-body textarea'); return b && b.value.includes('## ') && b.value.toLowerCase().includes('insurance'); }"
    )
    title = page.locator("#kea-f-title textarea, #kea-f-title input").first.input_value()
    assert "insurance" in title.lower()
    assert page.locator("#kea-draft-note").inner_text().startswith("Drafted from")
    page.screenshot(path=str(SHOTS / "staff-gap-draft.png"), full_page=True)


def test_reduced_motion_is_honoured_and_the_chat_works_by_keyboard_alone(site, browser):
    url, _, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(30_000)
    open_chat(page, url)
    page.locator("#kea-question textarea").focus()
    page.keyboard.type("How long does an IV session last?")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement && document.activeElement.id") == "kea-send"  # the next control is Send
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert outline[0] != "none" and outline[1] >= 2, outline
    page.keyboard.press("Enter")
    bubble = page.locator(".kea-kind-answer:not(.kea-streaming)").first
    bubble.wait_for()
    card = bubble.locator(".kea-card").first
    assert card.evaluate("c => getComputedStyle(c).transitionDuration") in ("0s", "0s, 0s")  # no animation asked for
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") != "smooth"
    context.close()
