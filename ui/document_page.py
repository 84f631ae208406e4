"""A library document as a page of its own, for a source with no web address of its own.

Source cards and the pages suggested in a "not covered" answer link here. The page shows the whole
document as it was indexed (reassembled from its chunks, which are exact spans of the document's
text), its review date and its sources, and highlights the passage an answer quoted, which the
browser scrolls into view through the ``#kea-cited`` fragment. Pure functions: the server passes the
chunks in and sends the HTML out. Every piece of library text is escaped; no link in a document's
body becomes live.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from library.settings import ClinicProfile
from library.store import StoredChunk
from ui.render import CITED_ID, MAX_MARKS, SECTION_SEPARATOR, esc, markdown_html, notice_resource_html, section_without_title
from ui.texts import Texts

_START, _END = "\x01", "\x02"
_DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,199}")
_BLOCK_MARK = re.compile(r"(?m)^(\x01)([ \t]*(?:[-*+]|\d{1,3}[.)]|#{1,6})[ \t]+)")
_MARKS = re.compile(r"(\d{1,7})-(\d{1,7})")


@dataclass(frozen=True)
class Piece:
    section: str
    start: int
    text: str


def valid_doc_id(doc_id: str) -> bool:
    return bool(_DOC_ID.fullmatch(doc_id or "")) and ".." not in doc_id


def back_link(doc_id: str) -> str:
    """The chat, relative to the page (a doc id's folders are folders of the page's address)."""
    return "../" * (1 + doc_id.count("/")) if valid_doc_id(doc_id) else "/"


def parse_marks(raw: str | None) -> list[tuple[int, int]]:
    """``"12-80,95-140"`` as spans; anything else in the query is ignored, not an error."""
    out = []
    for m in _MARKS.finditer((raw or "")[:400]):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b:
            out.append((a, b))
        if len(out) == MAX_MARKS:
            break
    return out


def reassemble(chunks: list[StoredChunk]) -> list[Piece]:
    """The document's text from its overlapping chunks, in order, one piece per unbroken run."""
    pieces: list[Piece] = []
    end = -1
    for c in sorted(chunks, key=lambda c: int(c.metadata.get("char_start") or 0)):
        start = int(c.metadata.get("char_start") or 0)
        section = str(c.metadata.get("section") or "")
        if pieces and pieces[-1].section == section and start <= end:
            last = pieces[-1]
            pieces[-1] = Piece(section, last.start, last.text + c.text[end - start :])
        else:
            pieces.append(Piece(section, start, c.text))
        end = max(end, start + len(c.text))
    return pieces


def highlight(pieces: list[Piece], spans: list[tuple[int, int]]) -> list[Piece]:
    """Mark document-offset spans in the pieces, line by line, so a mark never crosses a block."""
    out = []
    for p in pieces:
        inside = [(max(a, p.start) - p.start, min(b, p.start + len(p.text)) - p.start) for a, b in spans]
        inside = [(a, b) for a, b in inside if a < b]
        if not inside:
            out.append(p)
            continue
        flags = [False] * len(p.text)
        for a, b in inside:
            for i in range(a, b):
                flags[i] = True
        chars, on = [], False
        for ch, flag in zip(p.text, flags):
            if ch == "\n":
                if on:
                    chars.append(_END)
                chars.append(ch)
                if on:
                    chars.append(_START)
                continue
            if flag != on:
                chars.append(_START if flag else _END)
                on = flag
            chars.append(ch)
        if on:
            chars.append(_END)
        marked = _BLOCK_MARK.sub(lambda m: m.group(2) + _START, "".join(chars))  # "- item" stays a list item
        out.append(Piece(p.section, p.start, marked))
    return out


def _marks_html(rendered: str) -> str:
    """The sentinels as marks; the first mark is the one the address scrolls to."""
    rendered = rendered.replace(_START + _END, "")  # an empty mark
    rendered = rendered.replace(_START, f'<mark id="{CITED_ID}" tabindex="-1">', 1)
    return rendered.replace(_START, "<mark>").replace(_END, "</mark>")


def _sources(chunks: list[StoredChunk]) -> list[str]:
    raw = chunks[0].metadata.get("sources") if chunks else None
    try:
        items = json.loads(raw) if isinstance(raw, str) else list(raw or [])
    except (ValueError, TypeError):
        items = []
    return [str(s) for s in items if str(s).strip()][:50]


