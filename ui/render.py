"""Answer → what the chat shows. Pure functions: no Gradio, no I/O, tested alone.

Every piece of library or user text passes through ``html.escape`` before it reaches the page; the
only markup in the output is the markup written here. The chat bubble is one HTML block without
blank lines, so the chat's Markdown renderer passes it through untouched.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping
from urllib.parse import quote

from typing import Sequence

from assistant.compose.citations import with_marker
from assistant.types import Answer, AnswerSentence, Citation
from library.settings import ClinicProfile, CrisisResource
from ui.texts import Texts

SECTION_SEPARATOR = " › "
PAGE_ROUTE = "library"
"""A library document's own page is ``/library/DOC_ID`` (ui/document_page.py)."""
CITED_ID = "kea-cited"
MAX_MARKS = 20
_MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_INLINE_TOKEN = re.compile(
    r"(?P<link>\[(?P<label>[^\]\n]+)\]\((?P<href>https?://[^\s)]+)\))"
    r"|(?P<url>\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)])"
    r"|(?P<marker>\[(?P<nums>\d{1,3}(?:\s*,\s*\d{1,3})*)\])"
    r"|(?P<code>`[^`\n]+`)"
)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")


@dataclass(frozen=True)
class RenderContext:
    """What rendering needs besides the answer. ``turn`` makes card ids unique within a page."""

    texts: Texts
    clinic: ClinicProfile
    turn: str = "a"
    chunk_texts: Mapping[str, str] = field(default_factory=dict)


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def page_link(doc_id: str, chunk_id: str | None = None, spans: Sequence[tuple[int, int]] = ()) -> str:
    """A relative link (right behind a proxy prefix too) to a document's page; with a chunk, to the
    quoted passage in it, which the page highlights and scrolls to."""
    href = f"{PAGE_ROUTE}/{quote(doc_id, safe='/')}"
    if chunk_id is None:
        return href
    marks = ",".join(f"{a}-{b}" for a, b in list(spans)[:MAX_MARKS])
    return f"{href}?chunk={quote(chunk_id, safe='')}" + (f"&mark={marks}" if marks else "") + f"#{CITED_ID}"


def card_id(turn: str, n: int) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "", turn) or "a"
    return f"src-{safe}-{n}"


# ------------------------------------------------------------------------------------------------
# Markdown, a small safe subset: paragraphs, lists, headings, bold, italics, code, links, markers


def inline_html(text: str, marker: Callable[[int], str | None] | None = None, links: bool = True) -> str:
    """One line of Markdown as escaped HTML. ``marker(n)`` gives a marker's link target, or None.
    ``links=False``: web addresses stay text (a library document's body never makes a live link;
    only the clinic's own messages and a document's reviewed ``url`` do)."""
    tokens: list[str] = []

    def stash(fragment: str) -> str:
        tokens.append(fragment)
        return f"\x00{len(tokens) - 1}\x00"

    def replace(m: re.Match[str]) -> str:
        if m.group("link"):
            return stash(_external_link(m.group("href"), m.group("label")) if links else esc(m.group("label") + " (" + m.group("href") + ")"))
        if m.group("url"):
            return stash(_external_link(m.group("url"), m.group("url")) if links else esc(m.group("url")))
        if m.group("code"):
            return stash(f"<code>{esc(m.group('code')[1:-1])}</code>")
        nums = [int(n) for n in re.split(r"\s*,\s*", m.group("nums"))]
        return stash("".join(_marker_html(n, marker) for n in nums))

    text = text.replace("\x00", "")
    out = esc(_INLINE_TOKEN.sub(replace, text))
    out = _BOLD.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", out)
    out = _ITALIC.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", out)
    return re.sub(r"\x00(\d+)\x00", lambda m: tokens[int(m.group(1))], out)


def _external_link(href: str, label: str) -> str:
    return f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>'


