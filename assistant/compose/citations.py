"""Turn chosen sentences of passages into answer text with markers and verbatim-quote citations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.types import Citation, Passage
from library.text import Span

_TRAILING = re.compile(r"([.!?][\"'”’)\]]*)$")


@dataclass(frozen=True)
class Claim:
    """One answer sentence resting on spans of one passage."""

    sentence: str
    passage: Passage
    spans: tuple[Span, ...]


def with_marker(sentence: str, n: int) -> str:
    """'It lasts a week.' -> 'It lasts a week [1].'"""
    sentence = sentence.rstrip()
    m = _TRAILING.search(sentence)
    if m:
        return f"{sentence[: m.start()]} [{n}]{m.group(1)}"
    return f"{sentence} [{n}]"


def assemble(claims: list[Claim]) -> tuple[str, list[Citation]]:
    """Answer text and citations; markers numbered 1..n by first use, one citation per passage.

    A citation's quote is the smallest span of its chunk that holds every sentence resting on it,
    so it is always a verbatim substring of the indexed chunk.
    """
    numbers: dict[str, int] = {}
    spans: dict[str, list[Span]] = {}
    passages: dict[str, Passage] = {}
    parts: list[str] = []
    for claim in claims:
        cid = claim.passage.chunk_id
        if cid not in numbers:
            numbers[cid] = len(numbers) + 1
            passages[cid] = claim.passage
            spans[cid] = []
        spans[cid].extend(claim.spans)
        # Every line of a quoted list is a claim of its own and carries the marker too.
        parts.append("\n".join(with_marker(line, numbers[cid]) if line.strip() else line for line in claim.sentence.split("\n")))
    citations = []
    for cid, n in numbers.items():
        p = passages[cid]
        start = min(s.start for s in spans[cid])
        end = max(s.end for s in spans[cid])
        citations.append(
            Citation(
                n=n,
                doc_id=p.doc_id,
                title=p.title,
                chunk_id=p.chunk_id,
                quote=p.text[start:end],
                url=p.url,
                section=p.section,
                reviewed_on=p.reviewed_on,
            )
        )
    return _join(parts), citations


def _join(parts: list[str]) -> str:
    """Sentences run on as a paragraph; a quoted list stands on its own lines."""
    text = ""
    for part in parts:
        if "\n" in part:
            text = f"{text}\n\n{part}\n\n" if text else f"{part}\n\n"
        else:
            text = f"{text} {part}" if text and not text.endswith("\n") else f"{text}{part}"
    return text.strip()