def document_page_html(
    chunks: list[StoredChunk], texts: Texts, clinic: ClinicProfile, chunk_id: str | None = None, marks: list[tuple[int, int]] | None = None
) -> str:
    meta = chunks[0].metadata
    title = str(meta.get("title") or "")
    by_id = {c.id: c for c in chunks}
    spans: list[tuple[int, int]] = []
    if chunk_id in by_id:
        cited = by_id[chunk_id]
        base = int(cited.metadata.get("char_start") or 0)
        spans = [(base + a, base + b) for a, b in (marks or [(0, len(cited.text))]) if 0 <= a < b <= len(cited.text)]
    pieces = highlight(reassemble(chunks), spans)

    body, shown = [], None
    for p in pieces:
        heading = section_without_title(p.section, title)
        if heading and heading != shown:
            body.append(f"<h2>{esc(heading.split(SECTION_SEPARATOR)[-1])}</h2>")
        shown = heading
        body.append(markdown_html(p.text, links=False))

    reviewed = meta.get("reviewed_on")
    facts = [esc(texts["sources.reviewed_on"].replace("{date}", str(reviewed))) if reviewed else esc(texts["sources.not_dated"])]
    if meta.get("review_due"):
        facts.append(esc(texts["page.review_due"].replace("{date}", str(meta["review_due"]))))
    sources = _sources(chunks)
    sources_html = (
        f'<section class="kea-page-sources" aria-labelledby="kea-sources-h"><h2 id="kea-sources-h">{esc(texts["page.sources"])}</h2>'
        f'<ul>{"".join(f"<li>{esc(s)}</li>" for s in sources)}</ul></section>'
        if sources
        else ""
    )
    cited_note = f'<p class="kea-page-cited-note">{esc(texts["page.cited_note"])}</p>' if spans else ""
    help_lines = " ".join(notice_resource_html(r, texts) for r in clinic.crisis_resources)
    return _page(
        title,
        texts,
        f'<p class="kea-page-back"><a href="{back_link(str(meta.get("doc_id") or ""))}">{esc(texts["page.back"])}</a></p>'
        f"<article><h1>{esc(title)}</h1>"
        f'<p class="kea-page-meta">{" · ".join(facts)}</p>{cited_note}'
        f'<div class="kea-page-body">{_marks_html("".join(body))}</div></article>{sources_html}'
        f'<aside class="kea-notice" aria-label="{esc(texts["notice.heading"])}"><p><strong>{esc(texts["notice.heading"])}</strong> '
        f'{esc(texts["notice.body"])}</p><p>{esc(texts["notice.emergency_intro"])} {help_lines}</p></aside>',
    )


def not_found_html(texts: Texts, doc_id: str = "") -> str:
    return _page(
        texts["page.not_found"],
        texts,
        f'<p class="kea-page-back"><a href="{back_link(doc_id)}">{esc(texts["page.back"])}</a></p><h1>{esc(texts["page.not_found"])}</h1>',
    )


def _page(title: str, texts: Texts, main: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)} · {esc(texts['title'])}</title><style>{PAGE_CSS}</style></head>"
        f'<body><main id="kea-page">{main}</main></body></html>'
    )


PAGE_CSS = """
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2937; background: #ffffff; line-height: 1.55; }
#kea-page { max-width: 46rem; margin: 0 auto; padding: 1rem 1.1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.6rem 0 0.3rem; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 0.4rem; }
a { color: #0b5c8c; }
a:focus-visible, mark:focus { outline: 3px solid #0b6e69; outline-offset: 2px; }
.kea-page-meta { color: #475569; margin: 0 0 0.8rem; font-size: 0.95rem; }
.kea-page-cited-note { background: #fffbe6; border-left: 4px solid #c98a00; padding: 0.3rem 0.6rem; font-size: 0.92rem; }
mark { background: #fff1a8; color: #1f2937; padding: 0 0.1em; border-radius: 2px; scroll-margin: 30vh; }
.kea-page-sources { border-top: 1px solid #d5dde6; margin-top: 1.5rem; font-size: 0.92rem; }
.kea-page-sources li { overflow-wrap: anywhere; }
.kea-notice { background: #fff8e1; color: #3e2c00; border: 1px solid #f0d68a; border-left: 5px solid #c98a00; border-radius: 8px;
  padding: 0.5rem 0.75rem; font-size: 0.92rem; margin-top: 1.5rem; }
.kea-notice p { margin: 0.2rem 0; }
.kea-tap { display: inline-block; margin: 0.15rem 0.3rem 0.15rem 0; padding: 0.3rem 0.7rem; border-radius: 999px;
  background: #8e0000; color: #ffffff !important; font-weight: 700; text-decoration: none; min-height: 24px; }
.kea-tap:focus-visible { outline: 3px solid #1f2937; outline-offset: 2px; }
@media (prefers-reduced-motion: no-preference) { html { scroll-behavior: smooth; } }
"""