def _marker_html(n: int, marker: Callable[[int], str | None] | None) -> str:
    target = marker(n) if marker else None
    if target is None:
        return f"[{n}]"
    return f'<a class="kea-cite" href="#{esc(target)}" title="Source {n}">[{n}]</a>'


def markdown_html(text: str, marker: Callable[[int], str | None] | None = None, links: bool = True) -> str:
    """Block-level Markdown as HTML on one line (no blank lines to end an HTML block early).
    ``links=False``: a library document's own text, whose web addresses stay text."""
    out: list[str] = []
    paragraph: list[str] = []
    list_tag: str | None = None
    items: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            out.append(f"<p>{' '.join(inline_html(line, marker, links) for line in paragraph)}</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            out.append(f"<{list_tag}>{''.join(f'<li>{item}</li>' for item in items)}</{list_tag}>")
            items.clear()
            list_tag = None

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            close_paragraph()
            close_list()
            continue
        bullet, numbered, heading = _BULLET.match(line), _NUMBERED.match(line), _HEADING.match(line)
        if bullet or numbered:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                list_tag = tag
            items.append(inline_html(bullet.group(1) if bullet else numbered.group(2), marker, links))
        elif heading:
            close_paragraph()
            close_list()
            out.append(f'<p class="kea-heading"><strong>{inline_html(heading.group(1), marker, links)}</strong></p>')
        elif list_tag and raw[:1].isspace() and items:
            items[-1] += " " + inline_html(line.strip(), marker, links)
        else:
            close_list()
            paragraph.append(line.strip())
    close_paragraph()
    close_list()
    return "".join(out)


# ------------------------------------------------------------------------------------------------
# source cards


def quote_in_context(chunk_text: str | None, citation: Citation, limit: int = 600) -> list[tuple[str, bool]]:
    """The paragraph around the citation's quote as runs of (text, highlighted), from the spans the
    answer carries: nothing is searched for again. The quote alone when the chunk is not at hand."""
    spans = sorted(citation.spans) or ([(citation.quote_start, citation.quote_end)] if citation.quote_start is not None else [])
    if not chunk_text or not spans or any(not (0 <= a < b <= len(chunk_text)) for a, b in spans):
        return [(citation.quote.strip(), True)]
    first, last = spans[0][0], spans[-1][1]
    start = chunk_text.rfind("\n\n", 0, first)
    start = 0 if start < 0 else start + 2
    end = chunk_text.find("\n\n", last)
    end = len(chunk_text) if end < 0 else end
    room = max(0, limit - (last - first))
    before = _clip(chunk_text[start:first], room // 2, keep="end")
    after = _clip(chunk_text[last:end], room - len(before), keep="start")
    runs: list[tuple[str, bool]] = [(_flatten(before, strip="start"), False)]
    cursor = first
    for a, b in spans:
        if a > cursor:
            runs.append((_flatten(chunk_text[cursor:a], strip="none"), False))
        runs.append((_flatten(chunk_text[max(a, cursor):b], strip="none"), True))
        cursor = max(cursor, b)
    runs.append((_flatten(after, strip="end"), False))
    return [(text, mark and bool(text.strip())) for text, mark in runs if text]  # no empty highlight


def _clip(text: str, room: int, keep: str) -> str:
    if len(text) <= room:
        return text
    if room <= 0:
        return "… " if keep == "end" else " …"
    if keep == "end":
        cut = text[len(text) - room :]
        space = cut.find(" ")
        return "… " + (cut[space + 1 :] if 0 <= space < len(cut) - 1 else cut)
    cut = text[:room]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut) + " …"


def _flatten(text: str, strip: str) -> str:
    """Line breaks and list bullets of the paragraph read as running text in a card."""
    text = re.sub(r"\n\s*(?:[-*+]|\d{1,3}[.)])\s+", " ", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    text = re.sub(r"^#{1,6}\s+", "", text)
    if strip == "start":
        return text.lstrip()
    return text.rstrip() if strip == "end" else text


def section_label(citation: Citation) -> str:
    """The section path without the document title, which the card already shows."""
    return section_without_title(citation.section or "", citation.title)


def section_without_title(section: str, title: str) -> str:
    """A chunk's section path ("Title › Part › Sub") less the document's title, or "" for the title alone."""
    section, title = section.strip(), title.strip()
    if section == title:
        return ""
    prefix = title + SECTION_SEPARATOR
    return section[len(prefix) :] if section.startswith(prefix) else section


def source_card_html(citation: Citation, ctx: RenderContext) -> str:
    texts = ctx.texts
    runs = quote_in_context(ctx.chunk_texts.get(citation.chunk_id), citation)
    section = section_label(citation)
    reviewed = (
        texts["sources.reviewed_on"].replace("{date}", citation.reviewed_on)
        if citation.reviewed_on
        else texts["sources.not_dated"]
    )
    meta = []
    if section:
        meta.append(f'<span class="kea-section">{esc(section)}</span>')
    meta.append(f'<span class="kea-reviewed">{esc(reviewed)}</span>')
    parts = [
        f'<li class="kea-card" id="{card_id(ctx.turn, citation.n)}" tabindex="-1">',
        f'<div class="kea-card-title"><span class="kea-num" aria-hidden="true">{citation.n}</span> {esc(citation.title)}</div>',
        f'<div class="kea-card-meta">{" · ".join(meta)}</div>',
        f'<blockquote class="kea-quote">{"".join(f"<mark>{esc(t)}</mark>" if marked else esc(t) for t, marked in runs).rstrip()}</blockquote>',
    ]
    if citation.url and re.match(r"https?://", citation.url):
        href = citation.url
    else:  # no page of its own on the web: the app's page view of the document, at the quoted passage
        spans = sorted(citation.spans) or ([(citation.quote_start, citation.quote_end)] if citation.quote_start is not None else [])
        href = page_link(citation.doc_id, citation.chunk_id, spans)
    label = texts["sources.open_link_named"].replace("{title}", citation.title)
    parts.append(
        f'<div class="kea-card-link"><a href="{esc(href)}" target="_blank" rel="noopener noreferrer" aria-label="{esc(label)}">'
        f"{esc(texts['sources.open_link'])}</a></div>"
    )
    parts.append("</li>")
    return "".join(parts)


def sources_html(citations: list[Citation], ctx: RenderContext) -> str:
    if not citations:
        return ""
    cards = "".join(source_card_html(c, ctx) for c in sorted(citations, key=lambda c: c.n))
    heading = esc(ctx.texts["sources.heading"])
    return f'<section class="kea-sources" aria-label="{heading}"><p class="kea-sources-heading">{heading}</p><ol class="kea-cards">{cards}</ol></section>'


# ------------------------------------------------------------------------------------------------
# the answer bubble


def _marker_target(answer: Answer, ctx: RenderContext) -> Callable[[int], str | None]:
    known = {c.n for c in answer.citations}
    return lambda n: card_id(ctx.turn, n) if n in known else None


def contact_html(ctx: RenderContext) -> str:
    texts, clinic = ctx.texts, ctx.clinic
    lines = [f"<li>{esc(texts['contact.phone'])}</li>"]
    if texts["contact.email"]:
        lines.append(f"<li>{esc(texts['contact.email'])}</li>")
    if texts["contact.booking"] and clinic.booking_url and re.match(r"https?://", clinic.booking_url):
        lines.append(f"<li>{_external_link(clinic.booking_url, texts['contact.booking'])}</li>")
    return f'<div class="kea-contact"><p class="kea-contact-heading">{esc(texts["contact.heading"])}</p><ul>{"".join(lines)}</ul></div>'


def actions_html(r: CrisisResource, texts: Texts) -> str:
    """Tap to call and tap to text, from the numbers the clinic configured for a help line."""
    links = []
    if r.call:
        label = texts["crisis.call"].replace("{number}", r.call)
        links.append(f'<a class="kea-tap kea-tap-call" href="tel:{esc(r.dial(r.call))}">{esc(label)}</a>')
    if r.text:
        body = f"?&body={quote(r.text_body)}" if r.text_body else ""
        label = texts["crisis.text_word" if r.text_body else "crisis.text"].replace("{number}", r.text).replace("{word}", r.text_body or "")
        links.append(f'<a class="kea-tap kea-tap-text" href="sms:{esc(r.dial(r.text))}{esc(body)}">{esc(label)}</a>')
    return f' <span class="kea-taps">{"".join(links)}</span>' if links else ""


def all_resources(clinic: ClinicProfile) -> list[CrisisResource]:
    return [*clinic.crisis_resources, *clinic.self_harm_resources, *clinic.eating_disorder_resources]


def with_actions(body: str, clinic: ClinicProfile, texts: Texts) -> str:
    """Each help line the rendered message names gets its tap links, at the end of its list item."""
    for r in all_resources(clinic):
        actions = actions_html(r, texts)
        at = body.find(esc(r.how)) if actions else -1
        if at < 0:
            continue
        end = body.find("</li>", at)
        end = at + len(esc(r.how)) if end < 0 else end
        body = body[:end] + actions + body[end:]
    return body


def resources_html(clinic: ClinicProfile, texts: Texts) -> str:
    items = []
    for r in clinic.crisis_resources:
        when = f" <span class=\"kea-when\">({esc(r.when)})</span>" if r.when else ""
        items.append(f"<li><strong>{esc(r.name)}:</strong> {esc(r.how)}{when}{actions_html(r, texts)}</li>")
    return f'<ul class="kea-resources">{"".join(items)}</ul>'


def resources_in_text(text: str, clinic: ClinicProfile) -> bool:
    return all(r.how in text for r in clinic.crisis_resources)


def sentences_html(sentences: Sequence[AnswerSentence], marker: Callable[[int], str | None]) -> str:
    """The answer from its own structure: claims run on as paragraphs, list items as a list, the
    assistant's own framing (a refusal's opening) as it was written. No text is re-split here."""
    out: list[str] = []
    run: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if run:
            out.append(f"<p>{' '.join(run)}</p>")
            run.clear()
        if items:
            out.append(f"<ul>{''.join(f'<li>{i}</li>' for i in items)}</ul>")
            items.clear()

    for s in sentences:
        shown = s.text
        for n in s.citations:
            shown = with_marker(shown, n)
        if s.role == "framing":
            flush()
            out.append(markdown_html(s.text, marker))
        elif s.role == "list_item":
            if run:
                out.append(f"<p>{' '.join(run)}</p>")
                run.clear()
            items.append(inline_html(shown, marker, links=False))
        else:
            if items:
                flush()
            run.append(inline_html(shown, marker, links=False))
    flush()
    return "".join(out)


def with_page_links(body: str, answer: Answer, texts: Texts) -> str:
    """The pages a "not covered" answer suggests, as links to them (their own address, else the page view)."""
    for s in answer.suggestions:
        href = s.url if s.url and re.match(r"https?://", s.url) else page_link(s.doc_id)
        label = texts["sources.open_link_named"].replace("{title}", s.title)
        link = f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer" aria-label="{esc(label)}">{esc(s.title)}</a>'
        body = body.replace(f"<li>{esc(s.title)}</li>", f"<li>{link}</li>", 1)
    return body


def answer_html(answer: Answer, ctx: RenderContext, upto: int | None = None, final: bool = True) -> str:
    """The whole assistant bubble. ``upto`` (sentences shown so far) and ``final=False`` while streaming."""
    marker = _marker_target(answer, ctx)
    if answer.sentences:
        body = sentences_html(answer.sentences[:upto] if upto is not None else answer.sentences, marker)
    else:
        body = with_page_links(markdown_html(answer.text, marker), answer, ctx.texts)
    texts = ctx.texts
    kind = answer.kind
    # Classes, not data- or aria- attributes: the chat's HTML sanitiser keeps only classes, ids and roles.
    reason = f" kea-reason-{esc(answer.refusal_reason)}" if answer.refusal_reason else ""
    attrs = f'class="kea-answer kea-kind-{esc(kind)}{reason}{"" if final else " kea-streaming"}"'
    if kind == "crisis":
        resources = "" if resources_in_text(answer.text, ctx.clinic) else resources_html(ctx.clinic, texts)
        return (
            f'<div {attrs}><div class="kea-crisis" role="alert">'
            f'<p class="kea-crisis-heading">{esc(texts["crisis.heading"])}</p>{resources}'
            f'<div class="kea-text">{with_actions(body, ctx.clinic, texts)}</div></div></div>'
        )
    parts = [f"<div {attrs}>"]
    if kind == "refusal":
        # The label only: every refusal's own message says why (prompts/messages/refusal_*), once.
        parts.append(f'<div class="kea-banner kea-refusal" role="note"><p class="kea-label">{esc(texts["refusal.label"])}</p></div>')
    elif kind == "no_evidence" and (answer.triage is None or answer.triage.category == "ok"):
        # Only a question the library was searched for is "not covered"; a greeting or an empty
        # message gets its friendly prompt without that label.
        parts.append(
            f'<div class="kea-banner kea-noevidence" role="note"><p class="kea-label">{esc(texts["no_evidence.label"])}</p></div>'
        )
    parts.append(f'<div class="kea-text">{body}</div>')
    if final:
        if kind == "refusal" and ctx.clinic.phone not in answer.text:  # the message may already say how
            parts.append(contact_html(ctx))
        parts.append(sources_html(answer.citations, ctx))
    parts.append("</div>")
    return "".join(parts)


def stream_frames(answer: Answer, ctx: RenderContext) -> list[str]:
    """Successive bubbles for one answer, one more of its sentences each. Messages without
    sentences (crisis, not covered, a greeting) appear in one go; the last frame is complete."""
    final = answer_html(answer, ctx)
    if answer.kind == "crisis" or len(answer.sentences) < 2:
        return [final]
    return [answer_html(answer, ctx, upto=n, final=False) for n in range(1, len(answer.sentences))] + [final]


def thinking_html(ctx: RenderContext) -> str:
    return f'<div class="kea-answer kea-thinking" aria-busy="true"><p>{esc(ctx.texts["input.thinking"])}</p></div>'


def user_html(text: str) -> str:
    """A patient's message, shown exactly as typed: markup in it is text, never HTML."""
    lines = esc(text.strip()).split("\n")
    return '<div class="kea-user">' + "<br>".join(lines) + "</div>"


# ------------------------------------------------------------------------------------------------
# page furniture


def notice_resource_html(r: CrisisResource, texts: Texts) -> str:
    """One help line in the notice. On a phone, a line with tap links shows the links alone."""
    actions = actions_html(r, texts)
    taps = " kea-has-taps" if actions else ""
    return f'<span class="kea-notice-resource{taps}"><span class="kea-notice-how"><strong>{esc(r.name)}:</strong> {esc(r.how)}.</span>{actions}</span>'


def notice_html(texts: Texts, clinic: ClinicProfile) -> str:
    emergency = " ".join(notice_resource_html(r, texts) for r in clinic.crisis_resources)
    return (
        '<div class="kea-notice" role="note">'
        f'<p><strong>{esc(texts["notice.heading"])}</strong> <span class="kea-notice-body">{esc(texts["notice.body"])}</span></p>'
        f'<p class="kea-notice-emergency">{esc(texts["notice.emergency_intro"])} {emergency}</p>'
        "</div>"
    )


def header_html(texts: Texts) -> str:
    return f'<header class="kea-header"><h1>{esc(texts["title"])}</h1><p>{esc(texts["subtitle"])}</p></header>'


def privacy_html(texts: Texts) -> str:
    return f'<p class="kea-privacy">{esc(texts["privacy"])}</p>'
