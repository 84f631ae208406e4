"""Turn chosen sentences of passages into answer text with markers, verbatim-quote citations, and
the answer's own structure: every sentence with its citation numbers and exact spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.types import AnswerSentence, Citation, Passage, QuoteSpan
from library.text import Span

_TRAILING = re.compile(r"([.!?:][\"'”’)\]]*)$")


@dataclass(frozen=True)
class Claim:
    """One answer sentence resting on spans of one passage: a sentence, or a lead-in with its list
    (each item its own span, shown on its own line)."""

    passage: Passage
    spans: tuple[Span, ...]
    listed: bool = False
    """The spans after the first are items of a list the first one introduces."""
    shown: str | None = None
    """The sentence as shown when it is not the quote itself (a chat model's, checked against the span)."""

    @property
    def parts(self) -> list[str]:
        quoted = [s.of(self.passage.text) for s in self.spans]
        return [self.shown, *quoted[1:]] if self.shown is not None else quoted

    @property
    def sentence(self) -> str:
        return "\n".join(self.parts)


def with_marker(sentence: str, n: int) -> str:
    """'It lasts a week.' -> 'It lasts a week [1].'"""
    sentence = sentence.rstrip()
    m = _TRAILING.search(sentence)
    if m:
        return f"{sentence[: m.start()]} [{n}]{m.group(1)}"
    return f"{sentence} [{n}]"


def assemble(claims: list[Claim]) -> tuple[str, list[Citation], list[AnswerSentence]]:
    """Answer text, citations and sentences; markers numbered 1..n by first use, one citation per passage.

    A citation's quote is the smallest span of its chunk that holds every sentence resting on it, so
    it is always a verbatim substring of the indexed chunk; ``spans`` are each sentence's own.
    """
    numbers: dict[str, int] = {}
    spans: dict[str, list[Span]] = {}
    passages: dict[str, Passage] = {}
    parts: list[str] = []
    sentences: list[AnswerSentence] = []
    for claim in claims:
        cid = claim.passage.chunk_id
        if cid not in numbers:
            numbers[cid] = len(numbers) + 1
            passages[cid] = claim.passage
            spans[cid] = []
        n = numbers[cid]
        spans[cid].extend(claim.spans)
        lines = []
        for i, (span, text) in enumerate(zip(claim.spans, claim.parts)):
            item = claim.listed and i > 0
            lines.append(f"- {with_marker(text, n)}" if item else with_marker(text, n))
            sentences.append(
                AnswerSentence(text=text, citations=[n], spans=[QuoteSpan(n=n, chunk_id=cid, start=span.start, end=span.end)], role="list_item" if item else "claim")
            )
        parts.append("\n".join(lines))
    citations = []
    for cid, n in numbers.items():
        p = passages[cid]
        own = sorted({(s.start, s.end) for s in spans[cid]})
        start, end = own[0][0], max(e for _, e in own)
        citations.append(
            Citation(
                n=n, doc_id=p.doc_id, title=p.title, chunk_id=p.chunk_id, quote=p.text[start:end], url=p.url,
                section=p.section, reviewed_on=p.reviewed_on, quote_start=start, quote_end=end, spans=own,
            )
        )
    return _join(parts), citations, sentences


def _join(parts: list[str]) -> str:
    """Sentences run on as a paragraph; a quoted list stands on its own lines."""
    text = ""
    for part in parts:
        if "\n" in part:
            text = f"{text}\n\n{part}\n\n" if text else f"{part}\n\n"
        else:
            text = f"{text} {part}" if text and not text.endswith("\n") else f"{text}{part}"
    return text.strip()
