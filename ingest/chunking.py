"""Heading-aware chunking, measured in the embedding model's own word pieces.

Each chunk is a contiguous span of the document's text (``text[char_start:char_end]``), never
crosses a heading, never splits a sentence (unless one sentence alone is longer than the model can
read), and carries its section path, which becomes the citation label.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Callable

from ingest.documents import SourceDocument
from library.text import Span, sentence_spans

SECTION_SEPARATOR = " › "
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)
_FENCE = re.compile(r"^(```|~~~)", re.M)


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    title: str
    topic: str
    section: str
    text: str
    char_start: int
    char_end: int
    path: str
    reviewed_on: str | None
    review_due: str | None
    url: str | None
    sources: tuple[str, ...]

    @property
    def embed_text(self) -> str:
        """What the model reads: the section path gives a short passage its context."""
        return f"{self.section}\n{self.text}"

    def metadata(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "topic": self.topic,
            "section": self.section,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "path": self.path,
            "reviewed_on": self.reviewed_on,
            "review_due": self.review_due,
            "url": self.url,
            "sources": json.dumps(list(self.sources)),
        }


@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]
    start: int
    end: int


def sections(doc: SourceDocument) -> list[Section]:
    """The document's sections: heading path and the character range of their body text."""
    text, title = doc.text, doc.meta.title
    fenced = _fenced_ranges(text, doc.body_start)
    headings = [
        m for m in _HEADING.finditer(text, doc.body_start) if not any(a <= m.start() < b for a, b in fenced)
    ]
    out: list[Section] = []
    stack: list[tuple[int, str]] = []
    cursor = doc.body_start
    for m in headings + [None]:
        end = m.start() if m else len(text)
        if text[cursor:end].strip():
            out.append(Section((title, *[h for _, h in stack]), cursor, end))
        if m is None:
            break
        level, name = len(m.group(1)), _clean_heading(m.group(2))
        stack = [(lv, h) for lv, h in stack if lv < level]
        if not (level == 1 and name.casefold() == title.casefold()):
            stack.append((level, name))
        cursor = m.end()
    return out


def _clean_heading(raw: str) -> str:
    return re.sub(r"[*_`]", "", raw).strip()


def _fenced_ranges(text: str, start: int) -> list[tuple[int, int]]:
    marks = [m.start() for m in _FENCE.finditer(text, start)]
    if len(marks) % 2:  # an unclosed fence runs to the end of the document, as in CommonMark
        marks.append(len(text))
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def chunk_document(
    doc: SourceDocument,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    target_tokens: int = 180,
    overlap_tokens: int = 40,
) -> list[Chunk]:
    """Chunks of one document. ``max_tokens`` is the model's limit, special tokens included."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for section in sections(doc):
        label = SECTION_SEPARATOR.join(section.path)
        # Room the model has for the passage once the label and [CLS]/[SEP] are in.
        room = max(16, max_tokens - 2 - count_tokens(label + "\n") - 1)
        budget = min(target_tokens, room)
        spans = _fit(doc.text, sentence_spans(doc.text, section.start, section.end), count_tokens, room)
        for first, last in _pack(doc.text, spans, count_tokens, budget, overlap_tokens):
            start, end = spans[first].start, spans[last].end
            chunks.append(_make_chunk(doc, label, start, end, seen))
    return chunks


def _fit(text: str, spans: list[Span], count: Callable[[str], int], room: int) -> list[Span]:
    """Split the rare sentence longer than the model can read, at word boundaries."""
    out: list[Span] = []
    for span in spans:
        if count(span.of(text)) <= room:
            out.append(span)
            continue
        piece_start = span.start
        words = [m.end() for m in re.finditer(r"\S+", text[span.start : span.end])]
        last_good = None
        for w_end in words:
            end = span.start + w_end
            if count(text[piece_start:end]) > room and last_good is not None:
                out.append(Span(piece_start, last_good))
                piece_start = last_good + 1
                while piece_start < span.end and text[piece_start].isspace():
                    piece_start += 1
            last_good = end
        if piece_start < span.end:
            out.append(Span(piece_start, span.end))
    return out


def _pack(text: str, spans: list[Span], count: Callable[[str], int], budget: int, overlap: int):
    """Greedy packing of sentences into (first, last) index ranges, with sentence overlap."""
    first = 0
    n = len(spans)
    while first < n:
        last = first
        while last + 1 < n and count(text[spans[first].start : spans[last + 1].end]) <= budget:
            last += 1
        yield first, last
        if last + 1 >= n:
            return
        # Next chunk starts with as many trailing sentences as fit in the overlap.
        nxt = last + 1
        while nxt - 1 > first and count(text[spans[nxt - 1].start : spans[last].end]) <= overlap:
            nxt -= 1
        first = nxt


def _make_chunk(doc: SourceDocument, label: str, start: int, end: int, seen: dict[str, int]) -> Chunk:
    body = doc.text[start:end]
    digest = hashlib.sha256(f"{label}\n{body}".encode("utf-8")).hexdigest()[:12]
    seen[digest] = seen.get(digest, 0) + 1
    suffix = "" if seen[digest] == 1 else f"-{seen[digest]}"
    meta = doc.meta
    return Chunk(
        id=f"{doc.doc_id}#{digest}{suffix}",
        doc_id=doc.doc_id,
        title=meta.title,
        topic=meta.topic,
        section=label,
        text=body,
        char_start=start,
        char_end=end,
        path=doc.path,
        reviewed_on=meta.reviewed_on.isoformat() if meta.reviewed_on else None,
        review_due=meta.review_due.isoformat() if meta.review_due else None,
        url=meta.url,
        sources=tuple(meta.sources),
    )
